/* `!lpc` output on XP/2003 (MS docs -lpc.md, its samples verbatim):
 *
 *   port list  "       3  Port: 0xe13d8830 Connection: 0xe141ef50  Communication: 0xe13d8910  'name'"
 *              — the first column is the port object's Flags: the low
 *              nibble is the port type (1 connection, 2 unconnected,
 *              3 server communication, 4 client communication) and
 *              0x80000000 dynamic security (ReactOS sdk/include/ndk/lpctypes.h,
 *              LPCP_CONNECTION_PORT … LPCP_SECURITY_DYNAMIC);
 *   port detail "Server connection port e14ae238  Name: ApiPort",
 *              "Server communication port 0x…", "Client communication port 0x…",
 *              " Handles: 1   References: 107", "Server process  : 84aa0140 (csrss.exe)",
 *              "Queue semaphore : …", " Semaphore state 0 (0x0)",
 *              "Messages in queue:" with entries
 *              " 0000 e20d9b80 - Busy  Id=0002249c  From: 0584.0680  Context=00000021  [… . …]"
 *              " Length=0098007c  Type=00000001 (LPC_REQUEST)",
 *              "The message queue contains 1 messages" / "is empty",
 *              "Connected port: 0x…      Server connection port: 0x…";
 *   !lpc message N  "Client thread 842a4db0 waiting a reply from 222be", then the
 *              ports whose rundown queues hold that thread;
 *   !lpc thread A   those ports alone.
 *
 * A queued LPC_REQUEST is a request whose sender waits in
 * NtRequestWaitReplyPort for the reply (an LPC_DATAGRAM would not), so its
 * "From:" thread is recorded as waiting for that message id. */
#include <string.h>

#include "scanner.h"

enum {
	LPC_PORT_TYPE_MASK = 0xf,
	LPC_REQUEST_TYPE = 1,
};

static enum port_kind kind_of_flags(uint64_t flags)
{
	switch (flags & LPC_PORT_TYPE_MASK) {
	case 1:
		return PORT_LPC_SERVER_CONNECTION;
	case 2:
		return PORT_LPC_UNCONNECTED_COMMUNICATION;
	case 3:
		return PORT_LPC_SERVER_COMMUNICATION;
	case 4:
		return PORT_LPC_CLIENT_COMMUNICATION;
	default:
		return PORT_KIND_UNKNOWN;
	}
}

static struct port *lpc_port(struct scanner *scanner, uint64_t address, enum port_kind kind)
{
	struct port *port = scanner_port(scanner, address);
	port->flavor = FLAVOR_LPC;
	if (kind)
		port->kind = kind;
	return port;
}

/* "       1  Port: 0xe1405650 Connection: 0xe1405650  Communication: 0x00000000  'SeRmCommandPort'" */
static bool read_port_list_line(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t flags, address, connection, communication;
	unsigned digits;
	if (!cursor_take_hex(&cursor, &flags, NULL) || !cursor_take_word(&cursor, "Port:") ||
	    !cursor_take_hex(&cursor, &address, &digits) || !cursor_take_word(&cursor, "Connection:") ||
	    !cursor_take_hex(&cursor, &connection, NULL))
		return false;
	scanner_saw_address(scanner, digits);
	struct port *port = lpc_port(scanner, address, kind_of_flags(flags));
	port->lpc_flags = known_u64(flags);
	if (connection)
		port->connection_port = known_u64(connection);
	if (cursor_take_word(&cursor, "Communication:") &&
	    cursor_take_hex(&cursor, &communication, NULL) && communication)
		port->connected_port = known_u64(communication);
	/* The name in quotes; unnamed ports print a lone quote. */
	cursor_skip_blanks(&cursor);
	if (cursor.at < cursor.end && *cursor.at == '\'') {
		const char *start = cursor.at + 1;
		const char *end = memchr(start, '\'', (size_t)(cursor.end - start));
		size_t name_length = end ? (size_t)(end - start) : (size_t)(cursor.end - start);
		while (name_length && start[name_length - 1] == ' ')
			name_length--;
		if (name_length && !port->name)
			port->name = scanner_text(scanner, start, name_length);
	}
	return true;
}

