/* object_types: which type an object header names.
 *
 * XP, 2003, Vista: _OBJECT_HEADER.Type points at the _OBJECT_TYPE, whose
 * Name says it.  Win7 and 8.x: TypeIndex indexes nt!ObTypeIndexTable (an
 * array of _OBJECT_TYPE pointers).  Win10+: the stored byte is the index
 * xor ObHeaderCookie's low byte xor bits 8..15 of the header's address
 * (struct-offsets.md "Object header notes"; Volatility 3
 * framework/symbols/windows/extensions/pool.py,
 * OBJECT_HEADER.get_object_type).
 *
 * The table and the cookie come from the profile's symbol RVAs when the
 * image's ntkrnlmp.pdb is the profile's.  Otherwise they are recovered
 * from objects whose type is known: every process is a "Process".  An
 * object's creator info (when the system keeps it) is linked on its
 * type's _OBJECT_TYPE.TypeList, so the list through a process's creator
 * info reaches the "Process" type, whose Index is the process index; the
 * type objects are objects too, linked the same way on the "Type" type's
 * list, which gives every other type's Name and Index.  The cookie then
 * follows from the pool.py formula turned round: cookie = TypeIndex ^
 * address byte ^ index of "Process", the same for every process. */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "walk_internal.h"

/* Processes looked at to recover types and the cookie: enough to see
 * the cookie agree, few enough to cost nothing. */
enum { RECOVERY_PROCESSES = 64 };

static bool plausible_type_name(const char *name)
{
	size_t length = strlen(name);
	if (length == 0 || length >= KERNEL_TYPE_NAME_SIZE)
		return false;
	for (size_t i = 0; i < length; i++)
		if (!isprint((unsigned char)name[i]))
			return false;
	return true;
}

/* The Name and Index of the _OBJECT_TYPE at type, when they look like a
 * type's. */
static bool read_type(struct kernel *kernel, uint64_t type, char name[KERNEL_TYPE_NAME_SIZE], uint8_t *index)
{
	const struct kernel_profile *p = kernel->profile;
	if (!kernel_address_ok(kernel, type, kernel->pointer_size) || p->object_type_name == PROFILE_ABSENT)
		return false;
	struct error *error = kernel_read_unicode(kernel, type + (uint64_t)p->object_type_name, name,
						  KERNEL_TYPE_NAME_SIZE);
	if (!error && index) {
		*index = 0;
		if (p->object_type_index != PROFILE_ABSENT)
			error = kernel_read_u8(kernel, type + (uint64_t)p->object_type_index, index);
	}
	if (error) {
		error_free(error);
		name[0] = '\0';
		return false;
	}
	return plausible_type_name(name);
}

static void name_slot(struct kernel *kernel, uint8_t index, const char *name)
{
	if (!kernel->type_names[index][0])
		strcpy(kernel->type_names[index], name);
}

static bool table_from_symbols(struct kernel *kernel)
{
	const struct kernel_profile *p = kernel->profile;
	if (!kernel->symbols || p->ob_type_index_table_rva == PROFILE_ABSENT)
		return false;
	uint64_t table = kernel->kernel_base.value + (uint64_t)p->ob_type_index_table_rva;
	unsigned found = 0;
	for (unsigned i = 0; i < KERNEL_TYPE_SLOTS; i++) {
		uint64_t type;
		struct error *error = kernel_read_pointer(kernel, table + (uint64_t)i * kernel->pointer_size, &type);
		if (error) {
			kernel_warn(kernel, table, "ObTypeIndexTable at 0x%" PRIx64 " cannot be read (%s)", table,
				    error_detail(error));
			error_free(error);
			return found > 0;
		}
		char name[KERNEL_TYPE_NAME_SIZE];
		if (type && read_type(kernel, type, name, NULL)) {
			name_slot(kernel, (uint8_t)i, name);
			found++;
		}
	}
	return found > 0;
}

static bool cookie_from_symbols(struct kernel *kernel)
{
	const struct kernel_profile *p = kernel->profile;
	if (!kernel->symbols || p->ob_header_cookie_rva == PROFILE_ABSENT)
		return false;
	uint64_t address = kernel->kernel_base.value + (uint64_t)p->ob_header_cookie_rva;
	uint8_t cookie;
	struct error *error = kernel_read_u8(kernel, address, &cookie);
	if (error) {
		kernel_warn(kernel, address, "ObHeaderCookie at 0x%" PRIx64 " cannot be read (%s)", address,
			    error_detail(error));
		error_free(error);
		return false;
	}
	kernel->header_cookie = known_u64(cookie);
	return true;
}

