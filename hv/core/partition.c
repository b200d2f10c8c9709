// SPDX-License-Identifier: GPL-2.0
#include <boot/boot_info.h>
#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/feature.h>
#include <hv/core/partition.h>
#include <hv/core/platform.h>
#include <hv/core/run.h>
#include <hv/core/sched.h>
#include <hv/core/vcpu.h>
#include <hv/core/spinlock.h>
#include <hv/lib/string.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
#include <public/hv.h>
#include <public/hypercall.h>
#include <x86/hw.h>

#define RAM_CHUNK_ALIGN (2 * MiB)
#define IO_BITMAP_PAGES 2
/* Frames a vCPU's structures may take: VMCS, XSAVE area, the features' pages. */
#define VCPU_HV_FRAMES 16U
/* The MSR and I/O bitmaps, and EPT tables for slots other than RAM. */
#define PARTITION_HV_FRAMES 32U

static struct partition partitions[MAX_PARTITIONS];
static struct vcpu vcpu_pool[MAX_PARTITIONS * MAX_VCPUS_PER_PARTITION];
static struct spinlock partitions_lock = SPINLOCK_INIT;
static u32 next_partition_id = 1;

static struct partition *partition_slot(void)
{
	struct partition *p = NULL;
	u32 i;

	spin_lock(&partitions_lock);
	for (i = 0; i < MAX_PARTITIONS; i++) {
		if (!partitions[i].id) {
			p = &partitions[i];
			memset(p, 0, sizeof(*p));
			p->id = next_partition_id++;
			break;
		}
	}
	spin_unlock(&partitions_lock);
	return p;
}

static struct vcpu *vcpu_slot(void)
{
	struct vcpu *v = NULL;
	u32 i;

	spin_lock(&partitions_lock);
	for (i = 0; i < ARRAY_SIZE(vcpu_pool); i++) {
		if (!vcpu_pool[i].partition) {
			v = &vcpu_pool[i];
			memset(v, 0, sizeof(*v));
			/* VPIDs are pool positions + 1: unique among live vCPUs, never 0. */
			v->vpid = (u16)(i + 1);
			break;
		}
	}
	spin_unlock(&partitions_lock);
	return v;
}

static void free_ram(struct partition *p)
{
	u32 i;

	for (i = 0; i < p->ept.nr_slots; i++) {
		const struct mem_slot *s = &p->ept.slots[i];

		if (s->hpa && !s->lent)
			frame_free(s->hpa, s->size / PAGE_SIZE);
	}
}

/*
 * Backs guest RAM [gpa, gpa + size) with host frames, as few contiguous
 * chunks as the allocator gives, each a memory slot. Huge EPT pages need
 * backing aligned to their size: chunks are 1 GiB-aligned when they can
 * be, else 2 MiB-aligned. The frames are zeroed: nothing of an earlier
 * guest survives.
 */
static int alloc_ram_range(struct partition *p, u64 gpa, u64 size)
{
	u64 end = gpa + size, chunk = size;

	while (gpa < end) {
		u64 align, hpa;

		chunk = MIN(chunk, end - gpa);
		align = chunk >= GiB && IS_ALIGNED(gpa, GiB) ? GiB : RAM_CHUNK_ALIGN;
		hpa = frame_alloc(chunk / PAGE_SIZE, align);
		if (!hpa && align > RAM_CHUNK_ALIGN)
			hpa = frame_alloc(chunk / PAGE_SIZE, RAM_CHUNK_ALIGN);
		if (!hpa) {
			if (chunk <= RAM_CHUNK_ALIGN)
				return -1;
			chunk = ALIGN_UP(chunk / 2, RAM_CHUNK_ALIGN);
			continue;
		}
		memset(phys_to_virt(hpa), 0, chunk);
		if (ept_add_slot(&p->ept, &(struct mem_slot){ .gpa = gpa,
							      .size = chunk,
							      .hpa = hpa,
							      .type = EPT_TYPE_RAM_RW })) {
			frame_free(hpa, chunk / PAGE_SIZE);
			return -1;
		}
		gpa += chunk;
	}
	return 0;
}

