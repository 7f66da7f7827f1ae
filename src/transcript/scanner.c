/* The transcript scanner: reads lines, follows prompts and commands,
 * splits the input into captures, and hands each line to the reader of
 * the output it belongs to. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scanner.h"

enum { BINARY_LINES_TOLERATED = 256 };

/* ---- records, with the scanner's origin ------------------------------ */

const char *scanner_text(struct scanner *scanner, const char *text, size_t length)
{
	return snapshot_text(scanner->snapshot, text, length);
}

struct process *scanner_process(struct scanner *scanner, maybe_u64 address, maybe_u64 pid)
{
	return snapshot_process(scanner->snapshot, address, pid, scanner->here);
}

struct thread *scanner_thread(struct scanner *scanner, maybe_u64 address, maybe_u64 pid,
			      maybe_u64 tid)
{
	return snapshot_thread(scanner->snapshot, address, pid, tid, scanner->here);
}

struct port *scanner_port(struct scanner *scanner, uint64_t address)
{
	return snapshot_port(scanner->snapshot, address, scanner->here);
}

void scanner_recognised(struct scanner *scanner)
{
	scanner->lines_recognised++;
}

void scanner_saw_address(struct scanner *scanner, unsigned digits)
{
	struct system_info *system = &scanner->snapshot->system;
	/* A kernel debugger prints every kernel address at the machine's
	 * width: 16 digits after 8 (or 8 after 16) is another machine. */
	const char *width = digits == 16 ? "x64" : digits == 8 ? "x86" : NULL;
	if (width && system->arch && strcmp(system->arch, width) != 0) {
		scanner_new_capture(scanner, "kernel addresses of another width: another machine");
		system = &scanner->snapshot->system;
		if (system->arch && strcmp(system->arch, width) != 0)
			return; /* merging captures: keep the first reading */
		system->arch = width;
		return;
	}
	if (!system->arch && digits == 16)
		system->arch = "x64";
	else if (!system->arch && digits == 8)
		system->arch = "x86";
}

bool take_address_with_label(struct cursor *cursor, uint64_t *address, unsigned *digits,
			     const char **label, size_t *label_length, char open, char close)
{
	struct cursor probe = *cursor;
	if (!cursor_take_hex_prefix(&probe, address, digits))
		return false;
	*label = NULL;
	*label_length = 0;
	cursor_skip_blanks(&probe);
	if (probe.at >= probe.end || *probe.at != open) {
		*cursor = probe;
		return true;
	}
	const char *start = probe.at + 1;
	const char *end = NULL;
	const char *after = probe.end;
	if (open == '(' && start < probe.end && *start == '\'') {
		/* "('name')": the quotes are not part of the name, and the name
		 * ends at "')" — a port name may itself hold a ')'. */
		start++;
		end = text_find(start, (size_t)(probe.end - start), "')");
		if (end)
			after = end + 2;
	}
	if (!end) {
		end = memchr(start, close, (size_t)(probe.end - start));
		if (end)
			after = end + 1;
		else
			end = probe.end;
		if (open == '(' && end > start && end[-1] == '\'' && start[-1] == '\'')
			end--;
	}
	*label = start;
	*label_length = (size_t)(end - start);
	probe.at = after;
	*cursor = probe;
	return true;
}

/* ---- blocks and captures ---------------------------------------------- */

void scanner_close_block(struct scanner *scanner)
{
	flush_stack_frames(scanner);
	scanner->block = BLOCK_NONE;
	scanner->thread = NULL;
	scanner->message = NULL;
	scanner->port = NULL;
	scanner->queue = QUEUE_UNKNOWN;
	scanner->thread_list = NULL;
	scanner->thread_header_open = false;
	scanner->rpc_table = RPC_TABLE_NONE;
	scanner->rpc_cell = RPC_CELL_NONE;
	scanner->rpc_record = NULL;
	scanner->current_object = NULL;
	scanner->connections_port = UNKNOWN_U64;
}

