/* The Windows crash dump reader (src/source/windows_*.c, dump_open.c):
 * every layout read back byte for byte from dumps the forge writes and from
 * small images built here by hand, damaged ones refused with the file and
 * the offset or opened with exactly the right pages absent, and the format
 * probe of source_identify. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../forge/forge.h"
#include "../../src/source/source.h"

/* --- Images built by hand (layouts: ../shared/docs/dump-formats.md) ----- */

struct image {
	unsigned char *bytes;
	size_t size;
};

static void put(unsigned char *at, uint64_t value, unsigned width)
{
	for (unsigned i = 0; i < width; i++)
		at[i] = (unsigned char)(value >> (8 * i));
}

/* Every 8-byte word of a hand-made page holds this value of its physical
 * address, so a page read from the wrong place shows. */
static uint64_t hand_pattern(uint64_t address)
{
	return address * UINT64_C(0x9e3779b97f4a7c15) + 0x5a;
}

static void fill_page(unsigned char *page, uint64_t pfn)
{
	for (unsigned i = 0; i < DUMP_PAGE_SIZE; i += 8)
		put(page + i, hand_pattern(pfn * DUMP_PAGE_SIZE + i), 8);
}

static bool page_is(const unsigned char *page, uint64_t pfn, uint64_t (*pattern)(uint64_t))
{
	for (unsigned i = 0; i < DUMP_PAGE_SIZE; i += 8) {
		uint64_t word = 0;
		for (unsigned b = 8; b-- > 0;)
			word = word << 8 | page[i + b];
		if (word != pattern(pfn * DUMP_PAGE_SIZE + i))
			return false;
	}
	return true;
}

static struct image image_new(size_t size)
{
	return (struct image){ checked_calloc(1, size), size };
}

static void image_free(struct image *image)
{
	free(image->bytes);
	image->bytes = NULL;
}

/* DUMP_HEADER64 (§1) with the facts the tests look for. */
static void header64(struct image *image, uint32_t dump_type)
{
	unsigned char *h = image->bytes;
	memcpy(h, "PAGEDU64", 8);
	put(h + 0x08, 0xf, 4);
	put(h + 0x0c, 19041, 4);
	put(h + 0x10, 0x1aa000, 8);
	put(h + 0x18, 0xfffffa8000000000, 8);
	put(h + 0x20, 0xfffff8015f22a2d0, 8);
	put(h + 0x28, 0xfffff8015f21e0c0, 8);
	put(h + 0x30, 0x8664, 4);
	put(h + 0x34, 4, 4);
	put(h + 0x38, 0xe2, 4);
	for (unsigned i = 0; i < 4; i++)
		put(h + 0x40 + 8 * i, 0x1000 + i, 8);
	put(h + 0x80, 0xfffff8015f200b20, 8);
	put(h + 0xf98, dump_type, 4);
	put(h + 0xfa0, image->size, 8);
	put(h + 0xfa8, 0x01d9c1f2a3b4c5d6, 8);
	memcpy(h + 0xfb0, "made by hand", 12);
	put(h + 0x1030, 0x123456789, 8);
	put(h + 0x1050, 0x20, 4);
}

/* DUMP_HEADER32 (§2). */
static void header32(struct image *image, uint32_t dump_type, bool pae)
{
	unsigned char *h = image->bytes;
	memcpy(h, "PAGEDUMP", 8);
	put(h + 0x08, 0xf, 4);
	put(h + 0x0c, 2600, 4);
	put(h + 0x10, pae ? 0x39c000 + 0x20 : 0x39000, 4);
	put(h + 0x14, 0x80d00000, 4);
	put(h + 0x18, 0x8055a420, 4);
	put(h + 0x1c, 0x8055b158, 4);
	put(h + 0x20, 0x14c, 4);
	put(h + 0x24, 2, 4);
	put(h + 0x28, 0xe2, 4);
	for (unsigned i = 0; i < 4; i++)
		put(h + 0x2c + 4 * i, 0x2000 + i, 4);
	h[0x5c] = pae;
	put(h + 0x60, 0x80545b60, 4);
	memcpy(h + 0x820, "x86 by hand", 11);
	put(h + 0x8a0, 0x1, 4);
	put(h + 0xf88, dump_type, 4);
	put(h + 0xfa0, image->size, 8);
	put(h + 0xfb8, 0x987654321, 8);
	put(h + 0xfc0, 0x01c1c1c1c1c1c1c1, 8);
}

struct run {
	uint64_t base, count;
};

static uint64_t pages_of(const struct run *runs, size_t n)
{
	uint64_t pages = 0;
	for (size_t i = 0; i < n; i++)
		pages += runs[i].count;
	return pages;
}

/* DumpType 1 (§4): runs in the order given, their pages after the header. */
static struct image full_dump(bool is64, bool pae, const struct run *runs, size_t n)
{
	size_t header = is64 ? 0x2000 : 0x1000;
	struct image image = image_new(header + pages_of(runs, n) * DUMP_PAGE_SIZE);
	if (is64)
		header64(&image, 1);
	else
		header32(&image, 1, pae);
	unsigned char *block = image.bytes + (is64 ? 0x88 : 0x64);
	unsigned width = is64 ? 8 : 4;
	put(block, n, 4);
	put(block + (is64 ? 8 : 4), pages_of(runs, n), width);
	unsigned char *page = image.bytes + header;
	for (size_t i = 0; i < n; i++) {
		unsigned char *run = block + (is64 ? 0x10 : 8) + i * 2 * width;
		put(run, runs[i].base, width);
		put(run + width, runs[i].count, width);
		for (uint64_t p = 0; p < runs[i].count; p++, page += DUMP_PAGE_SIZE)
			fill_page(page, runs[i].base + p);
	}
	return image;
}

/* DumpType 5/6 (§5.1) over `bits` PFNs; present(pfn) says which. */
static struct image bitmap_dump(uint32_t dump_type, const char *signature, uint64_t bits,
				bool (*present)(uint64_t pfn))
{
	uint64_t count = 0;
	for (uint64_t pfn = 0; pfn < bits; pfn++)
		count += present(pfn);
	uint64_t bytes = (bits + 7) / 8;
	uint64_t first_page = (0x2038 + bytes + 0xfff) & ~UINT64_C(0xfff);
	struct image image = image_new(first_page + count * DUMP_PAGE_SIZE);
	header64(&image, dump_type);
	unsigned char *h = image.bytes + 0x2000;
	memcpy(h, signature, 4);
	memcpy(h + 4, "DUMP", 4);
	put(h + 0x20, first_page, 8);
	put(h + 0x28, count, 8);
	put(h + 0x30, bits, 8);
	unsigned char *page = image.bytes + first_page;
	for (uint64_t pfn = 0; pfn < bits; pfn++) {
		if (!present(pfn))
			continue;
		h[0x38 + pfn / 8] |= (unsigned char)(1u << (pfn % 8));
		fill_page(page, pfn);
		page += DUMP_PAGE_SIZE;
	}
	return image;
}

/* DumpType 8/9/0xA (§5.3): ranges, then a PFN-0 terminator. */
static struct image rdmp_dump(uint32_t dump_type, const struct run *ranges, size_t n)
{
	uint64_t first_page = (0x2030 + (n + 1) * 16 + 0xfff) & ~UINT64_C(0xfff);
	struct image image = image_new(first_page + pages_of(ranges, n) * DUMP_PAGE_SIZE);
	header64(&image, dump_type);
	unsigned char *h = image.bytes + 0x2000;
	put(h, 0x40, 4);
	memcpy(h + 4, "RDMP", 4);
	memcpy(h + 8, "DUMP", 4);
	put(h + 0x10, first_page - 0x2020, 8); /* MetadataSize - 0x20 == FirstPageOffset - 0x2040 */
	put(h + 0x18, first_page, 8);
	if (dump_type == 0xa) {
		put(h + 0x20, n, 4);
		put(h + 0x28, pages_of(ranges, n), 8);
	}
	unsigned char *page = image.bytes + first_page;
	for (size_t i = 0; i < n; i++) {
		put(h + 0x30 + 16 * i, ranges[i].base, 8);
		put(h + 0x38 + 16 * i, ranges[i].count, 8);
		for (uint64_t p = 0; p < ranges[i].count; p++, page += DUMP_PAGE_SIZE)
			fill_page(page, ranges[i].base + p);
	}
	return image;
}

/* An opened copy of an image in a buffer of exactly its size, so ASan sees
 * any read past its end. */
struct opened {
	struct dump *dump;
	unsigned char *copy;
};

static struct error *open_copy(const struct image *image, size_t size, struct opened *opened)
{
	opened->copy = checked_malloc(size);
	memcpy(opened->copy, image->bytes, size);
	struct error *error = dump_open_memory(opened->copy, size, "hand.dmp", DUMP_DETECT,
					       &opened->dump);
	if (error) {
		free(opened->copy);
		opened->copy = NULL;
	}
	return error;
}

static void close_copy(struct opened *opened)
{
	dump_close(opened->dump);
	free(opened->copy);
}

