/* The scenario: which physical pages exist, what they hold, and the facts
 * for the headers.  Page contents are computed from the pattern except the
 * few pages a test writes into, so a scenario costs memory only for those. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forge_internal.h"

/* The largest physical address width x86 paging can express (Intel SDM
 * vol. 3A §4.1.4: MAXPHYADDR is at most 52). */
#define MAX_PHYSICAL_PFN (1ULL << (52 - FORGE_PAGE_SHIFT))
/* Without PAE, page-table entries hold 32-bit physical addresses. */
#define MAX_NON_PAE_PFN (1ULL << (32 - FORGE_PAGE_SHIFT))

/* splitmix64 (Steele, Lea, Flood 2014): every address gives a different,
 * non-zero-looking word, so a read from the wrong place or from a hole is
 * caught byte for byte. */
uint64_t forge_pattern(uint64_t physical_address)
{
	uint64_t z = physical_address + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One 8-byte store per word: multi-GiB sparse dumps spend their time here
 * (a byte-wise store is 8 sanitizer checks per word). */
void forge_fill_pattern(uint8_t *bytes, uint64_t physical_address, size_t length)
{
	for (size_t offset = 0; offset < length; offset += 8) {
		uint64_t word = forge_pattern(physical_address + offset);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		word = __builtin_bswap64(word); /* dumps are little-endian */
#endif
		memcpy(bytes + offset, &word, sizeof word);
	}
}

struct forge *forge_new(enum forge_arch arch, uint64_t max_pfn)
{
	struct forge *forge = checked_calloc(1, sizeof *forge);
	forge->arch = arch;
	forge->max_pfn = max_pfn;
	/* Default table area: the middle of physical memory, away from the
	 * low runs a test usually adds (documented in forge.h). */
	forge->next_table_pfn = max_pfn / 2;
	uint64_t limit = arch == FORGE_X86 ? MAX_NON_PAE_PFN : MAX_PHYSICAL_PFN;
	if (max_pfn == 0 || max_pfn > limit)
		forge_note_misuse(forge, "forge_new: max_pfn 0x%llx is outside (0, 0x%llx]",
				  (unsigned long long)max_pfn, (unsigned long long)limit);
	return forge;
}

void forge_free(struct forge *forge)
{
	if (!forge)
		return;
	for (size_t i = 0; i < forge->written_pfns.count; i++)
		free(u64_map_get(&forge->written, forge->written_pfns.items[i]));
	u64_map_release(&forge->written);
	u64_vec_release(&forge->written_pfns);
	u64_vec_release(&forge->dropped);
	pfn_ranges_release(&forge->present);
	free(forge->misuse);
	free(forge);
}

void forge_note_misuse(struct forge *forge, const char *format, ...)
{
	if (forge->misuse)
		return;
	va_list args;
	va_start(args, format);
	int length = vsnprintf(NULL, 0, format, args);
	va_end(args);
	forge->misuse = checked_malloc((size_t)(length > 0 ? length : 0) + 1);
	va_start(args, format);
	vsnprintf(forge->misuse, (size_t)(length > 0 ? length : 0) + 1, format, args);
	va_end(args);
}

void forge_add_pages(struct forge *forge, uint64_t first_pfn, uint64_t count)
{
	if (first_pfn > forge->max_pfn || count > forge->max_pfn - first_pfn) {
		forge_note_misuse(forge, "forge_add_pages: [0x%llx, +0x%llx) lies beyond max_pfn 0x%llx",
				  (unsigned long long)first_pfn, (unsigned long long)count,
				  (unsigned long long)forge->max_pfn);
		return;
	}
	pfn_ranges_add(&forge->present, first_pfn, first_pfn + count);
}

uint8_t *forge_page_for_writing(struct forge *forge, uint64_t pfn)
{
	uint8_t *page = u64_map_get(&forge->written, pfn);
	if (!page) {
		page = checked_malloc(FORGE_PAGE_SIZE);
		forge_fill_pattern(page, pfn << FORGE_PAGE_SHIFT, FORGE_PAGE_SIZE);
		u64_map_put(&forge->written, pfn, page);
		u64_vec_push(&forge->written_pfns, pfn);
	}
	return page;
}

void forge_copy_page(const struct forge *forge, uint64_t pfn, uint8_t *page)
{
	const uint8_t *written = u64_map_get(&forge->written, pfn);
	if (written)
		memcpy(page, written, FORGE_PAGE_SIZE);
	else
		forge_fill_pattern(page, pfn << FORGE_PAGE_SHIFT, FORGE_PAGE_SIZE);
}

void forge_write(struct forge *forge, uint64_t physical_address, const void *bytes, size_t length)
{
	const uint8_t *from = bytes;
	while (length) {
		uint64_t pfn = physical_address >> FORGE_PAGE_SHIFT;
		size_t offset = physical_address & (FORGE_PAGE_SIZE - 1);
		size_t part = FORGE_PAGE_SIZE - offset < length ? FORGE_PAGE_SIZE - offset : length;
		if (!pfn_ranges_contain(&forge->present, pfn)) {
			forge_note_misuse(forge, "forge_write: physical address 0x%llx is not present",
					  (unsigned long long)physical_address);
			return;
		}
		memcpy(forge_page_for_writing(forge, pfn) + offset, from, part);
		from += part;
		physical_address += part;
		length -= part;
	}
}

void forge_set_header(struct forge *forge, const struct forge_header *header)
{
	forge->header = *header;
}

void forge_set_cpu(struct forge *forge, unsigned cpu, const struct forge_cpu *state)
{
	if (cpu >= FORGE_CPUS) {
		forge_note_misuse(forge, "forge_set_cpu: CPU %u, the forge keeps %d", cpu, FORGE_CPUS);
		return;
	}
	forge->cpus[cpu] = *state;
	forge->cpu_set[cpu] = true;
}

struct forge_header forge_effective_header(const struct forge *forge)
{
	struct forge_header header = forge->header;
	if (header.processors == 0)
		header.processors = 1;
	return header;
}

void forge_dumped_pages(const struct forge *forge, struct pfn_ranges *dumped)
{
	pfn_ranges_copy(dumped, &forge->present);
	const struct forge_header *header = &forge->header;
	if (header->excluded_count)
		pfn_ranges_remove(dumped, header->excluded_first_pfn,
				  header->excluded_first_pfn + header->excluded_count);
	for (size_t i = 0; i < forge->dropped.count; i++)
		pfn_ranges_remove(dumped, forge->dropped.items[i], forge->dropped.items[i] + 1);
}
