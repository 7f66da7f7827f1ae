# The text and JSON renderers, and the streaming JSON writer under them.
libalpcgraph_a_SOURCES += \
	reports/json_writer.c reports/json_writer.h \
	reports/render_json.c \
	reports/render_text.c
