/* kdbg_scan_image: finding KDBG without a crash dump header.  MemProcFS
 * (dump-formats.md §6) searches ntoskrnl's .data section for the "KDBG"
 * tag at 4-byte steps and accepts the block (tag - 0x10) whose KernBase is
 * the kernel base.  An encoded block shows no tag, so every 8-byte aligned
 * position is also tried as one (x64 only), with the kernel base as known
 * plaintext (kdbg.c): the key that makes +0x18 decode to the kernel base
 * must make +0x10 decode to "KDBG".  With X = E[+0x10] ^ E[+0x18] that is
 *     low32(bswap64(rol64(X, r))) == low32(kernel base) ^ "KDBG",
 * i.e. high32(rol64(X, r)) == bswap32(low32(kernel base) ^ "KDBG"),
 * one rotate and compare per position and r; positions that pass go to
 * kdbg_read for the full check.
 *
 * The section is read a page at a time, each page once, through the
 * kernel's address space; a page the image lacks is skipped (a block
 * reaching into it cannot be read either).  At most SCAN_LIMIT bytes of
 * the section are scanned, so a hostile SizeOfImage costs nothing. */
#include <inttypes.h>
#include <string.h>

#include "kernel_internal.h"

/* CHECKS_LIMIT bounds the full checks a hostile section full of
 * near-candidates can ask for (each is a read and 64 rotations). */
enum { SCAN_LIMIT = 16 << 20, CHECKS_LIMIT = 1 << 16, BLOCK_BYTES = KDBG_WORDS * 8 };

static uint64_t u64_at(const unsigned char *at)
{
	uint64_t value;
	memcpy(&value, at, 8);
	return value;
}

static uint32_t u32_at(const unsigned char *at)
{
	uint32_t value;
	memcpy(&value, at, 4);
	return value;
}

static uint64_t rotate_left(uint64_t value, unsigned count)
{
	return count ? (value << count) | (value >> (64 - count)) : value;
}

struct scan {
	struct address_space *space;
	enum paging_mode paging;
	uint64_t kernel_base;
	uint32_t encoded_target; /* bswap32(low32(kernel base) ^ "KDBG") */
	unsigned absent_pages;
	unsigned checks;
	struct error *doubt;     /* the first position that decoded ambiguously */
};

static bool plain_candidate(const struct scan *scan, const unsigned char *block)
{
	uint64_t base = u64_at(block + 8 * KDBG_KERNBASE);
	if (scan->paging != PAGING_X64)
		base &= 0xffffffffULL;
	return u32_at(block + 8 * KDBG_TAG_AND_SIZE) == KDBG_OWNER_TAG && base == scan->kernel_base;
}

static bool encoded_candidate(const struct scan *scan, const unsigned char *block)
{
	uint64_t x = u64_at(block + 8 * KDBG_TAG_AND_SIZE) ^ u64_at(block + 8 * KDBG_KERNBASE);
	for (unsigned r = 0; r < 64; r++)
		if ((uint32_t)(rotate_left(x, r) >> 32) == scan->encoded_target)
			return true;
	return false;
}

/* Does the block at va, a candidate, read as KDBG with this KernBase? */
static bool accept(struct scan *scan, uint64_t va, struct kdbg_block *block)
{
	scan->checks++;
	struct error *error = kdbg_read(scan->space, scan->paging, va, known_u64(scan->kernel_base),
					block);
	if (!error)
		return block->kern_base == scan->kernel_base;
	if (!scan->doubt && error->code == ERROR_FORMAT)
		scan->doubt = error;
	else
		error_free(error);
	return false;
}

/* Positions in the page at window (followed by the next page when
 * next_present) from offset first to the last block that ends by end. */
static bool scan_page(struct scan *scan, uint64_t page, const unsigned char *window,
		      bool next_present, uint64_t first, uint64_t end, struct kdbg_block *block)
{
	for (uint64_t offset = first; offset < DUMP_PAGE_SIZE; offset += 4) {
		uint64_t va = page + offset;
		if (end - va < BLOCK_BYTES)
			return false;
		if ((offset + BLOCK_BYTES > DUMP_PAGE_SIZE && !next_present) ||
		    scan->checks >= CHECKS_LIMIT)
			return false;
		const unsigned char *at = window + offset;
		if (plain_candidate(scan, at) && accept(scan, va, block))
			return true;
		if (scan->paging == PAGING_X64 && offset % 8 == 0 && encoded_candidate(scan, at) &&
		    accept(scan, va, block))
			return true;
	}
	return false;
}

struct error *kdbg_scan_image(struct address_space *space, enum paging_mode paging,
			      uint64_t kernel_base, struct kdbg_block *block)
{
	memset(block, 0, sizeof *block);
	uint32_t rva, size;
	struct error *error = pe_section(space, kernel_base, ".data", &rva, &size);
	if (error)
		return error;
	uint32_t scanned = size < SCAN_LIMIT ? size : SCAN_LIMIT;
	uint64_t start = kernel_base + rva, end = start + scanned;
	if (end < start || (paging != PAGING_X64 && end > 0x100000000ULL))
		return error_new(ERROR_FORMAT,
				 "va 0x%" PRIx64 ": .data at RVA 0x%x runs past the address space",
				 kernel_base, rva);
	struct scan scan = { space, paging, kernel_base,
			     __builtin_bswap32((uint32_t)kernel_base ^ KDBG_OWNER_TAG), 0, 0, NULL };
	/* The current page and the next, for blocks that cross into it. */
	unsigned char window[2 * DUMP_PAGE_SIZE];
	uint64_t page = start & ~(uint64_t)(DUMP_PAGE_SIZE - 1);
	error = virtual_read(space, page, window + DUMP_PAGE_SIZE, DUMP_PAGE_SIZE);
	bool next_present = error == NULL;
	error_free(error);
	bool found = false;
	for (; page < end && !found && scan.checks < CHECKS_LIMIT; page += DUMP_PAGE_SIZE) {
		bool present = next_present;
		memcpy(window, window + DUMP_PAGE_SIZE, DUMP_PAGE_SIZE);
		next_present = false;
		if (end - page > DUMP_PAGE_SIZE) {
			error = virtual_read(space, page + DUMP_PAGE_SIZE, window + DUMP_PAGE_SIZE,
					     DUMP_PAGE_SIZE);
			next_present = error == NULL;
			error_free(error);
		}
		if (!present) {
			scan.absent_pages++;
			continue;
		}
		uint64_t first = page < start ? start - page : 0;
		found = scan_page(&scan, page, window, next_present, (first + 3) & ~3ULL, end, block);
	}
	if (found) {
		error_free(scan.doubt);
		return NULL;
	}
	memset(block, 0, sizeof *block);
	if (scan.doubt)
		return scan.doubt;
	if (scan.checks >= CHECKS_LIMIT)
		return error_new(ERROR_LIMIT,
				 "va 0x%" PRIx64 ": .data holds more than %d near-KDBG blocks; stopped",
				 kernel_base, CHECKS_LIMIT);
	return error_new(ERROR_ABSENT,
			 "no block with KernBase 0x%" PRIx64 " in .data (RVA 0x%x, 0x%x bytes "
			 "scanned, %u pages of them absent)",
			 kernel_base, rva, scanned, scan.absent_pages);
}
