// SPDX-License-Identifier: GPL-2.0
/*
 * hv/ept and hv/core/epoch with threads as CPUs.
 *
 * Vcpu threads run guests. Each guest access is translated as the CPU does
 * it: through a per-CPU model of the TLB and of the paging-structure cache
 * (SDM Vol. 3C 29.4), else by a walk from the root with atomic loads. An
 * EPT violation goes to ept_fault() as in the exit handler; each entry into
 * the guest is a quiescent point, with the pending work done as
 * hv/core/sched.c does it. A guest runs until a violation, the end of its
 * time slice, or a kick (an NMI: it arrives some accesses after the work
 * was posted); until then it uses whatever its CPU cached. Half the guests
 * are busy everywhere, half stay mostly in one slot and come back to what
 * their CPU cached now and then. Vcpus also pause at random when they reach
 * for a table page, as a CPU in hv may be held up anywhere.
 *
 * A zapper thread, a CPU too, zaps (single pages to whole GiBs), changes
 * page types and reads and clears dirty flags.
 *
 * Every translation is checked: it never reads a table page that was freed
 * (tests/model/ept_env.h watches every frame the pool hands out), and a
 * leaf it uses maps the slot's frame with no more rights than the page's
 * type gave at some point of the access. At the end: ept_check(), every
 * retired table freed, every frame back after ept_destroy().
 *
 * EPT_STRESS_SECONDS in the environment sets how long the zapper runs
 * (default 8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hv/core/epoch.h>
#include <hv/core/frame.h>
#include <hv/ept/ept.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/hw.h>

#include "../model/ept_env.h"

/* EPT entries (SDM Vol. 3C 29.3.2) */
#define R EPT_ACCESS_READ
#define W EPT_ACCESS_WRITE
#define X EPT_ACCESS_EXEC
#define MEMTYPE_MASK GENMASK(5, 3)
#define MEMTYPE_WB (6ULL << 3)
#define LARGE BIT(7)
#define ACCESSED BIT(8)
#define DIRTY BIT(9)
#define ADDR_MASK GENMASK(51, 12)
#define LEVEL_SHIFT(level) (12 + 9 * ((level)-1))
#define LEVEL_SIZE(level) (1ULL << LEVEL_SHIFT(level))

#define NR_VCPUS 4U
#define ZAPPER NR_VCPUS /* the zapper's cpu_id */
#define DEFAULT_SECONDS 8
#define PAUSE_EVERY 16 /* a vcpu in hv pauses at one in so many page accesses */
#define ZAPPER_PAUSE_EVERY 256 /* the zapper, at one in so many */

/*
 * The guest-physical map. A: 1 GiB pages possible, types change around
 * 1 GiB. B: backing not 2 MiB aligned, so 4 KiB leaves and many tables;
 * types change anywhere. C: 1 GiB pages, only zaps. Then MMIO, and holes.
 */
#define HPA (64 * GiB)
#define A_GPA 0ULL
#define A_SIZE (2 * GiB)
#define HOT_GPA (GiB - 8 * MiB) /* where A's types change */
#define HOT_SIZE (16 * MiB)
#define B_GPA (2 * GiB)
#define B_SIZE (256 * MiB)
#define C_GPA (4 * GiB)
#define C_SIZE GiB
#define C_HOT_SIZE (64 * MiB) /* where quiet guests work and most zaps of C go */
#define MMIO_GPA (3 * GiB)
#define MMIO_SIZE MiB
#define HOLE_GPA (3 * GiB + 2 * MiB)

/* Pages whose type may change: A's, then B's. */
#define A_PAGES (A_SIZE / PAGE_SIZE)
#define TRACKED_PAGES (A_PAGES + B_SIZE / PAGE_SIZE)

static const struct mem_slot layout[] = {
	{ .gpa = A_GPA, .size = A_SIZE, .hpa = HPA, .type = EPT_TYPE_RAM_RW },
	{ .gpa = B_GPA, .size = B_SIZE, .hpa = HPA + B_GPA + PAGE_SIZE, .type = EPT_TYPE_RAM_RW },
	{ .gpa = C_GPA, .size = C_SIZE, .hpa = HPA + C_GPA, .type = EPT_TYPE_RAM_RW },
	{ .gpa = MMIO_GPA, .size = MMIO_SIZE, .hpa = 0, .type = EPT_TYPE_MMIO },
};

