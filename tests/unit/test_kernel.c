/* The kernel room (src/kernel/) over images the forge writes: where the DTB
 * comes from (crash dump header, a QEMU CPU's CR3, a CPU in kernel mode,
 * the x64 low stub, a self-mapped PML4) and which paging an x86 image
 * uses; the kernel base (plain KDBG, the module list, the IDT, the low
 * stub's LmTarget); the PDB GUID and age as symbol stores write them;
 * KUSER_SHARED_DATA's build; KDBG encoded as Windows 8+ x64 keeps it,
 * decoded without symbols from a header address and found by a scan of
 * .data; and hostile PE headers, sections and missing pages. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../forge/forge.h"
#include "../forge/forge_scenarios.h"
#include "../../src/kernel/kernel.h"

#define KERNEL_VA 0xfffff80412200000ULL
#define KERNEL_PA 0x200000ULL
#define KUSER_VA 0xfffff78000000000ULL
#define KUSER_PA 0x180000ULL
#define IDT_VA 0xfffff80411000000ULL
#define IDT_PA 0x190000ULL
#define HANDLER_RVA 0x3345u /* in .text's third page */
#define MAX_PFN 0x1000      /* 16 MiB */
#define TABLE_AREA 0x600    /* below 16 MiB, where the self-map scan looks */
#define KDBG_OFFSET 0x800u
#define KDBG_OWNER_TAG 0x4742444bU

/* ntkrnlmp.pdb of 10.0.19041.3570 (../shared/symbols/README.md), stored
 * as the RSDS record holds it: Data1, Data2, Data3 little-endian. */
static const uint8_t GUID_19041[16] = { 0x69, 0xf6, 0x6f, 0x60, 0x9b, 0x40, 0xf7, 0x00,
					0xfc, 0x8c, 0x61, 0xa9, 0xc1, 0x67, 0x01, 0x29 };
#define GUID_19041_TEXT "606FF669409B00F7FC8C61A9C1670129"

static struct forge_kernel standard_kernel(void)
{
	struct forge_kernel k = {
		.base_va = KERNEL_VA, .base_pa = KERNEL_PA, .text_pages = 4, .data_pages = 4,
		.pdb_name = "ntkrnlmp.pdb", .pdb_age = 1,
		.kdbg = true, .kdbg_offset = KDBG_OFFSET, .kdbg_size = 0x380,
		.kuser_pa = KUSER_PA, .nt_major = 10, .nt_minor = 0, .nt_build_number = 0xf0004a61,
		.handler_rva = HANDLER_RVA,
	};
	memcpy(k.pdb_guid, GUID_19041, 16);
	return k;
}

static struct forge *new_x64(void)
{
	struct forge *forge = forge_new(FORGE_X64, MAX_PFN);
	forge_set_table_area(forge, TABLE_AREA);
	return forge;
}

/* The dump as a reader sees it, with identify_os's answer. */
struct opened {
	struct dump *dump;
	struct physical_memory *memory;
	struct address_space *space; /* through the found DTB, when there is one */
	struct os_identity os;
};

