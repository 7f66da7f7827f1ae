/* Handle tables (struct-offsets.md "Handle table notes"): TableCode holds
 * the top page's address with the number of indirection levels (0, 1, 2)
 * in its low 2 bits; leaf pages hold 4096 / sizeof(_HANDLE_TABLE_ENTRY)
 * entries (256 on x64, 512 on x86), pages above them pointers; handle
 * value = entry index x 4.  Entries: XP ... Win7 the _OBJECT_HEADER
 * address with flags in the low 3 bits, Win8.1+ the header's bits 4..47
 * in ObjectPointerBits (bit 20 up), so that the kernel's `sar 16`, low 4
 * bits cleared, gives it back. */
#include <stdlib.h>

#include "forge_objects_internal.h"

/* Bit 0 of an entry set means "not locked" (ReactOS
 * ntoskrnl/include/internal/ex.h EXHANDLE_TABLE_ENTRY_LOCK_BIT, tested
 * so in ntoskrnl/ex/handle.c); Win8.1+ names the bit Unlocked. */
#define ENTRY_UNLOCKED 1
/* At most 2^24 handles: the top of a 2-level table has 2^24 / (leaf x mid)
 * entries (ReactOS ex.h HIGH_LEVEL_ENTRIES). */
#define MAX_ENTRIES (1ULL << 24)

static const char used_marker;

static uint64_t per_leaf(const struct forge_windows *windows)
{
	return FORGE_PAGE_SIZE / windows->layout.handle_entry.size;
}

static uint64_t per_mid(const struct forge_windows *windows)
{
	return FORGE_PAGE_SIZE / windows->layout.pointer_size;
}

static uint64_t capacity(const struct forge_windows *windows, unsigned levels)
{
	uint64_t entries = per_leaf(windows);
	for (unsigned i = 0; i < levels; i++)
		entries *= per_mid(windows);
	return entries < MAX_ENTRIES ? entries : MAX_ENTRIES;
}

static void remember(struct forge_process_record *process, struct u64_map *map, uint64_t index, uint64_t va)
{
	struct forge_page_slot *slot = checked_calloc(1, sizeof *slot);
	slot->va = va;
	u64_map_put(map, index + 1, slot);
	ptr_vec_push(&process->slots, slot);
}

static uint64_t recall(const struct u64_map *map, uint64_t index)
{
	const struct forge_page_slot *slot = u64_map_get(map, index + 1);
	return slot ? slot->va : 0;
}

/* A page hung under a table page at a slot. */
static uint64_t new_page_under(struct forge_windows *windows, uint64_t table, uint64_t slot)
{
	uint64_t page = forge_kernel_alloc_pages(windows, 1);
	if (page && table)
		forge_kernel_write_pointer(windows, table + slot * windows->layout.pointer_size, page);
	return page;
}

/* NextHandleNeedingPool: the first handle value no page holds yet. */
static void note_leaf(struct forge_windows *windows, struct forge_process_record *process, uint64_t leaf_index)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t next = (leaf_index + 1) * per_leaf(windows) * 4;
	uint8_t bytes[4];
	forge_kmem_read(windows, process->handle_table + l->handle_table.next_handle_needing_pool, bytes, 4);
	if (next > get_le32(bytes))
		forge_kernel_write_u32(windows, process->handle_table + l->handle_table.next_handle_needing_pool,
				       (uint32_t)next);
}

/* The leaf page for an entry index, made (with the page above it) when
 * create is set. */
static uint64_t leaf_page(struct forge_windows *windows, struct forge_process_record *process, uint64_t index,
			  bool create)
{
	uint64_t leaf_index = index / per_leaf(windows);
	uint64_t leaf = recall(&process->pages, leaf_index);
	if (leaf || !create)
		return leaf;
	uint64_t parent = process->top_page, slot = leaf_index;
	if (process->levels == 2) {
		uint64_t mid_index = leaf_index / per_mid(windows);
		parent = recall(&process->mids, mid_index);
		if (!parent) {
			parent = new_page_under(windows, process->top_page, mid_index);
			remember(process, &process->mids, mid_index, parent);
		}
		slot = leaf_index % per_mid(windows);
	}
	leaf = new_page_under(windows, parent, slot);
	remember(process, &process->pages, leaf_index, leaf);
	note_leaf(windows, process, leaf_index);
	return leaf;
}

void forge_handle_table_new(struct forge_windows *windows, struct forge_process_record *process)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t table = forge_kernel_alloc(windows, l->handle_table.size, forge_pool_tag(FORGE_POOL_HANDLE_TABLE));
	uint64_t top = forge_kernel_alloc_pages(windows, 1);
	if (!table || !top)
		return;
	process->handle_table = table;
	process->top_page = top;
	if (process->levels == 0) {
		remember(process, &process->pages, 0, top);
		note_leaf(windows, process, 0);
	} else {
		leaf_page(windows, process, 0, true);
	}
	forge_kernel_write_pointer(windows, table + l->handle_table.table_code, top | process->levels);
	forge_kernel_write_pointer(windows, table + l->handle_table.quota_process, process->eprocess);
	/* A HANDLE until Win7, a ULONG from 8.1 (struct-offsets.md types). */
	if (l->handle_encoding == FORGE_HANDLE_POINTER_BITS)
		forge_kernel_write_u32(windows, table + l->handle_table.unique_process_id, (uint32_t)process->pid);
	else
		forge_kernel_write_pointer(windows, table + l->handle_table.unique_process_id, process->pid);
	forge_list_insert_tail(windows, windows->facts.handle_table_list, table + l->handle_table.handle_table_list);
	forge_kernel_write_pointer(windows, process->eprocess + l->process.object_table, table);
}

