/* SPDX-License-Identifier: GPL-2.0 */
/* struct vcpu offsets used by hv/vmx/entry.S; hv/vmx/vmx.c checks them with static_assert. */
#ifndef HV_VMX_ENTRY_OFFSETS_H
#define HV_VMX_ENTRY_OFFSETS_H

#define VCPU_GPRS_SIZE 128 /* 16 registers */
#define VCPU_HOST_STACK_TOP 128
#define VCPU_LAUNCHED 136

#endif /* HV_VMX_ENTRY_OFFSETS_H */
