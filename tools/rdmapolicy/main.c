// SPDX-License-Identifier: GPL-2.0
/*
 * rdmapolicy: configure and watch the RDMA connection policy of a
 * hypervisor host, over the "rdmapolicy" generic netlink family.
 * See cli.c for the command line, rdmapolicy.8 for its manual.
 */
#include <stdlib.h>

#include "rdmapolicy.h"

int main(int argc, char **argv)
{
	struct rd *rd = malloc(sizeof(*rd));
	int ret;

	if (!rd)
		return 1;
	rd_init(rd);
	ret = rd_run(rd, argc, argv);
	rd_fini(rd);
	free(rd);
	return ret;
}
