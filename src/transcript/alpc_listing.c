/* `!alpc` output (debugger-output-formats.md §3.3–3.7):
 *
 *   /m  "Message @ A" or "Message A", then "Key : value" fields;
 *   /p  "Port  A" or "Port @ A", fields, the threads registered with or
 *       waiting on the port, and one line per queue ("Main queue is empty.");
 *   /lpp "Ports created by the process P:" with "A('name') n, m connections"
 *       and connection lines "S n -> C m P('image')", then "Ports the process
 *       P is connected to:" with "C n -> A('name') m P('image')";
 *   /lpc the created-ports part alone.
 *
 * Some copies of these listings lost their line breaks and print every
 * "Key : value" of a message on one line, so fields are found by their
 * names wherever they stand.  The layout of a non-empty queue listing is
 * not in any public sample; for those only the count in the queue line
 * is read. */
#include <string.h>
#include <strings.h>

#include "scanner.h"

struct thread *read_thread_header(struct scanner *scanner, const char *text, size_t length);

enum field_target { FIELD_MESSAGE, FIELD_PORT };

static const char *const message_keys[] = {
	"MessageID", "CallbackID", "SequenceNumber", "Type", "DataLength", "TotalLength",
	"Canceled", "Release", "ReplyWaitReply", "Continuation", "OwnerPort", "WaitingThread",
	"QueueType", "QueuePort", "QueuePortOwnerProcess", "ServerThread", "QuotaCharged",
	"CancelQueuePort", "CancelSequencePort", "CancelSequenceNumber", "ClientContext",
	"ServerContext", "PortContext", "CancelPortContext", "SecurityData", "View", NULL,
};

static const char *const port_keys[] = {
	"Type", "CommunicationInfo", "ConnectionPort", "ClientCommunicationPort",
	"ServerCommunicationPort", "OwnerProcess", "SequenceNo", "CompletionPort",
	"CompletionList", "ConnectionPending", "ConnectionRefused", "Disconnected", "Closed",
	"FlushOnClose", "ReturnExtendedInfo", "Waitable", "Security", "Wow64CompletionList", NULL,
};

/* ---- one "Key : value" ------------------------------------------------- */

static bool key_is(const char *key, size_t length, const char *expected)
{
	return strlen(expected) == length && memcmp(key, expected, length) == 0;
}

static enum yes_no yes_no_of(struct cursor value)
{
	if (cursor_take_word(&value, "Yes"))
		return YES;
	if (cursor_take_word(&value, "No"))
		return NO;
	return YES_NO_UNKNOWN;
}

static maybe_u64 number_of(struct cursor value)
{
	uint64_t number;
	return cursor_take_hex(&value, &number, NULL) ? known_u64(number) : UNKNOWN_U64;
}

/* "A [ALPC_CONNECTION_PORT]": the address, and the port kind into *kind. */
static maybe_u64 port_of(struct scanner *scanner, struct cursor value, enum port_kind *kind)
{
	uint64_t address;
	unsigned digits;
	const char *label;
	size_t label_length;
	if (!take_address_with_label(&value, &address, &digits, &label, &label_length, '[', ']'))
		return UNKNOWN_U64;
	enum port_kind found = label ? port_kind_from_windbg(label, label_length) : PORT_KIND_UNKNOWN;
	if (kind && found)
		*kind = found;
	if (address) {
		struct port *port = scanner_port(scanner, address);
		port->flavor = FLAVOR_ALPC;
		if (found && !port->kind)
			port->kind = found;
	}
	return known_u64(address);
}

/* "A (image)": the address, with the process made known by it. */
static maybe_u64 process_of(struct scanner *scanner, struct cursor value)
{
	uint64_t address;
	unsigned digits;
	const char *label;
	size_t label_length;
	if (!take_address_with_label(&value, &address, &digits, &label, &label_length, '(', ')'))
		return UNKNOWN_U64;
	if (address) {
		struct process *process = scanner_process(scanner, known_u64(address), UNKNOWN_U64);
		if (label && label_length && !process->image)
			process->image = scanner_text(scanner, label, label_length);
	}
	return known_u64(address);
}

static maybe_u64 thread_of(struct scanner *scanner, struct cursor value)
{
	maybe_u64 address = number_of(value);
	if (address.known && address.value)
		scanner_thread(scanner, address, UNKNOWN_U64, UNKNOWN_U64);
	return address;
}

