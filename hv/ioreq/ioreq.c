// SPDX-License-Identifier: GPL-2.0
/*
 * hv/ioreq (see ioreq.h): routing guests' port I/O, MMIO and writes to
 * ioreq-server pages to the service partition, the hypercalls it uses, and
 * completing the guests' instructions with its answers.
 *
 * Locking: `server.lock` protects the claims' writers, registration and
 * the channel table; exit paths read claims and channels without it (a
 * claim is published by its count with release ordering; a channel's guest
 * pointer only changes while that guest is not running). The completion
 * and page-type hypercalls look a guest up under the lock and hold a
 * reference on it while they work.
 */
#include <hv/apic/apic.h>
#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/hypercall.h>
#include <hv/core/partition.h>
#include <hv/core/platform.h>
#include <hv/core/feature.h>
#include <hv/core/run.h>
#include <hv/core/vcpu.h>
#include <hv/core/spinlock.h>
#include <hv/ioreq/claims.h>
#include <hv/ioreq/guest_mem.h>
#include <hv/ioreq/ioreq.h>
#include <hv/lib/string.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <public/hypercall.h>
#include <public/hv.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

/* Exit qualification for I/O instructions (SDM Vol. 3C Table 28-5) */
#define IO_QUAL_SIZE_MASK 0x7
#define IO_QUAL_IN BIT(3)
#define IO_QUAL_STRING BIT(4)
#define IO_QUAL_REP BIT(5)
#define IO_QUAL_PORT_SHIFT 16
/* VM-exit instruction-information field for INS/OUTS (SDM Vol. 3C Table 28-8) */
#define INSN_INFO_ADDR_SIZE(info) (((info) >> 7) & 7) /* 0: 16-bit, 1: 32-bit, 2: 64-bit */
#define INSN_INFO_SEGMENT(info) ((enum vmx_segment)(((info) >> 15) & 7)) /* OUTS; INS uses ES */

#define ITEM_BYTES 8U /* the request's data field */

/* hv/ioreq's hooks into partitions and the run loop: at the end of this file. */
extern const struct feature ioreq_feature;

static struct {
	struct spinlock lock;
	struct partition *service; /* the service partition, NULL without one */
	struct vcpu *service_vcpu; /* its vCPU, once registered: woken from HV_HC_IOREQ_WAIT */
	const struct percpu *service_cpu; /* its vCPU's home, from its creation on */
	u64 work_seq; /* counts the times there was new work for the service */
	u8 *area; /* its channel area, through hv's map */
	bool lost; /* a service partition ran and ended */
	u64 timeout_tsc;
	struct ioreq_claims claims;
	struct partition *channel_guest[HV_IOREQ_MAX_CHANNELS];
	/* The ring has one producer at a time; a guest's vCPUs push from any CPU. */
	struct spinlock ring_lock[HV_IOREQ_MAX_CHANNELS];
} server = { .lock = SPINLOCK_INIT };

void ioreq_init(u32 timeout_ms)
{
	server.timeout_tsc = tsc_khz * timeout_ms;
}

