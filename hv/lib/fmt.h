/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small printf-style formatter: %d %i %u %x %X %p %s %c %%, with the
 * flags '-' and '0', a width, a precision for %s, and the length modifiers
 * hh h l ll z. No floating point: hv never touches the FPU.
 */
#ifndef HV_LIB_FMT_H
#define HV_LIB_FMT_H

#include <stdarg.h>
#include <types.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* HV_LIB_FMT_H */
