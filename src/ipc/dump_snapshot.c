/* A dump's identity into snapshot.system. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ipc_internal.h"

static const char *text(struct snapshot *snapshot, const char *value)
{
	return value && *value ? snapshot_text(snapshot, value, strlen(value)) : NULL;
}

static void copy_header(struct snapshot *snapshot, const struct dump_facts *facts)
{
	struct system_info *system = &snapshot->system;
	system->arch = dump_arch_name(facts->arch);
	system->dump_type = text(snapshot, facts->dump_type_name);
	system->kernel_mode = true;
	system->processors = facts->processors;
	if (!system->processors.known && facts->cpu_count)
		system->processors = known_u64(facts->cpu_count);
	system->present_pages = known_u64(facts->present_pages);
	system->page_ranges = known_u64(facts->page_ranges);
	system->kd_debugger_data_block = facts->kd_debugger_data_block;
	system->bugcheck_code = facts->bugcheck_code;
	for (int i = 0; i < 4; i++)
		system->bugcheck_parameters[i] = facts->bugcheck_parameters[i];
	system->system_time = facts->system_time;
	system->system_uptime = facts->system_uptime;
	/* A dump cut short is read as far as it goes, and says so. */
	if (facts->pages_missing_from_file)
		snapshot_warn(snapshot, (struct origin){ ORIGIN_FILE_OFFSET, 0, facts->file_size },
			      "the file ends here, before %" PRIu64 " of the dump's %" PRIu64
			      " pages, which are absent",
			      facts->pages_missing_from_file,
			      facts->present_pages + facts->pages_missing_from_file);
}

static void copy_identity(struct snapshot *snapshot, const struct os_identity *os)
{
	struct system_info *system = &snapshot->system;
	if (os->paging_known)
		system->paging = paging_mode_name(os->paging);
	if (os->build.known) {
		char build[24];
		snprintf(build, sizeof build, "%" PRIu64, os->build.value);
		system->build = text(snapshot, build);
		system->build_source = os->build_source ? text(snapshot, os->build_source) : NULL;
	}
	system->pdb_name = text(snapshot, os->pdb_name);
	system->pdb_guid = text(snapshot, os->pdb_guid);
	system->pdb_age = os->pdb_age;
	system->dtb = os->dtb;
	system->dtb_source = os->dtb_source;
	system->kernel_base = os->kernel_base;
	system->kernel_base_source = os->kernel_base_source;
	system->ps_active_process_head = os->ps_active_process_head;
	system->ps_loaded_module_list = os->ps_loaded_module_list;
	system->list_heads_source = os->list_heads_source;
	system->kdbg_state = os->kdbg_state == KDBG_PLAIN     ? "plain"
			     : os->kdbg_state == KDBG_DECODED ? "decoded"
			     : os->kdbg_state == KDBG_ENCODED ? "encoded"
							      : NULL;
	system->kdbg_source = os->kdbg_source;
	/* A block found by the scan of an image without a header. */
	if (os->kdbg.known && !(system->kd_debugger_data_block.known &&
				system->kd_debugger_data_block.value))
		system->kd_debugger_data_block = os->kdbg;
	for (unsigned i = 0; i < os->note_count; i++)
		snapshot_note(snapshot, (struct origin){ ORIGIN_NONE, 0, 0 }, "%s", os->notes[i]);
}

/* The structure profile, and why (kernel.h, profile_choice.c).  None
 * fitting a Windows kernel (its build or PDB known) is a warning, not an
 * error: the identity stands without it.  An image with neither (a blank
 * or non-Windows one) says why in profile_reason only.  Reading the IPC
 * state, ipc_read_kernel_state() warns itself. */
static void choose_profile(struct snapshot *snapshot, struct physical_memory *memory,
			   const struct os_identity *os, const struct dump_read_options *options,
			   struct profile_choice *choice)
{
	struct kernel_probe_context probe = { memory, os };
	struct error *error = profile_choose(os, options->profile_path, kernel_probe, &probe, choice);
	if (choice->profile)
		snapshot->system.profile = text(snapshot, choice->profile->name);
	snapshot->system.profile_reason = text(snapshot, choice->reason);
	bool windows = os->build.known || os->pdb_guid[0] != '\0';
	if (error && windows && options->reading == READ_IDENTITY)
		snapshot_warn(snapshot, (struct origin){ ORIGIN_NONE, 0, 0 }, "%s", error->message);
	error_free(error);
}

void ipc_read_dump(const char *path, const struct dump_read_options *options,
		   struct ptr_vec *snapshots)
{
	struct dump *dump = NULL;
	struct error *error = dump_open(path, options->format, &dump);
	if (error) {
		struct snapshot *failed = snapshot_new(path, NULL);
		snapshot_fail(failed, error);
		snapshot_finish(failed);
		ptr_vec_push(snapshots, failed);
		return;
	}
	const struct dump_facts *facts = dump_facts(dump);
	struct snapshot *snapshot = snapshot_new(path, facts->format_name);
	snapshot->first_line = 0;
	copy_header(snapshot, facts);
	struct physical_memory *memory = physical_memory_open(dump);
	struct os_identity os;
	identify_os(memory, &os);
	copy_identity(snapshot, &os);
	struct profile_choice choice;
	choose_profile(snapshot, memory, &os, options, &choice);
	if (options->reading == READ_IPC_STATE)
		ipc_read_kernel_state(snapshot, memory, &os, options, &choice);
	profile_choice_release(&choice);
	physical_memory_close(memory);
	dump_close(dump);
	snapshot_finish(snapshot);
	ptr_vec_push(snapshots, snapshot);
}
