/* Physical reads and page-table walks on real QEMU dumps of a tiny
 * long-mode guest whose page tables are known (../shared/corpus/qemu/
 * README.md): the ELF core, the reassembled kdump file, and the same
 * memory as a raw image.  The flattened kdump must be refused with the
 * command that fixes it.  Skips (77) when ../shared is not there. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "../../src/memory/memory.h"

static char corpus[4096];

/* The corpus files, decompressed once into the test's temporary folder. */
static const char *unpacked(const char *name)
{
	static char paths[4][4096];
	static const char *names[4];
	for (unsigned i = 0; i < 4; i++) {
		if (names[i] && strcmp(names[i], name) == 0)
			return paths[i];
		if (!names[i]) {
			snprintf(paths[i], sizeof paths[i], "%s/%s", test_temp_dir(), name);
			char command[12000];
			snprintf(command, sizeof command, "xz -dc '%s/%s.xz' > '%s'", corpus, name, paths[i]);
			if (system(command) != 0) {
				fprintf(stderr, "cannot run: %s\n", command);
				exit(99);
			}
			names[i] = name;
			return paths[i];
		}
	}
	exit(99);
}

/* The guest's two strings, taken from boot64.S (`msg: .ascii "..."`). */
static void guest_string(const char *label, char *text, size_t size)
{
	char path[8192];
	snprintf(path, sizeof path, "%s/boot64.S", corpus);
	char *source = read_whole_file(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(source);
	char pattern[64];
	snprintf(pattern, sizeof pattern, "\n%s:", label);
	const char *at = strstr(source, pattern);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	const char *open = strchr(at + strlen(pattern), '"');
	CU_ASSERT_PTR_NOT_NULL_FATAL(open);
	const char *close = strchr(open + 1, '"');
	CU_ASSERT_PTR_NOT_NULL_FATAL(close);
	size_t length = (size_t)(close - open - 1);
	CU_ASSERT_FATAL(length > 0 && length < size);
	memcpy(text, open + 1, length);
	text[length] = '\0';
	free(source);
}

struct opened {
	struct dump *dump;
	struct physical_memory *memory;
	struct address_space *space;
};

static struct opened open_dump(const char *path, enum dump_open_format how)
{
	struct opened o = { 0 };
	struct error *error = dump_open(path, how, &o.dump);
	if (error)
		fprintf(stderr, "%s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	o.memory = physical_memory_open(o.dump);
	o.space = address_space_new(o.memory, PAGING_X64, 0x1000);
	return o;
}

static void close_dump(struct opened *o)
{
	address_space_free(o->space);
	physical_memory_close(o->memory);
	dump_close(o->dump);
}

static void expect_error(struct error *error, enum error_code code, const char *message)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, code);
	if (strcmp(error->message, message) != 0)
		fprintf(stderr, "\n  got:  %s\n  want: %s\n", error->message, message);
	CU_ASSERT_STRING_EQUAL(error->message, message);
	error_free(error);
}

static void check_guest_cpu(const struct dump_facts *facts)
{
	CU_ASSERT_EQUAL_FATAL(facts->cpu_count, 1);
	CU_ASSERT_KNOWN_EQUAL(facts->processors, 1);
	const struct dump_cpu *cpu = &facts->cpus[0];
	CU_ASSERT_KNOWN_EQUAL(cpu->cr3, 0x1000);
	CU_ASSERT_KNOWN_EQUAL(cpu->cr0, 0x80000011);
	CU_ASSERT_KNOWN_EQUAL(cpu->cr4, 0x20);
	CU_ASSERT_TRUE(cpu->rip.known);
	CU_ASSERT_TRUE(cpu->idt_base.known);
	CU_ASSERT_TRUE(cpu->gs_base.known);
	/* QEMU 7.2 writes the 0x1b8-byte note with kernel_gs_base. */
	CU_ASSERT_KNOWN_EQUAL(cpu->kernel_gs_base, 0);
}

/* 32 MiB of RAM plus QEMU's 256 KiB BIOS segment at 0xfffc0000. */
static void check_guest_pages(const struct dump_facts *facts)
{
	CU_ASSERT_EQUAL(facts->present_pages, 0x2000 + 0x40);
	CU_ASSERT_EQUAL(facts->page_ranges, 2);
	CU_ASSERT_EQUAL(facts->max_pfn, 0x100000);
}

