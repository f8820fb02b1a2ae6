// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy rule: the memory-access policy.
 *
 *   rule add [id ID] [prio N] [from SEL] [to SEL] [service SVC] [qp QPS]
 *            { allow RIGHTS [reply RIGHTS | reply none] | deny }
 *   rule change id ID ... (the whole rule again)
 *   rule del id ID
 *   rule show [id ID]
 *   rule flush
 *
 *   SEL    := any | vm NAME | tenant ID | prefix PREFIX | PREFIX
 *   SVC    := any | { tcp | udp | ib | ipoib } [PORT | PORT-PORT]
 *   QPS    := all | LIST of rc, uc, ud, xrc
 *   RIGHTS := all | LIST of send, write, read, atomic
 *
 * "allow" grants the requester RIGHTS on the responder's memory; "reply"
 * what the responder may do to the requester (default: send, if allowed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rdmapolicy.h>
#include <rdma/rdma_user_cm.h>

#include "print.h"
#include "rdmapolicy.h"

struct name_bit {
	const char *name;
	uint32_t bit;
};

static const struct name_bit qp_names[] = {
	{ "rc", RP_QP_RC }, { "uc", RP_QP_UC }, { "ud", RP_QP_UD },
	{ "xrc", RP_QP_XRC }, { NULL, 0 },
};

static const struct name_bit right_names[] = {
	{ "send", RP_RIGHT_SEND }, { "write", RP_RIGHT_WRITE },
	{ "read", RP_RIGHT_READ }, { "atomic", RP_RIGHT_ATOMIC },
	{ NULL, 0 },
};

static const struct name_bit ps_names[] = {
	{ "tcp", RDMA_PS_TCP }, { "udp", RDMA_PS_UDP }, { "ib", RDMA_PS_IB },
	{ "ipoib", RDMA_PS_IPOIB }, { NULL, 0 },
};

static int parse_bits(const char *what, const char *s,
		      const struct name_bit *names, uint32_t all, uint32_t *out)
{
	char *copy, *tok, *save;
	int i;

	if (!strcmp(s, "all")) {
		*out = all;
		return 0;
	}
	*out = 0;
	copy = strdup(s);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; names[i].name; i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (!names[i].name) {
			rp_err("%s: unknown \"%s\"", what, tok);
			free(copy);
			return -EINVAL;
		}
		*out |= names[i].bit;
	}
	free(copy);
	if (!*out) {
		rp_err("%s: empty list", what);
		return -EINVAL;
	}
	return 0;
}

static void fmt_bits(uint32_t v, const struct name_bit *names, uint32_t all,
		     char *buf, size_t len)
{
	int i;

	if (v == all) {
		snprintf(buf, len, "all");
		return;
	}
	buf[0] = '\0';
	for (i = 0; names[i].name; i++)
		if (v & names[i].bit)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? "," : "", names[i].name);
}

