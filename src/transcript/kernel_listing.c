/* `!process` and `!thread` output: PROCESS blocks (address, Cid, image)
 * and THREAD blocks (address, Cid, state, wait reason, wait objects) with
 * the lines that name what a thread waits for:
 *
 *   Waiting for reply to ALPC Message M : queued at port P : owned by process X   (Vista+)
 *   Waiting for reply to LPC MessageId N:          (XP/2003, with)
 *   Current LPC port P
 *   LPC Server thread working on message Id N      (the server side)
 *   85e9ba00  Mutant - owning thread 866d63e8
 *
 * Formats: ../shared/docs/debugger-output-formats.md §3.2 and the
 * transcripts of ../shared/corpus/transcripts; the LPC server line as the
 * issue that asked for it quotes it.  Book and blog copies wrap the THREAD
 * header after "Win32Thread:" or "WAIT:" and the ALPC line after "queued
 * at port"; both are joined back here. */
#include <stdlib.h>
#include <string.h>

#include "scanner.h"

/* Dispatcher object type names as `!thread` prints them in wait blocks. */
static const char *const wait_object_types[] = {
	"NotificationEvent", "SynchronizationEvent", "Semaphore", "Mutant", "NotificationTimer",
	"SynchronizationTimer", "QueueObject", "ProcessObject", "ThreadObject", "Thread",
	"Gate", "KeyedEvent", "EventPairObject", "Unknown", NULL,
};

static const char *const thread_states[] = {
	"WAIT", "RUNNING", "READY", "STANDBY", "TERMINATED", "TRANSITION", "INITIALIZED",
	"DEFERREDREADY", "GATEWAIT", "GATEWAITOBSOLETE", NULL,
};

/* ---- PROCESS ------------------------------------------------------------ */

/* The "Key: value"s of a process block that we keep. */
struct process_fields {
	bool any;
	maybe_u64 session_id, pid, parent_pid, handle_count;
	const char *image;
	size_t image_length;
};

/* Finds each field wherever it stands on the line ("PROCESS a SessionId: 0
 * Cid: 1f88 Peb: … ParentCid: …" is one line in some builds, three in
 * others). */
static struct process_fields parse_process_fields(const char *text, size_t length)
{
	struct process_fields fields = { false, UNKNOWN_U64, UNKNOWN_U64, UNKNOWN_U64, UNKNOWN_U64,
					 NULL, 0 };
	struct cursor cursor = cursor_of(text, length);
	uint64_t value;
	if (cursor_seek_after(&cursor, "SessionId:")) {
		/* Decimal ("SessionId: 205"), or "none" for System. */
		if (cursor_take_decimal(&cursor, &value))
			fields.session_id = known_u64(value);
		fields.any = true;
	}
	/* "Cid:" but not the "ParentCid:" that may come first on the line. */
	const char *cid = text_find(text, length, " Cid:");
	if (!cid && text_starts_with(text, "Cid:"))
		cid = text - 1;
	if (cid) {
		cursor = cursor_of(cid + 5, length - (size_t)(cid + 5 - text));
		if (cursor_take_hex(&cursor, &value, NULL))
			fields.pid = known_u64(value);
		fields.any = true;
	}
	cursor = cursor_of(text, length);
	if (cursor_seek_after(&cursor, "ParentCid:")) {
		if (cursor_take_hex(&cursor, &value, NULL))
			fields.parent_pid = known_u64(value);
		fields.any = true;
	}
	cursor = cursor_of(text, length);
	if (cursor_seek_after(&cursor, "HandleCount:")) {
		if (cursor_take_decimal(&cursor, &value))
			fields.handle_count = known_u64(value);
		fields.any = true;
	}
	if (text_starts_with(text, "Image:")) {
		size_t rest = length - 6;
		fields.image = text_trim_start(text + 6, &rest);
		fields.image_length = rest;
		fields.any = true;
	}
	return fields;
}

/* Why these fields cannot be the process already known at this address,
 * or NULL.  Image names differ in length only by truncation (/lpp keeps
 * 14 characters, ImageFileName 15), so a name that is no prefix of the
 * other is another process. */
