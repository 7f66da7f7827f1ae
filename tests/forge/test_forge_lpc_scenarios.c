/* Issue 5's LPC scenarios are what they claim: each is laid on XP x86
 * (non-PAE and PAE), 2003 x86 and 2003 x64, written as a full dump and
 * read back through the test's own page walks and hand-typed offsets
 * (object_reader.c: struct-offsets.md's columns, independent of the
 * forge's table and of src/kernel and src/ipc), asserting every fact the
 * scenario promises: processes, threads, ports (type, name, Flags, ends,
 * Creator, ServerProcess, handle, object-header counts, queue semaphore
 * and its state, the message queue in order, the reply chain, the type's
 * object list, the pool tag), messages (every PORT_MESSAGE field, the
 * context, the data words, the pool tag, pool-only ones linked nowhere),
 * the threads' Lpc* fields, expected waits and cycles.  Each scenario's
 * own promises (forge_scenarios.h) are asserted as constants too, so a
 * wrong fact fails.  The replay is held against the values WinDbg
 * printed: debugger-output-formats.md §3.1-3.2 and the corpus files named
 * in forge_lpc_replay.c. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/harness.h"
#include "forge_scenarios.h"
#include "object_reader.h"

struct opened {
	struct forge_scenario_system system;
	struct kreader kr;
	const struct forge_windows_facts *globals;
	bool ok;
};

static bool open_lpc(struct opened *o, const char *name, const char *label)
{
	*o = (struct opened){ .kr = { .image = { .fd = -1 } } };
	const struct forge_scenario *scenario = forge_scenario_named(name);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scenario);
	struct error *error = forge_lpc_scenario_system_new(scenario, label, &o->system);
	if (!error) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s-%s.dmp", test_temp_dir(), name, o->system.facts->layout);
		for (char *c = path + strlen(test_temp_dir()); *c; c++)
			if (*c == ' ')
				*c = '_';
		error = forge_write_dump(o->system.forge, FORGE_WINDOWS_FULL, path);
		if (!error) {
			const struct forge_layout *layout = forge_windows_layout(o->system.windows);
			bool pae = strstr(o->system.facts->layout, "PAE") || strcmp(layout->column, "2003 x86") == 0;
			enum forge_arch arch = layout->pointer_size == 8 ? FORGE_X64 : pae ? FORGE_X86_PAE : FORGE_X86;
			o->globals = forge_windows_facts(o->system.windows);
			o->ok = kr_open(&o->kr, path, arch, forge_dtb(o->system.forge), known_offsets(layout->column));
			remove(path);
		}
	}
	if (error) {
		fprintf(stderr, "%s on %s: %s\n", name, label ? label : "its layout", error->message);
		error_free(error);
	}
	CU_ASSERT_TRUE(o->ok);
	return o->ok;
}

static void close_lpc(struct opened *o)
{
	kr_close(&o->kr);
	forge_scenario_system_free(&o->system);
}

static size_t list_count(struct kreader *kr, uint64_t head, uint64_t *entries, size_t max)
{
	size_t count = kr_list(kr, head, entries, max);
	CU_ASSERT_NOT_EQUAL(count, SIZE_MAX);
	return count == SIZE_MAX ? 0 : count;
}

static bool list_holds(struct kreader *kr, uint64_t head, uint64_t entry)
{
	uint64_t entries[64];
	size_t count = list_count(kr, head, entries, 64);
	for (size_t i = 0; i < count; i++)
		if (entries[i] == entry)
			return true;
	return false;
}

static uint64_t eprocess_of(const struct forge_scenario_facts *f, uint64_t pid)
{
	for (size_t i = 0; i < f->process_count; i++)
		if (f->processes[i].pid == pid)
			return f->processes[i].eprocess;
	return 0;
}

static void check_processes_and_threads(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o->system.facts;
	uint64_t entries[64];
	CU_ASSERT_EQUAL(list_count(kr, o->globals->ps_active_process_head, entries, 64), f->process_count);
	for (size_t i = 0; i < f->process_count; i++) {
		const struct forge_scenario_process *p = &f->processes[i];
		CU_ASSERT_TRUE(list_holds(kr, o->globals->ps_active_process_head, p->eprocess + k->eprocess_links));
		CU_ASSERT_EQUAL(kr_ptr(kr, p->eprocess + k->eprocess_pid), p->pid);
		char image[16] = { 0 };
		kr_read(kr, p->eprocess + k->eprocess_name, image, 15);
		CU_ASSERT_STRING_EQUAL(image, p->image);
	}
	for (size_t i = 0; i < f->thread_count; i++) {
		const struct forge_scenario_thread *t = &f->threads[i];
		CU_ASSERT_TRUE(list_holds(kr, eprocess_of(f, t->pid) + k->eprocess_threads,
					  t->ethread + k->ethread_list_entry));
		CU_ASSERT_EQUAL(kr_ptr(kr, t->ethread + k->ethread_cid), t->pid);
		CU_ASSERT_EQUAL(kr_ptr(kr, t->ethread + k->ethread_cid + k->pointer), t->tid);
		CU_ASSERT_EQUAL(kr_u8(kr, t->ethread + k->kthread_state), t->state);
		CU_ASSERT_EQUAL(kr_u8(kr, t->ethread + k->kthread_wait_reason), t->wait_reason);
		uint64_t block = kr_ptr(kr, t->ethread + k->kthread_wait_block_list);
		switch (t->waits_for) {
		case FORGE_WAITS_FOR_LPC_REPLY:
			CU_ASSERT_EQUAL(t->wait_reason, FORGE_WAIT_LPC_REPLY);
			CU_ASSERT_EQUAL(kr_ptr(kr, t->ethread + k->lpc_waiting_on_port), t->wait_object | 1);
			break;
		case FORGE_WAITS_FOR_LPC_RECEIVE: {
			/* blocked on the port's queue semaphore */
			uint64_t semaphore = kr_ptr(kr, t->wait_object + k->lpc_port_semaphore);
			CU_ASSERT_EQUAL(t->wait_reason, FORGE_WAIT_LPC_RECEIVE);
			CU_ASSERT_EQUAL(kr_ptr(kr, block + k->wait_block_object), semaphore);
			break;
		}
		case FORGE_WAITS_FOR_MUTANT:
			CU_ASSERT_EQUAL(kr_ptr(kr, block + k->wait_block_object), t->wait_object);
			break;
		default:
			CU_ASSERT_EQUAL(t->wait_object, 0);
			break;
		}
	}
}

