/* The forge test's own reader of dumps: header fields at explicit offsets,
 * a PFN -> file offset map per layout, and page-table walks by hand, all
 * written from ../shared/docs/dump-formats.md and deps.md §3.  It shares
 * no code with alpcgraph's readers (src/source, src/memory), which are
 * checked against the forge, not the other way round. */
#ifndef ALPCGRAPH_FORGE_INDEPENDENT_READER_H
#define ALPCGRAPH_FORGE_INDEPENDENT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE 0x1000ULL
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

/* Where a stretch of physical pages lies in the file. */
struct extent {
	uint64_t pfn, count, offset;
};

struct image {
	int fd;
	uint64_t size;
	struct extent *extents;
	size_t count;
	bool ok; /* false once a read failed */
};

bool image_open(struct image *image, const char *path);
void image_close(struct image *image);
/* Little-endian fields at a file offset; a failed read clears ok. */
uint64_t file_u64(struct image *image, uint64_t offset);
uint32_t file_u32(struct image *image, uint64_t offset);
uint16_t file_u16(struct image *image, uint64_t offset);
bool file_read(struct image *image, void *bytes, size_t length, uint64_t offset);

/* The PFN map of each layout. */
void layout_windows_full64(struct image *image);    /* §4, x64 */
void layout_windows_full32(struct image *image);    /* §4, x86 */
void layout_windows_bitmap64(struct image *image);  /* §5.1 */
void layout_windows_rdmp(struct image *image);      /* §5.3 */
void layout_elf64(struct image *image);             /* §7 */
void layout_raw(struct image *image);

bool image_page_offset(const struct image *image, uint64_t pfn, uint64_t *offset);
/* Reads physical memory; false if any byte is not in the file. */
bool read_physical(struct image *image, uint64_t pa, void *bytes, size_t length);
/* Every 8-byte word of [pa, pa + length) holds forge_pattern(its address). */
bool holds_pattern(struct image *image, uint64_t pa, size_t length);

enum walk_result { WALK_OK, WALK_NOT_PRESENT, WALK_UNREADABLE };
struct walk {
	uint64_t pa, page_size;
};
enum walk_result walk_x64(struct image *image, uint64_t cr3, uint64_t va, struct walk *walk);
enum walk_result walk_pae(struct image *image, uint64_t cr3, uint64_t va, struct walk *walk);
enum walk_result walk_x86(struct image *image, uint64_t cr3, uint64_t va, struct walk *walk);

#endif
