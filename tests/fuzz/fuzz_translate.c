/* libFuzzer target for address translation over page tables the fuzzer
 * writes: the input is a raw physical image plus a paging mode and a DTB,
 * and every virtual address tried comes from the image's own words, so
 * the walks follow (and misfollow) the fuzzer's entries.  Any input must
 * give translations or errors without a crash, a hang, a leak or undefined
 * behaviour, and the translation cache must never change an answer.
 *
 * Input: byte 0 chooses the mode (x64, x86 PAE, x86), bytes 1-7 the DTB,
 * the rest are the physical pages from address 0 (the last one padded
 * with zeros). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/memory/memory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { HEADER = 8, MAX_ADDRESSES = 48 };

static uint64_t little_endian(const uint8_t *at, unsigned width)
{
	uint64_t value = 0;
	for (unsigned i = width; i-- > 0;)
		value = value << 8 | at[i];
	return value;
}

/* Translates va with the cache and without it; both must agree. */
static void translate_both_ways(struct address_space *space, uint64_t va)
{
	uint64_t cached = 0, walked = 0;
	address_space_use_cache(space, true);
	struct error *first = virtual_translate(space, va, &cached);
	struct error *again = virtual_translate(space, va, &cached); /* a cache hit when it worked */
	address_space_use_cache(space, false);
	struct error *uncached = virtual_translate(space, va, &walked);
	if (!first != !uncached || !first != !again || (!first && cached != walked) ||
	    (first && uncached && (first->code != uncached->code ||
				   strcmp(first->message, uncached->message) != 0))) {
		fprintf(stderr, "cache changed the answer for 0x%llx: %s / %s\n",
			(unsigned long long)va, first ? first->message : "ok",
			uncached ? uncached->message : "ok");
		abort();
	}
	error_free(first);
	error_free(again);
	error_free(uncached);
	address_space_use_cache(space, true);
	unsigned char buffer[24];
	/* A read that crosses into the next page. */
	error_free(virtual_read(space, va | 0xff0, buffer, sizeof buffer));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size <= HEADER)
		return 0;
	size_t image_size = size - HEADER;
	size_t padded = (image_size + DUMP_PAGE_SIZE - 1) / DUMP_PAGE_SIZE * DUMP_PAGE_SIZE;
	unsigned char *image = calloc(1, padded);
	if (!image)
		return 0;
	memcpy(image, data + HEADER, image_size);

	static const enum paging_mode modes[] = { PAGING_X64, PAGING_X86_PAE, PAGING_X86 };
	enum paging_mode mode = modes[data[0] % 3];
	uint64_t dtb = little_endian(data + 1, 7);
	if (!(data[0] & 0x80)) /* mostly a table inside the image */
		dtb %= padded;

	struct dump *dump = NULL;
	struct error *error = dump_open_memory(image, padded, "fuzz.raw", DUMP_FORCE_RAW, &dump);
	if (error) {
		error_free(error);
		free(image);
		return 0;
	}
	struct physical_memory *memory = physical_memory_open(dump);
	struct address_space *space = address_space_new(memory, mode, dtb);

	/* Virtual addresses from the image's words: as they are, as x64
	 * kernel addresses, and inside the pages they name. */
	size_t words = image_size / 8;
	size_t step = words > MAX_ADDRESSES ? words / MAX_ADDRESSES : 1;
	for (size_t w = 0, tried = 0; w < words && tried < MAX_ADDRESSES; w += step, tried++) {
		uint64_t word = little_endian(data + HEADER + w * 8, 8);
		translate_both_ways(space, word);
		translate_both_ways(space, word | 0xffff800000000000ULL);
		translate_both_ways(space, word & 0xffffffffULL);
	}
	struct translation_stats stats = address_space_stats(space);
	if (stats.cache_hits + stats.walks != stats.lookups)
		abort();

	address_space_free(space);
	physical_memory_close(memory);
	dump_close(dump);
	free(image);
	return 0;
}