/* The pool header below an object's lowest optional header: creator info
 * just below the header, name info below it (NameInfoOffset counts
 * both); _POOL_HEADER 8 bytes on x86, 16 on x64, PoolTag at +4
 * (struct-offsets.md _POOL_HEADER, "Object header notes"). */
static uint64_t object_start(struct kreader *kr, uint64_t body)
{
	const struct known_offsets *k = kr->k;
	uint64_t header = body - k->header_body;
	uint8_t name_offset = kr_u8(kr, header + k->header_name_info_offset);
	return header - (name_offset ? name_offset : k->creator_info_size);
}

static uint32_t pool_tag_below(struct kreader *kr, uint64_t start)
{
	return kr_u32(kr, start - (kr->k->pointer == 8 ? 0x10 : 0x8) + 4);
}

/* _OBJECT_TYPE.TypeList: 0x38 x86, 0x68 x64 (struct-offsets.md). */
static uint32_t type_list_offset(const struct known_offsets *k)
{
	return k->pointer == 8 ? 0x68 : 0x38;
}

static void check_ports(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o->system.facts;
	CU_ASSERT_EQUAL(f->lpc_port_pool_tag, 0xf4726f50u); /* "Port" | the protected-pool bit */
	for (size_t i = 0; i < f->lpc_port_count; i++) {
		const struct forge_scenario_lpc_port *p = &f->lpc_ports[i];
		char text[96];
		CU_ASSERT_TRUE(kr_type_name(kr, p->address, 0, 0, text, sizeof text));
		CU_ASSERT_STRING_EQUAL(text, p->waitable ? "WaitablePort" : "Port");
		if (p->full_name) {
			CU_ASSERT_TRUE(kr_object_name(kr, p->address, text, sizeof text));
			CU_ASSERT_STRING_EQUAL(text, p->full_name);
			const char *slash = strrchr(p->full_name, '\\');
			CU_ASSERT_STRING_EQUAL(p->name, slash + 1);
		} else {
			CU_ASSERT_EQUAL(kr_u8(kr, p->address - k->header_body + k->header_name_info_offset), 0);
		}
		uint32_t flags = kr_u32(kr, p->address + k->lpc_port_flags);
		CU_ASSERT_EQUAL(flags, p->flags);
		CU_ASSERT_EQUAL(flags & 0xf, (uint32_t)p->kind);
		CU_ASSERT_EQUAL(kr_ptr(kr, p->address + k->lpc_port_connection), p->connection_port);
		CU_ASSERT_EQUAL(kr_ptr(kr, p->address + k->lpc_port_connected), p->connected_port);
		CU_ASSERT_EQUAL(kr_ptr(kr, p->address + k->lpc_port_creator), p->creator_pid);
		CU_ASSERT_EQUAL(kr_ptr(kr, p->address + k->lpc_port_creator + k->pointer), p->creator_tid);
		CU_ASSERT_EQUAL(kr_ptr(kr, p->address + k->lpc_port_server_process), p->server_process);
		switch (p->kind) {
		case FORGE_LPC_SERVER_CONNECTION:
			CU_ASSERT_EQUAL(p->connection_port, p->address);
			CU_ASSERT_EQUAL(p->connected_port, 0);
			CU_ASSERT_NOT_EQUAL(p->server_process, 0);
			break;
		case FORGE_LPC_SERVER_COMMUNICATION:
		case FORGE_LPC_CLIENT_COMMUNICATION: {
			/* the two ends name each other and one connection port */
			const struct forge_scenario_lpc_port *other = forge_scenario_lpc_port_at(f, p->connected_port);
			CU_ASSERT_PTR_NOT_NULL_FATAL(other);
			CU_ASSERT_EQUAL(other->connected_port, p->address);
			CU_ASSERT_EQUAL(other->connection_port, p->connection_port);
			CU_ASSERT_NOT_EQUAL(other->kind, p->kind);
			const struct forge_scenario_lpc_port *listener = forge_scenario_lpc_port_at(f, p->connection_port);
			CU_ASSERT_PTR_NOT_NULL_FATAL(listener);
			CU_ASSERT_EQUAL(listener->kind, FORGE_LPC_SERVER_CONNECTION);
			break;
		}
		case FORGE_LPC_UNCONNECTED:
			CU_ASSERT_EQUAL(p->connection_port, 0);
			CU_ASSERT_EQUAL(p->connected_port, 0);
			break;
		}
		uint64_t eprocess = eprocess_of(f, p->owner_pid);
		CU_ASSERT_NOT_EQUAL(p->handle, 0);
		uint32_t access = 0;
		uint64_t table = kr_ptr(kr, eprocess + k->eprocess_object_table);
		CU_ASSERT_EQUAL(kr_handle_object(kr, table, p->handle, &access), p->address);
		CU_ASSERT_EQUAL(access, 0x1f0001);
		uint64_t header = p->address - k->header_body;
		CU_ASSERT_EQUAL(kr_ptr(kr, header + k->header_handle_count), p->handle_count);
		CU_ASSERT_EQUAL(kr_ptr(kr, header + k->header_pointer_count), p->pointer_count);
		CU_ASSERT_TRUE(p->handle_count >= 1 && p->pointer_count >= p->handle_count);
		/* the queue: its semaphore and state, the messages in order */
		CU_ASSERT_EQUAL(kr_ptr(kr, p->address + k->lpc_port_semaphore), p->queue_semaphore);
		CU_ASSERT_EQUAL((int32_t)kr_u32(kr, p->queue_semaphore + k->dispatcher_signal_state), p->semaphore_state);
		uint64_t queued[16];
		size_t count = list_count(kr, p->address + k->lpc_port_receive_head, queued, 16);
		CU_ASSERT_EQUAL(count, p->message_count);
		for (size_t j = 0; j < f->lpc_message_count; j++) {
			const struct forge_scenario_lpc_message *m = &f->lpc_messages[j];
			if (m->queue_port == p->address) {
				CU_ASSERT_TRUE_FATAL(m->queue_index < count);
				CU_ASSERT_EQUAL(queued[m->queue_index], m->address);
			}
		}
		uint64_t chain[16];
		CU_ASSERT_EQUAL(list_count(kr, p->address + k->lpc_port_reply_chain_head, chain, 16),
				p->reply_chain_count);
		CU_ASSERT_EQUAL(list_count(kr, p->address + k->lpc_port_data_info_chain_head, chain, 16),
				p->data_info_count);
		/* the type's object list holds its creator info; its pool tag */
		uint64_t type = kr_ptr(kr, header + k->header_type);
		CU_ASSERT_EQUAL(p->on_type_list, true);
		CU_ASSERT_TRUE(list_holds(kr, type + type_list_offset(k), header - k->creator_info_size));
		CU_ASSERT_EQUAL(pool_tag_below(kr, object_start(kr, p->address)), p->pool_tag);
		CU_ASSERT_EQUAL(p->pool_tag, p->waitable ? 0xf4696157u : f->lpc_port_pool_tag); /* "Wait" | 0x80000000 */
		CU_ASSERT_EQUAL(p->waitable, (p->flags & FORGE_LPC_WAITABLE) != 0);
	}
}

