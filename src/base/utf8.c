#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Length of the valid UTF-8 sequence at text (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 if it is not valid. */
static size_t valid_sequence(const unsigned char *text, size_t available)
{
	unsigned char lead = text[0];
	if (lead < 0x80)
		return 1;
	size_t length;
	unsigned char low = 0x80, high = 0xbf;
	if (lead >= 0xc2 && lead <= 0xdf)
		length = 2;
	else if (lead >= 0xe0 && lead <= 0xef) {
		length = 3;
		if (lead == 0xe0)
			low = 0xa0;
		if (lead == 0xed)
			high = 0x9f;
	} else if (lead >= 0xf0 && lead <= 0xf4) {
		length = 4;
		if (lead == 0xf0)
			low = 0x90;
		if (lead == 0xf4)
			high = 0x8f;
	} else
		return 0;
	if (available < length)
		return 0;
	if (text[1] < low || text[1] > high)
		return 0;
	for (size_t i = 2; i < length; i++)
		if ((text[i] & 0xc0) != 0x80)
			return 0;
	return length;
}

/* Debugger output is nearly all ASCII: skip eight bytes at a time while
 * none has its high bit set. */
static size_t ascii_prefix(const unsigned char *bytes, size_t length)
{
	size_t i = 0;
	for (; i + 8 <= length; i += 8) {
		uint64_t word;
		memcpy(&word, bytes + i, 8);
		if (word & 0x8080808080808080ULL)
			break;
	}
	while (i < length && bytes[i] < 0x80)
		i++;
	return i;
}

bool utf8_is_valid(const char *text, size_t length)
{
	const unsigned char *bytes = (const unsigned char *)text;
	for (size_t i = ascii_prefix(bytes, length); i < length;) {
		size_t step = valid_sequence(bytes + i, length - i);
		if (!step)
			return false;
		i += step;
	}
	return true;
}

static bool is_control(unsigned char byte)
{
	return (byte < 0x20 && byte != '\t') || byte == 0x7f;
}

char *utf8_sanitized_copy(struct arena *arena, const char *text, size_t length,
			  bool *repaired)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *bytes = (const unsigned char *)text;
	size_t needed = 0;
	bool changed = false;
	for (size_t i = 0; i < length;) {
		size_t step = valid_sequence(bytes + i, length - i);
		if (!step || (step == 1 && is_control(bytes[i]))) {
			needed += 3;
			changed = true;
			i++;
		} else {
			needed += step;
			i += step;
		}
	}
	char *copy = arena_alloc(arena, needed + 1);
	size_t out = 0;
	for (size_t i = 0; i < length;) {
		size_t step = valid_sequence(bytes + i, length - i);
		if (!step || (step == 1 && is_control(bytes[i]))) {
			memcpy(copy + out, replacement, 3);
			out += 3;
			i++;
		} else {
			memcpy(copy + out, text + i, step);
			out += step;
			i += step;
		}
	}
	copy[out] = '\0';
	if (repaired && changed)
		*repaired = true;
	return copy;
}
