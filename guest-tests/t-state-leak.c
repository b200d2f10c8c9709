// SPDX-License-Identifier: GPL-2.0
/*
 * CR2, DR0-DR3 and DR6: VMX switches none of them, so hv must switch them
 * with the vCPU, or a guest reads what another left (or its own change
 * while another vCPU ran). The command line says which part this run is:
 *   leave  set distinctive values and end (a later partition must not see them)
 *   check  at the start, every one has its reset value (SDM Vol. 3A 10.1.1:
 *          CR2 0, DR0-DR3 0, DR6 0xffff0ff0)
 *   share  two vCPUs (hv.vcpus=2) set their own values; each must keep its own
 *          while the other runs (on one CPU, when hv has one, time slices switch them)
 */
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include "libguest.h"

#define DR6_RESET 0xffff0ff0UL
#define DR6_B0_B3 0xfUL /* the breakpoint-condition bits, settable by MOV to DR6 */

struct fault_debug_regs {
	uint64_t cr2, dr[4], dr6;
};

#define DEFINE_DR_ACCESS(n)                                            \
	static inline uint64_t read_dr##n(void)                        \
	{                                                              \
		uint64_t v;                                            \
		asm volatile("mov %%dr" #n ", %0" : "=r"(v));          \
		return v;                                              \
	}                                                              \
	static inline void write_dr##n(uint64_t v)                     \
	{                                                              \
		asm volatile("mov %0, %%dr" #n : : "r"(v) : "memory"); \
	}
DEFINE_DR_ACCESS(0)
DEFINE_DR_ACCESS(1)
DEFINE_DR_ACCESS(2)
DEFINE_DR_ACCESS(3)
DEFINE_DR_ACCESS(6)

static struct fault_debug_regs read_regs(void)
{
	return (struct fault_debug_regs){ read_cr2(),
					  { read_dr0(), read_dr1(), read_dr2(), read_dr3() },
					  read_dr6() };
}

static void write_regs(const struct fault_debug_regs *r)
{
	asm volatile("mov %0, %%cr2" : : "r"(r->cr2) : "memory");
	write_dr0(r->dr[0]);
	write_dr1(r->dr[1]);
	write_dr2(r->dr[2]);
	write_dr3(r->dr[3]);
	write_dr6(r->dr6);
}

/* Distinctive values, different per @tag; DR0-3 hold addresses (breakpoints stay off: DR7). */
static struct fault_debug_regs tagged(uint64_t tag)
{
	return (struct fault_debug_regs){ 0xdead0000 | tag << 8,
					  { 0x1000 | tag, 0x2000 | tag, 0x3000 | tag,
					    0x4000 | tag },
					  DR6_RESET | (tag & DR6_B0_B3) };
}

static bool same(const struct fault_debug_regs *a, const struct fault_debug_regs *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static void print_regs(const char *what, const struct fault_debug_regs *r)
{
	printf("%s: CR2 %#lx DR0-3 %#lx %#lx %#lx %#lx DR6 %#lx\n", what, r->cr2, r->dr[0],
	       r->dr[1], r->dr[2], r->dr[3], r->dr6);
}

static volatile bool vcpu1_set, vcpu0_checked, vcpu1_done;
static volatile bool vcpu1_kept;

static void vcpu1_main(void *unused __attribute__((unused)))
{
	struct fault_debug_regs mine = tagged(2), now;

	write_regs(&mine);
	vcpu1_set = true;
	while (!vcpu0_checked)
		asm volatile("pause");
	now = read_regs();
	vcpu1_kept = same(&now, &mine);
	if (!vcpu1_kept)
		print_regs("vCPU 1 reads", &now);
	vcpu1_done = true;
}

static void share(void)
{
	struct fault_debug_regs mine = tagged(1), now;
	long ret;

	write_regs(&mine);
	ret = vcpu_start(1, vcpu1_main, NULL);
	if (ret) {
		report(false, "vCPU 1 starts (%ld)", ret);
		return;
	}
	while (!vcpu1_set)
		asm volatile("pause");
	now = read_regs();
	report(same(&now, &mine), "vCPU 0 keeps its CR2, DR0-DR3, DR6 while vCPU 1 sets its own");
	if (!same(&now, &mine))
		print_regs("vCPU 0 reads", &now);
	vcpu0_checked = true;
	while (!vcpu1_done)
		asm volatile("pause");
	report(vcpu1_kept, "vCPU 1 keeps its CR2, DR0-DR3, DR6 while vCPU 0 runs");
}

int main(void)
{
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *mode = strchr(cmdline, ' ');
	struct fault_debug_regs reset = { 0, { 0, 0, 0, 0 }, DR6_RESET }, now = read_regs();

	report_start();
	mode = mode ? mode + 1 : "";
	if (!strcmp(mode, "leave")) {
		struct fault_debug_regs left = tagged(7);

		write_regs(&left);
		now = read_regs();
		report(same(&now, &left),
		       "CR2, DR0-DR3, DR6 take the values left for the next guest");
	} else if (!strcmp(mode, "check")) {
		report(same(&now, &reset), "a new guest starts with CR2 0, DR0-DR3 0, DR6 %#lx",
		       DR6_RESET);
		if (!same(&now, &reset))
			print_regs("it reads", &now);
	} else if (!strcmp(mode, "share")) {
		share();
	} else {
		printf("ABORT: the command line must say leave, check or share\n");
		return HV_EXIT_ABORT;
	}
	return report_summary();
}
