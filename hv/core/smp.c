// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/isolation.h>
#include <hv/core/lapic.h>
#include <hv/core/lazy_state.h>
#include <hv/core/mce.h>
#include <hv/core/mm.h>
#include <hv/core/percpu.h>
#include <hv/core/platform.h>
#include <hv/core/run.h>
#include <hv/core/smp.h>
#include <hv/lib/string.h>
#include <hv/vmx/vmx.h>
#include <x86/hw.h>

#define AP_START_TIMEOUT_US 200000
#define AP_START_MIN 0x1000ULL
#define AP_START_MAX (1 * MiB)

struct ap_start_params {
	u64 cr3;
	u64 stack_top;
	struct percpu *cpu;
	void (*entry)(struct percpu *cpu);
};

extern const char ap_start[], ap_start_end[], ap_start_params[];

static void ap_main(struct percpu *cpu)
{
	percpu_setup(cpu);
	lapic_init();
	lazy_state_cpu_init();
	isolation_cpu_init();
	mce_cpu_init();
	if (vmx_cpu_enable(cpu))
		panic("VMX cannot be enabled on CPU %u", cpu->cpu_id);
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	run_start();
}

/* A usable page below 1 MiB for the start-up code (SIPI vectors address pages there). */
static u64 find_start_page(const struct boot_info *bi)
{
	u64 page;
	u32 i;

	for (page = AP_START_MIN; page < AP_START_MAX; page += PAGE_SIZE) {
		for (i = 0; i < bi->nr_mem_ranges; i++) {
			const struct boot_mem_range *r = &bi->mem[i];

			if (r->type == BOOT_MEM_USABLE && page >= r->base &&
			    page + PAGE_SIZE <= r->base + r->length)
				return page;
		}
	}
	return 0;
}

static bool start_cpu(u64 page, struct percpu *cpu)
{
	struct ap_start_params *params = phys_to_virt(page + (ap_start_params - ap_start));
	u32 waited;

	*params = (struct ap_start_params){ mm_root(), cpu->stack_top, cpu, ap_main };
	lapic_start_ap(cpu->apic_id, (u8)(page >> PAGE_SHIFT));
	for (waited = 0; waited < AP_START_TIMEOUT_US; waited += 100) {
		if (__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE))
			return true;
		udelay(100);
	}
	return false;
}

void smp_boot(const struct boot_info *bi, u32 max_cpus)
{
	u32 bsp = lapic_id(), i;
	u64 page = find_start_page(bi);

	if (platform.nr_cpus > 1 && (!page || mm_root() >= 4 * GiB)) {
		printk("hv: no place below 1 MiB for the AP start-up code: running on one CPU\n");
		return;
	}
	if (platform.nr_cpus > 1)
		memcpy(phys_to_virt(page), ap_start, ap_start_end - ap_start);
	for (i = 0; i < platform.nr_cpus && nr_cpus < MIN(max_cpus, MAX_CPUS); i++) {
		struct percpu *cpu = &percpu_area[nr_cpus];

		if (platform.apic_ids[i] == bsp)
			continue;
		cpu->cpu_id = nr_cpus;
		cpu->apic_id = platform.apic_ids[i];
		cpu->stack_top = stack_alloc(HV_STACK_PAGES);
		if (!start_cpu(page, cpu)) {
			printk("hv: CPU with APIC ID %u did not start\n", cpu->apic_id);
			continue;
		}
		nr_cpus++;
	}
}
