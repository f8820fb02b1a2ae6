// SPDX-License-Identifier: GPL-2.0
/*
 * RP_A_GROUP: the multicast groups' members and senders (GROUP_GET dump).
 * The table's locking: DOC: Multicast locking in rp_mcast_table.h.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <rdmapolicy/shim.h>

#include "rp_genl.h"
#include "rp_mcast_table.h"
#include "rp_net.h"
#include "rp_nl_attr.h"

/* the uapi's kinds are the shim's */
static_assert((int)RP_GROUP_MEMBER == (int)RP_MCAST_MEMBER &&
	      (int)RP_GROUP_SENDER == (int)RP_MCAST_SENDER);

/* One member or sender, a part of a dump.  Context: the table's lock. */
static int rp_nl_group_fill(struct sk_buff *skb, const struct rp_mcast_ent *e,
			    struct netlink_callback *cb)
{
	bool sender = e->key.kind == RP_MCAST_SENDER;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &rp_family, NLM_F_MULTI, RP_CMD_GROUP_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, RP_A_GROUP);
	if (!nest ||
	    nla_put_u8(skb, RP_A_GROUP_KIND, e->key.kind) ||
	    rp_nl_addr_put(skb, RP_A_GROUP_GROUP, &e->key.group) ||
	    nla_put_u32(skb, RP_A_GROUP_VM_ID, e->vm_id) ||
	    nla_put_u32(skb, RP_A_GROUP_TENANT, e->key.tenant) ||
	    (sender && rp_nl_addr_put(skb, RP_A_GROUP_ADDR, &e->key.saddr)) ||
	    nla_put_u32(skb, RP_A_GROUP_IFINDEX, e->ifindex) ||
	    (e->allowed && nla_put_flag(skb, RP_A_GROUP_ALLOWED)) ||
	    (e->rule_id && nla_put_u32(skb, RP_A_GROUP_RULE_ID, e->rule_id)) ||
	    nla_put_u32(skb, RP_A_GROUP_AGE,
			jiffies_to_msecs(jiffies - e->since) / 1000)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* Cursor of a group dump: entries of the table's list already sent. */
struct rp_nl_group_dump_ctx {
	struct rp_net *rn;
	unsigned long skip;
};

int rp_nl_group_dump_start(struct netlink_callback *cb)
{
	struct rp_nl_group_dump_ctx *ctx;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_group_dump_ctx);
	ctx->rn = rp_net(sock_net(cb->skb->sk));
	ctx->skip = 0;
	return 0;
}

/*
 * Filled under the table's BH-safe lock: putting attributes into the
 * dump's skb allocates nothing, and an entry is O(1).
 */
int rp_nl_group_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_nl_group_dump_ctx *ctx;
	struct rp_mcast_table *mt;
	struct rp_mcast_ent *e;
	unsigned long i = 0;
	int err = 0;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_group_dump_ctx);
	mt = &ctx->rn->mcast;
	spin_lock_bh(&mt->lock);
	list_for_each_entry(e, &mt->all, list) {
		if (i++ < ctx->skip)
			continue;
		err = rp_nl_group_fill(skb, e, cb);
		if (err)
			break;
		ctx->skip++;
	}
	spin_unlock_bh(&mt->lock);
	if (err && !skb->len)
		return err;
	return skb->len;
}
