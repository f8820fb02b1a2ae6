// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the rdmapolicy tool's parsers (make fuzz; a short
 * run in make check).  The first byte of an input picks what it is:
 *
 *   bit 7 clear: lines of a batch file.  Each is run as a command on an
 *	offline socket (requests are built, every reply is an ACK) and
 *	parsed as a restore line into a CONFIG_SET request.
 *   bit 7 set: the kernel's replies (see nl.h, offline sockets) to the
 *	show command of bits 4-6.
 *
 * Bit 0 asks for JSON, bits 1-2 for that many -s, bit 3 for -p.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdmapolicy.h"

static const char *const shows[8] = {
	"vm show", "rule show", "conn show", "nic show", "stats show",
	"monitor", "vm show web1", "rule show id 1",
};

static FILE *devnull;

static void setup(struct rd *rd, uint8_t mode)
{
	rd_init(rd);
	rd->pr.out = devnull;
	rd->no_files = true;
	rd->json = rd->pr.json = mode & 1;
	rd->stats = rd->pr.stats = (mode >> 1) & 3;
	rd->pretty = rd->pr.pretty = (mode >> 3) & 1;
}

static void run_line(struct rd *rd, char *line)
{
	char *argv[RD_MAX_WORDS], *copy = strdup(line);
	static char req[RP_NL_BUFSZ * 2] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct args a;
	int argc;

	argc = rd_split_line(line, argv);
	if (argc > 0) {
		a.argc = argc;
		a.argv = argv;
		cmd_run(rd, rp_objects, &a);
	}
	argc = rd_split_line(copy, argv);
	if (argc > 0) {
		nlh = rp_nl_msg_in(&rd->nl, req, RP_CMD_CONFIG_SET, NLM_F_ACK);
		restore_line(rd, nlh, argc, argv);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd *rd;
	uint8_t mode;
	char *text, *line, *save;
	char show[32];
	struct args a;
	char *argv[RD_MAX_WORDS];

	if (!size)
		return 0;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	rd = malloc(sizeof(*rd));
	if (!rd)
		abort();
	mode = data[0];
	setup(rd, mode);
	if (mode & 0x80) {
		/* as the kernel's would be: aligned */
		text = malloc(size);
		if (!text)
			abort();
		memcpy(text, data + 1, size - 1);
		rp_nl_open_offline(&rd->nl, text, size - 1);
		snprintf(show, sizeof(show), "%s", shows[(mode >> 4) & 7]);
		a.argc = rd_split_line(show, argv);
		a.argv = argv;
		cmd_run(rd, rp_objects, &a);
		free(text);
	} else {
		rp_nl_open_offline(&rd->nl, NULL, 0);
		/* VMs the kernel would know */
		cache_add(&rd->cache, 10, "web1");
		cache_add(&rd->cache, 11, "db1");
		text = malloc(size);
		if (!text)
			abort();
		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			run_line(rd, line);
		free(text);
	}
	rd_fini(rd);
	free(rd);
	return 0;
}
