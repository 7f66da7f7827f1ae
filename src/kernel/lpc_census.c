/* Every LPC port the image lets us find, their queued messages, and the
 * threads doing LPC.
 *
 * Ports come from (1) each process's handle table, objects of type
 * "Port" or "WaitablePort"; (2) those types' object lists, when the image
 * keeps them (GFlags +otl: _OBJECT_TYPE.TypeList links each object's
 * _OBJECT_HEADER_CREATOR_INFO.TypeList, the creator info lying right below
 * the _OBJECT_HEADER — struct-offsets.md _OBJECT_TYPE and "Object header
 * notes"); the type objects are those the ports found name in their
 * headers, or nt!LpcPortObjectType and LpcWaitablePortObjectType when the
 * profile's symbols hold; (3) references: a port's ConnectionPort and
 * ConnectedPort, a message's SenderPort, a thread's LpcWaitingOnPort;
 * (4) with --pool-search, the pool (lpc_pool_scan.c), by the tag each
 * type object's Key holds, or the sourced one where no type object of
 * that kind could be read (docs/lpc.md "LPC pool tags").  Each address is
 * decoded once, every source bounded; what cannot be decoded is a
 * warning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alpc_internal.h"
#include "walk_internal.h"

enum { CENSUS_PORT_CAP = 1 << 21, CENSUS_MESSAGE_CAP = 1 << 23, TYPES_KEPT = 8 };
/* _KTHREAD.State Waiting, WaitReason WrLpcReply (struct-offsets.md
 * "Enumerations"); LpcWaitingOnPort's bit 0 says "a port" and the low two
 * bits are flags (struct-offsets.md "Legacy LPC thread fields", ReactOS
 * ntoskrnl/include/internal/lpc.h LPCP_THREAD_FLAG_IS_PORT). */
enum { THREAD_STATE_WAITING = 5, WAIT_REASON_WR_LPC_REPLY = 17 };
#define LPCP_THREAD_FLAG_IS_PORT 1u
#define LPCP_THREAD_FLAGS 3u

/* Which of the two LPC object types a type object is: a port's header
 * names it (its type name read), or the kernel's variable for it. */
enum port_type { PORT_TYPE_UNNAMED, PORT_TYPE_PORT, PORT_TYPE_WAITABLE_PORT };

struct candidate {
	uint64_t address, port;
	unsigned source;
	enum kernel_lpc_queue queue;
};

struct candidates {
	struct candidate *items;
	size_t count, next, capacity;
};

struct census_run {
	struct kernel *kernel;
	const struct kernel_reader *reader;
	struct kernel_lpc_census *census;
	struct u64_map ports_tried, messages_failed;
	struct u64_map linked; /* every list entry the ports' walks took -> its head + 1 */
	struct candidates ports, messages;
	uint64_t types[TYPES_KEPT]; /* _OBJECT_TYPE bodies of Port and WaitablePort */
	enum port_type type_kinds[TYPES_KEPT];
	unsigned type_count;
	bool port_cap_warned, message_cap_warned;
};

static void push(struct candidates *list, struct candidate candidate)
{
	if (list->count == list->capacity) {
		list->capacity = list->capacity ? 2 * list->capacity : 64;
		list->items = checked_realloc(list->items, list->capacity * sizeof *list->items);
	}
	list->items[list->count++] = candidate;
}

static int source_index(unsigned source)
{
	return source == KERNEL_LPC_FOUND_HANDLE      ? 0
	       : source == KERNEL_LPC_FOUND_TYPE_LIST ? 1
	       : source == KERNEL_LPC_FOUND_REFERENCE ? 2
						      : 3;
}

