/* The parts of the ELF-core and kdump reader (kdump_file.c) that read
 * the file's own bytes rather than ask libkdumpfile: which pages an ELF
 * core's PT_LOADs hold (elf_core.c), QEMU's CPU notes and the kdump
 * header fields libkdumpfile leaves unset (qemu_notes.c), and the cache
 * of pages read through libkdumpfile (page_cache.c). */
#ifndef ALPCGRAPH_KDUMP_INTERNAL_H
#define ALPCGRAPH_KDUMP_INTERNAL_H

#include "dump_internal.h"

/* ---- elf_core.c ------------------------------------------------------ */

bool is_elf_core(const unsigned char *head, size_t length);

struct pfn_range {
	uint64_t first, end; /* [first, end) */
};

struct elf_layout {
	bool is64;
	uint64_t segment_table, segment_size, segments;
};

/* Reads the ELF header and checks that the core is a machine's memory
 * (x86 or x64, physical addresses in the PT_LOADs) and that its program
 * headers lie inside the file. */
struct error *read_elf_layout(const struct dump *dump, struct elf_layout *elf);

/* The whole pages of the PT_LOADs' file data, sorted and merged: as the
 * headers claim them, and as far as the file really holds them.  Both
 * arrays are the caller's to free. */
void elf_load_ranges(const struct dump *dump, const struct elf_layout *elf,
		     struct pfn_range **claimed, size_t *claimed_count,
		     struct pfn_range **held, size_t *held_count);

/* The first range that ends after pfn, or count. */
size_t range_at_or_after(const struct pfn_range *ranges, size_t count, uint64_t pfn);
bool ranges_hold(const struct pfn_range *ranges, size_t count, uint64_t pfn);

/* The "QEMU" notes of the PT_NOTE segments (read_qemu_notes). */
void read_elf_notes(struct dump *dump, const struct elf_layout *elf, uint64_t *qemu_notes);

/* ---- qemu_notes.c ---------------------------------------------------- */

/* Fills dump->facts.cpus[] from the "QEMU" notes among the ELF notes in
 * [offset, offset + length) of the file (up to DUMP_CPUS_KEPT of them)
 * and counts all of them in *qemu_notes. */
void read_qemu_notes(struct dump *dump, uint64_t offset, uint64_t length, uint64_t *qemu_notes);
/* The same for the note area a kdump file's sub-header points at. */
void read_kdump_notes(struct dump *dump, uint64_t *qemu_notes);
/* A kdump file's block size (and where the header keeps it) and where its
 * page descriptors begin: after
 * the header block, the sub-header and the bitmaps (libkdumpfile 0.5.1
 * diskdump.c read_bitmap: (1 + sub_hdr_size + bitmap_blocks) blocks).
 * Each is 24 bytes, one per page of the page map in PFN order: offset
 * (int64), size (uint32), flags, page_flags.  false when the header
 * makes no sense. */
bool kdump_descriptor_table(const struct dump *dump, uint64_t *block_size_at, uint64_t *block_size,
			    uint64_t *offset);

/* "x86_64", "i386", ... as utsname.machine and libkdumpfile's arch.name
 * spell them. */
enum dump_arch dump_arch_named(const char *machine);
/* The architecture from a kdump file's utsname.machine. */
enum dump_arch kdump_utsname_arch(const struct dump *dump);

/* ---- kdump_descriptors.c --------------------------------------------- */

/* A kdump file's page map as runs of PFNs, each with the rank in the map
 * of its first page (= the index of its page descriptor). */
struct descriptor_run {
	uint64_t first_pfn, count, first_rank;
};

struct descriptor_index {
	uint64_t table;           /* file offset of descriptor 0 */
	struct descriptor_run *runs;
	size_t count, capacity;
	uint64_t pages;           /* in the page map */
	/* From here on every page's descriptor or data lie past the end of
	 * the file: the pages a truncation cut off. */
	uint64_t readable_end;
};

/* Runs are added in increasing PFN order, then finish counts the pages a
 * truncation cut off. */
void descriptor_index_add(struct descriptor_index *index, uint64_t first_pfn, uint64_t count);
void descriptor_index_finish(const struct dump *dump, struct descriptor_index *index);
bool descriptor_index_holds(const struct descriptor_index *index, uint64_t pfn);
/* The first run of pages at or after from_pfn, short of the cut-off end. */
bool descriptor_index_next(const struct descriptor_index *index, uint64_t from_pfn,
			   struct dump_extent *extent);
/* NULL when pfn's descriptor and data lie in the file; else ERROR_ABSENT
 * saying which does not. */
struct error *descriptor_index_check(struct dump *dump, const struct descriptor_index *index,
				     uint64_t pfn);
void descriptor_index_free(struct descriptor_index *index);

/* ---- kdump_trial_open.c ---------------------------------------------- */

/* Has libkdumpfile open the file behind fd in a child process first
 * (libkdumpfile 0.5.1 corrupts its heap when a diskdump open fails, and
 * crashes on some damaged ELF cores; see there): NULL when it opened,
 * else its reason. */
struct error *kdump_trial_open(const struct dump *dump, int fd);

/* ---- page_cache.c ---------------------------------------------------- */

/* libkdumpfile's own cache is a linear scan that slows as it grows, so
 * pages are kept here: a PFN hash over PAGE_CACHE_PAGES pages, evicted
 * by the clock. */
enum { PAGE_CACHE_PAGES = 4096, PAGE_CACHE_BUCKETS = 8192 };

struct cached_page {
	uint64_t pfn;
	int32_t next;    /* in the bucket's chain */
	bool linked;     /* holds a page and sits in a chain */
	bool referenced; /* for the clock */
};

struct page_cache {
	unsigned char *data; /* PAGE_CACHE_PAGES pages */
	struct cached_page slots[PAGE_CACHE_PAGES];
	int32_t buckets[PAGE_CACHE_BUCKETS];
	uint32_t used, hand;
};

void page_cache_init(struct page_cache *cache);
void page_cache_free(struct page_cache *cache);
/* The cached copy of pfn, or NULL. */
const unsigned char *page_cache_find(struct page_cache *cache, uint64_t pfn);
/* A slot to read a page into, taken out of the cache; page_cache_keep
 * puts it back holding pfn once the read succeeded. */
int32_t page_cache_victim(struct page_cache *cache);
unsigned char *page_cache_slot_data(struct page_cache *cache, int32_t slot);
void page_cache_keep(struct page_cache *cache, int32_t slot, uint64_t pfn);

#endif