static const u8 type_rights[NR_EPT_TYPES] = {
	[EPT_TYPE_RAM_RW] = R | W | X,
	[EPT_TYPE_RAM_RO] = R | X,
	[EPT_TYPE_IOREQ] = R,
};

static struct ept ept;

/*
 * The rights of each tracked page, kept by the zapper: while it changes a
 * page's type, @may_rights holds the union of the old and the new type's
 * rights and @must_rights their intersection; once ept_set_type()
 * returned, both hold the new type's.
 */
static u8 may_rights[TRACKED_PAGES], must_rights[TRACKED_PAGES];

static bool stop;
static u64 nr_errors;
static char first_error[256];
static pthread_mutex_t error_lock = PTHREAD_MUTEX_INITIALIZER;

static void __printf(1, 2) report_error(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&nr_errors, 1, __ATOMIC_SEQ_CST))
		return;
	pthread_mutex_lock(&error_lock);
	va_start(ap, fmt);
	vsnprintf(first_error, sizeof(first_error), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&error_lock);
}

static u64 rnd(u64 *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

static u64 rnd_below(u64 *state, u64 n)
{
	return rnd(state) % n;
}

static const struct mem_slot *slot_of(u64 gpa)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(layout); i++)
		if (gpa - layout[i].gpa < layout[i].size)
			return &layout[i];
	return NULL;
}

static s64 tracked_page(u64 gpa)
{
	if (gpa - A_GPA < A_SIZE)
		return (s64)((gpa - A_GPA) / PAGE_SIZE);
	if (gpa - B_GPA < B_SIZE)
		return (s64)(A_PAGES + (gpa - B_GPA) / PAGE_SIZE);
	return -1;
}

static void rights_of(u64 gpa, u8 *may, u8 *must)
{
	const struct mem_slot *s = slot_of(gpa);
	s64 page = tracked_page(gpa);

	if (page >= 0) {
		*may = __atomic_load_n(&may_rights[page], __ATOMIC_SEQ_CST);
		*must = __atomic_load_n(&must_rights[page], __ATOMIC_SEQ_CST);
	} else {
		*may = *must = s ? type_rights[s->type] : 0;
	}
}

/* ---- A CPU running a guest ---- */

#define TLB_ENTRIES 64U
#define PSC_ENTRIES 64U

struct vcpu_model {
	pthread_t thread;
	struct percpu *cpu;
	u64 rng;
	/* TLB: guest-physical page -> the leaf that mapped it (with the flags it set) */
	struct {
		u64 page;
		u64 leaf;
		unsigned int level;
		bool valid;
	} tlb[TLB_ENTRIES];
	/* Paging-structure cache: 2 MiB region -> its level-1 table, with the frame's generation */
	struct {
		u64 region;
		u64 table_pa;
		u32 gen;
		bool valid;
	} psc[PSC_ENTRIES];
	u64 gpa; /* the access the guest makes, or makes again after an exit */
	u32 access;
	unsigned int reruns;
	bool quiet; /* a guest that mostly stays in C */
	bool in_hv; /* handling an exit */
	u64 accesses, tlb_hits, psc_hits, walks, exits, reruns_abandoned;
	u64 results[EPT_FAULT_NO_MEMORY + 1];
};

static struct vcpu_model vcpus[NR_VCPUS];
static __thread struct vcpu_model *running;

static __thread u64 zapper_rng;

/*
 * A CPU in hv may be held up anywhere (an NMI, a host that runs the vCPU
 * thread later): vcpus handling an exit, and the zapper, pause now and then
 * when they reach for a page, so that other CPUs overtake them in the middle
 * of a fault or of an update.
 */
static void maybe_pause(u64 pa)
{
	if (running ? running->in_hv && !rnd_below(&running->rng, PAUSE_EVERY) :
		      !rnd_below(&zapper_rng, ZAPPER_PAUSE_EVERY))
		sched_yield();
}

/* INVEPT all-context: the executing CPU drops everything it cached. */
static void model_invept(u64 type, u64 eptp)
{
	if (running) {
		memset(running->tlb, 0, sizeof(running->tlb));
		memset(running->psc, 0, sizeof(running->psc));
	}
}

/* An EPT violation drops what the CPU cached for the address (SDM Vol. 3C 29.4.3.1). */
static void drop_cached(struct vcpu_model *v, u64 gpa)
{
	v->tlb[(gpa >> 12) % TLB_ENTRIES].valid = false;
	v->psc[(gpa >> 21) % PSC_ENTRIES].valid = false;
}