/* Opening the first size bytes of image fails with exactly this error. */
static void expect_refusal(const struct image *image, size_t size, enum error_code code,
			   const char *message)
{
	struct opened opened;
	struct error *error = open_copy(image, size, &opened);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, code);
	CU_ASSERT_STRING_EQUAL(error->message, message);
	if (strcmp(error->message, message) != 0)
		fprintf(stderr, "\n  got:      %s\n  expected: %s\n", error->message, message);
	error_free(error);
}

/* Walks every extent: data matches dump_page; returns the pages seen. */
static uint64_t walk_extents(struct dump *dump, uint64_t *ranges)
{
	struct page_extent extent;
	uint64_t pfn = 0, pages = 0;
	*ranges = 0;
	while (dump_next_extent(dump, pfn, &extent)) {
		CU_ASSERT_TRUE_FATAL(extent.first_pfn >= pfn && extent.count > 0);
		for (uint64_t i = 0; i < extent.count; i++) {
			struct error *error;
			const unsigned char *page = dump_page(dump, extent.first_pfn + i, &error);
			CU_ASSERT_PTR_NULL(error);
			CU_ASSERT_PTR_EQUAL(page, extent.data + i * DUMP_PAGE_SIZE);
		}
		pages += extent.count;
		++*ranges;
		pfn = extent.first_pfn + extent.count;
	}
	return pages;
}

static void expect_absent(struct dump *dump, uint64_t pfn)
{
	struct error *error;
	const unsigned char *page = dump_page(dump, pfn, &error);
	CU_ASSERT_PTR_NULL(page);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	char expected[256];
	snprintf(expected, sizeof expected, "%s: physical address 0x%" PRIx64 " is not in the dump",
		 dump_path(dump), pfn * DUMP_PAGE_SIZE);
	CU_ASSERT_STRING_EQUAL(error->message, expected);
	error_free(error);
}

static void expect_hand_page(struct dump *dump, uint64_t pfn)
{
	struct error *error;
	const unsigned char *page = dump_page(dump, pfn, &error);
	CU_ASSERT_PTR_NULL(error);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	CU_ASSERT_TRUE(page_is(page, pfn, hand_pattern));
	error_free(error);
}

/* Every PFN below limit reads back exactly when present(pfn). */
static void expect_pages(struct dump *dump, uint64_t limit, bool (*present)(uint64_t))
{
	for (uint64_t pfn = 0; pfn < limit; pfn++) {
		if (present(pfn))
			expect_hand_page(dump, pfn);
		else
			expect_absent(dump, pfn);
	}
}

static const struct run unsorted_runs[] = { { 0x100, 2 }, { 0x10, 3 }, { 0x40, 1 } };

static bool in_unsorted_runs(uint64_t pfn)
{
	for (size_t i = 0; i < 3; i++)
		if (pfn >= unsorted_runs[i].base && pfn < unsorted_runs[i].base + unsorted_runs[i].count)
			return true;
	return false;
}

static void full_dump_runs_in_any_order_read_back(void)
{
	struct image image = full_dump(true, false, unsorted_runs, 3);
	struct opened opened;
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
	const struct dump_facts *facts = dump_facts(opened.dump);
	CU_ASSERT_STRING_EQUAL(facts->format_name, "Windows crash dump");
	CU_ASSERT_EQUAL(facts->present_pages, 6);
	CU_ASSERT_EQUAL(facts->page_ranges, 3);
	CU_ASSERT_EQUAL(facts->max_pfn, 0x102);
	CU_ASSERT_EQUAL(facts->pages_missing_from_file, 0);
	CU_ASSERT_EQUAL(facts->file_size, image.size);
	expect_pages(opened.dump, 0x110, in_unsorted_runs);
	/* The file keeps Run[] order: PFN 0x10 is the third page after the header. */
	struct error *error;
	CU_ASSERT_PTR_EQUAL(dump_page(opened.dump, 0x10, &error), opened.copy + 0x2000 + 2 * 0x1000);
	struct page_extent extent;
	CU_ASSERT_TRUE_FATAL(dump_next_extent(opened.dump, 0, &extent));
	CU_ASSERT_EQUAL(extent.first_pfn, 0x10);
	CU_ASSERT_EQUAL(extent.count, 3);
	CU_ASSERT_TRUE_FATAL(dump_next_extent(opened.dump, 0x11, &extent));
	CU_ASSERT_EQUAL(extent.first_pfn, 0x11);
	CU_ASSERT_EQUAL(extent.count, 2);
	CU_ASSERT_PTR_EQUAL(extent.data, opened.copy + 0x2000 + 3 * 0x1000);
	CU_ASSERT_TRUE_FATAL(dump_next_extent(opened.dump, 0x13, &extent));
	CU_ASSERT_EQUAL(extent.first_pfn, 0x40);
	CU_ASSERT_FALSE(dump_next_extent(opened.dump, 0x102, &extent));
	uint64_t ranges;
	CU_ASSERT_EQUAL(walk_extents(opened.dump, &ranges), 6);
	CU_ASSERT_EQUAL(ranges, 3);
	/* PFNs far out, and past the 52-bit space, are absent, not a crash. */
	expect_absent(opened.dump, 0xfffffffffULL);
	CU_ASSERT_PTR_NULL(dump_page(opened.dump, UINT64_MAX, &error));
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	CU_ASSERT_STRING_EQUAL(error->message,
			       "hand.dmp: page frame 0xffffffffffffffff is not in the dump");
	error_free(error);
	close_copy(&opened);
	image_free(&image);
}

static void header_facts_are_read(void)
{
	struct image image = full_dump(true, false, unsorted_runs, 1);
	struct opened opened;
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
	const struct dump_facts *f = dump_facts(opened.dump);
	CU_ASSERT_EQUAL(f->arch, DUMP_ARCH_X64);
	CU_ASSERT_STRING_EQUAL(dump_arch_name(f->arch), "x64");
	CU_ASSERT_EQUAL(f->pae, -1);
	CU_ASSERT_KNOWN_EQUAL(f->dump_type, 1);
	CU_ASSERT_STRING_EQUAL(f->dump_type_name, "FULL");
	CU_ASSERT_KNOWN_EQUAL(f->major_version, 0xf);
	CU_ASSERT_KNOWN_EQUAL(f->minor_version, 19041);
	CU_ASSERT_KNOWN_EQUAL(f->directory_table_base, 0x1aa000);
	CU_ASSERT_KNOWN_EQUAL(f->pfn_database, 0xfffffa8000000000);
	CU_ASSERT_KNOWN_EQUAL(f->ps_loaded_module_list, 0xfffff8015f22a2d0);
	CU_ASSERT_KNOWN_EQUAL(f->ps_active_process_head, 0xfffff8015f21e0c0);
	CU_ASSERT_KNOWN_EQUAL(f->machine_image_type, 0x8664);
	CU_ASSERT_KNOWN_EQUAL(f->processors, 4);
	CU_ASSERT_KNOWN_EQUAL(f->bugcheck_code, 0xe2);
	for (unsigned i = 0; i < 4; i++)
		CU_ASSERT_KNOWN_EQUAL(f->bugcheck_parameters[i], 0x1000 + i);
	CU_ASSERT_KNOWN_EQUAL(f->kd_debugger_data_block, 0xfffff8015f200b20);
	CU_ASSERT_KNOWN_EQUAL(f->required_dump_space, image.size);
	CU_ASSERT_KNOWN_EQUAL(f->system_time, 0x01d9c1f2a3b4c5d6);
	CU_ASSERT_KNOWN_EQUAL(f->system_uptime, 0x123456789);
	CU_ASSERT_KNOWN_EQUAL(f->attributes, 0x20);
	CU_ASSERT_STRING_EQUAL(f->comment, "made by hand");
	close_copy(&opened);
	image_free(&image);
}

static void x86_header_facts_are_read(void)
{
	static const struct run runs[] = { { 0x39c, 1 }, { 0x400, 4 } };
	for (int pae = 0; pae <= 1; pae++) {
		struct image image = full_dump(false, pae, runs, 2);
		struct opened opened;
		CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
		const struct dump_facts *f = dump_facts(opened.dump);
		CU_ASSERT_EQUAL(f->arch, DUMP_ARCH_X86);
		CU_ASSERT_EQUAL(f->pae, pae);
		CU_ASSERT_STRING_EQUAL(f->dump_type_name, "FULL");
		CU_ASSERT_KNOWN_EQUAL(f->minor_version, 2600);
		CU_ASSERT_KNOWN_EQUAL(f->directory_table_base, pae ? 0x39c020 : 0x39000);
		CU_ASSERT_KNOWN_EQUAL(f->pfn_database, 0x80d00000);
		CU_ASSERT_KNOWN_EQUAL(f->ps_loaded_module_list, 0x8055a420);
		CU_ASSERT_KNOWN_EQUAL(f->ps_active_process_head, 0x8055b158);
		CU_ASSERT_KNOWN_EQUAL(f->machine_image_type, 0x14c);
		CU_ASSERT_KNOWN_EQUAL(f->processors, 2);
		CU_ASSERT_KNOWN_EQUAL(f->bugcheck_code, 0xe2);
		for (unsigned i = 0; i < 4; i++)
			CU_ASSERT_KNOWN_EQUAL(f->bugcheck_parameters[i], 0x2000 + i);
		CU_ASSERT_KNOWN_EQUAL(f->kd_debugger_data_block, 0x80545b60);
		CU_ASSERT_KNOWN_EQUAL(f->attributes, 1);
		CU_ASSERT_KNOWN_EQUAL(f->system_uptime, 0x987654321);
		CU_ASSERT_KNOWN_EQUAL(f->system_time, 0x01c1c1c1c1c1c1c1);
		CU_ASSERT_STRING_EQUAL(f->comment, "x86 by hand");
		CU_ASSERT_EQUAL(f->present_pages, 5);
		/* x86 pages start at 0x1000, right after the 0x1000-byte header. */
		struct error *error;
		CU_ASSERT_PTR_EQUAL(dump_page(opened.dump, 0x400, &error), opened.copy + 0x2000);
		expect_hand_page(opened.dump, 0x39c);
		expect_hand_page(opened.dump, 0x403);
		expect_absent(opened.dump, 0x404);
		close_copy(&opened);
		image_free(&image);
	}
}

