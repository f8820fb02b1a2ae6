// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy monitor: the kernel's events as they happen, one a line
 * (JSON: one document a line, to be streamed).  VMs are named as the
 * operator named them: the name cache is reloaded when an event names a
 * VM it does not know, and after events that change or remove names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

/*
 * The name of VM @id: from the cache, reloaded once if it does not know
 * (not for a deleted VM: no dump knows it any more, and a burst of
 * deletions would cost a dump each)
 */
static const char *vm_name(struct rd *rd, uint32_t id, bool gone, char *buf,
			   size_t len)
{
	const char *name = cache_vm_name(&rd->cache, &rd->nl, id);

	if (name)
		return name;
	if (gone) {
		snprintf(buf, len, "#%u", id);
		return buf;
	}
	cache_drop(&rd->cache);
	return rd_vm_name(rd, id, buf, len);
}

/*
 * Text: "vm new web1", "rule del id 7", "conn new vm web1 rule 7", in
 * the words of the commands; JSON: {"event", "vm_id", "rule_id", ...}.
 */
static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *ev[RP_A_EVENT_MAX + 1];
	struct rd *rd = data;
	struct pr *p = &rd->pr;
	bool vm_ev, rule_ev;
	uint8_t type = 0;
	char buf[32];

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_EVENT])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_EVENT], ev, RP_A_EVENT_MAX);
	if (ev[RP_A_EVENT_TYPE])
		type = mnl_attr_get_u8(ev[RP_A_EVENT_TYPE]);
	vm_ev = type == RP_EV_VM_NEW || type == RP_EV_VM_SET ||
		type == RP_EV_VM_DEL;
	rule_ev = type == RP_EV_RULE_NEW || type == RP_EV_RULE_SET ||
		  type == RP_EV_RULE_DEL;
	/* names may have changed: a rename, a new configuration */
	if (type == RP_EV_VM_SET || type == RP_EV_CONFIG_SET)
		cache_drop(&rd->cache);
	pr_begin(p);
	pr_obj_start(p);
	pr_str(p, PR_ANY, NULL, "event", rp_name_of(rp_events, type,
						    "unknown"));
	if (ev[RP_A_EVENT_VM_ID]) {
		uint32_t id = mnl_attr_get_u32(ev[RP_A_EVENT_VM_ID]);

		pr_u64(p, PR_JSON, NULL, "vm_id", id);
		pr_strc(p, PR_TEXT, PR_C_NAME, vm_ev ? NULL : "vm", NULL,
			vm_name(rd, id, type == RP_EV_VM_DEL, buf,
				sizeof(buf)));
	}
	if (ev[RP_A_EVENT_TENANT])
		pr_u64(p, PR_ANY, "tenant", "tenant",
		       mnl_attr_get_u32(ev[RP_A_EVENT_TENANT]));
	if (ev[RP_A_EVENT_RULE_ID])
		pr_u64(p, PR_ANY, rule_ev ? "id" : "rule", "rule_id",
		       mnl_attr_get_u32(ev[RP_A_EVENT_RULE_ID]));
	if (ev[RP_A_EVENT_REASON])
		pr_str(p, PR_ANY, "reason", "reason",
		       mnl_attr_get_str(ev[RP_A_EVENT_REASON]));
	pr_obj_end(p);
	pr_end(p);
	/* gone now: the next VM of that id is another one */
	if (type == RP_EV_VM_DEL || type == RP_EV_FLUSH)
		cache_drop(&rd->cache);
	return MNL_CB_OK;
}

int cmd_monitor(struct rd *rd, struct args *a)
{
	struct rp_nl *ev;
	int err;

	if (args_end(a, "monitor"))
		return -EINVAL;
	/* events on a socket of their own: rd->nl looks names up */
	ev = malloc(sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	if (rd->nl.offline) {
		/* the names first, then the rest of the replies are events */
		err = cache_load(&rd->cache, &rd->nl);
		*ev = rd->nl;
		rd->nl.replay_off = rd->nl.replay_len;
	} else {
		err = rp_nl_open(ev);
		if (!err)
			err = rp_nl_subscribe(ev);
		if (!err)
			err = cache_load(&rd->cache, &rd->nl);
	}
	rd->pr.pretty = false;
	if (!err)
		err = rp_nl_listen(ev, event_cb, rd);
	rp_nl_close(ev);
	free(ev);
	return err;
}
