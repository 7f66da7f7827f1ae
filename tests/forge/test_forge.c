/* The dump forge, checked without alpcgraph's dump readers: headers are
 * parsed at the offsets dump-formats.md gives, page tables are walked by
 * hand (independent_reader.c), the ELF is compared with a real QEMU dump,
 * and libkdumpfile/libaddrxlat, readers nobody here wrote, read it too. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkdumpfile/addrxlat.h>
#include <libkdumpfile/kdumpfile.h>

#include "../unit/harness.h"
#include "forge.h"
#include "independent_reader.h"

/* The x64 scenario: four runs (one at PFN 0), tables at 0x2000, and
 * mappings of each page size.  Of the 1 GiB page only 16 pages go into the
 * file: the rest is the header's excluded range. */
#define X64_MAX_PFN 0x80000ULL
#define KERNEL_VA 0xfffff80000000000ULL  /* 4 pages -> PA 0x5000 */
#define USER_VA 0x00007ff000000000ULL    /* 1 page -> PA 0x310000 */
#define LARGE_VA 0xfffff80000200000ULL   /* 2 MiB -> PA 0x400000 */
#define HUGE_VA 0xffffc00000000000ULL    /* 1 GiB -> PA 1 GiB */
#define HUGE_PA GIB
#define X64_TABLES 0x2000ULL
#define X64_DTB (X64_TABLES * PAGE)      /* the first table made */

static const char marker[] = "FORGE-MARKER-VIA-4K";

static const struct forge_header x64_header = {
	.build = 22621,
	.ps_active_process_head = 0xfffff8017a21e0c0ULL,
	.ps_loaded_module_list = 0xfffff8017a22a2a0ULL,
	.kd_debugger_data_block = 0xfffff8017a000b20ULL,
	.pfn_database = 0xffffcb8000000000ULL,
	.bugcheck_code = 0xe2,
	.bugcheck_parameters = { 0x11, 0x22, 0x33, 0x44 },
	.system_time = 0x01d9a3b4c5d6e7f8ULL,
	.system_uptime = 0x123456789ULL,
	.processors = 4,
	.excluded_first_pfn = HUGE_PA / PAGE + 16,
	.excluded_count = GIB / PAGE - 16,
};

/* The runs a full x64 dump must list: tables are 8 pages (PML4; PDPT, PD,
 * PT for KERNEL_VA; the same for USER_VA; a PDPT for HUGE_VA). */
static const struct extent x64_runs[] = {
	{ 0, 0x100, 0 }, { 0x303, 0x7d, 0 }, { 0x400, 0x200, 0 }, { 0x1000, 0x40, 0 },
	{ X64_TABLES, 8, 0 }, { HUGE_PA / PAGE, 16, 0 },
};
#define X64_RUN_COUNT (sizeof x64_runs / sizeof *x64_runs)

static const char *temp_file(const char *name)
{
	static char paths[8][PATH_MAX];
	static unsigned next;
	char *path = paths[next++ % 8];
	snprintf(path, PATH_MAX, "%s/%s", test_temp_dir(), name);
	return path;
}

static struct forge *x64_scenario(void)
{
	struct forge *forge = forge_new(FORGE_X64, X64_MAX_PFN);
	forge_add_pages(forge, 0, 0x100);
	forge_add_pages(forge, 0x303, 0x7d); /* not byte-aligned in a bitmap */
	forge_add_pages(forge, 0x1000, 0x40);
	forge_set_table_area(forge, X64_TABLES);
	CU_ASSERT_TRUE(forge_map(forge, KERNEL_VA, 0x5000, 4 * PAGE, PAGE));
	CU_ASSERT_TRUE(forge_map(forge, USER_VA, 0x310000, PAGE, PAGE));
	CU_ASSERT_TRUE(forge_map(forge, LARGE_VA, 0x400000, 2 * MIB, 2 * MIB));
	CU_ASSERT_TRUE(forge_map(forge, HUGE_VA, HUGE_PA, GIB, GIB));
	forge_write(forge, 0x5010, marker, sizeof marker);
	forge_set_header(forge, &x64_header);
	CU_ASSERT_EQUAL(forge_dtb(forge), X64_DTB);
	return forge;
}

/* Writes the scenario and opens it; the caller lays it out. */
static bool write_and_open(struct forge *forge, enum forge_format format, const char *name,
			   struct image *image)
{
	const char *path = temp_file(name);
	struct error *error = forge_write_dump(forge, format, path);
	if (error) {
		fprintf(stderr, "%s\n", error->message);
		error_free(error);
		return false;
	}
	return image_open(image, path);
}

static enum walk_result walk_expect(struct image *image, uint64_t va, uint64_t pa, uint64_t page_size)
{
	struct walk walk = { 0, 0 };
	enum walk_result result = walk_x64(image, X64_DTB, va, &walk);
	if (result == WALK_OK) {
		CU_ASSERT_EQUAL(walk.pa, pa);
		CU_ASSERT_EQUAL(walk.page_size, page_size);
	}
	return result;
}

/* The x64 translations, on any layout: each page size, a forge_write,
 * an unmapped VA, and a mapped page the file leaves out (a raw image has
 * zeros there instead). */
static void check_x64_translations(struct image *image, bool raw)
{
	char text[sizeof marker];
	CU_ASSERT_EQUAL(walk_expect(image, KERNEL_VA + 0x10, 0x5010, PAGE), WALK_OK);
	CU_ASSERT_TRUE(read_physical(image, 0x5010, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, marker);
	CU_ASSERT_EQUAL(walk_expect(image, KERNEL_VA + 0x3ff8, 0x8ff8, PAGE), WALK_OK);
	CU_ASSERT_TRUE(holds_pattern(image, 0x8ff8, 8));
	CU_ASSERT_EQUAL(walk_expect(image, KERNEL_VA + 0x4000, 0, 0), WALK_NOT_PRESENT);
	CU_ASSERT_EQUAL(walk_expect(image, USER_VA + 0x18, 0x310018, PAGE), WALK_OK);
	CU_ASSERT_TRUE(holds_pattern(image, 0x310000, PAGE));
	CU_ASSERT_EQUAL(walk_expect(image, LARGE_VA + 0x12348, 0x412348, 2 * MIB), WALK_OK);
	CU_ASSERT_TRUE(holds_pattern(image, 0x400000, 2 * MIB));
	CU_ASSERT_EQUAL(walk_expect(image, HUGE_VA + 0x3008, HUGE_PA + 0x3008, GIB), WALK_OK);
	CU_ASSERT_TRUE(holds_pattern(image, HUGE_PA, 16 * PAGE));
	CU_ASSERT_EQUAL(walk_expect(image, HUGE_VA + 0x100000, HUGE_PA + 0x100000, GIB), WALK_OK);
	uint8_t byte = 0xff;
	CU_ASSERT_EQUAL(read_physical(image, HUGE_PA + 0x100000, &byte, 1), raw);
	if (raw)
		CU_ASSERT_EQUAL(byte, 0);
	CU_ASSERT_EQUAL(walk_expect(image, 0xfffff88000000000ULL, 0, 0), WALK_NOT_PRESENT);
	CU_ASSERT_TRUE(holds_pattern(image, 0, PAGE));
	CU_ASSERT_TRUE(holds_pattern(image, 0x1000000, 0x40 * PAGE));
}

static void pattern_is_splitmix64_of_the_address(void)
{
	/* SplitMix64's first output from seed 0 (Steele et al. 2014). */
	CU_ASSERT_EQUAL(forge_pattern(0), 0xe220a8397b1dcdafULL);
	CU_ASSERT_NOT_EQUAL(forge_pattern(8), forge_pattern(0));
	/* splitmix64(0x1000), computed apart from this code (Python). */
	CU_ASSERT_EQUAL(forge_pattern(0x1000), 0xd73a9a3d941e7ec7ULL);
}

/* dump-formats.md §1 offsets, each field set from x64_header. */
static void x64_full_dump_header_fields_sit_at_documented_offsets(void)
{
	struct forge *forge = x64_scenario();
	struct image image;
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_FULL, "x64-full.dmp", &image));
	char signature[9] = { 0 };
	file_read(&image, signature, 8, 0);
	CU_ASSERT_STRING_EQUAL(signature, "PAGEDU64");
	CU_ASSERT_EQUAL(file_u32(&image, 0x008), 0xf);
	CU_ASSERT_EQUAL(file_u32(&image, 0x00c), 22621);
	CU_ASSERT_EQUAL(file_u64(&image, 0x010), X64_DTB);
	CU_ASSERT_EQUAL(file_u64(&image, 0x018), x64_header.pfn_database);
	CU_ASSERT_EQUAL(file_u64(&image, 0x020), x64_header.ps_loaded_module_list);
	CU_ASSERT_EQUAL(file_u64(&image, 0x028), x64_header.ps_active_process_head);
	CU_ASSERT_EQUAL(file_u32(&image, 0x030), 0x8664);
	CU_ASSERT_EQUAL(file_u32(&image, 0x034), 4);
	CU_ASSERT_EQUAL(file_u32(&image, 0x038), 0xe2);
	for (unsigned i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(file_u64(&image, 0x040 + 8 * i), 0x11 * (i + 1));
	CU_ASSERT_EQUAL(file_u64(&image, 0x080), x64_header.kd_debugger_data_block);
	CU_ASSERT_EQUAL(file_u32(&image, 0x088), X64_RUN_COUNT);
	uint64_t pages = 0;
	for (unsigned i = 0; i < X64_RUN_COUNT; i++) {
		CU_ASSERT_EQUAL(file_u64(&image, 0x098 + 16 * i), x64_runs[i].pfn);
		CU_ASSERT_EQUAL(file_u64(&image, 0x0a0 + 16 * i), x64_runs[i].count);
		pages += x64_runs[i].count;
	}
	CU_ASSERT_EQUAL(file_u64(&image, 0x090), pages);
	CU_ASSERT_EQUAL(file_u32(&image, 0xf98), 1);
	CU_ASSERT_EQUAL(file_u64(&image, 0xfa0), image.size);
	CU_ASSERT_EQUAL(file_u64(&image, 0xfa8), x64_header.system_time);
	CU_ASSERT_EQUAL(file_u64(&image, 0x1030), x64_header.system_uptime);
	CU_ASSERT_EQUAL(image.size, 0x2000 + pages * PAGE);
	/* §4's formula for one page: run 2 starts after 0x100 + 0x7d pages. */
	uint64_t word = 0;
	file_read(&image, &word, 8, 0x2000 + PAGE * (0x100 + 0x7d + (0x410 - 0x400)));
	CU_ASSERT_EQUAL(word, forge_pattern(0x410000));
	layout_windows_full64(&image);
	check_x64_translations(&image, false);
	CU_ASSERT_TRUE(image.ok);
	image_close(&image);
	forge_free(forge);
}

