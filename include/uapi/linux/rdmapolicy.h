/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * rdmapolicy: generic netlink interface of the RDMA connection policy.
 *
 * Family "rdmapolicy", version 1, one multicast group "events".
 *
 * The configuration of a network namespace is
 *
 *   address spaces ("VMs")  RP_A_VM: who is who.  A local VM has ports
 *                           (netdevs: its tap/vhost ports), MACs and the
 *                           IP prefixes (the GIDs) it may use; a remote
 *                           address space (RP_A_VM_REMOTE) is a VM on
 *                           another host, known only by its prefixes.
 *                           Both carry a tenant (virtual network) id, and
 *                           addresses are looked up within a tenant.
 *   rules                   RP_A_RULE: the memory-access policy.  A rule
 *                           selects a source and a destination (any, VM,
 *                           tenant or prefix), an RDMA CM service (port
 *                           space and port range), QP types, and either
 *                           denies or allows with rights (send, write,
 *                           read, atomic).
 *
 * Rules are ordered by ascending RP_A_RULE_PRIO; among rules of equal
 * priority the more specific one comes first (see Documentation/policy.rst)
 * and the first matching rule decides.  When no rule matches, the
 * connection is denied.
 *
 * Requests that change state need CAP_NET_ADMIN in the user namespace that
 * owns the network namespace.  Every rejected request carries an extack
 * message naming the attribute and the reason.  RP_CMD_CONFIG_SET replaces
 * the whole configuration at once: either all of it is applied or none.
 *
 * Addresses are IPv4 (4 bytes) or IPv6 (16 bytes), network byte order.
 */
#ifndef _UAPI_LINUX_RDMAPOLICY_H
#define _UAPI_LINUX_RDMAPOLICY_H

#define RDMAPOLICY_GENL_NAME		"rdmapolicy"
#define RDMAPOLICY_GENL_VERSION		1
#define RDMAPOLICY_MCGRP_EVENTS		"events"

#define RP_NAME_LEN		32	/* VM names, with the NUL */
#define RP_VM_MAX_PORTS		8
#define RP_VM_MAX_MACS		8
#define RP_VM_MAX_PREFIXES	16

enum rp_cmd {
	RP_CMD_UNSPEC,
	RP_CMD_VM_NEW,		/* add an address space (fails if it exists) */
	RP_CMD_VM_SET,		/* change one: given attributes replace */
	RP_CMD_VM_DEL,		/* by RP_A_VM_ID or RP_A_VM_NAME */
	RP_CMD_VM_GET,		/* do: one, by id or name; dump: all */
	RP_CMD_RULE_NEW,
	RP_CMD_RULE_SET,
	RP_CMD_RULE_DEL,	/* by RP_A_RULE_ID */
	RP_CMD_RULE_GET,
	RP_CMD_FLUSH,		/* flags RP_A_FLUSH_*: what to remove */
	RP_CMD_CONFIG_SET,	/* replace everything: RP_A_VM* + RP_A_RULE* */
	RP_CMD_STATS_GET,	/* namespace-wide counters */
	RP_CMD_CONN_GET,	/* connections (dump) */
	RP_CMD_CONN_DEL,
	RP_CMD_CONN_FLUSH,
	RP_CMD_EVENT,		/* multicast only: RP_A_EVENT */
	RP_CMD_NIC_GET,		/* dump: NICs and their bound ports */
	__RP_CMD_MAX,
};

#define RP_CMD_MAX (__RP_CMD_MAX - 1)

enum rp_attr {
	RP_A_UNSPEC,
	RP_A_VM,		/* nest of rp_vm_attr; repeated in CONFIG_SET */
	RP_A_RULE,		/* nest of rp_rule_attr; repeated in CONFIG_SET */
	RP_A_FLUSH,		/* u32: RP_FLUSH_* */
	RP_A_STATS,		/* nest of rp_stats_attr */
	RP_A_EVENT,		/* nest of rp_event_attr */
	RP_A_CONN,		/* nest of rp_conn_attr */
	RP_A_PAD,
	RP_A_NIC,		/* nest of rp_nic_attr */
	__RP_A_MAX,
};

#define RP_A_MAX (__RP_A_MAX - 1)

/* RP_FLUSH_VMS is refused while rules name a VM, unless with RULES */
#define RP_FLUSH_VMS	(1U << 0)	/* all address spaces */
#define RP_FLUSH_RULES	(1U << 1)

