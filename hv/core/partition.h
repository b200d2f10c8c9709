/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Partitions (VMs) and their vCPUs. A vCPU lives on one CPU for its whole
 * life (its home): its VMCS is never migrated.
 */
#ifndef HV_CORE_PARTITION_H
#define HV_CORE_PARTITION_H

#include <hv/apic/apic.h>
#include <hv/ept/ept.h>
#include <hv/ioreq/ioreq.h>
#include <hv/loader/loader.h>
#include <hv/vmx/exit_reasons.h>
#include <types.h>

#define MAX_PARTITIONS 8U
#define MAX_VCPUS_PER_PARTITION 4U
#define PARTITION_NAME_LEN 32U
#define CONSOLE_LINE_LEN 160U

/* x86 register numbers, as instruction encodings and exit qualifications use them. */
enum gpr {
	GPR_RAX,
	GPR_RCX,
	GPR_RDX,
	GPR_RBX,
	GPR_RSP,
	GPR_RBP,
	GPR_RSI,
	GPR_RDI,
	GPR_R8,
	GPR_R9,
	GPR_R10,
	GPR_R11,
	GPR_R12,
	GPR_R13,
	GPR_R14,
	GPR_R15,
	NR_GPRS
};

enum partition_kind { PARTITION_GUEST, PARTITION_SERVICE };

enum partition_state {
	PARTITION_RUNNING,
	PARTITION_STOPPING, /* stopped; waiting for its vCPUs to leave their CPUs */
	PARTITION_DEAD,
};

/*
 * A vCPU's run state. Only the transitions in hv/core/vcpu.h change it, each
 * with one compare-and-exchange: blocking leaves RUNNABLE, waking returns
 * to it from the state the waker names, and a stop wins over everything but
 * DEAD. So a stopped vCPU can never be made runnable or blocked again, and
 * always reaches retirement on its home CPU.
 */
enum vcpu_state {
	VCPU_RUNNABLE,
	VCPU_BLOCKED_HLT, /* HLT with interrupts enabled: an interrupt, NMI or INIT wakes it */
	VCPU_BLOCKED_HLT_NO_INTR, /* HLT with interrupts disabled: only an NMI or INIT wakes it */
	VCPU_BLOCKED_IOREQ, /* waiting for the service partition's answer (hv/ioreq) */
	VCPU_BLOCKED_SERVER, /* the service partition waits for requests (HV_HC_IOREQ_WAIT) */
	VCPU_WAIT_FOR_SIPI, /* after INIT (secondary vCPUs: from the start): a SIPI starts it */
	VCPU_STOPPED, /* its partition stopped: it leaves its CPU at the next chance */
	VCPU_DEAD, /* VMCS cleared, off its CPU */
};

/* An exception hv raises in the guest, delivered at the next VM entry (hv/vmx/event.c). */
struct pending_exception {
	bool valid;
	u8 vector;
	bool has_error_code;
	u32 error_code;
};

/* MSRs the guest reads and writes without exits, switched only when vCPUs switch. */
enum lazy_msr {
	LAZY_KERNEL_GS_BASE,
	LAZY_STAR,
	LAZY_LSTAR,
	LAZY_CSTAR,
	LAZY_SFMASK,
	LAZY_TSC_AUX,
	NR_LAZY_MSRS
};

struct partition;
struct pmu_vcpu;

struct vcpu {
	/*
	 * The exit stub pushes the guest's registers right below HOST_RSP,
	 * which points at host_stack_top: gpr[] must come first and
	 * host_stack_top right after it (checked in hv/vmx/entry_offsets.h).
	 */
	u64 gpr[NR_GPRS]; /* gpr[GPR_RSP] is unused: RSP lives in the VMCS */
	u64 host_stack_top; /* the home CPU's hv stack: where exit handling runs */
	u8 launched; /* VMLAUNCH done: use VMRESUME */
	bool time_sliced; /* the VMX-preemption timer is on: it shares its CPU */
	u32 slice_exits_left; /* exits before the run loop looks again (hv/core/run.h) */
	u64 deadline; /* TSC: no feature has an earlier deadline for it (vcpu_set_deadline()) */

	enum vcpu_state state; /* changed only through hv/core/vcpu.h */
	u64 halt_rip; /* where it last halted with interrupts disabled: for the stop's message */
	u32 requests; /* VCPU_REQUEST_* and features' bits: work before the next entry */
	struct partition *partition;
	struct percpu *home;
	struct vcpu *next_on_cpu; /* the home CPU's run queue, circular */
	u32 id; /* index in the partition, the guest's APIC ID */
	u16 vpid;
	bool vmcs_built; /* its VMCS was set up on the home CPU */
	u64 vmcs_pa; /* allocated with the vCPU */
	struct guest_start start; /* how the vCPU starts (its VMCS is built on first run) */
	struct pending_exception exception;
	bool nmi_pending; /* an NMI for the guest, delivered by the event path (hv/vmx/event.c) */
	struct ioreq_wait ioreq; /* its device access in flight */
	struct apic_vcpu apic; /* its local APIC (hv/apic) */
	u64 xcr0;
	u64 mtrr_def_type;
	void *fpu_area; /* XSAVE/FXSAVE image while not on its CPU */
	u64 lazy_msrs[NR_LAZY_MSRS];
	u64 cr2; /* CR2, DR0-DR3 and DR6 while not on its CPU (VMX switches none of them) */
	u64 dr[4];
	u64 dr6;
	bool debug_regs_live; /* it used the debug registers: DR0-DR3 switched with it */
	struct pmu_vcpu *pmu; /* its PMU and LBR state (hv/pmu), NULL without them */
	u32 features_ready; /* features whose vcpu_init succeeded */
};

