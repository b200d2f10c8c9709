/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv's surroundings for hv/ioreq, hv/ept's exits and the hypercalls on the
 * host: what hv/core (partition.c, sched.c, console.c) and hv/vmx (vmx.c)
 * provide in hv, written from their contracts in partition.h, sched.h,
 * console.h and vmx.h, over the memory of tests/model/ept_env.h and the
 * model VMCS. Partitions are built here as partition_create() builds them:
 * a guest has RAM from GPA 0 and the MMIO window, and hv/ioreq's
 * partition hooks attach its channel (a guest) or add the channel area
 * (the service partition).
 *
 * The vCPU whose exit a test handles has the model VMCS: hv_env_exit()
 * loads it with a guest in 64-bit mode, CPL 0, 4-level paging whose tables
 * the test writes into guest RAM.
 */
#ifndef TESTS_MODEL_HV_ENV_H
#define TESTS_MODEL_HV_ENV_H

#include <hv/core/feature.h>
#include <hv/core/partition.h>
#include <types.h>

/* Guest RAM the tests use: 4 MiB at GPA 0, unless hv_env_ram_size says otherwise. */
#define HV_ENV_GUEST_RAM (4 * MiB)
extern u64 hv_env_ram_size;
/* Where hv_env_exit()'s guest keeps its 4-level tables: 0..2 MiB through one page table. */
#define HV_ENV_PML4 0x1000ULL
#define HV_ENV_PDPT 0x2000ULL
#define HV_ENV_PD 0x3000ULL
#define HV_ENV_PT 0x4000ULL

/* Everything printk() printed since hv_env_reset(). */
extern char hv_env_log[16384];
/* What is typed on hv's console: console_read() takes from here. */
extern const char *hv_env_console_input;
/* The CR2 vmx_inject_page_fault() set last. */
extern u64 hv_env_cr2;
/* How often partition_stop() was called, and the reason of the last call. */
extern unsigned int hv_env_stops;
/* How often partition_check_unwakeable() was called. */
extern unsigned int hv_env_unwakeable_checks;

/* The physical IPIs hv sent (lapic_send_ipi()): posted-interrupt notifications. */
struct hv_env_ipi {
	u32 apic_id;
	u8 vector;
};
#define HV_ENV_MAX_IPIS 64U
extern struct hv_env_ipi hv_env_ipis[HV_ENV_MAX_IPIS];
extern unsigned int hv_env_nr_ipis;

/*
 * Fresh memory and one CPU (ept_env_reset()), an empty log, a new VMCS. Call
 * once per test binary: hv/ioreq's channel area lives in that memory for
 * good, as it does in hv.
 */
void hv_env_reset(void);
/* Forgets the log and the stops; the rest stays. */
void hv_env_clear_log(void);

/* A partition as partition_create() makes it, running, its vCPUs runnable. */
struct partition *hv_env_partition(const char *name, enum partition_kind kind, u32 nr_vcpus);
/* Ends and frees it (as the last vCPU out does). */
void hv_env_partition_free(struct partition *p);
/* The run loop's step before @v enters: the features' pre_entry work it asked for. */
void hv_env_enter(struct vcpu *v);
/* hv/ioreq's feature: its partition hooks and pre-entry work; hv/apic's. */
extern const struct feature ioreq_feature, apic_feature;

/* A host pointer to guest RAM at @gpa. */
void *hv_env_guest_ram(struct partition *p, u64 gpa);
/* Maps linear page @linear (below 2 MiB) to @gpa with PTE flags @flags in hv_env_exit()'s tables. */
void hv_env_map(struct partition *p, u64 linear, u64 gpa, u64 flags);

/*
 * The model VMCS as the CPU leaves it for an exit of @v: 64-bit mode,
 * CPL 0, CR0.PG/PE/WP, CR4.PAE, EFER.LME/LMA/NXE, CR3 = HV_ENV_PML4 (the
 * upper three levels written to cover 0..2 MiB), RIP @rip, the exit reason,
 * qualification and instruction length given. Other fields: 0.
 */
void hv_env_exit(struct vcpu *v, u32 reason, u64 qualification, u64 rip, u32 insn_len);

#endif /* TESTS_MODEL_HV_ENV_H */