static void read_message_field(struct scanner *scanner, const char *key, size_t length,
			       struct cursor value)
{
	struct message *m = scanner->message;
	const char *word;
	size_t word_length;
	if (key_is(key, length, "MessageID"))
		maybe_fill(&m->id, number_of(value));
	else if (key_is(key, length, "CallbackID"))
		m->callback_id = number_of(value);
	else if (key_is(key, length, "SequenceNumber"))
		m->sequence_number = number_of(value);
	else if (key_is(key, length, "Type")) {
		if (cursor_take_token(&value, &word, &word_length))
			m->type = scanner_text(scanner, word, word_length);
	} else if (key_is(key, length, "DataLength"))
		m->data_length = number_of(value);
	else if (key_is(key, length, "TotalLength"))
		m->total_length = number_of(value);
	else if (key_is(key, length, "Canceled"))
		m->canceled = yes_no_of(value);
	else if (key_is(key, length, "Release"))
		m->release = yes_no_of(value);
	else if (key_is(key, length, "ReplyWaitReply"))
		m->reply_wait_reply = yes_no_of(value);
	else if (key_is(key, length, "Continuation"))
		m->continuation = yes_no_of(value);
	else if (key_is(key, length, "QuotaCharged"))
		m->quota_charged = yes_no_of(value);
	else if (key_is(key, length, "OwnerPort"))
		m->owner_port = port_of(scanner, value, &m->owner_port_kind);
	else if (key_is(key, length, "WaitingThread"))
		m->waiting_thread = thread_of(scanner, value);
	else if (key_is(key, length, "QueueType")) {
		if (cursor_take_token(&value, &word, &word_length))
			m->queue = queue_kind_from_windbg(word, word_length);
	} else if (key_is(key, length, "QueuePort"))
		m->queue_port = port_of(scanner, value, &m->queue_port_kind);
	else if (key_is(key, length, "QueuePortOwnerProcess")) {
		m->queue_port_owner = process_of(scanner, value);
		struct port *port = m->queue_port.known && m->queue_port.value
					    ? scanner_port(scanner, m->queue_port.value)
					    : NULL;
		if (port)
			maybe_fill(&port->owner_process, m->queue_port_owner);
	} else if (key_is(key, length, "ServerThread"))
		m->server_thread = thread_of(scanner, value);
	else if (key_is(key, length, "CancelQueuePort"))
		m->cancel_queue_port = number_of(value);
	else if (key_is(key, length, "CancelSequencePort"))
		m->cancel_sequence_port = number_of(value);
	else if (key_is(key, length, "CancelSequenceNumber"))
		m->cancel_sequence_number = number_of(value);
	else if (key_is(key, length, "ClientContext"))
		m->client_context = number_of(value);
	else if (key_is(key, length, "ServerContext"))
		m->server_context = number_of(value);
	else if (key_is(key, length, "PortContext"))
		m->port_context = number_of(value);
	else if (key_is(key, length, "CancelPortContext"))
		m->cancel_port_context = number_of(value);
	else if (key_is(key, length, "SecurityData"))
		m->security_data = number_of(value);
	else if (key_is(key, length, "View"))
		m->view = number_of(value);
}

/* "A (name)" for the ports of CommunicationInfo: the name is the
 * connection port's, and each field says what kind of port it holds. */
static maybe_u64 named_port_of(struct scanner *scanner, struct cursor value, enum port_kind kind)
{
	uint64_t address;
	unsigned digits;
	const char *label;
	size_t label_length;
	if (!take_address_with_label(&value, &address, &digits, &label, &label_length, '(', ')'))
		return UNKNOWN_U64;
	if (address) {
		struct port *port = scanner_port(scanner, address);
		port->flavor = FLAVOR_ALPC;
		if (label && label_length && !port->name)
			port->name = scanner_text(scanner, label, label_length);
		if (!port->kind)
			port->kind = kind;
	}
	return known_u64(address);
}

