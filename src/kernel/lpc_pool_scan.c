/* --pool-search for LPC: messages and ports no list, handle or reference
 * names, found by the pool tags of their allocations in every present
 * physical page.
 *
 * Tags: "LpcM" for _LPCP_MESSAGE (Microsoft's NTDebugging LPC series,
 * struct-offsets.md "Pool tags"; pooltag.txt "LpcM").  For port
 * objects, the tags the census passes: the one each type object holds in
 * _OBJECT_TYPE.Key, read from the image itself, else the sourced "Port"
 * (pooltag.txt "Port - Port objects") and "Wait" (the first four
 * characters of "WaitablePort", the rule ReactOS ObCreateObjectType
 * gives every type's Key) — kernel.h KERNEL_LPC_PORT_POOL_TAG, docs/lpc.md
 * "LPC pool tags".  Object allocations before Windows 8 carry the
 * protected-pool bit 0x80 on the tag's last byte (Volatility 3
 * poolscanner.py), so that bit is ignored.
 *
 * A hit is only a hint.  A message lies right after the _POOL_HEADER; a
 * port after its optional headers (0 to 0xc0 bytes, struct-offsets.md
 * "Object header notes") and _OBJECT_HEADER, each 8- or 16-byte step
 * tried.  The virtual address comes from a LIST_ENTRY in the candidate:
 * an empty one points at itself, a linked one's first entry points back
 * (Blink) — the address must translate to the very physical bytes. */
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

/* The structure holding the LIST_ENTRY at offset head of bytes, whose
 * bytes are at physical: its virtual address, or 0. */
static uint64_t address_by_list(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
				int32_t head, uint64_t physical)
{
	if (head == PROFILE_ABSENT)
		return 0;
	uint64_t flink = alpc_pointer(reader, bytes, head);
	if (!alpc_kernel_pointer(reader, flink))
		return 0;
	/* Empty: the Flink is the head's own address. */
	if (translates_to(reader, flink, physical + (uint64_t)head))
		return flink - (uint64_t)head;
	uint64_t blink, candidate;
	struct error *error = alpc_read_pointer(reader, flink + reader->profile->pointer_size, &blink);
	if (error) {
		error_free(error);
		return 0;
	}
	candidate = blink - (uint64_t)head;
	return translates_to(reader, candidate, physical) ? candidate : 0;
}

static uint64_t port_address(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
			     uint64_t physical)
{
	const struct kernel_profile *p = reader->profile;
	unsigned kind = alpc_u32(bytes, p->lpcp_port_object_flags) & 0xf;
	if (kind < 1 || kind > 4)
		return 0;
	const int32_t heads[] = {
		p->lpcp_port_object_msg_queue + p->lpcp_port_queue_receive_head,
		p->lpcp_port_object_lpc_reply_chain_head,
		p->lpcp_port_object_lpc_data_info_chain_head,
	};
	for (size_t i = 0; i < 3; i++) {
		uint64_t address = address_by_list(reader, bytes, heads[i], physical);
		if (address)
			return address;
	}
	return 0;
}

static uint64_t message_address(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
				uint64_t physical)
{
	const struct kernel_profile *p = reader->profile;
	uint64_t data_length, total_length;
	int32_t request = p->lpcp_message_request;
	if (!alpc_field(bytes, request + p->port_message_data_length, 2, &data_length) ||
	    !alpc_field(bytes, request + p->port_message_total_length, 2, &total_length) ||
	    data_length > total_length)
		return 0;
	return address_by_list(reader, bytes, p->lpcp_message_entry, physical);
}

struct scan {
	const struct kernel_reader *reader;
	const uint32_t *port_tags;
	size_t port_tag_count;
	kernel_lpc_pool_visitor port, message;
	void *context;
};

static bool is_port_tag(const struct scan *scan, uint32_t tag)
{
	for (size_t i = 0; i < scan->port_tag_count; i++)
		if ((tag & 0x7fffffffu) == (scan->port_tags[i] & 0x7fffffffu))
			return true;
	return false;
}

