/* One _KALPC_MESSAGE: every field `!alpc /m` prints
 * (debugger-output-formats.md §3.4), from the profile's offsets
 * (struct-offsets.md, _KALPC_MESSAGE, _KALPC_MESSAGE_ATTRIBUTES,
 * _PORT_MESSAGE, _CLIENT_ID).  The u1.s1 bit positions move between
 * builds (Canceled is bit 6 on 9600, bit 7 from 14393 on), so each comes
 * from the profile.  QueueType is kept raw: its numbers are not public;
 * the census sets the queue from the list that links the message. */
#include <stdlib.h>
#include <string.h>

#include "alpc_internal.h"

static void read_port_message(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
			      struct kernel_alpc_message *message)
{
	const struct kernel_profile *p = reader->profile;
	int32_t base = p->kalpc_message_port_message;
	if (base == PROFILE_ABSENT)
		return;
	uint64_t value;
	if (p->port_message_data_length != PROFILE_ABSENT &&
	    alpc_field(bytes, base + p->port_message_data_length, 2, &value))
		message->data_length = (uint16_t)value;
	if (p->port_message_total_length != PROFILE_ABSENT &&
	    alpc_field(bytes, base + p->port_message_total_length, 2, &value))
		message->total_length = (uint16_t)value;
	if (p->port_message_type != PROFILE_ABSENT &&
	    alpc_field(bytes, base + p->port_message_type, 2, &value))
		message->type = (uint16_t)value;
	if (p->port_message_message_id != PROFILE_ABSENT &&
	    alpc_field(bytes, base + p->port_message_message_id, 4, &value))
		message->message_id = (uint32_t)value;
	if (p->port_message_callback_id != PROFILE_ABSENT &&
	    alpc_field(bytes, base + p->port_message_callback_id, 4, &value))
		message->callback_id = (uint32_t)value;
	/* _CLIENT_ID: UniqueProcess then UniqueThread, one pointer each. */
	if (p->port_message_client_id != PROFILE_ABSENT) {
		int32_t id = base + p->port_message_client_id;
		message->client_pid = alpc_pointer(reader, bytes, id);
		message->client_tid = alpc_pointer(reader, bytes, id + (int32_t)p->pointer_size);
	}
}

