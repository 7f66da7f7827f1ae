/* kernel_open: a kernel to walk — the image's kernel address space (the
 * DTB identify_os found, under its paging), a profile, and where the
 * process list starts: PsActiveProcessHead from the crash dump header or
 * KDBG, else the profile's RVA of nt!PsActiveProcessHead from the kernel
 * base, which holds only when the image's ntkrnlmp.pdb is the profile's
 * (struct-offsets.md "Kernel symbol RVAs": valid only for that PDB), else
 * the System process found by its pool tag (process_pool_scan.c) for an
 * image with neither header nor KDBG. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "walk_internal.h"

static bool pdb_matches(const struct os_identity *os, const struct kernel_profile *profile)
{
	return profile->pdb_guid && profile->pdb_guid[0] && os->pdb_guid[0] &&
	       strcasecmp(os->pdb_guid, profile->pdb_guid) == 0 && os->pdb_age.known &&
	       os->pdb_age.value == profile->pdb_age;
}

static struct error *check_fit(const struct os_identity *os, const struct kernel_profile *profile)
{
	if (profile->incomplete)
		return error_new(ERROR_UNSUPPORTED,
				 "profile %s holds only some fields of its build; processes cannot be walked with it",
				 profile->name);
	if (!os->paging_known)
		return error_new(ERROR_UNSUPPORTED, "the paging mode of the image is not known");
	unsigned pointer = os->paging == PAGING_X64 ? 8 : 4;
	if (profile->pointer_size != pointer)
		return error_new(ERROR_UNSUPPORTED, "profile %s has %u-byte pointers, but the image uses %s paging",
				 profile->name, profile->pointer_size, paging_mode_name(os->paging));
	if (!os->dtb.known)
		return error_new(ERROR_UNSUPPORTED, "the kernel's page tables (DTB) were not found");
	return NULL;
}

struct error *kernel_open(struct physical_memory *memory, const struct os_identity *os,
			  const struct kernel_profile *profile, struct kernel_warnings warnings,
			  struct kernel **opened)
{
	*opened = NULL;
	struct error *error = check_fit(os, profile);
	if (error)
		return error;
	struct kernel *kernel = checked_calloc(1, sizeof *kernel);
	kernel->memory = memory;
	kernel->profile = profile;
	kernel->warnings = warnings;
	kernel->paging = os->paging;
	kernel->pointer_size = profile->pointer_size;
	kernel->kernel_base = os->kernel_base;
	kernel->symbols = pdb_matches(os, profile) && os->kernel_base.known;
	kernel->space = address_space_new(memory, os->paging, os->dtb.value);
	if (os->ps_active_process_head.known && os->ps_active_process_head.value) {
		kernel->process_head = os->ps_active_process_head.value;
		snprintf(kernel->process_head_source, sizeof kernel->process_head_source, "%s",
			 os->list_heads_source ? os->list_heads_source : "the image's identity");
	} else if (kernel->symbols && profile->ps_active_process_head_rva != PROFILE_ABSENT) {
		kernel->process_head = os->kernel_base.value + (uint64_t)profile->ps_active_process_head_rva;
		snprintf(kernel->process_head_source, sizeof kernel->process_head_source,
			 "the kernel base plus the profile's RVA of nt!PsActiveProcessHead");
	} else {
		/* No header, no KDBG, no symbols: the System process's pool
		 * allocation (process_pool_scan.c). */
		error = kernel_find_process_head_by_pool(kernel, os->dtb.value);
		if (error) {
			struct error *framed = error_new(
				ERROR_UNSUPPORTED,
				"the process list cannot be found: no PsActiveProcessHead in the dump header "
				"or KDBG, %s, and %s",
				os->kernel_base.known ? "the image's ntkrnlmp.pdb is not the profile's, so its "
							"symbol RVAs do not hold"
						      : "the kernel base is not known",
				error_detail(error));
			error_free(error);
			kernel_close(kernel);
			return framed;
		}
	}
	if (!kernel_address_ok(kernel, kernel->process_head, kernel->pointer_size)) {
		uint64_t head = kernel->process_head;
		kernel_close(kernel);
		return error_new(ERROR_FORMAT, "PsActiveProcessHead 0x%" PRIx64 " is no kernel address", head);
	}
	*opened = kernel;
	return NULL;
}

void kernel_close(struct kernel *kernel)
{
	if (!kernel)
		return;
	for (size_t i = 0; i < kernel->type_name_storage.count; i++)
		free(kernel->type_name_storage.items[i]);
	ptr_vec_release(&kernel->type_name_storage);
	address_space_free(kernel->space);
	u64_map_release(&kernel->type_by_pointer);
	u64_map_release(&kernel->thread_list_of);
	u64_map_release(&kernel->handle_page_of);
	free(kernel);
}

uint64_t kernel_process_list_head(const struct kernel *kernel)
{
	return kernel->process_head;
}

const char *kernel_process_list_source(const struct kernel *kernel)
{
	return kernel->process_head_source;
}

const struct kernel_profile *kernel_profile_in_use(const struct kernel *kernel)
{
	return kernel->profile;
}

struct address_space *kernel_address_space(struct kernel *kernel)
{
	return kernel->space;
}
