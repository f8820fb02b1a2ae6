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
#include <linux/mutex.h>
#include <linux/netfilter_netdev.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>

#include "snic.h"

static DEFINE_MUTEX(rp_snic_lock);
static LIST_HEAD(rp_snic_ports);	/* bound ports, under rp_snic_lock */

/* Count in this CPU's counters @st (of the port); @ctr is in @st. */
static void rp_snic_inc(struct rp_snic_stats *st, u64_stats_t *ctr)
{
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(ctr);
	u64_stats_update_end(&st->syncp);
}

/* A CM message to QP1: forward if flagged, else ask the core. */
static unsigned int rp_snic_cm(struct rp_snic_port *port, enum rp_snic_dir dir,
			       struct sk_buff *skb)
{
	struct rp_snic_stats *st = this_cpu_ptr(port->stats);

	rp_snic_inc(st, &st->cm[dir]);
	if (rp_skb_processed(skb)) {
		rp_snic_inc(st, &st->cm_flagged[dir]);
		return NF_ACCEPT;
	}
	rp_snic_inc(st, &st->cm_punted[dir]);
	if (rp_exception(port->dev, (enum rp_dir)dir, skb) == RP_EXC_FORWARD)
		return NF_ACCEPT;
	rp_snic_inc(st, &st->cm_dropped[dir]);
	return NF_DROP;
}

/*
 * A data packet passes only on an installed connection, with a granted
 * opcode.  Checked once per host: where it enters, after which it carries
 * the processed flag.
 */
static unsigned int rp_snic_data(struct rp_snic_port *port,
				 enum rp_snic_dir dir, struct sk_buff *skb,
				 const struct rp_roce_pkt *pkt)
{
	struct rp_snic_stats *st = this_cpu_ptr(port->stats);
	const struct rp_snic_flow *flow;

	if (!rp_skb_processed(skb)) {
		flow = rp_snic_flow_lookup(dev_net(port->dev), pkt);
		if (!flow) {
			rp_snic_inc(st, &st->data_no_flow[dir]);
			return NF_DROP;
		}
		/*
		 * The sender must be where the flow's sender is: from a VM
		 * port only that port's flows, from elsewhere (towards the
		 * VM, not flagged) only flows of senders behind no VM port.
		 */
		if (flow->src_ifindex != (dir == RP_SNIC_FROM_VM ?
					  port->dev->ifindex : 0)) {
			rp_snic_inc(st, &st->data_spoofed[dir]);
			return NF_DROP;
		}
		if (!rp_snic_rights_allow(flow->rights, pkt->class)) {
			rp_snic_inc(st, &st->data_no_right[dir]);
			return NF_DROP;
		}
		skb->mark |= rp_processed_mark;
	}
	rp_snic_inc(st, &st->data_pass[dir]);
	return NF_ACCEPT;
}

static unsigned int rp_snic_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	enum rp_snic_dir dir = state->hook == NF_NETDEV_INGRESS ?
			       RP_SNIC_FROM_VM : RP_SNIC_TO_VM;
	struct rp_snic_port *port = priv;
	struct rp_snic_stats *st;
	u8 buf[RP_ROCE_MAX_HDR];
	struct rp_roce_pkt pkt;
	enum rp_roce_verdict v;
	unsigned int len, copy;
	const void *hdr;
	int off;

	off = skb_network_offset(skb);
	if (off < 0 || skb->len <= off)
		return NF_ACCEPT;
	len = skb->len - off;
	copy = min_t(unsigned int, len, sizeof(buf));
	hdr = skb_header_pointer(skb, off, copy, buf);
	if (!hdr)
		return NF_ACCEPT;

	v = rp_roce_parse(hdr, copy, len, ntohs(skb->protocol), &pkt);
	if (v == RP_ROCE_NOT)
		return NF_ACCEPT;
	st = this_cpu_ptr(port->stats);
	if (v != RP_ROCE_OK) {
		rp_snic_inc(st, &st->bad[dir][v]);
		return NF_DROP;
	}
	rp_snic_inc(st, &st->roce[dir]);
	if (pkt.dqpn == RP_QPN_GSI)
		return rp_snic_cm(port, dir, skb);
	return rp_snic_data(port, dir, skb, &pkt);
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
 *
 * Context: process context, RTNL held (so @dev cannot go away before the
 * NETDEV_UNREGISTER notifier can see the port).
 * Return: 0, -EEXIST if already bound, or a negative errno.
 */
