/* A minimal x64 Windows kernel in the scenario (forge.h has the layout):
 * enough PE image for a CodeView record and a section table, the lists
 * and the KDBG block a reader finds from it, KUSER_SHARED_DATA and an IDT.
 * Formats: Microsoft's PE format specification (the offsets below, as
 * src/kernel/pe_image.c cites them), dump-formats.md §6 (KDBG) and
 * §7-8 (IDT gate, KUSER_SHARED_DATA), struct-offsets.md. */
#include <string.h>

#include "forge_internal.h"

#define KUSER_SHARED_DATA_VA 0xfffff78000000000ULL
#define TEXT_RVA 0x1000u
#define NEW_HEADER 0x100u              /* e_lfanew */
#define OPTIONAL_HEADER (NEW_HEADER + 4 + 20)
#define OPTIONAL_HEADER_SIZE 0xf0u     /* PE32+: 112 bytes + 16 directories */
#define SECTION_TABLE (OPTIONAL_HEADER + OPTIONAL_HEADER_SIZE)
#define RSDS_OFFSET 0x40u              /* in .text, after the debug directory */
#define MODULE_LIST 0x0u               /* offsets in .data */
#define PROCESS_LIST 0x10u
#define DEBUGGER_DATA_LIST 0x20u
#define FIRST_MODULE 0x100u
#define KDBG_LOWEST 0x200u
#define KDBG_BYTES 0x58u

static uint64_t rotate_right(uint64_t value, unsigned count)
{
	count &= 63; /* x64's ROL/ROR mask their count (kdbg.c's comment) */
	return count ? (value >> count) | (value << (64 - count)) : value;
}

/* Undoes q = rol64(E ^ N, N & 0xff); q = bswap64(q ^ A); P = q ^ W. */
uint64_t forge_kdbg_encode(uint64_t plain, uint64_t wait_never, uint64_t wait_always,
			   uint64_t encoded_flag_address)
{
	uint64_t q = __builtin_bswap64(plain ^ wait_always) ^ encoded_flag_address;
	return rotate_right(q, (unsigned)(wait_never & 0xff)) ^ wait_never;
}

static void put_section(uint8_t *at, const char *name, uint32_t rva, uint32_t size,
			uint32_t characteristics)
{
	memcpy(at, name, strlen(name));
	put_le32(at + 8, size);   /* VirtualSize */
	put_le32(at + 12, rva);   /* VirtualAddress */
	put_le32(at + 16, size);  /* SizeOfRawData */
	put_le32(at + 20, rva);   /* PointerToRawData */
	put_le32(at + 36, characteristics);
}

static void put_headers(struct forge *forge, const struct forge_kernel *k, uint32_t data_rva,
			uint32_t image_size)
{
	uint8_t page[FORGE_PAGE_SIZE] = { 0 };
	page[0] = 'M';
	page[1] = 'Z';
	put_le32(page + 0x3c, NEW_HEADER);
	memcpy(page + NEW_HEADER, "PE\0\0", 4);
	uint8_t *file = page + NEW_HEADER + 4;
	put_le16(file + 0, 0x8664);               /* Machine: AMD64 */
	put_le16(file + 2, 2);                    /* NumberOfSections */
	put_le16(file + 16, OPTIONAL_HEADER_SIZE);
	put_le16(file + 18, 0x22);                /* executable, large-address aware */
	uint8_t *optional = page + OPTIONAL_HEADER;
	put_le16(optional + 0, 0x20b);            /* PE32+ */
	put_le64(optional + 24, k->base_va);      /* ImageBase */
	put_le32(optional + 32, FORGE_PAGE_SIZE); /* SectionAlignment */
	put_le32(optional + 36, 0x200);           /* FileAlignment */
	put_le32(optional + 56, image_size);      /* SizeOfImage */
	put_le32(optional + 60, FORGE_PAGE_SIZE); /* SizeOfHeaders */
	put_le32(optional + 108, 16);             /* NumberOfRvaAndSizes */
	put_le32(optional + 112 + 8 * 6, TEXT_RVA); /* the debug directory */
	put_le32(optional + 112 + 8 * 6 + 4, 28);
	put_section(page + SECTION_TABLE, ".text", TEXT_RVA, k->text_pages * FORGE_PAGE_SIZE,
		    0x60000020);
	put_section(page + SECTION_TABLE + 40, ".data", data_rva, k->data_pages * FORGE_PAGE_SIZE,
		    0xc0000040);
	forge_write(forge, k->base_pa, page, sizeof page);
}

