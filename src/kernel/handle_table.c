/* handle_table: every in-use entry of a process's handle table.
 *
 * _HANDLE_TABLE.TableCode: the low 2 bits are the number of levels above
 * the entries (0, 1, 2), the rest the top page's address; every page is
 * 0x1000 bytes, leaf pages of _HANDLE_TABLE_ENTRY (16 bytes on x64, 8 on
 * x86), pages above them of pointers; handle value = entry index × 4
 * (struct-offsets.md "Handle table notes"; Volatility 3
 * framework/plugins/windows/handles.py, _make_handle_array and
 * handles()).  The first entry of every leaf page is never handed out
 * (ReactOS ntoskrnl/ex/handle.c, ExpAllocateLowLevelTable, which marks it
 * with EX_ADDITIONAL_INFO_SIGNATURE), so it is skipped.
 *
 * An entry holds the object's _OBJECT_HEADER: XP ... Win7 the address
 * with flags in its low 3 bits, Win8.1+ ObjectPointerBits, sign-extended
 * after a shift left by 4 (the profile's handle_entry_scheme). */
#include <inttypes.h>
#include <string.h>

#include "walk_internal.h"

enum { PAGE = 0x1000, LEVEL_MASK = 3 };
/* At most 2^24 handles per table (ReactOS ex.h MAX_HANDLES). */
#define MAX_HANDLE_INDEX (1ULL << 24)

struct handle_walk {
	struct kernel *kernel;
	const struct kernel_process *process;
	uint64_t table;
	unsigned entry_size, per_leaf, per_mid;
	kernel_handle_visitor visit;
	void *context;
	bool stopped;
	/* A real table never hangs one page in two places; a hostile one
	 * could make a 2-level walk read the same page 2^16 times. */
	struct u64_map pages;
};

static const char seen_marker;

/* False (with a warning) when the page was met before in this table,
 * or another process's table linked it first. */
static bool first_visit(struct handle_walk *walk, uint64_t page)
{
	if (u64_map_get(&walk->pages, page)) {
		kernel_warn(walk->kernel, walk->table,
			    "handle table 0x%" PRIx64 " of process %" PRIu64 ": the page 0x%" PRIx64
			    " is linked more than once; read once",
			    walk->table, walk->process->pid, page);
		return false;
	}
	u64_map_put(&walk->pages, page, (void *)&seen_marker);
	struct u64_map *owners = &walk->kernel->handle_page_of;
	uint64_t owner = (uint64_t)(uintptr_t)u64_map_get(owners, page);
	if (owner && owner != walk->process->address) {
		kernel_warn(walk->kernel, walk->table,
			    "handle table 0x%" PRIx64 " of process %" PRIu64 ": the page 0x%" PRIx64
			    " belongs to the table of process 0x%" PRIx64 "; not read again",
			    walk->table, walk->process->pid, page, owner);
		return false;
	}
	if (!owner)
		u64_map_put(owners, page, (void *)(uintptr_t)walk->process->address);
	return true;
}

static uint64_t little_endian(const unsigned char *bytes, size_t length)
{
	uint64_t value = 0;
	for (size_t i = length; i-- > 0;)
		value = value << 8 | bytes[i];
	return value;
}

/* The object header an entry holds, or 0 for a free entry. */
static uint64_t entry_header(const struct handle_walk *walk, const struct kernel_block *entry, uint32_t *access)
{
	struct kernel *kernel = walk->kernel;
	const struct kernel_profile *p = kernel->profile;
	*access = 0;
	if (p->handle_entry_scheme == HANDLE_ENTRY_POINTER_BITS) {
		uint64_t bits, granted;
		if (!block_bits(entry, p->handle_table_entry_object_pointer_bits, &bits) || bits == 0)
			return 0;
		if (block_bits(entry, p->handle_table_entry_granted_access_bits, &granted))
			*access = (uint32_t)granted;
		uint64_t header = bits << 4;
		/* sign-extend from bit 47 (x64 canonical addresses) */
		if (header & (1ULL << 47))
			header |= 0xffff000000000000ULL;
		return header;
	}
	uint64_t object;
	if (!block_pointer(kernel, entry, p->handle_table_entry_object, &object) || object == 0)
		return 0;
	block_u32(entry, p->handle_table_entry_granted_access, access);
	return object & ~7ULL;
}

static void walk_leaf(struct handle_walk *walk, uint64_t leaf, uint64_t first_index)
{
	struct kernel *kernel = walk->kernel;
	struct kernel_block page;
	struct error *error = kernel_read_block(kernel, leaf, PAGE, &page);
	if (error) {
		kernel_warn(kernel, walk->table,
			    "handle table 0x%" PRIx64 " of process %" PRIu64 ": the page 0x%" PRIx64
			    " of handles 0x%" PRIx64 "-0x%" PRIx64 " cannot be read (%s)",
			    walk->table, walk->process->pid, leaf, first_index * 4,
			    (first_index + walk->per_leaf - 1) * 4, error_detail(error));
		error_free(error);
		return;
	}
	for (unsigned i = 1; i < walk->per_leaf && !walk->stopped; i++) {
		struct kernel_block entry;
		entry.va = leaf + (uint64_t)i * walk->entry_size;
		entry.length = walk->entry_size;
		memcpy(entry.bytes, page.bytes + (size_t)i * walk->entry_size, walk->entry_size);
		uint32_t access;
		uint64_t header = entry_header(walk, &entry, &access);
		if (!header)
			continue;
		uint64_t value = (first_index + i) * 4;
		if (!kernel_address_ok(kernel, header, kernel->pointer_size)) {
			kernel_warn(kernel, entry.va,
				    "handle 0x%" PRIx64 " of process %" PRIu64 " (entry 0x%" PRIx64
				    ") holds 0x%" PRIx64 ", which is no object header",
				    value, walk->process->pid, entry.va, header);
			continue;
		}
		struct kernel_handle handle = {
			.value = (uint32_t)value,
			.object = header + (uint64_t)kernel->profile->object_header_body,
			.granted_access = access,
		};
		if (!walk->visit(walk->context, &handle))
			walk->stopped = true;
	}
}