static void read_port_field(struct scanner *scanner, const char *key, size_t length,
			    struct cursor value)
{
	struct port *p = scanner->port;
	const char *word;
	size_t word_length;
	static const struct {
		const char *key;
		size_t offset;
	} flags[] = {
		{ "ConnectionPending", offsetof(struct port, connection_pending) },
		{ "ConnectionRefused", offsetof(struct port, connection_refused) },
		{ "Disconnected", offsetof(struct port, disconnected) },
		{ "Closed", offsetof(struct port, closed) },
		{ "FlushOnClose", offsetof(struct port, flush_on_close) },
		{ "ReturnExtendedInfo", offsetof(struct port, return_extended_info) },
		{ "Waitable", offsetof(struct port, waitable) },
		{ "Wow64CompletionList", offsetof(struct port, wow64_completion_list) },
	};
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		if (key_is(key, length, flags[i].key)) {
			*(enum yes_no *)((char *)p + flags[i].offset) = yes_no_of(value);
			return;
		}
	if (key_is(key, length, "Type")) {
		if (cursor_take_token(&value, &word, &word_length)) {
			enum port_kind kind = port_kind_from_windbg(word, word_length);
			if (kind)
				p->kind = kind;
		}
	} else if (key_is(key, length, "CommunicationInfo"))
		p->communication_info = number_of(value);
	else if (key_is(key, length, "ConnectionPort")) {
		p->connection_port = named_port_of(scanner, value, PORT_ALPC_CONNECTION);
	} else if (key_is(key, length, "ClientCommunicationPort"))
		p->client_port = named_port_of(scanner, value, PORT_ALPC_CLIENT_COMMUNICATION);
	else if (key_is(key, length, "ServerCommunicationPort"))
		p->server_port = named_port_of(scanner, value, PORT_ALPC_SERVER_COMMUNICATION);
	else if (key_is(key, length, "OwnerProcess"))
		p->owner_process = process_of(scanner, value);
	else if (key_is(key, length, "SequenceNo"))
		p->sequence_number = number_of(value);
	else if (key_is(key, length, "CompletionPort"))
		p->completion_port = number_of(value);
	else if (key_is(key, length, "CompletionList"))
		p->completion_list = number_of(value);
	else if (key_is(key, length, "Security")) {
		if (cursor_take_token(&value, &word, &word_length))
			p->security = scanner_text(scanner, word, word_length);
	}
}

/* Finds each "Key :" of the given set on the line and reads its value,
 * which runs to the next key or the end of the line.  Returns how many. */
static unsigned read_fields(struct scanner *scanner, const char *text, size_t length,
			    const char *const *keys, enum field_target target)
{
	struct cursor cursor = cursor_of(text, length);
	const char *key = NULL, *value_start = NULL;
	size_t key_length = 0;
	unsigned found = 0;
	for (;;) {
		const char *token;
		size_t token_length;
		struct cursor before = cursor;
		bool more = cursor_take_token(&cursor, &token, &token_length);
		bool is_key = false;
		if (more) {
			/* "Key :" or "Key:" */
			size_t name_length = token_length;
			bool colon_attached = name_length > 1 && token[name_length - 1] == ':';
			if (colon_attached)
				name_length--;
			struct cursor after = cursor;
			bool colon = colon_attached || cursor_take(&after, ":");
			if (colon)
				for (const char *const *k = keys; *k; k++)
					if (key_is(token, name_length, *k)) {
						is_key = true;
						if (!colon_attached)
							cursor = after;
						break;
					}
			if (is_key) {
				if (key) {
					struct cursor value = { value_start, before.at };
					if (target == FIELD_MESSAGE)
						read_message_field(scanner, key, key_length, value);
					else
						read_port_field(scanner, key, key_length, value);
					found++;
				}
				key = token;
				key_length = name_length;
				value_start = cursor.at;
				continue;
			}
			continue;
		}
		if (key) {
			struct cursor value = { value_start, cursor.end };
			if (target == FIELD_MESSAGE)
				read_message_field(scanner, key, key_length, value);
			else
				read_port_field(scanner, key, key_length, value);
			found++;
		}
		return found;
	}
}

/* ---- headers --------------------------------------------------------- */

/* "Message @ A", "Message A", "Port  A", "Port @ A" */
static bool read_header(struct scanner *scanner, const char *text, size_t length, const char *word,
			uint64_t *address, struct cursor *rest)
{
	struct cursor cursor = cursor_of(text, length);
	unsigned digits;
	if (!cursor_take_word(&cursor, word))
		return false;
	cursor_take(&cursor, "@");
	if (!cursor_take_hex(&cursor, address, &digits))
		return false;
	scanner_saw_address(scanner, digits);
	*rest = cursor;
	return true;
}

