/* Kernel virtual memory for the forged objects: a heap mapped with 4 KiB
 * pages, a bump allocator that can put a _POOL_HEADER before each block,
 * typed little-endian stores through the scenario's own page tables,
 * LIST_ENTRY and UNICODE_STRING helpers, and kernel globals placed at
 * their symbol RVAs.  Layouts: forge_layouts.h; pool facts: Volatility 3
 * (volatility3/framework/symbols/windows/extensions/pool.py and
 * plugins/windows/poolscanner.py, cited where used). */
#include <string.h>

#include "forge_objects_internal.h"

#define X64_HEAP_VA 0xffffb00000000000ULL
#define X86_HEAP_VA 0x90000000ULL
#define DEFAULT_HEAP_SIZE (4ULL << 20)

uint32_t forge_tag(const char tag[4])
{
	return (uint32_t)(uint8_t)tag[0] | (uint32_t)(uint8_t)tag[1] << 8 |
	       (uint32_t)(uint8_t)tag[2] << 16 | (uint32_t)(uint8_t)tag[3] << 24;
}

/* Object tags.  Volatility 3's pool scanner (poolscanner.py,
 * builtin_constraints) looks for "Proc" and "Muta" from Windows 8 on and
 * for "Pro\xe3", "Mut\xe1" before: the protected-pool bit 0x80 set on the
 * last byte.  The forge tags every object type the same way, with the
 * first four characters of the type's name: the rule ReactOS's
 * ObCreateObjectType gives every type's Key and ObpAllocateObject tags
 * objects with, which Microsoft's pooltag.txt bears out for Proc, Thre,
 * Even, Muta, Port (docs/lpc.md "LPC pool tags"). */
uint32_t forge_object_pool_tag(const struct forge_windows *windows, enum forge_object_type type)
{
	uint32_t tag = forge_tag(forge_object_type_name(type));
	return windows->layout.build < 9200 ? tag | 0x80000000u : tag;
}

/* Tags of other allocations: LpcM is the LPC message tag Microsoft's
 * NTDebugging LPC series names (struct-offsets.md, "Pool tags"); the
 * others are the forge's own picks and prove nothing about Windows. */
uint32_t forge_pool_tag(enum forge_pool_use use)
{
	switch (use) {
	case FORGE_POOL_NAME:
		return forge_tag("FgNm");
	case FORGE_POOL_HANDLE_TABLE:
		return forge_tag("FgHt");
	case FORGE_POOL_COMMUNICATION_INFO:
		return forge_tag("FgCi");
	case FORGE_POOL_ALPC_MESSAGE:
		return forge_tag("FgMs");
	case FORGE_POOL_LPC_MESSAGE:
		return forge_tag("LpcM");
	case FORGE_POOL_KQUEUE:
		return forge_tag("FgKq");
	case FORGE_POOL_LPC_QUEUE:
	default:
		return forge_tag("FgLq");
	}
}

bool forge_kmem_init(struct forge_windows *windows)
{
	struct forge *forge = windows->forge;
	struct forge_windows_options *o = &windows->options;
	bool x64 = forge->arch == FORGE_X64;
	if (windows->layout.pointer_size != (x64 ? 8u : 4u)) {
		forge_note_misuse(forge, "forge_windows_new: layout %s has %u-byte pointers, the scenario's arch does not",
				  windows->layout.column, windows->layout.pointer_size);
		return false;
	}
	if (!o->heap_va)
		o->heap_va = x64 ? X64_HEAP_VA : X86_HEAP_VA;
	if (!o->heap_size)
		o->heap_size = DEFAULT_HEAP_SIZE;
	o->heap_size = round_up(o->heap_size, FORGE_PAGE_SIZE);
	if (!o->heap_pa || o->heap_pa % FORGE_PAGE_SIZE || o->heap_va % FORGE_PAGE_SIZE ||
	    !forge_map(forge, o->heap_va, o->heap_pa, o->heap_size, FORGE_PAGE_SIZE)) {
		forge_note_misuse(forge, "forge_windows_new: cannot map a %llu-byte heap at VA 0x%llx, PA 0x%llx",
				  (unsigned long long)o->heap_size, (unsigned long long)o->heap_va,
				  (unsigned long long)o->heap_pa);
		return false;
	}
	windows->heap_next = o->heap_va;
	windows->heap_end = o->heap_va + o->heap_size;
	windows->spare_pa = o->heap_pa + o->heap_size;
	/* Pool blocks are 16 bytes on x64 and 8 on x86 (Volatility 3
	 * poolscanner.py generate_pool_scan: BlockSize * alignment). */
	windows->alignment = x64 ? 16 : 8;
	return true;
}