static void check_messages(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o->system.facts;
	CU_ASSERT_EQUAL(f->lpc_message_pool_tag, 0x4d63704cu); /* "LpcM" */
	for (size_t i = 0; i < f->lpc_message_count; i++) {
		const struct forge_scenario_lpc_message *m = &f->lpc_messages[i];
		uint64_t request = m->address + k->lpc_message_request;
		CU_ASSERT_EQUAL(kr_u16(kr, request + 0), m->data_length);
		CU_ASSERT_EQUAL(kr_u16(kr, request + 2), m->total_length);
		CU_ASSERT_EQUAL(kr_u16(kr, request + 4), m->type);
		CU_ASSERT_EQUAL(kr_ptr(kr, request + k->pm_client_id), m->client_pid);
		CU_ASSERT_EQUAL(kr_ptr(kr, request + k->pm_client_id + k->pointer), m->client_tid);
		CU_ASSERT_EQUAL(kr_u32(kr, request + k->pm_message_id), m->id);
		CU_ASSERT_EQUAL(kr_u32(kr, request + k->pm_callback_id), m->callback_id);
		CU_ASSERT_EQUAL(kr_ptr(kr, m->address + k->lpc_message_context), m->port_context);
		CU_ASSERT_EQUAL(kr_ptr(kr, m->address + k->lpc_message_sender), m->sender_port);
		CU_ASSERT_EQUAL(kr_ptr(kr, m->address + k->lpc_message_replied_to_thread), m->replied_to_thread);
		for (size_t w = 0; w < m->data_words; w++)
			CU_ASSERT_EQUAL(kr_u32(kr, request + k->pm_size + 4 * w), m->data[w]);
		CU_ASSERT_EQUAL(pool_tag_below(kr, m->address), f->lpc_message_pool_tag);
		static const char *const names[] = { [1] = "LPC_REQUEST", [2] = "LPC_REPLY", [3] = "LPC_DATAGRAM",
						     [10] = "LPC_CONNECTION_REQUEST" };
		CU_ASSERT_TRUE_FATAL(m->type < 11 && names[m->type]);
		CU_ASSERT_STRING_EQUAL(m->type_name, names[m->type]);
		CU_ASSERT_EQUAL(m->busy, m->queue_port || m->waiting_thread || m->server_thread);
		if (!m->queue_port)
			CU_ASSERT_EQUAL(kr_ptr(kr, m->address), m->address); /* Entry on itself */
		if (m->pool_only) {
			CU_ASSERT_FALSE(m->busy);
			for (size_t t = 0; t < f->lpc_thread_count; t++) {
				CU_ASSERT_NOT_EQUAL(kr_u32(kr, f->lpc_threads[t].ethread + k->lpc_reply_message_id), m->id);
				CU_ASSERT_NOT_EQUAL(kr_u32(kr, f->lpc_threads[t].ethread + k->lpc_received_message_id), m->id);
			}
		}
		if (m->waiting_thread)
			CU_ASSERT_EQUAL(kr_u32(kr, m->waiting_thread + k->lpc_reply_message_id), m->id);
	}
}

