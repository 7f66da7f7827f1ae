/* thread_walk: a process's threads, the list of _ETHREAD.ThreadListEntry
 * on _EPROCESS.ThreadListHead (struct-offsets.md _ETHREAD), with Cid,
 * state, wait reason, what the thread waits on, and its ALPC (Vista+) or
 * LPC (XP, 2003) fields. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "walk_internal.h"

/* LpcReplyMessage and LpcWaitingOnPort share storage; the low 2 bits are
 * flags (struct-offsets.md "Legacy LPC thread fields"; ReactOS
 * ntoskrnl/include/internal/lpc.h).  Kept as stored: the ipc room tells
 * a port from a message by bit 0. */

static size_t thread_extent(const struct kernel *kernel)
{
	const struct kernel_profile *p = kernel->profile;
	const int32_t pointers[] = {
		p->ethread_cid + p->client_id_unique_thread, p->ethread_cid + p->client_id_unique_process,
		p->ethread_start_address, p->ethread_win32_start_address, p->ethread_alpc_message,
		p->kthread_wait_block_list, p->ethread_lpc_reply_message,
	};
	const int32_t longs[] = {
		p->kthread_state, p->kthread_wait_reason, p->kthread_wait_mode, p->kthread_wait_time,
		p->ethread_alpc_message_id, p->ethread_lpc_reply_message_id, p->ethread_lpc_received_message_id,
		p->ethread_lpc_received_msg_id_valid.offset,
	};
	size_t extent = block_extent(pointers, sizeof pointers / sizeof *pointers, kernel->pointer_size);
	size_t more = block_extent(longs, sizeof longs / sizeof *longs, 8);
	return more > extent ? more : extent;
}

static void decode_thread(struct kernel *kernel, const struct kernel_block *block, uint64_t process,
			  struct kernel_thread *thread)
{
	const struct kernel_profile *p = kernel->profile;
	memset(thread, 0, sizeof *thread);
	thread->address = block->va;
	thread->process = process;
	block_pointer(kernel, block, p->ethread_cid + p->client_id_unique_process, &thread->pid);
	block_pointer(kernel, block, p->ethread_cid + p->client_id_unique_thread, &thread->tid);
	block_u8(block, p->kthread_state, &thread->state);
	block_u8(block, p->kthread_wait_reason, &thread->wait_reason);
	block_u8(block, p->kthread_wait_mode, &thread->wait_mode);
	block_u32(block, p->kthread_wait_time, &thread->wait_time);
	block_pointer(kernel, block, p->ethread_start_address, &thread->start_address);
	block_pointer(kernel, block, p->ethread_win32_start_address, &thread->win32_start_address);
	if (p->ethread_alpc_message_id != PROFILE_ABSENT) {
		/* ULONG_PTR AlpcMessageId (struct-offsets.md _ETHREAD) */
		block_pointer(kernel, block, p->ethread_alpc_message_id, &thread->alpc_message_id);
		block_pointer(kernel, block, p->ethread_alpc_message, &thread->alpc_message);
	}
	if (p->ethread_lpc_reply_message_id != PROFILE_ABSENT) {
		uint32_t id;
		if (block_u32(block, p->ethread_lpc_reply_message_id, &id))
			thread->lpc_reply_message_id = id;
		uint64_t valid;
		if (block_bits(block, p->ethread_lpc_received_msg_id_valid, &valid) && valid &&
		    block_u32(block, p->ethread_lpc_received_message_id, &id)) {
			thread->lpc_received_message_id_valid = true;
			thread->lpc_received_message_id = id;
		}
		block_pointer(kernel, block, p->ethread_lpc_reply_message, &thread->lpc_waiting_on);
	}
	kernel_read_wait_objects(kernel, block, thread);
}

struct thread_walk {
	struct kernel *kernel;
	const struct kernel_process *process;
	uint64_t head;
	size_t extent;
	kernel_thread_visitor visit;
	void *context;
};

static bool visit_entry(void *context, uint64_t entry)
{
	struct thread_walk *walk = context;
	struct kernel *kernel = walk->kernel;
	uint64_t ethread = entry - (uint64_t)kernel->profile->ethread_thread_list_entry;
	/* The map stores head + 1 so that no head reads as "not linked". */
	uint64_t linked_by = (uint64_t)(uintptr_t)u64_map_get(&kernel->thread_list_of, entry);
	if (linked_by && linked_by - 1 != walk->head) {
		kernel_warn(kernel, walk->head,
			    "the thread list of process 0x%" PRIx64 " at 0x%" PRIx64 ": entry 0x%" PRIx64
			    " lies on the thread list at 0x%" PRIx64 " too; walk stopped",
			    walk->process->address, walk->head, entry, linked_by - 1);
		return false;
	}
	if (!linked_by)
		u64_map_put(&kernel->thread_list_of, entry, (void *)(uintptr_t)(walk->head + 1));
	struct kernel_block block;
	struct error *error = kernel_read_block(kernel, ethread, walk->extent, &block);
	if (error) {
		kernel_warn(kernel, ethread, "ETHREAD 0x%" PRIx64 " of process 0x%" PRIx64 " cannot be read (%s); skipped",
			    ethread, walk->process->address, error_detail(error));
		error_free(error);
		return true;
	}
	struct kernel_thread thread;
	decode_thread(kernel, &block, walk->process->address, &thread);
	return walk->visit(walk->context, &thread);
}

struct error *kernel_walk_threads(struct kernel *kernel, const struct kernel_process *process,
				  kernel_thread_visitor visit, void *context)
{
	const struct kernel_profile *p = kernel->profile;
	struct error *error = kernel_need(kernel, p->eprocess_thread_list_head, "_EPROCESS.ThreadListHead");
	if (!error)
		error = kernel_need(kernel, p->ethread_thread_list_entry, "_ETHREAD.ThreadListEntry");
	if (!error)
		error = kernel_need(kernel, p->ethread_cid, "_ETHREAD.Cid");
	if (error)
		return error;
	uint64_t head = process->address + (uint64_t)p->eprocess_thread_list_head;
	struct thread_walk walk = { kernel, process, head, thread_extent(kernel), visit, context };
	char what[96];
	snprintf(what, sizeof what, "the thread list of process 0x%" PRIx64, process->address);
	error = kernel_walk_list(kernel, head, what, visit_entry, &walk);
	if (error) {
		struct error *framed = error_new(error->code, "%s cannot be read: %s", what, error_detail(error));
		error_free(error);
		return framed;
	}
	return NULL;
}
