// SPDX-License-Identifier: GPL-2.0
/*
 * IPIs between vCPUs and multi-vCPU start (SDM Vol. 3A 11.6, 9.4.4), with
 * 4 vCPUs (on however many CPUs hv has): vCPU 0 starts the others with
 * INIT and one SIPI (the library's vcpu_start()), then sends IPIs of every
 * destination mode and shorthand and checks who got them: physical
 * unicast and broadcast, the three shorthands, logical flat and cluster
 * (xAPIC) or cluster (x2APIC), lowest priority (the vCPU with the lower
 * TPR), an NMI; each target halted in HLT, which the IPI ends. Then INIT
 * and SIPI: INIT alone parks a running vCPU (its APIC reset: fixed IPIs
 * are dropped), a SIPI then starts it; INIT-SIPI-SIPI starts it once;
 * re-INIT of a running vCPU restarts it. The command line "x2apic" runs
 * it all in x2APIC mode; with IPI virtualization (the reference engine)
 * a physical fixed IPI to another vCPU also costs the sender no exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define NR_VCPUS 4
#define IPI_VECTOR 0x60
#define WAKE_VECTOR 0x61 /* makes a vCPU look at its command */
#define EXIT_REASON_MSR_WRITE 32
#define EXIT_REASON_APIC_WRITE 56
#define WAIT_TICKS 20000000ULL
#define VCPU_STACK_SIZE (64 * 1024)

enum command { CMD_NONE, CMD_TPR, CMD_LDR, CMD_DFR_CLUSTER };

static bool x2apic_mode;
static volatile unsigned int received[NR_VCPUS], nmis[NR_VCPUS], starts[NR_VCPUS];
static volatile unsigned int ready[NR_VCPUS];
static volatile uint32_t command[NR_VCPUS], argument[NR_VCPUS];

static unsigned int me(void)
{
	return apic_id();
}

