/* The table of dump formats and the one place that tries their probes
 * (STYLE.md §1); opening, closing, and the page reads every mapped format
 * shares: bounds against the file, zero-copy pointers, and pages cut off
 * by truncation. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump_internal.h"

/* The formats, in the order their probes are tried: one row per format.
 * The first probe that says "mine" reads the file.  A row without a probe
 * is used only when asked for by name (its forced_by, e.g. --format raw).
 * Rows with exact probes come first; the Windows catch-all (any "PAGE"
 * file, or a damaged signature before "DU64"/"DUMP" — which "DISKDUMP"
 * also has at offset 4) comes after all of them. */
static const struct dump_format_ops *const formats[] = {
	&windows_full_dump_format,     /* DumpType 1: physical memory runs (windows_runs.c) */
	&windows_bitmap_dump_format,   /* DumpType 2, 5, 6: "SDMP"/"FDMP" bitmap (windows_bitmap.c) */
	&windows_rdmp_dump_format,     /* DumpType 8, 9, 0xA: "RDMP" ranges (windows_rdmp.c) */
	&windows_user_minidump_format, /* "MDMP": user-mode only, refused (windows_header.c) */
	&kdump_flattened_format,       /* "makedumpfile" at 0: refused, needs `makedumpfile -R` (kdump_file.c) */
	&kdump_file_format,            /* ELF ET_CORE, "KDUMP   "/"DISKDUMP" via libkdumpfile (kdump_file.c) */
	&windows_other_dump_format,    /* any other crash dump: refused with the reason (windows_header.c) */
	&raw_image_format,             /* no probe: --format raw only (raw_image.c) */
};
enum { FORMAT_COUNT = sizeof formats / sizeof *formats };

const char *dump_arch_name(enum dump_arch arch)
{
	switch (arch) {
	case DUMP_ARCH_X64:
		return "x64";
	case DUMP_ARCH_X86:
		return "x86";
	default:
		return NULL;
	}
}

bool dump_probe(const unsigned char *head, size_t length)
{
	for (size_t i = 0; i < FORMAT_COUNT; i++)
		if (formats[i]->probe && formats[i]->probe(head, length))
			return !formats[i]->refusal;
	return false;
}

static struct error *refuse(const char *path, const struct dump_format_ops *format)
{
	return error_at_offset(ERROR_UNSUPPORTED, path, 0, "%s", format->refusal);
}

struct error *dump_probe_refusal(const char *path, const unsigned char *head, size_t length)
{
	for (size_t i = 0; i < FORMAT_COUNT; i++)
		if (formats[i]->probe && formats[i]->probe(head, length))
			return formats[i]->refusal ? refuse(path, formats[i]) : NULL;
	return NULL;
}

static const struct dump_format_ops *format_for(const struct dump *dump, enum dump_open_format how)
{
	for (size_t i = 0; i < FORMAT_COUNT; i++) {
		if (how != DUMP_DETECT) {
			if (formats[i]->forced_by == how)
				return formats[i];
		} else if (formats[i]->probe && formats[i]->probe(dump->bytes, dump->size)) {
			return formats[i];
		}
	}
	return NULL;
}

/* The extent the format places at or after from_pfn, cut to the pages that
 * lie wholly inside the file; runs wholly past the end are skipped. */
static bool next_extent_in_file(const struct dump *dump, uint64_t from_pfn, struct dump_extent *extent)
{
	while (from_pfn < DUMP_PFN_LIMIT && dump->ops->next_extent(dump, from_pfn, extent)) {
		if (extent->count == 0)
			return false; /* a format bug; never loop on it */
		if (extent->file_offset == DUMP_NOT_MAPPED)
			return true;
		uint64_t whole = extent->file_offset < dump->size
			? (dump->size - extent->file_offset) / DUMP_PAGE_SIZE : 0;
		if (whole >= extent->count)
			return true;
		if (whole > 0) {
			extent->count = whole;
			return true;
		}
		from_pfn = extent->first_pfn + extent->count;
	}
	return false;
}

bool dump_next_extent(const struct dump *dump, uint64_t from_pfn, struct page_extent *extent)
{
	struct dump_extent found;
	if (!next_extent_in_file(dump, from_pfn, &found))
		return false;
	extent->first_pfn = found.first_pfn;
	extent->count = found.count;
	extent->data = found.file_offset == DUMP_NOT_MAPPED ? NULL : dump->bytes + found.file_offset;
	return true;
}

