// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy vm: address spaces (local VMs and remote ones).
 *
 *   vm add NAME id ID [tenant T] [remote] [port IFNAME]... [mac MAC]...
 *          [addr PREFIX]... [max-conns N] [setup-rate N]
 *   vm change NAME [name NEWNAME] [tenant T] [port IFNAME]... [mac MAC]...
 *          [addr PREFIX]... [max-conns N] [setup-rate N]
 *   vm del NAME | vm del id ID
 *   vm show [NAME]
 *   vm flush
 *
 * vm show prints one VM per block: the settings as "vm add" takes them,
 * then (-s) its counters on an indented line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

/* ---- add / change ---- */

/*
 * Parse the keywords after the name into a RP_A_VM nest of @nlh.
 * @add: "id" allowed/required, "name" (rename) not.
 */
int vm_parse(struct rd *rd, struct args *a, struct nlmsghdr *nlh,
	     const char *name, bool add, uint32_t *id_out)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RP_A_VM);
	bool have_id = false;
	uint32_t v;

	if (strlen(name) >= RP_NAME_LEN) {
		rp_err("VM name \"%s\" is longer than %d characters", name,
		       RP_NAME_LEN - 1);
		return -EINVAL;
	}
	if (add) {
		mnl_attr_put_strz(nlh, RP_A_VM_NAME, name);
	} else {
		if (cache_resolve(&rd->cache, &rd->nl, name, &v))
			return -ENOENT;
		mnl_attr_put_u32(nlh, RP_A_VM_ID, v);
		have_id = true;
		*id_out = v;
	}
	while (args_more(a)) {
		const char *kw = args_next(a, "keyword"), *s;
		uint8_t buf[16], plen;
		int alen;

		if (add && !strcmp(kw, "id")) {
			if (args_u32(a, "id", &v))
				return -EINVAL;
			if (!v) {
				rp_err("id: 0 is reserved");
				return -EINVAL;
			}
			mnl_attr_put_u32(nlh, RP_A_VM_ID, v);
			have_id = true;
			*id_out = v;
		} else if (!add && !strcmp(kw, "name")) {
			s = args_next(a, "new name");
			if (!s)
				return -EINVAL;
			if (strlen(s) >= RP_NAME_LEN) {
				rp_err("name \"%s\" is too long", s);
				return -EINVAL;
			}
			mnl_attr_put_strz(nlh, RP_A_VM_NAME, s);
		} else if (!strcmp(kw, "tenant")) {
			if (args_u32(a, "tenant", &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_VM_TENANT, v);
		} else if (add && !strcmp(kw, "remote")) {
			mnl_attr_put(nlh, RP_A_VM_REMOTE, 0, NULL);
		} else if (!strcmp(kw, "port")) {
			s = args_next(a, "port name");
			if (!s)
				return -EINVAL;
			if (strlen(s) >= 16) {
				rp_err("port: \"%s\" is not an interface name", s);
				return -EINVAL;
			}
			mnl_attr_put_strz(nlh, RP_A_VM_PORT, s);
		} else if (!strcmp(kw, "mac")) {
			s = args_next(a, "MAC address");
			if (!s)
				return -EINVAL;
			if (parse_mac(s, buf)) {
				rp_err("mac: \"%s\" is not a MAC address", s);
				return -EINVAL;
			}
			mnl_attr_put(nlh, RP_A_VM_MAC, 6, buf);
		} else if (!strcmp(kw, "addr")) {
			s = args_next(a, "address prefix");
			if (!s)
				return -EINVAL;
			if (parse_prefix(s, buf, &alen, &plen)) {
				rp_err("addr: \"%s\" is not an IPv4 or IPv6 prefix", s);
				return -EINVAL;
			}
			put_prefix(nlh, RP_A_VM_ADDR, buf, alen, plen);
		} else if (!strcmp(kw, "max-conns")) {
			if (args_u32(a, "max-conns", &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_VM_MAX_CONNS, v);
		} else if (!strcmp(kw, "setup-rate")) {
			if (args_u32(a, "setup-rate", &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, RP_A_VM_SETUP_RATE, v);
		} else {
			rp_err("vm: unknown keyword \"%s\"", kw);
			return -EINVAL;
		}
	}
	if (add && !have_id) {
		rp_err("vm add: missing \"id ID\"");
		return -EINVAL;
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int vm_add_change(struct rd *rd, struct args *a, bool add)
{
	const char *name = args_next(a, "VM name");
	struct nlmsghdr *nlh;
	uint32_t id;
	int err;

	if (!name)
		return -EINVAL;
	nlh = rp_nl_msg(&rd->nl, add ? RP_CMD_VM_NEW : RP_CMD_VM_SET,
			NLM_F_ACK);
	err = vm_parse(rd, a, nlh, name, add, &id);
	if (err)
		return err;
	/*
	 * Pipelined, the lines after it may name the new VM before the
	 * kernel has it: the cache has it now (if the add fails, nothing
	 * after it takes effect; rp_nl_write()).
	 */
	if (add && rd->nl.pipe) {
		cache_note_add(&rd->cache, id, name);
	} else {
		cache_drop(&rd->cache);
		if (!add)
			cache_pending_clear(&rd->cache);
	}
	return rp_nl_write(&rd->nl, nlh);
}

static int vm_add(struct rd *rd, struct args *a)
{
	return vm_add_change(rd, a, true);
}

static int vm_change(struct rd *rd, struct args *a)
{
	return vm_add_change(rd, a, false);
}

static int vm_del(struct rd *rd, struct args *a)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t id;

	if (args_match(a, "id")) {
		if (args_u32(a, "id", &id))
			return -EINVAL;
	} else {
		const char *name = args_next(a, "VM name");

		if (!name || cache_resolve(&rd->cache, &rd->nl, name, &id))
			return -ENOENT;
	}
	if (args_end(a, "vm del"))
		return -EINVAL;
	nlh = rp_nl_msg(&rd->nl, RP_CMD_VM_DEL, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, RP_A_VM);
	mnl_attr_put_u32(nlh, RP_A_VM_ID, id);
	mnl_attr_nest_end(nlh, nest);
	if (rd->nl.pipe) {	/* as in vm_add_change() */
		cache_note_del(&rd->cache, id);
	} else {
		cache_drop(&rd->cache);
		cache_pending_clear(&rd->cache);
	}
	return rp_nl_write(&rd->nl, nlh);
}

static int vm_flush(struct rd *rd, struct args *a)
{
	if (args_end(a, "vm flush"))
		return -EINVAL;
	return rp_flush(rd, RP_FLUSH_VMS);
}

/* ---- show ---- */

struct show_ctx {
	struct rd *rd;
	bool save;		/* print as "vm add" lines, no counters */
};

/*
 * One VM: a first line in the syntax of "vm add" (which `save` prints),
 * then with -s its counters on a line of their own.
 */
static void print_vm(struct rd *rd, const struct nlattr *vmattr, bool save)
{
	const struct nlattr *vt[RP_A_VM_MAX + 1], *a;
	struct pr *p = &rd->pr;
	const struct rp_name *n;
	char buf[64];

	rp_nl_parse_nest(vmattr, vt, RP_A_VM_MAX);
	if (!vt[RP_A_VM_ID] || !vt[RP_A_VM_NAME])
		return;
	pr_obj_start(p);
	if (save)
		pr_str(p, PR_TEXT, NULL, NULL, "vm add");
	pr_strc(p, PR_ANY, PR_C_NAME, NULL, "name",
		mnl_attr_get_str(vt[RP_A_VM_NAME]));
	pr_u64(p, PR_ANY, "id", "id", mnl_attr_get_u32(vt[RP_A_VM_ID]));
	if (vt[RP_A_VM_TENANT])
		pr_u64(p, PR_ANY, "tenant", "tenant",
		       mnl_attr_get_u32(vt[RP_A_VM_TENANT]));
	pr_flag(p, PR_ANY, "remote", "remote", !!vt[RP_A_VM_REMOTE]);

	pr_arr_start(p, PR_JSON, "ports", NULL);
	mnl_attr_for_each_nested(a, vmattr)
		if (mnl_attr_get_type(a) == RP_A_VM_PORT)
			pr_strc(p, PR_ANY, PR_C_NAME, "port", NULL,
				mnl_attr_get_str(a));
	pr_arr_end(p);
	pr_arr_start(p, PR_JSON, "macs", NULL);
	mnl_attr_for_each_nested(a, vmattr)
		if (mnl_attr_get_type(a) == RP_A_VM_MAC) {
			const uint8_t *m = mnl_attr_get_payload(a);

			snprintf(buf, sizeof(buf),
				 "%02x:%02x:%02x:%02x:%02x:%02x",
				 m[0], m[1], m[2], m[3], m[4], m[5]);
			pr_strc(p, PR_ANY, PR_C_MAC, "mac", NULL, buf);
		}
	pr_arr_end(p);
	pr_arr_start(p, PR_JSON, "addrs", NULL);
	mnl_attr_for_each_nested(a, vmattr)
		if (mnl_attr_get_type(a) == RP_A_VM_ADDR &&
		    !get_prefix(a, buf, sizeof(buf)))
			pr_strc(p, PR_ANY, PR_C_ADDR, "addr", NULL, buf);
	pr_arr_end(p);
	if (vt[RP_A_VM_MAX_CONNS])
		pr_u64(p, PR_ANY, "max-conns", "max_conns",
		       mnl_attr_get_u32(vt[RP_A_VM_MAX_CONNS]));
	if (vt[RP_A_VM_SETUP_RATE])
		pr_u64(p, PR_ANY, "setup-rate", "setup_rate",
		       mnl_attr_get_u32(vt[RP_A_VM_SETUP_RATE]));
	if (rd->stats && !save && vt[RP_A_VM_STATS]) {
		const struct nlattr *st[RP_A_VM_STATS_MAX + 1];

		rp_nl_parse_nest(vt[RP_A_VM_STATS], st, RP_A_VM_STATS_MAX);
		pr_nest_start(p, PR_ANY, "stats", NULL);
		for (n = rp_vm_ctrs; n->name; n++)
			if (st[n->val])
				pr_ctr(p, PR_ANY, n->name, rp_jname(n),
				       mnl_attr_get_u64(st[n->val]));
		if (st[RP_A_VM_STATS_CONNS])
			pr_u64(p, PR_ANY, "conns", "conns",
			       mnl_attr_get_u32(st[RP_A_VM_STATS_CONNS]));
		pr_nest_end(p);
	}
	pr_obj_end(p);
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1];
	struct show_ctx *c = data;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (tb[RP_A_VM])
		print_vm(c->rd, tb[RP_A_VM], c->save);
	return MNL_CB_OK;
}

int vm_dump(struct rd *rd, bool save)
{
	struct show_ctx c = { .rd = rd, .save = save };
	struct nlmsghdr *nlh = rp_nl_msg(&rd->nl, RP_CMD_VM_GET, NLM_F_DUMP);

	return rp_nl_talk(&rd->nl, nlh, show_cb, &c);
}

static int vm_show(struct rd *rd, struct args *a)
{
	struct show_ctx c = { .rd = rd };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const char *name;
	int err;

	if (!args_more(a)) {
		pr_begin(&rd->pr);
		err = vm_dump(rd, false);
		pr_end(&rd->pr);
		return err;
	}
	name = args_next(a, "VM name");
	if (args_end(a, "vm show"))
		return -EINVAL;
	nlh = rp_nl_msg(&rd->nl, RP_CMD_VM_GET, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, RP_A_VM);
	mnl_attr_put_strz(nlh, RP_A_VM_NAME, name);
	mnl_attr_nest_end(nlh, nest);
	pr_begin(&rd->pr);
	err = rp_nl_talk(&rd->nl, nlh, show_cb, &c);
	pr_end(&rd->pr);
	return err;
}

static const struct kw vm_kws[] = {
	{ "id", CV_WORD }, { "name", CV_WORD }, { "tenant", CV_WORD },
	{ "remote", CV_NONE }, { "port", CV_IFNAME }, { "mac", CV_WORD },
	{ "addr", CV_WORD }, { "max-conns", CV_WORD },
	{ "setup-rate", CV_WORD }, { NULL, CV_NONE },
};

static const struct kw vm_del_kws[] = {
	{ "id", CV_WORD }, { NULL, CV_NONE },
};

#define VM_SETTINGS "[tenant T] [port IFNAME]... [mac MAC]... " \
		    "[addr PREFIX]... [max-conns N] [setup-rate N]"

const struct cmd vm_cmds[] = {
	{ "show", vm_show, "[NAME]", "show VMs (with -s: their counters)",
	  .pos = CV_VM },
	{ "add", vm_add, "NAME id ID [remote] " VM_SETTINGS,
	  "add a VM, or with remote an address space of another host",
	  CMD_F_WRITE, .pos = CV_WORD, .kws = vm_kws },
	{ "change", vm_change, "NAME [name NEWNAME] " VM_SETTINGS,
	  "change a VM: the settings given replace the old ones",
	  CMD_F_WRITE, .pos = CV_VM, .kws = vm_kws },
	{ "del", vm_del, "{ NAME | id ID }", "delete a VM",
	  CMD_F_EXACT | CMD_F_WRITE, .pos = CV_VM, .kws = vm_del_kws },
	{ "flush", vm_flush, "", "delete all VMs (refused while rules name one)",
	  CMD_F_EXACT },
	{ "list", vm_show, "[NAME]", "", CMD_F_EXACT | CMD_F_HIDDEN,
	  .pos = CV_VM },
	{ "set", vm_change, "", "", CMD_F_EXACT | CMD_F_HIDDEN | CMD_F_WRITE,
	  .pos = CV_VM,
	  .kws = vm_kws },
	{ "delete", vm_del, "", "", CMD_F_EXACT | CMD_F_HIDDEN | CMD_F_WRITE,
	  .pos = CV_VM,
	  .kws = vm_del_kws },
	{ NULL },
};
