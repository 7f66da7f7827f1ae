/* alpcgraph: the entry point and the table of subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*run)(const struct cli_options *options);
	bool needs_paths;
} commands[] = {
	{ "report", command_report, true },
	{ "scan", command_scan, true },
	{ "graph", command_graph, true },
	{ "cycles", command_cycles, true },
	{ "info", command_info, true },
	{ "alpc", command_alpc, true },
	{ "lpc", command_lpc, true },
};

int main(int argc, char **argv)
{
	struct cli_options options;
	if (!parse_options(argc, argv, &options)) {
		fputs("Try 'alpcgraph --help'.\n", stderr);
		return EXIT_USAGE;
	}
	if (!options.command) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(options.command, "help") == 0) {
		print_usage(stdout);
		return EXIT_SUCCESS_ALL;
	}
	if (strcmp(options.command, "version") == 0) {
		printf("alpcgraph %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS_ALL;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(options.command, commands[i].name) != 0)
			continue;
		if (commands[i].needs_paths && !options.path_count) {
			fprintf(stderr, "alpcgraph: %s needs at least one PATH\nTry 'alpcgraph --help'.\n",
				commands[i].name);
			return EXIT_USAGE;
		}
		return commands[i].run(&options);
	}
	fprintf(stderr, "alpcgraph: unknown command '%s'\nTry 'alpcgraph --help'.\n", options.command);
	return EXIT_USAGE;
}