uint64_t forge_kernel_physical(const struct forge_windows *windows, uint64_t va)
{
	uint64_t pa;
	return forge_translate(windows->forge, va, &pa) ? pa : 0;
}

void forge_kernel_write(struct forge_windows *windows, uint64_t va, const void *bytes, size_t length)
{
	const uint8_t *from = bytes;
	while (length) {
		size_t part = FORGE_PAGE_SIZE - (va & (FORGE_PAGE_SIZE - 1));
		if (part > length)
			part = length;
		uint64_t pa;
		if (!forge_translate(windows->forge, va, &pa)) {
			forge_note_misuse(windows->forge, "forge: kernel VA 0x%llx is not mapped", (unsigned long long)va);
			return;
		}
		forge_write(windows->forge, pa, from, part);
		from += part;
		va += part;
		length -= part;
	}
}

void forge_kmem_read(struct forge_windows *windows, uint64_t va, void *bytes, size_t length)
{
	uint8_t *to = bytes;
	while (length) {
		size_t offset = va & (FORGE_PAGE_SIZE - 1);
		size_t part = FORGE_PAGE_SIZE - offset < length ? FORGE_PAGE_SIZE - offset : length;
		uint64_t pa;
		if (!forge_translate(windows->forge, va, &pa) ||
		    !pfn_ranges_contain(&windows->forge->present, pa >> FORGE_PAGE_SHIFT)) {
			forge_note_misuse(windows->forge, "forge: kernel VA 0x%llx cannot be read",
					  (unsigned long long)va);
			memset(to, 0, length);
			return;
		}
		memcpy(to, forge_page_for_writing(windows->forge, pa >> FORGE_PAGE_SHIFT) + offset, part);
		to += part;
		va += part;
		length -= part;
	}
}

void forge_put_u8(struct forge_windows *windows, uint64_t va, uint8_t value)
{
	forge_kernel_write(windows, va, &value, 1);
}

void forge_put_u16(struct forge_windows *windows, uint64_t va, uint16_t value)
{
	uint8_t bytes[2];
	put_le16(bytes, value);
	forge_kernel_write(windows, va, bytes, 2);
}

void forge_kernel_write_u32(struct forge_windows *windows, uint64_t va, uint32_t value)
{
	uint8_t bytes[4];
	put_le32(bytes, value);
	forge_kernel_write(windows, va, bytes, 4);
}

void forge_put_u64(struct forge_windows *windows, uint64_t va, uint64_t value)
{
	uint8_t bytes[8];
	put_le64(bytes, value);
	forge_kernel_write(windows, va, bytes, 8);
}

void forge_kernel_write_pointer(struct forge_windows *windows, uint64_t va, uint64_t value)
{
	if (windows->layout.pointer_size == 8)
		forge_put_u64(windows, va, value);
	else
		forge_kernel_write_u32(windows, va, (uint32_t)value);
}

uint64_t forge_kernel_read_pointer(struct forge_windows *windows, uint64_t va)
{
	uint8_t bytes[8] = { 0 };
	forge_kmem_read(windows, va, bytes, windows->layout.pointer_size);
	return windows->layout.pointer_size == 8 ? get_le64(bytes) : get_le32(bytes);
}

bool forge_field(struct forge_windows *windows, uint64_t base, uint32_t offset, const char *what,
		 uint64_t *va)
{
	if (offset == FORGE_NONE) {
		forge_note_misuse(windows->forge, "forge: layout %s has no %s", windows->layout.column, what);
		return false;
	}
	*va = base + offset;
	return true;
}

