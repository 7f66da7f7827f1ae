/* RPC run-time state as `!rpcexts` and DbgRpc print it (MS docs pages
 * quoted in debugger-output-formats.md §3.8–3.9; the Session A pages of
 * ../shared/corpus/transcripts):
 *
 *   tables, after a "PID  CELL ID   ST …" header and a dashed rule:
 *     endpoints     PID CELL ID ST PROTSEQ ENDPOINT
 *     threads       PID CELL ID ST TID LASTTIME
 *     server calls  PID CELL ID ST PNO IFSTART TIDNUMBER|THRDCELL CALLFLAG CALLID LASTTIME CONN/CLN
 *     client calls  PID CELL ID PNO IFSTART TIDNUMBER CALLID LASTTIME PS CLTNUMBER ENDPOINT
 *   one cell (getdbgcell, dbgrpc -l): "Getting cell info ...", the cell's
 *     kind ("Call", "Thread", "Connection", "Endpoint"), then "Key: value";
 *   rpcreadstack: "CallID: 1", "IfStart: …", "ProcNum: 0", "Protocol
 *     Sequence: "ncacn_ip_tcp"", "NetworkAddress: """, "Endpoint: "1120"".
 *
 * Numbers are hex except "Procedure Number" (decimal: row PNO 00b is
 * "Procedure Number: 11").  Times "470.25 (0x1D6.19)" are seconds and
 * milliseconds since boot (0x19 = 25 ms), as LASTTIME's 0x72c09 = 470025 ms
 * shows.  CONN/CLN is a connection cell (high part 0) or the caller's
 * pid.tid.  The CALLFLAG bit 0x8 is LRPC ("Call Flags: cached, LRPC" for
 * 00000009).  Cached rows in state 00 still name a past caller, so no
 * thread is made for them. */
#include <string.h>
#include <strings.h>

#include "scanner.h"

/* ---- tables ---------------------------------------------------------- */

static bool read_table_header(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	cursor_take(&cursor, "##"); /* a Markdown artefact of the MS docs pages */
	if (!cursor_take_word(&cursor, "PID") || !cursor_take_word(&cursor, "CELL") ||
	    !cursor_take_word(&cursor, "ID"))
		return false;
	scanner_close_block(scanner);
	scanner->rpc_columns[0] = RPC_COLUMN_PID;
	scanner->rpc_columns[1] = RPC_COLUMN_CELL;
	unsigned count = 2;
	bool protseq = false, client = false, callflag = false, tid = false;
	const char *word;
	size_t word_length;
	while (count < RPC_TABLE_MAX_COLUMNS && cursor_take_token(&cursor, &word, &word_length)) {
		static const struct {
			const char *name;
			enum rpc_column column;
		} names[] = {
			{ "ST", RPC_COLUMN_STATUS },      { "PROTSEQ", RPC_COLUMN_PROTSEQ },
			{ "ENDPOINT", RPC_COLUMN_ENDPOINT }, { "TID", RPC_COLUMN_TID },
			{ "LASTTIME", RPC_COLUMN_LASTTIME }, { "PNO", RPC_COLUMN_PNO },
			{ "IFSTART", RPC_COLUMN_IFSTART }, { "TIDNUMBER", RPC_COLUMN_THREAD_CELL },
			{ "THRDCELL", RPC_COLUMN_THREAD_CELL }, { "CALLFLAG", RPC_COLUMN_CALLFLAG },
			{ "CALLID", RPC_COLUMN_CALLID },  { "CONN/CLN", RPC_COLUMN_CONN },
			{ "PS", RPC_COLUMN_PS },          { "CLTNUMBER", RPC_COLUMN_CLIENT_CELL },
		};
		enum rpc_column column = RPC_COLUMN_UNKNOWN;
		for (size_t i = 0; i < sizeof names / sizeof *names; i++)
			if (strlen(names[i].name) == word_length &&
			    strncmp(names[i].name, word, word_length) == 0)
				column = names[i].column;
		protseq |= column == RPC_COLUMN_PROTSEQ;
		client |= column == RPC_COLUMN_CLIENT_CELL;
		callflag |= column == RPC_COLUMN_CALLFLAG;
		tid |= column == RPC_COLUMN_TID;
		scanner->rpc_columns[count++] = column;
	}
	scanner->rpc_column_count = count;
	scanner->rpc_table = protseq    ? RPC_TABLE_ENDPOINTS
			     : client   ? RPC_TABLE_CLIENT_CALLS
			     : callflag ? RPC_TABLE_SERVER_CALLS
			     : tid      ? RPC_TABLE_THREADS
					: RPC_TABLE_NONE;
	scanner->block = scanner->rpc_table ? BLOCK_RPC_TABLE : BLOCK_NONE;
	return true;
}

