// SPDX-License-Identifier: GPL-2.0
/*
 * Secondary vCPUs: started as on any PC, by INIT and one SIPI through the
 * local APIC (SDM Vol. 3A 9.4.4); they run lib/trampoline.S, then enter
 * long mode (entry.S) and run a C function.
 */
#include <stdlib.h>
#include <string.h>
#include <hypercall.h>
#include "apic.h"
#include "libguest.h"
#include "guest.h"

#define VCPU_STACK_SIZE (64 * 1024)
#define MAX_VCPUS 4
/* The SIPI's vector: the page the trampoline runs in (lib/trampoline.S). */
#define TRAMPOLINE_PAGE 0x7000U
#define PAGE_SHIFT 12

struct vcpu_boot {
	uint64_t stack_top; /* first: the entry code loads it */
	void (*fn)(void *arg);
	void *arg;
	volatile bool running;
};

extern char vcpu_entry32[];
extern const char trampoline_start[], trampoline_end[], trampoline_gdtr[], trampoline_boot[];
static struct vcpu_boot boots[MAX_VCPUS];

void vcpu_boot_start(struct vcpu_boot *b)
{
	exception_init();
	b->running = true;
	b->fn(b->arg);
	/* Done: halted with interrupts enabled, the vCPU blocks for good. */
	for (;;)
		asm volatile("sti; hlt");
}

/* The trampoline's data words, in its copy. */
static void *trampoline_word(const char *symbol)
{
	return (void *)(uintptr_t)(TRAMPOLINE_PAGE + (symbol - trampoline_start));
}

void vcpu_send_init_sipi(unsigned int id, unsigned int sipis)
{
	apic_icr(id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
	while (sipis--)
		apic_icr(id, ICR_STARTUP | (TRAMPOLINE_PAGE >> PAGE_SHIFT));
}

void vcpu_prepare_start(unsigned int id, void (*fn)(void *arg), void *arg, void *stack)
{
	struct vcpu_boot *b = &boots[id];
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr;
	uint32_t base32;

	/* The ABI's 16-byte alignment at the call (malloc gives 8): SSE spills need it. */
	*b = (struct vcpu_boot){ ((uintptr_t)stack + VCPU_STACK_SIZE) & ~(uintptr_t)15, fn, arg,
				 false };
	memcpy((void *)(uintptr_t)TRAMPOLINE_PAGE, trampoline_start,
	       trampoline_end - trampoline_start);
	asm volatile("sgdt %0" : "=m"(gdtr));
	base32 = (uint32_t)gdtr.base;
	memcpy(trampoline_word(trampoline_gdtr), &gdtr.limit, sizeof(gdtr.limit));
	memcpy((char *)trampoline_word(trampoline_gdtr) + 2, &base32, sizeof(base32));
	*(volatile uint32_t *)trampoline_word(trampoline_boot) = (uint32_t)(uintptr_t)b;
}

bool vcpu_running(unsigned int id)
{
	return boots[id].running;
}

long vcpu_start(unsigned int id, void (*fn)(void *arg), void *arg)
{
	char *stack;

	if (id == 0 || id >= MAX_VCPUS)
		return -HV_EINVAL;
	stack = malloc(VCPU_STACK_SIZE);
	if (!stack)
		return -HV_ENOMEM;
	vcpu_prepare_start(id, fn, arg, stack);
	/* INIT and at once a single SIPI, as kernels built for QEMU do. */
	vcpu_send_init_sipi(id, 1);
	while (!boots[id].running)
		asm volatile("pause");
	return 0;
}
