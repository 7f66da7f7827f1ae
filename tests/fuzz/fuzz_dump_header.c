/* libFuzzer target for the crash dump header reader and the format probes
 * (windows_header.c, dump_open.c, identify.c).  The input is the file, but
 * its first byte picks a shape: left as it is (so "MDMP", transcripts and
 * anything else reach the probes), or with a "PAGEDU64"/"PAGEDUMP"
 * signature and one of the DumpTypes of dump-formats.md §3 written in, so
 * most runs get past the signature into the header, the refusals and the
 * truncation checks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dump_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	uint8_t shape = data[0];
	uint8_t *file = malloc(size - 1 ? size - 1 : 1);
	memcpy(file, data + 1, size - 1);
	size_t length = size - 1;
	if (shape & 1 && length >= 8) {
		bool is64 = shape & 2;
		memcpy(file, is64 ? "PAGEDU64" : "PAGEDUMP", 8);
		size_t at = is64 ? 0xf98 : 0xf88;
		/* 0..0xB: every DumpType of §3 and one past; else the input's own. */
		uint32_t type = (shape >> 2) % 16;
		if (type < 12 && length >= at + 4)
			put_le(file + at, type, 4);
	}
	open_and_walk(file, length);
	free(file);
	return 0;
}
