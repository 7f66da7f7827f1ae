/* kernel — which Windows a memory image holds, and where its kernel is.
 *
 * From the crash dump header when there is one (DTB, PsActiveProcessHead,
 * PsLoadedModuleList, KdDebuggerDataBlock, build), else by the documented
 * heuristics (../shared/docs/dump-formats.md §7–8): a QEMU note's CR3
 * checked against KUSER_SHARED_DATA, the x64 low stub, a self-referencing
 * top-level page table.  Then the kernel image (KDBG's KernBase, the first
 * loaded module, or a scan down from the IDT for "MZ"), its CodeView RSDS
 * record (ntkrnlmp.pdb GUID and age: the key to a symbol table), and
 * KUSER_SHARED_DATA's version.  Each finding says where it came from; what
 * could not be found says why. */
#ifndef ALPCGRAPH_KERNEL_H
#define ALPCGRAPH_KERNEL_H

#include "../memory/memory.h"

enum { OS_NOTES_KEPT = 8, OS_NOTE_SIZE = 200 };

enum kdbg_state { KDBG_NOT_FOUND = 0, KDBG_PLAIN, KDBG_ENCODED };

struct os_identity {
	bool paging_known;
	enum paging_mode paging;
	maybe_u64 dtb;
	const char *dtb_source;
	maybe_u64 kernel_base;
	const char *kernel_base_source;
	char pdb_name[64];  /* "ntkrnlmp.pdb"; "" when unknown */
	char pdb_guid[33];  /* 32 upper-case hex digits as symbol stores write them */
	maybe_u64 pdb_age;
	maybe_u64 build;
	const char *build_source;
	maybe_u64 nt_major, nt_minor;  /* KUSER_SHARED_DATA */
	maybe_u64 ps_active_process_head, ps_loaded_module_list;
	const char *list_heads_source;
	maybe_u64 kdbg;
	enum kdbg_state kdbg_state;
	char notes[OS_NOTES_KEPT][OS_NOTE_SIZE];
	unsigned note_count;
};

/* Fills os from the image behind memory.  Never fails: what is not found
 * stays unknown, with a note saying why. */
void identify_os(struct physical_memory *memory, struct os_identity *os);

/* The KDBG block as Windows 8+ x64 keeps it scrambled
 * (dump-formats.md §6): decodes length bytes (a multiple of 8) in place
 * with the values of nt!KiWaitNever and nt!KiWaitAlways and the address of
 * nt!KdpDataBlockEncoded. */
void kdbg_decode(unsigned char *block, size_t length, uint64_t wait_never, uint64_t wait_always,
		 uint64_t encoded_flag_address);

/* The CodeView record of a PE image mapped at base in space: the PDB name,
 * GUID and age. */
struct error *pe_debug_record(struct address_space *space, uint64_t base, char *pdb_name,
			      size_t name_size, char guid[33], uint64_t *age);

#endif
