/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink plumbing of the rdmapolicy tool, on libmnl.  Every
 * reply is checked against the client-side policy (policy.h) before a
 * callback sees it.  A socket can also be "offline": it sends nothing and
 * answers requests from a buffer of recorded replies (the hidden --replay
 * option, and the fuzzer), one reply (up to a DONE or an ERROR message)
 * per request.
 */
#ifndef RP_TOOL_NL_H
#define RP_TOOL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#define RP_NL_BUFSZ 32768

/*
 * Pipelined writes (-b): requests queued and sent a window at a time,
 * their ACKs read after.  Every request but a window's first names the
 * one before it (RP_A_IF_LAST_SEQ), so the kernel applies them up to the
 * first that fails and none after it.
 */
struct rp_nl_pipe {
	char *buf;		/* the queued requests, back to back */
	size_t len, cap;
	struct rp_nl_pipe_ent {
		size_t off;	/* of its request in buf */
		uint32_t seq;
		int line;	/* of the batch file */
	} *ent;
	int n, max;		/* queued; at most (the window) */
	int line;		/* the batch line being run */
	int failed_line;	/* whose request failed, 0: none */
	char msg[512];		/* and why (not printed) */
	unsigned long applied, resent;
	char *rbuf;		/* ACKs, RP_NL_PIPE_RECV of RP_NL_PIPE_ACK */
};

#define RP_NL_PIPE_MAX	256	/* requests in flight, at most */
#define RP_NL_PIPE_RECV	32	/* ACKs read by one recvmmsg() */
#define RP_NL_PIPE_ACK	4096	/* room for an ACK with its extack */

struct rp_nl {
	struct mnl_socket *sock;	/* NULL when offline */
	struct rp_nl_pipe *pipe;	/* writes pipelined, NULL: not */
	uint16_t family;
	uint32_t events_group;	/* multicast group id, 0 if unknown */
	uint32_t seq;
	uint32_t portid;
	int quiet;		/* do not print kernel errors */
	/* offline: the replies, and how far they have been used */
	const char *replay;
	size_t replay_len, replay_off;
	bool offline;
	char buf[RP_NL_BUFSZ] __attribute__((aligned(8)));	/* replies */
	char req[RP_NL_BUFSZ] __attribute__((aligned(8)));	/* the request */
};

int rp_nl_open(struct rp_nl *nl);
/* offline, answering from @len bytes at @replay (kept by the caller) */
void rp_nl_open_offline(struct rp_nl *nl, const char *replay, size_t len);
void rp_nl_close(struct rp_nl *nl);
/* A request in nl->req, or in @buf (of at least RP_NL_BUFSZ bytes) */
struct nlmsghdr *rp_nl_msg(struct rp_nl *nl, uint8_t cmd, uint16_t flags);
struct nlmsghdr *rp_nl_msg_in(struct rp_nl *nl, void *buf, uint8_t cmd,
			      uint16_t flags);
/*
 * Send @nlh and process replies with @cb; returns 0 or -errno (reported).
 * A callback returning MNL_CB_ERROR fails the request with -EBADMSG.
 */
int rp_nl_talk(struct rp_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data);
/*
 * A write (VM or rule new/set/del): sent with rp_nl_talk(), or queued
 * while nl->pipe is set (0: queued; the window may have been sent and
 * failed).  Any other request sends the queue first and fails if it did.
 */
int rp_nl_write(struct rp_nl *nl, struct nlmsghdr *nlh);
/*
 * Pipeline writes into @p (a no-op offline); flush sends what is queued
 * and reads its ACKs (on an error, @p->failed_line says whose and
 * @p->msg why, which is not printed: the caller says it in order); end
 * flushes and stops pipelining.
 */
void rp_nl_pipe_start(struct rp_nl *nl, struct rp_nl_pipe *p);
int rp_nl_pipe_flush(struct rp_nl *nl);
int rp_nl_pipe_end(struct rp_nl *nl);
int rp_nl_subscribe(struct rp_nl *nl);
/* events to @cb until an error (offline: until the replies run out) */
int rp_nl_listen(struct rp_nl *nl, mnl_cb_t cb, void *data);

/*
 * Attribute table of a nest or a message, indexed by type.  Replies are
 * validated before callbacks see them: these cannot fail on them.
 */
void rp_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		      int max);
void rp_nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		     int max);

#endif