void forge_process_record_release(struct forge_process_record *process)
{
	for (size_t i = 0; i < process->slots.count; i++)
		free(process->slots.items[i]);
	ptr_vec_release(&process->slots);
	u64_map_release(&process->pages);
	u64_map_release(&process->mids);
	u64_map_release(&process->used);
	free(process);
}

static void write_entry(struct forge_windows *windows, uint64_t entry, uint64_t object, uint32_t access)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t header = forge_object_header(windows, object);
	if (l->handle_encoding == FORGE_HANDLE_HEADER_POINTER) {
		forge_kernel_write_pointer(windows, entry + l->handle_entry.object, header | ENTRY_UNLOCKED);
		forge_kernel_write_u32(windows, entry + l->handle_entry.granted_access, access);
		return;
	}
	if (header >> 47 != 0x1ffff || header & 0xf) {
		forge_note_misuse(windows->forge, "forge_handle: header 0x%llx is not a 16-aligned kernel address",
				  (unsigned long long)header);
		return;
	}
	uint64_t pointer_bits = (header >> 4) & ((1ULL << l->handle_entry.object_pointer_bits.width) - 1);
	forge_put_bits(windows, entry, l->handle_entry.object_pointer_bits, pointer_bits,
		       "_HANDLE_TABLE_ENTRY.ObjectPointerBits");
	forge_put_bits(windows, entry, l->handle_entry.unlocked, ENTRY_UNLOCKED, "_HANDLE_TABLE_ENTRY.Unlocked");
	forge_put_bits(windows, entry, l->handle_entry.granted_access_bits, access,
		       "_HANDLE_TABLE_ENTRY.GrantedAccessBits");
}

void forge_handle_at(struct forge_windows *windows, uint64_t process, uint32_t handle, uint64_t object,
		     uint32_t granted_access)
{
	const struct forge_layout *l = &windows->layout;
	struct forge_process_record *record = forge_find_process(windows, process, "forge_handle");
	if (!record || !record->top_page)
		return;
	uint64_t index = handle / 4;
	if (handle == 0 || handle % 4 || index >= capacity(windows, record->levels)) {
		forge_note_misuse(windows->forge, "forge_handle: handle 0x%x does not fit a %u-level table",
				  handle, record->levels);
		return;
	}
	if (u64_map_get(&record->used, handle)) {
		forge_note_misuse(windows->forge, "forge_handle: handle 0x%x is taken", handle);
		return;
	}
	uint64_t leaf = leaf_page(windows, record, index, true);
	if (!leaf)
		return;
	write_entry(windows, leaf + index % per_leaf(windows) * l->handle_entry.size, object, granted_access);
	u64_map_put(&record->used, handle, (void *)&used_marker);
	record->handle_count++;
	if (l->handle_table.handle_count != FORGE_NONE)
		forge_kernel_write_u32(windows, record->handle_table + l->handle_table.handle_count,
				       record->handle_count);
	forge_object_add_references(windows, object, 1, 1);
}

/* The first entry of every leaf page holds no handle here: handle 0 is
 * never one, and keeping the rule per page makes no leaf special. */
uint32_t forge_handle(struct forge_windows *windows, uint64_t process, uint64_t object, uint32_t granted_access)
{
	struct forge_process_record *record = forge_find_process(windows, process, "forge_handle");
	if (!record)
		return 0;
	uint64_t limit = capacity(windows, record->levels) * 4;
	uint64_t handle = record->next_handle;
	while (handle < limit && (handle / 4 % per_leaf(windows) == 0 || u64_map_get(&record->used, handle)))
		handle += 4;
	if (handle >= limit) {
		forge_note_misuse(windows->forge, "forge_handle: the %u-level table is full", record->levels);
		return 0;
	}
	record->next_handle = (uint32_t)handle + 4;
	forge_handle_at(windows, process, (uint32_t)handle, object, granted_access);
	return (uint32_t)handle;
}

uint64_t forge_handle_table(const struct forge_windows *windows, uint64_t process)
{
	struct forge_process_record *record = forge_find_process(windows, process, "forge_handle_table");
	return record ? record->handle_table : 0;
}

uint64_t forge_handle_entry(const struct forge_windows *windows, uint64_t process, uint32_t handle)
{
	struct forge_process_record *record = forge_find_process(windows, process, "forge_handle_entry");
	if (!record)
		return 0;
	uint64_t index = handle / 4;
	uint64_t leaf = recall(&record->pages, index / per_leaf(windows));
	return leaf ? leaf + index % per_leaf(windows) * windows->layout.handle_entry.size : 0;
}
