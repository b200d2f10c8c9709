// SPDX-License-Identifier: GPL-2.0
/* String helpers the C library lacks; also built into the host tests. */
#include <hv/lib/string.h>

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool parse_u64(const char *s, u64 *val, const char **end)
{
	unsigned int base = 10;
	u64 v = 0, mult = 1;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p) >= (int)base)
		return false;
	for (; digit_value(*p) < (int)base; p++) {
		u64 next = v * base + digit_value(*p);

		if (next / base != v)
			return false;
		v = next;
	}
	switch (*p) {
	case 'K':
	case 'k':
		mult = KiB;
		p++;
		break;
	case 'M':
	case 'm':
		mult = MiB;
		p++;
		break;
	case 'G':
	case 'g':
		mult = GiB;
		p++;
		break;
	}
	if (v > UINT64_MAX / mult)
		return false;
	*val = v * mult;
	if (end)
		*end = p;
	else if (*p)
		return false;
	return true;
}
