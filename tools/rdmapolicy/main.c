// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy: configure and watch the RDMA connection policy of a
 * hypervisor host, over the "rdmapolicy" generic netlink family.
 *
 *   rdmapolicy [OPTIONS] OBJECT [COMMAND [ARGS]]
 *   rdmapolicy [OPTIONS] -b FILE
 *
 * OBJECT := vm | rule | conn | nic | stats | monitor | save | restore | flush |
 *	     help
 * OPTIONS := -j (JSON) | -p (pretty JSON) | -s (statistics) | -V | -b FILE
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rdmapolicy.h>
#include <rdmapolicy/counters.h>

#include "print.h"
#include "rdmapolicy.h"

#define RP_TOOL_VERSION "0.1.0"

struct rp_opts opts;
struct rp_nl *g_nl;

void rp_err(const char *fmt, ...)
{
	va_list ap;

	fputs("rdmapolicy: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fputs("Usage: rdmapolicy [-j] [-p] [-s] [-V] OBJECT [COMMAND [ARGS]]\n"
	      "       rdmapolicy [-j] [-p] [-s] -b FILE\n"
	      "OBJECT := vm | rule | conn | nic | stats | monitor | save | restore |\n"
	      "          flush\n"
	      "  vm add NAME id ID [tenant T] [remote] [port IFNAME]... [mac MAC]...\n"
	      "         [addr PREFIX]... [max-conns N] [setup-rate N]\n"
	      "  vm change NAME [name NEW] [tenant T] [port ...] [mac ...] [addr ...] ...\n"
	      "  vm del { NAME | id ID }   vm show [NAME]   vm flush\n"
	      "  rule add [id ID] [prio N] [from SEL] [to SEL] [service SVC] [qp QPS]\n"
	      "           { allow RIGHTS | deny }\n"
	      "  rule change id ID ...   rule del id ID   rule show [id ID]   rule flush\n"
	      "     SEL := any | vm NAME | tenant ID | [prefix] PREFIX\n"
	      "     SVC := any | { tcp | udp | ib | ipoib } [PORT[-PORT]]\n"
	      "     QPS := all | rc,uc,ud,xrc   RIGHTS := all | send,write,read,atomic\n"
	      "  conn show   conn del id ID   conn flush\n"
	      "  nic show\n"
	      "  stats [show]      monitor      flush\n"
	      "  save              print the configuration as a batch file\n"
	      "  restore FILE      replace the configuration with FILE, all or nothing\n",
	      f);
}

static int cmd_help(struct args *a)
{
	usage(stdout);
	return 0;
}

/* ---- stats ---- */

/* The exception path counters (rdmapolicy/counters.h) */
#define RP_EXC_CTR(id, text, json, det)	{ RP_A_STATS_##id, text, json, det },
static const struct { int attr; const char *t, *j; bool detail; } exc[] = {
#include <rdmapolicy/exc_ctrs.h>
};

#undef RP_EXC_CTR

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *st[__RP_A_STATS_MAX];
	size_t i;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_STATS])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_STATS], st, __RP_A_STATS_MAX - 1);
	pr_obj_start();
	if (st[RP_A_STATS_VMS])
		pr_u64("vms", "vms", mnl_attr_get_u32(st[RP_A_STATS_VMS]));
	if (st[RP_A_STATS_RULES])
		pr_u64("rules", "rules", mnl_attr_get_u32(st[RP_A_STATS_RULES]));
	for (i = 0; i < RP_EXC_CTRS; i++)
		if (!exc[i].detail && st[exc[i].attr])
			pr_u64(exc[i].t, exc[i].j,
			       mnl_attr_get_u64(st[exc[i].attr]));
	if (st[RP_A_STATS_GENERATION])
		pr_u64("generation", "generation",
		       mnl_attr_get_u32(st[RP_A_STATS_GENERATION]));
	if (st[RP_A_STATS_CONNS])
		pr_u64("conns", "conns", mnl_attr_get_u32(st[RP_A_STATS_CONNS]));
	if (opts.stats) {
		pr_nest_start("exception");
		for (i = 0; i < RP_EXC_CTRS; i++)
			if (exc[i].detail && st[exc[i].attr])
				pr_u64(exc[i].t, exc[i].j,
				       mnl_attr_get_u64(st[exc[i].attr]));
		pr_nest_end();
	}
	pr_obj_end();
	return MNL_CB_OK;
}

int cmd_stats(struct args *a)
{
	int err;

	args_match(a, "show");
	if (args_more(a)) {
		rp_err("stats: unexpected \"%s\"", args_peek(a));
		return -EINVAL;
	}
	pr_begin();
	err = rp_nl_talk(g_nl, rp_nl_msg(g_nl, RP_CMD_STATS_GET, NLM_F_ACK),
			 stats_cb, NULL);
	pr_end();
	return err;
}

