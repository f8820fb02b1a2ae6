// SPDX-License-Identifier: GPL-2.0
/* The attribute policy of replies; see policy.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/rdmapolicy.h>

#include "policy.h"

/* an attribute's entry, at its index: of type t, at most len, a nest */
#define P(attr, t)	[(attr)] = { .type = RP_PT_##t, .name = #attr }
#define PL(attr, t, len) [(attr)] = { .type = RP_PT_##t, .max_len = (len), \
				      .name = #attr }
#define PN(attr, pol)	[(attr)] = { .type = RP_PT_NEST, .name = #attr, \
				     .nest = &(pol) }

static const struct rp_pol prefix_attrs[RP_A_PREFIX_MAX + 1] = {
	P(RP_A_PREFIX_ADDR, ADDR),
	P(RP_A_PREFIX_LEN, U8),
};

static const struct rp_policy prefix_policy = { RP_A_PREFIX_MAX, prefix_attrs };

static const struct rp_pol vm_stats_attrs[RP_A_VM_STATS_MAX + 1] = {
	P(RP_A_VM_STATS_ALLOWED, U64),
	P(RP_A_VM_STATS_DENIED, U64),
	P(RP_A_VM_STATS_CONNS, U32),
};

static const struct rp_policy vm_stats_policy = { RP_A_VM_STATS_MAX, vm_stats_attrs };

static const struct rp_pol vm_attrs[RP_A_VM_MAX + 1] = {
	P(RP_A_VM_ID, U32),
	PL(RP_A_VM_NAME, STR, RP_NAME_LEN),
	P(RP_A_VM_TENANT, U32),
	P(RP_A_VM_REMOTE, FLAG),
	PL(RP_A_VM_PORT, STR, 16),
	PL(RP_A_VM_MAC, BIN, 6),
	PN(RP_A_VM_ADDR, prefix_policy),
	P(RP_A_VM_MAX_CONNS, U32),
	P(RP_A_VM_SETUP_RATE, U32),
	PN(RP_A_VM_STATS, vm_stats_policy),
};

static const struct rp_policy vm_policy = { RP_A_VM_MAX, vm_attrs };

static const struct rp_pol sel_attrs[RP_A_SEL_MAX + 1] = {
	P(RP_A_SEL_TYPE, U8),
	P(RP_A_SEL_VM, U32),
	P(RP_A_SEL_TENANT, U32),
	PN(RP_A_SEL_PREFIX, prefix_policy),
};

static const struct rp_policy sel_policy = { RP_A_SEL_MAX, sel_attrs };

static const struct rp_pol rule_attrs[RP_A_RULE_MAX + 1] = {
	P(RP_A_RULE_ID, U32),
	P(RP_A_RULE_PRIO, U32),
	PN(RP_A_RULE_SRC, sel_policy),
	PN(RP_A_RULE_DST, sel_policy),
	P(RP_A_RULE_PS, U16),
	P(RP_A_RULE_PORT_MIN, U16),
	P(RP_A_RULE_PORT_MAX, U16),
	P(RP_A_RULE_QP_TYPES, U32),
	P(RP_A_RULE_ACTION, U8),
	P(RP_A_RULE_RIGHTS, U32),
	P(RP_A_RULE_HITS, U64),
	P(RP_A_RULE_REPLY_RIGHTS, U32),
	P(RP_A_RULE_SETUP, U8),
};

static const struct rp_policy rule_policy = { RP_A_RULE_MAX, rule_attrs };

static const struct rp_pol stats_attrs[RP_A_STATS_MAX + 1] = {
	P(RP_A_STATS_VMS, U32),
	P(RP_A_STATS_RULES, U32),
	P(RP_A_STATS_GENERATION, U32),
	P(RP_A_STATS_CONNS, U32),
#define RP_EXC_CTR(id, ...)	P(RP_A_STATS_##id, U64),
#include <rdmapolicy/exc_ctrs.h>
#undef RP_EXC_CTR
};

static const struct rp_policy stats_policy = { RP_A_STATS_MAX, stats_attrs };

static const struct rp_pol event_attrs[RP_A_EVENT_MAX + 1] = {
	P(RP_A_EVENT_TYPE, U8),
	P(RP_A_EVENT_VM_ID, U32),
	P(RP_A_EVENT_RULE_ID, U32),
	PL(RP_A_EVENT_REASON, STR, 256),
	P(RP_A_EVENT_TENANT, U32),
};

static const struct rp_policy event_policy = { RP_A_EVENT_MAX, event_attrs };

