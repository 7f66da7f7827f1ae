# The text and JSON renderers, and the streaming JSON writer under them.
libalpcgraph_a_SOURCES += \
	reports/json_writer.c reports/json_writer.h \
	reports/render_json_internal.h \
	reports/render_json.c \
	reports/json_records.c \
	reports/json_analysis.c \
	reports/render_text_internal.h \
	reports/render_text.c \
	reports/text_waits.c \
	reports/text_tables.c \
	reports/render_info.c \
	reports/alpc_query_internal.h \
	reports/alpc_query.c \
	reports/alpc_query_text.c \
	reports/alpc_query_json.c \
	reports/lpc_query_internal.h \
	reports/lpc_query.c \
	reports/lpc_query_text.c \
	reports/lpc_query_json.c
