// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicyd: apply the cluster's desired configuration, kept in etcd,
 * to this host's kernel, and report what was applied.
 *
 *   rdmapolicyd [-e URL] [-H HOST] [--ttl S] [--state FILE]
 *               [--once | --print]
 *   rdmapolicyd [-e URL] push FILE | status [-j]
 *
 * The daemon reads the keys of layout.h that configure its host, applies
 * the host's configuration in one RP_CMD_CONFIG_SET (the CLI's restore
 * code, tools/rdmapolicy), then follows a watch; each change that alters
 * the configuration is one more CONFIG_SET.  Its report (status/HOST)
 * is bound to a lease it keeps alive.  Documentation/cluster.rst has the
 * behaviour on failures; rdmapolicyd.8 the options.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"
#include "etcd.h"
#include "layout.h"
#include "cluster.h"

struct daemon {
	struct rd rd;			/* the CLI's context: netlink, cache */
	struct etcd e;
	const char *host, *state_file;
	int ttl;
	/* the keys that configure this host, as of revision @rev */
	struct etcd_kvs kv;
	int64_t rev;			/* watch resumes after it */
	int64_t policy_rev;		/* the newest change to kv */
	bool changed, compacted, watching;
	/* what the kernel has from us */
	char *applied;			/* its text; NULL: unknown */
	int64_t applied_rev;
	uint32_t generation;		/* the kernel's after our apply */
	/* the report */
	int64_t lease;
	bool report_due, report_failed, etcd_down;
	double backoff;			/* before the next reconnect, s */
	char status[1024];		/* "" if ok, else the error */
	int64_t failed_rev;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = 1;
}

void dlog(const char *fmt, ...)
{
	va_list ap;

	fputs("rdmapolicyd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap(double s)
{
	double end = now_s() + s;

	while (!stopping && now_s() < end)
		usleep(100 * 1000);
}

/* ---- the kernel ---- */

static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *st[RP_A_STATS_MAX + 1];
	uint32_t *gen = data;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_STATS])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_STATS], st, RP_A_STATS_MAX);
	if (st[RP_A_STATS_GENERATION])
		*gen = mnl_attr_get_u32(st[RP_A_STATS_GENERATION]);
	return MNL_CB_OK;
}

static int kernel_generation(struct daemon *d, uint32_t *gen)
{
	*gen = 0;
	return rp_nl_talk(&d->rd.nl, rp_nl_msg(&d->rd.nl, RP_CMD_STATS_GET,
					       NLM_F_ACK), gen_cb, gen);
}

/*
 * @text into one CONFIG_SET: all of it or, on an error (in @err, with
 * the kernel's extack message), nothing.
 */
static int kernel_apply(struct daemon *d, const char *text, char *err,
			size_t len)
{
	char *copy = strdup(text), *line, *save = NULL,
	     *argv[RD_MAX_WORDS];
	struct rd_config c;
	int argc, ret = 0, n = 0;

	if (!copy)
		abort();
	/* names pending from an earlier attempt must not resolve now */
	cache_free(&d->rd.cache);
	rp_err_capture(err, len);
	rd_config_init(&d->rd, &c);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		n++;
		argc = rd_split_line(line, argv);
		if (argc < 0) {
			snprintf(err, len, "line %d: too many words", n);
			ret = -E2BIG;
			break;
		}
		if (!argc)
			continue;
		ret = rd_config_line(&d->rd, &c, argc, argv);
		if (ret) {
			char why[512];

			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, len, "%s %s: %s", argv[0],
				 argc > 2 ? argv[2] : "", why);
			break;
		}
	}
	if (!ret)
		ret = rd_config_send(&d->rd, &c);
	rp_err_capture(NULL, 0);
	rd_config_free(&c);
	cache_free(&d->rd.cache);
	free(copy);
	return ret;
}

/* ---- the state file: what we applied, and the kernel's generation ---- */

static void state_save(struct daemon *d)
{
	char tmp[4096];
	FILE *f;

	if (!d->state_file[0])
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->state_file);
	f = fopen(tmp, "w");
	if (!f) {
		dlog("state %s: %s", tmp, strerror(errno));
		return;
	}
	fprintf(f, "rdmapolicyd-state 1\ngeneration %u\nrevision %lld\n%s",
		d->generation, (long long)d->applied_rev, d->applied);
	if (fclose(f) || rename(tmp, d->state_file))
		dlog("state %s: %s", d->state_file, strerror(errno));
}

