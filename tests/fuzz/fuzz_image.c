#include <stdlib.h>
#include <string.h>

#include "fuzz_image.h"

void put64(uint8_t *at, uint64_t value)
{
	for (int i = 0; i < 8; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

void put_sized(uint8_t *heap, int32_t offset, uint64_t base, uint64_t value, unsigned width)
{
	if (offset == PROFILE_ABSENT)
		return;
	uint64_t at = base - HEAP + (uint64_t)offset;
	if (at + width > HEAP_PAGES * PAGE)
		return;
	for (unsigned i = 0; i < width; i++)
		heap[at + i] = (uint8_t)(value >> (8 * i));
}

void put_list(uint8_t *heap, uint64_t head, uint64_t link)
{
	uint64_t first = link ? link : head;
	put_at(heap, 0, head, first);
	put_at(heap, 8, head, first);
	if (link) {
		put_at(heap, 0, link, head);
		put_at(heap, 8, link, head);
	}
}

static void put_tables(uint8_t *memory)
{
	uint64_t present = 0x3;
	put64(memory + PML4_PAGE * PAGE + 0x160 * 8, (uint64_t)PDPT_PAGE * PAGE | present);
	put64(memory + PDPT_PAGE * PAGE, (uint64_t)PD_PAGE * PAGE | present);
	put64(memory + PD_PAGE * PAGE, (uint64_t)PT_PAGE * PAGE | present);
	for (unsigned i = 0; i < HEAP_PAGES; i++)
		put64(memory + PT_PAGE * PAGE + i * 8, (uint64_t)(HEAP_FIRST_PAGE + i) * PAGE | present);
}

void fuzz_image_control(struct fuzz_image *image, const uint8_t *data, size_t size)
{
	memset(image, 0, sizeof *image);
	memcpy(image->control, data, size < CONTROL ? size : CONTROL);
}

bool fuzz_image_open(struct fuzz_image *image, const uint8_t *data, size_t size,
		     fuzz_scenario *scenario, const struct kernel_profile *profile)
{
	const uint8_t *tail = size > CONTROL ? data + CONTROL : NULL;
	size_t tail_size = size > CONTROL ? size - CONTROL : 0;
	image->memory = calloc(TOTAL_PAGES, PAGE);
	if (!image->memory)
		return false;
	uint8_t *heap = image->memory + HEAP_FIRST_PAGE * PAGE;
	put_tables(image->memory);
	scenario(heap, profile);
	for (size_t i = 0; i < tail_size && i < HEAP_PAGES * PAGE; i++)
		heap[i] ^= tail[i];
	for (unsigned i = 0; i < 8 && i < HEAP_PAGES; i++)
		if (image->control[1] >> i & 1)
			put64(image->memory + PT_PAGE * PAGE + i * 8, 0);
	struct error *error = dump_open_memory(image->memory, TOTAL_PAGES * PAGE, "fuzz.raw", DUMP_FORCE_RAW,
					       &image->dump);
	if (error) {
		error_free(error);
		free(image->memory);
		image->memory = NULL;
		return false;
	}
	image->physical = physical_memory_open(image->dump);
	return true;
}

void fuzz_image_close(struct fuzz_image *image)
{
	physical_memory_close(image->physical);
	dump_close(image->dump);
	free(image->memory);
}
