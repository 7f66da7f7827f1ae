/* Processes and threads from the kernel walks into the snapshot, named as
 * `!process 0 ff` and `!thread` print them (debugger-output-formats.md
 * §3.2): "WAIT: (WrLpcReply) UserMode", wait objects by their dispatcher
 * type, a mutant with its owning thread. */
#include <stdlib.h>
#include <string.h>

#include "ipc_internal.h"

void walked_kernel_release(struct walked_kernel *walked)
{
	free(walked->processes);
	free(walked->threads);
	memset(walked, 0, sizeof *walked);
}

void ipc_forward_warning(void *context, uint64_t address, const char *text)
{
	snapshot_warn(context, origin_virtual(address), "%s", text);
}

/* _KTHREAD_STATE (struct-offsets.md "Enumerations") as `!thread` prints
 * it; the transcript reader knows the same words. */
static const char *state_name(uint8_t state)
{
	static const char *const names[] = { "INITIALIZED", "READY", "RUNNING", "STANDBY", "TERMINATED",
					     "WAIT", "TRANSITION", "DEFERREDREADY", "GATEWAITOBSOLETE",
					     "WAITINGFORPROCESSINSWAP" };
	return state < sizeof names / sizeof *names ? names[state] : NULL;
}

/* _KWAIT_REASON (struct-offsets.md "Enumerations": the 22000 list; 14 is
 * WrEventPair and 37 MaximumWaitReason on 7601). */
static const char *wait_reason_name(uint8_t reason, uint32_t build)
{
	static const char *const names[] = {
		"Executive", "FreePage", "PageIn", "PoolAllocation", "DelayExecution", "Suspended",
		"UserRequest", "WrExecutive", "WrFreePage", "WrPageIn", "WrPoolAllocation",
		"WrDelayExecution", "WrSuspended", "WrUserRequest", "WrSpare0", "WrQueue",
		"WrLpcReceive", "WrLpcReply", "WrVirtualMemory", "WrPageOut", "WrRendezvous",
		"WrKeyedEvent", "WrTerminated", "WrProcessInSwap", "WrCpuRateControl",
		"WrCalloutStack", "WrKernel", "WrResource", "WrPushLock", "WrMutex", "WrQuantumEnd",
		"WrDispatchInt", "WrPreempted", "WrYieldExecution", "WrFastMutex", "WrGuardedMutex",
		"WrRundown", "WrAlertByThreadId", "WrDeferredPreempt", "WrPhysicalFault", "WrIoRing",
	};
	if (build && build < 9200) {
		if (reason == 14)
			return "WrEventPair";
		if (reason >= 37)
			return NULL;
	}
	return reason < sizeof names / sizeof *names ? names[reason] : NULL;
}

/* _DISPATCHER_HEADER.Type: the _KOBJECTS numbering (ReactOS
 * sdk/include/xdk/ketypes.h, KOBJECTS), in the words `!thread` prints
 * beside each wait object. */
static const char *dispatcher_type_name(uint8_t type)
{
	static const char *const names[] = { "NotificationEvent", "SynchronizationEvent", "Mutant",
					     "ProcessObject", "QueueObject", "Semaphore", "ThreadObject",
					     "Gate", "NotificationTimer", "SynchronizationTimer" };
	return type < sizeof names / sizeof *names ? names[type] : NULL;
}

struct process_walk {
	struct snapshot *snapshot;
	struct walked_kernel *walked;
	uint32_t build;
};

static bool visit_process(void *context, const struct kernel_process *process)
{
	struct process_walk *walk = context;
	struct walked_kernel *walked = walk->walked;
	if (walked->process_count == walked->process_capacity) {
		walked->process_capacity = walked->process_capacity ? 2 * walked->process_capacity : 64;
		walked->processes = checked_realloc(walked->processes,
						    walked->process_capacity * sizeof *walked->processes);
	}
	walked->processes[walked->process_count++] = *process;
	struct process *record = snapshot_process(walk->snapshot, known_u64(process->address),
						  known_u64(process->pid), origin_virtual(process->address));
	record->parent_pid = known_u64(process->parent_pid);
	if (process->image[0] && !record->image)
		record->image = snapshot_text(walk->snapshot, process->image,
					      strnlen(process->image, sizeof process->image));
	return true;
}

static void add_wait_objects(struct snapshot *snapshot, struct thread *record,
			     const struct kernel_thread *thread)
{
	for (unsigned i = 0; i < thread->wait_object_count && i < KERNEL_WAIT_OBJECTS_KEPT; i++) {
		const struct kernel_wait_object *object = &thread->wait_objects[i];
		const char *type = dispatcher_type_name(object->type);
		if (!type && object->type_name)
			type = object->type_name;
		struct wait_object wait = { object->address, type ? type : "Unknown", UNKNOWN_U64 };
		if (object->owner_thread)
			wait.owner_thread = known_u64(object->owner_thread);
		thread_add_wait_object(snapshot, record, wait);
	}
}

static bool visit_thread(void *context, const struct kernel_thread *thread)
{
	struct process_walk *walk = context;
	struct walked_kernel *walked = walk->walked;
	if (walked->thread_count == walked->thread_capacity) {
		walked->thread_capacity = walked->thread_capacity ? 2 * walked->thread_capacity : 256;
		walked->threads = checked_realloc(walked->threads,
						  walked->thread_capacity * sizeof *walked->threads);
	}
	walked->threads[walked->thread_count++] = *thread;
	struct thread *record = snapshot_thread(walk->snapshot, known_u64(thread->address),
						known_u64(thread->pid), known_u64(thread->tid),
						origin_virtual(thread->address));
	record->process_address = known_u64(thread->process);
	record->state = state_name(thread->state);
	/* _KTHREAD.State Waiting: only a waiting thread has a reason. */
	if (thread->state == 5) {
		record->wait_reason = wait_reason_name(thread->wait_reason, walk->build);
		record->wait_mode = thread->wait_mode ? "UserMode" : "KernelMode";
		add_wait_objects(walk->snapshot, record, thread);
	}
	return true;
}

void ipc_read_processes(struct snapshot *snapshot, struct kernel *kernel, uint32_t build,
			struct walked_kernel *walked)
{
	struct process_walk walk = { snapshot, walked, build };
	struct error *error = kernel_walk_processes(kernel, visit_process, &walk);
	if (error) {
		snapshot_warn(snapshot, (struct origin){ ORIGIN_NONE, 0, 0 },
			      "the process list cannot be walked: %s", error_detail(error));
		error_free(error);
	}
	for (size_t i = 0; i < walked->process_count; i++) {
		/* A copy: the visitor may grow walked->processes. */
		struct kernel_process process = walked->processes[i];
		error = kernel_walk_threads(kernel, &process, visit_thread, &walk);
		if (error) {
			snapshot_warn(snapshot, origin_virtual(process.address),
				      "the threads of process 0x%llx (pid %llu) cannot be walked: %s",
				      (unsigned long long)process.address, (unsigned long long)process.pid,
				      error_detail(error));
			error_free(error);
		}
	}
}
