// SPDX-License-Identifier: GPL-2.0
/*
 * Port binding and the per-packet hook of the emulated SmartNIC.
 *
 * A bound port gets a netfilter netdev ingress hook (packets from the VM)
 * and an egress hook (packets towards the VM).  Per packet: RoCEv2
 * framing is checked (malformed RoCEv2 is dropped and counted by reason);
 * a CM message to QP1 without the processed flag goes to the exception
 * path, whose verdict is obeyed; flagged CM messages pass; data packets
 * pass only on an installed connection with a granted opcode.
 */
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/crc32.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netfilter_netdev.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <rdma/ib_pack.h>

#include "snic.h"

static DEFINE_MUTEX(rp_snic_lock);
/* bound ports: changed under rp_snic_lock, read under RCU (counters) */
static LIST_HEAD(rp_snic_ports);

bool rp_snic_check_icrc;
EXPORT_SYMBOL_IF_KUNIT(rp_snic_check_icrc);
module_param_named(check_icrc, rp_snic_check_icrc, bool, 0644);
MODULE_PARM_DESC(check_icrc,
		 "drop RoCEv2 packets whose ICRC is wrong (as rxe does); off by default: the receiving device checks it anyway");

/* Is the ICRC at the end of the RoCEv2 datagram at @off in @skb right? */
static bool rp_snic_icrc_ok(const struct sk_buff *skb, int off,
			    const void *hdr, const struct rp_roce_pkt *pkt)
{
	/* where the ICRC is: after the payload and pad (not the L2 pad) */
	unsigned int pos, end = pkt->payload_off + pkt->payload_len + pkt->pad;
	unsigned int n;
	__le32 wire_buf, *wire;
	u8 buf[256];
	const u8 *p;
	u32 crc;

	if (!rp_roce_icrc_begin(hdr, pkt, &crc))
		return false;
	for (pos = pkt->bth_off + IB_BTH_BYTES; pos < end; pos += n) {
		n = min_t(unsigned int, end - pos, sizeof(buf));
		p = skb_header_pointer(skb, off + pos, n, buf);
		if (!p)
			return false;
		crc = crc32_le(crc, p, n);
	}
	wire = skb_header_pointer(skb, off + end, sizeof(wire_buf), &wire_buf);
	return wire && le32_to_cpu(*wire) == ~crc;
}

/*
 * A data packet passes only on an installed connection, from its sender's
 * side, with a granted opcode and (if tracked) a PSN within the window.
 * It is checked once per host, where it enters; then it carries the
 * processed flag.
 */
static enum rp_snic_verdict rp_snic_data(const struct net *net, int ifindex,
					 u32 tenant, enum rp_snic_dir dir,
					 struct sk_buff *skb,
					 const struct rp_roce_pkt *pkt)
{
	struct rp_snic_flow *flow;
	u32 state, window;

	if (rp_skb_processed(skb))
		return RP_SNIC_PASS;
	flow = rp_snic_flow_lookup(net, tenant, pkt);
	if (!flow)
		return RP_SNIC_NO_FLOW;
	/*
	 * The sender must be where the flow's sender is: from a VM port
	 * only that port's flows, from elsewhere (towards the VM, not
	 * flagged) only flows of senders behind no VM port.
	 */
	if (flow->src_ifindex != (dir == RP_SNIC_FROM_VM ? ifindex : 0))
		return RP_SNIC_SPOOFED;
	state = READ_ONCE(flow->state);
	if (!rp_snic_rights_allow(FIELD_GET(RP_SNIC_ST_RIGHTS, state),
				  FIELD_GET(RP_SNIC_ST_RIGHTS,
					    READ_ONCE(rp_snic_flow_peer(flow)->state)),
				  pkt->class))
		return RP_SNIC_NO_RIGHT;
	window = READ_ONCE(rp_snic_psn_window);
	if ((state & RP_SNIC_ST_TRACK) && window &&
	    !rp_snic_psn_ok(flow, pkt->class, pkt->psn, window))
		return RP_SNIC_PSN;
	skb->mark |= rp_processed_mark;
	return RP_SNIC_PASS;
}

