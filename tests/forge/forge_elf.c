/* A core file shaped like QEMU's dump-guest-memory output (dump-formats.md
 * §7, checked against ../shared/corpus/qemu/lm.elf.xz): ELF64 ET_CORE,
 * one PT_NOTE first, then one PT_LOAD per run of pages with p_paddr =
 * p_vaddr = the physical start, then the notes, then memory (not
 * page-aligned, as in QEMU's file).  Notes: an NT_PRSTATUS "CORE" note per
 * CPU, then a "QEMU" note per CPU carrying QEMUCPUState with CR3 (and the
 * gs and IDT bases forge_set_cpu gives).
 *
 * x86 scenarios get EM_386 in an ELF64 file, the class QEMU promotes
 * 32-bit guests to when their RAM ends above 4 GiB (§7). */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "forge_internal.h"

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define NOTE_HEADER_SIZE 12 /* namesz, descsz, type */

/* QEMU's struct sizes (target/i386/arch_dump.c, dump-formats.md §7):
 * x86_64_elf_prstatus 336 bytes with pid at 32; x86_elf_prstatus 144
 * bytes with pid at 24 (deps.md §2 measured both). */
#define PRSTATUS64_SIZE 336
#define PRSTATUS64_PID 32
#define PRSTATUS32_SIZE 144
#define PRSTATUS32_PID 24

/* QEMUCPUState version 1 with kernel_gs_base (dump-formats.md §7). */
#define QEMU_CPU_STATE_VERSION 1
#define QEMU_CPU_STATE_SIZE 0x1b8
#define QEMU_CPU_STATE_GS_BASE (0xf8 + 16)  /* segment gs: selector, limit, flags, pad, base */
#define QEMU_CPU_STATE_IDT_BASE (0x170 + 16)
#define QEMU_CPU_STATE_CR0 0x188
#define QEMU_CPU_STATE_CR3 0x1a0
#define QEMU_CPU_STATE_CR4 0x1a8
/* CR0 = PG|ET|PE, as in the corpus dump; CR4.PAE (bit 5) for x64 and
 * PAE, CR4.PSE (bit 4) for 4 MiB pages without PAE (Intel SDM vol. 3A
 * §2.5). */
#define GUEST_CR0 0x80000011ULL
#define GUEST_CR4_PAE 0x20ULL
#define GUEST_CR4_PSE 0x10ULL

static size_t note_size(const char *name, size_t desc_size)
{
	return NOTE_HEADER_SIZE + round_up(strlen(name) + 1, 4) + round_up(desc_size, 4);
}

static size_t put_note(uint8_t *at, const char *name, uint32_t type, const uint8_t *desc,
		       size_t desc_size)
{
	size_t name_size = strlen(name) + 1;
	put_le32(at, (uint32_t)name_size);
	put_le32(at + 4, (uint32_t)desc_size);
	put_le32(at + 8, type);
	memcpy(at + NOTE_HEADER_SIZE, name, name_size);
	memcpy(at + NOTE_HEADER_SIZE + round_up(name_size, 4), desc, desc_size);
	return note_size(name, desc_size);
}

static size_t prstatus_size(const struct forge *forge)
{
	return forge->arch == FORGE_X64 ? PRSTATUS64_SIZE : PRSTATUS32_SIZE;
}

static size_t put_notes(const struct forge *forge, uint32_t processors, uint8_t *at)
{
	uint8_t prstatus[PRSTATUS64_SIZE], state[QEMU_CPU_STATE_SIZE];
	size_t written = 0;
	for (uint32_t cpu = 0; cpu < processors; cpu++) {
		memset(prstatus, 0, sizeof prstatus);
		/* QEMU numbers the "process" of CPU n as n + 1. */
		put_le32(prstatus + (forge->arch == FORGE_X64 ? PRSTATUS64_PID : PRSTATUS32_PID), cpu + 1);
		written += put_note(at + written, "CORE", NT_PRSTATUS, prstatus, prstatus_size(forge));
	}
	for (uint32_t cpu = 0; cpu < processors; cpu++) {
		memset(state, 0, sizeof state);
		put_le32(state + 0, QEMU_CPU_STATE_VERSION);
		put_le32(state + 4, QEMU_CPU_STATE_SIZE);
		bool set = cpu < FORGE_CPUS && forge->cpu_set[cpu];
		put_le64(state + QEMU_CPU_STATE_CR0, GUEST_CR0);
		put_le64(state + QEMU_CPU_STATE_CR3, set ? forge->cpus[cpu].cr3 : forge->dtb);
		if (set) {
			put_le64(state + QEMU_CPU_STATE_GS_BASE, forge->cpus[cpu].gs_base);
			put_le64(state + QEMU_CPU_STATE_IDT_BASE, forge->cpus[cpu].idt_base);
		}
		put_le64(state + QEMU_CPU_STATE_CR4, forge->arch == FORGE_X86 ? GUEST_CR4_PSE : GUEST_CR4_PAE);
		/* QEMU gives the "QEMU" note type 0 (§7). */
		written += put_note(at + written, "QEMU", 0, state, sizeof state);
	}
	return written;
}

