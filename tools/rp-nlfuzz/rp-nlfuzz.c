// SPDX-License-Identifier: GPL-2.0
/*
 * rp-nlfuzz: a netlink fuzzer for the rdmapolicy generic netlink family,
 * guided by what the kernel says of it.  It reads the family's ops (with
 * their flags) from nlctrl's CTRL_CMD_GETFAMILY and their attribute
 * policies from CTRL_CMD_GETPOLICY, then sends COUNT requests built from
 * those policies (values at, inside and just outside the limits, nested
 * sets by their sub-policies), a share of them mutated (flipped bytes, cut
 * or duplicated attributes, unknown types, lengths that lie, another
 * command), from a PRNG seeded with SEED, while DUMPERS child processes
 * run the family's dumps and close their sockets part way through, and
 * the parent now and then closes a socket with a request in flight.
 *
 *   rp-nlfuzz [-s SEED] [-n COUNT] [-j DUMPERS] [-u|-U] [-v]
 *
 * What must hold (else a finding, printed, and exit status 1):
 *   - every request gets its answer: an ACK (NLMSG_ERROR) for a do, a
 *     NLMSG_DONE or an error for a dump, within 10 s;
 *   - every error carries an extack message, except the genetlink core's
 *     own: EPERM of an admin op for a sender without CAP_NET_ADMIN in the
 *     namespace's user namespace, EOPNOTSUPP of a command the family does
 *     not have (or a do or dump it lacks);
 *   - -u (an unprivileged sender): every admin op answers EPERM, and
 *     nothing else;
 *   - -U (root of a user namespace of its own, without
 *     rdmapolicy.userns_admin): no admin op succeeds; each answers EPERM
 *     with the family's message unless the genetlink core, which checks
 *     only the namespace's CAP_NET_ADMIN, refused it first: attributes
 *     that fail the policy (the core's message), a do or dump the op
 *     does not have.
 *
 * The last line: "rp-nlfuzz: seed S: N requests (...), findings F".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define FAMILY		"rdmapolicy"
#define MAX_OPS		64
#define MAX_POLICIES	32
#define MAX_ATTRS	64
#define MAX_DEPTH	4
#define MSG_MAX		4096
#define RX_MAX		65536
#define REPLY_TIMEOUT	10	/* s */
#define MAX_FINDINGS	20	/* printed in full; the rest are counted */

struct attr_pol {
	bool present;
	uint32_t type;		/* enum netlink_attribute_type */
	int64_t min_s, max_s;
	uint64_t min_u, max_u, mask;
	uint32_t min_len, max_len;
	bool has_min_s, has_max_s, has_min_u, has_max_u, has_mask;
	bool has_min_len, has_max_len;
	int nested;		/* policy index, or -1 */
	uint32_t nested_max;
	uint32_t bf32_mask;
};

struct policy {
	bool present;
	uint32_t maxtype;
	struct attr_pol a[MAX_ATTRS];
};

struct op {
	uint32_t cmd, flags;
	int do_pol, dump_pol;	/* policy index, or -1 */
};

static struct {
	uint16_t id;
	uint8_t version;
	struct op ops[MAX_OPS];
	int n_ops;
	struct policy pol[MAX_POLICIES];
} fam;

static uint64_t rng;
static bool unpriv, userns, verbose;
static volatile sig_atomic_t stop;	/* a dumper's parent is done */
static unsigned long findings;
static unsigned long st_do, st_dump, st_mut, st_ok, st_err, st_msg, st_close;
static unsigned long st_errno[135];

/* xorshift64*: the same requests for the same seed */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int pct)
{
	return below(100) < pct;
}

static void finding(const char *fmt, ...)
{
	va_list ap;

	if (++findings > MAX_FINDINGS)
		return;
	va_start(ap, fmt);
	printf("rp-nlfuzz: FINDING: ");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
}

static struct op *find_op(uint32_t cmd)
{
	int i;

	for (i = 0; i < fam.n_ops; i++)
		if (fam.ops[i].cmd == cmd)
			return &fam.ops[i];
	return NULL;
}

static bool op_admin(const struct op *op)
{
	return op && (op->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM));
}

static struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT };
	int one = 1;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("rp-nlfuzz: netlink socket");
		exit(2);
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	return nl;
}

/* ---- the family from nlctrl ------------------------------------------ */

