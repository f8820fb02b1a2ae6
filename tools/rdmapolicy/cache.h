/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The name cache: VM names and ids as the kernel has them (loaded with one
 * dump when first needed, dropped when a command changes them), and the
 * names a `restore` file has added but the kernel does not know yet.
 */
#ifndef RP_TOOL_CACHE_H
#define RP_TOOL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/rdmapolicy.h>

#include "nl.h"

struct rp_vm_entry {
	uint32_t id;
	char name[RP_NAME_LEN];
};

/*
 * A name <-> id map: the entries in an array, indexed both ways by open
 * addressing (batch files name VMs by the ten thousand; a linear search
 * per rule made loading them quadratic).
 */
struct rp_vm_map {
	struct rp_vm_entry *e;
	size_t n, cap;
	uint32_t *by_name, *by_id;	/* entry index + 1, 0: empty slot */
	size_t slots;			/* a power of two, at least 2 * n */
};

struct rp_cache {
	struct rp_vm_map vms;		/* the kernel's VMs */
	bool valid;
	struct rp_vm_map pending;	/* added by a restore file */
	/* the dump's own request: the caller's nl->req may be in use */
	char req[RP_NL_BUFSZ] __attribute__((aligned(8)));
};

int cache_load(struct rp_cache *c, struct rp_nl *nl);
void cache_drop(struct rp_cache *c);
void cache_add(struct rp_cache *c, uint32_t id, const char *name);
void cache_pending_add(struct rp_cache *c, uint32_t id, const char *name);
/* Forget the pending names (a VM was deleted or renamed) */
void cache_pending_clear(struct rp_cache *c);
/*
 * A VM added or deleted by a pipelined write, as if it had taken effect
 * (if it fails, nothing after it does): the cache stays loaded.
 */
void cache_note_add(struct rp_cache *c, uint32_t id, const char *name);
void cache_note_del(struct rp_cache *c, uint32_t id);
/* The id of VM @name (pending ones first); reports an unknown name. */
int cache_resolve(struct rp_cache *c, struct rp_nl *nl, const char *name,
		  uint32_t *id);
/* The name of VM @id if known, else NULL */
const char *cache_vm_name(struct rp_cache *c, struct rp_nl *nl, uint32_t id);
void cache_free(struct rp_cache *c);

#endif
