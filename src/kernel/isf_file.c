/* Reading an ISF file whole: plain JSON, or xz as Volatility 3 and the
 * JPCERT store ship them (.json.xz), told apart by the xz magic
 * (FD 37 7A 58 5A 00, the .xz file format specification §2.1.1.1), not
 * by the name.  Everything is bounded: the file and what it decompresses
 * to (ISF_MAX_FILE_BYTES), the decoder's memory (ISF_XZ_MEMORY_LIMIT,
 * enforced by liblzma itself); a stream cut short is an error, never a
 * shorter table. */
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "isf_internal.h"

static const unsigned char XZ_MAGIC[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

static struct error *read_all(const char *path, int fd, size_t size, unsigned char *bytes)
{
	size_t done = 0;
	while (done < size) {
		ssize_t got = read(fd, bytes + done, size - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return error_in_file(ERROR_IO, path, "read: %s", strerror(errno));
		if (got == 0)
			return error_at_offset(ERROR_TRUNCATED, path, done,
					       "the file ends before its stated size %zu", size);
		done += (size_t)got;
	}
	return NULL;
}

static struct error *read_bytes(const char *path, unsigned char **bytes, size_t *length)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return error_in_file(ERROR_IO, path, "%s", strerror(errno));
	struct stat status;
	struct error *error = NULL;
	if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode))
		error = error_in_file(ERROR_IO, path, "not a regular file");
	else if ((uint64_t)status.st_size > ISF_MAX_FILE_BYTES)
		error = error_in_file(ERROR_LIMIT, path,
				      "%jd bytes: a symbol table is at most %d MiB",
				      (intmax_t)status.st_size, ISF_MAX_FILE_BYTES >> 20);
	if (error) {
		close(fd);
		return error;
	}
	size_t size = (size_t)status.st_size;
	*bytes = checked_malloc(size + 1);
	error = read_all(path, fd, size, *bytes);
	close(fd);
	if (error) {
		free(*bytes);
		*bytes = NULL;
		return error;
	}
	(*bytes)[size] = 0;
	*length = size;
	return NULL;
}

static struct error *xz_failure(const char *name, lzma_ret status, const lzma_stream *stream)
{
	switch (status) {
	case LZMA_MEMLIMIT_ERROR:
		return error_in_file(ERROR_LIMIT, name,
				     "the xz stream needs %llu MiB to decompress, more than the %d MiB allowed",
				     (unsigned long long)(lzma_memusage((lzma_stream *)stream) >> 20),
				     ISF_XZ_MEMORY_LIMIT >> 20);
	case LZMA_FORMAT_ERROR:
		return error_in_file(ERROR_FORMAT, name, "not an xz stream");
	case LZMA_OPTIONS_ERROR:
		return error_in_file(ERROR_UNSUPPORTED, name, "xz options liblzma cannot decode");
	case LZMA_DATA_ERROR:
		return error_at_offset(ERROR_FORMAT, name, stream->total_in,
				       "corrupt xz data");
	case LZMA_BUF_ERROR:
		return error_at_offset(ERROR_TRUNCATED, name, stream->total_in,
				       "the xz stream is cut short (%llu bytes decompressed)",
				       (unsigned long long)stream->total_out);
	case LZMA_MEM_ERROR:
		return error_in_file(ERROR_NO_MEMORY, name, "out of memory decompressing");
	default:
		return error_in_file(ERROR_FORMAT, name, "xz decoder error %d", (int)status);
	}
}

struct error *isf_xz_decode(const char *name, const unsigned char *bytes, size_t length,
			    char **text, size_t *text_length)
{
	lzma_stream stream = LZMA_STREAM_INIT;
	/* LZMA_CONCATENATED: xz(1) accepts several streams one after the
	 * other, and so do we; the decoder then wants LZMA_FINISH to say
	 * the input is all there. */
	lzma_ret status = lzma_stream_decoder(&stream, ISF_XZ_MEMORY_LIMIT, LZMA_CONCATENATED);
	if (status != LZMA_OK)
		return xz_failure(name, status, &stream);
	size_t capacity = length < ((size_t)1 << 20) ? (size_t)1 << 20 : length * 4;
	if (capacity > (size_t)ISF_MAX_FILE_BYTES)
		capacity = ISF_MAX_FILE_BYTES;
	char *out = checked_malloc(capacity + 1);
	stream.next_in = bytes;
	stream.avail_in = length;
	stream.next_out = (uint8_t *)out;
	stream.avail_out = capacity;
	struct error *error = NULL;
	for (;;) {
		status = lzma_code(&stream, LZMA_FINISH);
		if (status == LZMA_STREAM_END)
			break;
		if (status != LZMA_OK) {
			error = xz_failure(name, status, &stream);
			break;
		}
		if (stream.avail_out != 0)
			continue;
		if (capacity >= (size_t)ISF_MAX_FILE_BYTES) {
			error = error_in_file(ERROR_LIMIT, name,
					      "decompresses to more than %d MiB: not a symbol table",
					      ISF_MAX_FILE_BYTES >> 20);
			break;
		}
		size_t grown = capacity * 2 > (size_t)ISF_MAX_FILE_BYTES ? (size_t)ISF_MAX_FILE_BYTES
									   : capacity * 2;
		out = checked_realloc(out, grown + 1);
		stream.next_out = (uint8_t *)out + capacity;
		stream.avail_out = grown - capacity;
		capacity = grown;
	}
	size_t produced = (size_t)stream.total_out;
	lzma_end(&stream);
	if (error) {
		free(out);
		return error;
	}
	out[produced] = 0;
	*text = out;
	*text_length = produced;
	return NULL;
}

struct error *isf_read_file(const char *path, char **text, size_t *length)
{
	unsigned char *bytes = NULL;
	size_t size = 0;
	struct error *error = read_bytes(path, &bytes, &size);
	if (error)
		return error;
	if (size >= sizeof XZ_MAGIC && memcmp(bytes, XZ_MAGIC, sizeof XZ_MAGIC) == 0) {
		error = isf_xz_decode(path, bytes, size, text, length);
		free(bytes);
		return error;
	}
	*text = (char *)bytes;
	*length = size;
	return NULL;
}
