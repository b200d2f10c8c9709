// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/lapic.h>
#include <hv/core/platform.h>
#include <hv/core/trap.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define XAPIC_DEFAULT_BASE 0xfee00000ULL
#define APIC_REG_ID 0x20
#define APIC_REG_EOI 0xb0
#define APIC_REG_SVR 0xf0
#define APIC_REG_LVT_TIMER 0x320
#define APIC_LVT_TIMER_TSC_DEADLINE (2U << 17)
#define APIC_REG_ICR_LO 0x300
#define APIC_REG_ICR_HI 0x310
#define APIC_SVR_ENABLE BIT(8)
#define APIC_ICR_DELIVERY_PENDING BIT(12)
#define APIC_ICR_LEVEL_ASSERT BIT(14)
#define APIC_ICR_TRIGGER_LEVEL BIT(15)
#define APIC_ICR_DM_FIXED (0U << 8)
#define APIC_ICR_DM_NMI (4U << 8)
#define APIC_ICR_DM_INIT (5U << 8)
#define APIC_ICR_DM_STARTUP (6U << 8)
#define X2APIC_MSR(reg) (MSR_IA32_X2APIC_BASE + ((reg) >> 4))

static bool x2apic, tsc_deadline;
static volatile u32 *xapic_mmio;

bool lapic_is_x2apic(void)
{
	return x2apic;
}

static u32 lapic_read(u32 reg)
{
	return x2apic ? (u32)rdmsr(X2APIC_MSR(reg)) : xapic_mmio[reg / 4];
}

static void lapic_write(u32 reg, u32 v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR(reg), v);
	else
		xapic_mmio[reg / 4] = v;
}

/* Called on every CPU: x2APIC mode when the CPU has it, else xAPIC MMIO. */
void lapic_init(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);

	x2apic = cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC;
	if (x2apic) {
		base |= APIC_BASE_XAPIC_ENABLE | APIC_BASE_X2APIC_ENABLE;
	} else {
		base |= APIC_BASE_XAPIC_ENABLE;
		xapic_mmio = phys_to_virt(base & APIC_BASE_ADDR_MASK);
	}
	wrmsr(MSR_IA32_APIC_BASE, base);
	lapic_write(APIC_REG_SVR, APIC_SVR_ENABLE | VECTOR_SPURIOUS);
	tsc_deadline = cpuid(1, 0).ecx & CPUID_1_ECX_TSC_DEADLINE;
	if (tsc_deadline)
		lapic_write(APIC_REG_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | VECTOR_TIMER);
}

bool lapic_timer_arm(u64 tsc)
{
	if (tsc_deadline)
		wrmsr(MSR_IA32_TSC_DEADLINE, tsc);
	return tsc_deadline;
}

u32 lapic_id(void)
{
	return x2apic ? lapic_read(APIC_REG_ID) : lapic_read(APIC_REG_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_REG_EOI, 0);
}

static void lapic_send_icr(u32 apic_id, u32 icr_lo)
{
	if (x2apic) {
		wrmsr(MSR_IA32_X2APIC_ICR, ((u64)apic_id << 32) | icr_lo);
		return;
	}
	lapic_write(APIC_REG_ICR_HI, apic_id << 24);
	lapic_write(APIC_REG_ICR_LO, icr_lo);
	while (lapic_read(APIC_REG_ICR_LO) & APIC_ICR_DELIVERY_PENDING)
		cpu_relax();
}

void lapic_send_nmi(u32 apic_id)
{
	lapic_send_icr(apic_id, APIC_ICR_DM_NMI | APIC_ICR_LEVEL_ASSERT);
}

void lapic_send_ipi(u32 apic_id, u8 vector)
{
	lapic_send_icr(apic_id, APIC_ICR_DM_FIXED | APIC_ICR_LEVEL_ASSERT | vector);
}

void lapic_start_ap(u32 apic_id, u8 start_page)
{
	lapic_send_icr(apic_id, APIC_ICR_DM_INIT | APIC_ICR_LEVEL_ASSERT | APIC_ICR_TRIGGER_LEVEL);
	udelay(10000);
	lapic_send_icr(apic_id, APIC_ICR_DM_STARTUP | start_page);
	udelay(200);
	lapic_send_icr(apic_id, APIC_ICR_DM_STARTUP | start_page);
	udelay(200);
}
