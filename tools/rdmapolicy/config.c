// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration as a whole: save (print it as a batch file), restore
 * (replace it with a file, all or nothing), flush, and -b (run a file of
 * commands).  Batch and restore files share one line reader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/rdmapolicy.h>

#include "rdmapolicy.h"

/* ---- the line reader ---- */

/* Character classes of the line splitter: a table, not four compares */
#define SPLIT_SPACE	1
#define SPLIT_END	2
static const unsigned char split_class[256] = {
	[' '] = SPLIT_SPACE, ['\t'] = SPLIT_SPACE, ['\n'] = SPLIT_SPACE,
	['\r'] = SPLIT_SPACE, ['\0'] = SPLIT_END,
};

/* Split a line into words; '#' starts a comment. */
int rd_split_line(char *line, char **argv)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (split_class[(unsigned char)*p] == SPLIT_SPACE)
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == RD_MAX_WORDS - 1)
			return -E2BIG;
		argv[argc++] = p;
		while (!split_class[(unsigned char)*p])
			p++;
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

typedef int (*line_fn)(struct rd *rd, void *ctx, int argc, char **argv);

/*
 * Line @lineno failed (@why: its message if not printed yet).  With writes
 * pipelined, those of the lines before it are sent first: if one of them
 * fails, that line is the one that failed (and line @lineno would not
 * have run).  Names the line; returns the error.
 */
static int line_failed(struct rd *rd, const char *file, const char *what,
		       int lineno, int err, const char *why)
{
	struct rp_nl_pipe *p = rd->nl.pipe;
	int e;

	if (p && !p->failed_line) {
		e = rp_nl_pipe_flush(&rd->nl);
		err = e ? e : err;
	}
	if (p && p->failed_line) {
		rp_err("%s", p->msg);
		lineno = p->failed_line;
	} else if (why && why[0]) {
		rp_err("%s", why);
	}
	rp_err("%s %s:%d", what, file, lineno);
	return err;
}

/*
 * @fn for every line of @file ("-": standard input) that has words; stops
 * at the first that fails and names it.  While writes are pipelined
 * (rd->nl.pipe), the messages of a write line run with requests of lines
 * before it in flight are held back until those are known to have taken
 * effect (line_failed()); any other line runs after they have.
 */
static int read_lines(struct rd *rd, const char *file, const char *what,
		      line_fn fn, void *ctx)
{
	char line[4096], *argv[RD_MAX_WORDS], why[512];
	int lineno = 0, argc, err = 0;
	struct rp_nl_pipe *p;
	bool held;
	FILE *f;

	if (rd->no_files) {
		rp_err("%s: no files here", what);
		return -EPERM;
	}
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		err = -errno;
		rp_err("%s: %s", file, strerror(errno));
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		p = rd->nl.pipe;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(why, sizeof(why),
				 "%s:%d: line longer than %zu characters", file,
				 lineno, sizeof(line) - 2);
			err = line_failed(rd, file, what, lineno, -E2BIG, why);
			break;
		}
		argc = rd_split_line(line, argv);
		if (argc < 0) {
			snprintf(why, sizeof(why), "%s:%d: too many words",
				 file, lineno);
			err = line_failed(rd, file, what, lineno, -E2BIG, why);
			break;
		}
		if (!argc)
			continue;
		held = false;
		if (p) {
			p->line = lineno;
			if (!cmd_is_write(rp_objects, argc, argv))
				err = rp_nl_pipe_flush(&rd->nl);
			held = p->n > 0;
		}
		why[0] = '\0';
		if (held)
			rp_err_capture(why, sizeof(why));
		if (!err)
			err = fn(rd, ctx, argc, argv);
		if (held)
			rp_err_capture(NULL, 0);
		if (err) {
			err = line_failed(rd, file, what, lineno, err, why);
			break;
		}
		if (why[0])
			rp_err("%s", why);
	}
	if (!err && rd->nl.pipe) {
		err = rp_nl_pipe_flush(&rd->nl);
		if (err)
			line_failed(rd, file, what, lineno, err, NULL);
	}
	if (f != stdin)
		fclose(f);
	return err;
}

/* ---- -b FILE ---- */

static int batch_line(struct rd *rd, void *ctx, int argc, char **argv)
{
	struct args a = { argc, argv };

	return cmd_run(rd, rp_objects, &a);
}

/*
 * Writes are pipelined (rp_nl_write()) unless the lines come from a
 * terminal, where each line's answer is awaited.
 */
int rd_batch(struct rd *rd, const char *file)
{
	struct rp_nl_pipe pipe;
	int err;

	if (strcmp(file, "-") || !isatty(STDIN_FILENO))
		rp_nl_pipe_start(&rd->nl, &pipe);
	err = read_lines(rd, file, "command failed", batch_line, NULL);
	rp_nl_pipe_end(&rd->nl);
	return err;
}

