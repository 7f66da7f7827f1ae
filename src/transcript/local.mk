libalpcgraph_a_SOURCES += \
	src/transcript/transcript.h \
	src/transcript/scanner.h \
	src/transcript/scanner.c \
	src/transcript/command.c \
	src/transcript/line_reader.c src/transcript/line_reader.h \
	src/transcript/text_fields.c src/transcript/text_fields.h \
	src/transcript/kernel_listing.c \
	src/transcript/stack_frames.c \
	src/transcript/system_lines.c \
	src/transcript/alpc_listing.c \
	src/transcript/lpc_listing.c \
	src/transcript/rpc_listing.c \
	src/transcript/object_listing.c
