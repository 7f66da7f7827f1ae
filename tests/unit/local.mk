check_PROGRAMS += tests/unit/test_base tests/unit/test_model
TESTS += tests/unit/test_base tests/unit/test_model

tests_unit_test_base_SOURCES = tests/unit/test_base.c
tests_unit_test_base_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_base_LDADD = $(TEST_LIBS)

tests_unit_test_model_SOURCES = tests/unit/test_model.c
tests_unit_test_model_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_model_LDADD = $(TEST_LIBS)

# Snapshots built by hand for renderer and correlator tests.
check_LIBRARIES += tests/unit/libfixtures.a
tests_unit_libfixtures_a_SOURCES = tests/unit/fixtures.c tests/unit/fixtures.h

include tests/unit/render_graph.mk
include tests/unit/render_text_json.mk
include tests/unit/render_html.mk

check_PROGRAMS += tests/unit/test_correlate
TESTS += tests/unit/test_correlate
tests_unit_test_correlate_SOURCES = tests/unit/test_correlate.c
tests_unit_test_correlate_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_correlate_LDADD = tests/unit/libfixtures.a $(TEST_LIBS)
include tests/unit/transcript_tests.mk

check_PROGRAMS += tests/unit/test_harness
TESTS += tests/unit/test_harness
tests_unit_test_harness_SOURCES = tests/unit/test_harness.c
tests_unit_test_harness_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_harness_LDADD = $(TEST_LIBS)
include tests/unit/memory_tests.mk
include tests/unit/windows_dump_tests.mk
include tests/unit/info_tests.mk
include tests/unit/kernel_tests.mk
include tests/unit/alpc_dump_tests.mk
include tests/unit/lpc_dump_tests.mk
include tests/unit/lpc_pool_tags_tests.mk
include tests/unit/kernel_walks_tests.mk
include tests/unit/alpc_query_tests.mk
include tests/unit/lpc_query_tests.mk
include tests/unit/profile_isf_tests.mk
include tests/unit/profile_tests.mk
include tests/unit/saved_tests.mk