/* ---- flush, save ---- */

int rp_flush(struct rd *rd, uint32_t what)
{
	struct nlmsghdr *nlh = rp_nl_msg(&rd->nl, RP_CMD_FLUSH, NLM_F_ACK);

	mnl_attr_put_u32(nlh, RP_A_FLUSH, what);
	cache_drop(&rd->cache);
	return rp_nl_talk(&rd->nl, nlh, NULL, NULL);
}

int cmd_flush(struct rd *rd, struct args *a)
{
	if (args_end(a, "flush"))
		return -EINVAL;
	return rp_flush(rd, RP_FLUSH_VMS | RP_FLUSH_RULES);
}

int cmd_save(struct rd *rd, struct args *a)
{
	int err;

	if (args_end(a, "save"))
		return -EINVAL;
	if (rd->json) {
		rp_err("save: prints a batch file; -j does not apply");
		return -EINVAL;
	}
	err = cache_load(&rd->cache, &rd->nl);
	if (err)
		return err;
	/* plain text, whatever the options: a file to read back */
	rd->pr.color = false;
	rd->pr.stats = 0;
	fputs("# rdmapolicy configuration; restore with: rdmapolicy -b FILE "
	      "(after flush) or rdmapolicy restore FILE\n", rd->pr.out);
	err = vm_dump(rd, true);
	if (!err)
		err = rule_dump(rd, true);
	fflush(rd->pr.out);
	return err;
}

/* ---- restore FILE ---- */

int restore_line(struct rd *rd, struct nlmsghdr *nlh, int argc, char **argv)
{
	struct args la = { argc - 2, argv + 2 };
	uint32_t id;
	int err;

	if (argc >= 3 && !strcmp(argv[0], "vm") && !strcmp(argv[1], "add")) {
		la.argc--;
		la.argv++;
		err = vm_parse(rd, &la, nlh, argv[2], true, &id);
		if (!err)
			cache_pending_add(&rd->cache, id, argv[2]);
		return err;
	}
	if (argc >= 2 && !strcmp(argv[0], "rule") && !strcmp(argv[1], "add"))
		return rule_parse(rd, &la, nlh, false);
	rp_err("restore takes only \"vm add\" and \"rule add\" lines");
	return -EINVAL;
}

#define RESTORE_ROOM (64 << 10)	/* far more than a line can take */

void rd_config_init(struct rd *rd, struct rd_config *c)
{
	c->cap = 4 * RESTORE_ROOM;
	c->buf = calloc(1, c->cap);
	if (!c->buf)
		abort();
	rp_nl_msg_in(&rd->nl, c->buf, RP_CMD_CONFIG_SET, NLM_F_ACK);
}

void rd_config_free(struct rd_config *c)
{
	free(c->buf);
	c->buf = NULL;
}

int rd_config_line(struct rd *rd, struct rd_config *c, int argc, char **argv)
{
	struct nlmsghdr *nlh = (void *)c->buf;

	if (c->cap - nlh->nlmsg_len < RESTORE_ROOM) {
		c->cap *= 2;
		c->buf = realloc(c->buf, c->cap);
		if (!c->buf)
			abort();
		nlh = (void *)c->buf;
	}
	return restore_line(rd, nlh, argc, argv);
}

int rd_config_send(struct rd *rd, struct rd_config *c)
{
	struct nlmsghdr *nlh = (void *)c->buf;
	/*
	 * The request must fit the socket's send buffer (a netlink
	 * message is sent whole).  SO_SNDBUFFORCE (CAP_NET_ADMIN, which
	 * writing the configuration needs anyway) goes past
	 * net.core.wmem_max; these are SOL_SOCKET options, not
	 * mnl_socket_setsockopt()'s SOL_NETLINK ones.
	 */
	int sz = nlh->nlmsg_len + 4096;

	if (rd->nl.sock) {
		int fd = mnl_socket_get_fd(rd->nl.sock);

		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
			setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	cache_drop(&rd->cache);
	return rp_nl_talk(&rd->nl, nlh, NULL, NULL);
}

static int restore_cb(struct rd *rd, void *ctx, int argc, char **argv)
{
	return rd_config_line(rd, ctx, argc, argv);
}

/*
 * restore FILE: every "vm add" and "rule add" line of FILE (as `save`
 * prints them) goes into one RP_CMD_CONFIG_SET request, which the kernel
 * applies whole or not at all.
 */
int cmd_restore(struct rd *rd, struct args *a)
{
	const char *file = args_next(a, "file name");
	struct rd_config c;
	int err;

	if (!file || args_end(a, "restore"))
		return -EINVAL;
	rd_config_init(rd, &c);
	err = read_lines(rd, file, "not restored:", restore_cb, &c);
	if (!err)
		err = rd_config_send(rd, &c);
	rd_config_free(&c);
	return err;
}
