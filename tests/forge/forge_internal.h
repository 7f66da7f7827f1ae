/* What the forge's files share: the scenario's representation, page-range
 * sets, little-endian stores and the file writer.  Nothing outside
 * tests/forge/ includes this; the contract is forge.h. */
#ifndef ALPCGRAPH_FORGE_INTERNAL_H
#define ALPCGRAPH_FORGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forge.h"

#define FORGE_PAGE_SIZE 4096u
#define FORGE_PAGE_SHIFT 12
/* Pages a writer fills and writes at once: 1 MiB keeps pwrite calls few
 * and the buffer in cache. */
#define FORGE_CHUNK_PAGES 256u

/* A set of PFNs kept as sorted, disjoint, non-adjacent [first, end) ranges:
 * a scenario has a handful of runs, however many pages they hold. */
struct pfn_range {
	uint64_t first, end;
};
struct pfn_ranges {
	struct pfn_range *items;
	size_t count, capacity;
};
void pfn_ranges_add(struct pfn_ranges *ranges, uint64_t first, uint64_t end);
void pfn_ranges_remove(struct pfn_ranges *ranges, uint64_t first, uint64_t end);
bool pfn_ranges_contain(const struct pfn_ranges *ranges, uint64_t pfn);
/* pfn itself when it is not in the set, else the end of its range. */
uint64_t pfn_ranges_next_absent(const struct pfn_ranges *ranges, uint64_t pfn);
uint64_t pfn_ranges_pages(const struct pfn_ranges *ranges);
void pfn_ranges_copy(struct pfn_ranges *to, const struct pfn_ranges *from);
void pfn_ranges_release(struct pfn_ranges *ranges);

struct forge {
	enum forge_arch arch;
	uint64_t max_pfn;
	struct pfn_ranges present;
	/* Pages whose bytes differ from the pattern (forge_write, page tables):
	 * PFN -> 4096-byte copy.  All other present pages are computed. */
	struct u64_map written;
	struct u64_vec written_pfns; /* the map's keys, to free the copies */
	struct u64_vec dropped;      /* table pages left out of the file */
	struct forge_header header;
	struct forge_cpu cpus[FORGE_CPUS];
	bool cpu_set[FORGE_CPUS];
	uint64_t next_table_pfn;
	uint64_t dtb; /* 0 until the top table exists */
	char *misuse; /* the first misuse, reported by forge_write_dump */
};

/* Records a caller's mistake in a void call; forge_write_dump reports it. */
void forge_note_misuse(struct forge *forge, const char *format, ...) PRINTF_LIKE(2, 3);
/* The page's private copy, made from the pattern on first use. */
uint8_t *forge_page_for_writing(struct forge *forge, uint64_t pfn);
void forge_copy_page(const struct forge *forge, uint64_t pfn, uint8_t *page);
/* Fills length bytes (a multiple of 8) as the memory at the 8-aligned
 * physical address holds them. */
void forge_fill_pattern(uint8_t *bytes, uint64_t physical_address, size_t length);
/* The pages the dump file holds: present, minus the header's excluded
 * range, minus dropped tables. */
void forge_dumped_pages(const struct forge *forge, struct pfn_ranges *dumped);
/* forge_set_header's values, with a processor count of at least 1. */
struct forge_header forge_effective_header(const struct forge *forge);

/* Page-table geometry of an architecture (deps.md §3; Intel SDM vol. 3A
 * §4.3-4.5): level 1 is the top table. */
struct paging_form {
	unsigned levels;
	unsigned entry_size;   /* bytes */
	unsigned shift[4];     /* lowest VA bit each level's index takes */
	unsigned index_bits[4];
	uint64_t address_mask; /* the table or page address in an entry */
	uint64_t large_levels; /* bit n set: level n may map a large page */
};
const struct paging_form *forge_paging_form(enum forge_arch arch);
/* Walks the scenario's own tables: false when va is not mapped. */
bool forge_translate(const struct forge *forge, uint64_t va, uint64_t *pa);

/* A dump file being written.  Every failure names the path. */
struct forge_file {
	int fd;
	const char *path;
};
struct error *forge_file_create(struct forge_file *file, const char *path);
struct error *forge_file_write(struct forge_file *file, const void *bytes, size_t length, uint64_t offset);
/* Writes count pages from first_pfn, as the scenario holds them, at offset. */
struct error *forge_file_write_pages(struct forge_file *file, const struct forge *forge,
				     uint64_t first_pfn, uint64_t count, uint64_t offset);
struct error *forge_file_set_size(struct forge_file *file, uint64_t size);
/* Closes the file; a close error is returned unless one is already passed in. */
struct error *forge_file_close(struct forge_file *file, struct error *error);

/* Writers, one per family of layouts. */
struct error *forge_write_windows(const struct forge *forge, enum forge_format format, const char *path);
struct error *forge_write_elf(const struct forge *forge, const char *path);
struct error *forge_write_raw(const struct forge *forge, const char *path);

/* The Windows crash-dump header (DUMP_HEADER64 or DUMP_HEADER32,
 * dump-formats.md §1-2).  runs is PhysicalMemoryBlock. */
size_t windows_header_size(enum forge_arch arch);
struct windows_header_facts {
	enum forge_arch arch;
	const struct forge_header *header;
	uint64_t dtb;
	uint32_t dump_type;
	const struct pfn_ranges *runs;
	uint64_t file_size;
};
struct error *windows_fill_header(const struct windows_header_facts *facts, uint8_t *header,
				  const char *path);

static inline void put_le16(uint8_t *at, uint16_t value)
{
	at[0] = (uint8_t)value;
	at[1] = (uint8_t)(value >> 8);
}

static inline void put_le32(uint8_t *at, uint32_t value)
{
	for (int i = 0; i < 4; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static inline void put_le64(uint8_t *at, uint64_t value)
{
	for (int i = 0; i < 8; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static inline uint32_t get_le32(const uint8_t *at)
{
	uint32_t value = 0;
	for (int i = 3; i >= 0; i--)
		value = value << 8 | at[i];
	return value;
}

static inline uint64_t get_le64(const uint8_t *at)
{
	uint64_t value = 0;
	for (int i = 7; i >= 0; i--)
		value = value << 8 | at[i];
	return value;
}

static inline uint64_t round_up(uint64_t value, uint64_t alignment)
{
	return (value + alignment - 1) / alignment * alignment;
}

#endif
