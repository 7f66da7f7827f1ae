/* libFuzzer target for "RDMP" dumps, DumpType 8/9/0xA (windows_rdmp.c,
 * run_table.c): a "PAGEDU64" header and an RDMP_HEADER64 at 0x2000 are
 * built here (dump-formats.md §5.3); the input chooses the DumpType, the
 * Marker/Signature (good or not), MetadataSize and FirstPageOffset (agreeing
 * as kdmp-parser's sanity check wants, or the input's own), TotalNumber-
 * OfPages, the {PFN, count} ranges and how much page data follows. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dump_fuzz.h"

enum { MAX_PAGES = 48, MAX_RANGES = 512 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };
	uint8_t shape = (uint8_t)take(&in, 1);
	static const uint32_t types[] = { 8, 9, 0xa, 0xa };
	uint32_t type = types[shape & 3];
	size_t ranges = (size_t)take(&in, 2) % (MAX_RANGES + 1);
	/* The list, then (maybe) room for a terminator, up to a page boundary. */
	size_t list_end = 0x2030 + 16 * (ranges + (shape & 4 ? 0 : 1));
	size_t first_page = (list_end + 0xfff) & ~(size_t)0xfff;
	size_t pages = take(&in, 1) % (MAX_PAGES + 1);
	size_t cut = (size_t)take(&in, 2) % DUMP_PAGE_SIZE;
	size_t full = first_page + pages * DUMP_PAGE_SIZE + cut;
	size_t length = full;
	if (shape & 8)
		length = (size_t)take(&in, 2) % (full + 1);
	uint8_t *file = calloc(1, full);
	memcpy(file, "PAGEDU64", 8);
	put_le(file + 0x30, 0x8664, 4);
	put_le(file + 0xf98, type, 4);
	uint8_t *rdmp = file + 0x2000;
	put_le(rdmp, 0x40, 4);
	memcpy(rdmp + 4, "RDMP", 4);
	memcpy(rdmp + 8, "DUMP", 4);
	if (shape & 16)
		take_bytes(&in, rdmp, 12);
	uint64_t metadata_size = first_page - 0x2020, first_page_field = first_page;
	if (shape & 32) {
		metadata_size = take(&in, 8);
		first_page_field = take(&in, 8);
	} else if (shape & 64) {
		/* Agreeing, but elsewhere: the list may end before or after them. */
		first_page_field = 0x2040 + take(&in, 2);
		metadata_size = first_page_field - 0x2020;
	}
	put_le(rdmp + 0x10, metadata_size, 8);
	put_le(rdmp + 0x18, first_page_field, 8);
	put_le(rdmp + 0x20, ranges, 4);
	put_le(rdmp + 0x28, take(&in, 2), 8); /* TotalNumberOfPages (0xA) */
	for (size_t i = 0; i < ranges && in.used < in.size; i++) {
		uint8_t *entry = rdmp + 0x30 + 16 * i;
		if (shape & 128) {
			take_bytes(&in, entry, 16);
		} else {
			put_le(entry, take(&in, 1), 8);
			put_le(entry + 8, take(&in, 1) % 8, 8);
		}
	}
	for (size_t p = 0; p < pages; p++)
		memset(file + first_page + p * DUMP_PAGE_SIZE, (int)(p + 1), DUMP_PAGE_SIZE);
	uint8_t *exact = malloc(length ? length : 1);
	memcpy(exact, file, length);
	free(file);
	open_and_walk(exact, length);
	free(exact);
	return 0;
}