/* RAM below the MMIO window, then what does not fit there above 4 GiB. */
static int alloc_ram(struct partition *p, u64 size)
{
	if (alloc_ram_range(p, 0, loader_low_ram(size)))
		return -1;
	return size > loader_low_ram(size) ?
		       alloc_ram_range(p, HV_MMIO_WINDOW_END, size - loader_low_ram(size)) :
		       0;
}

/*
 * Guests: every access to the MMIO window exits (claimed ranges go to the
 * service), except the local APIC's page, which hv/apic maps.
 */
static int add_mmio_window(struct partition *p)
{
	return ept_add_slot(&p->ept,
			    &(struct mem_slot){ .gpa = HV_MMIO_WINDOW_START,
						.size = HV_LOCAL_APIC_GPA - HV_MMIO_WINDOW_START,
						.type = EPT_TYPE_MMIO }) ||
	       ept_add_slot(&p->ept, &(struct mem_slot){ .gpa = HV_LOCAL_APIC_GPA + PAGE_SIZE,
							 .size = HV_MMIO_WINDOW_END -
								 HV_LOCAL_APIC_GPA - PAGE_SIZE,
							 .type = EPT_TYPE_MMIO });
}

static void write_guest_ram(void *ctx, u64 gpa, const void *src, u64 len)
{
	ept_write_guest(ctx, gpa, src, len);
}

/* Copies the image in with the boot protocol it asks for (hv/loader/loader.h). */
static int load_image(struct partition *p, const struct partition_config *cfg,
		      struct guest_start *start)
{
	const struct loader_input in = { p->name,	cfg->image,   cfg->image_len,
					 cfg->cmdline,	cfg->modules, cfg->nr_modules,
					 cfg->nr_vcpus, cfg->ram_size };
	const struct guest_ram ram = { &p->ept, write_guest_ram };
	enum boot_protocol protocol;
	const char *error;

	if (loader_load(&in, &ram, start, &protocol, &error)) {
		printk("hv: %s: cannot load the guest image: %s\n", p->name, error);
		return -1;
	}
	printk("hv: %s: %s image, %zu bytes\n", p->name, boot_protocol_name(protocol),
	       cfg->image_len);
	return 0;
}

/* Undoes the partition_init of the first @n features, last first. */
static void destroy_features(struct partition *p, u32 n)
{
	while (n--) {
		const struct feature *f = &__start_hv_features[n];

		if (f->partition_destroy)
			f->partition_destroy(p);
	}
}

static void free_vcpu(struct vcpu *v)
{
	u32 n = v->features_ready;

	while (n--) {
		const struct feature *f = &__start_hv_features[n];

		if (f->vcpu_destroy)
			f->vcpu_destroy(v);
	}
	vmx_vcpu_free(v);
	WRITE_ONCE(v->partition, NULL);
}

static void free_partition(struct partition *p)
{
	u32 i;

	for (i = 0; i < p->nr_vcpus; i++)
		free_vcpu(p->vcpus[i]);
	ept_destroy(&p->ept);
	free_ram(p);
	if (p->msr_bitmap)
		frame_free_charged(&p->hv_frames, virt_to_phys(p->msr_bitmap), 1);
	if (p->io_bitmap)
		frame_free_charged(&p->hv_frames, virt_to_phys(p->io_bitmap), IO_BITMAP_PAGES);
	WRITE_ONCE(p->id, 0);
}

/*
 * A guest's vCPU i lives on CPU i (mod the CPUs), or with hv.cpus on the
 * (i mod n)-th of its n CPUs; the service's on the last CPU.
 */
static struct percpu *home_cpu(enum partition_kind kind, u64 cpus, u32 vcpu_id)
{
	u64 left;
	u32 n = 0;

