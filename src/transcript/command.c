/* Prompts and the commands typed at them.
 *
 * Prompts: kernel debugger "kd>" and "N: kd>" (N = processor; "N: kd:x86>"
 * after .effmach x86), local kernel debugging "lkd>", user mode "P:TTT>"
 * (P = process number, TTT = thread number, optionally ":x86" for WOW64),
 * and a Windows shell prompt "D:\dir>" in front of DbgRpc.  Commands:
 * WinDbg's documented syntax (MS docs: !process, !thread, !alpc, !lpc,
 * !rpcexts.*, !object, |, ~, k*) and DbgRpc's switches
 * (dbgrpc-command-line-options.md: -l -P pid -L cell, -e, -t, -c, -a,
 * -s server, -p protseq, -r radix, which sets the base of -P and -L). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "scanner.h"

static bool digits_then(const char **at, const char *end, char stop)
{
	const char *p = *at;
	if (p >= end || !isdigit((unsigned char)*p))
		return false;
	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (p >= end || *p != stop)
		return false;
	*at = p + 1;
	return true;
}

static bool take_prompt_end(const char **at, const char *end)
{
	if (*at >= end || **at != '>')
		return false;
	(*at)++;
	return true;
}

bool parse_prompt(const char *text, size_t length, enum prompt_family *family,
		  maybe_u64 *thread_index, const char **command, size_t *command_length)
{
	const char *at = text, *end = text + length;
	*thread_index = UNKNOWN_U64;
	if (length >= 3 && strncmp(at, "kd>", 3) == 0) {
		*family = PROMPT_KERNEL;
		at += 3;
	} else if (length >= 4 && strncmp(at, "lkd>", 4) == 0) {
		*family = PROMPT_LOCAL_KERNEL;
		at += 4;
	} else if (isdigit((unsigned char)*at)) {
		const char *p = at;
		if (!digits_then(&p, end, ':'))
			return false;
		if (p + 3 <= end && strncmp(p, " kd", 3) == 0 && p + 3 < end &&
		    (p[3] == '>' || p[3] == ':')) {
			/* "0: kd>", or "0: kd:x86>" after .effmach x86. */
			p += 3;
			if (*p == ':')
				while (++p < end && isalnum((unsigned char)*p))
					;
			if (!take_prompt_end(&p, end))
				return false;
			*family = PROMPT_KERNEL;
			at = p;
		} else {
			const char *thread_start = p;
			while (p < end && isdigit((unsigned char)*p))
				p++;
			if (p == thread_start || p - thread_start > 5)
				return false;
			uint64_t thread = 0;
			for (const char *d = thread_start; d < p; d++)
				thread = thread * 10 + (uint64_t)(*d - '0');
			if (p < end && *p == ':') { /* "0:000:x86>" */
				p++;
				while (p < end && isalnum((unsigned char)*p))
					p++;
			}
			if (!take_prompt_end(&p, end))
				return false;
			*family = PROMPT_USER;
			*thread_index = known_u64(thread);
			at = p;
		}
	} else if (length >= 3 && isalpha((unsigned char)at[0]) && at[1] == ':' && at[2] == '\\') {
		/* "D:\wmsg>dbgrpc -c", "C:\Program Files\Debugging Tools for
		 * Windows (x86)>dbgrpc -e": a path, blanks allowed, up to the '>';
		 * characters no Windows path holds mean it is not a prompt. */
		const char *p = at + 3;
		while (p < end && *p != '>' && !strchr("<|\"*?\t", *p))
			p++;
		if (!take_prompt_end(&p, end))
			return false;
		*family = PROMPT_SHELL;
		at = p;
	} else {
		return false;
	}
	while (at < end && (*at == ' ' || *at == '\t'))
		at++;
	*command = at;
	*command_length = (size_t)(end - at);
	return true;
}

const char *prompt_family_debugger(enum prompt_family family)
{
	switch (family) {
	case PROMPT_KERNEL:
		return "kd";
	case PROMPT_LOCAL_KERNEL:
		return "lkd";
	case PROMPT_USER:
		return "cdb";
	case PROMPT_SHELL:
		return "dbgrpc";
	default:
		return NULL;
	}
}

static bool word_is(const char *word, size_t length, const char *expected)
{
	return strlen(expected) == length && strncasecmp(word, expected, length) == 0;
}

static bool is_stack_command(const char *word, size_t length)
{
	if (!length || (word[0] != 'k' && word[0] != 'K'))
		return false;
	for (size_t i = 1; i < length; i++)
		if (!strchr("bcvpPnLf0123456789", word[i]))
			return false;
	return true;
}