static int pol_attr_cb(const struct nlattr *a, void *data)
{
	struct attr_pol *p = data;

	switch (mnl_attr_get_type(a)) {
	case NL_POLICY_TYPE_ATTR_TYPE:
		p->type = mnl_attr_get_u32(a);
		break;
	case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
		p->min_s = (int64_t)mnl_attr_get_u64(a);
		p->has_min_s = true;
		break;
	case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
		p->max_s = (int64_t)mnl_attr_get_u64(a);
		p->has_max_s = true;
		break;
	case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
		p->min_u = mnl_attr_get_u64(a);
		p->has_min_u = true;
		break;
	case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
		p->max_u = mnl_attr_get_u64(a);
		p->has_max_u = true;
		break;
	case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
		p->min_len = mnl_attr_get_u32(a);
		p->has_min_len = true;
		break;
	case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
		p->max_len = mnl_attr_get_u32(a);
		p->has_max_len = true;
		break;
	case NL_POLICY_TYPE_ATTR_POLICY_IDX:
		p->nested = mnl_attr_get_u32(a);
		break;
	case NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE:
		p->nested_max = mnl_attr_get_u32(a);
		break;
	case NL_POLICY_TYPE_ATTR_BITFIELD32_MASK:
		p->bf32_mask = mnl_attr_get_u32(a);
		break;
	case NL_POLICY_TYPE_ATTR_MASK:
		p->mask = mnl_attr_get_u64(a);
		p->has_mask = true;
		break;
	}
	return MNL_CB_OK;
}

/* CTRL_ATTR_POLICY: { idx: { attr type: { NL_POLICY_TYPE_ATTR_* } } } */
static int policy_cb(const struct nlattr *a, void *data)
{
	uint32_t idx = mnl_attr_get_type(a);
	const struct nlattr *t;
	struct policy *pol;

	(void)data;
	if (idx >= MAX_POLICIES)
		return MNL_CB_OK;
	pol = &fam.pol[idx];
	pol->present = true;
	mnl_attr_for_each_nested(t, a) {
		uint32_t type = mnl_attr_get_type(t);
		struct attr_pol *p;

		if (type >= MAX_ATTRS)
			continue;
		p = &pol->a[type];
		memset(p, 0, sizeof(*p));
		p->present = true;
		p->nested = -1;
		mnl_attr_parse_nested(t, pol_attr_cb, p);
		if (type > pol->maxtype)
			pol->maxtype = type;
	}
	return MNL_CB_OK;
}

/* CTRL_ATTR_OP_POLICY: { cmd: { CTRL_ATTR_POLICY_DO/DUMP: idx } } */
static int op_policy_cb(const struct nlattr *a, void *data)
{
	struct op *op = find_op(mnl_attr_get_type(a));
	const struct nlattr *t;

	(void)data;
	if (!op)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(t, a) {
		if (mnl_attr_get_type(t) == CTRL_ATTR_POLICY_DO)
			op->do_pol = mnl_attr_get_u32(t);
		else if (mnl_attr_get_type(t) == CTRL_ATTR_POLICY_DUMP)
			op->dump_pol = mnl_attr_get_u32(t);
	}
	return MNL_CB_OK;
}

static int ctrl_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *o, *f;

	(void)data;
	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_ID:
		fam.id = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_VERSION:
		fam.version = mnl_attr_get_u32(a);
		break;
	case CTRL_ATTR_OPS:
		mnl_attr_for_each_nested(o, a) {
			struct op *op;

			if (fam.n_ops == MAX_OPS)
				break;
			op = &fam.ops[fam.n_ops++];
			op->do_pol = op->dump_pol = -1;
			mnl_attr_for_each_nested(f, o) {
				if (mnl_attr_get_type(f) == CTRL_ATTR_OP_ID)
					op->cmd = mnl_attr_get_u32(f);
				else if (mnl_attr_get_type(f) ==
					 CTRL_ATTR_OP_FLAGS)
					op->flags = mnl_attr_get_u32(f);
			}
		}
		break;
	case CTRL_ATTR_OP_POLICY:
		mnl_attr_parse_nested(a, op_policy_cb, NULL);
		break;
	case CTRL_ATTR_POLICY:
		mnl_attr_parse_nested(a, policy_cb, NULL);
		break;
	}
	return MNL_CB_OK;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	return mnl_attr_parse(nlh, GENL_HDRLEN, ctrl_attr_cb, NULL) < 0 ?
	       MNL_CB_ERROR : MNL_CB_OK;
}

