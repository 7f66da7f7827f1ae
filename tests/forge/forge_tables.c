/* Page tables: x64 4-level, x86 PAE and x86 without PAE, built in the
 * scenario's own pages so every dump format carries them.  Formats:
 * deps.md §3 (the layouts libaddrxlat walks) and Intel SDM vol. 3A
 * §4.3 (32-bit), §4.4 (PAE), §4.5 (4-level). */
#include <string.h>

#include "forge_internal.h"

#define ENTRY_PRESENT 0x1ULL
#define ENTRY_WRITABLE 0x2ULL
#define ENTRY_LARGE 0x80ULL /* PS: this entry maps a page, not a table */

/* Windows places PAE PDPTs at 32-byte granularity inside a page, so a
 * reader must take CR3 & ~0x1f, not ~0xfff (deps.md §3: "root =
 * 32-byte-aligned PDPT").  The forge puts its PDPT at this offset of its
 * own page to catch a reader that masks the wrong bits. */
#define PAE_PDPT_OFFSET 0x20

static const struct paging_form x64_form = {
	.levels = 4, .entry_size = 8,
	.shift = { 39, 30, 21, 12 }, .index_bits = { 9, 9, 9, 9 },
	.address_mask = 0x000ffffffffff000ULL,
	.large_levels = (1u << 2) | (1u << 3), /* 1 GiB PDPTE, 2 MiB PDE */
};
static const struct paging_form pae_form = {
	.levels = 3, .entry_size = 8,
	.shift = { 30, 21, 12 }, .index_bits = { 2, 9, 9 },
	.address_mask = 0x000ffffffffff000ULL,
	.large_levels = 1u << 2, /* 2 MiB PDE */
};
static const struct paging_form non_pae_form = {
	.levels = 2, .entry_size = 4,
	.shift = { 22, 12 }, .index_bits = { 10, 10 },
	.address_mask = 0xfffff000ULL,
	.large_levels = 1u << 1, /* 4 MiB PDE with CR4.PSE */
};

const struct paging_form *forge_paging_form(enum forge_arch arch)
{
	switch (arch) {
	case FORGE_X86_PAE:
		return &pae_form;
	case FORGE_X86:
		return &non_pae_form;
	case FORGE_X64:
	default:
		return &x64_form;
	}
}

static bool maps_large_page(const struct paging_form *form, unsigned level, uint64_t entry)
{
	return (form->large_levels >> level & 1) && (entry & ENTRY_LARGE);
}

/* PAE PDPTEs have bits 2:1 reserved (SDM vol. 3A §4.4.1, Table 4-8), so a
 * PDPTE is present and nothing else. */
static uint64_t table_entry(const struct forge *forge, unsigned level, uint64_t table_address)
{
	if (forge->arch == FORGE_X86_PAE && level == 1)
		return table_address | ENTRY_PRESENT;
	return table_address | ENTRY_PRESENT | ENTRY_WRITABLE;
}

static uint64_t read_entry(const struct forge *forge, uint64_t address, unsigned size)
{
	const uint8_t *page = u64_map_get(&forge->written, address >> FORGE_PAGE_SHIFT);
	if (page) {
		const uint8_t *at = page + (address & (FORGE_PAGE_SIZE - 1));
		return size == 4 ? get_le32(at) : get_le64(at);
	}
	/* An entry in a page nobody wrote (a loop, a stale address) reads
	 * as the pattern, like any other byte of that page. */
	uint64_t word = forge_pattern(address & ~7ULL);
	if (size == 4)
		return (uint32_t)(word >> (8 * (address & 4)));
	return word;
}

static void write_entry(struct forge *forge, uint64_t address, unsigned size, uint64_t value)
{
	uint8_t *at = forge_page_for_writing(forge, address >> FORGE_PAGE_SHIFT) +
		      (address & (FORGE_PAGE_SIZE - 1));
	if (size == 4)
		put_le32(at, (uint32_t)value);
	else
		put_le64(at, value);
}

void forge_set_table_area(struct forge *forge, uint64_t table_base_pfn)
{
	forge->next_table_pfn = table_base_pfn;
}

/* A zeroed, present page from the table area.  Without PAE every table,
 * and with PAE the PDPT (CR3 is 32 bits), must lie below 4 GiB. */