static const char *other_process(const struct process *process, const struct process_fields *fields)
{
	if (fields->pid.known && process->pid.known && fields->pid.value != process->pid.value)
		return "the same process address with another Cid";
	if (fields->image_length && process->image) {
		size_t known = strlen(process->image);
		size_t shorter = known < fields->image_length ? known : fields->image_length;
		if (strncmp(process->image, fields->image, shorter) != 0)
			return "the same process address with another image";
	}
	return NULL;
}

/* The same address seen with another Cid or image is another dump pasted
 * in: a new capture, which the block's process moves to with what its
 * earlier lines said (the Cid, when only the image differs). */
static void read_process_fields_into(struct scanner *scanner, const struct process_fields *fields)
{
	struct process *process = scanner->process;
	const char *reason = scanner->merging ? NULL : other_process(process, fields);
	if (reason) {
		struct process before = *process;
		scanner_new_capture(scanner, reason);
		process = scanner->process;
		if (!fields->pid.known && before.pid.known)
			process = scanner_process(scanner, process->address, before.pid);
		maybe_fill(&process->session_id, before.session_id);
		maybe_fill(&process->parent_pid, before.parent_pid);
		maybe_fill(&process->handle_count, before.handle_count);
	}
	if (fields->pid.known)
		process = scanner_process(scanner, process->address, fields->pid);
	scanner->process = process;
	if (fields->session_id.known)
		process->session_id = fields->session_id;
	if (fields->parent_pid.known)
		process->parent_pid = fields->parent_pid;
	if (fields->handle_count.known)
		process->handle_count = fields->handle_count;
	if (fields->image_length)
		process->image = scanner_text(scanner, fields->image, fields->image_length);
}

static bool read_process_fields(struct scanner *scanner, const char *text, size_t length)
{
	struct process_fields fields = parse_process_fields(text, length);
	if (fields.any)
		read_process_fields_into(scanner, &fields);
	return fields.any;
}

static bool read_process_header(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text + 7, length - 7);
	uint64_t address;
	unsigned digits;
	if (!cursor_take_hex(&cursor, &address, &digits))
		return false;
	flush_stack_frames(scanner);
	scanner_close_block(scanner);
	scanner_saw_address(scanner, digits);
	scanner->process_header = scanner->here;
	scanner->process = scanner_process(scanner, known_u64(address), UNKNOWN_U64);
	scanner->block = BLOCK_PROCESS;
	read_process_fields(scanner, cursor.at, (size_t)(cursor.end - cursor.at));
	return true;
}

/* ---- THREAD ------------------------------------------------------------- */

/* "(WrLpcReply) UserMode Non-Alertable": a wait's reason and mode, after
 * "WAIT:" or, when a layout wrapped the header there, on the next line.
 * False when the text does not start with the reason. */
static bool read_wait_reason(struct scanner *scanner, struct thread *thread, struct cursor *cursor)
{
	struct cursor probe = *cursor;
	if (!cursor_take(&probe, "("))
		return false;
	const char *close = memchr(probe.at, ')', (size_t)(probe.end - probe.at));
	if (!close)
		return false;
	thread->wait_reason = scanner_text(scanner, probe.at, (size_t)(close - probe.at));
	probe.at = close + 1;
	const char *word;
	size_t length;
	if (cursor_take_token(&probe, &word, &length)) {
		if (length == 8 && strncmp(word, "UserMode", length) == 0)
			thread->wait_mode = "UserMode";
		else if (length == 10 && strncmp(word, "KernelMode", length) == 0)
			thread->wait_mode = "KernelMode";
	}
	*cursor = probe;
	return true;
}

/* "WAIT: (WrLpcReply) UserMode Non-Alertable", "RUNNING on processor 0".
 * *reason_missing is set for a "WAIT:" whose reason is not on this line. */
