libalpcgraph_a_SOURCES += \
	src/correlate/correlate.h \
	src/correlate/analysis_internal.h \
	src/correlate/analysis.c \
	src/correlate/chains.c \
	src/correlate/cycles.c \
	src/correlate/digraph.c src/correlate/digraph.h \
	src/correlate/ipc_waits.c \
	src/correlate/lock_waits.c \
	src/correlate/names.c \
	src/correlate/rpc_waits.c \
	src/correlate/thread_activity.c
