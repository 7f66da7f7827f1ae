#include <string.h>

#include "text_fields.h"

bool is_hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	return (unsigned)(c - 'A' + 10);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void cursor_skip_blanks(struct cursor *cursor)
{
	while (cursor->at < cursor->end && is_blank(*cursor->at))
		cursor->at++;
}

bool cursor_at_end(const struct cursor *cursor)
{
	const char *at = cursor->at;
	while (at < cursor->end && is_blank(*at))
		at++;
	return at >= cursor->end;
}

static bool is_word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

bool cursor_take_word(struct cursor *cursor, const char *word)
{
	struct cursor probe = *cursor;
	cursor_skip_blanks(&probe);
	size_t length = strlen(word);
	if ((size_t)(probe.end - probe.at) < length || memcmp(probe.at, word, length) != 0)
		return false;
	const char *after = probe.at + length;
	if (after < probe.end && is_word_char(word[length - 1]) && is_word_char(*after))
		return false;
	cursor->at = after;
	return true;
}

bool cursor_take_length(struct cursor *cursor, const char *text, size_t length)
{
	struct cursor probe = *cursor;
	cursor_skip_blanks(&probe);
	if ((size_t)(probe.end - probe.at) < length || memcmp(probe.at, text, length) != 0)
		return false;
	cursor->at = probe.at + length;
	return true;
}

static bool take_hex(struct cursor *cursor, uint64_t *value, unsigned *digits, bool whole_word)
{
	struct cursor probe = *cursor;
	cursor_skip_blanks(&probe);
	if (probe.end - probe.at >= 2 && probe.at[0] == '0' && (probe.at[1] == 'x' || probe.at[1] == 'X'))
		probe.at += 2;
	uint64_t result = 0;
	unsigned count = 0;
	bool backtick = false;
	while (probe.at < probe.end) {
		char c = *probe.at;
		if (is_hex_digit(c)) {
			if (count == 16)
				return false; /* wider than 64 bits */
			result = result << 4 | hex_value(c);
			count++;
		} else if (c == '`' && count && !backtick && probe.at + 1 < probe.end &&
			   is_hex_digit(probe.at[1])) {
			backtick = true;
		} else {
			break;
		}
		probe.at++;
	}
	if (!count)
		return false;
	if (whole_word && probe.at < probe.end && is_word_char(*probe.at))
		return false;
	*value = result;
	if (digits)
		*digits = count;
	cursor->at = probe.at;
	return true;
}

bool cursor_take_hex(struct cursor *cursor, uint64_t *value, unsigned *digits)
{
	return take_hex(cursor, value, digits, true);
}

bool cursor_take_hex_prefix(struct cursor *cursor, uint64_t *value, unsigned *digits)
{
	return take_hex(cursor, value, digits, false);
}

bool cursor_take_decimal(struct cursor *cursor, uint64_t *value)
{
	struct cursor probe = *cursor;
	cursor_skip_blanks(&probe);
	uint64_t result = 0;
	unsigned count = 0;
	while (probe.at < probe.end && *probe.at >= '0' && *probe.at <= '9') {
		unsigned digit = (unsigned)(*probe.at - '0');
		if (result > (UINT64_MAX - digit) / 10)
			return false;
		result = result * 10 + digit;
		count++;
		probe.at++;
	}
	if (!count)
		return false;
	*value = result;
	cursor->at = probe.at;
	return true;
}

bool cursor_take_token(struct cursor *cursor, const char **start, size_t *length)
{
	cursor_skip_blanks(cursor);
	const char *begin = cursor->at;
	while (cursor->at < cursor->end && !is_blank(*cursor->at))
		cursor->at++;
	*start = begin;
	*length = (size_t)(cursor->at - begin);
	return *length > 0;
}

bool cursor_seek_after(struct cursor *cursor, const char *text)
{
	const char *found = text_find(cursor->at, (size_t)(cursor->end - cursor->at), text);
	if (!found)
		return false;
	cursor->at = found + strlen(text);
	return true;
}

const char *text_find(const char *text, size_t length, const char *needle)
{
	return memmem(text, length, needle, strlen(needle));
}

const char *text_trim_start(const char *text, size_t *length)
{
	while (*length && is_blank(*text)) {
		text++;
		(*length)--;
	}
	return text;
}

bool cursor_take_hex_pair(struct cursor *cursor, uint64_t *high, uint64_t *low)
{
	struct cursor probe = *cursor;
	if (!cursor_take_hex_prefix(&probe, high, NULL))
		return false;
	if (probe.at >= probe.end || *probe.at != '.')
		return false;
	probe.at++;
	if (probe.at >= probe.end || !is_hex_digit(*probe.at))
		return false;
	if (!cursor_take_hex(&probe, low, NULL))
		return false;
	*cursor = probe;
	return true;
}
