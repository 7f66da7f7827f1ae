/* See independent_reader.h: a second, deliberately plain reading of the
 * documented layouts, to hold the forge's output against. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forge.h"
#include "independent_reader.h"

bool image_open(struct image *image, const char *path)
{
	*image = (struct image){ .fd = open(path, O_RDONLY | O_CLOEXEC), .ok = true };
	struct stat info;
	if (image->fd < 0 || fstat(image->fd, &info) != 0)
		return image->ok = false;
	image->size = (uint64_t)info.st_size;
	return true;
}

void image_close(struct image *image)
{
	if (image->fd >= 0)
		close(image->fd);
	free(image->extents);
	image->extents = NULL;
	image->fd = -1;
}

bool file_read(struct image *image, void *bytes, size_t length, uint64_t offset)
{
	ssize_t got = pread(image->fd, bytes, length, (off_t)offset);
	if (got < 0 || (size_t)got != length) {
		memset(bytes, 0, length);
		return image->ok = false;
	}
	return true;
}

static uint64_t file_le(struct image *image, uint64_t offset, size_t size)
{
	uint8_t bytes[8];
	file_read(image, bytes, size, offset);
	uint64_t value = 0;
	for (size_t i = size; i-- > 0;)
		value = value << 8 | bytes[i];
	return value;
}

uint64_t file_u64(struct image *image, uint64_t offset)
{
	return file_le(image, offset, 8);
}

uint32_t file_u32(struct image *image, uint64_t offset)
{
	return (uint32_t)file_le(image, offset, 4);
}

uint16_t file_u16(struct image *image, uint64_t offset)
{
	return (uint16_t)file_le(image, offset, 2);
}

static void add_extent(struct image *image, uint64_t pfn, uint64_t count, uint64_t offset)
{
	if (!count)
		return;
	struct extent *last = image->count ? &image->extents[image->count - 1] : NULL;
	if (last && last->pfn + last->count == pfn && last->offset + last->count * PAGE == offset) {
		last->count += count;
		return;
	}
	image->extents = realloc(image->extents, (image->count + 1) * sizeof *image->extents);
	if (!image->extents)
		abort();
	image->extents[image->count++] = (struct extent){ pfn, count, offset };
}

/* §4: Run[] at 0x98 (x64) / 0x6c (x86); the pages of run i follow those
 * of runs 0..i-1 from the end of the header. */
static void layout_full(struct image *image, uint64_t run_count_at, uint64_t runs_at,
			unsigned field, uint64_t first_page)
{
	uint32_t runs = file_u32(image, run_count_at);
	uint64_t offset = first_page;
	for (uint32_t i = 0; i < runs && image->ok; i++) {
		uint64_t base = file_le(image, runs_at + 2 * field * i, field);
		uint64_t count = file_le(image, runs_at + 2 * field * i + field, field);
		add_extent(image, base, count, offset);
		offset += count * PAGE;
	}
}

void layout_windows_full64(struct image *image)
{
	layout_full(image, 0x88, 0x98, 8, 0x2000);
}

void layout_windows_full32(struct image *image)
{
	layout_full(image, 0x64, 0x6c, 4, 0x1000);
}

/* §5.1: FirstPage at +0x20, bit count at +0x30, bitmap at +0x38 of the
 * header at 0x2000; set bits' pages stored in PFN order. */
void layout_windows_bitmap64(struct image *image)
{
	uint64_t first_page = file_u64(image, 0x2020), bits = file_u64(image, 0x2030);
	size_t size = (size_t)((bits + 7) / 8);
	uint8_t *bitmap = malloc(size ? size : 1);
	if (!bitmap)
		abort();
	file_read(image, bitmap, size, 0x2038);
	uint64_t rank = 0;
	for (uint64_t pfn = 0; pfn < bits && image->ok; pfn++)
		if (bitmap[pfn / 8] >> (pfn % 8) & 1)
			add_extent(image, pfn, 1, first_page + PAGE * rank++);
	free(bitmap);
}

/* §5.3: {PFN, count} pairs from 0x2030 up to a PFN of 0 (or, for DumpType
 * 0xA, until TotalNumberOfPages at 0x2028 are listed); pages from
 * FirstPageOffset at 0x2018. */
void layout_windows_rdmp(struct image *image)
{
	bool complete = file_u32(image, 0xf98) == 0xa;
	uint64_t offset = file_u64(image, 0x2018), total = file_u64(image, 0x2028), listed = 0;
	for (uint64_t at = 0x2030; image->ok; at += 16) {
		if (complete && listed == total)
			break;
		uint64_t pfn = file_u64(image, at), count = file_u64(image, at + 8);
		if (pfn == 0)
			break;
		add_extent(image, pfn, count, offset);
		offset += count * PAGE;
		listed += count;
	}
}

/* §7: each PT_LOAD maps p_filesz bytes at p_offset to p_paddr. */
void layout_elf64(struct image *image)
{
	uint64_t phoff = file_u64(image, 0x20);
	uint16_t entry = file_u16(image, 0x36), count = file_u16(image, 0x38);
	for (uint16_t i = 0; i < count && image->ok; i++) {
		uint64_t at = phoff + (uint64_t)i * entry;
		if (file_u32(image, at) != 1 /* PT_LOAD */)
			continue;
		add_extent(image, file_u64(image, at + 0x18) / PAGE, file_u64(image, at + 0x20) / PAGE,
			   file_u64(image, at + 0x08));
	}
}

void layout_raw(struct image *image)
{
	add_extent(image, 0, image->size / PAGE, 0);
}