/* Windows fills unused header space with "PAGE": such fields are unknown. */
static void page_fill_reads_as_unknown(void)
{
	struct image image = full_dump(true, false, unsorted_runs, 1);
	for (size_t at = 0x80; at < 0x88; at += 4)
		memcpy(image.bytes + at, "PAGE", 4);
	for (size_t at = 0xfb0; at < 0x1030; at += 4)
		memcpy(image.bytes + at, "PAGE", 4);
	memcpy(image.bytes + 0x34, "PAGE", 4);
	struct opened opened;
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
	const struct dump_facts *f = dump_facts(opened.dump);
	CU_ASSERT_FALSE(f->kd_debugger_data_block.known);
	CU_ASSERT_FALSE(f->processors.known);
	CU_ASSERT_STRING_EQUAL(f->comment, "");
	CU_ASSERT_TRUE(f->ps_active_process_head.known);
	close_copy(&opened);
	image_free(&image);
}

static void absurd_runs_are_refused(void)
{
	struct image image = full_dump(true, false, unsorted_runs, 3);
	put(image.bytes + 0x88, 0xffffffff, 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x88: NumberOfRuns is 4294967295; the header has room for 43 runs");
	put(image.bytes + 0x88, 44, 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x88: NumberOfRuns is 44; the header has room for 43 runs");
	put(image.bytes + 0x88, 3, 4);
	put(image.bytes + 0xa8, UINT64_C(1) << 40, 8);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0xa8: run 1 (BasePage 0x10000000000, PageCount 0x3) "
		       "reaches past the 52-bit physical address space");
	put(image.bytes + 0xa8, 0x10, 8);
	put(image.bytes + 0xb0, UINT64_MAX, 8);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0xa8: run 1 (BasePage 0x10, PageCount 0xffffffffffffffff) "
		       "reaches past the 52-bit physical address space");
	image_free(&image);

	static const struct run x86_runs[] = { { 1, 1 } };
	image = full_dump(false, true, x86_runs, 1);
	put(image.bytes + 0x64, 87, 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x64: NumberOfRuns is 87; the header has room for 86 runs");
	image_free(&image);
}

static void overlapping_runs_are_refused(void)
{
	static const struct run runs[] = { { 0x10, 0x10 }, { 0x40, 1 }, { 0x18, 4 } };
	struct image image = full_dump(true, false, runs, 3);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0xb8: run 2 (PFNs 0x18-0x1b) overlaps run 0 (PFNs 0x10-0x1f)");
	image_free(&image);
	static const struct run ranges[] = { { 0x10, 2 }, { 0x11, 1 } };
	image = rdmp_dump(8, ranges, 2);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2040: range 1 (PFNs 0x11-0x11) overlaps range 0 (PFNs 0x10-0x11)");
	image_free(&image);
}

static void empty_run_list_opens_empty(void)
{
	struct image image = full_dump(true, false, NULL, 0);
	struct opened opened;
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
	CU_ASSERT_EQUAL(dump_facts(opened.dump)->present_pages, 0);
	struct page_extent extent;
	CU_ASSERT_FALSE(dump_next_extent(opened.dump, 0, &extent));
	expect_absent(opened.dump, 0);
	close_copy(&opened);
	image_free(&image);
}

/* A full dump cut short: the pages still in the file read back; the rest
 * are absent, counted, and named as cut off. */
static void truncated_full_dump_opens_with_its_tail_absent(void)
{
	static const struct run runs[] = { { 0x10, 4 }, { 0x20, 4 } };
	struct image image = full_dump(true, false, runs, 2);
	size_t cut = 0x2000 + 5 * 0x1000 + 0x800; /* mid-page: the 6th page is partial */
	struct opened opened;
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, cut, &opened));
	const struct dump_facts *f = dump_facts(opened.dump);
	CU_ASSERT_EQUAL(f->present_pages, 5);
	CU_ASSERT_EQUAL(f->pages_missing_from_file, 3);
	CU_ASSERT_EQUAL(f->page_ranges, 2);
	CU_ASSERT_EQUAL(f->max_pfn, 0x21);
	expect_hand_page(opened.dump, 0x13);
	expect_hand_page(opened.dump, 0x20);
	struct error *error;
	CU_ASSERT_PTR_NULL(dump_page(opened.dump, 0x21, &error));
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	CU_ASSERT_STRING_EQUAL(error->message,
			       "hand.dmp: physical address 0x21000 is not in the dump: the file ends at "
			       "0x7800, before its page at offset 0x7000 (3 of the dump's pages are cut off)");
	error_free(error);
	uint64_t ranges;
	CU_ASSERT_EQUAL(walk_extents(opened.dump, &ranges), 5);
	close_copy(&opened);
	expect_refusal(&image, 0x2000, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2000: the file ends before the first page of data: "
		       "none of the dump's 8 pages are in it");
	expect_refusal(&image, 0x2fff, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2fff: the file ends before the first page of data: "
		       "none of the dump's 8 pages are in it");
	expect_refusal(&image, 0x1fff, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x1fff: the file ends inside the 0x2000-byte crash dump "
		       "header (DUMP_HEADER64)");
	expect_refusal(&image, 0x10, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x10: the file ends inside the 0x2000-byte crash dump "
		       "header (DUMP_HEADER64)");
	expect_refusal(&image, 0, ERROR_FORMAT, "hand.dmp: empty file");
	image_free(&image);
}

static bool sparse_bits(uint64_t pfn)
{
	/* Runs of every length, across 512-bit blocks, and long gaps. */
	return (pfn % 7 == 0 || pfn % 11 < 3 || (pfn >= 1500 && pfn < 2600)) && pfn % 1000 != 999;
}

static bool sparse_bits_in_4099(uint64_t pfn)
{
	return pfn < 4099 && sparse_bits(pfn);
}

static void bitmap_pages_are_found_by_rank(void)
{
	struct image image = bitmap_dump(6, "SDMP", 4099, sparse_bits);
	struct opened opened;
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
	const struct dump_facts *f = dump_facts(opened.dump);
	CU_ASSERT_STRING_EQUAL(f->dump_type_name, "BITMAP_KERNEL");
	uint64_t expected = 0, ranges_expected = 0;
	for (uint64_t pfn = 0; pfn < 4099; pfn++) {
		expected += sparse_bits(pfn);
		ranges_expected += sparse_bits(pfn) && (pfn == 0 || !sparse_bits(pfn - 1));
	}
	CU_ASSERT_EQUAL(f->present_pages, expected);
	CU_ASSERT_EQUAL(f->page_ranges, ranges_expected);
	expect_pages(opened.dump, 4200, sparse_bits_in_4099);
	uint64_t ranges;
	CU_ASSERT_EQUAL(walk_extents(opened.dump, &ranges), expected);
	CU_ASSERT_EQUAL(ranges, ranges_expected);
	close_copy(&opened);
	image_free(&image);
}

static bool every_page(uint64_t pfn)
{
	(void)pfn;
	return true;
}

static void bitmap_overclaim_leaves_pages_absent(void)
{
	struct image image = bitmap_dump(5, "FDMP", 64, every_page);
	/* TotalPresentPages is not trusted either way. */
	put(image.bytes + 0x2028, 1000000, 8);
	size_t cut = 0x3000 + 10 * 0x1000;
	struct opened opened;
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, cut, &opened));
	const struct dump_facts *f = dump_facts(opened.dump);
	CU_ASSERT_STRING_EQUAL(f->dump_type_name, "BITMAP_FULL");
	CU_ASSERT_EQUAL(f->present_pages, 10);
	CU_ASSERT_EQUAL(f->pages_missing_from_file, 54);
	CU_ASSERT_EQUAL(f->page_ranges, 1);
	expect_hand_page(opened.dump, 9);
	struct error *error;
	CU_ASSERT_PTR_NULL(dump_page(opened.dump, 10, &error));
	CU_ASSERT_STRING_EQUAL(error->message,
			       "hand.dmp: physical address 0xa000 is not in the dump: the file ends at "
			       "0xd000, before its page at offset 0xd000 (54 of the dump's pages are cut off)");
	error_free(error);
	close_copy(&opened);
	image_free(&image);
}

