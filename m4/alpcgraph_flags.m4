# Compiler flag macros for alpcgraph.

# ALPCGRAPH_CHECK_CFLAG(FLAG, VARIABLE): append FLAG to VARIABLE when the
# compiler accepts it with -Werror (so an unknown flag is not a warning).
AC_DEFUN([ALPCGRAPH_CHECK_CFLAG], [
  AC_MSG_CHECKING([whether $CC accepts $1])
  alpcgraph_saved_cflags=$CFLAGS
  CFLAGS="$CFLAGS -Werror $1"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
    [AC_MSG_RESULT([yes]); $2="$$2 $1"],
    [AC_MSG_RESULT([no])])
  CFLAGS=$alpcgraph_saved_cflags
])

# The code is C11 with POSIX 2008 and the glibc extensions AC_USE_SYSTEM_EXTENSIONS
# turns on (memmem, nftw).
AC_DEFUN([ALPCGRAPH_REQUIRE_C11], [
  alpcgraph_std=
  ALPCGRAPH_CHECK_CFLAG([-std=c11], [alpcgraph_std])
  AS_IF([test -z "$alpcgraph_std"], [AC_MSG_ERROR([a C11 compiler is required])])
  CFLAGS="$CFLAGS -std=c11"
])

# -Wall -Wextra always; --enable-werror (CI) turns warnings into errors.
AC_DEFUN([ALPCGRAPH_WARNING_FLAGS], [
  AC_ARG_ENABLE([werror],
    [AS_HELP_STRING([--enable-werror], [treat compiler warnings as errors (CI builds)])],
    [], [enable_werror=no])
  WARN_CFLAGS=
  for flag in -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wpointer-arith -Wundef -Wvla -Wno-unused-parameter; do
    ALPCGRAPH_CHECK_CFLAG([$flag], [WARN_CFLAGS])
  done
  AS_IF([test "x$enable_werror" = xyes], [WARN_CFLAGS="$WARN_CFLAGS -Werror"])
  AC_SUBST([WARN_CFLAGS])
])

# --enable-sanitizers: AddressSanitizer and UndefinedBehaviorSanitizer,
# with every UB report fatal so a test cannot pass over one.
AC_DEFUN([ALPCGRAPH_SANITIZERS], [
  AC_ARG_ENABLE([sanitizers],
    [AS_HELP_STRING([--enable-sanitizers], [build with ASan and UBSan (CI test builds)])],
    [], [enable_sanitizers=no])
  SANITIZE_CFLAGS=
  AS_IF([test "x$enable_sanitizers" = xyes], [
    ALPCGRAPH_CHECK_CFLAG([-fsanitize=address,undefined], [SANITIZE_CFLAGS])
    AS_IF([test -z "$SANITIZE_CFLAGS"], [AC_MSG_ERROR([$CC cannot build with -fsanitize=address,undefined])])
    SANITIZE_CFLAGS="$SANITIZE_CFLAGS -fno-sanitize-recover=all -fno-omit-frame-pointer"
  ])
  AC_SUBST([SANITIZE_CFLAGS])
])

# --enable-fuzzers: build the libFuzzer targets of tests/fuzz (needs clang).
AC_DEFUN([ALPCGRAPH_FUZZERS], [
  AC_ARG_ENABLE([fuzzers],
    [AS_HELP_STRING([--enable-fuzzers], [build libFuzzer targets (CC=clang)])],
    [], [enable_fuzzers=no])
  AS_IF([test "x$enable_fuzzers" = xyes], [
    fuzz_flag=
    ALPCGRAPH_CHECK_CFLAG([-fsanitize=fuzzer-no-link], [fuzz_flag])
    AS_IF([test -z "$fuzz_flag"], [AC_MSG_ERROR([--enable-fuzzers needs a compiler with libFuzzer (clang)])])
  ])
  AM_CONDITIONAL([ENABLE_FUZZERS], [test "x$enable_fuzzers" = xyes])
])