/*
 * The leaf @e at @level, used for @gpa: the slot's frame, no more rights
 * than the page's type gave when the access began (@may_at_start) or now.
 */
static void check_leaf(u64 gpa, u64 e, unsigned int level, u8 may_at_start, const char *how)
{
	u64 size = LEVEL_SIZE(level), base = ALIGN_DOWN(gpa, size);
	const struct mem_slot *s = slot_of(gpa);
	u8 may, must;

	rights_of(gpa, &may, &must);
	may |= may_at_start;
	if (!s || !type_rights[s->type] || base < s->gpa || base + size > s->gpa + s->size) {
		report_error("%s: leaf 0x%llx at level %u for 0x%llx is not inside a RAM slot", how,
			     (unsigned long long)e, level, (unsigned long long)gpa);
		return;
	}
	if ((e & ADDR_MASK) != s->hpa + (base - s->gpa) || (e & MEMTYPE_MASK) != MEMTYPE_WB ||
	    level > ept.max_level || (level > 1) != !!(e & LARGE))
		report_error("%s: leaf 0x%llx at level %u for 0x%llx: wrong frame or attributes",
			     how, (unsigned long long)e, level, (unsigned long long)gpa);
	if (e & EPT_ACCESS_MASK & ~may)
		report_error("%s: leaf 0x%llx at level %u for 0x%llx allows %llx, the type only %x",
			     how, (unsigned long long)e, level, (unsigned long long)gpa,
			     (unsigned long long)(e & EPT_ACCESS_MASK), may);
}

/* The CPU reads an entry of a table it holds a pointer to, obtained when the frame had @gen. */
static u64 read_entry(u64 table_pa, u32 gen, u64 gpa, unsigned int level, const char *how)
{
	u64 e = __atomic_load_n((u64 *)phys_to_virt(table_pa) + ((gpa >> LEVEL_SHIFT(level)) % 512),
				__ATOMIC_ACQUIRE);

	if (e == EPOCH_PAGE_POISON || ept_env_frame_gen(table_pa) != gen)
		report_error("%s: read the freed table 0x%llx (level %u) for 0x%llx", how,
			     (unsigned long long)table_pa, level, (unsigned long long)gpa);
	return e;
}

/* The accessed and dirty flags, set as the CPU sets them: atomically, on the entry it used. */
static void set_ad(u64 table_pa, u64 gpa, unsigned int level, u64 e, u32 access)
{
	u64 *entry = (u64 *)phys_to_virt(table_pa) + ((gpa >> LEVEL_SHIFT(level)) % 512);
	u64 flags = ACCESSED | (access & W ? DIRTY : 0);

	if ((e & flags) != flags)
		__atomic_compare_exchange_n(entry, &e, e | flags, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED);
}

/* Uses the leaf @e from @table_pa: true when it permits @access. */
static bool use_leaf(struct vcpu_model *v, u64 table_pa, u64 gpa, unsigned int level, u64 e,
		     u32 access, u8 may_at_start, const char *how)
{
	unsigned int t = (gpa >> 12) % TLB_ENTRIES;

	check_leaf(gpa, e, level, may_at_start, how);
	if ((e & access) != access)
		return false;
	if (vmx_caps.ept_ad)
		set_ad(table_pa, gpa, level, e, access);
	v->tlb[t].page = gpa >> 12;
	v->tlb[t].leaf = e | ACCESSED | (access & W ? DIRTY : 0);
	v->tlb[t].level = level;
	v->tlb[t].valid = true;
	return true;
}

