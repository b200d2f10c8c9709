/* SPDX-License-Identifier: GPL-2.0 */
/* What the fuzz targets share. */
#ifndef TESTS_FUZZ_FUZZ_CHECK_H
#define TESTS_FUZZ_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

/* An invariant that does not hold is a crash for libFuzzer, with its text in the log. */
#define check(cond)                                                                        \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, \
				__LINE__);                                                 \
			abort();                                                           \
		}                                                                          \
	} while (0)

#endif /* TESTS_FUZZ_FUZZ_CHECK_H */