/* A prefix: RP_A_PREFIX_ADDR of 4 or 16 bytes and its length. */
enum rp_prefix_attr {
	RP_A_PREFIX_UNSPEC,
	RP_A_PREFIX_ADDR,	/* binary, 4 or 16 bytes */
	RP_A_PREFIX_LEN,	/* u8, <= 32 or <= 128 */
	__RP_A_PREFIX_MAX,
};

#define RP_A_PREFIX_MAX (__RP_A_PREFIX_MAX - 1)

enum rp_vm_attr {
	RP_A_VM_UNSPEC,
	RP_A_VM_ID,		/* u32, != 0, unique */
	RP_A_VM_NAME,		/* string, unique */
	RP_A_VM_TENANT,		/* u32 */
	RP_A_VM_REMOTE,		/* flag: an address space on another host */
	RP_A_VM_PORT,		/* string ifname; repeated (local VMs) */
	RP_A_VM_MAC,		/* 6 bytes; repeated (local VMs) */
	RP_A_VM_ADDR,		/* nest of rp_prefix_attr; repeated */
	RP_A_VM_MAX_CONNS,	/* u32, 0: no limit */
	RP_A_VM_SETUP_RATE,	/* u32, connection setups per second, 0: none */
	RP_A_VM_STATS,		/* nest of rp_vm_stats_attr (output) */
	RP_A_VM_PAD,
	__RP_A_VM_MAX,
};

#define RP_A_VM_MAX (__RP_A_VM_MAX - 1)

enum rp_vm_stats_attr {
	RP_A_VM_STATS_UNSPEC,
	RP_A_VM_STATS_ALLOWED,		/* u64 CM messages allowed */
	RP_A_VM_STATS_DENIED,		/* u64 CM messages denied */
	RP_A_VM_STATS_CONNS,		/* u32 connections now */
	RP_A_VM_STATS_PAD,
	__RP_A_VM_STATS_MAX,
};

#define RP_A_VM_STATS_MAX (__RP_A_VM_STATS_MAX - 1)

enum rp_sel_type {
	RP_SEL_ANY,
	RP_SEL_VM,		/* RP_A_SEL_VM: an address space by id */
	RP_SEL_TENANT,		/* RP_A_SEL_TENANT */
	RP_SEL_PREFIX,		/* RP_A_SEL_PREFIX */
	__RP_SEL_MAX,
};

/* Selector of a rule's source or destination. */
enum rp_sel_attr {
	RP_A_SEL_UNSPEC,
	RP_A_SEL_TYPE,		/* u8 enum rp_sel_type */
	RP_A_SEL_VM,		/* u32 VM id */
	RP_A_SEL_TENANT,	/* u32 */
	RP_A_SEL_PREFIX,	/* nest of rp_prefix_attr */
	__RP_A_SEL_MAX,
};

#define RP_A_SEL_MAX (__RP_A_SEL_MAX - 1)

/* QP types a rule applies to. */
#define RP_QP_RC	(1U << 0)
#define RP_QP_UC	(1U << 1)
#define RP_QP_UD	(1U << 2)
#define RP_QP_XRC	(1U << 3)
#define RP_QP_ALL	(RP_QP_RC | RP_QP_UC | RP_QP_UD | RP_QP_XRC)

/* Rights on the responder's memory that an allowing rule grants. */
#define RP_RIGHT_SEND	(1U << 0)
#define RP_RIGHT_WRITE	(1U << 1)
#define RP_RIGHT_READ	(1U << 2)
#define RP_RIGHT_ATOMIC	(1U << 3)
#define RP_RIGHT_ALL	(RP_RIGHT_SEND | RP_RIGHT_WRITE | RP_RIGHT_READ | \
			 RP_RIGHT_ATOMIC)

enum rp_action {
	RP_ACT_DENY,
	RP_ACT_ALLOW,
	__RP_ACT_MAX,
};

