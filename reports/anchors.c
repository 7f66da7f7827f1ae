/* Anchor ids shared by the HTML tables and the graph's node links, so a
 * click on a node in the inline SVG lands on that object's table row.
 * Built from addresses and ids only — never from input text — so they
 * need no escaping. */
#include <inttypes.h>
#include <stdio.h>

#include "reports.h"

void report_anchor_thread(const struct thread *thread, char *buffer, size_t size)
{
	if (thread->address.known)
		snprintf(buffer, size, "thread-%" PRIx64, thread->address.value);
	else if (thread->pid.known && thread->tid.known)
		snprintf(buffer, size, "thread-%" PRIx64 "-%" PRIx64, thread->pid.value,
			 thread->tid.value);
	else if (thread->debugger_index.known)
		snprintf(buffer, size, "thread-debugger-%" PRIu64, thread->debugger_index.value);
	else
		snprintf(buffer, size, "thread-at-%" PRIxPTR, (uintptr_t)thread);
}

void report_anchor_process(const struct process *process, char *buffer, size_t size)
{
	if (process->address.known)
		snprintf(buffer, size, "process-%" PRIx64, process->address.value);
	else if (process->pid.known)
		snprintf(buffer, size, "process-pid-%" PRIx64, process->pid.value);
	else
		snprintf(buffer, size, "process-at-%" PRIxPTR, (uintptr_t)process);
}

void report_anchor_port(const struct port *port, char *buffer, size_t size)
{
	snprintf(buffer, size, "port-%" PRIx64, port->address.value);
}

void report_anchor_message(const struct message *message, char *buffer, size_t size)
{
	if (message->address.known)
		snprintf(buffer, size, "message-%" PRIx64, message->address.value);
	else if (message->id.known)
		snprintf(buffer, size, "message-id-%" PRIx64, message->id.value);
	else
		snprintf(buffer, size, "message-at-%" PRIxPTR, (uintptr_t)message);
}
