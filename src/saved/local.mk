libalpcgraph_a_SOURCES += \
	src/saved/saved.h \
	src/saved/saved_internal.h \
	src/saved/saved_document.c \
	src/saved/saved_values.c \
	src/saved/saved_records.c \
	src/saved/saved_ports.c \
	src/saved/saved_messages.c \
	src/saved/saved_rpc.c