static struct opened open_forged(const struct forge *forge, enum forge_format format)
{
	static unsigned serial;
	char path[4096];
	snprintf(path, sizeof path, "%s/kernel-%u.dmp", test_temp_dir(), serial++);
	struct error *error = forge_write_dump(forge, format, path);
	if (error)
		fprintf(stderr, "%s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	struct opened o = { 0 };
	error = dump_open(path, format == FORGE_RAW ? DUMP_FORCE_RAW : DUMP_DETECT, &o.dump);
	if (error)
		fprintf(stderr, "%s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	o.memory = physical_memory_open(o.dump);
	identify_os(o.memory, &o.os);
	if (o.os.dtb.known)
		o.space = address_space_new(o.memory, o.os.paging, o.os.dtb.value);
	return o;
}

static void close_forged(struct opened *o)
{
	address_space_free(o->space);
	physical_memory_close(o->memory);
	dump_close(o->dump);
}

static bool has_note(const struct os_identity *os, const char *text)
{
	for (unsigned i = 0; i < os->note_count; i++)
		if (strcmp(os->notes[i], text) == 0)
			return true;
	fprintf(stderr, "\n  no note \"%s\" among %u:\n", text, os->note_count);
	for (unsigned i = 0; i < os->note_count; i++)
		fprintf(stderr, "    %s\n", os->notes[i]);
	return false;
}

static void expect_source(const char *actual, const char *expected)
{
	if (!actual || strcmp(actual, expected) != 0)
		fprintf(stderr, "\n  source: got \"%s\", want \"%s\"\n", actual ? actual : "(null)",
			expected);
	CU_ASSERT_STRING_EQUAL_OR_NULL(actual, expected);
}

static uint64_t rotate_left(uint64_t value, unsigned count)
{
	count &= 63;
	return count ? value << count | value >> (64 - count) : value;
}

/* ---- the encoding's algebra ------------------------------------------ */

/* The forge's encoder is the published decoding's inverse, and the key
 * (r, C) of kdbg.c decodes every word as the published formula does, for
 * every N & 0xff. */
static void key_decodes_as_the_published_formula(void)
{
	uint64_t word = 0x0123456789abcdefULL;
	for (unsigned low = 0; low < 256; low++) {
		uint64_t n = 0x5a5aa5a5c3c3e100ULL | low;
		uint64_t w = 0x1122334455667788ULL * (low + 1), a = 0xfffff80412c50a20ULL + low;
		uint64_t encoded = forge_kdbg_encode(word, n, w, a);
		unsigned char bytes[8];
		memcpy(bytes, &encoded, 8);
		kdbg_decode(bytes, 8, n, w, a);
		uint64_t decoded;
		memcpy(&decoded, bytes, 8);
		CU_ASSERT_EQUAL(decoded, word);
		unsigned r = low & 63;
		struct kdbg_key key = { r, __builtin_bswap64(rotate_left(n, r)) ^ __builtin_bswap64(a) ^ w };
		CU_ASSERT_EQUAL(kdbg_key_decode(key, encoded), word);
		word = word * 6364136223846793005ULL + 1442695040888963407ULL;
	}
}

/* ---- the DTB and the paging mode -------------------------------------- */

static void dtb_from_the_crash_dump_header(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	forge_kernel(forge, &k);
	struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_TRUE(o.os.paging_known);
	CU_ASSERT_EQUAL(o.os.paging, PAGING_X64);
	CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
	expect_source(o.os.dtb_source, "the crash dump header");
	close_forged(&o);
	forge_free(forge);
}

static void dtb_from_a_qemu_note_where_kuser_translates(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	forge_kernel(forge, &k);
	struct opened o = open_forged(forge, FORGE_ELF_QEMU);
	CU_ASSERT_EQUAL(o.os.paging, PAGING_X64);
	CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
	expect_source(o.os.dtb_source, "a CPU's CR3 (KUSER_SHARED_DATA translates)");
	close_forged(&o);
	forge_free(forge);
}

/* CPU 0 ran a process whose tables do not map KUSER_SHARED_DATA (here: a
 * page of zeros); CPU 1's CR3 does. */
static void dtb_from_another_cpu_when_cpu_0_fails(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	forge_kernel(forge, &k);
	forge_add_pages(forge, 0x100, 1);
	uint8_t zeros[4096] = { 0 };
	forge_write(forge, 0x100000, zeros, sizeof zeros);
	struct forge_header header = { .processors = 2 };
	forge_set_header(forge, &header);
	forge_set_cpu(forge, 0, &(struct forge_cpu){ .cr3 = 0x100000 });
	forge_set_cpu(forge, 1, &(struct forge_cpu){ .cr3 = forge_dtb(forge) | 0x5 /* PCID */ });
	struct opened o = open_forged(forge, FORGE_ELF_QEMU);
	CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
	expect_source(o.os.dtb_source, "a CPU's CR3 (KUSER_SHARED_DATA translates)");
	close_forged(&o);
	forge_free(forge);
}

/* No CR3 translates KUSER_SHARED_DATA: the CPU in kernel mode (gs base with
 * bit 63 set) is believed over CPU 0 in user mode. */
static void dtb_from_the_cpu_in_kernel_mode(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	k.kuser_pa = 0;
	forge_kernel(forge, &k);
	forge_add_pages(forge, 0x100, 1);
	uint8_t zeros[4096] = { 0 };
	forge_write(forge, 0x100000, zeros, sizeof zeros);
	struct forge_header header = { .processors = 3 };
	forge_set_header(forge, &header);
	forge_set_cpu(forge, 0, &(struct forge_cpu){ .cr3 = 0x100000, .gs_base = 0x7ff6a000 });
	forge_set_cpu(forge, 1, &(struct forge_cpu){ .cr3 = 0x100000, .gs_base = 0x7ff6b000 });
	forge_set_cpu(forge, 2, &(struct forge_cpu){ .cr3 = forge_dtb(forge),
						     .gs_base = 0xfffff80410a00000ULL });
	struct opened o = open_forged(forge, FORGE_ELF_QEMU);
	CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
	expect_source(o.os.dtb_source, "the CR3 of a CPU in kernel mode");
	CU_ASSERT_FALSE(o.os.nt_major.known);
	close_forged(&o);
	forge_free(forge);
}

static void dtb_falls_back_to_cpu_0_with_a_note(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	k.kuser_pa = 0;
	forge_kernel(forge, &k);
	struct opened o = open_forged(forge, FORGE_ELF_QEMU);
	CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
	expect_source(o.os.dtb_source, "CPU 0's CR3");
	CU_ASSERT_TRUE(has_note(&o.os, "KUSER_SHARED_DATA does not translate through any CPU's CR3: "
				       "this may not be a Windows image"));
	close_forged(&o);
	forge_free(forge);
}

/* PROCESSOR_START_BLOCK (dump-formats.md §8 item 1) at physical 0x5000. */
static void put_low_stub(struct forge *forge, uint64_t cr3, uint64_t entry)
{
	forge_add_pages(forge, 5, 1);
	uint8_t page[4096] = { 0 };
	uint64_t jump = 0x00000001000600e9ULL | 0x4200; /* the masked byte differs */
	memcpy(page, &jump, 8);
	memcpy(page + 0x70, &entry, 8);
	memcpy(page + 0xa0, &cr3, 8);
	forge_write(forge, 0x5000, page, sizeof page);
}

/* A raw image names no architecture; the low stub gives the DTB and, by
 * its LmTarget, the kernel; the scan of .data the KDBG block. */
static void raw_image_from_the_low_stub(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	put_low_stub(forge, forge_dtb(forge), KERNEL_VA + 0x1000 + 0x2000);
	struct opened o = open_forged(forge, FORGE_RAW);
	CU_ASSERT_TRUE(o.os.paging_known);
	CU_ASSERT_EQUAL(o.os.paging, PAGING_X64);
	CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
	expect_source(o.os.dtb_source, "the x64 low stub (PROCESSOR_START_BLOCK)");
	CU_ASSERT_TRUE(has_note(&o.os, "the image names no architecture: x64 paging, from its page tables"));
	CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, KERNEL_VA);
	expect_source(o.os.kernel_base_source, "a scan down from the low stub's kernel entry");
	CU_ASSERT_KNOWN_EQUAL(o.os.kdbg, at.kdbg_va);
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_PLAIN);
	expect_source(o.os.kdbg_source, "a scan of the kernel's .data section");
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_loaded_module_list, at.module_list_va);
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_active_process_head, at.process_list_va);
	expect_source(o.os.list_heads_source, "KDBG");
	CU_ASSERT_STRING_EQUAL(o.os.pdb_guid, GUID_19041_TEXT);
	CU_ASSERT_KNOWN_EQUAL(o.os.build, 19041);
	close_forged(&o);
	forge_free(forge);
}

/* No CPU's CR3 maps KUSER_SHARED_DATA, none was in kernel mode, but the
 * low stub's CR3 does: it is believed before CPU 0. */
static void dtb_from_the_low_stub_when_no_cpu_translates(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	forge_kernel(forge, &k);
	forge_add_pages(forge, 0x100, 1);
	uint8_t zeros[4096] = { 0 };
	forge_write(forge, 0x100000, zeros, sizeof zeros);
	forge_set_cpu(forge, 0, &(struct forge_cpu){ .cr3 = 0x100000 });
	put_low_stub(forge, forge_dtb(forge), KERNEL_VA + 0x3000);
	struct opened o = open_forged(forge, FORGE_ELF_QEMU);
	CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
	expect_source(o.os.dtb_source, "the x64 low stub (PROCESSOR_START_BLOCK)");
	CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, KERNEL_VA);
	expect_source(o.os.kernel_base_source, "a scan down from the low stub's kernel entry");
	close_forged(&o);
	forge_free(forge);
}

/* Volatility 3's and MemProcFS's test: one kernel-half PML4 entry maps the
 * table itself (0x1ED, Windows' self-map before randomisation) and at
 * least six kernel-half entries are tables. */