static void add_port(struct census_run *run, uint64_t address, unsigned source)
{
	if (!address)
		return;
	struct kernel_lpc_port *known = u64_map_get(&run->census->port_by_address, address);
	if (known) {
		known->found_by |= source;
		return;
	}
	if (u64_map_get(&run->ports_tried, address))
		return;
	if (run->census->ports.count + run->ports.count - run->ports.next >= CENSUS_PORT_CAP) {
		if (!run->port_cap_warned)
			alpc_warn(run->reader, address, "more than %d LPC ports; the rest are not read",
				  CENSUS_PORT_CAP);
		run->port_cap_warned = true;
		return;
	}
	u64_map_put(&run->ports_tried, address, (void *)1);
	push(&run->ports, (struct candidate){ address, 0, source, KERNEL_LPC_NO_QUEUE });
}

static void add_message(struct census_run *run, uint64_t address, uint64_t port, enum kernel_lpc_queue queue,
			unsigned source)
{
	if (!address)
		return;
	if (run->census->messages.count + run->messages.count - run->messages.next >= CENSUS_MESSAGE_CAP) {
		if (!run->message_cap_warned)
			alpc_warn(run->reader, address, "more than %d LPC messages; the rest are not read",
				  CENSUS_MESSAGE_CAP);
		run->message_cap_warned = true;
		return;
	}
	push(&run->messages, (struct candidate){ address, port, source, queue });
}

static void note_type(struct census_run *run, uint64_t type, enum port_type kind)
{
	if (!type || !alpc_kernel_pointer(run->reader, type))
		return;
	for (unsigned i = 0; i < run->type_count; i++)
		if (run->types[i] == type) {
			if (run->type_kinds[i] == PORT_TYPE_UNNAMED)
				run->type_kinds[i] = kind;
			return;
		}
	if (run->type_count < TYPES_KEPT) {
		run->type_kinds[run->type_count] = kind;
		run->types[run->type_count++] = type;
	}
}

static enum port_type port_type_named(const char *name)
{
	if (strcmp(name, "Port") == 0)
		return PORT_TYPE_PORT;
	return strcmp(name, "WaitablePort") == 0 ? PORT_TYPE_WAITABLE_PORT : PORT_TYPE_UNNAMED;
}

static bool is_port_type(const char *name)
{
	return port_type_named(name) != PORT_TYPE_UNNAMED;
}

/* The object header names the type (XP/2003 keep a pointer to the
 * _OBJECT_TYPE in it: struct-offsets.md _OBJECT_HEADER.Type). */
static void note_header_type(struct census_run *run, uint64_t body, enum port_type kind)
{
	const struct kernel_profile *p = run->reader->profile;
	if (p->object_header_scheme != OBJECT_HEADER_TYPE_POINTER || p->object_header_type == PROFILE_ABSENT)
		return;
	uint64_t header, type;
	struct kernel_block *block = checked_malloc(sizeof *block);
	struct error *error = kernel_read_object_header(run->kernel, body, &header, block);
	if (!error && block_pointer(run->kernel, block, p->object_header_type, &type))
		note_type(run, type, kind);
	error_free(error);
	free(block);
}

/* The header says what the body is: another type means these bytes are
 * not a port whatever they hold (said, unless they were only a pool
 * hint).  Name, handles and references come from it too. */
static bool check_object(struct census_run *run, struct kernel_lpc_port *port, bool hint)
{
	if (!run->kernel)
		return true;
	struct kernel_object *object = checked_malloc(sizeof *object);
	struct error *error = kernel_object_at(run->kernel, port->address, object);
	if (error) {
		alpc_warn(run->reader, port->address, "LPC port 0x%llx: its object header cannot be "
			  "read: %s", (unsigned long long)port->address, error_detail(error));
		error_free(error);
		free(object);
		return true;
	}
	bool ok = true;
	if (object->type_name[0] && !is_port_type(object->type_name)) {
		if (!hint)
			alpc_warn(run->reader, port->address,
				  "0x%llx is named as an LPC port but its object header says \"%s\"; skipped",
				  (unsigned long long)port->address, object->type_name);
		ok = false;
	} else {
		snprintf(port->type_name, sizeof port->type_name, "%s", object->type_name);
		if (object->name[0])
			port->name = checked_strdup(object->name);
		port->counts_known = true;
		port->handles = object->handle_count;
		port->references = object->pointer_count;
		note_header_type(run, port->address, port_type_named(object->type_name));
	}
	free(object);
	return ok;
}

