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
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rdmapolicy.h>

#include "print.h"
#include "rdmapolicy.h"

/* ---- id <-> name ---- */

struct vm_entry {
	uint32_t id;
	char name[RP_NAME_LEN];
};

/*
 * A name <-> id map: the entries in an array, indexed both ways by open
 * addressing (batch files name VMs by the ten thousand; a linear search
 * per rule made loading them quadratic).
 */
struct vm_map {
	struct vm_entry *e;
	size_t n, cap;
	uint32_t *by_name, *by_id;	/* entry index + 1, 0: empty slot */
	size_t slots;			/* a power of two, at least 2 * n */
};

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static uint32_t hash_id(uint32_t id)
{
	return id * 2654435761u;
}

static void map_index(struct vm_map *m, size_t i)
{
	size_t mask = m->slots - 1, k;

	for (k = hash_name(m->e[i].name) & mask; m->by_name[k];
	     k = (k + 1) & mask)
		;
	m->by_name[k] = i + 1;
	for (k = hash_id(m->e[i].id) & mask; m->by_id[k]; k = (k + 1) & mask)
		;
	m->by_id[k] = i + 1;
}

static void map_add(struct vm_map *m, uint32_t id, const char *name)
{
	size_t i;

	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->e = realloc(m->e, m->cap * sizeof(*m->e));
		if (!m->e)
			abort();
	}
	m->e[m->n].id = id;
	snprintf(m->e[m->n].name, RP_NAME_LEN, "%s", name);
	m->n++;
	if (2 * m->n > m->slots) {
		m->slots = m->slots ? 2 * m->slots : 128;
		free(m->by_name);
		free(m->by_id);
		m->by_name = calloc(m->slots, sizeof(*m->by_name));
		m->by_id = calloc(m->slots, sizeof(*m->by_id));
		if (!m->by_name || !m->by_id)
			abort();
		for (i = 0; i < m->n; i++)
			map_index(m, i);
	} else {
		map_index(m, m->n - 1);
	}
}

static const struct vm_entry *map_name(const struct vm_map *m,
				       const char *name)
{
	size_t mask = m->slots - 1, k;

	if (!m->n)
		return NULL;
	for (k = hash_name(name) & mask; m->by_name[k]; k = (k + 1) & mask)
		if (!strcmp(m->e[m->by_name[k] - 1].name, name))
			return &m->e[m->by_name[k] - 1];
	return NULL;
}

static const struct vm_entry *map_id(const struct vm_map *m, uint32_t id)
{
	size_t mask = m->slots - 1, k;

	if (!m->n)
		return NULL;
	for (k = hash_id(id) & mask; m->by_id[k]; k = (k + 1) & mask)
		if (m->e[m->by_id[k] - 1].id == id)
			return &m->e[m->by_id[k] - 1];
	return NULL;
}

static void map_clear(struct vm_map *m)
{
	m->n = 0;
	if (m->slots) {
		memset(m->by_name, 0, m->slots * sizeof(*m->by_name));
		memset(m->by_id, 0, m->slots * sizeof(*m->by_id));
	}
}

static struct vm_map vm_cache;		/* the kernel's VMs */
static bool vm_cache_valid;

/* Names added earlier in a `restore` file, not yet in the kernel. */
static struct vm_map vm_pending;

void vm_pending_add(uint32_t id, const char *name)
{
	map_add(&vm_pending, id, name);
}

static int cache_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *vt[RP_A_VM_MAX + 1];

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_VM])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_VM], vt, RP_A_VM_MAX);
	if (!vt[RP_A_VM_ID] || !vt[RP_A_VM_NAME])
		return MNL_CB_OK;
	map_add(&vm_cache, mnl_attr_get_u32(vt[RP_A_VM_ID]),
		mnl_attr_get_str(vt[RP_A_VM_NAME]));
	return MNL_CB_OK;
}

int vm_cache_load(void)
{
	static char req[RP_NL_BUFSZ];	/* not g_nl->req: may be in use */
	struct nlmsghdr *nlh;
	int err;

	if (vm_cache_valid)
		return 0;
	map_clear(&vm_cache);
	nlh = rp_nl_msg_in(g_nl, req, RP_CMD_VM_GET, NLM_F_DUMP);
	err = rp_nl_talk(g_nl, nlh, cache_cb, NULL);
	vm_cache_valid = !err;
	return err;
}