static void raw_image_from_a_self_mapped_pml4(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	forge_kernel(forge, &k); /* PML4 slots 0x1ef (KUSER) and 0x1f0 */
	for (uint64_t slot = 0x100; slot < 0x104; slot++)
		CU_ASSERT_TRUE(forge_map(forge, 0xffff000000000000ULL | slot << 39,
					 0x300000 + (slot - 0x100) * 0x1000, 0x1000, 0x1000));
	forge_loop(forge, 0xfffff68000000000ULL, 1);
	struct opened o = open_forged(forge, FORGE_RAW);
	CU_ASSERT_EQUAL(o.os.paging, PAGING_X64);
	CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
	expect_source(o.os.dtb_source, "a self-referencing PML4 in the first 16 MiB");
	/* Nothing points at the kernel: no base, and a note that says so. */
	CU_ASSERT_FALSE(o.os.kernel_base.known);
	CU_ASSERT_TRUE(has_note(&o.os, "the kernel image was not found, so neither was its PDB GUID"));
	CU_ASSERT_KNOWN_EQUAL(o.os.build, 19041);
	close_forged(&o);
	forge_free(forge);
}

#define NO_TABLES_NOTE                                                                   \
	"the paging mode is not known: the image names no architecture and holds no x64 " \
	"low stub or self-mapped PML4, nor a self-mapped x86 page directory"

/* Five tables are not enough for the self-map test. */
static void raw_image_without_page_tables_to_find(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	forge_kernel(forge, &k);
	forge_loop(forge, 0xfffff68000000000ULL, 1);
	struct opened o = open_forged(forge, FORGE_RAW);
	CU_ASSERT_FALSE(o.os.paging_known);
	CU_ASSERT_FALSE(o.os.dtb.known);
	CU_ASSERT_TRUE(has_note(&o.os, NO_TABLES_NOTE));
	close_forged(&o);
	forge_free(forge);
}

/* ---- raw x86 images: Windows' self-map (dtb_search_x86.c) ------------ */

#define X86_SELF_MAP_SOURCE "a self-referencing page directory (PDE 0x300) in the first 16 MiB"
#define PAE_SELF_MAP_SOURCE "a PAE PDPT whose page directories map themselves, in the first 16 MiB"

/* The forge's LPC systems as raw images: the page tables (at 0x30000,
 * self-mapped as Windows maps them) give the paging and the DTB, and
 * KUSER_SHARED_DATA the version. */
static void raw_x86_lpc_images(void)
{
	static const struct {
		const char *label;
		enum paging_mode paging;
		uint64_t dtb;
		const char *source, *note;
		uint64_t nt_minor;
	} cases[] = {
		{ "XP x86", PAGING_X86, 0x30000, X86_SELF_MAP_SOURCE,
		  "the image names no architecture: x86 paging, from its page tables", 1 },
		{ "XP x86 PAE", PAGING_X86_PAE, 0x30020, PAE_SELF_MAP_SOURCE,
		  "the image names no architecture: x86 PAE paging, from its page tables", 1 },
		{ "2003 x86", PAGING_X86_PAE, 0x30020, PAE_SELF_MAP_SOURCE,
		  "the image names no architecture: x86 PAE paging, from its page tables", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct forge_scenario_system system;
		struct error *error = forge_lpc_scenario_system_new(forge_scenario_named("lpc-deadlock"),
								    cases[i].label, &system);
		CU_ASSERT_PTR_NULL_FATAL(error);
		CU_ASSERT_EQUAL(forge_dtb(system.forge), cases[i].dtb);
		struct opened o = open_forged(system.forge, FORGE_RAW);
		CU_ASSERT_TRUE(o.os.paging_known);
		CU_ASSERT_EQUAL(o.os.paging, cases[i].paging);
		CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(system.forge));
		expect_source(o.os.dtb_source, cases[i].source);
		CU_ASSERT_TRUE(has_note(&o.os, cases[i].note));
		/* KUSER_SHARED_DATA read through the found tables: NT 5.1 or 5.2. */
		CU_ASSERT_KNOWN_EQUAL(o.os.nt_major, 5);
		CU_ASSERT_KNOWN_EQUAL(o.os.nt_minor, cases[i].nt_minor);
		close_forged(&o);
		forge_scenario_system_free(&system);
	}
}

/* A self-mapped directory with four kernel-half tables: found when
 * KUSER_SHARED_DATA translates through it, not found when it does not. */
static void raw_x86_self_map_needs_kuser(void)
{
	static const enum forge_arch arches[] = { FORGE_X86, FORGE_X86_PAE };
	for (size_t i = 0; i < 2; i++)
		for (int kuser = 1; kuser >= 0; kuser--) {
			struct forge *forge = forge_new(arches[i], MAX_PFN);
			forge_set_table_area(forge, TABLE_AREA);
			for (uint64_t n = 0; n < 4; n++)
				CU_ASSERT_TRUE(forge_map(forge, 0x80000000ULL + n * 0x400000, 0x300000 + n * 0x1000,
							 0x1000, 0x1000));
			if (kuser)
				CU_ASSERT_TRUE(forge_map(forge, 0xffdf0000, 0x180000, 0x1000, 0x1000));
			forge_self_map(forge);
			struct opened o = open_forged(forge, FORGE_RAW);
			if (kuser) {
				CU_ASSERT_EQUAL(o.os.paging,
						arches[i] == FORGE_X86 ? PAGING_X86 : PAGING_X86_PAE);
				CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
				expect_source(o.os.dtb_source,
					      arches[i] == FORGE_X86 ? X86_SELF_MAP_SOURCE : PAE_SELF_MAP_SOURCE);
			} else {
				CU_ASSERT_FALSE(o.os.paging_known);
				CU_ASSERT_FALSE(o.os.dtb.known);
				CU_ASSERT_TRUE(has_note(&o.os, NO_TABLES_NOTE));
			}
			close_forged(&o);
			forge_free(forge);
		}
}

/* 16 MiB of pseudo-random bytes (xorshift64, fixed seed) hold no tables. */
static void raw_random_bytes_have_no_dtb(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/random.raw", test_temp_dir());
	FILE *file = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	uint64_t state = 0x9e3779b97f4a7c15ULL;
	for (size_t n = 0; n < (16u << 20) / 8; n++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		fwrite(&state, 8, 1, file);
	}
	fclose(file);
	struct dump *dump = NULL;
	struct error *error = dump_open(path, DUMP_FORCE_RAW, &dump);
	CU_ASSERT_PTR_NULL_FATAL(error);
	struct physical_memory *memory = physical_memory_open(dump);
	struct os_identity os;
	identify_os(memory, &os);
	CU_ASSERT_FALSE(os.paging_known);
	CU_ASSERT_FALSE(os.dtb.known);
	CU_ASSERT_TRUE(has_note(&os, NO_TABLES_NOTE));
	physical_memory_close(memory);
	dump_close(dump);
}

/* x86: the header's PaeEnabled, or CR4.PAE in a QEMU note, picks the
 * paging; KUSER_SHARED_DATA at 0xffdf0000 says NT 6.1 (no build there). */