/* §5.1: PhysicalMemoryBlock lists all present memory; the bitmap the
 * pages in the file, which follow FirstPage in PFN order. */
static void check_bitmap_dump(enum forge_format format, const char *signature, uint32_t dump_type)
{
	struct forge *forge = x64_scenario();
	struct image image;
	CU_ASSERT_FATAL(write_and_open(forge, format, "x64-bitmap.dmp", &image));
	char text[5] = { 0 };
	file_read(&image, text, 4, 0x2000);
	CU_ASSERT_STRING_EQUAL(text, signature);
	file_read(&image, text, 4, 0x2004);
	CU_ASSERT_STRING_EQUAL(text, "DUMP");
	CU_ASSERT_EQUAL(file_u32(&image, 0xf98), dump_type);
	uint64_t first_page = file_u64(&image, 0x2020), present = file_u64(&image, 0x2028);
	uint64_t bits = file_u64(&image, 0x2030);
	CU_ASSERT_EQUAL(bits, X64_MAX_PFN);
	CU_ASSERT_TRUE(first_page >= 0x2038 + bits / 8);
	uint64_t dumped = 0;
	for (unsigned i = 0; i < X64_RUN_COUNT; i++)
		dumped += x64_runs[i].count;
	CU_ASSERT_EQUAL(present, dumped);
	CU_ASSERT_EQUAL(image.size, first_page + present * PAGE);
	CU_ASSERT_EQUAL(file_u64(&image, 0xfa0), image.size);
	/* The runs: the excluded part of the 1 GiB page is still memory. */
	CU_ASSERT_EQUAL(file_u32(&image, 0x088), X64_RUN_COUNT);
	CU_ASSERT_EQUAL(file_u64(&image, 0x098 + 16 * 5), HUGE_PA / PAGE);
	CU_ASSERT_EQUAL(file_u64(&image, 0x0a0 + 16 * 5), GIB / PAGE);
	CU_ASSERT_EQUAL(file_u64(&image, 0x090), dumped - 16 + GIB / PAGE);
	layout_windows_bitmap64(&image);
	CU_ASSERT_EQUAL(image.count, X64_RUN_COUNT);
	for (size_t i = 0; i < image.count && i < X64_RUN_COUNT; i++) {
		CU_ASSERT_EQUAL(image.extents[i].pfn, x64_runs[i].pfn);
		CU_ASSERT_EQUAL(image.extents[i].count, x64_runs[i].count);
	}
	check_x64_translations(&image, false);
	CU_ASSERT_TRUE(image.ok);
	image_close(&image);
	forge_free(forge);
}

static void bitmap_kernel_dump_holds_set_bits_in_pfn_order(void)
{
	check_bitmap_dump(FORGE_WINDOWS_BITMAP_KERNEL, "SDMP", 6);
}

static void bitmap_full_dump_holds_set_bits_in_pfn_order(void)
{
	check_bitmap_dump(FORGE_WINDOWS_BITMAP_FULL, "FDMP", 5);
}

/* §5.3, and kdmp-parser's check MetadataSize - 0x20 == FirstPageOffset -
 * 0x2040.  PFN 0 would end kdmp-parser's list, so it is left out. */
static void check_rdmp_dump(enum forge_format format, uint32_t dump_type)
{
	struct forge *forge = x64_scenario();
	struct image image;
	CU_ASSERT_FATAL(write_and_open(forge, format, "x64-rdmp.dmp", &image));
	CU_ASSERT_EQUAL(file_u32(&image, 0xf98), dump_type);
	CU_ASSERT_EQUAL(file_u32(&image, 0x2000), 0x40);
	char text[9] = { 0 };
	file_read(&image, text, 8, 0x2004);
	CU_ASSERT_STRING_EQUAL(text, "RDMPDUMP");
	uint64_t metadata = file_u64(&image, 0x2010), first_page = file_u64(&image, 0x2018);
	CU_ASSERT_EQUAL(metadata - 0x20, first_page - 0x2040);
	CU_ASSERT_EQUAL(metadata % 16, 0);
	CU_ASSERT_EQUAL(file_u64(&image, 0x2030), 1); /* PFN 0 left out */
	CU_ASSERT_EQUAL(file_u64(&image, 0x2038), 0xff);
	uint64_t pages = 0;
	for (unsigned i = 0; i < X64_RUN_COUNT; i++)
		pages += x64_runs[i].count;
	pages -= 1;
	if (dump_type == 0xa) {
		CU_ASSERT_EQUAL(file_u32(&image, 0x2020), X64_RUN_COUNT);
		CU_ASSERT_EQUAL(file_u64(&image, 0x2028), pages);
	}
	/* The list ends with a zero entry before the first page. */
	CU_ASSERT_EQUAL(file_u64(&image, 0x2030 + 16 * X64_RUN_COUNT), 0);
	CU_ASSERT_TRUE(0x2030 + 16 * (X64_RUN_COUNT + 1) <= first_page);
	CU_ASSERT_EQUAL(image.size, first_page + pages * PAGE);
	layout_windows_rdmp(&image);
	CU_ASSERT_EQUAL(image.count, X64_RUN_COUNT);
	uint64_t offset;
	CU_ASSERT_FALSE(image_page_offset(&image, 0, &offset));
	CU_ASSERT_TRUE(holds_pattern(&image, PAGE, PAGE));
	/* check_x64_translations reads PFN 0 too; skip that one line. */
	CU_ASSERT_EQUAL(walk_expect(&image, LARGE_VA + 8, 0x400008, 2 * MIB), WALK_OK);
	CU_ASSERT_EQUAL(walk_expect(&image, HUGE_VA + 0xf008, HUGE_PA + 0xf008, GIB), WALK_OK);
	CU_ASSERT_TRUE(holds_pattern(&image, HUGE_PA + 0xf000, PAGE));
	char read_marker[sizeof marker];
	CU_ASSERT_EQUAL(walk_expect(&image, KERNEL_VA + 0x10, 0x5010, PAGE), WALK_OK);
	CU_ASSERT_TRUE(read_physical(&image, 0x5010, read_marker, sizeof read_marker));
	CU_ASSERT_STRING_EQUAL(read_marker, marker);
	CU_ASSERT_TRUE(image.ok);
	image_close(&image);
	forge_free(forge);
}