/* "Server connection port e14ae238  Name: ApiPort" and its kin. */
static bool read_port_heading(struct scanner *scanner, const char *text, size_t length)
{
	static const struct {
		const char *heading;
		enum port_kind kind;
	} headings[] = {
		{ "Server connection port", PORT_LPC_SERVER_CONNECTION },
		{ "Server communication port", PORT_LPC_SERVER_COMMUNICATION },
		{ "Client communication port", PORT_LPC_CLIENT_COMMUNICATION },
		{ "Unconnected communication port", PORT_LPC_UNCONNECTED_COMMUNICATION },
	};
	for (size_t i = 0; i < sizeof headings / sizeof *headings; i++) {
		if (!text_starts_with(text, headings[i].heading))
			continue;
		struct cursor cursor = cursor_of(text, length);
		cursor.at += strlen(headings[i].heading);
		uint64_t address;
		unsigned digits;
		if (!cursor_take_hex(&cursor, &address, &digits))
			return false;
		scanner_close_block(scanner);
		scanner_saw_address(scanner, digits);
		struct port *port = lpc_port(scanner, address, headings[i].kind);
		if (cursor_take_word(&cursor, "Name:")) {
			size_t rest = (size_t)(cursor.end - cursor.at);
			const char *name = text_trim_start(cursor.at, &rest);
			if (rest && !port->name)
				port->name = scanner_text(scanner, name, rest);
		}
		scanner->port = port;
		scanner->block = BLOCK_LPC_PORT;
		if (headings[i].kind == PORT_LPC_SERVER_CONNECTION)
			scanner->lpc_server_connection_port = port;
		return true;
	}
	return false;
}

/* The message a "!lpc message N" or "!lpc thread A" search is about. */
static struct message *searched_message(struct scanner *scanner)
{
	maybe_u64 id = scanner->lpc_message_id;
	if (!id.known && scanner->lpc_searched_thread.known) {
		struct thread *thread = snapshot_find_thread(scanner->snapshot,
							     scanner->lpc_searched_thread.value);
		if (thread)
			id = thread->lpc_wait_message_id;
	}
	if (!id.known)
		return NULL;
	return snapshot_message(scanner->snapshot, FLAVOR_LPC, UNKNOWN_U64, id, scanner->here);
}

/* " 0000 e20d9b80 - Busy  Id=0002249c  From: 0584.0680  Context=00000021  [e14ae248 . e14ae248]" */
static bool read_queue_entry(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t index, address, id, pid, tid, context;
	if (!cursor_take_hex(&cursor, &index, NULL) || !cursor_take_hex(&cursor, &address, NULL) ||
	    !cursor_take(&cursor, "-"))
		return false;
	const char *state;
	size_t state_length;
	if (!cursor_take_token(&cursor, &state, &state_length) || !cursor_take(&cursor, "Id=") ||
	    !cursor_take_hex(&cursor, &id, NULL))
		return false;
	struct message *message = snapshot_message(scanner->snapshot, FLAVOR_LPC, known_u64(address),
						   known_u64(id), scanner->here);
	message->lpc_state = scanner_text(scanner, state, state_length);
	struct port *port = scanner->port;
	message->queue = QUEUE_LPC_MESSAGES;
	maybe_fill(&message->queue_port, port->address);
	maybe_fill(&message->queue_port_owner, port->owner_process);
	u64_vec_push_unique(&port->queues[QUEUE_LPC_MESSAGES].messages, address);
	if (cursor_take_word(&cursor, "From:") && cursor_take_hex_pair(&cursor, &pid, &tid)) {
		message->client_pid = known_u64(pid);
		message->client_tid = known_u64(tid);
		scanner_process(scanner, UNKNOWN_U64, known_u64(pid));
	}
	if (cursor_take(&cursor, "Context=") && cursor_take_hex(&cursor, &context, NULL))
		message->lpc_context = known_u64(context);
	/* "[flink . blink]": the message's Entry in the queue. */
	uint64_t flink, blink;
	if (cursor_take(&cursor, "[") && cursor_take_hex(&cursor, &flink, NULL) && cursor_take(&cursor, ".") &&
	    cursor_take_hex_prefix(&cursor, &blink, NULL) && cursor_take(&cursor, "]")) {
		message->lpc_flink = known_u64(flink);
		message->lpc_blink = known_u64(blink);
	}
	scanner->message = message;
	return true;
}

