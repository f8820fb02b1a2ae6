/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one vocabulary of the tool: every value the kernel sends or takes
 * as a number (rights, QP types, port spaces, states, events, NIC caps,
 * counters) and its name, for parsing and printing alike.  A leaf.
 */
#ifndef RP_TOOL_NAMES_H
#define RP_TOOL_NAMES_H

#include <stdint.h>

/* A value and its names: text (also the command syntax) and JSON key. */
struct rp_name {
	uint32_t val;
	const char *name;
	const char *jname;	/* NULL: same as name */
};

/* Tables end with a NULL name. */
extern const struct rp_name rp_rights[];	/* RP_RIGHT_* bits */
extern const struct rp_name rp_qp_types[];	/* RP_QP_* bits */
extern const struct rp_name rp_port_spaces[];	/* RDMA_PS_* */
extern const struct rp_name rp_conn_states[];	/* enum rp_conn_state */
extern const struct rp_name rp_events[];	/* enum rp_event_type */
extern const struct rp_name rp_nic_caps[];	/* RP_NIC_CAP_* bits */
extern const struct rp_name rp_nic_ctrs[];	/* RP_A_NIC_CTR_* */
extern const struct rp_name rp_stats_ctrs[];	/* RP_A_STATS_* */
extern const struct rp_name rp_exception_ctrs[];	/* RP_A_STATS_CM_* .. */
extern const struct rp_name rp_vm_ctrs[];	/* RP_A_VM_STATS_* */

const struct rp_name *rp_name_find(const struct rp_name *t, uint32_t val);
/* the name of @val, or @dflt */
const char *rp_name_of(const struct rp_name *t, uint32_t val,
		       const char *dflt);
const char *rp_jname(const struct rp_name *n);
int rp_name_parse(const struct rp_name *t, const char *s, uint32_t *val);
/* "all" (when @all), or a comma list of names of @t, into a bit mask */
int rp_bits_parse(const char *what, const char *s, const struct rp_name *t,
		  uint32_t all, uint32_t *out);

#endif