/* ---- recovery from known objects ------------------------------------- */

struct processes_seen {
	uint64_t bodies[RECOVERY_PROCESSES];
	unsigned count;
};

static bool remember_process(void *context, const struct kernel_process *process)
{
	struct processes_seen *seen = context;
	seen->bodies[seen->count++] = process->address;
	return seen->count < RECOVERY_PROCESSES;
}

struct type_search {
	struct kernel *kernel;
	const char *wanted; /* NULL: every type */
	uint64_t found;
};

/* The body behind a creator info's TypeList entry, when the object there
 * says it has that creator info. */
static uint64_t body_of_creator_entry(struct kernel *kernel, uint64_t entry)
{
	const struct kernel_profile *p = kernel->profile;
	if (p->object_header_creator_info_size == PROFILE_ABSENT ||
	    p->object_header_creator_info_type_list == PROFILE_ABSENT)
		return 0;
	uint64_t creator = entry - (uint64_t)p->object_header_creator_info_type_list;
	uint64_t header = creator + (uint64_t)p->object_header_creator_info_size;
	uint64_t body = header + (uint64_t)p->object_header_body;
	struct kernel_block block;
	uint64_t at;
	struct error *error = kernel_read_object_header(kernel, body, &at, &block);
	if (error) {
		error_free(error);
		return 0;
	}
	return kernel_optional_header(kernel, header, &block, KERNEL_INFO_CREATOR) == creator ? body : 0;
}

static bool visit_type_list_entry(void *context, uint64_t entry)
{
	struct type_search *search = context;
	struct kernel *kernel = search->kernel;
	const struct kernel_profile *p = kernel->profile;
	uint64_t candidates[2] = { body_of_creator_entry(kernel, entry), 0 };
	if (p->object_type_type_list != PROFILE_ABSENT)
		candidates[1] = entry - (uint64_t)p->object_type_type_list; /* the list's head: the type itself */
	for (unsigned i = 0; i < 2; i++) {
		char name[KERNEL_TYPE_NAME_SIZE];
		uint8_t index;
		if (!candidates[i] || !read_type(kernel, candidates[i], name, &index))
			continue;
		if (search->wanted) {
			if (strcmp(name, search->wanted) == 0) {
				search->found = candidates[i];
				return false;
			}
			continue;
		}
		name_slot(kernel, index, name);
		return true;
	}
	return true;
}

/* A warning sink that drops what it is told: recovery walks lists of
 * unknown shape and its failures are summed up in one warning. */
static void ignore_warning(void *context, uint64_t address, const char *text)
{
	(void)context;
	(void)address;
	(void)text;
}

static void walk_type_list(struct kernel *kernel, uint64_t creator, struct type_search *search)
{
	struct kernel_warnings kept = kernel->warnings;
	kernel->warnings = (struct kernel_warnings){ ignore_warning, NULL };
	struct error *error = kernel_walk_list(kernel, creator + (uint64_t)kernel->profile->object_header_creator_info_type_list,
					       "a type list", visit_type_list_entry, search);
	error_free(error);
	kernel->warnings = kept;
}

static uint64_t creator_info_of(struct kernel *kernel, uint64_t body)
{
	uint64_t header;
	struct kernel_block block;
	struct error *error = kernel_read_object_header(kernel, body, &header, &block);
	if (error) {
		error_free(error);
		return 0;
	}
	return kernel_optional_header(kernel, header, &block, KERNEL_INFO_CREATOR);
}

/* The "Process" _OBJECT_TYPE, reached through a process's creator info. */
static uint64_t find_process_type(struct kernel *kernel, const struct processes_seen *seen)
{
	if (kernel->profile->object_header_creator_info_type_list == PROFILE_ABSENT)
		return 0;
	for (unsigned i = 0; i < seen->count && i < 4; i++) {
		uint64_t creator = creator_info_of(kernel, seen->bodies[i]);
		if (!creator)
			continue;
		struct type_search search = { kernel, "Process", 0 };
		walk_type_list(kernel, creator, &search);
		if (search.found)
			return search.found;
	}
	return 0;
}

static bool table_from_objects(struct kernel *kernel, const struct processes_seen *seen, int *process_index)
{
	uint64_t process_type = find_process_type(kernel, seen);
	char name[KERNEL_TYPE_NAME_SIZE];
	uint8_t index;
	if (!process_type || !read_type(kernel, process_type, name, &index))
		return false;
	*process_index = index;
	name_slot(kernel, index, name);
	uint64_t creator = creator_info_of(kernel, process_type);
	if (creator) {
		struct type_search search = { kernel, NULL, 0 };
		walk_type_list(kernel, creator, &search);
	}
	return true;
}

