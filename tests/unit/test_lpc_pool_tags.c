/* The LPC port objects' pool tags (src/kernel/lpc_census.c,
 * lpc_pool_scan.c; docs/lpc.md "LPC pool tags"): --pool-search finds a
 * port no handle, list or reference names by the tag its type object's
 * Key holds and, for a kind of port whose type object cannot be read, by
 * the sourced "Port" or "Wait"; a port behind any other tag is not found.
 * Over lpcscen's lpc-pool-only system (tests/forge/forge_lpc_scenarios.c)
 * on XP x86, XP x86 PAE, 2003 x86 and 2003 x64, with three more ports
 * only the pool holds; every value asserted is one the test forged. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../../src/ipc/ipc.h"
#include "../forge/forge.h"
#include "../forge/forge_layouts.h"
#include "../forge/forge_scenarios.h"
#include "harness.h"

/* Object tags before Windows 8 carry the protected-pool bit; the Key
 * does not (the forge writes it as ReactOS's ObCreateObjectType does). */
#define PROTECTED 0x80000000u
#define LPC_WAITABLE_PORT 0x20000000u /* Flags, ReactOS lpctypes.h */

struct hidden_ports {
	uint64_t port, waitable, wrong, untagged_kind;
};

/* Rewrites the PoolTag of the pool block holding the object at body.
 * The _POOL_HEADER lies below the optional headers (0 to 0xc0 bytes,
 * struct-offsets.md "Object header notes"), at a pool-aligned step. */
static bool retag(struct forge_windows *w, uint64_t body, uint32_t from, uint32_t to)
{
	const struct forge_layout *l = forge_windows_layout(w);
	uint64_t header = forge_object_header(w, body);
	uint64_t step = l->pointer_size == 8 ? 16 : 8;
	for (uint64_t below = l->pool_header.size; below <= l->pool_header.size + 0xc0; below += step) {
		uint64_t tag_at = header - below + l->pool_header.pool_tag;
		if ((uint32_t)forge_kernel_read_pointer(w, tag_at) == from) {
			forge_kernel_write_u32(w, tag_at, to);
			return true;
		}
	}
	return false;
}

/* A "Port" and a "WaitablePort" connection port nothing names, and one
 * whose pool block another tag marks; untagged_kind is a "Port" object
 * retagged with the tag the test gives the Port type's Key (0: none). */
static void hide_ports(struct forge_windows *w, uint32_t port_key, struct hidden_ports *h)
{
	uint64_t owner = forge_process(w, 0x6f0, "hidden.exe");
	h->port = forge_lpc_connection_port(w, owner, "\\HiddenPort");
	h->waitable = forge_lpc_waitable_connection_port(w, owner, "\\HiddenWaitablePort");
	h->wrong = forge_lpc_connection_port(w, owner, "\\WrongTagPort");
	CU_ASSERT_TRUE(retag(w, h->wrong, forge_tag("Port") | PROTECTED, forge_tag("Wrng") | PROTECTED));
	h->untagged_kind = 0;
	if (port_key) {
		h->untagged_kind = forge_lpc_connection_port(w, owner, "\\KeyTaggedPort");
		CU_ASSERT_TRUE(retag(w, h->untagged_kind, forge_tag("Port") | PROTECTED, port_key | PROTECTED));
	}
}

/* Every Port and WaitablePort type object made unreadable: each LPC
 * port's _OBJECT_HEADER.Type (XP/2003 keep a pointer there) and the
 * kernel's variables for the types point into a page the image lacks. */
static void hide_types(struct forge_scenario_system *system, const struct hidden_ports *h)
{
	struct forge_windows *w = system->windows;
	const struct forge_layout *l = forge_windows_layout(w);
	const struct forge_windows_facts *facts = forge_windows_facts(w);
	uint64_t absent = forge_absent_kernel_page(w);
	const uint64_t mine[] = { h->port, h->waitable, h->wrong };
	for (size_t i = 0; i < system->facts->lpc_port_count + 3; i++) {
		uint64_t port = i < system->facts->lpc_port_count ? system->facts->lpc_ports[i].address
								  : mine[i - system->facts->lpc_port_count];
		forge_kernel_write_pointer(w, forge_object_header(w, port) + l->object_header.type, absent);
	}
	const enum forge_object_type types[] = { FORGE_TYPE_PORT, FORGE_TYPE_WAITABLE_PORT };
	for (size_t i = 0; i < 2; i++)
		if (facts->type_pointer[types[i]])
			forge_kernel_write_pointer(w, facts->type_pointer[types[i]], absent);
}

/* The types' object lists emptied (a system without GFlags +otl), so
 * that the pool alone holds the hidden ports. */
static void untype_list(struct forge_windows *w)
{
	const struct forge_layout *l = forge_windows_layout(w);
	const struct forge_windows_facts *facts = forge_windows_facts(w);
	const enum forge_object_type types[] = { FORGE_TYPE_PORT, FORGE_TYPE_WAITABLE_PORT };
	for (size_t i = 0; i < 2; i++) {
		uint64_t head = facts->types[types[i]] + l->object_type.type_list;
		forge_kernel_write_pointer(w, head, head);
		forge_kernel_write_pointer(w, head + l->pointer_size, head);
	}
}

