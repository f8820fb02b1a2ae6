// SPDX-License-Identifier: GPL-2.0
/* Argument and address helpers of the rdmapolicy tool. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rdmapolicy.h>

#include "nl.h"
#include "utils.h"

/*
 * The one piece of global state: where rp_err() writes when not to
 * standard error (rdmapolicyd reports the messages of a refused
 * configuration to etcd).  The last message wins.
 */
static char *err_buf;
static size_t err_len;

void rp_err_capture(char *buf, size_t len)
{
	err_buf = buf;
	err_len = len;
	if (buf && len)
		buf[0] = '\0';
}

void rp_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (err_buf) {
		vsnprintf(err_buf, err_len, fmt, ap);
		va_end(ap);
		return;
	}
	fputs("rdmapolicy: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *args_peek(const struct args *a)
{
	return a->argc > 0 ? a->argv[0] : NULL;
}

const char *args_next(struct args *a, const char *what)
{
	if (a->argc <= 0) {
		rp_err("missing %s", what);
		return NULL;
	}
	a->argc--;
	return *a->argv++;
}

bool args_match(struct args *a, const char *word)
{
	if (a->argc > 0 && !strcmp(a->argv[0], word)) {
		a->argc--;
		a->argv++;
		return true;
	}
	return false;
}

int args_end(const struct args *a, const char *cmd)
{
	if (!args_more(a))
		return 0;
	rp_err("%s: unexpected \"%s\"", cmd, args_peek(a));
	return -EINVAL;
}

int parse_u32(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	/* plain decimal, no leading 0 (octal) and at most 9 digits: by hand */
	if (*s >= '1' && *s <= '9') {
		uint32_t d = 0;
		int i;

		for (i = 0; i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
			d = d * 10 + (s[i] - '0');
		if (!s[i]) {
			*v = d;
			return 0;
		}
	}
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end || n > UINT32_MAX)
		return -EINVAL;
	*v = n;
	return 0;
}

int args_u32(struct args *a, const char *what, uint32_t *v)
{
	const char *s = args_next(a, what);

	if (!s)
		return -EINVAL;
	if (parse_u32(s, v)) {
		rp_err("%s: \"%s\" is not a number from 0 to 4294967295",
		       what, s);
		return -EINVAL;
	}
	return 0;
}

int parse_prefix(const char *s, uint8_t *addr, int *alen, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	uint32_t n;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1)
		*alen = 4;
	else if (inet_pton(AF_INET6, buf, addr) == 1)
		*alen = 16;
	else
		return -EINVAL;
	if (!slash) {
		*plen = *alen * 8;
		return 0;
	}
	if (parse_u32(slash, &n) || n > (uint32_t)*alen * 8)
		return -EINVAL;
	*plen = n;
	return 0;
}

int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	char end;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -EINVAL;
		mac[i] = b[i];
	}
	return 0;
}

const char *fmt_prefix(const uint8_t *addr, int alen, uint8_t plen,
		       char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(alen == 4 ? AF_INET : AF_INET6, addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, plen);
	return buf;
}

void put_prefix(struct nlmsghdr *nlh, int type, const uint8_t *addr,
		int alen, uint8_t plen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put(nlh, RP_A_PREFIX_ADDR, alen, addr);
	mnl_attr_put_u8(nlh, RP_A_PREFIX_LEN, plen);
	mnl_attr_nest_end(nlh, nest);
}

int get_prefix(const struct nlattr *nest, char *buf, size_t len)
{
	const struct nlattr *tb[RP_A_PREFIX_MAX + 1];
	int alen;

	rp_nl_parse_nest(nest, tb, RP_A_PREFIX_MAX);
	if (!tb[RP_A_PREFIX_ADDR] || !tb[RP_A_PREFIX_LEN])
		return -EINVAL;
	alen = mnl_attr_get_payload_len(tb[RP_A_PREFIX_ADDR]);
	if (alen != 4 && alen != 16)
		return -EINVAL;
	fmt_prefix(mnl_attr_get_payload(tb[RP_A_PREFIX_ADDR]), alen,
		   mnl_attr_get_u8(tb[RP_A_PREFIX_LEN]), buf, len);
	return 0;
}

int edit_distance(const char *a, const char *b)
{
	int la = strlen(a), lb = strlen(b), d[33], i, j;

	if (la > 32 || lb > 32)
		return 99;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		int diag = d[0];

		d[0] = i;
		for (j = 1; j <= lb; j++) {
			int up = d[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (d[j - 1] + 1 < best)
				best = d[j - 1] + 1;
			diag = up;
			d[j] = best;
		}
	}
	return d[lb];
}