static int parse_sel(struct args *a, struct nlmsghdr *nlh, int type,
		     const char *what)
{
	const char *s = args_next(a, what);
	struct nlattr *nest;
	uint8_t addr[16], plen;
	uint32_t v;
	int alen;

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "any"))
		return 0;
	nest = mnl_attr_nest_start(nlh, type);
	if (!strcmp(s, "vm")) {
		s = args_next(a, "VM name");
		if (!s || vm_resolve(s, &v))
			return -ENOENT;
		mnl_attr_put_u8(nlh, RP_A_SEL_TYPE, RP_SEL_VM);
		mnl_attr_put_u32(nlh, RP_A_SEL_VM, v);
	} else if (!strcmp(s, "tenant")) {
		if (args_u32(a, "tenant", &v))
			return -EINVAL;
		mnl_attr_put_u8(nlh, RP_A_SEL_TYPE, RP_SEL_TENANT);
		mnl_attr_put_u32(nlh, RP_A_SEL_TENANT, v);
	} else {
		if (!strcmp(s, "prefix")) {
			s = args_next(a, "prefix");
			if (!s)
				return -EINVAL;
		}
		if (parse_prefix(s, addr, &alen, &plen)) {
			rp_err("%s: \"%s\" is not any, vm NAME, tenant ID or a prefix",
			       what, s);
			return -EINVAL;
		}
		mnl_attr_put_u8(nlh, RP_A_SEL_TYPE, RP_SEL_PREFIX);
		put_prefix(nlh, RP_A_SEL_PREFIX, addr, alen, plen);
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int parse_service(struct args *a, struct nlmsghdr *nlh)
{
	const char *s = args_next(a, "service");
	uint32_t ps, lo, hi;
	const char *p;
	char *dash;
	int i;

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "any"))
		return 0;
	for (i = 0; ps_names[i].name; i++)
		if (!strcmp(s, ps_names[i].name))
			break;
	if (!ps_names[i].name) {
		rp_err("service: unknown port space \"%s\" (tcp, udp, ib, ipoib, any)",
		       s);
		return -EINVAL;
	}
	ps = ps_names[i].bit;
	mnl_attr_put_u16(nlh, RP_A_RULE_PS, ps);
	p = args_peek(a);
	if (!p || p[0] < '0' || p[0] > '9')
		return 0;	/* the whole port space */
	args_next(a, "port");
	dash = strchr(p, '-');
	if (dash) {
		char lo_s[16];

		snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dash - p), p);
		if (parse_u32(lo_s, &lo) || parse_u32(dash + 1, &hi))
			goto bad;
	} else {
		if (parse_u32(p, &lo))
			goto bad;
		hi = lo;
	}
	if (lo > 65535 || hi > 65535) {
		rp_err("service: port out of range 0-65535: \"%s\"", p);
		return -ERANGE;
	}
	if (lo > hi) {
		rp_err("service: range \"%s\" runs backwards", p);
		return -EINVAL;
	}
	mnl_attr_put_u16(nlh, RP_A_RULE_PORT_MIN, lo);
	mnl_attr_put_u16(nlh, RP_A_RULE_PORT_MAX, hi);
	return 0;
bad:
	rp_err("service: \"%s\" is not a port or a port range", p);
	return -EINVAL;
}

