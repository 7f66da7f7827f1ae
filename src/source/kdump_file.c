/* ELF cores and kdump (diskdump) files, read through libkdumpfile 0.5.1.
 *
 * What libkdumpfile does here and what we do ourselves (measured in
 * ../shared/docs/deps.md §2, except the points marked "found here",
 * measured on the forge's files and a truncated copy of the QEMU kdump
 * while writing this one):
 * - Pages: kdump_read(KDUMP_MACHPHYSADDR) needs no attributes.  Reading
 *   by kernel physical or virtual address is never used: on ELF, KVADDR
 *   prefers p_vaddr, which is wrong for QEMU's files; src/memory/ walks
 *   the page tables itself.
 * - libkdumpfile's page cache is a linear scan that gets slower as it
 *   grows, so pages are kept in our own (page_cache.c) and the library's
 *   is kept small (cache.size 16).
 * - Found here: libkdumpfile 0.5.1's page cache breaks after a failed
 *   read: the next read of a page it had evicted gets a cache entry with
 *   no buffer and writes through NULL (SIGSEGV; upstream e63dab4, after
 *   0.5.4: a reused ghost entry reclaims the wrong slot when the cache is
 *   not full, which only a failed read leaves it).  On a healthy kdump
 *   file 2038 pages, 0x1800 absent ones and the first page again were
 *   enough.  So a page the page map lacks is refused here without asking
 *   the library, and after any failed kdump_read the library gets a new,
 *   empty cache (changing cache.size reallocates it).
 * - Found here: in a truncated kdump file libkdumpfile 0.5.1 reads what
 *   lies past the end as zeros; each page's descriptor and data are
 *   checked against the end of the file first (kdump_descriptors.c), and
 *   the pages a truncation cut off are counted.  Only 4 KiB blocks (x86,
 *   x64) are read.
 * - Found here: libkdumpfile reads files through mmap(2) by default and a
 *   truncated kdump file then ends the process with SIGBUS; file reads
 *   use read(2) (file.mmap_policy = KDUMP_MMAP_NEVER), which makes the
 *   same file give errors.
 * - Present pages of a kdump file come from its file.pagemap bitmap,
 *   walked with kdump_bmp_find_set/find_clear.  On QEMU's paging-mode ELF
 *   (overlapping PT_LOADs) those calls stop making progress and a caller
 *   that loops on them loops forever, so every step here must move
 *   strictly forward or stop.
 * - For an ELF core, which pages exist is taken from the PT_LOAD headers
 *   (elf_core.c), cut to the bytes the file really holds, and checked
 *   before every read.  Found here: libkdumpfile 0.5.1 fills a page with
 *   zeros, status OK, when it lies in a gap that ends exactly where the
 *   next PT_LOAD begins (elf_read_page accepts a segment up to one page
 *   away); and it reads segments whose data runs past the end of a
 *   truncated file.
 *   Missing pages must be ERROR_ABSENT, never zeros (dump.h).
 * - libkdumpfile does not parse QEMU's "QEMU" notes (QEMUCPUState), nor
 *   take the architecture from a kdump file whose utsname.sysname is
 *   empty, as QEMU's are: qemu_notes.c reads both from the file's bytes.
 * - Found here: a diskdump file libkdumpfile fails to open leaves its
 *   heap corrupt, and an ELF core with e_shoff 1 ends its open with
 *   SIGSEGV, so every file is tried in a child process first
 *   (kdump_trial_open.c).
 * - The flattened makedumpfile format (QEMU's kdump-zlib output) is not
 *   readable by libkdumpfile 0.5.1: it is recognised and refused with the
 *   command that reassembles it. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "kdump_internal.h"

/* ---- recognising the files ---------------------------------------- */

/* diskdump.c in libkdumpfile 0.5.1 (diskdump_probe) accepts exactly these. */
static bool is_kdump(const unsigned char *head, size_t length)
{
	return length >= 8 && (memcmp(head, "KDUMP   ", 8) == 0 || memcmp(head, "DISKDUMP", 8) == 0);
}

static bool probe_kdump_file(const unsigned char *head, size_t length)
{
	return is_elf_core(head, length) || is_kdump(head, length);
}

/* makedumpfile's flattened format starts with the 16-byte signature
 * "makedumpfile" padded with NULs (file(1): "Flattened kdump compressed
 * dump"; deps.md §2: what QEMU's kdump-zlib writes). */
static bool probe_flattened(const unsigned char *head, size_t length)
{
	static const char signature[16] = "makedumpfile";
	return length >= 16 && memcmp(head, signature, 16) == 0;
}

/* ---- the adapter ---------------------------------------------------- */

/* cache.size: libkdumpfile's own page cache, in pages.  It alternates
 * with one more to renew the cache (its hook runs only on a change). */
