/* One _ALPC_PORT: owner, communication info and the kind it implies,
 * u1.State flags, PortAttributes, and the queues walked.
 *
 * Offsets come from the profile (struct-offsets.md, _ALPC_PORT,
 * _ALPC_COMMUNICATION_INFO, _ALPC_PORT_ATTRIBUTES).  The kind: the port
 * its communication info names as ConnectionPort, ServerCommunicationPort
 * or ClientCommunicationPort (struct-offsets.md "Facts that are not
 * publicly documented": u1.s1.Type's numbers are not public).  Queues hold
 * _KALPC_MESSAGE.Entry links; the WaitQueue holds
 * ETHREAD.AlpcWaitListEntry links; the completion queue's ThreadListHead
 * holds _KTHREAD.QueueListEntry links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alpc_internal.h"

const char *kernel_alpc_queue_name(enum kernel_alpc_queue queue)
{
	static const char *const names[] = {
		[KERNEL_ALPC_MAIN] = "MainQueue",
		[KERNEL_ALPC_LARGE_MESSAGE] = "LargeMessageQueue",
		[KERNEL_ALPC_PENDING] = "PendingQueue",
		[KERNEL_ALPC_CANCELED] = "CanceledQueue",
		[KERNEL_ALPC_DIRECT] = "DirectQueue",
		[KERNEL_ALPC_WAIT] = "WaitQueue",
	};
	return (unsigned)queue < KERNEL_ALPC_QUEUE_COUNT ? names[queue] : "no queue";
}

struct queue_fields {
	int32_t head, length;
};

static struct queue_fields queue_fields(const struct kernel_profile *p, enum kernel_alpc_queue queue)
{
	switch (queue) {
	case KERNEL_ALPC_MAIN:
		return (struct queue_fields){ p->alpc_port_main_queue, p->alpc_port_main_queue_length };
	case KERNEL_ALPC_LARGE_MESSAGE:
		return (struct queue_fields){ p->alpc_port_large_message_queue,
					      p->alpc_port_large_message_queue_length };
	case KERNEL_ALPC_PENDING:
		return (struct queue_fields){ p->alpc_port_pending_queue,
					      p->alpc_port_pending_queue_length };
	case KERNEL_ALPC_CANCELED:
		return (struct queue_fields){ p->alpc_port_canceled_queue,
					      p->alpc_port_canceled_queue_length };
	case KERNEL_ALPC_DIRECT:
		return (struct queue_fields){ p->alpc_port_direct_queue, p->alpc_port_direct_queue_length };
	case KERNEL_ALPC_WAIT:
	default:
		return (struct queue_fields){ p->alpc_port_wait_queue, p->alpc_port_wait_queue_length };
	}
}

static void read_communication_info(const struct kernel_reader *reader, struct kernel_alpc_port *port)
{
	const struct kernel_profile *p = reader->profile;
	if (!port->communication_info)
		return;
	if (!alpc_kernel_pointer(reader, port->communication_info)) {
		alpc_warn(reader, port->address,
			  "ALPC port 0x%llx: CommunicationInfo 0x%llx is not a kernel address",
			  (unsigned long long)port->address, (unsigned long long)port->communication_info);
		return;
	}
	unsigned char buffer[64];
	int32_t last = p->alpc_communication_info_client_communication_port;
	if (last == PROFILE_ABSENT || p->alpc_communication_info_connection_port == PROFILE_ABSENT ||
	    p->alpc_communication_info_server_communication_port == PROFILE_ABSENT ||
	    (size_t)last + p->pointer_size > sizeof buffer)
		return;
	size_t size = (size_t)last + p->pointer_size;
	struct error *error = virtual_read(reader->space, port->communication_info, buffer, size);
	if (error) {
		alpc_warn(reader, port->address,
			  "ALPC port 0x%llx: its CommunicationInfo 0x%llx cannot be read: %s",
			  (unsigned long long)port->address, (unsigned long long)port->communication_info,
			  error_detail(error));
		error_free(error);
		return;
	}
	struct alpc_bytes info = { buffer, size, port->communication_info };
	port->communication_info_read = true;
	port->connection_port = alpc_pointer(reader, &info, p->alpc_communication_info_connection_port);
	port->server_communication_port =
		alpc_pointer(reader, &info, p->alpc_communication_info_server_communication_port);
	port->client_communication_port =
		alpc_pointer(reader, &info, p->alpc_communication_info_client_communication_port);
	if (port->connection_port == port->address)
		port->kind = KERNEL_ALPC_CONNECTION_PORT;
	else if (port->server_communication_port == port->address)
		port->kind = KERNEL_ALPC_SERVER_COMMUNICATION_PORT;
	else if (port->client_communication_port == port->address)
		port->kind = KERNEL_ALPC_CLIENT_COMMUNICATION_PORT;
	else
		alpc_warn(reader, port->address,
			  "ALPC port 0x%llx: its CommunicationInfo 0x%llx does not name it; its kind "
			  "is unknown", (unsigned long long)port->address,
			  (unsigned long long)port->communication_info);
}

static void read_state(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
		       struct kernel_alpc_port *port)
{
	const struct kernel_profile *p = reader->profile;
	uint64_t state;
	if (!alpc_field(bytes, p->alpc_port_state, 4, &state))
		return;
	port->state = (uint32_t)state;
	port->state_known = true;
	port->initialized = alpc_flag(bytes, p->alpc_port_initialized);
	port->connection_pending = alpc_flag(bytes, p->alpc_port_connection_pending);
	port->connection_refused = alpc_flag(bytes, p->alpc_port_connection_refused);
	port->disconnected = alpc_flag(bytes, p->alpc_port_disconnected);
	port->closed = alpc_flag(bytes, p->alpc_port_closed);
	port->no_flush_on_close = alpc_flag(bytes, p->alpc_port_no_flush_on_close);
	port->return_extended_info = alpc_flag(bytes, p->alpc_port_return_extended_info);
	port->waitable = alpc_flag(bytes, p->alpc_port_waitable);
	port->dynamic_security = alpc_flag(bytes, p->alpc_port_dynamic_security);
	port->wow64_completion_list = alpc_flag(bytes, p->alpc_port_wow64_completion_list);
	port->lpc = alpc_flag(bytes, p->alpc_port_lpc);
	port->lpc_to_lpc = alpc_flag(bytes, p->alpc_port_lpc_to_lpc);
	port->has_completion_list = alpc_flag(bytes, p->alpc_port_has_completion_list);
}

static void read_attributes(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
			    struct kernel_alpc_port *port)
{
	const struct kernel_profile *p = reader->profile;
	int32_t base = p->alpc_port_port_attributes;
	if (base == PROFILE_ABSENT || p->alpc_port_attributes_flags == PROFILE_ABSENT)
		return;
	uint64_t flags, length = 0;
	if (!alpc_field(bytes, base + p->alpc_port_attributes_flags, 4, &flags))
		return;
	port->attributes_known = true;
	port->attribute_flags = (uint32_t)flags;
	if (p->alpc_port_attributes_max_message_length != PROFILE_ABSENT)
		alpc_field(bytes, base + p->alpc_port_attributes_max_message_length, p->pointer_size,
			   &length);
	port->max_message_length = length;
}

static void walk_queues(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
			struct u64_map *linked, struct kernel_alpc_port *port)
{
	const struct kernel_profile *p = reader->profile;
	for (int q = 0; q < KERNEL_ALPC_QUEUE_COUNT; q++) {
		struct kernel_alpc_port_queue *queue = &port->queues[q];
		struct queue_fields fields = queue_fields(p, (enum kernel_alpc_queue)q);
		int32_t entry = q == KERNEL_ALPC_WAIT ? p->ethread_alpc_wait_list_entry : p->kalpc_message_entry;
		if (fields.head == PROFILE_ABSENT || entry == PROFILE_ABSENT)
			continue;
		queue->present = true;
		uint64_t length;
		if (alpc_field(bytes, fields.length, 4, &length)) {
			queue->length_known = true;
			queue->stored_length = (uint32_t)length;
		}
		char what[96];
		snprintf(what, sizeof what, "ALPC port 0x%llx %s", (unsigned long long)port->address,
			 kernel_alpc_queue_name((enum kernel_alpc_queue)q));
		alpc_walk_list_linked(reader, port->address + (uint64_t)fields.head, entry,
				      KERNEL_ALPC_QUEUE_CAP, port->address, what, linked,
				      &queue->entries, &queue->complete);
		if (queue->length_known && queue->complete && queue->entries.count != queue->stored_length)
			alpc_warn(reader, port->address, "%s: length stored %u, %zu entries linked", what,
				  queue->stored_length, queue->entries.count);
	}
}

/* A completion queue serves a thread pool; Windows' default pool maximum
 * is 512 threads, so more than this many is a damaged or hostile list.
 * Ports may share one completion queue, so the cap bounds ports × cap. */