static const char *const quiet_commands[] = {
	".reload", ".symfix", ".sympath", ".logopen", ".logclose", ".logappend", ".cls",
	".echo",   ".thread", ".process", ".context", ".cxr",     ".frame",     ".load",
	".loadby", ".chain",  ".prefer_dml", ".lines", "vertarget", "version", "q", "qq",
	".detach", ".time",   "!sym",     "!load",    ".effmach", "lm", NULL,
};

static const char *const rpc_verbs[] = {
	"getcallinfo", "getendpointinfo", "getthreadinfo", "getclientcallinfo", "getdbgcell",
	"rpcreadstack", "rpctime", "thread", "getcalltable", "eeinfo", "eerecord", "checkrpcsym",
	"help", NULL,
};

static void copy_word(char *into, size_t size, const char *word, size_t length)
{
	if (length >= size)
		length = size - 1;
	for (size_t i = 0; i < length; i++)
		into[i] = (char)tolower((unsigned char)word[i]);
	into[length] = '\0';
}

/* The first hex argument after the command word, e.g. "!thread fffffa80…". */
static maybe_u64 first_hex_argument(struct cursor *args)
{
	uint64_t value;
	unsigned digits;
	struct cursor probe = *args;
	if (cursor_take_hex(&probe, &value, &digits)) {
		*args = probe;
		return known_u64(value);
	}
	return UNKNOWN_U64;
}

static void parse_rpcexts(const char *verb, size_t verb_length, struct cursor *args,
			  struct command *command)
{
	command->kind = COMMAND_RPC;
	copy_word(command->rpc_verb, sizeof command->rpc_verb, verb, verb_length);
	if (strcmp(command->rpc_verb, "getdbgcell") == 0) {
		/* "!rpcexts.getdbgcell ProcessID CellID1.CellID2" (hex). */
		command->pid = first_hex_argument(args);
		uint64_t high, low;
		if (cursor_take_hex_pair(args, &high, &low) && high <= 0xffff && low <= 0xffff)
			command->cell = known_u64(high << 16 | low);
	}
}

/* One DbgRpc number in the radix -r chose: base 16 unless told otherwise
 * (dbgrpc-command-line-options.md), with an optional 0x in base 16. */
static bool number_in_radix(const char *text, size_t length, unsigned radix, uint64_t *value)
{
	if (radix == 16 && length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		text += 2;
		length -= 2;
	}
	if (!length)
		return false;
	uint64_t result = 0;
	for (size_t i = 0; i < length; i++) {
		char c = (char)tolower((unsigned char)text[i]);
		unsigned digit = isdigit((unsigned char)c) ? (unsigned)(c - '0')
				 : (c >= 'a' && c <= 'z') ? (unsigned)(c - 'a' + 10)
							  : 99;
		if (digit >= radix || result > (UINT64_MAX - digit) / radix)
			return false;
		result = result * radix + digit;
	}
	*value = result;
	return true;
}

/* "-L 0.2": a cell, both halves in the radix. */
static maybe_u64 cell_in_radix(const char *text, size_t length, unsigned radix)
{
	const char *dot = memchr(text, '.', length);
	uint64_t high, low;
	if (!dot || !number_in_radix(text, (size_t)(dot - text), radix, &high) ||
	    !number_in_radix(dot + 1, length - (size_t)(dot + 1 - text), radix, &low) ||
	    high > 0xffff || low > 0xffff)
		return UNKNOWN_U64;
	return known_u64(high << 16 | low);
}

static void parse_dbgrpc(struct cursor *args, struct command *command)
{
	command->kind = COMMAND_RPC;
	unsigned radix = 16;
	const char *token;
	size_t length;
	while (cursor_take_token(args, &token, &length)) {
		if (length != 2 || (token[0] != '-' && token[0] != '/'))
			continue;
		char option = token[1];
		switch (option) {
		case 'l': case 'e': case 't': case 'c': case 'a':
			command->rpc_verb[0] = option;
			command->rpc_verb[1] = '\0';
			continue;
		default:
			break;
		}
		if (!strchr("rPLs", option) || !cursor_take_token(args, &token, &length))
			continue;
		uint64_t value;
		switch (option) {
		case 'r':
			/* The radix itself is written in decimal: "-r 10". */
			if (number_in_radix(token, length, 10, &value) && value >= 2 && value <= 16)
				radix = (unsigned)value;
			break;
		case 'P':
			if (number_in_radix(token, length, radix, &value))
				command->pid = known_u64(value);
			break;
		case 'L':
			command->cell = cell_in_radix(token, length, radix);
			break;
		case 's':
			command->names_server = true;
			if (length >= sizeof command->server)
				length = sizeof command->server - 1;
			memcpy(command->server, token, length);
			command->server[length] = '\0';
			break;
		}
	}
}