static void check_lpc_threads(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o->system.facts;
	for (size_t i = 0; i < f->lpc_thread_count; i++) {
		const struct forge_scenario_lpc_thread *t = &f->lpc_threads[i];
		CU_ASSERT_EQUAL(kr_ptr(kr, t->ethread + k->ethread_cid), t->pid);
		CU_ASSERT_EQUAL(kr_ptr(kr, t->ethread + k->ethread_cid + k->pointer), t->tid);
		CU_ASSERT_EQUAL(kr_u32(kr, t->ethread + k->lpc_reply_message_id), t->reply_message_id);
		uint64_t waiting = kr_ptr(kr, t->ethread + k->lpc_waiting_on_port);
		CU_ASSERT_EQUAL(waiting & ~3ULL, t->waiting_on_port ? t->waiting_on_port : t->reply_message);
		CU_ASSERT_EQUAL(waiting & 1, t->waiting_on_port != 0);
		CU_ASSERT_EQUAL(kr_u8(kr, t->ethread + k->lpc_received_valid) & 1, t->received_valid);
		if (t->received_valid)
			CU_ASSERT_EQUAL(kr_u32(kr, t->ethread + k->lpc_received_message_id), t->received_message_id);
		if (t->rundown_port) {
			CU_ASSERT_TRUE(list_holds(kr, t->rundown_port + k->lpc_port_reply_chain_head,
						  t->ethread + k->lpc_reply_chain));
			/* the rundown port is the server end of the port it sent through */
			const struct forge_scenario_lpc_port *port = forge_scenario_lpc_port_at(f, t->waiting_on_port);
			CU_ASSERT_PTR_NOT_NULL_FATAL(port);
			CU_ASSERT_EQUAL(port->connected_port, t->rundown_port);
		}
	}
	for (size_t i = 0; i < f->wait_count; i++) {
		const struct forge_scenario_wait *w = &f->waits[i];
		if (w->kind != FORGE_WAITS_FOR_LPC_REPLY)
			continue;
		const struct forge_scenario_lpc_port *port = forge_scenario_lpc_port_at(f, w->object);
		CU_ASSERT_PTR_NOT_NULL_FATAL(port);
		CU_ASSERT_EQUAL(w->queue_port, port->connection_port);
		uint64_t server = kr_ptr(kr, port->connection_port + k->lpc_port_server_process);
		CU_ASSERT_EQUAL(kr_ptr(kr, server + k->eprocess_pid), w->target_pid);
		CU_ASSERT_EQUAL(w->definite, w->target_tid != 0);
	}
}

static uint64_t sign_extended(const struct kreader *kr, uint64_t va)
{
	return kr->k->pointer == 4 && (va & 0x80000000u) ? va | 0xffffffff00000000ULL : va;
}

/* The dump header (dump-formats.md §1-2: "PAGEDUMP" with PaeEnabled at
 * 0x5c for x86, "PAGEDU64" for x64; MinorVersion the build) and the KDBG
 * words a reader starts from (§6; Size per vol2's kdbgsize). */