/*
 * Is the IPv6 packet at @off, past all its extension headers, UDP to port
 * 4791 (or can we not tell)?  rp_roce_parse() walks a few extension
 * headers within the bytes it is given and refuses longer chains, since
 * they could hide RoCEv2 from it; traffic that is not RoCEv2 must pass
 * whatever its chain, so when the parser refuses, the chain is walked here
 * on the whole skb, as the receiver's stack would walk it.
 */
static bool rp_snic_ipv6_may_be_roce(const struct sk_buff *skb, int off)
{
	const struct ipv6hdr *ip6;
	struct ipv6hdr ip6_buf;
	const __be16 *dport;
	__be16 frag_off, buf;
	u8 nexthdr;
	int l4;

	ip6 = skb_header_pointer(skb, off, sizeof(*ip6), &ip6_buf);
	if (!ip6)
		return true;
	nexthdr = ip6->nexthdr;
	l4 = ipv6_skip_exthdr(skb, off + sizeof(*ip6), &nexthdr, &frag_off);
	if (l4 < 0)
		return true;		/* cut short: the parser's verdict */
	if (nexthdr != IPPROTO_UDP || (frag_off & htons(IP6_OFFSET)))
		return false;		/* not UDP, or a later fragment */
	dport = skb_header_pointer(skb, l4 + offsetof(struct udphdr, dest),
				   sizeof(buf), &buf);
	return !dport || *dport == htons(ROCE_V2_UDP_DPORT);
}

/**
 * rp_snic_classify() - what the NIC makes of a packet on a VM port
 * @net: the port's namespace
 * @ifindex: the port's ifindex
 * @tenant: the tenant of the port's VM: only its flows match
 * @dir: RP_SNIC_FROM_VM (netdev ingress) or RP_SNIC_TO_VM (egress)
 * @skb: the packet, its network header set (and its MAC header, for
 *	 in-band VLAN tags)
 *
 * RoCEv2 framing is checked as rxe's receive path checks it (and the ICRC
 * too with check_icrc=1); CM messages (to QP1) pass if they carry the
 * processed flag, else they are for the exception path; data is checked
 * against the installed connections.  A data packet that passes gets the
 * processed flag.  RoCE the NIC cannot police is dropped: RoCEv2 in a
 * GSO/GRO skb, RoCEv1, RoCE under an in-band (inner) VLAN tag.
 *
 * Context: rcu_read_lock() (a netfilter hook).
 * Return: a verdict; RP_SNIC_PASS, RP_SNIC_CM_FLAGGED and RP_SNIC_NOT_ROCE
 * pass, RP_SNIC_CM_PUNT goes to the exception path, the rest are drops.
 */
enum rp_snic_verdict rp_snic_classify(const struct net *net, int ifindex,
				      u32 tenant, enum rp_snic_dir dir,
				      struct sk_buff *skb)
{
	u16 l3proto = ntohs(skb->protocol);
	u8 buf[RP_ROCE_MAX_HDR];
	struct rp_roce_pkt pkt;
	enum rp_roce_verdict v;
	unsigned int len, copy;
	const void *hdr;
	int off;

	off = skb_network_offset(skb);
	/*
	 * In-band VLAN tags follow the Ethernet header, whether the network
	 * header was left before them (the receive path's untagging of the
	 * outer tag) or after them (vlan_insert_tag()).
	 */
	if ((l3proto == ETH_P_8021Q || l3proto == ETH_P_8021AD) &&
	    skb_mac_header_was_set(skb))
		off = skb_mac_offset(skb) + ETH_HLEN;
	if (off < 0 || skb->len <= off)
		return RP_SNIC_NOT_ROCE;
	len = skb->len - off;
	copy = min_t(unsigned int, len, sizeof(buf));
	hdr = skb_header_pointer(skb, off, copy, buf);
	if (!hdr)
		return RP_SNIC_NOT_ROCE;