enum { REGISTERED_THREAD_CAP = 1024 };

/* The threads registered with the port's IO completion object: the
 * _KQUEUE that CompletionPort names keeps them on ThreadListHead, each
 * linked through its _KTHREAD.QueueListEntry (Tcb lies at offset 0 of the
 * ETHREAD).  Offsets: JPCERT ISF and Volatility 2 vtypes under
 * ../shared/symbols (_KQUEUE.ThreadListHead 0x30 on every x64 build,
 * _KTHREAD.QueueListEntry 0x1b8 Vista, 0x1c8 7601, 0x208 9600 onwards).
 * No shared walk map: several ports may name one queue. */
static void walk_registered_threads(const struct kernel_reader *reader, struct kernel_alpc_port *port)
{
	const struct kernel_profile *p = reader->profile;
	if (!port->completion_port || p->kqueue_thread_list_head == PROFILE_ABSENT ||
	    p->kthread_queue_list_entry == PROFILE_ABSENT)
		return;
	if (!alpc_kernel_pointer(reader, port->completion_port)) {
		alpc_warn(reader, port->address,
			  "ALPC port 0x%llx: CompletionPort 0x%llx is not a kernel address",
			  (unsigned long long)port->address, (unsigned long long)port->completion_port);
		return;
	}
	char what[96];
	snprintf(what, sizeof what, "ALPC port 0x%llx CompletionPort 0x%llx ThreadListHead",
		 (unsigned long long)port->address, (unsigned long long)port->completion_port);
	port->registered_walked = true;
	alpc_walk_list(reader, port->completion_port + (uint64_t)p->kqueue_thread_list_head,
		       p->kthread_queue_list_entry, REGISTERED_THREAD_CAP, port->address, what,
		       &port->registered_threads, &port->registered_complete);
}

