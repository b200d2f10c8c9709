// SPDX-License-Identifier: GPL-2.0
/*
 * hv's command line (cmdline_parse) and module strings (module_options_parse).
 * A refused string must give -1 and the offending word in @bad.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/core/cmdline.h>

static struct hv_options opt;
static struct module_options mo;
static struct module_options *heap_mo; /* exact size, so ASan sees any overflow */
static char bad[64];

static int parse(const char *s)
{
	memset(&opt, 0xa5, sizeof(opt));
	memset(bad, 0, sizeof(bad));
	return cmdline_parse(s, &opt, bad, sizeof(bad));
}

static void assert_refused(const char *s, const char *word)
{
	assert_int_equal(parse(s), -1);
	assert_string_equal(bad, word);
}

static int parse_module(const char *s)
{
	memset(&mo, 0xa5, sizeof(mo));
	memset(bad, 0, sizeof(bad));
	return module_options_parse(s, &mo, bad, sizeof(bad));
}

static void assert_module_refused(const char *s, const char *word)
{
	assert_int_equal(parse_module(s), -1);
	assert_string_equal(bad, word);
}

/* A string of @n copies of @c, in one of four static buffers used in turn. */
static const char *repeat(char c, size_t n)
{
	static char bufs[4][1024];
	static unsigned int next;
	char *s = bufs[next++ % 4];

	assert_true(n < sizeof(bufs[0]));
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- hv's command line ---- */

static void empty_command_line_gives_the_defaults(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_int_equal(opt.guest_mem, 128 * MiB);
	assert_int_equal(opt.max_cpus, 0xffffffffU);
	assert_false(opt.testing);
	assert_string_equal(opt.service, "");

	assert_int_equal(parse(" \t  \t"), 0);
	assert_int_equal(opt.guest_mem, 128 * MiB);
	assert_int_equal(opt.max_cpus, 0xffffffffU);
	assert_false(opt.testing);
}

static void every_option_is_parsed(void **state)
{
	assert_int_equal(parse("guest_mem=256M service=linux max_cpus=2 testing"), 0);
	assert_int_equal(opt.guest_mem, 256 * MiB);
	assert_string_equal(opt.service, "linux");
	assert_int_equal(opt.max_cpus, 2);
	assert_true(opt.testing);
}

static void options_keep_their_defaults_when_not_given(void **state)
{
	assert_int_equal(parse("testing"), 0);
	assert_true(opt.testing);
	assert_int_equal(opt.guest_mem, 128 * MiB);
	assert_int_equal(opt.max_cpus, 0xffffffffU);
	assert_string_equal(opt.service, "");
}

static void a_later_option_overrides_an_earlier_one(void **state)
{
	assert_int_equal(parse("max_cpus=2 guest_mem=4M max_cpus=8 guest_mem=6M"), 0);
	assert_int_equal(opt.max_cpus, 8);
	assert_int_equal(opt.guest_mem, 6 * MiB);
}

static void sizes_take_k_m_g_suffixes_and_hex(void **state)
{
	static const struct {
		const char *s;
		u64 size;
	} cases[] = {
		{ "guest_mem=2097152", 2 * MiB }, { "guest_mem=4096K", 4 * MiB },
		{ "guest_mem=4096k", 4 * MiB },	  { "guest_mem=64M", 64 * MiB },
		{ "guest_mem=64m", 64 * MiB },	  { "guest_mem=1G", 1 * GiB },
		{ "guest_mem=3g", 3 * GiB },	  { "guest_mem=0x400000", 4 * MiB },
		{ "guest_mem=0x2M", 2 * MiB },	  { "guest_mem=16G", 16 * GiB },
		{ "guest_mem=2M", 2 * MiB },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (parse(cases[i].s))
			fail_msg("'%s' refused ('%s')", cases[i].s, bad);
		assert_int_equal(opt.guest_mem, cases[i].size);
	}
}

static void guest_mem_not_2_mib_aligned_is_refused(void **state)
{
	assert_refused("testing guest_mem=3M", "guest_mem=3M");
	assert_refused("guest_mem=2049K", "guest_mem=2049K");
	assert_refused("guest_mem=0x200001", "guest_mem=0x200001");
}

static void guest_mem_below_2_mib_or_above_16_gib_is_refused(void **state)
{
	assert_refused("guest_mem=0", "guest_mem=0");
	assert_refused("guest_mem=1M", "guest_mem=1M");
	assert_refused("guest_mem=16386M", "guest_mem=16386M");
	assert_refused("guest_mem=32G", "guest_mem=32G");
	/* Overflowing 64 bits with the suffix. */
	assert_refused("guest_mem=17179869184G", "guest_mem=17179869184G");
}

static void malformed_sizes_are_refused(void **state)
{
	assert_refused("guest_mem=", "guest_mem=");
	assert_refused("guest_mem=M", "guest_mem=M");
	assert_refused("guest_mem=64MB", "guest_mem=64MB");
	assert_refused("guest_mem=64T", "guest_mem=64T");
	assert_refused("guest_mem=-2M", "guest_mem=-2M");
	assert_refused("guest_mem=0x", "guest_mem=0x");
}

static void max_cpus_is_at_least_one(void **state)
{
	assert_int_equal(parse("max_cpus=1"), 0);
	assert_int_equal(opt.max_cpus, 1);
	assert_refused("max_cpus=0", "max_cpus=0");
	assert_refused("max_cpus=", "max_cpus=");
	assert_refused("max_cpus=two", "max_cpus=two");
	assert_refused("max_cpus=2x", "max_cpus=2x");
}

static void max_cpus_beyond_32_bits_means_no_limit(void **state)
{
	/* Not cut to 32 bits, which would leave 0 CPUs. */
	assert_int_equal(parse("max_cpus=4294967296"), 0);
	assert_int_equal(opt.max_cpus, 0xffffffffU);
	assert_int_equal(parse("max_cpus=4294967297"), 0);
	assert_int_equal(opt.max_cpus, 0xffffffffU);
	assert_int_equal(parse("max_cpus=4294967295"), 0);
	assert_int_equal(opt.max_cpus, 0xffffffffU);
}

static void ioreq_timeout_is_in_milliseconds_up_to_an_hour(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_int_equal(opt.ioreq_timeout_ms, 2000);
	assert_int_equal(parse("ioreq_timeout_ms=1"), 0);
	assert_int_equal(opt.ioreq_timeout_ms, 1);
	assert_int_equal(parse("ioreq_timeout_ms=3600000"), 0);
	assert_int_equal(opt.ioreq_timeout_ms, 3600000);
	assert_refused("ioreq_timeout_ms=0", "ioreq_timeout_ms=0");
	assert_refused("ioreq_timeout_ms=3600001", "ioreq_timeout_ms=3600001");
	assert_refused("ioreq_timeout_ms=", "ioreq_timeout_ms=");
	assert_refused("ioreq_timeout_ms=soon", "ioreq_timeout_ms=soon");
}

static void unknown_option_is_refused(void **state)
{
	assert_refused("testing quiet", "quiet");
	assert_refused("Testing", "Testing");
	assert_refused("testing=1", "testing=1");
	assert_refused("guest_mem", "guest_mem");
	assert_refused("service", "service");
	assert_refused("hv.mem=4M", "hv.mem=4M");
}

static void spaces_and_tabs_separate_words(void **state)
{
	assert_int_equal(parse("  \ttesting \t\t max_cpus=3\tservice=svc   guest_mem=8M\t"), 0);
	assert_true(opt.testing);
	assert_int_equal(opt.max_cpus, 3);
	assert_string_equal(opt.service, "svc");
	assert_int_equal(opt.guest_mem, 8 * MiB);
}

static void empty_service_name_means_none(void **state)
{
	assert_int_equal(parse("service="), 0);
	assert_string_equal(opt.service, "");
}

static void long_service_name_is_not_cut_short(void **state)
{
	char s[256];
	const char *name = repeat('s', 150);

	snprintf(s, sizeof(s), "service=%s testing", name);
	assert_int_equal(parse(s), 0);
	assert_string_equal(opt.service, name);
	assert_true(opt.testing);
}

static void offending_word_is_cut_to_the_buffer(void **state)
{
	char small[8];

	memset(small, 'x', sizeof(small));
	assert_int_equal(cmdline_parse("guest_mem=3M", &opt, small, sizeof(small)), -1);
	assert_string_equal(small, "guest_m");
}

/* ---- module strings ---- */

static void module_name_alone_gives_the_defaults(void **state)
{
	assert_int_equal(parse_module("linux"), 0);
	assert_string_equal(mo.name, "linux");
	assert_int_equal(mo.mem, 0);
	assert_int_equal(mo.vcpus, 1);
	assert_false(mo.pmu);
	assert_string_equal(mo.for_guest, "");
	assert_string_equal(mo.guest_cmdline, "linux");
}

static void module_name_is_the_last_component_of_a_path(void **state)
{
	assert_int_equal(parse_module("/boot/guests/linux.elf console=ttyS0"), 0);
	assert_string_equal(mo.name, "linux.elf");
	/* The guest still sees the path it was given. */
	assert_string_equal(mo.guest_cmdline, "/boot/guests/linux.elf console=ttyS0");

	assert_int_equal(parse_module("guests/t-io.elf"), 0);
	assert_string_equal(mo.name, "t-io.elf");
}

static void module_name_in_a_long_path_is_found(void **state)
{
	char s[BOOT_MODULE_CMDLINE_LEN];

	/* A 149-character path, as a boot loader may pass it. */
	snprintf(s, sizeof(s), "/%s/guest.elf a", repeat('d', 138));
	assert_int_equal(strlen(s), 151);
	assert_int_equal(parse_module(s), 0);
	assert_string_equal(mo.name, "guest.elf");
	assert_string_equal(mo.guest_cmdline, s);
}

static void long_module_name_is_cut_to_fit(void **state)
{
	assert_int_equal(parse_module(repeat('n', 40)), 0);
	assert_int_equal(strlen(mo.name), sizeof(mo.name) - 1);
	assert_memory_equal(mo.name, repeat('n', 31), 31);
}

static void hv_options_are_parsed_and_stripped_from_the_guest_command_line(void **state)
{
	assert_int_equal(parse_module("linux hv.mem=64M console=ttyS0 hv.vcpus=4 quiet"), 0);
	assert_string_equal(mo.name, "linux");
	assert_int_equal(mo.mem, 64 * MiB);
	assert_int_equal(mo.vcpus, 4);
	assert_string_equal(mo.for_guest, "");
	assert_string_equal(mo.guest_cmdline, "linux console=ttyS0 quiet");
}

static void hv_for_makes_a_data_module_for_a_guest(void **state)
{
	assert_int_equal(parse_module("/boot/initrd.img hv.for=linux.elf size=3"), 0);
	assert_string_equal(mo.name, "initrd.img");
	assert_string_equal(mo.for_guest, "linux.elf");
	assert_string_equal(mo.guest_cmdline, "/boot/initrd.img size=3");
}

static void guest_words_keep_their_order_with_single_spaces(void **state)
{
	assert_int_equal(parse_module("  k\t a  \t b hv.mem=4M   c\td   "), 0);
	assert_string_equal(mo.name, "k");
	assert_int_equal(mo.mem, 4 * MiB);
	assert_string_equal(mo.guest_cmdline, "k a b c d");
}

static void hv_mem_takes_a_size(void **state)
{
	assert_int_equal(parse_module("g hv.mem=2M"), 0);
	assert_int_equal(mo.mem, 2 * MiB);
	assert_int_equal(parse_module("g hv.mem=1G"), 0);
	assert_int_equal(mo.mem, 1 * GiB);
	assert_int_equal(parse_module("g hv.mem=0x800000"), 0);
	assert_int_equal(mo.mem, 8 * MiB);
	assert_module_refused("g hv.mem=3M", "hv.mem=3M");
	assert_module_refused("g hv.mem=1M", "hv.mem=1M");
	assert_module_refused("g hv.mem=17G", "hv.mem=17G");
	assert_module_refused("g hv.mem=", "hv.mem=");
	assert_module_refused("g hv.mem=lots", "hv.mem=lots");
}

static void hv_hvmem_takes_whole_pages(void **state)
{
	assert_int_equal(parse_module("g"), 0);
	assert_int_equal(mo.hv_mem, 0);
	assert_int_equal(parse_module("g hv.hvmem=64K"), 0);
	assert_int_equal(mo.hv_mem, 64 * KiB);
	assert_int_equal(parse_module("g hv.hvmem=4096"), 0);
	assert_int_equal(mo.hv_mem, 4096);
	assert_module_refused("g hv.hvmem=0", "hv.hvmem=0");
	assert_module_refused("g hv.hvmem=4095", "hv.hvmem=4095");
	assert_module_refused("g hv.hvmem=6000", "hv.hvmem=6000");
	assert_module_refused("g hv.hvmem=", "hv.hvmem=");
}

static void hv_vcpus_is_from_1_to_64(void **state)
{
	assert_int_equal(parse_module("g hv.vcpus=1"), 0);
	assert_int_equal(mo.vcpus, 1);
	assert_int_equal(parse_module("g hv.vcpus=64"), 0);
	assert_int_equal(mo.vcpus, 64);
	assert_module_refused("g hv.vcpus=0", "hv.vcpus=0");
	assert_module_refused("g hv.vcpus=65", "hv.vcpus=65");
	assert_module_refused("g hv.vcpus=4294967297", "hv.vcpus=4294967297");
	assert_module_refused("g hv.vcpus=", "hv.vcpus=");
	assert_module_refused("g hv.vcpus=2K", "hv.vcpus=2K");
	assert_module_refused("g hv.vcpus=four", "hv.vcpus=four");
}

static void hv_pages_caps_the_ept_page_size(void **state)
{
	assert_int_equal(parse_module("g"), 0);
	assert_int_equal(mo.ept_max_level, 3);
	assert_int_equal(parse_module("g hv.pages=4K"), 0);
	assert_int_equal(mo.ept_max_level, 1);
	assert_int_equal(parse_module("g hv.pages=2m"), 0);
	assert_int_equal(mo.ept_max_level, 2);
	assert_int_equal(parse_module("g hv.pages=1G arg"), 0);
	assert_int_equal(mo.ept_max_level, 3);
	assert_string_equal(mo.guest_cmdline, "g arg");
	assert_module_refused("g hv.pages=8K", "hv.pages=8K");
	assert_module_refused("g hv.pages=4", "hv.pages=4");
	assert_module_refused("g hv.pages=4KB", "hv.pages=4KB");
	assert_module_refused("g hv.pages=", "hv.pages=");
}

static void hv_cpus_is_a_list_of_cpus_and_ranges_below_64(void **state)
{
	assert_int_equal(parse_module("g"), 0);
	assert_int_equal(mo.cpus, 0);
	assert_int_equal(parse_module("g hv.cpus=1"), 0);
	assert_int_equal(mo.cpus, 0x2);
	assert_int_equal(parse_module("g hv.cpus=0,2-4 arg"), 0);
	assert_int_equal(mo.cpus, 0x1d);
	assert_string_equal(mo.guest_cmdline, "g arg");
	assert_int_equal(parse_module("g hv.cpus=63"), 0);
	assert_int_equal(mo.cpus, 1ULL << 63);
	assert_module_refused("g hv.cpus=64", "hv.cpus=64");
	assert_module_refused("g hv.cpus=", "hv.cpus=");
	assert_module_refused("g hv.cpus=3-1", "hv.cpus=3-1");
	assert_module_refused("g hv.cpus=1,", "hv.cpus=1,");
	assert_module_refused("g hv.cpus=1-", "hv.cpus=1-");
	assert_module_refused("g hv.cpus=a", "hv.cpus=a");
	assert_module_refused("g hv.cpus=1;2", "hv.cpus=1;2");
}

static void hv_apicv_off_asks_for_delivery_without_apicv(void **state)
{
	assert_int_equal(parse_module("g arg"), 0);
	assert_false(mo.no_apicv);
	assert_int_equal(parse_module("g hv.apicv=off arg"), 0);
	assert_true(mo.no_apicv);
	assert_string_equal(mo.guest_cmdline, "g arg");
	assert_int_equal(parse_module("g hv.apicv=off hv.apicv=on"), 0);
	assert_false(mo.no_apicv);
	assert_module_refused("g hv.apicv=", "hv.apicv=");
	assert_module_refused("g hv.apicv=0", "hv.apicv=0");
}

static void hv_pmu_is_on_or_off_and_off_by_default(void **state)
{
	assert_int_equal(parse_module("g hv.pmu=on arg"), 0);
	assert_true(mo.pmu);
	assert_string_equal(mo.guest_cmdline, "g arg");
	assert_int_equal(parse_module("g hv.pmu=on hv.pmu=off"), 0);
	assert_false(mo.pmu);
	assert_int_equal(parse_module("g"), 0);
	assert_false(mo.pmu);
	assert_module_refused("g hv.pmu=", "hv.pmu=");
	assert_module_refused("g hv.pmu=1", "hv.pmu=1");
	assert_module_refused("g hv.pmu=ON", "hv.pmu=ON");
	assert_module_refused("g hv.pmu=onn", "hv.pmu=onn");
	assert_module_refused("g hv.pmu", "hv.pmu");
}

static void unknown_hv_option_is_refused(void **state)
{
	assert_module_refused("g hv.foo=1", "hv.foo=1");
	assert_module_refused("g a hv.", "hv.");
	assert_module_refused("g hv.mem", "hv.mem");
	assert_module_refused("g hv.vcpus", "hv.vcpus");
	assert_module_refused("g hv.for", "hv.for");
	/* Other words that merely look alike are the guest's. */
	assert_int_equal(parse_module("g HV.mem=3M hvx.y=1 xhv.mem=1"), 0);
	assert_string_equal(mo.guest_cmdline, "g HV.mem=3M hvx.y=1 xhv.mem=1");
}

static void empty_module_string_is_refused(void **state)
{
	assert_int_equal(parse_module(""), -1);
	assert_non_null(strstr(bad, "empty"));
	assert_int_equal(parse_module(" \t "), -1);
	assert_non_null(strstr(bad, "empty"));
}

static void hv_for_with_an_empty_value_is_refused(void **state)
{
	assert_module_refused("initrd hv.for=", "hv.for=");
}

static void hv_for_with_a_name_too_long_to_match_is_refused(void **state)
{
	char s[64];

	snprintf(s, sizeof(s), "initrd hv.for=%s", repeat('g', 31));
	assert_int_equal(parse_module(s), 0);
	assert_string_equal(mo.for_guest, repeat('g', 31));

	snprintf(s, sizeof(s), "initrd hv.for=%s", repeat('g', 32));
	assert_int_equal(parse_module(s), -1);
	assert_memory_equal(bad, "hv.for=", 7);
}

static void long_guest_word_is_not_cut_short(void **state)
{
	char s[BOOT_MODULE_CMDLINE_LEN];
	char arg[150];

	snprintf(arg, sizeof(arg), "root=%s", repeat('r', 140));
	snprintf(s, sizeof(s), "k %s", arg);
	assert_int_equal(parse_module(s), 0);
	assert_string_equal(mo.guest_cmdline, s);
}

/*
 * A guest command line longer than hv keeps ends after the last word that
 * fits: no word is cut, none is left out in between, and hv.* words after the
 * cut still count.
 */
static void overlong_guest_command_line_is_truncated_after_a_whole_word(void **state)
{
	struct module_options *m = heap_mo = malloc(sizeof(*m));
	char s[1024], expect[BOOT_MODULE_CMDLINE_LEN];
	size_t len;
	u32 i;

	assert_non_null(m);
	/* "k w00 w01 ...": each word 4 bytes with its space. */
	strcpy(s, "k");
	strcpy(expect, "k");
	for (i = 0; i < 60; i++) {
		char w[8];

		snprintf(w, sizeof(w), " w%02u", i);
		strcat(s, w);
		if (strlen(expect) + strlen(w) < sizeof(expect))
			strcat(expect, w);
	}
	strcat(s, " x hv.vcpus=3 y");
	len = strlen(expect);
	assert_true(len < BOOT_MODULE_CMDLINE_LEN && len >= BOOT_MODULE_CMDLINE_LEN - 4);

	assert_int_equal(module_options_parse(s, m, bad, sizeof(bad)), 0);
	assert_string_equal(m->guest_cmdline, expect);
	assert_int_equal(m->vcpus, 3);

	/* A word that does not fit ends it, even if a shorter one would. */
	snprintf(s, sizeof(s), "k %s %s x", repeat('a', 100), repeat('b', 100));
	assert_int_equal(module_options_parse(s, m, bad, sizeof(bad)), 0);
	snprintf(expect, sizeof(expect), "k %s", repeat('a', 100));
	assert_string_equal(m->guest_cmdline, expect);

	/* A name that does not fit at all. */
	assert_int_equal(module_options_parse(repeat('n', 300), m, bad, sizeof(bad)), 0);
	assert_int_equal(strlen(m->guest_cmdline), BOOT_MODULE_CMDLINE_LEN - 1);
}

static int free_heap_mo(void **state)
{
	free(heap_mo);
	heap_mo = NULL;
	return 0;
}

static void guest_command_line_exactly_filling_the_buffer_is_kept(void **state)
{
	char s[BOOT_MODULE_CMDLINE_LEN + 16];

	/* "k " and 157 characters: 159 and the NUL. */
	snprintf(s, sizeof(s), "k %s", repeat('z', BOOT_MODULE_CMDLINE_LEN - 3));
	assert_int_equal(parse_module(s), 0);
	assert_string_equal(mo.guest_cmdline, s);

	snprintf(s, sizeof(s), "k %s", repeat('z', BOOT_MODULE_CMDLINE_LEN - 2));
	assert_int_equal(parse_module(s), 0);
	assert_string_equal(mo.guest_cmdline, "k");
}

static void refused_module_string_reports_the_first_bad_word(void **state)
{
	assert_module_refused("g hv.vcpus=0 hv.mem=3M", "hv.vcpus=0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_command_line_gives_the_defaults),
		cmocka_unit_test(every_option_is_parsed),
		cmocka_unit_test(options_keep_their_defaults_when_not_given),
		cmocka_unit_test(a_later_option_overrides_an_earlier_one),
		cmocka_unit_test(sizes_take_k_m_g_suffixes_and_hex),
		cmocka_unit_test(guest_mem_not_2_mib_aligned_is_refused),
		cmocka_unit_test(guest_mem_below_2_mib_or_above_16_gib_is_refused),
		cmocka_unit_test(malformed_sizes_are_refused),
		cmocka_unit_test(max_cpus_is_at_least_one),
		cmocka_unit_test(max_cpus_beyond_32_bits_means_no_limit),
		cmocka_unit_test(ioreq_timeout_is_in_milliseconds_up_to_an_hour),
		cmocka_unit_test(unknown_option_is_refused),
		cmocka_unit_test(spaces_and_tabs_separate_words),
		cmocka_unit_test(empty_service_name_means_none),
		cmocka_unit_test(long_service_name_is_not_cut_short),
		cmocka_unit_test(offending_word_is_cut_to_the_buffer),
		cmocka_unit_test(module_name_alone_gives_the_defaults),
		cmocka_unit_test(module_name_is_the_last_component_of_a_path),
		cmocka_unit_test(module_name_in_a_long_path_is_found),
		cmocka_unit_test(long_module_name_is_cut_to_fit),
		cmocka_unit_test(hv_options_are_parsed_and_stripped_from_the_guest_command_line),
		cmocka_unit_test(hv_for_makes_a_data_module_for_a_guest),
		cmocka_unit_test(guest_words_keep_their_order_with_single_spaces),
		cmocka_unit_test(hv_mem_takes_a_size),
		cmocka_unit_test(hv_hvmem_takes_whole_pages),
		cmocka_unit_test(hv_vcpus_is_from_1_to_64),
		cmocka_unit_test(hv_pages_caps_the_ept_page_size),
		cmocka_unit_test(hv_cpus_is_a_list_of_cpus_and_ranges_below_64),
		cmocka_unit_test(hv_apicv_off_asks_for_delivery_without_apicv),
		cmocka_unit_test(hv_pmu_is_on_or_off_and_off_by_default),
		cmocka_unit_test(unknown_hv_option_is_refused),
		cmocka_unit_test(empty_module_string_is_refused),
		cmocka_unit_test(hv_for_with_an_empty_value_is_refused),
		cmocka_unit_test(hv_for_with_a_name_too_long_to_match_is_refused),
		cmocka_unit_test(long_guest_word_is_not_cut_short),
		cmocka_unit_test_teardown(
			overlong_guest_command_line_is_truncated_after_a_whole_word, free_heap_mo),
		cmocka_unit_test(guest_command_line_exactly_filling_the_buffer_is_kept),
		cmocka_unit_test(refused_module_string_reports_the_first_bad_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
