/* Every ALPC port the image lets us find, their queued messages, the
 * messages threads wait on, and who waits for what.
 *
 * Ports come from (1) nt!AlpcpPortList, the list _ALPC_PORT.PortListEntry
 * links (its RVA holds only for the profile's own PDB); (2) each process's
 * handle table, objects of type "ALPC Port"; (3) references: the ports a
 * port's communication info names, a message's OwnerPort, PortQueue,
 * ConnectionPort and cancel ports, the message a thread's
 * ETHREAD.AlpcMessage names; (4) with --pool-search, the pool tag scan
 * (alpc_pool_scan.c).  Everything found is decoded once (a map by
 * address), every source bounded; what cannot be decoded is a warning. */
#include <stdlib.h>
#include <string.h>

#include "alpc_internal.h"

/* Hard caps, far above a real server's (20,000 ports, 100,000 messages in
 * the benchmark), so garbage ends in bounded memory. */
enum { CENSUS_PORT_CAP = 1 << 21, CENSUS_MESSAGE_CAP = 1 << 23 };

/* _KTHREAD.State Waiting (struct-offsets.md "Enumerations"). */
enum { THREAD_STATE_WAITING = 5, WAIT_REASON_WR_LPC_REPLY = 17 };

struct message_candidate {
	uint64_t address, port;
	enum kernel_alpc_queue queue;
};

struct census_run {
	struct kernel *kernel;
	const struct kernel_reader *reader;
	struct kernel_alpc_census *census;
	struct u64_map known_processes;
	struct u64_map ports_tried;     /* queued or decoded: each address tried once */
	struct u64_map messages_failed; /* did not decode */
	struct u64_map linked;          /* every list entry walked -> its head + 1 */
	struct u64_vec pending_ports; /* first in, first decoded: from pending_port_next */
	size_t pending_port_next;
	unsigned *pending_sources;
	size_t pending_sources_capacity;
	struct message_candidate *pending_messages;
	size_t pending_message_next, pending_message_count, pending_message_capacity;
	bool port_cap_warned, message_cap_warned;
};

static int source_index(unsigned source)
{
	return source == KERNEL_ALPC_FOUND_PORT_LIST ? 0
	       : source == KERNEL_ALPC_FOUND_HANDLE  ? 1
	       : source == KERNEL_ALPC_FOUND_REFERENCE ? 2
						     : 3;
}

static void add_port_candidate(struct census_run *run, uint64_t address, unsigned source)
{
	if (!address)
		return;
	struct kernel_alpc_port *known = u64_map_get(&run->census->port_by_address, address);
	if (known) {
		known->found_by |= source;
		return;
	}
	if (u64_map_get(&run->ports_tried, address))
		return;
	if (run->census->ports.count + run->pending_ports.count - run->pending_port_next >= CENSUS_PORT_CAP) {
		if (!run->port_cap_warned)
			alpc_warn(run->reader, address, "more than %d ALPC ports; the rest are not read",
				  CENSUS_PORT_CAP);
		run->port_cap_warned = true;
		return;
	}
	if (run->pending_ports.count == run->pending_sources_capacity) {
		run->pending_sources_capacity = run->pending_sources_capacity ? 2 * run->pending_sources_capacity : 64;
		run->pending_sources = checked_realloc(run->pending_sources,
						       run->pending_sources_capacity * sizeof *run->pending_sources);
	}
	run->pending_sources[run->pending_ports.count] = source;
	u64_vec_push(&run->pending_ports, address);
	u64_map_put(&run->ports_tried, address, (void *)1);
}

