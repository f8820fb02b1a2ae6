// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy conn: the connections the policy let through.
 *
 *   conn show
 *   conn del id ID
 *   conn flush
 *
 * conn show prints one connection per block: its id, state and two ends
 * on the first line, what the policy granted on the second, and with -s
 * how far each side's requests have got in the NIC's PSN window (-s -s:
 * per side, with the starting PSNs).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

struct end_attrs {
	int vm, addr, qpn, psn, psn_seen;
};

static const struct end_attrs req_end = {
	RP_A_CONN_REQ_VM, RP_A_CONN_REQ_ADDR, RP_A_CONN_REQ_QPN,
	RP_A_CONN_REQ_PSN, RP_A_CONN_REQ_PSN_SEEN,
};

static const struct end_attrs rep_end = {
	RP_A_CONN_REP_VM, RP_A_CONN_REP_ADDR, RP_A_CONN_REP_QPN,
	RP_A_CONN_REP_PSN, RP_A_CONN_REP_PSN_SEEN,
};

/* One end: text "vm1 10.10.0.1 qpn 17"; JSON "req": {"vm": ...} */
static void print_end(struct rd *rd, const char *key,
		      const struct nlattr **ct, const struct end_attrs *e)
{
	uint32_t id = ct[e->vm] ? mnl_attr_get_u32(ct[e->vm]) : 0;
	struct pr *p = &rd->pr;
	char buf[64];

	pr_nest_start(p, PR_JSON, key, NULL);
	pr_strc(p, PR_ANY, PR_C_NAME, NULL, "vm",
		id ? rd_vm_name(rd, id, buf, sizeof(buf)) : "-");
	if (ct[e->addr]) {
		const struct nlattr *a = ct[e->addr];

		inet_ntop(mnl_attr_get_payload_len(a) == 4 ? AF_INET :
			  AF_INET6, mnl_attr_get_payload(a), buf, sizeof(buf));
		pr_strc(p, PR_ANY, PR_C_ADDR, NULL, "addr", buf);
	}
	if (ct[e->qpn])
		pr_u64(p, PR_ANY, "qpn", "qpn", mnl_attr_get_u32(ct[e->qpn]));
	if (ct[e->psn])
		pr_u64(p, PR_JSON, NULL, "psn", mnl_attr_get_u32(ct[e->psn]));
	pr_nest_end(p);
}

/* -s: the NIC's PSN window; -s -s: per side, with the starting PSN */
static void print_psn(struct rd *rd, const struct nlattr **ct)
{
	struct pr *p = &rd->pr;
	int detail = rd->stats >= 2 ? PR_TEXT : 0;
	int sum = rd->stats == 1 ? PR_TEXT : 0;
	const struct end_attrs *e[2] = { &req_end, &rep_end };
	static const char *const side[2] = { "req", "rep" };
	static const char *const label[2] = { "req:", "rep:" };
	int i;

	if (!ct[RP_A_CONN_REQ_PSN_SEEN] || !ct[RP_A_CONN_REP_PSN_SEEN])
		return;
	pr_nest_start(p, PR_JSON | sum, "psn_seen", "psn-seen");
	for (i = 0; i < 2; i++)
		pr_u64(p, PR_JSON | sum, side[i], side[i],
		       mnl_attr_get_u32(ct[e[i]->psn_seen]));
	pr_nest_end(p);
	for (i = 0; i < 2; i++) {
		pr_nest_start(p, detail, NULL, label[i]);
		if (ct[e[i]->psn])
			pr_u64(p, detail, "psn-start", NULL,
			       mnl_attr_get_u32(ct[e[i]->psn]));
		pr_u64(p, detail, "psn-seen", NULL,
		       mnl_attr_get_u32(ct[e[i]->psn_seen]));
		pr_nest_end(p);
	}
}

