/* libFuzzer target for the LPC readers (src/kernel/lpc_*.c): a server
 * connection port with a request on its MsgQueue.ReceiveHead, a client
 * port whose LpcReplyChainHead holds the thread waiting for the reply,
 * the queue semaphore, a loose message behind an "LpcM" pool header —
 * laid out with the chosen built-in profile's own offsets (robustness,
 * not offsets), then the fuzzer's bytes XORed over that kernel memory, so
 * an empty input is a valid scene and every mutation damages it.  Both
 * ports and the messages are decoded and the census run with the pool
 * search.  Any answer or error is fine; a crash, a hang, a leak or
 * undefined behaviour is not.
 *
 * Input: byte 0 picks the profile (x64 ones with the LPC layout), byte 1
 * flags (bit i: kernel page i absent), then the bytes XORed over the
 * pages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	SERVER_PORT = 0x1100, CLIENT_PORT = 0x2100, MESSAGE = 0x3020, LOOSE = 0x4020,
	SEMAPHORE = 0x4800, THREAD = 0x5000, PROCESS = 0x7000,
	MESSAGE_ID = 0x2249c,
};

static void put_port(uint8_t *heap, const struct kernel_profile *p, uint64_t port, uint32_t flags,
		     uint64_t connection, uint64_t connected, uint64_t message, uint64_t waiter)
{
	uint64_t queue = port + (uint64_t)p->lpcp_port_object_msg_queue;
	put_sized(heap, p->lpcp_port_object_flags, port, flags, 4);
	put_sized(heap, p->lpcp_port_object_connection_port, port, connection, 8);
	put_sized(heap, p->lpcp_port_object_connected_port, port, connected, 8);
	put_sized(heap, p->lpcp_port_object_server_process, port, HEAP + PROCESS, 8);
	put_sized(heap, p->lpcp_port_queue_semaphore, queue, HEAP + SEMAPHORE, 8);
	put_list(heap, queue + (uint64_t)p->lpcp_port_queue_receive_head,
		 message ? message + (uint64_t)p->lpcp_message_entry : 0);
	put_list(heap, port + (uint64_t)p->lpcp_port_object_lpc_reply_chain_head,
		 waiter ? waiter + (uint64_t)p->ethread_lpc_reply_chain : 0);
	put_list(heap, port + (uint64_t)p->lpcp_port_object_lpc_data_info_chain_head, 0);
	/* the pool header before the object header: the Port type's tag */
	uint64_t pool = port - (uint64_t)p->object_header_body - (uint64_t)p->pool_header_size;
	memcpy(heap + (pool - HEAP) + p->pool_header_pool_tag, "Port", 4);
}

static void put_message(uint8_t *heap, const struct kernel_profile *p, uint64_t message, uint32_t id,
			uint64_t sender)
{
	uint64_t request = message + (uint64_t)p->lpcp_message_request;
	put_sized(heap, p->lpcp_message_sender_port, message, sender, 8);
	put_sized(heap, p->port_message_data_length, request, 0x20, 2);
	put_sized(heap, p->port_message_total_length, request, 0x20 + (uint64_t)p->port_message_size, 2);
	put_sized(heap, p->port_message_type, request, 1, 2);
	put_sized(heap, p->port_message_message_id, request, id, 4);
	uint64_t pool = message - (uint64_t)p->pool_header_size;
	memcpy(heap + (pool - HEAP) + p->pool_header_pool_tag, "LpcM", 4);
}

static void put_scenario(uint8_t *heap, const struct kernel_profile *p)
{
	uint64_t server = HEAP + SERVER_PORT, client = HEAP + CLIENT_PORT;
	uint64_t message = HEAP + MESSAGE, loose = HEAP + LOOSE, thread = HEAP + THREAD;
	put_port(heap, p, server, 1, server, 0, message, 0);
	put_port(heap, p, client, 4, server, 0, 0, thread);
	put_message(heap, p, message, MESSAGE_ID, client);
	put_message(heap, p, loose, MESSAGE_ID + 2, 0);
	put_list(heap, loose + (uint64_t)p->lpcp_message_entry, 0);
	put_sized(heap, p->ksemaphore_limit, HEAP + SEMAPHORE, 0x7fffffff, 4);
}

