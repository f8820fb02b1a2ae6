// SPDX-License-Identifier: GPL-2.0
/*
 * The exception path's answer to a refused REQ: the REJ that rp_rej.c
 * builds, in an skb on its way to the requester.
 *
 * Runs in the NIC's packet path: softirq, rcu_read_lock() held.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include <rdmapolicy/cm.h>
#include <rdmapolicy/roce.h>
#include <rdmapolicy/shim.h>

#include "rp_exc.h"
#include "rp_rej.h"

/*
 * The REJ answering a refused REQ (@req_skb, parsed as @pkt and @req),
 * from its responder's side, ready to go on @port: flagged, and on the
 * requester's VLAN: the REQ's tag (out of band, where the receive path
 * left it) goes with it.
 */
VISIBLE_IF_KUNIT struct sk_buff *rp_exc_rej_skb(struct net_device *port,
						const struct sk_buff *req_skb,
						const struct rp_roce_pkt *pkt,
						const struct rp_cm_msg *req,
						const u8 *mac_src,
						const u8 *mac_dst)
{
	struct sk_buff *skb;
	unsigned int len;
	u8 *buf;

	skb = alloc_skb(LL_RESERVED_SPACE(port) + RP_REJ_MAX_LEN, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(port));
	buf = skb_put(skb, RP_REJ_MAX_LEN);
	len = rp_rej_build(pkt, req, RP_REJ_REASON, buf);
	if (!len)
		goto free;
	skb_trim(skb, len);
	skb_reset_network_header(skb);
	skb->protocol = htons(pkt->ip_version == 4 ? ETH_P_IP : ETH_P_IPV6);
	skb->dev = port;
	skb->mark |= rp_processed_mark;
	if (dev_hard_header(skb, port, ntohs(skb->protocol), mac_dst, mac_src,
			    skb->len) < 0)
		goto free;
	if (skb_vlan_tag_present(req_skb))
		__vlan_hwaccel_put_tag(skb, req_skb->vlan_proto,
				       skb_vlan_tag_get(req_skb));
	return skb;
free:
	kfree_skb(skb);
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(rp_exc_rej_skb);

/*
 * Answer a refused REQ with a REJ from its responder's side.  Towards a
 * requester behind @port (the REQ came from its VM) the REJ leaves through
 * the port; towards a requester elsewhere (the REQ was on its way to the
 * VM behind @port: it came over the uplink) it enters the host as if that
 * VM had sent it, so the host forwards it the way the VM's answer would
 * go.  Either way it carries the processed flag and the REQ's VLAN tag.
 * Return: whether it was handed to the device (or the stack).
 */
bool rp_exc_send_rej(struct net_device *port, enum rp_dir dir,
		     const struct sk_buff *req_skb,
		     const struct rp_roce_pkt *pkt,
		     const struct rp_cm_msg *req, const u8 *mac_src,
		     const u8 *mac_dst)
{
	struct sk_buff *skb;

	skb = rp_exc_rej_skb(port, req_skb, pkt, req, mac_src, mac_dst);
	if (!skb)
		return false;
	if (dir == RP_DIR_FROM_VM)
		return dev_queue_xmit(skb) == NET_XMIT_SUCCESS;
	skb->protocol = eth_type_trans(skb, port);
	return netif_rx(skb) == NET_RX_SUCCESS;
}