void forge_put_field_pointer(struct forge_windows *windows, uint64_t base, uint32_t offset,
			     uint64_t value, const char *what)
{
	uint64_t va;
	if (forge_field(windows, base, offset, what, &va))
		forge_kernel_write_pointer(windows, va, value);
}

void forge_put_field_u32(struct forge_windows *windows, uint64_t base, uint32_t offset, uint32_t value,
			 const char *what)
{
	uint64_t va;
	if (forge_field(windows, base, offset, what, &va))
		forge_kernel_write_u32(windows, va, value);
}

/* Little-endian bitfields: bit b of the field is bit (bit + b) counted
 * from the lowest bit of the byte at offset, whatever the storage unit. */
void forge_put_bits(struct forge_windows *windows, uint64_t base, struct forge_bits bits, uint64_t value,
		    const char *what)
{
	uint64_t va;
	if (!forge_field(windows, base, bits.offset, what, &va))
		return;
	if (bits.width < 64 && value >> bits.width) {
		forge_note_misuse(windows->forge, "forge: 0x%llx does not fit %s's %u bits",
				  (unsigned long long)value, what, bits.width);
		return;
	}
	size_t bytes = ((size_t)bits.bit + bits.width + 7) / 8;
	uint8_t storage[9] = { 0 };
	forge_kmem_read(windows, va, storage, bytes);
	for (unsigned i = 0; i < bits.width; i++) {
		unsigned at = bits.bit + i;
		storage[at / 8] = (uint8_t)((storage[at / 8] & ~(1u << (at % 8))) |
					    ((value >> i & 1) << (at % 8)));
	}
	forge_kernel_write(windows, va, storage, bytes);
}

void forge_list_init(struct forge_windows *windows, uint64_t head)
{
	forge_kernel_write_pointer(windows, head, head);
	forge_kernel_write_pointer(windows, head + windows->layout.pointer_size, head);
}

void forge_list_insert_tail(struct forge_windows *windows, uint64_t head, uint64_t entry)
{
	uint32_t blink = windows->layout.pointer_size;
	uint64_t last = forge_kernel_read_pointer(windows, head + blink);
	forge_kernel_write_pointer(windows, entry, head);
	forge_kernel_write_pointer(windows, entry + blink, last);
	forge_kernel_write_pointer(windows, last, entry);
	forge_kernel_write_pointer(windows, head + blink, entry);
}

/* A small block may not cross a page: pool pages hold whole blocks, and a
 * pool scanner reads the block after its header in one page. */
static uint64_t place_block(struct forge_windows *windows, uint64_t block)
{
	uint64_t at = windows->heap_next;
	uint64_t in_page = at & (FORGE_PAGE_SIZE - 1);
	if (block <= FORGE_PAGE_SIZE && in_page + block > FORGE_PAGE_SIZE)
		at += FORGE_PAGE_SIZE - in_page;
	return at;
}

static void zero(struct forge_windows *windows, uint64_t va, uint64_t size)
{
	static const uint8_t zeros[256];
	while (size) {
		size_t part = size < sizeof zeros ? (size_t)size : sizeof zeros;
		forge_kernel_write(windows, va, zeros, part);
		va += part;
		size -= part;
	}
}

/* The _POOL_HEADER's PoolType as Volatility 3 reads it (pool.py):
 * before Vista an odd value is non-paged (POOL_HEADER.is_nonpaged_pool),
 * from Vista on an even, non-zero one (POOL_HEADER_VISTA). */
static uint64_t nonpaged_pool_type(const struct forge_windows *windows)
{
	return windows->layout.build >= 6000 ? 2 : 1;
}

