// SPDX-License-Identifier: GPL-2.0
/*
 * RP_A_RULE: the policy rules of a namespace.  Parsing (selectors too),
 * filling and the RULE_NEW/SET/DEL/GET handlers.  Writes go through
 * rp_config.c; rules name no netdev, so they take no RTNL.
 */
#include <net/genetlink.h>
#include <net/sock.h>

#include "rp_config.h"
#include "rp_genl.h"
#include "rp_net.h"
#include "rp_nl_attr.h"
#include "rp_policy.h"

static int rp_nl_sel_parse(const struct nlattr *nest, struct rp_sel *sel,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_SEL_MAX + 1];

	memset(sel, 0, sizeof(*sel));
	if (!nest)
		return 0;	/* any */
	rp_nla_index(tb, RP_A_SEL_MAX, nest);
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_SEL_TYPE)) {
		NL_SET_ERR_MSG(extack, "RP_A_SEL_TYPE: missing");
		return -EINVAL;
	}
	sel->type = nla_get_u8(tb[RP_A_SEL_TYPE]);
	switch (sel->type) {
	case RP_SEL_VM:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_SEL_VM)) {
			NL_SET_ERR_MSG(extack, "RP_A_SEL_VM: missing for a VM selector");
			return -EINVAL;
		}
		sel->vm = nla_get_u32(tb[RP_A_SEL_VM]);
		break;
	case RP_SEL_TENANT:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_SEL_TENANT)) {
			NL_SET_ERR_MSG(extack,
				       "RP_A_SEL_TENANT: missing for a tenant selector");
			return -EINVAL;
		}
		sel->tenant = nla_get_u32(tb[RP_A_SEL_TENANT]);
		break;
	case RP_SEL_PREFIX:
	case RP_SEL_GROUP:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_SEL_PREFIX)) {
			NL_SET_ERR_MSG(extack,
				       "RP_A_SEL_PREFIX: missing for a prefix or group selector");
			return -EINVAL;
		}
		return rp_nl_prefix_parse(tb[RP_A_SEL_PREFIX], &sel->pfx,
					  extack);
	}
	return 0;
}

/*
 * Parse a RP_A_RULE nest of a doit's request, which the genl core has
 * validated with its selectors and prefixes (rp_nla_index()).
 */
int rp_nl_rule_parse(const struct nlattr *nest, struct rp_rule_spec *s,
		     bool need_id, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RP_A_RULE_MAX + 1];
	int err;

	memset(s, 0, sizeof(*s));
	rp_nla_index(tb, RP_A_RULE_MAX, nest);
	if (need_id && NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_RULE_ID)) {
		NL_SET_ERR_MSG(extack, "RP_A_RULE_ID: missing");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, RP_A_RULE_ACTION)) {
		NL_SET_ERR_MSG(extack, "RP_A_RULE_ACTION: missing");
		return -EINVAL;
	}
	if (tb[RP_A_RULE_ID])
		s->id = nla_get_u32(tb[RP_A_RULE_ID]);
	if (tb[RP_A_RULE_PRIO])
		s->prio = nla_get_u32(tb[RP_A_RULE_PRIO]);
	err = rp_nl_sel_parse(tb[RP_A_RULE_SRC], &s->src, extack);
	if (!err)
		err = rp_nl_sel_parse(tb[RP_A_RULE_DST], &s->dst, extack);
	if (err)
		return err;
	s->any_service = !tb[RP_A_RULE_PS];
	if (s->any_service) {
		if (tb[RP_A_RULE_PORT_MIN] || tb[RP_A_RULE_PORT_MAX]) {
			NL_SET_ERR_MSG(extack,
				       "RP_A_RULE_PORT_MIN: ports need a port space (RP_A_RULE_PS)");
			return -EINVAL;
		}
	} else {
		s->ps = nla_get_u16(tb[RP_A_RULE_PS]);
		s->port_min = tb[RP_A_RULE_PORT_MIN] ?
			      nla_get_u16(tb[RP_A_RULE_PORT_MIN]) : 0;
		if (tb[RP_A_RULE_PORT_MAX])
			s->port_max = nla_get_u16(tb[RP_A_RULE_PORT_MAX]);
		else
			s->port_max = tb[RP_A_RULE_PORT_MIN] ? s->port_min :
							       U16_MAX;
	}
	s->qp_types = tb[RP_A_RULE_QP_TYPES] ?
		      nla_get_u32(tb[RP_A_RULE_QP_TYPES]) : RP_QP_ALL;
	s->action = nla_get_u8(tb[RP_A_RULE_ACTION]);
	if (tb[RP_A_RULE_RIGHTS])
		s->rights = nla_get_u32(tb[RP_A_RULE_RIGHTS]);
	/*
	 * Rights per direction: by default the responder may SEND back (into
	 * buffers the requester posted), nothing of its memory otherwise.
	 */
	if (tb[RP_A_RULE_REPLY_RIGHTS])
		s->reply_rights = nla_get_u32(tb[RP_A_RULE_REPLY_RIGHTS]);
	else if (s->action == RP_ACT_ALLOW)
		s->reply_rights = s->rights & RP_RIGHT_SEND;
	s->setup = tb[RP_A_RULE_SETUP] ? nla_get_u8(tb[RP_A_RULE_SETUP]) :
					 RP_SETUP_CM;
	return 0;
}