static bool read_message_header(struct scanner *scanner, const char *text, size_t length)
{
	uint64_t address;
	struct cursor rest;
	if (!read_header(scanner, text, length, "Message", &address, &rest))
		return false;
	scanner_close_block(scanner);
	scanner->message = snapshot_message(scanner->snapshot, FLAVOR_ALPC, known_u64(address),
					    UNKNOWN_U64, scanner->here);
	scanner->block = BLOCK_ALPC_MESSAGE;
	read_fields(scanner, rest.at, (size_t)(rest.end - rest.at), message_keys, FIELD_MESSAGE);
	return true;
}

static bool read_port_header(struct scanner *scanner, const char *text, size_t length)
{
	uint64_t address;
	struct cursor rest;
	if (!read_header(scanner, text, length, "Port", &address, &rest))
		return false;
	scanner_close_block(scanner);
	scanner->port = scanner_port(scanner, address);
	scanner->port->flavor = FLAVOR_ALPC;
	scanner->block = BLOCK_ALPC_PORT;
	read_fields(scanner, rest.at, (size_t)(rest.end - rest.at), port_keys, FIELD_PORT);
	return true;
}

/* ---- the lines of a port listing after its fields ------------------- */

static const struct {
	const char *name;
	enum queue_kind kind;
} queue_names[] = {
	{ "Main queue", QUEUE_MAIN },
	{ "Direct message queue", QUEUE_DIRECT },
	{ "Large message queue", QUEUE_LARGE_MESSAGE },
	{ "Pending queue", QUEUE_PENDING },
	{ "Canceled queue", QUEUE_CANCELED },
	{ "Cancelled queue", QUEUE_CANCELED },
	{ "Wait queue", QUEUE_WAIT },
};

static bool read_queue_line(struct scanner *scanner, const char *text, size_t length)
{
	for (size_t i = 0; i < sizeof queue_names / sizeof *queue_names; i++) {
		if (!text_starts_with(text, queue_names[i].name))
			continue;
		struct port_queue *queue = &scanner->port->queues[queue_names[i].kind];
		struct cursor cursor = cursor_of(text, length);
		cursor.at += strlen(queue_names[i].name);
		uint64_t count;
		if (cursor_take_word(&cursor, "is") && cursor_take_word(&cursor, "empty"))
			queue->length = known_u64(0);
		else {
			/* "has 2 message(s)", "contains 2 messages" */
			const char *token;
			size_t token_length;
			while (cursor_take_token(&cursor, &token, &token_length)) {
				struct cursor number = cursor_of(token, token_length);
				if (cursor_take_decimal(&number, &count) && number.at == number.end) {
					queue->length = known_u64(count);
					break;
				}
			}
		}
		scanner->queue = queue_names[i].kind;
		return true;
	}
	return false;
}

/* "1 thread(s) are registered with port IO completion object:",
 * "5 thread(s) are waiting on the port:" */
static bool read_thread_list_header(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t count;
	if (!cursor_take_decimal(&cursor, &count) || !cursor_take_word(&cursor, "thread(s)"))
		return false;
	struct port *port = scanner->port;
	if (text_find(text, length, "registered")) {
		port->registered_thread_count = known_u64(count);
		scanner->thread_list = &port->registered_threads;
	} else {
		port->waiting_thread_count = known_u64(count);
		scanner->thread_list = &port->waiting_threads;
	}
	return true;
}

static bool read_port_line(struct scanner *scanner, const char *text, size_t length)
{
	if (read_thread_list_header(scanner, text, length) || read_queue_line(scanner, text, length))
		return true;
	if (scanner->thread_list && text_starts_with(text, "THREAD ")) {
		struct thread *thread = read_thread_header(scanner, text, length);
		/* A header of another address width started another capture and
		 * closed the list: that thread is not this port's. */
		if (thread && thread->address.known && scanner->thread_list)
			u64_vec_push_unique(scanner->thread_list, thread->address.value);
		return thread != NULL;
	}
	return read_fields(scanner, text, length, port_keys, FIELD_PORT) > 0;
}

/* ---- /lpp and /lpc ------------------------------------------------------ */

