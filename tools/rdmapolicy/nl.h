/* SPDX-License-Identifier: GPL-2.0 */
/* Generic netlink plumbing of the rdmapolicy tool, on libmnl. */
#ifndef RP_TOOL_NL_H
#define RP_TOOL_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#define RP_NL_BUFSZ 32768

struct rp_nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t events_group;	/* multicast group id, 0 if unknown */
	uint32_t seq;
	uint32_t portid;
	int quiet;		/* do not print kernel errors */
	char buf[RP_NL_BUFSZ];	/* replies */
	char req[RP_NL_BUFSZ];	/* the request being built */
};

int rp_nl_open(struct rp_nl *nl);
void rp_nl_close(struct rp_nl *nl);
/* A request in nl->req, or in @buf (of at least RP_NL_BUFSZ bytes) */
struct nlmsghdr *rp_nl_msg(struct rp_nl *nl, uint8_t cmd, uint16_t flags);
struct nlmsghdr *rp_nl_msg_in(struct rp_nl *nl, void *buf, uint8_t cmd,
			      uint16_t flags);
/* Send @nlh and process replies with @cb; returns 0 or -errno (reported). */
int rp_nl_talk(struct rp_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data);
int rp_nl_subscribe(struct rp_nl *nl);
int rp_nl_listen(struct rp_nl *nl, mnl_cb_t cb, void *data);

/* Attribute table of a nest or a message, indexed by type. */
int rp_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		     int max);
int rp_nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    int max);

#endif
