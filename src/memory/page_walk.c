/* Page-table walks through libaddrxlat's PGT method with our own page
 * reader (../shared/docs/deps.md §3 gives the measured call sequence).
 *
 * Pitfalls this file answers for:
 * - libaddrxlat keeps up to four page buffers from earlier get_page calls
 *   and reads them again later without asking (its read cache, src/addrxlat
 *   ctx.c get_cache_buf in 0.5.1), while dump_page() promises its pointer
 *   only until the next dump_page call.  So each get_page copies the
 *   64-byte aligned run of entries that holds the wanted one into a buffer
 *   of our own, released by put_page; page-table reads are 8-byte aligned
 *   (4-byte on non-PAE x86) and never cross it.
 * - put_page must be non-NULL: the library calls it unconditionally.
 * - addrxlat_walk does not say how large the page it ended in was, so the
 *   walk is driven with addrxlat_launch/addrxlat_step, and the level of
 *   the last entry read gives the size (a PS bit at the page directory
 *   ends the walk one level early).
 * - The walk takes one step per level and never more, so a page-table
 *   loop (an entry pointing back at a higher table) terminates; Windows'
 *   self-map is such a loop on purpose (dump-formats.md §8), so it is not
 *   an error in itself. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libkdumpfile/addrxlat.h>

#include "memory_internal.h"
#include "page_walk.h"

enum { CHUNK_BYTES = 64, CHUNK_COUNT = 8, MAX_LEVELS = 5 };

struct paging_form {
	const char *name;
	addrxlat_pte_format_t pte_format;
	unsigned short field_count;
	unsigned short field_bits[MAX_LEVELS];
	uint64_t root_mask;        /* bits of the DTB that address the top table */
	unsigned virtual_bits;     /* 48: canonical sign-extended; 32: zero above */
	unsigned page_shifts[3];   /* the page sizes, smallest first */
	const char *tables[MAX_LEVELS]; /* by walk level (remaining steps), 1 = page table */
};

/* deps.md §3: field sizes per PTE format; the PAE DTB is the 32-byte
 * aligned PDPT (CR3 & ~0x1f); x64 CR3 bits 0-11 are flags or the PCID and
 * physical addresses have at most 52 bits (elf2dmp masks the DTB the same
 * way, dump-formats.md §7). */
static const struct paging_form forms[] = {
	[PAGING_X64] = { "x64 4-level", ADDRXLAT_PTE_X86_64, 5, { 12, 9, 9, 9, 9 },
			 0x000ffffffffff000ULL, 48, { 12, 21, 30 },
			 { NULL, "page table", "page directory", "PDPT", "PML4" } },
	[PAGING_X86_PAE] = { "x86 PAE", ADDRXLAT_PTE_IA32_PAE, 4, { 12, 9, 9, 2 },
			     0xffffffe0ULL, 32, { 12, 21, 0 },
			     { NULL, "page table", "page directory", "PDPT" } },
	[PAGING_X86] = { "x86", ADDRXLAT_PTE_IA32, 3, { 12, 10, 10 },
			 0xfffff000ULL, 32, { 12, 22, 0 },
			 { NULL, "page table", "page directory" } },
};

const char *paging_mode_name(enum paging_mode mode)
{
	if ((size_t)mode < sizeof forms / sizeof *forms)
		return forms[mode].name;
	return "unknown paging mode";
}

struct table_chunk {
	_Alignas(8) unsigned char bytes[CHUNK_BYTES];
	bool in_use;
};

struct page_walker {
	struct physical_memory *memory;
	const struct paging_form *form;
	uint64_t root;
	addrxlat_ctx_t *context;
	addrxlat_meth_t method;
	struct table_chunk chunks[CHUNK_COUNT];
	/* Why the last get_page failed (the physical read's own error). */
	struct error *read_error;
};

static void release_table_chunk(const addrxlat_buffer_t *buffer)
{
	struct table_chunk *chunk = buffer->priv;
	if (chunk)
		chunk->in_use = false;
}