	v = rp_roce_parse(hdr, copy, len, l3proto, &pkt);
	if (v == RP_ROCE_NOT)
		return RP_SNIC_NOT_ROCE;
	if (v != RP_ROCE_OK) {
		if (l3proto == ETH_P_IPV6 &&
		    !rp_snic_ipv6_may_be_roce(skb, off))
			return RP_SNIC_NOT_ROCE;
		return RP_SNIC_BAD + v - RP_ROCE_ERR_TRUNC;
	}
	/*
	 * A GSO/GRO skb is several datagrams under the first one's headers:
	 * the segments after the first begin with bytes of the sender's
	 * choosing and would all leave with the processed flag.  RoCEv2 is
	 * not sent so (rxe sends one datagram per skb).
	 */
	if (skb_is_gso(skb))
		return RP_SNIC_GSO;
	if (READ_ONCE(rp_snic_check_icrc) &&
	    !rp_snic_icrc_ok(skb, off, hdr, &pkt))
		return RP_SNIC_ICRC;
	if (pkt.dqpn == RP_QPN_GSI)
		return rp_skb_processed(skb) ? RP_SNIC_CM_FLAGGED :
					       RP_SNIC_CM_PUNT;
	return rp_snic_data(net, ifindex, tenant, dir, skb, &pkt);
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_classify);

/* Count in this CPU's counters @st (of the port); @ctr is in @st. */
static void rp_snic_count(struct rp_snic_stats *st, u64_stats_t *ctr)
{
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(ctr);
	u64_stats_update_end(&st->syncp);
}

static unsigned int rp_snic_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	enum rp_snic_dir dir = state->hook == NF_NETDEV_INGRESS ?
			       RP_SNIC_FROM_VM : RP_SNIC_TO_VM;
	struct rp_snic_port *port = priv;
	struct rp_snic_stats *st = this_cpu_ptr(port->stats);
	enum rp_snic_verdict v;

	v = rp_snic_classify(state->net, port->dev->ifindex,
			     READ_ONCE(port->tenant), dir, skb);
	if (v == RP_SNIC_NOT_ROCE)
		return NF_ACCEPT;
	rp_snic_count(st, &st->v[dir][v]);
	switch (v) {
	case RP_SNIC_PASS:
	case RP_SNIC_CM_FLAGGED:
		return NF_ACCEPT;
	case RP_SNIC_CM_PUNT:
		if (rp_exception(port->dev, (enum rp_dir)dir, skb) ==
		    RP_EXC_FORWARD)
			return NF_ACCEPT;
		rp_snic_count(st, &st->cm_dropped[dir]);
		return NF_DROP;
	default:
		return NF_DROP;
	}
}

/*
 * Which netdevs can be a VM's port, so that the ingress hook sees what the
 * VM sends and the egress hook what it receives: a tap (tun driver), a
 * veth, a NIC or representor (no link kind: the test host's virtio-net
 * NICs; not loopback), a dummy (benchmarks).  Not macvtap/ipvtap (libvirt "direct"): a
 * VM's frames are transmitted on those, so the hooks would face the wrong
 * way; nor anything else we do not know.
 */
VISIBLE_IF_KUNIT bool rp_snic_kind_ok(const struct net_device *dev)
{
	static const char * const kinds[] = { "tun", "veth", "dummy" };
	const char *kind;
	int i;

	if (dev->flags & IFF_LOOPBACK)
		return false;
	if (!dev->rtnl_link_ops)
		return true;
	kind = dev->rtnl_link_ops->kind;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kind && !strcmp(kind, kinds[i]))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(rp_snic_kind_ok);