/* Parse a rule into a RP_A_RULE nest; @need_id for change. */
int rule_parse(struct args *a, struct nlmsghdr *nlh, bool need_id)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RP_A_RULE);
	bool have_id = false, have_action = false, allow = false;
	uint32_t v;
	int err;

	while (args_more(a)) {
		const char *kw = args_next(a, "keyword");

		/* the action ends a rule; only "reply" follows an "allow" */
		if (have_action && !(allow && !strcmp(kw, "reply"))) {
			rp_err("rule: \"%s\" after the action", kw);
			return -EINVAL;
		}
		if (!strcmp(kw, "id")) {
			if (args_u32(a, "id", &v))
				return -EINVAL;
			if (!v) {
				rp_err("id: 0 is reserved");
				return -EINVAL;
			}
			mnl_attr_put_u32(nlh, RP_A_RULE_ID, v);
			have_id = true;
		} else if (!strcmp(kw, "prio") || !strcmp(kw, "priority")) {
			if (args_u32(a, "prio", &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_RULE_PRIO, v);
		} else if (!strcmp(kw, "from")) {
			err = parse_sel(a, nlh, RP_A_RULE_SRC, "from");
			if (err)
				return err;
		} else if (!strcmp(kw, "to")) {
			err = parse_sel(a, nlh, RP_A_RULE_DST, "to");
			if (err)
				return err;
		} else if (!strcmp(kw, "service")) {
			err = parse_service(a, nlh);
			if (err)
				return err;
		} else if (!strcmp(kw, "qp")) {
			const char *s = args_next(a, "QP types");

			if (!s || parse_bits("qp", s, qp_names, RP_QP_ALL, &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_RULE_QP_TYPES, v);
		} else if (!strcmp(kw, "allow")) {
			const char *s = args_next(a, "rights");

			if (!s || parse_bits("allow", s, right_names,
					     RP_RIGHT_ALL, &v))
				return -EINVAL;
			mnl_attr_put_u8(nlh, RP_A_RULE_ACTION, RP_ACT_ALLOW);
			mnl_attr_put_u32(nlh, RP_A_RULE_RIGHTS, v);
			have_action = true;
			allow = true;
		} else if (!strcmp(kw, "reply")) {
			const char *s = args_next(a, "reply rights");

			if (!s)
				return -EINVAL;
			if (!strcmp(s, "none"))
				v = 0;
			else if (parse_bits("reply", s, right_names,
					    RP_RIGHT_ALL, &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_RULE_REPLY_RIGHTS, v);
			allow = false;	/* one reply */
		} else if (!strcmp(kw, "deny")) {
			mnl_attr_put_u8(nlh, RP_A_RULE_ACTION, RP_ACT_DENY);
			have_action = true;
		} else {
			rp_err("rule: unknown keyword \"%s\"", kw);
			return -EINVAL;
		}
	}
	if (!have_action) {
		rp_err("rule: missing \"allow RIGHTS\" or \"deny\"");
		return -EINVAL;
	}
	if (need_id && !have_id) {
		rp_err("rule change: missing \"id ID\"");
		return -EINVAL;
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int rule_add_change(struct args *a, bool add)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = rp_nl_msg(g_nl, add ? RP_CMD_RULE_NEW : RP_CMD_RULE_SET,
			NLM_F_ACK);
	err = rule_parse(a, nlh, !add);
	if (err)
		return err;
	return rp_nl_talk(g_nl, nlh, NULL, NULL);
}

static int rule_by_id(struct args *a, uint8_t cmd, mnl_cb_t cb, void *data)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t id;

	if (!args_match(a, "id")) {
		rp_err("rule: give \"id ID\"");
		return -EINVAL;
	}
	if (args_u32(a, "id", &id))
		return -EINVAL;
	if (args_more(a)) {
		rp_err("rule: unexpected \"%s\"", args_peek(a));
		return -EINVAL;
	}
	nlh = rp_nl_msg(g_nl, cmd, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, RP_A_RULE);
	mnl_attr_put_u32(nlh, RP_A_RULE_ID, id);
	mnl_attr_nest_end(nlh, nest);
	return rp_nl_talk(g_nl, nlh, cb, data);
}

/* ---- show ---- */

struct rule_rec {
	uint32_t id, prio;
	size_t len;
	void *attr;		/* copy of the RP_A_RULE nest */
};

struct rule_list {
	struct rule_rec *r;
	size_t n;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *rt[RP_A_RULE_MAX + 1];
	struct rule_list *l = data;
	struct rule_rec *r;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_RULE])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_RULE], rt, RP_A_RULE_MAX);
	if (!rt[RP_A_RULE_ID])
		return MNL_CB_OK;
	l->r = realloc(l->r, (l->n + 1) * sizeof(*l->r));
	if (!l->r)
		abort();
	r = &l->r[l->n++];
	r->id = mnl_attr_get_u32(rt[RP_A_RULE_ID]);
	r->prio = rt[RP_A_RULE_PRIO] ? mnl_attr_get_u32(rt[RP_A_RULE_PRIO]) : 0;
	r->len = tb[RP_A_RULE]->nla_len;
	r->attr = malloc(r->len);
	memcpy(r->attr, tb[RP_A_RULE], r->len);
	return MNL_CB_OK;
}