static addrxlat_status read_table_chunk(const addrxlat_cb_t *callback, addrxlat_buffer_t *buffer)
{
	struct page_walker *walker = callback->priv;
	if (buffer->addr.as != ADDRXLAT_MACHPHYSADDR)
		return addrxlat_ctx_err(walker->context, ADDRXLAT_ERR_NOTIMPL,
					"page tables are read by physical address only");
	struct table_chunk *chunk = NULL;
	for (unsigned i = 0; i < CHUNK_COUNT && !chunk; i++)
		if (!walker->chunks[i].in_use)
			chunk = &walker->chunks[i];
	if (!chunk)
		return addrxlat_ctx_err(walker->context, ADDRXLAT_ERR_NOMEM,
					"more than %d page-table buffers held at once", CHUNK_COUNT);
	uint64_t start = buffer->addr.addr & ~(uint64_t)(CHUNK_BYTES - 1);
	struct error *error = physical_read(walker->memory, start, chunk->bytes, CHUNK_BYTES);
	if (error) {
		error_free(walker->read_error);
		walker->read_error = error;
		return ADDRXLAT_ERR_NODATA;
	}
	chunk->in_use = true;
	buffer->addr.addr = start;
	buffer->ptr = chunk->bytes;
	buffer->size = CHUNK_BYTES;
	buffer->byte_order = ADDRXLAT_LITTLE_ENDIAN;
	buffer->put_page = release_table_chunk;
	buffer->priv = chunk;
	return ADDRXLAT_OK;
}

static unsigned long readable_address_spaces(const addrxlat_cb_t *callback)
{
	(void)callback;
	return ADDRXLAT_CAPS(ADDRXLAT_MACHPHYSADDR);
}

struct page_walker *page_walker_new(struct physical_memory *memory, enum paging_mode mode,
				    uint64_t directory_table_base)
{
	struct page_walker *walker = checked_calloc(1, sizeof *walker);
	walker->memory = memory;
	walker->form = &forms[(size_t)mode < sizeof forms / sizeof *forms ? mode : PAGING_X64];
	walker->root = directory_table_base & walker->form->root_mask;
	walker->context = addrxlat_ctx_new();
	addrxlat_cb_t *callback = walker->context ? addrxlat_ctx_add_cb(walker->context) : NULL;
	if (!callback) {
		/* libaddrxlat allocates only small structures here; treat a
		 * failure like checked_malloc does. */
		fputs("alpcgraph: out of memory (libaddrxlat context)\n", stderr);
		exit(2);
	}
	callback->priv = walker;
	callback->get_page = read_table_chunk;
	callback->read_caps = readable_address_spaces;

	addrxlat_meth_t *method = &walker->method;
	method->kind = ADDRXLAT_PGT;
	method->target_as = ADDRXLAT_MACHPHYSADDR;
	method->param.pgt.root.addr = walker->root;
	method->param.pgt.root.as = ADDRXLAT_MACHPHYSADDR;
	method->param.pgt.pte_mask = 0;
	method->param.pgt.pf.pte_format = walker->form->pte_format;
	method->param.pgt.pf.nfields = walker->form->field_count;
	for (unsigned i = 0; i < walker->form->field_count; i++)
		method->param.pgt.pf.fieldsz[i] = walker->form->field_bits[i];
	return walker;
}

void page_walker_free(struct page_walker *walker)
{
	if (!walker)
		return;
	/* The context puts back the buffers it still holds: free it while
	 * the chunks exist. */
	addrxlat_ctx_decref(walker->context);
	error_free(walker->read_error);
	free(walker);
}

const unsigned *page_walker_page_shifts(const struct page_walker *walker)
{
	return walker->form->page_shifts;
}

static bool address_fits(const struct paging_form *form, uint64_t va)
{
	if (form->virtual_bits == 32)
		return va <= 0xffffffffULL;
	/* Canonical: bits 63..47 are all copies of bit 47. */
	uint64_t high = va >> (form->virtual_bits - 1);
	return high == 0 || high == (UINT64_MAX >> (form->virtual_bits - 1));
}

