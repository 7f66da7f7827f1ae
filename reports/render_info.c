/* `alpcgraph info`: what a memory image is, in the order a support engineer
 * asks — format, machine, build and symbols, memory, the kernel's anchors,
 * the crash, the time — each value with where it was found. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "reports.h"

static void put_address(FILE *out, const char *label, maybe_u64 value, const char *source)
{
	fprintf(out, "%-21s", label);
	if (value.known)
		fprintf(out, "0x%" PRIx64, value.value);
	else
		fputs("?", out);
	if (source)
		fprintf(out, "  from %s", source);
	fputc('\n', out);
}

/* What became of the KDBG block: its state says whether the list heads
 * and kernel base above could come from it. */
static const char *kdbg_state_text(const char *state)
{
	if (!state)
		return NULL;
	if (strcmp(state, "plain") == 0)
		return "(plain)";
	if (strcmp(state, "decoded") == 0)
		return "(encoded, decoded)";
	return "(encoded, not decoded)";
}

/* 4 KiB pages in the largest binary unit that keeps a whole number in
 * front, with one decimal above a GiB. */
static void put_size(FILE *out, uint64_t pages)
{
	if (pages >= 262144)
		fprintf(out, "%" PRIu64 ".%" PRIu64 " GiB", pages / 262144, pages % 262144 * 10 / 262144);
	else if (pages >= 256)
		fprintf(out, "%" PRIu64 " MiB", pages / 256);
	else
		fprintf(out, "%" PRIu64 " KiB", pages * 4);
}

/* FILETIME: 100 ns since 1601; 11644473600 s before 1970. */
static void put_time(FILE *out, maybe_u64 filetime, maybe_u64 uptime)
{
	const uint64_t unix_epoch = 116444736000000000ULL;
	fprintf(out, "%-21s", "Time:");
	struct tm utc;
	char text[40];
	time_t seconds = filetime.known && filetime.value >= unix_epoch
				 ? (time_t)((filetime.value - unix_epoch) / 10000000)
				 : 0;
	if (seconds && gmtime_r(&seconds, &utc) &&
	    strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc))
		fputs(text, out);
	else
		fputs("?", out);
	if (uptime.known) {
		uint64_t total = uptime.value / 10000000;
		uint64_t days = total / 86400;
		fprintf(out, ", up %" PRIu64 " day%s %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64, days,
			days == 1 ? "" : "s", total / 3600 % 24, total / 60 % 60, total % 60);
	}
	fputc('\n', out);
}

struct error *render_info_text(FILE *out, const struct snapshot *snapshot)
{
	const struct system_info *s = &snapshot->system;
	fprintf(out, "%-21s%s\n", "Dump:", snapshot->path);
	fprintf(out, "%-21s%s", "Format:", snapshot->format ? snapshot->format : "?");
	if (s->dump_type)
		fprintf(out, ", %s", s->dump_type);
	fprintf(out, "\n%-21s%s\n", "Status:", snapshot_status_name(snapshot->status));
	if (snapshot->status == STATUS_ERROR && !snapshot->format)
		goto diagnostics; /* it could not be opened: the error says it all */
	fprintf(out, "%-21s%s", "Machine:", s->arch ? s->arch : "?");
	if (s->processors.known)
		fprintf(out, ", %" PRIu64 " processor%s", s->processors.value,
			s->processors.value == 1 ? "" : "s");
	fprintf(out, ", paging %s\n", s->paging ? s->paging : "?");
	fprintf(out, "%-21s%s", "Build:", s->build ? s->build : "?");
	if (s->build_source)
		fprintf(out, "  from %s", s->build_source);
	fprintf(out, "\n%-21s", "Kernel PDB:");
	if (s->pdb_guid)
		fprintf(out, "%s %s age %" PRIu64 "\n", s->pdb_name ? s->pdb_name : "?", s->pdb_guid,
			s->pdb_age.value);
	else
		fputs("?\n", out);
	fprintf(out, "%-21s%s", "Profile:", s->profile ? s->profile : "none");
	if (s->profile_reason)
		fprintf(out, "  (%s)", s->profile_reason);
	fputc('\n', out);
	fprintf(out, "%-21s", "Physical memory:");
	if (s->present_pages.known) {
		fprintf(out, "%" PRIu64 " pages present (", s->present_pages.value);
		put_size(out, s->present_pages.value);
		fprintf(out, ") in %" PRIu64 " range%s\n", s->page_ranges.value,
			s->page_ranges.value == 1 ? "" : "s");
	} else {
		fputs("?\n", out);
	}
	put_address(out, "DTB:", s->dtb, s->dtb_source);
	put_address(out, "Kernel base:", s->kernel_base, s->kernel_base_source);
	put_address(out, "PsActiveProcessHead:", s->ps_active_process_head, s->list_heads_source);
	put_address(out, "PsLoadedModuleList:", s->ps_loaded_module_list, s->list_heads_source);
	fprintf(out, "%-21s", "KdDebuggerDataBlock:");
	if (s->kd_debugger_data_block.known)
		fprintf(out, "0x%" PRIx64, s->kd_debugger_data_block.value);
	else
		fputs("?", out);
	if (kdbg_state_text(s->kdbg_state))
		fprintf(out, " %s", kdbg_state_text(s->kdbg_state));
	if (s->kdbg_source)
		fprintf(out, "  from %s", s->kdbg_source);
	fputc('\n', out);
	fprintf(out, "%-21s", "Bugcheck:");
	if (s->bugcheck_code.known) {
		fprintf(out, "0x%" PRIx64 " (", s->bugcheck_code.value);
		for (int i = 0; i < 4; i++)
			fprintf(out, "%s0x%" PRIx64, i ? ", " : "", s->bugcheck_parameters[i].value);
		fputs(")\n", out);
	} else {
		fputs("?\n", out);
	}
	put_time(out, s->system_time, s->system_uptime);
diagnostics:
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *d = snapshot->diagnostics.items[i];
		fprintf(out, "%-21s%s\n",
			d->level == DIAGNOSTIC_ERROR ? "Error:" : d->level == DIAGNOSTIC_WARNING ? "Warning:" : "Note:",
			d->text);
	}
	return ferror(out) ? error_new(ERROR_IO, "writing the dump summary failed") : NULL;
}
