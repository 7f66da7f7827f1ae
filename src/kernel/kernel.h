/* kernel — which Windows a memory image holds, and where its kernel is.
 *
 * From the crash dump header when there is one (DTB, PsActiveProcessHead,
 * PsLoadedModuleList, KdDebuggerDataBlock, build), else by the documented
 * heuristics (../shared/docs/dump-formats.md §7–8): a QEMU note's CR3
 * checked against KUSER_SHARED_DATA, the x64 low stub, a self-referencing
 * top-level page table.  Then the kernel image (KDBG's KernBase, the first
 * loaded module, or a scan down from the IDT for "MZ"), its CodeView RSDS
 * record (ntkrnlmp.pdb GUID and age: the key to a symbol table), and
 * KUSER_SHARED_DATA's version.  KDBG comes from the crash dump header's
 * KdDebuggerDataBlock, else from a scan of the kernel's .data section;
 * a block Windows 8+ x64 keeps encoded is decoded without symbols, from
 * known plaintext (kdbg.c).  Each finding says where it came from; what
 * could not be found says why. */
#ifndef ALPCGRAPH_KERNEL_H
#define ALPCGRAPH_KERNEL_H

#include "../memory/memory.h"

enum { OS_NOTES_KEPT = 8, OS_NOTE_SIZE = 256 };

/* KDBG_ENCODED: encoded, and no single key decodes it (its words are not
 * used); KDBG_DECODED: encoded, and decoded. */
enum kdbg_state { KDBG_NOT_FOUND = 0, KDBG_PLAIN, KDBG_DECODED, KDBG_ENCODED };

/* What undoes a block's encoding: each stored word E decodes to
 * bswap64(rol64(E, rotation)) ^ constant (the derivation is in kdbg.c). */
struct kdbg_key {
	unsigned rotation; /* 0-63 */
	uint64_t constant;
};
uint64_t kdbg_key_decode(struct kdbg_key key, uint64_t stored);

/* The words of a KDBG block that identify_os uses, decoded, with pointers
 * cut to 32 bits under x86 paging (_KDDEBUGGER_DATA64 sign-extends them). */
struct kdbg_block {
	uint64_t address;
	enum kdbg_state state;
	struct kdbg_key key; /* KDBG_DECODED */
	uint32_t size;       /* Header.Size */
	uint64_t kern_base, ps_loaded_module_list, ps_active_process_head;
};

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
	const char *kdbg_source;
	struct kdbg_key kdbg_key; /* KDBG_DECODED: decodes the rest of the block */
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

/* Reads the KDBG block at address: plain when its OwnerTag reads "KDBG",
 * else (x64 only) encoded and decoded by known plaintext — KernBase when
 * kernel_base is known, else the tag and the Size of a known build plus
 * an "MZ" at the KernBase it decodes to.  On ERROR_FORMAT under x64
 * paging block->state is KDBG_ENCODED: no key, or several that disagree
 * (the message says which); the block's words are then not to be used. */
struct error *kdbg_read(struct address_space *space, enum paging_mode paging, uint64_t address,
			maybe_u64 kernel_base, struct kdbg_block *block);

/* MemProcFS's search (dump-formats.md §6): the KDBG block in the .data
 * section of the kernel image at kernel_base whose KernBase is
 * kernel_base, plain or encoded.  Bounded (16 MiB of the section); pages
 * the image lacks are skipped.  ERROR_ABSENT when there is none. */
struct error *kdbg_scan_image(struct address_space *space, enum paging_mode paging,
			      uint64_t kernel_base, struct kdbg_block *block);

/* The CodeView record of a PE image mapped at base in space: the PDB name,
 * GUID and age. */
struct error *pe_debug_record(struct address_space *space, uint64_t base, char *pdb_name,
			      size_t name_size, char guid[33], uint64_t *age);

/* The section called name (at most 8 characters) of the PE image at base:
 * its RVA and size in memory, cut to SizeOfImage. */
struct error *pe_section(struct address_space *space, uint64_t base, const char *name,
			 uint32_t *rva, uint32_t *size);

#endif
