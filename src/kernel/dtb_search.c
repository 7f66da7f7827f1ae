/* Finding the kernel's page tables in an image without a header
 * (dump-formats.md §8, from MemProcFS and Volatility 3):
 *  - the x64 low stub (PROCESSOR_START_BLOCK) in physical 0x1000-0xA0000:
 *    qword 0 & 0xffffffffffff00ff == 0x00000001000600E9, the kernel entry
 *    at +0x70 & 0xfffff80000000003 == 0xfffff80000000000, and the CR3 at
 *    +0xa0 with no bits in 0xffffff0000000fff (the entry, LmTarget, is
 *    MemProcFS's hint for where ntoskrnl lies);
 *  - a self-referencing PML4: one entry among 256-511 maps the table
 *    itself ((entry & 0x0000fffffffff083) == address + 3) and at least six
 *    kernel-half entries are present supervisor tables
 *    ((entry & 0x8000000000000087) == 3) below the top of memory. */
#include <string.h>

#include "kernel_internal.h"

enum { LOW_STUB_FIRST = 0x1000, LOW_STUB_END = 0xa0000, SELF_MAP_SCAN_END = 16 << 20 };

static uint64_t u64_at(const unsigned char *page, size_t offset)
{
	uint64_t value;
	memcpy(&value, page + offset, 8);
	return value;
}

static uint64_t low_stub_dtb(struct physical_memory *memory, uint64_t *kernel_hint)
{
	unsigned char page[DUMP_PAGE_SIZE];
	for (uint64_t at = LOW_STUB_FIRST; at < LOW_STUB_END; at += DUMP_PAGE_SIZE) {
		struct error *error = physical_read(memory, at, page, sizeof page);
		if (error) {
			error_free(error);
			continue;
		}
		if ((u64_at(page, 0) & 0xffffffffffff00ffULL) == 0x00000001000600e9ULL &&
		    (u64_at(page, 0x70) & 0xfffff80000000003ULL) == 0xfffff80000000000ULL &&
		    (u64_at(page, 0xa0) & 0xffffff0000000fffULL) == 0 && u64_at(page, 0xa0)) {
			*kernel_hint = u64_at(page, 0x70);
			return u64_at(page, 0xa0);
		}
	}
	return 0;
}

static bool is_self_mapped_pml4(const unsigned char *page, uint64_t address, uint64_t top)
{
	bool self = false;
	unsigned tables = 0;
	for (unsigned i = 256; i < 512; i++) {
		uint64_t entry = u64_at(page, i * 8);
		if ((entry & 0x0000fffffffff083ULL) == address + 3)
			self = true;
		else if ((entry & 0x8000000000000087ULL) == 3 && (entry & 0x0000fffffffff000ULL) < top)
			tables++;
	}
	uint64_t first = u64_at(page, 0) & 0x0000fffffffff000ULL;
	return self && tables >= 6 && first < top;
}

static uint64_t self_mapped_dtb(struct physical_memory *memory)
{
	const struct dump_facts *facts = physical_memory_facts(memory);
	uint64_t top = facts->max_pfn << DUMP_PAGE_SHIFT;
	unsigned char page[DUMP_PAGE_SIZE];
	for (uint64_t at = 0; at < SELF_MAP_SCAN_END && at < top; at += DUMP_PAGE_SIZE) {
		struct error *error = physical_read(memory, at, page, sizeof page);
		if (error) {
			error_free(error);
			continue;
		}
		if (is_self_mapped_pml4(page, at, top))
			return at;
	}
	return 0;
}

uint64_t find_x64_dtb(struct physical_memory *memory, const char **source, uint64_t *kernel_hint)
{
	*kernel_hint = 0;
	uint64_t dtb = low_stub_dtb(memory, kernel_hint);
	if (dtb) {
		*source = "the x64 low stub (PROCESSOR_START_BLOCK)";
		return dtb;
	}
	dtb = self_mapped_dtb(memory);
	if (dtb)
		*source = "a self-referencing PML4 in the first 16 MiB";
	return dtb;
}
