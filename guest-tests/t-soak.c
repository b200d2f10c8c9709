// SPDX-License-Identifier: GPL-2.0
/*
 * Soak: two vCPUs mix every path a guest drives hv through, in a random
 * order from a fixed seed, for a bounded number of rounds:
 *
 *   EPT faults      first touches of 4 KiB pages (hv.pages=4K), and the
 *                   re-faults after the other vCPU zaps them (test call)
 *   port I/O        the test device's port scratch, each vCPU its 4 bytes
 *   MMIO            the MMIO scratch, each vCPU its 8 bytes
 *   string I/O      REP INSB / REP OUTSB across a page boundary
 *   hypercalls      well-formed ones, and hostile arguments hv must refuse
 *   exceptions      #PF (CR2 checked) and #GP delivered through hv's event
 *                   path (vCPU 0; vCPU 1 does MMIO instead)
 *
 * Every operation checks its result. With "stop", vCPU 1 triple faults
 * half-way while vCPU 0 keeps going: hv must stop the partition for that
 * reason, whatever vCPU 0 was doing. The run after it ("exit") starts on the
 * same service and hv: it must find a fresh device and do all of it again.
 */
#include <hv.h>
#include <hypercall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <testdev.h>
#include "libguest.h"

#define ROUNDS 2000U
/* seed=N on the command line changes it: another interleaving of the two vCPUs. */
#define DEFAULT_SEED 0x9e3779b97f4a7c15ULL
#define PAGE_SIZE 4096U
#define SOAK_PAGES 256U
/* Linear addresses that fault: a 2 MiB page made not present, and a non-canonical one. */
#define NOT_PRESENT_BASE 0xe0000000ULL
#define NON_CANONICAL 0x8000000000000000ULL
#define PORT_SCRATCH (HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH)
#define MMIO_SCRATCH (HV_TESTDEV_MMIO + HV_TESTDEV_MMIO_SCRATCH + 0x100)
#define GPA_BEYOND_EPT (1ULL << 48)
#define WRAPPING_GPA 0xfffffffffffff000ULL
#define UNKNOWN_HYPERCALL 0xfffU
#define STRING_BYTES 8U

enum op { OP_TOUCH, OP_ZAP, OP_PORT, OP_MMIO, OP_STRING, OP_HYPERCALL, OP_EXCEPTION, NR_OPS };

static const char *const op_names[NR_OPS] = {
	[OP_TOUCH] = "EPT fault",     [OP_ZAP] = "EPT zap",	  [OP_PORT] = "port I/O",
	[OP_MMIO] = "MMIO",	      [OP_STRING] = "string I/O", [OP_HYPERCALL] = "hypercall",
	[OP_EXCEPTION] = "exception",
};

struct worker {
	unsigned int id;
	uint64_t seed;
	volatile unsigned int rounds_done;
	unsigned int done[NR_OPS];
	unsigned int failures;
	char first_failure[160];
};

