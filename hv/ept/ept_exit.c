// SPDX-License-Identifier: GPL-2.0
/* The EPT exits: violations resolve lazily through ept_fault(); the rest stop the partition. */
#include <hv/core/console.h>
#include <hv/core/epoch.h>
#include <hv/ept/ept_exit.h>
#include <hv/ioreq/ioreq.h>
#include <hv/vmx/vmcs_fields.h>
#include <x86/hw.h>

/* Exit qualification for EPT violations (SDM Vol. 3C Table 28-7); bits 2:0 are EPT_ACCESS_*. */
#define EPT_QUAL_LINEAR_VALID BIT(7)
#define EPT_QUAL_NMI_UNBLOCKED BIT(12)

static const char *access_name(u64 q)
{
	if (q & EPT_ACCESS_WRITE)
		return "write";
	if (q & EPT_ACCESS_EXEC)
		return "instruction fetch";
	return "read";
}

/*
 * The access runs again. A violation during the delivery of an event (say,
 * an exception whose stack page is not mapped yet) delivers it again; one
 * in an IRET that had unblocked NMIs blocks them again (SDM Vol. 3C 28.2.3).
 */
static void rerun_access(u64 q)
{
	if (vmx_reinject_vectoring_event())
		return;
	if (unlikely(q & EPT_QUAL_NMI_UNBLOCKED))
		vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			vmread(GUEST_INTERRUPTIBILITY_INFO) | GUEST_INTR_STATE_NMI);
}

static void report(struct vcpu *v, u64 q, u64 gpa, enum ept_fault_result r)
{
	const struct ept *ept = &v->partition->ept;

	printk("hv: %s: EPT violation: %s of guest-physical 0x%llx ", v->partition->name,
	       access_name(q), (unsigned long long)gpa);
	if (r == EPT_FAULT_UNBACKED)
		printk("(no memory there)");
	else if (r == EPT_FAULT_DENIED)
		printk("(%s: not permitted)", ept_type_name(ept_page_type(ept, gpa)));
	else
		printk("(hv has no memory left for EPT tables)");
	printk(" at rip 0x%llx", (unsigned long long)vmread(GUEST_RIP));
	if (q & EPT_QUAL_LINEAR_VALID)
		printk(", linear 0x%llx", (unsigned long long)vmread(GUEST_LINEAR_ADDRESS));
	printk("\n");
}

enum exit_action ept_handle_violation(struct vcpu *v)
{
	u64 q = vmread(EXIT_QUALIFICATION), gpa = vmread(GUEST_PHYSICAL_ADDRESS);
	enum ept_fault_result r = ept_fault(&v->partition->ept, gpa, q & EPT_ACCESS_MASK);

	if (likely(r == EPT_FAULT_MAPPED || r == EPT_FAULT_RETRY)) {
		rerun_access(q);
		return EXIT_RESUME;
	}
	if (r == EPT_FAULT_DENIED && v->partition->kind == PARTITION_GUEST &&
	    !(q & EPT_ACCESS_EXEC)) {
		enum ept_page_type type = ept_page_type(&v->partition->ept, gpa);

		/* Device accesses: an MMIO range, or a write to an ioreq-server page. */
		if (type == EPT_TYPE_MMIO || (type == EPT_TYPE_IOREQ && (q & EPT_ACCESS_WRITE)))
			return ioreq_handle_ept(v, gpa, type);
	}
	report(v, q, gpa, r);
	partition_stop(v->partition, r == EPT_FAULT_NO_MEMORY ? "out of memory" : "EPT violation",
		       -1);
	return EXIT_RESCHEDULE;
}

enum exit_action ept_handle_misconfig(struct vcpu *v)
{
	printk("hv: %s: EPT misconfiguration at guest-physical 0x%llx: a bug in hv's tables\n",
	       v->partition->name, (unsigned long long)vmread(GUEST_PHYSICAL_ADDRESS));
	partition_stop(v->partition, "EPT misconfiguration", -1);
	return EXIT_RESCHEDULE;
}

void ept_print_stats(const struct ept *ept, const char *name)
{
	const struct ept_stats *s = &ept->stats;
	struct epoch_stats e;

	epoch_get_stats(&e);
	printk("hv: %s: EPT faults 4K=%llu 2M=%llu 1G=%llu spurious=%llu retries=%llu, "
	       "splits=%llu zaps=%llu, tables=%llu retired=%llu; hv-wide pending=%llu freed=%llu\n",
	       name, (unsigned long long)s->faults_4k, (unsigned long long)s->faults_2m,
	       (unsigned long long)s->faults_1g, (unsigned long long)s->spurious,
	       (unsigned long long)s->retries, (unsigned long long)s->splits,
	       (unsigned long long)s->zaps, (unsigned long long)s->tables,
	       (unsigned long long)s->tables_retired, (unsigned long long)e.pending,
	       (unsigned long long)e.freed);
}
