/* object_header: an object from its _OBJECT_HEADER — counts, type, the
 * optional name and creator headers, and the full name up through
 * NameInfo.Directory ("\RPC Control\lsasspirpc").
 *
 * Where the optional headers lie (struct-offsets.md "Object header
 * notes"): below the header.  XP, 2003 and Vista say the name info's
 * distance in NameInfoOffset and the creator info's presence in Flags bit
 * 0x04 (ReactOS sdk/include/ndk/obtypes.h OB_FLAG_CREATOR_INFO), the
 * creator info lying right below the header.  Win7+ sets InfoMask bit i
 * for optional header i, the headers stacked downward in increasing bit
 * order, so header i lies at header − the sizes of the present headers
 * 0..i (Volatility 3 extensions/pool.py OBJECT_HEADER.NameInfo, which
 * reads the same sums from nt!ObpInfoMaskToOffset). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "walk_internal.h"

#define OB_FLAG_CREATOR_INFO 0x04
enum { INFO_CREATOR = KERNEL_INFO_CREATOR, INFO_NAME = KERNEL_INFO_NAME, INFO_BITS = 8 };
/* Directories above an object: "\A\B\...", far fewer in practice. */
enum { NAME_DEPTH_MAX = 32 };

static int32_t optional_header_size(const struct kernel_profile *p, unsigned bit)
{
	const int32_t sizes[INFO_BITS] = {
		p->object_header_creator_info_size, p->object_header_name_info_size,
		p->object_header_handle_info_size,  p->object_header_quota_info_size,
		p->object_header_process_info_size, p->object_header_audit_info_size,
		p->object_header_extended_info_size, p->object_header_padding_info_size,
	};
	return sizes[bit];
}

struct error *kernel_read_object_header(struct kernel *kernel, uint64_t body, uint64_t *header, struct kernel_block *block)
{
	const struct kernel_profile *p = kernel->profile;
	struct error *error = kernel_need(kernel, p->object_header_body, "_OBJECT_HEADER.Body");
	if (error)
		return error;
	if (!kernel_address_ok(kernel, body, kernel->pointer_size))
		return error_new(ERROR_FORMAT, "object 0x%" PRIx64 " is no kernel address", body);
	*header = body - (uint64_t)p->object_header_body;
	return kernel_read_block(kernel, *header, (size_t)p->object_header_body, block);
}

/* The address of optional header bit (INFO_NAME, INFO_CREATOR) of the
 * object whose header block is given; 0 when it has none or its place
 * cannot be told. */
uint64_t kernel_optional_header(struct kernel *kernel, uint64_t header, const struct kernel_block *block,
				unsigned bit)
{
	const struct kernel_profile *p = kernel->profile;
	if (kernel->profile->object_header_scheme == OBJECT_HEADER_TYPE_POINTER) {
		uint8_t value;
		if (bit == INFO_NAME)
			return block_u8(block, p->object_header_name_info_offset, &value) && value
				       ? header - value : 0;
		if (bit == INFO_CREATOR && p->object_header_creator_info_size != PROFILE_ABSENT &&
		    block_u8(block, p->object_header_flags, &value) && (value & OB_FLAG_CREATOR_INFO))
			return header - (uint64_t)p->object_header_creator_info_size;
		return 0;
	}
	uint8_t mask;
	if (!block_u8(block, p->object_header_info_mask, &mask) || !(mask & (1u << bit)))
		return 0;
	uint64_t below = 0;
	for (unsigned i = 0; i <= bit; i++) {
		if (!(mask & (1u << i)))
			continue;
		int32_t size = optional_header_size(p, i);
		if (size == PROFILE_ABSENT)
			return 0;
		below += (uint64_t)size;
	}
	return header - below;
}

struct name_part {
	char text[KERNEL_NAME_SIZE];
};

/* Joins parts (the object's own name first) into "\Dir\Name": the root
 * directory is named "\" itself. */
