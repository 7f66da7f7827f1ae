/* The one error idiom: functions that can fail return struct error *
 * (NULL on success).  The error is made where the fault is seen, with the
 * input path and the line, file offset or virtual address, and is passed up
 * unchanged. */
#ifndef ALPCGRAPH_ERROR_H
#define ALPCGRAPH_ERROR_H

#include <stddef.h>
#include <stdint.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

enum error_code {
	ERROR_IO = 1,      /* the operating system refused a read or write */
	ERROR_FORMAT,      /* the input is not what it claims to be */
	ERROR_TRUNCATED,   /* the input ends before a structure does */
	ERROR_LIMIT,       /* the input exceeds a bound we enforce */
	ERROR_UNSUPPORTED, /* recognised, but not something we can read */
	ERROR_USAGE,       /* the command line asks for something impossible */
	ERROR_NO_MEMORY,
	ERROR_ABSENT,      /* a page or structure the input does not hold (not an error in the input) */
};

struct error {
	enum error_code code;
	size_t detail_at; /* where message goes on after "path: " (0: no path) */
	char message[]; /* "path:line: text", "path: offset 0x..: text" or "text" */
};

struct error *error_new(enum error_code code, const char *format, ...)
	PRINTF_LIKE(2, 3);
struct error *error_in_file(enum error_code code, const char *path,
			    const char *format, ...) PRINTF_LIKE(3, 4);
struct error *error_at_line(enum error_code code, const char *path,
			    uint64_t line, const char *format, ...)
	PRINTF_LIKE(4, 5);
struct error *error_at_offset(enum error_code code, const char *path,
			      uint64_t offset, const char *format, ...)
	PRINTF_LIKE(4, 5);
void error_free(struct error *error);
/* The message without its leading "path: ", for a sentence that already
 * names the file ("offset 0x..: text", "text"); a line number stays. */
const char *error_detail(const struct error *error);

/* Allocation that cannot fail quietly: on exhaustion the process reports
 * "out of memory" and exits.  Inputs are bounded before they are allocated
 * for, so this fires only when the machine itself is exhausted; `report`
 * runs each input in its own process, so the batch survives even that. */
void *checked_malloc(size_t size);
void *checked_calloc(size_t count, size_t size);
void *checked_realloc(void *old, size_t size);
char *checked_strdup(const char *text);

#endif
