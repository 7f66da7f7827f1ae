/* Object names and the user-mode process and thread lists.
 *
 *   !object A   "Object: A  Type: (T) ALPC Port", "Directory Object: D  Name: N"
 *               — N is A's own name and D its parent directory; following D
 *               through more !object output up to "\" gives the full path
 *               (the chain in bnagy/alpcbuggery's comments, formats §3.12);
 *   |           "  0     id: 3d4  name: rtsvr.exe" (the debugged process);
 *   ~           ".  0  Id: 3d4.3d8 Suspend: 1 Teb: 7ffde000 Unfrozen" — the
 *               debugger's thread number and the thread's Cid; `~*k` prints
 *               this line before each thread's stack. */
#include <string.h>

#include "scanner.h"

enum { DIRECTORY_DEPTH_LIMIT = 64 };

static struct named_object *object_at(struct scanner *scanner, uint64_t address, bool create)
{
	for (size_t i = 0; i < scanner->object_count; i++)
		if (scanner->objects[i].address == address)
			return &scanner->objects[i];
	if (!create)
		return NULL;
	if (scanner->object_count == scanner->object_capacity) {
		size_t capacity = scanner->object_capacity ? scanner->object_capacity * 2 : 16;
		scanner->objects = checked_realloc(scanner->objects, capacity * sizeof *scanner->objects);
		scanner->object_capacity = capacity;
	}
	struct named_object *object = &scanner->objects[scanner->object_count++];
	memset(object, 0, sizeof *object);
	object->address = address;
	return object;
}

/* !object lists objects one at a time; a capture with more than this many
 * is not a port-naming session, and a linear lookup stays cheap below it. */
enum { OBJECTS_KEPT = 4096 };

static bool read_object_header(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t address;
	if (!cursor_take_word(&cursor, "Object:") || !cursor_take_hex(&cursor, &address, NULL))
		return false;
	scanner_close_block(scanner);
	if (scanner->object_count >= OBJECTS_KEPT)
		return true;
	struct named_object *object = object_at(scanner, address, true);
	if (object->origin.kind == ORIGIN_NONE)
		object->origin = scanner->here;
	if (cursor_take_word(&cursor, "Type:")) {
		/* "(fffffa8030d11080) ALPC Port" */
		if (cursor_take(&cursor, "(")) {
			const char *close = memchr(cursor.at, ')', (size_t)(cursor.end - cursor.at));
			if (close)
				cursor.at = close + 1;
		}
		size_t rest = (size_t)(cursor.end - cursor.at);
		const char *type = text_trim_start(cursor.at, &rest);
		if (rest)
			object->type = scanner_text(scanner, type, rest);
	}
	scanner->current_object = object;
	scanner->block = BLOCK_OBJECT;
	return true;
}

static bool read_object_line(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t directory;
	if (cursor_take(&cursor, "Directory Object:") && cursor_take_hex(&cursor, &directory, NULL)) {
		struct named_object *object = scanner->current_object;
		object->directory = known_u64(directory);
		if (cursor_take_word(&cursor, "Name:")) {
			size_t rest = (size_t)(cursor.end - cursor.at);
			const char *name = text_trim_start(cursor.at, &rest);
			if (rest)
				object->name = scanner_text(scanner, name, rest);
		}
		return true;
	}
	return text_starts_with(text, "ObjectHeader:") || text_starts_with(text, "HandleCount:");
}

/* "\RPC Control\OLE…" from the directory chain, or the bare name when the
 * chain does not reach the root. */
static const char *object_path(struct scanner *scanner, const struct named_object *object)
{
	const char *parts[DIRECTORY_DEPTH_LIMIT];
	size_t count = 0, length = 0;
	const struct named_object *at = object;
	bool rooted = false;
	while (at && at->name && count < DIRECTORY_DEPTH_LIMIT) {
		if (strcmp(at->name, "\\") == 0) {
			rooted = true;
			break;
		}
		parts[count++] = at->name;
		length += strlen(at->name) + 1;
		at = at->directory.known && at->directory.value
			     ? object_at(scanner, at->directory.value, false)
			     : NULL;
	}
	if (!count)
		return NULL;
	if (!rooted)
		return object->name;
	char *path = arena_alloc(&scanner->snapshot->arena, length + 1);
	for (size_t i = count; i-- > 0;) {
		strcat(path, "\\");
		strcat(path, parts[i]);
	}
	return path;
}

