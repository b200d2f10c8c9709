// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/ept/ept_exit.h>
#include <hv/vmx/vmcs_fields.h>
#include <x86/hw.h>

/* Exit qualification for EPT violations (SDM Vol. 3C Table 28-7) */
#define EPT_QUAL_READ BIT(0)
#define EPT_QUAL_WRITE BIT(1)
#define EPT_QUAL_FETCH BIT(2)
#define EPT_QUAL_LINEAR_VALID BIT(7)

static const char *access_name(u64 q)
{
	if (q & EPT_QUAL_WRITE)
		return "write";
	if (q & EPT_QUAL_FETCH)
		return "instruction fetch";
	return "read";
}

enum exit_action ept_handle_violation(struct vcpu *v)
{
	u64 q = vmread(EXIT_QUALIFICATION), gpa = vmread(GUEST_PHYSICAL_ADDRESS);

	printk("hv: %s: EPT violation: %s of guest-physical 0x%llx (%s) at rip 0x%llx",
	       v->partition->name, access_name(q), (unsigned long long)gpa,
	       ept_find_slot(&v->partition->ept, gpa) ? "not permitted" : "no memory there",
	       (unsigned long long)vmread(GUEST_RIP));
	if (q & EPT_QUAL_LINEAR_VALID)
		printk(", linear 0x%llx", (unsigned long long)vmread(GUEST_LINEAR_ADDRESS));
	printk("\n");
	partition_stop(v->partition, "EPT violation", -1);
	return EXIT_RESCHEDULE;
}

enum exit_action ept_handle_misconfig(struct vcpu *v)
{
	printk("hv: %s: EPT misconfiguration at guest-physical 0x%llx: a bug in hv's tables\n",
	       v->partition->name, (unsigned long long)vmread(GUEST_PHYSICAL_ADDRESS));
	partition_stop(v->partition, "EPT misconfiguration", -1);
	return EXIT_RESCHEDULE;
}