static const struct rp_pol conn_attrs[RP_A_CONN_MAX + 1] = {
	P(RP_A_CONN_ID, U32),
	P(RP_A_CONN_STATE, U8),
	P(RP_A_CONN_REQ_VM, U32),
	P(RP_A_CONN_REP_VM, U32),
	P(RP_A_CONN_REQ_ADDR, ADDR),
	P(RP_A_CONN_REP_ADDR, ADDR),
	P(RP_A_CONN_REQ_QPN, U32),
	P(RP_A_CONN_REP_QPN, U32),
	P(RP_A_CONN_REQ_PSN, U32),
	P(RP_A_CONN_REP_PSN, U32),
	P(RP_A_CONN_PS, U16),
	P(RP_A_CONN_PORT, U16),
	P(RP_A_CONN_QP_TYPE, U32),
	P(RP_A_CONN_RIGHTS, U32),
	P(RP_A_CONN_RULE_ID, U32),
	P(RP_A_CONN_AGE, U32),
	P(RP_A_CONN_INSTALLED, FLAG),
	P(RP_A_CONN_REQ_PSN_SEEN, U32),
	P(RP_A_CONN_REP_PSN_SEEN, U32),
	P(RP_A_CONN_REPLY_RIGHTS, U32),
	P(RP_A_CONN_SETUP, U8),
	P(RP_A_CONN_TENANT, U32),
};

static const struct rp_policy conn_policy = { RP_A_CONN_MAX, conn_attrs };

static const struct rp_pol nic_ctr_attrs[RP_A_NIC_CTR_MAX + 1] = {
#define RP_NIC_CTR(id, ...)	P(RP_A_NIC_CTR_##id, U64),
#include <rdmapolicy/nic_ctrs.h>
#undef RP_NIC_CTR
};

static const struct rp_policy nic_ctr_policy = { RP_A_NIC_CTR_MAX, nic_ctr_attrs };

static const struct rp_pol nic_port_attrs[RP_A_NIC_PORT_MAX + 1] = {
	P(RP_A_NIC_PORT_IFINDEX, U32),
	PL(RP_A_NIC_PORT_IFNAME, STR, 16),
	PN(RP_A_NIC_PORT_FROM_VM, nic_ctr_policy),
	PN(RP_A_NIC_PORT_TO_VM, nic_ctr_policy),
	P(RP_A_NIC_PORT_TENANT, U32),
	P(RP_A_NIC_PORT_OVERLAY, FLAG),
};

static const struct rp_policy nic_port_policy = { RP_A_NIC_PORT_MAX, nic_port_attrs };

static const struct rp_pol nic_attrs[RP_A_NIC_MAX + 1] = {
	PL(RP_A_NIC_NAME, STR, 64),
	P(RP_A_NIC_CAPS, U32),
	P(RP_A_NIC_PSN_WINDOW, U32),
	P(RP_A_NIC_CONNS, U32),
	P(RP_A_NIC_MAX_CONNS, U32),
	PN(RP_A_NIC_PORT, nic_port_policy),
};

static const struct rp_policy nic_policy = { RP_A_NIC_MAX, nic_attrs };

static const struct rp_pol group_attrs[RP_A_GROUP_MAX + 1] = {
	P(RP_A_GROUP_KIND, U8),
	P(RP_A_GROUP_GROUP, ADDR),
	P(RP_A_GROUP_VM_ID, U32),
	P(RP_A_GROUP_TENANT, U32),
	P(RP_A_GROUP_ADDR, ADDR),
	P(RP_A_GROUP_IFINDEX, U32),
	P(RP_A_GROUP_ALLOWED, FLAG),
	P(RP_A_GROUP_RULE_ID, U32),
	P(RP_A_GROUP_AGE, U32),
};

static const struct rp_policy group_policy = { RP_A_GROUP_MAX, group_attrs };

static const struct rp_pol msg_attrs[RP_A_MAX + 1] = {
	PN(RP_A_VM, vm_policy),
	PN(RP_A_RULE, rule_policy),
	P(RP_A_FLUSH, U32),
	PN(RP_A_STATS, stats_policy),
	PN(RP_A_EVENT, event_policy),
	PN(RP_A_CONN, conn_policy),
	PN(RP_A_NIC, nic_policy),
	PN(RP_A_GROUP, group_policy),
};

const struct rp_policy rp_msg_policy = { RP_A_MAX, msg_attrs };

static const struct rp_pol ctrl_grp_attrs[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	P(CTRL_ATTR_MCAST_GRP_ID, U32),
	PL(CTRL_ATTR_MCAST_GRP_NAME, STR, GENL_NAMSIZ),
};

static const struct rp_policy ctrl_grp_policy = { CTRL_ATTR_MCAST_GRP_MAX, ctrl_grp_attrs };