/* "physical address 0x5000" — or the PFN when the address would not fit. */
static void describe_page(uint64_t pfn, char *text, size_t size)
{
	if (pfn < DUMP_PFN_LIMIT)
		snprintf(text, size, "physical address 0x%" PRIx64, pfn << DUMP_PAGE_SHIFT);
	else
		snprintf(text, size, "page frame 0x%" PRIx64, pfn);
}

/* The mapping is a window onto the file, not a copy: once enough of it has
 * been handed out, the process's resident copies are dropped.  The mapping
 * is private and read-only, so MADV_DONTNEED loses nothing: the next
 * access faults the page back in from the page cache, and pointers handed
 * out earlier stay valid.  This keeps a walk over a 64 GiB dump from
 * growing the RSS to the size of the dump.  A fault maps more than the
 * page asked for: fault-around and the page cache's large folios made one
 * random 4 KiB access cost 280 KiB of RSS on the CI machine (Linux 6.18;
 * neither MADV_RANDOM nor MADV_NOHUGEPAGE changes it), so the budget is
 * 512 distinct 64 KiB windows — up to 140 MiB resident.  Only windows not
 * handed out lately count, so a walk that keeps returning to the same
 * structures (a list head, a handle table) does not fault them in again
 * and again; a window forgotten by a collision in the small table only
 * counts twice, which errs on the side of less memory. */
enum { RESIDENT_WINDOW_BUDGET = 512, WINDOW_SHIFT = 16 };

static void drop_resident_pages(const struct dump *dump, const unsigned char *start, uint64_t length)
{
	if (!dump->mapped || !length)
		return;
	uintptr_t page_mask = DUMP_PAGE_SIZE - 1;
	uintptr_t first = (uintptr_t)start & ~page_mask;
	uintptr_t end = ((uintptr_t)start + length + page_mask) & ~page_mask;
	madvise((void *)first, end - first, MADV_DONTNEED);
}

void dump_touch(struct dump *dump, uint64_t offset)
{
	uint64_t window = offset >> WINDOW_SHIFT;
	uint64_t *slot = &dump->recent_windows[(window * 0x9e3779b97f4a7c15ULL) >> 54];
	if (*slot == window + 1)
		return;
	*slot = window + 1;
	if (++dump->windows_handed_out < RESIDENT_WINDOW_BUDGET)
		return;
	dump->windows_handed_out = 0;
	memset(dump->recent_windows, 0, sizeof dump->recent_windows);
	drop_resident_pages(dump, dump->bytes, dump->size);
}

void dump_drop_resident(const struct dump *dump, uint64_t offset, uint64_t length)
{
	if (dump_holds(dump, offset, length))
		drop_resident_pages(dump, dump->bytes + offset, length);
}

void dump_release(const struct dump *dump, const struct page_extent *extent)
{
	if (extent->data)
		drop_resident_pages(dump, extent->data, extent->count * DUMP_PAGE_SIZE);
}

const unsigned char *dump_page(struct dump *dump, uint64_t pfn, struct error **error)
{
	*error = NULL;
	if (dump->ops->read_page)
		return dump->ops->read_page(dump, pfn, error);
	char page[48];
	uint64_t offset;
	if (pfn >= DUMP_PFN_LIMIT || !dump->ops->locate(dump, pfn, &offset)) {
		describe_page(pfn, page, sizeof page);
		*error = error_in_file(ERROR_ABSENT, dump->path, "%s is not in the dump", page);
		return NULL;
	}
	if (!dump_holds(dump, offset, DUMP_PAGE_SIZE)) {
		describe_page(pfn, page, sizeof page);
		*error = error_in_file(ERROR_ABSENT, dump->path,
				       "%s is not in the dump: the file ends at 0x%" PRIx64
				       ", before its page at offset 0x%" PRIx64
				       " (%" PRIu64 " of the dump's pages are cut off)",
				       page, dump->size, offset, dump->facts.pages_missing_from_file);
		return NULL;
	}
	dump_touch(dump, offset);
	return dump->bytes + offset;
}

/* present_pages, page_ranges and max_pfn, counted over what can be read. */
static void count_present_pages(struct dump *dump)
{
	struct dump_facts *facts = &dump->facts;
	facts->present_pages = facts->page_ranges = facts->max_pfn = 0;
	struct dump_extent extent;
	uint64_t pfn = 0;
	while (next_extent_in_file(dump, pfn, &extent)) {
		facts->present_pages += extent.count;
		facts->page_ranges++;
		pfn = extent.first_pfn + extent.count;
		facts->max_pfn = pfn;
	}
	facts->pages_missing_from_file = dump->pages_claimed > facts->present_pages
		? dump->pages_claimed - facts->present_pages : 0;
}

