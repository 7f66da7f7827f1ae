#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "../src/base/utf8.h"

void json_writer_init(struct json_writer *writer, FILE *out)
{
	memset(writer, 0, sizeof *writer);
	writer->out = out;
}

/* After the first misuse nothing more is written: the document is already
 * wrong and json_writer_finish() will say so. */
static bool misused(struct json_writer *writer, const char *what)
{
	if (!writer->misuse)
		writer->misuse = what;
	return false;
}

static void write_indent(struct json_writer *writer, unsigned depth)
{
	putc('\n', writer->out);
	for (unsigned i = 0; i < depth; i++)
		fputs("  ", writer->out);
}

/* Places the next value: after a key in an object, or on its own line in
 * an array, or as the one top-level value. */
static bool begin_value(struct json_writer *writer)
{
	if (writer->misuse)
		return false;
	if (writer->depth == 0) {
		if (writer->top_written)
			return misused(writer, "a second top-level value");
		writer->top_written = true;
		return true;
	}
	unsigned level = writer->depth - 1;
	if (writer->in_object[level]) {
		if (!writer->key_pending)
			return misused(writer, "a value without a key inside an object");
		writer->key_pending = false;
		return true;
	}
	if (writer->has_member[level])
		putc(',', writer->out);
	write_indent(writer, writer->depth);
	writer->has_member[level] = true;
	return true;
}

static void begin_container(struct json_writer *writer, bool object)
{
	if (!begin_value(writer))
		return;
	if (writer->depth == JSON_WRITER_MAX_DEPTH) {
		misused(writer, "nesting deeper than JSON_WRITER_MAX_DEPTH");
		return;
	}
	putc(object ? '{' : '[', writer->out);
	writer->in_object[writer->depth] = object;
	writer->has_member[writer->depth] = false;
	writer->depth++;
}

static void end_container(struct json_writer *writer, bool object)
{
	if (writer->misuse)
		return;
	if (writer->depth == 0 || writer->in_object[writer->depth - 1] != object) {
		misused(writer,
			object ? "an unmatched end of object" : "an unmatched end of array");
		return;
	}
	if (writer->key_pending) {
		misused(writer, "a key without a value");
		return;
	}
	writer->depth--;
	if (writer->has_member[writer->depth])
		write_indent(writer, writer->depth);
	putc(object ? '}' : ']', writer->out);
}

void json_write_begin_object(struct json_writer *writer)
{
	begin_container(writer, true);
}

void json_write_end_object(struct json_writer *writer)
{
	end_container(writer, true);
}

void json_write_begin_array(struct json_writer *writer)
{
	begin_container(writer, false);
}

void json_write_end_array(struct json_writer *writer)
{
	end_container(writer, false);
}

/* ---- strings ----------------------------------------------------------- */

static void write_escape(FILE *out, unsigned code_point)
{
	fprintf(out, "\\u%04x", code_point);
}

/* Length of the UTF-8 sequence a lead byte announces, or 0 for a byte that
 * cannot start one; utf8_is_valid() then checks the whole sequence. */
static size_t announced_length(unsigned char lead)
{
	if (lead < 0x80)
		return 1;
	if (lead >= 0xc2 && lead <= 0xdf)
		return 2;
	if (lead >= 0xe0 && lead <= 0xef)
		return 3;
	if (lead >= 0xf0 && lead <= 0xf4)
		return 4;
	return 0;
}

static unsigned decode_sequence(const unsigned char *bytes, size_t length)
{
	static const unsigned char lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned code_point = bytes[0] & lead_mask[length];
	for (size_t i = 1; i < length; i++)
		code_point = code_point << 6 | (bytes[i] & 0x3f);
	return code_point;
}

/* Characters that must not appear raw: C1 controls (terminals act on
 * them) and the two line separators JavaScript before ES2019 rejected in
 * string literals. */
static bool multibyte_needs_escape(unsigned code_point)
{
	return (code_point >= 0x80 && code_point <= 0x9f) || code_point == 0x2028 ||
	       code_point == 0x2029;
}

/* Writes one character starting at bytes[0] and returns how many bytes it
 * took. */