/*
 * What runs before our hooks on a port and so can take a VM's packets
 * past them: an XDP program (before netdev ingress) and tc ingress
 * filters (before netfilter ingress; a redirect skips it).  Said once, at
 * bind: an operator must not run those on VM ports (datapath.rst).
 */
static void rp_snic_warn_bypass(struct net_device *dev)
{
	if (dev_xdp_prog_count(dev))
		netdev_warn(dev, "rdmapolicy_snic: an XDP program on this port runs before the NIC's checks and can bypass them\n");
	/* created with the first ingress/clsact qdisc, never freed before */
	if (rcu_access_pointer(dev->ingress_queue))
		netdev_warn(dev, "rdmapolicy_snic: tc ingress (an ingress or clsact qdisc) on this port runs before the NIC's checks and can bypass them\n");
}

static struct rp_snic_port *rp_snic_find(struct net_device *dev)
{
	struct rp_snic_port *port;

	lockdep_assert_held(&rp_snic_lock);
	list_for_each_entry(port, &rp_snic_ports, list)
		if (port->dev == dev)
			return port;
	return NULL;
}

/**
 * rp_snic_bind() - hook a VM-facing port
 * @dev: the port's netdev, registered
 * @tenant: the tenant of its VM
 * @retag: if @dev is bound already, it is of @tenant now (the core's
 *	   binds); if not (debugfs), its tenant stays
 *
 * Context: process context, RTNL held (so @dev cannot go away before the
 * NETDEV_UNREGISTER notifier can see the port).
 * Return: 0, -EEXIST if already bound, -EOPNOTSUPP for a netdev that
 * cannot be a VM port (see rp_snic_kind_ok()), or a negative errno.
 */
int rp_snic_bind(struct net_device *dev, u32 tenant, bool retag)
{
	struct rp_snic_port *port;
	int err, i;

	ASSERT_RTNL();
	if (!rp_snic_kind_ok(dev)) {
		netdev_warn(dev, "rdmapolicy_snic: a %s cannot be a VM port\n",
			    dev->rtnl_link_ops->kind ?: "netdev");
		return -EOPNOTSUPP;
	}
	mutex_lock(&rp_snic_lock);
	port = rp_snic_find(dev);
	if (port) {
		if (retag)
			WRITE_ONCE(port->tenant, tenant);
		err = -EEXIST;
		goto unlock;
	}
	err = -ENOMEM;
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		goto unlock;
	port->stats = netdev_alloc_pcpu_stats(struct rp_snic_stats);
	if (!port->stats)
		goto free_port;

	port->dev = dev;
	port->tenant = tenant;
	for (i = 0; i < RP_SNIC_DIRS; i++) {
		port->ops[i] = (struct nf_hook_ops) {
			.hook = rp_snic_hook,
			.priv = port,
			.pf = NFPROTO_NETDEV,
			.hooknum = i == RP_SNIC_FROM_VM ? NF_NETDEV_INGRESS :
							  NF_NETDEV_EGRESS,
			.priority = INT_MIN + 1,	/* before any nft chain */
			.dev = dev,
		};
	}
	err = nf_register_net_hooks(dev_net(dev), port->ops, RP_SNIC_DIRS);
	if (err)
		goto free_stats;
	netdev_hold(dev, &port->dev_tracker, GFP_KERNEL);
	list_add_tail_rcu(&port->list, &rp_snic_ports);
	mutex_unlock(&rp_snic_lock);
	netdev_info(dev, "rdmapolicy_snic: port bound\n");
	rp_snic_warn_bypass(dev);
	return 0;

free_stats:
	free_percpu(port->stats);
free_port:
	kfree(port);
unlock:
	mutex_unlock(&rp_snic_lock);
	return err;
}

/* The shim's port_bind and port_unbind: the core binds the VM ports. */
int rp_snic_port_check(void *priv, const struct net_device *dev)
{
	return rp_snic_kind_ok(dev) ? 0 : -EOPNOTSUPP;
}

