// SPDX-License-Identifier: GPL-2.0
/*
 * etcd's v3 JSON gateway over libcurl, replies parsed with json-c.
 * See etcd.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etcd.h"

/* ---- base64 (the gateway's encoding of bytes) ---- */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct json_object *etcd_b64(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *out = malloc(4 * (n / 3 + 1) + 1);
	struct json_object *j;

	if (!out)
		abort();
	for (i = 0; i < n; i += 3) {
		unsigned int v = (unsigned char)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	j = json_object_new_string(out);
	free(out);
	return j;
}

/* The bytes of a base64 string (NUL-terminated), or NULL if not one */
char *etcd_unb64(struct json_object *o)
{
	const char *s = o ? json_object_get_string(o) : "";
	size_t n = strlen(s), i, k = 0;
	unsigned int v = 0;
	int bits = 0;
	char *out = malloc(n + 1);

	if (!out)
		abort();
	for (i = 0; i < n && s[i] != '='; i++) {
		const char *p = strchr(b64, s[i]);

		if (!p || !s[i]) {
			free(out);
			return NULL;
		}
		v = v << 6 | (unsigned int)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (char)(v >> bits & 0xff);
		}
	}
	out[k] = '\0';
	return out;
}

/* An int64 field (a JSON string, or a number); 0 when absent */
int64_t etcd_int(struct json_object *o, const char *field)
{
	struct json_object *f;

	if (!o || !json_object_object_get_ex(o, field, &f))
		return 0;
	if (json_object_is_type(f, json_type_string))
		return strtoll(json_object_get_string(f), NULL, 10);
	return json_object_get_int64(f);
}

/* ---- requests ---- */

struct reply {
	char *buf;
	size_t len;
};

static size_t reply_write(char *p, size_t sz, size_t n, void *data)
{
	struct reply *r = data;

	r->buf = realloc(r->buf, r->len + sz * n + 1);
	if (!r->buf)
		abort();
	memcpy(r->buf + r->len, p, sz * n);
	r->len += sz * n;
	r->buf[r->len] = '\0';
	return sz * n;
}

int etcd_init(struct etcd *e, const char *url)
{
	size_t n = strlen(url);

	memset(e, 0, sizeof(*e));
	if (n >= sizeof(e->url))
		return -ENAMETOOLONG;
	memcpy(e->url, url, n + 1);
	while (n && e->url[n - 1] == '/')
		e->url[--n] = '\0';
	e->timeout_ms = 5000;
	e->h = curl_easy_init();
	e->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	if (!e->h || !e->hdrs)
		return -ENOMEM;
	return 0;
}

void etcd_fini(struct etcd *e)
{
	etcd_watch_stop(e);
	if (e->h)
		curl_easy_cleanup(e->h);
	curl_slist_free_all(e->hdrs);
	e->h = NULL;
	e->hdrs = NULL;
}

static void set_common(struct etcd *e, CURL *h, const char *path,
		       const char *body)
{
	char url[512];

	snprintf(url, sizeof(url), "%s%s", e->url, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, e->hdrs);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 5L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 5L);
}

/* etcd's message in an error reply ({"error": ..., "code": N}), or NULL */
static const char *reply_error(struct json_object *o)
{
	struct json_object *m;

	if (json_object_object_get_ex(o, "error", &m)) {
		if (json_object_is_type(m, json_type_string))
			return json_object_get_string(m);
		if (json_object_object_get_ex(m, "message", &m))
			return json_object_get_string(m);
		return "error";
	}
	return NULL;
}

int etcd_call(struct etcd *e, const char *path, struct json_object *body,
	      struct json_object **out)
{
	struct reply r = { NULL, 0 };
	char cerr[CURL_ERROR_SIZE] = "";
	struct json_object *o;
	const char *msg;
	long code = 0;
	CURLcode rc;

