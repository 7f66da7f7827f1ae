/* process_pool_scan: where the process list starts in an image with no
 * crash dump header and no KDBG (a QEMU ELF core, a raw image) — found
 * from the System process, itself found by the pool tag of its
 * allocation in the present physical pages.
 *
 * The tag: Microsoft's pooltag.txt (Debugging Tools for Windows,
 * triage\pooltag.txt) lists "Proc - nt!ps - Process objects".  Object
 * allocations before Windows 8 carry the protected-pool bit 0x80 on the
 * tag's last byte (Volatility 3 poolscanner.py looks for "Pro\xe3" there
 * and "Proc" from Windows 8 on), so that bit is ignored.  Behind the
 * _POOL_HEADER lie the object's optional headers (0 to 0xc0 bytes,
 * struct-offsets.md "Object header notes") and _OBJECT_HEADER, then the
 * EPROCESS; each pool-aligned step is tried.  A small pool block never
 * crosses a page, so an EPROCESS is read from its page alone.
 *
 * A hit is the System process when UniqueProcessId is 4, ImageFileName is
 * "System", and DirectoryTableBase is the DTB the image is read with (the
 * System process runs on the kernel's own page tables).  Its
 * ActiveProcessLinks then give its virtual address: Blink's Flink and
 * Flink's Blink must both point back at the links, and translate to this
 * very physical address.  The System process is the first one created
 * and each process is put at the tail of PsActiveProcessHead (ReactOS
 * ntoskrnl/ps/process.c, PspCreateProcess: InsertTailList), so the
 * System process's Blink is the list head itself. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "walk_internal.h"

enum { PAGE = 4096, OPTIONAL_HEADERS_MAX = 0xc0 };

/* "Proc" as the little-endian tag word, without the protected bit. */
#define PROCESS_POOL_TAG 0x636f7250u

static uint64_t page_pointer(const struct kernel *kernel, const unsigned char *at)
{
	if (kernel->pointer_size == 8) {
		uint64_t value;
		memcpy(&value, at, 8);
		return value;
	}
	uint32_t value;
	memcpy(&value, at, 4);
	return value;
}

static bool translates_to(struct kernel *kernel, uint64_t va, uint64_t physical)
{
	uint64_t found;
	struct error *error = virtual_translate(kernel->space, va, &found);
	if (error) {
		error_free(error);
		return false;
	}
	return found == physical;
}

static bool read_link(struct kernel *kernel, uint64_t va, uint64_t *value)
{
	if (!kernel_address_ok(kernel, va, kernel->pointer_size))
		return false;
	struct error *error = kernel_read_pointer(kernel, va, value);
	if (error) {
		error_free(error);
		return false;
	}
	return true;
}

/* The list head the System process's links at physical (page + links)
 * lead to, or 0 when they do not hold together. */
static uint64_t list_head_of(struct kernel *kernel, const unsigned char *links, uint64_t physical)
{
	unsigned size = kernel->pointer_size;
	uint64_t flink = page_pointer(kernel, links), blink = page_pointer(kernel, links + size);
	uint64_t self, back;
	if (!read_link(kernel, blink, &self) || !kernel_address_ok(kernel, self, size) ||
	    !translates_to(kernel, self, physical))
		return 0;
	if (!read_link(kernel, flink + size, &back) || back != self)
		return 0;
	return blink;
}

/* The DTB bits a process keeps of its page tables' address: the low bits
 * of CR3 are flags (x64: PCID; PAE: the PDPT is 32-byte aligned). */
static uint64_t dtb_bits(const struct kernel *kernel, uint64_t value)
{
	return kernel->paging == PAGING_X86_PAE ? value & ~0x1fULL : value & ~0xfffULL;
}

struct candidate_layout {
	size_t pool_size, tag_at, body_at, extent, pid_at, name_at, dtb_at, links_at;
};

static bool is_system_process(const struct kernel *kernel, const struct candidate_layout *l,
			      const unsigned char *body, uint64_t dtb)
{
	if (page_pointer(kernel, body + l->pid_at) != 4)
		return false;
	if (memcmp(body + l->name_at, "System\0", 7) != 0)
		return false;
	return dtb_bits(kernel, page_pointer(kernel, body + l->dtb_at)) == dtb_bits(kernel, dtb);
}