static void x86_paging_choice(void)
{
	static const struct {
		enum forge_arch arch;
		enum forge_format format;
		enum paging_mode paging;
		const char *dtb_source;
	} cases[] = {
		{ FORGE_X86_PAE, FORGE_WINDOWS_FULL, PAGING_X86_PAE, "the crash dump header" },
		{ FORGE_X86, FORGE_WINDOWS_FULL, PAGING_X86, "the crash dump header" },
		{ FORGE_X86_PAE, FORGE_ELF_QEMU, PAGING_X86_PAE, "a CPU's CR3 (KUSER_SHARED_DATA translates)" },
		{ FORGE_X86, FORGE_ELF_QEMU, PAGING_X86, "a CPU's CR3 (KUSER_SHARED_DATA translates)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct forge *forge = forge_new(cases[i].arch, MAX_PFN);
		forge_set_table_area(forge, TABLE_AREA);
		CU_ASSERT_TRUE(forge_map(forge, 0xffdf0000, 0x180000, 0x1000, 0x1000));
		uint32_t version[2] = { 6, 1 };
		forge_write(forge, 0x180000 + 0x26c, version, sizeof version);
		struct forge_header header = { .build = 7601 };
		forge_set_header(forge, &header);
		struct opened o = open_forged(forge, cases[i].format);
		CU_ASSERT_TRUE(o.os.paging_known);
		CU_ASSERT_EQUAL(o.os.paging, cases[i].paging);
		/* The PAE PDPT lies at +0x20 of its page: kept, not masked off. */
		CU_ASSERT_KNOWN_EQUAL(o.os.dtb, forge_dtb(forge));
		expect_source(o.os.dtb_source, cases[i].dtb_source);
		CU_ASSERT_KNOWN_EQUAL(o.os.nt_major, 6);
		CU_ASSERT_KNOWN_EQUAL(o.os.nt_minor, 1);
		if (cases[i].format == FORGE_WINDOWS_FULL) {
			CU_ASSERT_KNOWN_EQUAL(o.os.build, 7601);
		} else {
			CU_ASSERT_FALSE(o.os.build.known);
		}
		close_forged(&o);
		forge_free(forge);
	}
}

/* ---- the kernel base, its PDB, KUSER_SHARED_DATA ----------------------- */

static void kernel_base_from_a_plain_kdbg(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	/* The header gives KDBG but no list heads: those come from KDBG. */
	struct forge_header header = { .kd_debugger_data_block = at.kdbg_va };
	forge_set_header(forge, &header);
	struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_KNOWN_EQUAL(o.os.kdbg, at.kdbg_va);
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_PLAIN);
	expect_source(o.os.kdbg_source, "the crash dump header");
	CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, KERNEL_VA);
	expect_source(o.os.kernel_base_source, "KDBG KernBase");
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_loaded_module_list, at.module_list_va);
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_active_process_head, at.process_list_va);
	expect_source(o.os.list_heads_source, "KDBG");
	CU_ASSERT_EQUAL(o.os.note_count, 0);
	close_forged(&o);
	forge_free(forge);
}

static void kernel_base_from_the_module_list(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	k.kdbg = false;
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	struct forge_header header = { .ps_loaded_module_list = at.module_list_va,
				       .ps_active_process_head = at.process_list_va };
	forge_set_header(forge, &header);
	struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, KERNEL_VA);
	expect_source(o.os.kernel_base_source, "the first entry of PsLoadedModuleList");
	expect_source(o.os.list_heads_source, "the crash dump header");
	/* The header names no KDBG, so the scan looked for one. */
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_NOT_FOUND);
	CU_ASSERT_TRUE(has_note(&o.os, "no KDBG block found in the kernel image: no block with KernBase "
				       "0xfffff80412200000 in .data (RVA 0x5000, 0x4000 bytes scanned, "
				       "0 pages of them absent)"));
	close_forged(&o);
	forge_free(forge);
}

static void kernel_base_from_the_idt(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	k.idt_va = IDT_VA;
	k.idt_pa = IDT_PA;
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	forge_set_cpu(forge, 0, &(struct forge_cpu){ .cr3 = forge_dtb(forge), .idt_base = IDT_VA,
						     .gs_base = 0xfffff80410a00000ULL });
	struct opened o = open_forged(forge, FORGE_ELF_QEMU);
	CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, KERNEL_VA);
	expect_source(o.os.kernel_base_source, "a scan down from the IDT's first handler");
	/* ... and then KDBG, plain, by the scan of .data. */
	CU_ASSERT_KNOWN_EQUAL(o.os.kdbg, at.kdbg_va);
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_PLAIN);
	expect_source(o.os.kdbg_source, "a scan of the kernel's .data section");
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_loaded_module_list, at.module_list_va);
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_active_process_head, at.process_list_va);
	expect_source(o.os.list_heads_source, "KDBG");
	CU_ASSERT_EQUAL(o.os.note_count, 0);
	close_forged(&o);
	forge_free(forge);
}

/* Symbol stores name the folder GUID + age: Data1 %08X, Data2 and Data3
 * %04X, then Data4's bytes, upper case; leading zeros kept. */
