// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy rule: the memory-access policy.
 *
 *   rule add [id ID] [prio N] [from SEL] [to SEL] [service SVC] [qp QPS]
 *            [setup SETUP] { allow RIGHTS [reply RIGHTS | reply none] | deny }
 *   rule change id ID ... (the whole rule again)
 *   rule del id ID
 *   rule show [id ID]		(in evaluation order: as the kernel dumps)
 *   rule flush
 *
 *   SEL    := any | vm NAME | tenant ID | prefix PREFIX | PREFIX |
 *             group GROUP (a multicast prefix: "from group G to SEL" is who
 *             may join G and receive its sends, "from SEL to group G" who
 *             may send to it; such rules allow send, for UD only)
 *   SVC    := any | { tcp | udp | ib | ipoib } [PORT | PORT-PORT]
 *   QPS    := all | LIST of rc, uc, ud, xrc
 *   RIGHTS := all | LIST of send, write, read, atomic
 *   SETUP  := cm (the default: RDMA CM only) | any (also flows learned
 *             from their first data packet, for QPs set up without CM)
 *
 * "allow" grants the requester RIGHTS on the responder's memory; "reply"
 * what the responder may do to the requester (default: send, if allowed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

static int parse_sel(struct rd *rd, struct args *a, struct nlmsghdr *nlh,
		     int type, const char *what)
{
	const char *s = args_next(a, what);
	struct nlattr *nest;
	uint8_t addr[16], plen;
	uint32_t v;
	int alen;

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "any"))
		return 0;
	nest = mnl_attr_nest_start(nlh, type);
	if (!strcmp(s, "vm")) {
		s = args_next(a, "VM name");
		if (!s || cache_resolve(&rd->cache, &rd->nl, s, &v))
			return -ENOENT;
		mnl_attr_put_u8(nlh, RP_A_SEL_TYPE, RP_SEL_VM);
		mnl_attr_put_u32(nlh, RP_A_SEL_VM, v);
	} else if (!strcmp(s, "tenant")) {
		if (args_u32(a, "tenant", &v))
			return -EINVAL;
		mnl_attr_put_u8(nlh, RP_A_SEL_TYPE, RP_SEL_TENANT);
		mnl_attr_put_u32(nlh, RP_A_SEL_TENANT, v);
	} else if (!strcmp(s, "group")) {
		s = args_next(a, "group");
		if (!s)
			return -EINVAL;
		if (parse_prefix(s, addr, &alen, &plen)) {
			rp_err("%s: group \"%s\" is not a prefix", what, s);
			return -EINVAL;
		}
		mnl_attr_put_u8(nlh, RP_A_SEL_TYPE, RP_SEL_GROUP);
		put_prefix(nlh, RP_A_SEL_PREFIX, addr, alen, plen);
	} else {
		if (!strcmp(s, "prefix")) {
			s = args_next(a, "prefix");
			if (!s)
				return -EINVAL;
		}
		if (parse_prefix(s, addr, &alen, &plen)) {
			rp_err("%s: \"%s\" is not any, vm NAME, tenant ID or a prefix",
			       what, s);
			return -EINVAL;
		}
		mnl_attr_put_u8(nlh, RP_A_SEL_TYPE, RP_SEL_PREFIX);
		put_prefix(nlh, RP_A_SEL_PREFIX, addr, alen, plen);
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int parse_service(struct args *a, struct nlmsghdr *nlh)
{
	const char *s = args_next(a, "service");
	uint32_t ps, lo, hi;
	const char *p;
	char *dash;

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "any"))
		return 0;
	if (rp_name_parse(rp_port_spaces, s, &ps)) {
		rp_err("service: unknown port space \"%s\" (tcp, udp, ib, ipoib, any)",
		       s);
		return -EINVAL;
	}
	mnl_attr_put_u16(nlh, RP_A_RULE_PS, ps);
	p = args_peek(a);
	if (!p || p[0] < '0' || p[0] > '9')
		return 0;	/* the whole port space */
	args_next(a, "port");
	dash = strchr(p, '-');
	if (dash) {
		char lo_s[16];

		snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dash - p), p);
		if (parse_u32(lo_s, &lo) || parse_u32(dash + 1, &hi))
			goto bad;
	} else {
		if (parse_u32(p, &lo))
			goto bad;
		hi = lo;
	}
	if (lo > 65535 || hi > 65535) {
		rp_err("service: port out of range 0-65535: \"%s\"", p);
		return -ERANGE;
	}
	if (lo > hi) {
		rp_err("service: range \"%s\" runs backwards", p);
		return -EINVAL;
	}
	mnl_attr_put_u16(nlh, RP_A_RULE_PORT_MIN, lo);
	mnl_attr_put_u16(nlh, RP_A_RULE_PORT_MAX, hi);
	return 0;
