# The HTML renderers: one page per capture and the folder index, built on
# libxml2 trees from templates/ (html_tree.h says how).
libalpcgraph_a_SOURCES += \
	reports/html_tree.c reports/html_tree.h \
	reports/html_page_internal.h \
	reports/html_page.c \
	reports/html_cells.c \
	reports/html_tables.c \
	reports/html_index.c \
	reports/page_summary.c \
	reports/templates_dir.c
