libalpcgraph_a_SOURCES += \
	reports/reports.h \
	reports/anchors.c

# Each renderer family keeps its own list.
include reports/graph.mk
include reports/text_json.mk
include reports/html.mk
