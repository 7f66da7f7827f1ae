/* The dump forge: writes synthetic memory dumps in every format alpcgraph
 * reads, from a scenario, for tests and benchmarks.  Dumps are made at test
 * time and never committed.
 *
 * A scenario is physical memory (which pages exist, and what they hold)
 * plus page tables that map chosen virtual addresses; the forge lays it out
 * as a Windows crash dump (x64 full, bitmap SDMP/FDMP, RDMP; x86 PAE and
 * non-PAE full), a QEMU-style ELF core with CPU notes, or a raw image.  It
 * also writes damaged variants for robustness tests and multi-GiB sparse
 * files for the benchmarks.  Layouts: ../shared/docs/dump-formats.md. */
#ifndef ALPCGRAPH_FORGE_H
#define ALPCGRAPH_FORGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../src/base/base.h"

enum forge_arch { FORGE_X64, FORGE_X86_PAE, FORGE_X86 };

enum forge_format {
	FORGE_WINDOWS_FULL,      /* DumpType 1: runs */
	FORGE_WINDOWS_BITMAP_KERNEL, /* DumpType 6, "SDMP" */
	FORGE_WINDOWS_BITMAP_FULL,   /* DumpType 5, "FDMP" */
	FORGE_WINDOWS_RDMP_KERNEL,   /* DumpType 8 */
	FORGE_WINDOWS_RDMP_COMPLETE, /* DumpType 0xA; RDMP cannot hold PFN 0, which is left out */
	FORGE_WINDOWS_TRIAGE,        /* DumpType 4: header only, to be refused */
	FORGE_ELF_QEMU,              /* ELF64 ET_CORE, PT_LOADs, NT_PRSTATUS + "QEMU" notes
				      * (EM_X86_64; EM_386 for the x86 arches) */
	FORGE_RAW,                   /* every page from 0 to max_pfn; holes are zeros */
};

struct forge;

/* A scenario for arch with physical pages [0, max_pfn).  No page exists
 * until forge_add_pages or the page-table calls create it. */
struct forge *forge_new(enum forge_arch arch, uint64_t max_pfn);
void forge_free(struct forge *forge);

/* Makes pages [first_pfn, first_pfn + count) present, filled with the
 * forge's deterministic pattern: every 8-byte word at physical address a
 * holds forge_pattern(a), so any read can be checked byte for byte. */
void forge_add_pages(struct forge *forge, uint64_t first_pfn, uint64_t count);
uint64_t forge_pattern(uint64_t physical_address);
/* Writes bytes at a physical address (the pages must be present). */
void forge_write(struct forge *forge, uint64_t physical_address, const void *bytes, size_t length);

/* Bitmap and RDMP layouts are x64 only (ERROR_UNSUPPORTED otherwise). */

/* Page tables: the top table is allocated on first use and is the DTB.
 * forge_map maps [va, va + size) to [pa, pa + size) with the page size
 * given (4 KiB, 2 MiB or 1 GiB on x64; 4 KiB, 2 MiB on PAE; 4 KiB, 4 MiB
 * without PAE); table pages come from free PFNs the forge picks above
 * table_base_pfn (default: max_pfn / 2; never PFN 0).  Target pages are
 * made present.  With PAE the PDPT lies at offset 0x20 of its page, so the
 * DTB is 32-byte aligned but not page-aligned (mask CR3 with ~0x1f). */
void forge_set_table_area(struct forge *forge, uint64_t table_base_pfn);
bool forge_map(struct forge *forge, uint64_t va, uint64_t pa, uint64_t size, uint64_t page_size);
uint64_t forge_dtb(const struct forge *forge);
/* Makes the last-level entry for va not present. */
void forge_unmap(struct forge *forge, uint64_t va);
/* Makes the table entry on the way to va, at the given level (1 = the top
 * table's entry), point back at the top table: a page-table loop. */
void forge_loop(struct forge *forge, uint64_t va, unsigned level);
/* Leaves the page that holds va's level-n table out of the dump file. */
void forge_drop_table(struct forge *forge, uint64_t va, unsigned level);

/* Header facts written into Windows dumps and notes. */
struct forge_header {
	uint32_t build;            /* MinorVersion */
	uint64_t ps_active_process_head;
	uint64_t ps_loaded_module_list;
	uint64_t kd_debugger_data_block;
	uint64_t pfn_database;
	uint32_t bugcheck_code;
	uint64_t bugcheck_parameters[4];
	uint64_t system_time;      /* FILETIME */
	uint64_t system_uptime;
	uint32_t processors;
	/* pages present in physical memory but left out of the dump file (a
	 * kernel dump leaves user pages out): [first, first + count) */
	uint64_t excluded_first_pfn, excluded_count;
};
void forge_set_header(struct forge *forge, const struct forge_header *header);

/* Processor state for the ELF "QEMU" notes (dump-formats.md §7).  A CPU
 * not set has the DTB as CR3 and zeros elsewhere; CPUs at or past the
 * header's processor count are not written. */
enum { FORGE_CPUS = 8 };
struct forge_cpu {
	uint64_t cr3;
	uint64_t gs_base;  /* bit 63 set: the CPU was in kernel mode */
	uint64_t idt_base;
};
void forge_set_cpu(struct forge *forge, unsigned cpu, const struct forge_cpu *state);

