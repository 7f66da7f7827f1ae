#include "text_probe.h"

/* Text files carry tabs, line ends and form feeds; a log may hold the odd
 * escape sequence of a coloured terminal, but binary data shows NUL bytes
 * or control bytes in numbers no log has. */
enum { CONTROL_PERCENT_TOLERATED = 1 };

bool text_probe(const char *path, const unsigned char *head, size_t length,
		struct error **refusal)
{
	size_t control = 0;
	for (size_t i = 0; i < length; i++) {
		unsigned char c = head[i];
		if (c == 0) {
			*refusal = error_at_offset(ERROR_FORMAT, path, i,
						   "binary data (a NUL byte), not debugger text");
			return false;
		}
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b)
			control++;
	}
	if (control * 100 > length * CONTROL_PERCENT_TOLERATED) {
		*refusal = error_at_offset(ERROR_FORMAT, path, 0,
					   "binary data (%zu control bytes in the first %zu), "
					   "not debugger text", control, length);
		return false;
	}
	return true;
}
