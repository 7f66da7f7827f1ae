/* Processes, threads and what threads wait on: _EPROCESS on
 * PsActiveProcessHead, _ETHREAD on its process's lists, a wait block
 * naming the object waited on, _KMUTANT and _KEVENT.  Offsets:
 * forge_layouts.h; dispatcher types: the ISF enum _KOBJECTS. */
#include <string.h>

#include "forge_objects_internal.h"

#define IMAGE_FILE_NAME_BYTES 15 /* UCHAR[15], struct-offsets.md _EPROCESS */
/* WAIT_TYPE (wdm.h, documented with KeWaitForMultipleObjects): WaitAll 0,
 * WaitAny 1; a single-object wait is WaitAny. */
#define WAIT_ANY 1

uint64_t forge_process_ex(struct forge_windows *windows, const struct forge_process_spec *spec)
{
	const struct forge_layout *l = &windows->layout;
	if (spec->handle_levels > 2) {
		forge_note_misuse(windows->forge, "forge_process: %u handle-table levels (0, 1 or 2)",
				  spec->handle_levels);
		return 0;
	}
	uint64_t process = forge_object_with_creator(windows, FORGE_TYPE_PROCESS, l->process.size, NULL,
						     spec->parent_pid);
	if (!process)
		return 0;
	forge_dispatcher_header(windows, process, FORGE_KOBJECT_PROCESS, 0);
	forge_kernel_write_pointer(windows, process + l->process.directory_table_base,
				   spec->directory_table_base ? spec->directory_table_base
							      : forge_dtb(windows->forge));
	forge_list_init(windows, process + l->process.pcb_thread_list_head);
	forge_list_init(windows, process + l->process.thread_list_head);
	forge_put_u64(windows, process + l->process.create_time, spec->create_time);
	forge_kernel_write_pointer(windows, process + l->process.unique_process_id, spec->pid);
	forge_kernel_write_pointer(windows, process + l->process.inherited_from_unique_process_id,
				   spec->parent_pid);
	if (spec->image_name) {
		uint8_t name[IMAGE_FILE_NAME_BYTES] = { 0 };
		size_t length = strlen(spec->image_name);
		memcpy(name, spec->image_name, length < sizeof name ? length : sizeof name);
		forge_kernel_write(windows, process + l->process.image_file_name, name, sizeof name);
	}
	if (l->process.alpc_context != FORGE_NONE)
		forge_list_init(windows, process + l->process.alpc_context + l->alpc_process_context.view_list_head);
	forge_list_insert_tail(windows, windows->facts.ps_active_process_head,
			       process + l->process.active_process_links);

	struct forge_process_record *record = checked_calloc(1, sizeof *record);
	record->eprocess = process;
	record->pid = spec->pid;
	record->levels = spec->handle_levels;
	record->next_handle = 4;
	ptr_vec_push(&windows->process_records, record);
	u64_map_put(&windows->processes, process, record);
	forge_handle_table_new(windows, record);
	return process;
}

uint64_t forge_process(struct forge_windows *windows, uint64_t pid, const char *image_name)
{
	struct forge_process_spec spec = { .pid = pid, .image_name = image_name };
	return forge_process_ex(windows, &spec);
}

uint64_t forge_thread(struct forge_windows *windows, uint64_t process, uint64_t tid, unsigned state,
		      unsigned wait_reason)
{
	const struct forge_layout *l = &windows->layout;
	struct forge_process_record *owner = forge_find_process(windows, process, "forge_thread");
	if (!owner)
		return 0;
	uint64_t thread = forge_object_with_creator(windows, FORGE_TYPE_THREAD, l->thread.size, NULL, owner->pid);
	if (!thread)
		return 0;
	forge_dispatcher_header(windows, thread, FORGE_KOBJECT_THREAD, 0);
	forge_put_u8(windows, thread + l->thread.kthread_state, (uint8_t)state);
	forge_put_u8(windows, thread + l->thread.wait_reason, (uint8_t)wait_reason);
	forge_kernel_write_pointer(windows, thread + l->thread.apc_state_process, process);
	/* XP keeps the process in ApcState and ETHREAD.ThreadsProcess only;
	 * 2003 adds KTHREAD.Process; Vista drops ThreadsProcess. */
	if (l->thread.kthread_process != FORGE_NONE)
		forge_kernel_write_pointer(windows, thread + l->thread.kthread_process, process);
	if (l->thread.threads_process != FORGE_NONE)
		forge_kernel_write_pointer(windows, thread + l->thread.threads_process, process);
	forge_kernel_write_pointer(windows, thread + l->thread.cid + l->client_id.unique_process, owner->pid);
	forge_kernel_write_pointer(windows, thread + l->thread.cid + l->client_id.unique_thread, tid);
	forge_list_insert_tail(windows, process + l->process.pcb_thread_list_head,
			       thread + l->thread.kthread_thread_list_entry);
	forge_list_insert_tail(windows, process + l->process.thread_list_head, thread + l->thread.thread_list_entry);
	uint8_t count[4];
	forge_kmem_read(windows, process + l->process.active_threads, count, 4);
	forge_kernel_write_u32(windows, process + l->process.active_threads, get_le32(count) + 1);

	struct forge_thread_record *record = checked_calloc(1, sizeof *record);
	record->ethread = thread;
	record->tid = tid;
	record->process = owner;
	ptr_vec_push(&windows->records, record);
	u64_map_put(&windows->threads, thread, record);
	return thread;
}

uint64_t forge_thread_waits_on(struct forge_windows *windows, uint64_t thread, uint64_t object)
{
	const struct forge_layout *l = &windows->layout;
	if (!forge_find_thread(windows, thread, "forge_thread_waits_on"))
		return 0;
	uint64_t block = thread + l->thread.wait_block;
	forge_kernel_write_pointer(windows, block + l->wait_block.thread, thread);
	forge_kernel_write_pointer(windows, block + l->wait_block.object, object);
	forge_put_u8(windows, block + l->wait_block.wait_type, WAIT_ANY);
	/* Before Win8 the blocks of one wait are a ring through
	 * NextWaitBlock; one block points at itself. */
	if (l->wait_block.next_wait_block != FORGE_NONE)
		forge_kernel_write_pointer(windows, block + l->wait_block.next_wait_block, block);
	forge_kernel_write_pointer(windows, thread + l->thread.wait_block_list, block);
	forge_list_insert_tail(windows, object + l->dispatcher_header.wait_list_head,
			       block + l->wait_block.wait_list_entry);
	return block;
}

/* An owned mutant has SignalState 0 and its OwnerThread, a free one
 * SignalState 1 (ReactOS ntoskrnl/ke/mutex.c, KeInitializeMutant). */
uint64_t forge_mutant(struct forge_windows *windows, uint64_t owner_thread, const char *name)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t mutant = forge_object(windows, FORGE_TYPE_MUTANT, l->mutant.size, name);
	if (!mutant)
		return 0;
	forge_dispatcher_header(windows, mutant + l->mutant.header, FORGE_KOBJECT_MUTANT, owner_thread ? 0 : 1);
	forge_kernel_write_pointer(windows, mutant + l->mutant.owner_thread, owner_thread);
	return mutant;
}

uint64_t forge_event(struct forge_windows *windows, const char *name)
{
	uint64_t event = forge_object(windows, FORGE_TYPE_EVENT, windows->layout.event.size, name);
	if (event)
		forge_dispatcher_header(windows, event, FORGE_KOBJECT_EVENT_NOTIFICATION, 0);
	return event;
}
