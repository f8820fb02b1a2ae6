// SPDX-License-Identifier: GPL-2.0
/* Text and JSON output; see print.h. */
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>

#include "print.h"

#define INDENT		4
#define WRAP_COLUMN	96

static const char *const colors[] = {
	[PR_C_NAME] = "\033[32m",
	[PR_C_ADDR] = "\033[35m",
	[PR_C_MAC] = "\033[33m",
	[PR_C_GOOD] = "\033[32m",
	[PR_C_BAD] = "\033[31m",
};

/*
 * Characters straight into the stream's buffer (putc_unlocked(), no
 * lock: the stream is the caller's, pr_begin()): a dump of 100k rules
 * prints tens of millions of them.
 */
static void out_str(struct pr *p, const char *s)
{
	while (*s)
		putc_unlocked(*s++, p->out);
}

/* ---- JSON ---- */

static void newline_indent(struct pr *p)
{
	int i;

	if (!p->pretty)
		return;
	putc_unlocked('\n', p->out);
	for (i = 0; i < p->depth; i++)
		out_str(p, "  ");
}

/* Comma and indentation before a JSON value at the current depth. */
static void json_sep(struct pr *p)
{
	bool top = !p->depth;

	if (!p->first[p->depth])
		putc_unlocked(',', p->out);
	p->first[p->depth] = false;
	if (!top)
		newline_indent(p);
}

