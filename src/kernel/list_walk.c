/* list_walk: the one doubly linked list walk (LIST_ENTRY: Flink at +0,
 * Blink one pointer later; ReactOS sdk/include/xdk/ntbasedef.h) under every
 * process, thread and object walk.  A dump is hostile input: a list may
 * loop, point into an absent page or into user space, so every step is
 * checked and bounded, and each way it can end early says so. */
#include <inttypes.h>

#include "walk_internal.h"

static const char seen_marker;

struct error *kernel_walk_list(struct kernel *kernel, uint64_t head, const char *what,
			       kernel_list_visitor visit, void *context)
{
	unsigned pointer = kernel->pointer_size;
	uint64_t next;
	struct error *error = kernel_read_pointer(kernel, head, &next);
	if (error)
		return error;
	struct u64_map seen = { 0 };
	u64_map_put(&seen, head, (void *)&seen_marker);
	uint64_t previous = head;
	size_t count = 0;
	while (next != head) {
		uint64_t entry = next;
		if (count == KERNEL_LIST_CAP) {
			kernel_warn(kernel, head, "%s at 0x%" PRIx64 ": more than %u entries; walk stopped at 0x%" PRIx64,
				    what, head, (unsigned)KERNEL_LIST_CAP, entry);
			break;
		}
		if (!kernel_address_ok(kernel, entry, pointer)) {
			kernel_warn(kernel, head,
				    "%s at 0x%" PRIx64 ": entry 0x%" PRIx64 " links to 0x%" PRIx64
				    ", which is no kernel address; walk stopped",
				    what, head, previous, entry);
			break;
		}
		if (u64_map_get(&seen, entry)) {
			kernel_warn(kernel, head,
				    "%s at 0x%" PRIx64 ": loops: entry 0x%" PRIx64 " links back to 0x%" PRIx64
				    "; walk stopped after %zu entries",
				    what, head, previous, entry, count);
			break;
		}
		u64_map_put(&seen, entry, (void *)&seen_marker);
		uint64_t flink, blink;
		error = kernel_read_pointer(kernel, entry, &flink);
		if (!error)
			error = kernel_read_pointer(kernel, entry + pointer, &blink);
		if (error) {
			kernel_warn(kernel, head, "%s at 0x%" PRIx64 ": entry 0x%" PRIx64 " cannot be read (%s); walk stopped",
				    what, head, entry, error_detail(error));
			error_free(error);
			break;
		}
		if (blink != previous)
			kernel_warn(kernel, entry,
				    "%s at 0x%" PRIx64 ": entry 0x%" PRIx64 " has Blink 0x%" PRIx64
				    ", not the entry before it (0x%" PRIx64 ")",
				    what, head, entry, blink, previous);
		count++;
		if (!visit(context, entry))
			break;
		previous = entry;
		next = flink;
	}
	u64_map_release(&seen);
	return NULL;
}
