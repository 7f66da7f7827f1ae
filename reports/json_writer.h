/* A small streaming JSON writer: the document goes straight to a FILE as
 * it is described, so a dump with a million threads never holds its JSON
 * in memory.
 *
 * Output is pretty-printed with two-space indentation, empty containers as
 * [] and {}, and is byte-identical for identical calls.  Strings are
 * escaped so that the document is valid UTF-8 and can sit inside an HTML
 * <script> element: '"' and '\' are escaped, control characters (C0, DEL
 * and C1) become \u00XX, "</" becomes "<\/", U+2028 and U+2029 become
 * \u2028 and \u2029, and a byte that is not valid UTF-8 becomes \ufffd.
 *
 * Misuse (a value where a key is due, too deep a nesting, an unbalanced
 * end) is a programming error; it is remembered and reported by
 * json_writer_finish() together with any write error, so callers write a
 * whole document and check once. */
#ifndef ALPCGRAPH_JSON_WRITER_H
#define ALPCGRAPH_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../src/base/error.h"

enum { JSON_WRITER_MAX_DEPTH = 32 };

struct json_writer {
	FILE *out;
	unsigned depth;
	/* Per open container: is it an object, has it a member yet. */
	bool in_object[JSON_WRITER_MAX_DEPTH];
	bool has_member[JSON_WRITER_MAX_DEPTH];
	bool key_pending;   /* a key was written; its value is due */
	bool top_written;   /* the one top-level value has begun */
	const char *misuse; /* the first programming error, or NULL */
};

void json_writer_init(struct json_writer *writer, FILE *out);
/* NULL when a complete, balanced document was written; otherwise why not. */
struct error *json_writer_finish(struct json_writer *writer);

void json_write_begin_object(struct json_writer *writer);
void json_write_end_object(struct json_writer *writer);
void json_write_begin_array(struct json_writer *writer);
void json_write_end_array(struct json_writer *writer);
void json_write_key(struct json_writer *writer, const char *key);

/* A NULL text writes null. */
void json_write_string(struct json_writer *writer, const char *text);
void json_write_string_n(struct json_writer *writer, const char *text, size_t length);
void json_write_string_printf(struct json_writer *writer, const char *format, ...)
	PRINTF_LIKE(2, 3);
void json_write_uint(struct json_writer *writer, uint64_t value);
void json_write_int(struct json_writer *writer, int64_t value);
void json_write_bool(struct json_writer *writer, bool value);
void json_write_null(struct json_writer *writer);

#endif