static void elf_facts_come_from_its_notes(void)
{
	struct opened o = open_dump(unpacked("lm.elf"), DUMP_DETECT);
	const struct dump_facts *facts = physical_memory_facts(o.memory);
	CU_ASSERT_STRING_EQUAL(facts->format_name, "ELF core");
	CU_ASSERT_EQUAL(facts->arch, DUMP_ARCH_X64);
	check_guest_cpu(facts);
	check_guest_pages(facts);
	struct page_extent extent;
	CU_ASSERT_TRUE(physical_next_extent(o.memory, 0, &extent));
	CU_ASSERT_EQUAL(extent.first_pfn, 0);
	CU_ASSERT_EQUAL(extent.count, 0x2000);
	CU_ASSERT_PTR_NULL(extent.data);
	CU_ASSERT_TRUE(physical_next_extent(o.memory, 0x1fff, &extent));
	CU_ASSERT_EQUAL(extent.first_pfn, 0x1fff);
	CU_ASSERT_EQUAL(extent.count, 1);
	CU_ASSERT_TRUE(physical_next_extent(o.memory, 0x2000, &extent));
	CU_ASSERT_EQUAL(extent.first_pfn, 0xfffc0);
	CU_ASSERT_EQUAL(extent.count, 0x40);
	CU_ASSERT_FALSE(physical_next_extent(o.memory, 0x100000, &extent));
	close_dump(&o);
}

static void kdump_facts_come_from_its_note_area(void)
{
	struct opened o = open_dump(unpacked("lm.zlib.reass"), DUMP_DETECT);
	const struct dump_facts *facts = physical_memory_facts(o.memory);
	CU_ASSERT_STRING_EQUAL(facts->format_name, "kdump");
	/* libkdumpfile leaves arch.name unset (the utsname has no sysname);
	 * it comes from utsname.machine. */
	CU_ASSERT_EQUAL(facts->arch, DUMP_ARCH_X64);
	check_guest_cpu(facts);
	check_guest_pages(facts);
	close_dump(&o);
}

static void elf_and_kdump_hold_the_same_bytes(void)
{
	struct opened elf = open_dump(unpacked("lm.elf"), DUMP_DETECT);
	struct opened kdump = open_dump(unpacked("lm.zlib.reass"), DUMP_DETECT);
	static unsigned char a[DUMP_PAGE_SIZE], b[DUMP_PAGE_SIZE];
	unsigned mismatches = 0, pages = 0;
	struct page_extent extent;
	for (uint64_t pfn = 0; physical_next_extent(elf.memory, pfn, &extent);
	     pfn = extent.first_pfn + extent.count) {
		for (uint64_t p = extent.first_pfn; p < extent.first_pfn + extent.count; p++) {
			struct error *e1 = physical_read(elf.memory, p << 12, a, sizeof a);
			struct error *e2 = physical_read(kdump.memory, p << 12, b, sizeof b);
			CU_ASSERT_PTR_NULL(e1);
			CU_ASSERT_PTR_NULL(e2);
			error_free(e1);
			error_free(e2);
			mismatches += memcmp(a, b, sizeof a) != 0;
			pages++;
		}
	}
	CU_ASSERT_EQUAL(pages, 0x2040);
	CU_ASSERT_EQUAL(mismatches, 0);
	/* A read across a page boundary, in both. */
	unsigned char x[32], y[32];
	CU_ASSERT_PTR_NULL(physical_read(elf.memory, 0x1ff0, x, sizeof x));
	CU_ASSERT_PTR_NULL(physical_read(kdump.memory, 0x1ff0, y, sizeof y));
	CU_ASSERT_EQUAL(memcmp(x, y, sizeof x), 0);
	/* PML4[511] = 0x2003 (boot64.S) lies at 0x1ff8, right before the
	 * boundary; PDPT[0] = 0x3003 right after it.  The CPU has since set
	 * the accessed bit (0x20) in both. */
	CU_ASSERT_EQUAL(x[8] & ~0x20, 0x03);
	CU_ASSERT_EQUAL(x[9], 0x20);
	CU_ASSERT_EQUAL(x[16] & ~0x20, 0x03);
	CU_ASSERT_EQUAL(x[17], 0x30);
	close_dump(&elf);
	close_dump(&kdump);
}