/* The pointers of a page above the leaves; each one present is walked
 * one level down. */
static void walk_pointers(struct handle_walk *walk, uint64_t page_va, unsigned levels, uint64_t first_index)
{
	struct kernel *kernel = walk->kernel;
	struct kernel_block page;
	struct error *error = kernel_read_block(kernel, page_va, PAGE, &page);
	if (error) {
		kernel_warn(kernel, walk->table,
			    "handle table 0x%" PRIx64 " of process %" PRIu64 ": the table page 0x%" PRIx64
			    " cannot be read (%s)",
			    walk->table, walk->process->pid, page_va, error_detail(error));
		error_free(error);
		return;
	}
	uint64_t span = walk->per_leaf;
	if (levels == 2)
		span *= walk->per_mid;
	for (unsigned i = 0; i < walk->per_mid && !walk->stopped; i++) {
		uint64_t first = first_index + (uint64_t)i * span;
		if (first >= MAX_HANDLE_INDEX)
			return;
		uint64_t below = little_endian(page.bytes + (size_t)i * kernel->pointer_size, kernel->pointer_size);
		if (!below)
			continue;
		if (!kernel_address_ok(kernel, below, PAGE)) {
			kernel_warn(kernel, walk->table,
				    "handle table 0x%" PRIx64 " of process %" PRIu64 ": slot %u of table page 0x%" PRIx64
				    " holds 0x%" PRIx64 ", which is no page of kernel memory",
				    walk->table, walk->process->pid, i, page_va, below);
			continue;
		}
		if (!first_visit(walk, below))
			continue;
		if (levels == 1)
			walk_leaf(walk, below, first);
		else
			walk_pointers(walk, below, levels - 1, first);
	}
}

struct error *kernel_walk_handles(struct kernel *kernel, const struct kernel_process *process,
				  kernel_handle_visitor visit, void *context)
{
	const struct kernel_profile *p = kernel->profile;
	if (!process->object_table)
		return NULL; /* an exited process has no table */
	struct error *error = kernel_need(kernel, p->handle_table_table_code, "_HANDLE_TABLE.TableCode");
	if (!error)
		error = kernel_need(kernel, p->handle_table_entry_size, "sizeof(_HANDLE_TABLE_ENTRY)");
	if (!error)
		error = kernel_need(kernel, p->object_header_body, "_OBJECT_HEADER.Body");
	if (error)
		return error;
	if (p->handle_table_entry_size <= 0 || p->handle_table_entry_size > PAGE / 2)
		return error_new(ERROR_UNSUPPORTED, "profile %s: a _HANDLE_TABLE_ENTRY of %d bytes", p->name,
				 p->handle_table_entry_size);
	uint64_t table = process->object_table;
	if (!kernel_address_ok(kernel, table, kernel->pointer_size)) {
		kernel_warn(kernel, process->address, "process %" PRIu64 ": ObjectTable 0x%" PRIx64 " is no kernel address",
			    process->pid, table);
		return NULL;
	}
	uint64_t code;
	error = kernel_read_pointer(kernel, table + (uint64_t)p->handle_table_table_code, &code);
	if (error) {
		kernel_warn(kernel, table, "handle table 0x%" PRIx64 " of process %" PRIu64 " cannot be read (%s)", table,
			    process->pid, error_detail(error));
		error_free(error);
		return NULL;
	}
	unsigned levels = (unsigned)(code & LEVEL_MASK);
	uint64_t top = code & ~(uint64_t)LEVEL_MASK;
	if (levels > 2) {
		kernel_warn(kernel, table,
			    "handle table 0x%" PRIx64 " of process %" PRIu64 ": TableCode 0x%" PRIx64
			    " says %u levels; at most 2 exist; not walked",
			    table, process->pid, code, levels);
		return NULL;
	}
	if (!kernel_address_ok(kernel, top, PAGE)) {
		kernel_warn(kernel, table,
			    "handle table 0x%" PRIx64 " of process %" PRIu64 ": TableCode 0x%" PRIx64
			    " names no page of kernel memory; not walked",
			    table, process->pid, code);
		return NULL;
	}
	struct handle_walk walk = {
		.kernel = kernel, .process = process, .table = table,
		.entry_size = (unsigned)p->handle_table_entry_size,
		.per_leaf = PAGE / (unsigned)p->handle_table_entry_size,
		.per_mid = PAGE / kernel->pointer_size,
		.visit = visit, .context = context,
	};
	bool own_top = first_visit(&walk, top);
	if (own_top && levels == 0)
		walk_leaf(&walk, top, 0);
	else if (own_top)
		walk_pointers(&walk, top, levels, 0);
	u64_map_release(&walk.pages);
	return NULL;
}