static bool is_rule(const char *text, size_t length)
{
	for (size_t i = 0; i < length; i++)
		if (text[i] != '-')
			return false;
	return length >= 3;
}

static maybe_cell cell_of(uint64_t high, uint64_t low)
{
	return high <= 0xffff && low <= 0xffff ? known_u64(high << 16 | low) : UNKNOWN_U64;
}

struct row {
	uint64_t value[RPC_TABLE_MAX_COLUMNS];
	uint64_t low[RPC_TABLE_MAX_COLUMNS]; /* the second half of a cell */
	bool present[RPC_TABLE_MAX_COLUMNS];
	const char *rest;      /* the last column's text (an endpoint name) */
	size_t rest_length;
};

static bool column_is_cell(enum rpc_column column)
{
	return column == RPC_COLUMN_CELL || column == RPC_COLUMN_THREAD_CELL ||
	       column == RPC_COLUMN_CONN || column == RPC_COLUMN_CLIENT_CELL;
}

static bool read_row(struct scanner *scanner, const char *text, size_t length, struct row *row)
{
	memset(row, 0, sizeof *row);
	struct cursor cursor = cursor_of(text, length);
	for (unsigned i = 0; i < scanner->rpc_column_count; i++) {
		enum rpc_column column = scanner->rpc_columns[i];
		cursor_skip_blanks(&cursor);
		if (column == RPC_COLUMN_ENDPOINT) {
			size_t rest = (size_t)(cursor.end - cursor.at);
			row->rest = cursor.at;
			row->rest_length = rest;
			row->present[i] = rest > 0;
			return true;
		}
		if (column == RPC_COLUMN_PROTSEQ) {
			const char *token;
			size_t token_length;
			if (!cursor_take_token(&cursor, &token, &token_length))
				return false;
			row->rest = token;
			row->rest_length = token_length;
			row->present[i] = true;
			continue;
		}
		if (column_is_cell(column)) {
			if (!cursor_take_hex_pair(&cursor, &row->value[i], &row->low[i]))
				return false;
		} else if (!cursor_take_hex(&cursor, &row->value[i], NULL)) {
			return false;
		}
		row->present[i] = true;
	}
	return true;
}

static maybe_u64 row_value(const struct scanner *scanner, const struct row *row,
			   enum rpc_column column)
{
	for (unsigned i = 0; i < scanner->rpc_column_count; i++)
		if (scanner->rpc_columns[i] == column && row->present[i])
			return column_is_cell(column) ? cell_of(row->value[i], row->low[i])
						      : known_u64(row->value[i]);
	return UNKNOWN_U64;
}

static bool row_pair(const struct scanner *scanner, const struct row *row, enum rpc_column column,
		     uint64_t *high, uint64_t *low)
{
	for (unsigned i = 0; i < scanner->rpc_column_count; i++)
		if (scanner->rpc_columns[i] == column && row->present[i]) {
			*high = row->value[i];
			*low = row->low[i];
			return true;
		}
	return false;
}

static void read_endpoint_row(struct scanner *scanner, const struct row *row, maybe_u64 pid,
			      maybe_cell cell, const char *text, size_t length)
{
	struct rpc_endpoint *endpoint = snapshot_rpc_endpoint(scanner->snapshot, pid, cell, scanner->here);
	endpoint->status = row_value(scanner, row, RPC_COLUMN_STATUS);
	/* PROTSEQ then ENDPOINT: row->rest is the endpoint; find the protocol
	 * token just before it. */
	struct cursor cursor = cursor_of(text, length);
	const char *token;
	size_t token_length;
	for (unsigned i = 0; i < scanner->rpc_column_count; i++) {
		if (!cursor_take_token(&cursor, &token, &token_length))
			break;
		if (scanner->rpc_columns[i] == RPC_COLUMN_PROTSEQ) {
			endpoint->protocol = scanner_text(scanner, token, token_length);
			break;
		}
	}
	if (row->rest && row->rest_length && scanner->rpc_columns[scanner->rpc_column_count - 1] ==
						     RPC_COLUMN_ENDPOINT)
		endpoint->name = scanner_text(scanner, row->rest, row->rest_length);
}

