/* kernel_probe: how well a candidate profile reads an image.  Layouts
 * change inside one build number (struct-offsets.md "Layout changes
 * inside one build number": 7601.17514's _ETHREAD fields lie 8 bytes
 * below 7601.24540's), and only reading tells them apart.  A bounded
 * sample of processes and their threads is walked with the candidate: a
 * process scores when its pid and ImageFileName look like a process's, a
 * thread when its Cid and its KTHREAD's Process (and ApcState.Process)
 * name the process whose list holds it — a wrong layout reads them from
 * the wrong place and scores nothing. */
#include <ctype.h>
#include <string.h>

#include "walk_internal.h"

enum { PROBE_PROCESSES = 64, PROBE_THREADS_PER_PROCESS = 64 };
/* Process ids are multiples of 4 below 2^32 (handle values from the
 * CID table: struct-offsets.md "Handle table notes", value = index × 4). */
#define PID_LIMIT 0x100000000ULL

struct probe {
	struct kernel *kernel;
	int score;
	unsigned processes;
	unsigned threads;
	uint64_t pid;
};

static bool plausible_image(const char *image)
{
	size_t length = strlen(image);
	if (length == 0)
		return false;
	for (size_t i = 0; i < length; i++)
		if (!isprint((unsigned char)image[i]))
			return false;
	return true;
}

/* Does the KTHREAD at the start of the ETHREAD name the process?  An
 * ETHREAD whose fields after Tcb all moved (7601.17514 → 24540) reads its
 * Cid right even with the wrong layout, since the thread's start is found
 * from ThreadListEntry, which moved with them; the KTHREAD's fields did
 * not move, so they are read from the wrong place. */
static bool names_process(struct kernel *kernel, const struct kernel_thread *thread)
{
	const struct kernel_profile *p = kernel->profile;
	const int32_t offsets[2] = { p->kthread_process, p->kthread_apc_state_process };
	for (unsigned i = 0; i < 2; i++) {
		if (offsets[i] == PROFILE_ABSENT)
			continue;
		uint64_t process;
		struct error *error = kernel_read_pointer(kernel, thread->address + (uint64_t)offsets[i], &process);
		if (error) {
			error_free(error);
			return false;
		}
		if (process != thread->process)
			return false;
	}
	return true;
}

static bool count_thread(void *context, const struct kernel_thread *thread)
{
	struct probe *probe = context;
	if (thread->pid == probe->pid && names_process(probe->kernel, thread))
		probe->score++;
	return ++probe->threads < PROBE_THREADS_PER_PROCESS;
}

static bool count_process(void *context, const struct kernel_process *process)
{
	struct probe *probe = context;
	if (process->pid < PID_LIMIT && process->pid % 4 == 0 && plausible_image(process->image))
		probe->score++;
	probe->pid = process->pid;
	probe->threads = 0;
	struct error *error = kernel_walk_threads(probe->kernel, process, count_thread, probe);
	error_free(error);
	return ++probe->processes < PROBE_PROCESSES;
}

static void ignore_warning(void *context, uint64_t address, const char *text)
{
	(void)context;
	(void)address;
	(void)text;
}

int kernel_probe(const struct kernel_profile *candidate, void *context)
{
	const struct kernel_probe_context *probe_context = context;
	struct kernel *kernel;
	struct kernel_warnings quiet = { ignore_warning, NULL };
	struct error *error = kernel_open(probe_context->memory, probe_context->os, candidate, quiet, &kernel);
	if (error) {
		error_free(error);
		return -1;
	}
	struct probe probe = { .kernel = kernel };
	error = kernel_walk_processes(kernel, count_process, &probe);
	kernel_close(kernel);
	if (error) {
		error_free(error);
		return -1;
	}
	return probe.score;
}