/* A block the input cut off: say so, and keep what it did give. */
static void report_cut_off_block(struct scanner *scanner)
{
	if (scanner->held_alpc_line) {
		snapshot_warn(scanner->snapshot, scanner->here,
			      "the input ends inside a wrapped \"Waiting for reply to ALPC Message\" line");
		finish_held_alpc_line(scanner, "", 0);
	}
	if (scanner->thread_header_open && scanner->thread) {
		/* Cut after "Win32Thread:" the state is missing; after "WAIT:"
		 * only the reason and mode. */
		snapshot_warn(scanner->snapshot, scanner->here,
			      scanner->thread->state
				      ? "the input ends inside a THREAD header: the wait reason is unknown"
				      : "the input ends inside a THREAD header: the thread's state is unknown");
		scanner->thread_header_open = false;
	}
}

static void close_capture(struct scanner *scanner)
{
	report_cut_off_block(scanner);
	scanner_close_block(scanner);
	name_ports_from_objects(scanner);
	scanner->object_count = 0;
	if (scanner->line)
		scanner->snapshot->last_line = scanner->line->number;
}

static struct snapshot *open_capture(struct scanner *scanner, uint64_t first_line)
{
	struct snapshot *snapshot = snapshot_new(scanner->path, "transcript");
	snapshot->first_line = first_line;
	ptr_vec_push(scanner->captures, snapshot);
	return snapshot;
}

/* A record first seen in the old capture is not seen there again by the
 * lines that turned out to open the new one. */
static void forget_origins_from(struct origin_list *list, struct origin start)
{
	while (list->count && list->count <= ORIGINS_KEPT) {
		const struct origin *last = &list->at[list->count - 1];
		if (last->kind != start.kind || last->file != start.file || last->at < start.at)
			break;
		list->count--;
	}
}

void scanner_new_capture(struct scanner *scanner, const char *why)
{
	if (scanner->merging || snapshot_is_empty(scanner->snapshot))
		return;
	/* A PROCESS block being read moves to the new capture with its
	 * address, and the new capture starts at its header line: a multi-line
	 * header shows the Cid or image that tells the captures apart only
	 * after it. */
	struct process *moving = scanner->block == BLOCK_PROCESS && scanner->process &&
					 scanner->process->address.known
				 ? scanner->process
				 : NULL;
	struct origin here = scanner->here;
	struct origin start = moving ? scanner->process_header : here;
	if (moving)
		forget_origins_from(&moving->origin, start);
	maybe_u64 process_address = moving ? moving->address : UNKNOWN_U64;
	close_capture(scanner);
	uint64_t line = start.kind == ORIGIN_LINE ? start.at : 1;
	scanner->snapshot->last_line = line > 1 ? line - 1 : line;
	scanner->snapshot = open_capture(scanner, line);
	snapshot_note(scanner->snapshot, start, "a new capture starts here: %s", why);
	/* Split inside a command's output: the prompt seen is this capture's. */
	scanner->snapshot->system.debugger = prompt_family_debugger(scanner->family);
	scanner->snapshot->system.kernel_mode =
		scanner->family == PROMPT_KERNEL || scanner->family == PROMPT_LOCAL_KERNEL;
	scanner->process = NULL;
	scanner->saw_build_line = false;
	/* Nothing that points into the old capture, or names its objects,
	 * may reach the new one. */
	scanner->readstack_call = NULL;
	scanner->lpc_server_connection_port = NULL;
	scanner->lpc_searched_thread = UNKNOWN_U64;
	scanner->lpp_process = UNKNOWN_U64;
	if (process_address.known) {
		scanner->here = start;
		scanner->process = scanner_process(scanner, process_address, UNKNOWN_U64);
		scanner->here = here;
		scanner->block = BLOCK_PROCESS;
	}
}

/* ---- prompts, banners, elisions -------------------------------------- */

