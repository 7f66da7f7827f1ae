/* Stack listings: the frames under a THREAD block and the output of the
 * k commands.  The shapes WinDbg prints (MS docs "k, kb, kc, kd, kp, kP,
 * kv"; the transcripts of ../shared/corpus/transcripts):
 *
 *   f50e4c20 80833491 nt!KiSwapContext+0x26                      (x86 k)
 *   fffff880`0bf60660 fffff800`016de992 nt!KiSwapContext+0x7a    (x64 k)
 *   0012f8a8 7c90e9c0 00000000 00000000 00000000 ntdll!Func+0xc  (kb)
 *   fffff880`… fffff800`… : 00000000`… … : nt!Func+0x7a          (kv)
 *   00 fffff880`… fffff800`… nt!Func+0x7a                        (kn)
 *   00 ntdll!NtAlpcSendWaitReceivePort                           (kc, kcn)
 *   ntdll!NtAlpcSendWaitReceivePort                              (kc, older builds)
 *   01 (Inline Function) --------`-------- nt!KiSwapThread+0x500  (inlined frame)
 *
 * Only the symbol is kept, without its offset: "module!function", or the
 * module alone for "rtclnt+0x2850".  A frame with no symbol ("0x0") is
 * dropped. */
#include <string.h>

#include "scanner.h"

static bool is_address_token(const char *token, size_t length)
{
	struct cursor cursor = cursor_of(token, length);
	uint64_t value;
	unsigned digits;
	return cursor_take_hex(&cursor, &value, &digits) && cursor.at == cursor.end && digits >= 8;
}

/* "nt!KiSwapContext+0x7a" → "nt!KiSwapContext"; "rtclnt+0x2850" → "rtclnt". */
static bool symbol_of(const char *token, size_t length, size_t *symbol_length)
{
	const char *bang = memchr(token, '!', length);
	const char *plus = NULL;
	for (size_t i = 0; i + 2 < length; i++)
		if (token[i] == '+' && token[i + 1] == '0' && (token[i + 2] == 'x' || token[i + 2] == 'X')) {
			plus = token + i;
			break;
		}
	if (!bang && !plus)
		return false;
	if (bang == token || plus == token)
		return false;
	*symbol_length = plus ? (size_t)(plus - token) : length;
	return true;
}

/* "(Inline Function) --------`--------" stands where an inlined frame's
 * Child-SP and RetAddr would (x64 `k` of current WinDbg builds). */
static unsigned inline_placeholder(const char *token, size_t length, struct cursor *cursor)
{
	if (length == 7 && memcmp(token, "(Inline", 7) == 0 && cursor_take_word(cursor, "Function)"))
		return 1;
	for (size_t i = 0; i < length; i++)
		if (token[i] != '-' && token[i] != '`')
			return 0;
	return length >= 8;
}

/* `kc` (and ~Nkc, ~*kc) prints call sites alone; older builds do not
 * number them, so a lone "module!function" line is a frame there. */
static bool prints_call_sites_only(const struct command *command)
{
	if (command->kind != COMMAND_STACK)
		return false;
	const char *k = strpbrk(command->name, "kK");
	return k && strchr(k + 1, 'c');
}

bool read_stack_frame(struct scanner *scanner, const char *text, size_t length)
{
	if (!scanner->frames_thread)
		return false;
	if (text_starts_with(text, "ChildEBP") || text_starts_with(text, "Child-SP") ||
	    text_starts_with(text, "# Child") || (length == 1 && text[0] == '#') ||
	    text_starts_with(text, "# Call Site") || text_starts_with(text, "#  ")) {
		scanner_recognised(scanner);
		return true;
	}
	struct cursor cursor = cursor_of(text, length);
	const char *token;
	size_t token_length;
	unsigned addresses = 0;
	bool numbered = false;
	/* An optional frame number of two hex digits. */
	struct cursor probe = cursor;
	if (cursor_take_token(&probe, &token, &token_length) && token_length == 2 &&
	    is_hex_digit(token[0]) && is_hex_digit(token[1])) {
		cursor = probe;
		numbered = true;
	}
	while (cursor_take_token(&cursor, &token, &token_length)) {
		if (token_length == 1 && token[0] == ':')
			continue;
		if (is_address_token(token, token_length)) {
			addresses++;
			continue;
		}
		unsigned placeholder = inline_placeholder(token, token_length, &cursor);
		if (placeholder) {
			addresses += placeholder;
			continue;
		}
		size_t symbol_length;
		if (!symbol_of(token, token_length, &symbol_length)) {
			/* "0x0": a frame without a symbol; anything else is not a frame. */
			return addresses >= 2;
		}
		/* A frame needs addresses in front of it, or a frame number under
		 * a k command (kc prints no addresses). */
		if (!addresses && !(numbered && scanner->command.kind == COMMAND_STACK) &&
		    !(prints_call_sites_only(&scanner->command) && cursor_at_end(&cursor)))
			return false;
		if (scanner->frame_count < STACK_FRAMES_HELD)
			scanner->frames[scanner->frame_count++] =
				scanner_text(scanner, token, symbol_length);
		scanner_recognised(scanner);
		return true;
	}
	return false;
}

void flush_stack_frames(struct scanner *scanner)
{
	struct thread *thread = scanner->frames_thread;
	if (thread && scanner->frame_count && !thread->frame_count)
		thread_set_frames(scanner->snapshot, thread, scanner->frames, scanner->frame_count);
	scanner->frame_count = 0;
	scanner->frames_thread = NULL;
}