	*out = NULL;
	curl_easy_reset(e->h);
	set_common(e, e->h, path, json_object_to_json_string_ext(body,
			JSON_C_TO_STRING_PLAIN));
	curl_easy_setopt(e->h, CURLOPT_TIMEOUT_MS, e->timeout_ms);
	curl_easy_setopt(e->h, CURLOPT_WRITEFUNCTION, reply_write);
	curl_easy_setopt(e->h, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(e->h, CURLOPT_ERRORBUFFER, cerr);
	rc = curl_easy_perform(e->h);
	if (rc != CURLE_OK) {
		snprintf(e->err, sizeof(e->err), "%s: %s", path,
			 cerr[0] ? cerr : curl_easy_strerror(rc));
		free(r.buf);
		return -EIO;
	}
	curl_easy_getinfo(e->h, CURLINFO_RESPONSE_CODE, &code);
	o = r.buf ? json_tokener_parse(r.buf) : NULL;
	free(r.buf);
	if (!o) {
		snprintf(e->err, sizeof(e->err), "%s: HTTP %ld, not JSON", path,
			 code);
		return -EIO;
	}
	msg = reply_error(o);
	if (msg || code != 200) {
		snprintf(e->err, sizeof(e->err), "%s: %s", path,
			 msg ? msg : "HTTP error");
		json_object_put(o);
		return -EPROTO;
	}
	*out = o;
	return 0;
}

int etcd_range(struct etcd *e, const char *key, const char *end,
	       struct etcd_kvs *out)
{
	struct json_object *req = json_object_new_object(), *rep, *kvs, *h;
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	json_object_object_add(req, "key", etcd_b64(key));
	if (end)
		json_object_object_add(req, "range_end", etcd_b64(end));
	err = etcd_call(e, "/v3/kv/range", req, &rep);
	json_object_put(req);
	if (err)
		return err;
	if (json_object_object_get_ex(rep, "header", &h))
		out->rev = etcd_int(h, "revision");
	if (json_object_object_get_ex(rep, "kvs", &kvs) &&
	    json_object_is_type(kvs, json_type_array)) {
		out->n = json_object_array_length(kvs);
		out->v = calloc(out->n + 1, sizeof(*out->v));
		if (!out->v)
			abort();
		for (i = 0; i < out->n; i++) {
			struct json_object *kv = json_object_array_get_idx(kvs, i),
					   *k = NULL, *v = NULL;

			json_object_object_get_ex(kv, "key", &k);
			json_object_object_get_ex(kv, "value", &v);
			out->v[i].key = etcd_unb64(k);
			out->v[i].val = etcd_unb64(v);
			out->v[i].mod = etcd_int(kv, "mod_revision");
			if (!out->v[i].key || !out->v[i].val) {
				snprintf(e->err, sizeof(e->err),
					 "range: a key or value is not base64");
				out->n = i + 1;
				etcd_kvs_free(out);
				json_object_put(rep);
				return -EPROTO;
			}
		}
	}
	json_object_put(rep);
	return 0;
}

void etcd_kvs_free(struct etcd_kvs *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].key);
		free(k->v[i].val);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}

int64_t etcd_lease_grant(struct etcd *e, int ttl)
{
	struct json_object *req = json_object_new_object(), *rep;
	int64_t id;
	int err;

	json_object_object_add(req, "TTL", json_object_new_int(ttl));
	err = etcd_call(e, "/v3/lease/grant", req, &rep);
	json_object_put(req);
	if (err)
		return err;
	id = etcd_int(rep, "ID");
	json_object_put(rep);
	if (id <= 0) {
		snprintf(e->err, sizeof(e->err), "lease grant: no lease id");
		return -EPROTO;
	}
	return id;
}

int etcd_lease_keepalive(struct etcd *e, int64_t id)
{
	struct json_object *req = json_object_new_object(), *rep, *res;
	char buf[32];
	int64_t ttl = 0;
	int err;

	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	json_object_object_add(req, "ID", json_object_new_string(buf));
	err = etcd_call(e, "/v3/lease/keepalive", req, &rep);
	json_object_put(req);
	if (err)
		return err;
	/* a stream's one message: {"result": {..., "TTL": "N"}} */
	if (json_object_object_get_ex(rep, "result", &res))
		ttl = etcd_int(res, "TTL");
	json_object_put(rep);
	if (ttl <= 0) {
		snprintf(e->err, sizeof(e->err), "lease %lld expired",
			 (long long)id);
		return -ENOENT;
	}
	return 0;
}

int etcd_put(struct etcd *e, const char *key, const char *val, int64_t lease)
{
	struct json_object *req = json_object_new_object(), *rep;
	char buf[32];
	int err;

	json_object_object_add(req, "key", etcd_b64(key));
	json_object_object_add(req, "value", etcd_b64(val));
	if (lease) {
		snprintf(buf, sizeof(buf), "%lld", (long long)lease);
		json_object_object_add(req, "lease",
				       json_object_new_string(buf));
	}
	err = etcd_call(e, "/v3/kv/put", req, &rep);
	json_object_put(req);
	json_object_put(rep);
	return err;
}