int rp_snic_bind(struct net_device *dev)
{
	struct rp_snic_port *port;
	int err, i;

	ASSERT_RTNL();
	mutex_lock(&rp_snic_lock);
	if (rp_snic_find(dev)) {
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
	list_add_tail(&port->list, &rp_snic_ports);
	mutex_unlock(&rp_snic_lock);
	netdev_info(dev, "rdmapolicy_snic: port bound\n");
	return 0;

free_stats:
	free_percpu(port->stats);
free_port:
	kfree(port);
unlock:
	mutex_unlock(&rp_snic_lock);
	return err;
}

static void rp_snic_port_free(struct rp_snic_port *port)
{
	lockdep_assert_held(&rp_snic_lock);
	list_del(&port->list);
	nf_unregister_net_hooks(dev_net(port->dev), port->ops, RP_SNIC_DIRS);
	/* hooks already running may still use @port until a grace period */
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
			u64_stats_add(&sum->roce[d], u64_stats_read(&snap.roce[d]));
			u64_stats_add(&sum->cm[d], u64_stats_read(&snap.cm[d]));
			u64_stats_add(&sum->cm_flagged[d],
				      u64_stats_read(&snap.cm_flagged[d]));
			u64_stats_add(&sum->cm_punted[d],
				      u64_stats_read(&snap.cm_punted[d]));
			u64_stats_add(&sum->cm_dropped[d],
				      u64_stats_read(&snap.cm_dropped[d]));
			u64_stats_add(&sum->data_pass[d],
				      u64_stats_read(&snap.data_pass[d]));
			u64_stats_add(&sum->data_no_flow[d],
				      u64_stats_read(&snap.data_no_flow[d]));
			u64_stats_add(&sum->data_no_right[d],
				      u64_stats_read(&snap.data_no_right[d]));
			u64_stats_add(&sum->data_spoofed[d],
				      u64_stats_read(&snap.data_spoofed[d]));
			for (v = 0; v < RP_ROCE_VERDICT_MAX; v++)
				u64_stats_add(&sum->bad[d][v],
					      u64_stats_read(&snap.bad[d][v]));
		}
	}
}

/* One line per port and direction: "<ifname> <dir> key=value ..." */
void rp_snic_show_ports(struct seq_file *m)
{
	static const char * const dir_name[RP_SNIC_DIRS] = {
		[RP_SNIC_FROM_VM] = "from_vm",
		[RP_SNIC_TO_VM] = "to_vm",
	};
	struct rp_snic_port *port;
	struct rp_snic_stats *sum;
	int d, v;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return;
	mutex_lock(&rp_snic_lock);
	list_for_each_entry(port, &rp_snic_ports, list) {
		rp_snic_sum(port, sum);
		for (d = 0; d < RP_SNIC_DIRS; d++) {
			seq_printf(m, "%s %s roce=%llu cm=%llu cm_flagged=%llu cm_punted=%llu cm_dropped=%llu data_pass=%llu data_no_flow=%llu data_no_right=%llu data_spoofed=%llu",
				   port->dev->name, dir_name[d],
				   u64_stats_read(&sum->roce[d]),
				   u64_stats_read(&sum->cm[d]),
				   u64_stats_read(&sum->cm_flagged[d]),
				   u64_stats_read(&sum->cm_punted[d]),
				   u64_stats_read(&sum->cm_dropped[d]),
				   u64_stats_read(&sum->data_pass[d]),
				   u64_stats_read(&sum->data_no_flow[d]),
				   u64_stats_read(&sum->data_no_right[d]),
				   u64_stats_read(&sum->data_spoofed[d]));
			for (v = RP_ROCE_ERR_TRUNC; v < RP_ROCE_VERDICT_MAX; v++)
				seq_printf(m, " %s=%llu", rp_roce_verdict_name(v),
					   u64_stats_read(&sum->bad[d][v]));
			seq_putc(m, '\n');
		}
	}
	mutex_unlock(&rp_snic_lock);
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
