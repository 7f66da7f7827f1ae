/* The libkdumpfile adapter and the raw reader on small files written here
 * byte by byte, for the cases no other writer makes: overlapping PT_LOADs
 * (QEMU's paging-mode dumps, on which libkdumpfile's page map stops
 * advancing: deps.md §2), PN_XNUM program-header counts, "QEMU" notes
 * whose size field leaves fields out, 32-bit guests, and files to refuse. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"
#include "../../src/memory/memory.h"

/* ---- a minimal ELF64 core writer ---------------------------------- */

struct segment {
	uint64_t physical, pages;
};

struct core {
	unsigned machine;      /* 62 EM_X86_64, 3 EM_386, 183 EM_AARCH64 */
	bool many_segments;    /* e_phnum = PN_XNUM, count in section 0 */
	const struct segment *loads;
	unsigned load_count;
	const unsigned char *note; /* one "QEMU" note's descriptor, or NULL */
	uint32_t note_length;
};

static void put(unsigned char *at, uint64_t value, unsigned width)
{
	for (unsigned i = 0; i < width; i++)
		at[i] = (unsigned char)(value >> (8 * i));
}

/* Every 8-byte word of a page holds its physical address plus one, so a
 * read can be checked wherever it came from. */
static void fill_page(unsigned char *page, uint64_t physical)
{
	for (unsigned i = 0; i < DUMP_PAGE_SIZE; i += 8)
		put(page + i, physical + i + 1, 8);
}

static unsigned char *write_core(const struct core *c, size_t *length)
{
	unsigned segments = c->load_count + (c->note ? 1 : 0);
	size_t headers = 64 + (c->many_segments ? 64 : 0) + 56 * (size_t)segments;
	size_t note_bytes = c->note ? 12 + 8 + ((c->note_length + 3u) & ~3u) : 0;
	size_t data = (headers + note_bytes + 4095) & ~(size_t)4095;
	size_t size = data;
	for (unsigned i = 0; i < c->load_count; i++)
		size += c->loads[i].pages * DUMP_PAGE_SIZE;
	unsigned char *file = calloc(1, size);
	memcpy(file, "\177ELF\2\1\1", 7);
	put(file + 16, 4, 2); /* ET_CORE */
	put(file + 18, c->machine, 2);
	put(file + 20, 1, 4);
	put(file + 0x20, c->many_segments ? 128 : 64, 8); /* e_phoff */
	put(file + 0x28, c->many_segments ? 64 : 0, 8);   /* e_shoff */
	put(file + 0x34, 64, 2);
	put(file + 0x36, 56, 2);
	put(file + 0x38, c->many_segments ? 0xffff : segments, 2);
	put(file + 0x3a, 64, 2);
	put(file + 0x3c, c->many_segments ? 1 : 0, 2);
	if (c->many_segments)
		put(file + 64 + 0x2c, segments, 4); /* sh_info */
	unsigned char *ph = file + (c->many_segments ? 128 : 64);
	size_t note_at = headers;
	if (c->note) {
		put(ph, 4, 4); /* PT_NOTE */
		put(ph + 8, note_at, 8);
		put(ph + 32, note_bytes, 8);
		put(ph + 40, note_bytes, 8);
		ph += 56;
		put(file + note_at, 5, 4);
		put(file + note_at + 4, c->note_length, 4);
		memcpy(file + note_at + 12, "QEMU", 5);
		memcpy(file + note_at + 20, c->note, c->note_length);
	}
	size_t offset = data;
	for (unsigned i = 0; i < c->load_count; i++) {
		uint64_t bytes = c->loads[i].pages * DUMP_PAGE_SIZE;
		put(ph, 1, 4); /* PT_LOAD */
		put(ph + 8, offset, 8);
		put(ph + 16, c->loads[i].physical, 8); /* p_vaddr: as QEMU without paging */
		put(ph + 24, c->loads[i].physical, 8);
		put(ph + 32, bytes, 8);
		put(ph + 40, bytes, 8);
		ph += 56;
		for (uint64_t p = 0; p < c->loads[i].pages; p++)
			fill_page(file + offset + p * DUMP_PAGE_SIZE, c->loads[i].physical + p * DUMP_PAGE_SIZE);
		offset += bytes;
	}
	*length = size;
	return file;
}

