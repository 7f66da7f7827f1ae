/* Damaged LPC object lists in XP/2003 dumps (src/kernel/lpc_census.c):
 * the forged lpc-deadlock system (tests/forge/forge_lpc_scenarios.c, its
 * Port objects on the "Port" type's TypeList through their
 * _OBJECT_HEADER_CREATOR_INFO, as with GFlags +otl) with that list torn —
 * looping back into itself mid-way, its next link into a page the image
 * lacks or to a user-mode address, a Blink that disagrees — on XP x86,
 * XP x86 PAE, 2003 x86 and 2003 x64.  Each time the census ends, the
 * snapshot says exactly what is wrong and where, every port the handle
 * tables reach is still there with the deadlock, the input is partial,
 * and `alpcgraph scan` exits 2 (`cycles` 3: the deadlock outranks it). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "../../src/correlate/correlate.h"
#include "../../src/ipc/ipc.h"
#include "../forge/forge.h"
#include "../forge/forge_scenarios.h"
#include "harness.h"

enum { EXPECTED_MAX = 4 };

/* One torn dump: the system, what the test did to it and the warnings
 * that must come back, whole. */
struct torn {
	struct forge_scenario_system system;
	const struct forge_layout *layout;
	uint64_t type, head;   /* the Port _OBJECT_TYPE and its TypeList head */
	uint64_t links[8];     /* the list's links as forged (creator info + TypeList) */
	size_t link_count;
	char path[PATH_MAX];
	char expected[EXPECTED_MAX][PATH_MAX + 512];
	bool prefix[EXPECTED_MAX]; /* the text goes on with libaddrxlat's page-table detail */
	size_t expected_count;
};

static bool torn_new(struct torn *t, const char *label, const char *damage)
{
	memset(t, 0, sizeof *t);
	struct error *error = forge_lpc_scenario_system_new(forge_scenario_named("lpc-deadlock"), label, &t->system);
	if (error) {
		fprintf(stderr, "\n  %s\n", error->message);
		error_free(error);
		return false;
	}
	struct forge_windows *w = t->system.windows;
	t->layout = forge_windows_layout(w);
	t->type = forge_windows_facts(w)->types[FORGE_TYPE_PORT];
	t->head = t->type + t->layout->object_type.type_list;
	for (uint64_t link = forge_kernel_read_pointer(w, t->head); link != t->head && t->link_count < 8;
	     link = forge_kernel_read_pointer(w, link))
		t->links[t->link_count++] = link;
	snprintf(t->path, sizeof t->path, "%s/lpc-damage-%s-%s.dmp", test_temp_dir(), damage, label);
	for (char *c = t->path + strlen(test_temp_dir()); *c; c++)
		if (*c == ' ')
			*c = '_';
	return true;
}

static void expect(struct torn *t, const char *format, ...) PRINTF_LIKE(2, 3);
static void expect(struct torn *t, const char *format, ...)
{
	if (t->expected_count == EXPECTED_MAX)
		return;
	char body[400];
	va_list args;
	va_start(args, format);
	vsnprintf(body, sizeof body, format, args);
	va_end(args);
	snprintf(t->expected[t->expected_count++], sizeof t->expected[0], "%s: at 0x%llx: object type 0x%llx TypeList: %s",
		 t->path, (unsigned long long)t->type, (unsigned long long)t->type, body);
}

static int run_tool(const char *command, const char *path)
{
	const char *tool = getenv("ALPCGRAPH");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tool); /* make check sets it */
	char line[2 * PATH_MAX + 64];
	snprintf(line, sizeof line, "timeout 20 '%s' %s '%s' >/dev/null 2>&1", tool, command, path);
	int status = system(line);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool has_diagnostic(const struct snapshot *snapshot, const char *text, bool prefix)
{
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *d = snapshot->diagnostics.items[i];
		if (d->level == DIAGNOSTIC_WARNING &&
		    (prefix ? strncmp(d->text, text, strlen(text)) : strcmp(d->text, text)) == 0)
			return true;
	}
	return false;
}

static void print_diagnostics(const struct snapshot *snapshot)
{
	for (size_t i = 0; i < snapshot->diagnostics.count; i++)
		fprintf(stderr, "\n  got: %s", ((const struct diagnostic *)snapshot->diagnostics.items[i])->text);
	fprintf(stderr, "\n");
}

