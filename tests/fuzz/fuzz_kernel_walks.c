/* libFuzzer target for the kernel walks: kernel_open, the process list,
 * each process's threads (with their wait objects) and handle table,
 * kernel_object_at on every process, thread, handle object and wait
 * object, and kernel_probe — over kernel memory the input damages.
 *
 * The image is a raw one built here: 4-level tables mapping HEAP_PAGES
 * pages at HEAP, where a small valid scenario is laid out with the chosen
 * built-in profile's own offsets (this target tests robustness, not
 * offsets: PsActiveProcessHead → one EPROCESS with an object header → one
 * ETHREAD waiting on it, and a level-0 handle table whose entry holds the
 * process), and the fuzzer's bytes are XORed over the heap, so an empty
 * tail is a valid kernel and every mutation damages a working one.  Any
 * answer or error is fine; a crash, a hang, a leak or undefined behaviour
 * is not.
 *
 * Input: byte 0 picks the profile (x64 ones that are complete; bit 7:
 * PsActiveProcessHead unknown, so kernel_open looks for the System
 * process by its pool tag, which the scenario gives it), byte 1 flags
 * (bit i: heap page i absent, for the first 8 pages), then the bytes
 * XORed over the heap from its start. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	PROCESS_BODY = 0x1100, THREAD_BODY = 0x3100, HANDLE_TABLE = 0x5000, LEAF = 0x6000,
	/* bounds on what one input may make the walks visit */
	PROCESSES_MAX = 64, THREADS_MAX = 256, HANDLES_MAX = 1024,
};

/* The scenario in the profile's own layout (see the comment above). */
static void put_scenario(uint8_t *heap, const struct kernel_profile *p)
{
	uint64_t head = HEAP, process = HEAP + PROCESS_BODY, thread = HEAP + THREAD_BODY;
	uint64_t links = process + (uint64_t)p->eprocess_active_process_links;
	put64(heap, links);
	put64(heap + 8, links);
	put_at(heap, p->eprocess_active_process_links, process, head);
	put_at(heap, p->eprocess_active_process_links + 8, process, head);
	put_at(heap, p->eprocess_unique_process_id, process, 4);
	memcpy(heap + PROCESS_BODY + p->eprocess_image_file_name, "System", 6);
	/* what the search for the System process checks: its page tables,
	 * and a "Proc" pool header right before its object header */
	put_at(heap, p->kprocess_directory_table_base, process, (uint64_t)PML4_PAGE * PAGE);
	if (p->pool_header_size > 0 && p->pool_header_pool_tag != PROFILE_ABSENT &&
	    p->object_header_body != PROFILE_ABSENT)
		memcpy(heap + PROCESS_BODY - p->object_header_body - p->pool_header_size +
			       p->pool_header_pool_tag,
		       "Proc", 4);
	put_at(heap, p->eprocess_object_table, process, HEAP + HANDLE_TABLE);
	uint64_t thread_head = process + (uint64_t)p->eprocess_thread_list_head;
	uint64_t thread_links = thread + (uint64_t)p->ethread_thread_list_entry;
	put_at(heap, p->eprocess_thread_list_head, process, thread_links);
	put_at(heap, p->eprocess_thread_list_head + 8, process, thread_links);
	put_at(heap, p->ethread_thread_list_entry, thread, thread_head);
	put_at(heap, p->ethread_thread_list_entry + 8, thread, thread_head);
	put_at(heap, p->ethread_cid + p->client_id_unique_process, thread, 4);
	put_at(heap, p->ethread_cid + p->client_id_unique_thread, thread, 8);
	put_sized(heap, p->kthread_state, thread, 5, 1);
	/* waits on the process: a wait block at the start of KTHREAD.WaitBlock */
	uint64_t wait_block = thread + (uint64_t)p->kthread_wait_block;
	put_at(heap, p->kthread_wait_block_list, thread, wait_block);
	put_at(heap, p->kwait_block_thread, wait_block, thread);
	put_at(heap, p->kwait_block_object, wait_block, process);
	put_sized(heap, p->dispatcher_header_type, process, 3, 1);
	/* the process's header: a type index (Win7+), a name info */
	uint64_t header = process - (uint64_t)p->object_header_body;
	put_sized(heap, p->object_header_type_index, header, 7, 1);
	put_at(heap, p->object_header_pointer_count, header, 1);
	/* a level-0 handle table whose entry 1 holds the process */
	uint64_t table = HEAP + HANDLE_TABLE;
	put_at(heap, p->handle_table_table_code, table, HEAP + LEAF);
	uint64_t entry = HEAP + LEAF + (uint64_t)p->handle_table_entry_size;
	if (p->handle_entry_scheme == HANDLE_ENTRY_POINTER_BITS)
		put64(heap + (entry - HEAP), (header & 0xffffffffffffULL) >> 4 << 20 | 1);
	else
		put_at(heap, p->handle_table_entry_object, entry, header | 1);
}