static const char *save(const char *name, const unsigned char *bytes, size_t length)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", test_temp_dir(), name);
	FILE *file = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_EQUAL(fwrite(bytes, 1, length, file), length);
	fclose(file);
	return path;
}

static struct dump *open_core(const struct core *c, const char *name)
{
	size_t length;
	unsigned char *bytes = write_core(c, &length);
	const char *path = save(name, bytes, length);
	free(bytes);
	struct dump *dump = NULL;
	struct error *error = dump_open(path, DUMP_DETECT, &dump);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	return dump;
}

static void check_page(struct physical_memory *memory, uint64_t pfn)
{
	unsigned char bytes[16];
	struct error *error = physical_read(memory, (pfn << 12) + 0xff8, bytes, sizeof bytes);
	CU_ASSERT_PTR_NULL_FATAL(error);
	uint64_t before = 0, after = 0;
	for (unsigned i = 8; i-- > 0;) {
		before = before << 8 | bytes[i];
		after = after << 8 | bytes[8 + i];
	}
	CU_ASSERT_EQUAL(before, (pfn << 12) + 0xff8 + 1);
	CU_ASSERT_EQUAL(after, ((pfn + 1) << 12) + 1);
}

/* ---- the tests ------------------------------------------------------ */

static void overlapping_loads_give_their_union(void)
{
	/* [0, 64) with [8, 10) and [16, 20) inside it, then [256, 272):
	 * like QEMU's paging-mode ELF, physical ranges repeat. */
	static const struct segment loads[] = { { 0, 64 }, { 0x8000, 2 }, { 0x10000, 4 }, { 0x100000, 16 } };
	struct core c = { .machine = 62, .loads = loads, .load_count = 4 };
	struct dump *dump = open_core(&c, "overlap.elf");
	const struct dump_facts *facts = dump_facts(dump);
	CU_ASSERT_STRING_EQUAL(facts->format_name, "ELF core");
	CU_ASSERT_EQUAL(facts->present_pages, 64 + 16);
	CU_ASSERT_EQUAL(facts->page_ranges, 2);
	CU_ASSERT_EQUAL(facts->max_pfn, 0x110);
	CU_ASSERT_EQUAL(facts->cpu_count, 0);
	struct physical_memory *memory = physical_memory_open(dump);
	check_page(memory, 9);
	check_page(memory, 0x3e);
	check_page(memory, 0x100);
	unsigned char byte;
	struct error *error = physical_read(memory, 0x40000, &byte, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	error_free(error);
	physical_memory_close(memory);
	dump_close(dump);
}

static void separate_loads_come_from_the_page_map(void)
{
	static const struct segment loads[] = { { 0, 16 }, { 0x20000, 2 }, { 0x22000, 3 }, { 0x100000000ULL, 1 } };
	struct core c = { .machine = 62, .loads = loads, .load_count = 4 };
	struct dump *dump = open_core(&c, "separate.elf");
	const struct dump_facts *facts = dump_facts(dump);
	CU_ASSERT_EQUAL(facts->present_pages, 16 + 5 + 1);
	CU_ASSERT_EQUAL(facts->page_ranges, 3); /* the adjacent loads are one run */
	CU_ASSERT_EQUAL(facts->max_pfn, 0x100001);
	struct physical_memory *memory = physical_memory_open(dump);
	struct page_extent extent;
	CU_ASSERT_TRUE(physical_next_extent(memory, 16, &extent));
	CU_ASSERT_EQUAL(extent.first_pfn, 0x20);
	CU_ASSERT_EQUAL(extent.count, 5);
	CU_ASSERT_PTR_NULL(extent.data);
	check_page(memory, 0x23);
	unsigned char bytes[8];
	CU_ASSERT_PTR_NULL(physical_read(memory, 0x100000000ULL, bytes, 8));
	CU_ASSERT_EQUAL(bytes[0], 1);
	CU_ASSERT_EQUAL(bytes[4], 1);
	physical_memory_close(memory);
	dump_close(dump);
}

static void many_segments_count_comes_from_section_zero(void)
{
	static const struct segment loads[] = { { 0, 4 }, { 0x10000, 4 } };
	unsigned char note[0x1b8] = { 0 };
	put(note, 1, 4);
	put(note + 4, sizeof note, 4);
	put(note + 0x1a0, 0x7000, 8);
	struct core c = { .machine = 62, .many_segments = true, .loads = loads, .load_count = 2,
			  .note = note, .note_length = sizeof note };
	struct dump *dump = open_core(&c, "pn_xnum.elf");
	const struct dump_facts *facts = dump_facts(dump);
	CU_ASSERT_EQUAL(facts->present_pages, 8);
	CU_ASSERT_EQUAL_FATAL(facts->cpu_count, 1);
	CU_ASSERT_KNOWN_EQUAL(facts->cpus[0].cr3, 0x7000);
	dump_close(dump);
}

/* dump-formats.md §7: kernel_gs_base exists only when the note's size
 * field says 0x1b8; a field past the size (or past the note) is unknown. */
static void note_size_field_decides_which_fields_exist(void)
{
	static const struct segment loads[] = { { 0, 4 } };
	unsigned char note[0x1b8];
	memset(note, 0xab, sizeof note);
	put(note, 1, 4);
	put(note + 4, 0x1b0, 4); /* an older QEMU: no kernel_gs_base */
	put(note + 0x188, 0x80000011, 8);
	put(note + 0x1a0, 0x1000, 8);
	put(note + 0x1a8, 0x20, 8);
	struct core c = { .machine = 62, .loads = loads, .load_count = 1, .note = note,
			  .note_length = sizeof note };
	struct dump *dump = open_core(&c, "note_1b0.elf");
	const struct dump_cpu *cpu = &dump_facts(dump)->cpus[0];
	CU_ASSERT_KNOWN_EQUAL(cpu->cr0, 0x80000011);
	CU_ASSERT_KNOWN_EQUAL(cpu->cr3, 0x1000);
	CU_ASSERT_KNOWN_EQUAL(cpu->cr4, 0x20);
	CU_ASSERT_KNOWN_EQUAL(cpu->idt_base, 0xabababababababab);
	CU_ASSERT_FALSE(cpu->kernel_gs_base.known);
	dump_close(dump);

	put(note + 4, 0x1a0, 4); /* cr3 would start at the size */
	dump = open_core(&c, "note_1a0.elf");
	cpu = &dump_facts(dump)->cpus[0];
	CU_ASSERT_TRUE(cpu->cr0.known);
	CU_ASSERT_FALSE(cpu->cr3.known);
	CU_ASSERT_FALSE(cpu->cr4.known);
	dump_close(dump);

	put(note + 4, 0xffffffff, 4); /* a size beyond the note: the note's length rules */
	c.note_length = 0x1a4;
	dump = open_core(&c, "note_short.elf");
	cpu = &dump_facts(dump)->cpus[0];
	CU_ASSERT_TRUE(cpu->cr0.known);
	CU_ASSERT_FALSE(cpu->cr3.known);
	dump_close(dump);
}

/* A note area that ends the file with a 1-byte descriptor, without the 3
 * bytes of padding a note would have.  The file lies right before a page
 * that cannot be read, so reading past its end faults in every build
 * (found here: the walk read 12 bytes past the end of the mapping). */
static void note_area_ending_the_file(void)
{
	static const struct segment loads[] = { { 0, 2 } };
	static const unsigned char descriptor[1] = { 0 };
	struct core c = { .machine = 62, .loads = loads, .load_count = 1, .note = descriptor,
			  .note_length = 1 };
	size_t length;
	unsigned char *core = write_core(&c, &length);
	/* write_core put the note (12 + 8 + 1 bytes) after the headers and its
	 * PT_NOTE first; move the note to the end of the file. */
	enum { NOTE_BYTES = 12 + 8 + 1, NOTE_AT = 64 + 56 * 2 };
	size_t size = length + NOTE_BYTES;
	size_t pages = (size + DUMP_PAGE_SIZE - 1) / DUMP_PAGE_SIZE;
	unsigned char *area = mmap(NULL, (pages + 1) * DUMP_PAGE_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CU_ASSERT_FATAL(area != MAP_FAILED);
	CU_ASSERT_EQUAL_FATAL(mprotect(area + pages * DUMP_PAGE_SIZE, DUMP_PAGE_SIZE, PROT_NONE), 0);
	unsigned char *file = area + pages * DUMP_PAGE_SIZE - size;
	memcpy(file, core, length);
	memcpy(file + length, core + NOTE_AT, NOTE_BYTES);
	put(file + 64 + 8, length, 8);      /* p_offset */
	put(file + 64 + 32, NOTE_BYTES, 8); /* p_filesz */
	struct dump *dump = NULL;
	struct error *error = dump_open_memory(file, size, "note_at_end.elf", DUMP_DETECT, &dump);
	CU_ASSERT_PTR_NULL_FATAL(error);
	/* One CPU, its note too short for any register. */
	CU_ASSERT_EQUAL(dump_facts(dump)->cpu_count, 1);
	CU_ASSERT_FALSE(dump_facts(dump)->cpus[0].cr3.known);
	dump_close(dump);
	munmap(area, (pages + 1) * DUMP_PAGE_SIZE);
	free(core);
}

/* A 32-bit guest: EM_386 (deps.md §2: QEMU writes it when the guest is
 * not in long mode); CR4.PAE gives the paging mode. */
static void x86_guest_reports_pae_from_cr4(void)
{
	static const struct segment loads[] = { { 0, 4 } };
	unsigned char note[0x1b8] = { 0 };
	put(note, 1, 4);
	put(note + 4, sizeof note, 4);
	put(note + 0x1a8, 0x20, 8);
	struct core c = { .machine = 3, .loads = loads, .load_count = 1, .note = note,
			  .note_length = sizeof note };
	struct dump *dump = open_core(&c, "x86_pae.elf");
	CU_ASSERT_EQUAL(dump_facts(dump)->arch, DUMP_ARCH_X86);
	CU_ASSERT_EQUAL(dump_facts(dump)->pae, 1);
	dump_close(dump);
	put(note + 0x1a8, 0x10, 8);
	dump = open_core(&c, "x86_nopae.elf");
	CU_ASSERT_EQUAL(dump_facts(dump)->pae, 0);
	dump_close(dump);
}

static void expect_open_error(const char *name, const unsigned char *bytes, size_t length,
			      enum dump_open_format how, enum error_code code, const char *text)
{
	const char *path = save(name, bytes, length);
	struct dump *dump = NULL;
	struct error *error = dump_open(path, how, &dump);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_PTR_NULL(dump);
	CU_ASSERT_EQUAL(error->code, code);
	if (!strstr(error->message, text))
		fprintf(stderr, "\n  got: %s\n  want: ...%s\n", error->message, text);
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, text));
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, path));
	error_free(error);
}

