/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_CORE_SMP_H
#define HV_CORE_SMP_H

#include <boot/boot_info.h>

#define HV_STACK_PAGES 4

/* Starts every CPU the MADT lists (INIT-SIPI-SIPI); each enters VMX root operation. */
void smp_boot(const struct boot_info *bi, u32 max_cpus);

#endif /* HV_CORE_SMP_H */