static void rdmp_kernel_dump_passes_kdmp_parser_checks(void)
{
	check_rdmp_dump(FORGE_WINDOWS_RDMP_KERNEL, 8);
}

static void rdmp_complete_dump_passes_kdmp_parser_checks(void)
{
	check_rdmp_dump(FORGE_WINDOWS_RDMP_COMPLETE, 0xa);
}

/* §5.2: a header, a TRIAGE_DUMP with SizeOfDump, and no memory. */
static void triage_dump_is_headers_only(void)
{
	struct forge *forge = x64_scenario();
	struct image image;
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_TRIAGE, "x64-triage.dmp", &image));
	CU_ASSERT_EQUAL(file_u32(&image, 0xf98), 4);
	CU_ASSERT_EQUAL(image.size, 0x3000);
	CU_ASSERT_EQUAL(file_u64(&image, 0xfa0), 0x3000);
	CU_ASSERT_EQUAL(file_u32(&image, 0x2004), 0x3000);
	image_close(&image);
	forge_free(forge);
}

static struct forge *pae_scenario(void)
{
	struct forge *forge = forge_new(FORGE_X86_PAE, 0x100100);
	forge_add_pages(forge, 0x10, 0x40);
	forge_set_table_area(forge, 0x800);
	CU_ASSERT_TRUE(forge_map(forge, 0x80000000ULL, 0x10000, 4 * PAGE, PAGE));
	CU_ASSERT_TRUE(forge_map(forge, 0x80200000ULL, 0x200000, 2 * MIB, 2 * MIB));
	CU_ASSERT_TRUE(forge_map(forge, 0xc0000000ULL, 0x100000000ULL, PAGE, PAGE));
	forge_write(forge, 0x10010, marker, sizeof marker);
	struct forge_header header = x64_header;
	header.excluded_count = 0;
	header.ps_active_process_head = 0x8055a1d8;
	forge_set_header(forge, &header);
	return forge;
}

/* §2 offsets of DUMP_HEADER32 for PAE and non-PAE. */
static void check_header32(struct image *image, uint64_t dtb, bool pae)
{
	char signature[9] = { 0 };
	file_read(image, signature, 8, 0);
	CU_ASSERT_STRING_EQUAL(signature, "PAGEDUMP");
	CU_ASSERT_EQUAL(file_u32(image, 0x00c), 22621);
	CU_ASSERT_EQUAL(file_u32(image, 0x010), dtb);
	CU_ASSERT_EQUAL(file_u32(image, 0x014), (uint32_t)x64_header.pfn_database);
	CU_ASSERT_EQUAL(file_u32(image, 0x01c), 0x8055a1d8);
	CU_ASSERT_EQUAL(file_u32(image, 0x020), 0x14c);
	CU_ASSERT_EQUAL(file_u32(image, 0x024), 4);
	CU_ASSERT_EQUAL(file_u32(image, 0x028), 0xe2);
	CU_ASSERT_EQUAL(file_u32(image, 0x030), 0x22);
	uint8_t pae_enabled = 0xff;
	file_read(image, &pae_enabled, 1, 0x5c);
	CU_ASSERT_EQUAL(pae_enabled, pae);
	CU_ASSERT_EQUAL(file_u32(image, 0x060), (uint32_t)x64_header.kd_debugger_data_block);
	CU_ASSERT_EQUAL(file_u32(image, 0xf88), 1);
	CU_ASSERT_EQUAL(file_u64(image, 0xfa0), image->size);
	CU_ASSERT_EQUAL(file_u64(image, 0xfb8), x64_header.system_uptime);
	CU_ASSERT_EQUAL(file_u64(image, 0xfc0), x64_header.system_time);
}

