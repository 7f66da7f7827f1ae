/* alpcgraph alpc PATH... (--port ADDR | --message ADDR|ID | --process PID|ADDR
 *                         | --connections ADDR | --waiters) [--format text|json]
 *
 * WinDbg's `!alpc /p`, `/m`, `/lpp`, `/lpc` and the `!process 0 ff` wait
 * lines, asked of every input at once.  Arguments are read as a WinDbg
 * user types them: addresses and message ids in hex, with or without 0x,
 * with the backtick WinDbg puts in the middle of a 64-bit address
 * (fffffa80`0c3f5e60); a pid in decimal, or in hex with 0x as a Cid
 * shows it.  For --process, an argument of decimal digits alone is a pid,
 * one with 0x is an EPROCESS address or else a pid, and bare hex (or one
 * with a backtick) is an EPROCESS address.
 *
 * Exit status: 1 for a usage error (no query, two queries, an argument
 * that is not a number); 2 when an input could not be read, as for every
 * command.  A query that finds nothing in a well-read input is an answer
 * ("No port … in this input."), not a failure: 0. */
#include <ctype.h>
#include <string.h>

#include "cli.h"
#include "load_all.h"
#include "address_argument.h"
#include "output_file.h"

static bool parse_decimal(const char *text, uint64_t *value)
{
	uint64_t parsed = 0;
	if (!*text)
		return false;
	for (const char *at = text; *at; at++) {
		if (!isdigit((unsigned char)*at) || parsed > (UINT64_MAX - 9) / 10)
			return false;
		parsed = parsed * 10 + (uint64_t)(*at - '0');
	}
	*value = parsed;
	return true;
}

static bool build_query(const struct cli_options *options, struct alpc_query *query)
{
	static const char *const option_names[] = {
		[ALPC_QUERY_PORT] = "--port",
		[ALPC_QUERY_MESSAGE] = "--message",
		[ALPC_QUERY_PROCESS] = "--process",
		[ALPC_QUERY_CONNECTIONS] = "--connections",
		[ALPC_QUERY_WAITERS] = "--waiters",
	};
	if (options->alpc_queries != 1) {
		fprintf(stderr, "alpcgraph: alpc: give exactly one of --port, --message, --process, "
				"--connections or --waiters\n");
		return false;
	}
	*query = (struct alpc_query){ .kind = options->alpc_query,
				      .address = UNKNOWN_U64,
				      .number = UNKNOWN_U64,
				      .argument = options->alpc_argument };
	if (query->kind == ALPC_QUERY_WAITERS)
		return true;
	const char *text = options->alpc_argument;
	struct address_argument number;
	uint64_t pid;
	if (query->kind == ALPC_QUERY_PROCESS && parse_decimal(text, &pid) &&
	    parse_address_argument(text, &number) && number.decimal_digits_only) {
		query->number = known_u64(pid);
		return true;
	}
	if (!parse_address_argument(text, &number)) {
		fprintf(stderr, "alpcgraph: alpc: %s takes a hex %s, not '%s'\n",
			option_names[query->kind],
			query->kind == ALPC_QUERY_MESSAGE   ? "address or MessageID"
			: query->kind == ALPC_QUERY_PROCESS ? "EPROCESS address or a pid"
							    : "address",
			text);
		return false;
	}
	query->address = known_u64(number.value);
	if (query->kind == ALPC_QUERY_MESSAGE)
		query->number = known_u64(number.value);
	if (query->kind == ALPC_QUERY_PROCESS && number.prefixed)
		query->number = known_u64(number.value);
	return true;
}

static struct error *alpc_json(FILE *out, struct analysis *const *analyses, size_t count,
			       const void *query)
{
	return render_alpc_json(out, analyses, count, query);
}

static struct error *alpc_text(FILE *out, const struct analysis *analysis, const void *query)
{
	return render_alpc_text(out, analysis, query);
}

int command_alpc(const struct cli_options *options)
{
	bool json;
	if (!listing_format("alpc", options, &json))
		return EXIT_USAGE;
	struct alpc_query query;
	if (!build_query(options, &query)) {
		fputs("Try 'alpcgraph --help'.\n", stderr);
		return EXIT_USAGE;
	}
	struct ptr_vec analyses = { 0 };
	load_all(options, &analyses);
	struct listing listing = { alpc_json, alpc_text, &query };
	return write_listing(options, json, &listing, &analyses);
}
