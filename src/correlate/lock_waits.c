/* Waits on kernel objects whose owner the capture names: `!thread` prints
 * "Mutant - owning thread X" for a mutant (debugger-output-formats.md §3.2;
 * the 2010 dumpanalysis.org transcript), and a wait on a thread or process
 * object waits for that thread or process to end. */
#include <string.h>

#include "analysis_internal.h"

static bool type_is(const struct wait_object *object, const char *a, const char *b)
{
	return strcmp(object->type, a) == 0 || (b && strcmp(object->type, b) == 0);
}

void add_lock_waits(struct analysis *analysis)
{
	const struct snapshot *snapshot = analysis->snapshot;
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		struct thread *thread = snapshot->threads.items[i];
		for (uint32_t o = 0; o < thread->wait_object_count; o++) {
			const struct wait_object *object = &thread->wait_objects[o];
			struct thread *owner = NULL;
			struct process *process = NULL;
			if (type_is(object, "Mutant", NULL))
				owner = thread_at(snapshot, object->owner_thread);
			else if (type_is(object, "Thread", "ThreadObject"))
				owner = snapshot_find_thread(snapshot, object->address);
			else if (type_is(object, "ProcessObject", "Process"))
				process = snapshot_find_process(snapshot, object->address);
			if ((!owner && !process) || owner == thread)
				continue;
			struct wait *wait = analysis_add_wait(analysis, VIA_LOCK, thread->origin.at[0]);
			wait->client = thread;
			wait->client_process = thread_process(snapshot, thread);
			wait->lock = object;
			wait->server_thread = owner;
			wait->server_process = process ? process : thread_process(snapshot, owner);
		}
	}
}
