/* Lines of a transcript, read in bounded memory from a file or a buffer.
 *
 * Each line comes back normalised for the parsers: no CR or LF, trailing
 * blanks removed, and WordPress's "0×" (U+00D7) turned back into "0x" —
 * blog copies of WinDbg output have it (../shared/corpus/transcripts/
 * INDEX.md, artefact 1).  A line longer than LINE_READER_MAX_LINE is cut
 * there and flagged, so a 10 MB line costs no more than a short one. */
#ifndef ALPCGRAPH_LINE_READER_H
#define ALPCGRAPH_LINE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/base.h"

enum { LINE_READER_MAX_LINE = 64 * 1024 };

struct line {
	char *text;       /* NUL-terminated, normalised */
	size_t length;
	uint64_t number;  /* 1-based */
	uint64_t offset;  /* file offset of the line's first byte */
	bool truncated;   /* longer than LINE_READER_MAX_LINE: the rest is dropped */
	bool has_nul;     /* held a NUL byte: binary data, not debugger text */
};

struct line_reader;

/* From an open file descriptor (not closed by the reader). */
struct line_reader *line_reader_from_fd(int fd, const char *path);
/* From memory that outlives the reader. */
struct line_reader *line_reader_from_memory(const char *data, size_t length, const char *path);
/* Next line, or NULL at the end; *error is set when reading failed. */
const struct line *line_reader_next(struct line_reader *reader, struct error **error);
uint64_t line_reader_bytes_read(const struct line_reader *reader);
void line_reader_free(struct line_reader *reader);

#endif