/* "A('name') n, m connections" */
static bool read_created_port(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t address;
	unsigned digits;
	const char *name;
	size_t name_length;
	uint64_t queued, connections;
	if (!take_address_with_label(&cursor, &address, &digits, &name, &name_length, '(', ')') ||
	    !name || !cursor_take_decimal(&cursor, &queued) || !cursor_take(&cursor, ",") ||
	    !cursor_take_decimal(&cursor, &connections) || !cursor_take_word(&cursor, "connections"))
		return false;
	scanner_saw_address(scanner, digits);
	struct port *port = scanner_port(scanner, address);
	port->flavor = FLAVOR_ALPC;
	if (!port->kind)
		port->kind = PORT_ALPC_CONNECTION;
	if (name_length && !port->name)
		port->name = scanner_text(scanner, name, name_length);
	if (scanner->block == BLOCK_ALPC_CREATED)
		maybe_fill(&port->owner_process, scanner->lpp_process);
	maybe_fill(&port->connection_port, known_u64(address));
	scanner->connections_port = known_u64(address);
	if (scanner->block != BLOCK_ALPC_CREATED)
		scanner->block = BLOCK_ALPC_CREATED;
	return true;
}

/* One side of "->": "A n" or "A('name') n". */
static bool read_connection_end(struct scanner *scanner, struct cursor *cursor, uint64_t *address,
				const char **name, size_t *name_length, uint64_t *queued)
{
	unsigned digits;
	if (!take_address_with_label(cursor, address, &digits, name, name_length, '(', ')') ||
	    !cursor_take_decimal(cursor, queued))
		return false;
	return true;
}

static struct process *connection_process(struct scanner *scanner, struct cursor *cursor)
{
	uint64_t address;
	unsigned digits;
	const char *image;
	size_t image_length;
	if (!take_address_with_label(cursor, &address, &digits, &image, &image_length, '(', ')'))
		return NULL;
	struct process *process = scanner_process(scanner, known_u64(address), UNKNOWN_U64);
	/* /lpp prints ImageFileName cut to 14 characters; keep a longer name. */
	if (image && image_length && !process->image)
		process->image = scanner_text(scanner, image, image_length);
	return process;
}

static struct port *alpc_port(struct scanner *scanner, uint64_t address, enum port_kind kind)
{
	struct port *port = scanner_port(scanner, address);
	port->flavor = FLAVOR_ALPC;
	if (!port->kind)
		port->kind = kind;
	return port;
}

/* The shape both connection lines share: "A n -> B m" (B may carry a
 * ('name')); the cursor is left at the process that follows. */
struct arrow_line {
	uint64_t left, left_queued, right, right_queued;
	const char *right_name;
	size_t right_name_length;
};

static bool read_arrow_line(struct scanner *scanner, struct cursor *cursor, struct arrow_line *line)
{
	const char *left_name;
	size_t left_name_length;
	return read_connection_end(scanner, cursor, &line->left, &left_name, &left_name_length,
				   &line->left_queued) &&
	       cursor_take(cursor, "->") &&
	       read_connection_end(scanner, cursor, &line->right, &line->right_name,
				   &line->right_name_length, &line->right_queued);
}

/* "S n -> C m P('image')" under a created connection port. */
static bool read_created_connection(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	struct arrow_line line;
	if (!read_arrow_line(scanner, &cursor, &line))
		return false;
	uint64_t server = line.left, client = line.right;
	uint64_t server_queued = line.left_queued, client_queued = line.right_queued;
	struct port_connection *connection = snapshot_add_connection(scanner->snapshot, scanner->here);
	connection->connection_port = scanner->connections_port;
	connection->server_port = known_u64(server);
	connection->client_port = known_u64(client);
	connection->server_queued = known_u64(server_queued);
	connection->client_queued = known_u64(client_queued);
	connection->server_process = scanner->lpp_process;
	struct process *client_process = connection_process(scanner, &cursor);
	if (client_process)
		connection->client_process = client_process->address;
	struct port *server_port = alpc_port(scanner, server, PORT_ALPC_SERVER_COMMUNICATION);
	struct port *client_port = alpc_port(scanner, client, PORT_ALPC_CLIENT_COMMUNICATION);
	struct port *ends[] = { server_port, client_port };
	for (int i = 0; i < 2; i++) {
		maybe_fill(&ends[i]->connection_port, scanner->connections_port);
		maybe_fill(&ends[i]->server_port, known_u64(server));
		maybe_fill(&ends[i]->client_port, known_u64(client));
	}
	maybe_fill(&server_port->owner_process, scanner->lpp_process);
	if (client_process)
		maybe_fill(&client_port->owner_process, client_process->address);
	return true;
}

