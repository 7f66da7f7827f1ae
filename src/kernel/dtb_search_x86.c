/* Finding the kernel's page tables in a raw 32-bit image, by the self-map
 * every x86 Windows keeps (Volatility 3
 * volatility3/framework/automagic/windows.py at 34072a00: DtbSelfRef32bit
 * looks for index 0x300, DtbSelfRefPae for index 0x3; Windows Internals:
 * the page tables are mapped at 0xC0000000):
 *  - without PAE, PDE 0x300 (byte 0xC00, the PDE of 0xC0000000) names the
 *    page directory itself, present, writable, supervisor, not large;
 *  - with PAE, the directory of 0xC0000000-0xFFFFFFFF holds the four page
 *    directories in its first four 8-byte entries (so entry 3 is itself),
 *    and the 32-byte-aligned PDPT naming those four directories, each
 *    entry present and nothing else (PDPTE bits 2:1 and 8:5 are reserved,
 *    Intel SDM vol. 3A §4.4.1), is the DTB.
 * As Volatility's get_max_pointer does, every present table a candidate
 * names must lie below the top of memory; a candidate is believed only
 * when the caller's check (KUSER_SHARED_DATA translates) accepts it.
 * The scan covers the first 16 MiB, the range Volatility 3 searches for
 * these fixed-index self-maps (its test_sets: 0x30000 to 0x1000000): the
 * boot page directory and the PDPTs of XP/2003 lie low. */
#include <string.h>

#include "kernel_internal.h"

enum {
	X86_SCAN_END = 16 << 20,
	SELF_PDE_INDEX = 0x300,          /* the PDE of 0xC0000000 */
	KERNEL_HALF_FIRST_PDE = 0x200,   /* the PDE of 0x80000000 */
	MIN_OTHER_KERNEL_TABLES = 3,
	PDPT_ENTRIES = 4,
	PDPT_ALIGNMENT = 32,
};
#define PDE_FLAGS_X86 0x87u          /* P, R/W, U/S, PS */
#define PDE_ADDRESS_X86 0xfffff000u
#define PAE_ADDRESS 0x000ffffffffff000ULL
#define PAE_PRESENT_LARGE 0x81ULL

static uint32_t u32_at(const unsigned char *page, size_t offset)
{
	uint32_t value;
	memcpy(&value, page + offset, 4);
	return value;
}

static uint64_t u64_at(const unsigned char *page, size_t offset)
{
	uint64_t value;
	memcpy(&value, page + offset, 8);
	return value;
}

/* A 4 MiB page's frame sits in the same bits; either must be memory. */
static bool is_self_mapped_directory(const unsigned char *page, uint64_t address, uint64_t top)
{
	if ((u32_at(page, SELF_PDE_INDEX * 4) & (PDE_ADDRESS_X86 | PDE_FLAGS_X86)) != (address | 3))
		return false;
	unsigned others = 0;
	for (unsigned i = 0; i < DUMP_PAGE_SIZE / 4; i++) {
		uint32_t entry = u32_at(page, i * 4);
		if (!(entry & 1))
			continue;
		if ((entry & PDE_ADDRESS_X86) >= top)
			return false;
		if (i >= KERNEL_HALF_FIRST_PDE && i != SELF_PDE_INDEX)
			others++;
	}
	return others >= MIN_OTHER_KERNEL_TABLES;
}

/* Four PDPTEs with the present bit alone, naming four distinct pages of
 * memory; the cheap test run on every 32-byte slot. */
static bool looks_like_pdpt(const unsigned char *slot, uint64_t top, uint64_t directories[PDPT_ENTRIES])
{
	for (unsigned i = 0; i < PDPT_ENTRIES; i++) {
		uint64_t entry = u64_at(slot, i * 8);
		if ((entry & ~PAE_ADDRESS) != 1 || (entry & PAE_ADDRESS) >= top)
			return false;
		directories[i] = entry & PAE_ADDRESS;
		for (unsigned j = 0; j < i; j++)
			if (directories[j] == directories[i])
				return false;
	}
	return true;
}

/* The last directory's first four entries are the four directories, and
 * every table it names is memory. */
static bool directories_map_themselves(struct physical_memory *memory,
				       const uint64_t directories[PDPT_ENTRIES], uint64_t top)
{
	unsigned char page[DUMP_PAGE_SIZE];
	struct error *error = physical_read(memory, directories[PDPT_ENTRIES - 1], page, sizeof page);
	if (error) {
		error_free(error);
		return false;
	}
	for (unsigned i = 0; i < PDPT_ENTRIES; i++) {
		uint64_t entry = u64_at(page, i * 8);
		if ((entry & PAE_PRESENT_LARGE) != 1 || (entry & PAE_ADDRESS) != directories[i])
			return false;
	}
	for (unsigned i = 0; i < DUMP_PAGE_SIZE / 8; i++) {
		uint64_t entry = u64_at(page, i * 8);
		if ((entry & 1) && (entry & PAE_ADDRESS) >= top)
			return false;
	}
	return true;
}

static uint64_t pae_dtb_in(struct physical_memory *memory, const unsigned char *page, uint64_t address,
			   uint64_t top, x86_dtb_check *accept)
{
	for (unsigned at = 0; at < DUMP_PAGE_SIZE; at += PDPT_ALIGNMENT) {
		uint64_t directories[PDPT_ENTRIES];
		if (looks_like_pdpt(page + at, top, directories) &&
		    directories_map_themselves(memory, directories, top) &&
		    accept(memory, PAGING_X86_PAE, address + at))
			return address + at;
	}
	return 0;
}

uint64_t find_x86_dtb(struct physical_memory *memory, x86_dtb_check *accept, enum paging_mode *paging,
		      const char **source)
{
	const struct dump_facts *facts = physical_memory_facts(memory);
	uint64_t top = facts->max_pfn << DUMP_PAGE_SHIFT;
	unsigned char page[DUMP_PAGE_SIZE];
	for (uint64_t at = DUMP_PAGE_SIZE; at < X86_SCAN_END && at < top; at += DUMP_PAGE_SIZE) {
		struct error *error = physical_read(memory, at, page, sizeof page);
		if (error) {
			error_free(error);
			continue;
		}
		uint64_t pdpt = pae_dtb_in(memory, page, at, top, accept);
		if (pdpt) {
			*paging = PAGING_X86_PAE;
			*source = "a PAE PDPT whose page directories map themselves, in the first 16 MiB";
			return pdpt;
		}
		if (is_self_mapped_directory(page, at, top) && accept(memory, PAGING_X86, at)) {
			*paging = PAGING_X86;
			*source = "a self-referencing page directory (PDE 0x300) in the first 16 MiB";
			return at;
		}
	}
	return 0;
}