bad:
	rp_err("service: \"%s\" is not a port or a port range", p);
	return -EINVAL;
}

/* The keywords of a rule, found by their first character */
enum rule_kw {
	RK_UNKNOWN, RK_ID, RK_PRIO, RK_FROM, RK_TO, RK_SERVICE, RK_QP,
	RK_SETUP, RK_ALLOW, RK_REPLY, RK_DENY,
};

static enum rule_kw rule_kw(const char *kw)
{
	switch (kw[0]) {
	case 'i':
		return !strcmp(kw, "id") ? RK_ID : RK_UNKNOWN;
	case 'p':
		return !strcmp(kw, "prio") || !strcmp(kw, "priority") ?
		       RK_PRIO : RK_UNKNOWN;
	case 'f':
		return !strcmp(kw, "from") ? RK_FROM : RK_UNKNOWN;
	case 't':
		return !strcmp(kw, "to") ? RK_TO : RK_UNKNOWN;
	case 's':
		if (!strcmp(kw, "service"))
			return RK_SERVICE;
		return !strcmp(kw, "setup") ? RK_SETUP : RK_UNKNOWN;
	case 'q':
		return !strcmp(kw, "qp") ? RK_QP : RK_UNKNOWN;
	case 'a':
		return !strcmp(kw, "allow") ? RK_ALLOW : RK_UNKNOWN;
	case 'r':
		return !strcmp(kw, "reply") ? RK_REPLY : RK_UNKNOWN;
	case 'd':
		return !strcmp(kw, "deny") ? RK_DENY : RK_UNKNOWN;
	}
	return RK_UNKNOWN;
}

