/* Fields, pointer checks, warnings and the bounded list walk for the ALPC
 * readers.  A LIST_ENTRY is Flink then Blink, each a pointer
 * (struct-offsets.md, _LIST_ENTRY). */
#include <stdarg.h>
#include <stdio.h>

#include "alpc_internal.h"
#include "kernel_internal.h"

bool alpc_field(const struct alpc_bytes *bytes, int32_t offset, unsigned width, uint64_t *value)
{
	return bytes_field(bytes->data, bytes->size, offset, width, value);
}

uint64_t alpc_pointer(const struct kernel_reader *reader, const struct alpc_bytes *bytes, int32_t offset)
{
	uint64_t value = 0;
	if (!alpc_field(bytes, offset, reader->profile->pointer_size, &value))
		return 0;
	return value;
}

uint32_t alpc_u32(const struct alpc_bytes *bytes, int32_t offset)
{
	uint64_t value = 0;
	alpc_field(bytes, offset, 4, &value);
	return (uint32_t)value;
}

bool alpc_bits(const struct alpc_bytes *bytes, struct profile_bits bits, uint64_t *value)
{
	/* The ALPC and LPC flags and counts are at most 32 bits wide. */
	if (bits.width > 32)
		return false;
	return bytes_bits(bytes->data, bytes->size, bits, value);
}

bool alpc_flag(const struct alpc_bytes *bytes, struct profile_bits bits)
{
	uint64_t value = 0;
	return alpc_bits(bytes, bits, &value) && value != 0;
}

bool alpc_kernel_pointer(const struct kernel_reader *reader, uint64_t va)
{
	return is_kernel_address(reader->profile->pointer_size, va);
}

void alpc_warn(const struct kernel_reader *reader, uint64_t address, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	kernel_warnings_say(reader->warnings, address, format, args);
	va_end(args);
}

struct error *alpc_read_pointer(const struct kernel_reader *reader, uint64_t va, uint64_t *value)
{
	unsigned char bytes[8] = { 0 };
	unsigned size = reader->profile->pointer_size == 4 ? 4 : 8;
	struct error *error = virtual_read(reader->space, va, bytes, size);
	if (error)
		return error;
	struct alpc_bytes view = { bytes, size, va };
	alpc_field(&view, 0, size, value);
	return NULL;
}

void alpc_walk_list(const struct kernel_reader *reader, uint64_t head, int32_t entry_offset,
		    uint32_t cap, uint64_t owner, const char *what, struct u64_vec *out,
		    bool *complete)
{
	alpc_walk_list_linked(reader, head, entry_offset, cap, owner, what, NULL, out, complete);
}

void alpc_walk_list_linked(const struct kernel_reader *reader, uint64_t head, int32_t entry_offset,
			   uint32_t cap, uint64_t owner, const char *what, struct u64_map *linked,
			   struct u64_vec *out, bool *complete)
{
	*complete = false;
	uint64_t link;
	struct error *error = alpc_read_pointer(reader, head, &link);
	if (error) {
		alpc_warn(reader, owner, "%s: the list head at 0x%llx cannot be read: %s", what,
			  (unsigned long long)head, error_detail(error));
		error_free(error);
		return;
	}
	/* A visited set, not only a count: a list whose tail points back into
	 * its middle never returns to the head. */
	struct u64_map seen = { 0 };
	uint32_t count = 0;
	for (;;) {
		if (link == head) {
			*complete = true;
			break;
		}
		if (!alpc_kernel_pointer(reader, link)) {
			alpc_warn(reader, owner, "%s: entry %u links to 0x%llx, not a kernel address; "
				  "the list is cut there", what, count, (unsigned long long)link);
			break;
		}
		if (u64_map_get(&seen, link)) {
			alpc_warn(reader, owner, "%s: entry %u links back to 0x%llx; the list loops "
				  "and is cut there", what, count, (unsigned long long)link);
			break;
		}
		if (count >= cap) {
			alpc_warn(reader, owner, "%s: more than %u entries; the rest are not read", what,
				  cap);
			break;
		}
		/* A message lies on one queue: lists that run into another
		 * (hostile ports sharing one long chain) would cost ports ×
		 * entries in time and memory. */
		if (linked) {
			uint64_t by = (uint64_t)(uintptr_t)u64_map_get(linked, link);
			if (by && by - 1 != head) {
				alpc_warn(reader, owner, "%s: entry %u at 0x%llx lies on the list at 0x%llx "
					  "too; the list is cut there", what, count,
					  (unsigned long long)link, (unsigned long long)(by - 1));
				break;
			}
			if (!by)
				u64_map_put(linked, link, (void *)(uintptr_t)(head + 1));
		}
		u64_map_put(&seen, link, (void *)1);
		u64_vec_push(out, link - (uint64_t)(int64_t)entry_offset);
		count++;
		uint64_t next;
		error = alpc_read_pointer(reader, link, &next);
		if (error) {
			alpc_warn(reader, owner, "%s: entry %u at 0x%llx cannot be read: %s", what,
				  count - 1, (unsigned long long)link, error_detail(error));
			error_free(error);
			break;
		}
		link = next;
	}
	u64_map_release(&seen);
}
