/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RP_TOOL_H
#define RP_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "nl.h"

struct rp_opts {
	bool json;
	bool pretty;
	bool stats;
	const char *batch;
};

extern struct rp_opts opts;
extern struct rp_nl *g_nl;

void rp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* argv cursor with keyword helpers */
struct args {
	int argc;
	char **argv;
};

static inline bool args_more(struct args *a)
{
	return a->argc > 0;
}

const char *args_peek(struct args *a);
const char *args_next(struct args *a, const char *what);
bool args_match(struct args *a, const char *word);
int args_u32(struct args *a, const char *what, uint32_t *v);

int parse_u32(const char *s, uint32_t *v);
/* "10.0.0.0/8", "fd00::/64", "10.0.0.1" (= /32): 4 or 16 bytes */
int parse_prefix(const char *s, uint8_t *addr, int *alen, uint8_t *plen);
int parse_mac(const char *s, uint8_t *mac);
const char *fmt_prefix(const uint8_t *addr, int alen, uint8_t plen,
		       char *buf, size_t len);
void put_prefix(struct nlmsghdr *nlh, int type, const uint8_t *addr,
		int alen, uint8_t plen);
int get_prefix(const struct nlattr *nest, char *buf, size_t len);

/* VM id <-> name, from a dump */
int vm_cache_load(void);
int vm_resolve(const char *name, uint32_t *id);
void vm_pending_add(uint32_t id, const char *name);
int vm_parse(struct args *a, struct nlmsghdr *nlh, const char *name, bool add,
	     uint32_t *id_out);
int rule_parse(struct args *a, struct nlmsghdr *nlh, bool need_id);
int vm_dump(bool for_save);
int rule_dump(bool save);
int rp_flush(uint32_t what);
const char *vm_name(uint32_t id, char *buf, size_t len);

int cmd_vm(struct args *a);
int cmd_rule(struct args *a);
int cmd_conn(struct args *a);
int cmd_nic(struct args *a);
int cmd_stats(struct args *a);
int cmd_monitor(struct args *a);
int cmd_save(struct args *a);
int cmd_restore(struct args *a);
int cmd_flush(struct args *a);

#endif
