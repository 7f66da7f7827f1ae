# The kernel room (src/kernel/) over images the dump forge (tests/forge/)
# writes at test time, with a minimal kernel image (forge_kernel.c).
check_PROGRAMS += tests/unit/test_kernel
TESTS += tests/unit/test_kernel
tests_unit_test_kernel_SOURCES = tests/unit/test_kernel.c
tests_unit_test_kernel_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_kernel_LDADD = tests/forge/libforge.a $(TEST_LIBS)
