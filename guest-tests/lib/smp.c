// SPDX-License-Identifier: GPL-2.0
/* Secondary vCPUs: started by hypercall, they enter long mode and run a C function. */
#include <stdlib.h>
#include <hypercall.h>
#include "libguest.h"
#include "guest.h"

#define VCPU_STACK_SIZE (64 * 1024)
#define MAX_VCPUS 4

struct vcpu_boot {
	uint64_t stack_top; /* first: the entry code loads it */
	void (*fn)(void *arg);
	void *arg;
	volatile bool running;
};

extern char vcpu_entry32[];
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

long vcpu_start(unsigned int id, void (*fn)(void *arg), void *arg)
{
	struct vcpu_boot *b;
	char *stack;
	long ret;

	if (id == 0 || id >= MAX_VCPUS)
		return -HV_EINVAL;
	b = &boots[id];
	stack = malloc(VCPU_STACK_SIZE);
	if (!stack)
		return -HV_ENOMEM;
	/* The ABI's 16-byte alignment at the call (malloc gives 8): SSE spills need it. */
	*b = (struct vcpu_boot){ ((uintptr_t)stack + VCPU_STACK_SIZE) & ~(uintptr_t)15, fn, arg,
				 false };
	ret = hypercall(HV_HC_VCPU_START, id, (uintptr_t)vcpu_entry32, (uintptr_t)b, 0);
	if (ret) {
		free(stack);
		return ret;
	}
	while (!b->running)
		asm volatile("pause");
	return 0;
}