static void check_header_and_kdbg(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct forge_layout *layout = forge_windows_layout(o->system.windows);
	char signature[9] = { 0 };
	file_read(&kr->image, signature, 8, 0);
	CU_ASSERT_STRING_EQUAL(signature, layout->pointer_size == 8 ? "PAGEDU64" : "PAGEDUMP");
	CU_ASSERT_EQUAL(file_u32(&kr->image, 0xc), layout->build);
	if (layout->pointer_size == 4)
		CU_ASSERT_EQUAL(file_u32(&kr->image, 0x5c) & 0xff, kr->arch == FORGE_X86_PAE);
	CU_ASSERT_EQUAL(layout->build, strncmp(layout->column, "XP", 2) == 0 ? 2600u : 3790u);
	uint64_t kdbg = o->system.kernel.kdbg_va;
	CU_ASSERT_EQUAL(kr_u32(kr, kdbg + 0x10), 0x4742444bu);
	CU_ASSERT_EQUAL(kr_u32(kr, kdbg + 0x14), layout->build == 2600 ? 0x290u : 0x318u);
	CU_ASSERT_EQUAL(kr_u64(kr, kdbg + 0x50), sign_extended(kr, o->globals->ps_active_process_head));
	CU_ASSERT_EQUAL(kr_u64(kr, kdbg + 0x98), sign_extended(kr, o->globals->obp_root_directory_object));
	CU_ASSERT_EQUAL(kr_u64(kr, kdbg + 0xa0), sign_extended(kr, o->globals->type_pointer[FORGE_TYPE_TYPE]));
	CU_ASSERT_NOT_EQUAL(o->globals->type_pointer[FORGE_TYPE_TYPE], 0);
	char name[16];
	CU_ASSERT_TRUE(kr_read(kr, kr_u64(kr, kdbg + 0x18) & (kr->k->pointer == 4 ? 0xffffffffu : ~0ULL), name, 2));
	CU_ASSERT_EQUAL(memcmp(name, "MZ", 2), 0);
}

static void check_all(struct opened *o)
{
	check_header_and_kdbg(o);
	check_processes_and_threads(o);
	check_ports(o);
	check_messages(o);
	check_lpc_threads(o);
	CU_ASSERT_TRUE(o->kr.ok);
}

/* Runs check_all and the scenario's own promises on every LPC layout. */
static void on_every_layout(const char *name, void (*promises)(struct opened *))
{
	for (size_t i = 0; i < forge_lpc_scenario_layout_count; i++) {
		struct opened o;
		if (open_lpc(&o, name, forge_lpc_scenario_layouts[i].label)) {
			check_all(&o);
			promises(&o);
		}
		close_lpc(&o);
	}
}

static const struct forge_scenario_lpc_port *named_port(const struct forge_scenario_facts *f, const char *name)
{
	for (size_t i = 0; i < f->lpc_port_count; i++)
		if (f->lpc_ports[i].full_name && strcmp(f->lpc_ports[i].full_name, name) == 0)
			return &f->lpc_ports[i];
	return NULL;
}

static void csrss_promises(struct opened *o)
{
	const struct forge_scenario_facts *f = o->system.facts;
	const struct forge_scenario_lpc_port *api = named_port(f, "\\Windows\\ApiPort");
	const struct forge_scenario_lpc_port *sb = named_port(f, "\\Windows\\SbApiPort");
	CU_ASSERT_PTR_NOT_NULL_FATAL(api);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
	CU_ASSERT_EQUAL(api->flags, 1);
	CU_ASSERT_EQUAL(api->message_count, 3);
	CU_ASSERT_EQUAL(api->semaphore_state, 3);
	CU_ASSERT_EQUAL(sb->message_count, 0);
	CU_ASSERT_EQUAL(sb->semaphore_state, 0);
	CU_ASSERT_EQUAL(kr_ptr(&o->kr, api->server_process + o->kr.k->eprocess_pid), 0x1f8);
	CU_ASSERT_EQUAL(f->lpc_port_count, 6);
	CU_ASSERT_EQUAL(f->lpc_message_count, 3);
	static const uint16_t types[3] = { FORGE_LPC_REQUEST, FORGE_LPC_DATAGRAM, FORGE_LPC_CONNECTION_REQUEST };
	for (size_t i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(f->lpc_messages[i].queue_port, api->address);
		CU_ASSERT_EQUAL(f->lpc_messages[i].queue_index, i);
		CU_ASSERT_EQUAL(f->lpc_messages[i].type, types[i]);
	}
	CU_ASSERT_EQUAL(f->lpc_messages[0].data_length, 0x7c);
	CU_ASSERT_EQUAL(f->lpc_messages[0].client_tid, 0x5a4);
	CU_ASSERT_NOT_EQUAL(f->lpc_messages[0].waiting_thread, 0);
	CU_ASSERT_EQUAL(f->lpc_messages[1].waiting_thread, 0);
	CU_ASSERT_EQUAL(f->wait_count, 1);
	CU_ASSERT_EQUAL(f->waits[0].target_pid, 0x1f8);
	CU_ASSERT_FALSE(f->waits[0].definite);
	CU_ASSERT_EQUAL(f->cycle_count, 0);
}