static struct snapshot *read_dump(struct forge_scenario_system *system, const char *label, const char *what,
				  bool pool_search)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/pool-tags-%s-%s.dmp", test_temp_dir(), what, label);
	for (char *c = path + strlen(test_temp_dir()); *c; c++)
		if (*c == ' ')
			*c = '_';
	struct error *error = forge_write_dump(system->forge, FORGE_WINDOWS_FULL, path);
	if (error) {
		fprintf(stderr, "%s\n", error->message);
		error_free(error);
		return NULL;
	}
	struct ptr_vec snapshots = { 0 };
	ipc_read_dump(path, &(struct dump_read_options){ .reading = READ_IPC_STATE, .pool_search = pool_search },
		      &snapshots);
	struct snapshot *snapshot = snapshots.count == 1 ? snapshots.items[0] : NULL;
	for (size_t i = 1; i < snapshots.count; i++)
		snapshot_free(snapshots.items[i]);
	ptr_vec_release(&snapshots);
	return snapshot;
}

static bool said(const struct snapshot *snapshot, const char *fragment)
{
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *d = snapshot->diagnostics.items[i];
		if (strstr(d->text, fragment))
			return true;
	}
	return false;
}

/* A port the pool search found: an LPC server connection port at that
 * very address with the Flags the forge wrote. */
static void check_found(const struct snapshot *snapshot, uint64_t address, uint32_t flags)
{
	const struct port *port = snapshot_find_port(snapshot, address);
	CU_ASSERT_PTR_NOT_NULL_FATAL(port);
	CU_ASSERT_KNOWN_EQUAL(port->address, address);
	CU_ASSERT_EQUAL(port->flavor, FLAVOR_LPC);
	CU_ASSERT_EQUAL(port->kind, PORT_LPC_SERVER_CONNECTION);
	CU_ASSERT_KNOWN_EQUAL(port->lpc_flags, flags);
}

static const char no_type_read[] = "no Port object type was read to give their pool tag";

/* The type objects cannot be read: the sourced tags find the port and the
 * waitable port, and only those; said in a warning. */
static void unreadable_types_in(const char *label)
{
	struct forge_scenario_system system = { 0 };
	struct error *error = forge_lpc_scenario_system_new(forge_scenario_named("lpc-pool-only"), label, &system);
	CU_ASSERT_PTR_NULL_FATAL(error);
	struct hidden_ports h;
	hide_ports(system.windows, 0, &h);
	hide_types(&system, &h);
	struct snapshot *without = read_dump(&system, label, "unreadable", false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(without);
	CU_ASSERT_PTR_NULL(snapshot_find_port(without, h.port));
	CU_ASSERT_PTR_NULL(snapshot_find_port(without, h.waitable));
	CU_ASSERT_PTR_NULL(snapshot_find_port(without, h.wrong));
	snapshot_free(without);
	struct snapshot *with = read_dump(&system, label, "unreadable", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(with);
	check_found(with, h.port, 1);
	check_found(with, h.waitable, LPC_WAITABLE_PORT | 1);
	CU_ASSERT_PTR_NULL(snapshot_find_port(with, h.wrong));
	CU_ASSERT_TRUE(said(with, "the LPC pool search looks for port objects by the tags \"Port\" and \"Wait\""));
	CU_ASSERT_TRUE(said(with, no_type_read));
	snapshot_free(with);
	forge_scenario_system_free(&system);
}

/* The Port type object is read: its Key, not the sourced "Port", is the
 * tag looked for (a port tagged "Port" is then not found); no WaitablePort
 * type object was found (no waitable port is named), so "Wait" still
 * finds the waitable port.  Nothing to warn about. */
static void image_key_preferred_in(const char *label)
{
	struct forge_scenario_system system = { 0 };
	struct error *error = forge_lpc_scenario_system_new(forge_scenario_named("lpc-pool-only"), label, &system);
	CU_ASSERT_PTR_NULL_FATAL(error);
	struct forge_windows *w = system.windows;
	const struct forge_layout *l = forge_windows_layout(w);
	uint32_t key = forge_tag("Prtx");
	forge_kernel_write_u32(w, forge_windows_facts(w)->types[FORGE_TYPE_PORT] + l->object_type.key, key);
	struct hidden_ports h;
	hide_ports(w, key, &h);
	untype_list(w);
	struct snapshot *without = read_dump(&system, label, "key", false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(without);
	CU_ASSERT_PTR_NULL(snapshot_find_port(without, h.untagged_kind));
	CU_ASSERT_PTR_NULL(snapshot_find_port(without, h.waitable));
	snapshot_free(without);
	struct snapshot *with = read_dump(&system, label, "key", true);
	CU_ASSERT_PTR_NOT_NULL_FATAL(with);
	check_found(with, h.untagged_kind, 1);
	check_found(with, h.waitable, LPC_WAITABLE_PORT | 1);
	CU_ASSERT_PTR_NULL(snapshot_find_port(with, h.port));
	CU_ASSERT_PTR_NULL(snapshot_find_port(with, h.wrong));
	CU_ASSERT_FALSE(said(with, no_type_read));
	CU_ASSERT_EQUAL(with->status, STATUS_OK);
	snapshot_free(with);
	forge_scenario_system_free(&system);
}

static void unreadable_types(void)
{
	for (size_t i = 0; i < forge_lpc_scenario_layout_count; i++)
		unreadable_types_in(forge_lpc_scenario_layouts[i].label);
}

static void image_key_preferred(void)
{
	for (size_t i = 0; i < forge_lpc_scenario_layout_count; i++)
		image_key_preferred_in(forge_lpc_scenario_layouts[i].label);
}

int main(void)
{
	static const struct test_case tags[] = {
		{ "type objects unreadable: the sourced Port and Wait tags find the hidden ports, not a "
		  "wrong-tagged one",
		  unreadable_types },
		{ "the Port type's Key read from the image is preferred; Wait for the type not found",
		  image_key_preferred },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "LPC port pool tags", tags },
	};
	return run_suites("test_lpc_pool_tags", suites, sizeof suites / sizeof *suites);
}
