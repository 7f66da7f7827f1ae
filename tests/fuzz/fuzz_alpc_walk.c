/* libFuzzer target for the ALPC readers (src/kernel/alpc_*.c): one
 * _ALPC_PORT with its communication info, a _KALPC_MESSAGE on its
 * MainQueue that a thread waits on, the thread on its WaitQueue, all laid
 * out with the chosen built-in profile's own offsets (this target tests
 * robustness, not offsets), then the fuzzer's bytes XORed over that
 * kernel memory — so an empty input is a valid port and every mutation
 * damages a working one.  The port is decoded, the message decoded, and
 * the census run with the pool search over the image's pages.  Any
 * answer or error is fine; a crash, a hang, a leak or undefined
 * behaviour is not.
 *
 * Input: byte 0 picks the profile (complete x64 ALPC ones), byte 1 flags
 * (bit i: kernel page i absent), then the bytes XORed over the pages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { PORT_BODY = 0x1100, INFO = 0x2000, MESSAGE = 0x3000, THREAD = 0x5000, PROCESS = 0x7000 };

static void put_scenario(uint8_t *heap, const struct kernel_profile *p)
{
	uint64_t port = HEAP + PORT_BODY, info = HEAP + INFO, message = HEAP + MESSAGE;
	uint64_t thread = HEAP + THREAD, process = HEAP + PROCESS;
	/* the pool header before the object header: tag "ALPC" */
	uint64_t pool = port - (uint64_t)p->object_header_body - (uint64_t)p->pool_header_size;
	memcpy(heap + (pool - HEAP) + p->pool_header_pool_tag, "ALPC", 4);
	put_at(heap, p->alpc_port_owner_process, port, process);
	put_at(heap, p->alpc_port_communication_info, port, info);
	put_at(heap, p->alpc_communication_info_connection_port, info, port);
	const int32_t queues[] = { p->alpc_port_large_message_queue, p->alpc_port_pending_queue,
				   p->alpc_port_canceled_queue, p->alpc_port_direct_queue };
	for (size_t i = 0; i < sizeof queues / sizeof *queues; i++)
		if (queues[i] != PROFILE_ABSENT)
			put_list(heap, port + (uint64_t)queues[i], 0);
	put_list(heap, port + (uint64_t)p->alpc_port_main_queue, message + (uint64_t)p->kalpc_message_entry);
	put_list(heap, port + (uint64_t)p->alpc_port_wait_queue, thread + (uint64_t)p->ethread_alpc_wait_list_entry);
	put_at(heap, p->kalpc_message_port_queue, message, port);
	put_at(heap, p->kalpc_message_owner_port, message, port);
	put_at(heap, p->kalpc_message_waiting_thread, message, thread);
}

static const struct kernel_profile *pick_profile(uint8_t choice)
{
	const struct kernel_profile *usable[32];
	size_t count = 0;
	for (size_t i = 0; i < builtin_profile_count && count < 32; i++) {
		const struct kernel_profile *p = &builtin_profiles[i];
		if (p->pointer_size == 8 && !p->incomplete && p->alpc_port_size > 0 &&
		    p->kalpc_message_size > 0 && p->pool_header_size > 0)
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

static void check_port(const struct kernel_alpc_port *port)
{
	for (int q = 0; q < KERNEL_ALPC_QUEUE_COUNT; q++)
		if (port->queues[q].entries.count > KERNEL_ALPC_QUEUE_CAP)
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

	struct kernel_alpc_port port;
	error = kernel_alpc_port_read(&reader, HEAP + PORT_BODY, &port);
	if (!error)
		check_port(&port);
	error_free(error);
	kernel_alpc_port_release(&port);
	struct kernel_alpc_message message;
	error_free(kernel_alpc_message_read(&reader, HEAP + MESSAGE, &message));

	struct kernel_process process = { .address = HEAP + PROCESS, .pid = 4 };
	struct kernel_thread thread = { .address = HEAP + THREAD, .pid = 4, .tid = 8, .state = 5,
					.wait_reason = 17, .alpc_message = HEAP + MESSAGE };
	struct kernel_alpc_sources sources = { .memory = physical };
	struct kernel_alpc_census census;
	error = kernel_alpc_census(NULL, &reader, &sources, &process, 1, &thread, 1, &census);
	if (!error) {
		if (census.wait_count > 1)
			abort();
		for (size_t i = 0; i < census.ports.count; i++)
			check_port(census.ports.items[i]);
		kernel_alpc_census_release(&census);
	}
	error_free(error);
	address_space_free(space);
	fuzz_image_close(&image);
	return 0;
}