static void pairs_promises(struct opened *o)
{
	const struct forge_scenario_facts *f = o->system.facts;
	size_t kinds[5] = { 0 }, dynamic = 0;
	for (size_t i = 0; i < f->lpc_port_count; i++) {
		kinds[f->lpc_ports[i].kind]++;
		dynamic += f->lpc_ports[i].flags == 0x80000004u;
	}
	CU_ASSERT_EQUAL(kinds[FORGE_LPC_SERVER_CONNECTION], 2);
	CU_ASSERT_EQUAL(kinds[FORGE_LPC_SERVER_COMMUNICATION], 3);
	CU_ASSERT_EQUAL(kinds[FORGE_LPC_CLIENT_COMMUNICATION], 3);
	CU_ASSERT_EQUAL(kinds[FORGE_LPC_UNCONNECTED], 1);
	CU_ASSERT_EQUAL(dynamic, 1);
	const struct forge_scenario_lpc_port *ntsvcs = named_port(f, "\\RPC Control\\ntsvcs");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ntsvcs);
	CU_ASSERT_TRUE(ntsvcs->waitable);
	CU_ASSERT_EQUAL(ntsvcs->flags, 0x20000001u);
	char text[32];
	CU_ASSERT_TRUE(kr_type_name(&o->kr, ntsvcs->address, 0, 0, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "WaitablePort");
	/* WaitEvent, the KEVENT after Flags: a notification event */
	uint64_t event = ntsvcs->address + o->kr.k->lpc_port_flags + 4;
	CU_ASSERT_EQUAL(kr_u8(&o->kr, event), 0);
	CU_ASSERT_EQUAL(kr_ptr(&o->kr, event + 8), event + 8); /* Header.WaitListHead, empty */
	CU_ASSERT_EQUAL(f->lpc_message_count, 0);
	CU_ASSERT_EQUAL(f->wait_count, 0);
}

static void received_promises(struct opened *o)
{
	const struct forge_scenario_facts *f = o->system.facts;
	CU_ASSERT_EQUAL(f->lpc_message_count, 0); /* taken off the queue */
	CU_ASSERT_EQUAL(f->lpc_thread_count, 2);
	const struct forge_scenario_lpc_thread *client = &f->lpc_threads[0], *server = &f->lpc_threads[1];
	CU_ASSERT_EQUAL(client->tid, 0x6f4);
	CU_ASSERT_EQUAL(server->tid, 0x3d0);
	CU_ASSERT_NOT_EQUAL(client->reply_message_id, 0);
	CU_ASSERT_EQUAL(server->received_message_id, client->reply_message_id);
	CU_ASSERT_TRUE(server->received_valid);
	const struct forge_scenario_lpc_port *rundown = forge_scenario_lpc_port_at(f, client->rundown_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rundown);
	CU_ASSERT_EQUAL(rundown->kind, FORGE_LPC_SERVER_COMMUNICATION);
	CU_ASSERT_EQUAL(rundown->reply_chain_count, 1);
	CU_ASSERT_EQUAL(f->wait_count, 1);
	CU_ASSERT_EQUAL(f->waits[0].target_pid, 0x3c0);
	CU_ASSERT_EQUAL(f->waits[0].target_tid, 0x3d0);
	CU_ASSERT_TRUE(f->waits[0].definite);
}

static void deadlock_promises(struct opened *o)
{
	const struct forge_scenario_facts *f = o->system.facts;
	CU_ASSERT_EQUAL(f->wait_count, 2);
	CU_ASSERT_EQUAL_FATAL(f->cycle_count, 1);
	const struct forge_scenario_cycle *c = &f->cycles[0];
	CU_ASSERT_EQUAL(c->length, 2);
	CU_ASSERT_TRUE(c->definite);
	CU_ASSERT_EQUAL(c->pids[0], 0xb10);
	CU_ASSERT_EQUAL(c->tids[0], 0xdd8);
	CU_ASSERT_EQUAL(c->pids[1], 0x1524);
	CU_ASSERT_EQUAL(c->tids[1], 0x2770);
	/* each waiter is the other's server thread */
	for (size_t i = 0; i < 2; i++) {
		const struct forge_scenario_wait *w = &f->waits[i];
		const struct forge_scenario_wait *other = &f->waits[1 - i];
		CU_ASSERT_EQUAL(w->target_pid, other->pid);
		CU_ASSERT_EQUAL(w->target_tid, other->tid);
		const struct forge_scenario_lpc_thread *t = forge_scenario_lpc_thread_at(f, w->thread);
		const struct forge_scenario_lpc_thread *u = forge_scenario_lpc_thread_at(f, other->thread);
		CU_ASSERT_EQUAL(u->received_message_id, t->reply_message_id);
	}
}

static void pool_only_promises(struct opened *o)
{
	const struct forge_scenario_facts *f = o->system.facts;
	CU_ASSERT_EQUAL_FATAL(f->lpc_message_count, 2);
	CU_ASSERT_FALSE(f->lpc_messages[0].pool_only);
	CU_ASSERT_TRUE(f->lpc_messages[0].busy);
	CU_ASSERT_TRUE(f->lpc_messages[1].pool_only);
	CU_ASSERT_EQUAL(f->lpc_messages[1].queue_port, 0);
	CU_ASSERT_EQUAL(f->lpc_messages[1].type, FORGE_LPC_REPLY);
	CU_ASSERT_EQUAL(f->lpc_messages[1].waiting_thread, 0);
	CU_ASSERT_EQUAL(f->lpc_messages[1].server_thread, 0);
}

static void csrss_apiport(void)
{
	on_every_layout("lpc-csrss-apiport", csrss_promises);
}

static void pairs(void)
{
	on_every_layout("lpc-pairs", pairs_promises);
}

static void received_reply_wait(void)
{
	on_every_layout("lpc-received-reply-wait", received_promises);
}