static void read_server_call_row(struct scanner *scanner, const struct row *row, maybe_u64 pid,
				 maybe_cell cell)
{
	struct rpc_server_call *call = snapshot_rpc_server_call(scanner->snapshot, pid, cell, scanner->here);
	maybe_fill(&call->status, row_value(scanner, row, RPC_COLUMN_STATUS));
	maybe_fill(&call->procedure, row_value(scanner, row, RPC_COLUMN_PNO));
	maybe_fill(&call->interface_start, row_value(scanner, row, RPC_COLUMN_IFSTART));
	maybe_fill(&call->thread_cell, row_value(scanner, row, RPC_COLUMN_THREAD_CELL));
	maybe_fill(&call->call_flags, row_value(scanner, row, RPC_COLUMN_CALLFLAG));
	maybe_fill(&call->call_id, row_value(scanner, row, RPC_COLUMN_CALLID));
	maybe_fill(&call->last_time, row_value(scanner, row, RPC_COLUMN_LASTTIME));
	uint64_t high, low;
	if (!row_pair(scanner, row, RPC_COLUMN_CONN, &high, &low))
		return;
	if (high == 0) {
		call->party = RPC_PARTY_CONNECTION;
		call->connection_cell = cell_of(high, low);
		return;
	}
	call->party = RPC_PARTY_CALLER;
	call->caller_pid = known_u64(high);
	call->caller_tid = known_u64(low);
	/* Only a live call says its caller exists now. */
	bool live = call->status.known &&
		    (call->status.value == RPC_CALL_ACTIVE || call->status.value == RPC_CALL_DISPATCHED);
	if (live) {
		scanner_process(scanner, UNKNOWN_U64, call->caller_pid);
		scanner_thread(scanner, UNKNOWN_U64, call->caller_pid, call->caller_tid);
	}
}

static bool read_table_row(struct scanner *scanner, const char *text, size_t length)
{
	struct row row;
	if (!read_row(scanner, text, length, &row))
		return false;
	maybe_u64 pid = row_value(scanner, &row, RPC_COLUMN_PID);
	maybe_cell cell = row_value(scanner, &row, RPC_COLUMN_CELL);
	if (pid.known)
		scanner_process(scanner, UNKNOWN_U64, pid);
	switch (scanner->rpc_table) {
	case RPC_TABLE_ENDPOINTS:
		read_endpoint_row(scanner, &row, pid, cell, text, length);
		break;
	case RPC_TABLE_THREADS: {
		struct rpc_thread *thread = snapshot_rpc_thread(scanner->snapshot, pid, cell, scanner->here);
		thread->status = row_value(scanner, &row, RPC_COLUMN_STATUS);
		thread->tid = row_value(scanner, &row, RPC_COLUMN_TID);
		thread->last_time = row_value(scanner, &row, RPC_COLUMN_LASTTIME);
		if (pid.known && thread->tid.known)
			scanner_thread(scanner, UNKNOWN_U64, pid, thread->tid);
		break;
	}
	case RPC_TABLE_SERVER_CALLS:
		read_server_call_row(scanner, &row, pid, cell);
		break;
	case RPC_TABLE_CLIENT_CALLS: {
		struct rpc_client_call *call = snapshot_rpc_client_call(scanner->snapshot, pid, cell,
								      scanner->here);
		call->procedure = row_value(scanner, &row, RPC_COLUMN_PNO);
		call->interface_start = row_value(scanner, &row, RPC_COLUMN_IFSTART);
		call->thread_cell = row_value(scanner, &row, RPC_COLUMN_THREAD_CELL);
		call->call_id = row_value(scanner, &row, RPC_COLUMN_CALLID);
		call->last_time = row_value(scanner, &row, RPC_COLUMN_LASTTIME);
		call->protocol_id = row_value(scanner, &row, RPC_COLUMN_PS);
		call->client_cell = row_value(scanner, &row, RPC_COLUMN_CLIENT_CELL);
		if (row.rest && row.rest_length)
			call->endpoint = scanner_text(scanner, row.rest, row.rest_length);
		break;
	}
	default:
		break;
	}
	return true;
}