static int index_named(const struct kernel *kernel, const char *name)
{
	for (unsigned i = 0; i < KERNEL_TYPE_SLOTS; i++)
		if (strcmp(kernel->type_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* cookie = TypeIndex ^ address byte ^ index of "Process", which every
 * process's header must agree on. */
static void cookie_from_processes(struct kernel *kernel, const struct processes_seen *seen, int process_index)
{
	const struct kernel_profile *p = kernel->profile;
	unsigned votes[256] = { 0 }, read = 0;
	for (unsigned i = 0; i < seen->count; i++) {
		uint64_t header = seen->bodies[i] - (uint64_t)p->object_header_body;
		uint8_t stored;
		struct error *error = kernel_read_u8(kernel, header + (uint64_t)p->object_header_type_index, &stored);
		if (error) {
			error_free(error);
			continue;
		}
		votes[(uint8_t)(stored ^ ((header >> 8) & 0xff) ^ (unsigned)process_index)]++;
		read++;
	}
	unsigned best = 0;
	for (unsigned c = 1; c < 256; c++)
		if (votes[c] > votes[best])
			best = c;
	if (read == 0)
		return;
	if (votes[best] != read)
		kernel_warn(kernel, 0, "ObHeaderCookie recovered as 0x%02x from %u of %u process headers; the others disagree",
			    best, votes[best], read);
	kernel->header_cookie = known_u64(best);
}

void kernel_find_types(struct kernel *kernel)
{
	if (kernel->types_tried)
		return;
	kernel->types_tried = true;
	enum object_header_scheme scheme = kernel->profile->object_header_scheme;
	if (scheme == OBJECT_HEADER_TYPE_POINTER)
		return;
	bool table = table_from_symbols(kernel);
	if (scheme == OBJECT_HEADER_TYPE_COOKIE)
		cookie_from_symbols(kernel);
	bool cookie_needed = scheme == OBJECT_HEADER_TYPE_COOKIE && !kernel->header_cookie.known;
	if (table && !cookie_needed)
		return;
	struct processes_seen seen = { .count = 0 };
	struct error *error = kernel_walk_processes(kernel, remember_process, &seen);
	error_free(error);
	int process_index = index_named(kernel, "Process");
	if (!table && !table_from_objects(kernel, &seen, &process_index)) {
		kernel_warn(kernel, 0,
			    "object types cannot be named: no kernel symbols for ObTypeIndexTable, and no "
			    "creator info links a process to the \"Process\" type");
		return;
	}
	if (cookie_needed && process_index >= 0)
		cookie_from_processes(kernel, &seen, process_index);
	if (scheme == OBJECT_HEADER_TYPE_COOKIE && !kernel->header_cookie.known)
		kernel_warn(kernel, 0, "ObHeaderCookie is not known: object types cannot be told");
}

static const char *name_of_type_pointer(struct kernel *kernel, uint64_t type)
{
	char *name = u64_map_get(&kernel->type_by_pointer, type);
	if (name)
		return name;
	char text[KERNEL_TYPE_NAME_SIZE];
	if (!read_type(kernel, type, text, NULL))
		return "";
	name = checked_strdup(text);
	ptr_vec_push(&kernel->type_name_storage, name);
	u64_map_put(&kernel->type_by_pointer, type, name);
	return name;
}

void kernel_type_name(struct kernel *kernel, uint64_t header, const struct kernel_block *header_block,
		      char name[KERNEL_TYPE_NAME_SIZE])
{
	const struct kernel_profile *p = kernel->profile;
	name[0] = '\0';
	if (p->object_header_scheme == OBJECT_HEADER_TYPE_POINTER) {
		uint64_t type;
		if (block_pointer(kernel, header_block, p->object_header_type, &type))
			strcpy(name, name_of_type_pointer(kernel, type));
		return;
	}
	uint8_t stored;
	if (!block_u8(header_block, p->object_header_type_index, &stored))
		return;
	kernel_find_types(kernel);
	uint8_t index = stored;
	if (p->object_header_scheme == OBJECT_HEADER_TYPE_COOKIE) {
		if (!kernel->header_cookie.known)
			return;
		index = (uint8_t)(stored ^ kernel->header_cookie.value ^ ((header >> 8) & 0xff));
	}
	strcpy(name, kernel->type_names[index]);
}