static void ctrl_request(struct mnl_socket *nl, uint8_t cmd, uint16_t flags)
{
	static char buf[RX_MAX];
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	unsigned int seq = time(NULL);
	int n;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	if (fam.id)
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, fam.id);
	else
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, FAMILY);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("rp-nlfuzz: nlctrl");
		exit(2);
	}
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		n = mnl_cb_run(buf, n, seq, mnl_socket_get_portid(nl),
			       ctrl_cb, NULL);
		if (n <= MNL_CB_STOP)
			break;
	}
	if (n < 0) {
		fprintf(stderr, "rp-nlfuzz: nlctrl %s: %s\n",
			cmd == CTRL_CMD_GETFAMILY ? "GETFAMILY" : "GETPOLICY",
			strerror(errno));
		exit(2);
	}
}

static void load_family(void)
{
	struct mnl_socket *nl = nl_open();
	int i, npol = 0;

	ctrl_request(nl, CTRL_CMD_GETFAMILY, 0);
	if (!fam.id || !fam.n_ops) {
		fprintf(stderr, "rp-nlfuzz: family %s has no ops\n", FAMILY);
		exit(2);
	}
	ctrl_request(nl, CTRL_CMD_GETPOLICY, NLM_F_DUMP);
	mnl_socket_close(nl);
	for (i = 0; i < MAX_POLICIES; i++)
		npol += fam.pol[i].present;
	if (!npol) {
		fprintf(stderr, "rp-nlfuzz: no policy from GETPOLICY\n");
		exit(2);
	}
	printf("rp-nlfuzz: family %s id %u version %u: %d ops, %d policies\n",
	       FAMILY, fam.id, fam.version, fam.n_ops, npol);
	if (verbose)
		for (i = 0; i < fam.n_ops; i++)
			printf("  op %u flags %#x do %d dump %d\n",
			       fam.ops[i].cmd, fam.ops[i].flags,
			       fam.ops[i].do_pol, fam.ops[i].dump_pol);
}

/* ---- building requests ------------------------------------------------ */

static const char *const words[] = {
	"", "a", "vm1", "vm2", "x", "eth0", "eth1", "lo", "veth0", "veth1",
	"web1", "tenant", "-", "%s%n", "\xff\xfe", "0123456789abcdef",
};

/* An unsigned value of an attribute: at, inside and around its limits. */
static uint64_t pick_u(const struct attr_pol *p, uint64_t type_max)
{
	uint64_t lo = p->has_min_u ? p->min_u : 0;
	uint64_t hi = p->has_max_u ? p->max_u : type_max;

	switch (below(10)) {
	case 0: return lo;
	case 1: return hi;
	case 2: return lo - 1;
	case 3: return hi + 1;
	case 4: return rnd();
	case 5: return p->has_mask ? rnd() & p->mask : rnd() & 0xff;
	default:
		return below(16);	/* ids, counts, enum values */
	}
}

static int64_t pick_s(const struct attr_pol *p, int64_t lo, int64_t hi)
{
	if (p->has_min_s)
		lo = p->min_s;
	if (p->has_max_s)
		hi = p->max_s;
	switch (below(8)) {
	case 0: return lo;
	case 1: return hi;
	case 2: return lo - 1;
	case 3: return hi + 1;
	case 4: return (int64_t)rnd();
	default: return (int64_t)below(16) - 4;
	}
}

static void put_bytes(struct nlmsghdr *nlh, uint16_t type, size_t len)
{
	uint8_t b[512];
	size_t i;

	if (len > sizeof(b))
		len = sizeof(b);
	for (i = 0; i < len; i++)
		b[i] = chance(50) ? rnd() : 0;
	/* an IPv4 or IPv6 address of the test topology, sometimes */
	if ((len == 4 || len == 16) && chance(50)) {
		memset(b, 0, len);
		if (len == 16) {
			b[0] = 0xfd;
			b[15] = below(4);
		} else {
			b[0] = 10;
			b[1] = 10;
			b[3] = below(4);
		}
	}
	mnl_attr_put(nlh, type, len, b);
}

static void put_attrs(struct nlmsghdr *nlh, int polidx, uint32_t maxtype,
		      int depth);

