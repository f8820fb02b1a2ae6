// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicyd push FILE: the whole configuration of FILE in one etcd
 * transaction (the keys FILE has put, the others under global/ and
 * hosts/ deleted, the epoch key rewritten), guarded by a comparison so
 * that a concurrent change makes it start again rather than be lost.
 * rdmapolicyd status: every host's report against the configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster.h"
#include "layout.h"

static struct json_object *op_put(const char *key, const char *val)
{
	struct json_object *op = json_object_new_object(),
			   *put = json_object_new_object();

	json_object_object_add(put, "key", etcd_b64(key));
	json_object_object_add(put, "value", etcd_b64(val));
	json_object_object_add(op, "request_put", put);
	return op;
}

static struct json_object *op_del(const char *key)
{
	struct json_object *op = json_object_new_object(),
			   *del = json_object_new_object();

	json_object_object_add(del, "key", etcd_b64(key));
	json_object_object_add(op, "request_delete_range", del);
	return op;
}

static int push_once(struct etcd *e, const struct etcd_kvs *want,
		     const char *file, int64_t *rev)
{
	struct json_object *req, *ops, *cmp, *c, *rep, *h, *ok;
	struct etcd_kvs have;
	char epoch[512], when[32], buf[32];
	time_t t = time(NULL);
	size_t i, j = 0;
	int err;

	err = etcd_range(e, RP_KEY_GLOBAL, RP_KEY_CFG_END, &have);
	if (err)
		return err;
	req = json_object_new_object();
	ops = json_object_new_array();
	/* deletes of what FILE no longer has (both lists are sorted) */
	for (i = 0; i < have.n; i++) {
		while (j < want->n && strcmp(want->v[j].key, have.v[i].key) < 0)
			j++;
		if (!strcmp(have.v[i].key, RP_KEY_EPOCH))
			continue;
		if (j == want->n || strcmp(want->v[j].key, have.v[i].key))
			json_object_array_add(ops, op_del(have.v[i].key));
	}
	for (i = 0; i < want->n; i++)
		json_object_array_add(ops, op_put(want->v[i].key,
						  want->v[i].val));
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	snprintf(epoch, sizeof(epoch), "%s %s", when, file);
	json_object_array_add(ops, op_put(RP_KEY_EPOCH, epoch));
	/* nothing in the range changed since we read it */
	cmp = json_object_new_array();
	c = json_object_new_object();
	json_object_object_add(c, "key", etcd_b64(RP_KEY_GLOBAL));
	json_object_object_add(c, "range_end", etcd_b64(RP_KEY_CFG_END));
	json_object_object_add(c, "target", json_object_new_string("MOD"));
	json_object_object_add(c, "result", json_object_new_string("LESS"));
	snprintf(buf, sizeof(buf), "%lld", (long long)have.rev + 1);
	json_object_object_add(c, "mod_revision", json_object_new_string(buf));
	json_object_array_add(cmp, c);
	json_object_object_add(req, "compare", cmp);
	json_object_object_add(req, "success", ops);
	etcd_kvs_free(&have);
	err = etcd_call(e, "/v3/kv/txn", req, &rep);
	json_object_put(req);
	if (err)
		return err;
	if (!json_object_object_get_ex(rep, "succeeded", &ok) ||
	    !json_object_get_boolean(ok)) {
		json_object_put(rep);
		return -EAGAIN;
	}
	if (json_object_object_get_ex(rep, "header", &h))
		*rev = etcd_int(h, "revision");
	json_object_put(rep);
	return 0;
}

static int push(struct etcd *e, const char *file)
{
	struct etcd_kvs want;
	char err[1024];
	int64_t rev = 0;
	int i, ret = -EAGAIN;

	if (layout_parse_file(file, &want, err, sizeof(err))) {
		fprintf(stderr, "rdmapolicyd: push: %s\n", err);
		return 1;
	}
	for (i = 0; i < 5 && ret == -EAGAIN; i++)
		ret = push_once(e, &want, file, &rev);
	etcd_kvs_free(&want);
	if (ret == -EAGAIN) {
		fprintf(stderr, "rdmapolicyd: push: the configuration kept changing; not pushed\n");
		return 1;
	}
	if (ret) {
		fprintf(stderr, "rdmapolicyd: push: %s\n", e->err);
		return 1;
	}
	printf("revision %lld\n", (long long)rev);
	return 0;
}

/* The newest change that configures @host (what it should report) */
static int64_t host_rev(const struct etcd_kvs *cfg, const char *host)
{
	int64_t rev = 0;
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (layout_relevant(cfg->v[i].key, host) &&
		    cfg->v[i].mod > rev)
			rev = cfg->v[i].mod;
	return rev;
}

static int status(struct etcd *e, bool json)
{
	struct etcd_kvs cfg, st;
	struct json_object *all = json_object_new_array();
	size_t i;
	int err, behind = 0;

	err = etcd_range(e, RP_KEY_GLOBAL, RP_KEY_CFG_END, &cfg);
	if (!err)
		err = etcd_range(e, RP_KEY_STATUS, RP_KEY_ROOT "status0", &st);
	if (err) {
		fprintf(stderr, "rdmapolicyd: status: %s\n", e->err);
		return 1;
	}
	if (!json)
		printf("%-16s %9s %9s %-20s %s\n", "HOST", "APPLIED", "WANTED",
		       "TIME", "STATUS");
	for (i = 0; i < st.n; i++) {
		struct json_object *o = json_tokener_parse(st.v[i].val), *f;
		const char *host = st.v[i].key + strlen(RP_KEY_STATUS);
		int64_t want = host_rev(&cfg, host),
			have = etcd_int(o, "revision");
		const char *s = "?", *when = "?", *why = "";

		if (o && json_object_object_get_ex(o, "status", &f))
			s = json_object_get_string(f);
		if (o && json_object_object_get_ex(o, "time", &f))
			when = json_object_get_string(f);
		if (o && json_object_object_get_ex(o, "error", &f))
			why = json_object_get_string(f);
		if (have < want || strcmp(s, "ok"))
			behind++;
		if (json) {
			if (!o)
				o = json_object_new_object();
			json_object_object_add(o, "wanted",
					       json_object_new_int64(want));
			json_object_object_add(o, "converged",
				json_object_new_boolean(have >= want &&
							!strcmp(s, "ok")));
			json_object_array_add(all, json_object_get(o));
		} else {
			printf("%-16s %9lld %9lld %-20s %s%s%s\n", host,
			       (long long)have, (long long)want, when, s,
			       why[0] ? ": " : "", why);
		}
		json_object_put(o);
	}
	if (json)
		printf("%s\n", json_object_to_json_string_ext(all,
			JSON_C_TO_STRING_PLAIN));
	json_object_put(all);
	etcd_kvs_free(&cfg);
	etcd_kvs_free(&st);
	return behind ? 3 : 0;
}

int cluster_cmd(struct etcd *e, int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[0], "push"))
		return push(e, argv[1]);
	if (argc == 1 && !strcmp(argv[0], "status"))
		return status(e, false);
	if (argc == 2 && !strcmp(argv[0], "status") && !strcmp(argv[1], "-j"))
		return status(e, true);
	fputs("usage: rdmapolicyd [-e URL] push FILE | status [-j]\n", stderr);
	return 2;
}
