// SPDX-License-Identifier: GPL-2.0
/* Text and JSON output; see print.h. */
#include <inttypes.h>
#include <stdio.h>

#include "print.h"

#define MAX_DEPTH 16

static bool json, pretty;
static int depth;
static bool first[MAX_DEPTH];	/* nothing printed yet at this depth */
static bool text_sep;		/* a space is due before the next field */

void pr_init(bool j, bool p)
{
	json = j;
	pretty = p;
}

bool pr_is_json(void)
{
	return json;
}

static void newline_indent(void)
{
	int i;

	if (!pretty)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("  ", stdout);
}

/* Comma and indentation before a JSON value at the current depth. */
static void json_sep(void)
{
	if (!first[depth])
		putchar(',');
	first[depth] = false;
	newline_indent();
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_key(const char *k)
{
	json_sep();
	if (k) {
		json_string(k);
		fputs(pretty ? ": " : ":", stdout);
	}
}

static void open_json(char c, const char *jkey)
{
	json_key(jkey);
	putchar(c);
	if (depth < MAX_DEPTH - 1)
		depth++;
	first[depth] = true;
}

static void close_json(char c)
{
	bool empty = first[depth];

	if (depth > 0)
		depth--;
	if (!empty)
		newline_indent();
	putchar(c);
}

void pr_begin(void)
{
	depth = 0;
	first[0] = true;
	if (json)
		open_json('[', NULL);
}

void pr_end(void)
{
	if (json) {
		close_json(']');
		putchar('\n');
	}
	fflush(stdout);
}

void pr_obj_start(void)
{
	if (json)
		open_json('{', NULL);
	text_sep = false;
}

void pr_obj_end(void)
{
	if (json)
		close_json('}');
	else
		putchar('\n');
}

void pr_nest_start(const char *jkey)
{
	if (json)
		open_json('{', jkey);
}

void pr_nest_end(void)
{
	if (json)
		close_json('}');
}

void pr_arr_start(const char *jkey)
{
	if (json)
		open_json('[', jkey);
}

void pr_arr_end(void)
{
	if (json)
		close_json(']');
}

static void text_field(const char *tkey)
{
	if (text_sep)
		putchar(' ');
	text_sep = true;
	if (tkey)
		printf("%s ", tkey);
}

void pr_str(const char *tkey, const char *jkey, const char *val)
{
	if (json) {
		json_key(jkey);
		json_string(val);
	} else {
		text_field(tkey);
		fputs(val, stdout);
	}
}

void pr_u64(const char *tkey, const char *jkey, uint64_t val)
{
	if (json) {
		json_key(jkey);
		printf("%" PRIu64, val);
	} else {
		text_field(tkey);
		printf("%" PRIu64, val);
	}
}

void pr_flag(const char *tkey, const char *jkey, bool val)
{
	if (json) {
		json_key(jkey);
		fputs(val ? "true" : "false", stdout);
	} else if (val) {
		if (text_sep)
			putchar(' ');
		text_sep = true;
		fputs(tkey, stdout);
	}
}