/* ---- one cell ------------------------------------------------------------ */

/* "470.25 (0x1D6.19)": seconds and milliseconds. */
static maybe_u64 time_of(struct cursor value)
{
	uint64_t seconds, milliseconds = 0;
	if (!cursor_take_decimal(&value, &seconds))
		return UNKNOWN_U64;
	if (cursor_take(&value, "."))
		cursor_take_decimal(&value, &milliseconds);
	return known_u64(seconds * 1000 + milliseconds);
}

static maybe_u64 hex_of(struct cursor value)
{
	uint64_t number;
	return cursor_take_hex(&value, &number, NULL) ? known_u64(number) : UNKNOWN_U64;
}

static maybe_cell dotted_cell_of(struct cursor value)
{
	uint64_t high, low;
	return cursor_take_hex_pair(&value, &high, &low) ? cell_of(high, low) : UNKNOWN_U64;
}

static maybe_u64 status_of(struct cursor value, enum rpc_cell_kind kind)
{
	static const struct {
		const char *name;
		enum rpc_cell_kind kind;
		uint64_t code;
	} names[] = {
		{ "Allocated", RPC_CELL_CALL, RPC_CALL_ALLOCATED },
		{ "Active", RPC_CELL_CALL, RPC_CALL_ACTIVE },
		{ "Dispatched", RPC_CELL_CALL, RPC_CALL_DISPATCHED },
		{ "Dispatched", RPC_CELL_THREAD, RPC_THREAD_DISPATCHED },
		{ "Idle", RPC_CELL_THREAD, RPC_THREAD_IDLE },
		{ "Active", RPC_CELL_ENDPOINT, RPC_ENDPOINT_ACTIVE },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].kind == kind && cursor_take_word(&value, names[i].name))
			return known_u64(names[i].code);
	return UNKNOWN_U64;
}

static const char *rest_of(struct scanner *scanner, struct cursor value)
{
	cursor_skip_blanks(&value);
	size_t length = (size_t)(value.end - value.at);
	return length ? scanner_text(scanner, value.at, length) : NULL;
}

static bool read_call_field(struct scanner *scanner, struct rpc_server_call *call, const char *key,
			    struct cursor value)
{
	uint64_t number, high, low;
	if (strcmp(key, "Status") == 0)
		call->status = status_of(value, RPC_CELL_CALL);
	else if (strcmp(key, "Procedure Number") == 0) {
		if (cursor_take_decimal(&value, &number))
			call->procedure = known_u64(number);
	} else if (strcmp(key, "Interface UUID start (first DWORD only)") == 0)
		call->interface_start = hex_of(value);
	else if (strcmp(key, "Call ID") == 0)
		call->call_id = hex_of(value);
	else if (strcmp(key, "Servicing thread identifier") == 0)
		call->thread_cell = dotted_cell_of(value);
	else if (strcmp(key, "Call Flags") == 0)
		call->call_flag_names = rest_of(scanner, value);
	else if (strcmp(key, "Last update time (in seconds since boot)") == 0)
		call->last_time = time_of(value);
	else if (strcmp(key, "Caller (PID/TID) is") == 0) {
		if (cursor_take_hex_pair(&value, &high, &low)) {
			call->party = RPC_PARTY_CALLER;
			call->caller_pid = known_u64(high);
			call->caller_tid = known_u64(low);
			scanner_process(scanner, UNKNOWN_U64, call->caller_pid);
			scanner_thread(scanner, UNKNOWN_U64, call->caller_pid, call->caller_tid);
		}
	} else if (strcmp(key, "Owning connection identifier") == 0) {
		call->connection_cell = dotted_cell_of(value);
		if (call->party == RPC_PARTY_UNKNOWN && call->connection_cell.known)
			call->party = RPC_PARTY_CONNECTION;
	} else
		return false;
	return true;
}

