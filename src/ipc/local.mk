libalpcgraph_a_SOURCES += \
	src/ipc/ipc.h \
	src/ipc/ipc_internal.h \
	src/ipc/dump_snapshot.c \
	src/ipc/dump_kernel.c \
	src/ipc/processes.c \
	src/ipc/alpc.c \
	src/ipc/lpc.c
