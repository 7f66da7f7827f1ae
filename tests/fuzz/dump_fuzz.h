/* Shared by the crash dump fuzz targets: taking fields from the fuzzer's
 * bytes, writing little-endian fields, and the walk every target ends
 * with — every extent, every page, a few absent PFNs — checking that what
 * dump_page and dump_next_extent hand out lies inside the file and agrees.
 * A disagreement aborts, so libFuzzer reports it like a crash. */
#ifndef ALPCGRAPH_DUMP_FUZZ_H
#define ALPCGRAPH_DUMP_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/source/source.h"

/* The fuzzer's bytes, consumed front to back; zeros once they run out. */
struct fuzz_input {
	const uint8_t *data;
	size_t size, used;
};

static inline uint64_t take(struct fuzz_input *in, unsigned width)
{
	uint64_t value = 0;
	for (unsigned i = 0; i < width; i++)
		if (in->used < in->size)
			value |= (uint64_t)in->data[in->used++] << (8 * i);
	return value;
}

static inline size_t take_bytes(struct fuzz_input *in, uint8_t *into, size_t length)
{
	size_t available = in->size - in->used < length ? in->size - in->used : length;
	memcpy(into, in->data + in->used, available);
	in->used += available;
	return available;
}

static inline void put_le(uint8_t *at, uint64_t value, unsigned width)
{
	for (unsigned i = 0; i < width; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static inline void check(int condition)
{
	if (!condition)
		abort();
}

static inline void expect_absent_or_inside(struct dump *dump, const uint8_t *bytes, size_t size,
					   uint64_t pfn)
{
	struct error *error;
	const unsigned char *page = dump_page(dump, pfn, &error);
	if (page) {
		check(error == NULL);
		check(page >= bytes && page + DUMP_PAGE_SIZE <= bytes + size);
	} else {
		check(error != NULL && error->code == ERROR_ABSENT);
		error_free(error);
	}
}

/* Opens bytes[0, size) and walks all of it. */
static inline void open_and_walk(const uint8_t *bytes, size_t size)
{
	enum input_format format;
	error_free(source_identify_bytes("fuzz.dmp", bytes, size < SOURCE_PROBE_BYTES ? size : SOURCE_PROBE_BYTES,
					 &format));
	error_free(dump_probe_refusal("fuzz.dmp", bytes, size));
	struct dump *dump;
	struct error *error = dump_open_memory(bytes, size, "fuzz.dmp", DUMP_DETECT, &dump);
	if (error) {
		check(dump == NULL && error->message[0] != '\0');
		error_free(error);
		return;
	}
	const struct dump_facts *facts = dump_facts(dump);
	struct page_extent extent;
	uint64_t pfn = 0, pages = 0, ranges = 0;
	while (dump_next_extent(dump, pfn, &extent)) {
		check(extent.first_pfn >= pfn && extent.count > 0);
		check(extent.data >= bytes && extent.count <= size / DUMP_PAGE_SIZE &&
		      extent.data + extent.count * DUMP_PAGE_SIZE <= bytes + size);
		for (uint64_t i = 0; i < extent.count; i++) {
			const unsigned char *page = dump_page(dump, extent.first_pfn + i, &error);
			check(error == NULL && page == extent.data + i * DUMP_PAGE_SIZE);
		}
		pages += extent.count;
		ranges++;
		pfn = extent.first_pfn + extent.count;
	}
	check(pages == facts->present_pages && ranges == facts->page_ranges);
	check(pages == 0 || pfn == facts->max_pfn);
	static const uint64_t probes[] = { 0, 1, 0xfff, UINT64_C(1) << 39, (UINT64_C(1) << 40) - 1,
					   UINT64_C(1) << 40, UINT64_C(1) << 52, UINT64_MAX };
	for (size_t i = 0; i < sizeof probes / sizeof *probes; i++)
		expect_absent_or_inside(dump, bytes, size, probes[i]);
	if (facts->max_pfn) {
		expect_absent_or_inside(dump, bytes, size, facts->max_pfn - 1);
		expect_absent_or_inside(dump, bytes, size, facts->max_pfn);
	}
	dump_close(dump);
}

#endif