static void pages_past_the_memory_are_absent(void)
{
	const char *path = unpacked("lm.elf");
	struct opened o = open_dump(path, DUMP_DETECT);
	char want[8192];
	unsigned char buffer[64];
	snprintf(want, sizeof want, "%s: physical address 0x2000000: not in the dump", path);
	expect_error(physical_read(o.memory, 0x2000000, buffer, 8), ERROR_ABSENT, want);
	/* A read that starts in memory and runs out names the first
	 * missing byte. */
	expect_error(physical_read(o.memory, 0x1fffff0, buffer, 64), ERROR_ABSENT, want);
	close_dump(&o);

	path = unpacked("lm.zlib.reass");
	o = open_dump(path, DUMP_DETECT);
	snprintf(want, sizeof want, "%s: physical address 0x2000000: not in the dump", path);
	expect_error(physical_read(o.memory, 0x1fffff0, buffer, 64), ERROR_ABSENT, want);
	close_dump(&o);
}

static void check_translation(struct address_space *space, uint64_t va, uint64_t pa)
{
	uint64_t physical = 0;
	struct error *error = virtual_translate(space, va, &physical);
	if (error)
		fprintf(stderr, "\n  0x%" PRIx64 ": %s\n", va, error->message);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	CU_ASSERT_EQUAL(physical, pa);
}

static void check_known_translations(const char *path)
{
	struct opened o = open_dump(path, DUMP_DETECT);
	const struct dump_facts *facts = physical_memory_facts(o.memory);
	address_space_free(o.space);
	o.space = address_space_new(o.memory, PAGING_X64, facts->cpus[0].cr3.value);
	check_translation(o.space, 0xffffffff80008000ULL, 0x8000); /* the 2 MiB page */
	check_translation(o.space, 0xffffffff80000000ULL, 0);
	check_translation(o.space, 0xffffffff801fffffULL, 0x1fffff);
	check_translation(o.space, 0x1234, 0x1234);                /* PML4[0] → the same PDPT */
	check_translation(o.space, 0x200000, 0x9000);              /* 4 KiB pages via PT 0x4000 */
	check_translation(o.space, 0x200010, 0x9010);
	check_translation(o.space, 0x201000, 0xa000);
	check_translation(o.space, 0x201fff, 0xafff);
	char want[8192];
	uint64_t physical;
	snprintf(want, sizeof want, "%s: virtual address 0x202000: Page not present: pte[2] = 0xb000", path);
	expect_error(virtual_translate(o.space, 0x202000, &physical), ERROR_ABSENT, want);
	snprintf(want, sizeof want,
		 "%s: virtual address 0xffff800000000000: PDPT table not present: p4d[256] = 0x0", path);
	expect_error(virtual_translate(o.space, 0xffff800000000000ULL, &physical), ERROR_ABSENT, want);
	snprintf(want, sizeof want,
		 "%s: virtual address 0x800000000000: not a canonical 48-bit address (x64 4-level)", path);
	expect_error(virtual_translate(o.space, 0x800000000000ULL, &physical), ERROR_FORMAT, want);
	/* A read that runs from a mapped page into the unmapped one. */
	unsigned char buffer[32];
	snprintf(want, sizeof want, "%s: virtual address 0x202000: Page not present: pte[2] = 0xb000", path);
	expect_error(virtual_read(o.space, 0x201ff0, buffer, sizeof buffer), ERROR_ABSENT, want);
	/* Mapped, but past the end of the guest's RAM: the kernel-text 2 MiB
	 * pages of PD[0] only; PD[2] at VA 0xffffffff80400000 is empty. */
	snprintf(want, sizeof want,
		 "%s: virtual address 0xffffffff80400000: Page table not present: pmd[2] = 0x0", path);
	expect_error(virtual_translate(o.space, 0xffffffff80400000ULL, &physical), ERROR_ABSENT, want);
	close_dump(&o);
}

static void elf_translations_match_the_guest_tables(void)
{
	check_known_translations(unpacked("lm.elf"));
}

static void kdump_translations_match_the_guest_tables(void)
{
	check_known_translations(unpacked("lm.zlib.reass"));
}