struct error *kernel_alpc_port_read(const struct kernel_reader *reader, uint64_t address,
				    struct kernel_alpc_port *port)
{
	return alpc_port_read_linked(reader, address, NULL, port);
}

struct error *alpc_port_read_linked(const struct kernel_reader *reader, uint64_t address,
				    struct u64_map *linked, struct kernel_alpc_port *port)
{
	const struct kernel_profile *p = reader->profile;
	memset(port, 0, sizeof *port);
	port->address = address;
	if (p->alpc_port_size <= 0 || p->alpc_port_owner_process == PROFILE_ABSENT ||
	    p->alpc_port_communication_info == PROFILE_ABSENT)
		return error_new(ERROR_UNSUPPORTED, "profile %s has no _ALPC_PORT layout", p->name);
	if (!alpc_kernel_pointer(reader, address))
		return error_new(ERROR_FORMAT, "ALPC port 0x%llx: not a kernel address",
				 (unsigned long long)address);
	size_t size = (size_t)p->alpc_port_size;
	unsigned char *buffer = checked_malloc(size);
	struct error *error = virtual_read(reader->space, address, buffer, size);
	if (error) {
		struct error *wrapped = error_new(error->code, "ALPC port 0x%llx: %s",
						  (unsigned long long)address, error_detail(error));
		error_free(error);
		free(buffer);
		return wrapped;
	}
	struct alpc_bytes bytes = { buffer, size, address };
	port->owner_process = alpc_pointer(reader, &bytes, p->alpc_port_owner_process);
	port->communication_info = alpc_pointer(reader, &bytes, p->alpc_port_communication_info);
	/* Both are set for the life of a port; without them these bytes are
	 * not one. */
	if (!alpc_kernel_pointer(reader, port->owner_process) ||
	    !alpc_kernel_pointer(reader, port->communication_info)) {
		free(buffer);
		return error_new(ERROR_FORMAT,
				 "ALPC port 0x%llx: OwnerProcess 0x%llx, CommunicationInfo 0x%llx: "
				 "not a port", (unsigned long long)address,
				 (unsigned long long)port->owner_process,
				 (unsigned long long)port->communication_info);
	}
	port->completion_port = alpc_pointer(reader, &bytes, p->alpc_port_completion_port);
	port->completion_list = alpc_pointer(reader, &bytes, p->alpc_port_completion_list);
	port->port_context = alpc_pointer(reader, &bytes, p->alpc_port_port_context);
	port->target_queue_port = alpc_pointer(reader, &bytes, p->alpc_port_target_queue_port);
	port->target_sequence_port = alpc_pointer(reader, &bytes, p->alpc_port_target_sequence_port);
	uint64_t sequence;
	if (alpc_field(&bytes, p->alpc_port_sequence_no, 4, &sequence)) {
		port->sequence_no_known = true;
		port->sequence_no = (int32_t)(uint32_t)sequence;
	}
	read_state(reader, &bytes, port);
	read_attributes(reader, &bytes, port);
	read_communication_info(reader, port);
	walk_queues(reader, &bytes, linked, port);
	walk_registered_threads(reader, port);
	free(buffer);
	return NULL;
}

void kernel_alpc_port_release(struct kernel_alpc_port *port)
{
	if (!port)
		return;
	free(port->name);
	port->name = NULL;
	for (int q = 0; q < KERNEL_ALPC_QUEUE_COUNT; q++)
		u64_vec_release(&port->queues[q].entries);
	u64_vec_release(&port->registered_threads);
}