/* What a JSON string must escape: control characters, '"' and '\\' */
static const unsigned char json_esc[256] = {
	[0x01 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

static void json_string(struct pr *p, const char *s)
{
	unsigned char c;

	putc_unlocked('"', p->out);
	for (; (c = *s); s++) {
		if (!json_esc[c])
			putc_unlocked(c, p->out);
		else if (c == '"' || c == '\\')
			fprintf(p->out, "\\%c", c);
		else
			fprintf(p->out, "\\u%04x", c);
	}
	putc_unlocked('"', p->out);
}

static void json_key(struct pr *p, const char *k)
{
	json_sep(p);
	if (k) {
		json_string(p, k);
		out_str(p, p->pretty ? ": " : ":");
	}
}

static void open_json(struct pr *p, char c, const char *jkey)
{
	json_key(p, jkey);
	putc_unlocked(c, p->out);
	if (p->depth < PR_MAX_DEPTH - 1)
		p->depth++;
	p->first[p->depth] = true;
}

static void close_json(struct pr *p, char c)
{
	bool empty = p->first[p->depth];

	if (p->depth > 0)
		p->depth--;
	if (!empty)
		newline_indent(p);
	putc_unlocked(c, p->out);
}

static bool to_json(const struct pr *p, int mode)
{
	return p->json && (mode & PR_JSON);
}

static bool to_text(const struct pr *p, int mode)
{
	return !p->json && (mode & PR_TEXT);
}

/* ---- text ---- */

static void text_newline(struct pr *p, int indent)
{
	if (p->col)
		putc_unlocked('\n', p->out);
	fprintf(p->out, "%*s", indent, "");
	p->col = indent;
	p->line_start = indent;
}

/*
 * Before a field of @len visible characters: a new line if the depth
 * wants one (with the nest's label), a separator otherwise, and a wrap
 * of long counter lines.
 */
static void text_field(struct pr *p, size_t len, bool wrap)
{
	int d = p->tdepth;

	if (p->in_list) {
		if (!p->list_first) {
			putc_unlocked(',', p->out);
			p->col++;
		}
		p->list_first = false;
		return;
	}
	if (p->new_line[d]) {
		p->new_line[d] = false;
		text_newline(p, d * INDENT);
		p->line_depth = d;
		if (p->label[d]) {
			out_str(p, p->label[d]);
			p->col += strlen(p->label[d]);
			p->label[d] = NULL;
		}
	} else if (wrap && p->col + 1 + len > WRAP_COLUMN) {
		text_newline(p, d * INDENT + 2);
	}
	if (p->col > p->line_start) {
		putc_unlocked(' ', p->out);
		p->col++;
	}
}

static void text_value(struct pr *p, enum pr_color c, const char *tkey,
		       const char *val, bool wrap)
{
	size_t len = strlen(val) + (tkey ? strlen(tkey) + 1 : 0);

	text_field(p, len, wrap);
	if (tkey)
		fprintf(p->out, "%s ", tkey);
	if (p->color && c != PR_C_NONE)
		fprintf(p->out, "%s%s\033[0m", colors[c], val);
	else
		out_str(p, val);
	p->col += len;
}

/* ---- the primitives ---- */

void pr_begin(struct pr *p)
{
	/* one thread: no stream lock taken per character (dumps of 100k) */
	__fsetlocking(p->out, FSETLOCKING_BYCALLER);
	p->depth = 0;
	p->first[0] = true;
	p->ndepth = 0;
	p->group_open = false;
	if (p->json)
		open_json(p, '[', NULL);
}

void pr_end(struct pr *p)
{
	if (!p->json && p->col) {
		putc_unlocked('\n', p->out);
		p->col = 0;
	}
	p->group_open = false;
	if (p->json) {
		close_json(p, ']');
		putc_unlocked('\n', p->out);
	}
	fflush(p->out);
}

void pr_obj_start(struct pr *p)
{
	if (p->json)
		open_json(p, '{', NULL);
	p->tdepth = 0;
	p->line_depth = 0;
	p->col = 0;
	p->line_start = 0;
	memset(p->new_line, 0, sizeof(p->new_line));
	memset(p->label, 0, sizeof(p->label));
	p->in_list = false;
}

void pr_obj_end(struct pr *p)
{
	if (p->json) {
		close_json(p, '}');
	} else if (p->col) {
		putc_unlocked('\n', p->out);
		p->col = 0;
	}
}

int pr_obj_start_group(struct pr *p, const char *group)
{
	if (!p->json && p->group_open && !strcmp(p->group, group))
		return PR_JSON;		/* the same text block goes on */
	if (!p->json && p->group_open)
		pr_obj_end(p);
	snprintf(p->group, sizeof(p->group), "%s", group);
	p->group_open = !p->json;
	pr_obj_start(p);
	return PR_ANY;
}

void pr_obj_end_group(struct pr *p)
{
	if (p->json)
		pr_obj_end(p);
}

static void push_mode(struct pr *p, int mode)
{
	if (p->ndepth < PR_MAX_DEPTH)
		p->nmode[p->ndepth] = mode;
	p->ndepth++;
}

static int pop_mode(struct pr *p)
{
	if (p->ndepth <= 0)
		return 0;
	p->ndepth--;
	return p->ndepth < PR_MAX_DEPTH ? p->nmode[p->ndepth] : 0;
}

void pr_nest_start(struct pr *p, int mode, const char *jkey,
		   const char *label)
{
	push_mode(p, mode);
	if (to_json(p, mode))
		open_json(p, '{', jkey);
	if (to_text(p, mode) && p->tdepth < PR_MAX_DEPTH - 1) {
		p->tdepth++;
		p->new_line[p->tdepth] = true;
		p->label[p->tdepth] = label;
	}
}

void pr_nest_end(struct pr *p)
{
	int mode = pop_mode(p);

	if (to_json(p, mode))
		close_json(p, '}');
	if (to_text(p, mode) && p->tdepth > 0) {
		/* the parent goes on on a line of its own after ours */
		if (p->line_depth >= p->tdepth)
			p->new_line[p->tdepth - 1] = true;
		p->new_line[p->tdepth] = false;
		p->label[p->tdepth] = NULL;
		p->tdepth--;
	}
}

void pr_arr_start(struct pr *p, int mode, const char *jkey,
		  const char *tkey)
{
	push_mode(p, mode);
	if (to_json(p, mode))
		open_json(p, '[', jkey);
	if (to_text(p, mode) && tkey) {
		text_value(p, PR_C_NONE, NULL, tkey, false);
		putc_unlocked(' ', p->out);
		p->col++;
		p->line_start = p->col;
		p->in_list = true;
		p->list_first = true;
	}
}

void pr_arr_end(struct pr *p)
{
	int mode = pop_mode(p);

	if (to_json(p, mode))
		close_json(p, ']');
	p->in_list = false;
}

void pr_strc(struct pr *p, int mode, enum pr_color c, const char *tkey,
	     const char *jkey, const char *val)
{
	if (to_json(p, mode)) {
		json_key(p, jkey);
		json_string(p, val);
	} else if (to_text(p, mode)) {
		text_value(p, c, tkey, val, false);
	}
}

void pr_str(struct pr *p, int mode, const char *tkey, const char *jkey,
	    const char *val)
{
	pr_strc(p, mode, PR_C_NONE, tkey, jkey, val);
}

/* @val in decimal into @buf (24 bytes): snprintf() costs ten times more */
static const char *u64_str(char *buf, uint64_t val)
{
	char *c = buf + 23;

	*c = '\0';
	do {
		*--c = '0' + val % 10;
		val /= 10;
	} while (val);
	return c;
}

void pr_u64(struct pr *p, int mode, const char *tkey, const char *jkey,
	    uint64_t val)
{
	char tmp[24];
	const char *buf = u64_str(tmp, val);

	if (to_json(p, mode)) {
		json_key(p, jkey);
		out_str(p, buf);
	} else if (to_text(p, mode)) {
		text_value(p, PR_C_NONE, tkey, buf, false);
	}
}

void pr_ctr(struct pr *p, int mode, const char *tkey, const char *jkey,
	    uint64_t val)
{
	char tmp[24];
	const char *buf = u64_str(tmp, val);

	if (to_json(p, mode)) {
		json_key(p, jkey);
		out_str(p, buf);
	} else if (to_text(p, mode) && (val || p->stats >= 2)) {
		text_value(p, PR_C_NONE, tkey, buf, true);
	}
}

void pr_flag(struct pr *p, int mode, const char *tkey, const char *jkey,
	     bool val)
{
	if (to_json(p, mode)) {
		json_key(p, jkey);
		out_str(p, val ? "true" : "false");
	} else if (to_text(p, mode) && val) {
		text_value(p, PR_C_NONE, NULL, tkey, false);
	}
}

void pr_bits(struct pr *p, int mode, const char *tkey, const char *jkey,
	     uint32_t val, const struct rp_name *t, uint32_t all)
{
	char buf[128] = "";
	size_t n = 0;

	if (to_json(p, mode)) {
		open_json(p, '[', jkey);
		for (; t->name; t++)
			if (val & t->val) {
				json_key(p, NULL);
				json_string(p, t->name);
			}
		close_json(p, ']');
		return;
	}
	if (!to_text(p, mode))
		return;
	if (all && val == all)
		snprintf(buf, sizeof(buf), "all");
	else if (!val)
		snprintf(buf, sizeof(buf), "none");
	else
		for (; t->name; t++)
			if ((val & t->val) && n < sizeof(buf))
				n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      n ? "," : "", t->name);
	text_value(p, PR_C_NONE, tkey, buf, false);
}