static void decode_port(struct census_run *run, struct candidate candidate)
{
	run->census->ports_examined++;
	struct kernel_lpc_port *port = checked_calloc(1, sizeof *port);
	/* A pool hit is only a hint (lpc_pool_scan.c): bytes behind a port
	 * tag that do not decode as a port are no port, and no damage. */
	bool hint = candidate.source == KERNEL_LPC_FOUND_POOL;
	struct error *error = lpc_port_read_linked(run->reader, candidate.address, &run->linked, port);
	if (error || !check_object(run, port, hint)) {
		if (error && !hint)
			alpc_warn(run->reader, candidate.address, "%s", error->message);
		error_free(error);
		kernel_lpc_port_release(port);
		free(port);
		return;
	}
	port->found_by = candidate.source;
	run->census->found[source_index(candidate.source)]++;
	ptr_vec_push(&run->census->ports, port);
	u64_map_put(&run->census->port_by_address, port->address, port);
	if (port->connection_port != port->address)
		add_port(run, port->connection_port, KERNEL_LPC_FOUND_REFERENCE);
	add_port(run, port->connected_port, KERNEL_LPC_FOUND_REFERENCE);
	for (size_t i = 0; i < port->messages.entries.count; i++)
		add_message(run, port->messages.entries.items[i], port->address, KERNEL_LPC_RECEIVE_QUEUE,
			    KERNEL_LPC_FOUND_REFERENCE);
	for (size_t i = 0; i < port->data_info.entries.count; i++)
		add_message(run, port->data_info.entries.items[i], port->address,
			    KERNEL_LPC_DATA_INFO_QUEUE, KERNEL_LPC_FOUND_REFERENCE);
}

static const char *queue_name(enum kernel_lpc_queue queue)
{
	return queue == KERNEL_LPC_RECEIVE_QUEUE ? "MsgQueue.ReceiveHead" : "LpcDataInfoChainHead";
}

static void decode_message(struct census_run *run, struct candidate candidate)
{
	struct kernel_lpc_message *known = u64_map_get(&run->census->message_by_address, candidate.address);
	if (known) {
		if (candidate.queue == KERNEL_LPC_NO_QUEUE)
			return;
		if (known->queue == KERNEL_LPC_NO_QUEUE) {
			known->queue = candidate.queue;
			known->queue_port = candidate.port;
			known->busy = true;
		} else if (known->queue != candidate.queue || known->queue_port != candidate.port)
			alpc_warn(run->reader, candidate.address,
				  "LPC message 0x%llx is linked on port 0x%llx %s and on port 0x%llx %s; "
				  "the first is kept", (unsigned long long)candidate.address,
				  (unsigned long long)known->queue_port, queue_name(known->queue),
				  (unsigned long long)candidate.port, queue_name(candidate.queue));
		return;
	}
	if (u64_map_get(&run->messages_failed, candidate.address))
		return;
	struct kernel_lpc_message *message = checked_calloc(1, sizeof *message);
	struct error *error = kernel_lpc_message_read(run->reader, candidate.address, message);
	if (error) {
		alpc_warn(run->reader, candidate.address, "%s", error->message);
		error_free(error);
		free(message);
		u64_map_put(&run->messages_failed, candidate.address, (void *)1);
		return;
	}
	message->queue = candidate.queue;
	message->queue_port = candidate.queue == KERNEL_LPC_NO_QUEUE ? 0 : candidate.port;
	message->busy = candidate.queue != KERNEL_LPC_NO_QUEUE;
	message->found_by = candidate.source;
	if (candidate.source == KERNEL_LPC_FOUND_POOL)
		run->census->pool_messages++;
	ptr_vec_push(&run->census->messages, message);
	u64_map_put(&run->census->message_by_address, message->address, message);
	add_port(run, message->sender_port, KERNEL_LPC_FOUND_REFERENCE);
}

