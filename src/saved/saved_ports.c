/* Ports of a saved input: identity, the connection they belong to, flags,
 * queues and the threads waiting on them (docs/json.md "Ports"). */
#include <string.h>

#include "saved_internal.h"

static const char *kind_name(int kind)
{
	return port_kind_name((enum port_kind)kind);
}

static const char *flavor_name_of(int flavor)
{
	return flavor_name((enum ipc_flavor)flavor);
}

static const char *queue_name(int kind)
{
	return queue_kind_name((enum queue_kind)kind);
}

/* The model's port kinds and flavors, for saved_name(). */
enum { PORT_KIND_NAMES = PORT_LPC_CLIENT_COMMUNICATION + 1, FLAVOR_NAMES = FLAVOR_LPC + 1 };

int saved_port_kind(struct saved_reader *reader, json_object *object, const char *key)
{
	return saved_name(reader, object, key, kind_name, PORT_KIND_NAMES, "port kind");
}

int saved_flavor(struct saved_reader *reader, json_object *object, const char *key)
{
	return saved_name(reader, object, key, flavor_name_of, FLAVOR_NAMES, "flavor (alpc or lpc)");
}

int saved_queue_kind(struct saved_reader *reader, json_object *object, const char *key)
{
	return saved_name(reader, object, key, queue_name, QUEUE_KIND_COUNT, "queue kind");
}

/* An array of addresses appended to list; elements that are not are said. */
static void read_address_list(struct saved_reader *reader, json_object *object, const char *key,
			      struct u64_vec *list)
{
	json_object *array = saved_array(reader, object, key);
	if (!array)
		return;
	size_t length = json_object_array_length(array);
	size_t key_mark = saved_enter_key(reader, key);
	for (size_t i = 0; i < length; i++) {
		size_t mark = saved_enter_index(reader, i);
		maybe_u64 address = saved_address_value(reader, json_object_array_get_idx(array, i));
		if (address.known)
			u64_vec_push(list, address.value);
		else if (!json_object_array_get_idx(array, i))
			saved_problem(reader, "null in a list of addresses");
		saved_leave(reader, mark);
	}
	saved_leave(reader, key_mark);
}

static void read_flags(struct saved_reader *reader, struct port *port, json_object *record)
{
	json_object *flags = saved_object(reader, record, "flags");
	if (!flags)
		return;
	size_t mark = saved_enter_key(reader, "flags");
	struct {
		const char *key;
		enum yes_no *value;
	} fields[] = {
		{ "connection_pending", &port->connection_pending },
		{ "connection_refused", &port->connection_refused },
		{ "disconnected", &port->disconnected },
		{ "closed", &port->closed },
		{ "flush_on_close", &port->flush_on_close },
		{ "return_extended_info", &port->return_extended_info },
		{ "waitable", &port->waitable },
		{ "wow64_completion_list", &port->wow64_completion_list },
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		enum yes_no value = saved_yes_no(reader, flags, fields[i].key);
		if (*fields[i].value == YES_NO_UNKNOWN)
			*fields[i].value = value;
	}
	saved_leave(reader, mark);
}

/* "queues": { "main": { "length", "messages" }, … } — only the queues the
 * capture said something about. */
static void read_queues(struct saved_reader *reader, struct port *port, json_object *record)
{
	json_object *queues = saved_object(reader, record, "queues");
	if (!queues)
		return;
	size_t mark = saved_enter_key(reader, "queues");
	json_object_object_foreach(queues, name, queue)
	{
		int kind = 0;
		for (int k = QUEUE_UNKNOWN + 1; k < QUEUE_KIND_COUNT && !kind; k++)
			if (queue_name(k) && strcmp(queue_name(k), name) == 0)
				kind = k;
		if (!kind) {
			saved_problem(reader, "a key that is not a queue kind");
			continue;
		}
		size_t queue_mark = saved_enter_key(reader, queue_name(kind));
		if (json_object_is_type(queue, json_type_object)) {
			struct port_queue *into = &port->queues[kind];
			maybe_fill(&into->length, saved_uint(reader, queue, "length"));
			if (into->messages.count == 0)
				read_address_list(reader, queue, "messages", &into->messages);
		} else {
			saved_problem(reader, "not an object");
		}
		saved_leave(reader, queue_mark);
	}
	saved_leave(reader, mark);
}

static void read_port(struct saved_reader *reader, json_object *record)
{
	maybe_u64 address = saved_address(reader, record, "address");
	if (!address.known) {
		size_t mark = saved_enter_key(reader, "address");
		saved_problem(reader, "a port needs its address");
		saved_leave(reader, mark);
		return;
	}
	struct port *port = snapshot_port(reader->snapshot, address.value,
					  saved_first_origin(reader, record));
	if (!port->name)
		port->name = saved_text(reader, record, "name");
	int flavor = saved_flavor(reader, record, "flavor");
	if (port->flavor == FLAVOR_UNKNOWN)
		port->flavor = (enum ipc_flavor)flavor;
	int kind = saved_port_kind(reader, record, "kind");
	if (port->kind == PORT_KIND_UNKNOWN)
		port->kind = (enum port_kind)kind;
	maybe_fill(&port->owner_process, saved_address(reader, record, "owner_process"));
	maybe_fill(&port->communication_info, saved_address(reader, record, "communication_info"));
	maybe_fill(&port->connection_port, saved_address(reader, record, "connection_port"));
	maybe_fill(&port->client_port, saved_address(reader, record, "client_port"));
	maybe_fill(&port->server_port, saved_address(reader, record, "server_port"));
	maybe_fill(&port->connected_port, saved_address(reader, record, "connected_port"));
	maybe_fill(&port->sequence_number, saved_uint(reader, record, "sequence_number"));
	maybe_fill(&port->completion_port, saved_address(reader, record, "completion_port"));
	maybe_fill(&port->completion_list, saved_address(reader, record, "completion_list"));
	read_flags(reader, port, record);
	if (!port->security)
		port->security = saved_text(reader, record, "security");
	read_queues(reader, port, record);
	if (port->waiting_threads.count == 0)
		read_address_list(reader, record, "waiting_threads", &port->waiting_threads);
	if (port->registered_threads.count == 0)
		read_address_list(reader, record, "registered_threads", &port->registered_threads);
	maybe_fill(&port->waiting_thread_count, saved_uint(reader, record, "waiting_thread_count"));
	maybe_fill(&port->registered_thread_count,
		   saved_uint(reader, record, "registered_thread_count"));
	maybe_fill(&port->lpc_flags, saved_uint(reader, record, "lpc_flags"));
	maybe_fill(&port->handles, saved_uint(reader, record, "handles"));
	maybe_fill(&port->references, saved_uint(reader, record, "references"));
	maybe_fill(&port->queue_semaphore, saved_address(reader, record, "queue_semaphore"));
	maybe_fill(&port->semaphore_state, saved_uint(reader, record, "semaphore_state"));
	saved_add_origins(reader, record, &port->origin);
}

void saved_read_ports(struct saved_reader *reader, json_object *input)
{
	saved_each_record(reader, input, "ports", read_port);
}
