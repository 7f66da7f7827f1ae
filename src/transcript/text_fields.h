/* Reading the fields of one line of debugger output: a cursor that takes
 * words, hex numbers (WinDbg's "fffff880`0bf60660" backtick form, with or
 * without 0x), decimals and quoted names, and never reads past the end. */
#ifndef ALPCGRAPH_TEXT_FIELDS_H
#define ALPCGRAPH_TEXT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const char *at;
	const char *end;
};

static inline struct cursor cursor_of(const char *text, size_t length)
{
	return (struct cursor){ text, text + length };
}

void cursor_skip_blanks(struct cursor *cursor);
bool cursor_at_end(const struct cursor *cursor);
/* Takes word when the text continues with it (after blanks) and the word
 * ends there (blank, end, or punctuation the word itself does not end in). */
bool cursor_take_word(struct cursor *cursor, const char *word);
/* Takes literal text exactly, after blanks.  Inline so that strlen of a
 * literal folds away: the scanner makes dozens of these checks per line. */
bool cursor_take_length(struct cursor *cursor, const char *text, size_t length);
static inline bool cursor_take(struct cursor *cursor, const char *text)
{
	return cursor_take_length(cursor, text, strlen(text));
}
/* A hex number of 1 to 16 digits, optional 0x, optional backtick between
 * the halves; *digits (optional) receives the digit count.  Fails without
 * moving when there is none or it does not end at a word boundary. */
bool cursor_take_hex(struct cursor *cursor, uint64_t *value, unsigned *digits);
/* Like cursor_take_hex, but stops at a non-hex character such as '.'. */
bool cursor_take_hex_prefix(struct cursor *cursor, uint64_t *value, unsigned *digits);
bool cursor_take_decimal(struct cursor *cursor, uint64_t *value);
/* The next run of non-blank characters. */
bool cursor_take_token(struct cursor *cursor, const char **start, size_t *length);
/* Moves to just after the first occurrence of text; false if absent. */
bool cursor_seek_after(struct cursor *cursor, const char *text);

/* Most lines fail on the first byte, so it is compared before the rest. */
static inline bool text_starts_with(const char *text, const char *prefix)
{
	return text[0] == prefix[0] && strncmp(text, prefix, strlen(prefix)) == 0;
}
const char *text_find(const char *text, size_t length, const char *needle);
/* Skips leading blanks; returns the new start and updates *length. */
const char *text_trim_start(const char *text, size_t *length);
bool is_hex_digit(char c);

/* A "pppp.tttt" Cid or RPC cell "0000.0004": two hex numbers and a dot. */
bool cursor_take_hex_pair(struct cursor *cursor, uint64_t *high, uint64_t *low);

#endif