/* The CPU translates @gpa for @access: true when it may go ahead, false on an EPT violation. */
static bool translate(struct vcpu_model *v, u64 gpa, u32 access, u8 may_at_start)
{
	unsigned int t = (gpa >> 12) % TLB_ENTRIES, p = (gpa >> 21) % PSC_ENTRIES, level;
	u64 table_pa, e;
	u32 gen;

	/* A write through a TLB entry without the dirty flag walks again to set it. */
	if (v->tlb[t].valid && v->tlb[t].page == gpa >> 12 && (v->tlb[t].leaf & access) == access &&
	    (!(access & W) || (v->tlb[t].leaf & DIRTY))) {
		v->tlb_hits++;
		check_leaf(gpa, v->tlb[t].leaf, v->tlb[t].level, may_at_start, "TLB");
		return true;
	}
	if (v->psc[p].valid && v->psc[p].region == gpa >> 21) {
		v->psc_hits++;
		table_pa = v->psc[p].table_pa;
		e = read_entry(table_pa, v->psc[p].gen, gpa, 1, "paging-structure cache");
		if (!(e & EPT_ACCESS_MASK))
			return false;
		return use_leaf(v, table_pa, gpa, 1, e, access, may_at_start,
				"paging-structure cache");
	}
	v->walks++;
	table_pa = ept.root_pa;
	gen = ept_env_frame_gen(table_pa);
	for (level = EPT_LEVELS;; level--) {
		e = read_entry(table_pa, gen, gpa, level, "walk");
		if (!(e & EPT_ACCESS_MASK) || e == EPOCH_PAGE_POISON)
			return false;
		if (level == 1 || (e & LARGE))
			return use_leaf(v, table_pa, gpa, level, e, access, may_at_start, "walk");
		table_pa = e & ADDR_MASK;
		gen = ept_env_frame_gen(table_pa);
		if (!ept_env_gen_allocated(gen))
			report_error(
				"walk: a table entry for 0x%llx at level %u points to the free page 0x%llx",
				(unsigned long long)gpa, level, (unsigned long long)table_pa);
		if (level == 2) {
			v->psc[p].region = gpa >> 21;
			v->psc[p].table_pa = table_pa;
			v->psc[p].gen = gen;
			v->psc[p].valid = true;
		}
	}
}

/*
 * VM entry: sched_resume() reports a quiescent state, then hv/vmx/entry.S
 * looks at the pending work and, while there is some, runs sched_switch():
 * the epoch read before the work, INVEPT, the report, epoch_reclaim().
 */
static void vm_entry(struct vcpu_model *v)
{
	struct percpu *cpu = v->cpu;

	epoch_report(cpu, epoch_read());
	while (__atomic_load_n(&cpu->pending_work, __ATOMIC_ACQUIRE)) {
		u64 seen = epoch_read();
		u32 work = __atomic_exchange_n(&cpu->pending_work, 0, __ATOMIC_ACQ_REL);

		if (work & PERCPU_WORK_INVEPT)
			invept(INVEPT_ALL_CONTEXT, 0);
		epoch_report(cpu, seen);
		epoch_reclaim();
	}
}

/* Pages every guest touches: faults on them race with each other. */
#define SHARED_PAGES 32U

static u64 shared_page(u64 i)
{
	return B_GPA + i * 2 * MiB / 4 + (i % 7) * PAGE_SIZE;
}

static u64 pick_gpa(u64 *rng)
{
	u64 r = rnd_below(rng, 100);

	if (r < 10)
		return shared_page(rnd_below(rng, SHARED_PAGES));
	if (r < 35)
		return HOT_GPA + rnd_below(rng, HOT_SIZE / PAGE_SIZE) * PAGE_SIZE;
	if (r < 45)
		return A_GPA + rnd_below(rng, A_SIZE / PAGE_SIZE) * PAGE_SIZE;
	if (r < 60)
		return B_GPA + rnd_below(rng, 32 * MiB / PAGE_SIZE) * PAGE_SIZE;
	if (r < 70)
		return B_GPA + rnd_below(rng, B_SIZE / PAGE_SIZE) * PAGE_SIZE;
	if (r < 90)
		return C_GPA + rnd_below(rng, C_SIZE / PAGE_SIZE) * PAGE_SIZE;
	if (r < 95)
		return MMIO_GPA + rnd_below(rng, MMIO_SIZE / PAGE_SIZE) * PAGE_SIZE;
	return HOLE_GPA + rnd_below(rng, 64 * MiB / PAGE_SIZE) * PAGE_SIZE;
}

static u32 pick_access(u64 *rng)
{
	u64 r = rnd_below(rng, 10);

	return r < 5 ? R : r < 8 ? W : X;
}

