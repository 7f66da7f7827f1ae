/* Opened memory dumps: what their headers say and where their physical
 * pages are.  Part of the source room (see source.h); nothing downstream of
 * src/memory/ includes this.
 *
 * Formats (facts and sources: ../shared/docs/dump-formats.md):
 *   Windows crash dumps "PAGEDU64" (x64, 0x2000-byte header) and "PAGEDUMP"
 *   (x86, 0x1000): DumpType 1 full (physical memory runs), 2/5/6 bitmap
 *   ("SDMP"/"FDMP" at the end of the header), 8/9/0xA "RDMP"; DumpType 4
 *   (triage) is recognised and refused: it holds one thread, not IPC state;
 *   ELF cores and kdump-compressed files, read through libkdumpfile;
 *   raw physical images, only when asked for (--format raw).
 *
 * Pages are reached zero-copy through a read-only mapping of the file where
 * the format stores them uncompressed; a page the dump does not hold is
 * ERROR_ABSENT, never zeros. */
#ifndef ALPCGRAPH_DUMP_H
#define ALPCGRAPH_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/base.h"

enum { DUMP_PAGE_SIZE = 4096, DUMP_PAGE_SHIFT = 12, DUMP_CPUS_KEPT = 64 };

enum dump_arch { DUMP_ARCH_UNKNOWN = 0, DUMP_ARCH_X64, DUMP_ARCH_X86 };
const char *dump_arch_name(enum dump_arch arch); /* "x64", "x86", NULL */

/* The registers a memory image keeps per processor (QEMU's "QEMU" note,
 * ELF NT_PRSTATUS, or a crash dump's context record). */
struct dump_cpu {
	maybe_u64 cr0, cr3, cr4;
	maybe_u64 rip;
	maybe_u64 gs_base, kernel_gs_base, idt_base;
};

/* What the file itself says.  Unknown is not zero. */
struct dump_facts {
	const char *format_name; /* "Windows crash dump", "ELF core", "kdump", "raw" */
	enum dump_arch arch;
	int pae;                 /* x86: 1 PAE, 0 not, -1 unknown */
	/* Windows crash dump header (DUMP_HEADER64/DUMP_HEADER32) */
	maybe_u64 dump_type;
	const char *dump_type_name; /* "FULL", "BITMAP_KERNEL", "KERNEL_MEMORY" (RDMP 8), … */
	maybe_u64 major_version, minor_version; /* MinorVersion = the build number */
	maybe_u64 directory_table_base;
	maybe_u64 pfn_database;
	maybe_u64 ps_loaded_module_list;
	maybe_u64 ps_active_process_head;
	maybe_u64 kd_debugger_data_block;
	maybe_u64 machine_image_type;
	maybe_u64 processors;
	maybe_u64 bugcheck_code;
	maybe_u64 bugcheck_parameters[4];
	maybe_u64 system_time;   /* FILETIME: 100 ns since 1601 */
	maybe_u64 system_uptime; /* 100 ns */
	maybe_u64 required_dump_space;
	maybe_u64 attributes;
	char comment[129];
	/* processors, from notes or the context record */
	struct dump_cpu cpus[DUMP_CPUS_KEPT];
	unsigned cpu_count;
	/* physical memory */
	uint64_t present_pages;
	uint64_t page_ranges;  /* runs of consecutive present pages */
	uint64_t max_pfn;      /* one past the highest present page */
	uint64_t file_size;
	/* Pages the headers place past the end of a truncated file (or that a
	 * bitmap claims beyond it): absent, and named in dump_page's error. */
	uint64_t pages_missing_from_file;
};

/* Consecutive present pages [first_pfn, first_pfn + count).  When the
 * format stores them uncompressed and in order, data points at their bytes
 * in the mapping (count * 4096 bytes, zero-copy); otherwise data is NULL
 * and each page must be fetched with dump_page(). */
struct page_extent {
	uint64_t first_pfn;
	uint64_t count;
	const unsigned char *data;
};

struct dump;

enum dump_open_format { DUMP_DETECT = 0, DUMP_FORCE_RAW };

/* Opens path and reads its headers.  The error names the file and the
 * offset of what was wrong ("offset 0x88: NumberOfRuns is 4294967295; the
 * header has room for 43 runs").  A dump whose headers place pages past the
 * end of the file opens; those pages are absent and counted in
 * facts.pages_missing_from_file. */
struct error *dump_open(const char *path, enum dump_open_format how, struct dump **dump);
/* The same over bytes in memory that outlive the dump (fuzz targets and
 * unit tests); name stands for the path in messages. */
struct error *dump_open_memory(const void *data, size_t length, const char *name,
			       enum dump_open_format how, struct dump **dump);
void dump_close(struct dump *dump);
const struct dump_facts *dump_facts(const struct dump *dump);
const char *dump_path(const struct dump *dump);

/* The 4096 bytes of physical page pfn: a pointer into the mapping, or
 * into the dump's page cache (valid until the next dump_page call on this
 * dump).  NULL with *error (ERROR_ABSENT naming the physical address) for a
 * page the dump does not hold; other codes for an unreadable one. */
const unsigned char *dump_page(struct dump *dump, uint64_t pfn, struct error **error);

/* The first extent of present pages at or after from_pfn; false when there
 * is none.  Walks the present pages in increasing PFN order. */
bool dump_next_extent(const struct dump *dump, uint64_t from_pfn, struct page_extent *extent);

/* Tells the dump that a scan is done with extent's bytes, so the process
 * does not keep them resident (they stay in the page cache).  Pointers into
 * the extent stay valid.  Sequential scans call it after each extent. */
void dump_release(const struct dump *dump, const struct page_extent *extent);

/* Is the file a memory dump this build can open?  head is its first bytes
 * (SOURCE_PROBE_BYTES).  Used by source_identify. */
bool dump_probe(const unsigned char *head, size_t length);
/* For a file that is recognisably a dump alpcgraph refuses to read (a
 * user-mode minidump, "MDMP"): the reason, naming path; otherwise NULL. */
struct error *dump_probe_refusal(const char *path, const unsigned char *head, size_t length);

#endif
