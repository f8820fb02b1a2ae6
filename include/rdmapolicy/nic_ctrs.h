/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The per-port packet counters of a NIC, per direction, one line each:
 * RP_NIC_CTR(id, text, json): its attribute RP_A_NIC_CTR_<id>, the CLI's
 * text and JSON names; see rdmapolicy/counters.h.
 * No include guard: included once per use, with RP_NIC_CTR defined.
 */
RP_NIC_CTR(PASS, "pass", "pass")		/* data of an installed connection */
RP_NIC_CTR(CM, "cm", "cm")		/* CM: flagged or for the exception path */
RP_NIC_CTR(CM_DROPPED, "cm-dropped", "cm_dropped")	/* ... refused by the exception path */
RP_NIC_CTR(NO_FLOW, "no-flow", "no_flow")	/* data dropped: no installed connection */
RP_NIC_CTR(SPOOFED, "spoofed", "spoofed")	/* data dropped: sender behind another port */
RP_NIC_CTR(NO_RIGHT, "no-right", "no_right")	/* data dropped: opcode not granted */
RP_NIC_CTR(PSN, "psn", "psn")		/* data dropped: PSN outside the window */
RP_NIC_CTR(MALFORMED, "malformed", "malformed")	/* RoCE dropped: framing, unpoliced */
/* data to a multicast group dropped: its sender may not send to it */
RP_NIC_CTR(MCAST_DENIED, "mcast-denied", "mcast_denied")
/* ... the port's VM is no member */
RP_NIC_CTR(MCAST_NO_MEMBER, "mcast-no-member", "mcast_no_member")
