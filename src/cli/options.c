/* GNU-style options (getopt_long), common to every subcommand; each
 * subcommand checks the ones it needs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void print_usage(FILE *out)
{
	fputs("Usage: alpcgraph COMMAND [OPTION]... PATH...\n"
	      "Turn Windows debugger transcripts into hang reports: every thread waiting on\n"
	      "an ALPC/LPC port or an RPC call, the wait-for graph, and deadlock cycles.\n"
	      "\n"
	      "Commands:\n"
	      "  report PATH... -o DIR      one HTML page (with SVG, DOT and JSON) per capture,\n"
	      "                             and DIR/index.html grouping the hangs by signature\n"
	      "  scan PATH... [-f text|json]  the inventory, waits, cycles and chains\n"
	      "  graph PATH [-f dot|svg] [-o FILE]  the wait-for graph of one capture\n"
	      "  cycles PATH...             the deadlock cycles; exit status 3 if one is definite\n"
	      "  info DUMP... [-f text|json]  what a memory dump is: format, build, PDB, DTB, kernel\n"
	      "  alpc PATH... QUERY [-f text|json]  WinDbg's !alpc over every port, message\n"
	      "                             and thread of each input; QUERY is one of:\n"
	      "      --port=ADDR        a port, as !alpc /p\n"
	      "      --message=ADDR|ID  a message by address or MessageID (hex), as !alpc /m\n"
	      "      --process=PID|ADDR ports created by and connected to a process, as\n"
	      "                         !alpc /lpp (PID decimal or 0x hex; ADDR an EPROCESS)\n"
	      "      --connections=ADDR the connections of a connection port, as !alpc /lpc\n"
	      "      --waiters          every thread waiting for an ALPC or LPC reply\n"
	      "    ADDR is hex, with or without 0x, and may keep WinDbg's backtick\n"
	      "    (fffffa80`0c3f5e60).  Nothing found is said and is not an error.\n"
	      "  lpc PATH... (port [ADDR] | message [ID] | scan ADDR | thread [ADDR])\n"
	      "                             [-f text|json]  WinDbg's !lpc (XP/2003) over each\n"
	      "                             input: every port or one, the threads and ports\n"
	      "                             of a message (no ID or 0: every message), a port\n"
	      "                             and the ports connected to it, the ports whose\n"
	      "                             rundown queue holds a thread (none: every thread\n"
	      "                             doing LPC).  The query ends the command line;\n"
	      "                             an input named like a query word is written\n"
	      "                             ./port.  --pool-search adds pool-only objects.\n"
	      "\n"
	      "PATH is a transcript file (kd/WinDbg/cdb/DbgRpc output), a memory dump (Windows\n"
	      "crash dump, ELF core, kdump) or a folder of them.\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output=PATH      output folder (report) or file (scan, graph)\n"
	      "  -f, --format=FORMAT    text or json (scan); dot or svg (graph)\n"
	      "      --all              graph every process, thread and port, not only the waits\n"
	      "      --max-nodes=N      largest graph laid out (default 400)\n"
	      "      --capture=N        which capture of a multi-session transcript to graph\n"
	      "      --same-machine     read all inputs as captures of one machine\n"
	      "      --no-svg           report: skip the graph layout (the DOT file still has it)\n"
	      "      --input-format=raw a raw physical memory image (also --format raw)\n"
	      "      --profile=FILE     a Volatility 3 ISF symbol table (.json or .json.xz) for\n"
	      "                         a dump whose build has no built-in profile\n"
	      "      --pool-search      also scan physical memory for ports by pool tag\n"
	      "      --from-json        each PATH (or file in a folder) is a JSON report of\n"
	      "                         `scan --format json` or `report` (format_version 1,\n"
	      "                         at most 1 GiB): its inputs are read back and\n"
	      "                         correlated again; waits and cycles in it are not\n"
	      "                         trusted (report, scan, cycles, graph, alpc, lpc)\n"
	      "  -j, --jobs=N           inputs processed in parallel by report (default: CPUs)\n"
	      "      --templates=DIR    HTML templates (default: the installed ones)\n"
	      "  -q, --quiet            no progress messages\n"
	      "  -h, --help             this text\n"
	      "  -V, --version          the version\n"
	      "\n"
	      "Exit status: 0 success; 1 usage error; 2 some input could not be read (the\n"
	      "others were processed); 3 (cycles) a definite deadlock was found.\n",
	      out);
}

static bool parse_count(const char *text, const char *what, size_t limit, size_t *value)
{
	char *end;
	unsigned long long parsed = strtoull(text, &end, 10);
	if (!*text || *end || parsed == 0 || parsed > limit) {
		fprintf(stderr, "alpcgraph: %s must be a number from 1 to %zu, not '%s'\n", what, limit,
			text);
		return false;
	}
	*value = (size_t)parsed;
	return true;
}

static unsigned default_jobs(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > 16 ? 16 : (unsigned)cpus;
}

bool parse_options(int argc, char **argv, struct cli_options *options)
{
	enum { OPTION_ALL = 256, OPTION_MAX_NODES, OPTION_CAPTURE, OPTION_SAME_MACHINE,
	       OPTION_TEMPLATES, OPTION_NO_SVG, OPTION_INPUT_FORMAT, OPTION_PROFILE,
	       OPTION_POOL_SEARCH, OPTION_PORT, OPTION_MESSAGE, OPTION_PROCESS,
	       OPTION_CONNECTIONS, OPTION_WAITERS, OPTION_FROM_JSON };
	static const struct option long_options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, OPTION_ALL },
		{ "max-nodes", required_argument, NULL, OPTION_MAX_NODES },
		{ "capture", required_argument, NULL, OPTION_CAPTURE },
		{ "same-machine", no_argument, NULL, OPTION_SAME_MACHINE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "templates", required_argument, NULL, OPTION_TEMPLATES },
		{ "no-svg", no_argument, NULL, OPTION_NO_SVG },
		{ "input-format", required_argument, NULL, OPTION_INPUT_FORMAT },
		{ "profile", required_argument, NULL, OPTION_PROFILE },
		{ "pool-search", no_argument, NULL, OPTION_POOL_SEARCH },
		{ "from-json", no_argument, NULL, OPTION_FROM_JSON },
		{ "port", required_argument, NULL, OPTION_PORT },
		{ "message", required_argument, NULL, OPTION_MESSAGE },
		{ "process", required_argument, NULL, OPTION_PROCESS },
		{ "connections", required_argument, NULL, OPTION_CONNECTIONS },
		{ "waiters", no_argument, NULL, OPTION_WAITERS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	memset(options, 0, sizeof *options);
	options->jobs = default_jobs();
	options->capture = 1;
	size_t number;
	int option;
	optind = 1;
	opterr = 1;
	while ((option = getopt_long(argc, argv, "o:f:j:qhV", long_options, NULL)) != -1) {
		switch (option) {
		case 'o':
			options->output = optarg;
			break;
		case 'f':
			/* "raw" names an input format, the others output formats. */
			if (strcmp(optarg, "raw") == 0)
				options->raw_input = true;
			else
				options->format = optarg;
			break;
		case OPTION_INPUT_FORMAT:
			if (strcmp(optarg, "raw") != 0) {
				fprintf(stderr, "alpcgraph: --input-format takes only 'raw' (other "
						"formats are recognised by content), not '%s'\n", optarg);
				return false;
			}
			options->raw_input = true;
			break;
		case OPTION_PROFILE:
			options->profile_path = optarg;
			break;
		case OPTION_POOL_SEARCH:
			options->pool_search = true;
			break;
		case OPTION_FROM_JSON:
			options->from_json = true;
			break;
		case OPTION_PORT:
		case OPTION_MESSAGE:
		case OPTION_PROCESS:
		case OPTION_CONNECTIONS:
		case OPTION_WAITERS:
			options->alpc_queries++;
			options->alpc_query = option == OPTION_PORT      ? ALPC_QUERY_PORT
					      : option == OPTION_MESSAGE ? ALPC_QUERY_MESSAGE
					      : option == OPTION_PROCESS ? ALPC_QUERY_PROCESS
					      : option == OPTION_CONNECTIONS ? ALPC_QUERY_CONNECTIONS
									 : ALPC_QUERY_WAITERS;
			options->alpc_argument = option == OPTION_WAITERS ? NULL : optarg;
			break;
		case OPTION_ALL:
			options->all = true;
			break;
		case OPTION_MAX_NODES:
			if (!parse_count(optarg, "--max-nodes", 100000, &options->max_nodes))
				return false;
			break;
		case OPTION_CAPTURE:
			if (!parse_count(optarg, "--capture", 1000000, &number))
				return false;
			options->capture = (unsigned)number;
			break;
		case OPTION_SAME_MACHINE:
			options->same_machine = true;
			break;
		case 'j':
			if (!parse_count(optarg, "--jobs", 256, &number))
				return false;
			options->jobs = (unsigned)number;
			break;
		case OPTION_TEMPLATES:
			options->templates = optarg;
			break;
		case OPTION_NO_SVG:
			options->no_svg = true;
			break;
		case 'q':
			options->quiet = true;
			break;
		case 'h':
			options->command = "help";
			return true;
		case 'V':
			options->command = "version";
			return true;
		default:
			return false;
		}
	}
	if (optind < argc)
		options->command = argv[optind++];
	options->paths = argv + optind;
	options->path_count = (size_t)(argc - optind);
	return true;
}
