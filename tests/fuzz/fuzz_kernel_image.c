/* libFuzzer target for the kernel room's parsers of image bytes: the PE
 * headers, debug directory, CodeView record and section table
 * (pe_debug_record, pe_section), and KDBG — plain or encoded, read at an
 * address (kdbg_read, with and without the kernel base) and searched for
 * in .data (kdbg_scan_image) — then identify_os over the whole image.
 *
 * The image is a valid minimal kernel built here (independently of the
 * forge): 4 pages mapped at KERNEL_BASE with 4 KiB pages — headers, .text
 * with the debug directory and RSDS record, .data with a KDBG block,
 * encoded with N, W, A from the input — and the fuzzer's bytes are XORed
 * over it, so an empty tail is a valid image and every mutation damages a
 * working one.  With nothing damaged the block must be found and decode
 * to what was planted; otherwise any answer or error is fine, but not a
 * crash, a hang, a leak or undefined behaviour.
 *
 * Input: byte 0 flags (bits 0-3: image page n absent; bit 4: KDBG
 * encoded; bit 5: a low stub, and identify_os over the image when it
 * still starts with "MZ"; bit 6: kdbg_read under x86 paging too), N, W and A (8 bytes
 * each), the block's offset in .data and its Size (2 bytes each), then
 * the bytes XORed over the image from its start. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/kernel/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KERNEL_BASE 0xfffff80000100000ULL /* PT index 256: the table has room below */
enum {
	PAGE = 4096,
	IMAGE_PAGES = 4,
	PML4_PAGE = 1, PDPT_PAGE = 2, PD_PAGE = 3, PT_PAGE = 4, LOW_STUB_PAGE = 5,
	IMAGE_FIRST_PAGE = 8,
	TOTAL_PAGES = IMAGE_FIRST_PAGE + IMAGE_PAGES,
	CONTROL = 1 + 3 * 8 + 2 + 2,
	NEW_HEADER = 0x80,
	DATA_RVA = 0x2000, DATA_SIZE = 0x2000,
	KDBG_BYTES = 0x58,
};

static void put16(uint8_t *at, uint16_t value)
{
	at[0] = (uint8_t)value;
	at[1] = (uint8_t)(value >> 8);
}

