/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/rdmapolicy.yaml */
/* by scripts/ynl-gen.py (ynl-gen-c uapi) */

#ifndef _UAPI_LINUX_RDMAPOLICY_H
#define _UAPI_LINUX_RDMAPOLICY_H

#define RDMAPOLICY_GENL_NAME	"rdmapolicy"
#define RDMAPOLICY_GENL_VERSION	1

enum {
	RP_NAME_LEN = 32,
	RP_VM_MAX_PORTS = 8,
	RP_VM_MAX_MACS = 8,
	RP_VM_MAX_PREFIXES = 16,
};

enum {
	RP_FLUSH_VMS = 1,
	RP_FLUSH_RULES = 2,
};

/**
 * enum rp_sel_type - Kind of a rule's source or destination selector.
 * @RP_SEL_VM: ``RP_A_SEL_VM``: an address space by id
 * @RP_SEL_TENANT: ``RP_A_SEL_TENANT``
 * @RP_SEL_PREFIX: ``RP_A_SEL_PREFIX``
 * @RP_SEL_GROUP: ``RP_A_SEL_PREFIX``: multicast groups (IPv4 224.0.0.0/4, IPv6
 *   ff00::/8); a rule from such a selector says who may join (receive a
 *   group's sends), one to it who may send to it
 */
enum rp_sel_type {
	RP_SEL_ANY,
	RP_SEL_VM,
	RP_SEL_TENANT,
	RP_SEL_PREFIX,
	RP_SEL_GROUP,

	/* private: */
	__RP_SEL_MAX,
	RP_SEL_MAX = (__RP_SEL_MAX - 1)
};

enum {
	RP_QP_RC = 1,
	RP_QP_UC = 2,
	RP_QP_UD = 4,
	RP_QP_XRC = 8,
};

enum {
	RP_RIGHT_SEND = 1,
	RP_RIGHT_WRITE = 2,
	RP_RIGHT_READ = 4,
	RP_RIGHT_ATOMIC = 8,
};

enum {
	RP_QP_ALL = 15,
	RP_RIGHT_ALL = 15,
};

enum rp_action {
	RP_ACT_DENY,
	RP_ACT_ALLOW,

	/* private: */
	__RP_ACT_MAX,
	RP_ACT_MAX = (__RP_ACT_MAX - 1)
};

/**
 * enum rp_setup - How a connection is set up: which a rule accepts (``cm`` or
 *   ``any``), how a tracked connection was (``cm``, ``learned`` or ``sidr``).
 * @RP_SETUP_CM: over RDMA CM (REQ/REP); a rule's default
 * @RP_SETUP_ANY: rules only: over RDMA CM or learned from the first data
 *   packet
 * @RP_SETUP_LEARNED: connections only: learned from a first data packet
 * @RP_SETUP_SIDR: connections only: a UD service over RDMA CM
 *   (SIDR_REQ/SIDR_REP, decided as cm), its UD flows bound by the first
 *   datagram
 */
enum rp_setup {
	RP_SETUP_CM,
	RP_SETUP_ANY,
	RP_SETUP_LEARNED,
	RP_SETUP_SIDR,

	/* private: */
	__RP_SETUP_MAX,
	RP_SETUP_MAX = (__RP_SETUP_MAX - 1)
};

