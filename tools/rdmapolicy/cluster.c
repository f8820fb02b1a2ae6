// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy cluster push FILE | status: the cluster's configuration in
 * etcd.  rdmapolicyd (tools/rdmapolicyd) does the work, so that the CLI
 * links neither libcurl nor json-c: these run it with the same words
 * ($RDMAPOLICYD names another program, RDMAPOLICYD_ENDPOINT the etcd).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdmapolicy.h"

int cmd_cluster(struct rd *rd, struct args *a)
{
	const char *prog = getenv("RDMAPOLICYD");
	char *argv[RD_MAX_WORDS + 2];
	int i, n = 0;

	if (rd->no_files) {
		rp_err("cluster: runs no programs here");
		return -EPERM;
	}
	if (!args_more(a) || a->argc > RD_MAX_WORDS - 1) {
		rp_err("cluster: push FILE | status");
		return -EINVAL;
	}
	if (!prog)
		prog = "rdmapolicyd";
	argv[n++] = (char *)prog;
	for (i = 0; i < a->argc; i++)
		argv[n++] = a->argv[i];
	if (rd->json && !strcmp(a->argv[0], "status") && a->argc == 1)
		argv[n++] = "-j";
	argv[n] = NULL;
	fflush(NULL);
	execvp(prog, argv);
	rp_err("cluster: cannot run %s: %s", prog, strerror(errno));
	return -errno;
}
