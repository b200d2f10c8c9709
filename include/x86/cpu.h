/* SPDX-License-Identifier: GPL-2.0 */
/* Architectural register bits (SDM Vol. 3A chapter 2) and CPUID feature bits. */
#ifndef X86_CPU_H
#define X86_CPU_H

#include <types.h>

#define X86_CR0_PE BIT(0)
#define X86_CR0_MP BIT(1)
#define X86_CR0_EM BIT(2)
#define X86_CR0_TS BIT(3)
#define X86_CR0_ET BIT(4)
#define X86_CR0_NE BIT(5)
#define X86_CR0_WP BIT(16)
#define X86_CR0_AM BIT(18)
#define X86_CR0_NW BIT(29)
#define X86_CR0_CD BIT(30)
#define X86_CR0_PG BIT(31)

#define X86_CR4_VME BIT(0)
#define X86_CR4_PVI BIT(1)
#define X86_CR4_TSD BIT(2)
#define X86_CR4_DE BIT(3)
#define X86_CR4_PSE BIT(4)
#define X86_CR4_PAE BIT(5)
#define X86_CR4_MCE BIT(6)
#define X86_CR4_PGE BIT(7)
#define X86_CR4_PCE BIT(8)
#define X86_CR4_OSFXSR BIT(9)
#define X86_CR4_OSXMMEXCPT BIT(10)
#define X86_CR4_UMIP BIT(11)
#define X86_CR4_LA57 BIT(12)
#define X86_CR4_VMXE BIT(13)
#define X86_CR4_SMXE BIT(14)
#define X86_CR4_FSGSBASE BIT(16)
#define X86_CR4_PCIDE BIT(17)
#define X86_CR4_OSXSAVE BIT(18)
#define X86_CR4_SMEP BIT(20)
#define X86_CR4_SMAP BIT(21)
#define X86_CR4_PKE BIT(22)
#define X86_CR4_CET BIT(23)

#define X86_RFLAGS_CF BIT(0)
#define X86_RFLAGS_FIXED BIT(1)
#define X86_RFLAGS_PF BIT(2)
#define X86_RFLAGS_ZF BIT(6)
#define X86_RFLAGS_TF BIT(8)
#define X86_RFLAGS_IF BIT(9)
#define X86_RFLAGS_DF BIT(10)
#define X86_RFLAGS_VM BIT(17)
#define X86_RFLAGS_AC BIT(18)
/* Bits 3, 5, 15 and 22..63 are reserved and must be zero (SDM Vol. 1 3.4.3). */
#define X86_RFLAGS_RESERVED (BIT(3) | BIT(5) | BIT(15) | GENMASK(63, 22))

#define X86_XCR0_X87 BIT(0)
#define X86_XCR0_SSE BIT(1)
#define X86_XCR0_AVX BIT(2)

/* Exception vectors */
#define X86_EXC_DE 0
#define X86_EXC_DB 1
#define X86_EXC_NMI 2
#define X86_EXC_BP 3
#define X86_EXC_UD 6
#define X86_EXC_NM 7
#define X86_EXC_DF 8
#define X86_EXC_TS 10
#define X86_EXC_NP 11
#define X86_EXC_SS 12
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_AC 17
#define X86_EXC_MC 18