static bool allocate_table(struct forge *forge, bool top, uint64_t *table_address)
{
	uint64_t limit = forge->max_pfn;
	if ((forge->arch == FORGE_X86 || (forge->arch == FORGE_X86_PAE && top)) &&
	    limit > (1ULL << (32 - FORGE_PAGE_SHIFT)))
		limit = 1ULL << (32 - FORGE_PAGE_SHIFT);
	/* Never PFN 0: a DTB of 0 reads as "no tables" here and in readers. */
	uint64_t start = forge->next_table_pfn ? forge->next_table_pfn : 1;
	uint64_t pfn = pfn_ranges_next_absent(&forge->present, start);
	if (pfn >= limit) {
		forge_note_misuse(forge, "page tables: no free PFN at or above 0x%llx below 0x%llx",
				  (unsigned long long)forge->next_table_pfn, (unsigned long long)limit);
		return false;
	}
	forge->next_table_pfn = pfn + 1;
	pfn_ranges_add(&forge->present, pfn, pfn + 1);
	memset(forge_page_for_writing(forge, pfn), 0, FORGE_PAGE_SIZE);
	*table_address = pfn << FORGE_PAGE_SHIFT;
	return true;
}

static bool ensure_top_table(struct forge *forge, bool create)
{
	if (forge->dtb)
		return true;
	uint64_t address;
	if (!create || !allocate_table(forge, true, &address))
		return false;
	forge->dtb = forge->arch == FORGE_X86_PAE ? address + PAE_PDPT_OFFSET : address;
	return true;
}

static uint64_t entry_address(const struct paging_form *form, uint64_t table, unsigned level, uint64_t va)
{
	uint64_t index = va >> form->shift[level - 1] & ((1ULL << form->index_bits[level - 1]) - 1);
	return table + index * form->entry_size;
}

/* The address of va's entry in its level-n table, descending through (and
 * with create, making) the tables above.  False when a table is missing
 * or a large page is in the way. */
static bool find_entry(struct forge *forge, uint64_t va, unsigned level, bool create, uint64_t *address)
{
	const struct paging_form *form = forge_paging_form(forge->arch);
	if (!ensure_top_table(forge, create))
		return false;
	uint64_t table = forge->dtb;
	for (unsigned at = 1; at < level; at++) {
		uint64_t slot = entry_address(form, table, at, va);
		uint64_t entry = read_entry(forge, slot, form->entry_size);
		if ((entry & ENTRY_PRESENT) && maps_large_page(form, at, entry))
			return false;
		if (entry & ENTRY_PRESENT) {
			table = entry & form->address_mask;
			continue;
		}
		if (!create || !allocate_table(forge, false, &table))
			return false;
		write_entry(forge, slot, form->entry_size, table_entry(forge, at, table));
	}
	*address = entry_address(form, table, level, va);
	return true;
}

static bool valid_virtual_range(const struct forge *forge, uint64_t va, uint64_t size)
{
	uint64_t last = va + size - 1;
	if (last < va)
		return false;
	if (forge->arch != FORGE_X64)
		return last <= 0xffffffffULL;
	/* Canonical: bits 63:47 all equal, and no crossing of the hole. */
	bool low = (va >> 47) == 0 && (last >> 47) == 0;
	bool high = (va >> 47) == 0x1ffff && (last >> 47) == 0x1ffff;
	return low || high;
}

bool forge_map(struct forge *forge, uint64_t va, uint64_t pa, uint64_t size, uint64_t page_size)
{
	const struct paging_form *form = forge_paging_form(forge->arch);
	unsigned leaf = 0;
	for (unsigned level = 1; level <= form->levels; level++)
		if (page_size == 1ULL << form->shift[level - 1] &&
		    (level == form->levels || (form->large_levels >> level & 1)))
			leaf = level;
	if (!leaf || size == 0 || size % page_size || va % page_size || pa % page_size)
		return false;
	if (!valid_virtual_range(forge, va, size))
		return false;
	if (pa + size < pa || (pa + size) >> FORGE_PAGE_SHIFT > forge->max_pfn)
		return false;
	for (uint64_t done = 0; done < size; done += page_size) {
		uint64_t slot;
		if (!find_entry(forge, va + done, leaf, true, &slot))
			return false;
		uint64_t old = read_entry(forge, slot, form->entry_size);
		if (leaf < form->levels && (old & ENTRY_PRESENT) && !maps_large_page(form, leaf, old))
			return false; /* a table already hangs here */
		uint64_t entry = (pa + done) | ENTRY_PRESENT | ENTRY_WRITABLE;
		if (leaf < form->levels)
			entry |= ENTRY_LARGE;
		write_entry(forge, slot, form->entry_size, entry);
	}
	pfn_ranges_add(&forge->present, pa >> FORGE_PAGE_SHIFT, (pa + size) >> FORGE_PAGE_SHIFT);
	return true;
}

uint64_t forge_dtb(const struct forge *forge)
{
	return forge->dtb;
}

