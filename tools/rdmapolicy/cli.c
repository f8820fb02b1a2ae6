// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: options, the table of objects, the context.
 *
 *   rdmapolicy [OPTIONS] OBJECT [COMMAND [ARGS]]
 *   rdmapolicy [OPTIONS] -b FILE
 *
 * OPTIONS := -j (JSON) | -p (pretty JSON) | -s [-s] (counters) |
 *	      -c [auto|always|never] (colour) | -V | -b FILE
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

#define RP_TOOL_VERSION "0.2.0"

static const struct kw restore_kws[] = { { NULL, CV_NONE } };

const struct cmd rp_objects[] = {
	{ "vm", NULL, "", "VMs: the address spaces", .sub = vm_cmds },
	{ "rule", NULL, "", "the rules", .sub = rule_cmds,
	  .notes = rule_notes },
	{ "conn", NULL, "", "connections", .sub = conn_cmds },
	{ "nic", NULL, "", "NICs", .sub = nic_cmds },
	{ "group", NULL, "", "multicast groups' members and senders",
	  .sub = group_cmds },
	{ "stats", NULL, "", "counts", .sub = stats_cmds },
	{ "monitor", cmd_monitor, "", "print events as they happen" },
	{ "save", cmd_save, "", "print the configuration as a batch file",
	  CMD_F_EXACT },
	{ "restore", cmd_restore, "FILE",
	  "replace the configuration with FILE, all or nothing",
	  CMD_F_EXACT, .pos = CV_FILE, .kws = restore_kws },
	{ "flush", cmd_flush, "", "delete all VMs and rules", CMD_F_EXACT },
	{ "cluster", cmd_cluster, "push|status",
	  "the cluster's configuration in etcd (runs rdmapolicyd)",
	  CMD_F_EXACT, .pos = CV_WORD },
	{ "__complete", cmd_complete, "", "", CMD_F_EXACT | CMD_F_HIDDEN },
	{ NULL },
};

const char *rd_vm_name(struct rd *rd, uint32_t id, char *buf, size_t len)
{
	const char *name = cache_vm_name(&rd->cache, &rd->nl, id);

	if (name)
		return name;
	snprintf(buf, len, "#%u", id);
	return buf;
}

int rd_init(struct rd *rd)
{
	memset(rd, 0, sizeof(*rd));
	rd->pr.out = stdout;
	return 0;
}

void rd_fini(struct rd *rd)
{
	rp_nl_close(&rd->nl);
	cache_free(&rd->cache);
}

/* Does the command need the kernel?  Help and mistakes do not. */
static bool needs_kernel(int argc, char **argv)
{
	const struct cmd *obj;

	if (!argc || !strcmp(argv[0], "help"))
		return false;
	obj = cmd_find(rp_objects, argv[0]);
	if (!obj || obj->fn == cmd_complete || obj->fn == cmd_cluster)
		return false;
	if (argc > 1 && !strcmp(argv[1], "help"))
		return false;
	if (obj->sub && argc > 1 && !cmd_find(obj->sub, argv[1]))
		return false;
	return true;
}

static char *read_file(const char *file, size_t *len)
{
	size_t cap = 1 << 16, n = 0, r;
	char *buf = malloc(cap);
	FILE *f = fopen(file, "rb");

	if (!f || !buf) {
		rp_err("%s: %s", file, strerror(errno));
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static int parse_color(const char *s, enum rd_color *c)
{
	if (!s || !strcmp(s, "auto"))
		*c = RD_COLOR_AUTO;
	else if (!strcmp(s, "always"))
		*c = RD_COLOR_ALWAYS;
	else if (!strcmp(s, "never"))
		*c = RD_COLOR_NEVER;
	else
		return -EINVAL;
	return 0;
}

int rd_run(struct rd *rd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "color", optional_argument, NULL, 'c' },
		{ "colour", optional_argument, NULL, 'c' },
		{ "version", no_argument, NULL, 'V' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ "replay", required_argument, NULL, 'R' },
		{ }
	};
	char *replay = NULL;
	size_t replay_len = 0;
	struct args a;
	int c, err = 0;

	while ((c = getopt_long(argc, argv, "+jpsc::Vb:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			rd->json = true;
			break;
		case 'p':
			rd->pretty = true;
			break;
		case 's':
			rd->stats++;
			break;
		case 'c':
			/* "-c WHEN" too, as ip takes it */
			if (!optarg && optind < argc &&
			    !parse_color(argv[optind], &rd->color)) {
				optind++;
				break;
			}
			if (parse_color(optarg, &rd->color)) {
				rp_err("-c: \"%s\" is not auto, always or never",
				       optarg);
				return 1;
			}
			break;
		case 'V':
			printf("rdmapolicy %s (ABI version %d)\n",
			       RP_TOOL_VERSION, RDMAPOLICY_GENL_VERSION);
			return 0;
		case 'b':
			rd->batch = optarg;
			break;
		case 'h':
			cmd_usage(rp_objects, stdout);
			return 0;
		case 'R':
			rd->replay = optarg;
			break;
		default:
			cmd_usage(rp_objects, stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (!rd->batch && argc == 0) {
		cmd_usage(rp_objects, stderr);
		return 1;
	}
	rd->pr.json = rd->json;
	rd->pr.pretty = rd->pretty;
	rd->pr.stats = rd->stats;
	rd->pr.color = !rd->json && (rd->color == RD_COLOR_ALWAYS ||
				     (rd->color == RD_COLOR_AUTO &&
				      isatty(STDOUT_FILENO)));
	if (rd->replay) {
		replay = read_file(rd->replay, &replay_len);
		if (!replay)
			return 1;
		rp_nl_open_offline(&rd->nl, replay, replay_len);
	} else if (rd->batch || needs_kernel(argc, argv)) {
		err = rp_nl_open(&rd->nl);
	}
	if (!err) {
		a.argc = argc;
		a.argv = argv;
		err = rd->batch ? rd_batch(rd, rd->batch) :
		      cmd_run(rd, rp_objects, &a);
	}
	free(replay);
	return err ? 1 : 0;
}