static bool read_thread_state(struct scanner *scanner, struct thread *thread, struct cursor *cursor,
			      bool *reason_missing)
{
	const char *word;
	size_t length;
	struct cursor probe = *cursor;
	*reason_missing = false;
	if (!cursor_take_token(&probe, &word, &length))
		return false;
	bool colon = length && word[length - 1] == ':';
	if (colon)
		length--;
	const char *state = NULL;
	for (const char *const *candidate = thread_states; *candidate; candidate++)
		if (strlen(*candidate) == length && strncmp(*candidate, word, length) == 0)
			state = *candidate;
	if (!state)
		return false;
	thread->state = state;
	*cursor = probe;
	/* Only "WAIT:" with its colon announces a reason; the short "WAIT"
	 * of `!alpc /p` thread lists has none. */
	if (!read_wait_reason(scanner, thread, cursor))
		*reason_missing = colon && strcmp(state, "WAIT") == 0 && cursor_at_end(cursor);
	return true;
}

/* The part of a THREAD header after Win32Thread:, on this line or the
 * next.  A header cut right after "WAIT:" stays open for its reason. */
static bool read_thread_header_tail(struct scanner *scanner, struct cursor *cursor)
{
	uint64_t win32;
	bool reason_missing;
	struct cursor probe = *cursor;
	cursor_take_hex(&probe, &win32, NULL);
	if (read_thread_state(scanner, scanner->thread, &probe, &reason_missing)) {
		scanner->thread_header_open = reason_missing;
		*cursor = probe;
		return true;
	}
	return false;
}

/* The next line of a THREAD header a layout wrapped: the rest after
 * "Win32Thread:", or the reason after "WAIT:". */
bool read_wrapped_thread_header(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	scanner->thread_header_open = false;
	if (scanner->thread->state && strcmp(scanner->thread->state, "WAIT") == 0 &&
	    read_wait_reason(scanner, scanner->thread, &cursor))
		return true;
	return read_thread_header_tail(scanner, &cursor);
}

struct thread *read_thread_header(struct scanner *scanner, const char *text, size_t length);

struct thread *read_thread_header(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t address, pid, tid;
	unsigned digits;
	if (!cursor_take_word(&cursor, "THREAD") || !cursor_take_hex(&cursor, &address, &digits))
		return NULL;
	maybe_u64 known_pid = UNKNOWN_U64, known_tid = UNKNOWN_U64;
	if (cursor_take_word(&cursor, "Cid") && cursor_take_hex_pair(&cursor, &pid, &tid)) {
		known_pid = known_u64(pid);
		known_tid = known_u64(tid);
	}
	scanner_saw_address(scanner, digits);
	struct thread *thread = scanner_thread(scanner, known_u64(address), known_pid, known_tid);
	scanner->thread = thread;
	if (cursor_seek_after(&cursor, "Win32Thread:")) {
		scanner->thread_header_open = true;
		read_thread_header_tail(scanner, &cursor);
	}
	return thread;
}

static bool read_thread_block_start(struct scanner *scanner, const char *text, size_t length)
{
	flush_stack_frames(scanner);
	struct process *owner = scanner->block == BLOCK_PROCESS || scanner->block == BLOCK_THREAD
					? scanner->process
					: NULL;
	struct snapshot *before = scanner->snapshot;
	struct thread *thread = read_thread_header(scanner, text, length);
	if (!thread)
		return false;
	if (scanner->snapshot != before)
		owner = NULL; /* the header started another capture */
	scanner->block = BLOCK_THREAD;
	scanner->frames_thread = thread;
	scanner->frame_count = 0;
	/* Threads listed under a PROCESS block belong to it. */
	if (owner && owner->address.known &&
	    (!thread->pid.known || !owner->pid.known || thread->pid.value == owner->pid.value))
		maybe_fill(&thread->process_address, owner->address);
	if (thread->pid.known)
		scanner_process(scanner, thread->process_address, thread->pid);
	scanner->process = owner;
	return true;
}

/* ---- lines inside a THREAD block ---------------------------------------- */

static struct message *waited_message(struct scanner *scanner, enum ipc_flavor flavor,
				      maybe_u64 address, maybe_u64 id)
{
	struct message *message = snapshot_message(scanner->snapshot, flavor, address, id, scanner->here);
	if (scanner->thread)
		maybe_fill(&message->waiting_thread, scanner->thread->address);
	return message;
}