static void join_name(const struct name_part *parts, unsigned count, char *name)
{
	size_t used = 0;
	name[0] = '\0';
	for (unsigned i = count; i-- > 0;) {
		const char *text = parts[i].text;
		bool root = strcmp(text, "\\") == 0;
		bool separator = !root && used > 0 && name[used - 1] != '\\';
		int written = snprintf(name + used, KERNEL_NAME_SIZE - used, "%s%s", separator ? "\\" : "", text);
		if (written < 0 || (size_t)written >= KERNEL_NAME_SIZE - used) {
			name[KERNEL_NAME_SIZE - 1] = '\0';
			return;
		}
		used += (size_t)written;
	}
}

static void read_full_name(struct kernel *kernel, uint64_t body, uint64_t name_info, char *name)
{
	const struct kernel_profile *p = kernel->profile;
	static const char marker;
	struct name_part parts[NAME_DEPTH_MAX];
	unsigned count = 0;
	struct u64_map seen = { 0 };
	uint64_t object = body;
	while (name_info && count < NAME_DEPTH_MAX) {
		u64_map_put(&seen, object, (void *)&marker);
		struct error *error = kernel_read_unicode(kernel, name_info + (uint64_t)p->object_header_name_info_name,
							  parts[count].text, sizeof parts[count].text);
		uint64_t directory = 0;
		if (!error)
			error = kernel_read_pointer(kernel, name_info + (uint64_t)p->object_header_name_info_directory,
						    &directory);
		if (error) {
			kernel_warn(kernel, body, "object 0x%" PRIx64 ": the name info at 0x%" PRIx64 " cannot be read (%s)",
				    body, name_info, error_detail(error));
			error_free(error);
			break;
		}
		count++;
		if (!directory)
			break;
		if (u64_map_get(&seen, directory)) {
			kernel_warn(kernel, body, "object 0x%" PRIx64 ": its directories loop at 0x%" PRIx64, body,
				    directory);
			break;
		}
		uint64_t header;
		struct kernel_block block;
		error = kernel_read_object_header(kernel, directory, &header, &block);
		if (error) {
			kernel_warn(kernel, body, "object 0x%" PRIx64 ": its directory 0x%" PRIx64 " cannot be read (%s)",
				    body, directory, error_detail(error));
			error_free(error);
			break;
		}
		object = directory;
		name_info = kernel_optional_header(kernel, header, &block, INFO_NAME);
	}
	u64_map_release(&seen);
	join_name(parts, count, name);
}

struct error *kernel_object_at(struct kernel *kernel, uint64_t body, struct kernel_object *object)
{
	const struct kernel_profile *p = kernel->profile;
	memset(object, 0, sizeof *object);
	object->body = body;
	uint64_t header;
	struct kernel_block block;
	struct error *error = kernel_read_object_header(kernel, body, &header, &block);
	if (error)
		return error;
	object->header = header;
	block_pointer(kernel, &block, p->object_header_pointer_count, &object->pointer_count);
	block_pointer(kernel, &block, p->object_header_handle_count, &object->handle_count);
	kernel_type_name(kernel, header, &block, object->type_name);
	uint64_t name_info = kernel_optional_header(kernel, header, &block, INFO_NAME);
	if (name_info && p->object_header_name_info_name != PROFILE_ABSENT &&
	    p->object_header_name_info_directory != PROFILE_ABSENT)
		read_full_name(kernel, body, name_info, object->name);
	uint64_t creator = kernel_optional_header(kernel, header, &block, INFO_CREATOR);
	if (creator && p->object_header_creator_info_creator_unique_process != PROFILE_ABSENT) {
		error = kernel_read_pointer(kernel, creator + (uint64_t)p->object_header_creator_info_creator_unique_process,
					    &object->creator_pid);
		if (error) {
			kernel_warn(kernel, body, "object 0x%" PRIx64 ": the creator info at 0x%" PRIx64 " cannot be read (%s)",
				    body, creator, error_detail(error));
			error_free(error);
		}
	}
	return NULL;
}