/* The process's resident memory, from /proc/self/statm. */
static uint64_t resident_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *statm = fopen("/proc/self/statm", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(statm);
	CU_ASSERT_EQUAL(fscanf(statm, "%lu %lu", &size, &resident), 2);
	fclose(statm);
	return (uint64_t)resident * DUMP_PAGE_SIZE;
}

/* A 128 MiB bitmap (2^30 PFNs) with only its last bit set, in a sparse
 * file: the open reads all of it, but need not keep it.  Its rank index
 * is 16 MiB; the bitmap itself stayed resident before (found here: an
 * 8 GiB file with a 4 GiB bitmap left 4.7 GB resident). */
static void large_bitmap_is_not_kept_resident(void)
{
	enum { BITMAP_BYTES = 128 << 20 };
	const uint64_t bits = (uint64_t)BITMAP_BYTES * 8, last = bits - 1;
	const uint64_t first_page = 0x2038 + BITMAP_BYTES + 0xfc8; /* page-aligned */
	struct image header = image_new(0x2038);
	header64(&header, 6);
	unsigned char *h = header.bytes + 0x2000;
	memcpy(h, "SDMP", 4);
	memcpy(h + 4, "DUMP", 4);
	put(h + 0x20, first_page, 8);
	put(h + 0x28, 1, 8);
	put(h + 0x30, bits, 8);
	char path[4096];
	snprintf(path, sizeof path, "%s/sparse-bitmap.dmp", test_temp_dir());
	FILE *file = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_EQUAL(fwrite(header.bytes, 1, header.size, file), header.size);
	CU_ASSERT_EQUAL(fseek(file, (long)(0x2038 + BITMAP_BYTES - 1), SEEK_SET), 0);
	CU_ASSERT_EQUAL(fputc(0x80, file), 0x80);
	unsigned char page[DUMP_PAGE_SIZE];
	fill_page(page, last);
	CU_ASSERT_EQUAL(fseek(file, (long)first_page, SEEK_SET), 0);
	CU_ASSERT_EQUAL(fwrite(page, 1, sizeof page, file), sizeof page);
	fclose(file);
	image_free(&header);

	uint64_t before = resident_bytes();
	struct dump *dump;
	CU_ASSERT_PTR_NULL_FATAL(dump_open(path, DUMP_DETECT, &dump));
	uint64_t grown = resident_bytes() - before;
	if (grown >= 48 << 20)
		fprintf(stderr, "\n  resident after the open: %" PRIu64 " MiB more\n", grown >> 20);
	CU_ASSERT_TRUE(grown < 48 << 20);
	CU_ASSERT_EQUAL(dump_facts(dump)->present_pages, 1);
	CU_ASSERT_EQUAL(dump_facts(dump)->page_ranges, 1);
	expect_hand_page(dump, last);
	expect_absent(dump, 0);
	expect_absent(dump, last - 1);
	dump_close(dump);
}

