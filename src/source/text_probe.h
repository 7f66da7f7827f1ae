/* Is it text?  Debugger output is: no NUL bytes, few control characters. */
#ifndef ALPCGRAPH_TEXT_PROBE_H
#define ALPCGRAPH_TEXT_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/base.h"

bool text_probe(const char *path, const unsigned char *head, size_t length,
		struct error **refusal);

#endif