static void add_message_candidate(struct census_run *run, uint64_t address, uint64_t port,
				  enum kernel_alpc_queue queue)
{
	struct kernel_alpc_message *known = u64_map_get(&run->census->message_by_address, address);
	if (known) {
		if (queue == KERNEL_ALPC_NO_QUEUE)
			return;
		if (known->queue == KERNEL_ALPC_NO_QUEUE) {
			known->queue = queue;
			known->queue_port = port;
		} else if (known->queue != queue || known->queue_port != port)
			alpc_warn(run->reader, address,
				  "ALPC message 0x%llx is linked on port 0x%llx %s and on port 0x%llx "
				  "%s; the first is kept", (unsigned long long)address,
				  (unsigned long long)known->queue_port, kernel_alpc_queue_name(known->queue),
				  (unsigned long long)port, kernel_alpc_queue_name(queue));
		return;
	}
	if (run->census->messages.count + run->pending_message_count - run->pending_message_next >=
	    CENSUS_MESSAGE_CAP) {
		if (!run->message_cap_warned)
			alpc_warn(run->reader, address, "more than %d ALPC messages; the rest are not read",
				  CENSUS_MESSAGE_CAP);
		run->message_cap_warned = true;
		return;
	}
	if (run->pending_message_count == run->pending_message_capacity) {
		run->pending_message_capacity = run->pending_message_capacity ? 2 * run->pending_message_capacity : 64;
		run->pending_messages = checked_realloc(run->pending_messages,
							run->pending_message_capacity * sizeof *run->pending_messages);
	}
	run->pending_messages[run->pending_message_count++] = (struct message_candidate){ address, port, queue };
}

/* The object header says what the body is: another type means these
 * bytes are not a port whatever they hold. */
static bool check_object(struct census_run *run, struct kernel_alpc_port *port)
{
	if (!run->kernel)
		return true;
	struct kernel_object object;
	struct error *error = kernel_object_at(run->kernel, port->address, &object);
	if (error) {
		error_free(error);
		return true;
	}
	if (object.type_name[0] && strcmp(object.type_name, "ALPC Port") != 0) {
		alpc_warn(run->reader, port->address,
			  "0x%llx is named as an ALPC port but its object header says \"%s\"; skipped",
			  (unsigned long long)port->address, object.type_name);
		return false;
	}
	if (object.name[0])
		port->name = checked_strdup(object.name);
	return true;
}

static void decode_port(struct census_run *run, uint64_t address, unsigned source)
{
	struct kernel_alpc_port *port = checked_calloc(1, sizeof *port);
	struct error *error = alpc_port_read_linked(run->reader, address, &run->linked, port);
	if (error) {
		alpc_warn(run->reader, address, "%s", error->message);
		error_free(error);
		kernel_alpc_port_release(port);
		free(port);
		return;
	}
	if (!check_object(run, port)) {
		kernel_alpc_port_release(port);
		free(port);
		return;
	}
	if (run->known_processes.count && !u64_map_get(&run->known_processes, port->owner_process))
		alpc_warn(run->reader, address,
			  "ALPC port 0x%llx: OwnerProcess 0x%llx is not a process of the process list",
			  (unsigned long long)address, (unsigned long long)port->owner_process);
	port->found_by = source;
	run->census->found[source_index(source)]++;
	ptr_vec_push(&run->census->ports, port);
	u64_map_put(&run->census->port_by_address, address, port);
	/* A port its own communication info names was not found by it. */
	const uint64_t named[] = { port->connection_port, port->server_communication_port,
				   port->client_communication_port };
	for (size_t i = 0; i < 3; i++)
		if (named[i] != address)
			add_port_candidate(run, named[i], KERNEL_ALPC_FOUND_REFERENCE);
	for (int q = 0; q < KERNEL_ALPC_QUEUE_COUNT; q++)
		if (q != KERNEL_ALPC_WAIT)
			for (size_t i = 0; i < port->queues[q].entries.count; i++)
				add_message_candidate(run, port->queues[q].entries.items[i], address,
						      (enum kernel_alpc_queue)q);
}