/* Decodes until nothing new is named, in the order things were named. */
static void settle(struct census_run *run)
{
	while (run->ports.next < run->ports.count || run->messages.next < run->messages.count) {
		while (run->ports.next < run->ports.count)
			decode_port(run, run->ports.items[run->ports.next++]);
		while (run->messages.next < run->messages.count)
			decode_message(run, run->messages.items[run->messages.next++]);
	}
	run->ports.count = run->ports.next = 0;
	run->messages.count = run->messages.next = 0;
}

static bool visit_handle(void *context, const struct kernel_handle *handle)
{
	struct census_run *run = context;
	if (u64_map_get(&run->census->port_by_address, handle->object) ||
	    u64_map_get(&run->ports_tried, handle->object)) {
		add_port(run, handle->object, KERNEL_LPC_FOUND_HANDLE);
		return true;
	}
	struct kernel_object *object = checked_malloc(sizeof *object);
	struct error *error = kernel_object_at(run->kernel, handle->object, object);
	if (!error && is_port_type(object->type_name))
		add_port(run, handle->object, KERNEL_LPC_FOUND_HANDLE);
	error_free(error);
	free(object);
	return true;
}

static void ports_from_handles(struct census_run *run, const struct kernel_process *processes, size_t count)
{
	if (!run->kernel)
		return;
	for (size_t i = 0; i < count; i++) {
		if (!processes[i].object_table)
			continue;
		struct error *error = kernel_walk_handles(run->kernel, &processes[i], visit_handle, run);
		if (error) {
			alpc_warn(run->reader, processes[i].address,
				  "process 0x%llx (pid %llu): its handle table cannot be walked: %s",
				  (unsigned long long)processes[i].address,
				  (unsigned long long)processes[i].pid, error_detail(error));
			error_free(error);
		}
		settle(run);
	}
}

/* nt!LpcPortObjectType and LpcWaitablePortObjectType hold the type
 * objects; their RVAs are good only for the profile's own PDB. */
static void types_from_symbols(struct census_run *run)
{
	struct kernel *kernel = run->kernel;
	const struct kernel_profile *p = run->reader->profile;
	if (!kernel || !kernel->symbols || !kernel->kernel_base.known)
		return;
	const int64_t rvas[] = { p->lpc_port_object_type_rva, p->lpc_waitable_port_object_type_rva };
	const enum port_type kinds[] = { PORT_TYPE_PORT, PORT_TYPE_WAITABLE_PORT };
	for (size_t i = 0; i < 2; i++) {
		uint64_t type;
		if (rvas[i] == PROFILE_ABSENT)
			continue;
		struct error *error = alpc_read_pointer(run->reader, kernel->kernel_base.value + (uint64_t)rvas[i],
							&type);
		if (!error)
			note_type(run, type, kinds[i]);
		error_free(error);
	}
}

/* A creator info on a type list: its object's body, when the header
 * above it says it has this creator info. */
static uint64_t body_of_creator_info(struct census_run *run, uint64_t creator)
{
	const struct kernel_profile *p = run->reader->profile;
	uint64_t header = creator + (uint64_t)p->object_header_creator_info_size;
	uint64_t body = header + (uint64_t)p->object_header_body;
	uint64_t read_header;
	struct kernel_block *block = checked_malloc(sizeof *block);
	struct error *error = kernel_read_object_header(run->kernel, body, &read_header, block);
	bool ok = !error && kernel_optional_header(run->kernel, header, block, KERNEL_INFO_CREATOR) == creator;
	error_free(error);
	free(block);
	return ok ? body : 0;
}

/* The walk follows Flinks only; a Blink that does not name the link
 * before it (the head for the first) means the list was rewritten or torn
 * while linking, so the walk may have left out or taken in objects: said,
 * as kernel_walk_list says it for the process and thread lists.  The
 * LIST_ENTRY is Flink then Blink (struct-offsets.md _LIST_ENTRY). */
