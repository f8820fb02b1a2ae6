// SPDX-License-Identifier: GPL-2.0
/*
 * RP_A_CONN: the tracked connections (CONN_GET dump, CONN_DEL,
 * CONN_FLUSH).  The tracker's locking: DOC in rp_conn.h.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <rdmapolicy/shim.h>

#include "rp_conn.h"
#include "rp_genl.h"
#include "rp_net.h"
#include "rp_nl_attr.h"

/* One connection, a part of a dump. */
static int rp_nl_conn_fill(struct sk_buff *skb, struct rp_net *rn,
			   const struct rp_conn *c,
			   struct netlink_callback *cb)
{
	struct rp_nic_conn_info ni;
	struct nlattr *nest;
	bool psn;
	void *hdr;

	psn = c->installed && !rp_conn_query(&rn->conns, c, &ni) &&
	      ni.psn_tracked;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &rp_family, NLM_F_MULTI, RP_CMD_CONN_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, RP_A_CONN);
	if (!nest ||
	    nla_put_u32(skb, RP_A_CONN_ID, c->id) ||
	    nla_put_u8(skb, RP_A_CONN_STATE, c->state) ||
	    nla_put_u32(skb, RP_A_CONN_TENANT, c->key.tenant) ||
	    nla_put_u32(skb, RP_A_CONN_REQ_VM, c->req_vm) ||
	    nla_put_u32(skb, RP_A_CONN_REP_VM, c->rep_vm) ||
	    rp_nl_addr_put(skb, RP_A_CONN_REQ_ADDR, &c->key.addr) ||
	    rp_nl_addr_put(skb, RP_A_CONN_REP_ADDR, &c->rep_addr) ||
	    nla_put_u32(skb, RP_A_CONN_REQ_QPN, c->req_qpn) ||
	    nla_put_u32(skb, RP_A_CONN_REQ_PSN, c->req_psn) ||
	    (c->state != RP_CONN_STATE_REQ &&
	     (nla_put_u32(skb, RP_A_CONN_REP_QPN, c->rep_qpn) ||
	      (!c->key.learned && !c->key.sidr &&
	       nla_put_u32(skb, RP_A_CONN_REP_PSN, c->rep_psn)))) ||
	    nla_put_u16(skb, RP_A_CONN_PS, c->ps) ||
	    nla_put_u16(skb, RP_A_CONN_PORT, c->port) ||
	    nla_put_u32(skb, RP_A_CONN_QP_TYPE, c->qp_type) ||
	    nla_put_u32(skb, RP_A_CONN_RIGHTS, c->rights) ||
	    nla_put_u32(skb, RP_A_CONN_REPLY_RIGHTS, c->reply_rights) ||
	    nla_put_u32(skb, RP_A_CONN_RULE_ID, c->rule_id) ||
	    (c->key.learned &&
	     nla_put_u8(skb, RP_A_CONN_SETUP, RP_SETUP_LEARNED)) ||
	    (c->key.sidr && nla_put_u8(skb, RP_A_CONN_SETUP, RP_SETUP_SIDR)) ||
	    nla_put_u32(skb, RP_A_CONN_AGE,
			jiffies_to_msecs(jiffies - c->created) / 1000) ||
	    (c->installed && nla_put_flag(skb, RP_A_CONN_INSTALLED)) ||
	    (psn && (nla_put_u32(skb, RP_A_CONN_REQ_PSN_SEEN, ni.psn_seen[0]) ||
		     nla_put_u32(skb, RP_A_CONN_REP_PSN_SEEN,
				 ni.psn_seen[1])))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* Cursor of a connection dump: ids of the tracker's xarray. */
struct rp_nl_conn_dump_ctx {
	struct rp_net *rn;
	unsigned long next;	/* id to resume at */
	bool done;
	bool denied;		/* the sender is no admin */
};

/*
 * The connection dump shows QPNs and PSNs, which the NICs' PSN window
 * relies on VMs not knowing: admins only, by the same rule as the admin
 * commands.  pre_doit does not run for dumps; .start decides, and the
 * first .dumpit refuses, since 6.1 gives only .dumpit an extack (the
 * error and its message come in the dump's NLMSG_DONE).
 */
int rp_nl_conn_dump_start(struct netlink_callback *cb)
{
	struct rp_nl_conn_dump_ctx *ctx;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_conn_dump_ctx);
	ctx->denied = !rp_nl_admin(cb->skb);
	ctx->rn = rp_net(sock_net(cb->skb->sk));
	return 0;
}

int rp_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_nl_conn_dump_ctx *ctx;
	struct rp_conn *c, snap;
	struct rp_net *rn;
	unsigned long id;
	int err = 0;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_conn_dump_ctx);
	rn = ctx->rn;
	if (ctx->denied) {
		NL_SET_ERR_MSG(cb->extack, RP_NL_ADMIN_MSG);
		return -EPERM;
	}
	if (ctx->done)
		return 0;
	rcu_read_lock();
	rp_nl_dump_gen(cb, READ_ONCE(rn->generation));
	xa_for_each_start(&rn->conns.ids, id, c, ctx->next) {
		if (!rp_conn_snapshot(&rn->conns, c, &snap))
			continue;
		err = rp_nl_conn_fill(skb, rn, &snap, cb);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	if (err)
		ctx->next = id;
	else
		ctx->done = true;
	return skb->len;
}

int rp_nl_conn_del(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_net *rn = rp_net(genl_info_net(info));
	struct nlattr *tb[__RP_A_CONN_MAX];
	struct rp_conn *c;
	int err = -ENOENT;
	u32 id;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_CONN)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_CONN: missing");
		return -EINVAL;
	}
	rp_nla_index(tb, __RP_A_CONN_MAX - 1, info->attrs[RP_A_CONN]);
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[RP_A_CONN], tb,
			      RP_A_CONN_ID)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_CONN_ID: missing");
		return -EINVAL;
	}
	id = nla_get_u32(tb[RP_A_CONN_ID]);
	err = -ENOENT;
	rcu_read_lock();
	spin_lock_bh(&rn->conns.lock);
	c = rp_conn_by_id(&rn->conns, id);
	if (c) {
		rp_conn_del(&rn->conns, c, "deleted by operator");
		err = 0;
	}
	spin_unlock_bh(&rn->conns.lock);
	rcu_read_unlock();
	if (err)
		NL_SET_ERR_MSG(info->extack, "RP_A_CONN_ID: no such connection");
	return err;
}

int rp_nl_conn_flush(struct sk_buff *skb, struct genl_info *info)
{
	rp_conn_flush(&rp_net(genl_info_net(info))->conns, 0,
		      "flushed by operator");
	return 0;
}
