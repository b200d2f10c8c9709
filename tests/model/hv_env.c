// SPDX-License-Identifier: GPL-2.0
/* See hv_env.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/platform.h>
#include <hv/core/feature.h>
#include <hv/core/run.h>
#include <hv/core/sched.h>
#include <hv/core/vcpu.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <public/hv.h>
#include <public/hypercall.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#include "ept_env.h"
#include "hv_env.h"

#define PTE_P BIT(0)
#define PTE_RW BIT(1)
#define PTE_US BIT(2)

/* Code and data segments as VM entry leaves them in 64-bit mode (SDM Vol. 3C 25.4.1) */
#define AR_CODE64 (0xbU | SEG_AR_S | SEG_AR_P | SEG_AR_L | SEG_AR_G)
#define AR_DATA (0x3U | SEG_AR_S | SEG_AR_P | SEG_AR_DB | SEG_AR_G)

char hv_env_log[16384];
u64 hv_env_ram_size = HV_ENV_GUEST_RAM;
u64 hv_env_cr2;
unsigned int hv_env_stops;
unsigned int hv_env_unwakeable_checks;
u64 tsc_khz = 1000000;

struct env_partition {
	struct partition p;
	struct vcpu vcpus[MAX_VCPUS_PER_PARTITION];
	u64 ram_hpa;
};

void hv_env_clear_log(void)
{
	hv_env_log[0] = 0;
	hv_env_stops = 0;
}

void hv_env_reset(void)
{
	ept_env_reset(1);
	model_vmcs_reset();
	hv_env_clear_log();
}

/* ---- hv/core/console.h ---- */

void printk(const char *fmt, ...)
{
	size_t len = strlen(hv_env_log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hv_env_log + len, sizeof(hv_env_log) - len, fmt, ap);
	va_end(ap);
	if (getenv("HV_ENV_VERBOSE"))
		fputs(hv_env_log + len, stderr);
}

const char *hv_env_console_input = "";

