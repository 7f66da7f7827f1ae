alpcgraph_SOURCES += \
	src/cli/main.c