int rp_snic_port_bind(void *priv, struct net_device *dev, u32 tenant)
{
	return rp_snic_bind(dev, tenant, true);
}

void rp_snic_port_unbind(void *priv, struct net_device *dev)
{
	rp_snic_unbind(dev);
}

static void rp_snic_port_free(struct rp_snic_port *port)
{
	lockdep_assert_held(&rp_snic_lock);
	list_del_rcu(&port->list);
	nf_unregister_net_hooks(dev_net(port->dev), port->ops, RP_SNIC_DIRS);
	/*
	 * hooks already running, and readers of the counters, may still use
	 * @port until a grace period
	 */
	synchronize_net();
	netdev_info(port->dev, "rdmapolicy_snic: port unbound\n");
	netdev_put(port->dev, &port->dev_tracker);
	free_percpu(port->stats);
	kfree(port);
}

int rp_snic_unbind(struct net_device *dev)
{
	struct rp_snic_port *port;
	int err = -ENOENT;

	mutex_lock(&rp_snic_lock);
	port = rp_snic_find(dev);
	if (port) {
		rp_snic_port_free(port);
		err = 0;
	}
	mutex_unlock(&rp_snic_lock);
	return err;
}

void rp_snic_unbind_all(void)
{
	struct rp_snic_port *port, *tmp;

	mutex_lock(&rp_snic_lock);
	list_for_each_entry_safe(port, tmp, &rp_snic_ports, list)
		rp_snic_port_free(port);
	mutex_unlock(&rp_snic_lock);
}

static void rp_snic_sum(struct rp_snic_port *port, struct rp_snic_stats *sum)
{
	int cpu, d, v;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct rp_snic_stats *st = per_cpu_ptr(port->stats, cpu);
		struct rp_snic_stats snap;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			memcpy(&snap, st, sizeof(snap));
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (d = 0; d < RP_SNIC_DIRS; d++) {
			for (v = 0; v < RP_SNIC_VERDICTS; v++)
				u64_stats_add(&sum->v[d][v],
					      u64_stats_read(&snap.v[d][v]));
			u64_stats_add(&sum->cm_dropped[d],
				      u64_stats_read(&snap.cm_dropped[d]));
		}
	}
}

/**
 * rp_snic_port_stats() - the shim's per-port counters
 * @priv: unused
 * @net: the namespace asked about
 * @idx: which of the ports bound in @net
 * @st: filled
 *
 * Context: process context (any, in fact: it reads under RCU).
 * Return: 0, or -ENOENT if fewer ports are bound in @net.
 */
int rp_snic_port_stats(void *priv, const struct net *net, unsigned int idx,
		       struct rp_nic_port_stats *st)
{
	struct rp_snic_stats *sum;
	struct rp_snic_port *port;
	int d, v, err = -ENOENT;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	rcu_read_lock();
	list_for_each_entry_rcu(port, &rp_snic_ports, list) {
		if (!net_eq(dev_net(port->dev), net) || idx--)
			continue;
		rp_snic_sum(port, sum);
		memset(st, 0, sizeof(*st));
		st->ifindex = port->dev->ifindex;
		strscpy(st->ifname, port->dev->name, sizeof(st->ifname));
		for (d = 0; d < RP_SNIC_DIRS; d++) {
			u64 *c = st->ctr[d], n[RP_SNIC_VERDICTS];

			for (v = 0; v < RP_SNIC_VERDICTS; v++)
				n[v] = u64_stats_read(&sum->v[d][v]);
			c[RP_NIC_CTR_PASS] = n[RP_SNIC_PASS];
			c[RP_NIC_CTR_CM] = n[RP_SNIC_CM_FLAGGED] +
					   n[RP_SNIC_CM_PUNT];
			c[RP_NIC_CTR_CM_DROPPED] =
				u64_stats_read(&sum->cm_dropped[d]);
			c[RP_NIC_CTR_NO_FLOW] = n[RP_SNIC_NO_FLOW];
			c[RP_NIC_CTR_SPOOFED] = n[RP_SNIC_SPOOFED];
			c[RP_NIC_CTR_NO_RIGHT] = n[RP_SNIC_NO_RIGHT];
			c[RP_NIC_CTR_PSN] = n[RP_SNIC_PSN];
			for (v = RP_SNIC_ICRC; v < RP_SNIC_VERDICTS; v++)
				c[RP_NIC_CTR_MALFORMED] += n[v];
		}
		err = 0;
		break;
	}
	rcu_read_unlock();
	kfree(sum);
	return err;
}