/*
 * What the kernel has, if it is what we last applied: the state file
 * says so when the kernel's generation has not moved since.
 */
static void state_load(struct daemon *d)
{
	unsigned int gen;
	long long rev;
	uint32_t now;
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	if (!d->state_file[0])
		return;
	f = fopen(d->state_file, "r");
	if (!f)
		return;
	if (fscanf(f, "rdmapolicyd-state 1 generation %u revision %lld",
		   &gen, &rev) != 2 || fgetc(f) != '\n') {
		fclose(f);
		dlog("state %s: not ours, ignored", d->state_file);
		return;
	}
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(text);
		text = strdup("");
	}
	if (kernel_generation(d, &now) || now != gen) {
		dlog("state: the kernel's configuration changed since revision %lld (generation %u, now %u)",
		     rev, gen, now);
		free(text);
		return;
	}
	d->applied = text;
	d->applied_rev = rev;
	d->generation = gen;
	dlog("state: the kernel has revision %lld (generation %u)", rev, gen);
}

/* ---- the report ---- */

static void iso_time(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int report(struct daemon *d)
{
	struct json_object *o = json_object_new_object();
	char key[512], when[32];
	int err;

	if (!d->lease) {
		int64_t id = etcd_lease_grant(&d->e, d->ttl);

		if (id < 0)
			return (int)id;
		d->lease = id;
	}
	iso_time(when, sizeof(when));
	json_object_object_add(o, "host", json_object_new_string(d->host));
	json_object_object_add(o, "revision",
			       json_object_new_int64(d->applied_rev));
	json_object_object_add(o, "generation",
			       json_object_new_int64(d->generation));
	json_object_object_add(o, "time", json_object_new_string(when));
	json_object_object_add(o, "status", json_object_new_string(
				       d->status[0] ? "error" : "ok"));
	if (d->status[0]) {
		json_object_object_add(o, "error",
				       json_object_new_string(d->status));
		json_object_object_add(o, "failed_revision",
				       json_object_new_int64(d->failed_rev));
	}
	snprintf(key, sizeof(key), RP_KEY_STATUS "%s", d->host);
	err = etcd_put(&d->e, key, json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PLAIN), d->lease);
	json_object_put(o);
	if (!err)
		d->report_due = false;
	return err;
}

/* ---- converging ---- */

/* The configuration of the keys now, applied if it differs. */
static void converge(struct daemon *d)
{
	char err[1024] = "";
	uint32_t gen;
	char *text;
	int64_t rev;
	double t0;

	d->report_due = true;
	if (!d->kv.n) {
		/* nothing published (a push writes the epoch at least) */
		dlog("revision %lld: no configuration in etcd: the kernel keeps its own",
		     (long long)d->rev);
		return;
	}
	if (layout_compose(&d->kv, d->host, &text, &rev, err, sizeof(err))) {
		snprintf(d->status, sizeof(d->status), "%s", err);
		d->failed_rev = d->policy_rev;
		dlog("revision %lld: not applied: %s", (long long)d->policy_rev,
		     err);
		return;
	}
	if (rev < d->policy_rev)
		rev = d->policy_rev;	/* a deletion is a change too */
	if (d->applied && !strcmp(text, d->applied)) {
		if (rev != d->applied_rev || d->status[0])
			dlog("revision %lld: the kernel has this configuration already",
			     (long long)rev);
		d->applied_rev = rev;
		d->status[0] = '\0';
		free(text);
		return;
	}
	t0 = now_s();
	if (kernel_apply(d, text, err, sizeof(err))) {
		snprintf(d->status, sizeof(d->status), "%s", err);
		d->failed_rev = rev;
		dlog("revision %lld: refused, the kernel keeps revision %lld: %s",
		     (long long)rev, (long long)d->applied_rev, err);
		free(text);
		return;
	}
	free(d->applied);
	d->applied = text;
	d->applied_rev = rev;
	d->status[0] = '\0';
	if (!kernel_generation(d, &gen))
		d->generation = gen;
	state_save(d);
	dlog("revision %lld: applied (generation %u, %.3f s)", (long long)rev,
	     d->generation, now_s() - t0);
}