static void check_guest_strings(const char *path, enum dump_open_format how)
{
	char msg[128], msg2[128], got[128];
	guest_string("msg", msg, sizeof msg);
	guest_string("msg2", msg2, sizeof msg2);
	CU_ASSERT_STRING_EQUAL(msg, "LONGMODE-MARKER-VIA-KTEXT");
	struct opened o = open_dump(path, how);
	memset(got, 0, sizeof got);
	CU_ASSERT_PTR_NULL(virtual_read(o.space, 0xffffffff80008000ULL, got, strlen(msg)));
	CU_ASSERT_STRING_EQUAL(got, msg);
	memset(got, 0, sizeof got);
	CU_ASSERT_PTR_NULL(virtual_read(o.space, 0x200010, got, strlen(msg2)));
	CU_ASSERT_STRING_EQUAL(got, msg2);
	/* The same bytes by physical address: 0x8000 and 0x9010. */
	memset(got, 0, sizeof got);
	CU_ASSERT_PTR_NULL(physical_read(o.memory, 0x9010, got, strlen(msg2)));
	CU_ASSERT_STRING_EQUAL(got, msg2);
	close_dump(&o);
}

static void elf_holds_the_guest_strings(void)
{
	check_guest_strings(unpacked("lm.elf"), DUMP_DETECT);
}

static void kdump_holds_the_guest_strings(void)
{
	check_guest_strings(unpacked("lm.zlib.reass"), DUMP_DETECT);
}

/* The ELF's RAM segment, cut out as a raw image: the same walk works on
 * a file with no headers at all. */
