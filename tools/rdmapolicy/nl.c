// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing: family resolution (which also makes the kernel
 * load rdmapolicy.ko on demand), request/reply with extended ACK error
 * messages, replies validated against the client-side policy, multicast
 * subscription, and offline sockets answering from recorded replies.
 */
#define _GNU_SOURCE	/* recvmmsg() */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rdmapolicy.h>

#include "nl.h"
#include "policy.h"
#include "utils.h"

#define OFFLINE_FAMILY	0x7f00	/* any id the kernel would not pick */

struct tb_ctx {
	const struct nlattr **tb;
	int max;
};

static int tb_cb(const struct nlattr *attr, void *data)
{
	struct tb_ctx *c = data;
	int type = mnl_attr_get_type(attr);

	if (type <= c->max)
		c->tb[type] = attr;
	return MNL_CB_OK;
}

/*
 * What mnl_attr_parse_nested() with tb_cb() does (the same walk, ending
 * at the first attribute that does not fit), without a call per
 * attribute: a dump of 100k rules parses ~300k nests.
 */
void rp_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		      int max)
{
	const struct nlattr *a = mnl_attr_get_payload(nest);
	int len = mnl_attr_get_payload_len(nest), type;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       (int)a->nla_len <= len) {
		type = a->nla_type & NLA_TYPE_MASK;
		if (type <= max)
			tb[type] = a;
		len -= MNL_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + MNL_ALIGN(a->nla_len));
	}
}

void rp_nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		     int max)
{
	struct tb_ctx c = { tb, max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	mnl_attr_parse(nlh, GENL_HDRLEN, tb_cb, &c);
}

static struct nlmsghdr *msg_start(struct rp_nl *nl, void *buf, uint16_t type,
				  uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

struct nlmsghdr *rp_nl_msg_in(struct rp_nl *nl, void *buf, uint8_t cmd,
			      uint16_t flags)
{
	return msg_start(nl, buf, nl->family, cmd, RDMAPOLICY_GENL_VERSION,
			 flags);
}

struct nlmsghdr *rp_nl_msg(struct rp_nl *nl, uint8_t cmd, uint16_t flags)
{
	return rp_nl_msg_in(nl, nl->req, cmd, flags);
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *grp;
	struct rp_nl *nl = data;

	rp_nl_parse_msg(nlh, tb, CTRL_ATTR_MAX);
	if (tb[CTRL_ATTR_FAMILY_ID])
		nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1];

		rp_nl_parse_nest(grp, g, CTRL_ATTR_MCAST_GRP_MAX);
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]),
			    RDMAPOLICY_MCGRP_EVENTS))
			nl->events_group =
				mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

int rp_nl_open(struct rp_nl *nl)
{
	struct nlmsghdr *nlh;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->seq = time(NULL);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		rp_err("cannot open a generic netlink socket: %s",
		       strerror(errno));
		return -errno;
	}
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		rp_err("cannot bind the netlink socket: %s", strerror(errno));
		return -errno;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);

	nlh = msg_start(nl, nl->req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
			NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, RDMAPOLICY_GENL_NAME);
	nl->quiet = 1;
	err = rp_nl_talk(nl, nlh, family_cb, nl);
	nl->quiet = 0;
	if (err == -ENOENT)
		rp_err("the rdmapolicy kernel module is not loaded and could not be loaded (modprobe rdmapolicy)");
	else if (err)
		rp_err("cannot resolve the rdmapolicy netlink family: %s",
		       strerror(-err));
	return err;
}

void rp_nl_open_offline(struct rp_nl *nl, const char *replay, size_t len)
{
	memset(nl, 0, sizeof(*nl));
	nl->offline = true;
	nl->family = OFFLINE_FAMILY;
	nl->events_group = 1;
	nl->replay = replay;
	nl->replay_len = len;
}

