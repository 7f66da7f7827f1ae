libalpcgraph_a_SOURCES += \
	src/memory/memory.h src/memory/memory_internal.h \
	src/memory/physical.c \
	src/memory/page_walk.c src/memory/page_walk.h \
	src/memory/translation_cache.c src/memory/translation_cache.h \
	src/memory/address_space.c
