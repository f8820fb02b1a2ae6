// SPDX-License-Identifier: GPL-2.0
/*
 * RP_A_STATS: the namespace-wide counters (STATS_GET).
 */
#include <net/genetlink.h>

#include "rp_exc_stats.h"
#include "rp_genl.h"
#include "rp_net.h"

static const struct {
	u16 attr;
	u16 stat;
} rp_exc_attrs[] = {
	{ RP_A_STATS_CM_MESSAGES, RP_EXC_MESSAGES },
	{ RP_A_STATS_CM_FLAGGED, RP_EXC_FLAGGED },
	{ RP_A_STATS_CM_DROPPED, RP_EXC_DROPPED },
	{ RP_A_STATS_REJ_SENT, RP_EXC_REJ_SENT },
	{ RP_A_STATS_SPOOFED, RP_EXC_SPOOFED },
	{ RP_A_STATS_MALFORMED, RP_EXC_MALFORMED },
	{ RP_A_STATS_NO_VM, RP_EXC_NO_VM },
	{ RP_A_STATS_UNTRACKED, RP_EXC_UNTRACKED },
	{ RP_A_STATS_RETRANSMIT, RP_EXC_RETRANSMIT },
	{ RP_A_STATS_UNSUPPORTED, RP_EXC_UNSUPPORTED },
	{ RP_A_STATS_INSTALL_FAILED, RP_EXC_INSTALL_FAILED },
};

int rp_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_net *rn = rp_net(genl_info_net(info));
	struct rp_tables *t;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int i;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rp_family, 0, RP_CMD_STATS_GET);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, RP_A_STATS);
	if (!nest)
		goto nospace;
	mutex_lock(&rn->lock);
	t = rp_tables_locked(rn);
	if (nla_put_u32(msg, RP_A_STATS_VMS, t->nvms) ||
	    nla_put_u32(msg, RP_A_STATS_RULES, t->nrules) ||
	    nla_put_u32(msg, RP_A_STATS_GENERATION, rn->generation) ||
	    nla_put_u64_64bit(msg, RP_A_STATS_DECISIONS,
			      atomic64_read(&rn->decisions), RP_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, RP_A_STATS_DENIED,
			      atomic64_read(&rn->denied), RP_A_STATS_PAD) ||
	    nla_put_u32(msg, RP_A_STATS_CONNS, READ_ONCE(rn->conns.count))) {
		mutex_unlock(&rn->lock);
		goto nospace;
	}
	mutex_unlock(&rn->lock);
	for (i = 0; i < ARRAY_SIZE(rp_exc_attrs); i++)
		if (nla_put_u64_64bit(msg, rp_exc_attrs[i].attr,
				      atomic64_read(&rn->exc[rp_exc_attrs[i].stat]),
				      RP_A_STATS_PAD))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}