bool forge_translate(const struct forge *forge, uint64_t va, uint64_t *pa)
{
	const struct paging_form *form = forge_paging_form(forge->arch);
	if (!forge->dtb)
		return false;
	uint64_t table = forge->dtb;
	for (unsigned level = 1; level <= form->levels; level++) {
		uint64_t entry = read_entry(forge, entry_address(form, table, level, va), form->entry_size);
		if (!(entry & ENTRY_PRESENT))
			return false;
		if (level == form->levels || maps_large_page(form, level, entry)) {
			uint64_t offset_mask = (1ULL << form->shift[level - 1]) - 1;
			*pa = (entry & form->address_mask & ~offset_mask) | (va & offset_mask);
			return true;
		}
		table = entry & form->address_mask;
	}
	return false;
}

void forge_unmap(struct forge *forge, uint64_t va)
{
	const struct paging_form *form = forge_paging_form(forge->arch);
	if (!forge->dtb)
		return;
	uint64_t table = forge->dtb;
	for (unsigned level = 1; level <= form->levels; level++) {
		uint64_t slot = entry_address(form, table, level, va);
		uint64_t entry = read_entry(forge, slot, form->entry_size);
		if (!(entry & ENTRY_PRESENT))
			return;
		if (level == form->levels || maps_large_page(form, level, entry)) {
			/* Only P is cleared: the stale address stays, as in
			 * boot64.S's PT[2], so a reader must test the bit. */
			write_entry(forge, slot, form->entry_size, entry & ~ENTRY_PRESENT);
			return;
		}
		table = entry & form->address_mask;
	}
}

void forge_loop(struct forge *forge, uint64_t va, unsigned level)
{
	const struct paging_form *form = forge_paging_form(forge->arch);
	uint64_t slot;
	if (level < 1 || level > form->levels || !find_entry(forge, va, level, true, &slot)) {
		forge_note_misuse(forge, "forge_loop: no level-%u entry for VA 0x%llx", level,
				  (unsigned long long)va);
		return;
	}
	uint64_t top_page = forge->dtb & ~(uint64_t)(FORGE_PAGE_SIZE - 1);
	write_entry(forge, slot, form->entry_size, table_entry(forge, level, top_page));
}

/* Windows' self-map on x86 (Volatility 3
 * volatility3/framework/automagic/windows.py at 34072a00, the test
 * values of DtbSelfRef32bit and DtbSelfRefPae: index 0x300 without PAE,
 * 0x3 with PAE; Windows Internals: the page tables appear at
 * 0xC0000000).  Without PAE, PDE 0x300 (the one for 0xC0000000) names
 * the page directory itself; with PAE the directory of
 * 0xC0000000-0xFFFFFFFF holds the four directories in its first four
 * entries, so the last names itself.  Directories nothing mapped yet are
 * made, as Windows always has all four. */
void forge_self_map(struct forge *forge)
{
	const struct paging_form *form = forge_paging_form(forge->arch);
	if (forge->arch == FORGE_X64 || !ensure_top_table(forge, true)) {
		forge_note_misuse(forge, "forge_self_map: x86 only, with a top table");
		return;
	}
	if (forge->arch == FORGE_X86) {
		write_entry(forge, forge->dtb + 0x300 * 4, 4, forge->dtb | ENTRY_PRESENT | ENTRY_WRITABLE);
		return;
	}
	uint64_t directories[4];
	for (unsigned i = 0; i < 4; i++) {
		uint64_t slot = forge->dtb + i * 8;
		uint64_t entry = read_entry(forge, slot, 8);
		if (!(entry & ENTRY_PRESENT)) {
			if (!allocate_table(forge, false, &entry))
				return;
			write_entry(forge, slot, 8, table_entry(forge, 1, entry));
		}
		directories[i] = entry & form->address_mask;
	}
	for (unsigned i = 0; i < 4; i++)
		write_entry(forge, directories[3] + i * 8, 8, directories[i] | ENTRY_PRESENT | ENTRY_WRITABLE);
}

void forge_drop_table(struct forge *forge, uint64_t va, unsigned level)
{
	const struct paging_form *form = forge_paging_form(forge->arch);
	uint64_t table = 0;
	bool found = false;
	if (level == 1 && forge->dtb) {
		table = forge->dtb;
		found = true;
	} else if (level > 1 && level <= form->levels) {
		uint64_t slot;
		if (find_entry(forge, va, level - 1, false, &slot)) {
			uint64_t entry = read_entry(forge, slot, form->entry_size);
			found = (entry & ENTRY_PRESENT) && !maps_large_page(form, level - 1, entry);
			table = entry & form->address_mask;
		}
	}
	if (!found) {
		forge_note_misuse(forge, "forge_drop_table: VA 0x%llx has no level-%u table",
				  (unsigned long long)va, level);
		return;
	}
	u64_vec_push_unique(&forge->dropped, table >> FORGE_PAGE_SHIFT);
}