static void put32(uint8_t *at, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static void put64(uint8_t *at, uint64_t value)
{
	for (int i = 0; i < 8; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static uint64_t take64(const uint8_t *at)
{
	uint64_t value = 0;
	for (int i = 7; i >= 0; i--)
		value = value << 8 | at[i];
	return value;
}

static void check(int condition)
{
	if (!condition)
		abort();
}

/* The inverse of dump-formats.md §6's decoding, rotation count & 63. */
static uint64_t encode(uint64_t plain, uint64_t n, uint64_t w, uint64_t a)
{
	uint64_t q = __builtin_bswap64(plain ^ w) ^ a;
	unsigned r = (unsigned)(n & 63);
	return (r ? q >> r | q << (64 - r) : q) ^ n;
}

/* 4-level tables mapping KERNEL_BASE + i pages to the image pages. */
static void put_tables(uint8_t *memory)
{
	uint64_t present = 0x3; /* present, writable */
	put64(memory + PML4_PAGE * PAGE + 0x1f0 * 8, (uint64_t)PDPT_PAGE * PAGE | present);
	put64(memory + PDPT_PAGE * PAGE + 0, (uint64_t)PD_PAGE * PAGE | present);
	put64(memory + PD_PAGE * PAGE + 0, (uint64_t)PT_PAGE * PAGE | present);
	for (unsigned i = 0; i < IMAGE_PAGES; i++)
		put64(memory + PT_PAGE * PAGE + (256 + i) * 8,
		      (uint64_t)(IMAGE_FIRST_PAGE + i) * PAGE | present);
}

/* Headers, debug directory and RSDS record (the PE format as
 * src/kernel/pe_image.c cites it). */
static void put_image(uint8_t *image)
{
	image[0] = 'M';
	image[1] = 'Z';
	put32(image + 0x3c, NEW_HEADER);
	memcpy(image + NEW_HEADER, "PE\0\0", 4);
	uint8_t *file = image + NEW_HEADER + 4, *optional = file + 20;
	put16(file + 0, 0x8664);
	put16(file + 2, 2);
	put16(file + 16, 0xf0);
	put16(optional, 0x20b);
	put32(optional + 56, IMAGE_PAGES * PAGE);
	put32(optional + 108, 16);
	put32(optional + 112 + 48, 0x1000);
	put32(optional + 112 + 52, 28);
	uint8_t *sections = optional + 0xf0;
	memcpy(sections, ".text", 5);
	put32(sections + 8, 0x1000);
	put32(sections + 12, 0x1000);
	memcpy(sections + 40, ".data", 5);
	put32(sections + 40 + 8, DATA_SIZE);
	put32(sections + 40 + 12, DATA_RVA);
	uint8_t *debug = image + 0x1000;
	put32(debug + 12, 2);
	put32(debug + 16, 24 + 13);
	put32(debug + 20, 0x1040);
	memcpy(image + 0x1040, "RSDS", 4);
	memcpy(image + 0x1044, "\x69\xf6\x6f\x60\x9b\x40\xf7\x00\xfc\x8c\x61\xa9\xc1\x67\x01\x29", 16);
	put32(image + 0x1054, 1);
	memcpy(image + 0x1058, "ntkrnlmp.pdb", 13);
}

struct planted {
	uint64_t address, words[KDBG_BYTES / 8];
};

static struct planted put_kdbg(uint8_t *image, const uint8_t *control, bool encoded)
{
	uint64_t n = take64(control + 1), w = take64(control + 9), a = take64(control + 17);
	uint32_t offset = (uint32_t)(control[25] | control[26] << 8) % (DATA_SIZE - KDBG_BYTES) & ~7u;
	uint32_t kdbg_size = (uint32_t)(control[27] | control[28] << 8);
	struct planted p = { KERNEL_BASE + DATA_RVA + offset, { 0 } };
	p.words[0] = p.words[1] = KERNEL_BASE + DATA_RVA;
	p.words[2] = (uint64_t)kdbg_size << 32 | 0x4742444bu;
	p.words[3] = KERNEL_BASE;
	p.words[9] = KERNEL_BASE + DATA_RVA + 0x10;
	p.words[10] = KERNEL_BASE + DATA_RVA + 0x20;
	for (unsigned i = 0; i < KDBG_BYTES / 8; i++)
		put64(image + DATA_RVA + offset + 8 * i,
		      encoded ? encode(p.words[i], n, w, a) : p.words[i]);
	return p;
}

/* The PROCESSOR_START_BLOCK test of dump-formats.md §8 item 1. */
static void put_low_stub(uint8_t *memory)
{
	uint8_t *stub = memory + LOW_STUB_PAGE * PAGE;
	put64(stub, 0x00000001000600e9ULL);
	put64(stub + 0x70, KERNEL_BASE + 0x100);
	put64(stub + 0xa0, (uint64_t)PML4_PAGE * PAGE);
}

static bool plausible_size(uint64_t tag_and_size)
{
	uint32_t size = (uint32_t)(tag_and_size >> 32);
	return size >= 0x290 && size <= 0x1000 && size % 8 == 0;
}

static void exercise(struct address_space *space, const struct planted *p, bool intact,
		     bool encoded, uint8_t flags)
{
	char name[64], guid[33];
	uint64_t age;
	error_free(pe_debug_record(space, KERNEL_BASE, name, sizeof name, guid, &age));
	uint32_t rva, length;
	struct error *error = pe_section(space, KERNEL_BASE, ".data", &rva, &length);
	if (!error)
		check((uint64_t)rva + length <= UINT32_MAX);
	error_free(error);

	struct kdbg_block block;
	error = kdbg_scan_image(space, PAGING_X64, KERNEL_BASE, &block);
	bool size_ok = plausible_size(p->words[2]);
	if (!error) {
		check(block.kern_base == KERNEL_BASE);
		check(block.address >= KERNEL_BASE && block.address < KERNEL_BASE + IMAGE_PAGES * PAGE);
		check(block.state == KDBG_PLAIN || block.state == KDBG_DECODED);
	} else {
		check(block.state == KDBG_NOT_FOUND);
	}
	/* Nothing damaged: the planted block, decoded to what was planted
	 * (an encoded block needs a Size the plausibility test accepts). */
	if (intact && (!encoded || size_ok)) {
		check(error == NULL && block.address == p->address);
		check(block.state == (encoded ? KDBG_DECODED : KDBG_PLAIN));
		check(block.ps_loaded_module_list == p->words[9] &&
		      block.ps_active_process_head == p->words[10]);
	}
	error_free(error);

	error = kdbg_read(space, PAGING_X64, p->address, known_u64(KERNEL_BASE), &block);
	if (!error && block.state == KDBG_DECODED)
		check(block.kern_base == KERNEL_BASE);
	error_free(error);
	error = kdbg_read(space, PAGING_X64, p->address, UNKNOWN_U64, &block);
	if (!error && block.state == KDBG_DECODED)
		check(block.kern_base % PAGE == 0);
	uint32_t size = (uint32_t)(p->words[2] >> 32);
	if (intact && encoded && (size == 0x360 || size == 0x368 || size == 0x380))
		check(error == NULL && block.kern_base == KERNEL_BASE &&
		      block.ps_active_process_head == p->words[10]);
	error_free(error);
	if (flags & 0x40)
		error_free(kdbg_read(space, PAGING_X86, p->address, known_u64(KERNEL_BASE), &block));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t control[CONTROL] = { 0 };
	memcpy(control, data, size < CONTROL ? size : CONTROL);
	const uint8_t *tail = size > CONTROL ? data + CONTROL : NULL;
	size_t tail_size = size > CONTROL ? size - CONTROL : 0;
	uint8_t flags = control[0];
	bool encoded = flags & 0x10;

	uint8_t *memory = calloc(TOTAL_PAGES, PAGE);
	if (!memory)
		return 0;
	uint8_t *image = memory + IMAGE_FIRST_PAGE * PAGE;
	put_tables(memory);
	put_image(image);
	struct planted planted = put_kdbg(image, control, encoded);
	if (flags & 0x20)
		put_low_stub(memory);
	bool changed = false;
	for (size_t i = 0; i < tail_size && i < IMAGE_PAGES * PAGE; i++) {
		image[i] ^= tail[i];
		changed |= tail[i] != 0;
	}
	/* An absent page: its table entry not present. */
	for (unsigned i = 0; i < IMAGE_PAGES; i++)
		if (flags >> i & 1)
			put64(memory + PT_PAGE * PAGE + (256 + i) * 8, 0);
	bool intact = !changed && (flags & 0xf) == 0;

	struct dump *dump = NULL;
	struct error *error = dump_open_memory(memory, TOTAL_PAGES * PAGE, "fuzz.raw", DUMP_FORCE_RAW,
					       &dump);
	if (error) {
		error_free(error);
		free(memory);
		return 0;
	}
	struct physical_memory *physical = physical_memory_open(dump);
	struct address_space *space = address_space_new(physical, PAGING_X64, PML4_PAGE * PAGE);
	exercise(space, &planted, intact, encoded, flags);
	address_space_free(space);
	/* Without "MZ" at the (mapped) base, identify_os walks 8192 pages
	 * down from LmTarget: a bounded cost that only slows the fuzzer. */
	if ((flags & 0x20) && !(flags & 1) && image[0] == 'M' && image[1] == 'Z') {
		struct os_identity os;
		identify_os(physical, &os);
		check(os.note_count <= OS_NOTES_KEPT);
		if (intact && (!encoded || plausible_size(planted.words[2]))) {
			check(os.kernel_base.known && os.kernel_base.value == KERNEL_BASE);
			check(os.kdbg.known && os.kdbg.value == planted.address);
			check(os.ps_active_process_head.known &&
			      os.ps_active_process_head.value == planted.words[10]);
		}
	}
	physical_memory_close(physical);
	dump_close(dump);
	free(memory);
	return 0;
}
