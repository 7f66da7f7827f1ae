/* A dump's kernel state past its identity: the structure profile, the
 * process and thread walks, LPC (XP, 2003) or ALPC.  Each step that
 * fails is a warning and the snapshot keeps what came before (the
 * identity at least). */
#include <inttypes.h>
#include <string.h>

#include "ipc_internal.h"

static const struct origin nowhere = { ORIGIN_NONE, 0, 0 };

/* XP and 2003 keep LPC ports (_LPCP_PORT_OBJECT); Vista's 6000 is the
 * first ALPC build (struct-offsets.md, Gaps). */
enum { FIRST_ALPC_BUILD = 6000 };

void ipc_read_kernel_state(struct snapshot *snapshot, struct physical_memory *memory,
			   const struct os_identity *os, const struct dump_read_options *options,
			   const struct profile_choice *choice)
{
	/* Said, but as a note: RPC cells live in user-mode memory no issue
	 * reads yet, and a warning would mark every dump partial (exit 2)
	 * for what the tool does not attempt rather than what it failed to
	 * read. */
	snapshot_note(snapshot, nowhere, "RPC run-time state cells are not read from dumps yet");
	if (!choice->profile) {
		snapshot_warn(snapshot, nowhere, "no structure profile: %s; processes, threads and IPC "
			      "state are not read (--profile FILE names a Volatility 3 ISF file for "
			      "this kernel's PDB)", choice->reason[0] ? choice->reason : "none fits");
		return;
	}
	struct kernel *kernel = NULL;
	struct kernel_warnings warnings = { ipc_forward_warning, snapshot };
	struct error *error = kernel_open(memory, os, choice->profile, warnings, &kernel);
	if (error) {
		snapshot_warn(snapshot, nowhere, "the kernel cannot be read with profile %s: %s",
			      choice->profile->name, error_detail(error));
		error_free(error);
		return;
	}
	/* An image with no header or KDBG: the list head the kernel room found
	 * (the System process by pool tag) is said where the others are. */
	if (!os->ps_active_process_head.known || !os->ps_active_process_head.value) {
		const char *source = kernel_process_list_source(kernel);
		snapshot->system.ps_active_process_head = known_u64(kernel_process_list_head(kernel));
		snapshot->system.list_heads_source = snapshot_text(snapshot, source, strlen(source));
		snapshot_note(snapshot, nowhere, "the process list: PsActiveProcessHead 0x%" PRIx64 " from %s",
			      kernel_process_list_head(kernel), source);
	}
	uint32_t build = os->build.known ? (uint32_t)os->build.value : choice->profile->build;
	struct walked_kernel walked = { 0 };
	ipc_read_processes(snapshot, kernel, build, &walked);
	struct kernel_reader reader = { kernel_address_space(kernel), choice->profile, warnings };
	if (build && build < FIRST_ALPC_BUILD) {
		struct kernel_lpc_sources sources = { .memory = options->pool_search ? memory : NULL };
		ipc_read_lpc(snapshot, kernel, &reader, &sources, &walked);
	} else {
		struct kernel_alpc_sources sources = { .memory = options->pool_search ? memory : NULL };
		/* Symbol RVAs hold only for the profile's own PDB. */
		if (choice->match == PROFILE_BY_PDB)
			sources.kernel_base = os->kernel_base;
		ipc_read_alpc(snapshot, kernel, &reader, &sources, &walked);
	}
	walked_kernel_release(&walked);
	kernel_close(kernel);
}