/* ---- monitor ---- */

static const char *const event_names[__RP_EV_MAX] = {
	[RP_EV_VM_NEW] = "vm new", [RP_EV_VM_SET] = "vm change",
	[RP_EV_VM_DEL] = "vm del", [RP_EV_RULE_NEW] = "rule new",
	[RP_EV_RULE_SET] = "rule change", [RP_EV_RULE_DEL] = "rule del",
	[RP_EV_FLUSH] = "flush", [RP_EV_CONFIG_SET] = "config replace",
	[RP_EV_CONN_NEW] = "conn new",
	[RP_EV_CONN_ESTABLISHED] = "conn established",
	[RP_EV_CONN_DENIED] = "conn denied",
	[RP_EV_CONN_DESTROYED] = "conn destroyed",
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RP_A_MAX + 1], *ev[RP_A_EVENT_MAX + 1];
	uint8_t type;

	rp_nl_parse_msg(nlh, tb, RP_A_MAX);
	if (!tb[RP_A_EVENT])
		return MNL_CB_OK;
	rp_nl_parse_nest(tb[RP_A_EVENT], ev, RP_A_EVENT_MAX);
	type = ev[RP_A_EVENT_TYPE] ? mnl_attr_get_u8(ev[RP_A_EVENT_TYPE]) : 0;
	/* one JSON document per event and line, so it can be streamed */
	pr_init(opts.json, false);
	if (opts.json)
		pr_begin();
	pr_obj_start();
	pr_str(NULL, "event", type < __RP_EV_MAX && event_names[type] ?
	       event_names[type] : "unknown");
	if (ev[RP_A_EVENT_VM_ID])
		pr_u64("vm", "vm_id", mnl_attr_get_u32(ev[RP_A_EVENT_VM_ID]));
	if (ev[RP_A_EVENT_RULE_ID])
		pr_u64("rule", "rule_id",
		       mnl_attr_get_u32(ev[RP_A_EVENT_RULE_ID]));
	if (ev[RP_A_EVENT_REASON])
		pr_str("reason", "reason",
		       mnl_attr_get_str(ev[RP_A_EVENT_REASON]));
	pr_obj_end();
	if (opts.json)
		pr_end();
	fflush(stdout);
	return MNL_CB_OK;
}

int cmd_monitor(struct args *a)
{
	int err;

	if (args_more(a)) {
		rp_err("monitor: unexpected \"%s\"", args_peek(a));
		return -EINVAL;
	}
	err = rp_nl_subscribe(g_nl);
	if (err)
		return err;
	return rp_nl_listen(g_nl, event_cb, NULL);
}

/* ---- save / restore / flush ---- */

int cmd_save(struct args *a)
{
	int err;

	if (args_more(a)) {
		rp_err("save: unexpected \"%s\"", args_peek(a));
		return -EINVAL;
	}
	if (opts.json) {
		rp_err("save: prints a batch file; -j does not apply");
		return -EINVAL;
	}
	err = vm_cache_load();
	if (err)
		return err;
	pr_init(false, false);
	puts("# rdmapolicy configuration; restore with: rdmapolicy -b FILE "
	     "(after flush) or rdmapolicy restore FILE");
	err = vm_dump(true);
	if (!err)
		err = rule_dump(true);
	fflush(stdout);
	return err;
}

int cmd_flush(struct args *a)
{
	if (args_more(a)) {
		rp_err("flush: unexpected \"%s\"", args_peek(a));
		return -EINVAL;
	}
	return rp_flush(RP_FLUSH_VMS | RP_FLUSH_RULES);
}

#define MAX_ARGS 128

/* Split a batch line into words; '#' starts a comment. */
static int split_line(char *line, char **argv)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == MAX_ARGS - 1)
			return -E2BIG;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
		       *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * restore FILE: every "vm add" and "rule add" line of FILE (as `save`
 * prints them) goes into one RP_CMD_CONFIG_SET request, which the kernel
 * applies whole or not at all.
 */
