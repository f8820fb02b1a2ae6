// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of the emulated SmartNIC's ports: per port, per CPU, per
 * direction and verdict (struct rp_snic_stats, written by the hook of the
 * CPU they belong to).  Read by summing the CPUs: for the shim's
 * port_stats (the counters rdmapolicy/nic_ctrs.h names) and for debugfs
 * "ports" (every verdict).
 */
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "snic.h"

/* @sum: @port's counters summed over the CPUs.  Context: RCU. */
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
		for (d = 0; d < RP_DIRS; d++) {
			for (v = 0; v < RP_SNIC_VERDICTS; v++)
				u64_stats_add(&sum->v[d][v],
					      u64_stats_read(&snap.v[d][v]));
			u64_stats_add(&sum->cm_dropped[d],
				      u64_stats_read(&snap.cm_dropped[d]));
		}
	}
}

/* The shim counter each verdict is summed into, in verdict order */
#define RP_SNIC_VERDICT(v, ctr, name)	RP_NIC_CTR_##ctr,
static const u8 rp_snic_verdict_ctr[RP_SNIC_BAD] = {
#include "snic_verdicts.h"
};

#undef RP_SNIC_VERDICT

/* The shim's counters of one direction, from the port's sums @sum. */
static void rp_snic_ctrs(const struct rp_snic_stats *sum, enum rp_dir d,
			 u64 *c)
{
	int v;

	for (v = 0; v < RP_SNIC_VERDICTS; v++)
		c[v < RP_SNIC_BAD ? rp_snic_verdict_ctr[v] :
				    RP_NIC_CTR_MALFORMED] +=
			u64_stats_read(&sum->v[d][v]);
	c[RP_NIC_CTR_CM_DROPPED] = u64_stats_read(&sum->cm_dropped[d]);
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
	int d, err = -ENOENT;

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
		st->tenant = READ_ONCE(port->tenant);
		st->overlay = port->overlay;
		for (d = 0; d < RP_DIRS; d++)
			rp_snic_ctrs(sum, d, st->ctr[d]);
		err = 0;
		break;
	}
	rcu_read_unlock();
	kfree(sum);
	return err;
}

/* debugfs names of the verdicts, in verdict order */
#define RP_SNIC_VERDICT(v, ctr, name)	name,
static const char * const rp_snic_verdict_names[RP_SNIC_BAD] = {
#include "snic_verdicts.h"
};

#undef RP_SNIC_VERDICT

/*
 * One line per port and direction: "<ifname> <dir> key=value ...": roce
 * (well-framed RoCEv2: all but the malformed), cm (of which to QP1),
 * cm_dropped (punted and refused by the exception path), then one count
 * per verdict.
 */
void rp_snic_show_ports(struct seq_file *m)
{
	static const char * const dir_name[RP_DIRS] = {
		[RP_DIR_FROM_VM] = "from_vm",
		[RP_DIR_TO_VM] = "to_vm",
	};
	struct rp_snic_port *port;
	struct rp_snic_stats *sum;
	u64 c[RP_NIC_CTRS], roce;
	int d, v;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return;
	/* under RCU only: reading counters never waits for a (un)bind */
	rcu_read_lock();
	list_for_each_entry_rcu(port, &rp_snic_ports, list) {
		rp_snic_sum(port, sum);
		for (d = 0; d < RP_DIRS; d++) {
			memset(c, 0, sizeof(c));
			rp_snic_ctrs(sum, d, c);
			roce = 0;
			for (v = 0; v < RP_NIC_CTRS; v++)
				if (v != RP_NIC_CTR_CM_DROPPED &&
				    v != RP_NIC_CTR_MALFORMED)
					roce += c[v];
			seq_printf(m, "%s %s roce=%llu cm=%llu cm_dropped=%llu",
				   port->dev->name, dir_name[d], roce,
				   c[RP_NIC_CTR_CM], c[RP_NIC_CTR_CM_DROPPED]);
			for (v = 0; v < RP_SNIC_VERDICTS; v++)
				seq_printf(m, " %s=%llu", v < RP_SNIC_BAD ?
					   rp_snic_verdict_names[v] :
					   rp_roce_verdict_name(v - RP_SNIC_BAD +
								RP_ROCE_ERR_TRUNC),
					   u64_stats_read(&sum->v[d][v]));
			seq_putc(m, '\n');
		}
	}
	rcu_read_unlock();
	kfree(sum);
}