/* "Data: 00000000 0002021e 00000584 …" under a queue entry: as many
 * 32-bit words as the line holds, up to the model's six. */
static void read_queue_entry_data(struct scanner *scanner, const char *text, size_t length)
{
	struct message *message = scanner->message;
	if (!message)
		return;
	struct cursor cursor = cursor_of(text, length);
	cursor_take(&cursor, "Data:");
	uint32_t words[MESSAGE_DATA_WORDS];
	uint8_t count = 0;
	uint64_t word;
	while (count < MESSAGE_DATA_WORDS && cursor_take_hex(&cursor, &word, NULL) && word <= UINT32_MAX)
		words[count++] = (uint32_t)word;
	if (count) {
		memcpy(message->lpc_data, words, count * sizeof *words);
		message->lpc_data_count = count;
	}
}

/* " Length=0098007c  Type=00000001 (LPC_REQUEST)" after a queue entry. */
static bool read_queue_entry_type(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t raw_length, type;
	if (!cursor_take(&cursor, "Length=") || !cursor_take_hex(&cursor, &raw_length, NULL))
		return false;
	struct message *message = scanner->message;
	if (!message)
		return true;
	/* PORT_MESSAGE.u1: DataLength in the low word, TotalLength in the high. */
	message->data_length = known_u64(raw_length & 0xffff);
	message->total_length = known_u64(raw_length >> 16);
	if (cursor_take(&cursor, "Type=") && cursor_take_hex(&cursor, &type, NULL)) {
		message->type_number = known_u64(type);
		const char *name = NULL;
		size_t name_length = 0;
		if (cursor_take(&cursor, "(")) {
			const char *close = memchr(cursor.at, ')', (size_t)(cursor.end - cursor.at));
			if (close) {
				name = cursor.at;
				name_length = (size_t)(close - cursor.at);
			}
		}
		if (name_length)
			message->type = scanner_text(scanner, name, name_length);
		if ((type & 0xff) == LPC_REQUEST_TYPE && message->client_pid.known &&
		    message->client_tid.known && message->id.known) {
			struct thread *sender = scanner_thread(scanner, UNKNOWN_U64, message->client_pid,
							       message->client_tid);
			maybe_fill(&sender->lpc_wait_message_id, message->id);
		}
	}
	return true;
}

static bool read_port_detail(struct scanner *scanner, const char *text, size_t length)
{
	struct port *port = scanner->port;
	struct cursor cursor = cursor_of(text, length);
	uint64_t value;
	if (cursor_take_word(&cursor, "Handles:")) {
		if (cursor_take_decimal(&cursor, &value))
			port->handles = known_u64(value);
		if (cursor_take_word(&cursor, "References:") && cursor_take_decimal(&cursor, &value))
			port->references = known_u64(value);
		return true;
	}
	if (cursor_take(&cursor, "Server process") && cursor_take(&cursor, ":")) {
		uint64_t address;
		unsigned digits;
		const char *image;
		size_t image_length;
		if (take_address_with_label(&cursor, &address, &digits, &image, &image_length, '(', ')')) {
			port->owner_process = known_u64(address);
			struct process *process = scanner_process(scanner, known_u64(address), UNKNOWN_U64);
			if (image && image_length && !process->image)
				process->image = scanner_text(scanner, image, image_length);
		}
		return true;
	}
	if (cursor_take(&cursor, "Queue semaphore") && cursor_take(&cursor, ":")) {
		if (cursor_take_hex(&cursor, &value, NULL))
			port->queue_semaphore = known_u64(value);
		return true;
	}
	if (cursor_take(&cursor, "Semaphore state")) {
		if (cursor_take_decimal(&cursor, &value))
			port->semaphore_state = known_u64(value);
		return true;
	}
	if (text_starts_with(text, "Messages in queue:")) {
		scanner->queue = QUEUE_LPC_MESSAGES;
		return true;
	}
	if (text_starts_with(text, "The message queue is empty")) {
		port->queues[QUEUE_LPC_MESSAGES].length = known_u64(0);
		return true;
	}
	if (text_starts_with(text, "The LpcDataInfoChainHead queue is empty")) {
		port->queues[QUEUE_LPC_DATA_INFO].length = known_u64(0);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "The message queue contains") && cursor_take_decimal(&cursor, &value)) {
		port->queues[QUEUE_LPC_MESSAGES].length = known_u64(value);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "The LpcDataInfoChainHead queue contains") &&
	    cursor_take_decimal(&cursor, &value)) {
		port->queues[QUEUE_LPC_DATA_INFO].length = known_u64(value);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take_word(&cursor, "Connected port:")) {
		if (cursor_take_hex(&cursor, &value, NULL) && value) {
			port->connected_port = known_u64(value);
			lpc_port(scanner, value, PORT_KIND_UNKNOWN);
		}
		if (cursor_take(&cursor, "Server connection port:") &&
		    cursor_take_hex(&cursor, &value, NULL) && value) {
			port->connection_port = known_u64(value);
			lpc_port(scanner, value, PORT_LPC_SERVER_CONNECTION);
		}
		return true;
	}
	if (text_starts_with(text, "Data:")) {
		if (scanner->queue == QUEUE_LPC_MESSAGES)
			read_queue_entry_data(scanner, text, length);
		return true;
	}
	if (scanner->queue == QUEUE_LPC_MESSAGES &&
	    (read_queue_entry(scanner, text, length) || read_queue_entry_type(scanner, text, length)))
		return true;
	return false;
}

