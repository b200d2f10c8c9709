// SPDX-License-Identifier: GPL-2.0
/*
 * What the local APIC costs a guest (hv/apic), measured with the TSC (in
 * Bochs: retired instructions), in x2APIC mode. Prints "BENCH <name>
 * <value> instructions":
 *   apic_self_ipi     a SELF IPI write, its delivery, the handler's EOI
 *                     and IRET: the round trip
 *   apic_eoi          the EOI write alone
 *   apic_timer_arm    a write of IA32_TSC_DEADLINE (arming the timer)
 *   apic_ipi_sender   a fixed IPI to vCPU 1, halted: the sender's ICR write
 *   apic_ipi_latency  from before that write to vCPU 1's handler, vCPU 0
 *                     halting right after it (both vCPUs on one CPU; vCPU
 *                     1's handler answers with an IPI that wakes vCPU 0)
 * Two vCPUs; `make bench` runs hv on one CPU.
 */
#include <stdio.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define SELF_VECTOR 0x40
#define IPI_VECTOR 0x41
#define PONG_VECTOR 0x43
#define RUNS 8
#define FAR_DEADLINE (1ULL << 62)

static volatile uint64_t eoi_best = UINT64_MAX, received_tsc;
static volatile unsigned int received;
static volatile bool pong; /* vCPU 1 answers each IPI with one to vCPU 0 */

static void self_handler(void)
{
	uint64_t t0 = tsc_read();

	apic_eoi();
	t0 = tsc_read() - t0;
	if (t0 < eoi_best)
		eoi_best = t0;
}

static void ipi_handler(void)
{
	received_tsc = tsc_read();
	__atomic_fetch_add(&received, 1, __ATOMIC_SEQ_CST);
	apic_eoi();
	if (pong)
		wrmsr(X2APIC_MSR(APIC_ICR), (0ULL << 32) | PONG_VECTOR);
}

static void pong_handler(void)
{
	apic_eoi();
}

static void receiver(void *unused)
{
	(void)unused;
	apic_enable();
	apic_enable_x2apic();
	for (;;)
		asm volatile("sti; hlt; cli" ::: "memory");
}

static void wait_received(unsigned int n)
{
	while (__atomic_load_n(&received, __ATOMIC_SEQ_CST) < n)
		asm volatile("pause");
}

int main(void)
{
	uint64_t overhead, best_send = UINT64_MAX, best_latency = UINT64_MAX;
	unsigned int i;

	report_start();
	interrupt_set_handler(SELF_VECTOR, self_handler);
	interrupt_set_handler(IPI_VECTOR, ipi_handler);
	interrupt_set_handler(PONG_VECTOR, pong_handler);
	apic_enable();
	if (!apic_enable_x2apic()) {
		printf("ABORT: no x2APIC mode\n");
		return HV_EXIT_ABORT;
	}
	overhead = tsc_overhead();

	asm volatile("sti");
	printf("BENCH apic_self_ipi %lu instructions\n",
	       tsc_measure(wrmsr(X2APIC_MSR(APIC_SELF_IPI), SELF_VECTOR)));
	asm volatile("cli");
	printf("BENCH apic_eoi %lu instructions\n", eoi_best > overhead ? eoi_best - overhead : 0);

	apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | 0x42);
	printf("BENCH apic_timer_arm %lu instructions\n",
	       tsc_measure(wrmsr(MSR_IA32_TSC_DEADLINE, FAR_DEADLINE)));
	wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);

	if (vcpu_start(1, receiver, NULL)) {
		printf("ABORT: vCPU 1 does not start\n");
		return HV_EXIT_ABORT;
	}
	/* Each IPI finds vCPU 1 halted and its notification not outstanding. */
	for (i = 0; i < RUNS; i++) {
		uint64_t t0 = tsc_read(), t;

		wrmsr(X2APIC_MSR(APIC_ICR), (1ULL << 32) | IPI_VECTOR);
		t = tsc_read() - t0;
		if (t < best_send)
			best_send = t;
		wait_received(i + 1);
		/* Until vCPU 1 halts again. */
		for (t0 = tsc_read(); tsc_read() - t0 < 20000;)
			asm volatile("pause");
	}
	printf("BENCH apic_ipi_sender %lu instructions\n",
	       best_send > overhead ? best_send - overhead : 0);
	pong = true;
	for (i = 0; i < RUNS; i++) {
		uint64_t t0 = tsc_read();

		/* vCPU 0 halts at once: the CPU goes to vCPU 1, whose answer wakes vCPU 0. */
		wrmsr(X2APIC_MSR(APIC_ICR), (1ULL << 32) | IPI_VECTOR);
		asm volatile("sti; hlt; cli" ::: "memory");
		wait_received(RUNS + i + 1);
		if (received_tsc - t0 < best_latency)
			best_latency = received_tsc - t0;
		for (t0 = tsc_read(); tsc_read() - t0 < 20000;)
			asm volatile("pause");
	}
	printf("BENCH apic_ipi_latency %lu instructions\n", best_latency);
	return HV_EXIT_PASS;
}