static void deadlock(void)
{
	on_every_layout("lpc-deadlock", deadlock_promises);
}

static void pool_only(void)
{
	on_every_layout("lpc-pool-only", pool_only_promises);
}

/* A port as `!lpc port` prints it: Flags, Connection, Communication. */
static void expect_port(struct kreader *kr, uint64_t port, uint32_t flags, uint64_t connection,
			uint64_t communication, const char *name)
{
	const struct known_offsets *k = kr->k;
	CU_ASSERT_EQUAL(kr_u32(kr, port + k->lpc_port_flags), flags);
	CU_ASSERT_EQUAL(kr_ptr(kr, port + k->lpc_port_connection), connection);
	CU_ASSERT_EQUAL(kr_ptr(kr, port + k->lpc_port_connected), communication);
	char text[64];
	if (name) {
		CU_ASSERT_TRUE(kr_object_name(kr, port, text, sizeof text));
		CU_ASSERT_STRING_EQUAL(text, name);
	}
	CU_ASSERT_TRUE(kr_type_name(kr, port, 0, 0, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "Port");
}

/* A corpus thread line: Cid, "Waiting for reply to LPC MessageId",
 * "Current LPC port", and its process's image. */
static void expect_thread_line(struct kreader *kr, uint64_t thread, uint64_t pid, uint64_t tid, uint32_t id,
			       uint64_t port, uint64_t eprocess, const char *image)
{
	const struct known_offsets *k = kr->k;
	CU_ASSERT_EQUAL(kr_ptr(kr, thread + k->ethread_cid), pid);
	CU_ASSERT_EQUAL(kr_ptr(kr, thread + k->ethread_cid + 4), tid);
	CU_ASSERT_EQUAL(kr_u32(kr, thread + k->lpc_reply_message_id), id);
	CU_ASSERT_EQUAL(kr_ptr(kr, thread + k->lpc_waiting_on_port), port | 1);
	CU_ASSERT_EQUAL(kr_u8(kr, thread + k->kthread_wait_reason), FORGE_WAIT_LPC_REPLY);
	CU_ASSERT_TRUE(list_holds(kr, eprocess + k->eprocess_threads, thread + k->ethread_list_entry));
	char text[16] = { 0 };
	kr_read(kr, eprocess + k->eprocess_name, text, 15);
	CU_ASSERT_STRING_EQUAL(text, image);
}

static void replay_xp_lpc(void)
{
	struct opened o;
	if (!open_lpc(&o, "replay-xp-lpc", NULL)) {
		close_lpc(&o);
		return;
	}
	check_all(&o);
	struct kreader *kr = &o.kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o.system.facts;
	CU_ASSERT_STRING_EQUAL(f->layout, "XP x86");
	/* kd> !lpc port */
	expect_port(kr, 0xe1405650, 1, 0xe1405650, 0, "\\SeRmCommandPort");
	expect_port(kr, 0xe141ef50, 1, 0xe141ef50, 0, "\\SmApiPort");
	expect_port(kr, 0xe13d8830, 3, 0xe141ef50, 0xe13d8910, NULL);
	expect_port(kr, 0xe13d8910, 0x80000004u, 0xe141ef50, 0xe13d8830, NULL);
	/* kd> !lpc port 0xe14ae238 */
	const uint64_t api = 0xe14ae238;
	expect_port(kr, api, 1, api, 0, "\\Windows\\ApiPort");
	CU_ASSERT_EQUAL(kr_u32(kr, api - 0x18 + 4), 1);   /* Handles */
	CU_ASSERT_EQUAL(kr_u32(kr, api - 0x18), 108);     /* References */
	CU_ASSERT_EQUAL(kr_ptr(kr, api + 0x88), 0x84aa0140); /* Server process */
	char image[16] = { 0 };
	kr_read(kr, 0x84aa0140 + k->eprocess_name, image, 15);
	CU_ASSERT_STRING_EQUAL(image, "csrss.exe");
	CU_ASSERT_EQUAL(kr_ptr(kr, api + 0xc), 0x84a96da8); /* Queue semaphore */
	CU_ASSERT_EQUAL(kr_u32(kr, 0x84a96da8 + 4), 0);     /* Semaphore state 0 */
	uint64_t queued[4];
	CU_ASSERT_EQUAL(list_count(kr, api + 0x10, queued, 4), 1);
	CU_ASSERT_EQUAL(queued[0], 0xe20d9b80);
	/* 0000 e20d9b80 - Busy Id=0002249c From: 0584.0680 Context=00000021
	 * [e14ae248 . e14ae248] Length=0098007c Type=00000001 (LPC_REQUEST)
	 * Data: 00000000 0002021e 00000584 00000680 002f0001 00000007 */
	const uint64_t message = 0xe20d9b80;
	CU_ASSERT_EQUAL(kr_ptr(kr, message), 0xe14ae248);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + 4), 0xe14ae248);
	CU_ASSERT_EQUAL(kr_u32(kr, message + 0x18 + 0x10), 0x2249c);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + 0x18 + 0x8), 0x584);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + 0x18 + 0xc), 0x680);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + 0x10), 0x21);
	CU_ASSERT_EQUAL(kr_u32(kr, message + 0x18), 0x0098007c);
	CU_ASSERT_EQUAL(kr_u16(kr, message + 0x18 + 4), 1);
	static const uint32_t data[6] = { 0x00000000, 0x0002021e, 0x00000584, 0x00000680, 0x002f0001, 0x00000007 };
	for (size_t i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(kr_u32(kr, message + 0x18 + 0x18 + 4 * i), data[i]);
	const struct forge_scenario_lpc_message *m = forge_scenario_lpc_message_with_id(f, 0x2249c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->address, message);
	CU_ASSERT_STRING_EQUAL(m->type_name, "LPC_REQUEST");
	CU_ASSERT_TRUE(m->busy);
	/* kd> !lpc message 222be: client thread 842a4db0 waits for 222be,
	 * found in the rundown queue of server communication port e114a3c0
	 * (Handles 1, References 1), connected to e1e7b948, whose server
	 * connection port is e14ae238 */
	CU_ASSERT_EQUAL(kr_u32(kr, 0x842a4db0 + k->lpc_reply_message_id), 0x222be);
	CU_ASSERT_TRUE(list_holds(kr, 0xe114a3c0 + k->lpc_port_reply_chain_head, 0x842a4db0 + k->lpc_reply_chain));
	expect_port(kr, 0xe114a3c0, 3, api, 0xe1e7b948, NULL);
	expect_port(kr, 0xe1e7b948, 4, api, 0xe114a3c0, NULL);
	CU_ASSERT_EQUAL(kr_u32(kr, 0xe114a3c0 - 0x18 + 4), 1);
	CU_ASSERT_EQUAL(kr_u32(kr, 0xe114a3c0 - 0x18), 1);
	/* §3.2 and the corpus' thread lines */
	expect_thread_line(kr, 0x894e13a8, 0x2d4, 0xe28, 0x3786440d, 0xe6edd680, 0x895497d0, "ApplicationA.ex");
	expect_thread_line(kr, 0x8861aab8, 0x1f88, 0x1bd4, 0x00037bb2, 0xe625bbd0, 0x88556778, "AppA.exe");
	expect_thread_line(kr, 0x87432520, 0xb10, 0xdd8, 0x007ade85, 0xd676e560, 0x87581c78, "ProcessA.exe");
	/* 85b209d0 1524.2770 waits on Mutant 85e9ba00 owned by 866d63e8 */
	CU_ASSERT_EQUAL(kr_ptr(kr, 0x85b209d0 + k->ethread_cid), 0x1524);
	CU_ASSERT_EQUAL(kr_ptr(kr, 0x85b209d0 + k->ethread_cid + 4), 0x2770);
	uint64_t block = kr_ptr(kr, 0x85b209d0 + k->kthread_wait_block_list);
	CU_ASSERT_EQUAL(kr_ptr(kr, block + k->wait_block_object), 0x85e9ba00);
	CU_ASSERT_EQUAL(kr_ptr(kr, 0x85e9ba00 + k->mutant_owner), 0x866d63e8);
	kr_read(kr, 0x87200880 + k->eprocess_name, image, 15);
	CU_ASSERT_STRING_EQUAL(image, "ProcessB.exe");
	CU_ASSERT_EQUAL(f->lpc_thread_line_count, 3);
	CU_ASSERT_EQUAL(f->lpc_thread_lines[0].teb, 0x7ffdf000);
	CU_ASSERT_EQUAL(f->lpc_thread_lines[0].win32_thread, 0xe6e7cea8);
	CU_ASSERT_EQUAL(f->lpc_thread_lines[1].win32_thread, 0xbc161ea8);
	CU_ASSERT_EQUAL(f->lpc_thread_lines[2].teb, 0x7ff83000);
	CU_ASSERT_TRUE(kr->ok);
	close_lpc(&o);
}

