/* libFuzzer target for the LPC census's +otl object-list walk
 * (src/kernel/lpc_census.c ports_from_type_lists): the census needs an
 * opened kernel to reach the "Port" type's TypeList, which fuzz_lpc_walk
 * does not give it.  The forge's lpc-deadlock system (tests/forge), written
 * once per LPC layout as a full dump held in memory, has the fuzzer's
 * bytes XORed over the type list head and each port's creator info and
 * object header (the links walked and the header checked), then is
 * opened, walked and censused as alpcgraph does.  Any answer is fine; a
 * crash, a hang, a leak or undefined behaviour is not.
 *
 * Input: byte 0 picks the layout (XP x86, XP x86 PAE, 2003 x86, 2003 x64),
 * the rest is XORed over the chosen bytes in order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/kernel/kernel.h"
#include "../forge/forge.h"
#include "../forge/forge_scenarios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { SYSTEMS = 4, TARGET_BYTES = 1024, KEPT = 64 };

/* One layout's dump in memory and the file offsets of the bytes to damage. */
struct system {
	unsigned char *file;
	size_t size;
	const struct kernel_profile *profile;
	size_t offsets[TARGET_BYTES];
	size_t count;
};

static struct system systems[SYSTEMS];
static bool ready;

static const struct kernel_profile *builtin(const char *name)
{
	for (size_t i = 0; i < builtin_profile_count; i++)
		if (strcmp(builtin_profiles[i].name, name) == 0)
			return &builtin_profiles[i];
	return NULL;
}

/* The file offset of each byte of [va, va + length): the forge knows the
 * physical address, the dump opened over the file knows where that page's
 * bytes lie in it (a full dump's pages are read in place). */
static void add_target(struct system *s, struct forge_windows *w, struct dump *dump, uint64_t va, uint64_t length)
{
	for (uint64_t i = 0; i < length && s->count < TARGET_BYTES; i++) {
		uint64_t pa = forge_kernel_physical(w, va + i);
		struct error *error = NULL;
		const unsigned char *page = pa ? dump_page(dump, pa >> 12, &error) : NULL;
		error_free(error);
		if (page && page >= s->file && page < s->file + s->size)
			s->offsets[s->count++] = (size_t)(page - s->file) + (pa & 0xfff);
	}
}

static bool make_system(struct system *s, const struct forge_lpc_scenario_layout *choice)
{
	struct forge_scenario_system system;
	struct error *error = forge_lpc_scenario_system_new(forge_scenario_named("lpc-deadlock"), choice->label,
							    &system);
	char path[] = "/tmp/fuzz_lpc_type_lists-XXXXXX";
	int fd = error ? -1 : mkstemp(path);
	if (fd >= 0) {
		close(fd);
		error = forge_write_dump(system.forge, FORGE_WINDOWS_FULL, path);
	}
	FILE *file = !error && fd >= 0 ? fopen(path, "rb") : NULL;
	if (file) {
		fseek(file, 0, SEEK_END);
		s->size = (size_t)ftell(file);
		rewind(file);
		s->file = malloc(s->size);
		if (!s->file || fread(s->file, 1, s->size, file) != s->size)
			s->size = 0;
		fclose(file);
	}
	if (fd >= 0)
		unlink(path);
	struct dump *dump = NULL;
	if (!error && s->size)
		error = dump_open_memory(s->file, s->size, "fuzz.dmp", DUMP_DETECT, &dump);
	if (!error && dump) {
		struct forge_windows *w = system.windows;
		const struct forge_layout *l = forge_windows_layout(w);
		uint64_t type = forge_windows_facts(w)->types[FORGE_TYPE_PORT];
		add_target(s, w, dump, type + l->object_type.type_list, 2ull * l->pointer_size);
		for (size_t i = 0; i < system.facts->lpc_port_count; i++) {
			uint64_t body = system.facts->lpc_ports[i].address;
			uint64_t creator = forge_object_header(w, body) - l->creator_info.size;
			add_target(s, w, dump, creator, body - creator);
		}
		s->profile = builtin(choice->column);
		dump_close(dump);
	}
	if (error) {
		fprintf(stderr, "fuzz_lpc_type_lists: %s\n", error->message);
		error_free(error);
	}
	forge_scenario_system_free(&system);
	return s->profile && s->count;
}

static void ignore_warning(void *context, uint64_t address, const char *text)
{
	(void)address;
	if (!text || !*text)
		abort();
	++*(size_t *)context;
}

struct walked {
	struct kernel_process processes[KEPT];
	size_t process_count;
	struct kernel_thread threads[KEPT];
	size_t thread_count;
};

static bool keep_process(void *context, const struct kernel_process *process)
{
	struct walked *walked = context;
	if (walked->process_count < KEPT)
		walked->processes[walked->process_count++] = *process;
	return true;
}

static bool keep_thread(void *context, const struct kernel_thread *thread)
{
	struct walked *walked = context;
	if (walked->thread_count < KEPT)
		walked->threads[walked->thread_count++] = *thread;
	return true;
}

static void census(struct system *s)
{
	struct dump *dump = NULL;
	struct error *error = dump_open_memory(s->file, s->size, "fuzz.dmp", DUMP_DETECT, &dump);
	if (error) {
		error_free(error);
		return;
	}
	struct physical_memory *memory = physical_memory_open(dump);
	struct os_identity os;
	identify_os(memory, &os);
	size_t warnings = 0;
	struct kernel_warnings sink = { ignore_warning, &warnings };
	struct kernel *kernel = NULL;
	struct walked *walked = calloc(1, sizeof *walked);
	error = kernel_open(memory, &os, s->profile, sink, &kernel);
	if (!error)
		error = kernel_walk_processes(kernel, keep_process, walked);
	for (size_t i = 0; !error && i < walked->process_count; i++)
		error = kernel_walk_threads(kernel, &walked->processes[i], keep_thread, walked);
	if (!error) {
		struct kernel_reader reader = { kernel_address_space(kernel), s->profile, sink };
		struct kernel_lpc_sources sources = { 0 };
		struct kernel_lpc_census result;
		error = kernel_lpc_census(kernel, &reader, &sources, walked->processes, walked->process_count,
					  walked->threads, walked->thread_count, &result);
		if (!error && result.thread_count > walked->thread_count)
			abort();
		if (!error)
			kernel_lpc_census_release(&result);
	}
	error_free(error);
	free(walked);
	kernel_close(kernel);
	physical_memory_close(memory);
	dump_close(dump);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		for (size_t i = 0; i < SYSTEMS && i < forge_lpc_scenario_layout_count; i++)
			if (!make_system(&systems[i], &forge_lpc_scenario_layouts[i]))
				abort();
		ready = true;
	}
	if (!size)
		return 0;
	struct system *s = &systems[data[0] % SYSTEMS];
	size_t count = size - 1 < s->count ? size - 1 : s->count;
	for (size_t i = 0; i < count; i++)
		s->file[s->offsets[i]] ^= data[1 + i];
	census(s);
	for (size_t i = 0; i < count; i++)
		s->file[s->offsets[i]] ^= data[1 + i];
	return 0;
}
