/* Writing a dump file: positioned writes, so a layout is written in any
 * order and whatever is never written stays a hole. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forge_internal.h"

struct error *forge_file_create(struct forge_file *file, const char *path)
{
	file->path = path;
	file->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (file->fd < 0)
		return error_in_file(ERROR_IO, path, "cannot create: %s", strerror(errno));
	return NULL;
}

struct error *forge_file_write(struct forge_file *file, const void *bytes, size_t length, uint64_t offset)
{
	const uint8_t *from = bytes;
	while (length) {
		ssize_t done = pwrite(file->fd, from, length, (off_t)offset);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return error_at_offset(ERROR_IO, file->path, offset, "cannot write: %s",
					       done < 0 ? strerror(errno) : "no progress");
		from += done;
		offset += (uint64_t)done;
		length -= (size_t)done;
	}
	return NULL;
}

struct error *forge_file_write_pages(struct forge_file *file, const struct forge *forge,
				     uint64_t first_pfn, uint64_t count, uint64_t offset)
{
	uint8_t *chunk = checked_malloc((size_t)FORGE_CHUNK_PAGES * FORGE_PAGE_SIZE);
	struct error *error = NULL;
	while (count && !error) {
		uint64_t pages = count < FORGE_CHUNK_PAGES ? count : FORGE_CHUNK_PAGES;
		for (uint64_t i = 0; i < pages; i++)
			forge_copy_page(forge, first_pfn + i, chunk + i * FORGE_PAGE_SIZE);
		error = forge_file_write(file, chunk, (size_t)pages * FORGE_PAGE_SIZE, offset);
		first_pfn += pages;
		count -= pages;
		offset += pages * FORGE_PAGE_SIZE;
	}
	free(chunk);
	return error;
}

struct error *forge_file_set_size(struct forge_file *file, uint64_t size)
{
	if (ftruncate(file->fd, (off_t)size) != 0)
		return error_at_offset(ERROR_IO, file->path, size, "cannot set the size: %s",
				       strerror(errno));
	return NULL;
}

struct error *forge_file_close(struct forge_file *file, struct error *error)
{
	if (file->fd < 0)
		return error;
	if (close(file->fd) != 0 && !error)
		error = error_in_file(ERROR_IO, file->path, "cannot close: %s", strerror(errno));
	file->fd = -1;
	return error;
}