static const struct kernel_profile *pick_profile(uint8_t choice)
{
	const struct kernel_profile *usable[32];
	size_t count = 0;
	for (size_t i = 0; i < builtin_profile_count && count < 32; i++)
		if (builtin_profiles[i].pointer_size == 8 && !builtin_profiles[i].incomplete)
			usable[count++] = &builtin_profiles[i];
	return count ? usable[choice % count] : NULL;
}

static void drop(void *context, uint64_t address, const char *text)
{
	size_t *count = context;
	(void)address;
	if (!text || !*text)
		abort();
	++*count;
}

struct visits {
	struct kernel *kernel;
	size_t processes, threads, handles;
};

static void look_at(struct kernel *kernel, uint64_t body)
{
	struct kernel_object object;
	struct error *error = kernel_object_at(kernel, body, &object);
	if (!error && (memchr(object.name, 0, sizeof object.name) == NULL ||
		       memchr(object.type_name, 0, sizeof object.type_name) == NULL))
		abort();
	error_free(error);
}

static bool on_handle(void *context, const struct kernel_handle *handle)
{
	struct visits *visits = context;
	if (handle->value % 4 || handle->value == 0)
		abort();
	look_at(visits->kernel, handle->object);
	return ++visits->handles < HANDLES_MAX;
}

static bool on_thread(void *context, const struct kernel_thread *thread)
{
	struct visits *visits = context;
	if (thread->wait_object_count > KERNEL_WAIT_OBJECTS_KEPT)
		abort();
	look_at(visits->kernel, thread->address);
	for (unsigned i = 0; i < thread->wait_object_count; i++)
		look_at(visits->kernel, thread->wait_objects[i].address);
	return ++visits->threads < THREADS_MAX;
}

static bool on_process(void *context, const struct kernel_process *process)
{
	struct visits *visits = context;
	if (process->image[15] != '\0')
		abort();
	look_at(visits->kernel, process->address);
	error_free(kernel_walk_threads(visits->kernel, process, on_thread, visits));
	error_free(kernel_walk_handles(visits->kernel, process, on_handle, visits));
	return ++visits->processes < PROCESSES_MAX;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_image image;
	fuzz_image_control(&image, data, size);
	const struct kernel_profile *profile = pick_profile(image.control[0] & 0x7f);
	if (!profile || !fuzz_image_open(&image, data, size, put_scenario, profile))
		return 0;
	struct physical_memory *physical = image.physical;
	struct error *error;
	struct os_identity os;
	memset(&os, 0, sizeof os);
	os.paging_known = true;
	os.paging = PAGING_X64;
	os.dtb = known_u64(PML4_PAGE * PAGE);
	os.ps_active_process_head = image.control[0] & 0x80 ? UNKNOWN_U64 : known_u64(HEAP);
	size_t warnings = 0;
	struct kernel *kernel = NULL;
	error = kernel_open(physical, &os, profile, (struct kernel_warnings){ drop, &warnings }, &kernel);
	if (!error) {
		struct visits visits = { .kernel = kernel };
		error = kernel_walk_processes(kernel, on_process, &visits);
		kernel_close(kernel);
	}
	error_free(error);
	struct kernel_probe_context context = { physical, &os };
	int score = kernel_probe(profile, &context);
	if (score < -1)
		abort();
	fuzz_image_close(&image);
	return 0;
}
