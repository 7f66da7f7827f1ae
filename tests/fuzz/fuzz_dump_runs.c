/* libFuzzer target for DumpType 1 full dumps (windows_runs.c,
 * run_table.c): a valid "PAGEDU64" or "PAGEDUMP" header with DumpType 1 is
 * built here; the input fills NumberOfRuns, the Run[] descriptors
 * (dump-formats.md §4) and says how much page data follows, down to a cut
 * inside a page, so the fuzzer spends its time on the runs: counts past the
 * header's room, PFNs past 2^40, overlaps, unsorted runs, truncation. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dump_fuzz.h"

enum { MAX_PAGES = 48 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };
	uint8_t shape = (uint8_t)take(&in, 1);
	bool is64 = !(shape & 1);
	size_t header = is64 ? 0x2000 : 0x1000;
	size_t pages = take(&in, 1) % (MAX_PAGES + 1);
	size_t cut = (size_t)take(&in, 2) % DUMP_PAGE_SIZE; /* bytes of one more, partial page */
	size_t length = header + pages * DUMP_PAGE_SIZE + cut;
	uint8_t *file = calloc(1, length);
	memcpy(file, is64 ? "PAGEDU64" : "PAGEDUMP", 8);
	put_le(file + (is64 ? 0x30 : 0x20), is64 ? 0x8664 : 0x14c, 4);
	put_le(file + (is64 ? 0xf98 : 0xf88), 1, 4);
	/* NumberOfRuns: mostly within the room (43 / 86), sometimes the input's. */
	uint32_t runs = (uint32_t)take(&in, 4);
	if (!(shape & 2))
		runs %= is64 ? 44 : 87;
	put_le(file + (is64 ? 0x88 : 0x64), runs, 4);
	/* Run[] up to ContextRecord: 0x98..0x348 (x64), 0x6c..0x320 (x86). */
	size_t first_run = is64 ? 0x98 : 0x6c, end = is64 ? 0x348 : 0x320;
	if (shape & 4) {
		take_bytes(&in, file + first_run, end - first_run);
	} else {
		/* Small PFNs and counts, so the runs often meet the file's pages. */
		unsigned width = is64 ? 8 : 4;
		for (size_t at = first_run; at + 2 * width <= end && in.used < in.size; at += 2 * width) {
			put_le(file + at, take(&in, 1) * (shape & 8 ? 0x10 : 1), width);
			put_le(file + at + width, take(&in, 1) % 16, width);
		}
	}
	for (size_t p = 0; p < pages; p++)
		memset(file + header + p * DUMP_PAGE_SIZE, (int)(p + 1), DUMP_PAGE_SIZE);
	open_and_walk(file, length);
	free(file);
	return 0;
}