static void put_debug_record(struct forge *forge, const struct forge_kernel *k)
{
	uint8_t entry[28] = { 0 }, record[24 + sizeof k->pdb_name + 1] = { 0 };
	size_t name = 0;
	while (name < sizeof k->pdb_name && k->pdb_name[name])
		name++;
	put_le32(entry + 12, 2);                              /* CODEVIEW */
	put_le32(entry + 16, (uint32_t)(24 + name + 1));      /* SizeOfData */
	put_le32(entry + 20, TEXT_RVA + RSDS_OFFSET);         /* AddressOfRawData */
	put_le32(entry + 24, TEXT_RVA + RSDS_OFFSET);         /* PointerToRawData */
	memcpy(record, "RSDS", 4);
	memcpy(record + 4, k->pdb_guid, 16);
	put_le32(record + 20, k->pdb_age);
	memcpy(record + 24, k->pdb_name, name);
	forge_write(forge, k->base_pa + TEXT_RVA, entry, sizeof entry);
	forge_write(forge, k->base_pa + TEXT_RVA + RSDS_OFFSET, record, 24 + name + 1);
}

static void put_u64(struct forge *forge, uint64_t physical, uint64_t value)
{
	uint8_t bytes[8];
	put_le64(bytes, value);
	forge_write(forge, physical, bytes, 8);
}

static void put_lists(struct forge *forge, const struct forge_kernel *k,
		      const struct forge_kernel_layout *at)
{
	uint64_t first_module = at->data_va + FIRST_MODULE;
	put_u64(forge, at->data_pa + MODULE_LIST, first_module);     /* Flink */
	put_u64(forge, at->data_pa + MODULE_LIST + 8, first_module); /* Blink */
	put_u64(forge, at->data_pa + PROCESS_LIST, at->process_list_va);
	put_u64(forge, at->data_pa + PROCESS_LIST + 8, at->process_list_va);
	put_u64(forge, at->data_pa + FIRST_MODULE, at->module_list_va);
	put_u64(forge, at->data_pa + FIRST_MODULE + 8, at->module_list_va);
	put_u64(forge, at->data_pa + FIRST_MODULE + 0x30, k->base_va); /* DllBase */
}

static void put_kdbg(struct forge *forge, const struct forge_kernel *k,
		     const struct forge_kernel_layout *at)
{
	uint64_t words[KDBG_BYTES / 8] = { 0 };
	words[0] = words[1] = at->data_va + DEBUGGER_DATA_LIST; /* List */
	words[2] = (uint64_t)k->kdbg_size << 32 | 0x4742444bu;  /* OwnerTag "KDBG", Size */
	words[3] = k->base_va;                                  /* KernBase */
	words[9] = at->module_list_va;                          /* +0x48 */
	words[10] = at->process_list_va;                        /* +0x50 */
	uint8_t bytes[KDBG_BYTES];
	for (unsigned i = 0; i < KDBG_BYTES / 8; i++)
		put_le64(bytes + 8 * i, k->encoded ? forge_kdbg_encode(words[i], k->wait_never,
								       k->wait_always,
								       k->encoded_flag_address)
						   : words[i]);
	forge_write(forge, at->data_pa + k->kdbg_offset, bytes, sizeof bytes);
	/* The debuggers' list holds the one block. */
	put_u64(forge, at->data_pa + DEBUGGER_DATA_LIST, at->kdbg_va);
	put_u64(forge, at->data_pa + DEBUGGER_DATA_LIST + 8, at->kdbg_va);
}

