/* --pool-search: ALPC ports no list or handle names, found by the pool
 * tag of their allocation in every present physical page.
 *
 * The tag: Microsoft's pooltag.txt (shipped with the Debugging Tools for
 * Windows, triage\pooltag.txt) lists "ALPC - nt!alpc - ALPC port objects";
 * public copies: the POOL_TAGS table of Volatility 3 community plugins
 * transcribed from it, and poolmon listings ("ALPC ... ALPC port objects,
 * Binary: nt!alpc").  Object allocations before Windows 8 carry the
 * protected-pool bit 0x80 on the tag's last byte (Volatility 3
 * poolscanner.py looks for "Pro\xe3" there), so the bit is ignored.
 *
 * A hit is only a hint: behind the _POOL_HEADER lie the object's optional
 * headers (0 to 0xc0 bytes, struct-offsets.md "Object header notes") and
 * _OBJECT_HEADER, then the port.  Each 16-byte step is tried; a candidate
 * is a port when OwnerProcess is a process of the list (when we have one),
 * CommunicationInfo is a kernel pointer, and one of the ports that
 * communication info names translates to this very physical address —
 * which also gives the port's virtual address (or else an empty queue's
 * LIST_ENTRY, which points at itself).  The pages come from
 * physical_scan_pages (zero-copy where the dump maps them). */
#include <string.h>

#include "alpc_internal.h"

enum { PAGE = 4096, OPTIONAL_HEADERS_MAX = 0xc0 };

static bool translates_to(const struct kernel_reader *reader, uint64_t va, uint64_t physical)
{
	uint64_t found;
	if (!va || !alpc_kernel_pointer(reader, va))
		return false;
	struct error *error = virtual_translate(reader->space, va, &found);
	if (error) {
		error_free(error);
		return false;
	}
	return found == physical;
}

/* The virtual address of the port whose bytes are at physical, or 0. */
static uint64_t port_address(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
			     uint64_t physical, const struct u64_map *known_processes)
{
	const struct kernel_profile *p = reader->profile;
	uint64_t owner = alpc_pointer(reader, bytes, p->alpc_port_owner_process);
	uint64_t info = alpc_pointer(reader, bytes, p->alpc_port_communication_info);
	if (!alpc_kernel_pointer(reader, owner) || !alpc_kernel_pointer(reader, info))
		return 0;
	if (known_processes && known_processes->count && !u64_map_get(known_processes, owner))
		return 0;
	const int32_t names[] = { p->alpc_communication_info_connection_port,
				  p->alpc_communication_info_server_communication_port,
				  p->alpc_communication_info_client_communication_port };
	for (size_t i = 0; i < 3; i++) {
		uint64_t named;
		if (names[i] == PROFILE_ABSENT)
			continue;
		struct error *error = alpc_read_pointer(reader, info + (uint64_t)names[i], &named);
		if (error) {
			error_free(error);
			break;
		}
		if (translates_to(reader, named, physical))
			return named;
	}
	const int32_t heads[] = { p->alpc_port_main_queue, p->alpc_port_pending_queue,
				  p->alpc_port_wait_queue };
	for (size_t i = 0; i < 3; i++) {
		if (heads[i] == PROFILE_ABSENT)
			continue;
		uint64_t link = alpc_pointer(reader, bytes, heads[i]);
		uint64_t candidate = link - (uint64_t)heads[i];
		if (link && translates_to(reader, candidate, physical))
			return candidate;
	}
	return 0;
}

struct scan {
	const struct kernel_reader *reader;
	const struct u64_map *known_processes;
	kernel_alpc_port_visitor visit;
	void *context;
};

static bool scan_page(void *scan_context, const unsigned char *page, uint64_t pfn)
{
	const struct scan *scan = scan_context;
	const struct kernel_reader *reader = scan->reader;
	const struct kernel_profile *p = reader->profile;
	unsigned step = p->pointer_size == 8 ? 16 : 8; /* pool block alignment */
	size_t pool_size = (size_t)p->pool_header_size;
	size_t tag_at = (size_t)p->pool_header_pool_tag;
	size_t body_at = (size_t)p->object_header_body;
	size_t port_size = (size_t)p->alpc_port_size;
	for (size_t header = 0; header + pool_size <= PAGE; header += step) {
		uint32_t tag;
		memcpy(&tag, page + header + tag_at, 4);
		if ((tag & 0x7fffffffu) != KERNEL_ALPC_PORT_POOL_TAG)
			continue;
		for (size_t gap = 0; gap <= OPTIONAL_HEADERS_MAX; gap += step) {
			size_t body = header + pool_size + gap + body_at;
			if (body + port_size > PAGE)
				break;
			struct alpc_bytes bytes = { page + body, port_size, 0 };
			uint64_t physical = pfn * PAGE + body;
			uint64_t port = port_address(reader, &bytes, physical, scan->known_processes);
			if (port) {
				if (!scan->visit(scan->context, port))
					return false;
				break;
			}
		}
	}
	return true;
}

struct error *kernel_alpc_pool_scan(struct physical_memory *memory, const struct kernel_reader *reader,
				    const struct u64_map *known_processes,
				    kernel_alpc_port_visitor visit, void *context)
{
	const struct kernel_profile *p = reader->profile;
	if (p->alpc_port_size <= 0 || p->pool_header_size <= 0 ||
	    p->pool_header_pool_tag == PROFILE_ABSENT || p->object_header_body == PROFILE_ABSENT ||
	    p->alpc_port_owner_process == PROFILE_ABSENT ||
	    p->alpc_port_communication_info == PROFILE_ABSENT ||
	    (size_t)p->pool_header_pool_tag + 4 > (size_t)p->pool_header_size)
		return error_new(ERROR_UNSUPPORTED,
				 "profile %s lacks the pool header or ALPC port layout a pool search needs",
				 p->name);
	struct scan scan = { reader, known_processes, visit, context };
	physical_scan_pages(memory, scan_page, &scan);
	return NULL;
}