/**
 * enum rp_event_type - What an event tells.
 * @RP_EV_CONN_DENIED: with the reason: "no rule allows", "denied by rule",
 *   "max-conns reached", "setup-rate exceeded", "connection table full"; for a
 *   first data packet (learned flows) the same reasons, and "opcode not
 *   granted", "learned flows limit reached", each followed by " (setup
 *   learned)"; for a SIDR_REQ the reasons of a REQ followed by " (setup sidr)"
 * @RP_EV_CONN_DESTROYED: with the reason: "disconnected", "rejected by peer",
 *   "timeout: no REP", "policy: denied now", "policy: fewer rights now", "vm
 *   removed", "deleted by operator", "flushed by operator", "timeout: idle
 *   (setup learned)"; for a SIDR exchange also "rejected by peer (setup
 *   sidr)", "timeout: idle (setup sidr)", "install failed (setup sidr)",
 *   "duplicate of a tracked exchange (setup sidr)"
 * @RP_EV_GROUP_JOIN: a VM joined a multicast group; the reason names the group
 * @RP_EV_GROUP_LEAVE: a VM left a group; the reason names it and why: "left",
 *   "policy: denied now", "vm removed"
 * @RP_EV_GROUP_DENIED: a VM may not join a group (its report is dropped) or
 *   send to it; the reason: "join GROUP" or "send GROUP"
 */
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
	RP_EV_GROUP_JOIN,
	RP_EV_GROUP_LEAVE,
	RP_EV_GROUP_DENIED,

	/* private: */
	__RP_EV_MAX,
	RP_EV_MAX = (__RP_EV_MAX - 1)
};

/**
 * enum rp_conn_state
 * @RP_CONN_STATE_REQ: REQ approved, no REP yet
 * @RP_CONN_STATE_ESTABLISHED: REQ and REP approved
 * @RP_CONN_STATE_CLOSING: DREQ seen
 * @RP_CONN_STATE_LEARNED: one direction learned from its first data packet,
 *   installed
 */
enum rp_conn_state {
	RP_CONN_STATE_REQ = 1,
	RP_CONN_STATE_ESTABLISHED,
	RP_CONN_STATE_CLOSING,
	RP_CONN_STATE_LEARNED,
};

/**
 * enum rp_group_kind - What ``group-get`` shows of a group.
 * @RP_GROUP_MEMBER: a VM's port in the group (its join was allowed)
 * @RP_GROUP_SENDER: a VM's source address that sent to the group, allowed or
 *   not
 */
enum rp_group_kind {
	RP_GROUP_MEMBER,
	RP_GROUP_SENDER,
};

enum {
	RP_NIC_CAP_PSN_WINDOW = 1,
	RP_NIC_CAP_ICRC = 2,
	RP_NIC_CAP_CONN_COUNTERS = 4,
};

enum rp_attr {
	RP_A_UNSPEC,
	RP_A_VM,
	RP_A_RULE,
	RP_A_FLUSH,
	RP_A_STATS,
	RP_A_EVENT,
	RP_A_CONN,
	RP_A_NIC,
	RP_A_GROUP,
	RP_A_IF_LAST_SEQ,

	__RP_A_MAX,
	RP_A_MAX = (__RP_A_MAX - 1)
};

enum rp_prefix_attr {
	RP_A_PREFIX_UNSPEC,
	RP_A_PREFIX_ADDR,
	RP_A_PREFIX_LEN,

	__RP_A_PREFIX_MAX,
	RP_A_PREFIX_MAX = (__RP_A_PREFIX_MAX - 1)
};

enum rp_vm_attr {
	RP_A_VM_UNSPEC,
	RP_A_VM_ID,
	RP_A_VM_NAME,
	RP_A_VM_TENANT,
	RP_A_VM_REMOTE,
	RP_A_VM_PORT,
	RP_A_VM_MAC,
	RP_A_VM_ADDR,
	RP_A_VM_MAX_CONNS,
	RP_A_VM_SETUP_RATE,
	RP_A_VM_STATS,
	RP_A_VM_PAD,

	__RP_A_VM_MAX,
	RP_A_VM_MAX = (__RP_A_VM_MAX - 1)
};

enum rp_vm_stats_attr {
	RP_A_VM_STATS_UNSPEC,
	RP_A_VM_STATS_ALLOWED,
	RP_A_VM_STATS_DENIED,
	RP_A_VM_STATS_CONNS,
	RP_A_VM_STATS_PAD,

	__RP_A_VM_STATS_MAX,
	RP_A_VM_STATS_MAX = (__RP_A_VM_STATS_MAX - 1)
};

enum rp_sel_attr {
	RP_A_SEL_UNSPEC,
	RP_A_SEL_TYPE,
	RP_A_SEL_VM,
	RP_A_SEL_TENANT,
	RP_A_SEL_PREFIX,

