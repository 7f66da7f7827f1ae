/* DumpType 2, 5, 6 (kernel, full and live-kernel bitmap dumps): a second
 * header "SDMP"/"FDMP" right after the crash dump header, then a bitmap with
 * one bit per PFN; the present pages follow one another from FirstPage in
 * increasing PFN order (dump-formats.md §5.1; kdmp-parser
 * BuildPhysmemBMPDump; vol3 crash.py).
 *
 * A PFN's page is found in O(1): the open counts the set bits before every
 * 512-bit block (the rank index, 1/64 of the bitmap's size), so a page's
 * position is that count plus at most eight popcounts. */
#include <inttypes.h>
#include <stdlib.h>

#include "windows_header.h"

/* The bitmap dump header, relative to its start (§5.1). */
enum {
	BITMAP_VALID_DUMP = 0x04,
	BITMAP_FIRST_PAGE = 0x20,
	BITMAP_TOTAL_PRESENT_PAGES = 0x28, /* not trusted: the bits are counted */
	BITMAP_PAGES = 0x30,               /* the number of bits */
	BITMAP_BITS = 0x38,
	WORDS_PER_BLOCK = 8,
	BITS_PER_BLOCK = 64 * WORDS_PER_BLOCK,
};

struct bitmap_index {
	const unsigned char *bits; /* in the mapping, LSB first (§5.1) */
	uint64_t pages;            /* bits in the bitmap */
	uint64_t bytes;            /* ⌈pages / 8⌉ */
	uint64_t first_page;       /* file offset of the first present page */
	uint64_t *rank;            /* set bits before each 512-bit block */
	uint64_t set_bits;
};

static bool probe_bitmap_dump(const unsigned char *head, size_t length)
{
	bool is64;
	uint32_t type;
	return windows_probe_header(head, length, &is64, &type) &&
	       (type == WINDOWS_DUMP_SUMMARY || type == WINDOWS_DUMP_BITMAP_FULL ||
		type == WINDOWS_DUMP_BITMAP_KERNEL);
}

/* Word w of the bitmap (bits 64w..64w+63), zero past its last bit. */
static uint64_t bitmap_word(const struct bitmap_index *index, uint64_t w)
{
	uint64_t start = w * 8;
	if (start >= index->bytes)
		return 0;
	uint64_t available = index->bytes - start;
	uint64_t word = dump_le(index->bits + start, available < 8 ? (unsigned)available : 8);
	uint64_t last_bit = index->pages - w * 64; /* bits of this word that exist */
	if (last_bit < 64)
		word &= (UINT64_C(1) << last_bit) - 1;
	return word;
}

static uint64_t word_count(const struct bitmap_index *index)
{
	return (index->pages + 63) / 64;
}

/* The bitmap is read once, in pieces of SCAN_PIECE bytes that are let go
 * of as the scan moves on: the file bounds a bitmap, not memory, and
 * found here, a 4 GiB bitmap in an 8 GiB sparse file left 4.7 GB
 * resident after the open. */
enum { SCAN_PIECE = 64 << 20 };

static void build_rank(const struct dump *dump, struct bitmap_index *index, uint64_t *set_bits)
{
	uint64_t blocks = (index->pages + BITS_PER_BLOCK - 1) / BITS_PER_BLOCK;
	index->rank = checked_malloc((size_t)(blocks ? blocks : 1) * sizeof *index->rank);
	uint64_t total = 0, bits_at = (uint64_t)(index->bits - dump->bytes);
	for (uint64_t w = 0; w < word_count(index); w++) {
		if (w % WORDS_PER_BLOCK == 0)
			index->rank[w / WORDS_PER_BLOCK] = total;
		total += (uint64_t)__builtin_popcountll(bitmap_word(index, w));
		if ((w + 1) * 8 % SCAN_PIECE == 0)
			dump_drop_resident(dump, bits_at + (w + 1) * 8 - SCAN_PIECE, SCAN_PIECE);
	}
	dump_drop_resident(dump, bits_at, index->bytes);
	index->set_bits = *set_bits = total;
}

/* Does the 512-bit block holding pfn have no bit set?  Asked of the rank
 * index, so that a walk over an empty stretch does not read it again. */
static bool block_is_empty(const struct bitmap_index *index, uint64_t pfn)
{
	uint64_t block = pfn / BITS_PER_BLOCK;
	uint64_t blocks = (index->pages + BITS_PER_BLOCK - 1) / BITS_PER_BLOCK;
	uint64_t after = block + 1 < blocks ? index->rank[block + 1] : index->set_bits;
	return after == index->rank[block];
}

/* The number of set bits before pfn. */
static uint64_t rank_of(const struct bitmap_index *index, uint64_t pfn)
{
	uint64_t w = pfn / 64;
	uint64_t rank = index->rank[pfn / BITS_PER_BLOCK];
	for (uint64_t i = w - w % WORDS_PER_BLOCK; i < w; i++)
		rank += (uint64_t)__builtin_popcountll(bitmap_word(index, i));
	uint64_t below = (UINT64_C(1) << (pfn % 64)) - 1;
	return rank + (uint64_t)__builtin_popcountll(bitmap_word(index, w) & below);
}

static bool bit_is_set(const struct bitmap_index *index, uint64_t pfn)
{
	return pfn < index->pages && (bitmap_word(index, pfn / 64) >> (pfn % 64) & 1);
}

