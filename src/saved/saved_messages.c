/* Messages and connection lines of a saved input (docs/json.md
 * "Messages", "Connections"). */
#include "saved_internal.h"

static void read_yes_no(struct saved_reader *reader, json_object *record, const char *key,
			enum yes_no *value)
{
	enum yes_no read = saved_yes_no(reader, record, key);
	if (*value == YES_NO_UNKNOWN)
		*value = read;
}

/* "lpc_data": the first 32-bit words after the PORT_MESSAGE header, as
 * many as were read, at most six; they stop at the first bad one. */
static void read_lpc_data(struct saved_reader *reader, struct message *message, json_object *record)
{
	json_object *words = saved_array(reader, record, "lpc_data");
	if (!words || message->lpc_data_count)
		return;
	size_t length = json_object_array_length(words);
	size_t key = saved_enter_key(reader, "lpc_data");
	if (length > MESSAGE_DATA_WORDS)
		saved_problem(reader, "%zu words: more than the %d `!lpc` shows", length,
			      MESSAGE_DATA_WORDS);
	uint8_t count = 0;
	for (size_t i = 0; i < length && i < MESSAGE_DATA_WORDS; i++) {
		size_t mark = saved_enter_index(reader, i);
		json_object *word = json_object_array_get_idx(words, i);
		maybe_u64 value = saved_uint_value(reader, word, UINT32_MAX);
		if (!word)
			saved_problem(reader, "null among the data words");
		saved_leave(reader, mark);
		if (!value.known)
			break;
		message->lpc_data[count++] = (uint32_t)value.value;
	}
	saved_leave(reader, key);
	message->lpc_data_count = count;
}

static void read_message(struct saved_reader *reader, json_object *record)
{
	enum ipc_flavor flavor = (enum ipc_flavor)saved_flavor(reader, record, "flavor");
	maybe_u64 address = saved_address(reader, record, "address");
	maybe_u64 id = saved_uint(reader, record, "id");
	struct message *message = snapshot_message(reader->snapshot, flavor, address, id,
						   saved_first_origin(reader, record));
	/* An ALPC message's id is not its key: the first one read stays. */
	maybe_fill(&message->id, id);
	maybe_fill(&message->callback_id, saved_uint(reader, record, "callback_id"));
	maybe_fill(&message->sequence_number, saved_uint(reader, record, "sequence_number"));
	if (!message->type)
		message->type = saved_text(reader, record, "type");
	maybe_fill(&message->type_number, saved_uint(reader, record, "type_number"));
	maybe_fill(&message->data_length, saved_uint(reader, record, "data_length"));
	maybe_fill(&message->total_length, saved_uint(reader, record, "total_length"));
	read_yes_no(reader, record, "canceled", &message->canceled);
	read_yes_no(reader, record, "release", &message->release);
	read_yes_no(reader, record, "reply_wait_reply", &message->reply_wait_reply);
	read_yes_no(reader, record, "continuation", &message->continuation);
	read_yes_no(reader, record, "quota_charged", &message->quota_charged);
	maybe_fill(&message->owner_port, saved_address(reader, record, "owner_port"));
	int owner_kind = saved_port_kind(reader, record, "owner_port_kind");
	if (message->owner_port_kind == PORT_KIND_UNKNOWN)
		message->owner_port_kind = (enum port_kind)owner_kind;
	maybe_fill(&message->waiting_thread, saved_address(reader, record, "waiting_thread"));
	int queue = saved_queue_kind(reader, record, "queue");
	if (message->queue == QUEUE_UNKNOWN)
		message->queue = (enum queue_kind)queue;
	maybe_fill(&message->queue_port, saved_address(reader, record, "queue_port"));
	int queue_port_kind = saved_port_kind(reader, record, "queue_port_kind");
	if (message->queue_port_kind == PORT_KIND_UNKNOWN)
		message->queue_port_kind = (enum port_kind)queue_port_kind;
	maybe_fill(&message->queue_port_owner, saved_address(reader, record, "queue_port_owner"));
	maybe_fill(&message->server_thread, saved_address(reader, record, "server_thread"));
	maybe_fill(&message->cancel_queue_port, saved_address(reader, record, "cancel_queue_port"));
	maybe_fill(&message->cancel_sequence_port,
		   saved_address(reader, record, "cancel_sequence_port"));
	maybe_fill(&message->cancel_sequence_number,
		   saved_uint(reader, record, "cancel_sequence_number"));
	maybe_fill(&message->client_context, saved_address(reader, record, "client_context"));
	maybe_fill(&message->server_context, saved_address(reader, record, "server_context"));
	maybe_fill(&message->port_context, saved_address(reader, record, "port_context"));
	maybe_fill(&message->cancel_port_context,
		   saved_address(reader, record, "cancel_port_context"));
	maybe_fill(&message->security_data, saved_address(reader, record, "security_data"));
	maybe_fill(&message->view, saved_address(reader, record, "view"));
	if (!message->lpc_state)
		message->lpc_state = saved_text(reader, record, "lpc_state");
	maybe_fill(&message->client_pid, saved_uint(reader, record, "client_pid"));
	maybe_fill(&message->client_tid, saved_uint(reader, record, "client_tid"));
	maybe_fill(&message->lpc_context, saved_address(reader, record, "lpc_context"));
	maybe_fill(&message->lpc_flink, saved_address(reader, record, "lpc_flink"));
	maybe_fill(&message->lpc_blink, saved_address(reader, record, "lpc_blink"));
	read_lpc_data(reader, message, record);
	saved_add_origins(reader, record, &message->origin);
}

void saved_read_messages(struct saved_reader *reader, json_object *input)
{
	saved_each_record(reader, input, "messages", read_message);
}

static void read_connection(struct saved_reader *reader, json_object *record)
{
	struct port_connection *connection =
		snapshot_add_connection(reader->snapshot, saved_first_origin(reader, record));
	connection->connection_port = saved_address(reader, record, "connection_port");
	connection->server_port = saved_address(reader, record, "server_port");
	connection->client_port = saved_address(reader, record, "client_port");
	connection->server_queued = saved_uint(reader, record, "server_queued");
	connection->client_queued = saved_uint(reader, record, "client_queued");
	connection->server_process = saved_address(reader, record, "server_process");
	connection->client_process = saved_address(reader, record, "client_process");
}

void saved_read_connections(struct saved_reader *reader, json_object *input)
{
	saved_each_record(reader, input, "connections", read_connection);
}
