/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON, in the way of iproute2's print_*():
 * each field is printed by one call that knows its text keyword and its
 * JSON key; @mode says where it goes (PR_ANY: both, PR_TEXT or PR_JSON:
 * one of them), so object code never asks which output it writes.
 *
 * Text output is one block per object: its first line holds the identity
 * and the settings (in the syntax of the add command, so `save` reuses
 * it); a nest opened with PR_TEXT starts an indented line of its own,
 * introduced by its label when it prints anything.  Counters (pr_ctr)
 * that are zero are left out unless -s -s.  JSON output is one array of
 * objects per command, nests and arrays as the keys say.  A leaf.
 */
#ifndef RP_TOOL_PRINT_H
#define RP_TOOL_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "names.h"

#define PR_TEXT		1
#define PR_JSON		2
#define PR_ANY		(PR_TEXT | PR_JSON)

#define PR_MAX_DEPTH	16

enum pr_color {
	PR_C_NONE,
	PR_C_NAME,	/* VM and NIC names, ports */
	PR_C_ADDR,	/* IP addresses and prefixes */
	PR_C_MAC,
	PR_C_GOOD,	/* allow, established */
	PR_C_BAD,	/* deny, refusals */
};

struct pr {
	FILE *out;
	bool json, pretty, color;
	int stats;			/* how many -s */
	/* JSON */
	int depth;
	bool first[PR_MAX_DEPTH];	/* nothing printed yet at this depth */
	/* nests and arrays open: their modes */
	int ndepth;
	int nmode[PR_MAX_DEPTH];
	/* text */
	int tdepth;			/* nesting of text nests */
	int line_depth;			/* ... of the line being printed */
	int col;			/* its column; 0: nothing on it yet */
	int line_start;			/* where its first field goes */
	bool new_line[PR_MAX_DEPTH];	/* next field at this depth: new line */
	const char *label[PR_MAX_DEPTH];
	bool in_list;			/* a text array: comma separated */
	char group[64];			/* the text block of pr_obj_*_group */
	bool group_open;
	bool list_first;
};

void pr_begin(struct pr *p);		/* the command's output starts */
void pr_end(struct pr *p);		/* ... and ends */
void pr_obj_start(struct pr *p);
void pr_obj_end(struct pr *p);
/*
 * An object that, in text, continues the block of the one before when
 * @group is the same (ports of one NIC); returns the mode for the
 * fields the block shows once (PR_JSON when it goes on, else PR_ANY).
 */
int pr_obj_start_group(struct pr *p, const char *group);
void pr_obj_end_group(struct pr *p);
/* JSON: a sub-object under @jkey; text: a line of its own under @label */
void pr_nest_start(struct pr *p, int mode, const char *jkey,
		   const char *label);
void pr_nest_end(struct pr *p);
/* JSON: an array under @jkey; text: "tkey a,b" (NULL tkey: elements) */
void pr_arr_start(struct pr *p, int mode, const char *jkey,
		  const char *tkey);
void pr_arr_end(struct pr *p);
/* tkey NULL: text prints the value alone; jkey NULL: an array element */
void pr_str(struct pr *p, int mode, const char *tkey, const char *jkey,
	    const char *val);
void pr_strc(struct pr *p, int mode, enum pr_color c, const char *tkey,
	     const char *jkey, const char *val);
void pr_u64(struct pr *p, int mode, const char *tkey, const char *jkey,
	    uint64_t val);
/* a counter: always in JSON, in text when non-zero or with -s -s */
void pr_ctr(struct pr *p, int mode, const char *tkey, const char *jkey,
	    uint64_t val);
/* JSON true/false; text: the keyword when true */
void pr_flag(struct pr *p, int mode, const char *tkey, const char *jkey,
	     bool val);
/*
 * A bit mask named by @t: JSON an array of names; text a comma list,
 * "none" for 0 and "all" for @all (when not 0).
 */
void pr_bits(struct pr *p, int mode, const char *tkey, const char *jkey,
	     uint32_t val, const struct rp_name *t, uint32_t all);

#endif
