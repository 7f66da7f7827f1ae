#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

#include "error.h"

/* Kept for the case where even a small message cannot be allocated. */
static struct error out_of_memory = { ERROR_NO_MEMORY, 0, {0} };

static struct error *error_vformat(enum error_code code, const char *prefix, size_t detail_at,
				   const char *format, va_list args) PRINTF_LIKE(4, 0);

static struct error *error_vformat(enum error_code code, const char *prefix, size_t detail_at,
				   const char *format, va_list args)
{
	va_list copy;
	va_copy(copy, args);
	int body = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	if (body < 0)
		body = 0;
	size_t prefix_len = strlen(prefix);
	struct error *error = malloc(sizeof *error + prefix_len + (size_t)body + 1);
	if (!error)
		return &out_of_memory;
	error->code = code;
	error->detail_at = detail_at < prefix_len ? detail_at : prefix_len;
	memcpy(error->message, prefix, prefix_len);
	vsnprintf(error->message + prefix_len, (size_t)body + 1, format, args);
	return error;
}

struct error *error_new(enum error_code code, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	struct error *error = error_vformat(code, "", 0, format, args);
	va_end(args);
	return error;
}

struct error *error_in_file(enum error_code code, const char *path,
			    const char *format, ...)
{
	char prefix[4096];
	int path_end = snprintf(prefix, sizeof prefix, "%s: ", path);
	va_list args;
	va_start(args, format);
	struct error *error = error_vformat(code, prefix, path_end > 0 ? (size_t)path_end : 0,
					    format, args);
	va_end(args);
	return error;
}

struct error *error_at_line(enum error_code code, const char *path,
			    uint64_t line, const char *format, ...)
{
	char prefix[4096];
	snprintf(prefix, sizeof prefix, "%s:%" PRIu64 ": ", path, line);
	va_list args;
	va_start(args, format);
	struct error *error = error_vformat(code, prefix, 0, format, args);
	va_end(args);
	return error;
}

struct error *error_at_offset(enum error_code code, const char *path,
			      uint64_t offset, const char *format, ...)
{
	char prefix[4096];
	snprintf(prefix, sizeof prefix, "%s: offset 0x%" PRIx64 ": ", path, offset);
	va_list args;
	va_start(args, format);
	struct error *error = error_vformat(code, prefix, strlen(path) + 2, format, args);
	va_end(args);
	return error;
}

void error_free(struct error *error)
{
	if (error != &out_of_memory)
		free(error);
}

static void exhausted(void)
{
	fputs("alpcgraph: out of memory\n", stderr);
	exit(2);
}

void *checked_malloc(size_t size)
{
	void *memory = malloc(size ? size : 1);
	if (!memory)
		exhausted();
	return memory;
}

void *checked_calloc(size_t count, size_t size)
{
	void *memory = calloc(count ? count : 1, size ? size : 1);
	if (!memory)
		exhausted();
	return memory;
}

void *checked_realloc(void *old, size_t size)
{
	void *memory = realloc(old, size ? size : 1);
	if (!memory)
		exhausted();
	return memory;
}

char *checked_strdup(const char *text)
{
	char *copy = strdup(text);
	if (!copy)
		exhausted();
	return copy;
}

const char *error_detail(const struct error *error)
{
	return error->message + error->detail_at;
}