enum rp_rule_attr {
	RP_A_RULE_UNSPEC,
	RP_A_RULE_ID,		/* u32; the kernel picks one when absent */
	RP_A_RULE_PRIO,		/* u32, lower first */
	RP_A_RULE_SRC,		/* nest of rp_sel_attr; absent: any */
	RP_A_RULE_DST,		/* nest of rp_sel_attr; absent: any */
	RP_A_RULE_PS,		/* u16 RDMA_PS_*; absent: any service */
	RP_A_RULE_PORT_MIN,	/* u16, with RP_A_RULE_PS */
	RP_A_RULE_PORT_MAX,	/* u16, >= PORT_MIN */
	RP_A_RULE_QP_TYPES,	/* u32 RP_QP_*; absent: all */
	RP_A_RULE_ACTION,	/* u8 enum rp_action */
	/* u32 RP_RIGHT_*, with RP_ACT_ALLOW: the requester's on the
	 * responder's memory
	 */
	RP_A_RULE_RIGHTS,
	RP_A_RULE_HITS,		/* u64 (output) decisions made by the rule */
	RP_A_RULE_PAD,
	/* u32 RP_RIGHT_*, with RP_ACT_ALLOW: the responder's on the
	 * requester's memory; absent: SEND if RIGHTS has it, else none
	 */
	RP_A_RULE_REPLY_RIGHTS,
	__RP_A_RULE_MAX,
};

#define RP_A_RULE_MAX (__RP_A_RULE_MAX - 1)

enum rp_stats_attr {
	RP_A_STATS_UNSPEC,
	RP_A_STATS_VMS,		/* u32 address spaces */
	RP_A_STATS_RULES,	/* u32 */
	RP_A_STATS_DECISIONS,	/* u64 */
	RP_A_STATS_DENIED,	/* u64 */
	RP_A_STATS_GENERATION,	/* u32: bumped by every config change */
	RP_A_STATS_PAD,
	RP_A_STATS_CONNS,	/* u32 connections tracked now */
	/* the exception path, all u64 */
	RP_A_STATS_CM_MESSAGES,	/* CM messages NICs handed over */
	RP_A_STATS_CM_FLAGGED,	/* forwarded with the processed flag */
	RP_A_STATS_CM_DROPPED,	/* dropped, any reason */
	RP_A_STATS_REJ_SENT,	/* fast REJs sent to requesters */
	RP_A_STATS_SPOOFED,	/* sender does not own what it claims */
	RP_A_STATS_MALFORMED,	/* bad framing, CM message or ICRC */
	RP_A_STATS_NO_VM,	/* on a port that belongs to no VM */
	RP_A_STATS_UNTRACKED,	/* follow-up of no tracked connection */
	RP_A_STATS_RETRANSMIT,	/* REQs decided before */
	RP_A_STATS_UNSUPPORTED,	/* SIDR, LAP, APR */
	RP_A_STATS_INSTALL_FAILED,	/* a NIC could not install a conn */
	__RP_A_STATS_MAX,
};

#define RP_A_STATS_MAX (__RP_A_STATS_MAX - 1)

enum rp_event_type {
	RP_EV_VM_NEW = 1,
	RP_EV_VM_SET,
	RP_EV_VM_DEL,
	RP_EV_RULE_NEW,
	RP_EV_RULE_SET,
	RP_EV_RULE_DEL,
	RP_EV_FLUSH,
	RP_EV_CONFIG_SET,
	RP_EV_CONN_NEW,
	RP_EV_CONN_ESTABLISHED,
	RP_EV_CONN_DENIED,
	RP_EV_CONN_DESTROYED,
	__RP_EV_MAX,
};

enum rp_event_attr {
	RP_A_EVENT_UNSPEC,
	RP_A_EVENT_TYPE,	/* u8 enum rp_event_type */
	RP_A_EVENT_VM_ID,	/* u32 */
	RP_A_EVENT_RULE_ID,	/* u32 */
	RP_A_EVENT_REASON,	/* string */
	__RP_A_EVENT_MAX,
};

#define RP_A_EVENT_MAX (__RP_A_EVENT_MAX - 1)

enum rp_conn_state {
	RP_CONN_STATE_REQ = 1,		/* REQ approved, no REP yet */
	RP_CONN_STATE_ESTABLISHED,	/* REQ and REP approved */
	RP_CONN_STATE_CLOSING,		/* DREQ seen */
};