/* Parse a rule into a RP_A_RULE nest; @need_id for change. */
int rule_parse(struct rd *rd, struct args *a, struct nlmsghdr *nlh,
	       bool need_id)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RP_A_RULE);
	bool have_id = false, have_action = false, allow = false;
	uint32_t v;
	int err;

	while (args_more(a)) {
		const char *kw = args_next(a, "keyword");
		enum rule_kw k = rule_kw(kw);

		/* the action ends a rule; only "reply" follows an "allow" */
		if (have_action && !(allow && k == RK_REPLY)) {
			rp_err("rule: \"%s\" after the action", kw);
			return -EINVAL;
		}
		if (k == RK_ID) {
			if (args_u32(a, "id", &v))
				return -EINVAL;
			if (!v) {
				rp_err("id: 0 is reserved");
				return -EINVAL;
			}
			mnl_attr_put_u32(nlh, RP_A_RULE_ID, v);
			have_id = true;
		} else if (k == RK_PRIO) {
			if (args_u32(a, "prio", &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_RULE_PRIO, v);
		} else if (k == RK_FROM) {
			err = parse_sel(rd, a, nlh, RP_A_RULE_SRC, "from");
			if (err)
				return err;
		} else if (k == RK_TO) {
			err = parse_sel(rd, a, nlh, RP_A_RULE_DST, "to");
			if (err)
				return err;
		} else if (k == RK_SERVICE) {
			err = parse_service(a, nlh);
			if (err)
				return err;
		} else if (k == RK_QP) {
			const char *s = args_next(a, "QP types");

			if (!s || rp_bits_parse("qp", s, rp_qp_types, RP_QP_ALL,
						  &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_RULE_QP_TYPES, v);
		} else if (k == RK_SETUP) {
			const char *s = args_next(a, "setup");

			if (!s)
				return -EINVAL;
			if (!strcmp(s, "cm")) {
				v = RP_SETUP_CM;
			} else if (!strcmp(s, "any")) {
				v = RP_SETUP_ANY;
			} else {
				rp_err("setup: \"%s\" is not cm or any", s);
				return -EINVAL;
			}
			mnl_attr_put_u8(nlh, RP_A_RULE_SETUP, v);
		} else if (k == RK_ALLOW) {
			const char *s = args_next(a, "rights");

			if (!s || rp_bits_parse("allow", s, rp_rights,
						RP_RIGHT_ALL, &v))
				return -EINVAL;
			mnl_attr_put_u8(nlh, RP_A_RULE_ACTION, RP_ACT_ALLOW);
			mnl_attr_put_u32(nlh, RP_A_RULE_RIGHTS, v);
			have_action = true;
			allow = true;
		} else if (k == RK_REPLY) {
			const char *s = args_next(a, "reply rights");

			if (!s)
				return -EINVAL;
			if (!strcmp(s, "none"))
				v = 0;
			else if (rp_bits_parse("reply", s, rp_rights,
					       RP_RIGHT_ALL, &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_RULE_REPLY_RIGHTS, v);
			allow = false;	/* one reply */
		} else if (k == RK_DENY) {
			mnl_attr_put_u8(nlh, RP_A_RULE_ACTION, RP_ACT_DENY);
			have_action = true;
		} else {
			rp_err("rule: unknown keyword \"%s\"", kw);
			return -EINVAL;
		}
	}
	if (!have_action) {
		rp_err("rule: missing \"allow RIGHTS\" or \"deny\"");
		return -EINVAL;
	}
	if (need_id && !have_id) {
		rp_err("rule change: missing \"id ID\"");
		return -EINVAL;
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int rule_add_change(struct rd *rd, struct args *a, bool add)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = rp_nl_msg(&rd->nl, add ? RP_CMD_RULE_NEW : RP_CMD_RULE_SET,
			NLM_F_ACK);
	err = rule_parse(rd, a, nlh, !add);
	if (err)
		return err;
	return rp_nl_write(&rd->nl, nlh);
}

static int rule_add(struct rd *rd, struct args *a)
{
	return rule_add_change(rd, a, true);
}

static int rule_change(struct rd *rd, struct args *a)
{
	return rule_add_change(rd, a, false);
}

static int rule_by_id(struct rd *rd, struct args *a, uint8_t cmd,
		      mnl_cb_t cb, void *data)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t id;

	if (!args_match(a, "id")) {
		rp_err("rule: give \"id ID\"");
		return -EINVAL;
	}
	if (args_u32(a, "id", &id))
		return -EINVAL;
	if (args_end(a, "rule"))
		return -EINVAL;
	nlh = rp_nl_msg(&rd->nl, cmd, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, RP_A_RULE);
	mnl_attr_put_u32(nlh, RP_A_RULE_ID, id);
	mnl_attr_nest_end(nlh, nest);
	return cb ? rp_nl_talk(&rd->nl, nlh, cb, data) :
		    rp_nl_write(&rd->nl, nlh);
}

static int rule_del(struct rd *rd, struct args *a)
{
	return rule_by_id(rd, a, RP_CMD_RULE_DEL, NULL, NULL);
}

static int rule_flush(struct rd *rd, struct args *a)
{
	if (args_end(a, "rule flush"))
		return -EINVAL;
	return rp_flush(rd, RP_FLUSH_RULES);
}

/* ---- show ---- */

/* A selector: text "from vm web1"; JSON "from": {"type": "vm", ...} */
static void print_sel(struct rd *rd, const char *key,
		      const struct nlattr *nest)
{
	const struct nlattr *st[RP_A_SEL_MAX + 1] = { NULL };
	struct pr *p = &rd->pr;
	char buf[64];
	uint8_t type = RP_SEL_ANY;
	uint32_t v;

	if (nest) {
		rp_nl_parse_nest(nest, st, RP_A_SEL_MAX);
		if (st[RP_A_SEL_TYPE])
			type = mnl_attr_get_u8(st[RP_A_SEL_TYPE]);
	}
	pr_nest_start(p, PR_JSON, key, NULL);
	pr_str(p, PR_TEXT, NULL, NULL, key);
	if (type == RP_SEL_VM && st[RP_A_SEL_VM]) {
		v = mnl_attr_get_u32(st[RP_A_SEL_VM]);
		pr_str(p, PR_JSON, NULL, "type", "vm");
		pr_strc(p, PR_ANY, PR_C_NAME, "vm", "vm",
			rd_vm_name(rd, v, buf, sizeof(buf)));
		pr_u64(p, PR_JSON, NULL, "vm_id", v);
	} else if (type == RP_SEL_TENANT && st[RP_A_SEL_TENANT]) {
		pr_str(p, PR_JSON, NULL, "type", "tenant");
		pr_u64(p, PR_ANY, "tenant", "tenant",
		       mnl_attr_get_u32(st[RP_A_SEL_TENANT]));
	} else if (type == RP_SEL_PREFIX && st[RP_A_SEL_PREFIX] &&
		   !get_prefix(st[RP_A_SEL_PREFIX], buf, sizeof(buf))) {
		pr_str(p, PR_JSON, NULL, "type", "prefix");
		pr_strc(p, PR_ANY, PR_C_ADDR, "prefix", "prefix", buf);
	} else if (type == RP_SEL_GROUP && st[RP_A_SEL_PREFIX] &&
		   !get_prefix(st[RP_A_SEL_PREFIX], buf, sizeof(buf))) {
		pr_str(p, PR_JSON, NULL, "type", "group");
		pr_strc(p, PR_ANY, PR_C_ADDR, "group", "group", buf);
	} else {
		pr_str(p, PR_ANY, NULL, "type", "any");
	}
	pr_nest_end(p);
}

static void print_service(struct pr *p, const struct nlattr **rt)
{
	uint16_t lo = 0, hi = 65535;
	char buf[16];

	pr_nest_start(p, PR_JSON, "service", NULL);
	pr_str(p, PR_TEXT, NULL, NULL, "service");
	if (!rt[RP_A_RULE_PS]) {
		pr_str(p, PR_ANY, NULL, "ps", "any");
		pr_nest_end(p);
		return;
	}
	if (rt[RP_A_RULE_PORT_MIN])
		lo = mnl_attr_get_u16(rt[RP_A_RULE_PORT_MIN]);
	if (rt[RP_A_RULE_PORT_MAX])
		hi = mnl_attr_get_u16(rt[RP_A_RULE_PORT_MAX]);
	pr_str(p, PR_ANY, NULL, "ps",
	       rp_name_of(rp_port_spaces, mnl_attr_get_u16(rt[RP_A_RULE_PS]),
			  "?"));
	pr_u64(p, PR_JSON, NULL, "port_min", lo);
	pr_u64(p, PR_JSON, NULL, "port_max", hi);
	/* text only: formatting it for JSON too cost 700 instructions */
	if (!p->json && (lo != 0 || hi != 65535)) {
		if (lo == hi)
			snprintf(buf, sizeof(buf), "%u", lo);
		else
			snprintf(buf, sizeof(buf), "%u-%u", lo, hi);
		pr_str(p, PR_TEXT, NULL, NULL, buf);
	}
	pr_nest_end(p);
}

/*
 * One rule: a first line in the syntax of "rule add" (which `save`
 * prints), then with -s its hits on a line of their own.
 */
static void print_rule(struct rd *rd, const struct nlattr *nest, bool save)
{
	const struct nlattr *rt[RP_A_RULE_MAX + 1];
	struct pr *p = &rd->pr;
	uint8_t action;
	uint32_t r;

	rp_nl_parse_nest(nest, rt, RP_A_RULE_MAX);
	if (!rt[RP_A_RULE_ID])
		return;
	pr_obj_start(p);
	if (save)
		pr_str(p, PR_TEXT, NULL, NULL, "rule add");
	pr_u64(p, PR_ANY, "id", "id", mnl_attr_get_u32(rt[RP_A_RULE_ID]));
	pr_u64(p, PR_ANY, "prio", "prio", rt[RP_A_RULE_PRIO] ?
	       mnl_attr_get_u32(rt[RP_A_RULE_PRIO]) : 0);
	print_sel(rd, "from", rt[RP_A_RULE_SRC]);
	print_sel(rd, "to", rt[RP_A_RULE_DST]);
	print_service(p, rt);
	if (rt[RP_A_RULE_QP_TYPES])
		pr_bits(p, PR_ANY, "qp", "qp",
			mnl_attr_get_u32(rt[RP_A_RULE_QP_TYPES]), rp_qp_types,
			RP_QP_ALL);
	/* only when not the default: older saves and JSON read the same */
	if (rt[RP_A_RULE_SETUP] &&
	    mnl_attr_get_u8(rt[RP_A_RULE_SETUP]) == RP_SETUP_ANY)
		pr_str(p, PR_ANY, "setup", "setup", "any");
	action = rt[RP_A_RULE_ACTION] ? mnl_attr_get_u8(rt[RP_A_RULE_ACTION]) :
		 RP_ACT_DENY;
	if (action == RP_ACT_ALLOW) {
		r = rt[RP_A_RULE_RIGHTS] ?
		    mnl_attr_get_u32(rt[RP_A_RULE_RIGHTS]) : 0;
		pr_str(p, PR_JSON, NULL, "action", "allow");
		pr_bits(p, PR_ANY, "allow", "rights", r, rp_rights,
			RP_RIGHT_ALL);
		if (rt[RP_A_RULE_REPLY_RIGHTS])
			pr_bits(p, PR_ANY, "reply", "reply",
				mnl_attr_get_u32(rt[RP_A_RULE_REPLY_RIGHTS]),
				rp_rights, RP_RIGHT_ALL);
	} else {
		pr_strc(p, PR_ANY, PR_C_BAD, NULL, "action", "deny");
	}
	if (rd->stats && !save && rt[RP_A_RULE_HITS]) {
		pr_nest_start(p, PR_TEXT, NULL, NULL);
		pr_ctr(p, PR_ANY, "hits", "hits",
		       mnl_attr_get_u64(rt[RP_A_RULE_HITS]));
		pr_nest_end(p);
	}
	pr_obj_end(p);
}

struct show_ctx {
	struct rd *rd;
	bool save;
};

/* Rules are printed as the kernel dumps them: in evaluation order. */
static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1];
	struct show_ctx *c = data;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (tb[RP_A_RULE])
		print_rule(c->rd, tb[RP_A_RULE], c->save);
	return MNL_CB_OK;
}