static bool read_thread_field(struct scanner *scanner, struct rpc_thread *thread, const char *key,
			      struct cursor value)
{
	if (strcmp(key, "Status") == 0)
		thread->status = status_of(value, RPC_CELL_THREAD);
	else if (strcmp(key, "Thread ID") == 0) {
		thread->tid = hex_of(value);
		if (thread->pid.known && thread->tid.known)
			scanner_thread(scanner, UNKNOWN_U64, thread->pid, thread->tid);
	} else if (strcmp(key, "Last update time (in seconds since boot)") == 0)
		thread->last_time = time_of(value);
	else
		return false;
	return true;
}

static bool read_connection_field(struct scanner *scanner, struct rpc_connection *connection,
				  const char *key, struct cursor value)
{
	if (strcmp(key, "Connection flags") == 0)
		connection->flags = rest_of(scanner, value);
	else if (strcmp(key, "Authentication Level") == 0)
		connection->authentication_level = rest_of(scanner, value);
	else if (strcmp(key, "Authentication Service") == 0)
		connection->authentication_service = rest_of(scanner, value);
	else if (strcmp(key, "Endpoint for the connection") == 0)
		connection->endpoint_cell = dotted_cell_of(value);
	else if (strcmp(key, "Last send time (in seconds since boot)") == 0)
		connection->last_send_time = time_of(value);
	else if (strcmp(key, "Last receive time (in seconds since boot)") == 0)
		connection->last_receive_time = time_of(value);
	else if (strcmp(key, "Last Transmit Fragment Size") == 0)
		; /* read, not kept */
	else
		return false;
	return true;
}

static bool read_endpoint_field(struct scanner *scanner, struct rpc_endpoint *endpoint,
				const char *key, struct cursor value)
{
	if (strcmp(key, "Status") == 0)
		endpoint->status = status_of(value, RPC_CELL_ENDPOINT);
	else if (strcmp(key, "Protocol Sequence") == 0)
		endpoint->protocol = rest_of(scanner, value);
	else if (strcmp(key, "Endpoint name") == 0)
		endpoint->name = rest_of(scanner, value);
	else
		return false;
	return true;
}

/* The line naming the cell's kind, right after "Getting cell info ...". */
static bool read_cell_kind(struct scanner *scanner, const char *text, size_t length)
{
	static const struct {
		const char *word;
		enum rpc_cell_kind kind;
	} kinds[] = {
		{ "Call", RPC_CELL_CALL },           { "Thread", RPC_CELL_THREAD },
		{ "Connection", RPC_CELL_CONNECTION }, { "Endpoint", RPC_CELL_ENDPOINT },
	};
	struct snapshot *snapshot = scanner->snapshot;
	maybe_u64 pid = scanner->command.pid;
	maybe_cell cell = scanner->command.cell;
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		if (strlen(kinds[i].word) != length || memcmp(kinds[i].word, text, length) != 0)
			continue;
		scanner->rpc_cell = kinds[i].kind;
		if (pid.known)
			scanner_process(scanner, UNKNOWN_U64, pid);
		switch (kinds[i].kind) {
		case RPC_CELL_CALL:
			scanner->rpc_record = snapshot_rpc_server_call(snapshot, pid, cell, scanner->here);
			break;
		case RPC_CELL_THREAD:
			scanner->rpc_record = snapshot_rpc_thread(snapshot, pid, cell, scanner->here);
			break;
		case RPC_CELL_CONNECTION:
			scanner->rpc_record = snapshot_rpc_connection(snapshot, pid, cell, scanner->here);
			break;
		case RPC_CELL_ENDPOINT:
			scanner->rpc_record = snapshot_rpc_endpoint(snapshot, pid, cell, scanner->here);
			break;
		default:
			break;
		}
		return true;
	}
	return false;
}

