#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "line_reader.h"

enum { CHUNK_BYTES = 1 << 20 };

struct line_reader {
	int fd;                  /* -1 when reading from memory */
	const char *path;
	const char *memory;
	size_t memory_length;
	char *chunk;             /* file data not yet consumed */
	size_t chunk_start, chunk_end;
	uint64_t consumed;       /* file offset of chunk[chunk_start] */
	bool at_end;
	char *line_buffer;       /* LINE_READER_MAX_LINE + 1 */
	struct line line;
};

static struct line_reader *reader_new(const char *path)
{
	struct line_reader *reader = checked_calloc(1, sizeof *reader);
	reader->fd = -1;
	reader->path = path;
	reader->line_buffer = checked_malloc(LINE_READER_MAX_LINE + 1);
	return reader;
}

struct line_reader *line_reader_from_fd(int fd, const char *path)
{
	struct line_reader *reader = reader_new(path);
	reader->fd = fd;
	reader->chunk = checked_malloc(CHUNK_BYTES);
	return reader;
}

struct line_reader *line_reader_from_memory(const char *data, size_t length, const char *path)
{
	struct line_reader *reader = reader_new(path);
	reader->memory = data;
	reader->memory_length = length;
	reader->chunk = (char *)data; /* read only: never written through */
	reader->chunk_end = length;
	reader->at_end = true;
	return reader;
}

void line_reader_free(struct line_reader *reader)
{
	if (!reader)
		return;
	if (reader->fd >= 0)
		free(reader->chunk);
	free(reader->line_buffer);
	free(reader);
}

uint64_t line_reader_bytes_read(const struct line_reader *reader)
{
	return reader->consumed;
}

/* Moves what is left to the front and reads more behind it. */
static struct error *refill(struct line_reader *reader)
{
	size_t left = reader->chunk_end - reader->chunk_start;
	memmove(reader->chunk, reader->chunk + reader->chunk_start, left);
	reader->chunk_start = 0;
	reader->chunk_end = left;
	while (reader->chunk_end < CHUNK_BYTES) {
		ssize_t got = read(reader->fd, reader->chunk + reader->chunk_end,
				   CHUNK_BYTES - reader->chunk_end);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return error_at_offset(ERROR_IO, reader->path, reader->consumed + left,
					       "read failed: %s", strerror(errno));
		}
		if (got == 0) {
			reader->at_end = true;
			break;
		}
		reader->chunk_end += (size_t)got;
		if (memchr(reader->chunk + reader->chunk_end - (size_t)got, '\n', (size_t)got))
			break;
	}
	return NULL;
}

/* Copies raw line bytes into the line buffer, normalising on the way. */
static void normalise(struct line_reader *reader, const char *raw, size_t length)
{
	struct line *line = &reader->line;
	line->truncated = length > LINE_READER_MAX_LINE;
	if (line->truncated)
		length = LINE_READER_MAX_LINE;
	line->has_nul = memchr(raw, '\0', length) != NULL;
	char *out = reader->line_buffer;
	size_t n = 0;
	/* Copy up to the first possible "0×" in one go; most lines have none. */
	const char *mark = memchr(raw, 0xc3, length);
	size_t plain = mark ? (size_t)(mark - raw) : length;
	if (mark && plain)
		plain--; /* the '0' before it belongs to the pair */
	memcpy(out, raw, plain);
	n = plain;
	for (size_t i = plain; i < length; i++) {
		/* "0×" is 0x30 0xC3 0x97 in UTF-8. */
		if (raw[i] == '0' && i + 2 < length && (unsigned char)raw[i + 1] == 0xc3 &&
		    (unsigned char)raw[i + 2] == 0x97) {
			out[n++] = '0';
			out[n++] = 'x';
			i += 2;
			continue;
		}
		out[n++] = raw[i];
	}
	while (n && (out[n - 1] == '\r' || out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	out[n] = '\0';
	line->text = out;
	line->length = n;
}

const struct line *line_reader_next(struct line_reader *reader, struct error **error)
{
	*error = NULL;
	for (;;) {
		const char *start = reader->chunk + reader->chunk_start;
		size_t available = reader->chunk_end - reader->chunk_start;
		const char *newline = memchr(start, '\n', available);
		/* A line too long for the chunk is consumed in pieces: keep the
		 * first LINE_READER_MAX_LINE bytes, skip the rest. */
		if (newline || reader->at_end || available == CHUNK_BYTES) {
			size_t length = newline ? (size_t)(newline - start) : available;
			if (!newline && reader->at_end && !available)
				return NULL;
			bool continues = !newline && !reader->at_end;
			normalise(reader, start, length);
			reader->line.number++;
			reader->line.offset = reader->consumed;
			size_t step = newline ? length + 1 : length;
			reader->chunk_start += step;
			reader->consumed += step;
			if (continues) {
				/* Skip the remainder of this line. */
				reader->line.truncated = true;
				for (;;) {
					*error = refill(reader);
					if (*error)
						return NULL;
					start = reader->chunk + reader->chunk_start;
					available = reader->chunk_end - reader->chunk_start;
					newline = memchr(start, '\n', available);
					size_t skip = newline ? (size_t)(newline - start) + 1 : available;
					reader->chunk_start += skip;
					reader->consumed += skip;
					if (newline || reader->at_end)
						break;
				}
			}
			return &reader->line;
		}
		*error = refill(reader);
		if (*error)
			return NULL;
	}
}
