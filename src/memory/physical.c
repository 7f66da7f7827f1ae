/* Physical memory: byte reads over the pages of an opened dump.  A read may
 * cross any number of page boundaries; the first page the dump does not
 * hold ends it with ERROR_ABSENT naming that page's address (dump.h: a
 * missing page is never zeros). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "memory_internal.h"

struct physical_memory {
	struct dump *dump;
};

struct physical_memory *physical_memory_open(struct dump *dump)
{
	struct physical_memory *memory = checked_calloc(1, sizeof *memory);
	memory->dump = dump;
	return memory;
}

void physical_memory_close(struct physical_memory *memory)
{
	free(memory);
}

const struct dump_facts *physical_memory_facts(const struct physical_memory *memory)
{
	return dump_facts(memory->dump);
}

const char *physical_memory_path(const struct physical_memory *memory)
{
	return dump_path(memory->dump);
}

struct error *physical_read(struct physical_memory *memory, uint64_t address, void *buffer,
			    size_t length)
{
	unsigned char *out = buffer;
	while (length) {
		if (address + (length - 1) < address)
			return error_in_file(ERROR_FORMAT, dump_path(memory->dump),
					     "physical address 0x%" PRIx64
					     ": a read of %zu bytes wraps past 2^64",
					     address, length);
		uint64_t offset = address & (DUMP_PAGE_SIZE - 1);
		size_t chunk = DUMP_PAGE_SIZE - (size_t)offset;
		if (chunk > length)
			chunk = length;
		struct error *error = NULL;
		const unsigned char *page = dump_page(memory->dump, address >> DUMP_PAGE_SHIFT, &error);
		if (!page) {
			if (error && error->code != ERROR_ABSENT)
				return error;
			/* The reader's wording varies by format; this one names
			 * the first byte that could not be read. */
			error_free(error);
			return error_in_file(ERROR_ABSENT, dump_path(memory->dump),
					     "physical address 0x%" PRIx64 ": not in the dump", address);
		}
		memcpy(out, page + offset, chunk);
		out += chunk;
		address += chunk;
		length -= chunk;
	}
	return NULL;
}

bool physical_next_extent(const struct physical_memory *memory, uint64_t from_pfn,
			  struct page_extent *extent)
{
	return dump_next_extent(memory->dump, from_pfn, extent);
}

void physical_release(const struct physical_memory *memory, const struct page_extent *pages)
{
	dump_release(memory->dump, pages);
}
