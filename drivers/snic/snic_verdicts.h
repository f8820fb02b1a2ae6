/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the emulated NIC makes of a packet on a port, one line each:
 * RP_SNIC_VERDICT(verdict, counter, name), see enum rp_snic_verdict in
 * snic.h.  No include guard: included once per use, with RP_SNIC_VERDICT
 * defined.
 */
/* well-framed RoCEv2 data */
RP_SNIC_VERDICT(PASS, PASS, "data_pass")	/* of an installed connection */
RP_SNIC_VERDICT(NO_FLOW, NO_FLOW, "data_no_flow")	/* no installed conn */
RP_SNIC_VERDICT(SPOOFED, SPOOFED, "data_spoofed")	/* sender elsewhere */
/* RoCEv2 (data or CM) from a port of another tenant: crossing tenants */
RP_SNIC_VERDICT(TENANT, SPOOFED, "wrong_tenant")
RP_SNIC_VERDICT(NO_RIGHT, NO_RIGHT, "data_no_right")	/* opcode not granted */
RP_SNIC_VERDICT(PSN, PSN, "data_psn")		/* PSN outside the window */
/* well-framed RoCEv2 CM (QP1) */
RP_SNIC_VERDICT(CM_FLAGGED, CM, "cm_flagged")	/* processed flag: pass */
RP_SNIC_VERDICT(CM_PUNT, CM, "cm_punted")	/* for the exception path */
/* malformed RoCEv2, or RoCE the NIC cannot police: drop */
RP_SNIC_VERDICT(ICRC, MALFORMED, "bad_icrc")	/* wrong ICRC (check_icrc=1) */
RP_SNIC_VERDICT(GSO, MALFORMED, "gso")	/* GSO/GRO skb: several datagrams */
/* multicast (snic_mcast.c): RoCEv2 to a group, the VMs' reports */
RP_SNIC_VERDICT(MCAST_DENIED, MCAST_DENIED, "mcast_denied")	/* sender may not */
RP_SNIC_VERDICT(MCAST_NO_MEMBER, MCAST_NO_MEMBER, "mcast_no_member")	/* port not in it */
RP_SNIC_VERDICT(MCAST_REPORT_DROP, MCAST_DENIED, "mcast_report_dropped")	/* core said */
/* no decision on the sender: the hook asks the core, never counted */
RP_SNIC_VERDICT(MCAST_MISS, MCAST_DENIED, "mcast_miss")
