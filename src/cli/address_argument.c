/* One reading of hex command-line arguments for every query command; the
 * caller decides what a number without 0x means (`alpc --process` takes
 * a decimal pid there). */
#include <ctype.h>
#include <string.h>

#include "address_argument.h"

bool parse_address_argument(const char *text, struct address_argument *argument)
{
	memset(argument, 0, sizeof *argument);
	const char *at = text;
	if (at[0] == '0' && (at[1] == 'x' || at[1] == 'X')) {
		argument->prefixed = true;
		at += 2;
	}
	unsigned digits = 0;
	bool backtick = false, letters = false;
	for (; *at; at++) {
		if (*at == '`' && !backtick && digits) {
			backtick = true;
			continue;
		}
		if (!isxdigit((unsigned char)*at) || digits == 16)
			return false;
		int digit = isdigit((unsigned char)*at) ? *at - '0' : tolower((unsigned char)*at) - 'a' + 10;
		letters |= !isdigit((unsigned char)*at);
		argument->value = argument->value << 4 | (uint64_t)digit;
		digits++;
	}
	argument->decimal_digits_only = !argument->prefixed && !backtick && !letters;
	return digits > 0 && at[-1] != '`';
}