bool image_page_offset(const struct image *image, uint64_t pfn, uint64_t *offset)
{
	for (size_t i = 0; i < image->count; i++) {
		const struct extent *e = &image->extents[i];
		if (pfn >= e->pfn && pfn - e->pfn < e->count) {
			*offset = e->offset + (pfn - e->pfn) * PAGE;
			return true;
		}
	}
	return false;
}

bool read_physical(struct image *image, uint64_t pa, void *bytes, size_t length)
{
	uint8_t *to = bytes;
	while (length) {
		uint64_t offset;
		size_t in_page = (size_t)(PAGE - pa % PAGE), part = in_page < length ? in_page : length;
		if (!image_page_offset(image, pa / PAGE, &offset))
			return false;
		if (!file_read(image, to, part, offset + pa % PAGE))
			return false;
		to += part, pa += part, length -= part;
	}
	return true;
}

bool holds_pattern(struct image *image, uint64_t pa, size_t length)
{
	for (uint64_t at = pa & ~7ULL; at < pa + length; at += 8) {
		uint8_t word[8];
		if (!read_physical(image, at, word, 8))
			return false;
		uint64_t value = 0;
		for (int i = 7; i >= 0; i--)
			value = value << 8 | word[i];
		if (value != forge_pattern(at))
			return false;
	}
	return true;
}

static bool read_entry(struct image *image, uint64_t address, unsigned size, uint64_t *entry)
{
	uint8_t bytes[8] = { 0 };
	if (!read_physical(image, address, bytes, size))
		return false;
	*entry = 0;
	for (unsigned i = size; i-- > 0;)
		*entry = *entry << 8 | bytes[i];
	return true;
}

/* deps.md §3 / Intel SDM vol. 3A §4.5: PML4 -> PDPT (PS: 1 GiB) -> PD
 * (PS: 2 MiB) -> PT, 9 index bits each, addresses in bits 51:12. */
enum walk_result walk_x64(struct image *image, uint64_t cr3, uint64_t va, struct walk *walk)
{
	const uint64_t address = 0x000ffffffffff000ULL;
	uint64_t table = cr3 & address, entry;
	static const unsigned shifts[] = { 39, 30, 21, 12 };
	for (unsigned level = 0; level < 4; level++) {
		if (!read_entry(image, table + (va >> shifts[level] & 0x1ff) * 8, 8, &entry))
			return WALK_UNREADABLE;
		if (!(entry & 1))
			return WALK_NOT_PRESENT;
		bool large = (level == 1 || level == 2) && (entry & 0x80);
		if (large || level == 3) {
			walk->page_size = 1ULL << shifts[level];
			walk->pa = (entry & address & ~(walk->page_size - 1)) | (va & (walk->page_size - 1));
			return WALK_OK;
		}
		table = entry & address;
	}
	return WALK_NOT_PRESENT;
}

/* deps.md §3 / SDM §4.4: CR3 & ~0x1f is the PDPT (4 entries, bits 31:30),
 * then PD (PS: 2 MiB) and PT with 9 index bits, 8-byte entries. */
enum walk_result walk_pae(struct image *image, uint64_t cr3, uint64_t va, struct walk *walk)
{
	const uint64_t address = 0x000ffffffffff000ULL;
	uint64_t pdpte, pde, pte;
	if (!read_entry(image, (cr3 & ~0x1fULL) + (va >> 30 & 3) * 8, 8, &pdpte))
		return WALK_UNREADABLE;
	if (!(pdpte & 1))
		return WALK_NOT_PRESENT;
	if (!read_entry(image, (pdpte & address) + (va >> 21 & 0x1ff) * 8, 8, &pde))
		return WALK_UNREADABLE;
	if (!(pde & 1))
		return WALK_NOT_PRESENT;
	if (pde & 0x80) {
		walk->page_size = 2 * MIB;
		walk->pa = (pde & address & ~(2 * MIB - 1)) | (va & (2 * MIB - 1));
		return WALK_OK;
	}
	if (!read_entry(image, (pde & address) + (va >> 12 & 0x1ff) * 8, 8, &pte))
		return WALK_UNREADABLE;
	if (!(pte & 1))
		return WALK_NOT_PRESENT;
	walk->page_size = PAGE;
	walk->pa = (pte & address) | (va & (PAGE - 1));
	return WALK_OK;
}

/* deps.md §3 / SDM §4.3: PD with 10 index bits (PS: 4 MiB), PT with 10,
 * 4-byte entries, 32-bit addresses. */
enum walk_result walk_x86(struct image *image, uint64_t cr3, uint64_t va, struct walk *walk)
{
	uint64_t pde, pte;
	if (!read_entry(image, (cr3 & 0xfffff000ULL) + (va >> 22 & 0x3ff) * 4, 4, &pde))
		return WALK_UNREADABLE;
	if (!(pde & 1))
		return WALK_NOT_PRESENT;
	if (pde & 0x80) {
		walk->page_size = 4 * MIB;
		walk->pa = (pde & 0xffc00000ULL) | (va & (4 * MIB - 1));
		return WALK_OK;
	}
	if (!read_entry(image, (pde & 0xfffff000ULL) + (va >> 12 & 0x3ff) * 4, 4, &pte))
		return WALK_UNREADABLE;
	if (!(pte & 1))
		return WALK_NOT_PRESENT;
	walk->page_size = PAGE;
	walk->pa = (pte & 0xfffff000ULL) | (va & (PAGE - 1));
	return WALK_OK;
}