static void decode_message(struct census_run *run, struct message_candidate candidate)
{
	if (u64_map_get(&run->census->message_by_address, candidate.address)) {
		add_message_candidate(run, candidate.address, candidate.port, candidate.queue);
		return;
	}
	if (u64_map_get(&run->messages_failed, candidate.address))
		return;
	struct kernel_alpc_message *message = checked_calloc(1, sizeof *message);
	struct error *error = kernel_alpc_message_read(run->reader, candidate.address, message);
	if (error) {
		alpc_warn(run->reader, candidate.address, "%s", error->message);
		error_free(error);
		free(message);
		u64_map_put(&run->messages_failed, candidate.address, (void *)1);
		return;
	}
	message->queue = candidate.queue;
	message->queue_port = candidate.queue == KERNEL_ALPC_NO_QUEUE ? 0 : candidate.port;
	if (candidate.queue != KERNEL_ALPC_NO_QUEUE && message->port_queue &&
	    message->port_queue != candidate.port)
		alpc_warn(run->reader, candidate.address,
			  "ALPC message 0x%llx: linked on port 0x%llx %s but its PortQueue is 0x%llx",
			  (unsigned long long)candidate.address, (unsigned long long)candidate.port,
			  kernel_alpc_queue_name(candidate.queue), (unsigned long long)message->port_queue);
	ptr_vec_push(&run->census->messages, message);
	u64_map_put(&run->census->message_by_address, candidate.address, message);
	uint64_t ports[] = { message->port_queue, message->owner_port, message->connection_port,
			     message->cancel_queue_port, message->cancel_sequence_port };
	for (size_t i = 0; i < sizeof ports / sizeof *ports; i++)
		add_port_candidate(run, ports[i], KERNEL_ALPC_FOUND_REFERENCE);
}

/* Decodes until nothing new is named, in the order things were named. */
static void settle(struct census_run *run)
{
	while (run->pending_port_next < run->pending_ports.count ||
	       run->pending_message_next < run->pending_message_count) {
		while (run->pending_port_next < run->pending_ports.count) {
			size_t next = run->pending_port_next++;
			decode_port(run, run->pending_ports.items[next], run->pending_sources[next]);
		}
		while (run->pending_message_next < run->pending_message_count)
			decode_message(run, run->pending_messages[run->pending_message_next++]);
	}
	run->pending_ports.count = run->pending_port_next = 0;
	run->pending_message_count = run->pending_message_next = 0;
}

static void ports_from_list(struct census_run *run, maybe_u64 kernel_base)
{
	const struct kernel_profile *p = run->reader->profile;
	if (!kernel_base.known || p->alpcp_port_list_rva == PROFILE_ABSENT ||
	    p->alpc_port_port_list_entry == PROFILE_ABSENT)
		return;
	struct u64_vec ports = { 0 };
	bool complete;
	alpc_walk_list_linked(run->reader, kernel_base.value + (uint64_t)p->alpcp_port_list_rva,
			      p->alpc_port_port_list_entry, CENSUS_PORT_CAP, kernel_base.value,
			      "nt!AlpcpPortList", &run->linked, &ports, &complete);
	for (size_t i = 0; i < ports.count; i++)
		add_port_candidate(run, ports.items[i], KERNEL_ALPC_FOUND_PORT_LIST);
	u64_vec_release(&ports);
	settle(run);
}

struct handle_visit {
	struct census_run *run;
	const struct kernel_process *process;
};

static bool visit_handle(void *context, const struct kernel_handle *handle)
{
	struct handle_visit *visit = context;
	struct census_run *run = visit->run;
	if (u64_map_get(&run->census->port_by_address, handle->object)) {
		add_port_candidate(run, handle->object, KERNEL_ALPC_FOUND_HANDLE);
		return true;
	}
	struct kernel_object object;
	struct error *error = kernel_object_at(run->kernel, handle->object, &object);
	if (error) {
		error_free(error);
		return true;
	}
	if (strcmp(object.type_name, "ALPC Port") == 0)
		add_port_candidate(run, handle->object, KERNEL_ALPC_FOUND_HANDLE);
	return true;
}