static void raw_image_of_the_guest_translates(void)
{
	size_t length;
	char *elf = read_whole_file(unpacked("lm.elf"), &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(elf);
	/* Program header 1 (after PT_NOTE) is [0, 32 MiB); its p_offset. */
	uint64_t phoff, offset, size;
	memcpy(&phoff, elf + 0x20, 8);
	memcpy(&offset, elf + phoff + 56 + 8, 8);
	memcpy(&size, elf + phoff + 56 + 32, 8);
	CU_ASSERT_EQUAL_FATAL(size, 0x2000000);
	char path[8192];
	snprintf(path, sizeof path, "%s/lm.raw", test_temp_dir());
	FILE *raw = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	CU_ASSERT_EQUAL(fwrite(elf + offset, 1, (size_t)size, raw), size);
	fclose(raw);

	struct dump *dump;
	struct error *error = dump_open(path, DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NOT_NULL(error); /* nothing says "raw" in the bytes */
	error_free(error);
	check_guest_strings(path, DUMP_FORCE_RAW);
	struct opened o = open_dump(path, DUMP_FORCE_RAW);
	const struct dump_facts *facts = physical_memory_facts(o.memory);
	CU_ASSERT_STRING_EQUAL(facts->format_name, "raw");
	CU_ASSERT_EQUAL(facts->arch, DUMP_ARCH_UNKNOWN);
	CU_ASSERT_EQUAL(facts->present_pages, 0x2000);
	CU_ASSERT_EQUAL(facts->max_pfn, 0x2000);
	struct page_extent extent;
	CU_ASSERT_TRUE(physical_next_extent(o.memory, 5, &extent));
	CU_ASSERT_EQUAL(extent.first_pfn, 5);
	CU_ASSERT_EQUAL(extent.count, 0x2000 - 5);
	CU_ASSERT_PTR_NOT_NULL(extent.data); /* zero-copy from the mapping */
	CU_ASSERT_EQUAL(memcmp(extent.data, elf + offset + 5 * 4096, 4096), 0);
	close_dump(&o);
	free(elf);
}

static void flattened_kdump_is_refused_with_the_fix(void)
{
	const char *path = unpacked("lm.zlib");
	struct dump *dump = NULL;
	char want[8192];
	snprintf(want, sizeof want,
		 "%s: offset 0x0: flattened makedumpfile format: reassemble it with "
		 "`makedumpfile -R out < in` first", path);
	expect_error(dump_open(path, DUMP_DETECT, &dump), ERROR_UNSUPPORTED, want);
	CU_ASSERT_PTR_NULL(dump);
}

/* A copy of the kdump file cut at length bytes, in the test's folder. */
static const char *cut_kdump(size_t length, char *path, size_t size)
{
	size_t whole;
	char *bytes = read_whole_file(unpacked("lm.zlib.reass"), &whole);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
	CU_ASSERT_FATAL(length <= whole);
	snprintf(path, size, "%s/cut%zu.kdump", test_temp_dir(), length);
	FILE *file = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_EQUAL(fwrite(bytes, 1, length, file), length);
	fclose(file);
	free(bytes);
	return path;
}

/* A kdump file cut short: libkdumpfile reads whatever lies past the end as
 * zeros (kdump_descriptors.c), and the guest's memory is mostly zero
 * pages, so a page of zeros is no proof.  The file's page descriptors end
 * at 0x72600, where the data begins with the zero page all zero pages
 * share; each page's data follow in PFN order. */
static void truncated_kdump_gives_errors_not_zeros(void)
{
	char path[8192];
	/* Cut inside the descriptors: no page's data is in the file. */
	cut_kdump(400000, path, sizeof path);
	struct dump *dump = NULL;
	struct error *error = dump_open(path, DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NULL(dump);
	char want[8600];
	snprintf(want, sizeof want, "%s: offset 0x61a80: the file ends before the first page of data: "
		 "none of the dump's 8256 pages are in it", path);
	expect_error(error, ERROR_TRUNCATED, want);

	/* Cut inside the data at 0x90000: the last 46 pages (the BIOS's,
	 * from PFN 0xfffd2) are cut off, and five below 0x2000 whose data lie
	 * further on than their neighbours'. */
	struct opened cut = open_dump(cut_kdump(0x90000, path, sizeof path), DUMP_DETECT);
	const struct dump_facts *facts = physical_memory_facts(cut.memory);
	CU_ASSERT_EQUAL(facts->present_pages, 8256 - 46);
	CU_ASSERT_EQUAL(facts->pages_missing_from_file, 46);
	CU_ASSERT_EQUAL(facts->max_pfn, 0xfffd2);
	struct opened whole = open_dump(unpacked("lm.elf"), DUMP_DETECT);
	static unsigned char a[DUMP_PAGE_SIZE], b[DUMP_PAGE_SIZE];
	unsigned same = 0, failed = 0, different = 0;
	for (uint64_t pfn = 0; pfn < 0x2000; pfn++) {
		CU_ASSERT_PTR_NULL(physical_read(whole.memory, pfn << 12, a, sizeof a));
		error = physical_read(cut.memory, pfn << 12, b, sizeof b);
		if (error) {
			failed++;
			CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
			error_free(error);
		} else if (memcmp(a, b, sizeof a) == 0) {
			same++;
		} else {
			different++;
		}
	}
	CU_ASSERT_EQUAL(same, 0x2000 - 5);
	CU_ASSERT_EQUAL(failed, 5);
	CU_ASSERT_EQUAL(different, 0);
	snprintf(want, sizeof want, "%s: physical address 0x1fbe000: not in the dump: its page descriptor "
		 "at offset 0x719d0 places its 0xb99 bytes at offset 0x900e9, past the end of the file "
		 "at 0x90000 (46 of the dump's pages are cut off)", path);
	CU_ASSERT_PTR_NULL(dump_page(cut.dump, 0x1fbe, &error));
	expect_error(error, ERROR_ABSENT, want);
	snprintf(want, sizeof want, "%s: physical address 0xffff0000: not in the dump: its page descriptor "
		 "at offset 0x72480 places its 0x89d bytes at offset 0xa5792, past the end of the file "
		 "at 0x90000 (46 of the dump's pages are cut off)", path);
	CU_ASSERT_PTR_NULL(dump_page(cut.dump, 0xffff0, &error));
	expect_error(error, ERROR_ABSENT, want);
	close_dump(&cut);
	close_dump(&whole);
}

/* Reads pages [first, end) of memory one by one; how many failed. */
static unsigned read_pages(struct physical_memory *memory, uint64_t first, uint64_t end)
{
	static unsigned char page[DUMP_PAGE_SIZE];
	unsigned failed = 0;
	for (uint64_t pfn = first; pfn < end; pfn++) {
		struct error *error = physical_read(memory, pfn << 12, page, sizeof page);
		failed += error != NULL;
		error_free(error);
	}
	return failed;
}

/* Page 0xa again, as the ELF core holds it. */
static void page_a_reads_as_in_the_elf(struct physical_memory *memory)
{
	struct opened elf = open_dump(unpacked("lm.elf"), DUMP_DETECT);
	static unsigned char want[DUMP_PAGE_SIZE], got[DUMP_PAGE_SIZE];
	CU_ASSERT_PTR_NULL(physical_read(elf.memory, 0xa000, want, sizeof want));
	struct error *error = physical_read(memory, 0xa000, got, sizeof got);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	CU_ASSERT_EQUAL(memcmp(want, got, sizeof want), 0);
	close_dump(&elf);
}

/* libkdumpfile 0.5.1's page cache hands out an entry with no buffer when
 * a page it evicted is read again after a failed read (upstream e63dab4,
 * after 0.5.4), and the next kdump_read writes through NULL.  Found here:
 * 2038 pages, 0x1800 pages the file does not hold, then the first page
 * again ended the process with SIGSEGV. */
static void kdump_rereads_after_absent_pages(void)
{
	const char *path = unpacked("lm.zlib.reass");
	struct opened o = open_dump(path, DUMP_DETECT);
	CU_ASSERT_EQUAL(read_pages(o.memory, 0xa, 0x800), 0);
	CU_ASSERT_EQUAL(read_pages(o.memory, 0x2000, 0x3800), 0x1800);
	char want[8192];
	unsigned char byte;
	snprintf(want, sizeof want, "%s: physical address 0x3000000: not in the dump", path);
	expect_error(physical_read(o.memory, 0x3000000, &byte, 1), ERROR_ABSENT, want);
	page_a_reads_as_in_the_elf(o.memory);
	close_dump(&o);
}

/* The same through pages the page map holds but libkdumpfile cannot read:
 * the descriptors of PFNs 0x800-0x1fff (24 bytes each from 0x42000, after
 * the header, sub-header and bitmap blocks) say their uncompressed data
 * are 0 bytes long ("Wrong page size: 0"). */
static void kdump_rereads_after_unreadable_pages(void)
{
	size_t length;
	char *bytes = read_whole_file(unpacked("lm.zlib.reass"), &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
	for (unsigned pfn = 0x800; pfn < 0x2000; pfn++)
		memset(bytes + 0x42000 + 24 * pfn + 8, 0, 4);
	char path[8192];
	snprintf(path, sizeof path, "%s/sizeless.kdump", test_temp_dir());
	FILE *file = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_EQUAL(fwrite(bytes, 1, length, file), length);
	fclose(file);
	free(bytes);
	struct opened o = open_dump(path, DUMP_DETECT);
	CU_ASSERT_EQUAL(read_pages(o.memory, 0xa, 0x2000), 0x1800);
	char want[8600];
	snprintf(want, sizeof want, "%s: physical address 0x1000000: cannot be read (libkdumpfile: "
		 "Wrong page size: 0)", path);
	unsigned char byte;
	expect_error(physical_read(o.memory, 0x1000000, &byte, 1), ERROR_FORMAT, want);
	page_a_reads_as_in_the_elf(o.memory);
	close_dump(&o);
}

/* dump_open_memory hands libkdumpfile a memory file holding the bytes. */
static void elf_opens_from_memory(void)
{
	size_t length;
	char *bytes = read_whole_file(unpacked("lm.elf"), &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
	struct dump *dump = NULL;
	struct error *error = dump_open_memory(bytes, length, "lm.elf (memory)", DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NULL_FATAL(error);
	const struct dump_facts *facts = dump_facts(dump);
	CU_ASSERT_STRING_EQUAL(facts->format_name, "ELF core");
	check_guest_cpu(facts);
	struct physical_memory *memory = physical_memory_open(dump);
	struct address_space *space = address_space_new(memory, PAGING_X64, 0x1000);
	char got[32] = { 0 };
	CU_ASSERT_PTR_NULL(virtual_read(space, 0x200010, got, 26));
	CU_ASSERT_STRING_EQUAL(got, "LONGMODE-MARKER-VIA-4K-PTE");
	address_space_free(space);
	physical_memory_close(memory);
	dump_close(dump);
	free(bytes);
}

static void cache_hits_inside_large_pages_and_can_be_turned_off(void)
{
	struct opened o = open_dump(unpacked("lm.zlib.reass"), DUMP_DETECT);
	uint64_t physical;
	CU_ASSERT_PTR_NULL(virtual_translate(o.space, 0xffffffff80008000ULL, &physical));
	CU_ASSERT_PTR_NULL(virtual_translate(o.space, 0xffffffff80008010ULL, &physical));
	CU_ASSERT_PTR_NULL(virtual_translate(o.space, 0xffffffff80123456ULL, &physical)); /* same 2 MiB page */
	CU_ASSERT_EQUAL(physical, 0x123456);
	CU_ASSERT_PTR_NULL(virtual_translate(o.space, 0x200000, &physical));
	CU_ASSERT_PTR_NULL(virtual_translate(o.space, 0x200fff, &physical));
	struct translation_stats stats = address_space_stats(o.space);
	CU_ASSERT_EQUAL(stats.lookups, 5);
	CU_ASSERT_EQUAL(stats.walks, 2);
	CU_ASSERT_EQUAL(stats.cache_hits, 3);

	/* Without the cache every lookup walks, with the same answers. */
	address_space_use_cache(o.space, false);
	CU_ASSERT_PTR_NULL(virtual_translate(o.space, 0xffffffff80123456ULL, &physical));
	CU_ASSERT_EQUAL(physical, 0x123456);
	CU_ASSERT_PTR_NULL(virtual_translate(o.space, 0x200fff, &physical));
	CU_ASSERT_EQUAL(physical, 0x9fff);
	stats = address_space_stats(o.space);
	CU_ASSERT_EQUAL(stats.lookups, 7);
	CU_ASSERT_EQUAL(stats.walks, 4);
	CU_ASSERT_EQUAL(stats.cache_hits, 3);
	/* Failures are not cached. */
	address_space_use_cache(o.space, true);
	for (int i = 0; i < 2; i++) {
		struct error *error = virtual_translate(o.space, 0x202000, &physical);
		CU_ASSERT_PTR_NOT_NULL(error);
		error_free(error);
	}
	stats = address_space_stats(o.space);
	CU_ASSERT_EQUAL(stats.walks, 6);
	close_dump(&o);
}

int main(void)
{
	const char *shared = shared_dir();
	if (!shared) {
		puts("test_memory_qemu: ../shared is not here; skipped");
		return 77;
	}
	snprintf(corpus, sizeof corpus, "%s/corpus/qemu", shared);
	static const struct test_case opening[] = {
		{ "ELF facts come from its notes", elf_facts_come_from_its_notes },
		{ "kdump facts come from its note area", kdump_facts_come_from_its_note_area },
		{ "flattened kdump is refused with the fix", flattened_kdump_is_refused_with_the_fix },
		{ "ELF opens from memory", elf_opens_from_memory },
		{ NULL, NULL },
	};
	static const struct test_case physical[] = {
		{ "ELF and kdump hold the same bytes", elf_and_kdump_hold_the_same_bytes },
		{ "pages past the memory are absent", pages_past_the_memory_are_absent },
		{ "truncated kdump gives errors, not zeros", truncated_kdump_gives_errors_not_zeros },
		{ "kdump rereads after absent pages", kdump_rereads_after_absent_pages },
		{ "kdump rereads after unreadable pages", kdump_rereads_after_unreadable_pages },
		{ NULL, NULL },
	};
	static const struct test_case virtual[] = {
		{ "ELF translations match the guest tables", elf_translations_match_the_guest_tables },
		{ "kdump translations match the guest tables", kdump_translations_match_the_guest_tables },
		{ "ELF holds the guest strings", elf_holds_the_guest_strings },
		{ "kdump holds the guest strings", kdump_holds_the_guest_strings },
		{ "raw image of the guest translates", raw_image_of_the_guest_translates },
		{ "cache hits inside large pages and can be turned off",
		  cache_hits_inside_large_pages_and_can_be_turned_off },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "qemu: opening", opening },
		{ "qemu: physical", physical },
		{ "qemu: virtual", virtual },
	};
	return run_suites("test_memory_qemu", suites, 3);
}
