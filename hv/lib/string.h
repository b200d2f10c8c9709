/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv's own string routines. hv does not link newlib: newlib's code uses SSE
 * registers, which belong to the guest whose exit hv is handling (see
 * docs/ARCHITECTURE.md, "Why hv is freestanding").
 */
#ifndef HV_LIB_STRING_H
#define HV_LIB_STRING_H

#include <types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Parses an unsigned number in base 10, or 16 with a 0x prefix, with an
 * optional K/M/G suffix. Returns false on no digits, junk, or overflow.
 * *end (when non-NULL) points after the parsed text.
 */
bool parse_u64(const char *s, u64 *val, const char **end);

#endif /* HV_LIB_STRING_H */