int rule_dump(struct rd *rd, bool save)
{
	struct show_ctx c = { .rd = rd, .save = save };
	struct nlmsghdr *nlh;

	nlh = rp_nl_msg(&rd->nl, RP_CMD_RULE_GET, NLM_F_DUMP);
	return rp_nl_talk(&rd->nl, nlh, show_cb, &c);
}

static int rule_show(struct rd *rd, struct args *a)
{
	struct show_ctx c = { .rd = rd };
	int err;

	/* names of VMs are looked up while printing: load them now */
	err = cache_load(&rd->cache, &rd->nl);
	if (err)
		return err;
	pr_begin(&rd->pr);
	if (args_more(a))
		err = rule_by_id(rd, a, RP_CMD_RULE_GET, show_cb, &c);
	else
		err = rule_dump(rd, false);
	pr_end(&rd->pr);
	return err;
}

static const struct kw rule_kws[] = {
	{ "id", CV_RULE }, { "prio", CV_WORD }, { "from", CV_SEL },
	{ "to", CV_SEL }, { "service", CV_SERVICE }, { "qp", CV_QP },
	{ "setup", CV_SETUP }, { "allow", CV_RIGHTS }, { "reply", CV_REPLY },
	{ "deny", CV_NONE },
	{ NULL, CV_NONE },
};

