// SPDX-License-Identifier: GPL-2.0
/*
 * The key layout (layout.h): a host's configuration from the keys, and a
 * cluster policy file into keys.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

bool layout_relevant(const char *key, const char *host)
{
	size_t n = strlen(RP_KEY_HOSTS), h = strlen(host);

	if (!strncmp(key, RP_KEY_GLOBAL, strlen(RP_KEY_GLOBAL)))
		return true;
	return !strncmp(key, RP_KEY_HOSTS, n) &&
	       !strncmp(key + n, host, h) && key[n + h] == '/';
}

static int kv_find(const struct etcd_kvs *kv, const char *key, size_t *pos)
{
	size_t lo = 0, hi = kv->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(kv->v[mid].key, key);

		if (!c) {
			*pos = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return 0;
}

void layout_kv_set(struct etcd_kvs *kv, const char *key, const char *val,
		   int64_t mod)
{
	size_t i;

	if (kv_find(kv, key, &i)) {
		free(kv->v[i].val);
		if (val) {
			kv->v[i].val = strdup(val);
			kv->v[i].mod = mod;
			if (!kv->v[i].val)
				abort();
			return;
		}
		free(kv->v[i].key);
		memmove(&kv->v[i], &kv->v[i + 1],
			(kv->n - i - 1) * sizeof(kv->v[0]));
		kv->n--;
		return;
	}
	if (!val)
		return;
	kv->v = realloc(kv->v, (kv->n + 1) * sizeof(kv->v[0]));
	if (!kv->v)
		abort();
	memmove(&kv->v[i + 1], &kv->v[i], (kv->n - i) * sizeof(kv->v[0]));
	kv->v[i].key = strdup(key);
	kv->v[i].val = strdup(val);
	kv->v[i].mod = mod;
	if (!kv->v[i].key || !kv->v[i].val)
		abort();
	kv->n++;
}

/* A name (VM, host) or number in a key: no '/', no space, not empty */
static bool word_ok(const char *s)
{
	return *s && !strpbrk(s, "/ \t\n\r#");
}

struct rule_ref {
	unsigned long id;
	const struct etcd_kv *kv;
};

static int rule_cmp(const void *a, const void *b)
{
	const struct rule_ref *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int layout_compose(const struct etcd_kvs *kv, const char *host, char **text,
		   int64_t *rev, char *err, size_t len)
{
	size_t gvm = strlen(RP_KEY_GLOBAL "vm/"),
	       grule = strlen(RP_KEY_GLOBAL "rule/"), i, nrules = 0, sz;
	char mine[512];
	size_t nmine = (size_t)snprintf(mine, sizeof(mine), "%s%s/vm/",
					RP_KEY_HOSTS, host);
	struct rule_ref *rules = calloc(kv->n + 1, sizeof(*rules));
	FILE *f;

	if (!rules)
		abort();
	*text = NULL;
	*rev = 0;
	f = open_memstream(text, &sz);
	if (!f)
		abort();
	for (i = 0; i < kv->n; i++) {
		const struct etcd_kv *k = &kv->v[i];
		const char *name;
		size_t j;

		if (!layout_relevant(k->key, host))
			continue;
		if (k->mod > *rev)
			*rev = k->mod;
		if (strpbrk(k->val, "\n\r")) {
			snprintf(err, len, "%s: a value is one line", k->key);
			goto bad;
		}
		if (!strncmp(k->key, RP_KEY_GLOBAL "vm/", gvm)) {
			char hkey[1024];

			name = k->key + gvm;
			if (!word_ok(name)) {
				snprintf(err, len, "%s: not a VM name", k->key);
				goto bad;
			}
			snprintf(hkey, sizeof(hkey), "%s%s", mine, name);
			fprintf(f, "vm add %s %s", name, k->val);
			if (kv_find(kv, hkey, &j))
				fprintf(f, " %s\n", kv->v[j].val);
			else
				fputs(" remote\n", f);
		} else if (!strncmp(k->key, RP_KEY_GLOBAL "rule/", grule)) {
			char *end;

			name = k->key + grule;
			rules[nrules].id = strtoul(name, &end, 10);
			if (!word_ok(name) || *end || !rules[nrules].id) {
				snprintf(err, len, "%s: not a rule id", k->key);
				goto bad;
			}
			rules[nrules++].kv = k;
		} else if (!strncmp(k->key, mine, nmine)) {
			char gkey[1024];

			snprintf(gkey, sizeof(gkey), RP_KEY_GLOBAL "vm/%s",
				 k->key + nmine);
			if (!kv_find(kv, gkey, &j)) {
				snprintf(err, len, "%s: no such global VM",
					 k->key);
				goto bad;
			}
		}
		/* anything else (the epoch, newer keys) configures nothing */
	}
	qsort(rules, nrules, sizeof(*rules), rule_cmp);
	for (i = 0; i < nrules; i++)
		fprintf(f, "rule add id %lu %s\n", rules[i].id, rules[i].kv->val);
	fclose(f);
	free(rules);
	return 0;
bad:
	fclose(f);
	free(*text);
	*text = NULL;
	free(rules);
	return -EINVAL;
}

/* ---- policy files ---- */

/* words[from..] joined by single spaces */
static char *join(char **w, int from, int n)
{
	size_t sz = 1;
	char *s;
	int i;

	for (i = from; i < n; i++)
		sz += strlen(w[i]) + 1;
	s = calloc(1, sz);
	if (!s)
		abort();
	for (i = from; i < n; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, w[i]);
	}
	return s;
}