static unsigned page_shift_at_level(const struct paging_form *form, unsigned level)
{
	unsigned shift = 0;
	for (unsigned i = 0; i < level && i < form->field_count; i++)
		shift += form->field_bits[i];
	return shift;
}

/* An error for a walk that stopped at walk level `level` while reading the
 * entry at entry_address. */
static struct error *walk_error(struct page_walker *walker, addrxlat_status status, uint64_t va,
				unsigned level, uint64_t entry_address)
{
	const char *path = physical_memory_path(walker->memory);
	const char *why = addrxlat_ctx_get_err(walker->context);
	if (!why || !*why)
		why = "no detail from libaddrxlat";
	switch (status) {
	case ADDRXLAT_ERR_NOTPRESENT:
		return error_in_file(ERROR_ABSENT, path, "virtual address 0x%" PRIx64 ": %s", va, why);
	case ADDRXLAT_ERR_NODATA:
		if (walker->read_error) {
			/* The table's own address: the DTB for the top one (a
			 * PAE PDPT need not start its page), else its page. */
			uint64_t table = level + 1 == walker->form->field_count
						 ? walker->root
						 : entry_address & ~(uint64_t)(DUMP_PAGE_SIZE - 1);
			const char *name = level < MAX_LEVELS && walker->form->tables[level]
						   ? walker->form->tables[level]
						   : "page table";
			struct error *error;
			if (walker->read_error->code == ERROR_ABSENT)
				error = error_in_file(ERROR_ABSENT, path,
						      "virtual address 0x%" PRIx64 ": the %s at physical address 0x%" PRIx64
						      " is not in the dump (%s, DTB 0x%" PRIx64 ")",
						      va, name, table, walker->form->name, walker->root);
			else
				error = error_in_file(walker->read_error->code, path,
						      "virtual address 0x%" PRIx64 ": the %s at physical address 0x%" PRIx64
						      " cannot be read: %s",
						      va, name, table, walker->read_error->message);
			error_free(walker->read_error);
			walker->read_error = NULL;
			return error;
		}
		return error_in_file(ERROR_ABSENT, path, "virtual address 0x%" PRIx64 ": %s", va, why);
	case ADDRXLAT_ERR_INVALID:
		return error_in_file(ERROR_FORMAT, path, "virtual address 0x%" PRIx64 ": %s", va, why);
	default:
		return error_in_file(ERROR_FORMAT, path,
				     "virtual address 0x%" PRIx64 ": page-table walk failed: %s", va, why);
	}
}

struct error *page_walk(struct page_walker *walker, uint64_t va, uint64_t *physical_page,
			unsigned *page_shift)
{
	const struct paging_form *form = walker->form;
	if (!address_fits(form, va))
		return error_in_file(ERROR_FORMAT, physical_memory_path(walker->memory),
				     "virtual address 0x%" PRIx64 ": not a %s address (%s)", va,
				     form->virtual_bits == 32 ? "32-bit" : "canonical 48-bit",
				     form->name);
	error_free(walker->read_error);
	walker->read_error = NULL;

	addrxlat_step_t step = { .ctx = walker->context, .sys = NULL, .meth = &walker->method };
	addrxlat_status status = addrxlat_launch(&step, va);
	unsigned level = 0;
	while (status == ADDRXLAT_OK && step.remain > 1) {
		/* addrxlat_step moves to the entry of the next level down and
		 * reads it; a large page jumps remain straight to 1. */
		level = step.remain - 1u;
		status = addrxlat_step(&step);
	}
	if (status != ADDRXLAT_OK)
		return walk_error(walker, status, va, level, step.base.addr);
	if (level == 0)
		return error_in_file(ERROR_FORMAT, physical_memory_path(walker->memory),
				     "virtual address 0x%" PRIx64 ": the walk read no table", va);
	status = addrxlat_step(&step); /* adds the offset inside the page */
	if (status != ADDRXLAT_OK || step.remain)
		return walk_error(walker, status, va, level, step.base.addr);
	unsigned shift = page_shift_at_level(form, level);
	*page_shift = shift;
	*physical_page = step.base.addr & ~(((uint64_t)1 << shift) - 1);
	return NULL;
}
