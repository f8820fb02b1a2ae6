// SPDX-License-Identifier: GPL-2.0
/*
 * The whole configuration: FLUSH and CONFIG_SET.  Both may change which
 * netdevs are VM ports, so their transactions take RTNL.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "rp_config.h"
#include "rp_genl.h"
#include "rp_net.h"
#include "rp_policy.h"
#include "rp_table.h"

int rp_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct rp_config cfg;
	struct rp_tables *t;
	u32 what;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, RP_A_FLUSH)) {
		NL_SET_ERR_MSG(info->extack, "RP_A_FLUSH: say what to flush");
		return -EINVAL;
	}
	what = nla_get_u32(info->attrs[RP_A_FLUSH]);
	/* VM ports are unbound in the NICs */
	t = rp_config_begin(&cfg, rp_net(genl_info_net(info)), RP_CONFIG_PORTS);
	if (what & RP_FLUSH_VMS) {
		/* check first, so that a refused flush removes nothing */
		if (!(what & RP_FLUSH_RULES)) {
			err = rp_vms_flush(t, info->extack);
		} else {
			rp_rules_flush(t);
			err = rp_vms_flush(t, info->extack);
		}
	} else if (what & RP_FLUSH_RULES) {
		rp_rules_flush(t);
	}
	rp_config_event(&cfg, RP_EV_FLUSH, 0, 0);
	return rp_config_end(&cfg, err);
}

/*
 * Replace the whole configuration: build new tables from every RP_A_VM and
 * RP_A_RULE of the request (VMs first, so rules can name them), then swap.
 * Any error leaves the old configuration in place.
 */
int rp_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct rp_net *rn = rp_net(net);
	struct rp_rule_spec rs;
	struct rp_config cfg;
	struct rp_vm_spec *vs;
	struct rp_tables *t;
	struct nlattr *a;
	int err = 0, rem, pass;

	/*
	 * The tables an earlier replace retired are freed first: a replace
	 * right after another waits for that (a grace period), under the
	 * genl mutex only, and never holds more than two configurations.
	 */
	rp_tables_retire_flush();
	vs = kmalloc(sizeof(*vs), GFP_KERNEL_ACCOUNT);
	if (!vs)
		return -ENOMEM;
	rp_config_begin(&cfg, rn, RP_CONFIG_PORTS);
	t = rp_tables_alloc(&rn->lock);
	if (!t) {
		err = -ENOMEM;
		goto out;
	}
	for (pass = 0; pass < 2 && !err; pass++) {
		nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
			if (pass == 0 && nla_type(a) == RP_A_VM) {
				err = rp_nl_vm_parse(net, a, NULL, vs,
						     info->extack);
				if (!err)
					err = rp_vm_add(t, vs, info->extack);
			} else if (pass == 1 && nla_type(a) == RP_A_RULE) {
				err = rp_nl_rule_parse(a, &rs, false,
						       info->extack);
				if (!err)
					err = rp_rule_add(t, &rs,
							  info->extack);
			}
			if (err) {
				NL_SET_BAD_ATTR(info->extack, a);
				break;
			}
		}
	}
	if (err)
		rp_tables_free(t);
	else
		rp_config_replace(&cfg, t);
out:
	rp_config_event(&cfg, RP_EV_CONFIG_SET, 0, 0);
	err = rp_config_end(&cfg, err);
	kfree(vs);
	return err;
}
