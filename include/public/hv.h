/* SPDX-License-Identifier: MIT */
/*
 * hv's public ABI for guest kernels: what a guest can discover and use.
 * This header is shared with guest code built against newlib; it depends on
 * <stdint.h> only. Hypercalls are in include/public/hypercall.h.
 */
#ifndef HV_PUBLIC_HV_H
#define HV_PUBLIC_HV_H

#include <stdint.h>

/*
 * CPUID leaf 0x40000000: EAX = highest hypervisor leaf, EBX:ECX:EDX = the
 * 12-byte signature "hvhvhvhvhvhv". Leaf 0x40000001: EAX = ABI version,
 * EBX = HV_FEATURE_* bits.
 */
#define HV_CPUID_SIGNATURE 0x40000000U
#define HV_CPUID_FEATURES 0x40000001U
#define HV_CPUID_MAX_LEAF HV_CPUID_FEATURES
#define HV_SIGNATURE_EBX 0x68766876U /* "hvhv" */
#define HV_SIGNATURE_ECX 0x68766876U
#define HV_SIGNATURE_EDX 0x68766876U
#define HV_ABI_VERSION 1U
#define HV_FEATURE_HYPERCALL (1U << 0) /* VMCALL hypercalls, include/public/hypercall.h */
#define HV_FEATURE_TESTING (1U << 1) /* hv booted with "testing": test hypercalls */

/*
 * Debug-exit port (the kvm-unit-tests convention): a write of value V ends
 * the partition with exit code V. 32-bit writes use the low byte.
 */
#define HV_DEBUG_EXIT_PORT 0xf4U
#define HV_EXIT_PASS 0U /* every check passed */
#define HV_EXIT_FAIL 1U /* at least one check failed */
#define HV_EXIT_SKIP 38U /* every check was skipped */
#define HV_EXIT_ABORT 63U /* the test could not run */

/*
 * A guest's guest-physical address space: RAM from 0, up to the MMIO window
 * [3 GiB, 4 GiB), where device ranges are; RAM beyond 3 GiB continues at
 * 4 GiB. The Multiboot memory map says the same.
 */
#define HV_MMIO_WINDOW_START 0xc0000000ULL
#define HV_MMIO_WINDOW_END 0x100000000ULL

/*
 * Each vCPU's local APIC (xAPIC mode) is at its architectural address,
 * inside the MMIO window; its APIC ID is the vCPU's index. hv keeps it
 * there: a write to IA32_APIC_BASE that moves it stops the partition.
 */
#define HV_LOCAL_APIC_GPA 0xfee00000ULL

/* The guest's console: a 16550 UART at the usual COM1 ports. */
#define HV_CONSOLE_PORT 0x3f8U

#endif /* HV_PUBLIC_HV_H */