static const unsigned char small_note[8];

static void files_to_refuse(void)
{
	static const struct segment loads[] = { { 0, 2 } };
	struct core c = { .machine = 183, .loads = loads, .load_count = 1 };
	size_t length;
	unsigned char *bytes = write_core(&c, &length);
	expect_open_error("arm.elf", bytes, length, DUMP_DETECT, ERROR_UNSUPPORTED,
			  "offset 0x12: ELF core for machine 183, not x86 or x64");
	/* A process core: p_paddr 0, p_vaddr the program's addresses. */
	static const struct segment process[] = { { 0x400000, 1 }, { 0x600000, 1 } };
	struct core p = { .machine = 62, .loads = process, .load_count = 2 };
	size_t process_length;
	unsigned char *process_core = write_core(&p, &process_length);
	for (unsigned i = 0; i < 2; i++)
		put(process_core + 64 + 56 * i + 24, 0, 8); /* p_paddr */
	expect_open_error("process.core", process_core, process_length, DUMP_DETECT, ERROR_UNSUPPORTED,
			  "offset 0x40: the core of a process (PT_LOADs with virtual addresses only, "
			  "p_paddr 0), not a memory dump of a machine");
	free(process_core);
	/* Program headers past the end of the file. */
	put(bytes + 18, 62, 2);
	put(bytes + 0x38, 0xfffe, 2);
	expect_open_error("phnum.elf", bytes, length, DUMP_DETECT, ERROR_TRUNCATED,
			  "65534 program headers do not fit in the file");
	/* Every PT_LOAD's data cut off (the data start at 0x1000 here). */
	put(bytes + 0x38, 1, 2);
	expect_open_error("cut.elf", bytes, 0x1000 + 100, DUMP_DETECT, ERROR_TRUNCATED,
			  "the file ends before the first page of data: none of the dump's 2 pages are in it");
	/* No PT_LOAD at all: libkdumpfile refuses it (KDUMP_ERR_NOTIMPL). */
	put(bytes + 0x38, 0, 2);
	expect_open_error("empty.elf", bytes, length, DUMP_DETECT, ERROR_UNSUPPORTED,
			  "libkdumpfile cannot open it: Cannot set file.set.0.fd: No content found");
	free(bytes);
	/* e_shoff 1 and no sections: libkdumpfile 0.5.1's open ended the
	 * process with SIGSEGV (found here); tried in a child first, it is a
	 * refusal (the child's end is a signal, or under ASan exit status 1). */
	struct core shoff = { .machine = 62, .loads = loads, .load_count = 1 };
	unsigned char *shoff_core = write_core(&shoff, &length);
	put(shoff_core + 0x28, 1, 8);
	put(shoff_core + 0x3a, 0, 2);
	expect_open_error("shoff.elf", shoff_core, length, DUMP_DETECT, ERROR_FORMAT,
			  "libkdumpfile crashed opening it (");
	free(shoff_core);
	/* A note segment past the end of the file: libkdumpfile would read it
	 * whole (found here: p_filesz 0xffffffff cost 24 s and 4 GB). */
	struct core noted = { .machine = 62, .loads = loads, .load_count = 1, .note = small_note,
			      .note_length = sizeof small_note };
	unsigned char *noted_core = write_core(&noted, &length);
	put(noted_core + 64 + 32, 0xffffffff, 8);
	expect_open_error("note.elf", noted_core, length, DUMP_DETECT, ERROR_TRUNCATED,
			  "offset 0x40: PT_NOTE (p_offset 0xb0, p_filesz 0xffffffff) runs past the end "
			  "of the file (0x3000 bytes)");
	free(noted_core);
	unsigned char small[100] = { 1 };
	expect_open_error("small.raw", small, sizeof small, DUMP_FORCE_RAW, ERROR_FORMAT,
			  "a raw image of 100 bytes holds no whole 4096-byte page");
	/* A kdump signature with nonsense behind it: libkdumpfile's reason. */
	unsigned char kdump[8192] = { 0 };
	memcpy(kdump, "KDUMP   ", 8);
	expect_open_error("bad.kdump", kdump, sizeof kdump, DUMP_DETECT, ERROR_UNSUPPORTED,
			  "libkdumpfile cannot open it: ");
}