static const struct kw rule_id_kws[] = {
	{ "id", CV_RULE }, { NULL, CV_NONE },
};

#define RULE_SYNTAX "[prio N] [from SEL] [to SEL] [service SVC] [qp QPS] " \
		    "[setup cm|any] { allow RIGHTS [reply RIGHTS|none] | deny }"

const struct cmd rule_cmds[] = {
	{ "show", rule_show, "[id ID]",
	  "show rules in evaluation order (with -s: their hits)",
	  .kws = rule_id_kws },
	{ "add", rule_add, "[id ID] " RULE_SYNTAX, "add a rule",
	  CMD_F_WRITE, .kws = rule_kws },
	{ "change", rule_change, "id ID " RULE_SYNTAX,
	  "replace a rule (the whole rule again)", CMD_F_WRITE,
	  .kws = rule_kws },
	{ "del", rule_del, "id ID", "delete a rule",
	  CMD_F_EXACT | CMD_F_WRITE,
	  .kws = rule_id_kws },
	{ "flush", rule_flush, "", "delete all rules", CMD_F_EXACT },
	{ "list", rule_show, "", "", CMD_F_EXACT | CMD_F_HIDDEN,
	  .kws = rule_id_kws },
	{ "set", rule_change, "", "", CMD_F_EXACT | CMD_F_HIDDEN | CMD_F_WRITE,
	  .kws = rule_kws },
	{ "delete", rule_del, "", "", CMD_F_EXACT | CMD_F_HIDDEN | CMD_F_WRITE,
	  .kws = rule_id_kws },
	{ NULL },
};

const char rule_notes[] =
	"SEL := any | vm NAME | tenant ID | [prefix] PREFIX | group GROUP\n"
	"from group GROUP: who may join it; to group GROUP: who may send to it\n"
	"SVC := any | { tcp | udp | ib | ipoib } [PORT | PORT-PORT]\n"
	"QPS := all | LIST of rc, uc, ud, xrc\n"
	"RIGHTS := all | LIST of send, write, read, atomic\n"
	"allow grants the requester RIGHTS on the responder's memory; reply,\n"
	"the responder's on the requester's (default: send, if allowed).\n";
