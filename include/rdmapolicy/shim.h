/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vendor-neutral interface between the rdmapolicy core and the NICs
 * that run the VMs' network functions.
 *
 * Exception path (NIC -> core): a NIC that sees a RoCEv2 packet to QP1 on
 * a VM port without the processed flag hands it to rp_exception() and
 * obeys the verdict.  The core decides; an approved message comes back
 * carrying the processed flag, so the NIC forwards it and never hands it
 * over again (e.g. when it leaves through the destination VM's port).
 *
 * The processed flag is a bit of skb->mark (module parameter
 * rdmapolicy.processed_mark, default 0x40000000): the host's own metadata
 * of a packet, which a VM cannot set and which stays with the packet
 * while the host bridges or routes it.  It does not leave the host: a
 * message that crosses to another host is judged there again.
 *
 * Context: rp_exception() runs where the NIC's receive/transmit path runs
 * (softirq or process context with BHs off), under rcu_read_lock(); it
 * does not sleep and may transmit a CM REJ on @port.
 *
 * A NIC that has parsed the message already hands the core its parse
 * (@pkt: rp_roce_parse()'s RP_ROCE_OK result for the bytes at the skb's
 * network header, @l3proto the skb's protocol, @pkt_len all the bytes
 * from there on), so that the core does not parse it again; one that has
 * not passes NULL and the core parses it.  The decision is the same
 * either way: the framing checks are rp_roce_parse()'s in both cases
 * (the core still checks that @pkt's headers lie within the packet, and
 * everything after the framing: QP1, the opcode, the CM message, the
 * ICRC, the sender, the policy).
 *
 * Connections (core -> NIC): when the REQ and the REP of a connection
 * have both been approved, the core installs it in every registered NIC as
 * two flows, one per direction; from then on the NIC passes a RoCEv2 data
 * packet only if (tenant, source address, destination address, destination
 * QPN) matches an installed flow and its opcode is within the flow's
 * rights.  The tenant of a packet is that of the VM whose port it is on
 * (given at port_bind): tenants may use the same addresses and QPNs.  The
 * core uninstalls the connection when it goes (DREP, REJ, policy or VM
 * change, flush, unload); a NIC removes only the flows it installed for
 * that connection id, never another connection's with the same key.
 *
 * Ports (core -> NIC): the ports of the VMs in the address-space table
 * are the ports a NIC must hook.  The core binds each in every NIC that
 * has port_bind when it becomes a VM's port (or when the NIC registers)
 * and unbinds it when it stops being one; it binds a port again when its
 * VM's tenant changes, so the NIC always knows the port's tenant.  A NIC
 * unbinds a port itself
 * when its netdev goes away, and all of them when it unloads.
 *
 * Overlays: a remote address space's ports are overlay devices (a vxlan:
 * the host carries that tenant to other hosts in its VNI), bound like VM
 * ports with the space's tenant; a NIC tells them apart by their kind.
 * Tenants meet only where the policy says: a NIC drops RoCEv2 on its way
 * out of a bound port (towards a VM, or into an overlay) that the host
 * received on a bound port of another tenant (a VM's, or an overlay's
 * after decapsulation).  A NIC that decapsulates itself does the same
 * with the VNI it took off (Documentation/datapath.rst).
 *
 * Learned flows (NIC -> core -> NIC): a NIC that sees on a VM port a
 * RoCEv2 data packet the VM sent (RP_DIR_FROM_VM) that matches no
 * installed flow hands it to rp_learn() and obeys the verdict.  The core
 * decides it with the policy (rules with setup "any"); when allowed, it
 * installs one learned flow, that direction only, in every NIC that has
 * learn() (unlearn() takes it out), and the packet comes back flagged.
 * A learned flow passes requests within its rights and every response
 * (responses answer requests the other direction's flow was checked
 * for).  The core asks used() now and then whether packets matched the
 * flow since it last asked, and unlearns flows that stay idle.  A learned
 * UD flow names its sending QP (@sqpn, the DETH's source QPN of its first
 * packet): it passes only that QP's packets.  These ops
 * are optional: a NIC without them is never asked to learn.
 *
 * Multicast (NIC -> core -> NIC): a NIC hands the IGMP and MLD membership
 * reports a VM sends (RP_DIR_FROM_VM) to rp_mcast_report() and obeys the
 * verdict (a report with a denied join is dropped), and a RoCEv2 packet
 * from a VM port to a multicast address whose (tenant, group, source) it
 * holds no state for to rp_mcast_send().  The core records who joined
 * and who may send and tells every NIC that has mcast_set(): a member
 * (tenant, group, port) once its join is allowed, a sender (tenant, group,
 * source address, port) allowed or denied once decided; mcast_clear()
 * takes one out.  A NIC then passes RoCEv2 to a group from a VM port only
 * from an allowed sender on its own port, and towards a VM port only if
 * that port is a member (and, when a sender of this host sent it, only a
 * sender of the port's tenant).  Optional: a NIC without the ops is never
 * told, and its VMs' group traffic is not policed by it.
 *
 * Queries (core -> NIC): the core asks a NIC what it knows of an
 * installed connection (its PSN progress), about itself (capabilities,
 * limits) and for the counters of its bound ports; operators see them in
 * `rdmapolicy conn show -s` and `rdmapolicy nic show`.  These ops are
 * optional.
 *
 * Contract of struct rp_nic_ops:
 *  - install() and uninstall() are called in atomic context (softirq or
 *    under a BH spinlock) and must not sleep; install() may fail (e.g.
 *    -ENOMEM, -ENOSPC), the connection then stays uninstalled and its
 *    data is dropped.
 *  - A NIC registers with rp_nic_register() (process context); connections
 *    established before are installed in it right away.  It unregisters
 *    with rp_nic_unregister() (process context), which returns after the
 *    core has stopped calling it; the NIC then frees its flows itself.
 *  - The core never looks inside a NIC; @priv is the NIC's.
 */
#ifndef _RDMAPOLICY_SHIM_H
#define _RDMAPOLICY_SHIM_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include <rdmapolicy/counters.h>

/* Which way a packet goes on a VM port, for the core and every NIC. */
enum rp_dir {
	RP_DIR_FROM_VM,		/* the port's VM sent it (netdev ingress) */
	RP_DIR_TO_VM,		/* on its way to the port's VM (egress) */
	RP_DIRS,
};

enum rp_exc_verdict {
	RP_EXC_FORWARD,		/* approved: flagged, forward it */
	RP_EXC_DROP,		/* denied, spoofed or malformed: drop it */
};

extern u32 rp_processed_mark;

static inline bool rp_skb_processed(const struct sk_buff *skb)
{
	return skb->mark & rp_processed_mark;
}

struct rp_roce_pkt;
enum rp_exc_verdict rp_exception(struct net_device *port, enum rp_dir dir,
				 struct sk_buff *skb,
				 const struct rp_roce_pkt *pkt);
enum rp_exc_verdict rp_learn(struct net_device *port, struct sk_buff *skb);
enum rp_exc_verdict rp_mcast_report(struct net_device *port,
				    struct sk_buff *skb);
enum rp_exc_verdict rp_mcast_send(struct net_device *port,
				  struct sk_buff *skb);

/*
 * One direction of a connection: what may be sent from saddr to daddr.
 * @src_ifindex binds the flow to where its sender is: the VM port the
 * sender's CM message came in on, or 0 if the sender is not behind a port
 * of this host (then its packets may only arrive from elsewhere, never from
 * a VM port).  This is what stops one VM from sending as another.
 * @psn is the first PSN of the sender's requests, from which a NIC may
 * track a PSN window: the starting PSN its peer announced (each side's CM
 * message names the PSN it expects to receive: the REP the requester's,
 * the REQ the responder's); for a connection installed again when a NIC
 * registers, the PSN after the highest one the last NIC that tracked it
 * saw.  @psn_unknown: neither is known (a connection installed again that
 * no NIC tracked PSNs of): the NIC must not check this flow's PSNs, whose
 * data would be long past @psn.
 */
struct rp_flow {
	u32 tenant;			/* of both ends */
	struct in6_addr saddr;		/* IPv4 v4-mapped */
	struct in6_addr daddr;
	u32 dqpn;			/* the receiving QP */
	u32 rights;			/* RP_RIGHT_* */
	u32 psn;			/* the sender's first request PSN */
	int src_ifindex;
	u32 sqpn;			/* learned UD: the sending QP, 0: any */
	/*
	 * learned: the QP type (RP_QP_*, from the first packet's opcode)
	 * every packet of the flow must be of (a CNP excepted); 0: any.
	 */
	u32 qp_type;
	bool psn_unknown;		/* see @psn above */
};

/* Which state of a group a NIC holds (rp_nic_ops.mcast_set). */
enum rp_mcast_kind {
	RP_MCAST_MEMBER,		/* @ifindex's VM joined @group */
	RP_MCAST_SENDER,		/* @saddr on @ifindex sends to @group */
};

/*
 * One member or sender of a group.  A NIC keys a member by (namespace,
 * tenant, group, ifindex), a sender by (namespace, tenant, group, saddr):
 * a sender's packets from another port than @ifindex are spoofed.
 */
struct rp_mcast {
	u32 tenant;			/* of the port's VM */
	struct in6_addr group;		/* IPv4 v4-mapped */
	struct in6_addr saddr;		/* a sender's; zero for a member */
	int ifindex;			/* the VM's port */
	u8 kind;			/* enum rp_mcast_kind */
	bool allowed;			/* a sender's verdict; members: true */
};

/* What a NIC says about itself (rp_nic_ops.info). */
struct rp_nic_info {
	u32 caps;			/* RP_NIC_CAP_* it supports */
	u32 psn_window;			/* 0: no PSN check now */
	u32 conns;			/* installed, all namespaces */
	u32 max_conns;
};

/* What a NIC knows of one installed connection (rp_nic_ops.query). */
struct rp_nic_conn_info {
	bool psn_tracked;
	u32 psn_seen[2];		/* highest request PSN, per flow */
};

/*
 * Per-port packet counters, per direction: enum rp_nic_ctr, from
 * rdmapolicy/nic_ctrs.h (see rdmapolicy/counters.h).
 */
struct rp_nic_port_stats {
	int ifindex;
	char ifname[IFNAMSIZ];
	u32 tenant;
	bool overlay;			/* a remote space's overlay device */
	u64 ctr[RP_DIRS][RP_NIC_CTRS];
};

/*
 * install/uninstall/query: atomic context (see the contract above).
 * info: any context.  port_stats: process context, may sleep; fills @st
 * for the @idx-th port bound in @net, -ENOENT past the last.
 * port_check: process context, RTNL held; can @dev be a VM port of this
 * NIC (its hooks facing the VM)?  0, or an errno (-EOPNOTSUPP) that
 * refuses the configuration naming it, before anything changes.
 * port_bind/port_unbind: process context, RTNL held; hook (unhook) a VM
 * port of @tenant; port_bind returns 0, -EEXIST if bound already (fine:
 * the port now is of @tenant), or an errno.
 * uninstall/query: the connection is @conn_id (unique in @net while it
 * lives); a NIC that holds other flows under the same keys leaves them.
 * learn/unlearn/used: atomic context, one learned flow @flow of the
 * learned connection @conn_id (ids shared with connections); learn may
 * fail as install may; used returns 1 if a packet matched the flow since
 * the last call (or since learn), 0 if none, -ENOENT if not installed.
 * mcast_set/mcast_clear: atomic context; set adds a member or sender @m
 * or changes its @allowed (it may fail as install may), clear takes it
 * out (harmless if absent).
 */
struct rp_nic_ops {
	int (*install)(void *priv, const struct net *net, u32 conn_id,
		       const struct rp_flow flows[2]);
	void (*uninstall)(void *priv, const struct net *net, u32 conn_id,
			  const struct rp_flow flows[2]);
	int (*query)(void *priv, const struct net *net, u32 conn_id,
		     const struct rp_flow flows[2],
		     struct rp_nic_conn_info *info);
	void (*info)(void *priv, struct rp_nic_info *info);
	int (*port_stats)(void *priv, const struct net *net, unsigned int idx,
			  struct rp_nic_port_stats *st);
	int (*port_check)(void *priv, const struct net_device *dev);
	int (*port_bind)(void *priv, struct net_device *dev, u32 tenant);
	void (*port_unbind)(void *priv, struct net_device *dev);
	int (*learn)(void *priv, const struct net *net, u32 conn_id,
		     const struct rp_flow *flow);
	void (*unlearn)(void *priv, const struct net *net, u32 conn_id,
			const struct rp_flow *flow);
	int (*used)(void *priv, const struct net *net, u32 conn_id,
		    const struct rp_flow *flow);
	int (*mcast_set)(void *priv, const struct net *net,
			 const struct rp_mcast *m);
	void (*mcast_clear)(void *priv, const struct net *net,
			    const struct rp_mcast *m);
};

struct rp_nic {
	const struct rp_nic_ops *ops;	/* install, uninstall required */
	void *priv;
	const char *name;
	struct list_head list;		/* the core's, while registered */
};

int rp_nic_register(struct rp_nic *nic);
void rp_nic_unregister(struct rp_nic *nic);

#endif /* _RDMAPOLICY_SHIM_H */
