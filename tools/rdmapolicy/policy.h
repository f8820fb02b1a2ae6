/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The client-side attribute policy of the kernel's replies: what type and
 * length every attribute the tool reads must have.  A reply is checked
 * whole (nests included) before any printer sees it, so printers may read
 * attributes without checking their lengths.  A leaf.
 */
#ifndef RP_TOOL_POLICY_H
#define RP_TOOL_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

enum rp_pol_type {
	RP_PT_ANY,	/* unchecked (unknown to this version) */
	RP_PT_U8,
	RP_PT_U16,
	RP_PT_U32,
	RP_PT_U64,
	RP_PT_FLAG,
	RP_PT_STR,	/* NUL-terminated, at most max_len bytes with the NUL */
	RP_PT_BIN,	/* exactly max_len bytes */
	RP_PT_ADDR,	/* 4 or 16 bytes */
	RP_PT_NEST,
};

struct rp_policy;

struct rp_pol {
	uint8_t type;
	uint16_t max_len;
	const char *name;
	const struct rp_policy *nest;
};

struct rp_policy {
	int max;
	const struct rp_pol *attrs;
};

/* The top-level attributes of every rdmapolicy message. */
extern const struct rp_policy rp_msg_policy;
/* The generic netlink controller's, for family resolution. */
extern const struct rp_policy rp_ctrl_policy;

/*
 * 0 if the attributes of @nlh after @hdrlen bytes follow @pol; else
 * -EBADMSG, with @err describing the first fault.
 */
int rp_validate_msg(const struct nlmsghdr *nlh, size_t hdrlen,
		    const struct rp_policy *pol, char *err, size_t errlen);

#endif