int vm_resolve(const char *name, uint32_t *id)
{
	const struct vm_entry *e = map_name(&vm_pending, name);

	if (!e) {
		if (vm_cache_load())
			return -EIO;
		e = map_name(&vm_cache, name);
	}
	if (!e) {
		rp_err("no VM named \"%s\"", name);
		return -ENOENT;
	}
	*id = e->id;
	return 0;
}

const char *vm_name(uint32_t id, char *buf, size_t len)
{
	const struct vm_entry *e;

	if (!vm_cache_load()) {
		e = map_id(&vm_cache, id);
		if (e)
			return e->name;
	}
	snprintf(buf, len, "#%u", id);
	return buf;
}

static void vm_cache_drop(void)
{
	vm_cache_valid = false;
}

/* ---- add / change ---- */

/*
 * Parse the keywords after the name into a RP_A_VM nest of @nlh.
 * @add: "id" allowed/required, "name" (rename) not.
 */
int vm_parse(struct args *a, struct nlmsghdr *nlh, const char *name, bool add,
	     uint32_t *id_out)
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
		if (vm_resolve(name, &v))
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

static int vm_add_change(struct args *a, bool add)
{
	const char *name = args_next(a, "VM name");
	struct nlmsghdr *nlh;
	uint32_t id;
	int err;

	if (!name)
		return -EINVAL;
	nlh = rp_nl_msg(g_nl, add ? RP_CMD_VM_NEW : RP_CMD_VM_SET, NLM_F_ACK);
	err = vm_parse(a, nlh, name, add, &id);
	if (err)
		return err;
	vm_cache_drop();
	return rp_nl_talk(g_nl, nlh, NULL, NULL);
}

static int vm_del(struct args *a)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t id;

	if (args_match(a, "id")) {
		if (args_u32(a, "id", &id))
			return -EINVAL;
	} else {
		const char *name = args_next(a, "VM name");

		if (!name || vm_resolve(name, &id))
			return -ENOENT;
	}
	if (args_more(a)) {
		rp_err("vm del: unexpected \"%s\"", args_peek(a));
		return -EINVAL;
	}
	nlh = rp_nl_msg(g_nl, RP_CMD_VM_DEL, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, RP_A_VM);
	mnl_attr_put_u32(nlh, RP_A_VM_ID, id);
	mnl_attr_nest_end(nlh, nest);
	vm_cache_drop();
	return rp_nl_talk(g_nl, nlh, NULL, NULL);
}

/* ---- show ---- */

struct show_ctx {
	bool for_save;		/* print as "vm add" lines, no stats */
};