	__RP_A_SEL_MAX,
	RP_A_SEL_MAX = (__RP_A_SEL_MAX - 1)
};

enum rp_rule_attr {
	RP_A_RULE_UNSPEC,
	RP_A_RULE_ID,
	RP_A_RULE_PRIO,
	RP_A_RULE_SRC,
	RP_A_RULE_DST,
	RP_A_RULE_PS,
	RP_A_RULE_PORT_MIN,
	RP_A_RULE_PORT_MAX,
	RP_A_RULE_QP_TYPES,
	RP_A_RULE_ACTION,
	RP_A_RULE_RIGHTS,
	RP_A_RULE_HITS,
	RP_A_RULE_REPLY_RIGHTS,
	RP_A_RULE_PAD,
	RP_A_RULE_SETUP,

	__RP_A_RULE_MAX,
	RP_A_RULE_MAX = (__RP_A_RULE_MAX - 1)
};

enum rp_stats_attr {
	RP_A_STATS_UNSPEC,
	RP_A_STATS_VMS,
	RP_A_STATS_RULES,
	RP_A_STATS_DECISIONS,
	RP_A_STATS_DENIED,
	RP_A_STATS_GENERATION,
	RP_A_STATS_CONNS,
	RP_A_STATS_CM_MESSAGES,
	RP_A_STATS_CM_FLAGGED,
	RP_A_STATS_CM_DROPPED,
	RP_A_STATS_REJ_SENT,
	RP_A_STATS_SPOOFED,
	RP_A_STATS_MALFORMED,
	RP_A_STATS_NO_VM,
	RP_A_STATS_UNTRACKED,
	RP_A_STATS_RETRANSMIT,
	RP_A_STATS_UNSUPPORTED,
	RP_A_STATS_INSTALL_FAILED,
	RP_A_STATS_PAD,
	RP_A_STATS_LEARN_PACKETS,
	RP_A_STATS_LEARN_ALLOWED,
	RP_A_STATS_LEARN_DENIED,
	RP_A_STATS_LEARN_CACHED,
	RP_A_STATS_LEARN_RATE_LIMITED,
	RP_A_STATS_LEARN_FULL,
	RP_A_STATS_LEARN_SPOOFED,
	RP_A_STATS_LEARN_EXPIRED,
	RP_A_STATS_MCAST_REPORTS,
	RP_A_STATS_MCAST_JOINED,
	RP_A_STATS_MCAST_JOIN_DENIED,
	RP_A_STATS_MCAST_LEFT,
	RP_A_STATS_MCAST_SEND_ALLOWED,
	RP_A_STATS_MCAST_SEND_DENIED,
	RP_A_STATS_MCAST_FULL,

	__RP_A_STATS_MAX,
	RP_A_STATS_MAX = (__RP_A_STATS_MAX - 1)
};

enum rp_event_attr {
	RP_A_EVENT_UNSPEC,
	RP_A_EVENT_TYPE,
	RP_A_EVENT_VM_ID,
	RP_A_EVENT_RULE_ID,
	RP_A_EVENT_REASON,
	RP_A_EVENT_TENANT,

	__RP_A_EVENT_MAX,
	RP_A_EVENT_MAX = (__RP_A_EVENT_MAX - 1)
};

enum rp_conn_attr {
	RP_A_CONN_UNSPEC,
	RP_A_CONN_ID,
	RP_A_CONN_STATE,
	RP_A_CONN_REQ_VM,
	RP_A_CONN_REP_VM,
	RP_A_CONN_REQ_ADDR,
	RP_A_CONN_REP_ADDR,
	RP_A_CONN_REQ_QPN,
	RP_A_CONN_REP_QPN,
	RP_A_CONN_REQ_PSN,
	RP_A_CONN_REP_PSN,
	RP_A_CONN_PS,
	RP_A_CONN_PORT,
	RP_A_CONN_QP_TYPE,
	RP_A_CONN_RIGHTS,
	RP_A_CONN_RULE_ID,
	RP_A_CONN_AGE,
	RP_A_CONN_INSTALLED,
	RP_A_CONN_REQ_PSN_SEEN,
	RP_A_CONN_REP_PSN_SEEN,
	RP_A_CONN_REPLY_RIGHTS,
	RP_A_CONN_SETUP,
	RP_A_CONN_TENANT,