void name_ports_from_objects(struct scanner *scanner)
{
	for (size_t i = 0; i < scanner->object_count; i++) {
		const struct named_object *object = &scanner->objects[i];
		if (!object->type || !object->name)
			continue;
		bool alpc = strcmp(object->type, "ALPC Port") == 0;
		bool lpc = strcmp(object->type, "Port") == 0 || strcmp(object->type, "WaitablePort") == 0;
		if (!alpc && !lpc)
			continue;
		/* The port was seen on its "Object:" line, not where the capture ends. */
		struct port *port = snapshot_port(scanner->snapshot, object->address, object->origin);
		if (!port->flavor)
			port->flavor = alpc ? FLAVOR_ALPC : FLAVOR_LPC;
		const char *path = object_path(scanner, object);
		/* A full path is better than the short name other listings give. */
		if (path && (!port->name || path[0] == '\\'))
			port->name = path;
	}
}

/* "  0     id: 3d4  name: rtsvr.exe", with "." or "#" marking the current
 * one; WinDbg also prints how it got the process ("examine", "attach")
 * between the id and the name. */
static bool read_process_list_line(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t index, pid;
	cursor_take(&cursor, ".");
	cursor_take(&cursor, "#");
	if (!cursor_take_decimal(&cursor, &index) || !cursor_take_word(&cursor, "id:") ||
	    !cursor_take_hex(&cursor, &pid, NULL))
		return false;
	struct process *process = scanner_process(scanner, UNKNOWN_U64, known_u64(pid));
	process->debuggee = true;
	if (cursor_seek_after(&cursor, "name:")) {
		size_t rest = (size_t)(cursor.end - cursor.at);
		const char *name = text_trim_start(cursor.at, &rest);
		/* "C:\Program Files\Apppp.exe": the image is the file name. */
		for (size_t i = rest; i-- > 0;)
			if (name[i] == '\\' || name[i] == '/') {
				rest -= i + 1;
				name += i + 1;
				break;
			}
		if (rest && !process->image)
			process->image = scanner_text(scanner, name, rest);
	}
	return true;
}

/* ".  0  Id: 3d4.3d8 Suspend: 1 Teb: 7ffde000 Unfrozen" */
static bool read_thread_list_line(struct scanner *scanner, const char *text, size_t length)
{
	struct cursor cursor = cursor_of(text, length);
	uint64_t index, pid, tid;
	cursor_take(&cursor, ".");
	cursor_take(&cursor, "#");
	if (!cursor_take_decimal(&cursor, &index) || !cursor_take_word(&cursor, "Id:") ||
	    !cursor_take_hex_pair(&cursor, &pid, &tid))
		return false;
	flush_stack_frames(scanner);
	scanner_process(scanner, UNKNOWN_U64, known_u64(pid))->debuggee = true;
	struct thread *thread = snapshot_debugger_thread(scanner->snapshot, index, known_u64(pid),
							 known_u64(tid), scanner->here);
	/* Under ~*k each thread's stack follows its line. */
	if (scanner->command.kind == COMMAND_STACK) {
		scanner->frames_thread = thread;
		scanner->frame_count = 0;
	}
	return true;
}

bool read_object_listing(struct scanner *scanner, const char *text, size_t length)
{
	if (read_object_header(scanner, text, length))
		return true;
	if (scanner->block == BLOCK_OBJECT && scanner->current_object &&
	    read_object_line(scanner, text, length))
		return true;
	if (read_thread_list_line(scanner, text, length))
		return true;
	if (scanner->command.kind == COMMAND_PROCESS_LIST || scanner->command.kind == COMMAND_NONE)
		return read_process_list_line(scanner, text, length);
	return false;
}