static void check_type_list_blinks(struct census_run *run, uint64_t type, uint64_t head, const char *what,
				   const struct u64_vec *creators)
{
	const struct kernel_profile *p = run->reader->profile;
	uint64_t previous = head;
	for (size_t i = 0; i < creators->count; i++) {
		uint64_t link = creators->items[i] + (uint64_t)(int64_t)p->object_header_creator_info_type_list;
		uint64_t blink;
		/* An aligned LIST_ENTRY lies on one page: a Blink that cannot be
		 * read is the entry the walk already said it could not read. */
		struct error *error = alpc_read_pointer(run->reader, link + p->pointer_size, &blink);
		if (error)
			error_free(error);
		else if (blink != previous)
			alpc_warn(run->reader, type, "%s: entry %zu at 0x%llx has Blink 0x%llx, not the entry "
				  "before it (0x%llx)", what, i, (unsigned long long)link,
				  (unsigned long long)blink, (unsigned long long)previous);
		previous = link;
	}
}

static void ports_from_type_lists(struct census_run *run)
{
	const struct kernel_profile *p = run->reader->profile;
	if (!run->kernel || p->object_type_type_list == PROFILE_ABSENT ||
	    p->object_header_creator_info_type_list == PROFILE_ABSENT ||
	    p->object_header_creator_info_size <= 0 || p->object_header_body == PROFILE_ABSENT)
		return;
	for (unsigned t = 0; t < run->type_count; t++) {
		uint64_t type = run->types[t];
		char what[96];
		snprintf(what, sizeof what, "object type 0x%llx TypeList", (unsigned long long)type);
		struct u64_vec creators = { 0 };
		bool complete;
		alpc_walk_list(run->reader, type + (uint64_t)p->object_type_type_list,
			       p->object_header_creator_info_type_list, CENSUS_PORT_CAP, type, what, &creators,
			       &complete);
		check_type_list_blinks(run, type, type + (uint64_t)p->object_type_type_list, what, &creators);
		for (size_t i = 0; i < creators.count; i++) {
			uint64_t body = body_of_creator_info(run, creators.items[i]);
			if (body)
				add_port(run, body, KERNEL_LPC_FOUND_TYPE_LIST);
			else
				alpc_warn(run->reader, type, "%s: entry 0x%llx is not the creator info of an "
					  "object", what, (unsigned long long)creators.items[i]);
		}
		u64_vec_release(&creators);
		settle(run);
	}
}

static void ports_and_messages_from_threads(struct census_run *run, const struct kernel_thread *threads,
					    size_t count)
{
	for (size_t i = 0; i < count; i++) {
		uint64_t stored = threads[i].lpc_waiting_on;
		uint64_t pointer = stored & ~(uint64_t)LPCP_THREAD_FLAGS;
		if (!pointer || !alpc_kernel_pointer(run->reader, pointer))
			continue;
		if (stored & LPCP_THREAD_FLAG_IS_PORT)
			add_port(run, pointer, KERNEL_LPC_FOUND_REFERENCE);
		else
			add_message(run, pointer, 0, KERNEL_LPC_NO_QUEUE, KERNEL_LPC_FOUND_REFERENCE);
	}
	settle(run);
}

static bool visit_pool_port(void *context, uint64_t address)
{
	add_port(context, address, KERNEL_LPC_FOUND_POOL);
	return true;
}

static bool visit_pool_message(void *context, uint64_t address)
{
	struct census_run *run = context;
	if (!u64_map_get(&run->census->message_by_address, address))
		add_message(run, address, 0, KERNEL_LPC_NO_QUEUE, KERNEL_LPC_FOUND_POOL);
	return true;
}

/* The port objects' pool tags: each Key the image's type objects hold
 * (preferred: it is what the allocations carry), and for a kind of port
 * whose type object was not found or not read, the tag public sources
 * give it (kernel.h KERNEL_LPC_PORT_POOL_TAG, docs/lpc.md "LPC pool
 * tags").  XP and 2003 profiles know no type variables, so the types are
 * those the ports found name: a system where no WaitablePort was found
 * is the common case, not damage.  Only when no type object at all gave
 * a Key is that said in a warning, as the search then rests on the
 * sourced tags alone. */
