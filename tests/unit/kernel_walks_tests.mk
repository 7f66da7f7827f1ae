# The kernel walks (processes, threads, objects, handles, the profile
# probe) over forged dumps of every layout, read with the built-in
# profiles.
check_PROGRAMS += tests/unit/test_kernel_walks
TESTS += tests/unit/test_kernel_walks
tests_unit_test_kernel_walks_SOURCES = tests/unit/test_kernel_walks.c
tests_unit_test_kernel_walks_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_kernel_walks_LDADD = tests/forge/libforge.a $(TEST_LIBS)