static void read_alpc_wait(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t message_address, port_address, owner;
	if (!cursor_seek_after(&cursor, "ALPC Message") ||
	    !cursor_take_hex(&cursor, &message_address, NULL))
		return;
	struct thread *thread = scanner->thread;
	if (!thread)
		return;
	thread->alpc_wait_message = known_u64(message_address);
	struct message *message = waited_message(scanner, FLAVOR_ALPC, known_u64(message_address),
						 UNKNOWN_U64);
	if (cursor_seek_after(&cursor, "queued at port") &&
	    cursor_take_hex(&cursor, &port_address, NULL)) {
		thread->alpc_wait_port = known_u64(port_address);
		maybe_fill(&message->queue_port, thread->alpc_wait_port);
		struct port *port = scanner_port(scanner, port_address);
		port->flavor = FLAVOR_ALPC;
		if (cursor_seek_after(&cursor, "owned by process") &&
		    cursor_take_hex(&cursor, &owner, NULL)) {
			thread->alpc_wait_port_owner = known_u64(owner);
			maybe_fill(&message->queue_port_owner, known_u64(owner));
			maybe_fill(&port->owner_process, known_u64(owner));
			scanner_process(scanner, known_u64(owner), UNKNOWN_U64);
		}
	}
}

static bool is_complete_alpc_wait(const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t owner;
	return cursor_seek_after(&cursor, "owned by process") && cursor_take_hex(&cursor, &owner, NULL);
}

static bool read_wait_object(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t address;
	unsigned digits;
	const char *type;
	size_t type_length;
	if (!cursor_take_hex(&cursor, &address, &digits) || digits < 8 ||
	    !cursor_take_token(&cursor, &type, &type_length))
		return false;
	const char *known = NULL;
	for (const char *const *candidate = wait_object_types; *candidate; candidate++)
		if (strlen(*candidate) == type_length && strncmp(*candidate, type, type_length) == 0)
			known = *candidate;
	if (!known)
		return false;
	struct wait_object object = { address, known, UNKNOWN_U64 };
	uint64_t owner;
	if (cursor_seek_after(&cursor, "owning thread") && cursor_take_hex(&cursor, &owner, NULL)) {
		object.owner_thread = known_u64(owner);
		if (owner)
			scanner_thread(scanner, known_u64(owner), UNKNOWN_U64, UNKNOWN_U64);
	}
	thread_add_wait_object(scanner->snapshot, scanner->thread, object);
	return true;
}

static bool read_owning_process(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text + 14, length - 14);
	uint64_t address;
	if (!cursor_take_hex(&cursor, &address, NULL))
		return true;
	struct thread *thread = scanner->thread;
	thread->process_address = known_u64(address);
	struct process *process = scanner_process(scanner, known_u64(address), thread->pid);
	if (cursor_take_word(&cursor, "Image:")) {
		size_t rest = (size_t)(cursor.end - cursor.at);
		const char *image = text_trim_start(cursor.at, &rest);
		if (rest && !process->image)
			process->image = scanner_text(scanner, image, rest);
	}
	return true;
}