enum { LIBRARY_CACHE_PAGES = 16 };

struct kdump_file {
	kdump_ctx_t *context;
	kdump_num_t library_cache_pages;
	bool library_cache_broken; /* could not be renewed: no more reads */
	int memory_fd;            /* our copy of an in-memory dump, or -1 */
	kdump_bmp_t *pagemap;     /* file.pagemap, referenced */
	uint64_t max_pfn;         /* libkdumpfile's max_pfn: one past the last page */
	bool elf;
	struct pfn_range *held;   /* ELF: the pages its PT_LOADs hold in the file */
	size_t held_count;
	struct pfn_range *claimed; /* ELF: the pages they claim */
	size_t claimed_count;
	struct descriptor_index descriptors; /* kdump: where each page lies */
	struct page_cache cache;
};

static void close_kdump_file(struct dump *dump)
{
	struct kdump_file *file = dump->locator;
	if (!file)
		return;
	if (file->pagemap)
		kdump_bmp_decref(file->pagemap);
	if (file->context)
		kdump_free(file->context);
	if (file->memory_fd >= 0)
		close(file->memory_fd);
	free(file->held);
	free(file->claimed);
	descriptor_index_free(&file->descriptors);
	page_cache_free(&file->cache);
	free(file);
	dump->locator = NULL;
}

/* libkdumpfile reads from a file descriptor: an in-memory dump (tests,
 * fuzzing) is copied into an anonymous memory file. */
static struct error *file_descriptor_for(struct dump *dump, struct kdump_file *file, int *fd)
{
	if (dump->fd >= 0) {
		*fd = dump->fd;
		return NULL;
	}
	file->memory_fd = memfd_create("alpcgraph-dump", MFD_CLOEXEC);
	if (file->memory_fd < 0)
		return error_in_file(ERROR_IO, dump->path, "cannot make a memory file for libkdumpfile: %s",
				     strerror(errno));
	uint64_t written = 0;
	while (written < dump->size) {
		ssize_t n = write(file->memory_fd, dump->bytes + written, (size_t)(dump->size - written));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error_in_file(ERROR_IO, dump->path, "cannot fill the memory file: %s",
					     n < 0 ? strerror(errno) : "short write");
		written += (uint64_t)n;
	}
	*fd = file->memory_fd;
	return NULL;
}

/* A kdump file's page map, as libkdumpfile's file.pagemap walks it. */
static bool next_library_extent(const struct kdump_file *file, uint64_t from_pfn,
				struct dump_extent *extent)
{
	uint64_t limit = file->max_pfn && file->max_pfn < DUMP_PFN_LIMIT ? file->max_pfn : DUMP_PFN_LIMIT;
	if (from_pfn >= limit)
		return false;
	kdump_addr_t set = from_pfn;
	if (kdump_bmp_find_set(file->pagemap, &set) != KDUMP_OK || set < from_pfn || set >= limit)
		return false;
	kdump_addr_t clear = set;
	if (kdump_bmp_find_clear(file->pagemap, &clear) != KDUMP_OK)
		clear = limit;
	if (clear > limit)
		clear = limit;
	/* deps.md §2: the library can answer a clear bit at or before the set
	 * one; the walk must move forward or stop. */
	if (clear <= set)
		return false;
	extent->first_pfn = set;
	extent->count = clear - set;
	extent->file_offset = DUMP_NOT_MAPPED;
	return true;
}

static bool next_pagemap_extent(const struct kdump_file *file, uint64_t from_pfn,
				struct dump_extent *extent)
{
	if (file->elf) {
		size_t i = range_at_or_after(file->held, file->held_count, from_pfn);
		if (i == file->held_count)
			return false;
		extent->first_pfn = file->held[i].first > from_pfn ? file->held[i].first : from_pfn;
		extent->count = file->held[i].end - extent->first_pfn;
		extent->file_offset = DUMP_NOT_MAPPED;
		return true;
	}
	return descriptor_index_next(&file->descriptors, from_pfn, extent);
}

static bool next_kdump_extent(const struct dump *dump, uint64_t from_pfn, struct dump_extent *extent)
{
	return next_pagemap_extent(dump->locator, from_pfn, extent);
}

static enum error_code error_code_of(kdump_status status)
{
	switch (status) {
	case KDUMP_ERR_NODATA:
		return ERROR_ABSENT;
	case KDUMP_ERR_SYSTEM:
		return ERROR_IO;
	case KDUMP_ERR_EOF:
		return ERROR_TRUNCATED;
	case KDUMP_ERR_NOTIMPL:
		return ERROR_UNSUPPORTED;
	default:
		return ERROR_FORMAT;
	}
}