/* "C n -> A('name') m P('image')": the process under /lpp is the client. */
static bool read_connected_to(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	struct arrow_line line;
	if (!read_arrow_line(scanner, &cursor, &line))
		return false;
	uint64_t client = line.left, target = line.right;
	uint64_t client_queued = line.left_queued, target_queued = line.right_queued;
	const char *name = line.right_name;
	size_t name_length = line.right_name_length;
	/* WinDbg prints the target's connection-port name; whether the
	 * address is that port or the server communication port is not
	 * documented (formats §3.6), so it is kept as the port it names. */
	struct port *port = alpc_port(scanner, target, PORT_KIND_UNKNOWN);
	if (name && name_length && !port->name)
		port->name = scanner_text(scanner, name, name_length);
	struct port_connection *connection = snapshot_add_connection(scanner->snapshot, scanner->here);
	connection->client_port = known_u64(client);
	connection->client_queued = known_u64(client_queued);
	connection->connection_port = known_u64(target);
	connection->server_queued = known_u64(target_queued);
	connection->client_process = scanner->lpp_process;
	struct process *server = connection_process(scanner, &cursor);
	if (server) {
		connection->server_process = server->address;
		maybe_fill(&port->owner_process, server->address);
	}
	struct port *client_port = alpc_port(scanner, client, PORT_ALPC_CLIENT_COMMUNICATION);
	maybe_fill(&client_port->owner_process, scanner->lpp_process);
	return true;
}

/* "('image.exe')" alone: the end of a connection line a layout wrapped. */
static bool read_wrapped_image(struct scanner *scanner, const char *text, size_t length)
{
	if (length < 4 || text[0] != '(' || text[1] != '\'')
		return false;
	if (!scanner->snapshot->connections.count)
		return true;
	struct port_connection *last =
		scanner->snapshot->connections.items[scanner->snapshot->connections.count - 1];
	maybe_u64 address = scanner->block == BLOCK_ALPC_CONNECTED_TO ? last->server_process
								      : last->client_process;
	const char *end = memchr(text + 2, '\'', length - 2);
	if (address.known && end) {
		struct process *process = scanner_process(scanner, address, UNKNOWN_U64);
		if (!process->image && end > text + 2)
			process->image = scanner_text(scanner, text + 2, (size_t)(end - text - 2));
	}
	return true;
}

/* A connection line whose process label went to the next line ends with
 * the bare process address; it is read like the full line. */
static bool read_connection_line(struct scanner *scanner, const char *text, size_t length)
{
	if (scanner->block == BLOCK_ALPC_CONNECTED_TO)
		return read_connected_to(scanner, text, length);
	return read_created_connection(scanner, text, length);
}

static bool read_lpp_section(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t process;
	if (cursor_take(&cursor, "Ports created by the process") &&
	    cursor_take_hex_prefix(&cursor, &process, NULL)) {
		scanner_close_block(scanner);
		scanner->lpp_process = known_u64(process);
		scanner_process(scanner, known_u64(process), UNKNOWN_U64);
		scanner->block = BLOCK_ALPC_CREATED;
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "Ports the process") && cursor_take_hex(&cursor, &process, NULL) &&
	    cursor_take_word(&cursor, "is")) {
		scanner_close_block(scanner);
		scanner->lpp_process = known_u64(process);
		scanner_process(scanner, known_u64(process), UNKNOWN_U64);
		scanner->block = BLOCK_ALPC_CONNECTED_TO;
		return true;
	}
	return false;
}

bool read_alpc_listing(struct scanner *scanner, const char *text, size_t length)
{
	if (read_message_header(scanner, text, length) || read_port_header(scanner, text, length) ||
	    read_lpp_section(scanner, text, length))
		return true;
	switch (scanner->block) {
	case BLOCK_ALPC_MESSAGE:
		return read_fields(scanner, text, length, message_keys, FIELD_MESSAGE) > 0;
	case BLOCK_ALPC_PORT:
		return read_port_line(scanner, text, length);
	case BLOCK_ALPC_CREATED:
	case BLOCK_ALPC_CONNECTED_TO:
		return read_created_port(scanner, text, length) ||
		       read_connection_line(scanner, text, length) ||
		       read_wrapped_image(scanner, text, length);
	default:
		/* `!alpc /lpc A` prints the created-port header with no section line. */
		if (scanner->command.kind == COMMAND_ALPC && read_created_port(scanner, text, length))
			return true;
		return false;
	}
}
