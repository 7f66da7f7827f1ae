#ifndef ALPCGRAPH_LOAD_ALL_H
#define ALPCGRAPH_LOAD_ALL_H

#include "cli.h"

/* Every input's analyses, in command-line order; problems go to stderr. */
void load_all(const struct cli_options *options, struct ptr_vec *analyses);

#endif