void rp_nl_close(struct rp_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct talk {
	mnl_cb_t cb;
	void *data;
	int err;
	int quiet;
	const struct rp_policy *policy;
	char *msg;		/* a kernel error goes here, not rp_err() */
	size_t msglen;
};

/* A reply: checked against the policy, then to the caller's callback. */
static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	char why[256];
	int ret;

	if (rp_validate_msg(nlh, GENL_HDRLEN, t->policy, why, sizeof(why))) {
		rp_err("malformed reply from the kernel: %s", why);
		t->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!t->cb)
		return MNL_CB_OK;
	ret = t->cb(nlh, t->data);
	if (ret == MNL_CB_ERROR && !t->err)
		t->err = -EBADMSG;
	return ret;
}

/* An ACK (error 0) ends a request; an error prints the kernel's extack. */
/* A kernel error is a negative errno, -MAX_ERRNO (4095) at the most. */
static bool rp_nl_errno_ok(int err)
{
	return err < 0 && err >= -4095;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	const char *msg = NULL;
	struct talk *t = data;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		rp_err("malformed reply from the kernel: a short error message");
		t->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	if (!rp_nl_errno_ok(e->error)) {
		rp_err("malformed reply from the kernel: error %d", e->error);
		t->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	t->err = e->error;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		unsigned int off = sizeof(*e);

		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		if (off <= mnl_nlmsg_get_payload_len(nlh))
			mnl_attr_for_each(attr, nlh, off)
				if (mnl_attr_get_type(attr) ==
				    NLMSGERR_ATTR_MSG &&
				    mnl_attr_validate(attr,
						      MNL_TYPE_NUL_STRING) >= 0)
					msg = mnl_attr_get_str(attr);
	}
	if (t->quiet)
		return MNL_CB_ERROR;
	if (t->msg && msg)
		snprintf(t->msg, t->msglen, "%s (%s)", msg,
			 strerror(-e->error));
	else if (t->msg)
		snprintf(t->msg, t->msglen, "%s", strerror(-e->error));
	else if (msg)
		rp_err("%s (%s)", msg, strerror(-e->error));
	else
		rp_err("%s", strerror(-e->error));
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		if (err < 0 && !rp_nl_errno_ok(err)) {
			rp_err("malformed reply from the kernel: dump error %d",
			       err);
			t->err = -EBADMSG;
			return MNL_CB_ERROR;
		}
		if (err < 0) {
			t->err = err;
			rp_err("dump failed: %s", strerror(-err));
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_OK;
}

/*
 * The next recorded reply: its messages up to a DONE or an ERROR; -1 if
 * a message in it is cut short.
 */
static ssize_t replay_next(struct rp_nl *nl, const char **start)
{
	size_t left = nl->replay_len - nl->replay_off, n = 0;
	const struct nlmsghdr *nlh;

	if (nl->replay_off >= nl->replay_len)
		return 0;
	*start = nl->replay + nl->replay_off;
	/* not mnl_nlmsg_ok(): it takes a length over INT_MAX for negative */
	while (left - n >= sizeof(*nlh)) {
		nlh = (const void *)(*start + n);
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > left - n)
			break;
		n += MNL_ALIGN(nlh->nlmsg_len);
		if (nlh->nlmsg_type == NLMSG_DONE ||
		    nlh->nlmsg_type == NLMSG_ERROR || n >= left)
			break;
	}
	if (n > left)
		n = left;	/* the last one, unpadded */
	if (!n || (n < left && left - n < sizeof(*nlh))) {
		nl->replay_off = nl->replay_len;
		return -1;
	}
	nl->replay_off += n;
	return n;
}

static int offline_talk(struct rp_nl *nl, mnl_cb_t *ctl, struct talk *t)
{
	const char *start;
	ssize_t n = replay_next(nl, &start);
	int ret;

	if (n < 0) {
		rp_err("malformed reply from the kernel: a message cut short");
		return -EBADMSG;
	}
	if (!n)
		return 0;	/* out of replies: an ACK */
	ret = mnl_cb_run2(start, n, 0, 0, data_cb, t, ctl, NLMSG_MIN_TYPE);
	if (ret < 0 && !t->err) {
		rp_err("malformed reply from the kernel: %s", strerror(errno));
		t->err = -EBADMSG;
	}
	return t->err;
}

