// SPDX-License-Identifier: GPL-2.0
#include <hv/core/cmdline.h>
#include <hv/core/frame.h>
#include <hv/lib/string.h>

#define DEFAULT_GUEST_MEM (128 * MiB)
#define MIN_GUEST_MEM (2 * MiB)
#define MAX_GUEST_MEM (16 * GiB)
#define DEFAULT_IOREQ_TIMEOUT_MS 2000U
/* No word of a command line the boot loader passes (BOOT_CMDLINE_LEN) is cut short. */
#define WORD_MAX BOOT_CMDLINE_LEN

struct hv_options hv_options;

/* Copies the next space-separated word of *s into @word; false at the end. */
static bool next_word(const char **s, char *word, size_t len)
{
	const char *p = *s;
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return false;
	while (*p && *p != ' ' && *p != '\t') {
		if (n + 1 < len)
			word[n++] = *p;
		p++;
	}
	word[n] = '\0';
	*s = p;
	return true;
}

/* A module string may start with a path: the name is its last component. */
static const char *last_component(const char *path)
{
	const char *name = path;

	for (; *path; path++)
		if (*path == '/')
			name = path + 1;
	return name;
}

static bool parse_mem(const char *v, u64 *mem)
{
	return parse_u64(v, mem, NULL) && *mem >= MIN_GUEST_MEM && *mem <= MAX_GUEST_MEM &&
	       IS_ALIGNED(*mem, 2 * MiB);
}

/* 4K, 2M or 1G (either case) to the EPT level of that page size. */
static bool parse_page_size(const char *v, unsigned int *level)
{
	static const char *const sizes[] = { "4k", "2m", "1g" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (v[0] == sizes[i][0] && (v[1] | 0x20) == sizes[i][1] && !v[2]) {
			*level = i + 1;
			return true;
		}
	}
	return false;
}

/* "1", "0,2", "0-3", "0-1,3": a non-empty set of CPUs below 64. */
static bool parse_cpu_list(const char *v, u64 *mask)
{
	*mask = 0;
	for (;;) {
		u64 first, last;
		const char *end;

		if (!parse_u64(v, &first, &end))
			return false;
		last = first;
		if (*end == '-' && !parse_u64(end + 1, &last, &end))
			return false;
		if (first > last || last >= 64)
			return false;
		*mask |= GENMASK(last, first);
		if (!*end)
			return true;
		if (*end != ',')
			return false;
		v = end + 1;
	}
}

/* "on" or "off", nothing else: a typo must not silently mean either. */
static bool parse_on_off(const char *v, bool *on)
{
	if (strcmp(v, "on") && strcmp(v, "off"))
		return false;
	*on = !strcmp(v, "on");
	return true;
}

int cmdline_parse(const char *s, struct hv_options *opt, char *bad, size_t bad_len)
{
	char w[WORD_MAX];
	u64 n;

	*opt = (struct hv_options){ .guest_mem = DEFAULT_GUEST_MEM,
				    .max_cpus = ~0U,
				    .ioreq_timeout_ms = DEFAULT_IOREQ_TIMEOUT_MS };
	while (next_word(&s, w, sizeof(w))) {
		bool ok = true;

		if (!strncmp(w, "guest_mem=", 10))
			ok = parse_mem(w + 10, &opt->guest_mem);
		else if (!strncmp(w, "service=", 8))
			strlcpy(opt->service, w + 8, sizeof(opt->service));
		else if (!strncmp(w, "max_cpus=", 9))
			ok = parse_u64(w + 9, &n, NULL) && n >= 1 &&
			     ((opt->max_cpus = (u32)MIN(n, 0xffffffffULL)), true);
		else if (!strncmp(w, "ioreq_timeout_ms=", 17))
			ok = parse_u64(w + 17, &n, NULL) && n >= 1 && n <= 3600000 &&
			     ((opt->ioreq_timeout_ms = (u32)n), true);
		else if (!strcmp(w, "testing"))
			opt->testing = true;
		else
			ok = false;
		if (!ok) {
			strlcpy(bad, w, bad_len);
			return -1;
		}
	}
	return 0;
}

int module_options_parse(const char *s, struct module_options *m, char *bad, size_t bad_len)
{
	char w[WORD_MAX];
	size_t len = 0;
	bool full = false;
	u64 n;

	*m = (struct module_options){ .vcpus = 1, .ept_max_level = 3 };
	if (!next_word(&s, w, sizeof(w))) {
		strlcpy(bad, "(empty module string)", bad_len);
		return -1;
	}
	strlcpy(m->name, last_component(w), sizeof(m->name));
	len = strlcpy(m->guest_cmdline, w, sizeof(m->guest_cmdline));
	while (next_word(&s, w, sizeof(w))) {
		bool ok = true;

		if (!strncmp(w, "hv.mem=", 7)) {
			ok = parse_mem(w + 7, &m->mem);
		} else if (!strncmp(w, "hv.vcpus=", 9)) {
			ok = parse_u64(w + 9, &n, NULL) && n >= 1 && n <= 64;
			if (ok)
				m->vcpus = (u32)n;
		} else if (!strncmp(w, "hv.hvmem=", 9)) {
			/* Whole pages, at least one: a bound of nothing would only refuse. */
			ok = parse_u64(w + 9, &m->hv_mem, NULL) && m->hv_mem >= PAGE_SIZE &&
			     IS_ALIGNED(m->hv_mem, PAGE_SIZE);
		} else if (!strncmp(w, "hv.pages=", 9)) {
			ok = parse_page_size(w + 9, &m->ept_max_level);
		} else if (!strncmp(w, "hv.cpus=", 8)) {
			ok = parse_cpu_list(w + 8, &m->cpus);
		} else if (!strncmp(w, "hv.apicv=", 9)) {
			bool apicv;

			ok = parse_on_off(w + 9, &apicv);
			m->no_apicv = ok && !apicv;
		} else if (!strncmp(w, "hv.pmu=", 7)) {
			ok = parse_on_off(w + 7, &m->pmu);
		} else if (!strncmp(w, "hv.for=", 7)) {
			ok = w[7] && strlcpy(m->for_guest, w + 7, sizeof(m->for_guest)) <
					     sizeof(m->for_guest);
		} else if (!strncmp(w, "hv.", 3)) {
			ok = false;
		} else if (full || len + 1 + strlen(w) >= sizeof(m->guest_cmdline)) {
			full = true; /* cut after the last word that fits, leaving out none in between */
		} else {
			m->guest_cmdline[len++] = ' ';
			len += strlcpy(m->guest_cmdline + len, w, sizeof(m->guest_cmdline) - len);
		}
		if (!ok) {
			strlcpy(bad, w, bad_len);
			return -1;
		}
	}
	return 0;
}