/* Looks at one page; true when the head was found (*head, *eprocess_pa). */
static bool scan_page(struct kernel *kernel, const struct candidate_layout *l, const unsigned char *page,
		      uint64_t pfn, uint64_t dtb, uint64_t *head, uint64_t *eprocess_pa)
{
	unsigned step = kernel->pointer_size == 8 ? 16 : 8; /* pool block alignment */
	for (size_t header = 0; header + l->pool_size <= PAGE; header += step) {
		uint32_t tag;
		memcpy(&tag, page + header + l->tag_at, 4);
		if ((tag & 0x7fffffffu) != PROCESS_POOL_TAG)
			continue;
		for (size_t gap = 0; gap <= OPTIONAL_HEADERS_MAX; gap += step) {
			size_t body = header + l->pool_size + gap + l->body_at;
			if (body + l->extent > PAGE)
				break;
			if (!is_system_process(kernel, l, page + body, dtb))
				continue;
			uint64_t found = list_head_of(kernel, page + body + l->links_at,
						      pfn * PAGE + body + l->links_at);
			if (found) {
				*head = found;
				*eprocess_pa = pfn * PAGE + body;
				return true;
			}
		}
	}
	return false;
}

struct search {
	struct kernel *kernel;
	const struct candidate_layout *layout;
	uint64_t dtb;
	bool found;
	uint64_t head, eprocess_pa;
};

static bool search_page(void *context, const unsigned char *page, uint64_t pfn)
{
	struct search *search = context;
	search->found = scan_page(search->kernel, search->layout, page, pfn, search->dtb,
				  &search->head, &search->eprocess_pa);
	return !search->found;
}

struct error *kernel_find_process_head_by_pool(struct kernel *kernel, uint64_t dtb)
{
	const struct kernel_profile *p = kernel->profile;
	const int32_t fields[] = { p->eprocess_unique_process_id, p->kprocess_directory_table_base,
				   p->eprocess_active_process_links };
	if (p->pool_header_size <= 0 || p->pool_header_pool_tag == PROFILE_ABSENT ||
	    (size_t)p->pool_header_pool_tag + 4 > (size_t)p->pool_header_size ||
	    p->object_header_body == PROFILE_ABSENT || p->eprocess_image_file_name == PROFILE_ABSENT ||
	    fields[0] == PROFILE_ABSENT || fields[1] == PROFILE_ABSENT || fields[2] == PROFILE_ABSENT)
		return error_new(ERROR_UNSUPPORTED,
				 "profile %s lacks the pool header or EPROCESS fields a search for the "
				 "System process needs", p->name);
	struct candidate_layout l = {
		.pool_size = (size_t)p->pool_header_size,
		.tag_at = (size_t)p->pool_header_pool_tag,
		.body_at = (size_t)p->object_header_body,
		.pid_at = (size_t)p->eprocess_unique_process_id,
		.name_at = (size_t)p->eprocess_image_file_name,
		.dtb_at = (size_t)p->kprocess_directory_table_base,
		.links_at = (size_t)p->eprocess_active_process_links,
	};
	l.extent = block_extent(fields, 3, kernel->pointer_size);
	if (p->eprocess_active_process_links >= 0 &&
	    (size_t)p->eprocess_active_process_links + 2 * kernel->pointer_size > l.extent)
		l.extent = (size_t)p->eprocess_active_process_links + 2 * kernel->pointer_size;
	if (l.name_at + 7 > l.extent)
		l.extent = l.name_at + 7;
	if (l.extent > PAGE || l.body_at > PAGE)
		return error_new(ERROR_UNSUPPORTED, "profile %s places EPROCESS fields past one page",
				 p->name);

	struct search search = { kernel, &l, dtb, false, 0, 0 };
	physical_scan_pages(kernel->memory, search_page, &search);
	if (search.found) {
		kernel->process_head = search.head;
		snprintf(kernel->process_head_source, sizeof kernel->process_head_source,
			 "the System process found by its pool tag Proc at physical address "
			 "0x%" PRIx64 ", whose ActiveProcessLinks.Blink is the list head",
			 search.eprocess_pa);
		return NULL;
	}
	return error_new(ERROR_ABSENT, "no System process (pool tag Proc, pid 4, DirectoryTableBase "
			 "0x%" PRIx64 ") in the image's pages", dtb);
}