/* Whether @n bytes at @buf end dump @seq (its DONE, or an ERROR). */
static bool rp_nl_dump_ends(const void *buf, ssize_t n, uint32_t seq)
{
	const struct nlmsghdr *h = buf;
	int len = n;

	for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len))
		if (h->nlmsg_seq == seq && (h->nlmsg_type == NLMSG_DONE ||
					    h->nlmsg_type == NLMSG_ERROR))
			return true;
	return false;
}

/* Drop the rest of dump @seq; the last @n bytes received are in nl->buf. */
static void rp_nl_drain(struct rp_nl *nl, uint32_t seq, ssize_t n)
{
	while (n > 0 && !rp_nl_dump_ends(nl->buf, n, seq))
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
}

int rp_nl_talk(struct rp_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_NOOP] = noop_cb,
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
		[NLMSG_OVERRUN] = noop_cb,
	};
	struct talk t = {
		.cb = cb, .data = data, .quiet = nl->quiet,
		.policy = nlh->nlmsg_type == GENL_ID_CTRL ? &rp_ctrl_policy :
			  &rp_msg_policy,
	};
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (nl->pipe && nl->pipe->n) {
		/* the request may depend on those queued: they go first */
		ret = rp_nl_pipe_flush(nl);
		if (ret)
			return ret;
	}
	if (nl->offline)
		return offline_talk(nl, ctl, &t);
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		rp_err("netlink send: %s", strerror(errno));
		return -errno;
	}
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			rp_err("netlink receive: %s", strerror(errno));
			return -errno;
		}
		ret = mnl_cb_run2(nl->buf, n, seq, nl->portid, data_cb, &t,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > 0);
	/*
	 * libmnl stops at a part flagged NLM_F_DUMP_INTR: read the rest of
	 * the dump away (until then the kernel keeps it, and a reference on
	 * its module), then say so
	 */
	if (ret < 0 && !t.err && errno == EINTR) {
		rp_nl_drain(nl, seq, n);
		if (!nl->quiet)
			rp_err("dump interrupted by a configuration change: run it again");
		t.err = -EINTR;
	}
	if (ret < 0 && !t.err) {
		rp_err("malformed reply from the kernel: %s", strerror(errno));
		t.err = -EBADMSG;
	}
	return t.err;
}

/* ---- pipelined writes ---- */

/* The guard every queued request but a window's first ends with. */
#define GUARD_LEN	(MNL_ATTR_HDRLEN + MNL_ALIGN(sizeof(uint32_t)))

void rp_nl_pipe_start(struct rp_nl *nl, struct rp_nl_pipe *p)
{
	int fd, sz = 8 << 20, rcv = 0;
	socklen_t len = sizeof(rcv);

	memset(p, 0, sizeof(*p));
	if (nl->offline)
		return;
	/*
	 * The kernel answers a whole window before the first ACK is read:
	 * they must all fit the receive buffer, or some are dropped.  An
	 * error ACK with its extack takes up to ~2 KiB of it (truesize).
	 */
	fd = mnl_socket_get_fd(nl->sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, &len);
	p->max = rcv / 2048;
	if (p->max > RP_NL_PIPE_MAX)
		p->max = RP_NL_PIPE_MAX;
	if (p->max < 2)
		return;		/* nothing to gain */
	p->rbuf = malloc(RP_NL_PIPE_RECV * RP_NL_PIPE_ACK);
	p->ent = calloc(p->max, sizeof(*p->ent));
	p->cap = 64 << 10;
	p->buf = malloc(p->cap);
	if (!p->rbuf || !p->ent || !p->buf)
		abort();
	nl->pipe = p;
}