	__RP_A_CONN_MAX,
	RP_A_CONN_MAX = (__RP_A_CONN_MAX - 1)
};

enum rp_nic_attr {
	RP_A_NIC_UNSPEC,
	RP_A_NIC_NAME,
	RP_A_NIC_CAPS,
	RP_A_NIC_PSN_WINDOW,
	RP_A_NIC_CONNS,
	RP_A_NIC_MAX_CONNS,
	RP_A_NIC_PORT,

	__RP_A_NIC_MAX,
	RP_A_NIC_MAX = (__RP_A_NIC_MAX - 1)
};

enum rp_nic_port_attr {
	RP_A_NIC_PORT_UNSPEC,
	RP_A_NIC_PORT_IFINDEX,
	RP_A_NIC_PORT_IFNAME,
	RP_A_NIC_PORT_FROM_VM,
	RP_A_NIC_PORT_TO_VM,
	RP_A_NIC_PORT_TENANT,
	RP_A_NIC_PORT_OVERLAY,

	__RP_A_NIC_PORT_MAX,
	RP_A_NIC_PORT_MAX = (__RP_A_NIC_PORT_MAX - 1)
};

enum rp_group_attr {
	RP_A_GROUP_UNSPEC,
	RP_A_GROUP_KIND,
	RP_A_GROUP_GROUP,
	RP_A_GROUP_VM_ID,
	RP_A_GROUP_TENANT,
	RP_A_GROUP_ADDR,
	RP_A_GROUP_IFINDEX,
	RP_A_GROUP_ALLOWED,
	RP_A_GROUP_RULE_ID,
	RP_A_GROUP_AGE,

	__RP_A_GROUP_MAX,
	RP_A_GROUP_MAX = (__RP_A_GROUP_MAX - 1)
};

enum rp_nic_ctr_attr {
	RP_A_NIC_CTR_UNSPEC,
	RP_A_NIC_CTR_PASS,
	RP_A_NIC_CTR_CM,
	RP_A_NIC_CTR_CM_DROPPED,
	RP_A_NIC_CTR_NO_FLOW,
	RP_A_NIC_CTR_SPOOFED,
	RP_A_NIC_CTR_NO_RIGHT,
	RP_A_NIC_CTR_PSN,
	RP_A_NIC_CTR_MALFORMED,
	RP_A_NIC_CTR_PAD,
	RP_A_NIC_CTR_MCAST_DENIED,
	RP_A_NIC_CTR_MCAST_NO_MEMBER,

	__RP_A_NIC_CTR_MAX,
	RP_A_NIC_CTR_MAX = (__RP_A_NIC_CTR_MAX - 1)
};

enum rp_cmd {
	RP_CMD_UNSPEC,
	RP_CMD_VM_NEW,
	RP_CMD_VM_SET,
	RP_CMD_VM_DEL,
	RP_CMD_VM_GET,
	RP_CMD_RULE_NEW,
	RP_CMD_RULE_SET,
	RP_CMD_RULE_DEL,
	RP_CMD_RULE_GET,
	RP_CMD_FLUSH,
	RP_CMD_CONFIG_SET,
	RP_CMD_STATS_GET,
	RP_CMD_CONN_GET,
	RP_CMD_CONN_DEL,
	RP_CMD_CONN_FLUSH,
	RP_CMD_EVENT,
	RP_CMD_NIC_GET,
	RP_CMD_GROUP_GET,

	__RP_CMD_MAX,
	RP_CMD_MAX = (__RP_CMD_MAX - 1)
};

#define RDMAPOLICY_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_RDMAPOLICY_H */
