/* SPDX-License-Identifier: GPL-2.0 */
/* hv's own interrupts and exceptions (root mode only). */
#ifndef HV_CORE_TRAP_H
#define HV_CORE_TRAP_H

#include <types.h>

/* Vectors hv uses for its own IPIs; all above the exception range. */
#define VECTOR_TIMER 0xf0 /* the local APIC timer: wakes an idle CPU (hv/core/run.c) */
#define VECTOR_SPURIOUS 0xff
/* Vectors features may own (feature.irq_vectors): each feature names its own. */
#define VECTOR_FEATURE_FIRST 0xe0
#define VECTOR_FEATURE_LAST 0xef
/* The 8259s are moved to 0x20-0x2f and masked (hv/core/platform.c): only spurious ones come. */
#define VECTOR_PIC_BASE 0x20
#define VECTOR_PIC_SPURIOUS_MASTER (VECTOR_PIC_BASE + 7)
#define VECTOR_PIC_SPURIOUS_SLAVE (VECTOR_PIC_BASE + 15)

struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};

void idt_init(void);
void idt_load(void);
/* Collects the features' interrupt vectors (hv/core/feature.h); once, at boot. */
void trap_irq_init(void);
/*
 * An interrupt at @vector arrived at hv (its IDT, or an external-interrupt
 * exit, interrupts off): if a feature owns the vector, sends the EOI, runs
 * the feature's handler and returns true.
 */
bool trap_feature_irq(u8 vector);
void trap_handler(struct trap_frame *f);

#endif /* HV_CORE_TRAP_H */
