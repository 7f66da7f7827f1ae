# The text and JSON renderers.  test_render_json validates the output
# against the schema in docs/json.md, which it reads from $(srcdir).
check_PROGRAMS += tests/unit/test_render_json tests/unit/test_render_text
TESTS += tests/unit/test_render_json tests/unit/test_render_text
EXTRA_DIST += docs/json.md

tests_unit_test_render_json_SOURCES = tests/unit/test_render_json.c \
	tests/unit/json_schema.c tests/unit/json_schema.h
tests_unit_test_render_json_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_render_json_LDADD = tests/unit/libfixtures.a $(TEST_LIBS) $(JSONC_LIBS)

tests_unit_test_render_text_SOURCES = tests/unit/test_render_text.c
tests_unit_test_render_text_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_render_text_LDADD = tests/unit/libfixtures.a $(TEST_LIBS)