struct partition {
	u32 id;
	char name[PARTITION_NAME_LEN];
	enum partition_kind kind;
	bool pmu; /* asked for the PMU and the LBRs (hv.pmu=on); hv/pmu decides */
	enum partition_state state;
	const char *stop_reason; /* why it stopped, for the report */
	int exit_code; /* from the debug-exit port; -1 if none */
	u64 ram_size;
	struct frame_quota hv_frames; /* what hv allocates for it, bounded (hv.hvmem=) */
	struct ept ept;
	u8 *msr_bitmap; /* 4 KiB: read low, read high, write low, write high */
	u8 *io_bitmap; /* 8 KiB: I/O bitmaps A and B back to back */
	u32 nr_vcpus;
	u64 cpus; /* the CPUs it was placed on (hv.cpus), 0: the default placement */
	u32 live_vcpus; /* vCPUs not yet VCPU_DEAD */
	struct vcpu *vcpus[MAX_VCPUS_PER_PARTITION];
	u32 refs; /* one for being alive, one per hypercall working on it from outside */
	u32 features_ready; /* features whose partition_init succeeded (hv/core/feature.h) */
	struct partition *next_dead; /* on the list partition_reap() tears down */
	struct apic_partition apic; /* its vCPUs' APIC virtualization (hv/apic) */
	bool no_apicv; /* hv.apicv=off: hv/apic delivers without the CPU's APIC virtualization */
	u32 ioreq_channel; /* guests: its channel to the service partition */
	struct ioreq_stats ioreq_stats;
	u64 exit_counts[EXIT_REASON_MAX];
	u64 started_tsc;
	u8 uart_scratch; /* the temporary COM1 model's scratch register */
	u8 uart_lcr; /* and its line control register */
	u32 console_len;
	char console_line[CONSOLE_LINE_LEN];
};

struct partition_config {
	const char *name;
	enum partition_kind kind;
	u64 ram_size;
	u32 nr_vcpus;
	unsigned int ept_max_level; /* the largest EPT leaf: 1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB */
	u64 cpus; /* bit n: CPU n is a home of its vCPUs; 0: the default placement */
	bool no_apicv; /* hv.apicv=off (hv/apic) */
	const u8 *image; /* a kernel image (hv/loader/loader.h says which kinds) */
	u64 hv_mem; /* the bound on hv's memory for it, bytes; 0: what its RAM needs */
	bool pmu; /* hv.pmu=on */
	size_t image_len;
	const char *cmdline; /* the guest's command line */
	u32 nr_modules;
	struct guest_module modules[MAX_GUEST_MODULES];
};

/* Creates and starts a partition; NULL (with the reason printed) if it cannot. */
struct partition *partition_create(const struct partition_config *cfg);

/*
 * Stops a partition: its vCPUs leave their CPUs at their next exit, the last
 * one out frees it and prints the report. @reason must be a string constant.
 */
void partition_stop(struct partition *p, const char *reason, int exit_code);

/*
 * References that keep a stopped partition's memory (struct, EPT, RAM) from
 * being freed while another partition's hypercall works on it.
 */
void partition_get(struct partition *p);
void partition_put(struct partition *p);
/* A reference unless the partition was freed already (a stale pointer to its slot). */
bool partition_tryget(struct partition *p);

/* @count events over the partition's life so far, per second (its report's figures). */
u64 partition_per_second(const struct partition *p, u64 count);

/* Appends a guest's console output; a complete line goes out with the name prefixed. */
void partition_console_write(struct partition *p, const char *s, size_t len);

/*
 * @v just began to wait in a state only another vCPU of its partition can
 * end (HLT with interrupts disabled, wait-for-SIPI). If every vCPU of the
 * partition waits so, with no event pending that ends a wait, nothing can
 * ever wake them: the partition stops, saying so.
 */
void partition_check_unwakeable(struct vcpu *v);

/*
 * A vCPU of @p retired (hv/core/run.c). After the last one, this CPU tears
 * the partition down in partition_reap(), outside any vCPU's context.
 */
void partition_vcpu_gone(struct partition *p);
/*
 * Tears down the partitions whose vCPUs all retired: the report, the
 * features' partition_destroy hooks, the boot plan's on_partition_dead().
 */
void partition_reap(void);

/* Called when a partition is gone: the boot plan starts the next guest (main.c). */
void on_partition_dead(struct partition *p);

#endif /* HV_CORE_PARTITION_H */