/* the groups: a nest of nests, each of any type (its index) */
static const struct rp_pol ctrl_grps_attrs[] = {
	{ .type = RP_PT_NEST, .name = "CTRL_ATTR_MCAST_GROUPS[]",
	  .nest = &ctrl_grp_policy },
};

static const struct rp_policy ctrl_grps_policy = { -1, ctrl_grps_attrs };

static const struct rp_pol ctrl_attrs[CTRL_ATTR_MAX + 1] = {
	P(CTRL_ATTR_FAMILY_ID, U16),
	PN(CTRL_ATTR_MCAST_GROUPS, ctrl_grps_policy),
};

const struct rp_policy rp_ctrl_policy = { CTRL_ATTR_MAX, ctrl_attrs };

static const char *const type_names[] = {
	[RP_PT_U8] = "u8", [RP_PT_U16] = "u16", [RP_PT_U32] = "u32",
	[RP_PT_U64] = "u64", [RP_PT_FLAG] = "flag",
};

static int check_one(const struct nlattr *a, const struct rp_pol *p,
		     char *err, size_t errlen);

/* The attributes in @len bytes at @data, each of its policy. */
static int check_attrs(const void *data, size_t len,
		       const struct rp_policy *pol, char *err, size_t errlen)
{
	const struct nlattr *a = data;
	size_t left = len;

	while (left >= sizeof(*a)) {
		uint16_t type = a->nla_type & NLA_TYPE_MASK;
		const struct rp_pol *p = NULL;

		if (a->nla_len < sizeof(*a) || a->nla_len > left) {
			snprintf(err, errlen,
				 "attribute %u: length %u, %zu bytes left",
				 type, a->nla_len, left);
			return -EBADMSG;
		}
		if (pol->max < 0)
			p = &pol->attrs[0];	/* an array: all alike */
		else if (type <= pol->max)
			p = &pol->attrs[type];
		if (p && p->type != RP_PT_ANY && check_one(a, p, err, errlen))
			return -EBADMSG;
		if (left < (size_t)MNL_ALIGN(a->nla_len))
			break;	/* the last one, unpadded */
		left -= (size_t)MNL_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + MNL_ALIGN(a->nla_len));
	}
	return 0;
}

static int check_one(const struct nlattr *a, const struct rp_pol *p,
		     char *err, size_t errlen)
{
	static const uint16_t fixed[] = {
		[RP_PT_U8] = 1, [RP_PT_U16] = 2, [RP_PT_U32] = 4,
		[RP_PT_U64] = 8, [RP_PT_FLAG] = 0,
	};
	size_t len = mnl_attr_get_payload_len(a), n;
	const char *s = mnl_attr_get_payload(a);

	switch (p->type) {
	case RP_PT_U8: case RP_PT_U16: case RP_PT_U32: case RP_PT_U64:
	case RP_PT_FLAG:
		if (len != fixed[p->type]) {
			snprintf(err, errlen, "%s: %zu bytes for a %s", p->name,
				 len, type_names[p->type]);
			return -EBADMSG;
		}
		return 0;
	case RP_PT_STR:
		n = strnlen(s, len);
		if (n == len) {
			snprintf(err, errlen, "%s: string without its NUL",
				 p->name);
			return -EBADMSG;
		}
		if (p->max_len && len > p->max_len) {
			snprintf(err, errlen, "%s: %zu bytes, at most %u",
				 p->name, len, p->max_len);
			return -EBADMSG;
		}
		return 0;
	case RP_PT_BIN:
		if (len != p->max_len) {
			snprintf(err, errlen, "%s: %zu bytes, not %u", p->name,
				 len, p->max_len);
			return -EBADMSG;
		}
		return 0;
	case RP_PT_ADDR:
		if (len != 4 && len != 16) {
			snprintf(err, errlen, "%s: %zu bytes, not an address",
				 p->name, len);
			return -EBADMSG;
		}
		return 0;
	case RP_PT_NEST:
		if (check_attrs(s, len, p->nest, err, errlen)) {
			char inner[200];

			snprintf(inner, sizeof(inner), "%s", err);
			snprintf(err, errlen, "%s > %s", p->name, inner);
			return -EBADMSG;
		}
		return 0;
	}
	return 0;
}

int rp_validate_msg(const struct nlmsghdr *nlh, size_t hdrlen,
		    const struct rp_policy *pol, char *err, size_t errlen)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	if (len < hdrlen) {
		snprintf(err, errlen, "message of %zu bytes", len);
		return -EBADMSG;
	}
	return check_attrs((const char *)mnl_nlmsg_get_payload(nlh) + hdrlen,
			   len - hdrlen, pol, err, errlen);
}