static void put_kuser(struct forge *forge, const struct forge_kernel *k)
{
	if (!forge_map(forge, KUSER_SHARED_DATA_VA, k->kuser_pa, FORGE_PAGE_SIZE, FORGE_PAGE_SIZE)) {
		forge_note_misuse(forge, "forge_kernel: cannot map KUSER_SHARED_DATA");
		return;
	}
	uint8_t bytes[4];
	put_le32(bytes, k->nt_build_number);
	forge_write(forge, k->kuser_pa + 0x260, bytes, 4);
	put_le32(bytes, k->nt_major);
	forge_write(forge, k->kuser_pa + 0x26c, bytes, 4);
	put_le32(bytes, k->nt_minor);
	forge_write(forge, k->kuser_pa + 0x270, bytes, 4);
}

/* An x64 interrupt gate (Intel SDM vol. 3A §6.14.1): offset 0-15 at +0,
 * selector +2, type 0x8E (present, DPL 0, interrupt gate) at +5, offset
 * 16-31 at +6, 32-63 at +8. */
static void put_idt(struct forge *forge, const struct forge_kernel *k)
{
	if (!forge_map(forge, k->idt_va, k->idt_pa, FORGE_PAGE_SIZE, FORGE_PAGE_SIZE)) {
		forge_note_misuse(forge, "forge_kernel: cannot map the IDT at 0x%llx",
				  (unsigned long long)k->idt_va);
		return;
	}
	uint64_t handler = k->base_va + k->handler_rva;
	uint8_t gate[16] = { 0 };
	put_le16(gate + 0, (uint16_t)handler);
	put_le16(gate + 2, 0x10);
	gate[5] = 0x8e;
	put_le16(gate + 6, (uint16_t)(handler >> 16));
	put_le32(gate + 8, (uint32_t)(handler >> 32));
	forge_write(forge, k->idt_pa, gate, sizeof gate);
}

struct forge_kernel_layout forge_kernel(struct forge *forge, const struct forge_kernel *k)
{
	struct forge_kernel_layout at = { 0 };
	uint32_t data_rva = TEXT_RVA + k->text_pages * FORGE_PAGE_SIZE;
	uint32_t image_size = data_rva + k->data_pages * FORGE_PAGE_SIZE;
	if (forge->arch != FORGE_X64 || !k->text_pages || !k->data_pages ||
	    (k->kdbg && (k->kdbg_offset < KDBG_LOWEST || k->kdbg_offset % 8 ||
			 k->kdbg_offset + KDBG_BYTES > k->data_pages * FORGE_PAGE_SIZE))) {
		forge_note_misuse(forge, "forge_kernel: an x64 image with .text and .data pages and "
					 "a KDBG block inside .data, 8-aligned, from +0x%x", KDBG_LOWEST);
		return at;
	}
	if (!forge_map(forge, k->base_va, k->base_pa, image_size, FORGE_PAGE_SIZE)) {
		forge_note_misuse(forge, "forge_kernel: cannot map the image at 0x%llx",
				  (unsigned long long)k->base_va);
		return at;
	}
	at.data_va = k->base_va + data_rva;
	at.data_pa = k->base_pa + data_rva;
	at.module_list_va = at.data_va + MODULE_LIST;
	at.process_list_va = at.data_va + PROCESS_LIST;
	put_headers(forge, k, data_rva, image_size);
	put_debug_record(forge, k);
	put_lists(forge, k, &at);
	if (k->kdbg) {
		at.kdbg_va = at.data_va + k->kdbg_offset;
		put_kdbg(forge, k, &at);
	}
	if (k->kuser_pa)
		put_kuser(forge, k);
	if (k->idt_va)
		put_idt(forge, k);
	return at;
}
