/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON, in the way of iproute2: each field is
 * printed by one call that knows its text keyword and its JSON key.  In
 * text mode an object is one line "keyword value ..." (which is also the
 * syntax of the add command, so `save` reuses it); in JSON mode objects go
 * into one array per command.
 */
#ifndef RP_TOOL_PRINT_H
#define RP_TOOL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

void pr_init(bool json, bool pretty);
void pr_begin(void);		/* the command's output starts */
void pr_end(void);		/* ... and ends */
void pr_obj_start(void);
void pr_obj_end(void);
void pr_nest_start(const char *jkey);	/* JSON sub-object; text: nothing */
void pr_nest_end(void);
void pr_arr_start(const char *jkey);
void pr_arr_end(void);
/* tkey NULL: text prints the value alone; jkey NULL: an array element */
void pr_str(const char *tkey, const char *jkey, const char *val);
void pr_u64(const char *tkey, const char *jkey, uint64_t val);
void pr_flag(const char *tkey, const char *jkey, bool val);
bool pr_is_json(void);

#endif