static void pdb_guid_and_age_as_symbol_stores_write_them(void)
{
	static const struct {
		uint8_t guid[16];
		uint32_t age;
		const char *name, *text;
	} cases[] = {
		{ { 0x69, 0xf6, 0x6f, 0x60, 0x9b, 0x40, 0xf7, 0x00, 0xfc, 0x8c, 0x61, 0xa9, 0xc1, 0x67,
		    0x01, 0x29 },
		  1, "ntkrnlmp.pdb", GUID_19041_TEXT },
		{ { 0x0d, 0x0c, 0x00, 0x00, 0x0a, 0x00, 0xb0, 0x00, 0x00, 0x01, 0x02, 0x03, 0x0a, 0x0b,
		    0x0c, 0xff },
		  0x1a, "ntoskrnl.pdb", "00000C0D000A00B0000102030A0B0CFF" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct forge *forge = new_x64();
		struct forge_kernel k = standard_kernel();
		memcpy(k.pdb_guid, cases[i].guid, 16);
		k.pdb_age = cases[i].age;
		snprintf(k.pdb_name, sizeof k.pdb_name, "%s", cases[i].name);
		struct forge_kernel_layout at = forge_kernel(forge, &k);
		struct forge_header header = { .kd_debugger_data_block = at.kdbg_va };
		forge_set_header(forge, &header);
		struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
		CU_ASSERT_STRING_EQUAL(o.os.pdb_guid, cases[i].text);
		CU_ASSERT_STRING_EQUAL(o.os.pdb_name, cases[i].name);
		CU_ASSERT_KNOWN_EQUAL(o.os.pdb_age, cases[i].age);
		char name[64], guid[33];
		uint64_t age = 0;
		struct error *error = pe_debug_record(o.space, KERNEL_VA, name, sizeof name, guid, &age);
		CU_ASSERT_PTR_NULL(error);
		error_free(error);
		CU_ASSERT_STRING_EQUAL(guid, cases[i].text);
		CU_ASSERT_EQUAL(age, cases[i].age);
		/* A small buffer gets as much of the name as fits. */
		error = pe_debug_record(o.space, KERNEL_VA, name, 5, guid, &age);
		CU_ASSERT_PTR_NULL(error);
		error_free(error);
		CU_ASSERT_EQUAL(strlen(name), 4);
		CU_ASSERT_EQUAL(strncmp(name, cases[i].name, 4), 0);
		close_forged(&o);
		forge_free(forge);
	}
}

static void kuser_build_from_windows_10_on(void)
{
	static const struct {
		uint32_t major, minor, build_number;
		bool known;
		uint64_t build;
		const char *source;
	} cases[] = {
		{ 10, 0, 0xf0004a61, true, 19041, "KUSER_SHARED_DATA.NtBuildNumber" }, /* "free" in the top nibble */
		{ 10, 0, 0xc00055f0, true, 22000, "KUSER_SHARED_DATA.NtBuildNumber" }, /* "checked" */
		/* Before 10 there is no NtBuildNumber (0x2580 is never read):
		 * the version names a build when the built-in profiles have only
		 * one of it (two profiles of 7601 are still one build) */
		{ 6, 3, 0xf0002580, true, 9600,
		  "inferred: KUSER_SHARED_DATA says Windows 6.3 and 9600 is the only built-in build of it" },
		{ 6, 1, 0, true, 7601,
		  "inferred: KUSER_SHARED_DATA says Windows 6.1 and 7601 is the only built-in build of it" },
		{ 5, 2, 0, true, 3790,
		  "inferred: KUSER_SHARED_DATA says Windows 5.2 and 3790 is the only built-in build of it" },
		{ 6, 2, 0xf00023f0, false, 0, NULL }, /* Windows 8: no built-in profile */
		{ 5, 1, 0, false, 0, NULL },          /* XP: x86 profiles only, this is x64 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct forge *forge = new_x64();
		struct forge_kernel k = standard_kernel();
		k.nt_major = cases[i].major;
		k.nt_minor = cases[i].minor;
		k.nt_build_number = cases[i].build_number;
		forge_kernel(forge, &k);
		struct opened o = open_forged(forge, FORGE_ELF_QEMU);
		CU_ASSERT_KNOWN_EQUAL(o.os.nt_major, cases[i].major);
		CU_ASSERT_KNOWN_EQUAL(o.os.nt_minor, cases[i].minor);
		CU_ASSERT_EQUAL(o.os.build.known, cases[i].known);
		if (cases[i].known) {
			CU_ASSERT_EQUAL(o.os.build.value, cases[i].build);
			expect_source(o.os.build_source, cases[i].source);
		}
		close_forged(&o);
		forge_free(forge);
	}
}

static void header_minor_version_wins_over_kuser(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel(); /* KUSER says 19041 */
	forge_kernel(forge, &k);
	struct forge_header header = { .build = 19045 };
	forge_set_header(forge, &header);
	struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_KNOWN_EQUAL(o.os.build, 19045);
	expect_source(o.os.build_source, "the crash dump header (MinorVersion)");
	CU_ASSERT_KNOWN_EQUAL(o.os.nt_major, 10);
	close_forged(&o);
	forge_free(forge);
}

/* ---- encoded KDBG ----------------------------------------------------- */

struct key_case {
	uint64_t wait_never, wait_always, flag_address;
};
/* N & 0xff: 0x2b (rotation 43), 0x40 (64: rotation 0), 0xc7 (199:
 * rotation 7), 0x00, 0xff (rotation 63). */
static const struct key_case keys[] = {
	{ 0x8a3c5f1e9d2b472bULL, 0x13579bdf2468ace0ULL, 0xfffff80412c50a20ULL },
	{ 0x1f2e3d4c5b6a7940ULL, 0x0ULL, 0xfffff8041254c750ULL },
	{ 0xdeadbeefcafef0c7ULL, 0xfedcba9876543210ULL, 0xfffff804124fd01bULL },
	{ 0x7777777777777700ULL, 0x8000000000000001ULL, 0xfffff80412341108ULL },
	{ 0x00000000000000ffULL, 0xffffffffffffffffULL, 0xfffff80412d01968ULL },
};

static struct kdbg_key expected_key(const struct key_case *c)
{
	unsigned r = (unsigned)(c->wait_never & 63);
	return (struct kdbg_key){ r, __builtin_bswap64(rotate_left(c->wait_never, r)) ^
					     __builtin_bswap64(c->flag_address) ^ c->wait_always };
}

static struct forge_kernel encoded_kernel(const struct key_case *c)
{
	struct forge_kernel k = standard_kernel();
	k.encoded = true;
	k.wait_never = c->wait_never;
	k.wait_always = c->wait_always;
	k.encoded_flag_address = c->flag_address;
	return k;
}

static void expect_decoded(const struct opened *o, const struct forge_kernel_layout *at,
			   const struct key_case *c, const char *kdbg_source)
{
	CU_ASSERT_KNOWN_EQUAL(o->os.kdbg, at->kdbg_va);
	CU_ASSERT_EQUAL(o->os.kdbg_state, KDBG_DECODED);
	expect_source(o->os.kdbg_source, kdbg_source);
	struct kdbg_key key = expected_key(c);
	CU_ASSERT_EQUAL(o->os.kdbg_key.rotation, key.rotation);
	CU_ASSERT_EQUAL(o->os.kdbg_key.constant, key.constant);
	CU_ASSERT_KNOWN_EQUAL(o->os.kernel_base, KERNEL_VA);
	CU_ASSERT_KNOWN_EQUAL(o->os.ps_loaded_module_list, at->module_list_va);
	CU_ASSERT_KNOWN_EQUAL(o->os.ps_active_process_head, at->process_list_va);
	CU_ASSERT_EQUAL(o->os.note_count, 0);
	for (unsigned i = 0; i < o->os.note_count; i++)
		fprintf(stderr, "\n  note: %s", o->os.notes[i]);
}

/* The header names the block and the module list: the kernel base from
 * the list is the known plaintext. */
static void encoded_kdbg_decoded_with_the_kernel_base(void)
{
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		struct forge *forge = new_x64();
		struct forge_kernel k = encoded_kernel(&keys[i]);
		k.kdbg_size = 0x3a0; /* not a size the tag-only method knows */
		struct forge_kernel_layout at = forge_kernel(forge, &k);
		struct forge_header header = { .kd_debugger_data_block = at.kdbg_va,
					       .ps_loaded_module_list = at.module_list_va };
		forge_set_header(forge, &header);
		struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
		expect_decoded(&o, &at, &keys[i], "the crash dump header");
		expect_source(o.os.kernel_base_source, "the first entry of PsLoadedModuleList");
		/* The decoded block gave the process list the header lacked. */
		expect_source(o.os.list_heads_source, "the crash dump header");
		close_forged(&o);
		forge_free(forge);
	}
}

/* Nothing else gives the kernel base: the tag and a known build's Size
 * are the plaintext, and "MZ" at the decoded KernBase confirms it. */
static void encoded_kdbg_decoded_from_its_tag_and_size(void)
{
	static const uint32_t sizes[] = { 0x360, 0x368, 0x380 };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		struct forge *forge = new_x64();
		struct forge_kernel k = encoded_kernel(&keys[i]);
		k.kdbg_size = sizes[i % 3];
		struct forge_kernel_layout at = forge_kernel(forge, &k);
		struct forge_header header = { .kd_debugger_data_block = at.kdbg_va };
		forge_set_header(forge, &header);
		struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
		expect_decoded(&o, &at, &keys[i], "the crash dump header");
		expect_source(o.os.kernel_base_source, "KDBG KernBase");
		expect_source(o.os.list_heads_source, "KDBG");
		close_forged(&o);
		forge_free(forge);
	}
}