/* An EPT violation, handled as hv/ept/ept_exit.c does; true: run the access again. */
static bool exit_for_violation(struct vcpu_model *v, u64 gpa, u32 access, u8 must_at_start)
{
	enum ept_fault_result r;
	u8 may, must;

	v->exits++;
	drop_cached(v, gpa);
	v->in_hv = true;
	r = ept_fault(&ept, gpa, access, NULL);
	v->in_hv = false;
	v->results[r]++;
	switch (r) {
	case EPT_FAULT_MAPPED:
	case EPT_FAULT_RETRY:
		return true;
	case EPT_FAULT_DENIED:
		rights_of(gpa, &may, &must);
		if (!(access & ~(must & must_at_start)))
			report_error("fault: %x at 0x%llx denied, the type allows %x", access,
				     (unsigned long long)gpa, must & must_at_start);
		return false;
	case EPT_FAULT_UNBACKED:
		if (slot_of(gpa))
			report_error("fault: 0x%llx unbacked", (unsigned long long)gpa);
		return false;
	default:
		report_error("fault: no memory for 0x%llx", (unsigned long long)gpa);
		return false;
	}
}

/* A busy guest goes anywhere, often near its last access or to a region its CPU cached. */
static u64 busy_gpa(struct vcpu_model *v)
{
	u64 r = rnd_below(&v->rng, 4), p = rnd_below(&v->rng, PSC_ENTRIES);

	if (r == 0 && v->psc[p].valid)
		return (v->psc[p].region << 21) + rnd_below(&v->rng, 512) * PAGE_SIZE;
	if (r == 1 && v->accesses)
		return ALIGN_DOWN(v->gpa, 2 * MiB) + rnd_below(&v->rng, 512) * PAGE_SIZE;
	return pick_gpa(&v->rng);
}

/*
 * A quiet guest works in C, whose leaves change less often, and now and
 * then goes to B or to a region its CPU cached: it stays in the guest
 * through updates, and then uses what its CPU cached before them.
 */
static u64 quiet_gpa(struct vcpu_model *v)
{
	u64 p = rnd_below(&v->rng, PSC_ENTRIES), r = rnd_below(&v->rng, 64);

	if (r == 0)
		return B_GPA + rnd_below(&v->rng, 32 * MiB / PAGE_SIZE) * PAGE_SIZE;
	if (r == 1 && v->psc[p].valid)
		return (v->psc[p].region << 21) + rnd_below(&v->rng, 512) * PAGE_SIZE;
	return C_GPA + rnd_below(&v->rng, C_HOT_SIZE / PAGE_SIZE) * PAGE_SIZE;
}

/* The guest runs until an exit: a violation, the end of its time slice, or a kick. */
static void guest_runs(struct vcpu_model *v)
{
	unsigned int slice = 1 + rnd_below(&v->rng, v->quiet ? 4096 : 256);
	unsigned int nmi_delay = rnd_below(&v->rng, 64);
	u8 may, must;

	for (; slice; slice--) {
		if ((__atomic_load_n(&v->cpu->pending_work, __ATOMIC_ACQUIRE) &
		     PERCPU_WORK_RESCHEDULE) &&
		    !nmi_delay--)
			return;
		if (!v->reruns) {
			v->gpa = v->quiet ? quiet_gpa(v) : busy_gpa(v);
			v->access = pick_access(&v->rng);
		}
		/* Fewer cores than threads: let the others run now and then. */
		if (!(++v->accesses % 64))
			sched_yield();
		rights_of(v->gpa, &may, &must);
		if (translate(v, v->gpa, v->access, may)) {
			v->reruns = 0;
			continue;
		}
		if (!exit_for_violation(v, v->gpa, v->access, must)) {
			v->reruns = 0;
		} else if (++v->reruns == 64) {
			v->reruns_abandoned++;
			v->reruns = 0;
		}
		return;
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu_model *v = arg;

	model_gs_self = v->cpu;
	running = v;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		vm_entry(v);
		guest_runs(v);
	}
	/* Off to idle for good: it holds no table pointer any more. */
	__atomic_store_n(&v->cpu->online, false, __ATOMIC_SEQ_CST);
	running = NULL;
	return NULL;
}

/* ---- The zapper ---- */

struct zapper_counts {
	u64 zaps, table_zaps, big_zaps, type_changes, dirty_logs;
};

/* A random range of 1..@max_pages pages from @gpa's area; sometimes across a 2 MiB or 1 GiB line. */
static void pick_range(u64 *rng, u64 area, u64 area_size, u64 max_pages, u64 *gpa, u64 *size)
{
	u64 pages = 1 + rnd_below(rng, max_pages), r = rnd_below(rng, 4), line;

	*size = pages * PAGE_SIZE;
	*gpa = area + rnd_below(rng, (area_size - *size) / PAGE_SIZE + 1) * PAGE_SIZE;
	if (r == 0 || r == 1) {
		line = r ? GiB : 2 * MiB;
		line = ALIGN_DOWN(*gpa + *size / 2, line);
		if (line > area + *size / 2 && line + *size / 2 <= area + area_size)
			*gpa = line - ALIGN_DOWN(*size / 2, PAGE_SIZE);
	}
}