static int rule_cmp(const void *x, const void *y)
{
	const struct rule_rec *a = x, *b = y;

	if (a->prio != b->prio)
		return a->prio < b->prio ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void print_sel(const char *tkey, const struct nlattr *nest)
{
	const struct nlattr *st[RP_A_SEL_MAX + 1];
	char buf[64], nb[16];
	uint8_t type;

	if (!nest) {
		if (pr_is_json()) {
			pr_nest_start(tkey);
			pr_str(NULL, "type", "any");
			pr_nest_end();
		} else {
			pr_str(tkey, NULL, "any");
		}
		return;
	}
	rp_nl_parse_nest(nest, st, RP_A_SEL_MAX);
	type = st[RP_A_SEL_TYPE] ? mnl_attr_get_u8(st[RP_A_SEL_TYPE]) : 0;
	if (type == RP_SEL_VM && st[RP_A_SEL_VM]) {
		uint32_t id = mnl_attr_get_u32(st[RP_A_SEL_VM]);

		snprintf(buf, sizeof(buf), "vm %s", vm_name(id, nb, sizeof(nb)));
		if (pr_is_json()) {
			pr_nest_start(tkey);
			pr_str(NULL, "type", "vm");
			pr_str(NULL, "vm", vm_name(id, nb, sizeof(nb)));
			pr_u64(NULL, "vm_id", id);
			pr_nest_end();
		} else {
			pr_str(tkey, NULL, buf);
		}
	} else if (type == RP_SEL_TENANT && st[RP_A_SEL_TENANT]) {
		uint32_t t = mnl_attr_get_u32(st[RP_A_SEL_TENANT]);

		if (pr_is_json()) {
			pr_nest_start(tkey);
			pr_str(NULL, "type", "tenant");
			pr_u64(NULL, "tenant", t);
			pr_nest_end();
		} else {
			snprintf(buf, sizeof(buf), "tenant %u", t);
			pr_str(tkey, NULL, buf);
		}
	} else if (type == RP_SEL_PREFIX && st[RP_A_SEL_PREFIX] &&
		   !get_prefix(st[RP_A_SEL_PREFIX], buf, sizeof(buf))) {
		if (pr_is_json()) {
			pr_nest_start(tkey);
			pr_str(NULL, "type", "prefix");
			pr_str(NULL, "prefix", buf);
			pr_nest_end();
		} else {
			char t[80];

			snprintf(t, sizeof(t), "prefix %s", buf);
			pr_str(tkey, NULL, t);
		}
	}
}

static void print_rule(const struct nlattr *nest, bool save)
{
	const struct nlattr *rt[RP_A_RULE_MAX + 1];
	char buf[64];
	uint8_t action;
	int i;

	rp_nl_parse_nest(nest, rt, RP_A_RULE_MAX);
	pr_obj_start();
	if (save)
		pr_str(NULL, NULL, "rule add");
	pr_u64("id", "id", mnl_attr_get_u32(rt[RP_A_RULE_ID]));
	pr_u64("prio", "prio", rt[RP_A_RULE_PRIO] ?
	       mnl_attr_get_u32(rt[RP_A_RULE_PRIO]) : 0);
	print_sel("from", rt[RP_A_RULE_SRC]);
	print_sel("to", rt[RP_A_RULE_DST]);
	if (!rt[RP_A_RULE_PS]) {
		if (pr_is_json()) {
			pr_nest_start("service");
			pr_str(NULL, "ps", "any");
			pr_nest_end();
		} else {
			pr_str("service", NULL, "any");
		}
	} else {
		uint16_t ps = mnl_attr_get_u16(rt[RP_A_RULE_PS]);
		uint16_t lo = rt[RP_A_RULE_PORT_MIN] ?
			      mnl_attr_get_u16(rt[RP_A_RULE_PORT_MIN]) : 0;
		uint16_t hi = rt[RP_A_RULE_PORT_MAX] ?
			      mnl_attr_get_u16(rt[RP_A_RULE_PORT_MAX]) : 65535;
		const char *psn = NULL;

		for (i = 0; ps_names[i].name; i++)
			if (ps_names[i].bit == ps)
				psn = ps_names[i].name;
		if (pr_is_json()) {
			pr_nest_start("service");
			pr_str(NULL, "ps", psn ? psn : "?");
			pr_u64(NULL, "port_min", lo);
			pr_u64(NULL, "port_max", hi);
			pr_nest_end();
		} else {
			if (lo == hi)
				snprintf(buf, sizeof(buf), "%s %u", psn, lo);
			else if (lo == 0 && hi == 65535)
				snprintf(buf, sizeof(buf), "%s", psn);
			else
				snprintf(buf, sizeof(buf), "%s %u-%u", psn, lo,
					 hi);
			pr_str("service", NULL, buf);
		}
	}
	if (rt[RP_A_RULE_QP_TYPES]) {
		uint32_t q = mnl_attr_get_u32(rt[RP_A_RULE_QP_TYPES]);

		if (pr_is_json()) {
			pr_arr_start("qp");
			for (i = 0; qp_names[i].name; i++)
				if (q & qp_names[i].bit)
					pr_str(NULL, NULL, qp_names[i].name);
			pr_arr_end();
		} else {
			fmt_bits(q, qp_names, RP_QP_ALL, buf, sizeof(buf));
			pr_str("qp", NULL, buf);
		}
	}
	action = rt[RP_A_RULE_ACTION] ? mnl_attr_get_u8(rt[RP_A_RULE_ACTION]) : 0;
	if (action == RP_ACT_ALLOW) {
		uint32_t r = rt[RP_A_RULE_RIGHTS] ?
			     mnl_attr_get_u32(rt[RP_A_RULE_RIGHTS]) : 0;

		if (pr_is_json()) {
			pr_str(NULL, "action", "allow");
			pr_arr_start("rights");
			for (i = 0; right_names[i].name; i++)
				if (r & right_names[i].bit)
					pr_str(NULL, NULL, right_names[i].name);
			pr_arr_end();
		} else {
			fmt_bits(r, right_names, RP_RIGHT_ALL, buf, sizeof(buf));
			pr_str("allow", NULL, buf);
		}
		if (rt[RP_A_RULE_REPLY_RIGHTS]) {
			r = mnl_attr_get_u32(rt[RP_A_RULE_REPLY_RIGHTS]);
			if (pr_is_json()) {
				pr_arr_start("reply");
				for (i = 0; right_names[i].name; i++)
					if (r & right_names[i].bit)
						pr_str(NULL, NULL,
						       right_names[i].name);
				pr_arr_end();
			} else {
				if (r)
					fmt_bits(r, right_names, RP_RIGHT_ALL,
						 buf, sizeof(buf));
				else
					snprintf(buf, sizeof(buf), "none");
				pr_str("reply", NULL, buf);
			}
		}
	} else {
		if (pr_is_json())
			pr_str(NULL, "action", "deny");
		else
			pr_str(NULL, NULL, "deny");
	}
	if (opts.stats && !save && rt[RP_A_RULE_HITS])
		pr_u64("hits", "hits", mnl_attr_get_u64(rt[RP_A_RULE_HITS]));
	pr_obj_end();
}

int rule_dump(bool save)
{
	struct rule_list l = { };
	struct nlmsghdr *nlh;
	size_t i;
	int err;

	nlh = rp_nl_msg(g_nl, RP_CMD_RULE_GET, NLM_F_DUMP);
	err = rp_nl_talk(g_nl, nlh, collect_cb, &l);
	if (!err) {
		qsort(l.r, l.n, sizeof(*l.r), rule_cmp);
		for (i = 0; i < l.n; i++)
			print_rule(l.r[i].attr, save);
	}
	for (i = 0; i < l.n; i++)
		free(l.r[i].attr);
	free(l.r);
	return err;
}

static int show_one_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1];

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (tb[RP_A_RULE])
		print_rule(tb[RP_A_RULE], false);
	return MNL_CB_OK;
}

