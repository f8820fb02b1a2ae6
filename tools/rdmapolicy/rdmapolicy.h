/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The context every command gets, and the command tables.
 *
 * Every object (vm, rule, ...) has a table of verbs: name, handler, the
 * synopsis of its arguments, a one-line help.  The first entry is the
 * default verb; a verb may be abbreviated to a unique prefix unless it
 * says CMD_F_EXACT (verbs that destroy, and aliases).  Usage, help and
 * bash completion are all generated from these tables.
 */
#ifndef RP_TOOL_H
#define RP_TOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "cache.h"
#include "nl.h"
#include "print.h"
#include "utils.h"

enum rd_color { RD_COLOR_NEVER, RD_COLOR_AUTO, RD_COLOR_ALWAYS };

struct rd {
	struct rp_nl nl;	/* requests and their replies */
	struct pr pr;		/* the output being printed */
	struct rp_cache cache;	/* VM names */
	/* options */
	bool json, pretty;
	int stats;		/* how many -s */
	enum rd_color color;
	const char *batch;
	const char *replay;	/* hidden --replay FILE: offline */
	bool no_files;		/* commands open no files (fuzzing) */
};

/* What the argument after a keyword is, for completion. */
enum cv {
	CV_NONE,	/* the keyword takes no argument */
	CV_WORD,	/* something new: nothing to offer */
	CV_VM,		/* a VM name the kernel knows */
	CV_IFNAME,
	CV_RULE,	/* a rule id */
	CV_CONN,	/* a connection id */
	CV_RIGHTS,
	CV_REPLY,	/* rights or none */
	CV_QP,
	CV_SEL,		/* any | vm NAME | tenant ID | prefix PREFIX */
	CV_SERVICE,
	CV_SETUP,	/* cm | any */
	CV_FILE,	/* left to the shell */
};

struct kw {
	const char *kw;
	enum cv arg;
};

#define CMD_F_EXACT	(1U << 0)	/* no abbreviation */
#define CMD_F_HIDDEN	(1U << 1)	/* an alias: not in help */
#define CMD_F_WRITE	(1U << 2)	/* one write request: -b pipelines it */

struct cmd {
	const char *name;
	int (*fn)(struct rd *rd, struct args *a);
	const char *args;		/* synopsis of the arguments */
	const char *help;		/* one line */
	unsigned int flags;
	const struct cmd *sub;		/* an object's verbs (NULL ends) */
	const char *notes;		/* more syntax, for OBJECT help */
	enum cv pos;			/* a leading positional argument */
	const struct kw *kws;		/* keywords (NULL ends) */
};

/* cmd.c: tables */
const struct cmd *cmd_find(const struct cmd *t, const char *word);
/* Whether the line @argc, @argv is an OBJECT VERB that says CMD_F_WRITE */
bool cmd_is_write(const struct cmd *objects, int argc, char **argv);
int cmd_run(struct rd *rd, const struct cmd *objects, struct args *a);
void cmd_usage(const struct cmd *objects, FILE *f);
void cmd_object_help(const struct cmd *obj, FILE *f);

/* cli.c */
extern const struct cmd rp_objects[];
int rd_run(struct rd *rd, int argc, char **argv);
int rd_init(struct rd *rd);
void rd_fini(struct rd *rd);

/* complete.c: the hidden "__complete WORD... CURRENT" */
int cmd_complete(struct rd *rd, struct args *a);

/* the objects' tables */
extern const char rule_notes[];
extern const struct cmd vm_cmds[], rule_cmds[], conn_cmds[], nic_cmds[],
	stats_cmds[], group_cmds[];
int cmd_monitor(struct rd *rd, struct args *a);
int cmd_save(struct rd *rd, struct args *a);
int cmd_restore(struct rd *rd, struct args *a);
int cmd_flush(struct rd *rd, struct args *a);
/* cluster.c: runs rdmapolicyd push|status */
int cmd_cluster(struct rd *rd, struct args *a);

/* vm.c and rule.c: parsing into a message (also for restore) */
int vm_parse(struct rd *rd, struct args *a, struct nlmsghdr *nlh,
	     const char *name, bool add, uint32_t *id_out);
int rule_parse(struct rd *rd, struct args *a, struct nlmsghdr *nlh,
	       bool need_id);
int vm_dump(struct rd *rd, bool save);
int rule_dump(struct rd *rd, bool save);

/* config.c */
int rp_flush(struct rd *rd, uint32_t what);
int rd_batch(struct rd *rd, const char *file);
/* One line of a batch or restore file into argv; -E2BIG: too many words */
#define RD_MAX_WORDS 128
int rd_split_line(char *line, char **argv);
/* the restore syntax of one line into a CONFIG_SET message */
int restore_line(struct rd *rd, struct nlmsghdr *nlh, int argc, char **argv);
/*
 * A whole configuration in one RP_CMD_CONFIG_SET request (restore, and
 * rdmapolicyd): init, one rd_config_line() per "vm add"/"rule add" line,
 * send (all or nothing in the kernel), free.
 */
struct rd_config {
	char *buf;	/* the request, grown as lines come */
	size_t cap;
};

void rd_config_init(struct rd *rd, struct rd_config *c);
int rd_config_line(struct rd *rd, struct rd_config *c, int argc, char **argv);
int rd_config_send(struct rd *rd, struct rd_config *c);
void rd_config_free(struct rd_config *c);

/* A VM's name for printing: the cache's, else "#ID" in @buf. */
const char *rd_vm_name(struct rd *rd, uint32_t id, char *buf, size_t len);

#endif