static void start_command(struct scanner *scanner, enum prompt_family family,
			  maybe_u64 thread_index, const char *text, size_t length)
{
	scanner_close_block(scanner);
	scanner->process = NULL;
	/* The family changes first: the new capture takes its debugger. */
	enum prompt_family previous = scanner->family;
	scanner->family = family;
	if (previous != PROMPT_NONE && family != previous)
		scanner_new_capture(scanner, "the prompt shows another debugger");
	struct system_info *system = &scanner->snapshot->system;
	if (!system->debugger)
		system->debugger = prompt_family_debugger(family);
	system->kernel_mode = family == PROMPT_KERNEL || family == PROMPT_LOCAL_KERNEL;
	if (family == PROMPT_USER)
		scanner->prompt_thread = thread_index;
	parse_command(text, length, scanner->prompt_thread, &scanner->command);
	scanner->readstack_call = NULL;
	/* Only `!alpc /lpp P` says whose ports are listed; an earlier /lpp's
	 * process must not become the owner of what /lpc prints. */
	scanner->lpp_process = scanner->command.kind == COMMAND_ALPC &&
					       strcmp(scanner->command.alpc_option, "lpp") == 0
				       ? scanner->command.address
				       : UNKNOWN_U64;
	struct command *command = &scanner->command;
	if (command->kind == COMMAND_RPC && family == PROMPT_SHELL) {
		const char *machine = command->names_server ? command->server : "";
		if (strcmp(machine, scanner->machine) != 0) {
			if (scanner->machine[0] || command->names_server)
				scanner_new_capture(scanner, "DbgRpc asks another machine");
			snprintf(scanner->machine, sizeof scanner->machine, "%s", machine);
		}
		if (command->names_server)
			scanner->snapshot->system.machine =
				scanner_text(scanner, command->server, strlen(command->server));
	}
	switch (command->kind) {
	case COMMAND_UNKNOWN:
		snapshot_note(scanner->snapshot, scanner->here,
			      "output of '%s' skipped: alpcgraph does not read that command",
			      command->name);
		break;
	case COMMAND_STACK: {
		/* ~Nk, or k at a user-mode prompt: that debugger thread's stack. */
		if (command->thread_index.known && family == PROMPT_USER && !command->all_threads) {
			scanner->frames_thread = snapshot_debugger_thread(
				scanner->snapshot, command->thread_index.value, UNKNOWN_U64,
				UNKNOWN_U64, scanner->here);
			scanner->frame_count = 0;
		}
		break;
	}
	case COMMAND_LPC:
		scanner->lpc_message_id = strcmp(command->lpc_verb, "message") == 0 ? command->address
										    : UNKNOWN_U64;
		scanner->lpc_searched_thread = UNKNOWN_U64;
		scanner->lpc_server_connection_port = NULL;
		break;
	default:
		break;
	}
}

/* A debugger session's banner: a new capture when the old one has facts. */
static bool is_banner(const char *text)
{
	return text_starts_with(text, "Microsoft (R) Windows Debugger Version") ||
	       text_starts_with(text, "Loading Dump File [");
}

/* "[...]", "[…]", "…", "....." and the like: the author cut output here. */
static bool is_elision(const char *text, size_t length)
{
	static const char *const marks[] = { "[...]", "[…]", "…", "...", "....", ".....",
					     "......", "[snip]", "<snip>", "[ ... ]", NULL };
	for (const char *const *mark = marks; *mark; mark++)
		if (strlen(*mark) == length && memcmp(*mark, text, length) == 0)
			return true;
	return false;
}

/* ---- one line ------------------------------------------------------------ */

typedef bool (*line_reader_fn)(struct scanner *, const char *, size_t);

static line_reader_fn reader_for_block(enum block_kind block)
{
	switch (block) {
	case BLOCK_ALPC_MESSAGE:
	case BLOCK_ALPC_PORT:
	case BLOCK_ALPC_CREATED:
	case BLOCK_ALPC_CONNECTED_TO:
		return read_alpc_listing;
	case BLOCK_LPC_PORT:
		return read_lpc_listing;
	case BLOCK_RPC_TABLE:
	case BLOCK_RPC_CELL:
		return read_rpc_listing;
	case BLOCK_OBJECT:
		return read_object_listing;
	default:
		return NULL;
	}
}

static bool dispatch(struct scanner *scanner, const char *text, size_t length)
{
	line_reader_fn first = reader_for_block(scanner->block);
	if (first && first(scanner, text, length))
		return true;
	static const line_reader_fn readers[] = {
		read_kernel_listing, read_alpc_listing, read_lpc_listing, read_rpc_listing,
		read_object_listing, read_stack_frame,
	};
	for (size_t i = 0; i < sizeof readers / sizeof *readers; i++)
		if (readers[i] != first && readers[i](scanner, text, length))
			return true;
	return false;
}

