/* Address translation and reads, byte for byte against forge_pattern,
 * through every dump format the forge writes: x64 with 4 KiB, 2 MiB and
 * 1 GiB pages; x86 PAE with 4 KiB and 2 MiB pages and a page above 4 GiB;
 * x86 without PAE with 4 KiB and 4 MiB pages.  Then the damaged tables:
 * an unmapped page, a page-table loop, a table left out of the file. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../forge/forge.h"
#include "../../src/memory/memory.h"

enum { K4 = 0x1000, M2 = 0x200000, M4 = 0x400000 };
#define G1 0x40000000ULL

struct mapping {
	uint64_t va, pa, size, page_size;
	uint64_t readable; /* bytes from the start whose pages are in the file */
};

struct scenario {
	const char *name;
	enum forge_arch arch;
	enum paging_mode mode;
	uint64_t max_pfn;
	const struct mapping *mappings;
	size_t mapping_count;
	uint64_t excluded_first_pfn, excluded_count;
	const enum forge_format *formats;
	size_t format_count;
	size_t independent; /* a mapping that shares no table with mapping 0 */
};

static const enum forge_format x64_formats[] = {
	FORGE_WINDOWS_FULL, FORGE_WINDOWS_BITMAP_KERNEL, FORGE_WINDOWS_BITMAP_FULL,
	FORGE_WINDOWS_RDMP_KERNEL, FORGE_WINDOWS_RDMP_COMPLETE, FORGE_ELF_QEMU, FORGE_RAW,
};
/* Bitmap and RDMP layouts are x64 only (forge.h). */
static const enum forge_format x86_formats[] = { FORGE_WINDOWS_FULL, FORGE_ELF_QEMU, FORGE_RAW };

/* The 1 GiB page keeps only its first 16 pages in the file (the forge's
 * excluded range), so every format stays small. */
static const struct mapping x64_mappings[] = {
	{ 0xfffff80000100000ULL, 0x100000, 4 * K4, K4, 4 * K4 },
	{ 0x0000000000010000ULL, 0x200000, 3 * K4, K4, 3 * K4 }, /* user half, other PML4 slot */
	{ 0xfffff80000400000ULL, 0x400000, 2 * M2, M2, 2 * M2 },
	{ 0xfffff80040000000ULL, G1, G1, G1, 16 * K4 },
};
static const struct mapping pae_mappings[] = {
	{ 0x80100000, 0x100000, 4 * K4, K4, 4 * K4 },
	{ 0x80200000, 0x100000000ULL, 2 * K4, K4, 2 * K4 }, /* PA above 4 GiB */
	{ 0x00400000, 0x600000, M2, M2, M2 },
	{ 0xc0000000, 0x800000, 2 * M2, M2, 2 * M2 },
};
static const struct mapping x86_mappings[] = {
	{ 0x80100000, 0x100000, 4 * K4, K4, 4 * K4 },
	{ 0x00010000, 0x200000, 2 * K4, K4, 2 * K4 },
	{ 0x80400000, 0x400000, M4, M4, M4 },
};

#define COUNT(a) (sizeof (a) / sizeof *(a))
static const struct scenario scenarios[] = {
	{ "x64", FORGE_X64, PAGING_X64, 0x80000, x64_mappings, COUNT(x64_mappings),
	  0x40000 + 16, 0x40000 - 16, x64_formats, COUNT(x64_formats), 1 },
	{ "pae", FORGE_X86_PAE, PAGING_X86_PAE, 0x100010, pae_mappings, COUNT(pae_mappings), 0, 0,
	  x86_formats, COUNT(x86_formats), 2 },
	{ "x86", FORGE_X86, PAGING_X86, 0x2000, x86_mappings, COUNT(x86_mappings), 0, 0,
	  x86_formats, COUNT(x86_formats), 1 },
};

static const char *format_name(enum forge_format format)
{
	static const char *const names[] = {
		[FORGE_WINDOWS_FULL] = "full", [FORGE_WINDOWS_BITMAP_KERNEL] = "sdmp",
		[FORGE_WINDOWS_BITMAP_FULL] = "fdmp", [FORGE_WINDOWS_RDMP_KERNEL] = "rdmp8",
		[FORGE_WINDOWS_RDMP_COMPLETE] = "rdmpA", [FORGE_WINDOWS_TRIAGE] = "triage",
		[FORGE_ELF_QEMU] = "elf", [FORGE_RAW] = "raw",
	};
	return names[format];
}