static void ipi_handler(void)
{
	__atomic_fetch_add(&received[me()], 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}

static void wake_handler(void)
{
	apic_eoi();
}

static void nmi_handler(void)
{
	__atomic_fetch_add(&nmis[me()], 1, __ATOMIC_SEQ_CST);
}

static void run_command(unsigned int id)
{
	switch (command[id]) {
	case CMD_TPR:
		apic_write(APIC_TPR, argument[id]);
		break;
	case CMD_LDR:
		apic_write(APIC_LDR, argument[id]);
		break;
	case CMD_DFR_CLUSTER:
		apic_write(APIC_DFR, 0x0fffffff);
		break;
	}
	__atomic_store_n(&command[id], CMD_NONE, __ATOMIC_SEQ_CST);
}

/* A secondary vCPU: its APIC on, then it halts and takes IPIs and commands. */
static void secondary(void *arg)
{
	unsigned int id = (uintptr_t)arg;

	__atomic_fetch_add(&starts[id], 1, __ATOMIC_SEQ_CST);
	if (x2apic_mode && !apic_x2apic())
		apic_enable_x2apic();
	apic_enable();
	ready[id] = true;
	for (;;) {
		asm volatile("cli");
		if (command[id])
			run_command(id);
		asm volatile("sti; hlt" ::: "memory");
	}
}

static bool wait_until(volatile unsigned int *v, unsigned int value)
{
	uint64_t t0 = tsc_read();

	/* With interrupts open for a moment each time: vCPU 0 may be a target too. */
	while (__atomic_load_n(v, __ATOMIC_SEQ_CST) != value) {
		asm volatile("sti; nop; cli" ::: "memory");
		if (tsc_read() - t0 > WAIT_TICKS)
			return false;
	}
	return true;
}

/* Waits a while for more to arrive than should: an IPI to the wrong vCPU would by then. */
static void settle(void)
{
	uint64_t t0 = tsc_read();

	while (tsc_read() - t0 < 200000)
		asm volatile("sti; nop; cli");
}

static void give(unsigned int id, enum command cmd, uint32_t arg)
{
	argument[id] = arg;
	__atomic_store_n(&command[id], cmd, __ATOMIC_SEQ_CST);
	apic_icr(id, ICR_FIXED | WAKE_VECTOR);
	while (__atomic_load_n(&command[id], __ATOMIC_SEQ_CST) != CMD_NONE)
		asm volatile("pause");
}

/* Sends @icr to @dest; checks which vCPUs got it (bit i: vCPU i). */
static void send_and_check(const char *what, uint32_t dest, uint32_t icr, unsigned int expect)
{
	unsigned int before[NR_VCPUS], got = 0, i;
	bool ok = true;

	for (i = 0; i < NR_VCPUS; i++)
		before[i] = received[i];
	apic_icr(dest, icr | IPI_VECTOR);
	for (i = 0; i < NR_VCPUS; i++)
		if (expect & (1U << i))
			ok &= wait_until(&received[i], before[i] + 1);
	settle();
	for (i = 0; i < NR_VCPUS; i++)
		if (received[i] != before[i])
			got |= 1U << i;
	report(ok && got == expect, "%s: vCPUs %#x got it (%#x)", what, expect, got);
}

static void destinations(void)
{
	uint32_t broadcast = x2apic_mode ? 0xffffffff : 0xff;

	for (unsigned int id = 1; id < NR_VCPUS; id++) {
		char what[64];

		snprintf(what, sizeof(what), "physical destination %u", id);
		send_and_check(what, id, ICR_FIXED, 1U << id);
	}
	send_and_check("physical broadcast", broadcast, ICR_FIXED, 0xf);
	send_and_check("self shorthand", 0, ICR_FIXED | ICR_SELF, 0x1);
	send_and_check("all including self", 0, ICR_FIXED | ICR_ALL, 0xf);
	send_and_check("all excluding self", 0, ICR_FIXED | ICR_ALL_BUT_SELF, 0xe);
	if (x2apic_mode) {
		/* x2APIC logical IDs are fixed: cluster 0, bit i for x2APIC ID i (11.12.10.2). */
		send_and_check("x2APIC logical, cluster 0, bits 1 and 3", 0xa,
			       ICR_FIXED | ICR_LOGICAL, 0xa);
		send_and_check("x2APIC logical, cluster 1", 0x10001, ICR_FIXED | ICR_LOGICAL, 0);
		give(1, CMD_TPR, 0x50);
		send_and_check("lowest priority to cluster 0, bits 1 and 2 (vCPU 1's TPR is 0x50)",
			       0x6, ICR_LOWEST_PRIORITY | ICR_LOGICAL, 0x4);
		give(1, CMD_TPR, 0);
		return;
	}
	/* Flat model: vCPU i has logical ID bit i (11.6.2.2). */
	for (unsigned int id = 1; id < NR_VCPUS; id++)
		give(id, CMD_LDR, 1U << (24 + id));
	apic_write(APIC_LDR, 1U << 24);
	send_and_check("logical flat, bits 1 and 2", 0x6, ICR_FIXED | ICR_LOGICAL, 0x6);
	send_and_check("logical flat broadcast (0xff)", 0xff, ICR_FIXED | ICR_LOGICAL, 0xf);
	give(1, CMD_TPR, 0x50);
	send_and_check("lowest priority to bits 1 and 2 (vCPU 1's TPR is 0x50)", 0x6,
		       ICR_LOWEST_PRIORITY | ICR_LOGICAL, 0x4);
	give(1, CMD_TPR, 0);
	/* Cluster model: vCPU i in cluster i / 2, bit i % 2. */
	for (unsigned int id = 1; id < NR_VCPUS; id++) {
		give(id, CMD_DFR_CLUSTER, 0);
		give(id, CMD_LDR, ((id / 2) << 4 | (1U << (id % 2))) << 24);
	}
	apic_write(APIC_DFR, 0x0fffffff);
	apic_write(APIC_LDR, 1U << 24);
	send_and_check("logical cluster 1, bits 0 and 1", 0x13, ICR_FIXED | ICR_LOGICAL, 0xc);
	send_and_check("logical cluster 0, bit 1", 0x02, ICR_FIXED | ICR_LOGICAL, 0x2);
}

static void nmi_to_others(void)
{
	unsigned int before = nmis[2];

	apic_icr(2, ICR_NMI | ICR_ASSERT);
	report(wait_until(&nmis[2], before + 1) && nmis[0] == 0,
	       "an NMI to vCPU 2 wakes it from HLT and reaches its NMI handler only (%u)",
	       nmis[2] - before);
}

static uint64_t exits(uint32_t reason)
{
	return hypercall(HV_HC_TEST_EXIT_COUNT, reason, 0, 0, 0);
}

/* With IPI virtualization, a physical fixed IPI to a halted vCPU costs its sender no exit. */
static void virtualized_ipis(void)
{
	uint64_t msr_writes, apic_writes;
	unsigned int before = received[3];

	if (!x2apic_mode) {
		report_skip("IPI virtualization: checked in x2APIC mode only (the x2apic line)");
		return;
	}
	if (hypercall(HV_HC_TEST_VMX_IPIV, HV_IPIV_VALID, 0, 0, 0)) {
		report_skip("IPI virtualization: hv did not set it up for this partition (the CPU "
			    "lacks it, or hv.apicv=off)");
		return;
	}
	msr_writes = exits(EXIT_REASON_MSR_WRITE);
	apic_writes = exits(EXIT_REASON_APIC_WRITE);
	wrmsr(X2APIC_MSR(APIC_ICR), (3ULL << 32) | IPI_VECTOR);
	report(exits(EXIT_REASON_MSR_WRITE) == msr_writes &&
		       exits(EXIT_REASON_APIC_WRITE) == apic_writes,
	       "IPI virtualization: a physical fixed IPI to vCPU 3 costs the sender no exit");
	report(wait_until(&received[3], before + 1),
	       "... and wakes vCPU 3 from HLT (the wakeup vector)");
	wrmsr(X2APIC_MSR(APIC_ICR), ICR_ALL_BUT_SELF | IPI_VECTOR);
	report(exits(EXIT_REASON_APIC_WRITE) == apic_writes + 1,
	       "an all-excluding-self IPI is an APIC-write exit (%lu)",
	       exits(EXIT_REASON_APIC_WRITE) - apic_writes);
	settle();
}

static void init_sipi(void)
{
	static char stacks[2][VCPU_STACK_SIZE] __attribute__((aligned(16)));
	unsigned int before;

	/* INIT alone: vCPU 2 waits for a SIPI; its APIC was reset, a fixed IPI is dropped. */
	ready[2] = false;
	before = received[2];
	apic_icr(2, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
	apic_icr(2, ICR_FIXED | IPI_VECTOR);
	settle();
	report(received[2] == before, "after INIT, vCPU 2 takes no fixed IPI (%u)",
	       received[2] - before);
	starts[2] = 0;
	vcpu_prepare_start(2, secondary, (void *)2UL, stacks[0]);
	vcpu_send_init_sipi(2, 0);
	apic_icr(2, ICR_STARTUP | (0x7000 >> 12));
	report(wait_until(&starts[2], 1) && wait_until(&ready[2], 1),
	       "a SIPI then starts it at the vector's page (%u starts)", starts[2]);

	/* INIT-SIPI-SIPI to a running vCPU: it restarts once, the second SIPI is ignored. */
	ready[3] = false;
	starts[3] = 0;
	vcpu_prepare_start(3, secondary, (void *)3UL, stacks[1]);
	vcpu_send_init_sipi(3, 2);
	report(wait_until(&ready[3], 1), "re-INIT restarts running vCPU 3");
	settle();
	report(starts[3] == 1, "INIT-SIPI-SIPI starts it once (%u)", starts[3]);
	send_and_check("the restarted vCPU takes IPIs again", 3, ICR_FIXED, 0x8);
}

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	struct cpuid topo = cpuid_count(0xb, 1);

	report_start();
	x2apic_mode = strstr(cmdline, "x2apic") != NULL;
	report((topo.b & 0xffff) == NR_VCPUS, "CPUID.0BH: %u vCPUs at the core level",
	       topo.b & 0xffff);
	interrupt_set_handler(IPI_VECTOR, ipi_handler);
	interrupt_set_handler(WAKE_VECTOR, wake_handler);
	nmi_set_handler(nmi_handler);
	if (x2apic_mode)
		report(apic_enable_x2apic(), "vCPU 0 to x2APIC mode");
	apic_enable();
	asm volatile("cli");
	for (unsigned int id = 1; id < NR_VCPUS; id++) {
		long ret = vcpu_start(id, secondary, (void *)(uintptr_t)id);

		report(ret == 0 && wait_until(&ready[id], 1),
		       "INIT and one SIPI start vCPU %u (%ld)", id, ret);
	}
	destinations();
	nmi_to_others();
	virtualized_ipis();
	init_sipi();
	return report_summary();
}