static void print_vm(const struct nlattr *vmattr, bool stats, bool save)
{
	const struct nlattr *vt[RP_A_VM_MAX + 1], *a;
	char buf[64];

	rp_nl_parse_nest(vmattr, vt, RP_A_VM_MAX);
	if (!vt[RP_A_VM_ID] || !vt[RP_A_VM_NAME])
		return;
	pr_obj_start();
	if (save)
		pr_str(NULL, NULL, "vm add");
	pr_str(NULL, "name", mnl_attr_get_str(vt[RP_A_VM_NAME]));
	pr_u64("id", "id", mnl_attr_get_u32(vt[RP_A_VM_ID]));
	if (vt[RP_A_VM_TENANT])
		pr_u64("tenant", "tenant", mnl_attr_get_u32(vt[RP_A_VM_TENANT]));
	pr_flag("remote", "remote", !!vt[RP_A_VM_REMOTE]);

	pr_arr_start("ports");
	mnl_attr_for_each_nested(a, vmattr)
		if (mnl_attr_get_type(a) == RP_A_VM_PORT)
			pr_str("port", NULL, mnl_attr_get_str(a));
	pr_arr_end();
	pr_arr_start("macs");
	mnl_attr_for_each_nested(a, vmattr)
		if (mnl_attr_get_type(a) == RP_A_VM_MAC &&
		    mnl_attr_get_payload_len(a) == 6) {
			const uint8_t *m = mnl_attr_get_payload(a);

			snprintf(buf, sizeof(buf),
				 "%02x:%02x:%02x:%02x:%02x:%02x",
				 m[0], m[1], m[2], m[3], m[4], m[5]);
			pr_str("mac", NULL, buf);
		}
	pr_arr_end();
	pr_arr_start("addrs");
	mnl_attr_for_each_nested(a, vmattr)
		if (mnl_attr_get_type(a) == RP_A_VM_ADDR &&
		    !get_prefix(a, buf, sizeof(buf)))
			pr_str("addr", NULL, buf);
	pr_arr_end();
	if (vt[RP_A_VM_MAX_CONNS])
		pr_u64("max-conns", "max_conns",
		       mnl_attr_get_u32(vt[RP_A_VM_MAX_CONNS]));
	if (vt[RP_A_VM_SETUP_RATE])
		pr_u64("setup-rate", "setup_rate",
		       mnl_attr_get_u32(vt[RP_A_VM_SETUP_RATE]));
	if (stats && !save && vt[RP_A_VM_STATS]) {
		const struct nlattr *st[RP_A_VM_STATS_MAX + 1];

		rp_nl_parse_nest(vt[RP_A_VM_STATS], st, RP_A_VM_STATS_MAX);
		pr_nest_start("stats");
		if (st[RP_A_VM_STATS_ALLOWED])
			pr_u64("allowed", "allowed",
			       mnl_attr_get_u64(st[RP_A_VM_STATS_ALLOWED]));
		if (st[RP_A_VM_STATS_DENIED])
			pr_u64("denied", "denied",
			       mnl_attr_get_u64(st[RP_A_VM_STATS_DENIED]));
		if (st[RP_A_VM_STATS_CONNS])
			pr_u64("conns", "conns",
			       mnl_attr_get_u32(st[RP_A_VM_STATS_CONNS]));
		pr_nest_end();
	}
	pr_obj_end();
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1];
	struct show_ctx *c = data;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (tb[RP_A_VM])
		print_vm(tb[RP_A_VM], opts.stats, c->for_save);
	return MNL_CB_OK;
}

int vm_dump(bool for_save)
{
	struct show_ctx c = { .for_save = for_save };
	struct nlmsghdr *nlh = rp_nl_msg(g_nl, RP_CMD_VM_GET, NLM_F_DUMP);

	return rp_nl_talk(g_nl, nlh, show_cb, &c);
}

static int vm_show(struct args *a)
{
	struct show_ctx c = { };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const char *name;
	int err;

	if (!args_more(a)) {
		pr_begin();
		err = vm_dump(false);
		pr_end();
		return err;
	}
	name = args_next(a, "VM name");
	if (args_more(a)) {
		rp_err("vm show: unexpected \"%s\"", args_peek(a));
		return -EINVAL;
	}
	nlh = rp_nl_msg(g_nl, RP_CMD_VM_GET, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, RP_A_VM);
	mnl_attr_put_strz(nlh, RP_A_VM_NAME, name);
	mnl_attr_nest_end(nlh, nest);
	pr_begin();
	err = rp_nl_talk(g_nl, nlh, show_cb, &c);
	pr_end();
	return err;
}

int rp_flush(uint32_t what)
{
	struct nlmsghdr *nlh = rp_nl_msg(g_nl, RP_CMD_FLUSH, NLM_F_ACK);

	mnl_attr_put_u32(nlh, RP_A_FLUSH, what);
	vm_cache_drop();
	return rp_nl_talk(g_nl, nlh, NULL, NULL);
}

int cmd_vm(struct args *a)
{
	const char *verb = args_peek(a);

	if (!verb || !strcmp(verb, "show") || !strcmp(verb, "list")) {
		if (verb)
			args_next(a, "verb");
		return vm_show(a);
	}
	args_next(a, "verb");
	if (!strcmp(verb, "add"))
		return vm_add_change(a, true);
	if (!strcmp(verb, "change") || !strcmp(verb, "set"))
		return vm_add_change(a, false);
	if (!strcmp(verb, "del") || !strcmp(verb, "delete"))
		return vm_del(a);
	if (!strcmp(verb, "flush")) {
		if (args_more(a)) {
			rp_err("vm flush: unexpected \"%s\"", args_peek(a));
			return -EINVAL;
		}
		return rp_flush(RP_FLUSH_VMS);
	}
	rp_err("vm: unknown command \"%s\" (add, change, del, show, flush)",
	       verb);
	return -EINVAL;
}