static int rp_nl_sel_put(struct sk_buff *skb, int type,
			 const struct rp_sel *s)
{
	struct nlattr *nest;

	if (s->type == RP_SEL_ANY)
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest || nla_put_u8(skb, RP_A_SEL_TYPE, s->type))
		return -EMSGSIZE;
	if ((s->type == RP_SEL_VM && nla_put_u32(skb, RP_A_SEL_VM, s->vm)) ||
	    (s->type == RP_SEL_TENANT &&
	     nla_put_u32(skb, RP_A_SEL_TENANT, s->tenant)) ||
	    ((s->type == RP_SEL_PREFIX || s->type == RP_SEL_GROUP) &&
	     rp_nl_prefix_put(skb, RP_A_SEL_PREFIX, &s->pfx)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One rule; @cb: a part of a dump, else a reply. */
static int rp_nl_rule_fill(struct sk_buff *skb, const struct rp_rule *r,
			   u32 portid, u32 seq, int flags,
			   struct netlink_callback *cb)
{
	const struct rp_rule_spec *s = &r->s;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &rp_family, flags,
			  RP_CMD_RULE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, RP_A_RULE);
	if (!nest ||
	    nla_put_u32(skb, RP_A_RULE_ID, s->id) ||
	    nla_put_u32(skb, RP_A_RULE_PRIO, s->prio) ||
	    rp_nl_sel_put(skb, RP_A_RULE_SRC, &s->src) ||
	    rp_nl_sel_put(skb, RP_A_RULE_DST, &s->dst) ||
	    (!s->any_service &&
	     (nla_put_u16(skb, RP_A_RULE_PS, s->ps) ||
	      nla_put_u16(skb, RP_A_RULE_PORT_MIN, s->port_min) ||
	      nla_put_u16(skb, RP_A_RULE_PORT_MAX, s->port_max))) ||
	    nla_put_u32(skb, RP_A_RULE_QP_TYPES, s->qp_types) ||
	    nla_put_u8(skb, RP_A_RULE_ACTION, s->action) ||
	    (s->action == RP_ACT_ALLOW &&
	     (nla_put_u32(skb, RP_A_RULE_RIGHTS, s->rights) ||
	      nla_put_u32(skb, RP_A_RULE_REPLY_RIGHTS, s->reply_rights))) ||
	    nla_put_u8(skb, RP_A_RULE_SETUP, s->setup) ||
	    nla_put_u64_64bit(skb, RP_A_RULE_HITS, atomic64_read(&r->hits),
			      RP_A_RULE_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int rp_nl_rule_change(struct genl_info *info, bool add)
{
	struct rp_rule_spec s;
	struct rp_config cfg;
	struct rp_tables *t;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_RULE)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_RULE: missing");
		return -EINVAL;
	}
	err = rp_nl_rule_parse(info->attrs[RP_A_RULE], &s, !add, info->extack);
	if (err)
		return err;
	t = rp_config_begin(&cfg, rp_net(genl_info_net(info)), 0);
	err = rp_config_check_last(&cfg, info);
	if (err)
		return rp_config_end(&cfg, err);
	if (add)
		err = rp_rule_add(t, &s, info->extack);
	else
		err = rp_rule_set(t, &s, info->extack);
	/* rp_rule_add() gave the rule its id */
	rp_config_event(&cfg, add ? RP_EV_RULE_NEW : RP_EV_RULE_SET, 0, s.id);
	return rp_config_end(&cfg, err);
}

int rp_nl_rule_new(struct sk_buff *skb, struct genl_info *info)
{
	return rp_nl_rule_change(info, true);
}

int rp_nl_rule_set(struct sk_buff *skb, struct genl_info *info)
{
	return rp_nl_rule_change(info, false);
}

static int rp_nl_rule_id(struct genl_info *info, u32 *id)
{
	struct nlattr *tb[RP_A_RULE_MAX + 1];

	if (GENL_REQ_ATTR_CHECK(info, RP_A_RULE)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_RULE: missing");
		return -EINVAL;
	}
	rp_nla_index(tb, RP_A_RULE_MAX, info->attrs[RP_A_RULE]);
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[RP_A_RULE], tb,
			      RP_A_RULE_ID)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_RULE_ID: missing");
		return -EINVAL;
	}
	*id = nla_get_u32(tb[RP_A_RULE_ID]);
	return 0;
}

