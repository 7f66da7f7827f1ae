alpcgraph_SOURCES += \
	src/cli/cli.h \
	src/cli/main.c \
	src/cli/options.c \
	src/cli/inputs.c \
	src/cli/load_all.c src/cli/load_all.h \
	src/cli/output_file.c src/cli/output_file.h \
	src/cli/address_argument.c src/cli/address_argument.h \
	src/cli/command_scan.c \
	src/cli/command_graph.c \
	src/cli/command_cycles.c \
	src/cli/command_report.c \
	src/cli/command_info.c \
	src/cli/command_alpc.c \
	src/cli/command_lpc.c \
	src/cli/report_pages.c src/cli/report_pages.h
