/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_EXC_H
#define _RP_EXC_H

#include <rdmapolicy/cm.h>
#include <rdmapolicy/counters.h>
#include <rdmapolicy/roce.h>
#include <rdmapolicy/shim.h>

struct rp_net;
struct rp_tables;
struct rp_vm;

/* One CM message on the exception path; see rp_exc_decide(). */
struct rp_exc_ctx {
	struct rp_net *rn;
	struct rp_tables *t;
	int ifindex;			/* the port */
	enum rp_dir dir;
	const u8 *l3;
	unsigned int l3len;
	u16 l3proto;			/* ETH_P_IP or ETH_P_IPV6 */
	const u8 *mac;			/* sender's MAC, NULL if unknown */
	const u8 *mac_dst;
	/*
	 * in (when @parsed): a NIC's parse of @l3 (include/rdmapolicy/shim.h);
	 * out: the parse
	 */
	struct rp_roce_pkt pkt;
	bool parsed;			/* in: @pkt holds the NIC's parse */
	struct rp_cm_msg m;
	struct rp_vm *port_vm;		/* the VM behind @port */
	struct rp_vm *sender;		/* VM or remote space that sent it */
	u32 gen;			/* rp_conntrack.gen when @t was read */
	bool want_rej;			/* out: answer the requester */
};

/* RP_EXC_RETRY: decide again, the configuration changed meanwhile */
#define RP_EXC_RETRY	(RP_EXC_DROP + 1)

enum rp_exc_verdict rp_exc_decide(struct rp_exc_ctx *x);
enum rp_exc_verdict rp_exc_deny(struct rp_exc_ctx *x, u32 rule_id,
				const char *why);
bool rp_exc_stale(const struct rp_exc_ctx *x);
bool rp_exc_rate_ok(struct rp_vm *vm);
bool rp_exc_sender_ok(struct rp_tables *t, const struct rp_vm *vm,
		      const u8 *mac, const struct in6_addr *saddr);
bool rp_exc_rate_ok(struct rp_vm *vm);
bool rp_exc_vm_full(const struct rp_vm *vm);

/* rp_exc_sidr.c: SIDR_REQ, SIDR_REP, and the first UD datagram after */
struct rp_learn_ctx;
int rp_exc_sidr_req(struct rp_exc_ctx *x);
int rp_exc_sidr_rep(struct rp_exc_ctx *x);
int rp_exc_sidr_bind(struct rp_learn_ctx *x);

/* rp_exc_rej.c */
bool rp_exc_send_rej(struct net_device *port, enum rp_dir dir,
		     const struct sk_buff *req_skb,
		     const struct rp_roce_pkt *pkt,
		     const struct rp_cm_msg *req, const u8 *mac_src,
		     const u8 *mac_dst);
#if IS_ENABLED(CONFIG_KUNIT)
typedef void (*rp_exc_hook_t)(void);
extern rp_exc_hook_t rp_exc_decided_hook;
#endif

#if IS_ENABLED(CONFIG_KUNIT)
#include <linux/moduleparam.h>
extern const struct kernel_param_ops rp_processed_mark_ops;
struct sk_buff *rp_exc_rej_skb(struct net_device *port,
			       const struct sk_buff *req_skb,
			       const struct rp_roce_pkt *pkt,
			       const struct rp_cm_msg *req, const u8 *mac_src,
			       const u8 *mac_dst);
#endif

#endif
