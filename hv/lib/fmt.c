// SPDX-License-Identifier: GPL-2.0
#include <hv/lib/fmt.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

/* @prefix ("-", "0x" or "") goes before the digits, and before any zero padding. */
static void put_number(struct out *o, u64 v, const char *prefix, unsigned int base, bool upper,
		       int width, bool left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = sizeof(tmp), plen = 0;

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	while (prefix[plen])
		plen++;
	if (pad == '0') {
		for (; *prefix; prefix++)
			put(o, *prefix);
		width -= plen;
	} else {
		while (plen)
			tmp[--i] = prefix[--plen];
	}
	put_padded(o, tmp + i, sizeof(tmp) - i, width, left, pad);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool left = false;
		int width = 0, precision = -1, lng = 0, shrt = 0;
		char pad = ' ';
		u64 v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		if (*fmt == '.') {
			precision = 0;
			if (fmt[1] == '*') {
				precision = va_arg(ap, int);
				fmt++;
			}
			for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
				precision = precision * 10 + (*fmt - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z')
				lng++;
			else if (*fmt == 'h')
				shrt++;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 sv = lng ? va_arg(ap, s64) : va_arg(ap, int);

			if (!lng && shrt)
				sv = shrt == 1 ? (s16)sv : (s8)sv;
			v = sv < 0 ? -(u64)sv : (u64)sv;
			put_number(&o, v, sv < 0 ? "-" : "", 10, false, width, left, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			if (!lng && shrt)
				v = shrt == 1 ? (u16)v : (u8)v;
			put_number(&o, v, "", *fmt == 'u' ? 10 : 16, *fmt == 'X', width, left, pad);
			break;
		case 'p':
			put_number(&o, (u64)(uintptr_t)va_arg(ap, void *), "0x", 16, false, width,
				   left, pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;

			if (!s)
				s = "(null)";
			while ((precision < 0 || n < (size_t)precision) && s[n])
				n++;
			put_padded(&o, s, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