/* A Size no encoding build has, and no kernel base: not decodable. */
static void encoded_kdbg_of_an_unknown_size_stays_encoded(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = encoded_kernel(&keys[0]);
	k.kdbg_size = 0x3a0;
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	struct forge_header header = { .kd_debugger_data_block = at.kdbg_va };
	forge_set_header(forge, &header);
	struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_KNOWN_EQUAL(o.os.kdbg, at.kdbg_va);
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_ENCODED);
	expect_source(o.os.kdbg_source, "the crash dump header");
	CU_ASSERT_FALSE(o.os.kernel_base.known);
	CU_ASSERT_FALSE(o.os.ps_loaded_module_list.known);
	CU_ASSERT_FALSE(o.os.ps_active_process_head.known);
	char note[OS_NOTE_SIZE];
	snprintf(note, sizeof note,
		 "KdDebuggerDataBlock is encoded and could not be decoded without symbols: va 0x%" PRIx64
		 ": no \"KDBG\" OwnerTag, and no key decodes it to a plausible header from the tag, a "
		 "known build's Size and \"MZ\" at KernBase",
		 at.kdbg_va);
	CU_ASSERT_TRUE(has_note(&o.os, note));
	close_forged(&o);
	forge_free(forge);
}

/* The header points at bytes that are no block (the forge's pattern):
 * a note, the state "encoded", and nothing taken from those bytes. */
static void garbage_kdbg_gives_a_note_and_no_values(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	k.kdbg = false;
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	uint64_t garbage = at.data_va + 0x1000;
	struct forge_header header = { .kd_debugger_data_block = garbage,
				       .ps_loaded_module_list = at.module_list_va };
	forge_set_header(forge, &header);
	struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_KNOWN_EQUAL(o.os.kdbg, garbage);
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_ENCODED);
	CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, KERNEL_VA);
	expect_source(o.os.kernel_base_source, "the first entry of PsLoadedModuleList");
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_loaded_module_list, at.module_list_va);
	CU_ASSERT_FALSE(o.os.ps_active_process_head.known);
	char note[OS_NOTE_SIZE];
	snprintf(note, sizeof note,
		 "KdDebuggerDataBlock is encoded and could not be decoded without symbols: va 0x%" PRIx64
		 ": no \"KDBG\" OwnerTag, and no key decodes it to a plausible header from KernBase = "
		 "the kernel base",
		 garbage);
	CU_ASSERT_TRUE(has_note(&o.os, note));
	close_forged(&o);
	forge_free(forge);
}

/* Our derivation: when low32(KernBase) ^ high32(KernBase) == "KDBG" ^ Size
 * the rotation r + 32 decodes word w to rol64(P ^ KernBase, 32) ^ KernBase:
 * the same tag, Size and KernBase, and list links that stay kernel
 * addresses when they lie within 32 KiB of KernBase.  Two keys, two
 * different blocks: not guessed. */
static void ambiguous_keys_are_not_guessed(void)
{
	uint64_t base = 0xfffff723b8bdb000ULL;
	CU_ASSERT_EQUAL((uint32_t)base ^ (uint32_t)(base >> 32), KDBG_OWNER_TAG ^ 0x368);
	struct forge *forge = new_x64();
	struct forge_kernel k = encoded_kernel(&keys[2]);
	k.base_va = base;
	k.text_pages = 2;
	k.kdbg_size = 0x368;
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	struct forge_header header = { .kd_debugger_data_block = at.kdbg_va,
				       .ps_loaded_module_list = at.module_list_va };
	forge_set_header(forge, &header);
	struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_ENCODED);
	CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, base);
	CU_ASSERT_FALSE(o.os.ps_active_process_head.known);
	char note[OS_NOTE_SIZE];
	snprintf(note, sizeof note,
		 "KdDebuggerDataBlock is encoded and could not be decoded without symbols: va 0x%" PRIx64
		 ": 2 keys decode it differently from KernBase = the kernel base (rotations 7 and 39); "
		 "not guessing",
		 at.kdbg_va);
	CU_ASSERT_TRUE(has_note(&o.os, note));
	close_forged(&o);
	forge_free(forge);
}

/* An ELF core has no header: the IDT gives the kernel, the scan of .data
 * finds the encoded block, the kernel base decodes it. */
static void encoded_kdbg_found_by_the_scan(void)
{
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		struct forge *forge = new_x64();
		struct forge_kernel k = encoded_kernel(&keys[i]);
		k.idt_va = IDT_VA;
		k.idt_pa = IDT_PA;
		k.kdbg_size = 0x3a0;
		k.kdbg_offset = 0x1000 * (unsigned)(i % 4) + 0x7f8 + 0x400 * (unsigned)(i % 3);
		if (k.kdbg_offset + 0x58 > 0x4000)
			k.kdbg_offset = 0x3fa8;
		struct forge_kernel_layout at = forge_kernel(forge, &k);
		forge_set_cpu(forge, 0, &(struct forge_cpu){ .cr3 = forge_dtb(forge), .idt_base = IDT_VA });
		struct opened o = open_forged(forge, FORGE_ELF_QEMU);
		expect_decoded(&o, &at, &keys[i], "a scan of the kernel's .data section");
		expect_source(o.os.kernel_base_source, "a scan down from the IDT's first handler");
		expect_source(o.os.list_heads_source, "KDBG");
		close_forged(&o);
		forge_free(forge);
	}
}

/* A block that crosses from one .data page into the next is found when
 * both are there, and skipped, with its page counted, when one is not. */
