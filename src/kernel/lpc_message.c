/* One _LPCP_MESSAGE: what `!lpc port` prints of a queued message — Id,
 * From (ClientId), Context, Length (TotalLength:DataLength as one word),
 * Type and the first data words — and the ports and thread it names.
 * Offsets: struct-offsets.md _LPCP_MESSAGE, _PORT_MESSAGE, _CLIENT_ID.
 * The data follow the PORT_MESSAGE header (Request + sizeof _PORT_MESSAGE),
 * DataLength bytes of them. */
#include <string.h>

#include "alpc_internal.h"

const char *kernel_lpc_message_type_name(uint16_t type)
{
	/* ReactOS sdk/include/ndk/lpctypes.h LPC_TYPE; Wine include/winternl.h
	 * agrees.  The high bits are flags (LPC_KERNELMODE_MESSAGE 0x8000,
	 * LPC_NO_IMPERSONATE 0x4000), so only the low byte names the type. */
	static const char *const names[] = { "LPC_NEW_MESSAGE", "LPC_REQUEST", "LPC_REPLY",
					     "LPC_DATAGRAM", "LPC_LOST_REPLY", "LPC_PORT_CLOSED",
					     "LPC_CLIENT_DIED", "LPC_EXCEPTION", "LPC_DEBUG_EVENT",
					     "LPC_ERROR_EVENT", "LPC_CONNECTION_REQUEST" };
	unsigned low = type & 0xff;
	return low < sizeof names / sizeof *names ? names[low] : NULL;
}

static uint64_t checked_pointer(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
				int32_t offset, const char *field)
{
	uint64_t value = alpc_pointer(reader, bytes, offset);
	if (value && !alpc_kernel_pointer(reader, value)) {
		alpc_warn(reader, bytes->address, "LPC message 0x%llx: %s 0x%llx is not a kernel "
			  "address; ignored", (unsigned long long)bytes->address, field,
			  (unsigned long long)value);
		return 0;
	}
	return value;
}

static void read_request(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
			 struct kernel_lpc_message *message)
{
	const struct kernel_profile *p = reader->profile;
	int32_t base = p->lpcp_message_request;
	uint64_t value;
	const struct {
		int32_t field;
		unsigned width;
		void *into;
	} fields[] = {
		{ p->port_message_data_length, 2, &message->data_length },
		{ p->port_message_total_length, 2, &message->total_length },
		{ p->port_message_type, 2, &message->type },
		{ p->port_message_data_info_offset, 2, &message->data_info_offset },
		{ p->port_message_message_id, 4, &message->message_id },
		{ p->port_message_callback_id, 4, &message->callback_id },
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		if (fields[i].field == PROFILE_ABSENT || !alpc_field(bytes, base + fields[i].field,
								     fields[i].width, &value))
			continue;
		if (fields[i].width == 2)
			*(uint16_t *)fields[i].into = (uint16_t)value;
		else
			*(uint32_t *)fields[i].into = (uint32_t)value;
	}
	if (p->port_message_client_id != PROFILE_ABSENT) {
		int32_t id = base + p->port_message_client_id;
		message->client_pid = alpc_pointer(reader, bytes, id);
		message->client_tid = alpc_pointer(reader, bytes, id + (int32_t)p->pointer_size);
	}
}

/* The first data words, no more than DataLength holds: read apart, so a
 * message whose data are not in the image still decodes (a warning). */
static void read_data(const struct kernel_reader *reader, struct kernel_lpc_message *message)
{
	const struct kernel_profile *p = reader->profile;
	unsigned words = message->data_length / 4;
	if (words > KERNEL_LPC_DATA_WORDS)
		words = KERNEL_LPC_DATA_WORDS;
	if (!words)
		return;
	unsigned char bytes[4 * KERNEL_LPC_DATA_WORDS];
	uint64_t at = message->address + (uint64_t)(p->lpcp_message_request + p->port_message_size);
	struct error *error = virtual_read(reader->space, at, bytes, 4 * words);
	if (error) {
		alpc_warn(reader, message->address, "LPC message 0x%llx: its data at 0x%llx cannot be "
			  "read: %s", (unsigned long long)message->address, (unsigned long long)at,
			  error_detail(error));
		error_free(error);
		return;
	}
	struct alpc_bytes view = { bytes, 4 * words, at };
	for (unsigned i = 0; i < words; i++)
		message->data[i] = alpc_u32(&view, (int32_t)(4 * i));
	message->data_words = words;
}

struct error *kernel_lpc_message_read(const struct kernel_reader *reader, uint64_t address,
				      struct kernel_lpc_message *message)
{
	const struct kernel_profile *p = reader->profile;
	memset(message, 0, sizeof *message);
	message->address = address;
	if (p->lpcp_message_size <= 0 || p->lpcp_message_entry == PROFILE_ABSENT ||
	    p->lpcp_message_request == PROFILE_ABSENT || p->port_message_size <= 0)
		return error_new(ERROR_UNSUPPORTED, "profile %s has no _LPCP_MESSAGE layout", p->name);
	if (!alpc_kernel_pointer(reader, address) || address % p->pointer_size)
		return error_new(ERROR_FORMAT, "LPC message 0x%llx: not a kernel address",
				 (unsigned long long)address);
	/* The structure through its PORT_MESSAGE header. */
	size_t size = (size_t)(p->lpcp_message_request + p->port_message_size);
	if ((size_t)p->lpcp_message_size > size)
		size = (size_t)p->lpcp_message_size;
	unsigned char buffer[0x200];
	if (size > sizeof buffer)
		return error_new(ERROR_UNSUPPORTED, "profile %s: _LPCP_MESSAGE too large", p->name);
	struct error *error = virtual_read(reader->space, address, buffer, size);
	if (error) {
		struct error *wrapped = error_new(error->code, "LPC message 0x%llx: %s",
						  (unsigned long long)address, error_detail(error));
		error_free(error);
		return wrapped;
	}
	struct alpc_bytes bytes = { buffer, size, address };
	uint64_t flink = alpc_pointer(reader, &bytes, p->lpcp_message_entry);
	if (!alpc_kernel_pointer(reader, flink))
		return error_new(ERROR_FORMAT, "LPC message 0x%llx: Entry.Flink 0x%llx: not a message",
				 (unsigned long long)address, (unsigned long long)flink);
	message->entry_flink = flink;
	message->entry_blink = alpc_pointer(reader, &bytes, p->lpcp_message_entry + (int32_t)p->pointer_size);
	message->sender_port = checked_pointer(reader, &bytes, p->lpcp_message_sender_port, "SenderPort");
	message->replied_to_thread =
		checked_pointer(reader, &bytes, p->lpcp_message_replied_to_thread, "RepliedToThread");
	message->port_context = alpc_pointer(reader, &bytes, p->lpcp_message_port_context);
	read_request(reader, &bytes, message);
	read_data(reader, message);
	if (message->total_length && message->data_length > message->total_length)
		alpc_warn(reader, address, "LPC message 0x%llx: DataLength 0x%x exceeds TotalLength 0x%x",
			  (unsigned long long)address, message->data_length, message->total_length);
	return NULL;
}