static struct forge *build(const struct scenario *s)
{
	struct forge *forge = forge_new(s->arch, s->max_pfn);
	/* Tables at 16 MiB: away from every mapping's target. */
	forge_set_table_area(forge, 0x1000);
	for (size_t i = 0; i < s->mapping_count; i++) {
		const struct mapping *m = &s->mappings[i];
		CU_ASSERT_TRUE_FATAL(forge_map(forge, m->va, m->pa, m->size, m->page_size));
	}
	struct forge_header header = { .build = 19041, .processors = 1 };
	header.excluded_first_pfn = s->excluded_first_pfn;
	header.excluded_count = s->excluded_count;
	forge_set_header(forge, &header);
	return forge;
}

struct opened {
	char path[4096];
	struct dump *dump;
	struct physical_memory *memory;
	struct address_space *space;
};

static bool open_written(struct forge *forge, const struct scenario *s, enum forge_format format,
			 const char *tag, struct opened *o)
{
	snprintf(o->path, sizeof o->path, "%s/%s-%s-%s.dump", test_temp_dir(), s->name, tag,
		 format_name(format));
	struct error *error = forge_write_dump(forge, format, o->path);
	if (error)
		fprintf(stderr, "\n  forge: %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	if (error) {
		error_free(error);
		return false;
	}
	error = dump_open(o->path, format == FORGE_RAW ? DUMP_FORCE_RAW : DUMP_DETECT, &o->dump);
	if (error)
		fprintf(stderr, "\n  open: %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	if (error) {
		error_free(error);
		remove(o->path);
		return false;
	}
	o->memory = physical_memory_open(o->dump);
	o->space = address_space_new(o->memory, s->mode, forge_dtb(forge));
	return true;
}

static void close_written(struct opened *o)
{
	address_space_free(o->space);
	physical_memory_close(o->memory);
	dump_close(o->dump);
	remove(o->path);
}

/* The byte at physical address p of a forged page. */
static unsigned char pattern_byte(uint64_t p)
{
	return (unsigned char)(forge_pattern(p & ~7ULL) >> (8 * (p & 7)));
}

static bool matches_pattern(const unsigned char *bytes, uint64_t pa, size_t length)
{
	for (size_t i = 0; i < length; i++)
		if (bytes[i] != pattern_byte(pa + i))
			return false;
	return true;
}

static void expect_no_error(struct error *error)
{
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
}

/* Translates with the cache, again (a hit), and without it: one answer. */
static void check_translation(struct address_space *space, uint64_t va, uint64_t want)
{
	uint64_t cached = 0, again = 0, walked = 0;
	expect_no_error(virtual_translate(space, va, &cached));
	expect_no_error(virtual_translate(space, va, &again));
	address_space_use_cache(space, false);
	expect_no_error(virtual_translate(space, va, &walked));
	address_space_use_cache(space, true);
	if (cached != want)
		fprintf(stderr, "\n  VA 0x%" PRIx64 " -> 0x%" PRIx64 ", want 0x%" PRIx64, va, cached, want);
	CU_ASSERT_EQUAL(cached, want);
	CU_ASSERT_EQUAL(again, want);
	CU_ASSERT_EQUAL(walked, want);
}

static void check_read(struct address_space *space, uint64_t va, uint64_t pa, size_t length)
{
	unsigned char *bytes = malloc(length);
	struct error *error = virtual_read(space, va, bytes, length);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	CU_ASSERT_TRUE(matches_pattern(bytes, pa, length));
	free(bytes);
}