static const struct kernel_profile *pick_profile(uint8_t choice)
{
	const struct kernel_profile *usable[32];
	size_t count = 0;
	for (size_t i = 0; i < builtin_profile_count && count < 32; i++) {
		const struct kernel_profile *p = &builtin_profiles[i];
		if (p->pointer_size == 8 && !p->incomplete && p->lpcp_port_object_size > 0 &&
		    p->lpcp_message_size > 0 && p->pool_header_size > 0 && p->object_header_body > 0 &&
		    p->ethread_lpc_reply_chain != PROFILE_ABSENT)
			usable[count++] = p;
	}
	return count ? usable[choice % count] : NULL;
}

static void count_warning(void *context, uint64_t address, const char *text)
{
	(void)address;
	if (!text || !*text)
		abort();
	++*(size_t *)context;
}

static bool count_hit(void *context, uint64_t address)
{
	(void)address;
	++*(size_t *)context;
	return true;
}

static void check_port(const struct kernel_lpc_port *port)
{
	if (port->messages.entries.count > KERNEL_LPC_LIST_CAP ||
	    port->reply_chain.entries.count > KERNEL_LPC_LIST_CAP ||
	    port->data_info.entries.count > KERNEL_LPC_LIST_CAP)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_image image;
	fuzz_image_control(&image, data, size);
	const struct kernel_profile *profile = pick_profile(image.control[0]);
	if (!profile || !fuzz_image_open(&image, data, size, put_scenario, profile))
		return 0;
	struct physical_memory *physical = image.physical;
	struct error *error;
	struct address_space *space = address_space_new(physical, PAGING_X64, PML4_PAGE * PAGE);
	size_t warnings = 0;
	struct kernel_reader reader = { space, profile, { count_warning, &warnings } };

	const uint64_t ports[] = { HEAP + SERVER_PORT, HEAP + CLIENT_PORT };
	for (size_t i = 0; i < 2; i++) {
		struct kernel_lpc_port port;
		error = kernel_lpc_port_read(&reader, ports[i], &port);
		if (!error)
			check_port(&port);
		error_free(error);
		kernel_lpc_port_release(&port);
	}
	const uint64_t messages[] = { HEAP + MESSAGE, HEAP + LOOSE };
	for (size_t i = 0; i < 2; i++) {
		struct kernel_lpc_message message;
		error = kernel_lpc_message_read(&reader, messages[i], &message);
		if (!error && message.data_words > KERNEL_LPC_DATA_WORDS)
			abort();
		error_free(error);
	}

	struct kernel_process process = { .address = HEAP + PROCESS, .pid = 4 };
	struct kernel_thread thread = { .address = HEAP + THREAD, .pid = 4, .tid = 8, .state = 5,
					.wait_reason = 17, .lpc_reply_message_id = MESSAGE_ID,
					.lpc_waiting_on = (HEAP + CLIENT_PORT) | 1 };
	/* The port tags come from the Port types, which need an opened
	 * kernel; here the pool search looks for the sourced "Port" and
	 * "Wait" (kernel.h KERNEL_LPC_PORT_POOL_TAG) and the messages. */
	struct kernel_lpc_sources sources = { .memory = physical };
	struct kernel_lpc_census census;
	error = kernel_lpc_census(NULL, &reader, &sources, &process, 1, &thread, 1, &census);
	if (!error) {
		if (census.thread_count > 1)
			abort();
		for (size_t i = 0; i < census.ports.count; i++)
			check_port(census.ports.items[i]);
		kernel_lpc_census_release(&census);
	}
	error_free(error);
	/* The scan alone, with the Port tag given. */
	static const uint32_t port_tag = 0x74726f50u; /* "Port" */
	size_t hits = 0;
	error_free(kernel_lpc_pool_scan(physical, &reader, &port_tag, 1, count_hit, count_hit, &hits));
	if (hits > TOTAL_PAGES * PAGE / 8)
		abort();
	address_space_free(space);
	fuzz_image_close(&image);
	return 0;
}