/* After a failed read (see the top of this file). */
static void renew_library_cache(struct kdump_file *file)
{
	file->library_cache_pages ^= 1;
	if (kdump_set_number_attr(file->context, "cache.size", file->library_cache_pages) != KDUMP_OK)
		file->library_cache_broken = true;
}

static const unsigned char *read_kdump_page(struct dump *dump, uint64_t pfn, struct error **error)
{
	struct kdump_file *file = dump->locator;
	*error = NULL;
	if (pfn >= DUMP_PFN_LIMIT) {
		*error = error_in_file(ERROR_ABSENT, dump->path,
				       "page frame 0x%" PRIx64 ": not in the dump", pfn);
		return NULL;
	}
	if (file->elf && !ranges_hold(file->held, file->held_count, pfn)) {
		bool cut = ranges_hold(file->claimed, file->claimed_count, pfn);
		*error = error_in_file(ERROR_ABSENT, dump->path,
				       "physical address 0x%" PRIx64 ": not in the dump%s",
				       pfn << DUMP_PAGE_SHIFT,
				       cut ? " (its PT_LOAD data lies past the end of the file)" : "");
		return NULL;
	}
	const unsigned char *cached = page_cache_find(&file->cache, pfn);
	if (cached)
		return cached;
	if (!file->elf && (*error = descriptor_index_check(dump, &file->descriptors, pfn)))
		return NULL;
	if (file->library_cache_broken) {
		*error = error_in_file(ERROR_NO_MEMORY, dump->path,
				       "physical address 0x%" PRIx64 ": cannot be read (no memory for "
				       "libkdumpfile's page cache)", pfn << DUMP_PAGE_SHIFT);
		return NULL;
	}
	int32_t slot = page_cache_victim(&file->cache);
	unsigned char *page = page_cache_slot_data(&file->cache, slot);
	size_t length = DUMP_PAGE_SIZE;
	uint64_t address = pfn << DUMP_PAGE_SHIFT;
	kdump_status status = kdump_read(file->context, KDUMP_MACHPHYSADDR, address, page, &length);
	if (status != KDUMP_OK) {
		/* A page cut short by the end of a segment counts as absent:
		 * its missing bytes are not zeros. */
		*error = error_in_file(error_code_of(status), dump->path,
				       "physical address 0x%" PRIx64 ": %s (libkdumpfile: %s)",
				       address + (status == KDUMP_ERR_NODATA ? length : 0),
				       status == KDUMP_ERR_NODATA ? "not in the dump" : "cannot be read",
				       kdump_get_err(file->context));
		renew_library_cache(file);
		return NULL;
	}
	page_cache_keep(&file->cache, slot, pfn);
	return page;
}

static struct error *libkdumpfile_error(const struct dump *dump, kdump_ctx_t *context,
					kdump_status status, const char *doing)
{
	return error_in_file(status == KDUMP_ERR_NOTIMPL ? ERROR_UNSUPPORTED : ERROR_FORMAT,
			     dump->path, "libkdumpfile %s: %s", doing, kdump_get_err(context));
}

/* Where a kdump file's pages lie (kdump_descriptors.c), from its page
 * map; the pages at its end that a truncation cut off are claimed but not
 * present. */
static struct error *index_descriptors(struct dump *dump, struct kdump_file *file)
{
	uint64_t block_size_at = 0, block_size = 0, table = 0;
	kdump_num_t page_size = 0;
	if (!kdump_descriptor_table(dump, &block_size_at, &block_size, &table) ||
	    kdump_get_number_attr(file->context, KDUMP_ATTR_PAGE_SIZE, &page_size) != KDUMP_OK ||
	    page_size != block_size)
		return error_at_offset(ERROR_FORMAT, dump->path, block_size_at,
				       "the kdump header's block size and bitmap size do not make sense");
	if (block_size != DUMP_PAGE_SIZE)
		return error_at_offset(ERROR_UNSUPPORTED, dump->path, block_size_at,
				       "block size 0x%" PRIx64 ": only 4 KiB pages (x86, x64) are read",
				       block_size);
	if (table > dump->size)
		return error_at_offset(ERROR_TRUNCATED, dump->path, dump->size,
				       "the file ends inside the kdump header and page bitmaps, which run "
				       "to 0x%" PRIx64, table);
	struct descriptor_index *index = &file->descriptors;
	index->table = table;
	struct dump_extent extent;
	for (uint64_t pfn = 0; next_library_extent(file, pfn, &extent);
	     pfn = extent.first_pfn + extent.count)
		descriptor_index_add(index, extent.first_pfn, extent.count);
	descriptor_index_finish(dump, index);
	dump->pages_claimed = index->pages;
	return NULL;
}

