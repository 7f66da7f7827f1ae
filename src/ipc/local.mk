libalpcgraph_a_SOURCES += \
	src/ipc/ipc.h \
	src/ipc/dump_snapshot.c