static struct error *open_format(struct dump *dump, enum dump_open_format how)
{
	if (dump->size == 0)
		return error_in_file(ERROR_FORMAT, dump->path, "empty file");
	dump->ops = format_for(dump, how);
	if (!dump->ops) {
		if (how == DUMP_FORCE_RAW)
			return error_in_file(ERROR_UNSUPPORTED, dump->path,
					     "raw physical images are not readable in this build");
		const unsigned char *b = dump->bytes;
		size_t n = dump->size;
		return error_at_offset(ERROR_FORMAT, dump->path, 0,
				       "not a memory dump alpcgraph reads (first bytes %02x %02x %02x %02x)",
				       b[0], n > 1 ? b[1] : 0, n > 2 ? b[2] : 0, n > 3 ? b[3] : 0);
	}
	if (dump->ops->refusal)
		return refuse(dump->path, dump->ops);
	struct error *error = dump->ops->open(dump);
	if (error)
		return error;
	if (!dump->facts.format_name)
		dump->facts.format_name = dump->ops->name;
	count_present_pages(dump);
	if (dump->pages_claimed > 0 && dump->facts.present_pages == 0)
		return error_at_offset(ERROR_TRUNCATED, dump->path, dump->size,
				       "the file ends before the first page of data: none of the dump's "
				       "%" PRIu64 " pages are in it", dump->pages_claimed);
	return NULL;
}

static struct dump *dump_new(const char *name)
{
	struct dump *dump = checked_calloc(1, sizeof *dump);
	dump->path = checked_strdup(name);
	dump->fd = -1;
	dump->facts.pae = -1;
	return dump;
}

static struct error *finish_open(struct dump *dump, enum dump_open_format how, struct dump **out)
{
	dump->facts.file_size = dump->size;
	struct error *error = open_format(dump, how);
	if (error) {
		dump_close(dump);
		return error;
	}
	*out = dump;
	return NULL;
}

struct error *dump_open(const char *path, enum dump_open_format how, struct dump **out)
{
	*out = NULL;
	struct dump *dump = dump_new(path);
	/* O_NONBLOCK: opening a FIFO would wait for a writer; fstat refuses it. */
	dump->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (dump->fd < 0) {
		struct error *error = error_in_file(ERROR_IO, path, "cannot open: %s", strerror(errno));
		dump_close(dump);
		return error;
	}
	struct stat status;
	if (fstat(dump->fd, &status) != 0 || !S_ISREG(status.st_mode)) {
		struct error *error = error_in_file(ERROR_IO, path, "not a regular file");
		dump_close(dump);
		return error;
	}
	if ((uint64_t)status.st_size > SIZE_MAX) {
		struct error *error = error_in_file(ERROR_LIMIT, path, "too large to map");
		dump_close(dump);
		return error;
	}
	dump->size = (uint64_t)status.st_size;
	if (dump->size > 0) {
		void *mapping = mmap(NULL, (size_t)dump->size, PROT_READ, MAP_PRIVATE, dump->fd, 0);
		if (mapping == MAP_FAILED) {
			struct error *error = error_in_file(ERROR_IO, path, "cannot map: %s", strerror(errno));
			dump_close(dump);
			return error;
		}
		dump->bytes = mapping;
		dump->mapped = true;
		/* Walks read scattered pages: no read-ahead from disk for them. */
		madvise(mapping, (size_t)dump->size, MADV_RANDOM);
	}
	return finish_open(dump, how, out);
}

struct error *dump_open_memory(const void *data, size_t length, const char *name,
			       enum dump_open_format how, struct dump **out)
{
	*out = NULL;
	struct dump *dump = dump_new(name);
	dump->bytes = data;
	dump->size = length;
	return finish_open(dump, how, out);
}

void dump_close(struct dump *dump)
{
	if (!dump)
		return;
	if (dump->ops && dump->ops->close)
		dump->ops->close(dump);
	if (dump->mapped)
		munmap((void *)dump->bytes, (size_t)dump->size);
	if (dump->fd >= 0)
		close(dump->fd);
	free(dump->path);
	free(dump);
}

const struct dump_facts *dump_facts(const struct dump *dump)
{
	return &dump->facts;
}

const char *dump_path(const struct dump *dump)
{
	return dump->path;
}
