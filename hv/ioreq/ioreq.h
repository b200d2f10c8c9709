/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv/ioreq: the guests' device accesses, carried to the service partition
 * (include/public/ioreq.h, docs/ioreq-abi.md) and back. hv emulates no
 * device: a port, MMIO range or page type the service claimed becomes a
 * request; an unclaimed port or MMIO address reads all-ones and ignores
 * writes.
 *
 * A guest vCPU that sends a synchronous request blocks (VCPU_BLOCKED_IOREQ).
 * The service's completion hypercall checks the response, asks for the
 * vCPU's pre-entry work and wakes it; on its home CPU, with its VMCS
 * loaded, that work gives the guest the result and moves it past the
 * instruction. hv/ioreq is a feature (hv/core/feature.h): partitions attach
 * and detach their channels, and the request deadlines, through its hooks.
 */
#ifndef HV_IOREQ_IOREQ_H
#define HV_IOREQ_IOREQ_H

#include <hv/ept/ept.h>
#include <hv/ioreq/channel.h>
#include <hv/ioreq/decode.h>
#include <hv/ioreq/guest_mem.h>
#include <hv/ioreq/insn_cache.h>
#include <hv/vmx/exit_action.h>
#include <types.h>

struct vcpu;
struct partition;
struct percpu;

/* How the result of a vCPU's request reaches the guest. */
enum ioreq_completion {
	IOREQ_DONE_PIO_IN, /* IN: RAX */
	IOREQ_DONE_PIO_OUT, /* OUT: nothing but RIP */
	IOREQ_DONE_STRING, /* INS/OUTS: memory (INS), RSI/RDI/RCX, RIP once RCX is 0 */
	IOREQ_DONE_MMIO, /* a decoded MMIO instruction: its register (reads), RIP */
	IOREQ_DONE_WP, /* a write to an ioreq-server page: the store if APPLY, RIP */
};

/* The string I/O being done: hv moves the items between guest memory and the request. */
struct ioreq_string {
	struct guest_mem_span span; /* where the items are, lowest address first */
	u8 addr_reg; /* GPR_RSI (OUTS) or GPR_RDI (INS) */
	u8 addr_size; /* 2, 4 or 8: RSI/RDI/RCX wrap at this width */
	bool rep;
	bool down; /* RFLAGS.DF: addresses go down */
};

/* A vCPU's request in flight (struct vcpu owns one). */
struct ioreq_wait {
	struct ioreq_sent sent; /* what hv posted */
	enum ioreq_completion completion;
	struct mmio_insn insn; /* IOREQ_DONE_MMIO and _WP */
	struct ioreq_string string; /* IOREQ_DONE_STRING */
	u64 deadline; /* TSC value after which the service is late */
	u64 result; /* the checked response, once taken */
	struct ioreq_taker taker; /* who takes each response (hv/ioreq/channel.h) */
	struct insn_cache insn_cache; /* the instructions of its MMIO and WP accesses */
};

/* Per guest partition: what the channel carried. */
struct ioreq_stats {
	u64 requests; /* synchronous requests */
	u64 taken_early; /* ... whose answer the vCPU's CPU took before the completion */
	u64 buffered; /* writes sent through the ring */
	u64 unclaimed_reads; /* accesses nobody claimed: all-ones */
	u64 unclaimed_writes; /* ... dropped */
};

/* Boot: the limit on a service's answer, from hv's command line. */
void ioreq_init(u32 timeout_ms);

/* Whether a service partition ran and has ended: guests started now would have no devices. */
bool ioreq_service_lost(void);

/* The port I/O exit of a guest. */
enum exit_action ioreq_handle_pio(struct vcpu *v, u64 qualification);
/*
 * A guest's EPT violation in the MMIO window (@type EPT_TYPE_MMIO) or a
 * write to an ioreq-server page (EPT_TYPE_IOREQ), made by the instruction
 * itself (@write: the exit says it wrote): decode the instruction, check
 * that it makes that access, and forward it, or complete it as unclaimed.
 */
enum exit_action ioreq_handle_ept(struct vcpu *v, u64 gpa, enum ept_page_type type, bool write);

/*
 * For a device access another directory emulates (hv/apic's APIC-access
 * exits): the instruction at the guest's RIP, decoded as for MMIO, and
 * its memory operand's linear address (gpr[GPR_RSP] loaded if it uses
 * RSP). False with *@action when it cannot be: a fault the fetch met is
 * the guest's, an instruction hv does not decode stops it, saying so.
 */
bool ioreq_decode_at_rip(struct vcpu *v, struct mmio_insn *insn, u64 *linear,
			 enum exit_action *action);

/*
 * A vCPU of guest @p ended level-triggered interrupt @vector (its EOI):
 * the service partition, which raised it, hears of it (eoi_pending in
 * the channel page, include/public/ioreq.h). Any CPU.
 */
void ioreq_report_eoi(struct partition *p, u8 vector);

#endif /* HV_IOREQ_IOREQ_H */
