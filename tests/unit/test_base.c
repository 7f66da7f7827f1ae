/* The base room: error messages, arena, containers, UTF-8 repair. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/base/base.h"

static void error_messages_name_file_and_place(void)
{
	struct error *error = error_at_line(ERROR_FORMAT, "hang.txt", 42, "bad %s", "Cid");
	CU_ASSERT_EQUAL(error->code, ERROR_FORMAT);
	CU_ASSERT_STRING_EQUAL(error->message, "hang.txt:42: bad Cid");
	CU_ASSERT_STRING_EQUAL(error_detail(error), "hang.txt:42: bad Cid");
	error_free(error);
	error = error_at_offset(ERROR_TRUNCATED, "MEMORY.DMP", 0x2000, "header ends");
	CU_ASSERT_STRING_EQUAL(error->message, "MEMORY.DMP: offset 0x2000: header ends");
	CU_ASSERT_STRING_EQUAL(error_detail(error), "offset 0x2000: header ends");
	error_free(error);
	error = error_in_file(ERROR_IO, "x", "gone");
	CU_ASSERT_STRING_EQUAL(error->message, "x: gone");
	CU_ASSERT_STRING_EQUAL(error_detail(error), "gone");
	error_free(error);
	error = error_new(ERROR_LIMIT, "too %s", "many");
	CU_ASSERT_STRING_EQUAL(error_detail(error), "too many");
	error_free(error);
}

static void arena_hands_out_zeroed_aligned_memory(void)
{
	struct arena arena;
	arena_init(&arena);
	for (int i = 0; i < 10000; i++) {
		unsigned char *p = arena_alloc(&arena, (size_t)(i % 97) + 1);
		CU_ASSERT_EQUAL((uintptr_t)p % 16, 0);
		CU_ASSERT_EQUAL(p[0], 0);
		p[0] = 0xff;
	}
	/* A request larger than a block gets its own block. */
	unsigned char *big = arena_alloc(&arena, 1 << 20);
	CU_ASSERT_EQUAL(big[(1 << 20) - 1], 0);
	CU_ASSERT_STRING_EQUAL(arena_printf(&arena, "%d-%s", 7, "x"), "7-x");
	CU_ASSERT_STRING_EQUAL(arena_strndup(&arena, "abcdef", 3), "abc");
	arena_release(&arena);
}

static void map_finds_replaces_and_grows(void)
{
	struct u64_map map = { 0 };
	static int values[5000];
	for (uint64_t i = 0; i < 5000; i++)
		u64_map_put(&map, 0xfffffa8000000000ULL + i * 0x1000, &values[i]);
	CU_ASSERT_EQUAL(map.count, 5000);
	for (uint64_t i = 0; i < 5000; i++)
		CU_ASSERT_PTR_EQUAL(u64_map_get(&map, 0xfffffa8000000000ULL + i * 0x1000), &values[i]);
	CU_ASSERT_PTR_NULL(u64_map_get(&map, 1));
	u64_map_put(&map, 0xfffffa8000000000ULL, &values[9]);
	CU_ASSERT_PTR_EQUAL(u64_map_get(&map, 0xfffffa8000000000ULL), &values[9]);
	CU_ASSERT_EQUAL(map.count, 5000);
	u64_map_release(&map);
}

static void strings_are_interned_once(void)
{
	struct arena arena;
	arena_init(&arena);
	struct string_table table;
	string_table_init(&table, &arena);
	const char *a = string_table_intern(&table, "nt!KiSwapContext+0x7a", 16);
	const char *b = string_table_intern(&table, "nt!KiSwapContext", 16);
	CU_ASSERT_PTR_EQUAL(a, b);
	CU_ASSERT_STRING_EQUAL(a, "nt!KiSwapContext");
	char name[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "frame%d", i);
		string_table_intern(&table, name, strlen(name));
	}
	CU_ASSERT_EQUAL(table.count, 1001);
	CU_ASSERT_STRING_EQUAL(string_table_intern(&table, "frame999", 8), "frame999");
	CU_ASSERT_EQUAL(table.count, 1001);
	string_table_release(&table);
	arena_release(&arena);
}

static void utf8_is_checked_and_repaired(void)
{
	CU_ASSERT_TRUE(utf8_is_valid("csrss.exe", 9));
	CU_ASSERT_TRUE(utf8_is_valid("\xc3\xa9", 2));
	CU_ASSERT_FALSE(utf8_is_valid("\xc3", 1));          /* truncated */
	CU_ASSERT_FALSE(utf8_is_valid("\xc0\xaf", 2));      /* overlong */
	CU_ASSERT_FALSE(utf8_is_valid("\xed\xa0\x80", 3));  /* surrogate */
	CU_ASSERT_FALSE(utf8_is_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	struct arena arena;
	arena_init(&arena);
	bool repaired = false;
	char *copy = utf8_sanitized_copy(&arena, "a\xff" "b\x01", 4, &repaired);
	CU_ASSERT_TRUE(repaired);
	CU_ASSERT_STRING_EQUAL(copy, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	repaired = false;
	copy = utf8_sanitized_copy(&arena, "ok\t", 3, &repaired);
	CU_ASSERT_FALSE(repaired);
	CU_ASSERT_STRING_EQUAL(copy, "ok\t");
	arena_release(&arena);
}

static void vectors_keep_order_and_skip_repeats(void)
{
	struct u64_vec vec = { 0 };
	u64_vec_push_unique(&vec, 3);
	u64_vec_push_unique(&vec, 1);
	u64_vec_push_unique(&vec, 3);
	CU_ASSERT_EQUAL(vec.count, 2);
	CU_ASSERT_EQUAL(vec.items[0], 3);
	CU_ASSERT_EQUAL(vec.items[1], 1);
	u64_vec_release(&vec);
	struct ptr_vec ptrs = { 0 };
	int x;
	for (int i = 0; i < 100; i++)
		ptr_vec_push(&ptrs, &x);
	CU_ASSERT_EQUAL(ptrs.count, 100);
	ptr_vec_release(&ptrs);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "error messages name file and place", error_messages_name_file_and_place },
		{ "arena hands out zeroed aligned memory", arena_hands_out_zeroed_aligned_memory },
		{ "map finds, replaces and grows", map_finds_replaces_and_grows },
		{ "strings are interned once", strings_are_interned_once },
		{ "UTF-8 is checked and repaired", utf8_is_checked_and_repaired },
		{ "vectors keep order and skip repeats", vectors_keep_order_and_skip_repeats },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "base", cases } };
	return run_suites("test_base", suites, 1);
}