int rp_nl_write(struct rp_nl *nl, struct nlmsghdr *nlh)
{
	struct rp_nl_pipe *p = nl->pipe;
	struct nlmsghdr *q;
	size_t need;

	if (!p)
		return rp_nl_talk(nl, nlh, NULL, NULL);
	need = MNL_ALIGN(nlh->nlmsg_len) + GUARD_LEN;
	if (p->len + need > p->cap) {
		p->cap = 2 * (p->len + need);
		p->buf = realloc(p->buf, p->cap);
		if (!p->buf)
			abort();
	}
	q = (void *)(p->buf + p->len);
	memset(q, 0, need);
	memcpy(q, nlh, nlh->nlmsg_len);
	/* answered only if it fails; the window's last always (flush) */
	q->nlmsg_flags &= ~NLM_F_ACK;
	if (p->n)	/* applies only after the one before it */
		mnl_attr_put_u32(q, RP_A_IF_LAST_SEQ, p->ent[p->n - 1].seq);
	p->ent[p->n].off = p->len;
	p->ent[p->n].seq = q->nlmsg_seq;
	p->ent[p->n].line = p->line;
	p->n++;
	p->len += MNL_ALIGN(q->nlmsg_len);
	if (p->n == p->max || p->len >= (48 << 10))
		return rp_nl_pipe_flush(nl);
	return 0;
}

/*
 * The answers of requests @i.. of @p, sent: the index of the first that
 * failed (the error reported, @p->failed_line set; *@err its errno) or
 * was refused only because another writer came between (ESTALE, reported
 * by nothing), else @p->n.  Only a failing request and the window's last
 * are answered (the others have no NLM_F_ACK): the kernel answers in
 * order, so the requests before an answer that got none took effect, and
 * the last one's answer ends the window.
 */
static int pipe_acks(struct rp_nl *nl, struct rp_nl_pipe *p, int i, int *err)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = error_cb };
	struct mmsghdr mm[RP_NL_PIPE_RECV];
	struct iovec iov[RP_NL_PIPE_RECV];
	int fd = mnl_socket_get_fd(nl->sock), j = i, stop = p->n, k, m, n;

	for (k = 0; k < RP_NL_PIPE_RECV; k++) {
		iov[k].iov_base = p->rbuf + k * RP_NL_PIPE_ACK;
		iov[k].iov_len = RP_NL_PIPE_ACK;
	}
	while (j < p->n) {
		memset(mm, 0, sizeof(mm));
		for (k = 0; k < RP_NL_PIPE_RECV; k++) {
			mm[k].msg_hdr.msg_iov = &iov[k];
			mm[k].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, mm, RP_NL_PIPE_RECV, MSG_WAITFORONE, NULL);
		if (n < 0) {
			/* ENOBUFS: ACKs dropped, what was applied is unknown */
			*err = -errno;
			snprintf(p->msg, sizeof(p->msg),
				 "netlink receive: %s (lines %d to %d may have been applied)",
				 strerror(errno), p->ent[j].line,
				 p->ent[p->n - 1].line);
			p->failed_line = p->ent[j].line;
			return j;
		}
		for (k = 0; k < n && j < p->n; k++) {
			const struct nlmsghdr *h = iov[k].iov_base;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			size_t got = mm[k].msg_len;
			struct talk t = { .msg = p->msg,
					  .msglen = sizeof(p->msg) };

			if (got < sizeof(*h) + sizeof(*e) ||
			    h->nlmsg_type != NLMSG_ERROR)
				continue;	/* not an ACK of ours */
			/* its request: sequence numbers grow along @p */
			for (m = j; m < p->n; m++)
				if (h->nlmsg_seq == p->ent[m].seq)
					break;
			if (m == p->n)
				continue;	/* not an ACK of ours */
			if (stop == p->n)	/* those unanswered: applied */
				p->applied += m - j;
			j = m;
			if (stop < p->n || !e->error) {
				if (stop == p->n)
					p->applied++;
				j++;
				continue;
			}
			stop = j++;
			if (e->error == -ESTALE && stop > i)
				continue;	/* another writer: resent */
			if (h->nlmsg_len > got)	/* cut short: errno only */
				snprintf(p->msg, sizeof(p->msg), "%s",
					 strerror(-e->error));
			else
				mnl_cb_run2(h, h->nlmsg_len, 0, 0, NULL, &t,
					    ctl, NLMSG_MIN_TYPE);
			*err = t.err ? t.err : e->error;
			p->failed_line = p->ent[stop].line;
		}
	}
	return stop;
}

