// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing: family resolution (which also makes the kernel
 * load rdmapolicy.ko on demand), request/reply with extended ACK error
 * messages, replies validated against the client-side policy, multicast
 * subscription, and offline sockets answering from recorded replies.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
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

void rp_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		      int max)
{
	struct tb_ctx c = { tb, max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	mnl_attr_parse_nested(nest, tb_cb, &c);
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
	if (msg)
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