static size_t port_pool_tags(struct census_run *run, uint32_t *tags)
{
	const struct kernel_profile *p = run->reader->profile;
	size_t count = 0;
	bool keyed[3] = { false, false, false };
	for (unsigned t = 0; t < run->type_count && p->object_type_key != PROFILE_ABSENT; t++) {
		uint8_t key[4];
		struct error *error = virtual_read(run->reader->space, run->types[t] + (uint64_t)p->object_type_key,
						   key, 4);
		if (!error) {
			tags[count++] = (uint32_t)key[0] | (uint32_t)key[1] << 8 | (uint32_t)key[2] << 16 |
					(uint32_t)key[3] << 24;
			keyed[run->type_kinds[t]] = true;
		}
		error_free(error);
	}
	if (!count)
		alpc_warn(run->reader, 0, "the LPC pool search looks for port objects by the tags \"Port\" and "
			  "\"Wait\" (pooltag.txt, the type names' first four characters): no Port object type "
			  "was read to give their pool tag");
	if (!keyed[PORT_TYPE_PORT])
		tags[count++] = KERNEL_LPC_PORT_POOL_TAG;
	if (!keyed[PORT_TYPE_WAITABLE_PORT])
		tags[count++] = KERNEL_LPC_WAITABLE_PORT_POOL_TAG;
	return count;
}

static void search_pool(struct census_run *run, struct physical_memory *memory)
{
	uint32_t tags[TYPES_KEPT + 2];
	size_t tag_count = port_pool_tags(run, tags);
	struct error *error = kernel_lpc_pool_scan(memory, run->reader, tags, tag_count, visit_pool_port,
						   visit_pool_message, run);
	if (error) {
		alpc_warn(run->reader, 0, "the LPC pool search stopped: %s", error->message);
		error_free(error);
	}
	settle(run);
}

static struct kernel_lpc_thread *add_thread(struct kernel_lpc_census *census, const struct kernel_thread *t)
{
	if (census->thread_count % 64 == 0)
		census->threads = checked_realloc(census->threads,
						  (census->thread_count + 64) * sizeof *census->threads);
	struct kernel_lpc_thread *thread = &census->threads[census->thread_count++];
	memset(thread, 0, sizeof *thread);
	thread->thread = t->address;
	thread->pid = t->pid;
	thread->tid = t->tid;
	return thread;
}

