// SPDX-License-Identifier: GPL-2.0
/* The name cache; see cache.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rdmapolicy.h>

#include "cache.h"
#include "utils.h"

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

static void map_index(struct rp_vm_map *m, size_t i)
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

static void map_add(struct rp_vm_map *m, uint32_t id, const char *name)
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

static const struct rp_vm_entry *map_name(const struct rp_vm_map *m,
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

static const struct rp_vm_entry *map_id(const struct rp_vm_map *m, uint32_t id)
{
	size_t mask = m->slots - 1, k;

	if (!m->n)
		return NULL;
	for (k = hash_id(id) & mask; m->by_id[k]; k = (k + 1) & mask)
		if (m->e[m->by_id[k] - 1].id == id)
			return &m->e[m->by_id[k] - 1];
	return NULL;
}

static void map_clear(struct rp_vm_map *m)
{
	m->n = 0;
	if (m->slots) {
		memset(m->by_name, 0, m->slots * sizeof(*m->by_name));
		memset(m->by_id, 0, m->slots * sizeof(*m->by_id));
	}
}

static void map_free(struct rp_vm_map *m)
{
	free(m->e);
	free(m->by_name);
	free(m->by_id);
	memset(m, 0, sizeof(*m));
}

void cache_add(struct rp_cache *c, uint32_t id, const char *name)
{
	map_add(&c->vms, id, name);
	c->valid = true;
}

void cache_pending_add(struct rp_cache *c, uint32_t id, const char *name)
{
	map_add(&c->pending, id, name);
}

void cache_pending_clear(struct rp_cache *c)
{
	map_clear(&c->pending);
}

void cache_note_add(struct rp_cache *c, uint32_t id, const char *name)
{
	map_add(c->valid ? &c->vms : &c->pending, id, name);
}

/* An entry no name or id finds any more (names are not empty, ids not 0) */
static void map_forget(struct rp_vm_map *m, uint32_t id)
{
	struct rp_vm_entry *e = (struct rp_vm_entry *)map_id(m, id);

	if (e) {
		e->name[0] = '\0';
		e->id = 0;
	}
}

void cache_note_del(struct rp_cache *c, uint32_t id)
{
	map_forget(&c->vms, id);
	map_forget(&c->pending, id);
}

static int cache_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *vt[RP_A_VM_MAX + 1];
	struct rp_cache *c = data;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_VM])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_VM], vt, RP_A_VM_MAX);
	if (!vt[RP_A_VM_ID] || !vt[RP_A_VM_NAME])
		return MNL_CB_OK;
	map_add(&c->vms, mnl_attr_get_u32(vt[RP_A_VM_ID]),
		mnl_attr_get_str(vt[RP_A_VM_NAME]));
	return MNL_CB_OK;
}

int cache_load(struct rp_cache *c, struct rp_nl *nl)
{
	struct nlmsghdr *nlh;
	int err = 0, tries, quiet;

	if (c->valid)
		return 0;
	/* a dump a configuration change interrupted is taken again */
	for (tries = 0; tries < 3; tries++) {
		map_clear(&c->vms);
		nlh = rp_nl_msg_in(nl, c->req, RP_CMD_VM_GET, NLM_F_DUMP);
		quiet = nl->quiet;
		nl->quiet = true;
		err = rp_nl_talk(nl, nlh, cache_cb, c);
		nl->quiet = quiet;
		if (err != -EINTR)
			break;
	}
	/*
	 * Still interrupted (a configuration changing all the time, as a
	 * batch file does): keep what the last dump gave.  A VM it missed
	 * is shown by its id, or is unknown to a command that names it,
	 * as it may be anyway while another writer changes the tables.
	 */
	if (err == -EINTR)
		err = 0;
	else if (err)
		rp_err("VM names: %s", strerror(-err));
	c->valid = !err;
	return err;
}

void cache_drop(struct rp_cache *c)
{
	c->valid = false;
}

int cache_resolve(struct rp_cache *c, struct rp_nl *nl, const char *name,
		  uint32_t *id)
{
	const struct rp_vm_entry *e = map_name(&c->pending, name);

	if (!e) {
		if (cache_load(c, nl))
			return -EIO;
		e = map_name(&c->vms, name);
	}
	if (!e) {
		rp_err("no VM named \"%s\"", name);
		return -ENOENT;
	}
	*id = e->id;
	return 0;
}

const char *cache_vm_name(struct rp_cache *c, struct rp_nl *nl, uint32_t id)
{
	const struct rp_vm_entry *e;

	if (cache_load(c, nl))
		return NULL;
	e = map_id(&c->vms, id);
	return e ? e->name : NULL;
}

void cache_free(struct rp_cache *c)
{
	map_free(&c->vms);
	map_free(&c->pending);
	c->valid = false;
}
