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
/* With bit 7: the access was to the linear address's translation, not to a paging-structure entry. */
#define EPT_QUAL_TRANSLATION BIT(8)
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

/*
 * Who made the access (SDM Vol. 3C 28.2.1 Table 28-7, 28.2.4): the CPU's
 * page-table walk (a paging-structure entry, bit 8 clear; bit 7 clear only
 * for the PDPTE loads of MOV to CR3 in PAE mode), the delivery of an
 * event (IDT, GDT, TSS, stack: the IDT-vectoring information is valid),
 * or the instruction itself.
 */
enum ept_accessor { BY_INSTRUCTION, BY_PAGE_WALK, BY_EVENT_DELIVERY };

static enum ept_accessor accessor(u64 q)
{
	if ((q & (EPT_QUAL_LINEAR_VALID | EPT_QUAL_TRANSLATION)) !=
	    (EPT_QUAL_LINEAR_VALID | EPT_QUAL_TRANSLATION))
		return BY_PAGE_WALK;
	if (unlikely(vmread(IDT_VECTORING_INFO) & INTR_INFO_VALID))
		return BY_EVENT_DELIVERY;
	return BY_INSTRUCTION;
}

/* ", by ...": who made an access that was not the instruction's own. */
static void print_accessor(u64 q, enum ept_accessor by)
{
	u32 info = (u32)vmread(IDT_VECTORING_INFO);

	if (by == BY_PAGE_WALK)
		printk(q & EPT_QUAL_LINEAR_VALID ? ", by the page-table walk for linear 0x%llx" :
						   ", by loading the PDPTEs",
		       (unsigned long long)vmread(GUEST_LINEAR_ADDRESS));
	else if (by == BY_EVENT_DELIVERY)
		printk(", delivering vector %u (event type %u)",
		       (u32)(info & INTR_INFO_VECTOR_MASK),
		       (u32)((info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT));
}

static void report(struct vcpu *v, u64 q, u64 gpa, enum ept_fault_result r)
{
	const struct ept *ept = &v->partition->ept;
	enum ept_accessor by = accessor(q);

	printk("hv: %s: EPT violation: %s of guest-physical 0x%llx ", v->partition->name,
	       access_name(q), (unsigned long long)gpa);
	if (r == EPT_FAULT_UNBACKED)
		printk("(no memory there)");
	else if (r == EPT_FAULT_DENIED)
		printk("(%s: not permitted)", ept_type_name(ept_page_type(ept, gpa)));
	else
		printk(ept->quota && READ_ONCE(ept->quota->refused) ?
			       "(its EPT tables reached its bound of hv memory, hv.hvmem=)" :
			       "(hv has no memory left for EPT tables)");
	printk(" at rip 0x%llx", (unsigned long long)vmread(GUEST_RIP));
	if (by == BY_INSTRUCTION)
		printk(", linear 0x%llx", (unsigned long long)vmread(GUEST_LINEAR_ADDRESS));
	print_accessor(q, by);
	printk("\n");
}

/*
 * A device page (MMIO, or a write to an ioreq-server page) that the CPU
 * itself accessed for the instruction: the instruction at RIP does not
 * say what to emulate. hv emulates neither guest paging structures nor
 * event delivery in device memory: the guest stops, and hv says why.
 */
static enum exit_action device_access_by_cpu(struct vcpu *v, u64 q, u64 gpa,
					     enum ept_page_type type, enum ept_accessor by)
{
	printk("hv: %s: %s of guest-physical 0x%llx (%s) at rip 0x%llx", v->partition->name,
	       access_name(q), (unsigned long long)gpa, ept_type_name(type),
	       (unsigned long long)vmread(GUEST_RIP));
	print_accessor(q, by);
	if (by == BY_PAGE_WALK) {
		/* SDM Vol. 3C 29.3.5: with EPT A/D flags, walks are writes, which such a page forwards. */
		printk(": hv does not emulate guest paging structures in %s\n",
		       type == EPT_TYPE_MMIO ? "device memory" : "write-forwarded pages");
		partition_stop(v->partition, "guest page tables outside writable RAM", -1);
	} else {
		printk(": hv does not emulate event delivery through device memory\n");
		partition_stop(v->partition, "event delivery through device memory", -1);
	}
	return EXIT_RESCHEDULE;
}

/* Whether a violation ept_fault() denied is a device access hv/ioreq forwards. */
static bool device_access(const struct vcpu *v, u64 q, enum ept_fault_result r,
			  enum ept_page_type type)
{
	/* An MMIO range, or a write to an ioreq-server page; a guest's data access. */
	return r == EPT_FAULT_DENIED && v->partition->kind == PARTITION_GUEST &&
	       !(q & EPT_ACCESS_EXEC) &&
	       (type == EPT_TYPE_MMIO || (type == EPT_TYPE_IOREQ && (q & EPT_ACCESS_WRITE)));
}

/*
 * A violation ept_fault() did not resolve and the instruction's own device
 * access does not explain. Out of line: the fault path above it saves no
 * more registers for it.
 */
static __attribute__((noinline)) enum exit_action
unresolved(struct vcpu *v, u64 q, u64 gpa, enum ept_fault_result r, enum ept_page_type type)
{
	if (device_access(v, q, r, type))
		return device_access_by_cpu(v, q, gpa, type, accessor(q));
	report(v, q, gpa, r);
	partition_stop(v->partition, r == EPT_FAULT_NO_MEMORY ? "out of memory" : "EPT violation",
		       -1);
	return EXIT_RESCHEDULE;
}

enum exit_action ept_handle_violation(struct vcpu *v)
{
	u64 q = vmread(EXIT_QUALIFICATION), gpa = vmread(GUEST_PHYSICAL_ADDRESS);
	enum ept_page_type type = EPT_TYPE_NONE;
	enum ept_fault_result r = ept_fault(&v->partition->ept, gpa, q & EPT_ACCESS_MASK, &type);

	if (likely(r == EPT_FAULT_MAPPED || r == EPT_FAULT_RETRY)) {
		rerun_access(q);
		return EXIT_RESUME;
	}
	if (likely(device_access(v, q, r, type)) && likely(accessor(q) == BY_INSTRUCTION))
		return ioreq_handle_ept(v, gpa, type, q & EPT_ACCESS_WRITE);
	return unresolved(v, q, gpa, r, type);
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
