// SPDX-License-Identifier: GPL-2.0
/*
 * RP_A_STATS: the namespace-wide counters (STATS_GET).
 */
#include <net/genetlink.h>
#include <rdmapolicy/counters.h>

#include "rp_genl.h"
#include "rp_net.h"

/* The attribute of each exception path counter, in enum rp_exc_ctr order */
#define RP_EXC_CTR(id, ...)	RP_A_STATS_##id,
static const u16 rp_exc_attrs[RP_EXC_CTRS] = {
#include <rdmapolicy/exc_ctrs.h>
};

#undef RP_EXC_CTR

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
	    nla_put_u32(msg, RP_A_STATS_CONNS, READ_ONCE(rn->conns.count))) {
		mutex_unlock(&rn->lock);
		goto nospace;
	}
	mutex_unlock(&rn->lock);
	for (i = 0; i < RP_EXC_CTRS; i++)
		if (nla_put_u64_64bit(msg, rp_exc_attrs[i],
				      atomic64_read(&rn->exc[i]), RP_A_STATS_PAD))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}
