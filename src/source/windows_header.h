/* Windows crash dump headers: DUMP_HEADER64 ("PAGEDU64", 0x2000 bytes) and
 * DUMP_HEADER32 ("PAGEDUMP", 0x1000 bytes) — what they say and where each
 * page layout begins.  Offsets: ../shared/docs/dump-formats.md §1, §2;
 * DumpType values §3.  For the Windows format readers only. */
#ifndef ALPCGRAPH_WINDOWS_HEADER_H
#define ALPCGRAPH_WINDOWS_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump_internal.h"

/* mindumpdef.h DUMP_TYPES (§3), and kdmp-parser's DumpType_t for 8..0xA. */
enum windows_dump_type {
	WINDOWS_DUMP_FULL = 1,
	WINDOWS_DUMP_SUMMARY = 2,
	WINDOWS_DUMP_HEADER = 3,
	WINDOWS_DUMP_TRIAGE = 4,
	WINDOWS_DUMP_BITMAP_FULL = 5,
	WINDOWS_DUMP_BITMAP_KERNEL = 6,
	WINDOWS_DUMP_AUTOMATIC = 7,
	WINDOWS_DUMP_KERNEL_MEMORY = 8,
	WINDOWS_DUMP_KERNEL_AND_USER_MEMORY = 9,
	WINDOWS_DUMP_COMPLETE_MEMORY = 0xa,
};

struct windows_header {
	bool is64;                 /* DUMP_HEADER64, else DUMP_HEADER32 */
	uint64_t size;             /* 0x2000 / 0x1000: page data or a second header follow */
	uint32_t dump_type;
	uint64_t dump_type_offset; /* 0xf98 / 0xf88 */
};

/* From the file's first bytes: is it a crash dump header, which one, and
 * (when the bytes reach it) its DumpType.  false: not "PAGEDU64"/"PAGEDUMP",
 * or too short to hold the DumpType field. */
bool windows_probe_header(const unsigned char *head, size_t length, bool *is64,
			  uint32_t *dump_type);

/* Checks the whole header is in the file and copies its facts into
 * dump->facts (format name, arch, PAE, versions, DTB, list heads, KDBG,
 * bugcheck, processors, times, dump type and its name, comment). */
struct error *windows_header_read(struct dump *dump, struct windows_header *header);

#endif
