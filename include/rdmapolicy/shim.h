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
 * Connection install/uninstall (core -> NIC) is not part of this header
 * yet.
 */
#ifndef _RDMAPOLICY_SHIM_H
#define _RDMAPOLICY_SHIM_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

enum rp_dir {
	RP_DIR_FROM_VM,		/* the port's VM sent it (netdev ingress) */
	RP_DIR_TO_VM,		/* on its way to the port's VM (egress) */
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

enum rp_exc_verdict rp_exception(struct net_device *port, enum rp_dir dir,
				 struct sk_buff *skb);

#endif /* _RDMAPOLICY_SHIM_H */