static void set_rights(u64 gpa, u64 size, enum ept_page_type type, bool done)
{
	u64 a;

	for (a = gpa; a < gpa + size; a += PAGE_SIZE) {
		s64 page = tracked_page(a);

		if (done) {
			__atomic_store_n(&may_rights[page], type_rights[type], __ATOMIC_SEQ_CST);
			__atomic_store_n(&must_rights[page], type_rights[type], __ATOMIC_SEQ_CST);
		} else {
			__atomic_fetch_or(&may_rights[page], type_rights[type], __ATOMIC_SEQ_CST);
			__atomic_fetch_and(&must_rights[page], type_rights[type], __ATOMIC_SEQ_CST);
		}
	}
}

static void zap(u64 gpa, u64 size)
{
	if (ept_zap(&ept, gpa, size))
		report_error("zap of [0x%llx, +0x%llx) failed", (unsigned long long)gpa,
			     (unsigned long long)size);
}

static void zapper_step(u64 *rng, struct zapper_counts *n)
{
	static const enum ept_page_type types[] = { EPT_TYPE_RAM_RW, EPT_TYPE_RAM_RO,
						    EPT_TYPE_IOREQ };
	/* Where guests go most: B's first 32 MiB, A's hot window, C's start, all of A */
	static const u64 areas[][2] = {
		{ B_GPA, 32 * MiB }, { HOT_GPA, HOT_SIZE }, { C_GPA, C_HOT_SIZE }, { A_GPA, A_SIZE }
	};
	u64 r = rnd_below(rng, 100), gpa, size, bitmap[512 / 64];
	unsigned int area = rnd_below(rng, ARRAY_SIZE(areas));

	if (r < 25) {
		/* 4 KiB .. 2 MiB: leaves, and splits of the huge leaves it cuts */
		pick_range(rng, areas[area][0], areas[area][1], 512, &gpa, &size);
		zap(gpa, size);
		n->zaps++;
	} else if (r < 35) {
		/* Whole 2 MiB regions, most with tables of 4 KiB leaves: retired */
		area = rnd_below(rng, 3);
		size = (1 + rnd_below(rng, 4)) * 2 * MiB;
		gpa = areas[area][0] +
		      rnd_below(rng, (areas[area][1] - size) / (2 * MiB) + 1) * 2 * MiB;
		zap(gpa, size);
		n->table_zaps++;
	} else if (r < 42) {
		/*
		 * Level-2 tables with faults walking below them; more tables
		 * than one batch of the epoch code; 1 GiB leaves in C again.
		 */
		r = rnd_below(rng, 6);
		if (r < 3)
			zap(rnd_below(rng, 2) * GiB, GiB);
		else if (r == 3)
			zap(B_GPA, B_SIZE);
		else if (r == 4)
			zap(GiB - 64 * MiB, 128 * MiB);
		else
			zap(C_GPA, C_SIZE);
		n->big_zaps++;
	} else if (r < 82) {
		enum ept_page_type type = types[rnd_below(rng, ARRAY_SIZE(types))];

		area = rnd_below(rng, 2);
		pick_range(rng, areas[area][0], areas[area][1], 16, &gpa, &size);
		set_rights(gpa, size, type, false);
		if (ept_set_type(&ept, gpa, size, type))
			report_error("set_type of [0x%llx, +0x%llx) failed",
				     (unsigned long long)gpa, (unsigned long long)size);
		set_rights(gpa, size, type, true);
		n->type_changes++;
	} else {
		pick_range(rng, areas[area][0], MIN(areas[area][1], 64 * MiB), 512, &gpa, &size);
		if (ept_dirty_log(&ept, gpa, size / PAGE_SIZE, bitmap, rnd_below(rng, 4) != 0))
			report_error("dirty log of [0x%llx, +0x%llx) failed",
				     (unsigned long long)gpa, (unsigned long long)size);
		n->dirty_logs++;
	}
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned int run_seconds(void)
{
	const char *s = getenv("EPT_STRESS_SECONDS");
	int n = s ? atoi(s) : 0;

	return n > 0 ? (unsigned int)n : DEFAULT_SECONDS;
}

static void vcpus_never_use_freed_tables_nor_stale_rights_while_updates_run(void **state)
{
	struct zapper_counts n = { 0 };
	struct epoch_stats e0, e;
	struct vcpu_model total = { 0 };
	u64 free0, rng = 0x9e3779b97f4a7c15ULL, i, r;
	double end;
	unsigned int v;

	ept_env_reset(NR_VCPUS + 1);
	ept_env_run_on(ZAPPER);
	stop = false;
	nr_errors = 0;
	vmx_caps.ept_2m = true;
	vmx_caps.ept_1g = true;
	vmx_caps.ept_ad = true;
	model_invept_hook = model_invept;
	zapper_rng = rng;
	model_phys_access_hook = maybe_pause;
	free0 = ept_env_nr_free();
	epoch_get_stats(&e0);
	assert_int_equal(ept_init(&ept, 3, GENMASK(ZAPPER, 0), NULL), 0);
	for (i = 0; i < ARRAY_SIZE(layout); i++)
		assert_int_equal(ept_add_slot(&ept, &layout[i]), 0);
	memset(may_rights, R | W | X, sizeof(may_rights));
	memset(must_rights, R | W | X, sizeof(must_rights));

	for (v = 0; v < NR_VCPUS; v++) {
		vcpus[v].cpu = &percpu_area[v];
		vcpus[v].rng = 0x1234567 + v * 0x9e3779b9ULL;
		vcpus[v].quiet = v >= NR_VCPUS / 2;
		assert_int_equal(pthread_create(&vcpus[v].thread, NULL, vcpu_thread, &vcpus[v]), 0);
	}
	end = seconds_now() + run_seconds();
	while (seconds_now() < end && !__atomic_load_n(&nr_errors, __ATOMIC_RELAXED))
		zapper_step(&rng, &n);
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	for (v = 0; v < NR_VCPUS; v++) {
		assert_int_equal(pthread_join(vcpus[v].thread, NULL), 0);
		total.accesses += vcpus[v].accesses;
		total.tlb_hits += vcpus[v].tlb_hits;
		total.psc_hits += vcpus[v].psc_hits;
		total.walks += vcpus[v].walks;
		total.exits += vcpus[v].exits;
		total.reruns_abandoned += vcpus[v].reruns_abandoned;
		for (r = 0; r < ARRAY_SIZE(total.results); r++)
			total.results[r] += vcpus[v].results[r];
	}

	epoch_synchronize(GENMASK(ZAPPER, 0));
	epoch_reclaim();
	epoch_get_stats(&e);
	printf("ept stress, %u s: %llu accesses (%llu TLB hits, %llu paging-structure cache hits, "
	       "%llu walks), %llu exits: %llu mapped, %llu retry, %llu denied, %llu unbacked; "
	       "%llu re-runs given up\n",
	       run_seconds(), (unsigned long long)total.accesses,
	       (unsigned long long)total.tlb_hits, (unsigned long long)total.psc_hits,
	       (unsigned long long)total.walks, (unsigned long long)total.exits,
	       (unsigned long long)total.results[EPT_FAULT_MAPPED],
	       (unsigned long long)total.results[EPT_FAULT_RETRY],
	       (unsigned long long)total.results[EPT_FAULT_DENIED],
	       (unsigned long long)total.results[EPT_FAULT_UNBACKED],
	       (unsigned long long)total.reruns_abandoned);
	printf("ept stress: zapper %llu zaps, %llu table zaps, %llu big zaps, %llu type changes, "
	       "%llu dirty logs; "
	       "faults 4k %llu 2m %llu 1g %llu, spurious %llu, retries %llu, splits %llu, "
	       "tables %llu, retired %llu, freed %llu, epoch %llu, %u INVEPTs\n",
	       (unsigned long long)n.zaps, (unsigned long long)n.table_zaps,
	       (unsigned long long)n.big_zaps, (unsigned long long)n.type_changes,
	       (unsigned long long)n.dirty_logs, (unsigned long long)ept.stats.faults_4k,
	       (unsigned long long)ept.stats.faults_2m, (unsigned long long)ept.stats.faults_1g,
	       (unsigned long long)ept.stats.spurious, (unsigned long long)ept.stats.retries,
	       (unsigned long long)ept.stats.splits, (unsigned long long)ept.stats.tables,
	       (unsigned long long)ept.stats.tables_retired,
	       (unsigned long long)(e.freed - e0.freed), (unsigned long long)e.epoch,
	       model_invept_count);
	if (nr_errors)
		fail_msg("%llu errors, the first: %s", (unsigned long long)nr_errors, first_error);

	assert_int_equal(ept_check(&ept), 0);

	/* It raced: every kind of leaf, faults that met updates, tables unlinked and freed. */
	assert_true(ept.stats.faults_4k && ept.stats.faults_2m && ept.stats.faults_1g);
	assert_true(ept.stats.retries && ept.stats.spurious && ept.stats.splits);
	assert_true(ept.stats.tables_retired > 64);
	assert_true(total.psc_hits && total.tlb_hits && total.results[EPT_FAULT_DENIED]);
	/* Every unlinked table is back in the pool, and after destroy, every frame. */
	assert_int_equal(e.pending, 0);
	assert_int_equal(e.freed - e0.freed, ept.stats.tables_retired);
	ept_destroy(&ept);
	assert_int_equal(ept_env_nr_free(), free0);
}

/*
 * hv/core/epoch alone. A writer CPU publishes a page, replaces it, defers
 * the old one, reports a quiescent state and reclaims, again and again. One thread plays two CPUs: as
 * CPU 0 it reports a quiescent state, then takes the published page and
 * uses it for a while; as CPU 1 it holds nothing and reports quiescent
 * states all along, before and after CPU 0's. No page may be freed while
 * CPU 0 still uses it: CPU 1 running ahead changes nothing.
 */
#define READER_SECONDS 3

static u64 published;

static void *reader_thread(void *arg)
{
	struct percpu *holder = &percpu_area[0], *passer = &percpu_area[1];
	u64 rng = 0x9e3779b97f4a7c15ULL;

	model_gs_self = holder;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned int i, n;
		u64 pa;
		u32 gen;

		epoch_report(holder, epoch_read());
		pa = __atomic_load_n(&published, __ATOMIC_ACQUIRE);
		gen = ept_env_frame_gen(pa);
		if (!ept_env_gen_allocated(gen))
			report_error("reader: the published page 0x%llx is free",
				     (unsigned long long)pa);
		for (n = 0; n < 32; n++) {
			for (i = rnd_below(&rng, 512); i; i--)
				barrier();
			epoch_report(passer, epoch_read());
		}
		if (ept_env_frame_gen(pa) != gen)
			report_error("reader: the page 0x%llx CPU 0 holds was freed",
				     (unsigned long long)pa);
	}
	__atomic_store_n(&holder->online, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&passer->online, false, __ATOMIC_SEQ_CST);
	return NULL;
}