static struct error *open_kdump_file(struct dump *dump)
{
	bool elf = is_elf_core(dump->bytes, dump->size);
	struct elf_layout layout = { 0 };
	if (elf) {
		struct error *error = read_elf_layout(dump, &layout);
		if (error)
			return error;
	}

	struct kdump_file *file = checked_calloc(1, sizeof *file);
	file->memory_fd = -1;
	dump->locator = file;
	int fd = -1;
	struct error *error = file_descriptor_for(dump, file, &fd);
	if (!error)
		error = kdump_trial_open(dump, fd);
	if (error)
		return error;
	file->context = kdump_new();
	if (!file->context)
		return error_in_file(ERROR_NO_MEMORY, dump->path, "libkdumpfile: no memory for a context");
	/* read(2), not mmap(2): a truncated file must not raise SIGBUS. */
	kdump_status status = kdump_set_number_attr(file->context, KDUMP_ATTR_FILE_MMAP_POLICY,
						    KDUMP_MMAP_NEVER);
	if (status != KDUMP_OK)
		return libkdumpfile_error(dump, file->context, status, "refuses read(2)");
	file->library_cache_pages = LIBRARY_CACHE_PAGES;
	status = kdump_set_number_attr(file->context, "cache.size", file->library_cache_pages);
	if (status != KDUMP_OK)
		return libkdumpfile_error(dump, file->context, status, "refuses a cache size");
	status = kdump_open_fd(file->context, fd);
	if (status != KDUMP_OK)
		return libkdumpfile_error(dump, file->context, status, "cannot open it");

	kdump_attr_t pagemap = { .type = KDUMP_BITMAP };
	status = kdump_get_typed_attr(file->context, KDUMP_ATTR_FILE_PAGEMAP, &pagemap);
	if (status != KDUMP_OK)
		return libkdumpfile_error(dump, file->context, status, "has no page map");
	file->pagemap = pagemap.val.bitmap;
	kdump_bmp_incref(file->pagemap);
	kdump_num_t max_pfn = 0;
	if (kdump_get_number_attr(file->context, "max_pfn", &max_pfn) == KDUMP_OK)
		file->max_pfn = max_pfn;
	page_cache_init(&file->cache);

	struct dump_facts *facts = &dump->facts;
	facts->format_name = elf ? "ELF core" : "kdump";
	const char *arch = NULL;
	if (kdump_get_string_attr(file->context, KDUMP_ATTR_ARCH_NAME, &arch) == KDUMP_OK && arch)
		facts->arch = dump_arch_named(arch);
	if (facts->arch == DUMP_ARCH_UNKNOWN && !elf)
		facts->arch = kdump_utsname_arch(dump);

	uint64_t qemu_notes = 0;
	if (elf) {
		file->elf = true;
		elf_load_ranges(dump, &layout, &file->claimed, &file->claimed_count, &file->held,
				&file->held_count);
		for (size_t i = 0; i < file->claimed_count; i++)
			dump->pages_claimed += file->claimed[i].end - file->claimed[i].first;
		read_elf_notes(dump, &layout, &qemu_notes);
	} else {
		error = index_descriptors(dump, file);
		if (error)
			return error;
		read_kdump_notes(dump, &qemu_notes);
	}
	facts->cpu_count = qemu_notes < DUMP_CPUS_KEPT ? (unsigned)qemu_notes : DUMP_CPUS_KEPT;
	kdump_num_t cpus = 0;
	if (qemu_notes)
		facts->processors = known_u64(qemu_notes);
	else if (kdump_get_number_attr(file->context, KDUMP_ATTR_NUM_CPUS, &cpus) == KDUMP_OK)
		facts->processors = known_u64(cpus);
	/* An x86 guest's CR4.PAE (bit 5) says which paging it used. */
	if (facts->arch == DUMP_ARCH_X86 && facts->cpu_count && facts->cpus[0].cr4.known)
		facts->pae = (facts->cpus[0].cr4.value >> 5) & 1;

	/* Pages claimed but all cut off are dump_open.c's to report. */
	struct dump_extent first;
	if (!next_pagemap_extent(file, 0, &first) && dump->pages_claimed == 0)
		return error_in_file(ERROR_FORMAT, dump->path, "the %s holds no physical memory",
				     facts->format_name);
	return NULL;
}

const struct dump_format_ops kdump_file_format = {
	.name = "kdump",
	.probe = probe_kdump_file,
	.forced_by = DUMP_DETECT,
	.open = open_kdump_file,
	.read_page = read_kdump_page,
	.next_extent = next_kdump_extent,
	.close = close_kdump_file,
};

const struct dump_format_ops kdump_flattened_format = {
	.name = "flattened kdump",
	.probe = probe_flattened,
	.forced_by = DUMP_DETECT,
	.refusal = "flattened makedumpfile format: reassemble it with "
		   "`makedumpfile -R out < in` first",
};