static void put_attr(struct nlmsghdr *nlh, uint16_t type,
		     const struct attr_pol *p, int depth)
{
	struct nlattr *nest;
	char s[300];
	size_t len;
	int i, n;

	if (nlh->nlmsg_len > MSG_MAX - 600)
		return;
	switch (p->type) {
	case NL_ATTR_TYPE_FLAG:
		mnl_attr_put(nlh, type, chance(95) ? 0 : below(8), "\0\0\0\0\0\0\0");
		break;
	case NL_ATTR_TYPE_U8:
		mnl_attr_put_u8(nlh, type, pick_u(p, UINT8_MAX));
		break;
	case NL_ATTR_TYPE_U16:
		mnl_attr_put_u16(nlh, type, pick_u(p, UINT16_MAX));
		break;
	case NL_ATTR_TYPE_U32:
		mnl_attr_put_u32(nlh, type, pick_u(p, UINT32_MAX));
		break;
	case NL_ATTR_TYPE_U64:
		mnl_attr_put_u64(nlh, type, pick_u(p, UINT64_MAX));
		break;
	case NL_ATTR_TYPE_S8:
		mnl_attr_put_u8(nlh, type, pick_s(p, INT8_MIN, INT8_MAX));
		break;
	case NL_ATTR_TYPE_S16:
		mnl_attr_put_u16(nlh, type, pick_s(p, INT16_MIN, INT16_MAX));
		break;
	case NL_ATTR_TYPE_S32:
		mnl_attr_put_u32(nlh, type, pick_s(p, INT32_MIN, INT32_MAX));
		break;
	case NL_ATTR_TYPE_S64:
		mnl_attr_put_u64(nlh, type, pick_s(p, INT64_MIN, INT64_MAX));
		break;
	case NL_ATTR_TYPE_STRING:
	case NL_ATTR_TYPE_NUL_STRING:
		if (chance(70)) {
			snprintf(s, sizeof(s), "%s",
				 words[below(sizeof(words) / sizeof(*words))]);
		} else {
			len = p->has_max_len ? p->max_len + below(3) : below(80);
			if (len >= sizeof(s))
				len = sizeof(s) - 1;
			memset(s, 'a' + below(26), len);
			s[len] = 0;
		}
		if (p->type == NL_ATTR_TYPE_STRING && chance(20))
			mnl_attr_put(nlh, type, strlen(s), s);	/* no NUL */
		else
			mnl_attr_put_strz(nlh, type, s);
		break;
	case NL_ATTR_TYPE_BINARY:
		if (p->has_min_len && p->has_max_len && chance(80))
			len = p->min_len + below(p->max_len - p->min_len + 1);
		else if (p->has_max_len && chance(50))
			len = p->max_len + below(2);
		else
			len = below(40);
		put_bytes(nlh, type, len);
		break;
	case NL_ATTR_TYPE_BITFIELD32: {
		uint32_t bf[2] = { rnd() & p->bf32_mask, rnd() & p->bf32_mask };

		if (chance(10))
			bf[1] = rnd();
		mnl_attr_put(nlh, type, sizeof(bf), bf);
		break;
	}
	case NL_ATTR_TYPE_NESTED:
		if (depth >= MAX_DEPTH)
			break;
		nest = mnl_attr_nest_start(nlh, type);
		if (p->nested >= 0)
			put_attrs(nlh, p->nested, p->nested_max, depth + 1);
		mnl_attr_nest_end(nlh, nest);
		break;
	case NL_ATTR_TYPE_NESTED_ARRAY:
		if (depth >= MAX_DEPTH)
			break;
		nest = mnl_attr_nest_start(nlh, type);
		n = below(4);
		for (i = 0; i < n; i++) {
			struct nlattr *e = mnl_attr_nest_start(nlh, i + 1);

			if (p->nested >= 0)
				put_attrs(nlh, p->nested, p->nested_max,
					  depth + 1);
			mnl_attr_nest_end(nlh, e);
		}
		mnl_attr_nest_end(nlh, nest);
		break;
	default:
		put_bytes(nlh, type, below(24));
	}
}

