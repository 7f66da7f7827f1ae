# `alpcgraph alpc`: the text answers and the JSON answer, which is checked
# against the schema in docs/json.md ($defs/alpc_query_document).
check_PROGRAMS += tests/unit/test_alpc_query
TESTS += tests/unit/test_alpc_query

tests_unit_test_alpc_query_SOURCES = tests/unit/test_alpc_query.c \
	tests/unit/json_schema.c tests/unit/json_schema.h \
	tests/unit/json_paths.c tests/unit/json_paths.h
tests_unit_test_alpc_query_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_alpc_query_LDADD = tests/unit/libfixtures.a $(TEST_LIBS) $(JSONC_LIBS)