enum rp_conn_attr {
	RP_A_CONN_UNSPEC,
	RP_A_CONN_ID,		/* u32 */
	RP_A_CONN_STATE,	/* u8 enum rp_conn_state */
	RP_A_CONN_REQ_VM,	/* u32 requester's VM id, 0: none of ours */
	RP_A_CONN_REP_VM,	/* u32 responder's VM id, 0: none of ours */
	RP_A_CONN_REQ_ADDR,	/* 4 or 16 bytes */
	RP_A_CONN_REP_ADDR,	/* 4 or 16 bytes */
	RP_A_CONN_REQ_QPN,	/* u32 */
	RP_A_CONN_REP_QPN,	/* u32, with ESTABLISHED */
	RP_A_CONN_REQ_PSN,	/* u32 starting PSN */
	RP_A_CONN_REP_PSN,	/* u32 */
	RP_A_CONN_PS,		/* u16 RDMA_PS_*, 0: not an RDMA CM service */
	RP_A_CONN_PORT,		/* u16 */
	RP_A_CONN_QP_TYPE,	/* u32 one RP_QP_* */
	RP_A_CONN_RIGHTS,	/* u32 RP_RIGHT_* granted */
	RP_A_CONN_RULE_ID,	/* u32 the deciding rule */
	RP_A_CONN_AGE,		/* u32 seconds since the REQ */
	RP_A_CONN_INSTALLED,	/* flag: in every NIC */
	RP_A_CONN_REQ_PSN_SEEN,	/* u32 highest request PSN of the requester */
	RP_A_CONN_REP_PSN_SEEN,	/* u32 ... of the responder (NIC PSN window) */
	RP_A_CONN_REPLY_RIGHTS,	/* u32 RP_RIGHT_* granted to the responder */
	__RP_A_CONN_MAX,
};

#define RP_A_CONN_MAX (__RP_A_CONN_MAX - 1)

/* What a NIC can do (RP_A_NIC_CAPS). */
#define RP_NIC_CAP_PSN_WINDOW	(1U << 0)	/* checks data PSNs in a window */
#define RP_NIC_CAP_ICRC		(1U << 1)	/* can verify ICRCs */
#define RP_NIC_CAP_CONN_COUNTERS (1U << 2)	/* counts per connection */

/* One message per NIC and bound port (or per NIC without ports). */
enum rp_nic_attr {
	RP_A_NIC_UNSPEC,
	RP_A_NIC_NAME,		/* string */
	RP_A_NIC_CAPS,		/* u32 RP_NIC_CAP_* */
	RP_A_NIC_PSN_WINDOW,	/* u32 current window, 0: off */
	RP_A_NIC_CONNS,		/* u32 installed connections (all namespaces) */
	RP_A_NIC_MAX_CONNS,	/* u32 */
	RP_A_NIC_PORT,		/* nest of rp_nic_port_attr */
	__RP_A_NIC_MAX,
};

#define RP_A_NIC_MAX (__RP_A_NIC_MAX - 1)

enum rp_nic_port_attr {
	RP_A_NIC_PORT_UNSPEC,
	RP_A_NIC_PORT_IFINDEX,	/* u32 */
	RP_A_NIC_PORT_IFNAME,	/* string */
	RP_A_NIC_PORT_FROM_VM,	/* nest of rp_nic_ctr_attr: from the VM */
	RP_A_NIC_PORT_TO_VM,	/* nest of rp_nic_ctr_attr: towards it */
	__RP_A_NIC_PORT_MAX,
};

#define RP_A_NIC_PORT_MAX (__RP_A_NIC_PORT_MAX - 1)

/* Packet counters of one port and direction, all u64. */
enum rp_nic_ctr_attr {
	RP_A_NIC_CTR_UNSPEC,
	RP_A_NIC_CTR_PASS,	/* data of an installed connection */
	RP_A_NIC_CTR_CM,	/* CM messages (flagged or to the exception path) */
	RP_A_NIC_CTR_CM_DROPPED,	/* ... refused by the exception path */
	RP_A_NIC_CTR_NO_FLOW,	/* data dropped: no installed connection */
	RP_A_NIC_CTR_SPOOFED,	/* data dropped: sender behind another port */
	RP_A_NIC_CTR_NO_RIGHT,	/* data dropped: opcode not granted */
	RP_A_NIC_CTR_PSN,	/* data dropped: PSN outside the window */
	RP_A_NIC_CTR_MALFORMED,	/* RoCE dropped: framing, ICRC, unpoliced */
	RP_A_NIC_CTR_PAD,
	__RP_A_NIC_CTR_MAX,
};

#define RP_A_NIC_CTR_MAX (__RP_A_NIC_CTR_MAX - 1)

#endif /* _UAPI_LINUX_RDMAPOLICY_H */