int rp_nl_pipe_flush(struct rp_nl *nl)
{
	struct rp_nl_pipe *p = nl->pipe;
	struct nlmsghdr *last;
	int i = 0, err = 0;

	if (!p || !p->n)
		return 0;
	while (i < p->n && !err) {
		char *start = p->buf + p->ent[i].off;

		if (i) {
			/*
			 * Refused because another writer came between: its
			 * guard names a request that did take effect, but
			 * not as the last change.  Sent again from there,
			 * that one without its guard (the last attribute).
			 */
			struct nlmsghdr *h = (void *)start;

			h->nlmsg_len -= GUARD_LEN;
			memmove(start + GUARD_LEN, start, h->nlmsg_len);
			p->ent[i].off += GUARD_LEN;
			start += GUARD_LEN;
			p->resent++;
		}
		last = (void *)(p->buf + p->ent[p->n - 1].off);
		last->nlmsg_flags |= NLM_F_ACK;
		if (mnl_socket_sendto(nl->sock, start,
				      p->buf + p->len - start) < 0) {
			err = -errno;
			snprintf(p->msg, sizeof(p->msg), "netlink send: %s",
				 strerror(errno));
			p->failed_line = p->ent[i].line;
			break;
		}
		i = pipe_acks(nl, p, i, &err);
	}
	p->n = 0;
	p->len = 0;
	return err;
}

int rp_nl_pipe_end(struct rp_nl *nl)
{
	struct rp_nl_pipe *p = nl->pipe;
	int err = rp_nl_pipe_flush(nl);

	nl->pipe = NULL;
	if (p) {
		free(p->buf);
		free(p->ent);
		free(p->rbuf);
		p->buf = NULL;
		p->ent = NULL;
		p->rbuf = NULL;
	}
	return err;
}

int rp_nl_subscribe(struct rp_nl *nl)
{
	int grp = nl->events_group, fd, sz = 8 << 20;

	if (!grp) {
		rp_err("the kernel offers no events group");
		return -ENOENT;
	}
	if (nl->offline)
		return 0;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		rp_err("cannot join the events group: %s", strerror(errno));
		return -errno;
	}
	/*
	 * Room for bursts (a batch file of a thousand lines is a thousand
	 * events): SO_RCVBUFFORCE with CAP_NET_ADMIN, else as much as
	 * net.core.rmem_max allows.  An overrun is still reported.
	 */
	fd = mnl_socket_get_fd(nl->sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return 0;
}

int rp_nl_listen(struct rp_nl *nl, mnl_cb_t cb, void *data)
{
	struct talk t = { .cb = cb, .data = data, .policy = &rp_msg_policy };
	ssize_t n;
	int ret;

	if (nl->offline) {
		const char *start;

		while ((n = replay_next(nl, &start)) > 0)
			if (mnl_cb_run(start, n, 0, 0, data_cb, &t) < 0)
				return -EBADMSG;
		if (n < 0)
			rp_err("malformed event: a message cut short");
		return n < 0 ? -EBADMSG : 0;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			if (errno == ENOBUFS) {
				rp_err("events lost: receive buffer overrun");
				continue;
			}
			return -errno;
		}
		ret = mnl_cb_run(nl->buf, n, 0, 0, data_cb, &t);
		if (ret < 0)
			return t.err ? t.err : -EBADMSG;
	}
}