static bool read_thread_line(struct scanner *scanner, const char *text, size_t length)
{
	struct thread *thread = scanner->thread;
	struct cursor cursor = cursor_of(text, length);
	uint64_t value;
	if (text_starts_with(text, "Waiting for reply to ALPC Message")) {
		if (!is_complete_alpc_wait(text, length)) {
			free(scanner->held_alpc_line);
			scanner->held_alpc_line = checked_strdup(text);
			scanner->held_alpc_origin = scanner->here;
			return true;
		}
		read_alpc_wait(scanner, text, length);
		return true;
	}
	if (text_starts_with(text, "Waiting for reply to LPC MessageId")) {
		cursor.at += 34;
		if (cursor_take_hex_prefix(&cursor, &value, NULL)) {
			thread->lpc_wait_message_id = known_u64(value);
			waited_message(scanner, FLAVOR_LPC, UNKNOWN_U64, known_u64(value));
		}
		return true;
	}
	if (text_starts_with(text, "Current LPC port")) {
		cursor.at += 16;
		if (cursor_take_hex(&cursor, &value, NULL)) {
			thread->lpc_port = known_u64(value);
			if (value)
				scanner_port(scanner, value)->flavor = FLAVOR_LPC;
		}
		return true;
	}
	if (text_starts_with(text, "LPC Server thread working on message Id")) {
		cursor.at += 39;
		if (cursor_take_hex(&cursor, &value, NULL)) {
			thread->lpc_serving_message_id = known_u64(value);
			struct message *message = snapshot_message(scanner->snapshot, FLAVOR_LPC,
								   UNKNOWN_U64, known_u64(value),
								   scanner->here);
			maybe_fill(&message->server_thread, thread->address);
		}
		return true;
	}
	if (text_starts_with(text, "Owning Process"))
		return read_owning_process(scanner, text, length);
	if (text_starts_with(text, "Wait Start TickCount")) {
		if (cursor_seek_after(&cursor, "Ticks:") && cursor_take_decimal(&cursor, &value))
			thread->wait_ticks = known_u64(value);
		if (cursor_take(&cursor, "(")) {
			const char *close = memchr(cursor.at, ')', (size_t)(cursor.end - cursor.at));
			if (close)
				thread->wait_time = scanner_text(scanner, cursor.at,
								 (size_t)(close - cursor.at));
		}
		return true;
	}
	if (text_starts_with(text, "IRP List:")) {
		thread->irp_count = known_u64(0);
		return true;
	}
	if (text_starts_with(text, "Kernel stack not resident")) {
		thread->kernel_stack_not_resident = true;
		return true;
	}
	/* "891879a8: (0006,0094) Flags: 00000800  Mdl: 00000000" under IRP List */
	if (thread->irp_count.known && cursor_take_hex_prefix(&cursor, &value, NULL) &&
	    cursor_take(&cursor, ": (")) {
		thread->irp_count.value++;
		return true;
	}
	if (read_wait_object(scanner, text, length))
		return true;
	return false;
}

bool read_kernel_listing(struct scanner *scanner, const char *text, size_t length)
{
	if (text_starts_with(text, "PROCESS "))
		return read_process_header(scanner, text, length);
	if (text_starts_with(text, "THREAD "))
		return read_thread_block_start(scanner, text, length);
	if (scanner->block == BLOCK_PROCESS && scanner->process &&
	    read_process_fields(scanner, text, length))
		return true;
	if (scanner->block == BLOCK_THREAD && scanner->thread)
		return read_thread_line(scanner, text, length);
	return false;
}

/* What a layout moved to the next line of "… queued at port": the port
 * address (formats §3.2, the Windows 10 sample), or ": owned by …" when
 * the cut came after the port. */
static bool continues_alpc_wait(const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t address;
	unsigned digits;
	if (cursor_take_hex(&cursor, &address, &digits))
		return digits >= 8;
	return text_starts_with(text, ":") || text_starts_with(text, "owned by process");
}

/* The line after a cut "Waiting for reply to ALPC Message" line: join and
 * read when it is the rest; otherwise read the first half alone (it still
 * names the message) and return false so the line is read for itself.
 * Either way the records cite the line where the wait line starts. */
bool finish_held_alpc_line(struct scanner *scanner, const char *text, size_t length)
{
	char *held = scanner->held_alpc_line;
	scanner->held_alpc_line = NULL;
	bool continued = length && continues_alpc_wait(text, length);
	if (!continued)
		length = 0;
	size_t held_length = strlen(held);
	char *joined = checked_malloc(held_length + 1 + length + 1);
	memcpy(joined, held, held_length);
	joined[held_length] = ' ';
	memcpy(joined + held_length + 1, text, length);
	joined[held_length + 1 + length] = '\0';
	struct origin here = scanner->here;
	scanner->here = scanner->held_alpc_origin;
	read_alpc_wait(scanner, joined, held_length + 1 + length);
	scanner->here = here;
	free(joined);
	free(held);
	return continued;
}