/* CPUID.1:ECX */
#define CPUID_1_ECX_DTES64 BIT(2)
#define CPUID_1_ECX_MONITOR BIT(3)
#define CPUID_1_ECX_DSCPL BIT(4)
#define CPUID_1_ECX_VMX BIT(5)
#define CPUID_1_ECX_SMX BIT(6)
#define CPUID_1_ECX_EST BIT(7)
#define CPUID_1_ECX_TM2 BIT(8)
#define CPUID_1_ECX_PDCM BIT(15)
#define CPUID_1_ECX_X2APIC BIT(21)
#define CPUID_1_ECX_TSC_DEADLINE BIT(24)
#define CPUID_1_ECX_XSAVE BIT(26)
#define CPUID_1_ECX_OSXSAVE BIT(27)
#define CPUID_1_ECX_HYPERVISOR BIT(31)
/* CPUID.1:EDX */
#define CPUID_1_EDX_MSR BIT(5)
#define CPUID_1_EDX_MCE BIT(7)
#define CPUID_1_EDX_APIC BIT(9)
#define CPUID_1_EDX_MCA BIT(14)
#define CPUID_1_EDX_ACPI BIT(22)
#define CPUID_1_EDX_DS BIT(21)
#define CPUID_1_EDX_TM BIT(29)
#define CPUID_1_EDX_PBE BIT(31)
/* CPUID.7.0:EBX / ECX / EDX */
#define CPUID_7_EBX_FSGSBASE BIT(0)
#define CPUID_7_EBX_TSC_ADJUST BIT(1)
#define CPUID_7_EBX_SGX BIT(2)
#define CPUID_7_EBX_INTEL_PT BIT(25)
#define CPUID_7_ECX_OSPKE BIT(4)
#define CPUID_7_ECX_WAITPKG BIT(5)
#define CPUID_7_ECX_CET_SS BIT(7)
#define CPUID_7_ECX_RDPID BIT(22)
#define CPUID_7_ECX_PKS BIT(31)
#define CPUID_7_EDX_MD_CLEAR BIT(10)
#define CPUID_7_EDX_ARCH_LBR BIT(19)
#define CPUID_7_EDX_CET_IBT BIT(20)
#define CPUID_7_EDX_IBRS_IBPB BIT(26)
#define CPUID_7_EDX_STIBP BIT(27)
#define CPUID_7_EDX_L1D_FLUSH BIT(28)
#define CPUID_7_EDX_ARCH_CAPABILITIES BIT(29)
#define CPUID_7_EDX_CORE_CAPABILITIES BIT(30)
#define CPUID_7_EDX_SSBD BIT(31)
/* CPUID.(EAX=0xD,ECX=1):EAX */
#define CPUID_D_1_EAX_XSAVES BIT(3)
#define CPUID_D_1_EAX_XFD BIT(4)
/* Extended leaves: the highest one is in CPUID.80000000:EAX */
#define CPUID_LEAF_EXT_MAX 0x80000000U
#define CPUID_LEAF_EXT_LAST 0x8000ffffU
#define CPUID_LEAF_ADDR_SIZES 0x80000008U
#define CPUID_ADDR_SIZES_PHYS_MASK GENMASK(7, 0)
#define MAXPHYADDR_DEFAULT 36U /* without leaf 0x80000008 (SDM Vol. 3A 4.1.4) */
/* CPUID.80000001:EDX */
#define CPUID_LEAF_EXT_FEATURES 0x80000001U
#define CPUID_80000001_EDX_NX BIT(20)
#define CPUID_80000001_EDX_PAGE1GB BIT(26)
#define CPUID_80000001_EDX_RDTSCP BIT(27)
#define CPUID_80000001_EDX_LM BIT(29)

/* PAE paging (SDM Vol. 3A 4.4.1): CR3 holds the page-directory-pointer table's address. */
#define X86_PAE_CR3_PDPT_MASK GENMASK(31, 5)
#define X86_PAE_NR_PDPTES 4
#define X86_PDPTE_P BIT(0)
#define X86_PDPTE_RESERVED_LOW (GENMASK(2, 1) | GENMASK(8, 5)) /* and bits above MAXPHYADDR */

/* Segment descriptor access rights as the VMCS stores them (SDM Vol. 3C 25.4.1). */
#define SEG_AR_TYPE_MASK GENMASK(3, 0)
#define SEG_AR_TYPE_ACCESSED BIT(0)
#define SEG_AR_TYPE_WRITABLE BIT(1) /* data segments */
#define SEG_AR_TYPE_READABLE BIT(1) /* code segments */
#define SEG_AR_TYPE_EXPAND_DOWN BIT(2) /* data segments */
#define SEG_AR_TYPE_CODE BIT(3)
#define SEG_AR_S BIT(4)
#define SEG_AR_DPL_SHIFT 5
#define SEG_AR_DPL_MASK GENMASK(6, 5)
#define SEG_AR_P BIT(7)
#define SEG_AR_AVL BIT(12)
#define SEG_AR_L BIT(13)
#define SEG_AR_DB BIT(14)
#define SEG_AR_G BIT(15)
#define SEG_AR_UNUSABLE BIT(16)
/* Bits 11:8 and 31:17 are reserved in the VMCS access-rights format. */
#define SEG_AR_RESERVED (GENMASK(11, 8) | GENMASK(31, 17))

#define SEG_TYPE_LDT 2U
#define SEG_TYPE_TSS16_BUSY 3U
#define SEG_TYPE_TSS32_BUSY 11U

#endif /* X86_CPU_H */