int rp_nl_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_config cfg;
	struct rp_tables *t;
	u32 id;
	int err;

	err = rp_nl_rule_id(info, &id);
	if (err)
		return err;
	t = rp_config_begin(&cfg, rp_net(genl_info_net(info)), 0);
	err = rp_config_check_last(&cfg, info);
	if (!err)
		err = rp_rule_del(t, id, info->extack);
	rp_config_event(&cfg, RP_EV_RULE_DEL, 0, id);
	return rp_config_end(&cfg, err);
}

int rp_nl_rule_get(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_net *rn = rp_net(genl_info_net(info));
	struct sk_buff *msg;
	struct rp_rule *r;
	u32 id;
	int err;

	err = rp_nl_rule_id(info, &id);
	if (err)
		return err;
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	r = xa_load(&rcu_dereference(rn->tables)->rules_by_id, id);
	if (r)
		err = rp_nl_rule_fill(msg, r, info->snd_portid,
				      info->snd_seq, 0, NULL);
	rcu_read_unlock();
	if (!r) {
		NL_SET_ERR_MSG(info->extack, "RP_A_RULE_ID: no rule with this id");
		err = -ENOENT;
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Cursor of a rule dump.  Rules go out in evaluation order (rp_tables.rules,
 * the order the policy tries them in).  A part resumes after the last rule
 * sent, found again by its id; if a change removed it (the dump then says
 * NLM_F_DUMP_INTR), after as many rules as were sent.
 */
struct rp_nl_rule_dump_ctx {
	struct rp_net *rn;
	unsigned long sent;	/* rules sent so far */
	u32 last;		/* id of the last one sent */
	bool done;
};

int rp_nl_rule_dump_start(struct netlink_callback *cb)
{
	struct rp_nl_rule_dump_ctx *ctx;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_rule_dump_ctx);
	ctx->rn = rp_net(sock_net(cb->skb->sk));
	return 0;
}

/* Walks the tables' rule list under RCU. */
int rp_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rp_nl_rule_dump_ctx *ctx;
	unsigned long skip = 0;
	struct rp_tables *t;
	struct rp_net *rn;
	struct rp_rule *r;
	int err = 0;

	ctx = RP_NL_DUMP_CTX(cb, struct rp_nl_rule_dump_ctx);
	rn = ctx->rn;
	if (ctx->done)
		return 0;
	rcu_read_lock();
	rp_nl_dump_gen(cb, READ_ONCE(rn->generation));
	t = rcu_dereference(rn->tables);
	r = ctx->sent ? xa_load(&t->rules_by_id, ctx->last) : NULL;
	if (!r)
		skip = ctx->sent;
	r = list_prepare_entry(r, &t->rules, list);
	list_for_each_entry_continue_rcu(r, &t->rules, list) {
		if (skip) {
			skip--;
			continue;
		}
		err = rp_nl_rule_fill(skb, r, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		ctx->sent++;
		ctx->last = r->s.id;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	if (!err)
		ctx->done = true;
	return skb->len;
}
