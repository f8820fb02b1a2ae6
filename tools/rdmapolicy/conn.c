// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy conn: the connections the policy let through.
 *
 *   conn show
 *   conn del id ID
 *   conn flush
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rdmapolicy.h>
#include <rdma/rdma_user_cm.h>

#include "print.h"
#include "rdmapolicy.h"

static const char *state_name(uint8_t s)
{
	switch (s) {
	case RP_CONN_STATE_REQ: return "req";
	case RP_CONN_STATE_ESTABLISHED: return "established";
	case RP_CONN_STATE_CLOSING: return "closing";
	default: return "?";
	}
}

static const char *ps_name(uint16_t ps)
{
	switch (ps) {
	case RDMA_PS_TCP: return "tcp";
	case RDMA_PS_UDP: return "udp";
	case RDMA_PS_IB: return "ib";
	case RDMA_PS_IPOIB: return "ipoib";
	default: return "none";
	}
}

static const char *qp_name(uint32_t q)
{
	switch (q) {
	case RP_QP_RC: return "rc";
	case RP_QP_UC: return "uc";
	case RP_QP_UD: return "ud";
	case RP_QP_XRC: return "xrc";
	default: return "?";
	}
}

static void fmt_addr(const struct nlattr *a, char *buf, size_t len)
{
	int alen = mnl_attr_get_payload_len(a);

	inet_ntop(alen == 4 ? AF_INET : AF_INET6, mnl_attr_get_payload(a),
		  buf, len);
}

static void print_end(const char *key, const struct nlattr **ct, int vm,
		      int addr, int qpn, int psn)
{
	char buf[64], nb[16];
	uint32_t id = ct[vm] ? mnl_attr_get_u32(ct[vm]) : 0;

	pr_nest_start(key);
	pr_str(NULL, "vm", id ? vm_name(id, nb, sizeof(nb)) : "-");
	if (ct[addr]) {
		fmt_addr(ct[addr], buf, sizeof(buf));
		pr_str(NULL, "addr", buf);
	}
	if (ct[qpn])
		pr_u64("qpn", "qpn", mnl_attr_get_u32(ct[qpn]));
	if (ct[psn] && pr_is_json())
		pr_u64(NULL, "psn", mnl_attr_get_u32(ct[psn]));
	pr_nest_end();
}

/* RP_RIGHT_* as "send,write" (text) or an array (JSON), under @name */
static void conn_rights(const char *name, uint32_t r)
{
	static const char *const names[] = {
		"send", "write", "read", "atomic",
	};
	char buf[64];
	int i;

	buf[0] = '\0';
	pr_arr_start(name);
	for (i = 0; i < 4; i++)
		if (r & (1U << i)) {
			if (pr_is_json())
				pr_str(NULL, NULL, names[i]);
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "%s%s", buf[0] ? "," : "", names[i]);
		}
	pr_arr_end();
	if (!pr_is_json())
		pr_str(name, NULL, buf[0] ? buf : "none");
}

