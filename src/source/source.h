/* source — what an input is, judged by its content, never by its name, and
 * for memory dumps where their physical pages are (dump.h).
 *
 * One table of formats, each with a probe over the file's first bytes
 * (STYLE.md §1); the first probe that says "mine" names the reader.
 * Anything else is refused with the reason and the offset that gave it
 * away. */
#ifndef ALPCGRAPH_SOURCE_H
#define ALPCGRAPH_SOURCE_H

#include <stddef.h>

#include "../base/base.h"
#include "dump.h"

enum input_format {
	INPUT_UNKNOWN = 0,
	INPUT_TRANSCRIPT, /* kd/WinDbg/cdb/DbgRpc output */
	INPUT_DUMP,       /* a memory dump dump_open reads (dump.h) */
};

enum { SOURCE_PROBE_BYTES = 64 * 1024 };

/* Reads the start of path and names its format; on failure returns an
 * error naming the file and, for unreadable content, the offset. */
struct error *source_identify(const char *path, enum input_format *format);
/* The same over bytes already in memory. */
struct error *source_identify_bytes(const char *path, const unsigned char *head, size_t length,
				    enum input_format *format);
const char *input_format_name(enum input_format format);

#endif