static void pae_full_dump_walks_4k_2m_and_above_4gib(void)
{
	struct forge *forge = pae_scenario();
	uint64_t dtb = forge_dtb(forge);
	CU_ASSERT_EQUAL(dtb, 0x800020); /* the PDPT at offset 0x20 of its page */
	struct image image;
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_FULL, "pae-full.dmp", &image));
	check_header32(&image, dtb, true);
	/* Runs: [0x10,+0x40) [0x200,+0x200), tables [0x800,+5) (PDPT; PD, PT
	 * for 0x80000000; PD, PT for 0xc0000000), [0x100000,+1). */
	CU_ASSERT_EQUAL(file_u32(&image, 0x064), 4);
	CU_ASSERT_EQUAL(file_u32(&image, 0x068), 0x40 + 0x200 + 5 + 1);
	CU_ASSERT_EQUAL(file_u32(&image, 0x07c), 0x800);
	CU_ASSERT_EQUAL(file_u32(&image, 0x080), 5);
	CU_ASSERT_EQUAL(file_u32(&image, 0x06c), 0x10);
	CU_ASSERT_EQUAL(file_u32(&image, 0x070), 0x40);
	CU_ASSERT_EQUAL(file_u32(&image, 0x084), 0x100000);
	layout_windows_full32(&image);
	struct walk walk;
	char text[sizeof marker];
	CU_ASSERT_EQUAL(walk_pae(&image, dtb, 0x80000010ULL, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, 0x10010);
	CU_ASSERT_TRUE(read_physical(&image, walk.pa, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, marker);
	CU_ASSERT_EQUAL(walk_pae(&image, dtb, 0x80201238ULL, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, 0x201238);
	CU_ASSERT_EQUAL(walk.page_size, 2 * MIB);
	CU_ASSERT_TRUE(holds_pattern(&image, 0x200000, 2 * MIB));
	CU_ASSERT_EQUAL(walk_pae(&image, dtb, 0xc0000ff8ULL, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, 0x100000ff8ULL);
	CU_ASSERT_TRUE(holds_pattern(&image, 0x100000000ULL, PAGE));
	CU_ASSERT_EQUAL(walk_pae(&image, dtb, 0x80004000ULL, &walk), WALK_NOT_PRESENT);
	CU_ASSERT_EQUAL(walk_pae(&image, dtb, 0x40000000ULL, &walk), WALK_NOT_PRESENT);
	/* PDPTEs hold P only: bits 2:1 are reserved with PAE. */
	uint64_t pdpte = 0;
	CU_ASSERT_TRUE(read_physical(&image, 0x800020 + 2 * 8, &pdpte, 8));
	CU_ASSERT_EQUAL(pdpte & 0xfff, 1);
	CU_ASSERT_TRUE(image.ok);
	image_close(&image);
	forge_free(forge);
}

static struct forge *x86_scenario(void)
{
	struct forge *forge = forge_new(FORGE_X86, 0x2000);
	forge_add_pages(forge, 0x10, 0x40);
	forge_set_table_area(forge, 0x1000);
	CU_ASSERT_TRUE(forge_map(forge, 0x80000000ULL, 0x10000, 4 * PAGE, PAGE));
	CU_ASSERT_TRUE(forge_map(forge, 0x80400000ULL, 0x400000, 4 * MIB, 4 * MIB));
	forge_write(forge, 0x10010, marker, sizeof marker);
	struct forge_header header = x64_header;
	header.excluded_count = 0;
	header.ps_active_process_head = 0x8055a1d8;
	forge_set_header(forge, &header);
	return forge;
}

static void check_x86_translations(struct image *image, uint64_t dtb)
{
	struct walk walk;
	char text[sizeof marker];
	CU_ASSERT_EQUAL(walk_x86(image, dtb, 0x80000010ULL, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, 0x10010);
	CU_ASSERT_TRUE(read_physical(image, walk.pa, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, marker);
	CU_ASSERT_EQUAL(walk_x86(image, dtb, 0x80523458ULL, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, 0x523458);
	CU_ASSERT_EQUAL(walk.page_size, 4 * MIB);
	CU_ASSERT_TRUE(holds_pattern(image, 0x400000, 4 * MIB));
	CU_ASSERT_EQUAL(walk_x86(image, dtb, 0x80004000ULL, &walk), WALK_NOT_PRESENT);
	CU_ASSERT_EQUAL(walk_x86(image, dtb, 0x00400000ULL, &walk), WALK_NOT_PRESENT);
}

static void non_pae_full_dump_walks_4k_and_4m(void)
{
	struct forge *forge = x86_scenario();
	uint64_t dtb = forge_dtb(forge);
	CU_ASSERT_EQUAL(dtb, 0x1000000);
	struct image image;
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_FULL, "x86-full.dmp", &image));
	check_header32(&image, dtb, false);
	layout_windows_full32(&image);
	check_x86_translations(&image, dtb);
	CU_ASSERT_TRUE(image.ok);
	image_close(&image);
	forge_free(forge);
}

/* The shape §7 describes, read the same way from any core file. */
struct core_shape {
	uint16_t machine;
	unsigned loads, prstatus_notes, qemu_notes;
	uint32_t prstatus_size, qemu_version, qemu_size;
	uint64_t cr0, cr3, cr4;
	bool note_first, loads_have_paddr, core_before_qemu;
};

static void read_core_shape(struct image *image, struct core_shape *shape)
{
	*shape = (struct core_shape){ 0 };
	uint8_t ident[16];
	file_read(image, ident, 16, 0);
	CU_ASSERT_EQUAL(memcmp(ident, "\177ELF", 4), 0);
	CU_ASSERT_EQUAL(ident[4], 2); /* ELFCLASS64 */
	CU_ASSERT_EQUAL(ident[5], 1); /* little-endian */
	CU_ASSERT_EQUAL(file_u16(image, 0x10), 4); /* ET_CORE */
	shape->machine = file_u16(image, 0x12);
	uint64_t phoff = file_u64(image, 0x20);
	uint16_t entry = file_u16(image, 0x36), count = file_u16(image, 0x38);
	CU_ASSERT_EQUAL(entry, 56);
	uint64_t notes = 0, notes_size = 0;
	shape->loads_have_paddr = true;
	for (uint16_t i = 0; i < count; i++) {
		uint64_t at = phoff + (uint64_t)i * entry;
		uint32_t type = file_u32(image, at);
		if (i == 0)
			shape->note_first = type == 4; /* PT_NOTE */
		if (type == 4) {
			notes = file_u64(image, at + 8);
			notes_size = file_u64(image, at + 0x20);
		} else if (type == 1) {
			shape->loads++;
			uint64_t offset = file_u64(image, at + 8), filesz = file_u64(image, at + 0x20);
			CU_ASSERT_TRUE(offset + filesz <= image->size);
			CU_ASSERT_TRUE(filesz <= file_u64(image, at + 0x28));
			if (file_u64(image, at + 0x18) % PAGE || file_u64(image, at + 0x18) != file_u64(image, at + 0x10))
				shape->loads_have_paddr = false;
		}
	}
	bool seen_qemu = false;
	shape->core_before_qemu = true;
	for (uint64_t at = notes; at + 12 <= notes + notes_size;) {
		uint32_t name_size = file_u32(image, at), desc_size = file_u32(image, at + 4);
		uint32_t type = file_u32(image, at + 8);
		char name[8] = { 0 };
		file_read(image, name, name_size < sizeof name ? name_size : sizeof name - 1, at + 12);
		uint64_t desc = at + 12 + (name_size + 3) / 4 * 4;
		if (strcmp(name, "CORE") == 0 && type == 1 /* NT_PRSTATUS */) {
			shape->prstatus_notes++;
			shape->prstatus_size = desc_size;
			if (seen_qemu)
				shape->core_before_qemu = false;
		} else if (strcmp(name, "QEMU") == 0) {
			if (!seen_qemu) {
				shape->qemu_version = file_u32(image, desc);
				shape->qemu_size = file_u32(image, desc + 4);
				shape->cr0 = file_u64(image, desc + 0x188);
				shape->cr3 = file_u64(image, desc + 0x1a0);
				shape->cr4 = file_u64(image, desc + 0x1a8);
			}
			seen_qemu = true;
			shape->qemu_notes++;
		}
		at = desc + (desc_size + 3) / 4 * 4;
	}
}

static bool decompress_corpus_elf(const char *to)
{
	const char *shared = shared_dir();
	if (!shared) {
		printf("\n  (../shared is absent: the QEMU comparison is skipped)\n");
		return false;
	}
	char command[2 * PATH_MAX + 64];
	snprintf(command, sizeof command, "xz -dc '%s/corpus/qemu/lm.elf.xz' > '%s'", shared, to);
	return system(command) == 0;
}

static void elf_has_the_shape_of_qemus_own_dump(void)
{
	struct forge *forge = x64_scenario();
	struct image ours;
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_ELF_QEMU, "x64.elf", &ours));
	struct core_shape mine;
	read_core_shape(&ours, &mine);
	CU_ASSERT_EQUAL(mine.machine, 62); /* EM_X86_64 */
	CU_ASSERT_TRUE(mine.note_first);
	CU_ASSERT_TRUE(mine.loads_have_paddr);
	CU_ASSERT_TRUE(mine.core_before_qemu);
	CU_ASSERT_EQUAL(mine.loads, X64_RUN_COUNT);
	CU_ASSERT_EQUAL(mine.prstatus_notes, 4);
	CU_ASSERT_EQUAL(mine.qemu_notes, 4);
	CU_ASSERT_EQUAL(mine.prstatus_size, 336);
	CU_ASSERT_EQUAL(mine.qemu_version, 1);
	CU_ASSERT_EQUAL(mine.qemu_size, 0x1b8);
	CU_ASSERT_EQUAL(mine.cr3, X64_DTB);
	CU_ASSERT_EQUAL(mine.cr0, 0x80000011);
	CU_ASSERT_EQUAL(mine.cr4, 0x20);
	layout_elf64(&ours);
	check_x64_translations(&ours, false);
	CU_ASSERT_TRUE(ours.ok);
	image_close(&ours);
	forge_free(forge);

	const char *real_path = temp_file("lm.elf");
	if (!decompress_corpus_elf(real_path))
		return;
	struct image real;
	CU_ASSERT_FATAL(image_open(&real, real_path));
	struct core_shape qemu;
	read_core_shape(&real, &qemu);
	/* Real QEMU 7.2 output, known content from corpus/qemu/README.md. */
	CU_ASSERT_EQUAL(qemu.cr3, 0x1000);
	CU_ASSERT_EQUAL(qemu.loads, 2);
	/* The same structure as ours. */
	CU_ASSERT_EQUAL(qemu.machine, mine.machine);
	CU_ASSERT_EQUAL(qemu.note_first, mine.note_first);
	CU_ASSERT_EQUAL(qemu.loads_have_paddr, mine.loads_have_paddr);
	CU_ASSERT_EQUAL(qemu.core_before_qemu, mine.core_before_qemu);
	CU_ASSERT_EQUAL(qemu.prstatus_size, mine.prstatus_size);
	CU_ASSERT_EQUAL(qemu.qemu_version, mine.qemu_version);
	CU_ASSERT_EQUAL(qemu.qemu_size, mine.qemu_size);
	CU_ASSERT_EQUAL(qemu.cr0, mine.cr0);
	CU_ASSERT_EQUAL(qemu.cr4, mine.cr4);
	/* And the hand walker reads the real guest's tables (boot64.S). */
	layout_elf64(&real);
	struct walk walk;
	CU_ASSERT_EQUAL(walk_x64(&real, qemu.cr3, 0xffffffff80008000ULL, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, 0x8000);
	char text[26] = { 0 };
	CU_ASSERT_TRUE(read_physical(&real, walk.pa, text, 25));
	CU_ASSERT_STRING_EQUAL(text, "LONGMODE-MARKER-VIA-KTEXT");
	CU_ASSERT_EQUAL(walk_x64(&real, qemu.cr3, 0x202000, &walk), WALK_NOT_PRESENT);
	image_close(&real);
	unlink(real_path);
}

/* libkdumpfile, an independent reader: deps.md §2's call sequence. */
static void check_kdumpfile_reads(const char *path, uint64_t marker_pa, const uint64_t *pattern_pas,
				  size_t count, uint64_t absent_pa)
{
	kdump_ctx_t *ctx = kdump_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0);
	kdump_status status = kdump_open_fd(ctx, fd);
	if (status != KDUMP_OK)
		fprintf(stderr, "\n%s: %s\n", path, kdump_get_err(ctx));
	CU_ASSERT_EQUAL_FATAL(status, KDUMP_OK);
	char text[sizeof marker];
	size_t length = sizeof text;
	CU_ASSERT_EQUAL(kdump_read(ctx, KDUMP_MACHPHYSADDR, marker_pa, text, &length), KDUMP_OK);
	CU_ASSERT_EQUAL(length, sizeof text);
	CU_ASSERT_EQUAL(memcmp(text, marker, sizeof marker), 0);
	for (size_t i = 0; i < count; i++) {
		uint64_t words[4];
		length = sizeof words;
		CU_ASSERT_EQUAL(kdump_read(ctx, KDUMP_MACHPHYSADDR, pattern_pas[i], words, &length), KDUMP_OK);
		for (unsigned w = 0; w < 4; w++)
			CU_ASSERT_EQUAL(words[w], forge_pattern(pattern_pas[i] + 8 * w));
	}
	uint8_t byte;
	length = 1;
	CU_ASSERT_EQUAL(kdump_read(ctx, KDUMP_MACHPHYSADDR, absent_pa, &byte, &length), KDUMP_ERR_NODATA);
	kdump_free(ctx);
	close(fd);
}

static void libkdumpfile_reads_the_pattern_from_the_elf(void)
{
	struct forge *forge = x64_scenario();
	const char *path = temp_file("kdump-x64.elf");
	struct error *error = forge_write_dump(forge, FORGE_ELF_QEMU, path);
	CU_ASSERT_PTR_NULL_FATAL(error);
	static const uint64_t x64_pas[] = { 0, 0x6000, 0x310010, 0x5ff000, 0x103f000, HUGE_PA + 0xf000 };
	check_kdumpfile_reads(path, 0x5010, x64_pas, sizeof x64_pas / sizeof *x64_pas, 0x200000);
	forge_free(forge);

	forge = pae_scenario();
	path = temp_file("kdump-pae.elf");
	error = forge_write_dump(forge, FORGE_ELF_QEMU, path);
	CU_ASSERT_PTR_NULL_FATAL(error);
	static const uint64_t pae_pas[] = { 0x11000, 0x3ffff0 - 0x10, 0x100000000ULL };
	check_kdumpfile_reads(path, 0x10010, pae_pas, sizeof pae_pas / sizeof *pae_pas, 0x100001000ULL);
	forge_free(forge);
}

/* libaddrxlat (deps.md §3) reads the tables through this image. */
static void release_page(const addrxlat_buffer_t *buffer)
{
	free(buffer->priv);
}

static addrxlat_status get_page(const addrxlat_cb_t *cb, addrxlat_buffer_t *buffer)
{
	uint64_t page = buffer->addr.addr & ~(PAGE - 1);
	uint8_t *bytes = malloc(PAGE);
	if (!bytes || !read_physical(cb->priv, page, bytes, PAGE)) {
		free(bytes);
		return ADDRXLAT_ERR_NODATA;
	}
	buffer->addr.addr = page;
	buffer->ptr = bytes;
	buffer->size = PAGE;
	buffer->byte_order = ADDRXLAT_HOST_ENDIAN;
	buffer->put_page = release_page;
	buffer->priv = bytes;
	return ADDRXLAT_OK;
}

static unsigned long read_caps(const addrxlat_cb_t *cb)
{
	(void)cb;
	return ADDRXLAT_CAPS(ADDRXLAT_MACHPHYSADDR);
}

static void check_addrxlat_agrees(struct image *image, enum forge_arch arch, uint64_t dtb,
				  const uint64_t *vas, size_t count)
{
	addrxlat_ctx_t *ctx = addrxlat_ctx_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
	addrxlat_cb_t *cb = addrxlat_ctx_add_cb(ctx);
	cb->get_page = get_page;
	cb->read_caps = read_caps;
	cb->priv = image;
	addrxlat_meth_t method = { .kind = ADDRXLAT_PGT, .target_as = ADDRXLAT_MACHPHYSADDR };
	method.param.pgt.root.as = ADDRXLAT_MACHPHYSADDR;
	if (arch == FORGE_X64) {
		method.param.pgt.root.addr = dtb;
		method.param.pgt.pf = (addrxlat_paging_form_t){ .pte_format = ADDRXLAT_PTE_X86_64,
								.nfields = 5, .fieldsz = { 12, 9, 9, 9, 9 } };
	} else if (arch == FORGE_X86_PAE) {
		method.param.pgt.root.addr = dtb & ~0x1fULL;
		method.param.pgt.pf = (addrxlat_paging_form_t){ .pte_format = ADDRXLAT_PTE_IA32_PAE,
								.nfields = 4, .fieldsz = { 12, 9, 9, 2 } };
	} else {
		method.param.pgt.root.addr = dtb;
		method.param.pgt.pf = (addrxlat_paging_form_t){ .pte_format = ADDRXLAT_PTE_IA32,
								.nfields = 3, .fieldsz = { 12, 10, 10 } };
	}
	for (size_t i = 0; i < count; i++) {
		addrxlat_step_t step = { .ctx = ctx, .sys = NULL, .meth = &method };
		step.base.addr = vas[i];
		step.base.as = ADDRXLAT_KVADDR;
		addrxlat_status status = addrxlat_walk(&step);
		struct walk walk = { 0, 0 };
		enum walk_result mine = arch == FORGE_X64 ? walk_x64(image, dtb, vas[i], &walk)
					: arch == FORGE_X86_PAE ? walk_pae(image, dtb, vas[i], &walk)
								: walk_x86(image, dtb, vas[i], &walk);
		CU_ASSERT_EQUAL(status == ADDRXLAT_OK, mine == WALK_OK);
		if (status == ADDRXLAT_OK && mine == WALK_OK)
			CU_ASSERT_EQUAL(step.base.addr, walk.pa);
	}
	addrxlat_ctx_decref(ctx);
}

static void libaddrxlat_agrees_with_the_hand_walks(void)
{
	struct image image;
	struct forge *forge = x64_scenario();
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_BITMAP_KERNEL, "xlat-x64.dmp", &image));
	layout_windows_bitmap64(&image);
	static const uint64_t x64_vas[] = { KERNEL_VA + 0x10, KERNEL_VA + 0x3008, KERNEL_VA + 0x4000,
					    USER_VA + 0x18, LARGE_VA + 0x1fffff, HUGE_VA + 0x3fffeff8,
					    0xfffff88000000000ULL };
	check_addrxlat_agrees(&image, FORGE_X64, forge_dtb(forge), x64_vas, sizeof x64_vas / sizeof *x64_vas);
	image_close(&image);
	forge_free(forge);

	forge = pae_scenario();
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_FULL, "xlat-pae.dmp", &image));
	layout_windows_full32(&image);
	static const uint64_t pae_vas[] = { 0x80000010ULL, 0x80003ff8ULL, 0x80004000ULL, 0x80201238ULL,
					    0xc0000ff8ULL, 0x40000000ULL };
	check_addrxlat_agrees(&image, FORGE_X86_PAE, forge_dtb(forge), pae_vas, sizeof pae_vas / sizeof *pae_vas);
	image_close(&image);
	forge_free(forge);

	forge = x86_scenario();
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_FULL, "xlat-x86.dmp", &image));
	layout_windows_full32(&image);
	static const uint64_t x86_vas[] = { 0x80000010ULL, 0x80003ff8ULL, 0x80004000ULL, 0x80523458ULL,
					    0x00400000ULL };
	check_addrxlat_agrees(&image, FORGE_X86, forge_dtb(forge), x86_vas, sizeof x86_vas / sizeof *x86_vas);
	image_close(&image);
	forge_free(forge);
}