static struct error *open_bitmap_dump(struct dump *dump)
{
	struct windows_header header;
	struct error *error = windows_header_read(dump, &header);
	if (error)
		return error;
	const char *path = dump->path;
	uint64_t at = header.size; /* 0x2000 x64; 0x1000 x86 (vol3 headerpages) */
	if (!dump_holds(dump, at, BITMAP_BITS))
		return error_at_offset(ERROR_TRUNCATED, path, dump->size,
				       "the file ends inside the bitmap dump header at 0x%" PRIx64, at);
	if (!dump_tag_is(dump->bytes + at, "SDMP") && !dump_tag_is(dump->bytes + at, "FDMP"))
		return error_at_offset(ERROR_FORMAT, path, at,
				       "bitmap dump signature is 0x%08" PRIx32 ", not \"SDMP\" or \"FDMP\"",
				       dump_u32(dump, at));
	if (!dump_tag_is(dump->bytes + at + BITMAP_VALID_DUMP, "DUMP"))
		return error_at_offset(ERROR_FORMAT, path, at + BITMAP_VALID_DUMP,
				       "bitmap dump ValidDump is 0x%08" PRIx32 ", not \"DUMP\"",
				       dump_u32(dump, at + BITMAP_VALID_DUMP));
	uint64_t pages = dump_u64(dump, at + BITMAP_PAGES);
	if (pages > DUMP_PFN_LIMIT)
		return error_at_offset(ERROR_FORMAT, path, at + BITMAP_PAGES,
				       "the bitmap has 0x%" PRIx64 " bits, past the 52-bit physical "
				       "address space", pages);
	uint64_t bits_at = at + BITMAP_BITS, bytes = (pages + 7) / 8;
	if (!dump_holds(dump, bits_at, bytes))
		return error_at_offset(ERROR_TRUNCATED, path, dump->size,
				       "the file ends inside the bitmap (0x%" PRIx64 " bits from 0x%" PRIx64
				       " need the file to reach 0x%" PRIx64 ")", pages, bits_at,
				       bits_at + bytes);
	uint64_t first_page = dump_u64(dump, at + BITMAP_FIRST_PAGE);
	if (first_page < bits_at + bytes)
		return error_at_offset(ERROR_FORMAT, path, at + BITMAP_FIRST_PAGE,
				       "FirstPage 0x%" PRIx64 " lies inside the bitmap dump header "
				       "(which ends at 0x%" PRIx64 ")", first_page, bits_at + bytes);
	if (first_page > dump->size)
		return error_at_offset(ERROR_TRUNCATED, path, at + BITMAP_FIRST_PAGE,
				       "FirstPage 0x%" PRIx64 " lies past the end of the file (0x%" PRIx64
				       " bytes)", first_page, dump->size);

	struct bitmap_index *index = checked_calloc(1, sizeof *index);
	dump->locator = index;
	index->bits = dump->bytes + bits_at;
	index->pages = pages;
	index->bytes = bytes;
	index->first_page = first_page;
	/* TotalPresentPages is only what the writer meant to store; the set bits
	 * decide, and those past the end of the file are absent. */
	build_rank(dump, index, &dump->pages_claimed);
	return NULL;
}

static bool locate_bitmap_page(const struct dump *dump, uint64_t pfn, uint64_t *file_offset)
{
	const struct bitmap_index *index = dump->locator;
	if (!bit_is_set(index, pfn))
		return false;
	/* first_page ≤ the file size and rank < 2^40: no overflow. */
	*file_offset = index->first_page + rank_of(index, pfn) * DUMP_PAGE_SIZE;
	return true;
}

/* The first bit at or after pfn that equals want; index->pages when none. */
static uint64_t next_bit(const struct bitmap_index *index, uint64_t pfn, bool want)
{
	while (pfn < index->pages) {
		if (want && pfn % BITS_PER_BLOCK == 0 && block_is_empty(index, pfn)) {
			pfn += BITS_PER_BLOCK;
			continue;
		}
		uint64_t word = bitmap_word(index, pfn / 64);
		if (!want)
			word = ~word;
		word &= ~((UINT64_C(1) << (pfn % 64)) - 1);
		if (word) {
			uint64_t found = pfn - pfn % 64 + (uint64_t)__builtin_ctzll(word);
			return found < index->pages ? found : index->pages;
		}
		pfn = pfn - pfn % 64 + 64;
	}
	return index->pages;
}

static bool next_bitmap_extent(const struct dump *dump, uint64_t from_pfn,
			       struct dump_extent *extent)
{
	const struct bitmap_index *index = dump->locator;
	uint64_t first = next_bit(index, from_pfn, true);
	if (first >= index->pages)
		return false;
	uint64_t offset = index->first_page + rank_of(index, first) * DUMP_PAGE_SIZE;
	if (offset >= dump->size)
		return false; /* every later page lies further on */
	extent->first_pfn = first;
	extent->count = next_bit(index, first, false) - first;
	extent->file_offset = offset;
	return true;
}

static void close_bitmap_dump(struct dump *dump)
{
	struct bitmap_index *index = dump->locator;
	if (index)
		free(index->rank);
	free(index);
	dump->locator = NULL;
}

const struct dump_format_ops windows_bitmap_dump_format = {
	.name = "Windows crash dump",
	.probe = probe_bitmap_dump,
	.open = open_bitmap_dump,
	.locate = locate_bitmap_page,
	.next_extent = next_bitmap_extent,
	.close = close_bitmap_dump,
};
