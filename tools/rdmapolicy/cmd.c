// SPDX-License-Identifier: GPL-2.0
/*
 * Command tables: lookup by a unique prefix, dispatch, and the usage and
 * help texts, all generated from the tables (see rdmapolicy.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rdmapolicy.h"

/*
 * The entry of @t that @word names: its full name, or a prefix of one
 * name only among those that may be abbreviated.  @n: how many matched.
 */
static const struct cmd *find(const struct cmd *t, const char *word, int *n)
{
	const struct cmd *c, *hit = NULL;
	size_t len = strlen(word);

	*n = 0;
	for (c = t; c->name; c++)
		if (!strcmp(c->name, word)) {
			*n = 1;
			return c;
		}
	if (!len)
		return NULL;
	for (c = t; c->name; c++)
		if (!(c->flags & CMD_F_EXACT) && !strncmp(c->name, word, len)) {
			hit = c;
			++*n;
		}
	return *n == 1 ? hit : NULL;
}

const struct cmd *cmd_find(const struct cmd *t, const char *word)
{
	int n;

	return find(t, word, &n);
}

bool cmd_is_write(const struct cmd *objects, int argc, char **argv)
{
	const struct cmd *obj = argc > 1 ? cmd_find(objects, argv[0]) : NULL,
			 *verb = obj && obj->sub ? cmd_find(obj->sub, argv[1]) :
			 NULL;

	return verb && (verb->flags & CMD_F_WRITE);
}

/* Why @word names nothing in @t, with the closest name. */
static void unknown(const struct cmd *t, const char *word, const char *obj)
{
	size_t len = strlen(word);
	const struct cmd *c, *best = NULL;
	char see[64], what[80];
	int d, bestd = 3, n;

	snprintf(see, sizeof(see), "rdmapolicy %s%shelp", obj ? obj : "",
		 obj ? " " : "");
	if (obj)
		snprintf(what, sizeof(what), "%s: unknown command", obj);
	else
		snprintf(what, sizeof(what), "unknown object");
	find(t, word, &n);
	if (n > 1) {
		char list[256] = "";
		size_t l = 0;

		for (c = t; c->name; c++)
			if (!(c->flags & CMD_F_EXACT) &&
			    !strncmp(c->name, word, len) && l < sizeof(list))
				l += snprintf(list + l, sizeof(list) - l, "%s%s",
					      l ? ", " : "", c->name);
		rp_err("%s: \"%s\" is ambiguous: %s", obj ? obj : "rdmapolicy",
		       word, list);
		return;
	}
	for (c = t; c->name; c++) {
		if (c->flags & CMD_F_HIDDEN)
			continue;
		if ((c->flags & CMD_F_EXACT) && len &&
		    !strncmp(c->name, word, len)) {
			rp_err("%s \"%s\"; did you mean \"%s\"? (it is not abbreviated)",
			       what, word, c->name);
			return;
		}
		d = edit_distance(word, c->name);
		if (d < bestd && d < (int)strlen(c->name)) {
			bestd = d;
			best = c;
		}
	}
	if (best)
		rp_err("%s \"%s\"; did you mean \"%s\"? (see \"%s\")", what, word,
		       best->name, see);
	else
		rp_err("%s \"%s\" (see \"%s\")", what, word, see);
}

static void verbs(const struct cmd *obj, FILE *f)
{
	const struct cmd *v;

	fputs("{ ", f);
	for (v = obj->sub; v->name; v++)
		if (!(v->flags & CMD_F_HIDDEN))
			fprintf(f, "%s%s", v == obj->sub ? "" : " | ", v->name);
	fputs(" }", f);
}

void cmd_object_help(const struct cmd *obj, FILE *f)
{
	const struct cmd *v;

	if (!obj->sub) {
		fprintf(f, "Usage: rdmapolicy %s%s%s\n    %s\n", obj->name,
			*obj->args ? " " : "", obj->args, obj->help);
		return;
	}
	fprintf(f, "Usage: rdmapolicy %s ", obj->name);
	verbs(obj, f);
	fprintf(f, "   (default: %s)\n", obj->sub[0].name);
	for (v = obj->sub; v->name; v++)
		if (!(v->flags & CMD_F_HIDDEN))
			fprintf(f, "  %s %s%s%s\n        %s\n", obj->name, v->name,
				*v->args ? " " : "", v->args, v->help);
	if (obj->notes)
		fputs(obj->notes, f);
}

void cmd_usage(const struct cmd *objects, FILE *f)
{
	const struct cmd *o, *v;
	char name[64];

	fputs("Usage: rdmapolicy [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]\n"
	      "       rdmapolicy [OPTIONS] -b FILE\n"
	      "       rdmapolicy help [OBJECT] | rdmapolicy OBJECT help\n"
	      "OPTIONS := { -j | -p | -s [-s] | -c [auto|always|never] | -V | -b FILE }\n"
	      "Commands (an object's first is its default; a unique prefix will do):\n",
	      f);
	for (o = objects; o->name; o++) {
		if (o->flags & CMD_F_HIDDEN)
			continue;
		if (!o->sub) {
			snprintf(name, sizeof(name), "%s%s%s", o->name,
				 *o->args ? " " : "", o->args);
			fprintf(f, "  %-18s %s\n", name, o->help);
			continue;
		}
		for (v = o->sub; v->name; v++) {
			if (v->flags & CMD_F_HIDDEN)
				continue;
			snprintf(name, sizeof(name), "%s %s", o->name, v->name);
			fprintf(f, "  %-18s %s\n", name, v->help);
		}
	}
	fputs("Run \"rdmapolicy OBJECT help\" for the arguments.\n", f);
}

static int help(const struct cmd *objects, struct args *a)
{
	const struct cmd *obj;
	const char *w;

	if (!args_more(a)) {
		cmd_usage(objects, stdout);
		return 0;
	}
	w = args_next(a, "object");
	obj = cmd_find(objects, w);
	if (!obj || (obj->flags & CMD_F_HIDDEN)) {
		unknown(objects, w, NULL);
		return -EINVAL;
	}
	cmd_object_help(obj, stdout);
	return 0;
}

int cmd_run(struct rd *rd, const struct cmd *objects, struct args *a)
{
	const struct cmd *obj, *v;
	const char *w = args_next(a, "object");

	if (!w)
		return -EINVAL;
	if (!strcmp(w, "help"))
		return help(objects, a);
	obj = cmd_find(objects, w);
	if (!obj) {
		unknown(objects, w, NULL);
		return -EINVAL;
	}
	w = args_peek(a);
	if (w && !strcmp(w, "help") && !(obj->flags & CMD_F_HIDDEN)) {
		cmd_object_help(obj, stdout);
		return 0;
	}
	if (!obj->sub)
		return obj->fn(rd, a);
	if (!w)
		return obj->sub[0].fn(rd, a);
	v = cmd_find(obj->sub, w);
	if (!v) {
		unknown(obj->sub, w, obj->name);
		return -EINVAL;
	}
	args_next(a, "command");
	return v->fn(rd, a);
}