static void read_line(struct scanner *scanner, const char *text, size_t length)
{
	if (scanner->held_alpc_line && finish_held_alpc_line(scanner, text, length)) {
		scanner_recognised(scanner);
		return;
	}
	enum prompt_family family;
	maybe_u64 thread_index;
	const char *command;
	size_t command_length;
	if (parse_prompt(text, length, &family, &thread_index, &command, &command_length)) {
		/* A docs page glued two prompts ("0:000>0: kd> !process 0 0"):
		 * the inner one ran the command. */
		enum prompt_family inner;
		maybe_u64 inner_thread;
		while (parse_prompt(command, command_length, &inner, &inner_thread, &command,
				    &command_length)) {
			family = inner;
			thread_index = inner_thread;
		}
		start_command(scanner, family, thread_index, command, command_length);
		scanner_recognised(scanner);
		return;
	}
	if (is_banner(text)) {
		scanner_new_capture(scanner, "a new debugger session");
		scanner_close_block(scanner);
		scanner_recognised(scanner);
		return;
	}
	if (is_elision(text, length)) {
		snapshot_note(scanner->snapshot, scanner->here,
			      "the author left output out here ('%s')", text);
		scanner_close_block(scanner);
		return;
	}
	if (scanner->command.kind == COMMAND_UNKNOWN)
		return;
	/* A wrapped THREAD header goes on with the very next line or not at all. */
	if (scanner->thread_header_open && scanner->thread &&
	    read_wrapped_thread_header(scanner, text, length)) {
		scanner_recognised(scanner);
		return;
	}
	scanner->thread_header_open = false;
	if (read_system_line(scanner, text, length)) {
		scanner_recognised(scanner);
		return;
	}
	if (scanner->command.kind == COMMAND_QUIET)
		return;
	if (dispatch(scanner, text, length))
		scanner_recognised(scanner);
}

/* WinDbg's ".logopen /u" and PowerShell's ">" write UTF-16 with a
 * byte-order mark; its NUL bytes would otherwise read as binary data. */
static bool refuse_utf16(struct scanner *scanner, const struct line *line)
{
	if (line->number != 1 || line->length < 2)
		return false;
	unsigned char first = (unsigned char)line->text[0], second = (unsigned char)line->text[1];
	if (!((first == 0xff && second == 0xfe) || (first == 0xfe && second == 0xff)))
		return false;
	static const char why[] = "UTF-16 text (it starts with a byte-order mark); save the "
				  "transcript as UTF-8 and read it again";
	if (scanner->merging)
		snapshot_warn(scanner->snapshot, scanner->here, "%s", why);
	else
		snapshot_fail(scanner->snapshot, error_at_line(ERROR_UNSUPPORTED, scanner->path, 1, "%s", why));
	return true;
}

static void read_lines(struct scanner *scanner, struct line_reader *reader)
{
	struct error *error = NULL;
	const struct line *line;
	while ((line = line_reader_next(reader, &error))) {
		scanner->line = line;
		scanner->here.kind = ORIGIN_LINE;
		scanner->here.at = line->number;
		if (refuse_utf16(scanner, line))
			break;
		if (line->has_nul) {
			if (++scanner->binary_lines == 1)
				snapshot_warn(scanner->snapshot, scanner->here,
					      "binary data (a NUL byte) in a text transcript; line skipped");
			if (scanner->binary_lines > BINARY_LINES_TOLERATED) {
				snapshot_warn(scanner->snapshot, scanner->here,
					      "more than %d lines of binary data; reading stopped here",
					      BINARY_LINES_TOLERATED);
				break;
			}
			continue;
		}
		if (line->truncated)
			snapshot_warn(scanner->snapshot, scanner->here,
				      "line longer than %d bytes; the rest of it was ignored",
				      LINE_READER_MAX_LINE);
		if (!scanner->warned_invalid_utf8 && !utf8_is_valid(line->text, line->length)) {
			scanner->warned_invalid_utf8 = true;
			snapshot_warn(scanner->snapshot, scanner->here,
				      "invalid UTF-8; such bytes are shown as U+FFFD");
		}
		size_t length = line->length;
		const char *text = line->text;
		/* Notepad's UTF-8 byte-order mark would hide the first prompt. */
		if (line->number == 1 && length >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
			text += 3;
			length -= 3;
		}
		text = text_trim_start(text, &length);
		if (!length)
			continue;
		read_line(scanner, text, length);
	}
	if (error)
		snapshot_fail(scanner->snapshot, error);
}