static void pages_are_freed_only_after_every_cpu_was_quiescent(void **state)
{
	struct epoch_stats e0, e;
	u64 free0, replaced = 0;
	pthread_t reader;
	double end;

	ept_env_reset(3);
	ept_env_run_on(2);
	model_phys_access_hook = NULL;
	stop = false;
	nr_errors = 0;
	free0 = ept_env_nr_free();
	epoch_get_stats(&e0);
	published = frame_alloc(1, PAGE_SIZE);
	assert_int_equal(pthread_create(&reader, NULL, reader_thread, NULL), 0);
	end = seconds_now() + READER_SECONDS;
	while (seconds_now() < end && !__atomic_load_n(&nr_errors, __ATOMIC_RELAXED)) {
		u64 old = __atomic_exchange_n(&published, frame_alloc(1, PAGE_SIZE),
					      __ATOMIC_SEQ_CST);

		epoch_defer_free(&old, 1, GENMASK(2, 0));
		epoch_report(this_cpu(), epoch_read());
		epoch_reclaim();
		replaced++;
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(reader, NULL), 0);
	epoch_synchronize(GENMASK(2, 0));
	epoch_reclaim();
	epoch_get_stats(&e);
	printf("epoch: %llu pages replaced, %llu freed\n", (unsigned long long)replaced,
	       (unsigned long long)(e.freed - e0.freed));
	if (nr_errors)
		fail_msg("%llu errors, the first: %s", (unsigned long long)nr_errors, first_error);
	assert_int_equal(e.pending, 0);
	assert_int_equal(e.freed - e0.freed, replaced);
	frame_free(published, 1);
	assert_int_equal(ept_env_nr_free(), free0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_are_freed_only_after_every_cpu_was_quiescent),
		cmocka_unit_test(vcpus_never_use_freed_tables_nor_stale_rights_while_updates_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
