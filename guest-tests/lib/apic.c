// SPDX-License-Identifier: GPL-2.0
/* The local APIC for test kernels (apic.h). */
#include "apic.h"
#include "libguest.h"
#include "guest.h"

#define PAGE_2M_SHIFT 21
#define PTE_PRESENT (1ULL << 0)
#define PTE_WRITABLE (1ULL << 1)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PAGE_4K 4096ULL
#define PT_ENTRIES 512U
#define X2APIC_DESTINATION_SHIFT 32
#define XAPIC_DESTINATION_SHIFT 24
#define SPURIOUS_VECTOR 0xffU

/* The 2 MiB around the APIC, in 4 KiB pages: the APIC's uncached, as an OS maps it. */
static uint64_t apic_pt[PT_ENTRIES] __attribute__((aligned(4096)));

void apic_map(void)
{
	uint64_t region = APIC_BASE_GPA & ~((1ULL << PAGE_2M_SHIFT) - 1);
	uint64_t *pde = &guest_pd[APIC_BASE_GPA >> PAGE_2M_SHIFT];
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++)
		apic_pt[i] = (region + i * PAGE_4K) | PTE_PRESENT | PTE_WRITABLE;
	apic_pt[(APIC_BASE_GPA - region) / PAGE_4K] |= PTE_PCD | PTE_PWT;
	*pde = (uintptr_t)apic_pt | PTE_PRESENT | PTE_WRITABLE;
	for (i = 0; i < PT_ENTRIES; i++)
		invlpg(region + i * PAGE_4K);
}

bool apic_x2apic(void)
{
	return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD;
}

bool apic_enable_x2apic(void)
{
	return wrmsr_safe(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EXTD) ==
	       NO_EXCEPTION;
}

static volatile uint32_t *mmio(uint32_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(APIC_BASE_GPA + offset);
}

uint32_t apic_read(uint32_t offset)
{
	return apic_x2apic() ? (uint32_t)rdmsr(X2APIC_MSR(offset)) : *mmio(offset);
}

void apic_write(uint32_t offset, uint32_t value)
{
	if (apic_x2apic())
		wrmsr(X2APIC_MSR(offset), value);
	else
		*mmio(offset) = value;
}

void apic_icr(uint32_t destination, uint32_t icr)
{
	if (apic_x2apic()) {
		wrmsr(X2APIC_MSR(APIC_ICR),
		      (uint64_t)destination << X2APIC_DESTINATION_SHIFT | icr);
		return;
	}
	*mmio(APIC_ICR_HIGH) = destination << XAPIC_DESTINATION_SHIFT;
	*mmio(APIC_ICR) = icr;
	while (*mmio(APIC_ICR) & ICR_DELIVERY_PENDING)
		asm volatile("pause");
}

void apic_enable(void)
{
	apic_write(APIC_TPR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return apic_x2apic() ? id : id >> XAPIC_DESTINATION_SHIFT;
}
