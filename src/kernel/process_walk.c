/* process_walk: every process on PsActiveProcessHead, the list of
 * _EPROCESS.ActiveProcessLinks (struct-offsets.md _EPROCESS), in list
 * order.  An EPROCESS that cannot be read is a warning naming it; the walk
 * goes on as long as its list entry can be read. */
#include <inttypes.h>
#include <string.h>

#include "walk_internal.h"

struct error *kernel_read_process(struct kernel *kernel, uint64_t eprocess, struct kernel_process *process)
{
	const struct kernel_profile *p = kernel->profile;
	const int32_t pointers[] = {
		p->eprocess_unique_process_id, p->eprocess_inherited_from_unique_process_id,
		p->kprocess_directory_table_base, p->eprocess_object_table,
	};
	const int32_t others[] = {
		p->eprocess_create_time, p->eprocess_exit_time, p->eprocess_image_file_name + 8,
		p->eprocess_active_threads,
	};
	size_t extent = block_extent(pointers, 4, kernel->pointer_size);
	size_t more = block_extent(others, 4, 8);
	if (more > extent)
		extent = more;
	struct error *error = kernel_need(kernel, p->eprocess_unique_process_id, "_EPROCESS.UniqueProcessId");
	if (!error)
		error = kernel_need(kernel, p->eprocess_image_file_name, "_EPROCESS.ImageFileName");
	if (error)
		return error;
	/* A profile loaded with --profile may place fields anywhere inside a
	 * structure of up to 1 MiB; one block holds KERNEL_BLOCK_MAX bytes,
	 * and ImageFileName is copied from it without a per-field check. */
	if (extent > KERNEL_BLOCK_MAX)
		return error_new(ERROR_UNSUPPORTED,
				 "profile %s places _EPROCESS fields up to 0x%zx, past the 0x%x bytes read of one",
				 kernel->profile->name, extent, (unsigned)KERNEL_BLOCK_MAX);
	struct kernel_block block;
	error = kernel_read_block(kernel, eprocess, extent, &block);
	if (error)
		return error;
	memset(process, 0, sizeof *process);
	process->address = eprocess;
	block_pointer(kernel, &block, p->eprocess_unique_process_id, &process->pid);
	block_pointer(kernel, &block, p->eprocess_inherited_from_unique_process_id, &process->parent_pid);
	/* ImageFileName is UCHAR[15]; the 16th byte is kept as NUL. */
	memcpy(process->image, block.bytes + p->eprocess_image_file_name, 15);
	process->image[15] = '\0';
	block_pointer(kernel, &block, p->kprocess_directory_table_base, &process->directory_table_base);
	block_pointer(kernel, &block, p->eprocess_object_table, &process->object_table);
	block_u64(&block, p->eprocess_create_time, &process->create_time);
	block_u64(&block, p->eprocess_exit_time, &process->exit_time);
	block_u32(&block, p->eprocess_active_threads, &process->active_threads);
	return NULL;
}

struct process_walk {
	struct kernel *kernel;
	kernel_process_visitor visit;
	void *context;
};

static bool visit_entry(void *context, uint64_t entry)
{
	struct process_walk *walk = context;
	struct kernel *kernel = walk->kernel;
	uint64_t eprocess = entry - (uint64_t)kernel->profile->eprocess_active_process_links;
	struct kernel_process process;
	struct error *error = kernel_read_process(kernel, eprocess, &process);
	if (error) {
		kernel_warn(kernel, eprocess, "EPROCESS 0x%" PRIx64 " cannot be read (%s); skipped", eprocess,
			    error_detail(error));
		error_free(error);
		return true;
	}
	return walk->visit(walk->context, &process);
}

struct error *kernel_walk_processes(struct kernel *kernel, kernel_process_visitor visit, void *context)
{
	struct error *error = kernel_need(kernel, kernel->profile->eprocess_active_process_links,
					  "_EPROCESS.ActiveProcessLinks");
	if (error)
		return error;
	struct process_walk walk = { kernel, visit, context };
	error = kernel_walk_list(kernel, kernel->process_head, "the process list (PsActiveProcessHead)",
				 visit_entry, &walk);
	if (error) {
		struct error *framed = error_new(error->code, "the process list head 0x%" PRIx64 " cannot be read: %s",
						 kernel->process_head, error_detail(error));
		error_free(error);
		return framed;
	}
	return NULL;
}
