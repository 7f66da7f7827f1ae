/* libFuzzer target for bitmap dumps, DumpType 2/5/6 (windows_bitmap.c): a
 * valid crash dump header is built here with the "SDMP"/"FDMP" header after
 * it (dump-formats.md §5.1); the input chooses the signatures (good or
 * not), the number of bits, the bitmap's bytes, FirstPage (where the
 * layout puts it, moved a little, or the input's own value) and how much
 * page data follows, so the fuzzer works on the rank index, the extent
 * scan, overclaiming bitmaps and truncation. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dump_fuzz.h"

enum { MAX_PAGES = 48, MAX_BITMAP_BYTES = 8192 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };
	uint8_t shape = (uint8_t)take(&in, 1);
	bool is64 = !(shape & 1);
	size_t at = is64 ? 0x2000 : 0x1000; /* vol3: page_size * headerpages */
	static const uint32_t types[] = { 2, 5, 6, 6 };
	uint32_t type = types[shape >> 1 & 3];
	/* Bits: mostly what a bitmap of at most 8 KiB holds; sometimes any. */
	uint64_t bits = take(&in, 8);
	size_t bitmap_bytes;
	if (shape & 8) {
		bitmap_bytes = (size_t)take(&in, 2) % MAX_BITMAP_BYTES;
	} else {
		bits %= MAX_BITMAP_BYTES * 8 + 1;
		bitmap_bytes = (size_t)((bits + 7) / 8);
	}
	size_t bitmap_end = at + 0x38 + bitmap_bytes;
	size_t first_page = (bitmap_end + 0xfff) & ~(size_t)0xfff;
	uint64_t first_page_field = first_page;
	if (shape & 16)
		first_page_field = take(&in, 8);
	else if (shape & 32)
		first_page_field = first_page - 0x40 + take(&in, 1);
	size_t pages = take(&in, 1) % (MAX_PAGES + 1);
	size_t cut = (size_t)take(&in, 2) % DUMP_PAGE_SIZE;
	size_t length = first_page + pages * DUMP_PAGE_SIZE + cut;
	if (shape & 64) /* cut anywhere, header and bitmap included */
		length = (size_t)take(&in, 2) % (length + 1);
	uint8_t *file = calloc(1, first_page + pages * DUMP_PAGE_SIZE + cut);
	memcpy(file, is64 ? "PAGEDU64" : "PAGEDUMP", 8);
	put_le(file + (is64 ? 0xf98 : 0xf88), type, 4);
	uint8_t *second = file + at;
	memcpy(second, type == 5 ? "FDMP" : "SDMP", 4);
	memcpy(second + 4, "DUMP", 4);
	if (shape & 128)
		take_bytes(&in, second, 8); /* signature and ValidDump from the input */
	put_le(second + 0x20, first_page_field, 8);
	put_le(second + 0x28, take(&in, 4), 8); /* TotalPresentPages: not trusted */
	put_le(second + 0x30, bits, 8);
	take_bytes(&in, second + 0x38, bitmap_bytes);
	for (size_t p = 0; p < pages; p++)
		memset(file + first_page + p * DUMP_PAGE_SIZE, (int)(p + 1), DUMP_PAGE_SIZE);
	/* A copy of exactly the length, so ASan sees a read past the end. */
	uint8_t *exact = malloc(length ? length : 1);
	memcpy(exact, file, length);
	free(file);
	open_and_walk(exact, length);
	free(exact);
	return 0;
}
