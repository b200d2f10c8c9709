// SPDX-License-Identifier: GPL-2.0
#include <hv/core/lapic.h>
#include <hv/core/console.h>
#include <hv/core/feature.h>
#include <hv/core/kick.h>
#include <hv/core/mce.h>
#include <hv/core/percpu.h>
#include <hv/core/trap.h>
#include <x86/cpu.h>
#include <x86/hw.h>

#define IDT_ENTRIES 256
#define TRAP_STUB_SIZE 16
#define IDT_TYPE_INTERRUPT_GATE 0x8e00 /* present, DPL 0, 64-bit interrupt gate */

struct idt_entry {
	u16 offset_lo;
	u16 selector;
	u16 type_ist; /* bits 2:0 IST index, bits 15:8 type/DPL/P */
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __packed;

struct extable_entry {
	u64 insn;
	u64 fixup;
};

extern const char trap_stubs[];
extern const struct extable_entry __ex_table_start[], __ex_table_end[];

static struct idt_entry idt[IDT_ENTRIES] __aligned(16);
/* The feature that owns each vector (hv/core/feature.h), NULL for hv's own and unused ones. */
static const struct feature *irq_owner[IDT_ENTRIES];

static const char *const exception_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor segment overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization exception",
	"#CP control protection",
};

void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < IDT_ENTRIES; v++) {
		u64 addr = (u64)(uintptr_t)(trap_stubs + v * TRAP_STUB_SIZE);
		struct idt_entry *e = &idt[v];
		bool emergency = v == X86_EXC_DF || v == X86_EXC_NMI || v == X86_EXC_MC;

		e->offset_lo = addr & 0xffff;
		e->offset_mid = (addr >> 16) & 0xffff;
		e->offset_hi = addr >> 32;
		e->selector = SEL_CODE64;
		e->type_ist = IDT_TYPE_INTERRUPT_GATE | (emergency ? IST_EMERGENCY : 0);
	}
}

void trap_irq_init(void)
{
	const struct feature *f;
	u32 i;

	for_each_feature(f) {
		for (i = 0; i < f->nr_irq_vectors; i++) {
			u8 vector = f->irq_vectors[i];

			if (vector < VECTOR_FEATURE_FIRST || vector > VECTOR_FEATURE_LAST ||
			    irq_owner[vector])
				panic("%s: interrupt vector %u is taken or hv's", f->name, vector);
			irq_owner[vector] = f;
		}
	}
}

bool trap_feature_irq(u8 vector)
{
	const struct feature *f = irq_owner[vector];

	if (!f)
		return false;
	lapic_eoi();
	f->irq(this_cpu(), vector);
	return true;
}

void idt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed desc = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	__asm__ __volatile__("lidt %0" ::"m"(desc));
}

static bool apply_fixup(struct trap_frame *f)
{
	const struct extable_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == f->rip) {
			f->rip = e->fixup;
			return true;
		}
	}
	return false;
}

static void dump_frame(const struct trap_frame *f)
{
	printk("  rip %016llx  rsp %016llx  rflags %08llx  cs %llx ss %llx\n",
	       (unsigned long long)f->rip, (unsigned long long)f->rsp,
	       (unsigned long long)f->rflags, (unsigned long long)f->cs, (unsigned long long)f->ss);
	printk("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n", (unsigned long long)f->rax,
	       (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	printk("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n", (unsigned long long)f->rsi,
	       (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
	printk("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n", (unsigned long long)f->r9,
	       (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
	printk("  r13 %016llx  r14 %016llx  r15 %016llx  cr2 %016llx\n", (unsigned long long)f->r13,
	       (unsigned long long)f->r14, (unsigned long long)f->r15,
	       (unsigned long long)read_cr2());
}

void trap_handler(struct trap_frame *f)
{
	if (f->vector == X86_EXC_NMI) {
		kick_nmi(f);
		return;
	}
	if (f->vector == VECTOR_TIMER) {
		lapic_eoi();
		__atomic_fetch_or(&this_cpu()->pending_work, PERCPU_WORK_TIMER, __ATOMIC_RELAXED);
		return;
	}
	if (f->vector < IDT_ENTRIES && trap_feature_irq((u8)f->vector))
		return;
	/* Spurious interrupts: the local APIC's, or the masked 8259s' IRQ 7 and 15. */
	if (f->vector == VECTOR_SPURIOUS || f->vector == VECTOR_PIC_SPURIOUS_MASTER ||
	    f->vector == VECTOR_PIC_SPURIOUS_SLAVE)
		return;
	if (f->vector == X86_EXC_GP && apply_fixup(f))
		return;
	/* In hv itself: its own state may be what is corrupt. */
	if (f->vector == X86_EXC_MC) {
		struct mce_report r;

		mce_collect(&r);
		mce_print(&r, "hv");
	}
	if (f->vector == X86_EXC_DF)
		printk("\nhv: double fault on CPU %u: most likely a stack overflow\n",
		       this_cpu_id());
	printk("\nhv: exception %llu (%s), error code 0x%llx, on CPU %u\n",
	       (unsigned long long)f->vector,
	       f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector] :
							      "interrupt",
	       (unsigned long long)f->error_code, this_cpu_id());
	dump_frame(f);
	panic("unexpected exception in hv");
}
