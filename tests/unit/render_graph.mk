# The wait graph: graph_view's budget, DOT read back by libcgraph, SVG read
# back by libxml2.
check_PROGRAMS += tests/unit/test_render_graph
TESTS += tests/unit/test_render_graph

tests_unit_test_render_graph_SOURCES = tests/unit/test_render_graph.c
tests_unit_test_render_graph_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_render_graph_LDADD = tests/unit/libfixtures.a $(TEST_LIBS)
