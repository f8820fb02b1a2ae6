/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exception path's counters, apart from the exception path itself:
 * struct rp_net holds them (rp_net.h), the exception path counts them
 * (rp_exc.c), STATS_GET reports them (rp_nl_stats.c).
 */
#ifndef _RP_EXC_STATS_H
#define _RP_EXC_STATS_H

/* Exception path counters of a namespace (rp_net.exc[]). */
enum rp_exc_stat {
	RP_EXC_MESSAGES,	/* handed over by NICs */
	RP_EXC_FLAGGED,		/* forwarded with the processed flag */
	RP_EXC_DROPPED,		/* dropped, any reason */
	RP_EXC_DENIED,		/* REQs denied by policy or limits */
	RP_EXC_REJ_SENT,	/* fast REJs sent */
	RP_EXC_SPOOFED,		/* sender does not own what it claims */
	RP_EXC_MALFORMED,	/* bad framing, CM or ICRC */
	RP_EXC_NO_VM,		/* port belongs to no VM */
	RP_EXC_UNTRACKED,	/* follow-up of no tracked connection */
	RP_EXC_RETRANSMIT,	/* REQ already decided */
	RP_EXC_UNSUPPORTED,	/* SIDR, LAP, APR */
	RP_EXC_INSTALL_FAILED,	/* a NIC could not install a connection */
	RP_EXC_NSTATS,
};

#endif /* _RP_EXC_STATS_H */