static size_t write_character(FILE *out, const unsigned char *bytes, size_t available,
			      unsigned char previous)
{
	unsigned char byte = bytes[0];
	if (byte == '"' || byte == '\\') {
		putc('\\', out);
		putc(byte, out);
		return 1;
	}
	/* "</" would close an HTML <script> element the JSON is embedded in. */
	if (byte == '/' && previous == '<') {
		fputs("\\/", out);
		return 1;
	}
	if (byte < 0x20 || byte == 0x7f) {
		write_escape(out, byte);
		return 1;
	}
	size_t length = announced_length(byte);
	if (length == 1) {
		putc(byte, out);
		return 1;
	}
	if (length == 0 || length > available || !utf8_is_valid((const char *)bytes, length)) {
		write_escape(out, 0xfffd);
		return 1;
	}
	unsigned code_point = decode_sequence(bytes, length);
	if (multibyte_needs_escape(code_point))
		write_escape(out, code_point);
	else
		fwrite(bytes, 1, length, out);
	return length;
}

static void write_quoted(FILE *out, const char *text, size_t length)
{
	const unsigned char *bytes = (const unsigned char *)text;
	putc('"', out);
	unsigned char previous = 0;
	for (size_t i = 0; i < length;) {
		size_t step = write_character(out, bytes + i, length - i, previous);
		previous = bytes[i + step - 1];
		i += step;
	}
	putc('"', out);
}

void json_write_key(struct json_writer *writer, const char *key)
{
	if (writer->misuse)
		return;
	if (writer->depth == 0 || !writer->in_object[writer->depth - 1]) {
		misused(writer, "a key outside an object");
		return;
	}
	if (writer->key_pending) {
		misused(writer, "two keys in a row");
		return;
	}
	unsigned level = writer->depth - 1;
	if (writer->has_member[level])
		putc(',', writer->out);
	write_indent(writer, writer->depth);
	write_quoted(writer->out, key, strlen(key));
	fputs(": ", writer->out);
	writer->has_member[level] = true;
	writer->key_pending = true;
}

void json_write_string_n(struct json_writer *writer, const char *text, size_t length)
{
	if (!text) {
		json_write_null(writer);
		return;
	}
	if (begin_value(writer))
		write_quoted(writer->out, text, length);
}

void json_write_string(struct json_writer *writer, const char *text)
{
	json_write_string_n(writer, text, text ? strlen(text) : 0);
}

void json_write_string_printf(struct json_writer *writer, const char *format, ...)
{
	char buffer[256];
	va_list args;
	va_start(args, format);
	int needed = vsnprintf(buffer, sizeof buffer, format, args);
	va_end(args);
	if (needed < 0) {
		misused(writer, "an unprintable format");
		return;
	}
	if ((size_t)needed < sizeof buffer) {
		json_write_string_n(writer, buffer, (size_t)needed);
		return;
	}
	char *large = checked_malloc((size_t)needed + 1);
	va_start(args, format);
	vsnprintf(large, (size_t)needed + 1, format, args);
	va_end(args);
	json_write_string_n(writer, large, (size_t)needed);
	free(large);
}

/* ---- scalars ----------------------------------------------------------- */

void json_write_uint(struct json_writer *writer, uint64_t value)
{
	if (begin_value(writer))
		fprintf(writer->out, "%" PRIu64, value);
}

void json_write_int(struct json_writer *writer, int64_t value)
{
	if (begin_value(writer))
		fprintf(writer->out, "%" PRId64, value);
}

void json_write_bool(struct json_writer *writer, bool value)
{
	if (begin_value(writer))
		fputs(value ? "true" : "false", writer->out);
}

void json_write_null(struct json_writer *writer)
{
	if (begin_value(writer))
		fputs("null", writer->out);
}

/* ---- the end ----------------------------------------------------------- */

struct error *json_writer_finish(struct json_writer *writer)
{
	if (!writer->misuse && writer->depth != 0)
		writer->misuse = "containers left open";
	if (!writer->misuse && !writer->top_written)
		writer->misuse = "an empty document";
	if (writer->misuse)
		return error_new(ERROR_USAGE, "JSON writer: %s", writer->misuse);
	putc('\n', writer->out);
	errno = 0;
	if (fflush(writer->out) != 0 || ferror(writer->out))
		return error_new(ERROR_IO, "cannot write the JSON document: %s",
				 errno ? strerror(errno) : "write error");
	return NULL;
}
