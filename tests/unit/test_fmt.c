// SPDX-License-Identifier: GPL-2.0
/*
 * hv's formatter (hv/lib/fmt.c) against glibc's for the conversions hv
 * supports, and the string helpers of hv/lib/strutil.c.
 *
 * The test binary links hv's vsnprintf/snprintf in place of the C library's,
 * so glibc's formatting is reached through vasprintf(), which hv lacks. hv's
 * formatter is always called through a wrapper taking a va_list, which the
 * compiler cannot fold at build time the way it can fold snprintf().
 */
#define _GNU_SOURCE
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/lib/fmt.h>
#include <hv/lib/string.h>

#define BUF_LEN 256

static char buf[BUF_LEN];

/* hv's formatter into buf[0..size); the rest of buf is 0x5a to catch stray writes. */
static int __printf(2, 3) hv_fmt(size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	memset(buf, 0x5a, sizeof(buf));
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void untouched_from(size_t from)
{
	size_t i;

	for (i = from; i < sizeof(buf); i++)
		if (buf[i] != 0x5a)
			fail_msg("byte %zu written past the buffer size", i);
}

/* Formats with hv and with glibc; both the text and the returned length must agree. */
static void __printf(1, 2) like_glibc(const char *fmt, ...)
{
	char *theirs;
	va_list ap, ap2;
	int n, m;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	memset(buf, 0x5a, sizeof(buf));
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	m = vasprintf(&theirs, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	assert_true(m >= 0);
	if (strcmp(buf, theirs) || n != m)
		fail_msg("format \"%s\": hv gave \"%s\" (%d), glibc \"%s\" (%d)", fmt, buf, n,
			 theirs, m);
	free(theirs);
}

static void decimal_conversions_match_glibc(void **state)
{
	like_glibc("%d %d %d %i", 0, 42, -42, 7);
	like_glibc("%d %d", INT_MAX, INT_MIN);
	like_glibc("%u %u", 0U, UINT_MAX);
	like_glibc("%ld %ld %lu", LONG_MAX, LONG_MIN, ULONG_MAX);
	like_glibc("%lld %lld %llu", LLONG_MAX, LLONG_MIN, ULLONG_MAX);
	like_glibc("%zu %zd", (size_t)123456789012ULL, (ssize_t)-5);
}

static void hex_conversions_match_glibc(void **state)
{
	like_glibc("%x %x %X", 0U, 0xdeadbeefU, 0xdeadbeefU);
	like_glibc("%lx %lX", 0x0123456789abcdefUL, 0xfedcba9876543210UL);
	like_glibc("%llx", 0xffffffffffffffffULL);
	like_glibc("%zx", (size_t)0x1000);
	/* A negative int read by %x is its two's complement. */
	like_glibc("%x", -1);
}

static void short_length_modifiers_match_glibc(void **state)
{
	like_glibc("%hhx %hx", 0x1ff, 0x1ffff);
	like_glibc("%hhu %hu", 0x1ff, 0x1ffff);
	like_glibc("%hhd %hd %hhd %hd", 0x80, 0xffff, -1, -32768);
	like_glibc("%hhi %hi", 0x17f, 0x17fff);
	like_glibc("%hhX", 0xab);
}

static void string_and_char_conversions_match_glibc(void **state)
{
	like_glibc("%s|%s|%s", "", "a", "hello, world");
	like_glibc("%c%c%c", 'h', 'v', '!');
	like_glibc("100%%");
	like_glibc("%s=%d%%", "load", 99);
}

static void null_string_prints_as_null_in_parentheses(void **state)
{
	const char *volatile null = NULL;

	assert_int_equal(hv_fmt(sizeof(buf), "[%s]", null), 8);
	assert_string_equal(buf, "[(null)]");
}

static void pointer_conversion_matches_glibc(void **state)
{
	like_glibc("%p", (void *)0x1234);
	like_glibc("%p", (void *)0xffff800000001000ULL);
	like_glibc("%p %p", (void *)&buf, (void *)(buf + 1));
}

static void null_pointer_prints_as_0x0(void **state)
{
	/* glibc prints "(nil)"; hv prints the address like any other. */
	assert_int_equal(hv_fmt(sizeof(buf), "%p", (void *)NULL), 3);
	assert_string_equal(buf, "0x0");
}

static void width_pads_on_the_left_with_spaces(void **state)
{
	like_glibc("[%5d] [%5d] [%1d] [%5u]", 42, -42, 12345, 7U);
	like_glibc("[%8x] [%8X] [%3x]", 0xbeefU, 0xbeefU, 0xdeadbeefU);
	like_glibc("[%8s] [%2s]", "abc", "abcdef");
	like_glibc("[%3c]", 'x');
	like_glibc("[%18p]", (void *)0x1234);
	like_glibc("[%20llu]", ULLONG_MAX);
}

static void zero_flag_pads_numbers_with_zeros_after_the_sign(void **state)
{
	like_glibc("[%05d] [%05d] [%02d] [%01d]", 42, -42, -5, 0);
	like_glibc("[%08x] [%016llx] [%08X]", 0xbeefU, 0x1234ULL, 0xabU);
	like_glibc("[%05u] [%010lu]", 42U, 1234567UL);
	like_glibc("[%020lld]", LLONG_MIN);
}

static void minus_flag_aligns_left(void **state)
{
	like_glibc("[%-5d] [%-5d] [%-5u] [%-8x]", 42, -42, 3U, 0xabcU);
	like_glibc("[%-8s] [%-1s]", "abc", "abc");
	like_glibc("[%-3c]", 'x');
	like_glibc("[%-18p]", (void *)0x1234);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void minus_flag_overrides_the_zero_flag(void **state)
{
	/* The fill on the right is spaces, and a sign stays next to the digits. */
	like_glibc("[%-05d] [%0-5d] [%-05x] [%-05u]", 42, -42, 0xaU, 7U);
}
#pragma GCC diagnostic pop

static void star_takes_the_width_from_the_arguments(void **state)
{
	like_glibc("[%*d] [%*s] [%0*x]", 6, 42, 4, "ab", 8, 0xbeefU);
	/* A negative width from '*' means the '-' flag. */
	like_glibc("[%*d] [%*s]", -6, 42, -4, "ab");
}

static void precision_limits_a_string(void **state)
{
	like_glibc("[%.3s] [%.0s] [%.10s] [%.s]", "abcdef", "abc", "ab", "xyz");
	like_glibc("[%8.3s] [%-8.3s]", "abcdef", "abcdef");
	like_glibc("[%.5s]", "ab\0cdefgh");
	like_glibc("[%.*s] [%.*s] [%-6.*s]", 2, "abcdef", 0, "abc", 3, "abcdef");
	/* A negative precision from '*' is no precision at all. */
	like_glibc("[%.*s]", -1, "abcdef");
}

static void precision_stops_reading_at_the_limit(void **state)
{
	/* A bounded %s may point at bytes that are not NUL-terminated. */
	char *s = malloc(4);

	assert_non_null(s);
	memcpy(s, "abcd", 4);
	assert_int_equal(hv_fmt(sizeof(buf), "[%.4s]", s), 6);
	assert_string_equal(buf, "[abcd]");
	free(s);
}

static void truncation_returns_the_full_length(void **state)
{
	assert_int_equal(hv_fmt(8, "hello, %s", "world"), 12);
	assert_string_equal(buf, "hello, ");
	untouched_from(8);

	assert_int_equal(hv_fmt(5, "%d", -123456), 7);
	assert_string_equal(buf, "-123");
	untouched_from(5);

	assert_int_equal(hv_fmt(4, "%08x", 0xbeefU), 8);
	assert_string_equal(buf, "000");
	untouched_from(4);

	assert_int_equal(hv_fmt(2, "%-6s|", "ab"), 7);
	assert_string_equal(buf, "a");
	untouched_from(2);
}

static void size_one_writes_only_the_terminator(void **state)
{
	assert_int_equal(hv_fmt(1, "abc%d", 42), 5);
	assert_int_equal(buf[0], '\0');
	untouched_from(1);
}

static void size_zero_writes_nothing_and_returns_the_length(void **state)
{
	assert_int_equal(hv_fmt(0, "%s=%d", "answer", 42), 9);
	untouched_from(0);
}

static void exact_fit_is_not_truncated(void **state)
{
	assert_int_equal(hv_fmt(6, "%s", "hello"), 5);
	assert_string_equal(buf, "hello");
	untouched_from(6);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static void unknown_conversion_is_printed_as_is(void **state)
{
	assert_int_equal(hv_fmt(sizeof(buf), "a%yb%"), 4);
	assert_string_equal(buf, "a%yb");
	assert_int_equal(hv_fmt(sizeof(buf), "%-5"), 0);
	assert_string_equal(buf, "");
}
#pragma GCC diagnostic pop

static void snprintf_formats_like_vsnprintf(void **state)
{
	/* Through a pointer: the compiler must not evaluate the call itself. */
	int (*volatile sn)(char *, size_t, const char *, ...) = snprintf;

	assert_int_equal(sn(buf, sizeof(buf), "%s-%d-%x", "hv", 1, 0x2aU), 7);
	assert_string_equal(buf, "hv-1-2a");
	assert_int_equal(sn(buf, 3, "%d", 12345), 5);
	assert_string_equal(buf, "12");
	assert_int_equal(sn(NULL, 0, "%d", 12345), 5);
}

/* strlcpy */

static void strlcpy_copies_and_returns_the_source_length(void **state)
{
	char d[8];

	memset(d, 'x', sizeof(d));
	assert_int_equal(strlcpy(d, "abc", sizeof(d)), 3);
	assert_string_equal(d, "abc");
	assert_int_equal(strlcpy(d, "", sizeof(d)), 0);
	assert_string_equal(d, "");
}

static void strlcpy_truncates_and_terminates(void **state)
{
	char d[8];

	memset(d, 'x', sizeof(d));
	assert_int_equal(strlcpy(d, "hello, world", sizeof(d)), 12);
	assert_string_equal(d, "hello, ");
	assert_int_equal(strlcpy(d, "12345678", sizeof(d)), 8);
	assert_string_equal(d, "1234567");
	assert_int_equal(strlcpy(d, "zz", 1), 2);
	assert_string_equal(d, "");
}

static void strlcpy_with_size_zero_writes_nothing(void **state)
{
	char d[4] = "xyz";

	assert_int_equal(strlcpy(d, "abc", 0), 3);
	assert_string_equal(d, "xyz");
}

/* parse_u64 */

static u64 parsed(const char *s)
{
	u64 v = 0xdead;

	if (!parse_u64(s, &v, NULL))
		fail_msg("\"%s\" was not parsed", s);
	return v;
}

static void rejected(const char *s)
{
	u64 v = 0xdead;

	if (parse_u64(s, &v, NULL))
		fail_msg("\"%s\" was parsed as 0x%llx", s, (unsigned long long)v);
}

static void parse_u64_reads_decimal_and_hex(void **state)
{
	assert_int_equal(parsed("0"), 0);
	assert_int_equal(parsed("42"), 42);
	assert_int_equal(parsed("007"), 7);
	assert_int_equal(parsed("0x0"), 0);
	assert_int_equal(parsed("0x1f"), 0x1f);
	assert_int_equal(parsed("0XaBcD"), 0xabcd);
	assert_int_equal(parsed("18446744073709551615"), UINT64_MAX);
	assert_int_equal(parsed("0xffffffffffffffff"), UINT64_MAX);
}

static void parse_u64_applies_size_suffixes(void **state)
{
	assert_int_equal(parsed("4K"), 4 * KiB);
	assert_int_equal(parsed("4k"), 4 * KiB);
	assert_int_equal(parsed("256M"), 256 * MiB);
	assert_int_equal(parsed("256m"), 256 * MiB);
	assert_int_equal(parsed("2G"), 2 * GiB);
	assert_int_equal(parsed("0x10M"), 16 * MiB);
	assert_int_equal(parsed("17179869183G"), 17179869183ULL * GiB);
}

static void parse_u64_rejects_overflow(void **state)
{
	rejected("18446744073709551616");
	rejected("99999999999999999999");
	rejected("0x10000000000000000");
	rejected("17179869184G");
	rejected("18014398509481984K");
}

static void parse_u64_rejects_junk(void **state)
{
	rejected("");
	rejected("x");
	rejected("0x");
	rejected("-1");
	rejected(" 1");
	rejected("1 ");
	rejected("12a");
	rejected("4KB");
	rejected("0x1g0");
}

static void parse_u64_reports_where_it_stopped(void **state)
{
	const char *s = "64M,rest", *end = NULL;
	u64 v;

	assert_true(parse_u64(s, &v, &end));
	assert_int_equal(v, 64 * MiB);
	assert_ptr_equal(end, s + 3);
	assert_string_equal(end, ",rest");

	s = "0x20 next";
	assert_true(parse_u64(s, &v, &end));
	assert_int_equal(v, 0x20);
	assert_string_equal(end, " next");

	assert_false(parse_u64(",", &v, &end));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decimal_conversions_match_glibc),
		cmocka_unit_test(hex_conversions_match_glibc),
		cmocka_unit_test(short_length_modifiers_match_glibc),
		cmocka_unit_test(string_and_char_conversions_match_glibc),
		cmocka_unit_test(null_string_prints_as_null_in_parentheses),
		cmocka_unit_test(pointer_conversion_matches_glibc),
		cmocka_unit_test(null_pointer_prints_as_0x0),
		cmocka_unit_test(width_pads_on_the_left_with_spaces),
		cmocka_unit_test(zero_flag_pads_numbers_with_zeros_after_the_sign),
		cmocka_unit_test(minus_flag_aligns_left),
		cmocka_unit_test(minus_flag_overrides_the_zero_flag),
		cmocka_unit_test(star_takes_the_width_from_the_arguments),
		cmocka_unit_test(precision_limits_a_string),
		cmocka_unit_test(precision_stops_reading_at_the_limit),
		cmocka_unit_test(truncation_returns_the_full_length),
		cmocka_unit_test(size_one_writes_only_the_terminator),
		cmocka_unit_test(size_zero_writes_nothing_and_returns_the_length),
		cmocka_unit_test(exact_fit_is_not_truncated),
		cmocka_unit_test(unknown_conversion_is_printed_as_is),
		cmocka_unit_test(snprintf_formats_like_vsnprintf),
		cmocka_unit_test(strlcpy_copies_and_returns_the_source_length),
		cmocka_unit_test(strlcpy_truncates_and_terminates),
		cmocka_unit_test(strlcpy_with_size_zero_writes_nothing),
		cmocka_unit_test(parse_u64_reads_decimal_and_hex),
		cmocka_unit_test(parse_u64_applies_size_suffixes),
		cmocka_unit_test(parse_u64_rejects_overflow),
		cmocka_unit_test(parse_u64_rejects_junk),
		cmocka_unit_test(parse_u64_reports_where_it_stopped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