static void ports_from_handles(struct census_run *run, const struct kernel_process *processes,
			       size_t count)
{
	if (!run->kernel)
		return;
	for (size_t i = 0; i < count; i++) {
		if (!processes[i].object_table)
			continue;
		struct handle_visit visit = { run, &processes[i] };
		struct error *error = kernel_walk_handles(run->kernel, &processes[i], visit_handle, &visit);
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

static bool visit_pool_port(void *context, uint64_t port)
{
	struct census_run *run = context;
	add_port_candidate(run, port, KERNEL_ALPC_FOUND_POOL);
	return true;
}

static void messages_from_threads(struct census_run *run, const struct kernel_thread *threads,
				  size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (threads[i].alpc_message && alpc_kernel_pointer(run->reader, threads[i].alpc_message))
			add_message_candidate(run, threads[i].alpc_message, 0, KERNEL_ALPC_NO_QUEUE);
	settle(run);
}

/* ETHREAD.AlpcMessage shares its storage with AlpcReceiveAttributeSet
 * (struct-offsets.md, _ETHREAD), so it names a message only when the
 * message names the thread back as its WaitingThread. */
static void find_waits(struct census_run *run, const struct kernel_thread *threads, size_t count)
{
	struct kernel_alpc_census *census = run->census;
	for (size_t i = 0; i < count; i++) {
		const struct kernel_thread *thread = &threads[i];
		if (!thread->alpc_message)
			continue;
		struct kernel_alpc_message *message = u64_map_get(&census->message_by_address,
								  thread->alpc_message);
		if (!message || message->waiting_thread != thread->address) {
			if (thread->state == THREAD_STATE_WAITING &&
			    thread->wait_reason == WAIT_REASON_WR_LPC_REPLY)
				alpc_warn(run->reader, thread->address,
					  "thread 0x%llx (Cid %llx.%llx) waits in WrLpcReply but its "
					  "AlpcMessage 0x%llx %s", (unsigned long long)thread->address,
					  (unsigned long long)thread->pid, (unsigned long long)thread->tid,
					  (unsigned long long)thread->alpc_message,
					  message ? "names another WaitingThread" : "is not a readable message");
			continue;
		}
		if (thread->state != THREAD_STATE_WAITING)
			continue;
		if (census->wait_count % 64 == 0)
			census->waits = checked_realloc(census->waits,
							(census->wait_count + 64) * sizeof *census->waits);
		census->waits[census->wait_count++] = (struct kernel_alpc_wait){
			thread->address, message->address, (uint32_t)thread->alpc_message_id
		};
	}
}

struct error *kernel_alpc_census(struct kernel *kernel, const struct kernel_reader *reader,
				 const struct kernel_alpc_sources *sources,
				 const struct kernel_process *processes, size_t process_count,
				 const struct kernel_thread *threads, size_t thread_count,
				 struct kernel_alpc_census *census)
{
	memset(census, 0, sizeof *census);
	const struct kernel_profile *p = reader->profile;
	if (p->alpc_port_size <= 0 || p->kalpc_message_size <= 0)
		return error_new(ERROR_UNSUPPORTED, "profile %s has no ALPC layout (Vista and later)",
				 p->name);
	struct census_run run = { .kernel = kernel, .reader = reader, .census = census };
	for (size_t i = 0; i < process_count; i++)
		u64_map_put(&run.known_processes, processes[i].address, (void *)&processes[i]);
	ports_from_list(&run, sources->kernel_base);
	ports_from_handles(&run, processes, process_count);
	messages_from_threads(&run, threads, thread_count);
	if (sources->memory) {
		struct error *error = kernel_alpc_pool_scan(sources->memory, reader, &run.known_processes,
							    visit_pool_port, &run);
		if (error) {
			alpc_warn(reader, 0, "the ALPC pool search stopped: %s", error->message);
			error_free(error);
		}
		settle(&run);
	}
	find_waits(&run, threads, thread_count);
	u64_map_release(&run.linked);
	u64_map_release(&run.known_processes);
	u64_map_release(&run.ports_tried);
	u64_map_release(&run.messages_failed);
	u64_vec_release(&run.pending_ports);
	free(run.pending_sources);
	free(run.pending_messages);
	return NULL;
}

void kernel_alpc_census_release(struct kernel_alpc_census *census)
{
	for (size_t i = 0; i < census->ports.count; i++) {
		kernel_alpc_port_release(census->ports.items[i]);
		free(census->ports.items[i]);
	}
	for (size_t i = 0; i < census->messages.count; i++)
		free(census->messages.items[i]);
	ptr_vec_release(&census->ports);
	ptr_vec_release(&census->messages);
	free(census->waits);
	u64_map_release(&census->port_by_address);
	u64_map_release(&census->message_by_address);
	memset(census, 0, sizeof *census);
}