static void check_mapping(struct opened *o, const struct mapping *m, enum forge_format format)
{
	check_translation(o->space, m->va, m->pa);
	check_translation(o->space, m->va + m->size - 1, m->pa + m->size - 1);
	check_translation(o->space, m->va + m->size / 2 + 0x123, m->pa + m->size / 2 + 0x123);
	/* Whole pages, and reads across 4 KiB boundaries. */
	check_read(o->space, m->va, m->pa, K4);
	if (m->readable >= 2 * K4) {
		check_read(o->space, m->va + K4 - 5, m->pa + K4 - 5, 10);
		check_read(o->space, m->va + 0x800, m->pa + 0x800, (size_t)m->readable - 0x800);
	}
	if (m->readable < m->size && format != FORGE_RAW) {
		/* Mapped, but the target page is not in the file (a raw
		 * image has no way to leave a page out: it reads zeros). */
		unsigned char bytes[16];
		char want[8192];
		snprintf(want, sizeof want,
			 "%s: virtual address 0x%" PRIx64 ": mapped to physical address 0x%" PRIx64
			 ", which is not in the dump",
			 o->path, m->va + m->readable, m->pa + m->readable);
		struct error *error = virtual_read(o->space, m->va + m->readable - 8, bytes, sizeof bytes);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
		if (strcmp(error->message, want) != 0)
			fprintf(stderr, "\n  got:  %s\n  want: %s\n", error->message, want);
		CU_ASSERT_STRING_EQUAL(error->message, want);
		error_free(error);
	}
}

static void check_scenario(const struct scenario *s)
{
	struct forge *forge = build(s);
	for (size_t f = 0; f < s->format_count; f++) {
		struct opened o;
		if (!open_written(forge, s, s->formats[f], "map", &o))
			continue;
		const struct dump_facts *facts = dump_facts(o.dump);
		/* The DTB the format carries agrees with the forge's. */
		if (s->formats[f] == FORGE_ELF_QEMU) {
			CU_ASSERT_EQUAL(facts->cpu_count, 1);
			CU_ASSERT_KNOWN_EQUAL(facts->cpus[0].cr3, forge_dtb(forge));
			CU_ASSERT_EQUAL(facts->arch, s->arch == FORGE_X64 ? DUMP_ARCH_X64 : DUMP_ARCH_X86);
			if (s->arch != FORGE_X64)
				CU_ASSERT_EQUAL(facts->pae, s->arch == FORGE_X86_PAE);
		} else if (s->formats[f] != FORGE_RAW) {
			CU_ASSERT_KNOWN_EQUAL(facts->directory_table_base, forge_dtb(forge));
		}
		for (size_t i = 0; i < s->mapping_count; i++)
			check_mapping(&o, &s->mappings[i], s->formats[f]);
		close_written(&o);
	}
	forge_free(forge);
}

static void x64_pages_through_every_format(void)
{
	check_scenario(&scenarios[0]);
}

static void pae_pages_through_every_format(void)
{
	check_scenario(&scenarios[1]);
}

static void x86_pages_through_every_format(void)
{
	check_scenario(&scenarios[2]);
}

static void expect_message(struct error *error, enum error_code code, const char *want)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, code);
	if (strcmp(error->message, want) != 0)
		fprintf(stderr, "\n  got:  %s\n  want: %s\n", error->message, want);
	CU_ASSERT_STRING_EQUAL(error->message, want);
	error_free(error);
}

/* forge_unmap clears P and keeps the stale address, as boot64.S's PT[2]
 * does; a read that runs into the page stops there. */
static void unmapped_page_stops_a_read(void)
{
	for (size_t k = 0; k < COUNT(scenarios); k++) {
		const struct scenario *s = &scenarios[k];
		const struct mapping *m = &s->mappings[0]; /* four 4 KiB pages */
		struct forge *forge = build(s);
		uint64_t hole = m->va + 2 * K4;
		forge_unmap(forge, hole);
		unsigned index = (unsigned)((hole >> 12) & (s->mode == PAGING_X86 ? 1023 : 511));
		uint64_t stale = (m->pa + 2 * K4) | 0x2; /* writable, not present */
		for (size_t f = 0; f < s->format_count; f++) {
			struct opened o;
			if (!open_written(forge, s, s->formats[f], "unmap", &o))
				continue;
			char want[8192];
			snprintf(want, sizeof want,
				 "%s: virtual address 0x%" PRIx64 ": Page not present: pte[%u] = 0x%" PRIx64,
				 o.path, hole, index, stale);
			unsigned char bytes[64];
			expect_message(virtual_read(o.space, hole - 16, bytes, sizeof bytes), ERROR_ABSENT, want);
			uint64_t physical;
			address_space_use_cache(o.space, false);
			expect_message(virtual_translate(o.space, hole, &physical), ERROR_ABSENT, want);
			address_space_use_cache(o.space, true);
			/* The pages around it still read. */
			check_read(o.space, m->va, m->pa, 2 * K4);
			check_read(o.space, hole + K4, m->pa + 3 * K4, K4);
			close_written(&o);
		}
		forge_free(forge);
	}
}

