/* The raw x64 image the kernel fuzz targets (fuzz_kernel_walks,
 * fuzz_alpc_walk, fuzz_lpc_walk) damage: 4-level tables mapping
 * HEAP_PAGES pages at HEAP, a small valid scenario laid out there by the
 * target with the chosen profile's offsets, then the input XORed over the
 * heap and the pages it names dropped from the page table.
 *
 * Input: byte 0 is the target's own (the profile choice), byte 1 the
 * absent pages (bit i: heap page i), the rest XORed over the heap. */
#ifndef ALPCGRAPH_FUZZ_IMAGE_H
#define ALPCGRAPH_FUZZ_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../src/kernel/kernel.h"

#define HEAP 0xffffb00000000000ULL /* PML4 slot 0x160 */
enum {
	PAGE = 4096,
	PML4_PAGE = 1, PDPT_PAGE = 2, PD_PAGE = 3, PT_PAGE = 4,
	HEAP_FIRST_PAGE = 8, HEAP_PAGES = 8,
	TOTAL_PAGES = HEAP_FIRST_PAGE + HEAP_PAGES,
	CONTROL = 2,
};

void put64(uint8_t *at, uint64_t value);
/* width bytes of value at base + offset in the heap; nothing when the
 * profile lacks the field or it would fall outside the heap. */
void put_sized(uint8_t *heap, int32_t offset, uint64_t base, uint64_t value, unsigned width);
static inline void put_at(uint8_t *heap, int32_t offset, uint64_t base, uint64_t value)
{
	put_sized(heap, offset, base, value, 8);
}
/* A LIST_ENTRY at head holding one entry at link (or empty: link 0). */
void put_list(uint8_t *heap, uint64_t head, uint64_t link);

struct fuzz_image {
	uint8_t control[CONTROL];
	uint8_t *memory;
	struct dump *dump;
	struct physical_memory *physical;
};
typedef void fuzz_scenario(uint8_t *heap, const struct kernel_profile *profile);
/* Reads the control bytes only (the target picks its profile from them). */
void fuzz_image_control(struct fuzz_image *image, const uint8_t *data, size_t size);
/* Builds and opens the image; false when there is nothing to fuzz (out of
 * memory, or the image does not open), with nothing left to close. */
bool fuzz_image_open(struct fuzz_image *image, const uint8_t *data, size_t size,
		     fuzz_scenario *scenario, const struct kernel_profile *profile);
void fuzz_image_close(struct fuzz_image *image);

#endif
