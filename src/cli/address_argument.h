#ifndef ALPCGRAPH_ADDRESS_ARGUMENT_H
#define ALPCGRAPH_ADDRESS_ARGUMENT_H

#include <stdbool.h>
#include <stdint.h>

/* An address or id as a WinDbg user types it: hex digits, an optional
 * 0x, at most one backtick between the halves of a 64-bit value
 * (fffff880`0bf60660), at most 16 digits.  `alpc` and `lpc` read their
 * arguments through it, so both take the same spellings. */
struct address_argument {
	uint64_t value;
	bool prefixed;            /* 0x */
	bool decimal_digits_only; /* no 0x, no backtick, no a-f: could be a decimal id */
};

bool parse_address_argument(const char *text, struct address_argument *argument);

#endif