/* Raw: byte a is physical address a; holes are never written. */
static void raw_image_keeps_holes_sparse(void)
{
	struct forge *forge = x64_scenario();
	const char *path = temp_file("x64.raw");
	struct image image;
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_RAW, "x64.raw", &image));
	CU_ASSERT_EQUAL(image.size, X64_MAX_PFN * PAGE);
	struct stat info;
	CU_ASSERT_EQUAL_FATAL(stat(path, &info), 0);
	/* About 4 MiB written of a 2 GiB file. */
	CU_ASSERT_TRUE((uint64_t)info.st_blocks * 512 < 16 * MIB);
	layout_raw(&image);
	check_x64_translations(&image, true);
	uint8_t hole[64], zeros[64] = { 0 };
	CU_ASSERT_TRUE(read_physical(&image, 0x100000, hole, sizeof hole));
	CU_ASSERT_EQUAL(memcmp(hole, zeros, sizeof zeros), 0);
	image_close(&image);
	forge_free(forge);

	forge = x86_scenario();
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_RAW, "x86.raw", &image));
	CU_ASSERT_EQUAL(image.size, 0x2000 * PAGE);
	layout_raw(&image);
	check_x86_translations(&image, forge_dtb(forge));
	image_close(&image);
	forge_free(forge);
}