static int conn_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *ct[__RP_A_CONN_MAX];
	char buf[64];

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_CONN])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_CONN], ct, __RP_A_CONN_MAX - 1);
	if (!ct[RP_A_CONN_ID])
		return MNL_CB_OK;
	pr_obj_start();
	pr_u64("id", "id", mnl_attr_get_u32(ct[RP_A_CONN_ID]));
	if (ct[RP_A_CONN_STATE])
		pr_str("state", "state",
		       state_name(mnl_attr_get_u8(ct[RP_A_CONN_STATE])));
	print_end("req", ct, RP_A_CONN_REQ_VM, RP_A_CONN_REQ_ADDR,
		  RP_A_CONN_REQ_QPN, RP_A_CONN_REQ_PSN);
	if (!pr_is_json())
		pr_str(NULL, NULL, "->");
	print_end("rep", ct, RP_A_CONN_REP_VM, RP_A_CONN_REP_ADDR,
		  RP_A_CONN_REP_QPN, RP_A_CONN_REP_PSN);
	if (ct[RP_A_CONN_PS]) {
		uint16_t ps = mnl_attr_get_u16(ct[RP_A_CONN_PS]);
		uint16_t port = ct[RP_A_CONN_PORT] ?
				mnl_attr_get_u16(ct[RP_A_CONN_PORT]) : 0;

		if (pr_is_json()) {
			pr_nest_start("service");
			pr_str(NULL, "ps", ps_name(ps));
			pr_u64(NULL, "port", port);
			pr_nest_end();
		} else {
			snprintf(buf, sizeof(buf), "%s %u", ps_name(ps), port);
			pr_str("service", NULL, buf);
		}
	}
	if (ct[RP_A_CONN_QP_TYPE])
		pr_str("qp", "qp", qp_name(mnl_attr_get_u32(ct[RP_A_CONN_QP_TYPE])));
	if (ct[RP_A_CONN_RIGHTS])
		conn_rights("rights", mnl_attr_get_u32(ct[RP_A_CONN_RIGHTS]));
	if (ct[RP_A_CONN_REPLY_RIGHTS])
		conn_rights("reply",
			    mnl_attr_get_u32(ct[RP_A_CONN_REPLY_RIGHTS]));
	if (ct[RP_A_CONN_RULE_ID])
		pr_u64("rule", "rule", mnl_attr_get_u32(ct[RP_A_CONN_RULE_ID]));
	if (ct[RP_A_CONN_STATE] &&
	    mnl_attr_get_u8(ct[RP_A_CONN_STATE]) != RP_CONN_STATE_REQ)
		pr_flag("installed", "installed", !!ct[RP_A_CONN_INSTALLED]);
	/* the NIC's PSN window: how far each side's requests have got */
	if (ct[RP_A_CONN_REQ_PSN_SEEN] && ct[RP_A_CONN_REP_PSN_SEEN]) {
		uint32_t rq = mnl_attr_get_u32(ct[RP_A_CONN_REQ_PSN_SEEN]);
		uint32_t rp = mnl_attr_get_u32(ct[RP_A_CONN_REP_PSN_SEEN]);
		char seen[32];

		pr_nest_start("psn_seen");
		if (pr_is_json()) {
			pr_u64(NULL, "req", rq);
			pr_u64(NULL, "rep", rp);
		}
		pr_nest_end();
		if (!pr_is_json()) {
			snprintf(seen, sizeof(seen), "%u/%u", rq, rp);
			pr_str("psn-seen", NULL, seen);
		}
	}
	if (ct[RP_A_CONN_AGE])
		pr_u64("age", "age", mnl_attr_get_u32(ct[RP_A_CONN_AGE]));
	pr_obj_end();
	return MNL_CB_OK;
}

int cmd_conn(struct args *a)
{
	const char *verb = args_peek(a);
	struct nlmsghdr *nlh;
	int err;

	if (!verb || !strcmp(verb, "show") || !strcmp(verb, "list")) {
		if (verb)
			args_next(a, "verb");
		if (args_more(a)) {
			rp_err("conn show: unexpected \"%s\"", args_peek(a));
			return -EINVAL;
		}
		err = vm_cache_load();
		if (err)
			return err;
		pr_begin();
		nlh = rp_nl_msg(g_nl, RP_CMD_CONN_GET, NLM_F_DUMP);
		err = rp_nl_talk(g_nl, nlh, conn_cb, NULL);
		pr_end();
		return err;
	}
	args_next(a, "verb");
	if (!strcmp(verb, "del") || !strcmp(verb, "delete")) {
		struct nlattr *nest;
		uint32_t id;

		if (!args_match(a, "id") || args_u32(a, "id", &id)) {
			rp_err("conn del: give \"id ID\"");
			return -EINVAL;
		}
		nlh = rp_nl_msg(g_nl, RP_CMD_CONN_DEL, NLM_F_ACK);
		nest = mnl_attr_nest_start(nlh, RP_A_CONN);
		mnl_attr_put_u32(nlh, RP_A_CONN_ID, id);
		mnl_attr_nest_end(nlh, nest);
		return rp_nl_talk(g_nl, nlh, NULL, NULL);
	}
	if (!strcmp(verb, "flush")) {
		nlh = rp_nl_msg(g_nl, RP_CMD_CONN_FLUSH, NLM_F_ACK);
		return rp_nl_talk(g_nl, nlh, NULL, NULL);
	}
	rp_err("conn: unknown command \"%s\" (show, del, flush)", verb);
	return -EINVAL;
}
