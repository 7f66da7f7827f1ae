/* One _LPCP_PORT_OBJECT: its kind from Flags, the ports it is connected
 * to, Creator, ServerProcess, the queue semaphore and its state, and the
 * three lists it heads walked.
 *
 * Offsets come from the profile (struct-offsets.md _LPCP_PORT_OBJECT,
 * _LPCP_PORT_QUEUE, _KSEMAPHORE: Header.SignalState and Limit).  The kind
 * is Flags & LPCP_PORT_TYPE_MASK, numbered as ReactOS
 * ntoskrnl/include/internal/lpc.h numbers them (1 connection, 2
 * unconnected, 3 server communication, 4 client); the debugger prints
 * the whole Flags as `!lpc port`'s first column (struct-offsets.md).
 * MsgQueue.ReceiveHead and LpcDataInfoChainHead link _LPCP_MESSAGE.Entry;
 * LpcReplyChainHead links ETHREAD.LpcReplyChain, the threads waiting for
 * a reply through this port (its rundown queue). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alpc_internal.h"

enum { LPCP_PORT_TYPE_MASK = 0xf };

static enum kernel_lpc_port_kind kind_of(uint32_t flags)
{
	unsigned type = flags & LPCP_PORT_TYPE_MASK;
	return type >= KERNEL_LPC_SERVER_CONNECTION_PORT && type <= KERNEL_LPC_CLIENT_COMMUNICATION_PORT
		       ? (enum kernel_lpc_port_kind)type
		       : KERNEL_LPC_PORT_UNKNOWN;
}

static void read_semaphore(const struct kernel_reader *reader, struct kernel_lpc_port *port)
{
	const struct kernel_profile *p = reader->profile;
	if (!port->queue_semaphore || p->dispatcher_header_signal_state == PROFILE_ABSENT ||
	    p->ksemaphore_limit == PROFILE_ABSENT)
		return;
	if (!alpc_kernel_pointer(reader, port->queue_semaphore)) {
		alpc_warn(reader, port->address, "LPC port 0x%llx: its queue semaphore 0x%llx is not a "
			  "kernel address", (unsigned long long)port->address,
			  (unsigned long long)port->queue_semaphore);
		return;
	}
	unsigned char bytes[64];
	size_t size = (size_t)p->ksemaphore_limit + 4;
	if (size > sizeof bytes || (size_t)p->dispatcher_header_signal_state + 4 > size)
		return;
	struct error *error = virtual_read(reader->space, port->queue_semaphore, bytes, size);
	if (error) {
		alpc_warn(reader, port->address, "LPC port 0x%llx: its queue semaphore 0x%llx cannot be "
			  "read: %s", (unsigned long long)port->address,
			  (unsigned long long)port->queue_semaphore, error_detail(error));
		error_free(error);
		return;
	}
	struct alpc_bytes view = { bytes, size, port->queue_semaphore };
	port->semaphore_state = (int32_t)alpc_u32(&view, p->dispatcher_header_signal_state);
	port->semaphore_limit = (int32_t)alpc_u32(&view, p->ksemaphore_limit);
	port->semaphore_read = true;
}

static void walk(const struct kernel_reader *reader, struct u64_map *linked, struct kernel_lpc_port *port,
		 int32_t head, int32_t entry, const char *list, struct kernel_lpc_list *into)
{
	if (head == PROFILE_ABSENT || entry == PROFILE_ABSENT)
		return;
	/* A head never initialised (Flink 0) holds nothing: ReactOS
	 * (ntoskrnl/lpc/create.c) initialises the chains only for the ports
	 * that use them. */
	uint64_t flink;
	struct error *error = alpc_read_pointer(reader, port->address + (uint64_t)head, &flink);
	if (!error && flink == 0) {
		into->complete = true;
		return;
	}
	error_free(error);
	char what[96];
	snprintf(what, sizeof what, "LPC port 0x%llx %s", (unsigned long long)port->address, list);
	alpc_walk_list_linked(reader, port->address + (uint64_t)head, entry, KERNEL_LPC_LIST_CAP,
			      port->address, what, linked, &into->entries, &into->complete);
}

/* A pointer field that is neither 0 nor a kernel address is damage:
 * warned about and dropped. */
static uint64_t checked_pointer(const struct kernel_reader *reader, const struct alpc_bytes *bytes,
				int32_t offset, const char *field)
{
	uint64_t value = alpc_pointer(reader, bytes, offset);
	if (value && !alpc_kernel_pointer(reader, value)) {
		alpc_warn(reader, bytes->address, "LPC port 0x%llx: %s 0x%llx is not a kernel address; "
			  "ignored", (unsigned long long)bytes->address, field, (unsigned long long)value);
		return 0;
	}
	return value;
}

struct error *kernel_lpc_port_read(const struct kernel_reader *reader, uint64_t address,
				   struct kernel_lpc_port *port)
{
	return lpc_port_read_linked(reader, address, NULL, port);
}