/* Attributes of policy @polidx (up to @maxtype): a random few of them. */
static void put_attrs(struct nlmsghdr *nlh, int polidx, uint32_t maxtype,
		      int depth)
{
	const struct policy *pol;
	uint32_t t, max;
	int n, i;

	if (polidx < 0 || polidx >= MAX_POLICIES || !fam.pol[polidx].present)
		return;
	pol = &fam.pol[polidx];
	max = maxtype && maxtype < pol->maxtype ? maxtype : pol->maxtype;
	if (chance(15)) {		/* all of them, in order */
		for (t = 1; t <= max && t < MAX_ATTRS; t++)
			if (pol->a[t].present)
				put_attr(nlh, t, &pol->a[t], depth);
		return;
	}
	n = below(5);
	for (i = 0; i < n; i++) {
		t = 1 + below(max);
		if (t < MAX_ATTRS && pol->a[t].present)
			put_attr(nlh, t, &pol->a[t], depth);
		else if (chance(20))	/* a type the policy does not have */
			put_bytes(nlh, t, below(12));
	}
}

/*
 * Mutate the request after its genetlink header: the nlmsghdr stays
 * true (nlmsg_len is what is sent) so that the kernel owes an answer.
 */
static void mutate(struct nlmsghdr *nlh)
{
	uint8_t *p = (uint8_t *)nlh;
	unsigned int len = nlh->nlmsg_len, n, i, at;
	struct nlattr *a;

	switch (below(7)) {
	case 0:				/* flip bytes of the attributes */
		if (len <= NLMSG_HDRLEN + GENL_HDRLEN)
			break;
		n = 1 + below(4);
		for (i = 0; i < n; i++)
			p[NLMSG_HDRLEN + GENL_HDRLEN +
			  below(len - NLMSG_HDRLEN - GENL_HDRLEN)] ^=
				1 << below(8);
		break;
	case 1:				/* cut the message short */
		if (len > NLMSG_HDRLEN + GENL_HDRLEN)
			nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN +
				below(len - NLMSG_HDRLEN - GENL_HDRLEN);
		break;
	case 2:				/* the first attribute's length lies */
		if (len >= NLMSG_HDRLEN + GENL_HDRLEN + sizeof(*a)) {
			a = (struct nlattr *)(p + NLMSG_HDRLEN + GENL_HDRLEN);
			a->nla_len = below(3) ? (uint16_t)rnd() :
						(uint16_t)(a->nla_len + 4);
		}
		break;
	case 3:				/* an unknown or nested-flagged type */
		mnl_attr_put_u32(nlh, chance(50) ? below(0x4000) :
				 (below(MAX_ATTRS) | NLA_F_NESTED), rnd());
		break;
	case 4:				/* duplicate the whole attribute set */
		at = len - NLMSG_HDRLEN - GENL_HDRLEN;
		if (len + at <= MSG_MAX) {
			memcpy(p + len, p + NLMSG_HDRLEN + GENL_HDRLEN, at);
			nlh->nlmsg_len += at;
		}
		break;
	case 5:				/* another command or version */
		if (chance(50))
			((struct genlmsghdr *)(p + NLMSG_HDRLEN))->cmd = rnd();
		else
			((struct genlmsghdr *)(p + NLMSG_HDRLEN))->version =
				rnd();
		break;
	default:			/* random bytes appended */
		n = below(64);
		for (i = 0; i < n && len + i < MSG_MAX; i++)
			p[len + i] = rnd();
		nlh->nlmsg_len = len + i;
	}
}

/* ---- answers ----------------------------------------------------------- */

struct answer {
	bool done;		/* ACK, DONE or error seen */
	int error;		/* 0 or -errno */
	bool has_msg, has_miss;
	char msg[160];
	unsigned int msgs;	/* dump messages before DONE */
};

static void parse_ext(const struct nlmsghdr *nlh, size_t off,
		      struct answer *ans)
{
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off > nlh->nlmsg_len)
		return;
	mnl_attr_for_each(a, nlh, off - NLMSG_HDRLEN) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG) {
			ans->has_msg = true;
			snprintf(ans->msg, sizeof(ans->msg), "%.*s",
				 (int)mnl_attr_get_payload_len(a),
				 (const char *)mnl_attr_get_payload(a));
		} else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MISS_TYPE) {
			ans->has_miss = true;
		}
	}
}

/*
 * Read until the answer to @seq: 0, or -1 if none came (a timeout).
 * @max_msgs: a dumper reading only part of a dump stops after as many.
 */
static int read_answer(struct mnl_socket *nl, uint32_t seq,
		       struct answer *ans, unsigned int max_msgs)
{
	static char buf[RX_MAX];
	int n;