	if (kind == PARTITION_SERVICE)
		return &percpu_area[nr_cpus - 1];
	if (!cpus)
		return &percpu_area[vcpu_id % nr_cpus];
	for (left = cpus; left; left &= left - 1)
		n++;
	for (n = vcpu_id % n; n; n--)
		cpus &= cpus - 1;
	return &percpu_area[__builtin_ctzll(cpus)];
}

/* The CPUs the vCPUs live on: those that may cache the partition's EPT translations. */
static u64 home_cpus(const struct partition_config *cfg)
{
	u64 mask = 0;
	u32 i;

	for (i = 0; i < cfg->nr_vcpus; i++)
		mask |= BIT(home_cpu(cfg->kind, cfg->cpus, i)->cpu_id);
	return mask;
}

/*
 * The default bound on the frames hv allocates for a partition: EPT tables
 * mapping all its RAM with 4 KiB pages, twice (a split allocates before the
 * old tables are retired), its page-type arrays, and fixed per-vCPU and
 * per-partition structures. A guest that needs more is stopped, not hv.
 */
static u64 default_hv_frames(const struct partition_config *cfg)
{
	u64 tables = ALIGN_UP(cfg->ram_size, 2 * MiB) / (2 * MiB) +
		     ALIGN_UP(cfg->ram_size, GiB) / GiB + EPT_LEVELS;
	u64 types = ALIGN_UP(cfg->ram_size / PAGE_SIZE, PAGE_SIZE) / PAGE_SIZE + 1;

	return 2 * tables + types + PARTITION_HV_FRAMES + cfg->nr_vcpus * VCPU_HV_FRAMES;
}

/* Frames for the MSR and I/O bitmaps; false without memory. */
static bool alloc_bitmaps(struct partition *p)
{
	u64 msr = frame_alloc_charged(&p->hv_frames, 1, PAGE_SIZE);
	u64 io = frame_alloc_charged(&p->hv_frames, IO_BITMAP_PAGES, PAGE_SIZE);

	if (msr)
		p->msr_bitmap = phys_to_virt(msr);
	if (io)
		p->io_bitmap = memset(phys_to_virt(io), 0xff, IO_BITMAP_PAGES * PAGE_SIZE);
	if (!msr || !io)
		return false;
	/* The service's syscall MSRs are emulated: switching to it leaves a guest's in place. */
	vmx_msr_bitmap_init(p->msr_bitmap, p->kind == PARTITION_GUEST);
	return true;
}

/* vCPU 0 starts as the boot protocol says; the others wait to be started. */
static struct vcpu *create_vcpu(struct partition *p, u32 id, const struct guest_start *start)
{
	struct vcpu *v = vcpu_slot();
	const struct feature *f;

	if (!v)
		return NULL;
	v->partition = p;
	v->id = id;
	v->home = home_cpu(p->kind, p->cpus, id);
	v->host_stack_top = v->home->stack_top;
	if (id == 0) {
		v->start = *start;
		v->gpr[GPR_RAX] = start->rax;
		v->gpr[GPR_RBX] = start->rbx;
		v->gpr[GPR_RSI] = start->rsi;
	}
	/* The others wait for the first to start them (INIT-SIPI, hv/apic). */
	v->state = id == 0 ? VCPU_RUNNABLE : VCPU_WAIT_FOR_SIPI;
	p->vcpus[p->nr_vcpus++] = v;
	if (vmx_vcpu_alloc(v))
		return NULL;
	for_each_feature(f) {
		if (f->vcpu_init && f->vcpu_init(v))
			return NULL;
		v->features_ready++;
	}
	return v;
}

static const char *ept_page_size_name(unsigned int level)
{
	return level == 3 ? "1G" : level == 2 ? "2M" : "4K";
}