/* An entry that points back at the top table: the walk takes one step per
 * level and ends.  Looped at levels 1-3 the walk reads the wrong tables
 * until an entry is not present; looped at the last level the VA maps the
 * top table's page itself, a self-map (legal: Windows has one). */
static void page_table_loop_terminates(void)
{
	const struct scenario *s = &scenarios[0];
	for (unsigned level = 1; level <= 4; level++) {
		struct forge *forge = build(s);
		uint64_t va = s->mappings[0].va;
		forge_loop(forge, va, level);
		struct opened o;
		if (!open_written(forge, s, FORGE_WINDOWS_FULL, "loop", &o)) {
			forge_free(forge);
			continue;
		}
		uint64_t physical = 0;
		struct error *error = virtual_translate(o.space, va, &physical);
		unsigned char bytes[16];
		struct error *read_error = virtual_read(o.space, va, bytes, sizeof bytes);
		if (level == 4) {
			/* The PTE names the PML4's page: a self-map, which is
			 * legal; the VA reads the top table. */
			CU_ASSERT_PTR_NULL(error);
			CU_ASSERT_EQUAL(physical, forge_dtb(forge));
			CU_ASSERT_PTR_NULL(read_error);
		} else {
			CU_ASSERT_PTR_NOT_NULL(error);
			if (error)
				CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
			CU_ASSERT_PTR_NOT_NULL(read_error);
		}
		if (error) {
			/* The looped entry sends the walk through the wrong
			 * tables until an entry is not present. */
			char prefix[8192];
			snprintf(prefix, sizeof prefix, "%s: virtual address 0x%" PRIx64 ": ", o.path, va);
			CU_ASSERT_EQUAL(strncmp(error->message, prefix, strlen(prefix)), 0);
			CU_ASSERT_PTR_NOT_NULL(strstr(error->message, " not present: "));
		}
		error_free(error);
		error_free(read_error);
		close_written(&o);
		forge_free(forge);
	}
}

/* forge_drop_table leaves a table's page out of the file: the walk cannot
 * read the entry, and the error names the table and its address. */
static void dropped_table_is_named(void)
{
	static const char *const x64_tables[] = { NULL, "PML4", "PDPT", "page directory", "page table" };
	static const char *const pae_tables[] = { NULL, "PDPT", "page directory", "page table" };
	static const char *const x86_tables[] = { NULL, "page directory", "page table" };
	static const char *const *const names[] = { x64_tables, pae_tables, x86_tables };
	static const unsigned levels[] = { 4, 3, 2 };
	for (size_t k = 0; k < COUNT(scenarios); k++) {
		const struct scenario *s = &scenarios[k];
		for (unsigned level = 1; level <= levels[k]; level++) {
			struct forge *forge = build(s);
			uint64_t va = s->mappings[0].va;
			forge_drop_table(forge, va, level);
			for (size_t f = 0; f < s->format_count; f++) {
			/* A raw image cannot leave a page out: only the others. */
			if (s->formats[f] == FORGE_RAW)
				continue;
			struct opened o;
			if (!open_written(forge, s, s->formats[f], "drop", &o))
				continue;
			uint64_t physical;
			struct error *error = virtual_translate(o.space, va, &physical);
			CU_ASSERT_PTR_NOT_NULL_FATAL(error);
			CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
			char prefix[8192];
			snprintf(prefix, sizeof prefix, "%s: virtual address 0x%" PRIx64 ": the %s at physical address 0x",
				 o.path, va, names[k][level]);
			if (strncmp(error->message, prefix, strlen(prefix)) != 0)
				fprintf(stderr, "\n  got:  %s\n  want: %s...\n", error->message, prefix);
			CU_ASSERT_EQUAL(strncmp(error->message, prefix, strlen(prefix)), 0);
			CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "is not in the dump"));
			error_free(error);
			/* A mapping elsewhere that does not pass through it still works. */
			if (level > 1)
				check_translation(o.space, s->mappings[s->independent].va,
						  s->mappings[s->independent].pa);
			close_written(&o);
			}
			forge_free(forge);
		}
	}
}

