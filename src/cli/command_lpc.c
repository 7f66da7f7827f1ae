/* alpcgraph lpc PATH... (port [ADDR] | message [ID] | scan ADDR | thread [ADDR])
 *                       [--pool-search] [--format text|json]
 *
 * WinDbg's `!lpc` (XP/2003) asked of every input at once, with the words
 * `!lpc` takes.  The query is the end of the command line: when the last
 * argument is `port`, `message` or `thread`, it is the query without an
 * argument; otherwise the one before the last must be `port`, `message`,
 * `scan` or `thread` and the last is its argument.  Everything before is
 * an input, so an input file called "port" is written ./port.  Addresses
 * and ids are hex as WinDbg takes them, with or without 0x, with at most
 * one backtick in a 64-bit address.  --pool-search reaches the dump
 * reader, whose pool scan adds the ports and messages only pool holds (as
 * `!lpc PoolSearch`), so message and port queries search those too.
 *
 * Exit status: 1 for a usage error (no query, scan without an address, an
 * argument that is not hex, no input left); 2 when an input could not be
 * read, as for every command.  A query that finds nothing in a well-read
 * input is an answer, not a failure: 0. */
#include <string.h>

#include "cli.h"
#include "load_all.h"
#include "address_argument.h"
#include "output_file.h"

static bool word_is(const char *text, enum lpc_query_kind *kind, bool argument_given)
{
	static const struct {
		const char *word;
		enum lpc_query_kind kind;
		bool argument_optional;
	} words[] = {
		{ "port", LPC_QUERY_PORT, true },
		{ "message", LPC_QUERY_MESSAGE, true },
		{ "scan", LPC_QUERY_SCAN, false },
		{ "thread", LPC_QUERY_THREAD, true },
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(text, words[i].word) == 0 &&
		    (argument_given || words[i].argument_optional)) {
			*kind = words[i].kind;
			return true;
		}
	return false;
}

/* Splits the arguments into inputs and the query at their end. */
static bool build_query(const struct cli_options *options, size_t *path_count,
			struct lpc_query *query)
{
	char **args = options->paths;
	size_t count = options->path_count;
	*query = (struct lpc_query){ .address = UNKNOWN_U64, .message_id = UNKNOWN_U64 };
	enum lpc_query_kind kind;
	if (count >= 1 && word_is(args[count - 1], &kind, false)) {
		query->kind = kind;
		*path_count = count - 1;
	} else if (count >= 2 && word_is(args[count - 2], &kind, true)) {
		query->kind = kind;
		query->argument = args[count - 1];
		*path_count = count - 2;
		struct address_argument number;
		if (!parse_address_argument(query->argument, &number)) {
			fprintf(stderr, "alpcgraph: lpc: %s takes a hex %s, not '%s'\n",
				args[count - 2], kind == LPC_QUERY_MESSAGE ? "message id" : "address",
				query->argument);
			return false;
		}
		if (kind == LPC_QUERY_MESSAGE)
			query->message_id = known_u64(number.value);
		else
			query->address = known_u64(number.value);
	} else {
		fprintf(stderr, "alpcgraph: lpc: end with a query: port [ADDR], message [ID], "
				"scan ADDR or thread [ADDR]\n");
		return false;
	}
	if (!*path_count) {
		fprintf(stderr, "alpcgraph: lpc needs at least one PATH before the query\n");
		return false;
	}
	return true;
}

static struct error *lpc_json(FILE *out, struct analysis *const *analyses, size_t count,
			      const void *query)
{
	return render_lpc_json(out, analyses, count, query);
}

static struct error *lpc_text(FILE *out, const struct analysis *analysis, const void *query)
{
	return render_lpc_text(out, analysis, query);
}

int command_lpc(const struct cli_options *options)
{
	bool json;
	if (!listing_format("lpc", options, &json))
		return EXIT_USAGE;
	struct lpc_query query;
	struct cli_options inputs = *options;
	if (!build_query(options, &inputs.path_count, &query)) {
		fputs("Try 'alpcgraph --help'.\n", stderr);
		return EXIT_USAGE;
	}
	struct ptr_vec analyses = { 0 };
	load_all(&inputs, &analyses);
	struct listing listing = { lpc_json, lpc_text, &query };
	return write_listing(options, json, &listing, &analyses);
}
