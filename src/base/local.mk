libalpcgraph_a_SOURCES += \
	src/base/base.h \
	src/base/error.c src/base/error.h \
	src/base/maybe.h \
	src/base/arena.c src/base/arena.h \
	src/base/ptr_vec.c src/base/ptr_vec.h \
	src/base/u64_vec.c src/base/u64_vec.h \
	src/base/u64_map.c src/base/u64_map.h \
	src/base/string_table.c src/base/string_table.h \
	src/base/utf8.c src/base/utf8.h