static bool has_word(char **w, int from, int n, const char *const *bad)
{
	int i, j;

	for (i = from; i < n; i++)
		for (j = 0; bad[j]; j++)
			if (!strcmp(w[i], bad[j]))
				return true;
	return false;
}

#define MAX_WORDS 128

static int parse_line(char *line, struct etcd_kvs *out, char *err,
		      size_t len)
{
	static const char *const local_kws[] = { "port", "mac", "remote",
						 NULL };
	char *w[MAX_WORDS], *save = NULL, *p, key[1024], *val;
	int n = 0;

	p = strchr(line, '#');
	if (p)
		*p = '\0';
	for (p = strtok_r(line, " \t\r\n", &save); p;
	     p = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_WORDS) {
			snprintf(err, len, "too many words");
			return -EINVAL;
		}
		w[n++] = p;
	}
	if (!n)
		return 0;
	if (n >= 3 && !strcmp(w[0], "vm") && !strcmp(w[1], "add")) {
		if (!word_ok(w[2])) {
			snprintf(err, len, "\"%s\" is not a VM name", w[2]);
			return -EINVAL;
		}
		if (has_word(w, 3, n, local_kws)) {
			snprintf(err, len, "port, mac and remote go on the \"host HOST vm %s\" line",
				 w[2]);
			return -EINVAL;
		}
		snprintf(key, sizeof(key), RP_KEY_GLOBAL "vm/%s", w[2]);
		val = join(w, 3, n);
	} else if (n >= 4 && !strcmp(w[0], "rule") && !strcmp(w[1], "add") &&
		   !strcmp(w[2], "id")) {
		if (!word_ok(w[3]) || strspn(w[3], "0123456789") !=
		    strlen(w[3])) {
			snprintf(err, len, "\"%s\" is not a rule id", w[3]);
			return -EINVAL;
		}
		snprintf(key, sizeof(key), RP_KEY_GLOBAL "rule/%s", w[3]);
		val = join(w, 4, n);
	} else if (n >= 4 && !strcmp(w[0], "host") && !strcmp(w[2], "vm")) {
		if (!word_ok(w[1]) || !word_ok(w[3])) {
			snprintf(err, len, "bad host or VM name");
			return -EINVAL;
		}
		snprintf(key, sizeof(key), RP_KEY_HOSTS "%s/vm/%s", w[1], w[3]);
		val = join(w, 4, n);
	} else {
		snprintf(err, len, "%s",
			 "takes \"vm add NAME ...\", \"rule add id ID ...\" and \"host HOST vm NAME ...\" lines");
		return -EINVAL;
	}
	{
		size_t i;

		if (kv_find(out, key, &i)) {
			snprintf(err, len, "%s given twice", key);
			free(val);
			return -EINVAL;
		}
	}
	layout_kv_set(out, key, val, 0);
	free(val);
	return 0;
}

int layout_parse_file(const char *file, struct etcd_kvs *out, char *err,
		      size_t len)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char line[4096], why[1200];
	int lineno = 0, ret = 0;

	memset(out, 0, sizeof(*out));
	if (!f) {
		snprintf(err, len, "%s: %s", file, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, len, "%s:%d: line too long", file, lineno);
			ret = -EINVAL;
			break;
		}
		if (parse_line(line, out, why, sizeof(why))) {
			snprintf(err, len, "%s:%d: %s", file, lineno, why);
			ret = -EINVAL;
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (ret)
		etcd_kvs_free(out);
	return ret;
}
