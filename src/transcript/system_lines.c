/* Lines that say what machine a capture is: the debugger's session banner
 * ("Windows 7 Kernel Version 7601 (Service Pack 1) MP (4 procs) Free x64",
 * "Built by: 7601.17514.amd64fre…") and `!rpcexts.rpctime`'s "Current time
 * is: 6003, 422" / "059931.126  (0x00ea1b.07e)" (MS docs -rpcexts-rpctime.md
 * and analyzing-a-stuck-call-problem.md). */
#include <stdio.h>
#include <string.h>

#include "scanner.h"

static void set_arch_from(struct scanner *scanner, const char *text, size_t length)
{
	if (text_find(text, length, " x64") || text_find(text, length, "AMD64") ||
	    text_find(text, length, "amd64"))
		scanner->snapshot->system.arch = "x64";
	else if (text_find(text, length, " x86") || text_find(text, length, "x86fre") ||
		 text_find(text, length, "x86chk"))
		scanner->snapshot->system.arch = "x86";
}

static bool read_kernel_version(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t build;
	if (!cursor_seek_after(&cursor, "Kernel Version") || !cursor_take_decimal(&cursor, &build))
		return false;
	char number[24];
	snprintf(number, sizeof number, "%llu", (unsigned long long)build);
	struct system_info *system = &scanner->snapshot->system;
	if (system->build && strcmp(system->build, number) != 0 && !scanner->merging)
		scanner_new_capture(scanner, "another Windows build");
	system = &scanner->snapshot->system;
	system->build = scanner_text(scanner, number, strlen(number));
	set_arch_from(scanner, text, length);
	return true;
}

static bool read_rpc_time(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t seconds, fraction;
	if (!cursor_take(&cursor, "Current time is:") || !cursor_take_decimal(&cursor, &seconds))
		return false;
	/* "6003, 422" (seconds, milliseconds) or "059931.126". */
	if (!(cursor_take(&cursor, ",") || cursor_take(&cursor, ".")) ||
	    !cursor_take_decimal(&cursor, &fraction))
		fraction = 0;
	scanner->snapshot->system.rpc_time_ms = known_u64(seconds * 1000 + fraction);
	return true;
}

bool read_system_line(struct scanner *scanner, const char *text, size_t length)
{
	/* "Windows 7 Kernel Version 7601 …": the banner line starts with "Windows". */
	if (text_starts_with(text, "Windows") && text_find(text, length, "Kernel Version") &&
	    read_kernel_version(scanner, text, length))
		return true;
	if (text_starts_with(text, "Built by:")) {
		set_arch_from(scanner, text, length);
		return true;
	}
	if (text_starts_with(text, "Current time is:"))
		return read_rpc_time(scanner, text, length);
	return false;
}