/* Why @p cannot start; memory it lacks is hv's or its bound's. */
static void not_started(const struct partition *p, const char *why)
{
	if (p->hv_frames.refused)
		printk("hv: %s: not started: %s: its bound of hv memory (%llu KiB, hv.hvmem=) "
		       "is too small\n",
		       p->name, why, (unsigned long long)(p->hv_frames.limit * PAGE_SIZE / KiB));
	else
		printk("hv: %s: not started: %s\n", p->name, why);
}

struct partition *partition_create(const struct partition_config *cfg)
{
	struct partition *p = partition_slot();
	const struct feature *f;
	struct guest_start start;
	u32 i;

	if (!p) {
		printk("hv: %s: not started: no free partition slot (at most %u)\n", cfg->name,
		       MAX_PARTITIONS);
		return NULL;
	}
	strlcpy(p->name, cfg->name, sizeof(p->name));
	p->kind = cfg->kind;
	p->pmu = cfg->pmu;
	p->ram_size = cfg->ram_size;
	p->no_apicv = cfg->no_apicv;
	p->hv_frames.limit = cfg->hv_mem ? cfg->hv_mem / PAGE_SIZE : default_hv_frames(cfg);
	p->exit_code = -1;
	p->state = PARTITION_RUNNING;
	if (!cfg->nr_vcpus || cfg->nr_vcpus > MAX_VCPUS_PER_PARTITION) {
		printk("hv: %s: not started: %u vCPUs asked, 1..%u possible\n", p->name,
		       cfg->nr_vcpus, MAX_VCPUS_PER_PARTITION);
		goto fail;
	}
	if (nr_cpus < 64 && (cfg->cpus >> nr_cpus)) {
		printk("hv: %s: not started: hv.cpus names a CPU hv does not run on (%u CPUs)\n",
		       p->name, nr_cpus);
		goto fail;
	}
	p->cpus = cfg->cpus;
	if (ept_init(&p->ept, cfg->ept_max_level, home_cpus(cfg), &p->hv_frames)) {
		not_started(p, "no memory for its EPT");
		goto fail;
	}
	if (alloc_ram(p, cfg->ram_size)) {
		printk("hv: %s: not started: not enough memory for %llu MiB of guest RAM\n",
		       p->name, (unsigned long long)(cfg->ram_size / MiB));
		goto fail;
	}
	if (load_image(p, cfg, &start))
		goto fail;
	if ((p->kind == PARTITION_GUEST && add_mmio_window(p)) || !alloc_bitmaps(p)) {
		not_started(p, "no memory for its address space");
		goto fail;
	}
	for (i = 0; i < cfg->nr_vcpus; i++) {
		if (!create_vcpu(p, i, &start)) {
			not_started(p, "no memory for a vCPU");
			goto fail;
		}
	}
	for_each_feature(f) {
		if (f->partition_init && f->partition_init(p))
			goto fail;
		p->features_ready++;
	}
	p->live_vcpus = p->nr_vcpus;
	p->refs = 1;
	p->started_tsc = rdtsc();
	printk("hv: partition %u '%s': %llu MiB RAM, %u vCPU(s), EPT pages up to %s, entry 0x%llx\n",
	       p->id, p->name, (unsigned long long)(p->ram_size / MiB), p->nr_vcpus,
	       ept_page_size_name(p->ept.max_level), (unsigned long long)start.rip);
	for (i = 0; i < p->nr_vcpus; i++)
		sched_add(p->vcpus[i]);
	return p;

fail:
	destroy_features(p, p->features_ready);
	free_partition(p);
	return NULL;
}

/* Waits only another vCPU of its partition could end, with no such event pending. */
static bool waits_for_its_partition(struct vcpu *v)
{
	enum vcpu_state s = READ_ONCE(v->state);

	return (s == VCPU_BLOCKED_HLT_NO_INTR || s == VCPU_WAIT_FOR_SIPI) &&
	       !vcpu_event_pending(v, s);
}

/*
 * Sound without a lock: a vCPU that could still send an NMI, INIT or SIPI
 * is running, so not in either state, and a sender records its event
 * before it wakes the target (vcpu_event_pending() sees it).
 */