static void read_attributes(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
			    struct kernel_alpc_message *message)
{
	const struct kernel_profile *p = reader->profile;
	int32_t base = p->kalpc_message_message_attributes;
	if (base == PROFILE_ABSENT)
		return;
	const struct {
		int32_t field;
		uint64_t *into;
	} fields[] = {
		{ p->kalpc_message_attributes_client_context, &message->client_context },
		{ p->kalpc_message_attributes_server_context, &message->server_context },
		{ p->kalpc_message_attributes_port_context, &message->port_context },
		{ p->kalpc_message_attributes_cancel_port_context, &message->cancel_port_context },
		{ p->kalpc_message_attributes_security_data, &message->security_data },
		{ p->kalpc_message_attributes_view, &message->view },
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (fields[i].field != PROFILE_ABSENT)
			*fields[i].into = alpc_pointer(reader, bytes, base + fields[i].field);
}

static void read_state(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
		       struct kernel_alpc_message *message)
{
	const struct kernel_profile *p = reader->profile;
	uint64_t value;
	if (alpc_field(bytes, p->kalpc_message_state, 4, &value))
		message->state = (uint32_t)value;
	if (alpc_bits(bytes, p->kalpc_message_queue_type, &value))
		message->queue_type_value = (uint32_t)value;
	message->canceled = alpc_flag(bytes, p->kalpc_message_canceled);
	message->release = alpc_flag(bytes, p->kalpc_message_release_message);
	message->reply_wait_reply = alpc_flag(bytes, p->kalpc_message_reply_wait_reply);
	message->in_canceled_queue = alpc_flag(bytes, p->kalpc_message_in_canceled_queue);
}

/* A pointer field that is neither 0 nor a kernel address says these bytes
 * are not a message (or a damaged one): warned about and dropped. */
static uint64_t checked_pointer(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
				int32_t offset, const char *field)
{
	uint64_t value = alpc_pointer(reader, bytes, offset);
	if (value && !alpc_kernel_pointer(reader, value)) {
		alpc_warn(reader, bytes->address,
			  "ALPC message 0x%llx: %s 0x%llx is not a kernel address; ignored",
			  (unsigned long long)bytes->address, field, (unsigned long long)value);
		return 0;
	}
	return value;
}

struct error *kernel_alpc_message_read(const struct kernel_reader *reader, uint64_t address,
				       struct kernel_alpc_message *message)
{
	const struct kernel_profile *p = reader->profile;
	memset(message, 0, sizeof *message);
	message->address = address;
	message->queue = KERNEL_ALPC_NO_QUEUE;
	if (p->kalpc_message_size <= 0 || p->kalpc_message_entry == PROFILE_ABSENT)
		return error_new(ERROR_UNSUPPORTED, "profile %s has no _KALPC_MESSAGE layout", p->name);
	if (!alpc_kernel_pointer(reader, address))
		return error_new(ERROR_FORMAT, "ALPC message 0x%llx: not a kernel address",
				 (unsigned long long)address);
	size_t size = (size_t)p->kalpc_message_size;
	/* The _PORT_MESSAGE ends the structure on every build; read it whole
	 * even when a profile's size stops short of it. */
	if (p->kalpc_message_port_message != PROFILE_ABSENT && p->port_message_size > 0 &&
	    (size_t)(p->kalpc_message_port_message + p->port_message_size) > size)
		size = (size_t)(p->kalpc_message_port_message + p->port_message_size);
	unsigned char *buffer = checked_malloc(size);
	struct error *error = virtual_read(reader->space, address, buffer, size);
	if (error) {
		struct error *wrapped = error_new(error->code, "ALPC message 0x%llx: %s",
						  (unsigned long long)address, error_detail(error));
		error_free(error);
		free(buffer);
		return wrapped;
	}
	struct alpc_bytes bytes = { buffer, size, address };
	/* Entry is a LIST_ENTRY: linked on a queue, or pointing at itself. */
	uint64_t flink = alpc_pointer(reader, &bytes, p->kalpc_message_entry);
	if (!alpc_kernel_pointer(reader, flink)) {
		free(buffer);
		return error_new(ERROR_FORMAT, "ALPC message 0x%llx: Entry.Flink 0x%llx: not a message",
				 (unsigned long long)address, (unsigned long long)flink);
	}
	message->port_queue = checked_pointer(reader, &bytes, p->kalpc_message_port_queue, "PortQueue");
	message->owner_port = checked_pointer(reader, &bytes, p->kalpc_message_owner_port, "OwnerPort");
	message->waiting_thread =
		checked_pointer(reader, &bytes, p->kalpc_message_waiting_thread, "WaitingThread");
	message->server_thread =
		checked_pointer(reader, &bytes, p->kalpc_message_server_thread, "ServerThread");
	message->quota_process =
		checked_pointer(reader, &bytes, p->kalpc_message_quota_process, "QuotaProcess");
	message->cancel_queue_port =
		checked_pointer(reader, &bytes, p->kalpc_message_cancel_queue_port, "CancelQueuePort");
	message->cancel_sequence_port = checked_pointer(
		reader, &bytes, p->kalpc_message_cancel_sequence_port, "CancelSequencePort");
	message->communication_info = checked_pointer(
		reader, &bytes, p->kalpc_message_communication_info, "CommunicationInfo");
	message->connection_port =
		checked_pointer(reader, &bytes, p->kalpc_message_connection_port, "ConnectionPort");
	message->sequence_no = (int32_t)alpc_u32(&bytes, p->kalpc_message_sequence_no);
	message->cancel_sequence_no = (int32_t)alpc_u32(&bytes, p->kalpc_message_cancel_sequence_no);
	read_state(reader, &bytes, message);
	read_attributes(reader, &bytes, message);
	read_port_message(reader, &bytes, message);
	free(buffer);
	return NULL;
}