int cmd_rule(struct args *a)
{
	const char *verb = args_peek(a);
	int err;

	if (!verb || !strcmp(verb, "show") || !strcmp(verb, "list")) {
		if (verb)
			args_next(a, "verb");
		/* names of VMs are looked up while printing: load them now */
		err = vm_cache_load();
		if (err)
			return err;
		pr_begin();
		if (args_more(a))
			err = rule_by_id(a, RP_CMD_RULE_GET, show_one_cb, NULL);
		else
			err = rule_dump(false);
		pr_end();
		return err;
	}
	args_next(a, "verb");
	if (!strcmp(verb, "add"))
		return rule_add_change(a, true);
	if (!strcmp(verb, "change") || !strcmp(verb, "set"))
		return rule_add_change(a, false);
	if (!strcmp(verb, "del") || !strcmp(verb, "delete"))
		return rule_by_id(a, RP_CMD_RULE_DEL, NULL, NULL);
	if (!strcmp(verb, "flush")) {
		if (args_more(a)) {
			rp_err("rule flush: unexpected \"%s\"", args_peek(a));
			return -EINVAL;
		}
		return rp_flush(RP_FLUSH_RULES);
	}
	rp_err("rule: unknown command \"%s\" (add, change, del, show, flush)",
	       verb);
	return -EINVAL;
}