static struct error *open_damaged(struct forge *forge, enum forge_damage damage, uint64_t at,
				  const char *tag, char *path, size_t size, struct dump **dump)
{
	snprintf(path, size, "%s/x64-%s.elf", test_temp_dir(), tag);
	struct error *error = forge_write_dump(forge, FORGE_ELF_QEMU, path);
	CU_ASSERT_PTR_NULL_FATAL(error);
	if (damage == FORGE_TRUNCATE) {
		FILE *file = fopen(path, "rb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(file);
		fseek(file, 0, SEEK_END);
		at = (uint64_t)ftell(file) - at;
		fclose(file);
	}
	CU_ASSERT_PTR_NULL_FATAL(forge_damage(path, damage, at));
	return dump_open(path, DUMP_DETECT, dump);
}

/* Pages an ELF's headers place past the end of the file are missing, not
 * zeros; overlapping PT_LOADs (QEMU's paging-mode files) open and their
 * page walk ends. */
static void damaged_elf_never_reads_zeros(void)
{
	const struct scenario *s = &scenarios[0];
	struct forge *forge = build(s);
	char path[4096];
	struct dump *dump = NULL;

	/* Cut 5 pages and a bit off the end: the last pages of the last
	 * PT_LOAD (the 1 GiB page's first 16 pages, at 0x40000000). */
	struct error *error = open_damaged(forge, FORGE_TRUNCATE, 5 * K4 + 100, "cut", path, sizeof path, &dump);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	struct physical_memory *memory = physical_memory_open(dump);
	unsigned char bytes[K4];
	CU_ASSERT_PTR_NULL(physical_read(memory, G1, bytes, K4));
	CU_ASSERT_TRUE(matches_pattern(bytes, G1, K4));
	error = physical_read(memory, G1 + 15 * K4, bytes, K4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_NOT_EQUAL(error->code, ERROR_FORMAT);
	printf("\n    truncated ELF: %s", error->message);
	error_free(error);
	physical_memory_close(memory);
	dump_close(dump);

	/* The last PT_LOAD claims 16 pages more than the file holds. */
	error = open_damaged(forge, FORGE_BITMAP_OVERCLAIMS, 0, "overclaim", path, sizeof path, &dump);
	CU_ASSERT_PTR_NULL_FATAL(error);
	memory = physical_memory_open(dump);
	error = physical_read(memory, G1 + 16 * K4, bytes, 8);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	printf("\n    overclaiming ELF: %s", error->message);
	error_free(error);
	physical_memory_close(memory);
	dump_close(dump);

	/* The second PT_LOAD moved onto the first one's start. */
	error = open_damaged(forge, FORGE_OVERLAPPING_RUNS, 0, "overlap", path, sizeof path, &dump);
	CU_ASSERT_PTR_NULL_FATAL(error);
	const struct dump_facts *facts = dump_facts(dump);
	CU_ASSERT_TRUE(facts->present_pages > 0);
	struct page_extent extent;
	uint64_t pages = 0, extents = 0;
	for (uint64_t pfn = 0; dump_next_extent(dump, pfn, &extent) && extents < 100000; extents++) {
		CU_ASSERT_TRUE(extent.first_pfn >= pfn);
		pages += extent.count;
		pfn = extent.first_pfn + extent.count;
	}
	CU_ASSERT_EQUAL(pages, facts->present_pages);
	CU_ASSERT_EQUAL(extents, facts->page_ranges);
	printf("\n    overlapping ELF: %" PRIu64 " pages in %" PRIu64 " runs\n", pages, extents);
	dump_close(dump);
	forge_free(forge);
}

/* A 2 MiB page walked once serves all 512 of its 4 KiB pages. */
static void cache_serves_every_small_page_of_a_large_one(void)
{
	const struct scenario *s = &scenarios[0];
	struct forge *forge = build(s);
	struct opened o;
	if (open_written(forge, s, FORGE_WINDOWS_BITMAP_KERNEL, "stats", &o)) {
		const struct mapping *m = &s->mappings[2];
		for (uint64_t offset = 0; offset < M2; offset += K4) {
			uint64_t physical;
			CU_ASSERT_PTR_NULL(virtual_translate(o.space, m->va + offset, &physical));
			CU_ASSERT_EQUAL(physical, m->pa + offset);
		}
		struct translation_stats stats = address_space_stats(o.space);
		CU_ASSERT_EQUAL(stats.lookups, 512);
		CU_ASSERT_EQUAL(stats.walks, 1);
		CU_ASSERT_EQUAL(stats.cache_hits, 511);
		/* A whole-region read is one walk per 2 MiB page, too. */
		check_read(o.space, m->va, m->pa, 2 * M2);
		stats = address_space_stats(o.space);
		CU_ASSERT_EQUAL(stats.walks, 2);
		close_written(&o);
	}
	forge_free(forge);
}

/* physical_scan_pages: what a pool search sees. */
struct page_census {
	struct physical_memory *memory;
	uint64_t visited, last_pfn, stop_after;
	bool ordered, same_bytes;
};

static bool count_page(void *context, const unsigned char *page, uint64_t pfn)
{
	struct page_census *census = context;
	if (census->visited && pfn <= census->last_pfn)
		census->ordered = false;
	unsigned char bytes[4096];
	struct error *error = physical_read(census->memory, pfn * 4096, bytes, sizeof bytes);
	if (error || memcmp(bytes, page, sizeof bytes) != 0)
		census->same_bytes = false;
	error_free(error);
	census->last_pfn = pfn;
	census->visited++;
	return census->visited != census->stop_after;
}

/* Every present page once, in PFN order, with the bytes a read gives —
 * zero-copy (a full dump) or copied (an ELF core through libkdumpfile) —
 * and the visitor stops the scan. */
static void scan_visits_every_present_page(void)
{
	const struct scenario *s = &scenarios[0];
	struct forge *forge = build(s);
	const enum forge_format formats[] = { FORGE_WINDOWS_FULL, FORGE_ELF_QEMU };
	for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
		struct opened o;
		if (!open_written(forge, s, formats[f], "scan", &o))
			continue;
		uint64_t present = dump_facts(o.dump)->present_pages;
		struct page_census census = { o.memory, 0, 0, 0, true, true };
		physical_scan_pages(o.memory, count_page, &census);
		CU_ASSERT_EQUAL(census.visited, present);
		CU_ASSERT_TRUE(census.ordered);
		CU_ASSERT_TRUE(census.same_bytes);
		struct page_census stopped = { o.memory, 0, 0, 3, true, true };
		physical_scan_pages(o.memory, count_page, &stopped);
		CU_ASSERT_EQUAL(stopped.visited, 3);
		close_written(&o);
	}
	forge_free(forge);
}

int main(void)
{
	static const struct test_case pages[] = {
		{ "x64 pages through every format", x64_pages_through_every_format },
		{ "PAE pages through every format", pae_pages_through_every_format },
		{ "x86 pages through every format", x86_pages_through_every_format },
		{ "cache serves every small page of a large one", cache_serves_every_small_page_of_a_large_one },
		{ "scan visits every present page", scan_visits_every_present_page },
		{ NULL, NULL },
	};
	static const struct test_case damage[] = {
		{ "unmapped page stops a read", unmapped_page_stops_a_read },
		{ "page-table loop terminates", page_table_loop_terminates },
		{ "dropped table is named", dropped_table_is_named },
		{ "damaged ELF never reads zeros", damaged_elf_never_reads_zeros },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "forge: pages", pages }, { "forge: damage", damage } };
	return run_suites("test_memory_forge", suites, 2);
}
