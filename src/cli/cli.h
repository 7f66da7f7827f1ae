/* cli — the alpcgraph command: subcommands, options, progress and exit
 * codes (DESIGN.md "CLI").  It finds the inputs, has source identify and
 * a reader fill snapshots, runs the correlator, and hands the results to
 * the renderers.  Exit codes: 0 success; 1 usage; 2 some input could not
 * be read, wholly or in part (the rest were processed); 3 (`cycles` only)
 * a definite deadlock was found, which outranks 2. */
#ifndef ALPCGRAPH_CLI_H
#define ALPCGRAPH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "../../reports/reports.h"
#include "../source/source.h"
#include "../ipc/ipc.h"
#include "../saved/saved.h"
#include "../transcript/transcript.h"

enum exit_status { EXIT_SUCCESS_ALL = 0, EXIT_USAGE = 1, EXIT_BAD_INPUT = 2, EXIT_DEADLOCK = 3 };

struct cli_options {
	const char *command;
	char **paths;
	size_t path_count;
	const char *output;
	const char *format;
	bool all;
	size_t max_nodes;
	bool same_machine;
	unsigned jobs;
	bool quiet;
	unsigned capture;
	const char *templates;
	bool no_svg;
	bool raw_input; /* --input-format raw (or --format raw): a raw physical image */
	const char *profile_path; /* --profile FILE */
	bool pool_search;         /* --pool-search */
	bool from_json;           /* --from-json: the inputs are alpcgraph JSON reports */
	/* alpc: --port, --message, --process, --connections or --waiters;
	 * how many were given (exactly one is allowed), the last one's kind
	 * and its argument as written */
	unsigned alpc_queries;
	enum alpc_query_kind alpc_query;
	const char *alpc_argument;
};

/* Parses argv after the program name; prints the problem and returns false
 * on a usage error. */
bool parse_options(int argc, char **argv, struct cli_options *options);
void print_usage(FILE *out);

/* The files named by the arguments: files as given, folders walked in
 * sorted order.  A path that does not exist is kept, so that its error is
 * reported like any other bad input. */
void expand_inputs(char *const *paths, size_t count, struct ptr_vec *files);
/* The same over the command's paths; with --from-json a folder gives only
 * its files named *.json (report's folders hold HTML, SVG and DOT too). */
void expand_command_inputs(const struct cli_options *options, struct ptr_vec *files);
void free_inputs(struct ptr_vec *files);

/* Reads one input file into snapshots (one per capture), or every file
 * into one snapshot with --same-machine.  Never fails: a bad input becomes
 * a snapshot with status error.  With --from-json the files are our own
 * JSON reports, one snapshot per element of their "inputs". */
void load_input(const char *path, const struct cli_options *options, struct ptr_vec *snapshots);
struct snapshot *load_as_one_machine(const struct ptr_vec *files, const struct cli_options *options);

/* Turns the snapshots into analyses (taking ownership) and frees them. */
void analyze_all(struct ptr_vec *snapshots, struct ptr_vec *analyses);
void free_analyses(struct ptr_vec *analyses);
/* 2 when any analysis's input was not read cleanly, else 0. */
int exit_status_of(const struct ptr_vec *analyses);

/* Each error and warning of the inputs on stderr, one line each. */
void report_problems(const struct ptr_vec *analyses);

void progress(const struct cli_options *options, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

int command_scan(const struct cli_options *options);
int command_graph(const struct cli_options *options);
int command_cycles(const struct cli_options *options);
int command_report(const struct cli_options *options);
int command_info(const struct cli_options *options);
int command_alpc(const struct cli_options *options);
int command_lpc(const struct cli_options *options);

#endif