static const char * const rp_snic_verdict_names[RP_SNIC_BAD] = {
	[RP_SNIC_PASS] = "data_pass",
	[RP_SNIC_NO_FLOW] = "data_no_flow",
	[RP_SNIC_SPOOFED] = "data_spoofed",
	[RP_SNIC_NO_RIGHT] = "data_no_right",
	[RP_SNIC_PSN] = "data_psn",
	[RP_SNIC_CM_FLAGGED] = "cm_flagged",
	[RP_SNIC_CM_PUNT] = "cm_punted",
	[RP_SNIC_ICRC] = "bad_icrc",
	[RP_SNIC_GSO] = "gso",
};

/*
 * One line per port and direction: "<ifname> <dir> key=value ...": roce
 * (well-framed RoCEv2), cm (of which to QP1), cm_dropped (punted and
 * refused by the exception path), then one count per verdict.
 */
void rp_snic_show_ports(struct seq_file *m)
{
	static const char * const dir_name[RP_SNIC_DIRS] = {
		[RP_SNIC_FROM_VM] = "from_vm",
		[RP_SNIC_TO_VM] = "to_vm",
	};
	struct rp_snic_port *port;
	struct rp_snic_stats *sum;
	u64 n[RP_SNIC_VERDICTS];
	int d, v;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return;
	/* under RCU only: reading counters never waits for a (un)bind */
	rcu_read_lock();
	list_for_each_entry_rcu(port, &rp_snic_ports, list) {
		rp_snic_sum(port, sum);
		for (d = 0; d < RP_SNIC_DIRS; d++) {
			for (v = 0; v < RP_SNIC_VERDICTS; v++)
				n[v] = u64_stats_read(&sum->v[d][v]);
			seq_printf(m, "%s %s roce=%llu cm=%llu cm_dropped=%llu",
				   port->dev->name, dir_name[d],
				   n[RP_SNIC_PASS] + n[RP_SNIC_NO_FLOW] +
				   n[RP_SNIC_SPOOFED] + n[RP_SNIC_NO_RIGHT] +
				   n[RP_SNIC_PSN] + n[RP_SNIC_CM_FLAGGED] +
				   n[RP_SNIC_CM_PUNT],
				   n[RP_SNIC_CM_FLAGGED] + n[RP_SNIC_CM_PUNT],
				   u64_stats_read(&sum->cm_dropped[d]));
			for (v = 0; v < RP_SNIC_VERDICTS; v++)
				seq_printf(m, " %s=%llu", v < RP_SNIC_BAD ?
					   rp_snic_verdict_names[v] :
					   rp_roce_verdict_name(v - RP_SNIC_BAD +
								RP_ROCE_ERR_TRUNC),
					   n[v]);
			seq_putc(m, '\n');
		}
	}
	rcu_read_unlock();
	kfree(sum);
}

static int rp_snic_netdev_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER)
		rp_snic_unbind(dev);
	return NOTIFY_DONE;
}

static struct notifier_block rp_snic_netdev_nb = {
	.notifier_call = rp_snic_netdev_event,
};

int rp_snic_notifier_init(void)
{
	return register_netdevice_notifier(&rp_snic_netdev_nb);
}

void rp_snic_notifier_exit(void)
{
	unregister_netdevice_notifier(&rp_snic_netdev_nb);
}