uint64_t forge_kernel_alloc(struct forge_windows *windows, uint64_t size, uint32_t pool_tag)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t header = windows->options.pool_headers && pool_tag ? l->pool_header.size : 0;
	uint64_t block = round_up(header + (size ? size : 1), windows->alignment);
	/* A block BlockSize cannot count is a big-pool allocation: no
	 * _POOL_HEADER, its tag in the big-page table the forge does not make
	 * (Volatility 3 plugins/windows/bigpools.py, _POOL_TRACKER_BIG_PAGES). */
	if (header && block / windows->alignment >> l->pool_header.block_size.width) {
		header = 0;
		block = round_up(size ? size : 1, windows->alignment);
	}
	uint64_t at = place_block(windows, block);
	if (at + block > windows->heap_end || at + block < at) {
		forge_note_misuse(windows->forge, "forge: the %llu-byte kernel heap is full",
				  (unsigned long long)windows->options.heap_size);
		return 0;
	}
	windows->heap_next = at + block;
	zero(windows, at, block);
	if (header) {
		forge_put_bits(windows, at, l->pool_header.block_size, block / windows->alignment,
			       "_POOL_HEADER.BlockSize");
		forge_put_bits(windows, at, l->pool_header.pool_type, nonpaged_pool_type(windows),
			       "_POOL_HEADER.PoolType");
		forge_put_field_u32(windows, at, l->pool_header.pool_tag, pool_tag, "_POOL_HEADER.PoolTag");
	}
	return at + header;
}

/* Maps every unmapped page of [first, end) to the next spare physical
 * page, as forge_global does for globals placed by RVA. */
static bool map_pages(struct forge_windows *windows, uint64_t first, uint64_t end)
{
	for (uint64_t page = first & ~(uint64_t)(FORGE_PAGE_SIZE - 1); page < end; page += FORGE_PAGE_SIZE) {
		uint64_t pa;
		if (forge_translate(windows->forge, page, &pa))
			continue;
		if (!forge_map(windows->forge, page, windows->spare_pa, FORGE_PAGE_SIZE, FORGE_PAGE_SIZE))
			return false;
		windows->spare_pa += FORGE_PAGE_SIZE;
	}
	return true;
}

static bool overlaps_a_placed_block(const struct forge_windows *windows, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < windows->placed_starts.count; i++)
		if (start < windows->placed_ends.items[i] && windows->placed_starts.items[i] < end)
			return true;
	return false;
}

uint64_t forge_kernel_alloc_at(struct forge_windows *windows, uint64_t va, uint64_t size, uint32_t pool_tag)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t header = windows->options.pool_headers && pool_tag ? l->pool_header.size : 0;
	uint64_t block = round_up(header + (size ? size : 1), windows->alignment);
	if (header && block / windows->alignment >> l->pool_header.block_size.width)
		header = 0, block = round_up(size ? size : 1, windows->alignment);
	uint64_t start = va - header;
	if (va % windows->alignment || start > va || start + block < start ||
	    overlaps_a_placed_block(windows, start, start + block) || !map_pages(windows, start, start + block)) {
		forge_note_misuse(windows->forge, "forge_kernel_alloc_at: cannot place %llu bytes at 0x%llx",
				  (unsigned long long)size, (unsigned long long)va);
		return 0;
	}
	u64_vec_push(&windows->placed_starts, start);
	u64_vec_push(&windows->placed_ends, start + block);
	zero(windows, start, block);
	if (header) {
		forge_put_bits(windows, start, l->pool_header.block_size, block / windows->alignment,
			       "_POOL_HEADER.BlockSize");
		forge_put_bits(windows, start, l->pool_header.pool_type, nonpaged_pool_type(windows),
			       "_POOL_HEADER.PoolType");
		forge_put_field_u32(windows, start, l->pool_header.pool_tag, pool_tag, "_POOL_HEADER.PoolTag");
	}
	return va;
}

void forge_place_next_object(struct forge_windows *windows, enum forge_object_type type, uint64_t body)
{
	if (type < FORGE_TYPE_COUNT)
		u64_vec_push(&windows->object_places[type], body);
}

void forge_place_next_block(struct forge_windows *windows, enum forge_block_kind kind, uint64_t va)
{
	if (kind < FORGE_BLOCK_KIND_COUNT)
		u64_vec_push(&windows->block_places[kind], va);
}