/* Damage: every byte outside the named spans is unchanged. */
struct span {
	uint64_t offset, length;
};

struct damage_case {
	uint8_t *before, *after;
	size_t before_size, after_size;
	struct image image; /* the damaged file */
};

static bool damage_case_run(struct forge *forge, enum forge_format format, enum forge_damage damage,
			    uint64_t at, struct damage_case *c)
{
	const char *path = temp_file("damaged.dmp");
	struct error *error = forge_write_dump(forge, format, path);
	CU_ASSERT_PTR_NULL(error);
	if (error) {
		error_free(error);
		return false;
	}
	c->before = (uint8_t *)read_whole_file(path, &c->before_size);
	error = forge_damage(path, damage, at);
	CU_ASSERT_PTR_NULL(error);
	if (error) {
		fprintf(stderr, "\n%s\n", error->message);
		error_free(error);
	}
	c->after = (uint8_t *)read_whole_file(path, &c->after_size);
	return c->before && c->after && image_open(&c->image, path);
}

static void expect_changed_only(const struct damage_case *c, const struct span *spans, size_t count)
{
	CU_ASSERT_EQUAL_FATAL(c->before_size, c->after_size);
	size_t stray = 0, changed = 0;
	for (size_t i = 0; i < c->before_size; i++) {
		if (c->before[i] == c->after[i])
			continue;
		changed++;
		bool allowed = false;
		for (size_t s = 0; s < count; s++)
			allowed |= i >= spans[s].offset && i - spans[s].offset < spans[s].length;
		if (!allowed && stray++ < 4)
			fprintf(stderr, "\nunexpected change at 0x%zx\n", i);
	}
	CU_ASSERT_EQUAL(stray, 0);
	CU_ASSERT_TRUE(changed > 0);
}

static void damage_case_done(struct damage_case *c)
{
	free(c->before);
	free(c->after);
	image_close(&c->image);
}

static void damage_to_signatures_and_size(void)
{
	struct forge *forge = x64_scenario();
	struct damage_case c;
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_FULL, FORGE_BAD_SIGNATURE, 0, &c));
	expect_changed_only(&c, (struct span[]){ { 0, 1 } }, 1);
	CU_ASSERT_EQUAL(memcmp(c.after, "XAGEDU64", 8), 0);
	damage_case_done(&c);

	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_ELF_QEMU, FORGE_BAD_SIGNATURE, 0, &c));
	expect_changed_only(&c, (struct span[]){ { 1, 1 } }, 1);
	CU_ASSERT_EQUAL(memcmp(c.after, "\177XLF", 4), 0);
	damage_case_done(&c);

	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_BITMAP_KERNEL, FORGE_TRUNCATE, 0x2100, &c));
	CU_ASSERT_EQUAL(c.after_size, 0x2100);
	CU_ASSERT_EQUAL(memcmp(c.before, c.after, 0x2100), 0);
	damage_case_done(&c);

	const char *raw = temp_file("damage.raw");
	struct error *error = forge_write_dump(forge, FORGE_RAW, raw);
	CU_ASSERT_PTR_NULL(error);
	error = forge_damage(raw, FORGE_BAD_SIGNATURE, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, raw));
	error_free(error);
	error = forge_damage(raw, FORGE_TRUNCATE, X64_MAX_PFN * PAGE + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_USAGE);
	error_free(error);
	forge_free(forge);
}