/* LPC scenarios refuse ALPC layouts and the other way round. */
static void lpc_refuses_what_does_not_fit(void)
{
	struct forge_scenario_system system;
	struct error *error = forge_lpc_scenario_system_new(forge_scenario_named("lpc-deadlock"), "19041.3570", &system);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	error = forge_lpc_scenario_system_new(forge_scenario_named("deadlock-2"), "XP x86", &system);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	error = forge_lpc_scenario_system_new(forge_scenario_named("replay-xp-lpc"), "2003 x64", &system);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	error = forge_scenario_system_new(forge_scenario_named("lpc-deadlock"), forge_layout_named("2003 x64"),
					  FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, &system);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	CU_ASSERT_EQUAL(forge_lpc_scenario_layout_count, 4);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "csrss ApiPort, empty and non-empty queues", csrss_apiport },
		{ "client/server communication pairs", pairs },
		{ "reply wait on a received message (rundown queue)", received_reply_wait },
		{ "two-process LPC deadlock", deadlock },
		{ "a message only pool search finds", pool_only },
		{ "replay: XP !lpc session and thread lines", replay_xp_lpc },
		{ "LPC scenarios refuse what does not fit", lpc_refuses_what_does_not_fit },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "forge LPC scenarios", cases } };
	return run_suites("test_forge_lpc_scenarios", suites, 1);
}