int cmd_restore(struct args *a)
{
	const char *file = args_next(a, "file name");
	char line[4096], *argv[MAX_ARGS];
	struct nlmsghdr *nlh;
	size_t cap = 1 << 16;
	int lineno = 0, argc, err = 0;
	char *buf;
	FILE *f;

	if (!file)
		return -EINVAL;
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		rp_err("restore: %s: %s", file, strerror(errno));
		return -errno;
	}
	/* an upper bound: every line makes at most ~2 KiB of attributes */
	while (fgets(line, sizeof(line), f))
		cap += 2048;
	rewind(f);
	buf = calloc(1, cap);
	if (!buf)
		abort();
	nlh = rp_nl_msg_in(g_nl, buf, RP_CMD_CONFIG_SET, NLM_F_ACK);
	while (fgets(line, sizeof(line), f)) {
		struct args la;
		uint32_t id;

		lineno++;
		argc = split_line(line, argv);
		if (argc < 0) {
			rp_err("%s:%d: too many words", file, lineno);
			err = -E2BIG;
			break;
		}
		if (!argc)
			continue;
		la.argc = argc - 2;
		la.argv = argv + 2;
		if (argc >= 3 && !strcmp(argv[0], "vm") &&
		    !strcmp(argv[1], "add")) {
			la.argc--;
			la.argv++;
			err = vm_parse(&la, nlh, argv[2], true, &id);
			if (!err)
				vm_pending_add(id, argv[2]);
		} else if (argc >= 2 && !strcmp(argv[0], "rule") &&
			   !strcmp(argv[1], "add")) {
			err = rule_parse(&la, nlh, false);
		} else {
			rp_err("%s:%d: restore takes only \"vm add\" and \"rule add\" lines",
			       file, lineno);
			err = -EINVAL;
		}
		if (err) {
			rp_err("%s:%d: not restored", file, lineno);
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (!err) {
		/*
		 * The request must fit the socket's send buffer (a netlink
		 * message is sent whole).  SO_SNDBUFFORCE (CAP_NET_ADMIN,
		 * which writing the configuration needs anyway) goes past
		 * net.core.wmem_max; these are SOL_SOCKET options, not
		 * mnl_socket_setsockopt()'s SOL_NETLINK ones.
		 */
		int fd = mnl_socket_get_fd(g_nl->sock);
		int sz = nlh->nlmsg_len + 4096;

		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
			setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		err = rp_nl_talk(g_nl, nlh, NULL, NULL);
	}
	free(buf);
	return err;
}

static const struct {
	const char *name;
	int (*fn)(struct args *a);
} objects[] = {
	{ "vm", cmd_vm },
	{ "rule", cmd_rule },
	{ "conn", cmd_conn },
	{ "nic", cmd_nic },
	{ "stats", cmd_stats },
	{ "monitor", cmd_monitor },
	{ "save", cmd_save },
	{ "restore", cmd_restore },
	{ "flush", cmd_flush },
	{ "help", cmd_help },
};

static int (*find_object(const char *name))(struct args *a)
{
	size_t i;

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (!strcmp(name, objects[i].name))
			return objects[i].fn;
	return NULL;
}

static int do_cmd(int argc, char **argv)
{
	struct args a = { argc - 1, argv + 1 };
	int (*fn)(struct args *a) = find_object(argv[0]);

	pr_init(opts.json, opts.pretty);
	if (fn)
		return fn(&a);
	rp_err("unknown object \"%s\"; try \"rdmapolicy help\"", argv[0]);
	return -EINVAL;
}

static int do_batch(const char *file)
{
	char line[4096], *argv[MAX_ARGS];
	int lineno = 0, argc, err;
	FILE *f;

	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		rp_err("%s: %s", file, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		argc = split_line(line, argv);
		if (argc < 0) {
			rp_err("%s:%d: too many words", file, lineno);
			err = -E2BIG;
			goto out;
		}
		if (!argc)
			continue;
		err = do_cmd(argc, argv);
		if (err) {
			rp_err("command failed %s:%d", file, lineno);
			goto out;
		}
	}
	err = 0;
out:
	if (f != stdin)
		fclose(f);
	return err;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct rp_nl *nl;
	int c, err;

	while ((c = getopt_long(argc, argv, "+jpsVb:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'p':
			opts.pretty = true;
			break;
		case 's':
			opts.stats = true;
			break;
		case 'V':
			printf("rdmapolicy %s (ABI version %d)\n",
			       RP_TOOL_VERSION, RDMAPOLICY_GENL_VERSION);
			return 0;
		case 'b':
			opts.batch = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (!opts.batch && argc == 0) {
		usage(stderr);
		return 1;
	}
	if (argc > 0 && !strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (!opts.batch && !find_object(argv[0])) {
		rp_err("unknown object \"%s\"; try \"rdmapolicy help\"", argv[0]);
		return 1;
	}
	nl = malloc(sizeof(*nl));
	if (!nl)
		return 1;
	g_nl = nl;
	err = rp_nl_open(nl);
	if (!err)
		err = opts.batch ? do_batch(opts.batch) : do_cmd(argc, argv);
	rp_nl_close(nl);
	free(nl);
	return err ? 1 : 0;
}
