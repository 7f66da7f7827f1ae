# The wait graph: which objects it shows (graph_view), and its DOT and SVG
# forms, both written from one libcgraph graph built in render_dot.c.
libalpcgraph_a_SOURCES += \
	reports/graph_view_internal.h \
	reports/graph_view.c \
	reports/render_dot.c \
	reports/render_svg.c
