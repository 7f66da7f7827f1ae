/* Inside an opened dump: the row of the format table that reads it
 * (dump_open.c) and what that row keeps.  For the format readers of
 * src/source/ only; everything else sees dump.h.
 *
 * A format is a row (struct dump_format_ops, libkdumpfile's format_ops):
 * a probe over the file's first bytes, an open that checks the headers and
 * builds a page index, and either
 *   - locate (a mapped format: the pages lie uncompressed in the file, so a
 *     page is the mapping plus an offset; dump_open.c does the bounds checks,
 *     the zero-copy pointers and the "cut off by truncation" accounting), or
 *   - read_page (a format read through a library, e.g. libkdumpfile, that
 *     hands out pages from its own cache).
 * Adding a format is a file and a row in dump_open.c. */
#ifndef ALPCGRAPH_DUMP_INTERNAL_H
#define ALPCGRAPH_DUMP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dump.h"

/* x86-64 physical addresses have at most 52 bits (MAXPHYADDR ≤ 52, Intel
 * SDM vol. 3 §4.1.4 / AMD APM vol. 2 §5.1), so no real PFN reaches 2^40.
 * Counts and PFNs read from a file are bounded by this before any
 * arithmetic, which keeps every "pfn << 12" and every file-offset sum far
 * from overflowing. */
#define DUMP_PFN_LIMIT (UINT64_C(1) << 40)

/* A run of present pages [first_pfn, first_pfn + count) that follow each
 * other in the file from file_offset; DUMP_NOT_MAPPED when the format
 * reads its pages through read_page instead. */
#define DUMP_NOT_MAPPED UINT64_MAX
struct dump_extent {
	uint64_t first_pfn;
	uint64_t count;
	uint64_t file_offset;
};

struct dump_format_ops {
	const char *name;
	/* "Mine", judged from the file's first length bytes (the whole file or
	 * at least SOURCE_PROBE_BYTES).  NULL: the row is used only when asked
	 * for by forced_by. */
	bool (*probe)(const unsigned char *head, size_t length);
	enum dump_open_format forced_by; /* DUMP_DETECT, or the --format that picks this row */
	/* Non-NULL: the format is recognised only to be refused, for this
	 * reason (dump_open reports "path: offset 0x0: reason"; source_identify
	 * too). */
	const char *refusal;
	/* Reads the headers, fills dump->facts (the header facts; dump_open.c
	 * fills present_pages, page_ranges, max_pfn, pages_missing_from_file
	 * and file_size afterwards) and dump->pages_claimed, and builds the
	 * page index in dump->locator.  The error names the file and the
	 * offset of the bad field. */
	struct error *(*open)(struct dump *dump);
	/* Mapped formats: where the format puts page pfn (possibly past the end
	 * of a truncated file; dump_open.c checks).  false: not in the dump. */
	bool (*locate)(const struct dump *dump, uint64_t pfn, uint64_t *file_offset);
	/* Library formats: the page, or NULL with *error.  NULL for mapped ones. */
	const unsigned char *(*read_page)(struct dump *dump, uint64_t pfn, struct error **error);
	/* The first run of pages the format places at or after from_pfn, in
	 * increasing PFN order; runs beyond the end of the file are clipped or
	 * skipped by dump_open.c. */
	bool (*next_extent)(const struct dump *dump, uint64_t from_pfn, struct dump_extent *extent);
	/* Frees dump->locator (and anything else the format keeps). */
	void (*close)(struct dump *dump);
};

enum { DUMP_RECENT_WINDOWS = 1024 };

struct dump {
	char *path;
	int fd;                     /* -1 for dump_open_memory */
	const unsigned char *bytes; /* the whole file, read-only */
	uint64_t size;
	bool mapped;                /* bytes is our mmap, unmapped by dump_close */
	struct dump_facts facts;
	/* How many pages the format's headers say the file holds; those that
	 * lie past its end are facts.pages_missing_from_file. */
	uint64_t pages_claimed;
	const struct dump_format_ops *ops;
	void *locator;              /* the format's page index */
	char dump_type_text[32];    /* facts.dump_type_name for unnamed types */
	/* Residency (dump_open.c): 64 KiB windows of the file handed out
	 * since the resident copies were last dropped, and which windows were
	 * handed out lately (slot = window hash, value = window + 1). */
	uint64_t windows_handed_out;
	uint64_t recent_windows[DUMP_RECENT_WINDOWS];
};

/* The rows of the table, one per format file. */
extern const struct dump_format_ops windows_full_dump_format;    /* windows_runs.c */
extern const struct dump_format_ops windows_bitmap_dump_format;  /* windows_bitmap.c */
extern const struct dump_format_ops windows_rdmp_dump_format;    /* windows_rdmp.c */
extern const struct dump_format_ops windows_other_dump_format;   /* windows_header.c */
extern const struct dump_format_ops windows_user_minidump_format; /* windows_header.c */
extern const struct dump_format_ops kdump_file_format;           /* kdump_file.c */
extern const struct dump_format_ops kdump_flattened_format;      /* kdump_file.c */
extern const struct dump_format_ops raw_image_format;            /* raw_image.c */

/* A format reader read bytes at offset through the mapping: the 64 KiB
 * window holding them counts toward the residency budget (dump_open.c).
 * dump_page does this for mapped formats' pages. */
void dump_touch(struct dump *dump, uint64_t offset);

/* A format reader is done, for now, with [offset, offset + length) of
 * the file: the process need not keep it resident (dump_open.c says
 * why).  For readers that scan a large part of the file while opening. */
void dump_drop_resident(const struct dump *dump, uint64_t offset, uint64_t length);

/* Reading little-endian fields of the file; the caller has checked that
 * [offset, offset + width) lies inside it (dump_holds). */
static inline bool dump_holds(const struct dump *dump, uint64_t offset, uint64_t length)
{
	return offset <= dump->size && length <= dump->size - offset;
}

static inline uint64_t dump_le(const unsigned char *at, unsigned width)
{
	uint64_t value = 0;
	for (unsigned i = width; i-- > 0;)
		value = value << 8 | at[i];
	return value;
}

static inline uint32_t dump_u32(const struct dump *dump, uint64_t offset)
{
	return (uint32_t)dump_le(dump->bytes + offset, 4);
}

static inline uint64_t dump_u64(const struct dump *dump, uint64_t offset)
{
	return dump_le(dump->bytes + offset, 8);
}

static inline bool dump_tag_is(const unsigned char *at, const char tag[4])
{
	return memcmp(at, tag, 4) == 0;
}

#endif