static void parse_alpc(struct cursor *args, struct command *command)
{
	command->kind = COMMAND_ALPC;
	const char *token;
	size_t length;
	while (cursor_take_token(args, &token, &length)) {
		if (token[0] == '/' || token[0] == '-') {
			if (!word_is(token + 1, length - 1, "v"))
				copy_word(command->alpc_option, sizeof command->alpc_option, token + 1,
					  length - 1);
			continue;
		}
		struct cursor value = cursor_of(token, length);
		uint64_t address;
		if (cursor_take_hex(&value, &address, NULL))
			command->address = known_u64(address);
	}
}

static void parse_lpc(struct cursor *args, struct command *command)
{
	command->kind = COMMAND_LPC;
	const char *token;
	size_t length;
	if (cursor_take_token(args, &token, &length))
		copy_word(command->lpc_verb, sizeof command->lpc_verb, token, length);
	command->address = first_hex_argument(args);
}

/* "dbgrpc", "DbgRpc.exe", or the program by its path
 * ("C:\Debuggers\dbgrpc.exe"). */
static bool is_dbgrpc(const char *word, size_t length)
{
	for (size_t i = length; i-- > 0;)
		if (word[i] == '\\' || word[i] == '/') {
			length -= i + 1;
			word += i + 1;
			break;
		}
	return word_is(word, length, "dbgrpc") || word_is(word, length, "dbgrpc.exe");
}

/* "~", "~*k", "~1k", "~~[3d8]kb", "~1s" */
static void parse_tilde(const char *word, size_t length, struct command *command)
{
	const char *at = word + 1, *end = word + length;
	if (at < end && *at == '*') {
		command->all_threads = true;
		at++;
	} else if (at < end && isdigit((unsigned char)*at)) {
		uint64_t index = 0;
		while (at < end && isdigit((unsigned char)*at))
			index = index * 10 + (uint64_t)(*at++ - '0');
		command->thread_index = known_u64(index);
	} else if (at < end && *at == '.') {
		at++;
	}
	if (at >= end)
		command->kind = COMMAND_THREAD_LIST;
	else if (is_stack_command(at, (size_t)(end - at)))
		command->kind = COMMAND_STACK;
	else
		command->kind = COMMAND_QUIET; /* "~1s" switches threads */
}

void parse_command(const char *text, size_t length, maybe_u64 prompt_thread,
		   struct command *command)
{
	memset(command, 0, sizeof *command);
	struct cursor args = cursor_of(text, length);
	const char *word;
	size_t word_length;
	if (!cursor_take_token(&args, &word, &word_length)) {
		command->kind = COMMAND_QUIET;
		return;
	}
	/* As typed: the note about a skipped command quotes it. */
	snprintf(command->name, sizeof command->name, "%.*s", (int)word_length, word);
	command->thread_index = prompt_thread;

	if (word_is(word, word_length, "!process")) {
		command->kind = COMMAND_PROCESS;
		command->address = first_hex_argument(&args);
	} else if (word_is(word, word_length, "!thread")) {
		command->kind = COMMAND_THREAD;
		command->address = first_hex_argument(&args);
	} else if (word_is(word, word_length, "!alpc")) {
		parse_alpc(&args, command);
	} else if (word_is(word, word_length, "!lpc")) {
		parse_lpc(&args, command);
	} else if (word_is(word, word_length, "!object")) {
		command->kind = COMMAND_OBJECT;
		command->address = first_hex_argument(&args);
	} else if (word_length > 9 && strncasecmp(word, "!rpcexts.", 9) == 0) {
		parse_rpcexts(word + 9, word_length - 9, &args, command);
	} else if (is_dbgrpc(word, word_length)) {
		parse_dbgrpc(&args, command);
	} else if (word[0] == '|') {
		command->kind = COMMAND_PROCESS_LIST;
	} else if (word[0] == '~') {
		parse_tilde(word, word_length, command);
	} else if (is_stack_command(word, word_length)) {
		command->kind = COMMAND_STACK;
	} else {
		for (const char *const *verb = rpc_verbs; *verb; verb++)
			if (word[0] == '!' && word_is(word + 1, word_length - 1, *verb)) {
				parse_rpcexts(word + 1, word_length - 1, &args, command);
				return;
			}
		for (const char *const *quiet = quiet_commands; *quiet; quiet++)
			if (word_is(word, word_length, *quiet)) {
				command->kind = COMMAND_QUIET;
				return;
			}
		command->kind = COMMAND_UNKNOWN;
	}
}
