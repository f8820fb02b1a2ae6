/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The exception path counters of a namespace, one line each:
 * RP_EXC_CTR(id, text, json, detail), see rdmapolicy/counters.h.
 * No include guard: included once per use, with RP_EXC_CTR defined.
 */
RP_EXC_CTR(DECISIONS, "decisions", "decisions", 0)	/* REQs judged */
RP_EXC_CTR(DENIED, "denied", "denied", 0)	/* REQs denied: policy, limits */
RP_EXC_CTR(CM_MESSAGES, "cm-messages", "cm_messages", 1)	/* handed over */
RP_EXC_CTR(CM_FLAGGED, "cm-flagged", "cm_flagged", 1)	/* flagged, forwarded */
RP_EXC_CTR(CM_DROPPED, "cm-dropped", "cm_dropped", 1)	/* dropped, any reason */
RP_EXC_CTR(REJ_SENT, "rej-sent", "rej_sent", 1)	/* fast REJs sent */
RP_EXC_CTR(SPOOFED, "spoofed", "spoofed", 1)	/* sender not who it claims */
RP_EXC_CTR(MALFORMED, "malformed", "malformed", 1)	/* framing, CM, ICRC */
RP_EXC_CTR(NO_VM, "no-vm", "no_vm", 1)		/* port belongs to no VM */
RP_EXC_CTR(UNTRACKED, "untracked", "untracked", 1)	/* of no tracked conn */
RP_EXC_CTR(RETRANSMIT, "retransmit", "retransmit", 1)	/* REQ decided before */
RP_EXC_CTR(UNSUPPORTED, "unsupported", "unsupported", 1)	/* SIDR, LAP, APR */
RP_EXC_CTR(INSTALL_FAILED, "install-failed", "install_failed", 1) /* by a NIC */
/* first data packets of unknown flows (learned flows, rp_learn.c) */
RP_EXC_CTR(LEARN_PACKETS, "learn-packets", "learn_packets", 1)	/* handed over */
RP_EXC_CTR(LEARN_ALLOWED, "learn-allowed", "learn_allowed", 1)	/* learned */
RP_EXC_CTR(LEARN_DENIED, "learn-denied", "learn_denied", 1)	/* an event each */
RP_EXC_CTR(LEARN_CACHED, "learn-cached", "learn_cached", 1)	/* negative cache */
RP_EXC_CTR(LEARN_RATE_LIMITED, "learn-rate-limited", "learn_rate_limited", 1)
RP_EXC_CTR(LEARN_FULL, "learn-full", "learn_full", 1)	/* VM's bound reached */
RP_EXC_CTR(LEARN_SPOOFED, "learn-spoofed", "learn_spoofed", 1)	/* not its address */
RP_EXC_CTR(LEARN_EXPIRED, "learn-expired", "learn_expired", 1)	/* idle */
/* IGMP/MLD reports and multicast senders (rp_mcast.c) */
RP_EXC_CTR(MCAST_REPORTS, "mcast-reports", "mcast_reports", 1)	/* handed over */
RP_EXC_CTR(MCAST_JOINED, "mcast-joined", "mcast_joined", 1)	/* recorded */
RP_EXC_CTR(MCAST_JOIN_DENIED, "mcast-join-denied", "mcast_join_denied", 1)
RP_EXC_CTR(MCAST_LEFT, "mcast-left", "mcast_left", 1)	/* leave, policy, VM */
RP_EXC_CTR(MCAST_SEND_ALLOWED, "mcast-send-allowed", "mcast_send_allowed", 1)
RP_EXC_CTR(MCAST_SEND_DENIED, "mcast-send-denied", "mcast_send_denied", 1)
RP_EXC_CTR(MCAST_FULL, "mcast-full", "mcast_full", 1)	/* VM's bound reached */