static void damage_to_runs(void)
{
	struct forge *forge = x64_scenario();
	struct damage_case c;
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_FULL, FORGE_ABSURD_RUNS, 0, &c));
	expect_changed_only(&c, (struct span[]){ { 0x88, 4 } }, 1);
	CU_ASSERT_EQUAL(file_u32(&c.image, 0x88), 0xffffffff);
	damage_case_done(&c);

	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_FULL, FORGE_OVERLAPPING_RUNS, 0, &c));
	expect_changed_only(&c, (struct span[]){ { 0xa8, 8 } }, 1);
	CU_ASSERT_EQUAL(file_u64(&c.image, 0xa8), file_u64(&c.image, 0x98));
	damage_case_done(&c);

	/* Full: the last run and NumberOfPages claim 16 more pages. */
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_FULL, FORGE_BITMAP_OVERCLAIMS, 0, &c));
	uint64_t last_count = 0x98 + 16 * (X64_RUN_COUNT - 1) + 8;
	expect_changed_only(&c, (struct span[]){ { 0x90, 8 }, { last_count, 8 } }, 2);
	CU_ASSERT_EQUAL(file_u64(&c.image, last_count), 16 + 16);
	layout_windows_full64(&c.image);
	uint64_t offset;
	CU_ASSERT_TRUE(image_page_offset(&c.image, HUGE_PA / PAGE + 31, &offset));
	CU_ASSERT_TRUE(offset >= c.image.size);
	damage_case_done(&c);

	/* Bitmap: the 16 highest clear bits (PFNs 0x7fff0-0x7ffff) and
	 * TotalPresentPages. */
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_BITMAP_KERNEL, FORGE_BITMAP_OVERCLAIMS, 0, &c));
	uint64_t last_bits = 0x2038 + (X64_MAX_PFN - 16) / 8;
	expect_changed_only(&c, (struct span[]){ { 0x2028, 8 }, { last_bits, 2 } }, 2);
	CU_ASSERT_EQUAL(c.after[last_bits], 0xff);
	CU_ASSERT_EQUAL(c.after[last_bits + 1], 0xff);
	uint64_t claimed = file_u64(&c.image, 0x2028);
	CU_ASSERT_TRUE(file_u64(&c.image, 0x2020) + claimed * PAGE > c.image.size);
	layout_windows_bitmap64(&c.image);
	CU_ASSERT_TRUE(holds_pattern(&c.image, HUGE_PA + 0xf000, PAGE)); /* earlier pages stay put */
	CU_ASSERT_TRUE(image_page_offset(&c.image, X64_MAX_PFN - 1, &offset));
	CU_ASSERT_TRUE(offset >= c.image.size);
	damage_case_done(&c);

	/* RDMP complete: the last range and TotalNumberOfPages. */
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_RDMP_COMPLETE, FORGE_BITMAP_OVERCLAIMS, 0, &c));
	uint64_t last_range = 0x2030 + 16 * (X64_RUN_COUNT - 1) + 8;
	expect_changed_only(&c, (struct span[]){ { 0x2028, 8 }, { last_range, 8 } }, 2);
	CU_ASSERT_EQUAL(file_u64(&c.image, last_range), 32);
	damage_case_done(&c);

	/* RDMP kernel: range 1 moves onto range 0. */
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_RDMP_KERNEL, FORGE_OVERLAPPING_RUNS, 0, &c));
	expect_changed_only(&c, (struct span[]){ { 0x2040, 8 } }, 1);
	CU_ASSERT_EQUAL(file_u64(&c.image, 0x2040), 1);
	damage_case_done(&c);

	/* ELF: e_phnum, the last PT_LOAD's sizes, the second PT_LOAD's start. */
	uint64_t first_load = 64 + 56, second_load = 64 + 2 * 56, last_load = 64 + X64_RUN_COUNT * 56;
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_ELF_QEMU, FORGE_ABSURD_RUNS, 0, &c));
	expect_changed_only(&c, (struct span[]){ { 0x38, 2 } }, 1);
	CU_ASSERT_EQUAL(file_u16(&c.image, 0x38), 0xfffe);
	damage_case_done(&c);
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_ELF_QEMU, FORGE_BITMAP_OVERCLAIMS, 0, &c));
	expect_changed_only(&c, (struct span[]){ { last_load + 0x20, 16 } }, 1);
	CU_ASSERT_EQUAL(file_u64(&c.image, last_load + 0x20), 32 * PAGE);
	CU_ASSERT_EQUAL(file_u64(&c.image, last_load + 0x28), 32 * PAGE);
	damage_case_done(&c);
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_ELF_QEMU, FORGE_OVERLAPPING_RUNS, 0, &c));
	expect_changed_only(&c, (struct span[]){ { second_load + 0x10, 16 } }, 1);
	CU_ASSERT_EQUAL(file_u64(&c.image, second_load + 0x18), file_u64(&c.image, first_load + 0x18));
	CU_ASSERT_EQUAL(file_u64(&c.image, second_load + 0x10), file_u64(&c.image, first_load + 0x10));
	damage_case_done(&c);
	forge_free(forge);

	/* x86 header: NumberOfRuns at 0x64, Run[] at 0x6c, 4-byte fields. */
	forge = pae_scenario();
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_FULL, FORGE_ABSURD_RUNS, 0, &c));
	expect_changed_only(&c, (struct span[]){ { 0x64, 4 } }, 1);
	CU_ASSERT_EQUAL(file_u32(&c.image, 0x64), 0xffffffff);
	damage_case_done(&c);
	CU_ASSERT_FATAL(damage_case_run(forge, FORGE_WINDOWS_FULL, FORGE_OVERLAPPING_RUNS, 0, &c));
	expect_changed_only(&c, (struct span[]){ { 0x74, 4 } }, 1);
	CU_ASSERT_EQUAL(file_u32(&c.image, 0x74), 0x10);
	damage_case_done(&c);
	forge_free(forge);
}

/* forge_unmap clears P only; forge_loop points an entry at the top table;
 * forge_drop_table leaves a table page out of the file. */
static void unmap_loop_and_dropped_table(void)
{
	struct forge *forge = x64_scenario();
	forge_unmap(forge, KERNEL_VA + PAGE);
	forge_loop(forge, USER_VA, 2);
	forge_drop_table(forge, LARGE_VA, 3); /* PD of KERNEL_VA and LARGE_VA */
	struct image image;
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_BITMAP_KERNEL, "edited.dmp", &image));
	layout_windows_bitmap64(&image);
	/* Tables: 0x2000 PML4, 0x2001 PDPT, 0x2002 PD, 0x2003 PT (KERNEL_VA);
	 * 0x2004-0x2006 for USER_VA; 0x2007 the PDPT of HUGE_VA. */
	uint64_t offset, entry = 0;
	CU_ASSERT_FALSE(image_page_offset(&image, 0x2002, &offset));
	CU_ASSERT_EQUAL(file_u32(&image, 0x088), X64_RUN_COUNT); /* still memory */
	CU_ASSERT_TRUE(read_physical(&image, 0x2003 * PAGE + 8, &entry, 8));
	CU_ASSERT_EQUAL(entry, 0x6000 | 0x2); /* RW kept, P cleared */
	CU_ASSERT_TRUE(read_physical(&image, 0x2004 * PAGE + (USER_VA >> 30 & 0x1ff) * 8, &entry, 8));
	CU_ASSERT_EQUAL(entry & ~0xfffULL, X64_DTB);
	CU_ASSERT_EQUAL(entry & 1, 1);
	struct walk walk;
	CU_ASSERT_EQUAL(walk_x64(&image, X64_DTB, KERNEL_VA, &walk), WALK_UNREADABLE);
	CU_ASSERT_EQUAL(walk_x64(&image, X64_DTB, HUGE_VA, &walk), WALK_OK);
	image_close(&image);
	forge_free(forge);

	/* The same edits on PAE and without PAE. */
	forge = x86_scenario();
	forge_unmap(forge, 0x80400000ULL); /* the 4 MiB PDE */
	CU_ASSERT_FATAL(write_and_open(forge, FORGE_WINDOWS_FULL, "edited-x86.dmp", &image));
	layout_windows_full32(&image);
	CU_ASSERT_EQUAL(walk_x86(&image, forge_dtb(forge), 0x80400000ULL, &walk), WALK_NOT_PRESENT);
	CU_ASSERT_EQUAL(walk_x86(&image, forge_dtb(forge), 0x80000000ULL, &walk), WALK_OK);
	image_close(&image);
	forge_free(forge);
}

static void expect_usage_error(struct forge *forge, enum forge_format format, enum error_code code)
{
	const char *path = temp_file("refused.dmp");
	struct error *error = forge_write_dump(forge, format, path);
	CU_ASSERT_PTR_NOT_NULL(error);
	if (error) {
		CU_ASSERT_EQUAL(error->code, code);
		CU_ASSERT_PTR_NOT_NULL(strstr(error->message, path));
		error_free(error);
	}
	forge_free(forge);
}

static void misuse_is_refused(void)
{
	/* 43 runs do not fit DUMP_HEADER64's PhysicalMemoryBlock (§1). */
	struct forge *forge = forge_new(FORGE_X64, 0x1000);
	for (uint64_t i = 0; i < 43; i++)
		forge_add_pages(forge, 2 * i, 1);
	expect_usage_error(forge, FORGE_WINDOWS_FULL, ERROR_USAGE);
	forge = forge_new(FORGE_X64, 0x1000);
	for (uint64_t i = 0; i < 42; i++)
		forge_add_pages(forge, 2 * i, 1);
	const char *path = temp_file("42-runs.dmp");
	struct error *error = forge_write_dump(forge, FORGE_WINDOWS_FULL, path);
	CU_ASSERT_PTR_NULL(error);
	forge_free(forge);

	forge = forge_new(FORGE_X64, 0x100);
	forge_add_pages(forge, 0xf0, 0x20);
	expect_usage_error(forge, FORGE_ELF_QEMU, ERROR_USAGE);
	forge = forge_new(FORGE_X64, 0x100);
	forge_add_pages(forge, 0, 1);
	forge_write(forge, 0x1000, "x", 1);
	expect_usage_error(forge, FORGE_RAW, ERROR_USAGE);
	forge = forge_new(FORGE_X86_PAE, 0x100);
	forge_add_pages(forge, 0, 1);
	expect_usage_error(forge, FORGE_WINDOWS_BITMAP_KERNEL, ERROR_UNSUPPORTED);

	forge = forge_new(FORGE_X64, 0x80000);
	forge_set_table_area(forge, 0x100);
	CU_ASSERT_FALSE(forge_map(forge, 0xfffff80000000800ULL, 0x1000, PAGE, PAGE)); /* misaligned */
	CU_ASSERT_FALSE(forge_map(forge, 0x0000800000000000ULL, 0x1000, PAGE, PAGE)); /* not canonical */
	CU_ASSERT_FALSE(forge_map(forge, 0xfffff80000000000ULL, 0x1000, PAGE, 4 * MIB));
	CU_ASSERT_FALSE(forge_map(forge, 0xfffff80000000000ULL, 0x80000000ULL, GIB, GIB)); /* past max_pfn */
	CU_ASSERT_TRUE(forge_map(forge, 0xfffff80000000000ULL, 0x200000, 2 * MIB, 2 * MIB));
	CU_ASSERT_FALSE(forge_map(forge, 0xfffff80000001000ULL, 0x1000, PAGE, PAGE)); /* inside a 2 MiB page */
	forge_free(forge);
	forge = forge_new(FORGE_X86_PAE, 0x1000);
	CU_ASSERT_FALSE(forge_map(forge, 0x80000000ULL, 0, GIB, GIB));
	CU_ASSERT_FALSE(forge_map(forge, 0xfffff000ULL, 0, 2 * PAGE, PAGE)); /* past 4 GiB */
	forge_free(forge);
}