/* ---- entry points ------------------------------------------------------- */

static void scanner_init(struct scanner *scanner, const char *path,
			 const struct transcript_options *options, struct ptr_vec *captures)
{
	memset(scanner, 0, sizeof *scanner);
	scanner->path = path;
	if (options)
		scanner->options = *options;
	scanner->captures = captures;
}

static void scanner_release(struct scanner *scanner)
{
	free(scanner->held_alpc_line);
	free(scanner->objects);
}

/* Numbers the captures of one file and settles what a file with no
 * debugger output at all is: an error. */
static void finish_file(struct scanner *scanner, size_t first_capture, uint64_t bytes)
{
	close_capture(scanner);
	struct ptr_vec *captures = scanner->captures;
	if (!scanner->lines_recognised) {
		struct snapshot *last = captures->items[captures->count - 1];
		if (bytes == 0)
			snapshot_fail(last, error_in_file(ERROR_FORMAT, scanner->path, "empty file"));
		else if (last->status != STATUS_ERROR)
			snapshot_fail(last, error_in_file(ERROR_FORMAT, scanner->path,
							  "no debugger output recognised in %llu lines",
							  (unsigned long long)(scanner->line
										       ? scanner->line->number
										       : 0)));
	}
	size_t count = captures->count - first_capture;
	for (size_t i = first_capture; i < captures->count; i++) {
		struct snapshot *snapshot = captures->items[i];
		snapshot->capture_index = (uint32_t)(i - first_capture + 1);
		snapshot->capture_count = (uint32_t)count;
		snapshot_finish(snapshot);
	}
}

static void read_with(struct line_reader *reader, const char *path,
		      const struct transcript_options *options, struct ptr_vec *captures)
{
	struct scanner scanner;
	scanner_init(&scanner, path, options, captures);
	/* --same-machine: every capture of the file is one machine's. */
	scanner.merging = scanner.options.same_machine;
	size_t first_capture = captures->count;
	scanner.snapshot = open_capture(&scanner, 1);
	read_lines(&scanner, reader);
	finish_file(&scanner, first_capture, line_reader_bytes_read(reader));
	scanner_release(&scanner);
}

void transcript_read_memory(const char *path, const char *data, size_t length,
			    const struct transcript_options *options, struct ptr_vec *captures)
{
	struct line_reader *reader = line_reader_from_memory(data, length, path);
	read_with(reader, path, options, captures);
	line_reader_free(reader);
}

void transcript_read_file(const char *path, const struct transcript_options *options,
			  struct ptr_vec *captures)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		struct snapshot *snapshot = snapshot_new(path, "transcript");
		snapshot_fail(snapshot, error_in_file(ERROR_IO, path, "cannot open: %s", strerror(errno)));
		snapshot_finish(snapshot);
		ptr_vec_push(captures, snapshot);
		return;
	}
	struct line_reader *reader = line_reader_from_fd(fd, path);
	read_with(reader, path, options, captures);
	line_reader_free(reader);
	close(fd);
}

void transcript_read_into(const char *path, struct snapshot *snapshot)
{
	struct scanner scanner;
	struct ptr_vec unused = { 0 };
	scanner_init(&scanner, path, NULL, &unused);
	scanner.merging = true;
	scanner.snapshot = snapshot;
	scanner.here.file = snapshot_add_source(snapshot, path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snapshot_warn(snapshot, (struct origin){ ORIGIN_NONE, scanner.here.file, 0 },
			      "cannot open: %s", strerror(errno));
		snapshot->status = STATUS_PARTIAL;
		return;
	}
	struct line_reader *reader = line_reader_from_fd(fd, path);
	read_lines(&scanner, reader);
	close_capture(&scanner);
	if (!scanner.lines_recognised)
		snapshot_warn(snapshot, (struct origin){ ORIGIN_NONE, scanner.here.file, 0 },
			      "no debugger output recognised");
	line_reader_free(reader);
	close(fd);
	scanner_release(&scanner);
	ptr_vec_release(&unused);
}
