// SPDX-License-Identifier: GPL-2.0
/*
 * An interrupt for a preempted vCPU (runnable, waiting for its turn while
 * another vCPU runs on its CPU) arrives when it runs again, and the
 * notification that went to its CPU meanwhile is harmless to the vCPU
 * running there. hv never suppresses notifications (hv/apic/apic.c,
 * apic_switch_in()): with posted interrupts (bochs3) the notification
 * vector reaches the CPU while another vCPU runs, and the CPU processes
 * that vCPU's descriptor instead (SDM Vol. 3C 30.6), whose PIR is empty.
 *
 * Three vCPUs in x2APIC mode (IPI virtualization on bochs3). vCPU 0 and
 * vCPU 2 compute with interrupts enabled and never exit on their own; on
 * 2 CPUs they share CPU 0 and take turns, and vCPU 1, alone on CPU 1,
 * sends vCPU 0 one fixed IPI at a time, each when it sees vCPU 2 running
 * (its heartbeat moves), so vCPU 0 is preempted then, and waits for it to
 * arrive before the next. On 1 CPU all three take turns and every IPI
 * goes to a vCPU waiting for its turn. Every IPI must arrive, once, at
 * vCPU 0 only; vCPU 2 takes no interrupt at all (a stray notification
 * must not make the CPU deliver one: not the IPI's vector, not the
 * spurious vector).
 */
#include <stdio.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define NR_VCPUS 3
#define IPI_VECTOR 0x60
#define SPURIOUS_VECTOR 0xff /* apic_enable()'s */
#define NR_IPIS 20
/* A time slice is 10 ms: 100,000 TSC ticks in Bochs. Each wait allows several turns. */
#define SLICE_TICKS 100000ULL
#define WAIT_TICKS (8 * SLICE_TICKS)
/* How long vCPU 1 watches vCPU 2's heartbeat to tell that it runs. */
#define WATCH_TICKS 2000ULL

static volatile unsigned int received[NR_VCPUS], spurious[NR_VCPUS], ready[NR_VCPUS];
static volatile uint64_t heartbeat;
static volatile unsigned int done, sent, sent_while_other_ran, lost;

static void ipi_handler(void)
{
	__atomic_fetch_add(&received[apic_id()], 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}

/* The spurious vector takes no EOI (SDM Vol. 3A 11.9). */
static void spurious_handler(void)
{
	__atomic_fetch_add(&spurious[apic_id()], 1, __ATOMIC_SEQ_CST);
}

static void enable_apic(unsigned int id)
{
	if (!apic_x2apic())
		apic_enable_x2apic();
	apic_enable();
	__atomic_store_n(&ready[id], 1, __ATOMIC_SEQ_CST);
}

/* Whether vCPU 2 runs now: its heartbeat moves within WATCH_TICKS. */
static bool other_runs(void)
{
	uint64_t before = heartbeat, t0 = tsc_read();

	while (tsc_read() - t0 < WATCH_TICKS)
		if (heartbeat != before)
			return true;
	return false;
}

static void sender(void *unused)
{
	unsigned int i;
	uint64_t t0;

	(void)unused;
	enable_apic(1);
	for (i = 0; i < NR_IPIS; i++) {
		unsigned int before = received[0];

		for (t0 = tsc_read(); tsc_read() - t0 < WAIT_TICKS;)
			if (other_runs()) {
				sent_while_other_ran++;
				break;
			}
		apic_icr(0, ICR_FIXED | IPI_VECTOR);
		sent++;
		for (t0 = tsc_read(); received[0] == before && tsc_read() - t0 < WAIT_TICKS;)
			asm volatile("pause");
		if (received[0] == before)
			lost++;
	}
	__atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
	for (;;)
		asm volatile("cli; hlt");
}

static void other(void *unused)
{
	(void)unused;
	enable_apic(2);
	asm volatile("sti");
	while (!__atomic_load_n(&done, __ATOMIC_SEQ_CST))
		heartbeat = tsc_read();
	asm volatile("cli");
	for (;;)
		asm volatile("hlt");
}

int main(void)
{
	unsigned int id;

	report_start();
	interrupt_set_handler(IPI_VECTOR, ipi_handler);
	interrupt_set_handler(SPURIOUS_VECTOR, spurious_handler);
	enable_apic(0);
	report(vcpu_start(2, other, NULL) == 0, "vCPU 2 computes beside vCPU 0");
	report(vcpu_start(1, sender, NULL) == 0, "vCPU 1 sends");
	for (id = 1; id < NR_VCPUS; id++)
		while (!ready[id])
			asm volatile("pause");
	/* Computes, interrupts open, until vCPU 1 is done: no exit of its own. */
	asm volatile("sti");
	while (!__atomic_load_n(&done, __ATOMIC_SEQ_CST))
		asm volatile("pause");
	asm volatile("cli");
	report(sent == NR_IPIS && lost == 0, "every IPI to vCPU 0 arrived (%u sent, %u late)", sent,
	       lost);
	report(received[0] == NR_IPIS, "... once each (%u taken)", received[0]);
	report(received[1] == 0 && received[2] == 0, "no other vCPU took one (%u, %u)", received[1],
	       received[2]);
	report(spurious[0] == 0 && spurious[2] == 0,
	       "no spurious interrupt where the notifications went (vCPU 0: %u, vCPU 2: %u)",
	       spurious[0], spurious[2]);
	printf("t-apic-preempted: %u of %u IPIs sent while vCPU 2 ran (on 2 CPUs: vCPU 0 "
	       "preempted on the same CPU)\n",
	       sent_while_other_ran, sent);
	return report_summary();
}