static void put_ehdr(const struct forge *forge, uint8_t *h, uint16_t program_headers)
{
	memcpy(h, ELFMAG, SELFMAG);
	h[EI_CLASS] = ELFCLASS64;
	h[EI_DATA] = ELFDATA2LSB;
	h[EI_VERSION] = EV_CURRENT;
	h[EI_OSABI] = ELFOSABI_NONE;
	put_le16(h + 0x10, ET_CORE);
	put_le16(h + 0x12, forge->arch == FORGE_X64 ? EM_X86_64 : EM_386);
	put_le32(h + 0x14, EV_CURRENT);
	put_le64(h + 0x20, EHDR_SIZE);   /* e_phoff: right after this header */
	put_le16(h + 0x34, EHDR_SIZE);   /* e_ehsize */
	put_le16(h + 0x36, PHDR_SIZE);   /* e_phentsize */
	put_le16(h + 0x38, program_headers);
}

static void put_phdr(uint8_t *p, uint32_t type, uint64_t offset, uint64_t address, uint64_t size)
{
	put_le32(p + 0x00, type);
	put_le64(p + 0x08, offset);
	put_le64(p + 0x10, address); /* p_vaddr */
	put_le64(p + 0x18, address); /* p_paddr */
	put_le64(p + 0x20, size);    /* p_filesz */
	put_le64(p + 0x28, size);    /* p_memsz */
}

struct error *forge_write_elf(const struct forge *forge, const char *path)
{
	struct pfn_ranges dumped;
	forge_dumped_pages(forge, &dumped);
	/* More would need the PN_XNUM section header (dump-formats.md §7). */
	if (dumped.count + 1 >= PN_XNUM) {
		pfn_ranges_release(&dumped);
		return error_in_file(ERROR_USAGE, path, "forge: %zu runs need PN_XNUM, not written",
				     dumped.count);
	}
	uint32_t processors = forge_effective_header(forge).processors;
	size_t notes = processors * (note_size("CORE", prstatus_size(forge)) +
				     note_size("QEMU", QEMU_CPU_STATE_SIZE));
	uint16_t program_headers = (uint16_t)(dumped.count + 1);
	size_t notes_at = EHDR_SIZE + (size_t)program_headers * PHDR_SIZE;
	size_t head_size = notes_at + notes;
	uint8_t *head = checked_calloc(1, head_size);
	put_ehdr(forge, head, program_headers);
	put_phdr(head + EHDR_SIZE, PT_NOTE, notes_at, 0, notes);
	uint64_t offset = head_size;
	for (size_t i = 0; i < dumped.count; i++) {
		uint64_t size = (dumped.items[i].end - dumped.items[i].first) * FORGE_PAGE_SIZE;
		put_phdr(head + EHDR_SIZE + PHDR_SIZE * (i + 1), PT_LOAD, offset,
			 dumped.items[i].first << FORGE_PAGE_SHIFT, size);
		offset += size;
	}
	put_notes(forge, processors, head + notes_at);

	struct forge_file file;
	struct error *error = forge_file_create(&file, path);
	if (!error)
		error = forge_file_write(&file, head, head_size, 0);
	offset = head_size;
	for (size_t i = 0; i < dumped.count && !error; i++) {
		uint64_t count = dumped.items[i].end - dumped.items[i].first;
		error = forge_file_write_pages(&file, forge, dumped.items[i].first, count, offset);
		offset += count * FORGE_PAGE_SIZE;
	}
	if (!error)
		error = forge_file_set_size(&file, offset);
	error = forge_file_close(&file, error);
	free(head);
	pfn_ranges_release(&dumped);
	return error;
}