/* A guest's vCPUs count on several CPUs at once. */
static void stat_inc(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static struct hv_ioreq_page *channel_page(u32 channel)
{
	return (struct hv_ioreq_page *)(server.area + channel * HV_IOREQ_CHANNEL_SIZE);
}

static struct hv_ioreq_ring *channel_ring(u32 channel)
{
	return (struct hv_ioreq_ring *)(server.area + channel * HV_IOREQ_CHANNEL_SIZE +
					HV_IOREQ_PAGE_SIZE);
}

static bool is_service(const struct vcpu *v)
{
	return v->partition->kind == PARTITION_SERVICE;
}

/* ---- Partitions coming and going ---- */

/*
 * The channel area is hv's, allocated once and lent to each service
 * partition: a guest's exit that raced with the service's end writes into
 * memory that is still there.
 */
static int service_create(struct partition *p)
{
	u64 size = HV_IOREQ_MAX_CHANNELS * HV_IOREQ_CHANNEL_SIZE;

	if (!server.area) {
		u64 hpa = frame_alloc(size / PAGE_SIZE, PAGE_SIZE);

		if (!hpa)
			return -1;
		server.area = memset(phys_to_virt(hpa), 0, size);
	}
	if (ept_add_slot(&p->ept, &(struct mem_slot){ .gpa = HV_IOREQ_AREA_GPA,
						      .size = size,
						      .hpa = virt_to_phys(server.area),
						      .type = EPT_TYPE_RAM_RW,
						      .lent = true }))
		return -1;
	spin_lock(&server.lock);
	server.service = p;
	server.service_cpu = p->vcpus[0]->home;
	memset(&server.claims, 0, sizeof(server.claims));
	spin_unlock(&server.lock);
	return 0;
}

/*
 * Tells the service there is work: it looks at every channel after this.
 * @now: the caller waits for it (it blocks, or the guest is gone); otherwise
 * the service gets its turn within a time slice, which lets buffered writes
 * gather. No lock: a service that has ended is never woken (its vCPU is
 * not blocked any more), and no other one starts after it.
 */
static void notify_service(bool now)
{
	struct vcpu *sv = READ_ONCE(server.service_vcpu);

	__atomic_add_fetch(&server.work_seq, 1, __ATOMIC_SEQ_CST);
	if (!sv)
		return;
	/* One that blocks after this look sees the new count and does not sleep. */
	if (READ_ONCE(sv->state) == VCPU_BLOCKED_SERVER) {
		vcpu_wake(sv, VCPU_BLOCKED_SERVER, now);
		return;
	}
	/*
	 * Runnable already, it may still wait for its CPU; if that CPU has its
	 * VMCS loaded, it runs or is about to, and sees the work anyway.
	 */
	if (now && READ_ONCE(sv->home->loaded_vcpu) != sv)
		run_yield_to(sv);
}

/* Whether a vCPU of @p lives on the service's CPU (its vCPUs' homes are set by now). */
static bool shares_service_cpu(const struct partition *p)
{
	u32 i;

	for (i = 0; i < p->nr_vcpus; i++)
		if (p->vcpus[i]->home == server.service_cpu)
			return true;
	return false;
}

/*
 * Gives the guest a channel no running guest has, starting at its id's (so
 * channels rotate). Guests placed on their own CPUs (hv.cpus) run side by
 * side: ids alone would collide. -1 when every channel is taken.
 */
static int guest_start(struct partition *p)
{
	struct hv_ioreq_page *page;
	u32 ch, i;

	if (!server.service) {
		p->ioreq_channel = p->id % HV_IOREQ_MAX_CHANNELS;
		return 0;
	}
	spin_lock(&server.lock);
	for (i = 0; i < HV_IOREQ_MAX_CHANNELS; i++) {
		ch = (p->id + i) % HV_IOREQ_MAX_CHANNELS;
		if (!server.channel_guest[ch])
			break;
	}
	if (i == HV_IOREQ_MAX_CHANNELS) {
		spin_unlock(&server.lock);
		return -1;
	}
	/* Taken now; the service sees the guest only once the generation says so. */
	server.channel_guest[ch] = p;
	spin_unlock(&server.lock);
	p->ioreq_channel = ch;
	page = channel_page(ch);
	/* The channel's last guest has ended: its slots, EOIs and ring are done. */
	memset(page->slots, 0, sizeof(page->slots));
	memset(page->eoi_pending, 0, sizeof(page->eoi_pending));
	memset(channel_ring(ch), 0, sizeof(struct hv_ioreq_ring));
	page->nr_vcpus = p->nr_vcpus;
	page->partition_id = p->id;
	page->shares_service_cpu = shares_service_cpu(p);
	strlcpy(page->name, p->name, sizeof(page->name));
	__atomic_store_n(&page->generation, (page->generation | 1) + 2, __ATOMIC_RELEASE);
	notify_service(false);
	return 0;
}

static void guest_end(struct partition *p)
{
	struct hv_ioreq_page *page;

	if (!server.service)
		return;
	page = channel_page(p->ioreq_channel);
	spin_lock(&server.lock);
	server.channel_guest[p->ioreq_channel] = NULL;
	spin_unlock(&server.lock);
	/* Even: detached. The service still drains the ring and flushes the console. */
	__atomic_store_n(&page->generation, page->generation + 1, __ATOMIC_RELEASE);
	notify_service(true);
}

static void service_end(struct partition *service)
{
	u32 i;

	spin_lock(&server.lock);
	server.service = NULL;
	WRITE_ONCE(server.service_vcpu, NULL);
	server.lost = true;
	/* Nobody serves the claimed ranges any more: accesses become unclaimed. */
	memset(&server.claims, 0, sizeof(server.claims));
	for (i = 0; i < HV_IOREQ_MAX_CHANNELS; i++)
		if (server.channel_guest[i])
			partition_stop(server.channel_guest[i], "the service partition stopped",
				       -1);
	spin_unlock(&server.lock);
}

bool ioreq_service_lost(void)
{
	return READ_ONCE(server.lost);
}

/* ---- Requests ---- */

static void stop_guest(struct vcpu *v, const char *why)
{
	printk("hv: %s: %s\n", v->partition->name, why);
	partition_stop(v->partition, "ioreq protocol error", -1);
}

static void illegal_response(struct partition *p, u32 vcpu, const char *why)
{
	printk("hv: %s: illegal ioreq response from the service partition for vCPU %u: %s\n",
	       p->name, vcpu, why);
	partition_stop(p, "illegal ioreq response", -1);
}

static void ioreq_finish(struct vcpu *v);

static bool response_ready(const struct vcpu *v)
{
	return READ_ONCE(channel_page(v->partition->ioreq_channel)->slots[v->id].state) ==
	       HV_IOREQ_STATE_RESPONSE_READY;
}

/*
 * The vCPU's CPU saw the response before the completion hypercall came
 * (run_wait_here()): it takes the response and finishes the access itself.
 */
static enum exit_action take_here(struct vcpu *v, struct hv_ioreq *slot)
{
	struct ioreq_wait *w = &v->ioreq;
	const char *why;

	if (!ioreq_take_early(&w->taker, w->sent.seq))
		return EXIT_RESCHEDULE; /* the completion took it and wakes the vCPU */
	if (ioreq_take_response(slot, &w->sent, &w->result, &why)) {
		illegal_response(v->partition, v->id, why);
		return EXIT_RESCHEDULE;
	}
	if (!vcpu_unblock(v, VCPU_BLOCKED_IOREQ))
		return EXIT_RESCHEDULE; /* stopped meanwhile */
	stat_inc(&v->partition->ioreq_stats.taken_early);
	ioreq_finish(v);
	return EXIT_RESUME;
}

/* Posts the request prepared in v->ioreq and blocks the vCPU until the answer. */
static enum exit_action send_and_wait(struct vcpu *v)
{
	struct hv_ioreq *slot = &channel_page(v->partition->ioreq_channel)->slots[v->id];

	v->ioreq.sent.seq++;
	v->ioreq.deadline = rdtsc() + server.timeout_tsc;
	/* Blocked before the slot says READY: the answer may come at once, from another CPU. */
	if (!vcpu_block(v, VCPU_BLOCKED_IOREQ))
		return EXIT_RESCHEDULE; /* stopped meanwhile */
	vcpu_set_deadline(v, v->ioreq.deadline);
	if (ioreq_post(slot, &v->ioreq.sent)) {
		vcpu_unblock(v, VCPU_BLOCKED_IOREQ);
		stop_guest(v, "the service partition left the vCPU's ioreq slot busy");
		return EXIT_RESCHEDULE;
	}
	stat_inc(&v->partition->ioreq_stats.requests);
	notify_service(true);
	/* The service answers only once this CPU leaves the vCPU if it lives here too. */
	if (server.service_cpu == v->home)
		return EXIT_RESCHEDULE;
	switch (run_wait_here(v, response_ready)) {
	case RUN_WAIT_WOKEN:
		return EXIT_RESUME;
	case RUN_WAIT_ANSWERED:
		return take_here(v, slot);
	default:
		return EXIT_RESCHEDULE;
	}
}

/* Sends a write through the ring; false when it must go as a synchronous request. */
static bool send_buffered(struct vcpu *v, u8 kind, u64 addr, u64 data, u8 size)
{
	struct hv_ioreq_ring_entry e = { addr, data, size, kind, (u16)v->id, 0 };
	u32 channel = v->partition->ioreq_channel;
	enum ioreq_ring_result pushed;

	spin_lock(&server.ring_lock[channel]);
	pushed = ioreq_ring_push(channel_ring(channel), &e);
	spin_unlock(&server.ring_lock[channel]);
	switch (pushed) {
	case IOREQ_RING_PUSHED:
		stat_inc(&v->partition->ioreq_stats.buffered);
		notify_service(false);
		return true;
	case IOREQ_RING_FULL:
		return false;
	default:
		stop_guest(v, "the service partition broke the buffered ioreq ring");
		return true;
	}
}

/* IN puts the value into AL/AX/EAX (EAX zero-extends into RAX, SDM Vol. 3A 3.4.1.1). */
static void set_in_result(struct vcpu *v, unsigned int size, u64 value)
{
	u64 mask = bytes_mask(size);

	if (size == 4)
		v->gpr[GPR_RAX] = value & mask;
	else
		v->gpr[GPR_RAX] = (v->gpr[GPR_RAX] & ~mask) | (value & mask);
}

/* The guest's view of memory, from its VMCS (loaded): its paging registers and CPL. */
static void guest_view(struct vcpu *v, struct guest_mem *gm)
{
	struct guest_paging *pg = &gm->pg;

	pg->cr0 = vmread(GUEST_CR0);
	pg->cr3 = vmread(GUEST_CR3);
	pg->cr4 = vmread(GUEST_CR4);
	pg->efer = vmread(GUEST_IA32_EFER);
	pg->rflags = vmread(GUEST_RFLAGS);
	/* The PDPTE registers matter to PAE paging only (outside IA-32e mode). */
	if (unlikely(!(pg->efer & EFER_LMA) && (pg->cr4 & X86_CR4_PAE))) {
		pg->pdpte[0] = vmread(GUEST_PDPTE0);
		pg->pdpte[1] = vmread(GUEST_PDPTE1);
		pg->pdpte[2] = vmread(GUEST_PDPTE2);
		pg->pdpte[3] = vmread(GUEST_PDPTE3);
	}
	guest_mem_bind(gm, &v->partition->ept, vmx_guest_cpl() == 3);
}

/* ---- Guest memory hv accessed for an instruction ---- */

/* The exception a failed translation raises (GUEST_MEM_FAULT); @stack: the access used SS. */
static void inject_fault(const struct guest_mem_result *res, bool stack)
{
	if (res->non_canonical)
		vmx_inject_exception(stack ? X86_EXC_SS : X86_EXC_GP, true, 0);
	else
		vmx_inject_page_fault(res->linear, res->pf_error);
}

/*
 * A memory access hv made for the guest's @insn at @linear failed other
 * than by a fault of the guest's (@res). Entries that kept changing: the
 * instruction runs again. Otherwise the partition stops, with the reason
 * the CPU's own access would have had.
 */
static enum exit_action access_failed(struct vcpu *v, const char *insn, bool write, u64 linear,
				      const struct guest_mem_result *res)
{
	const char *name = v->partition->name, *type = ept_type_name(res->type);
	unsigned long long rip = vmread(GUEST_RIP), gpa = res->gpa;

	switch (res->status) {
	case GUEST_MEM_RETRY:
		return EXIT_RESUME;
	case GUEST_MEM_DENIED:
		/* As hv/ept/ept_exit.c reports the guest's own access */
		printk("hv: %s: EPT violation: %s of guest-physical 0x%llx (%s%s) by %s at rip "
		       "0x%llx, linear 0x%llx\n",
		       name, write ? "write" : "read", gpa,
		       res->type == EPT_TYPE_NONE ? "no memory there" : type,
		       res->type == EPT_TYPE_NONE ? "" : ": not permitted", insn, rip,
		       (unsigned long long)linear);
		partition_stop(v->partition, "EPT violation", -1);
		break;
	case GUEST_MEM_DEVICE:
		printk("hv: %s: %s at rip 0x%llx %s guest-physical 0x%llx (%s): hv does not emulate "
		       "string I/O to device memory\n",
		       name, insn, rip, write ? "writes" : "reads", gpa, type);
		partition_stop(v->partition, "string I/O to device memory", -1);
		break;
	default:
		printk("hv: %s: %s at rip 0x%llx: translating linear 0x%llx uses a paging-structure "
		       "entry at guest-physical 0x%llx (%s), where hv cannot read it or set its "
		       "accessed/dirty flags\n",
		       name, insn, rip, (unsigned long long)linear, gpa,
		       ept_type_name(ept_page_type(&v->partition->ept, gpa)));
		partition_stop(v->partition, "guest page tables outside writable RAM", -1);
		break;
	}
	return EXIT_RESCHEDULE;
}

/* ---- Port I/O ---- */

static void finish_string(struct vcpu *v);

/*
 * The segment an INS or OUTS item is accessed through. The I/O exit comes
 * before the instruction's segment checks (SDM Vol. 3C 26.1.1): an
 * unusable segment and an offset beyond the limit (#GP(0), #SS(0) for SS),
 * and #AC; hv makes them.
 */
struct string_segment {
	u32 ar;
	u32 limit;
	bool checked; /* outside 64-bit mode: 64-bit mode checks no limits (Vol. 3A 5.3.1) */
	u8 vector; /* #SS for SS, else #GP */
};

static void load_string_segment(struct string_segment *seg, enum vmx_segment which)
{
	u64 cs_ar = vmread(GUEST_CS_AR_BYTES);

	*seg = (struct string_segment){
		.ar = (u32)vmread(GUEST_SEG_AR_BYTES(which)),
		.limit = (u32)vmread(GUEST_SEG_LIMIT(which)),
		.checked = !((vmread(GUEST_IA32_EFER) & EFER_LMA) && (cs_ar & SEG_AR_L)),
		.vector = which == SEG_SS ? X86_EXC_SS : X86_EXC_GP,
	};
}

/*
 * Whether the @size-byte item at @offset passes the segment checks (SDM
 * Vol. 3A 5.3, 5.4): a usable segment that allows the access (INS writes:
 * writable data; OUTS reads: data or readable code), the item within the
 * limit (expand-down: above it, up to 64 KiB or 4 GiB by the B flag).
 */
static bool string_item_in_segment(const struct string_segment *seg, bool write, u64 offset,
				   unsigned int size)
{
	u64 last = offset + size - 1;

	if (!seg->checked)
		return true;
	if (seg->ar & SEG_AR_UNUSABLE)
		return false;
	if (seg->ar & SEG_AR_TYPE_CODE) {
		if (write || !(seg->ar & SEG_AR_TYPE_READABLE))
			return false;
	} else if (write && !(seg->ar & SEG_AR_TYPE_WRITABLE)) {
		return false;
	}
	if (!(seg->ar & SEG_AR_TYPE_CODE) && (seg->ar & SEG_AR_TYPE_EXPAND_DOWN))
		return offset > seg->limit &&
		       last <= (seg->ar & SEG_AR_DB ? 0xffffffffULL : 0xffffULL);
	return last <= seg->limit;
}

/*
 * How many of the next @count items one request moves: those in the first
 * item's page (only that item when it straddles into the next page: it is
 * moved in two pieces), before the address register wraps at the address
 * size, and inside the segment. 0 when the first item fails the segment
 * checks; *@vector is then the exception.
 */
static u64 string_run(struct vcpu *v, const struct ioreq_string *s, bool write, u64 linear,
		      unsigned int size, u64 count, u8 *vector)
{
	struct string_segment seg;
	u64 mask = bytes_mask(s->addr_size), offset = v->gpr[s->addr_reg] & mask;
	u64 in_page = linear % PAGE_SIZE, n;

	/* Vol. 3A 6.15: with CR0.AM, RFLAGS.AC and CPL 3 an item must be aligned (the items are alike). */
	if ((linear & (size - 1)) && (vmread(GUEST_CR0) & X86_CR0_AM) &&
	    (vmread(GUEST_RFLAGS) & X86_RFLAGS_AC) && vmx_guest_cpl() == 3) {
		*vector = X86_EXC_AC;
		return 0;
	}
	if (in_page + size > PAGE_SIZE)
		count = 1;
	else
		count = MIN(count, s->down ? in_page / size + 1 : (PAGE_SIZE - in_page) / size);
	if ((s->down ? offset : mask - offset) / size < count - 1)
		count = (s->down ? offset : mask - offset) / size + 1;
	load_string_segment(&seg, write ? SEG_ES : INSN_INFO_SEGMENT(vmread(VMX_INSTRUCTION_INFO)));
	for (n = 0; n < count; n++)
		if (!string_item_in_segment(&seg, write,
					    s->down ? offset - n * size : offset + n * size, size))
			break;
	*vector = seg.vector;
	return n;
}

/*
 * String I/O (INS/OUTS, SDM Vol. 2B): one request moves up to 8 bytes of
 * items (string_run() says which). Their memory is translated with the
 * guest's rights and checked by type before anything is sent, as the CPU
 * checks before it accesses the port: a fault is the guest's, with nothing
 * moved. With REP the instruction runs again until RCX is 0, moving the
 * next items each time; every run moves at least one item or ends.
 */
static enum exit_action string_pio(struct vcpu *v, u64 q, u16 port, unsigned int size,
				   const struct ioreq_range *range)
{
	struct ioreq_wait *w = &v->ioreq;
	struct ioreq_string *s = &w->string;
	bool in = q & IO_QUAL_IN;
	u64 linear = vmread(GUEST_LINEAR_ADDRESS), count, i, data = 0;
	struct guest_mem_result res;
	struct guest_mem gm;
	u8 bytes[ITEM_BYTES], vector;

	*s = (struct ioreq_string){
		.addr_reg = in ? GPR_RDI : GPR_RSI,
		.addr_size = (u8)(2U << INSN_INFO_ADDR_SIZE(vmread(VMX_INSTRUCTION_INFO))),
		.rep = q & IO_QUAL_REP,
		.down = vmread(GUEST_RFLAGS) & X86_RFLAGS_DF,
	};
	count = s->rep ? MIN(ITEM_BYTES / size, v->gpr[GPR_RCX] & bytes_mask(s->addr_size)) : 1;
	if (!count) {
		vmx_skip_instruction();
		return EXIT_RESUME;
	}
	count = string_run(v, s, in, linear, size, count, &vector);
	if (!count) {
		vmx_inject_exception(vector, true, 0);
		return EXIT_RESUME;
	}
	/* The first item decides: the others lie in its page, below it when DF is set. */
	guest_view(v, &gm);
	if (guest_mem_translate(&gm, linear, size, in ? GUEST_ACCESS_WRITE : GUEST_ACCESS_READ,
				&s->span, &res)) {
		if (res.status != GUEST_MEM_FAULT)
			return access_failed(v, in ? "INS" : "OUTS", in, linear, &res);
		inject_fault(&res,
			     !in && INSN_INFO_SEGMENT(vmread(VMX_INSTRUCTION_INFO)) == SEG_SS);
		return EXIT_RESUME;
	}
	if (s->down)
		s->span.gpa[0] -= (count - 1) * size;
	s->span.len[0] += (u32)((count - 1) * size);
	if (!in) {
		if (guest_mem_read_span(&v->partition->ept, &s->span, bytes, &res))
			return access_failed(v, "OUTS", false, linear, &res);
		/* Items in the order the guest reads them: downwards when DF is set. */
		for (i = 0; i < count; i++) {
			u64 item = 0;

			memcpy(&item, bytes + (s->down ? count - 1 - i : i) * size, size);
			data |= item << (i * size * 8);
		}
	}
	w->completion = IOREQ_DONE_STRING;
	w->sent = (struct ioreq_sent){ port,
				       data,
				       (u32)count,
				       (u8)size,
				       in ? HV_IOREQ_DIR_READ : HV_IOREQ_DIR_WRITE,
				       HV_IOREQ_PIO,
				       w->sent.seq };
	if (!range) {
		/* Nobody claimed the port: INS reads all-ones, OUTS writes go nowhere. */
		stat_inc(in ? &v->partition->ioreq_stats.unclaimed_reads :
			      &v->partition->ioreq_stats.unclaimed_writes);
		w->result = ~0ULL;
		finish_string(v);
		return READ_ONCE(v->partition->state) == PARTITION_RUNNING ? EXIT_RESUME :
									     EXIT_RESCHEDULE;
	}
	return send_and_wait(v);
}

enum exit_action ioreq_handle_pio(struct vcpu *v, u64 q)
{
	unsigned int size = (q & IO_QUAL_SIZE_MASK) + 1;
	bool in = q & IO_QUAL_IN;
	u16 port = (u16)(q >> IO_QUAL_PORT_SHIFT);
	const struct ioreq_range *range =
		ioreq_find_range(&server.claims, HV_IOREQ_PIO, port, size);
	struct ioreq_wait *w = &v->ioreq;
	u64 value = v->gpr[GPR_RAX] & bytes_mask(size);

	if (unlikely(q & IO_QUAL_STRING))
		return string_pio(v, q, port, size, range);
	if (!range) {
		if (in) {
			set_in_result(v, size, ~0ULL);
			stat_inc(&v->partition->ioreq_stats.unclaimed_reads);
		} else {
			stat_inc(&v->partition->ioreq_stats.unclaimed_writes);
		}
		vmx_skip_instruction();
		return EXIT_RESUME;
	}
	if (!in && (range->flags & HV_IOREQ_CLAIM_BUFFERED) &&
	    send_buffered(v, HV_IOREQ_PIO, port, value, (u8)size)) {
		vmx_skip_instruction();
		return READ_ONCE(v->partition->state) == PARTITION_RUNNING ? EXIT_RESUME :
									     EXIT_RESCHEDULE;
	}
	w->completion = in ? IOREQ_DONE_PIO_IN : IOREQ_DONE_PIO_OUT;
	w->sent = (struct ioreq_sent){ port,
				       in ? 0 : value,
				       1,
				       (u8)size,
				       in ? HV_IOREQ_DIR_READ : HV_IOREQ_DIR_WRITE,
				       HV_IOREQ_PIO,
				       w->sent.seq };
	return send_and_wait(v);
}

/* ---- MMIO and ioreq-server pages ---- */

static enum mmio_cpu_mode guest_cpu_mode(void)
{
	u64 cs_ar = vmread(GUEST_CS_AR_BYTES);

	if ((vmread(GUEST_IA32_EFER) & EFER_LMA) && (cs_ar & SEG_AR_L))
		return MMIO_MODE_64;
	return cs_ar & SEG_AR_DB ? MMIO_MODE_32 : MMIO_MODE_16;
}

/*
 * Fetches and decodes the instruction at the guest's RIP, or finds it in
 * the vCPU's cache (insn_cache.h). Returns true, or false with *@action: a
 * fault the fetch met is the guest's (the CPU would meet it fetching now);
 * an instruction hv cannot emulate stops the guest.
 */
static bool decode_guest_insn(struct vcpu *v, struct guest_mem *gm, enum mmio_cpu_mode mode,
			      u64 rip, struct mmio_insn *insn, enum exit_action *action)
{
	struct guest_walk_result res;
	struct guest_walk_path path;
	u8 bytes[X86_MAX_INSN_LEN];
	u64 linear = (mode == MMIO_MODE_64 ? 0 : vmread(GUEST_CS_BASE)) + rip;
	const struct mmio_insn *cached;
	const char *why;
	int ret;
	u32 n, i;

	cached = insn_cache_find(&v->ioreq.insn_cache, &gm->pg, gm->user, mode, linear);
	if (likely(cached)) {
		*insn = *cached;
		return true;
	}
	n = guest_fetch_insn(&gm->pg, linear, gm->user, bytes, &res, &path);
	ret = mmio_decode(bytes, n, mode, insn, &why);
	if (likely(!ret)) {
		if (n == X86_MAX_INSN_LEN)
			insn_cache_fill(&v->ioreq.insn_cache, &gm->pg, gm->user, mode, linear,
					res.gpa, &path, bytes, insn);
		return true;
	}
	*action = EXIT_RESUME;
	if (ret == MMIO_DECODE_TRUNCATED) {
		switch (res.status) {
		case GUEST_WALK_PAGE_FAULT:
			vmx_inject_page_fault(res.linear, res.pf_error);
			return false;
		case GUEST_WALK_NOT_CANONICAL:
			vmx_inject_gp();
			return false;
		case GUEST_WALK_RETRY:
			return false;
		default:
			why = "the rest of it is not in RAM hv can read";
		}
	}
	printk("hv: %s: cannot emulate the device access at rip 0x%llx (%s):", v->partition->name,
	       (unsigned long long)rip, why);
	for (i = 0; i < n; i++)
		printk(" %02x", bytes[i]);
	printk("\n");
	partition_stop(v->partition, "undecodable device access", -1);
	*action = EXIT_RESCHEDULE;
	return false;
}

/*
 * The linear address of the decoded memory operand: its segment's base (in
 * 64-bit mode only FS's and GS's, SDM Vol. 1 3.3.7.1) plus the offset, 32
 * bits wide outside 64-bit mode (Vol. 3A 3.4).
 */
static u64 operand_linear(struct vcpu *v, const struct mmio_insn *insn, enum mmio_cpu_mode mode,
			  u64 rip)
{
	u8 seg = insn->addr.segment;
	u64 base = 0, offset;

	offset = mmio_address_offset(insn, v->gpr, rip + insn->len);
	if (mode != MMIO_MODE_64 || seg == SEG_FS || seg == SEG_GS)
		base = vmread(GUEST_SEG_BASE(seg));
	return mode == MMIO_MODE_64 ? base + offset : (u32)(base + offset);
}

static enum exit_action not_the_access_that_exited(struct vcpu *v, const struct mmio_insn *insn,
						   bool write, u64 gpa, u64 linear)
{
	printk("hv: %s: the instruction at rip 0x%llx (a %u-byte %s) does not make the access "
	       "that exited, a %s of guest-physical 0x%llx, linear 0x%llx\n",
	       v->partition->name, (unsigned long long)vmread(GUEST_RIP), insn->size,
	       insn->dir == MMIO_WRITE ? "write" : "read", write ? "write" : "read",
	       (unsigned long long)gpa, (unsigned long long)linear);
	partition_stop(v->partition, "undecodable device access", -1);
	return EXIT_RESCHEDULE;
}

/*
 * The device access crosses a page boundary, from the exit's page into
 * the next or from the previous one into it: the other page is translated
 * as the CPU would (a fault there is the guest's). One device access
 * covers both pages only when they are contiguous and of one type: hv
 * splits no device access. Returns true with *@first, the access's start,
 * or false with *@action.
 */
static bool across_pages(struct vcpu *v, struct guest_mem *gm, const struct mmio_insn *insn,
			 u64 gpa, enum ept_page_type type, u64 start, u64 exit_linear, u64 *first,
			 enum exit_action *action)
{
	bool write = insn->dir == MMIO_WRITE, forward = start == exit_linear;
	u32 in_first = forward ? PAGE_SIZE - gpa % PAGE_SIZE : (u32)(exit_linear - start);
	u64 other_linear = forward ? exit_linear + in_first : start, other, lo, hi;
	struct guest_mem_result res = { .status = GUEST_MEM_OK };
	struct guest_walk_result w;
	enum ept_page_type other_type;

	*action = EXIT_RESUME;
	if (guest_walk(&gm->pg, other_linear, (write ? GUEST_ACCESS_WRITE : 0) | gm->user, &w)) {
		if (w.status == GUEST_WALK_PAGE_FAULT || w.status == GUEST_WALK_NOT_CANONICAL) {
			res = (struct guest_mem_result){
				.status = GUEST_MEM_FAULT,
				.linear = w.linear,
				.pf_error = w.pf_error,
				.non_canonical = w.status == GUEST_WALK_NOT_CANONICAL
			};
			inject_fault(&res, insn->addr.segment == SEG_SS);
			return false;
		}
		res = (struct guest_mem_result){ .status = w.status == GUEST_WALK_RETRY ?
								   GUEST_MEM_RETRY :
								   GUEST_MEM_PAGING,
						 .gpa = w.gpa };
		*action = access_failed(v, "MOV", write, other_linear, &res);
		return false;
	}
	other = w.gpa;
	other_type = ept_page_type(&v->partition->ept, other);
	lo = forward ? gpa : other;
	hi = forward ? other : gpa;
	*first = lo;
	if (hi == lo + in_first && other_type == type)
		return true;
	/* What the CPU's own access to the other page would have met first. */
	if (guest_mem_check_gpa(&v->partition->ept, other, 1,
				write ? GUEST_ACCESS_WRITE : GUEST_ACCESS_READ,
				&res) == GUEST_MEM_DENIED) {
		*action = access_failed(v, "MOV", write, other_linear, &res);
		return false;
	}
	printk("hv: %s: the %u-byte %s at rip 0x%llx spans guest-physical 0x%llx (%s) and 0x%llx "
	       "(%s) across a page boundary: hv does not split device accesses\n",
	       v->partition->name, insn->size, write ? "write" : "read",
	       (unsigned long long)vmread(GUEST_RIP), (unsigned long long)lo,
	       ept_type_name(forward ? type : other_type), (unsigned long long)hi,
	       ept_type_name(forward ? other_type : type));
	partition_stop(v->partition, "device access across a page boundary", -1);
	*action = EXIT_RESCHEDULE;
	return false;
}

bool ioreq_decode_at_rip(struct vcpu *v, struct mmio_insn *insn, u64 *linear,
			 enum exit_action *action)
{
	enum mmio_cpu_mode mode = guest_cpu_mode();
	u64 rip = vmread(GUEST_RIP);
	struct guest_mem gm;

	guest_view(v, &gm);
	if (!decode_guest_insn(v, &gm, mode, rip, insn, action))
		return false;
	if (unlikely(mmio_insn_uses_rsp(insn) || insn->addr.base == GPR_RSP ||
		     insn->addr.index == GPR_RSP))
		v->gpr[GPR_RSP] = vmread(GUEST_RSP);
	*linear = operand_linear(v, insn, mode, rip);
	return true;
}

enum exit_action ioreq_handle_ept(struct vcpu *v, u64 gpa, enum ept_page_type type, bool write)
{
	struct ioreq_wait *w = &v->ioreq;
	enum mmio_cpu_mode mode = guest_cpu_mode();
	u64 value = 0, exit_linear = vmread(GUEST_LINEAR_ADDRESS), start;
	const struct ioreq_range *range;
	enum exit_action action;
	u64 rip = vmread(GUEST_RIP);
	struct guest_mem gm;

	guest_view(v, &gm);
	if (!decode_guest_insn(v, &gm, mode, rip, &w->insn, &action))
		return action;
	/* RSP lives in the VMCS: gpr[] needs it only when the instruction uses it. */
	if (unlikely(mmio_insn_uses_rsp(&w->insn) || w->insn.addr.base == GPR_RSP ||
		     w->insn.addr.index == GPR_RSP))
		v->gpr[GPR_RSP] = vmread(GUEST_RSP);
	/* The instruction at RIP must make the access that exited: its direction, its address. */
	start = operand_linear(v, &w->insn, mode, rip);
	if (unlikely(write != (w->insn.dir == MMIO_WRITE) || start != exit_linear ||
		     gpa % PAGE_SIZE + w->insn.size > PAGE_SIZE)) {
		u64 before =
			mode == MMIO_MODE_64 ? exit_linear - start : (u32)(exit_linear - start);

		if (write != (w->insn.dir == MMIO_WRITE) ||
		    (start != exit_linear &&
		     (exit_linear % PAGE_SIZE || !before || before >= w->insn.size)))
			return not_the_access_that_exited(v, &w->insn, write, gpa, exit_linear);
		if (!across_pages(v, &gm, &w->insn, gpa, type, start, exit_linear, &gpa, &action))
			return action;
	}
	if (write)
		value = mmio_write_value(&w->insn, v->gpr);
	if (type == EPT_TYPE_IOREQ) {
		/* Not claimed (any more): the type is about to change back; run the write again. */
		if (!(READ_ONCE(server.claims.page_type_flags) & HV_IOREQ_FORWARD_WRITES))
			return EXIT_RESUME;
		w->completion = IOREQ_DONE_WP;
		w->sent = (struct ioreq_sent){
			gpa, value, 1, w->insn.size, HV_IOREQ_DIR_WRITE, HV_IOREQ_WP, w->sent.seq
		};
		return send_and_wait(v);
	}
	w->completion = IOREQ_DONE_MMIO;
	range = ioreq_find_range(&server.claims, HV_IOREQ_MMIO, gpa, w->insn.size);
	if (!range) {
		stat_inc(write ? &v->partition->ioreq_stats.unclaimed_writes :
				 &v->partition->ioreq_stats.unclaimed_reads);
		w->result = ~0ULL;
		ioreq_finish(v);
		return EXIT_RESUME;
	}
	if (write && (range->flags & HV_IOREQ_CLAIM_BUFFERED) &&
	    send_buffered(v, HV_IOREQ_MMIO, gpa, value, w->insn.size)) {
		vmx_advance_rip(w->insn.len);
		return READ_ONCE(v->partition->state) == PARTITION_RUNNING ? EXIT_RESUME :
									     EXIT_RESCHEDULE;
	}
	w->sent = (struct ioreq_sent){ gpa,
				       write ? value : 0,
				       1,
				       w->insn.size,
				       write ? HV_IOREQ_DIR_WRITE : HV_IOREQ_DIR_READ,
				       HV_IOREQ_MMIO,
				       w->sent.seq };
	return send_and_wait(v);
}

/* ---- Completion, on the guest vCPU's CPU ---- */

static void advance_string(struct vcpu *v)
{
	struct ioreq_wait *w = &v->ioreq;
	struct ioreq_string *s = &w->string;
	u64 mask = bytes_mask(s->addr_size), step = (u64)w->sent.count * w->sent.size;
	u64 *addr = &v->gpr[s->addr_reg];

	*addr = (*addr & ~mask) | ((s->down ? *addr - step : *addr + step) & mask);
	if (s->rep) {
		u64 *rcx = &v->gpr[GPR_RCX];

		*rcx = (*rcx & ~mask) | ((*rcx - w->sent.count) & mask);
		if (*rcx & mask)
			return; /* not done: the instruction runs again for the next items */
	}
	vmx_skip_instruction();
}

static void finish_string(struct vcpu *v)
{
	struct ioreq_wait *w = &v->ioreq;
	struct guest_mem_result res;
	u32 i, size = w->sent.size;

	if (w->sent.dir == HV_IOREQ_DIR_READ) {
		u8 bytes[ITEM_BYTES];

		for (i = 0; i < w->sent.count; i++) {
			u64 item = w->result >> (i * size * 8);

			memcpy(bytes + (w->string.down ? w->sent.count - 1 - i : i) * size, &item,
			       size);
		}
		/* The types may have changed while the device was read: checked again. */
		if (guest_mem_write_span(&v->partition->ept, &w->string.span, bytes, &res)) {
			access_failed(v, "INS", true, vmread(GUEST_LINEAR_ADDRESS), &res);
			return;
		}
	}
	advance_string(v);
}

static void ioreq_finish(struct vcpu *v)
{
	struct ioreq_wait *w = &v->ioreq;

	switch (w->completion) {
	case IOREQ_DONE_PIO_IN:
		set_in_result(v, w->sent.size, w->result);
		vmx_skip_instruction();
		break;
	case IOREQ_DONE_PIO_OUT:
		vmx_skip_instruction();
		break;
	case IOREQ_DONE_STRING:
		finish_string(v);
		break;
	case IOREQ_DONE_MMIO:
		if (w->insn.dir == MMIO_READ && unlikely(mmio_insn_uses_rsp(&w->insn))) {
			v->gpr[GPR_RSP] = vmread(GUEST_RSP);
			mmio_complete_read(&w->insn, v->gpr, w->result & bytes_mask(w->insn.size));
			vmwrite(GUEST_RSP, v->gpr[GPR_RSP]);
		} else if (w->insn.dir == MMIO_READ) {
			mmio_complete_read(&w->insn, v->gpr, w->result & bytes_mask(w->insn.size));
		}
		vmx_advance_rip(w->insn.len);
		break;
	case IOREQ_DONE_WP:
		/*
		 * A disclaim may have made a page of the write plain RAM meanwhile:
		 * then the write runs again. Every page it touches is checked.
		 */
		if (ept_page_type(&v->partition->ept, w->sent.addr) != EPT_TYPE_IOREQ ||
		    (unlikely(w->sent.addr % PAGE_SIZE + w->sent.size > PAGE_SIZE) &&
		     ept_page_type(&v->partition->ept, w->sent.addr + w->sent.size - 1) !=
			     EPT_TYPE_IOREQ))
			break;
		if (w->result == HV_IOREQ_WP_APPLY)
			ept_write_guest(&v->partition->ept, w->sent.addr, &w->sent.data,
					w->sent.size);
		vmx_advance_rip(w->insn.len);
		break;
	}
}

/* ---- Time limits ---- */

/*
 * A guest vCPU's request has a deadline for the service's answer; the
 * service's wait (HV_HC_IOREQ_WAIT) may have one it chose. Both use
 * v->ioreq.deadline: the service sends no requests.
 */
static u64 ioreq_deadline(const struct vcpu *v)
{
	enum vcpu_state state = READ_ONCE(v->state);

	return state == VCPU_BLOCKED_IOREQ || state == VCPU_BLOCKED_SERVER ? v->ioreq.deadline : 0;
}

static void ioreq_deadline_passed(struct vcpu *v)
{
	/*
	 * The service's own deadline is a device's timer (a PIT period, the
	 * RTC): it runs next, not when the guest's turn ends, or the ticks of
	 * a turn would merge into one and the guest's clock run slow.
	 */
	if (is_service(v)) {
		vcpu_wake(v, VCPU_BLOCKED_SERVER, true);
		return;
	}
	printk("hv: %s: vCPU %u waited %llu ms for the service partition to answer its request "
	       "(%s 0x%llx): stopping it\n",
	       v->partition->name, v->id,
	       (unsigned long long)(server.timeout_tsc / (tsc_khz ? tsc_khz : 1)),
	       v->ioreq.sent.kind == HV_IOREQ_PIO ? "port" : "address",
	       (unsigned long long)v->ioreq.sent.addr);
	partition_stop(v->partition, "no answer from the service partition", -1);
}

/* ---- The service partition's hypercalls ---- */

s64 ioreq_hc_register(struct vcpu *v, u64 a0, u64 a1, u64 a2, u64 a3)
{
	s64 ret = (s64)HV_IOREQ_AREA_GPA;

	if (!is_service(v))
		return -HV_EPERM;
	spin_lock(&server.lock);
	if (server.service_vcpu)
		ret = -HV_EBUSY;
	else
		WRITE_ONCE(server.service_vcpu, v);
	spin_unlock(&server.lock);
	return ret;
}

/*
 * Blocks the service until there is work it has not seen, or the TSC
 * reaches @deadline (0: no deadline). A request posted after the first look
 * (notify_service() counts, then wakes) is not slept through: the count is
 * looked at again once the vCPU is blocked. The answer, the count then, is
 * written at the next entry (ioreq_pre_entry()).
 */
s64 ioreq_hc_wait(struct vcpu *v, u64 seen, u64 deadline, u64 a2, u64 a3)
{
	u64 seq = __atomic_load_n(&server.work_seq, __ATOMIC_SEQ_CST);

	if (!is_service(v) || READ_ONCE(server.service_vcpu) != v)
		return -HV_EPERM;
	if (seq != seen || (deadline && deadline <= rdtsc()) || !vcpu_block(v, VCPU_BLOCKED_SERVER))
		return (s64)seq;
	v->ioreq.deadline = deadline;
	if (deadline)
		vcpu_set_deadline(v, deadline);
	vcpu_request(v, feature_request(&ioreq_feature));
	if (__atomic_load_n(&server.work_seq, __ATOMIC_SEQ_CST) != seen)
		vcpu_unblock(v, VCPU_BLOCKED_SERVER);
	return 0;
}

s64 ioreq_hc_claim_range(struct vcpu *v, u64 kind, u64 start, u64 size, u64 flags)
{
	int ret;

	if (!is_service(v))
		return -HV_EPERM;
	spin_lock(&server.lock);
	ret = ioreq_claim_range(&server.claims, (u32)kind, start, size, (u32)flags,
				HV_MMIO_WINDOW_START, HV_MMIO_WINDOW_END);
	spin_unlock(&server.lock);
	return ret;
}

/* Takes a reference on the guest attached to @channel, NULL if none. */
static struct partition *get_channel_guest(u64 channel)
{
	struct partition *p;

	if (channel >= HV_IOREQ_MAX_CHANNELS)
		return NULL;
	p = __atomic_load_n(&server.channel_guest[channel], __ATOMIC_ACQUIRE);
	if (!p || !partition_tryget(p))
		return NULL;
	/* Partition slots are reused, never unmapped: is it still this channel's? */
	if (__atomic_load_n(&server.channel_guest[channel], __ATOMIC_ACQUIRE) != p) {
		partition_put(p);
		return NULL;
	}
	return p;
}

/* Sets [gpa, gpa + size) of @p from @from to @to, page by page where the type differs. */
static int change_pages(struct partition *p, u64 gpa, u64 size, enum ept_page_type from,
			enum ept_page_type to)
{
	u64 end = gpa + size;

	while (gpa < end) {
		u64 run = gpa;

		if (ept_page_type(&p->ept, gpa) != from) {
			gpa += PAGE_SIZE;
			continue;
		}
		while (run < end && ept_page_type(&p->ept, run) == from)
			run += PAGE_SIZE;
		if (ept_set_type(&p->ept, gpa, run - gpa, to))
			return -HV_ENOMEM;
		gpa = run;
	}
	return 0;
}

s64 ioreq_hc_claim_page_type(struct vcpu *v, u64 flags, u64 a1, u64 a2, u64 a3)
{
	int ret;
	u32 ch;

	if (!is_service(v))
		return -HV_EPERM;
	spin_lock(&server.lock);
	ret = ioreq_claim_page_type(&server.claims, (u32)flags);
	spin_unlock(&server.lock);
	if (ret || flags)
		return ret;
	/* Disclaimed: every ioreq-server page is plain RAM again. */
	for (ch = 0; ch < HV_IOREQ_MAX_CHANNELS; ch++) {
		struct partition *p = get_channel_guest(ch);
		u32 i;

		if (!p)
			continue;
		for (i = 0; i < p->ept.nr_slots; i++) {
			const struct mem_slot *s = &p->ept.slots[i];

			if (s->page_types)
				change_pages(p, s->gpa, s->size, EPT_TYPE_IOREQ, EPT_TYPE_RAM_RW);
		}
		partition_put(p);
	}
	return 0;
}

s64 ioreq_hc_set_page_type(struct vcpu *v, u64 channel, u64 gpa, u64 pages, u64 type)
{
	enum ept_page_type to = type == HV_IOREQ_PAGE_SERVER ? EPT_TYPE_IOREQ : EPT_TYPE_RAM_RW;
	enum ept_page_type from = to == EPT_TYPE_IOREQ ? EPT_TYPE_RAM_RW : EPT_TYPE_IOREQ;
	struct partition *p;
	s64 ret = 0;
	u64 addr;

	if (!is_service(v))
		return -HV_EPERM;
	/* pages <= 2^32: the product cannot wrap, only the sum can. */
	if (type > HV_IOREQ_PAGE_SERVER || !pages || pages > BIT(32) ||
	    !IS_ALIGNED(gpa, PAGE_SIZE) || gpa + pages * PAGE_SIZE < gpa)
		return -HV_EINVAL;
	p = get_channel_guest(channel);
	if (!p)
		return -HV_ENOENT;
	for (addr = gpa; addr < gpa + pages * PAGE_SIZE && !ret; addr += PAGE_SIZE)
		ret = ioreq_page_type_change(&server.claims, ept_page_type(&p->ept, addr), to);
	if (!ret)
		ret = change_pages(p, gpa, pages * PAGE_SIZE, from, to);
	partition_put(p);
	return ret;
}

s64 ioreq_hc_complete(struct vcpu *v, u64 channel, u64 slot, u64 a2, u64 a3)
{
	struct partition *p;
	struct vcpu *gv;
	const char *why = NULL;
	s64 ret = 0;

	if (!is_service(v))
		return -HV_EPERM;
	p = get_channel_guest(channel);
	if (!p)
		return -HV_ENOENT;
	/* A guest hv stopped meanwhile (say, for being late) needs no answer. */
	if (slot >= p->nr_vcpus || READ_ONCE(p->state) != PARTITION_RUNNING) {
		partition_put(p);
		return -HV_ENOENT;
	}
	gv = p->vcpus[slot];
	switch (ioreq_claim_completion(&gv->ioreq.taker, gv->ioreq.sent.seq,
				       READ_ONCE(gv->state) == VCPU_BLOCKED_IOREQ)) {
	case IOREQ_COMPLETION_ACKNOWLEDGES:
		partition_put(p);
		return 0;
	case IOREQ_COMPLETION_TAKES:
		ioreq_take_response(&channel_page((u32)channel)->slots[slot], &gv->ioreq.sent,
				    &gv->ioreq.result, &why);
		break;
	case IOREQ_COMPLETION_REFUSED:
		why = "a completion while the vCPU waits for nothing";
		break;
	}
	if (why) {
		illegal_response(p, (u32)slot, why);
		ret = -HV_EINVAL;
	} else {
		/* The result goes in at the guest's next entry; on this CPU the service yields. */
		vcpu_request_for_wake(gv, feature_request(&ioreq_feature));
		vcpu_wake(gv, VCPU_BLOCKED_IOREQ, true);
	}
	partition_put(p);
	return ret;
}

s64 ioreq_hc_raise_irq(struct vcpu *v, u64 channel, u64 vector, u64 apic_id, u64 flags)
{
	struct partition *p;
	s64 ret;

	if (!is_service(v))
		return -HV_EPERM;
	if (vector < HV_IRQ_VECTOR_MIN || vector > HV_IRQ_VECTOR_MAX || (flags & ~HV_IRQ_LEVEL))
		return -HV_EINVAL;
	p = get_channel_guest(channel);
	if (!p)
		return -HV_ENOENT;
	ret = apic_id > 0xffffffffULL ?
		      -HV_ENOENT :
		      apic_raise_irq(p, (u32)apic_id, (u8)vector, flags & HV_IRQ_LEVEL);
	partition_put(p);
	return ret;
}

void ioreq_report_eoi(struct partition *p, u8 vector)
{
	struct hv_ioreq_page *page;

	if (p->kind != PARTITION_GUEST || !READ_ONCE(server.service))
		return;
	page = channel_page(p->ioreq_channel);
	__atomic_fetch_or(&page->eoi_pending[vector / 64], BIT(vector % 64), __ATOMIC_SEQ_CST);
	notify_service(false);
}

s64 ioreq_hc_partition_exit(struct vcpu *v, u64 channel, u64 code, u64 how, u64 a3)
{
	static const char *const reasons[] = {
		[HV_EXIT_BY_DEBUG_PORT] = "debug-exit port",
		[HV_EXIT_BY_ACPI_POWEROFF] = "ACPI power-off",
		[HV_EXIT_BY_RESET] = "reset",
	};
	struct partition *p;

	if (!is_service(v))
		return -HV_EPERM;
	if (code > 255 || how >= ARRAY_SIZE(reasons))
		return -HV_EINVAL;
	p = get_channel_guest(channel);
	if (!p)
		return -HV_ENOENT;
	partition_stop(p, reasons[how], (int)code);
	partition_put(p);
	return 0;
}

s64 ioreq_hc_console_write(struct vcpu *v, u64 gpa, u64 len, u64 a2, u64 a3)
{
	const char *text;

	if (!is_service(v))
		return -HV_EPERM;
	if (len > HV_CONSOLE_WRITE_MAX)
		return -HV_EINVAL;
	text = ept_gpa_to_hva(&v->partition->ept, gpa, len);
	if (!text)
		return -HV_EINVAL;
	printk("%.*s", (int)len, text);
	return 0;
}

s64 ioreq_hc_console_read(struct vcpu *v, u64 gpa, u64 len, u64 a2, u64 a3)
{
	char *buf;

	if (!is_service(v))
		return -HV_EPERM;
	if (len > HV_CONSOLE_READ_MAX)
		return -HV_EINVAL;
	buf = ept_gpa_to_hva(&v->partition->ept, gpa, len);
	if (!buf || ept_page_type(&v->partition->ept, gpa) != EPT_TYPE_RAM_RW)
		return -HV_EINVAL;
	return (s64)console_read(buf, len);
}

/* ---- hv/ioreq as a feature (hv/core/feature.h) ---- */

static int ioreq_partition_init(struct partition *p)
{
	if (p->kind == PARTITION_GUEST) {
		if (guest_start(p)) {
			printk("hv: %s: every ioreq channel is taken (%u guests run)\n", p->name,
			       HV_IOREQ_MAX_CHANNELS);
			return -1;
		}
		return 0;
	}
	if (service_create(p)) {
		printk("hv: %s: not started: no memory for the ioreq channel area\n", p->name);
		return -1;
	}
	return 0;
}

static void ioreq_partition_destroy(struct partition *p)
{
	if (p->kind == PARTITION_GUEST)
		guest_end(p);
	else
		service_end(p);
}

static void ioreq_report(const struct partition *p)
{
	const struct ioreq_stats *s = &p->ioreq_stats;

	if (p->kind == PARTITION_GUEST)
		printk("hv: %s: device requests %llu (%llu/s, %llu taken early), buffered writes "
		       "%llu (%llu/s), unclaimed reads %llu and writes %llu\n",
		       p->name, (unsigned long long)s->requests,
		       (unsigned long long)partition_per_second(p, s->requests),
		       (unsigned long long)s->taken_early, (unsigned long long)s->buffered,
		       (unsigned long long)partition_per_second(p, s->buffered),
		       (unsigned long long)s->unclaimed_reads,
		       (unsigned long long)s->unclaimed_writes);
}

/* A guest's request was answered; the service woke from HV_HC_IOREQ_WAIT. */
static void ioreq_pre_entry(struct vcpu *v)
{
	if (is_service(v))
		v->gpr[GPR_RAX] = __atomic_load_n(&server.work_seq, __ATOMIC_SEQ_CST);
	else
		ioreq_finish(v);
}

DEFINE_FEATURE(ioreq_feature) = {
	.name = "ioreq",
	.partition_init = ioreq_partition_init,
	.partition_destroy = ioreq_partition_destroy,
	.report = ioreq_report,
	.pre_entry = ioreq_pre_entry,
	.deadline = ioreq_deadline,
	.deadline_passed = ioreq_deadline_passed,
};