static int full_read(struct daemon *d)
{
	struct etcd_kvs all;
	size_t i;
	int err;

	err = etcd_range(&d->e, RP_KEY_GLOBAL, RP_KEY_CFG_END, &all);
	if (err)
		return err;
	etcd_kvs_free(&d->kv);
	d->policy_rev = 0;
	for (i = 0; i < all.n; i++) {
		if (!layout_relevant(all.v[i].key, d->host))
			continue;
		layout_kv_set(&d->kv, all.v[i].key, all.v[i].val,
			      all.v[i].mod);
		if (all.v[i].mod > d->policy_rev)
			d->policy_rev = all.v[i].mod;
	}
	d->rev = all.rev;
	etcd_kvs_free(&all);
	dlog("read revision %lld: %zu keys for %s", (long long)d->rev,
	     d->kv.n, d->host);
	return 0;
}

/* One watch message: its events into d->kv. */
static int on_watch(void *ctx, struct json_object *res)
{
	struct daemon *d = ctx;
	struct json_object *evs, *ev, *kv, *t, *k, *v;
	size_t i;

	if (etcd_int(res, "compact_revision") ||
	    (json_object_object_get_ex(res, "canceled", &t) &&
	     json_object_get_boolean(t))) {
		d->compacted = true;
		return 1;
	}
	if (json_object_object_get_ex(res, "created", &t) &&
	    json_object_get_boolean(t)) {
		dlog("%swatching from revision %lld",
		     d->etcd_down ? "etcd: back; " : "", (long long)d->rev + 1);
		d->etcd_down = false;
		d->backoff = 0.5;
	}
	if (!json_object_object_get_ex(res, "events", &evs))
		return 0;
	for (i = 0; i < json_object_array_length(evs); i++) {
		char *key, *val = NULL;
		bool del;
		int64_t mod;

		ev = json_object_array_get_idx(evs, i);
		if (!json_object_object_get_ex(ev, "kv", &kv) ||
		    !json_object_object_get_ex(kv, "key", &k))
			continue;
		del = json_object_object_get_ex(ev, "type", &t) &&
		      !strcmp(json_object_get_string(t), "DELETE");
		mod = etcd_int(kv, "mod_revision");
		if (mod > d->rev)
			d->rev = mod;
		key = etcd_unb64(k);
		if (!key || !layout_relevant(key, d->host)) {
			free(key);
			continue;
		}
		if (!del) {
			v = NULL;
			json_object_object_get_ex(kv, "value", &v);
			val = etcd_unb64(v);
			if (!val) {
				free(key);
				continue;
			}
		}
		layout_kv_set(&d->kv, key, val, mod);
		if (mod > d->policy_rev)
			d->policy_rev = mod;
		d->changed = true;
		free(key);
		free(val);
	}
	return 0;
}

static int run(struct daemon *d, bool once)
{
	double next_ka = 0;
	bool started = false;
	int err;

	state_load(d);
	while (!stopping) {
		if (!started) {
			err = full_read(d);
			if (err) {
				if (once) {
					dlog("etcd: %s", d->e.err);
					return 1;
				}
				goto retry;
			}
			started = true;
			converge(d);
			if (once) {
				err = report(d);
				if (err)
					dlog("report: %s", d->e.err);
				return d->status[0] || err ? 1 : 0;
			}
		}
		if (!d->watching) {
			if (d->compacted) {
				dlog("revision %lld was compacted: reading everything again",
				     (long long)d->rev + 1);
				d->compacted = false;
				err = full_read(d);
				if (err)
					goto retry;
				converge(d);
			}
			etcd_watch_start(&d->e, RP_KEY_GLOBAL, RP_KEY_CFG_END,
					 d->rev + 1, on_watch, d);
			d->watching = true;
		}
		err = etcd_watch_poll(&d->e, 1000);
		if (d->changed) {
			d->changed = false;
			converge(d);
		}
		if (d->compacted) {
			etcd_watch_stop(&d->e);
			d->watching = false;
			continue;
		}
		if (err == -EPIPE) {
			etcd_watch_stop(&d->e);
			d->watching = false;
			goto retry;
		}
		if (now_s() >= next_ka && d->lease) {
			err = etcd_lease_keepalive(&d->e, d->lease);
			if (err == -ENOENT) {
				dlog("lease %lld expired: a new one",
				     (long long)d->lease);
				d->lease = 0;
				d->report_due = true;
			}
			next_ka = now_s() + d->ttl / 3.0;
		}
		if (d->report_due) {
			/* a failure is logged once, until a report works */
			err = report(d);
			if (err && !d->report_failed)
				dlog("report: %s; retrying", d->e.err);
			d->report_failed = err;
		}
		continue;
retry:
		if (!d->etcd_down)
			dlog("etcd: %s; retrying (backoff from %.1f s)",
			     d->e.err, d->backoff);
		d->etcd_down = true;
		nap(d->backoff);
		d->backoff = d->backoff * 2 > 16 ? 16 : d->backoff * 2;
	}
	dlog("stopping at revision %lld", (long long)d->applied_rev);
	return 0;
}