static void damaged_bitmaps_are_refused(void)
{
	struct image image = bitmap_dump(6, "SDMP", 100, every_page);
	expect_refusal(&image, 0x2020, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2020: the file ends inside the bitmap dump header at 0x2000");
	expect_refusal(&image, 0x2040, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2040: the file ends inside the bitmap (0x64 bits from 0x2038 "
		       "need the file to reach 0x2045)");
	expect_refusal(&image, 0x2800, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2020: FirstPage 0x3000 lies past the end of the file "
		       "(0x2800 bytes)");
	expect_refusal(&image, 0x3000, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x3000: the file ends before the first page of data: "
		       "none of the dump's 100 pages are in it");
	put(image.bytes + 0x2020, 0x4000000, 8);
	expect_refusal(&image, image.size, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2020: FirstPage 0x4000000 lies past the end of the file "
		       "(0x67000 bytes)");
	put(image.bytes + 0x2020, 0x2040, 8);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2020: FirstPage 0x2040 lies inside the bitmap dump header "
		       "(which ends at 0x2045)");
	put(image.bytes + 0x2020, 0x3000, 8);
	put(image.bytes + 0x2030, (UINT64_C(1) << 40) + 1, 8);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2030: the bitmap has 0x10000000001 bits, past the 52-bit "
		       "physical address space");
	put(image.bytes + 0x2030, UINT64_C(1) << 40, 8);
	expect_refusal(&image, image.size, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x67000: the file ends inside the bitmap (0x10000000000 bits "
		       "from 0x2038 need the file to reach 0x2000002038)");
	put(image.bytes + 0x2030, 100, 8);
	memcpy(image.bytes + 0x2000, "XDMP", 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2000: bitmap dump signature is 0x504d4458, not \"SDMP\" or \"FDMP\"");
	memcpy(image.bytes + 0x2000, "SDMP", 4);
	memcpy(image.bytes + 0x2004, "DUMX", 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2004: bitmap dump ValidDump is 0x584d5544, not \"DUMP\"");
	image_free(&image);
}

static const struct run rdmp_ranges[] = { { 0x30, 2 }, { 0x1, 3 }, { 0x80, 1 } };

static bool in_rdmp_ranges(uint64_t pfn)
{
	return (pfn >= 1 && pfn < 4) || pfn == 0x30 || pfn == 0x31 || pfn == 0x80;
}

static void rdmp_ranges_read_back(void)
{
	static const uint32_t types[] = { 8, 9, 0xa };
	static const char *const names[] = { "KERNEL_MEMORY", "KERNEL_AND_USER_MEMORY",
					     "COMPLETE_MEMORY" };
	for (size_t t = 0; t < 3; t++) {
		struct image image = rdmp_dump(types[t], rdmp_ranges, 3);
		struct opened opened;
		CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
		const struct dump_facts *f = dump_facts(opened.dump);
		CU_ASSERT_STRING_EQUAL(f->dump_type_name, names[t]);
		CU_ASSERT_EQUAL(f->present_pages, 6);
		CU_ASSERT_EQUAL(f->page_ranges, 3);
		expect_pages(opened.dump, 0x90, in_rdmp_ranges);
		close_copy(&opened);
		image_free(&image);
	}
}

static void rdmp_lists_end_where_section_5_3_says(void)
{
	/* A PFN-0 entry ends the list: later entries are not read. */
	struct image image = rdmp_dump(8, rdmp_ranges, 3);
	put(image.bytes + 0x2040, 0, 8);
	struct opened opened;
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
	CU_ASSERT_EQUAL(dump_facts(opened.dump)->present_pages, 2);
	expect_absent(opened.dump, 0x80);
	close_copy(&opened);
	image_free(&image);
	/* 0xA: TotalNumberOfPages consumed ends it too. */
	image = rdmp_dump(0xa, rdmp_ranges, 3);
	put(image.bytes + 0x2028, 5, 8);
	CU_ASSERT_PTR_NULL_FATAL(open_copy(&image, image.size, &opened));
	CU_ASSERT_EQUAL(dump_facts(opened.dump)->present_pages, 5);
	expect_hand_page(opened.dump, 3);
	expect_absent(opened.dump, 0x80);
	close_copy(&opened);
	image_free(&image);
}

static void damaged_rdmp_headers_are_refused(void)
{
	struct image image = rdmp_dump(8, rdmp_ranges, 3);
	expect_refusal(&image, 0x2010, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2010: the file ends inside the RDMP header at 0x2000");
	expect_refusal(&image, 0x2044, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2018: FirstPageOffset 0x3000 lies past the end of the file "
		       "(0x2044 bytes)");
	expect_refusal(&image, 0x3000, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x3000: the file ends before the first page of data: "
		       "none of the dump's 6 pages are in it");
	put(image.bytes + 0x2010, 0x2000, 8);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2010: MetadataSize 0x2000 and FirstPageOffset 0x3000 disagree "
		       "(MetadataSize - 0x20 must equal FirstPageOffset - 0x2040)");
	put(image.bytes + 0x2010, 0xfe0, 8);
	put(image.bytes + 0x2000, 0x41, 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2000: RDMP header Marker is 0x41, not 0x40");
	put(image.bytes + 0x2000, 0x40, 4);
	memcpy(image.bytes + 0x2004, "XDMP", 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2004: RDMP header Signature is 0x504d4458, not \"RDMP\"");
	memcpy(image.bytes + 0x2004, "RDMP", 4);
	put(image.bytes + 0x2040, UINT64_C(1) << 40, 8);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x2040: range 1 (PFN 0x10000000000, 0x3 pages) reaches past "
		       "the 52-bit physical address space");
	image_free(&image);
	/* A metadata list that runs off the end of a file whose FirstPageOffset
	 * is (wrongly) inside it. */
	image = rdmp_dump(8, rdmp_ranges, 3);
	put(image.bytes + 0x2060, 0x90, 8);
	put(image.bytes + 0x2068, 1, 8);
	put(image.bytes + 0x2010, 0x100000 - 0x2020, 8);
	put(image.bytes + 0x2018, 0x100000, 8);
	struct image big = image_new(0x100000);
	memcpy(big.bytes, image.bytes, image.size);
	for (size_t at = 0x2070; at < big.size; at += 16)
		put(big.bytes + at, 0x1000 + at, 8);
	expect_refusal(&big, 0x5008, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x2018: FirstPageOffset 0x100000 lies past the end of the file "
		       "(0x5008 bytes)");
	image_free(&big);
	image_free(&image);
}

static void other_dump_types_are_refused(void)
{
	static const struct run runs[] = { { 1, 1 } };
	struct image image = full_dump(true, false, runs, 1);
	put(image.bytes + 0xf98, 4, 4);
	expect_refusal(&image, image.size, ERROR_UNSUPPORTED,
		       "hand.dmp: offset 0xf98: DumpType 4 (triage/kernel minidump) holds one thread and "
		       "a few pages, not the system's IPC state; take a kernel or complete dump");
	put(image.bytes + 0xf98, 3, 4);
	expect_refusal(&image, image.size, ERROR_UNSUPPORTED,
		       "hand.dmp: offset 0xf98: DumpType 3 (header only) holds no memory pages; take a "
		       "kernel or complete dump");
	put(image.bytes + 0xf98, 7, 4);
	expect_refusal(&image, image.size, ERROR_UNSUPPORTED,
		       "hand.dmp: offset 0xf98: DumpType 7 (AUTOMATIC) names a dump setting, not a page "
		       "layout alpcgraph knows");
	put(image.bytes + 0xf98, 0x42, 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0xf98: unknown DumpType 0x42 (readable: 1 full, 2/5/6 bitmap, "
		       "8/9/0xA RDMP)");
	put(image.bytes + 0xf98, 0xffffffff, 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0xf98: unknown DumpType 0xffffffff (readable: 1 full, 2/5/6 "
		       "bitmap, 8/9/0xA RDMP)");
	memcpy(image.bytes + 4, "DU65", 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x4: crash dump ValidDump is 44 55 36 35, not \"DU64\" or \"DUMP\"");
	memcpy(image.bytes, "PAGX", 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x0: not a memory dump alpcgraph reads (first bytes 50 41 47 58)");
	memcpy(image.bytes + 4, "DU64", 4);
	expect_refusal(&image, image.size, ERROR_FORMAT,
		       "hand.dmp: offset 0x0: crash dump Signature is 50 41 47 58, not \"PAGE\"");
	image_free(&image);
	image = full_dump(false, true, runs, 1);
	put(image.bytes + 0xf88, 0xa, 4);
	expect_refusal(&image, image.size, ERROR_UNSUPPORTED,
		       "hand.dmp: offset 0xf88: DumpType 0xa (COMPLETE_MEMORY) in a 32-bit dump: its "
		       "\"RDMP\" page layout is known only for 64-bit dumps");
	expect_refusal(&image, 0x800, ERROR_TRUNCATED,
		       "hand.dmp: offset 0x800: the file ends inside the 0x1000-byte crash dump header "
		       "(DUMP_HEADER32)");
	image_free(&image);
}

static const char user_minidump_refusal[] =
	"user.dmp: offset 0x0: a user-mode minidump (\"MDMP\") holds one process's memory, not the "
	"kernel's IPC state; take a kernel or complete memory dump";

static void inputs_are_told_apart(void)
{
	static const struct run runs[] = { { 1, 1 } };
	struct image image = full_dump(true, false, runs, 1);
	enum input_format format;
	CU_ASSERT_PTR_NULL(source_identify_bytes("x.dmp", image.bytes, image.size, &format));
	CU_ASSERT_EQUAL(format, INPUT_DUMP);
	CU_ASSERT_STRING_EQUAL(input_format_name(format), "memory dump");
	CU_ASSERT_TRUE(dump_probe(image.bytes, image.size));
	/* A triage dump is a crash dump; dump_open says why it cannot be read. */
	put(image.bytes + 0xf98, 4, 4);
	CU_ASSERT_PTR_NULL(source_identify_bytes("x.dmp", image.bytes, image.size, &format));
	CU_ASSERT_EQUAL(format, INPUT_DUMP);
	image_free(&image);

	static const char transcript[] = "Microsoft (R) Windows Debugger Version 10.0.22621.2428 AMD64\n"
					 "kd> !alpc /lpp ffffe00112345678\n";
	CU_ASSERT_PTR_NULL(source_identify_bytes("t.txt", (const unsigned char *)transcript,
						 sizeof transcript - 1, &format));
	CU_ASSERT_EQUAL(format, INPUT_TRANSCRIPT);
	CU_ASSERT_FALSE(dump_probe((const unsigned char *)transcript, sizeof transcript - 1));

	unsigned char minidump[64] = "MDMP\x93\xa7";
	struct error *error = source_identify_bytes("user.dmp", minidump, sizeof minidump, &format);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(format, INPUT_UNKNOWN);
	CU_ASSERT_EQUAL(error->code, ERROR_UNSUPPORTED);
	CU_ASSERT_STRING_EQUAL(error->message, user_minidump_refusal);
	error_free(error);
	CU_ASSERT_FALSE(dump_probe(minidump, sizeof minidump));
	struct dump *dump;
	error = dump_open_memory(minidump, sizeof minidump, "user.dmp", DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_STRING_EQUAL(error->message, user_minidump_refusal);
	CU_ASSERT_PTR_NULL(dump);
	error_free(error);

	/* "DISKDUMP" has "DUMP" at offset 4 like a crash dump with a damaged
	 * signature: the kdump row, not the Windows catch-all, claims it. */
	unsigned char diskdump[64] = "DISKDUMP";
	CU_ASSERT_TRUE(dump_probe(diskdump, sizeof diskdump));
	CU_ASSERT_PTR_NULL(dump_probe_refusal("k.dmp", diskdump, sizeof diskdump));
	error = dump_open_memory(diskdump, sizeof diskdump, "k.dmp", DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_PTR_NULL(strstr(error->message, "crash dump"));
	/* libkdumpfile refuses it in a child process (kdump_trial_open.c): in
	 * ours, its failed open left a heap that crashed kdump_free. */
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message,
				      "k.dmp: libkdumpfile cannot open it: Cannot set file.set.0.fd: "
				      "Invalid diskdump header content"));
	error_free(error);

	/* Other binary data stays refused as before. */
	unsigned char elf[64] = "\x7f" "ELF\x02\x01\x01";
	error = source_identify_bytes("a.out", elf, sizeof elf, &format);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_STRING_EQUAL(error->message, "a.out: offset 0x7: binary data (a NUL byte), not "
					       "debugger text");
	error_free(error);
}

/* Cut at every offset of small dumps of each layout: an error or a dump
 * whose pages all read inside the file (ASan watches the reads). */
static void truncation_anywhere_is_safe(void)
{
	static const struct run runs[] = { { 0x10, 2 }, { 0x3, 1 } };
	struct image images[] = {
		full_dump(true, false, runs, 2),
		full_dump(false, true, runs, 2),
		bitmap_dump(6, "SDMP", 70, sparse_bits),
		rdmp_dump(0xa, rdmp_ranges, 3),
	};
	for (size_t i = 0; i < sizeof images / sizeof *images; i++) {
		unsigned opened_count = 0;
		for (size_t cut = 0; cut <= images[i].size; cut += cut < 0x2100 ? 7 : 0x101) {
			struct opened opened;
			struct error *error = open_copy(&images[i], cut, &opened);
			if (error) {
				CU_ASSERT_TRUE(strncmp(error->message, "hand.dmp: ", 10) == 0);
				error_free(error);
				continue;
			}
			opened_count++;
			uint64_t ranges;
			uint64_t pages = walk_extents(opened.dump, &ranges);
			CU_ASSERT_EQUAL(pages, dump_facts(opened.dump)->present_pages);
			CU_ASSERT_EQUAL(pages + dump_facts(opened.dump)->pages_missing_from_file,
					i == 2 ? 28 : i == 3 ? 6 : 3);
			for (uint64_t pfn = 0; pfn < 0x90; pfn++) {
				struct error *absent;
				const unsigned char *page = dump_page(opened.dump, pfn, &absent);
				if (page) {
					CU_ASSERT_TRUE(page_is(page, pfn, hand_pattern));
				} else {
					CU_ASSERT_EQUAL(absent->code, ERROR_ABSENT);
				}
				error_free(absent);
			}
			close_copy(&opened);
		}
		CU_ASSERT_TRUE(opened_count > 0);
		image_free(&images[i]);
	}
}

static void dump_open_maps_a_file(void)
{
	struct image image = full_dump(true, false, unsorted_runs, 3);
	char path[4096];
	snprintf(path, sizeof path, "%s/hand-full.dmp", test_temp_dir());
	FILE *file = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_EQUAL(fwrite(image.bytes, 1, image.size, file), image.size);
	fclose(file);
	struct dump *dump;
	CU_ASSERT_PTR_NULL_FATAL(dump_open(path, DUMP_DETECT, &dump));
	CU_ASSERT_STRING_EQUAL(dump_path(dump), path);
	CU_ASSERT_EQUAL(dump_facts(dump)->file_size, image.size);
	expect_pages(dump, 0x110, in_unsorted_runs);
	dump_close(dump);
	image_free(&image);

	snprintf(path, sizeof path, "%s/missing.dmp", test_temp_dir());
	struct error *error = dump_open(path, DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_IO);
	char expected[4200];
	snprintf(expected, sizeof expected, "%s: cannot open: No such file or directory", path);
	CU_ASSERT_STRING_EQUAL(error->message, expected);
	error_free(error);
	CU_ASSERT_PTR_NULL(dump);
}

/* --- Dumps the forge writes -------------------------------------------- */

/* The scenario every layout is forged from: pages in four runs (none at PFN
 * 0, which an RDMP list cannot name), the header's excluded range punched
 * out of the third. */
static const struct run forged_runs[] = { { 0x1, 0xf }, { 0x20, 0x40 }, { 0x100, 1 }, { 0x200, 0x80 } };
enum { FORGED_MAX_PFN = 0x400, EXCLUDED_FIRST = 0x230, EXCLUDED_COUNT = 0x10 };

static bool forged_present(uint64_t pfn)
{
	if (pfn >= EXCLUDED_FIRST && pfn < EXCLUDED_FIRST + EXCLUDED_COUNT)
		return false;
	for (size_t i = 0; i < sizeof forged_runs / sizeof *forged_runs; i++)
		if (pfn >= forged_runs[i].base && pfn < forged_runs[i].base + forged_runs[i].count)
			return true;
	return false;
}

static uint64_t forged_page_count(void)
{
	uint64_t count = 0;
	for (uint64_t pfn = 0; pfn < FORGED_MAX_PFN; pfn++)
		count += forged_present(pfn);
	return count;
}

struct forged_layout {
	const char *file;
	enum forge_arch arch;
	enum forge_format format;
	uint32_t dump_type;
	const char *dump_type_name;
};

static const struct forged_layout forged_layouts[] = {
	{ "x64-full.dmp", FORGE_X64, FORGE_WINDOWS_FULL, 1, "FULL" },
	{ "x64-sdmp.dmp", FORGE_X64, FORGE_WINDOWS_BITMAP_KERNEL, 6, "BITMAP_KERNEL" },
	{ "x64-fdmp.dmp", FORGE_X64, FORGE_WINDOWS_BITMAP_FULL, 5, "BITMAP_FULL" },
	{ "x64-rdmp8.dmp", FORGE_X64, FORGE_WINDOWS_RDMP_KERNEL, 8, "KERNEL_MEMORY" },
	{ "x64-rdmpA.dmp", FORGE_X64, FORGE_WINDOWS_RDMP_COMPLETE, 0xa, "COMPLETE_MEMORY" },
	{ "x86pae-full.dmp", FORGE_X86_PAE, FORGE_WINDOWS_FULL, 1, "FULL" },
	{ "x86-full.dmp", FORGE_X86, FORGE_WINDOWS_FULL, 1, "FULL" },
};

static struct forge_header forged_header(bool is64)
{
	struct forge_header header = {
		.build = 19045,
		.ps_active_process_head = is64 ? 0xfffff8034a61e0c0 : 0x8055b158,
		.ps_loaded_module_list = is64 ? 0xfffff8034a62a2d0 : 0x8055a420,
		.kd_debugger_data_block = is64 ? 0xfffff8034a600b20 : 0x80545b60,
		.pfn_database = is64 ? 0xffffd28000000000 : 0x80d00000,
		.bugcheck_code = 0xe2,
		.bugcheck_parameters = { 1, 2, 3, 4 },
		.system_time = 0x01da1b2c3d4e5f60,
		.system_uptime = 0x2540be400,
		.processors = 6,
		.excluded_first_pfn = EXCLUDED_FIRST,
		.excluded_count = EXCLUDED_COUNT,
	};
	return header;
}

static struct forge *forged_scenario(enum forge_arch arch)
{
	struct forge *forge = forge_new(arch, FORGED_MAX_PFN);
	for (size_t i = 0; i < sizeof forged_runs / sizeof *forged_runs; i++)
		forge_add_pages(forge, forged_runs[i].base, forged_runs[i].count);
	struct forge_header header = forged_header(arch == FORGE_X64);
	forge_set_header(forge, &header);
	return forge;
}

static const char *forged_path(const char *file)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", test_temp_dir(), file);
	return path;
}

/* Writes the layout; returns its path (static). */
static const char *forge_layout(const struct forged_layout *layout)
{
	struct forge *forge = forged_scenario(layout->arch);
	const char *path = forged_path(layout->file);
	struct error *error = forge_write_dump(forge, layout->format, path);
	if (error)
		fprintf(stderr, "forge: %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	forge_free(forge);
	return path;
}

static bool forge_pattern_matches(const unsigned char *page, uint64_t pfn)
{
	return page_is(page, pfn, forge_pattern);
}

/* Every PFN up to a little past the scenario: present ones byte-exact,
 * the others ERROR_ABSENT naming their address; the extents are exactly the
 * maximal runs of present pages, their data what dump_page returns. */
static void expect_forged_pages(struct dump *dump, bool (*present)(uint64_t))
{
	for (uint64_t pfn = 0; pfn < FORGED_MAX_PFN + 0x10; pfn++) {
		if (!present(pfn)) {
			expect_absent(dump, pfn);
			continue;
		}
		struct error *error;
		const unsigned char *page = dump_page(dump, pfn, &error);
		CU_ASSERT_PTR_NOT_NULL_FATAL(page);
		CU_ASSERT_TRUE(forge_pattern_matches(page, pfn));
	}
	struct page_extent extent;
	uint64_t pfn = 0, ranges = 0;
	while (dump_next_extent(dump, pfn, &extent)) {
		uint64_t first = pfn;
		while (first < FORGED_MAX_PFN && !present(first))
			first++;
		uint64_t end = first;
		while (end < FORGED_MAX_PFN && present(end))
			end++;
		CU_ASSERT_EQUAL(extent.first_pfn, first);
		CU_ASSERT_EQUAL(extent.count, end - first);
		struct error *error;
		CU_ASSERT_PTR_EQUAL(extent.data, dump_page(dump, extent.first_pfn, &error));
		CU_ASSERT_PTR_EQUAL(extent.data + (extent.count - 1) * DUMP_PAGE_SIZE,
				    dump_page(dump, extent.first_pfn + extent.count - 1, &error));
		pfn = extent.first_pfn + extent.count;
		ranges++;
	}
	CU_ASSERT_EQUAL(ranges, 5); /* the excluded range splits the last run */
	CU_ASSERT_EQUAL(dump_facts(dump)->page_ranges, ranges);
}

static void expect_forged_facts(const struct dump *dump, const struct forged_layout *layout,
				const struct forge *forge)
{
	bool is64 = layout->arch == FORGE_X64;
	struct forge_header header = forged_header(is64);
	const struct dump_facts *f = dump_facts(dump);
	CU_ASSERT_STRING_EQUAL(f->format_name, "Windows crash dump");
	CU_ASSERT_EQUAL(f->arch, is64 ? DUMP_ARCH_X64 : DUMP_ARCH_X86);
	CU_ASSERT_EQUAL(f->pae, is64 ? -1 : layout->arch == FORGE_X86_PAE);
	CU_ASSERT_KNOWN_EQUAL(f->machine_image_type, is64 ? 0x8664 : 0x14c);
	CU_ASSERT_KNOWN_EQUAL(f->dump_type, layout->dump_type);
	CU_ASSERT_STRING_EQUAL(f->dump_type_name, layout->dump_type_name);
	CU_ASSERT_KNOWN_EQUAL(f->major_version, 0xf);
	CU_ASSERT_KNOWN_EQUAL(f->minor_version, header.build);
	CU_ASSERT_KNOWN_EQUAL(f->required_dump_space, f->file_size);
	CU_ASSERT_KNOWN_EQUAL(f->directory_table_base, forge_dtb(forge));
	CU_ASSERT_KNOWN_EQUAL(f->ps_active_process_head, header.ps_active_process_head);
	CU_ASSERT_KNOWN_EQUAL(f->ps_loaded_module_list, header.ps_loaded_module_list);
	CU_ASSERT_KNOWN_EQUAL(f->kd_debugger_data_block, header.kd_debugger_data_block);
	CU_ASSERT_KNOWN_EQUAL(f->pfn_database, header.pfn_database);
	CU_ASSERT_KNOWN_EQUAL(f->bugcheck_code, header.bugcheck_code);
	for (unsigned i = 0; i < 4; i++)
		CU_ASSERT_KNOWN_EQUAL(f->bugcheck_parameters[i], header.bugcheck_parameters[i]);
	CU_ASSERT_KNOWN_EQUAL(f->processors, header.processors);
	CU_ASSERT_KNOWN_EQUAL(f->system_time, header.system_time);
	CU_ASSERT_KNOWN_EQUAL(f->system_uptime, header.system_uptime);
	CU_ASSERT_EQUAL(f->present_pages, forged_page_count());
	CU_ASSERT_EQUAL(f->max_pfn, 0x280);
	CU_ASSERT_EQUAL(f->pages_missing_from_file, 0);
}

static void every_forged_layout_reads_back(void)
{
	for (size_t i = 0; i < sizeof forged_layouts / sizeof *forged_layouts; i++) {
		const struct forged_layout *layout = &forged_layouts[i];
		struct forge *forge = forged_scenario(layout->arch);
		const char *path = forged_path(layout->file);
		struct error *error = forge_write_dump(forge, layout->format, path);
		CU_ASSERT_PTR_NULL_FATAL(error);
		enum input_format format;
		CU_ASSERT_PTR_NULL(source_identify(path, &format));
		CU_ASSERT_EQUAL(format, INPUT_DUMP);
		struct dump *dump;
		error = dump_open(path, DUMP_DETECT, &dump);
		if (error)
			fprintf(stderr, "\n  %s\n", error->message);
		CU_ASSERT_PTR_NULL_FATAL(error);
		expect_forged_facts(dump, layout, forge);
		expect_forged_pages(dump, forged_present);
		dump_close(dump);
		forge_free(forge);
	}
}

/* Page tables the forge builds are in the dump, at the DTB of the header. */
static void forged_page_tables_are_in_the_dump(void)
{
	static const enum forge_arch arches[] = { FORGE_X64, FORGE_X86_PAE, FORGE_X86 };
	for (size_t i = 0; i < 3; i++) {
		struct forge *forge = forged_scenario(arches[i]);
		forge_set_table_area(forge, 0x300);
		uint64_t va = arches[i] == FORGE_X64 ? 0xfffff80000000000 : 0x80000000;
		CU_ASSERT_TRUE_FATAL(forge_map(forge, va, 0x20000, 0x1000, 0x1000));
		const char *path = forged_path("tables.dmp");
		CU_ASSERT_PTR_NULL_FATAL(forge_write_dump(forge, FORGE_WINDOWS_FULL, path));
		struct dump *dump;
		CU_ASSERT_PTR_NULL_FATAL(dump_open(path, DUMP_DETECT, &dump));
		const struct dump_facts *f = dump_facts(dump);
		CU_ASSERT_KNOWN_EQUAL(f->directory_table_base, forge_dtb(forge));
		CU_ASSERT_TRUE(f->directory_table_base.value != 0);
		struct error *error;
		CU_ASSERT_PTR_NOT_NULL(dump_page(dump, f->directory_table_base.value >> 12, &error));
		error_free(error);
		dump_close(dump);
		forge_free(forge);
	}
}

static void forged_triage_dump_is_refused(void)
{
	static const struct forged_layout triage = { "triage.dmp", FORGE_X64, FORGE_WINDOWS_TRIAGE,
						     4, "TRIAGE" };
	const char *path = forge_layout(&triage);
	enum input_format format;
	CU_ASSERT_PTR_NULL(source_identify(path, &format));
	CU_ASSERT_EQUAL(format, INPUT_DUMP);
	struct dump *dump;
	struct error *error = dump_open(path, DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_UNSUPPORTED);
	char expected[4400];
	snprintf(expected, sizeof expected,
		 "%s: offset 0xf98: DumpType 4 (triage/kernel minidump) holds one thread and a few "
		 "pages, not the system's IPC state; take a kernel or complete dump", path);
	CU_ASSERT_STRING_EQUAL(error->message, expected);
	error_free(error);
}


/* --- Forged dumps, damaged (forge_damage) -------------------------------- */

static const struct forged_layout *layout_named(const char *file)
{
	for (size_t i = 0; i < sizeof forged_layouts / sizeof *forged_layouts; i++)
		if (strcmp(forged_layouts[i].file, file) == 0)
			return &forged_layouts[i];
	CU_FAIL_FATAL("no such layout");
	return NULL;
}

/* A fresh dump of the layout, damaged; returns its path. */
static const char *forge_damaged(const char *file, enum forge_damage damage, uint64_t at)
{
	const char *path = forge_layout(layout_named(file));
	struct error *error = forge_damage(path, damage, at);
	if (error)
		fprintf(stderr, "forge_damage: %s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	return path;
}

/* dump_open fails with "path: " + tail, exactly. */
static void expect_open_error(const char *path, enum error_code code, const char *tail)
{
	struct dump *dump;
	struct error *error = dump_open(path, DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_PTR_NULL(dump);
	char expected[4600];
	snprintf(expected, sizeof expected, "%s: %s", path, tail);
	CU_ASSERT_EQUAL(error->code, code);
	CU_ASSERT_STRING_EQUAL(error->message, expected);
	if (strcmp(error->message, expected) != 0)
		fprintf(stderr, "\n  got:      %s\n  expected: %s\n", error->message, expected);
	error_free(error);
}

static struct dump *open_forged(const char *path)
{
	struct dump *dump;
	struct error *error = dump_open(path, DUMP_DETECT, &dump);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	return dump;
}

/* The page of pfn is absent because the file ends before it. */
static void expect_cut_off(struct dump *dump, uint64_t pfn, uint64_t offset, uint64_t missing)
{
	struct error *error;
	CU_ASSERT_PTR_NULL(dump_page(dump, pfn, &error));
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	char expected[4600];
	snprintf(expected, sizeof expected,
		 "%s: physical address 0x%" PRIx64 " is not in the dump: the file ends at 0x%" PRIx64
		 ", before its page at offset 0x%" PRIx64 " (%" PRIu64 " of the dump's pages are cut off)",
		 dump_path(dump), pfn * DUMP_PAGE_SIZE, dump_facts(dump)->file_size, offset, missing);
	CU_ASSERT_STRING_EQUAL(error->message, expected);
	error_free(error);
}

/* The dumped pages in file order, for the layouts that store them in
 * increasing PFN order (all the forge writes): the n-th one. */
static uint64_t nth_forged_pfn(uint64_t n)
{
	for (uint64_t pfn = 0; pfn < FORGED_MAX_PFN; pfn++)
		if (forged_present(pfn) && n-- == 0)
			return pfn;
	return UINT64_MAX;
}

static uint64_t cut_predicate_limit;
static bool forged_present_before_cut(uint64_t pfn)
{
	return forged_present(pfn) && pfn < cut_predicate_limit;
}

/* Cut inside page `kept` of the data from first_page: pages before it read
 * back, the rest are absent and counted. */
static void expect_cut_inside_page(const char *file, uint64_t first_page, uint64_t kept)
{
	uint64_t total = forged_page_count();
	const char *path = forge_damaged(file, FORGE_TRUNCATE, first_page + kept * DUMP_PAGE_SIZE + 0x10);
	struct dump *dump = open_forged(path);
	const struct dump_facts *f = dump_facts(dump);
	CU_ASSERT_EQUAL(f->present_pages, kept);
	CU_ASSERT_EQUAL(f->pages_missing_from_file, total - kept);
	cut_predicate_limit = nth_forged_pfn(kept);
	for (uint64_t pfn = 0; pfn < FORGED_MAX_PFN; pfn++) {
		if (forged_present_before_cut(pfn)) {
			struct error *error;
			const unsigned char *page = dump_page(dump, pfn, &error);
			CU_ASSERT_PTR_NOT_NULL_FATAL(page);
			CU_ASSERT_TRUE(forge_pattern_matches(page, pfn));
		} else if (!forged_present(pfn)) {
			expect_absent(dump, pfn);
		}
	}
	for (uint64_t n = kept; n < total; n++)
		expect_cut_off(dump, nth_forged_pfn(n), first_page + n * DUMP_PAGE_SIZE, total - kept);
	uint64_t ranges;
	CU_ASSERT_EQUAL(walk_extents(dump, &ranges), kept);
	dump_close(dump);
}

static void truncated_forged_dumps(void)
{
	char tail[256];
	uint64_t total = forged_page_count();
	expect_open_error(forge_damaged("x64-full.dmp", FORGE_TRUNCATE, 0), ERROR_FORMAT, "empty file");
	expect_open_error(forge_damaged("x64-full.dmp", FORGE_TRUNCATE, 0x10), ERROR_TRUNCATED,
			  "offset 0x10: the file ends inside the 0x2000-byte crash dump header (DUMP_HEADER64)");
	expect_open_error(forge_damaged("x64-sdmp.dmp", FORGE_TRUNCATE, 0x1fff), ERROR_TRUNCATED,
			  "offset 0x1fff: the file ends inside the 0x2000-byte crash dump header (DUMP_HEADER64)");
	expect_open_error(forge_damaged("x86pae-full.dmp", FORGE_TRUNCATE, 0xfff), ERROR_TRUNCATED,
			  "offset 0xfff: the file ends inside the 0x1000-byte crash dump header (DUMP_HEADER32)");
	snprintf(tail, sizeof tail, "offset 0x2000: the file ends before the first page of data: "
		 "none of the dump's %" PRIu64 " pages are in it", total);
	expect_open_error(forge_damaged("x64-full.dmp", FORGE_TRUNCATE, 0x2000), ERROR_TRUNCATED, tail);
	expect_open_error(forge_damaged("x64-sdmp.dmp", FORGE_TRUNCATE, 0x2000), ERROR_TRUNCATED,
			  "offset 0x2000: the file ends inside the bitmap dump header at 0x2000");
	/* 0x400 bits: 0x80 bytes from 0x2038. */
	expect_open_error(forge_damaged("x64-fdmp.dmp", FORGE_TRUNCATE, 0x2078), ERROR_TRUNCATED,
			  "offset 0x2078: the file ends inside the bitmap (0x400 bits from 0x2038 need the "
			  "file to reach 0x20b8)");
	snprintf(tail, sizeof tail, "offset 0x3000: the file ends before the first page of data: "
		 "none of the dump's %" PRIu64 " pages are in it", total);
	expect_open_error(forge_damaged("x64-sdmp.dmp", FORGE_TRUNCATE, 0x3000), ERROR_TRUNCATED, tail);
	expect_open_error(forge_damaged("x64-rdmp8.dmp", FORGE_TRUNCATE, 0x2010), ERROR_TRUNCATED,
			  "offset 0x2010: the file ends inside the RDMP header at 0x2000");
	expect_open_error(forge_damaged("x64-rdmpA.dmp", FORGE_TRUNCATE, 0x2048), ERROR_TRUNCATED,
			  "offset 0x2018: FirstPageOffset 0x3000 lies past the end of the file (0x2048 bytes)");
	expect_cut_inside_page("x64-full.dmp", 0x2000, 5);
	expect_cut_inside_page("x64-full.dmp", 0x2000, total - 1);
	expect_cut_inside_page("x64-sdmp.dmp", 0x3000, 0x30);
	expect_cut_inside_page("x64-fdmp.dmp", 0x3000, 1);
	expect_cut_inside_page("x64-rdmp8.dmp", 0x3000, 0x60);
	expect_cut_inside_page("x64-rdmpA.dmp", 0x3000, 7);
	expect_cut_inside_page("x86pae-full.dmp", 0x1000, 0x4f);
	expect_cut_inside_page("x86-full.dmp", 0x1000, 2);
}

static void forged_bad_signatures(void)
{
	for (size_t i = 0; i < sizeof forged_layouts / sizeof *forged_layouts; i++) {
		const char *path = forge_damaged(forged_layouts[i].file, FORGE_BAD_SIGNATURE, 0);
		expect_open_error(path, ERROR_FORMAT,
				  "offset 0x0: crash dump Signature is 58 41 47 45, not \"PAGE\"");
		enum input_format format;
		CU_ASSERT_PTR_NULL(source_identify(path, &format));
		CU_ASSERT_EQUAL(format, INPUT_DUMP);
	}
}

/* 16 pages claimed past the end of the file: they are absent and named as
 * cut off; every other page reads as before. */
static void forged_overclaims_leave_pages_absent(void)
{
	static const struct {
		const char *file;
		uint64_t first_page, first_claimed;
	} cases[] = {
		{ "x64-full.dmp", 0x2000, 0x280 },  /* the last run grows */
		{ "x64-sdmp.dmp", 0x3000, 0x3f0 },  /* the highest clear bits are set */
		{ "x64-fdmp.dmp", 0x3000, 0x3f0 },
		{ "x64-rdmp8.dmp", 0x3000, 0x280 }, /* the last range grows */
		{ "x64-rdmpA.dmp", 0x3000, 0x280 },
		{ "x86pae-full.dmp", 0x1000, 0x280 },
		{ "x86-full.dmp", 0x1000, 0x280 },
	};
	uint64_t total = forged_page_count();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *path = forge_damaged(cases[i].file, FORGE_BITMAP_OVERCLAIMS, 0);
		struct dump *dump = open_forged(path);
		const struct dump_facts *f = dump_facts(dump);
		CU_ASSERT_EQUAL(f->present_pages, total);
		CU_ASSERT_EQUAL(f->pages_missing_from_file, 16);
		for (uint64_t n = 0; n < 16; n++)
			expect_cut_off(dump, cases[i].first_claimed + n,
				       cases[i].first_page + (total + n) * DUMP_PAGE_SIZE, 16);
		uint64_t ranges;
		CU_ASSERT_EQUAL(walk_extents(dump, &ranges), total);
		CU_ASSERT_EQUAL(ranges, 5); /* the excluded range splits the last run */
		for (uint64_t pfn = 0; pfn < cases[i].first_claimed; pfn++) {
			if (!forged_present(pfn))
				continue;
			struct error *error;
			const unsigned char *page = dump_page(dump, pfn, &error);
			CU_ASSERT_PTR_NOT_NULL_FATAL(page);
			CU_ASSERT_TRUE(forge_pattern_matches(page, pfn));
		}
		dump_close(dump);
	}
}

static void forged_absurd_and_overlapping_runs(void)
{
	expect_open_error(forge_damaged("x64-full.dmp", FORGE_ABSURD_RUNS, 0), ERROR_FORMAT,
			  "offset 0x88: NumberOfRuns is 4294967295; the header has room for 43 runs");
	expect_open_error(forge_damaged("x86-full.dmp", FORGE_ABSURD_RUNS, 0), ERROR_FORMAT,
			  "offset 0x64: NumberOfRuns is 4294967295; the header has room for 86 runs");
	expect_open_error(forge_damaged("x64-full.dmp", FORGE_OVERLAPPING_RUNS, 0), ERROR_FORMAT,
			  "offset 0xa8: run 1 (PFNs 0x1-0x40) overlaps run 0 (PFNs 0x1-0xf)");
	expect_open_error(forge_damaged("x86pae-full.dmp", FORGE_OVERLAPPING_RUNS, 0), ERROR_FORMAT,
			  "offset 0x74: run 1 (PFNs 0x1-0x40) overlaps run 0 (PFNs 0x1-0xf)");
	expect_open_error(forge_damaged("x64-rdmp8.dmp", FORGE_OVERLAPPING_RUNS, 0), ERROR_FORMAT,
			  "offset 0x2040: range 1 (PFNs 0x1-0x40) overlaps range 0 (PFNs 0x1-0xf)");
	expect_open_error(forge_damaged("x64-rdmpA.dmp", FORGE_OVERLAPPING_RUNS, 0), ERROR_FORMAT,
			  "offset 0x2040: range 1 (PFNs 0x1-0x40) overlaps range 0 (PFNs 0x1-0xf)");
	/* A bitmap dump finds its pages by the bitmap: the header's runs,
	 * however wrong, are not used. */
	static const char *const bitmaps[] = { "x64-sdmp.dmp", "x64-fdmp.dmp" };
	static const enum forge_damage damages[] = { FORGE_ABSURD_RUNS, FORGE_OVERLAPPING_RUNS };
	for (size_t i = 0; i < 2; i++) {
		for (size_t d = 0; d < 2; d++) {
			struct dump *dump = open_forged(forge_damaged(bitmaps[i], damages[d], 0));
			expect_forged_pages(dump, forged_present);
			dump_close(dump);
		}
	}
}

static const struct test_case forge_cases[] = {
	{ "every forged layout reads back", every_forged_layout_reads_back },
	{ "forged page tables are in the dump", forged_page_tables_are_in_the_dump },
	{ "forged triage dump is refused", forged_triage_dump_is_refused },
	{ "truncated forged dumps", truncated_forged_dumps },
	{ "forged bad signatures", forged_bad_signatures },
	{ "forged overclaims leave pages absent", forged_overclaims_leave_pages_absent },
	{ "forged absurd and overlapping runs", forged_absurd_and_overlapping_runs },
	{ NULL, NULL },
};

int main(void)
{
	static const struct test_case hand_cases[] = {
		{ "full dump runs in any order read back", full_dump_runs_in_any_order_read_back },
		{ "header facts are read", header_facts_are_read },
		{ "x86 header facts are read (PAE and not)", x86_header_facts_are_read },
		{ "PAGE fill reads as unknown", page_fill_reads_as_unknown },
		{ "absurd runs are refused", absurd_runs_are_refused },
		{ "overlapping runs are refused", overlapping_runs_are_refused },
		{ "empty run list opens empty", empty_run_list_opens_empty },
		{ "truncated full dump opens with its tail absent",
		  truncated_full_dump_opens_with_its_tail_absent },
		{ "bitmap pages are found by rank", bitmap_pages_are_found_by_rank },
		{ "bitmap overclaim leaves pages absent", bitmap_overclaim_leaves_pages_absent },
		{ "large bitmap is not kept resident", large_bitmap_is_not_kept_resident },
		{ "damaged bitmaps are refused", damaged_bitmaps_are_refused },
		{ "RDMP ranges read back", rdmp_ranges_read_back },
		{ "RDMP lists end where §5.3 says", rdmp_lists_end_where_section_5_3_says },
		{ "damaged RDMP headers are refused", damaged_rdmp_headers_are_refused },
		{ "other dump types are refused", other_dump_types_are_refused },
		{ "inputs are told apart", inputs_are_told_apart },
		{ "truncation anywhere is safe", truncation_anywhere_is_safe },
		{ "dump_open maps a file", dump_open_maps_a_file },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "hand-made dumps", hand_cases },
		{ "forged dumps", forge_cases },
	};
	return run_suites("test_windows_dump", suites, 2);
}