/* Who waits for what, who serves what, whose rundown queue holds whom. */
static void find_threads(struct census_run *run, const struct kernel_thread *threads, size_t count)
{
	struct kernel_lpc_census *census = run->census;
	struct u64_map chain_port = { 0 }, message_by_id = { 0 };
	for (size_t i = 0; i < census->ports.count; i++) {
		const struct kernel_lpc_port *port = census->ports.items[i];
		for (size_t j = 0; j < port->reply_chain.entries.count; j++) {
			uint64_t thread = port->reply_chain.entries.items[j];
			if (!u64_map_get(&chain_port, thread))
				u64_map_put(&chain_port, thread, (void *)port);
		}
	}
	/* A queued message first: the one a server has not taken yet. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < census->messages.count; i++) {
			struct kernel_lpc_message *message = census->messages.items[i];
			if (message->message_id && (message->queue != KERNEL_LPC_NO_QUEUE) == (pass == 0) &&
			    !u64_map_get(&message_by_id, message->message_id))
				u64_map_put(&message_by_id, message->message_id, message);
		}
	for (size_t i = 0; i < count; i++) {
		const struct kernel_thread *t = &threads[i];
		const struct kernel_lpc_port *port = u64_map_get(&chain_port, t->address);
		if (!t->lpc_reply_message_id && !t->lpc_received_message_id_valid && !t->lpc_waiting_on && !port)
			continue;
		struct kernel_lpc_thread *thread = add_thread(census, t);
		thread->reply_message_id = (uint32_t)t->lpc_reply_message_id;
		uint64_t pointer = t->lpc_waiting_on & ~(uint64_t)LPCP_THREAD_FLAGS;
		if (t->lpc_waiting_on & LPCP_THREAD_FLAG_IS_PORT)
			thread->waiting_on_port = pointer;
		else
			thread->reply_message = pointer;
		thread->reply_chain_port = port ? port->address : 0;
		thread->serving = t->lpc_received_message_id_valid;
		thread->received_message_id = thread->serving ? (uint32_t)t->lpc_received_message_id : 0;
		thread->waiting_reply = thread->reply_message_id && t->state == THREAD_STATE_WAITING &&
					t->wait_reason == WAIT_REASON_WR_LPC_REPLY;
		if (!thread->reply_message_id && t->state == THREAD_STATE_WAITING &&
		    t->wait_reason == WAIT_REASON_WR_LPC_REPLY && thread->waiting_on_port)
			alpc_warn(run->reader, t->address, "thread 0x%llx (Cid %llx.%llx) waits in WrLpcReply "
				  "on port 0x%llx but its LpcReplyMessageId is 0",
				  (unsigned long long)t->address, (unsigned long long)t->pid,
				  (unsigned long long)t->tid, (unsigned long long)thread->waiting_on_port);
		struct kernel_lpc_message *message =
			thread->reply_message_id ? u64_map_get(&message_by_id, thread->reply_message_id) : NULL;
		if (message) {
			thread->message = message->address;
			if (!message->waiting_thread)
				message->waiting_thread = t->address;
		}
		message = thread->serving ? u64_map_get(&message_by_id, thread->received_message_id) : NULL;
		if (message && !message->server_thread)
			message->server_thread = t->address;
	}
	/* A message no thread's reply id names: the RepliedToThread it names.
	 * A message a thread's id names is in use: Busy. */
	for (size_t i = 0; i < census->messages.count; i++) {
		struct kernel_lpc_message *message = census->messages.items[i];
		if (message->waiting_thread || message->server_thread)
			message->busy = true;
		if (!message->waiting_thread)
			message->waiting_thread = message->replied_to_thread;
	}
	u64_map_release(&chain_port);
	u64_map_release(&message_by_id);
}

struct error *kernel_lpc_census(struct kernel *kernel, const struct kernel_reader *reader,
				const struct kernel_lpc_sources *sources,
				const struct kernel_process *processes, size_t process_count,
				const struct kernel_thread *threads, size_t thread_count,
				struct kernel_lpc_census *census)
{
	memset(census, 0, sizeof *census);
	const struct kernel_profile *p = reader->profile;
	if (p->lpcp_port_object_size <= 0 || p->lpcp_message_size <= 0)
		return error_new(ERROR_UNSUPPORTED, "profile %s has no LPC layout (XP and 2003)", p->name);
	struct census_run run = { .kernel = kernel, .reader = reader, .census = census };
	types_from_symbols(&run);
	ports_from_handles(&run, processes, process_count);
	ports_and_messages_from_threads(&run, threads, thread_count);
	ports_from_type_lists(&run);
	if (sources->memory)
		search_pool(&run, sources->memory);
	find_threads(&run, threads, thread_count);
	u64_map_release(&run.ports_tried);
	u64_map_release(&run.messages_failed);
	u64_map_release(&run.linked);
	free(run.ports.items);
	free(run.messages.items);
	return NULL;
}

void kernel_lpc_census_release(struct kernel_lpc_census *census)
{
	for (size_t i = 0; i < census->ports.count; i++) {
		kernel_lpc_port_release(census->ports.items[i]);
		free(census->ports.items[i]);
	}
	for (size_t i = 0; i < census->messages.count; i++)
		free(census->messages.items[i]);
	ptr_vec_release(&census->ports);
	ptr_vec_release(&census->messages);
	free(census->threads);
	u64_map_release(&census->port_by_address);
	u64_map_release(&census->message_by_address);
	memset(census, 0, sizeof *census);
}