/* --print: the configuration this host would apply, on stdout */
static int print_config(struct daemon *d)
{
	char err[1024];
	int64_t rev;
	char *text;

	if (full_read(d)) {
		dlog("etcd: %s", d->e.err);
		return 1;
	}
	if (layout_compose(&d->kv, d->host, &text, &rev, err, sizeof(err))) {
		dlog("revision %lld: %s", (long long)d->policy_rev, err);
		return 1;
	}
	printf("# %s at revision %lld\n%s", d->host, (long long)rev, text);
	free(text);
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: rdmapolicyd [-e URL] [-H HOST] [--ttl SECONDS] [--state FILE] [--once | --print]\n",
	      f);
	fputs("       rdmapolicyd [-e URL] push FILE | status [-j]\n", f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "endpoint", required_argument, NULL, 'e' },
		{ "host", required_argument, NULL, 'H' },
		{ "ttl", required_argument, NULL, 't' },
		{ "state", required_argument, NULL, 's' },
		{ "once", no_argument, NULL, '1' },
		{ "print", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *url = getenv("RDMAPOLICYD_ENDPOINT");
	struct daemon *d = calloc(1, sizeof(*d));
	char host[256];
	bool once = false, print = false;
	int opt, ret;

	if (!d)
		return 1;
	if (!url)
		url = "http://127.0.0.1:2379";
	d->ttl = 10;
	d->backoff = 0.5;
	d->state_file = "/run/rdmapolicyd/state";
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "localhost");
	d->host = host;
	while ((opt = getopt_long(argc, argv, "+e:H:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'e':
			url = optarg;
			break;
		case 'H':
			d->host = optarg;
			break;
		case 't':
			d->ttl = atoi(optarg);
			if (d->ttl < 2) {
				fputs("rdmapolicyd: --ttl: 2 seconds at least\n",
				      stderr);
				return 2;
			}
			break;
		case 's':
			d->state_file = optarg;
			break;
		case '1':
			once = true;
			break;
		case 'p':
			print = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (etcd_init(&d->e, url)) {
		fputs("rdmapolicyd: bad endpoint\n", stderr);
		return 2;
	}
	if (optind < argc) {
		ret = cluster_cmd(&d->e, argc - optind, argv + optind);
		etcd_fini(&d->e);
		return ret;
	}
	if (strchr(d->host, '/') || !d->host[0]) {
		fputs("rdmapolicyd: a host name has no '/'\n", stderr);
		return 2;
	}
	if (print) {
		ret = print_config(d);
		etcd_fini(&d->e);
		return ret;
	}
	rd_init(&d->rd);
	if (rp_nl_open(&d->rd.nl))
		return 1;
	if (d->state_file[0]) {
		char dir[4096], *slash;

		snprintf(dir, sizeof(dir), "%s", d->state_file);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			mkdir(dir, 0755);
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	dlog("host %s, etcd %s%s", d->host, d->e.url, once ? ", once" : "");
	ret = run(d, once);
	etcd_fini(&d->e);
	rd_fini(&d->rd);
	etcd_kvs_free(&d->kv);
	free(d->applied);
	free(d);
	curl_global_cleanup();
	return ret;
}
