# The HTML page, the page summary encoding and the folder index.
check_PROGRAMS += tests/unit/test_render_html
TESTS += tests/unit/test_render_html

tests_unit_test_render_html_SOURCES = tests/unit/test_render_html.c
tests_unit_test_render_html_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_render_html_LDADD = tests/unit/libfixtures.a $(TEST_LIBS)
