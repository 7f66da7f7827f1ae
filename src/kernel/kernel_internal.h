/* Shared inside the kernel room. */
#ifndef ALPCGRAPH_KERNEL_INTERNAL_H
#define ALPCGRAPH_KERNEL_INTERNAL_H

#include <stdarg.h>

#include "kernel.h"

void os_note(struct os_identity *os, const char *format, ...) PRINTF_LIKE(2, 3);

/* Candidate DTBs of a raw x64 image: the low stub's CR3, then a
 * self-referencing PML4.  Returns 0 when none is found.  *kernel_hint is
 * the low stub's LmTarget (an address inside ntoskrnl), else 0. */
uint64_t find_x64_dtb(struct physical_memory *memory, const char **source, uint64_t *kernel_hint);

/* A raw x86 image's DTB (dtb_search_x86.c): the first page directory
 * (*paging = PAGING_X86) or PDPT (PAGING_X86_PAE) in the first 16 MiB
 * that Windows' self-map marks and accept takes.  Returns 0 when none. */
typedef bool x86_dtb_check(struct physical_memory *memory, enum paging_mode paging, uint64_t dtb);
uint64_t find_x86_dtb(struct physical_memory *memory, x86_dtb_check *accept, enum paging_mode *paging,
		      const char **source);

/* _KDDEBUGGER_DATA64 (dump-formats.md §6; vol3 kdbg.json): the header
 * List (Flink +0x0, Blink +0x8), OwnerTag +0x10 with Size in the high
 * half of the same qword, then KernBase, PsLoadedModuleList,
 * PsActiveProcessHead.  KDBG_WORDS qwords cover all of them. */
enum {
	KDBG_FLINK = 0,
	KDBG_BLINK = 1,
	KDBG_TAG_AND_SIZE = 2,
	KDBG_KERNBASE = 3,
	KDBG_MODULES = 9,   /* +0x48 */
	KDBG_PROCESSES = 10, /* +0x50 */
	KDBG_WORDS = 11,
};
#define KDBG_OWNER_TAG 0x4742444bU /* "KDBG" */

/* Solving an encoded block's key by known plaintext (kdbg.c).  words are
 * the block's first KDBG_WORDS qwords as stored; each function writes at
 * most max keys whose decoded header is plausible and returns how many it
 * found (which may exceed max). */
unsigned kdbg_keys_from_kernel_base(const uint64_t words[KDBG_WORDS], uint64_t kernel_base,
				    struct kdbg_key *keys, unsigned max);
unsigned kdbg_keys_from_sizes(const uint64_t words[KDBG_WORDS], struct kdbg_key *keys,
			      unsigned max);
/* Could a real block start with these three decoded qwords?  The tag, a
 * Size in the range of known builds, list links that are x64 kernel
 * addresses. */
bool kdbg_header_plausible(const uint64_t plain[3]);
bool is_x64_kernel_address(uint64_t va);
/* Could va be a kernel address where pointers have this size?  x64: the
 * upper, sign-extended half of a 48-bit space; x86: the upper 2 GiB (a
 * /3GB system's kernel lies inside it).  The walks and the ALPC/LPC
 * readers ask the same question. */
bool is_kernel_address(unsigned pointer_size, uint64_t va);
/* A little-endian field of width bytes at offset in size bytes read
 * from a dump, and a profile bitfield (at most 64 bits) from them; false
 * when the field is absent (PROFILE_ABSENT, negative) or past the bytes.
 * The walks' blocks and the ALPC/LPC readers' views both decode here. */
bool bytes_field(const unsigned char *bytes, size_t size, int32_t offset, size_t width,
		 uint64_t *value);
bool bytes_bits(const unsigned char *bytes, size_t size, struct profile_bits bits, uint64_t *value);
/* One line about the object at address, to the caller's sink (nothing
 * when there is none): kernel_warn and alpc_warn both end here. */
void kernel_warnings_say(struct kernel_warnings warnings, uint64_t address, const char *format,
			 va_list args) PRINTF_LIKE(3, 0);

#endif