static void scan_across_pages_and_holes(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = encoded_kernel(&keys[0]);
	k.kdbg_offset = 0x2ff0; /* crosses from .data's third page into its fourth */
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	forge_unmap(forge, at.data_va + 0x1000); /* a hole before it */
	struct opened o = open_forged(forge, FORGE_ELF_QEMU);
	struct kdbg_block block;
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.space);
	struct error *error = kdbg_scan_image(o.space, PAGING_X64, KERNEL_VA, &block);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	CU_ASSERT_EQUAL(block.address, at.kdbg_va);
	CU_ASSERT_EQUAL(block.state, KDBG_DECODED);
	CU_ASSERT_EQUAL(block.size, 0x380);
	CU_ASSERT_EQUAL(block.kern_base, KERNEL_VA);
	CU_ASSERT_EQUAL(block.ps_loaded_module_list, at.module_list_va);
	close_forged(&o);

	forge_unmap(forge, at.data_va + 0x3000); /* the block's second page */
	o = open_forged(forge, FORGE_ELF_QEMU);
	error = kdbg_scan_image(o.space, PAGING_X64, KERNEL_VA, &block);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	CU_ASSERT_STRING_EQUAL(error->message, "no block with KernBase 0xfffff80412200000 in .data "
					       "(RVA 0x5000, 0x4000 bytes scanned, 2 pages of them "
					       "absent)");
	error_free(error);
	CU_ASSERT_EQUAL(block.state, KDBG_NOT_FOUND);
	close_forged(&o);
	forge_free(forge);
}

/* Under x86 paging a block without the tag is not "encoded": only x64
 * Windows encodes it. */
static void x86_block_without_a_tag(void)
{
	struct forge *forge = forge_new(FORGE_X86_PAE, MAX_PFN);
	forge_set_table_area(forge, TABLE_AREA);
	CU_ASSERT_TRUE(forge_map(forge, 0x80800000, 0x200000, 0x1000, 0x1000));
	struct forge_header header = { .kd_debugger_data_block = 0xffffffff80800100ULL };
	forge_set_header(forge, &header);
	struct opened o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_EQUAL(o.os.paging, PAGING_X86_PAE);
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_NOT_FOUND);
	CU_ASSERT_KNOWN_EQUAL(o.os.kdbg, 0x80800100);
	CU_ASSERT_TRUE(has_note(&o.os, "KdDebuggerDataBlock at 0x80800100 is not readable: va "
				       "0x80800100: no \"KDBG\" OwnerTag (only x64 blocks are encoded)"));
	/* A plain x86 block: its sign-extended pointers cut to 32 bits. */
	uint64_t words[11] = { 0xffffffff80801000ULL, 0xffffffff80801000ULL,
			       (uint64_t)0x290 << 32 | KDBG_OWNER_TAG, 0xffffffff80400000ULL };
	words[9] = 0xffffffff80555550ULL;
	words[10] = 0xffffffff80555560ULL;
	forge_write(forge, 0x200100, words, sizeof words);
	close_forged(&o);
	o = open_forged(forge, FORGE_WINDOWS_FULL);
	CU_ASSERT_EQUAL(o.os.kdbg_state, KDBG_PLAIN);
	CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, 0x80400000);
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_loaded_module_list, 0x80555550);
	CU_ASSERT_KNOWN_EQUAL(o.os.ps_active_process_head, 0x80555560);
	close_forged(&o);
	forge_free(forge);
}

/* ---- hostile images ----------------------------------------------------- */

/* The standard kernel behind a header with the module list, so the base
 * is found and its headers are read; poke damages them first. */
static struct opened hostile(void (*poke)(struct forge *, const struct forge_kernel_layout *),
			     struct forge **forge_out)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	k.kdbg_offset = 0x1800; /* away from the module list, which must stay */
	struct forge_kernel_layout at = forge_kernel(forge, &k);
	struct forge_header header = { .ps_loaded_module_list = at.module_list_va };
	forge_set_header(forge, &header);
	poke(forge, &at);
	*forge_out = forge;
	return open_forged(forge, FORGE_WINDOWS_FULL);
}

static void put32(struct forge *forge, uint64_t physical, uint32_t value)
{
	forge_write(forge, physical, &value, 4);
}

static void absurd_new_header(struct forge *forge, const struct forge_kernel_layout *at)
{
	put32(forge, KERNEL_PA + 0x3c, 0x7ffffff0);
}

static void absurd_section_count(struct forge *forge, const struct forge_kernel_layout *at)
{
	uint16_t count = 0xffff;
	forge_write(forge, KERNEL_PA + 0x100 + 4 + 2, &count, 2);
}

/* SizeOfOptionalHeader 0xfff0 puts the section table past the image. */
static void absurd_optional_header_size(struct forge *forge, const struct forge_kernel_layout *at)
{
	uint16_t size = 0xfff0;
	forge_write(forge, KERNEL_PA + 0x100 + 4 + 16, &size, 2);
}

static void data_section_outside_the_image(struct forge *forge, const struct forge_kernel_layout *at)
{
	put32(forge, KERNEL_PA + 0x208 + 40 + 12, 0x7fff0000); /* .data VirtualAddress */
}

/* VirtualSize 0xffffffff: cut to SizeOfImage, scanned as far as mapped. */
static void data_section_too_large(struct forge *forge, const struct forge_kernel_layout *at)
{
	put32(forge, KERNEL_PA + 0x208 + 40 + 8, 0xffffffff);
	put32(forge, KERNEL_PA + 0x118 + 56, 0xfffff000); /* SizeOfImage */
}

static void huge_debug_directory(struct forge *forge, const struct forge_kernel_layout *at)
{
	put32(forge, KERNEL_PA + 0x118 + 112 + 48 + 4, 0xffffffe0);
}

static void debug_directory_outside_the_image(struct forge *forge,
					      const struct forge_kernel_layout *at)
{
	put32(forge, KERNEL_PA + 0x118 + 112 + 48, 0xfff00000);
}

static void too_few_directories(struct forge *forge, const struct forge_kernel_layout *at)
{
	put32(forge, KERNEL_PA + 0x118 + 108, 6); /* NumberOfRvaAndSizes: no entry 6 */
}

static void rsds_page_missing(struct forge *forge, const struct forge_kernel_layout *at)
{
	forge_unmap(forge, KERNEL_VA + 0x1000);
}

static void kdbg_page_missing(struct forge *forge, const struct forge_kernel_layout *at)
{
	forge_unmap(forge, at->kdbg_va);
}