/* forge_write_sparse_bitmap: 1 GiB with 256 MiB present is 4 runs of
 * 64 MiB at PFNs 0, 0x10000, 0x20000, 0x30000; tables at PFNs 1-131. */
static void sparse_bitmap_of_1gib_with_256mib_present(void)
{
	const char *path = temp_file("sparse.dmp");
	struct error *error = forge_write_sparse_bitmap(path, GIB, 256 * MIB);
	CU_ASSERT_PTR_NULL_FATAL(error);
	struct image image;
	CU_ASSERT_FATAL(image_open(&image, path));
	uint64_t first_page = file_u64(&image, 0x2020);
	CU_ASSERT_EQUAL(first_page, 0xb000); /* 0x2038 + 32 KiB of bitmap, page-aligned */
	CU_ASSERT_EQUAL(image.size, first_page + 256 * MIB);
	struct stat info;
	CU_ASSERT_EQUAL_FATAL(stat(path, &info), 0);
	/* Absent memory is not in the file at all: the disk holds about the
	 * present quarter of physical memory. */
	CU_ASSERT_TRUE((uint64_t)info.st_blocks * 512 <= image.size + MIB);
	CU_ASSERT_TRUE((uint64_t)info.st_blocks * 512 < GIB / 2);
	char signature[9] = { 0 };
	file_read(&image, signature, 8, 0);
	CU_ASSERT_STRING_EQUAL(signature, "PAGEDU64");
	file_read(&image, signature, 8, 0x2000);
	CU_ASSERT_STRING_EQUAL(signature, "SDMPDUMP");
	CU_ASSERT_EQUAL(file_u32(&image, 0xf98), 6);
	uint64_t dtb = file_u64(&image, 0x10);
	CU_ASSERT_EQUAL(dtb, PAGE);
	CU_ASSERT_EQUAL(file_u32(&image, 0x88), 1);
	CU_ASSERT_EQUAL(file_u64(&image, 0x98), 0);
	CU_ASSERT_EQUAL(file_u64(&image, 0xa0), GIB / PAGE);
	CU_ASSERT_EQUAL(file_u64(&image, 0x2028), 256 * MIB / PAGE);
	CU_ASSERT_EQUAL(file_u64(&image, 0x2030), GIB / PAGE);
	CU_ASSERT_EQUAL(file_u64(&image, 0xfa0), image.size);
	layout_windows_bitmap64(&image);
	CU_ASSERT_EQUAL_FATAL(image.count, 4);
	for (unsigned i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(image.extents[i].pfn, 0x10000 * i);
		CU_ASSERT_EQUAL(image.extents[i].count, 0x4000);
	}
	/* The helpers agree with the bitmap. */
	for (uint64_t pfn = 0; pfn < GIB / PAGE; pfn += 997) {
		uint64_t offset;
		CU_ASSERT_EQUAL(forge_sparse_page_present(GIB, 256 * MIB, pfn),
				image_page_offset(&image, pfn, &offset));
	}
	CU_ASSERT_TRUE(forge_sparse_page_is_table(GIB, 256 * MIB, 1));
	CU_ASSERT_TRUE(forge_sparse_page_is_table(GIB, 256 * MIB, 131));
	CU_ASSERT_FALSE(forge_sparse_page_is_table(GIB, 256 * MIB, 0));
	CU_ASSERT_FALSE(forge_sparse_page_is_table(GIB, 256 * MIB, 132));
	CU_ASSERT_TRUE(holds_pattern(&image, 0, PAGE));
	CU_ASSERT_TRUE(holds_pattern(&image, 132 * PAGE, PAGE));
	CU_ASSERT_TRUE(holds_pattern(&image, 0x10005000, PAGE));
	CU_ASSERT_TRUE(holds_pattern(&image, 0x33fff000, PAGE));
	CU_ASSERT_FALSE(holds_pattern(&image, 0x34000000, 8)); /* absent */
	/* VA translation by hand. */
	struct walk walk;
	CU_ASSERT_EQUAL(walk_x64(&image, dtb, FORGE_SPARSE_VA_BASE + 0x10005018, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, 0x10005018);
	CU_ASSERT_EQUAL(walk.page_size, PAGE);
	CU_ASSERT_EQUAL(walk_x64(&image, dtb, FORGE_SPARSE_VA_BASE + 0x33fffff8, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, 0x33fffff8);
	CU_ASSERT_EQUAL(walk_x64(&image, dtb, FORGE_SPARSE_VA_BASE + 0x4000000, &walk), WALK_NOT_PRESENT);
	CU_ASSERT_EQUAL(walk_x64(&image, dtb, FORGE_SPARSE_VA_BASE + PAGE, &walk), WALK_OK);
	CU_ASSERT_EQUAL(walk.pa, PAGE); /* every present page is mapped, the PML4's too */
	CU_ASSERT_TRUE(image.ok);
	image_close(&image);
	unlink(path);

	error = forge_write_sparse_bitmap(path, GIB, 2 * GIB);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_USAGE);
	error_free(error);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "pattern is splitmix64 of the address", pattern_is_splitmix64_of_the_address },
		{ "x64 full dump header fields sit at documented offsets", x64_full_dump_header_fields_sit_at_documented_offsets },
		{ "bitmap kernel dump holds set bits in PFN order", bitmap_kernel_dump_holds_set_bits_in_pfn_order },
		{ "bitmap full dump holds set bits in PFN order", bitmap_full_dump_holds_set_bits_in_pfn_order },
		{ "RDMP kernel dump passes kdmp-parser checks", rdmp_kernel_dump_passes_kdmp_parser_checks },
		{ "RDMP complete dump passes kdmp-parser checks", rdmp_complete_dump_passes_kdmp_parser_checks },
		{ "triage dump is headers only", triage_dump_is_headers_only },
		{ "PAE full dump walks 4K, 2M and above 4 GiB", pae_full_dump_walks_4k_2m_and_above_4gib },
		{ "non-PAE full dump walks 4K and 4M", non_pae_full_dump_walks_4k_and_4m },
		{ "ELF has the shape of QEMU's own dump", elf_has_the_shape_of_qemus_own_dump },
		{ "libkdumpfile reads the pattern from the ELF", libkdumpfile_reads_the_pattern_from_the_elf },
		{ "libaddrxlat agrees with the hand walks", libaddrxlat_agrees_with_the_hand_walks },
		{ "raw image keeps holes sparse", raw_image_keeps_holes_sparse },
		{ "damage to signatures and size", damage_to_signatures_and_size },
		{ "damage to runs", damage_to_runs },
		{ "unmap, loop and dropped table", unmap_loop_and_dropped_table },
		{ "misuse is refused", misuse_is_refused },
		{ "sparse bitmap of 1 GiB with 256 MiB present", sparse_bitmap_of_1gib_with_256mib_present },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "forge", cases } };
	return run_suites("test_forge", suites, 1);
}