void partition_check_unwakeable(struct vcpu *v)
{
	struct partition *p = v->partition;
	u32 i;

	for (i = 0; i < p->nr_vcpus; i++)
		if (!waits_for_its_partition(p->vcpus[i]))
			return;
	printk("hv: %s: every vCPU waits where nothing can wake it:", p->name);
	for (i = 0; i < p->nr_vcpus; i++) {
		if (READ_ONCE(p->vcpus[i]->state) == VCPU_WAIT_FOR_SIPI)
			printk(" vCPU %u waits for a SIPI;", i);
		else
			printk(" vCPU %u halted with interrupts disabled at rip 0x%llx;", i,
			       (unsigned long long)p->vcpus[i]->halt_rip);
	}
	printk(" no NMI, INIT or SIPI can come\n");
	partition_stop(p, "every vCPU waits where nothing can wake it", -1);
}

void partition_stop(struct partition *p, const char *reason, int exit_code)
{
	enum partition_state running = PARTITION_RUNNING;
	u32 i;

	if (!__atomic_compare_exchange_n(&p->state, &running, PARTITION_STOPPING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	p->stop_reason = reason;
	p->exit_code = exit_code;
	for (i = 0; i < p->nr_vcpus; i++)
		if (!vcpu_stop(p->vcpus[i]))
			sched_kick(p->vcpus[i]->home, PERCPU_WORK_RETIRE);
}

u64 partition_per_second(const struct partition *p, u64 count)
{
	u64 ms = (rdtsc() - p->started_tsc) / (tsc_khz ? tsc_khz : 1);

	return ms ? count * 1000 / ms : 0;
}

static void report(struct partition *p)
{
	const struct feature *f;
	u64 ms = (rdtsc() - p->started_tsc) / (tsc_khz ? tsc_khz : 1);

	if (p->exit_code >= 0)
		printk("hv: partition %u '%s' stopped: %s, exit code %d (%llu ms)\n", p->id,
		       p->name, p->stop_reason, p->exit_code, (unsigned long long)ms);
	else
		printk("hv: partition %u '%s' stopped: %s (%llu ms)\n", p->id, p->name,
		       p->stop_reason, (unsigned long long)ms);
	vmx_print_exit_counts(p);
	ept_print_stats(&p->ept, p->name);
	for_each_feature(f)
		if (f->report)
			f->report(p);
}

/* Partitions whose last vCPU retired, waiting to be torn down (partition_reap()). */
static struct partition *dead_partitions;

void partition_vcpu_gone(struct partition *p)
{
	if (__atomic_sub_fetch(&p->live_vcpus, 1, __ATOMIC_ACQ_REL))
		return;
	spin_lock(&partitions_lock);
	p->next_dead = dead_partitions;
	dead_partitions = p;
	spin_unlock(&partitions_lock);
	sched_kick(this_cpu(), PERCPU_WORK_REAP);
}

void partition_reap(void)
{
	for (;;) {
		struct partition *p;

		spin_lock(&partitions_lock);
		p = dead_partitions;
		if (p)
			dead_partitions = p->next_dead;
		spin_unlock(&partitions_lock);
		if (!p)
			return;
		p->state = PARTITION_DEAD;
		report(p);
		destroy_features(p, p->features_ready);
		on_partition_dead(p);
		partition_put(p);
	}
}

void partition_get(struct partition *p)
{
	__atomic_fetch_add(&p->refs, 1, __ATOMIC_ACQUIRE);
}

bool partition_tryget(struct partition *p)
{
	u32 refs = __atomic_load_n(&p->refs, __ATOMIC_ACQUIRE);

	do {
		if (!refs)
			return false;
	} while (!__atomic_compare_exchange_n(&p->refs, &refs, refs + 1, false, __ATOMIC_ACQUIRE,
					      __ATOMIC_ACQUIRE));
	return true;
}

void partition_put(struct partition *p)
{
	if (!__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL))
		free_partition(p);
}
