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

#include "../../src/kernel/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAP 0xffffb00000000000ULL /* PML4 slot 0x160 */
enum {
	PAGE = 4096,
	PML4_PAGE = 1, PDPT_PAGE = 2, PD_PAGE = 3, PT_PAGE = 4,
	HEAP_FIRST_PAGE = 8, HEAP_PAGES = 8,
	TOTAL_PAGES = HEAP_FIRST_PAGE + HEAP_PAGES,
	CONTROL = 2,
	PORT_BODY = 0x1100, INFO = 0x2000, MESSAGE = 0x3000, THREAD = 0x5000, PROCESS = 0x7000,
};

static void put64(uint8_t *at, uint64_t value)
{
	for (int i = 0; i < 8; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static void put_at(uint8_t *heap, int32_t offset, uint64_t base, uint64_t value)
{
	if (offset == PROFILE_ABSENT)
		return;
	uint64_t at = base - HEAP + (uint64_t)offset;
	if (at + 8 <= HEAP_PAGES * PAGE)
		put64(heap + at, value);
}

static void put_tables(uint8_t *memory)
{
	uint64_t present = 0x3;
	put64(memory + PML4_PAGE * PAGE + 0x160 * 8, (uint64_t)PDPT_PAGE * PAGE | present);
	put64(memory + PDPT_PAGE * PAGE, (uint64_t)PD_PAGE * PAGE | present);
	put64(memory + PD_PAGE * PAGE, (uint64_t)PT_PAGE * PAGE | present);
	for (unsigned i = 0; i < HEAP_PAGES; i++)
		put64(memory + PT_PAGE * PAGE + i * 8, (uint64_t)(HEAP_FIRST_PAGE + i) * PAGE | present);
}

/* A LIST_ENTRY at head holding one entry at link (or empty: link 0). */
static void put_list(uint8_t *heap, uint64_t head, uint64_t link)
{
	uint64_t first = link ? link : head;
	put_at(heap, 0, head, first);
	put_at(heap, 8, head, first);
	if (link) {
		put_at(heap, 0, link, head);
		put_at(heap, 8, link, head);
	}
}

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
	uint8_t control[CONTROL] = { 0 };
	memcpy(control, data, size < CONTROL ? size : CONTROL);
	const uint8_t *tail = size > CONTROL ? data + CONTROL : NULL;
	size_t tail_size = size > CONTROL ? size - CONTROL : 0;
	const struct kernel_profile *profile = pick_profile(control[0]);
	if (!profile)
		return 0;
	uint8_t *memory = calloc(TOTAL_PAGES, PAGE);
	if (!memory)
		return 0;
	uint8_t *heap = memory + HEAP_FIRST_PAGE * PAGE;
	put_tables(memory);
	put_scenario(heap, profile);
	for (size_t i = 0; i < tail_size && i < HEAP_PAGES * PAGE; i++)
		heap[i] ^= tail[i];
	for (unsigned i = 0; i < 8 && i < HEAP_PAGES; i++)
		if (control[1] >> i & 1)
			put64(memory + PT_PAGE * PAGE + i * 8, 0);

	struct dump *dump = NULL;
	struct error *error = dump_open_memory(memory, TOTAL_PAGES * PAGE, "fuzz.raw", DUMP_FORCE_RAW, &dump);
	if (error) {
		error_free(error);
		free(memory);
		return 0;
	}
	struct physical_memory *physical = physical_memory_open(dump);
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
	physical_memory_close(physical);
	dump_close(dump);
	free(memory);
	return 0;
}
