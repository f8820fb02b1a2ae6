// SPDX-License-Identifier: GPL-2.0
/*
 * RP_A_NIC: the registered NICs and the ports they bound in the
 * namespace (NIC_GET dump).
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <rdmapolicy/counters.h>

#include "rp_genl.h"
#include "rp_net.h"
#include "rp_nic.h"

/* The attribute of each NIC port counter, in enum rp_nic_ctr order */
#define RP_NIC_CTR(id, ...)	RP_A_NIC_CTR_##id,
static const u16 rp_nic_ctr_attrs[RP_NIC_CTRS] = {
#include <rdmapolicy/nic_ctrs.h>
};

#undef RP_NIC_CTR

static int rp_nl_nic_ctrs_put(struct sk_buff *skb, int type, const u64 *ctr)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < RP_NIC_CTRS; i++)
		if (nla_put_u64_64bit(skb, rp_nic_ctr_attrs[i], ctr[i],
				      RP_A_NIC_CTR_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One NIC, and one of its ports if @ps. */
static int rp_nl_nic_fill(struct sk_buff *skb, struct netlink_callback *cb,
			  const struct rp_nic *nic,
			  const struct rp_nic_info *ni,
			  const struct rp_nic_port_stats *ps)
{
	struct nlattr *nest, *port;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &rp_family, NLM_F_MULTI, RP_CMD_NIC_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, RP_A_NIC);
	if (!nest || nla_put_string(skb, RP_A_NIC_NAME, nic->name) ||
	    nla_put_u32(skb, RP_A_NIC_CAPS, ni->caps) ||
	    nla_put_u32(skb, RP_A_NIC_PSN_WINDOW, ni->psn_window) ||
	    nla_put_u32(skb, RP_A_NIC_CONNS, ni->conns) ||
	    nla_put_u32(skb, RP_A_NIC_MAX_CONNS, ni->max_conns))
		goto cancel;
	if (ps) {
		port = nla_nest_start(skb, RP_A_NIC_PORT);
		if (!port ||
		    nla_put_u32(skb, RP_A_NIC_PORT_IFINDEX, ps->ifindex) ||
		    nla_put_string(skb, RP_A_NIC_PORT_IFNAME, ps->ifname) ||
		    nla_put_u32(skb, RP_A_NIC_PORT_TENANT, ps->tenant) ||
		    (ps->overlay && nla_put_flag(skb, RP_A_NIC_PORT_OVERLAY)) ||
		    rp_nl_nic_ctrs_put(skb, RP_A_NIC_PORT_FROM_VM,
				       ps->ctr[RP_DIR_FROM_VM]) ||
		    rp_nl_nic_ctrs_put(skb, RP_A_NIC_PORT_TO_VM,
				       ps->ctr[RP_DIR_TO_VM]))
			goto cancel;
		nla_nest_end(skb, port);
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Cursor of a NIC dump: (NIC, port) to resume at. */
struct rp_nl_nic_dump_ctx {
	struct rp_net *rn;
	struct rp_nic_port_stats *ps;	/* buffer for a port's stats */
	unsigned long nic, port;
};

int rp_nl_nic_dump_start(struct netlink_callback *cb)
{
	struct rp_nl_nic_dump_ctx *ctx;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_nic_dump_ctx);
	ctx->rn = rp_net(sock_net(cb->skb->sk));
	ctx->ps = kmalloc(sizeof(*ctx->ps), GFP_KERNEL);
	return ctx->ps ? 0 : -ENOMEM;
}

int rp_nl_nic_dump_done(struct netlink_callback *cb)
{
	kfree(RP_NL_DUMP_CTX(cb, struct rp_nl_nic_dump_ctx)->ps);
	return 0;
}

/*
 * One message per registered NIC and port it has bound in this namespace
 * (one without a port for a NIC with none).  The generation flags a dump
 * that a change of the VM ports may have interrupted.
 */
int rp_nl_nic_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_nl_nic_dump_ctx *ctx;
	struct rp_nic_port_stats *ps;
	unsigned long n, p;
	struct rp_nic_info ni;
	struct rp_nic *nic;
	struct net *net;
	int err = 0;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_nic_dump_ctx);
	ps = ctx->ps;
	net = ctx->rn->net;
	n = ctx->nic;
	p = ctx->port;
	rp_nic_lock();
	rp_nl_dump_gen(cb, READ_ONCE(ctx->rn->generation));
	for (; (nic = rp_nic_nth(n)); n++, p = 0) {
		memset(&ni, 0, sizeof(ni));
		if (nic->ops->info)
			nic->ops->info(nic->priv, &ni);
		for (;; p++) {
			err = nic->ops->port_stats ?
			      nic->ops->port_stats(nic->priv, net, p, ps) :
			      -ENOENT;
			if (err == -ENOENT && p)
				break;		/* past its last port */
			if (err && err != -ENOENT)
				goto out;
			if (rp_nl_nic_fill(skb, cb, nic, &ni, err ? NULL : ps)) {
				err = -EMSGSIZE;
				goto out;
			}
			if (err)
				break;		/* no port at all: said so */
		}
		err = 0;
	}
out:
	rp_nic_unlock();
	ctx->nic = n;
	ctx->port = p;
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}