static uint8_t soak_pages[SOAK_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
/* Each vCPU's string I/O buffer: two pages, the transfer straddles their boundary. */
static uint8_t string_pages[2][2][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct worker workers[2];
static volatile bool vcpu1_done;
static bool stop_mode;

static uint64_t next_random(struct worker *w)
{
	/* xorshift64 */
	w->seed ^= w->seed << 13;
	w->seed ^= w->seed >> 7;
	w->seed ^= w->seed << 17;
	return w->seed;
}

static void fail(struct worker *w, enum op op, const char *fmt, uint64_t got, uint64_t want)
{
	if (!w->failures++)
		snprintf(w->first_failure, sizeof(w->first_failure),
			 "%s: %s: got %#llx, want %#llx", op_names[op], fmt,
			 (unsigned long long)got, (unsigned long long)want);
}

static void check(struct worker *w, enum op op, const char *what, uint64_t got, uint64_t want)
{
	if (got != want)
		fail(w, op, what, got, want);
}

/* The page's slot of this vCPU keeps its tag through faults and zaps. */
static void op_touch(struct worker *w, uint64_t r)
{
	volatile uint64_t *slot = (volatile uint64_t *)soak_pages[r % SOAK_PAGES] + w->id;
	uint64_t tag = (r << 8) | w->id;

	*slot = tag;
	check(w, OP_TOUCH, "the tag written back", *slot, tag);
}

static void op_zap(struct worker *w, uint64_t r)
{
	unsigned int first = r % SOAK_PAGES, count = 1 + (r >> 16) % 4;
	long ret;

	count = first + count > SOAK_PAGES ? SOAK_PAGES - first : count;
	ret = hypercall(HV_HC_TEST_EPT_ZAP, (uintptr_t)soak_pages[first], count * PAGE_SIZE, 0, 0);
	check(w, OP_ZAP, "HV_HC_TEST_EPT_ZAP", (uint64_t)ret, 0);
}

static void op_port(struct worker *w, uint64_t r)
{
	uint16_t port = PORT_SCRATCH + 4 * w->id;
	uint32_t value = (uint32_t)r;

	outl(port, value);
	check(w, OP_PORT, "the port scratch read back", inl(port), value);
	check(w, OP_PORT, "a byte of it", inb(port + 1), (value >> 8) & 0xff);
}

static void op_mmio(struct worker *w, uint64_t r)
{
	volatile uint64_t *scratch = (volatile uint64_t *)MMIO_SCRATCH + w->id;
	volatile uint16_t *half = (volatile uint16_t *)scratch + 1;

	*scratch = r;
	check(w, OP_MMIO, "the MMIO scratch read back", *scratch, r);
	check(w, OP_MMIO, "2 bytes of it", *half, (r >> 16) & 0xffff);
}

/* REP OUTSB writes 8 bytes to one port (the last stays), REP INSB reads it 8 times. */
static void op_string(struct worker *w, uint64_t r)
{
	uint8_t *buf = &string_pages[w->id][0][PAGE_SIZE - 1 - r % (STRING_BYTES - 1)];
	uint16_t port = PORT_SCRATCH + 4 * w->id;
	uint64_t rsi = (uintptr_t)buf, rdi = (uintptr_t)buf, rcx = STRING_BYTES;
	unsigned int i, bad = 0;

	for (i = 0; i < STRING_BYTES; i++)
		buf[i] = (uint8_t)(r >> (8 * i));
	asm volatile("cld; rep outsb" : "+S"(rsi), "+c"(rcx) : "d"(port) : "memory");
	check(w, OP_STRING, "RSI after REP OUTSB", rsi, (uintptr_t)buf + STRING_BYTES);
	check(w, OP_STRING, "the port after REP OUTSB", inb(port), buf[STRING_BYTES - 1]);
	memset(buf, 0, STRING_BYTES);
	outb(port, (uint8_t)~r);
	rcx = STRING_BYTES;
	asm volatile("cld; rep insb" : "+D"(rdi), "+c"(rcx) : "d"(port) : "memory");
	check(w, OP_STRING, "RDI after REP INSB", rdi, (uintptr_t)buf + STRING_BYTES);
	for (i = 0; i < STRING_BYTES; i++)
		bad += buf[i] != (uint8_t)~r;
	if (bad)
		fail(w, OP_STRING, "REP INSB: the first 8 bytes read", *(uint64_t *)buf,
		     (uint8_t)~r * 0x0101010101010101ULL);
}

static void op_hypercall(struct worker *w, uint64_t r)
{
	long ret;

	switch (r % 5) {
	case 0:
		ret = hypercall(HV_HC_TEST_EPT_ZAP, WRAPPING_GPA, 2 * PAGE_SIZE, 0, 0);
		check(w, OP_HYPERCALL, "HV_HC_TEST_EPT_ZAP of a range wrapping past 2^64",
		      (uint64_t)ret, (uint64_t)-HV_EINVAL);
		break;
	case 1:
		ret = hypercall(HV_HC_IOREQ_COMPLETE, 0, w->id, 0, 0);
		check(w, OP_HYPERCALL, "HV_HC_IOREQ_COMPLETE from a guest", (uint64_t)ret,
		      (uint64_t)-HV_EPERM);
		break;
	case 2:
		ret = hypercall(UNKNOWN_HYPERCALL, 0, 0, 0, 0);
		check(w, OP_HYPERCALL, "an unknown hypercall", (uint64_t)ret, (uint64_t)-HV_ENOSYS);
		break;
	case 3:
		/* -HV_EINVAL, or -HV_EOPNOTSUPP on a CPU without EPT A/D flags */
		ret = hypercall(HV_HC_TEST_EPT_DIRTY, GPA_BEYOND_EPT, 1, 0, 0);
		check(w, OP_HYPERCALL, "HV_HC_TEST_EPT_DIRTY at 2^48 fails", ret < 0, 1);
		break;
	default:
		ret = hypercall(HV_HC_TEST_EPT_CHECK, 0, 0, 0, 0);
		check(w, OP_HYPERCALL, "HV_HC_TEST_EPT_CHECK", (uint64_t)ret, 0);
	}
}

/* vCPU 0 only: the library records a caught exception in one global (libguest.h). */
static void op_exception(struct worker *w, uint64_t r)
{
	uint64_t value = 0;

	if (w->id)
		return op_mmio(w, r);

	if (r & 1) {
		uint64_t addr = NOT_PRESENT_BASE + (r & 0xff8);

		asm volatile(ASM_TRY("movq (%1), %0") : "+r"(value) : "r"(addr) : "memory");
		check(w, OP_EXCEPTION, "the vector of a load from a not-present page",
		      (uint64_t)caught_exception.vector, PF_VECTOR);
		check(w, OP_EXCEPTION, "its CR2", caught_exception.cr2, addr);
	} else {
		asm volatile(ASM_TRY("movq (%1), %0")
			     : "+r"(value)
			     : "r"(NON_CANONICAL)
			     : "memory");
		check(w, OP_EXCEPTION, "the vector of a non-canonical load",
		      (uint64_t)caught_exception.vector, GP_VECTOR);
	}
}

static void (*const ops[NR_OPS])(struct worker *w, uint64_t r) = {
	op_touch, op_zap, op_port, op_mmio, op_string, op_hypercall, op_exception,
};

static void run(struct worker *w)
{
	unsigned int round;

	for (round = 0; round < ROUNDS; round++) {
		uint64_t r = next_random(w);
		enum op op = (enum op)(r % NR_OPS);

		ops[op](w, r >> 8);
		w->done[op]++;
		w->rounds_done = round + 1;
		if (stop_mode && w->id == 1 && round == ROUNDS / 2) {
			static const struct {
				uint16_t limit;
				uint64_t base;
			} __attribute__((packed)) no_idt = { 0, 0 };

			/* A triple fault: the partition stops, vCPU 0 in the middle of its work. */
			asm volatile("lidt %0; int3" : : "m"(no_idt));
		}
	}
}

static void vcpu1_main(void *unused)
{
	(void)unused;
	run(&workers[1]);
	vcpu1_done = true;
}

static void report_worker(const struct worker *w)
{
	unsigned int op;

	printf("vCPU %u:", w->id);
	for (op = 0; op < NR_OPS; op++)
		printf(" %s %u", op_names[op], w->done[op]);
	printf("\n");
	report(!w->failures, "vCPU %u: %u rounds, %u wrong results%s%s", w->id, w->rounds_done,
	       w->failures, w->failures ? ", first: " : "", w->first_failure);
}

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *seed = strstr(cmdline, " seed=");
	uint64_t base_seed = seed ? strtoull(seed + 6, NULL, 0) : DEFAULT_SEED;
	unsigned int id;
	long ret;

	report_start();
	stop_mode = strstr(cmdline, " stop") != NULL;
	/* A fresh device: nothing of the guest before (which wrote them all) is left. */
	set_2m_page_present(NOT_PRESENT_BASE, false);
	for (id = 0; id < 2; id++) {
		report(inl(PORT_SCRATCH + 4 * id) == 0, "port scratch of vCPU %u starts at 0", id);
		report(((volatile uint64_t *)MMIO_SCRATCH)[id] == 0,
		       "MMIO scratch of vCPU %u starts at 0", id);
		workers[id].id = id;
		workers[id].seed = base_seed * (id + 1) | 1;
	}
	ret = vcpu_start(1, vcpu1_main, NULL);
	report(ret == 0, "vCPU 1 starts (%ld)", ret);
	if (ret)
		return report_summary();
	run(&workers[0]);
	while (!vcpu1_done)
		asm volatile("pause");
	for (id = 0; id < 2; id++)
		report_worker(&workers[id]);
	report(hypercall(HV_HC_TEST_EPT_CHECK, 0, 0, 0, 0) == 0,
	       "hv's EPT tables are consistent after the soak");
	if (stop_mode)
		printf("FAIL: vCPU 1's triple fault did not stop the partition\n");
	return stop_mode ? (int)HV_EXIT_FAIL : report_summary();
}