/* A minimal x64 Windows kernel for src/kernel/'s tests (forge_kernel.c),
 * mapped with 4 KiB pages at base_va (physical base_pa on):
 *   RVA 0          headers: "MZ", e_lfanew 0x100, "PE\0\0", a PE32+
 *                  optional header (debug directory: entry 6) and a
 *                  section table .text, .data;
 *   RVA 0x1000     .text, text_pages: the debug directory (one CodeView
 *                  entry) at its start, the RSDS record at +0x40;
 *   after .text    .data, data_pages: PsLoadedModuleList (a LIST_ENTRY) at
 *                  +0, PsActiveProcessHead at +0x10 (pointing at itself),
 *                  the first LDR_DATA_TABLE_ENTRY (DllBase at +0x30 =
 *                  base_va) at +0x100, and the KDBG block at kdbg_offset.
 * The KDBG block (_KDDEBUGGER_DATA64's first 0x58 bytes: List pointing at
 * the module list head, "KDBG", kdbg_size, KernBase, and the two list
 * heads) is stored as Windows 8+ x64 encodes it when encoded is set, with
 * KiWaitNever, KiWaitAlways and &KdpDataBlockEncoded as given (encoding:
 * the inverse of dump-formats.md §6's decoding).
 * kuser_pa, when not 0, maps KUSER_SHARED_DATA (0xfffff78000000000) with
 * NtBuildNumber (+0x260), NtMajorVersion (+0x26c), NtMinorVersion (+0x270).
 * idt_va, when not 0, maps one IDT page there (physical idt_pa) whose gate 0
 * is an interrupt gate to base_va + handler_rva. */
struct forge_kernel {
	uint64_t base_va, base_pa;
	uint32_t text_pages, data_pages;
	char pdb_name[32];
	uint8_t pdb_guid[16]; /* as stored: Data1, Data2, Data3 little-endian */
	uint32_t pdb_age;
	bool kdbg;
	uint32_t kdbg_offset, kdbg_size;
	bool encoded;
	uint64_t wait_never, wait_always, encoded_flag_address;
	uint64_t kuser_pa;
	uint32_t nt_major, nt_minor, nt_build_number;
	uint64_t idt_va, idt_pa;
	uint32_t handler_rva;
};
/* Where forge_kernel put things. */
struct forge_kernel_layout {
	uint64_t data_va, data_pa;
	uint64_t kdbg_va, module_list_va, process_list_va;
};
struct forge_kernel_layout forge_kernel(struct forge *forge, const struct forge_kernel *kernel);
/* The published encoding's inverse, for one qword (dump-formats.md §6). */
uint64_t forge_kdbg_encode(uint64_t plain, uint64_t wait_never, uint64_t wait_always,
			   uint64_t encoded_flag_address);

/* Writes the scenario.  The error names the path.  A misuse of the void
 * calls above (pages past max_pfn, forge_write to an absent page, no free
 * PFN for a table) comes back here as ERROR_USAGE. */
struct error *forge_write_dump(const struct forge *forge, enum forge_format format, const char *path);

/* Damage for robustness tests, applied to a written file. */
enum forge_damage {
	FORGE_TRUNCATE,            /* cut the file at `at` bytes */
	FORGE_BAD_SIGNATURE,       /* overwrite the signature */
	FORGE_BITMAP_OVERCLAIMS,   /* bitmap/header claims more pages than the file holds */
	FORGE_ABSURD_RUNS,         /* NumberOfRuns beyond the header's room */
	FORGE_OVERLAPPING_RUNS,    /* two runs covering the same PFNs */
};
/* `at` is used by FORGE_TRUNCATE only.  OVERCLAIMS claims 16 more pages:
 * bitmap dumps get the 16 highest clear bits set and TotalPresentPages
 * + 16; full dumps the last run's PageCount (and NumberOfPages) + 16; RDMP
 * the last range's count (and 0xA's TotalNumberOfPages) + 16; ELF the last
 * PT_LOAD's sizes + 16 pages.  ABSURD_RUNS sets e_phnum 0xfffe in an ELF.
 * OVERLAPPING_RUNS moves Run[1] (RDMP: range 1; ELF: the second PT_LOAD)
 * to the first one's start. */
struct error *forge_damage(const char *path, enum forge_damage damage, uint64_t at);

/* A sparse x64 bitmap dump of total_bytes physical memory with
 * present_bytes present (spread in runs over the range), written without
 * touching the absent part (for bench/).  The present memory is mapped with
 * 4 KiB pages at virtual FORGE_SPARSE_VA_BASE + physical address; the page
 * tables are in the dump and the DTB is in the header.  Present pages hold
 * forge_pattern. */
#define FORGE_SPARSE_VA_BASE 0xffffa00000000000ULL
struct error *forge_write_sparse_bitmap(const char *path, uint64_t total_bytes,
					uint64_t present_bytes);
/* Which pages such a dump holds and which of them hold page tables, not
 * the pattern: present memory is ceil(present / 64 MiB) runs spread evenly
 * over the range, and the tables take the present pages after PFN 0 in
 * PFN order (the first is the DTB).  See forge_sparse.c for the formula. */
bool forge_sparse_page_present(uint64_t total_bytes, uint64_t present_bytes, uint64_t pfn);
bool forge_sparse_page_is_table(uint64_t total_bytes, uint64_t present_bytes, uint64_t pfn);

#endif