/* "Client thread 842a4db0 waiting a reply from 222be" */
static bool read_search_result(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t thread_address, id;
	if (cursor_take(&cursor, "Client thread") && cursor_take_hex(&cursor, &thread_address, NULL) &&
	    cursor_take(&cursor, "waiting a reply from") && cursor_take_hex(&cursor, &id, NULL)) {
		struct thread *thread = scanner_thread(scanner, known_u64(thread_address), UNKNOWN_U64,
						       UNKNOWN_U64);
		maybe_fill(&thread->lpc_wait_message_id, known_u64(id));
		struct message *message = snapshot_message(scanner->snapshot, FLAVOR_LPC, UNKNOWN_U64,
							   known_u64(id), scanner->here);
		maybe_fill(&message->waiting_thread, known_u64(thread_address));
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "Searching thread") && cursor_take_hex(&cursor, &thread_address, NULL)) {
		scanner->lpc_searched_thread = known_u64(thread_address);
		scanner_thread(scanner, known_u64(thread_address), UNKNOWN_U64, UNKNOWN_U64);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "Searching message") && cursor_take_hex(&cursor, &id, NULL)) {
		scanner->lpc_message_id = known_u64(id);
		return true;
	}
	cursor = cursor_of(text, length);
	uint64_t objects;
	if (cursor_take(&cursor, "Scanning") && cursor_take_decimal(&cursor, &objects) &&
	    cursor_take_word(&cursor, "objects")) {
		/* `!lpc port`'s count of the port objects it went through, more
		 * than the lines a trimmed transcript keeps. */
		scanner->snapshot->system.lpc_objects_scanned = known_u64(objects);
		return true;
	}
	if (text_starts_with(text, "Scanning ") || (length == 5 && memcmp(text, "Done.", 5) == 0))
		return true;
	return false;
}

/* At the end of a !lpc message/thread search, the server connection port
 * listed is where the waiting thread's request went. */
static void attribute_search(struct scanner *scanner)
{
	struct message *message = searched_message(scanner);
	struct port *server = scanner->lpc_server_connection_port;
	if (message && server)
		maybe_fill(&message->queue_port, server->address);
}

bool read_lpc_listing(struct scanner *scanner, const char *text, size_t length)
{
	if (read_port_list_line(scanner, text, length))
		return true;
	if (read_port_heading(scanner, text, length)) {
		if (scanner->command.kind == COMMAND_LPC)
			attribute_search(scanner);
		return true;
	}
	if (scanner->block == BLOCK_LPC_PORT && scanner->port && read_port_detail(scanner, text, length))
		return true;
	return read_search_result(scanner, text, length);
}