uint64_t forge_take_object_place(struct forge_windows *windows, enum forge_object_type type)
{
	if (type >= FORGE_TYPE_COUNT || windows->object_places_used[type] == windows->object_places[type].count)
		return 0;
	return windows->object_places[type].items[windows->object_places_used[type]++];
}

uint64_t forge_take_block_place(struct forge_windows *windows, enum forge_block_kind kind)
{
	if (kind >= FORGE_BLOCK_KIND_COUNT || windows->block_places_used[kind] == windows->block_places[kind].count)
		return 0;
	return windows->block_places[kind].items[windows->block_places_used[kind]++];
}

uint64_t forge_kernel_alloc_block(struct forge_windows *windows, enum forge_block_kind kind, uint64_t size,
				  uint32_t pool_tag)
{
	uint64_t place = forge_take_block_place(windows, kind);
	return place ? forge_kernel_alloc_at(windows, place, size, pool_tag)
		     : forge_kernel_alloc(windows, size, pool_tag);
}

uint64_t forge_kernel_alloc_pages(struct forge_windows *windows, uint64_t pages)
{
	uint64_t at = round_up(windows->heap_next, FORGE_PAGE_SIZE);
	uint64_t size = pages * FORGE_PAGE_SIZE;
	if (!pages || at + size > windows->heap_end || at + size < at) {
		forge_note_misuse(windows->forge, "forge: no room for %llu kernel pages",
				  (unsigned long long)pages);
		return 0;
	}
	windows->heap_next = at + size;
	zero(windows, at, size);
	return at;
}

void forge_put_unicode_string(struct forge_windows *windows, uint64_t va, const char *text)
{
	const struct forge_layout *l = &windows->layout;
	size_t length = strlen(text);
	uint64_t buffer = forge_kernel_alloc(windows, 2 * length + 2, forge_pool_tag(FORGE_POOL_NAME));
	if (!buffer)
		return;
	for (size_t i = 0; i < length; i++)
		forge_put_u16(windows, buffer + 2 * i, (uint8_t)text[i]);
	forge_put_u16(windows, va + l->unicode_string.length, (uint16_t)(2 * length));
	forge_put_u16(windows, va + l->unicode_string.maximum_length, (uint16_t)(2 * length + 2));
	forge_kernel_write_pointer(windows, va + l->unicode_string.buffer, buffer);
}

uint64_t forge_global(struct forge_windows *windows, uint32_t rva, uint64_t size)
{
	uint64_t base = windows->options.kernel_base;
	if (!base || !rva)
		return forge_kernel_alloc(windows, size, 0);
	uint64_t va = base + rva;
	for (uint64_t page = va & ~(uint64_t)(FORGE_PAGE_SIZE - 1); page < va + size; page += FORGE_PAGE_SIZE) {
		uint64_t pa;
		if (forge_translate(windows->forge, page, &pa))
			continue;
		if (!forge_map(windows->forge, page, windows->spare_pa, FORGE_PAGE_SIZE, FORGE_PAGE_SIZE)) {
			forge_note_misuse(windows->forge, "forge: cannot map the kernel global at 0x%llx",
					  (unsigned long long)va);
			return 0;
		}
		windows->spare_pa += FORGE_PAGE_SIZE;
	}
	zero(windows, va, size);
	return va;
}

void forge_damage_list_loop(struct forge_windows *windows, uint64_t head, unsigned n)
{
	uint64_t first = forge_kernel_read_pointer(windows, head), entry = first;
	for (unsigned i = 0; i < n && entry != head; i++)
		entry = forge_kernel_read_pointer(windows, entry);
	if (entry == head || first == head) {
		forge_note_misuse(windows->forge, "forge_damage_list_loop: the list at 0x%llx has no element %u",
				  (unsigned long long)head, n);
		return;
	}
	forge_kernel_write_pointer(windows, entry, first);
}

uint64_t forge_absent_kernel_page(struct forge_windows *windows)
{
	uint64_t page = forge_kernel_alloc_pages(windows, 1);
	if (page)
		forge_unmap(windows->forge, page);
	return page;
}
