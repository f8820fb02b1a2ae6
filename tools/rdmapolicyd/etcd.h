/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small client of etcd's v3 JSON gateway (etcd 3.4: POST /v3/kv/range,
 * /v3/kv/txn, /v3/kv/put, /v3/lease/grant, /v3/lease/keepalive and the
 * streaming /v3/watch), on libcurl and json-c.  Keys and values travel
 * base64-encoded and 64-bit numbers as JSON strings; these functions take
 * and give plain C strings and integers.
 *
 * Requests are blocking (one easy handle, a timeout each); the watch has
 * a handle of its own in a multi handle, so that the caller can wait for
 * watch messages and do requests in between, in one thread.
 */
#ifndef RP_ETCD_H
#define RP_ETCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>
#include <json-c/json.h>

struct etcd_kv {
	char *key, *val;
	int64_t mod;		/* mod_revision */
};

struct etcd_kvs {
	struct etcd_kv *v;	/* sorted by key, as etcd returns them */
	size_t n;
	int64_t rev;		/* the store's revision the range was read at */
};

/* A watch message (one "result") to the caller; nonzero stops polling. */
typedef int (*etcd_watch_fn)(void *ctx, struct json_object *result);

struct etcd {
	char url[256];			/* http://HOST:PORT, no slash */
	long timeout_ms;		/* of a request */
	CURL *h;			/* requests */
	char err[CURL_ERROR_SIZE + 128];	/* why the last call failed */
	/* the watch */
	CURLM *multi;
	CURL *wh;
	struct curl_slist *hdrs;
	char *wbody;
	struct json_tokener *tok;
	etcd_watch_fn fn;
	void *ctx;
	int wstop;			/* the callback's nonzero */
	bool wdone;			/* the stream ended */
};

int etcd_init(struct etcd *e, const char *url);
void etcd_fini(struct etcd *e);

/*
 * POST @body (not consumed) to @path; *@out (put it) is the reply.
 * -EIO: no reply (e->err says why); -EPROTO: an error reply (e->err
 * has etcd's message).
 */
int etcd_call(struct etcd *e, const char *path, struct json_object *body,
	      struct json_object **out);

/* Keys in [@key, @end) (@end NULL: @key only) */
int etcd_range(struct etcd *e, const char *key, const char *end,
	       struct etcd_kvs *out);
void etcd_kvs_free(struct etcd_kvs *k);

/* A lease of @ttl seconds: its id, or a negative errno */
int64_t etcd_lease_grant(struct etcd *e, int ttl);
/* 0, -ENOENT: the lease is gone, or a negative errno */
int etcd_lease_keepalive(struct etcd *e, int64_t id);
int etcd_put(struct etcd *e, const char *key, const char *val, int64_t lease);

/* The JSON the gateway takes for a key or value, and back */
struct json_object *etcd_b64(const char *s);
char *etcd_unb64(struct json_object *o);
int64_t etcd_int(struct json_object *o, const char *field);

/* Watch [@key, @end) from revision @rev; messages go to @fn */
int etcd_watch_start(struct etcd *e, const char *key, const char *end,
		     int64_t rev, etcd_watch_fn fn, void *ctx);
/*
 * Wait up to @ms for the watch, handing what comes to the callback:
 * 0, the callback's nonzero, or -EPIPE when the stream ended (e->err).
 */
int etcd_watch_poll(struct etcd *e, int ms);
void etcd_watch_stop(struct etcd *e);

#endif