/* ---- the watch ---- */

/*
 * The gateway streams one JSON object per message; json-c's tokener
 * takes the bytes as they come, across and within chunks.
 */
static size_t watch_write(char *p, size_t sz, size_t n, void *data)
{
	struct etcd *e = data;
	size_t len = sz * n, off = 0;

	while (off < len) {
		struct json_object *o, *res;
		enum json_tokener_error jerr;

		while (off < len && (p[off] == '\n' || p[off] == '\r' ||
				     p[off] == ' '))
			off++;
		if (off == len)
			break;
		o = json_tokener_parse_ex(e->tok, p + off, (int)(len - off));
		jerr = json_tokener_get_error(e->tok);
		if (jerr == json_tokener_continue)
			break;
		if (jerr != json_tokener_success) {
			snprintf(e->err, sizeof(e->err), "watch: bad JSON: %s",
				 json_tokener_error_desc(jerr));
			return 0;	/* ends the transfer */
		}
		off += json_tokener_get_parse_end(e->tok);
		json_tokener_reset(e->tok);
		if (json_object_object_get_ex(o, "result", &res)) {
			e->wstop |= e->fn(e->ctx, res);
		} else {
			const char *m = reply_error(o);

			snprintf(e->err, sizeof(e->err), "watch: %s",
				 m ? m : "no result");
			json_object_put(o);
			return 0;
		}
		json_object_put(o);
	}
	return len;
}

int etcd_watch_start(struct etcd *e, const char *key, const char *end,
		     int64_t rev, etcd_watch_fn fn, void *ctx)
{
	struct json_object *req = json_object_new_object(),
			   *cr = json_object_new_object();
	char buf[32];

	etcd_watch_stop(e);
	json_object_object_add(cr, "key", etcd_b64(key));
	if (end)
		json_object_object_add(cr, "range_end", etcd_b64(end));
	if (rev > 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)rev);
		json_object_object_add(cr, "start_revision",
				       json_object_new_string(buf));
	}
	json_object_object_add(req, "create_request", cr);
	e->wbody = strdup(json_object_to_json_string_ext(req,
			JSON_C_TO_STRING_PLAIN));
	json_object_put(req);
	e->multi = curl_multi_init();
	e->wh = curl_easy_init();
	e->tok = json_tokener_new();
	if (!e->wbody || !e->multi || !e->wh || !e->tok)
		abort();
	e->fn = fn;
	e->ctx = ctx;
	e->wstop = 0;
	e->wdone = false;
	e->err[0] = '\0';
	set_common(e, e->wh, "/v3/watch", e->wbody);
	curl_easy_setopt(e->wh, CURLOPT_WRITEFUNCTION, watch_write);
	curl_easy_setopt(e->wh, CURLOPT_WRITEDATA, e);
	curl_multi_add_handle(e->multi, e->wh);
	return 0;
}

int etcd_watch_poll(struct etcd *e, int ms)
{
	struct CURLMsg *m;
	int running = 0, left;

	if (!e->multi || e->wdone)
		return -EPIPE;
	curl_multi_perform(e->multi, &running);
	if (running && !e->wstop)
		curl_multi_poll(e->multi, NULL, 0, ms, NULL);
	curl_multi_perform(e->multi, &running);
	if (e->wstop) {
		int r = e->wstop;

		e->wstop = 0;
		return r;
	}
	while ((m = curl_multi_info_read(e->multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			e->wdone = true;
			if (!e->err[0] || strncmp(e->err, "watch:", 6))
				snprintf(e->err, sizeof(e->err),
					 "watch: %s",
					 m->data.result == CURLE_OK ?
					 "the stream ended" :
					 curl_easy_strerror(m->data.result));
		}
	return e->wdone ? -EPIPE : 0;
}

void etcd_watch_stop(struct etcd *e)
{
	if (e->multi) {
		curl_multi_remove_handle(e->multi, e->wh);
		curl_easy_cleanup(e->wh);
		curl_multi_cleanup(e->multi);
	}
	if (e->tok)
		json_tokener_free(e->tok);
	free(e->wbody);
	e->multi = NULL;
	e->wh = NULL;
	e->tok = NULL;
	e->wbody = NULL;
	e->wdone = false;
}