/* Writes the dump, reads it as `alpcgraph scan` does and checks it. */
static void check_torn(struct torn *t)
{
	const struct forge_scenario_facts *facts = t->system.facts;
	struct error *error = forge_write_dump(t->system.forge, FORGE_WINDOWS_FULL, t->path);
	if (error) {
		fprintf(stderr, "\n  %s\n", error->message);
		error_free(error);
		CU_FAIL_FATAL("the forge could not write the dump");
	}
	struct ptr_vec snapshots = { 0 };
	time_t start = time(NULL);
	ipc_read_dump(t->path, &(struct dump_read_options){ .reading = READ_IPC_STATE }, &snapshots);
	CU_ASSERT(time(NULL) - start < 10);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	struct snapshot *snapshot = snapshots.items[0];
	CU_ASSERT_EQUAL(snapshot->status, STATUS_PARTIAL);
	CU_ASSERT_EQUAL(snapshot_count_diagnostics(snapshot, DIAGNOSTIC_WARNING), t->expected_count);
	bool all = snapshot_count_diagnostics(snapshot, DIAGNOSTIC_WARNING) == t->expected_count;
	for (size_t i = 0; i < t->expected_count; i++) {
		bool found = has_diagnostic(snapshot, t->expected[i], t->prefix[i]);
		CU_ASSERT(found);
		if (!found)
			fprintf(stderr, "\n  missing: %s", t->expected[i]);
		all = all && found;
	}
	if (!all)
		print_diagnostics(snapshot);
	/* Every port is still there: the handle tables name each one. */
	CU_ASSERT_EQUAL(facts->lpc_port_count, 6);
	size_t lpc_ports = 0;
	for (size_t i = 0; i < snapshot->ports.count; i++)
		lpc_ports += ((const struct port *)snapshot->ports.items[i])->flavor == FLAVOR_LPC;
	CU_ASSERT_EQUAL(lpc_ports, facts->lpc_port_count);
	for (size_t i = 0; i < facts->lpc_port_count; i++) {
		CU_ASSERT_NOT_EQUAL(facts->lpc_ports[i].handle, 0);
		CU_ASSERT_PTR_NOT_NULL(snapshot_find_port(snapshot, facts->lpc_ports[i].address));
	}
	/* And the deadlock through both server threads. */
	struct analysis *analysis = analyze(snapshot);
	CU_ASSERT_EQUAL(analysis_count_definite(analysis), 1);
	CU_ASSERT_EQUAL_FATAL(analysis->cycles.count, 1);
	const struct cycle *cycle = analysis->cycles.items[0];
	CU_ASSERT_EQUAL(cycle->kind, CYCLE_THREAD);
	CU_ASSERT_EQUAL(cycle->members.count, 2);
	CU_ASSERT_STRING_EQUAL(cycle->signature, "ProcessA.exe[ProcessBPort] -> ProcessB.exe[ProcessAPort]");
	analysis_free(analysis);
	for (size_t i = 0; i < snapshots.count; i++)
		snapshot_free(snapshots.items[i]);
	ptr_vec_release(&snapshots);
	/* The command line, bounded: partial is exit 2, a deadlock 3. */
	CU_ASSERT_EQUAL(run_tool("scan", t->path), 2);
	CU_ASSERT_EQUAL(run_tool("cycles", t->path), 3);
	forge_scenario_system_free(&t->system);
	remove(t->path);
}

/* The list's third entry links back to its first: a walk that trusted
 * the head to come back would never end. */
static void type_list_loops_in(const char *label)
{
	struct torn t;
	CU_ASSERT_FATAL(torn_new(&t, label, "loop"));
	CU_ASSERT_EQUAL_FATAL(t.link_count, 6);
	forge_damage_list_loop(t.system.windows, t.head, 2);
	expect(&t, "entry 3 links back to 0x%llx; the list loops and is cut there", (unsigned long long)t.links[0]);
	check_torn(&t);
}

/* The third entry's Flink points into a page the image lacks: the walk
 * takes that address as an entry, cannot read it and stops, and the
 * census says the address is no creator info of an object. */
static void type_list_into_absent_page_in(const char *label)
{
	struct torn t;
	CU_ASSERT_FATAL(torn_new(&t, label, "absent"));
	CU_ASSERT_EQUAL_FATAL(t.link_count, 6);
	uint64_t absent = forge_absent_kernel_page(t.system.windows) + 0x40;
	forge_kernel_write_pointer(t.system.windows, t.links[2], absent);
	expect(&t, "entry 3 at 0x%llx cannot be read: virtual address 0x%llx: Page not present: pte[",
	       (unsigned long long)absent, (unsigned long long)absent);
	t.prefix[0] = true;
	expect(&t, "entry 0x%llx is not the creator info of an object",
	       (unsigned long long)(absent - t.layout->creator_info.type_list));
	check_torn(&t);
}

/* The third entry's Flink is a user-mode address. */
static void type_list_to_user_address_in(const char *label)
{
	struct torn t;
	CU_ASSERT_FATAL(torn_new(&t, label, "user"));
	CU_ASSERT_EQUAL_FATAL(t.link_count, 6);
	forge_kernel_write_pointer(t.system.windows, t.links[2], 0x7ffd1000);
	expect(&t, "entry 3 links to 0x7ffd1000, not a kernel address; the list is cut there");
	check_torn(&t);
}

/* The fourth entry's Blink names the head, not the third entry: the
 * Flinks still lead round, so every port is found and the tear is said. */
static void type_list_blink_disagrees_in(const char *label)
{
	struct torn t;
	CU_ASSERT_FATAL(torn_new(&t, label, "blink"));
	CU_ASSERT_EQUAL_FATAL(t.link_count, 6);
	forge_kernel_write_pointer(t.system.windows, t.links[3] + t.layout->pointer_size, t.head);
	expect(&t, "entry 3 at 0x%llx has Blink 0x%llx, not the entry before it (0x%llx)",
	       (unsigned long long)t.links[3], (unsigned long long)t.head, (unsigned long long)t.links[2]);
	check_torn(&t);
}

#define EACH_LAYOUT(name)                                                            \
	static void name(void)                                                       \
	{                                                                            \
		for (size_t i = 0; i < forge_lpc_scenario_layout_count; i++)         \
			name##_in(forge_lpc_scenario_layouts[i].label);              \
	}
EACH_LAYOUT(type_list_loops)
EACH_LAYOUT(type_list_into_absent_page)
EACH_LAYOUT(type_list_to_user_address)
EACH_LAYOUT(type_list_blink_disagrees)

int main(void)
{
	static const struct test_case type_lists[] = {
		{ "the Port type's TypeList loops back into itself mid-way", type_list_loops },
		{ "a TypeList link into a page the image lacks", type_list_into_absent_page },
		{ "a TypeList link to a user-mode address", type_list_to_user_address },
		{ "a TypeList entry whose Blink disagrees", type_list_blink_disagrees },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "damaged +otl object lists", type_lists },
	};
	return run_suites("test_lpc_damage", suites, sizeof suites / sizeof *suites);
}