struct error *lpc_port_read_linked(const struct kernel_reader *reader, uint64_t address,
				   struct u64_map *linked, struct kernel_lpc_port *port)
{
	const struct kernel_profile *p = reader->profile;
	memset(port, 0, sizeof *port);
	port->address = address;
	if (p->lpcp_port_object_size <= 0 || p->lpcp_port_object_flags == PROFILE_ABSENT ||
	    p->lpcp_port_object_msg_queue == PROFILE_ABSENT ||
	    p->lpcp_port_queue_receive_head == PROFILE_ABSENT)
		return error_new(ERROR_UNSUPPORTED, "profile %s has no _LPCP_PORT_OBJECT layout", p->name);
	if (!alpc_kernel_pointer(reader, address) || address % p->pointer_size)
		return error_new(ERROR_FORMAT, "LPC port 0x%llx: not a kernel address",
				 (unsigned long long)address);
	size_t size = (size_t)p->lpcp_port_object_size;
	unsigned char *buffer = checked_malloc(size);
	struct error *error = virtual_read(reader->space, address, buffer, size);
	if (error) {
		struct error *wrapped = error_new(error->code, "LPC port 0x%llx: %s",
						  (unsigned long long)address, error_detail(error));
		error_free(error);
		free(buffer);
		return wrapped;
	}
	struct alpc_bytes bytes = { buffer, size, address };
	int32_t queue = p->lpcp_port_object_msg_queue;
	/* The receive queue's head is a LIST_ENTRY for the port's whole
	 * life (empty: pointing at itself); without a kernel Flink these
	 * bytes are not a port. */
	uint64_t flink = alpc_pointer(reader, &bytes, queue + p->lpcp_port_queue_receive_head);
	if (!alpc_kernel_pointer(reader, flink)) {
		free(buffer);
		return error_new(ERROR_FORMAT, "LPC port 0x%llx: MsgQueue.ReceiveHead.Flink 0x%llx: not a "
				 "port", (unsigned long long)address, (unsigned long long)flink);
	}
	port->flags = alpc_u32(&bytes, p->lpcp_port_object_flags);
	port->kind = kind_of(port->flags);
	if (!port->kind)
		alpc_warn(reader, address, "LPC port 0x%llx: Flags 0x%x name no port type; its kind is "
			  "unknown", (unsigned long long)address, port->flags);
	port->connection_port = checked_pointer(reader, &bytes, p->lpcp_port_object_connection_port,
						"ConnectionPort");
	port->connected_port = checked_pointer(reader, &bytes, p->lpcp_port_object_connected_port,
					       "ConnectedPort");
	port->server_process = checked_pointer(reader, &bytes, p->lpcp_port_object_server_process,
					       "ServerProcess");
	port->client_thread = checked_pointer(reader, &bytes, p->lpcp_port_object_client_thread,
					      "ClientThread");
	port->port_context = alpc_pointer(reader, &bytes, p->lpcp_port_object_port_context);
	if (p->lpcp_port_object_creator != PROFILE_ABSENT) {
		/* _CLIENT_ID: UniqueProcess then UniqueThread, a pointer each. */
		port->creator_pid = alpc_pointer(reader, &bytes, p->lpcp_port_object_creator);
		port->creator_tid = alpc_pointer(reader, &bytes,
						 p->lpcp_port_object_creator + (int32_t)p->pointer_size);
	}
	uint64_t value;
	if (alpc_field(&bytes, p->lpcp_port_object_max_message_length, 2, &value))
		port->max_message_length = (uint16_t)value;
	if (alpc_field(&bytes, p->lpcp_port_object_max_connection_info_length, 2, &value))
		port->max_connection_info_length = (uint16_t)value;
	if (p->lpcp_port_queue_semaphore != PROFILE_ABSENT)
		port->queue_semaphore = alpc_pointer(reader, &bytes, queue + p->lpcp_port_queue_semaphore);
	free(buffer);
	read_semaphore(reader, port);
	walk(reader, linked, port, queue + p->lpcp_port_queue_receive_head, p->lpcp_message_entry,
	     "MsgQueue.ReceiveHead", &port->messages);
	walk(reader, linked, port, p->lpcp_port_object_lpc_reply_chain_head, p->ethread_lpc_reply_chain,
	     "LpcReplyChainHead", &port->reply_chain);
	walk(reader, linked, port, p->lpcp_port_object_lpc_data_info_chain_head, p->lpcp_message_entry,
	     "LpcDataInfoChainHead", &port->data_info);
	return NULL;
}

void kernel_lpc_port_release(struct kernel_lpc_port *port)
{
	if (!port)
		return;
	free(port->name);
	port->name = NULL;
	u64_vec_release(&port->messages.entries);
	u64_vec_release(&port->reply_chain.entries);
	u64_vec_release(&port->data_info.entries);
}