/* Raw images: every whole page from 0, a trailing part page left out. */
static void raw_image_pages(void)
{
	size_t length = 3 * DUMP_PAGE_SIZE + 100;
	unsigned char *bytes = calloc(1, length);
	for (unsigned p = 0; p < 3; p++)
		fill_page(bytes + p * DUMP_PAGE_SIZE, (uint64_t)p * DUMP_PAGE_SIZE);
	struct dump *dump = NULL;
	CU_ASSERT_PTR_NULL_FATAL(dump_open_memory(bytes, length, "three.raw", DUMP_FORCE_RAW, &dump));
	CU_ASSERT_EQUAL(dump_facts(dump)->present_pages, 3);
	CU_ASSERT_EQUAL(dump_facts(dump)->max_pfn, 3);
	struct physical_memory *memory = physical_memory_open(dump);
	check_page(memory, 0);
	check_page(memory, 1);
	unsigned char tail[16];
	struct error *error = physical_read(memory, 0x2ff8, tail, sizeof tail);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	CU_ASSERT_STRING_EQUAL(error->message, "three.raw: physical address 0x3000: not in the dump");
	error_free(error);
	physical_memory_close(memory);
	dump_close(dump);
	free(bytes);
}

int main(void)
{
	static const struct test_case elf[] = {
		{ "overlapping loads give their union", overlapping_loads_give_their_union },
		{ "separate loads come from the page map", separate_loads_come_from_the_page_map },
		{ "many-segments count comes from section zero", many_segments_count_comes_from_section_zero },
		{ "note size field decides which fields exist", note_size_field_decides_which_fields_exist },
		{ "x86 guest reports PAE from CR4", x86_guest_reports_pae_from_cr4 },
		{ "note area ending the file", note_area_ending_the_file },
		{ NULL, NULL },
	};
	static const struct test_case other[] = {
		{ "files to refuse", files_to_refuse },
		{ "raw image pages", raw_image_pages },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "files: ELF", elf }, { "files: other", other } };
	return run_suites("test_memory_files", suites, 2);
}