/* Where the pool block whose header is at header ends, in the page: its
 * BlockSize (struct-offsets.md _POOL_HEADER) counts pool-alignment units,
 * 8 bytes on x86 and 16 on x64 (Volatility 3 poolscanner.py compares
 * alignment * BlockSize with an object's size).
 * A port lies wholly inside its block, so an object that does not fit is
 * no port; the bytes of a tag that are not a pool header (an
 * _OBJECT_TYPE's Key reads like one) seldom give a BlockSize that fits.
 * The page's end when the profile has no BlockSize. */
static size_t block_end_of(const struct scan *scan, const unsigned char *page, size_t header, unsigned step)
{
	const struct kernel_profile *p = scan->reader->profile;
	struct alpc_bytes bytes = { page + header, PAGE - header, 0 };
	uint64_t blocks;
	if (!alpc_bits(&bytes, p->pool_header_block_size, &blocks))
		return PAGE;
	uint64_t end = header + blocks * step;
	return end < PAGE ? (size_t)end : PAGE;
}

static bool scan_page(void *scan_context, const unsigned char *page, uint64_t pfn)
{
	const struct scan *scan = scan_context;
	const struct kernel_profile *p = scan->reader->profile;
	unsigned step = p->pointer_size == 8 ? 16 : 8; /* pool block alignment */
	size_t pool_size = (size_t)p->pool_header_size;
	size_t tag_at = (size_t)p->pool_header_pool_tag;
	size_t message_size = (size_t)(p->lpcp_message_request + p->port_message_size);
	size_t port_size = (size_t)p->lpcp_port_object_size;
	for (size_t header = 0; header + pool_size <= PAGE; header += step) {
		uint32_t tag;
		memcpy(&tag, page + header + tag_at, 4);
		if ((tag & 0x7fffffffu) == KERNEL_LPC_MESSAGE_POOL_TAG) {
			size_t at = header + pool_size;
			if (at + message_size <= PAGE) {
				struct alpc_bytes bytes = { page + at, message_size, 0 };
				uint64_t message = message_address(scan->reader, &bytes, pfn * PAGE + at);
				if (message && !scan->message(scan->context, message))
					return false;
			}
			continue;
		}
		if (!is_port_tag(scan, tag))
			continue;
		size_t block_end = block_end_of(scan, page, header, step);
		for (size_t gap = 0; gap <= OPTIONAL_HEADERS_MAX; gap += step) {
			size_t body = header + pool_size + gap + (size_t)p->object_header_body;
			if (body + port_size > block_end)
				break;
			struct alpc_bytes bytes = { page + body, port_size, 0 };
			uint64_t port = port_address(scan->reader, &bytes, pfn * PAGE + body);
			if (port) {
				if (!scan->port(scan->context, port))
					return false;
				break;
			}
		}
	}
	return true;
}

struct error *kernel_lpc_pool_scan(struct physical_memory *memory, const struct kernel_reader *reader,
				   const uint32_t *port_tags, size_t port_tag_count,
				   kernel_lpc_pool_visitor port, kernel_lpc_pool_visitor message,
				   void *context)
{
	const struct kernel_profile *p = reader->profile;
	if (p->lpcp_port_object_size <= 0 || p->lpcp_message_request == PROFILE_ABSENT ||
	    p->lpcp_message_entry == PROFILE_ABSENT || p->port_message_size <= 0 ||
	    p->pool_header_size <= 0 || p->pool_header_pool_tag == PROFILE_ABSENT ||
	    p->object_header_body == PROFILE_ABSENT || p->lpcp_port_object_flags == PROFILE_ABSENT ||
	    p->lpcp_port_object_msg_queue == PROFILE_ABSENT ||
	    p->lpcp_port_queue_receive_head == PROFILE_ABSENT ||
	    (size_t)p->pool_header_pool_tag + 4 > (size_t)p->pool_header_size)
		return error_new(ERROR_UNSUPPORTED,
				 "profile %s lacks the pool header or LPC layout a pool search needs", p->name);
	struct scan scan = { reader, port_tags, port_tag_count, port, message, context };
	physical_scan_pages(memory, scan_page, &scan);
	return NULL;
}