size_t console_read(char *buf, size_t len)
{
	size_t n = strnlen(hv_env_console_input, len);

	memcpy(buf, hv_env_console_input, n);
	hv_env_console_input += n;
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

/* ---- hv/core/partition.h ---- */

void partition_stop(struct partition *p, const char *reason, int exit_code)
{
	enum partition_state running = PARTITION_RUNNING;
	u32 i;

	hv_env_stops++;
	if (!__atomic_compare_exchange_n(&p->state, &running, PARTITION_STOPPING, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	p->stop_reason = reason;
	p->exit_code = exit_code;
	for (i = 0; i < p->nr_vcpus; i++)
		vcpu_stop(p->vcpus[i]);
}

bool partition_tryget(struct partition *p)
{
	u32 refs = __atomic_load_n(&p->refs, __ATOMIC_ACQUIRE);

	do {
		if (!refs)
			return false;
	} while (!__atomic_compare_exchange_n(&p->refs, &refs, refs + 1, false, __ATOMIC_ACQUIRE,
					      __ATOMIC_ACQUIRE));
	return true;
}

void partition_get(struct partition *p)
{
	__atomic_fetch_add(&p->refs, 1, __ATOMIC_ACQ_REL);
}

u64 partition_per_second(const struct partition *p, u64 count)
{
	return count; /* the model's partitions live for a second */
}

void partition_put(struct partition *p)
{
	if (!__atomic_fetch_sub(&p->refs, 1, __ATOMIC_ACQ_REL))
		panic("hv_env: a partition reference was dropped twice\n");
}

void partition_check_unwakeable(struct vcpu *v)
{
	hv_env_unwakeable_checks++;
}

/* ---- hv/core/run.h (the vCPU transitions are hv/core/vcpu.c's own) ---- */

bool vcpu_wake(struct vcpu *v, enum vcpu_state blocked, bool yield)
{
	return vcpu_unblock(v, blocked);
}

void run_yield_to(struct vcpu *v)
{
}

/* The model's service answers only when a test runs it: nothing comes while a vCPU waits. */
enum run_wait run_wait_here(struct vcpu *v, bool (*answered)(const struct vcpu *v))
{
	return RUN_WAIT_GAVE_UP;
}

void vcpu_set_deadline(struct vcpu *v, u64 tsc)
{
	v->deadline = tsc;
}

void hv_env_enter(struct vcpu *v)
{
	u32 requests = __atomic_exchange_n(&v->requests, 0, __ATOMIC_ACQ_REL);
	const struct feature *f;

	for_each_feature(f)
		if (requests & feature_request(f))
			f->pre_entry(v);
}

/* ---- hv/vmx/vmx.h: the exit helpers, on the model VMCS ---- */

void vmx_advance_rip(u64 len)
{
	vmwrite(GUEST_RIP, vmread(GUEST_RIP) + len);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO,
		vmread(GUEST_INTERRUPTIBILITY_INFO) &
			~(u64)(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

void vmx_skip_instruction(void)
{
	vmx_advance_rip(vmread(VM_EXIT_INSTRUCTION_LEN));
}

void vmx_inject_exception(u8 vector, bool has_error_code, u32 error_code)
{
	if (vmread(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID)
		panic("hv_env: a second event injected at one entry (vector %u)\n", vector);
	if (has_error_code)
		vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, error_code);
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | vector |
					    (has_error_code ? INTR_INFO_DELIVER_ERROR_CODE : 0));
}

void vmx_inject_page_fault(u64 linear, u32 error_code)
{
	hv_env_cr2 = linear;
	vmx_inject_exception(X86_EXC_PF, true, error_code);
}

bool vmx_reinject_vectoring_event(void)
{
	u64 info = vmread(IDT_VECTORING_INFO);

	if (!(info & INTR_INFO_VALID))
		return false;
	vmwrite(VM_ENTRY_INTR_INFO, info & ~(u64)INTR_INFO_NMI_UNBLOCKED_BY_IRET);
	if (info & INTR_INFO_DELIVER_ERROR_CODE)
		vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, vmread(IDT_VECTORING_ERROR_CODE));
	return true;
}

/* An NMI for the guest: pending, as the event path would keep it. */
void vmx_raise_nmi(struct vcpu *v)
{
	__atomic_store_n(&v->nmi_pending, true, __ATOMIC_SEQ_CST);
	vcpu_request(v, VCPU_REQUEST_EVENT);
}

/* INIT's state: RIP and CS, which the tests of INIT and SIPI look at. */
void vmx_init_state(struct vcpu *v, u16 cs_selector, u32 cs_base, u32 rip)
{
	memset(v->gpr, 0, sizeof(v->gpr));
	vmwrite(GUEST_CS_SELECTOR, cs_selector);
	vmwrite(GUEST_CS_BASE, cs_base);
	vmwrite(GUEST_RIP, rip);
}

/* ---- hv/core/lapic.h: the model CPU's local APIC is in xAPIC mode ---- */

bool lapic_is_x2apic(void)
{
	return false;
}

struct hv_env_ipi hv_env_ipis[HV_ENV_MAX_IPIS];
unsigned int hv_env_nr_ipis;

void lapic_send_ipi(u32 apic_id, u8 vector)
{
	if (hv_env_nr_ipis < HV_ENV_MAX_IPIS)
		hv_env_ipis[hv_env_nr_ipis] = (struct hv_env_ipi){ apic_id, vector };
	hv_env_nr_ipis++;
}

/* ---- Partitions ---- */

struct partition *hv_env_partition(const char *name, enum partition_kind kind, u32 nr_vcpus)
{
	struct env_partition *e = calloc(1, sizeof(*e));
	struct partition *p = &e->p;
	u32 i;

	if (!e || nr_vcpus > MAX_VCPUS_PER_PARTITION || ept_init(&p->ept, 1, BIT(0), NULL))
		abort();
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->kind = kind;
	p->exit_code = -1;
	p->refs = 1;
	p->nr_vcpus = nr_vcpus;
	p->ram_size = hv_env_ram_size;
	e->ram_hpa = frame_alloc(p->ram_size / PAGE_SIZE, PAGE_SIZE);
	if (!e->ram_hpa)
		abort();
	memset(phys_to_virt(e->ram_hpa), 0, p->ram_size);
	if (ept_add_slot(&p->ept, &(struct mem_slot){ .gpa = 0,
						      .size = p->ram_size,
						      .hpa = e->ram_hpa,
						      .type = EPT_TYPE_RAM_RW }))
		abort();
	for (i = 0; i < nr_vcpus; i++) {
		e->vcpus[i] = (struct vcpu){ .partition = p, .id = i, .home = &percpu_area[0] };
		p->vcpus[i] = &e->vcpus[i];
		if (apic_feature.vcpu_init(p->vcpus[i]))
			abort();
	}
	p->live_vcpus = nr_vcpus;
	/* The MMIO window, but for the local APIC's page (hv/core/partition.c). */
	if (kind == PARTITION_GUEST &&
	    (ept_add_slot(&p->ept,
			  &(struct mem_slot){ .gpa = HV_MMIO_WINDOW_START,
					      .size = HV_LOCAL_APIC_GPA - HV_MMIO_WINDOW_START,
					      .type = EPT_TYPE_MMIO }) ||
	     ept_add_slot(&p->ept, &(struct mem_slot){ .gpa = HV_LOCAL_APIC_GPA + PAGE_SIZE,
						       .size = HV_MMIO_WINDOW_END -
							       HV_LOCAL_APIC_GPA - PAGE_SIZE,
						       .type = EPT_TYPE_MMIO })))
		abort();
	p->msr_bitmap = calloc(1, PAGE_SIZE);
	if (!p->msr_bitmap || ioreq_feature.partition_init(p) || apic_feature.partition_init(p))
		abort();
	return p;
}

void hv_env_partition_free(struct partition *p)
{
	struct env_partition *e = container_of(p, struct env_partition, p);
	u32 i;

	apic_feature.partition_destroy(p);
	for (i = 0; i < p->nr_vcpus; i++)
		apic_feature.vcpu_destroy(p->vcpus[i]);
	free(p->msr_bitmap);
	ioreq_feature.partition_destroy(p);
	ept_destroy(&p->ept);
	frame_free(e->ram_hpa, p->ram_size / PAGE_SIZE);
	free(e);
}

void *hv_env_guest_ram(struct partition *p, u64 gpa)
{
	return ept_gpa_to_hva(&p->ept, gpa, 1);
}

static void set_pte(struct partition *p, u64 gpa, u64 value)
{
	memcpy(hv_env_guest_ram(p, gpa), &value, sizeof(value));
}

void hv_env_map(struct partition *p, u64 linear, u64 gpa, u64 flags)
{
	set_pte(p, HV_ENV_PT + (linear >> 12) * 8, gpa | flags);
}

void hv_env_exit(struct vcpu *v, u32 reason, u64 qualification, u64 rip, u32 insn_len)
{
	struct partition *p = v->partition;
	u32 seg;

	set_pte(p, HV_ENV_PML4, HV_ENV_PDPT | PTE_P | PTE_RW | PTE_US);
	set_pte(p, HV_ENV_PDPT, HV_ENV_PD | PTE_P | PTE_RW | PTE_US);
	set_pte(p, HV_ENV_PD, HV_ENV_PT | PTE_P | PTE_RW | PTE_US);
	model_vmcs_reset();
	vmwrite(GUEST_CR0, X86_CR0_PE | X86_CR0_PG | X86_CR0_WP | X86_CR0_NE);
	vmwrite(GUEST_CR3, HV_ENV_PML4);
	vmwrite(GUEST_CR4, X86_CR4_PAE);
	vmwrite(GUEST_IA32_EFER, EFER_LME | EFER_LMA | EFER_NXE);
	for (seg = SEG_ES; seg <= SEG_GS; seg++) {
		vmwrite(GUEST_SEG_AR_BYTES(seg), seg == SEG_CS ? AR_CODE64 : AR_DATA);
		vmwrite(GUEST_SEG_LIMIT(seg), 0xffffffff);
	}
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED);
	vmwrite(GUEST_RIP, rip);
	vmwrite(GUEST_RSP, 0x8000);
	vmwrite(VM_EXIT_REASON, reason);
	vmwrite(EXIT_QUALIFICATION, qualification);
	vmwrite(VM_EXIT_INSTRUCTION_LEN, insn_len);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vmwrite(IDT_VECTORING_INFO, 0);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
}