static bool read_cell_line(struct scanner *scanner, const char *text, size_t length)
{
	if (!scanner->rpc_cell)
		return read_cell_kind(scanner, text, length);
	struct cursor cursor = cursor_of(text, length);
	uint64_t address;
	if (cursor_take(&cursor, "Process object for caller is") &&
	    cursor_take_hex(&cursor, &address, NULL)) {
		if (scanner->rpc_cell == RPC_CELL_CONNECTION) {
			struct rpc_connection *connection = scanner->rpc_record;
			connection->caller_process = known_u64(address);
			scanner_process(scanner, known_u64(address), UNKNOWN_U64);
		}
		return true;
	}
	if (text_starts_with(text, "Getting endpoint info"))
		return true;
	const char *colon = memchr(text, ':', length);
	if (!colon || colon == text)
		return false;
	char key[64];
	size_t key_length = (size_t)(colon - text);
	while (key_length && text[key_length - 1] == ' ')
		key_length--;
	if (key_length >= sizeof key)
		return false;
	memcpy(key, text, key_length);
	key[key_length] = '\0';
	struct cursor value = cursor_of(colon + 1, length - (size_t)(colon + 1 - text));
	switch (scanner->rpc_cell) {
	case RPC_CELL_CALL:
		return read_call_field(scanner, scanner->rpc_record, key, value);
	case RPC_CELL_THREAD:
		return read_thread_field(scanner, scanner->rpc_record, key, value);
	case RPC_CELL_CONNECTION:
		return read_connection_field(scanner, scanner->rpc_record, key, value);
	case RPC_CELL_ENDPOINT:
		return read_endpoint_field(scanner, scanner->rpc_record, key, value);
	default:
		return false;
	}
}

/* ---- rpcreadstack ------------------------------------------------------- */

static const char *quoted_of(struct scanner *scanner, struct cursor value)
{
	cursor_skip_blanks(&value);
	if (value.at >= value.end || *value.at != '"')
		return NULL;
	const char *start = value.at + 1;
	const char *end = memchr(start, '"', (size_t)(value.end - start));
	if (!end)
		return NULL;
	return scanner_text(scanner, start, (size_t)(end - start));
}

static struct rpc_client_call *readstack_call(struct scanner *scanner)
{
	if (!scanner->readstack_call) {
		struct rpc_client_call *call = snapshot_rpc_client_call(scanner->snapshot, UNKNOWN_U64,
								      UNKNOWN_U64, scanner->here);
		call->debugger_thread = scanner->prompt_thread;
		if (call->debugger_thread.known)
			snapshot_debugger_thread(scanner->snapshot, call->debugger_thread.value,
						 UNKNOWN_U64, UNKNOWN_U64, scanner->here);
		scanner->readstack_call = call;
	}
	return scanner->readstack_call;
}

static bool read_stack_call_line(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t number;
	if (cursor_take(&cursor, "CallID:") && cursor_take_hex(&cursor, &number, NULL)) {
		scanner->readstack_call = NULL; /* a new call */
		readstack_call(scanner)->call_id = known_u64(number);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "IfStart:") && cursor_take_hex(&cursor, &number, NULL)) {
		readstack_call(scanner)->interface_start = known_u64(number);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "ProcNum:") && cursor_take_hex(&cursor, &number, NULL)) {
		readstack_call(scanner)->procedure = known_u64(number);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "Protocol Sequence:")) {
		readstack_call(scanner)->protocol = quoted_of(scanner, cursor);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "NetworkAddress:")) {
		readstack_call(scanner)->network_address = quoted_of(scanner, cursor);
		return true;
	}
	cursor = cursor_of(text, length);
	if (cursor_take(&cursor, "Endpoint:")) {
		readstack_call(scanner)->endpoint = quoted_of(scanner, cursor);
		return true;
	}
	return false;
}

bool read_rpc_listing(struct scanner *scanner, const char *text, size_t length)
{
	if (read_table_header(scanner, text, length))
		return true;
	if (text_starts_with(text, "Searching for ") || text_starts_with(text, "Getting ")) {
		if (text_starts_with(text, "Getting cell info") ||
		    text_starts_with(text, "Getting remote cell info")) {
			scanner_close_block(scanner);
			scanner->block = BLOCK_RPC_CELL;
		}
		return true;
	}
	if (scanner->block == BLOCK_RPC_TABLE) {
		if (is_rule(text, length))
			return true;
		return read_table_row(scanner, text, length);
	}
	if (scanner->block == BLOCK_RPC_CELL)
		return read_cell_line(scanner, text, length);
	if (scanner->command.kind == COMMAND_RPC && strcmp(scanner->command.rpc_verb, "rpcreadstack") == 0)
		return read_stack_call_line(scanner, text, length);
	return false;
}