static int conn_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *ct[RP_A_CONN_MAX + 1];
	struct rd *rd = data;
	struct pr *p = &rd->pr;
	uint8_t state = 0;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_CONN])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_CONN], ct, RP_A_CONN_MAX);
	if (!ct[RP_A_CONN_ID])
		return MNL_CB_OK;
	pr_obj_start(p);
	pr_u64(p, PR_ANY, "conn", "id", mnl_attr_get_u32(ct[RP_A_CONN_ID]));
	if (ct[RP_A_CONN_STATE]) {
		state = mnl_attr_get_u8(ct[RP_A_CONN_STATE]);
		pr_strc(p, PR_ANY, state == RP_CONN_STATE_ESTABLISHED ?
			PR_C_GOOD : PR_C_NONE, NULL, "state",
			rp_name_of(rp_conn_states, state, "?"));
	}
	if (ct[RP_A_CONN_TENANT])
		pr_u64(p, PR_ANY, "tenant", "tenant",
		       mnl_attr_get_u32(ct[RP_A_CONN_TENANT]));
	print_end(rd, "req", ct, &req_end);
	pr_str(p, PR_TEXT, NULL, NULL, "->");
	print_end(rd, "rep", ct, &rep_end);

	pr_nest_start(p, PR_TEXT, NULL, NULL);
	if (ct[RP_A_CONN_PS]) {
		pr_nest_start(p, PR_JSON, "service", NULL);
		pr_str(p, PR_ANY, "service", "ps",
		       rp_name_of(rp_port_spaces,
				  mnl_attr_get_u16(ct[RP_A_CONN_PS]), "none"));
		pr_u64(p, PR_ANY, NULL, "port", ct[RP_A_CONN_PORT] ?
		       mnl_attr_get_u16(ct[RP_A_CONN_PORT]) : 0);
		pr_nest_end(p);
	}
	if (ct[RP_A_CONN_QP_TYPE])
		pr_str(p, PR_ANY, "qp", "qp",
		       rp_name_of(rp_qp_types,
				  mnl_attr_get_u32(ct[RP_A_CONN_QP_TYPE]), "?"));
	if (ct[RP_A_CONN_RIGHTS])
		pr_bits(p, PR_ANY, "rights", "rights",
			mnl_attr_get_u32(ct[RP_A_CONN_RIGHTS]), rp_rights, 0);
	if (ct[RP_A_CONN_REPLY_RIGHTS])
		pr_bits(p, PR_ANY, "reply", "reply",
			mnl_attr_get_u32(ct[RP_A_CONN_REPLY_RIGHTS]),
			rp_rights, 0);
	if (ct[RP_A_CONN_SETUP] &&
	    mnl_attr_get_u8(ct[RP_A_CONN_SETUP]) == RP_SETUP_LEARNED)
		pr_str(p, PR_ANY, "setup", "setup", "learned");
	if (ct[RP_A_CONN_SETUP] &&
	    mnl_attr_get_u8(ct[RP_A_CONN_SETUP]) == RP_SETUP_SIDR)
		pr_str(p, PR_ANY, "setup", "setup", "sidr");
	if (ct[RP_A_CONN_RULE_ID])
		pr_u64(p, PR_ANY, "rule", "rule",
		       mnl_attr_get_u32(ct[RP_A_CONN_RULE_ID]));
	if (ct[RP_A_CONN_STATE] && state != RP_CONN_STATE_REQ)
		pr_flag(p, PR_ANY, "installed", "installed",
			!!ct[RP_A_CONN_INSTALLED]);
	if (ct[RP_A_CONN_AGE])
		pr_u64(p, PR_ANY, "age", "age",
		       mnl_attr_get_u32(ct[RP_A_CONN_AGE]));
	pr_nest_end(p);
	print_psn(rd, ct);
	pr_obj_end(p);
	return MNL_CB_OK;
}

static int conn_show(struct rd *rd, struct args *a)
{
	struct nlmsghdr *nlh;
	int err;

	if (args_end(a, "conn show"))
		return -EINVAL;
	err = cache_load(&rd->cache, &rd->nl);
	if (err)
		return err;
	pr_begin(&rd->pr);
	nlh = rp_nl_msg(&rd->nl, RP_CMD_CONN_GET, NLM_F_DUMP);
	err = rp_nl_talk(&rd->nl, nlh, conn_cb, rd);
	pr_end(&rd->pr);
	return err;
}

static int conn_del(struct rd *rd, struct args *a)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t id;

	if (!args_match(a, "id") || args_u32(a, "id", &id)) {
		rp_err("conn del: give \"id ID\"");
		return -EINVAL;
	}
	if (args_end(a, "conn del"))
		return -EINVAL;
	nlh = rp_nl_msg(&rd->nl, RP_CMD_CONN_DEL, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, RP_A_CONN);
	mnl_attr_put_u32(nlh, RP_A_CONN_ID, id);
	mnl_attr_nest_end(nlh, nest);
	return rp_nl_talk(&rd->nl, nlh, NULL, NULL);
}

static int conn_flush(struct rd *rd, struct args *a)
{
	if (args_end(a, "conn flush"))
		return -EINVAL;
	return rp_nl_talk(&rd->nl,
			  rp_nl_msg(&rd->nl, RP_CMD_CONN_FLUSH, NLM_F_ACK),
			  NULL, NULL);
}

static const struct kw conn_id_kws[] = {
	{ "id", CV_CONN }, { NULL, CV_NONE },
};

const struct cmd conn_cmds[] = {
	{ "show", conn_show, "",
	  "show connections (with -s: their PSN windows)" },
	{ "del", conn_del, "id ID", "forget a connection (uninstall it)",
	  CMD_F_EXACT, .kws = conn_id_kws },
	{ "flush", conn_flush, "", "forget all connections", CMD_F_EXACT },
	{ "list", conn_show, "", "", CMD_F_EXACT | CMD_F_HIDDEN },
	{ "delete", conn_del, "", "", CMD_F_EXACT | CMD_F_HIDDEN,
	  .kws = conn_id_kws },
	{ NULL },
};