	memset(ans, 0, sizeof(*ans));
	while (!ans->done) {
		struct nlmsghdr *nlh;

		n = recv(mnl_socket_get_fd(nl), buf, sizeof(buf), 0);
		if (n < 0)
			return -1;
		nlh = (struct nlmsghdr *)buf;
		for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != seq)
				continue;	/* a request we left */
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(nlh);
				size_t off = NLMSG_HDRLEN + sizeof(*e);

				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				ans->error = e->error;
				parse_ext(nlh, NLMSG_ALIGN(off), ans);
				ans->done = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				const int *e = mnl_nlmsg_get_payload(nlh);

				ans->error = nlh->nlmsg_len >=
					NLMSG_HDRLEN + sizeof(int) ? *e : 0;
				parse_ext(nlh, NLMSG_HDRLEN + sizeof(int), ans);
				ans->done = true;
			} else if (++ans->msgs >= max_msgs) {
				return 0;
			}
		}
	}
	return 0;
}

/* The checks on one answer: what was sent (@nlh) and what came. */
static void judge(const struct nlmsghdr *nlh, bool dump,
		  const struct answer *ans)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct op *op = find_op(g->cmd);
	int err = -ans->error;
	bool core = false;

	if (err > 0 && err < (int)(sizeof(st_errno) / sizeof(*st_errno)))
		st_errno[err]++;
	if (err)
		st_err++;
	else
		st_ok++;
	if (err && ans->has_msg)
		st_msg++;
	/*
	 * Root of a user namespace has CAP_NET_ADMIN over its network
	 * namespace: the genetlink core lets it through and validates the
	 * attributes (6.1: before the family's pre_doit refuses it), so an
	 * admin op may fail validation (with the core's message) or lack a
	 * do or dump; if it gets as far as the family, EPERM with a message.
	 */
	if (userns && op_admin(op)) {
		if (!err || (!ans->has_msg && !(err == EOPNOTSUPP &&
		    !(op->flags & (dump ? GENL_CMD_CAP_DUMP : GENL_CMD_CAP_DO)))))
			finding("user namespace root: %s of admin op %u "
				"answered %s%s", dump ? "dump" : "do", g->cmd,
				err ? strerror(err) : "success",
				ans->has_msg ? "" : " without a message");
		else if (verbose && err != EPERM)
			printf("  userns: op %u: %s: %s\n", g->cmd,
			       strerror(err), ans->msg);
		return;
	}
	if (unpriv && op_admin(op)) {
		if (err != EPERM)
			finding("unprivileged %s of admin op %u answered %s",
				dump ? "dump" : "do", g->cmd,
				err ? strerror(err) : "success");
		return;
	}
	/* the genetlink core's own refusals carry no message */
	if (err == EOPNOTSUPP &&
	    (!op || !(op->flags & (dump ? GENL_CMD_CAP_DUMP : GENL_CMD_CAP_DO))))
		core = true;
	if (err == EPERM && unpriv && op_admin(op))
		core = true;
	if (err && !ans->has_msg && !core)
		finding("%s of op %u: %s without an extack message%s (%u bytes)",
			dump ? "dump" : "do", g->cmd, strerror(err),
			ans->has_miss ? " (a missing-attribute type only)" : "",
			nlh->nlmsg_len);
	if (verbose && err)
		printf("  %s op %u: %s: %s\n", dump ? "dump" : "do", g->cmd,
		       strerror(err), ans->msg);
}

