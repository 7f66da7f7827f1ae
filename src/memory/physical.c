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

/* 64 MiB: bench_alpc held a whole 16 GiB complete dump resident when
 * pages were let go per extent. */
enum { SCAN_PAGE = 4096, RELEASE_SLICE_PAGES = 16384 };

static void release_slice(const struct physical_memory *memory, const struct page_extent *extent,
			  uint64_t first, uint64_t end)
{
	if (!extent->data || end <= first)
		return;
	struct page_extent slice = { extent->first_pfn + first, end - first,
				     extent->data + first * SCAN_PAGE };
	dump_release(memory->dump, &slice);
}

void physical_scan_pages(struct physical_memory *memory, physical_page_visitor visit, void *context)
{
	unsigned char copy[SCAN_PAGE];
	struct page_extent extent;
	uint64_t from = 0;
	while (physical_next_extent(memory, from, &extent)) {
		uint64_t released = 0;
		for (uint64_t i = 0; i < extent.count; i++) {
			if (i - released >= RELEASE_SLICE_PAGES) {
				release_slice(memory, &extent, released, i);
				released = i;
			}
			uint64_t pfn = extent.first_pfn + i;
			const unsigned char *page = extent.data ? extent.data + i * SCAN_PAGE : NULL;
			if (!page) {
				struct error *error = physical_read(memory, pfn * SCAN_PAGE, copy, SCAN_PAGE);
				if (error) {
					error_free(error);
					continue;
				}
				page = copy;
			}
			if (!visit(context, page, pfn)) {
				release_slice(memory, &extent, released, i + 1);
				return;
			}
		}
		release_slice(memory, &extent, released, extent.count);
		if (extent.count == 0 || extent.first_pfn + extent.count <= from)
			return; /* an extent that does not move on would never end */
		from = extent.first_pfn + extent.count;
	}
}