static void hostile_pe_headers_give_notes(void)
{
	static const struct {
		const char *name;
		void (*poke)(struct forge *, const struct forge_kernel_layout *);
		bool pdb, kdbg;
		const char *note;
	} cases[] = {
		{ "e_lfanew", absurd_new_header, false, false,
		  "no CodeView record in the kernel image: va 0xfffff80412200000: e_lfanew 0x7ffffff0 "
		  "is not plausible" },
		{ "NumberOfSections", absurd_section_count, true, false,
		  "no KDBG block found in the kernel image: va 0xfffff80412200100: NumberOfSections "
		  "65535 is more than the loader's 96" },
		{ "SizeOfOptionalHeader", absurd_optional_header_size, true, false, NULL },
		{ ".data outside", data_section_outside_the_image, true, false,
		  "no KDBG block found in the kernel image: va 0xfffff80412200000: section .data at RVA "
		  "0x7fff0000 (0x4000 bytes) lies outside the image (SizeOfImage 0x9000)" },
		{ ".data too large", data_section_too_large, true, true, NULL },
		{ "debug directory size", huge_debug_directory, true, true, NULL },
		{ "debug directory outside", debug_directory_outside_the_image, false, true, NULL },
		{ "NumberOfRvaAndSizes", too_few_directories, false, true,
		  "no CodeView record in the kernel image: va 0xfffff80412200000: the image has no "
		  "debug directory" },
		{ "RSDS page missing", rsds_page_missing, false, true, NULL },
		{ "KDBG page missing", kdbg_page_missing, true, false,
		  "no KDBG block found in the kernel image: no block with KernBase 0xfffff80412200000 "
		  "in .data (RVA 0x5000, 0x4000 bytes scanned, 1 pages of them absent)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct forge *forge;
		struct opened o = hostile(cases[i].poke, &forge);
		CU_ASSERT_KNOWN_EQUAL(o.os.kernel_base, KERNEL_VA);
		if (cases[i].pdb) {
			CU_ASSERT_STRING_EQUAL(o.os.pdb_guid, GUID_19041_TEXT);
		} else {
			CU_ASSERT_STRING_EQUAL(o.os.pdb_guid, "");
			CU_ASSERT_FALSE(o.os.pdb_age.known);
			CU_ASSERT_TRUE(o.os.note_count > 0);
		}
		CU_ASSERT_EQUAL(o.os.kdbg_state, cases[i].kdbg ? KDBG_PLAIN : KDBG_NOT_FOUND);
		if (cases[i].kdbg) {
			CU_ASSERT_KNOWN_EQUAL(o.os.ps_active_process_head,
					      KERNEL_VA + 0x5000 + 0x10);
		} else {
			CU_ASSERT_FALSE(o.os.ps_active_process_head.known);
		}
		if (cases[i].note) {
			bool noted = has_note(&o.os, cases[i].note);
			if (!noted)
				fprintf(stderr, "  (case %s)\n", cases[i].name);
			CU_ASSERT_TRUE(noted);
		}
		close_forged(&o);
		forge_free(forge);
	}
}

/* pe_section's own answers. */
static void pe_section_lookup(void)
{
	struct forge *forge = new_x64();
	struct forge_kernel k = standard_kernel();
	forge_kernel(forge, &k);
	struct opened o = open_forged(forge, FORGE_ELF_QEMU);
	uint32_t rva = 0, size = 0;
	struct error *error = pe_section(o.space, KERNEL_VA, ".text", &rva, &size);
	CU_ASSERT_PTR_NULL(error);
	CU_ASSERT_EQUAL(rva, 0x1000);
	CU_ASSERT_EQUAL(size, 0x4000);
	error = pe_section(o.space, KERNEL_VA, "PAGEDATA", &rva, &size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	CU_ASSERT_STRING_EQUAL(error->message, "va 0xfffff80412200000: the image has no PAGEDATA section");
	error_free(error);
	/* Not an image at all. */
	error = pe_section(o.space, KERNEL_VA + 0x1000, ".data", &rva, &size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_STRING_EQUAL(error->message, "va 0xfffff80412201000: no MZ image");
	error_free(error);
	close_forged(&o);
	forge_free(forge);
}

int main(void)
{
	static const struct test_case algebra[] = {
		{ "the key decodes as the published formula", key_decodes_as_the_published_formula },
		{ NULL, NULL },
	};
	static const struct test_case dtb[] = {
		{ "from the crash dump header", dtb_from_the_crash_dump_header },
		{ "from a QEMU note where KUSER translates", dtb_from_a_qemu_note_where_kuser_translates },
		{ "from another CPU when CPU 0 fails", dtb_from_another_cpu_when_cpu_0_fails },
		{ "from the CPU in kernel mode", dtb_from_the_cpu_in_kernel_mode },
		{ "CPU 0 as a last resort, with a note", dtb_falls_back_to_cpu_0_with_a_note },
		{ "raw image: the low stub", raw_image_from_the_low_stub },
		{ "the low stub when no CPU's CR3 translates",
		  dtb_from_the_low_stub_when_no_cpu_translates },
		{ "raw image: a self-mapped PML4", raw_image_from_a_self_mapped_pml4 },
		{ "raw image: nothing to find", raw_image_without_page_tables_to_find },
		{ "x86 PAE and non-PAE", x86_paging_choice },
		{ "raw x86: the forge's LPC systems", raw_x86_lpc_images },
		{ "raw x86: a self-map is believed when KUSER translates", raw_x86_self_map_needs_kuser },
		{ "raw image of random bytes: no DTB", raw_random_bytes_have_no_dtb },
		{ NULL, NULL },
	};
	static const struct test_case identity[] = {
		{ "kernel base from a plain KDBG", kernel_base_from_a_plain_kdbg },
		{ "kernel base from the module list", kernel_base_from_the_module_list },
		{ "kernel base from the IDT", kernel_base_from_the_idt },
		{ "PDB GUID and age", pdb_guid_and_age_as_symbol_stores_write_them },
		{ "KUSER build from Windows 10 on, inferred before", kuser_build_from_windows_10_on },
		{ "the header's MinorVersion wins", header_minor_version_wins_over_kuser },
		{ NULL, NULL },
	};
	static const struct test_case encoded[] = {
		{ "decoded with the kernel base", encoded_kdbg_decoded_with_the_kernel_base },
		{ "decoded from its tag and size", encoded_kdbg_decoded_from_its_tag_and_size },
		{ "unknown size stays encoded", encoded_kdbg_of_an_unknown_size_stays_encoded },
		{ "garbage: a note, no values", garbage_kdbg_gives_a_note_and_no_values },
		{ "ambiguous keys are not guessed", ambiguous_keys_are_not_guessed },
		{ "found by the scan of .data", encoded_kdbg_found_by_the_scan },
		{ "scan across pages and holes", scan_across_pages_and_holes },
		{ "x86 block without a tag", x86_block_without_a_tag },
		{ NULL, NULL },
	};
	static const struct test_case hostile_images[] = {
		{ "hostile PE headers give notes", hostile_pe_headers_give_notes },
		{ "pe_section", pe_section_lookup },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "kernel: KDBG algebra", algebra }, { "kernel: DTB and paging", dtb },
		{ "kernel: base, PDB, KUSER", identity }, { "kernel: encoded KDBG", encoded },
		{ "kernel: hostile images", hostile_images },
	};
	return run_suites("test_kernel", suites, sizeof suites / sizeof *suites);
}
