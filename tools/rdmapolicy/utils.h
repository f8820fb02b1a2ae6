/* SPDX-License-Identifier: GPL-2.0 */
/* Error messages, the argument cursor and address helpers: a leaf. */
#ifndef RP_TOOL_UTILS_H
#define RP_TOOL_UTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

void rp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* rp_err() into @buf (the last message), not stderr; NULL: stderr again */
void rp_err_capture(char *buf, size_t len);

/* argv cursor with keyword helpers */
struct args {
	int argc;
	char **argv;
};

static inline bool args_more(const struct args *a)
{
	return a->argc > 0;
}

const char *args_peek(const struct args *a);
const char *args_next(struct args *a, const char *what);
bool args_match(struct args *a, const char *word);
int args_u32(struct args *a, const char *what, uint32_t *v);
/* "%s: unexpected \"%s\"" unless the arguments are used up */
int args_end(const struct args *a, const char *cmd);

int parse_u32(const char *s, uint32_t *v);
/* "10.0.0.0/8", "fd00::/64", "10.0.0.1" (= /32): 4 or 16 bytes */
int parse_prefix(const char *s, uint8_t *addr, int *alen, uint8_t *plen);
int parse_mac(const char *s, uint8_t *mac);
const char *fmt_prefix(const uint8_t *addr, int alen, uint8_t plen,
		       char *buf, size_t len);
void put_prefix(struct nlmsghdr *nlh, int type, const uint8_t *addr,
		int alen, uint8_t plen);
/* A validated RP_A_*_PREFIX nest as text; -EINVAL if incomplete */
int get_prefix(const struct nlattr *nest, char *buf, size_t len);

/* Levenshtein distance of two short words (for "did you mean") */
int edit_distance(const char *a, const char *b);

#endif
