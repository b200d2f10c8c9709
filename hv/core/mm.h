/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv's address space: all physical memory the firmware describes (and the
 * 4 GiB below it) identity-mapped with the largest pages the CPU has; stacks
 * with an unmapped guard page below each.
 */
#ifndef HV_CORE_MM_H
#define HV_CORE_MM_H

#include <boot/boot_info.h>
#include <types.h>

/* RAM above this is not used by hv (the frame bitmap is static). */
#define HV_MAX_RAM (64 * GiB)

void mm_init(const struct boot_info *bi);
/* Physical address of hv's PML4: HOST_CR3, and the APs' first CR3 (< 4 GiB). */
u64 mm_root(void);
/* A zeroed stack of @pages pages with a not-present guard page below it. */
u64 stack_alloc(unsigned int pages);

#endif /* HV_CORE_MM_H */