/* One request: built, maybe mutated, sent; its answer judged. */
static void one_request(struct mnl_socket **nlp, uint32_t seq)
{
	static char buf[MSG_MAX + 64];
	const struct op *op = &fam.ops[below(fam.n_ops)];
	bool dump, mutated = chance(30);
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	struct answer ans;

	memset(buf, 0, sizeof(buf));
	if ((op->flags & GENL_CMD_CAP_DO) && (op->flags & GENL_CMD_CAP_DUMP))
		dump = chance(50);
	else
		dump = op->flags & GENL_CMD_CAP_DUMP ? !chance(5) : chance(5);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = fam.id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = chance(3) ? rnd() : op->cmd;	/* sometimes no such op */
	g->version = fam.version;
	put_attrs(nlh, dump ? op->dump_pol : op->do_pol, 0, 0);
	if (mutated) {
		mutate(nlh);
		st_mut++;
	}
	dump ? st_dump++ : st_do++;
	if (mnl_socket_sendto(*nlp, nlh, nlh->nlmsg_len) < 0) {
		finding("send of op %u failed: %s", g->cmd, strerror(errno));
		return;
	}
	/* a socket closed with the request in flight */
	if (chance(3)) {
		mnl_socket_close(*nlp);
		*nlp = nl_open();
		st_close++;
		return;
	}
	if (read_answer(*nlp, seq, &ans, ~0u) < 0) {
		finding("no answer to the %s of op %u (seq %u) in %d s",
			dump ? "dump" : "do", g->cmd, seq, REPLY_TIMEOUT);
		mnl_socket_close(*nlp);
		*nlp = nl_open();
		return;
	}
	judge(nlh, dump, &ans);
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * A dumper: until the parent goes, dumps of the family's dumpable ops,
 * each read to its end or only part way, then the socket is closed (and
 * sometimes the events group joined and left).  Exits 1 on a finding.
 */
static int dumper(uint64_t seed)
{
	unsigned long dumps = 0, early = 0;
	uint32_t seq = 1;

	struct sigaction sa = { .sa_handler = on_term };

	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: recv() returns */
	rng = seed;
	while (!stop) {
		struct mnl_socket *nl = nl_open();
		char buf[MNL_SOCKET_BUFFER_SIZE];
		const struct op *op = &fam.ops[below(fam.n_ops)];
		struct nlmsghdr *nlh;
		struct genlmsghdr *g;
		struct answer ans;
		unsigned int part;

		if (!(op->flags & GENL_CMD_CAP_DUMP) ||
		    (unpriv && op_admin(op))) {
			mnl_socket_close(nl);
			continue;
		}
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = fam.id;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP;
		nlh->nlmsg_seq = ++seq;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = op->cmd;
		g->version = fam.version;
		if (chance(30))
			put_attrs(nlh, op->dump_pol, 0, 0);
		if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
			_exit(1);
		dumps++;
		part = chance(50) ? below(3) : ~0u;
		if (part && read_answer(nl, seq, &ans, part) < 0) {
			if (stop)
				break;
			finding("dumper: no end to the dump of op %u",
				op->cmd);
			_exit(1);
		}
		if (part != ~0u)
			early++;
		else if (ans.error && !ans.has_msg)
			finding("dumper: dump of op %u: %s without a message",
				op->cmd, strerror(-ans.error));
		mnl_socket_close(nl);
	}
	printf("rp-nlfuzz: dumper: %lu dumps, %lu closed early\n", dumps,
	       early);
	_exit(findings ? 1 : 0);
}

int main(int argc, char **argv)
{
	unsigned long count = 2000, i, seed = 1;
	int c, dumpers = 0, k, status;
	struct mnl_socket *nl;
	pid_t pids[16];

	while ((c = getopt(argc, argv, "s:n:j:uUv")) != -1) {
		switch (c) {
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'j': dumpers = atoi(optarg); break;
		case 'u': unpriv = true; break;
		case 'U': unpriv = userns = true; break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: rp-nlfuzz [-s SEED] [-n COUNT] "
				"[-j DUMPERS] [-u|-U] [-v]\n");
			return 2;
		}
	}
	if (dumpers > 16)
		dumpers = 16;
	signal(SIGPIPE, SIG_IGN);
	load_family();
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (k = 0; k < dumpers; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			return dumper(rng + k + 1);
	}
	nl = nl_open();
	for (i = 0; i < count; i++)
		one_request(&nl, i + 1);
	mnl_socket_close(nl);
	for (k = 0; k < dumpers; k++) {
		kill(pids[k], SIGTERM);
		if (waitpid(pids[k], &status, 0) > 0 && WIFEXITED(status) &&
		    WEXITSTATUS(status))
			finding("dumper %d found something (exit %d)", k,
				WEXITSTATUS(status));
	}
	printf("rp-nlfuzz: errors:");
	for (k = 1; k < (int)(sizeof(st_errno) / sizeof(*st_errno)); k++)
		if (st_errno[k])
			printf(" %s %lu", strerrorname_np(k) ?: "?", st_errno[k]);
	printf("\nrp-nlfuzz: seed %lu: %lu requests (%lu do, %lu dump, "
	       "%lu mutated, %lu closed in flight), %lu ok, %lu errors "
	       "(%lu with a message), findings %lu\n", seed, count, st_do,
	       st_dump, st_mut, st_close, st_ok, st_err, st_msg, findings);
	return findings ? 1 : 0;
}
