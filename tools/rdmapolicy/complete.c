// SPDX-License-Identifier: GPL-2.0
/*
 * The hidden "rdmapolicy __complete WORD... CURRENT" for bash completion
 * (completion/rdmapolicy): the words that may follow, one a line, from
 * the command tables, the names table and, for live names (VMs, rules,
 * connections, ports), from the kernel.  The shell filters by CURRENT.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

static const char *const options[] = {
	"-j", "-p", "-s", "-c", "-V", "-b", "--json", "--pretty", "--stats",
	"--color", "--version", "--batch", "--help", NULL,
};

static void names(const struct rp_name *t, const char *extra1,
		  const char *extra2)
{
	for (; t->name; t++)
		puts(t->name);
	if (extra1)
		puts(extra1);
	if (extra2)
		puts(extra2);
}

struct dump_ctx {
	int nest, attr;
	bool str;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *nt[64];
	struct dump_ctx *c = data;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[c->nest])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[c->nest], nt, 63);
	if (!nt[c->attr])
		return MNL_CB_OK;
	if (c->str)
		puts(mnl_attr_get_str(nt[c->attr]));
	else
		printf("%u\n", mnl_attr_get_u32(nt[c->attr]));
	return MNL_CB_OK;
}

/* Live names: a dump, quietly (no module, no rights: nothing). */
static void dump(struct rd *rd, uint8_t cmd, int nest, int attr, bool str)
{
	struct dump_ctx c = { nest, attr, str };

	if (!rd->nl.sock && !rd->nl.offline && rp_nl_open(&rd->nl))
		return;
	rd->nl.quiet = 1;
	rp_nl_talk(&rd->nl, rp_nl_msg(&rd->nl, cmd, NLM_F_DUMP), dump_cb, &c);
}

static void values(struct rd *rd, enum cv kind)
{
	struct if_nameindex *ifs, *i;

	switch (kind) {
	case CV_VM:
		dump(rd, RP_CMD_VM_GET, RP_A_VM, RP_A_VM_NAME, true);
		break;
	case CV_RULE:
		dump(rd, RP_CMD_RULE_GET, RP_A_RULE, RP_A_RULE_ID, false);
		break;
	case CV_CONN:
		dump(rd, RP_CMD_CONN_GET, RP_A_CONN, RP_A_CONN_ID, false);
		break;
	case CV_IFNAME:
		ifs = if_nameindex();
		for (i = ifs; i && i->if_name; i++)
			puts(i->if_name);
		if (ifs)
			if_freenameindex(ifs);
		break;
	case CV_RIGHTS:
		names(rp_rights, "all", NULL);
		break;
	case CV_REPLY:
		names(rp_rights, "all", "none");
		break;
	case CV_QP:
		names(rp_qp_types, "all", NULL);
		break;
	case CV_SEL:
		puts("any\nvm\ntenant\nprefix\ngroup");
		break;
	case CV_SERVICE:
		names(rp_port_spaces, "any", NULL);
		break;
	case CV_SETUP:
		puts("cm\nany");
		break;
	case CV_FILE:
		puts("!file");
		break;
	default:
		break;
	}
}

static void keywords(const struct kw *k)
{
	for (; k && k->kw; k++)
		puts(k->kw);
}

static void commands(const struct cmd *t)
{
	for (; t->name; t++)
		if (!(t->flags & CMD_F_HIDDEN))
			puts(t->name);
	puts("help");
}

/* After the verb: @args done, the current word next. */
static void arguments(struct rd *rd, const struct cmd *v, char **args, int n)
{
	const struct kw *k;
	const char *prev;

	if (!n && v->pos != CV_NONE) {
		values(rd, v->pos);
		if (v->pos == CV_VM)
			keywords(v->kws);	/* vm del id ID */
		return;
	}
	prev = n ? args[n - 1] : "";
	/* "from vm NAME" */
	if (n >= 2 && !strcmp(prev, "vm") &&
	    (!strcmp(args[n - 2], "from") || !strcmp(args[n - 2], "to"))) {
		values(rd, CV_VM);
		return;
	}
	for (k = v->kws; k && k->kw; k++)
		if (!strcmp(k->kw, prev)) {
			if (k->arg != CV_NONE) {
				values(rd, k->arg);
				return;
			}
			break;
		}
	keywords(v->kws);
}

int cmd_complete(struct rd *rd, struct args *a)
{
	const struct cmd *obj, *v;
	int n = a->argc - 1, i = 0;	/* words before the current one */
	char **w = a->argv;
	const char *cur = n >= 0 ? w[n] : "";

	if (n < 0)
		n = 0;
	/* the options before the object */
	while (i < n && w[i][0] == '-') {
		if (!strcmp(w[i], "-b") || !strcmp(w[i], "--batch") ||
		    !strcmp(w[i], "--replay")) {
			if (i + 1 == n) {
				values(rd, CV_FILE);
				return 0;
			}
			i++;
		} else if (!strcmp(w[i], "-c") && i + 1 < n &&
			   (!strcmp(w[i + 1], "auto") ||
			    !strcmp(w[i + 1], "always") ||
			    !strcmp(w[i + 1], "never"))) {
			i++;
		}
		i++;
	}
	if (i == n) {
		if (cur[0] == '-') {
			for (i = 0; options[i]; i++)
				puts(options[i]);
		} else if (n && !strcmp(w[n - 1], "-c")) {
			puts("auto\nalways\nnever");
		} else {
			commands(rp_objects);
		}
		return 0;
	}
	if (!strcmp(w[i], "help")) {
		if (i + 1 == n)
			commands(rp_objects);
		return 0;
	}
	obj = cmd_find(rp_objects, w[i]);
	if (!obj || (obj->flags & CMD_F_HIDDEN))
		return 0;
	i++;
	if (obj->sub) {
		if (i == n) {
			commands(obj->sub);
			return 0;
		}
		v = cmd_find(obj->sub, w[i]);
		if (!v)
			return 0;
		i++;
	} else {
		v = obj;
	}
	arguments(rd, v, w + i, n - i);
	return 0;
}
