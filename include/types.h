/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic types and compiler helpers shared by hv and its host tests.
 * Freestanding: only the compiler's own <stdint.h>, <stddef.h>, <stdbool.h>.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define BIT(n) (1ULL << (n))
#define GENMASK(hi, lo) ((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((u64)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a)-1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* A mask of the low @bytes bytes (1..8): the bits an access of that size moves. */
static inline u64 bytes_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : BIT(8 * bytes) - 1;
}

#define KiB (1024ULL)
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __noreturn __attribute__((noreturn))
#ifndef __always_inline /* the host's C library has the same */
#define __always_inline inline __attribute__((always_inline))
#endif
#define __unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __section(s) __attribute__((section(s)))

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/*
 * Single-copy accesses for data shared between CPUs without a lock: the
 * compiler may neither tear, merge nor re-read them.
 */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ __volatile__("" ::: "memory")

#endif /* HV_TYPES_H */
