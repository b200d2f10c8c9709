// SPDX-License-Identifier: GPL-2.0
/*
 * hv's life: bring up the machine, then run the boot plan: the guest modules
 * placed on CPUs of their own (hv.cpus) all at once, the others in fresh
 * partitions one after another; power off when all are done.
 */
#include <boot/boot_info.h>
#include <hv/core/cmdline.h>
#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/isolation.h>
#include <hv/core/lapic.h>
#include <hv/core/lazy_state.h>
#include <hv/core/mce.h>
#include <hv/core/mm.h>
#include <hv/core/partition.h>
#include <hv/core/percpu.h>
#include <hv/core/platform.h>
#include <hv/core/run.h>
#include <hv/core/smp.h>
#include <hv/core/spinlock.h>
#include <hv/core/trap.h>
#include <hv/ioreq/ioreq.h>
#include <hv/lib/string.h>
#include <hv/vmx/vmx.h>

#define MAX_RESULTS BOOT_MAX_MODULES
#define SERVICE_DEFAULT_MEM (32 * MiB)

struct guest_result {
	char name[PARTITION_NAME_LEN];
	const char *outcome;
	int exit_code;
};

static const struct boot_info *boot;
static u32 next_module;
static struct guest_result results[MAX_RESULTS];
static u32 nr_results;
/* Partitions end on any CPU: the boot plan's state changes under this lock. */
static struct spinlock plan_lock = SPINLOCK_INIT;
static u32 placed_running; /* guests started at once (hv.cpus) still running */
static bool chain_done; /* every guest started one after another has ended */

extern char __image_start[], __image_end[];

static void add_result(const char *name, const char *outcome, int exit_code)
{
	if (nr_results == MAX_RESULTS)
		return;
	strlcpy(results[nr_results].name, name, sizeof(results[0].name));
	results[nr_results].outcome = outcome;
	results[nr_results].exit_code = exit_code;
	nr_results++;
}

static void finish(void)
{
	u32 i;

	printk("hv: all guests finished:\n");
	for (i = 0; i < nr_results; i++) {
		if (results[i].exit_code >= 0)
			printk("hv:   %-20s %s, exit code %d\n", results[i].name,
			       results[i].outcome, results[i].exit_code);
		else
			printk("hv:   %-20s %s\n", results[i].name, results[i].outcome);
	}
	platform_poweroff();
}

static bool module_overlaps_hv(const struct boot_module *m)
{
	return m->start < virt_to_phys(__image_end) && virt_to_phys(__image_start) < m->end;
}

/* Adds the modules meant for guest @name (hv.for=NAME) to @cfg. */
static void attach_modules(struct partition_config *cfg, const char *name)
{
	/* Their strings must last until partition_create() copied them. */
	static struct module_options opts[BOOT_MAX_MODULES];
	char bad[64];
	u32 i;

	for (i = 0; i < boot->nr_modules && cfg->nr_modules < MAX_GUEST_MODULES; i++) {
		const struct boot_module *m = &boot->modules[i];

		if (module_options_parse(m->cmdline, &opts[i], bad, sizeof(bad)) ||
		    strcmp(opts[i].for_guest, name) || module_overlaps_hv(m))
			continue;
		cfg->modules[cfg->nr_modules++] =
			(struct guest_module){ phys_to_virt(m->start), m->end - m->start,
					       opts[i].guest_cmdline };
	}
}

/* The partition a kernel module describes; false (said why) if the module is unusable. */
static bool module_config(u32 index, struct module_options *mo, enum partition_kind kind,
			  struct partition_config *cfg)
{
	const struct boot_module *m = &boot->modules[index];

	if (module_overlaps_hv(m) || m->end <= m->start) {
		printk("hv: %s: module is empty or overlaps hv's image: not started\n", mo->name);
		add_result(mo->name, "not started: bad module", -1);
		return false;
	}
	*cfg = (struct partition_config){
		.name = mo->name,
		.kind = kind,
		.ram_size = mo->mem		      ? mo->mem :
			    kind == PARTITION_SERVICE ? SERVICE_DEFAULT_MEM :
							hv_options.guest_mem,
		.nr_vcpus = kind == PARTITION_SERVICE ? 1 : mo->vcpus,
		.ept_max_level = mo->ept_max_level,
		.cpus = mo->cpus,
		.no_apicv = mo->no_apicv,
		.hv_mem = mo->hv_mem,
		.pmu = mo->pmu,
		.image = phys_to_virt(m->start),
		.image_len = m->end - m->start,
		.cmdline = mo->guest_cmdline,
	};
	attach_modules(cfg, mo->name);
	return true;
}

static bool is_service_module(const struct module_options *mo)
{
	return hv_options.service[0] && !strcmp(mo->name, hv_options.service);
}

/*
 * The service partition comes first: it emulates the guests' devices. hv
 * runs guests without it if there is none, but then their devices (their
 * console included) do not exist.
 */
static void start_service(void)
{
	static struct module_options mo;
	struct partition_config cfg;
	char bad[64];
	u32 i;

	if (!hv_options.service[0]) {
		printk("hv: no service partition (service=NAME): guests get no devices, "
		       "not even a console\n");
		return;
	}
	for (i = 0; i < boot->nr_modules; i++) {
		if (module_options_parse(boot->modules[i].cmdline, &mo, bad, sizeof(bad)) ||
		    !is_service_module(&mo))
			continue;
		if (module_config(i, &mo, PARTITION_SERVICE, &cfg) && !partition_create(&cfg))
			add_result(mo.name, "not started: see above", -1);
		return;
	}
	printk("hv: the service partition's module '%s' is missing: guests get no devices\n",
	       hv_options.service);
}

/* Modules that are guests: not the service partition, not a guest's data module. */
static u32 nr_guest_modules(void)
{
	static struct module_options mo;
	char bad[64];
	u32 i, n = 0;

	for (i = 0; i < boot->nr_modules; i++)
		n += module_options_parse(boot->modules[i].cmdline, &mo, bad, sizeof(bad)) ||
		     (!mo.for_guest[0] && !is_service_module(&mo));
	return n;
}

/* Starts the next guest module that can be started; powers off after the last. */
static void launch_next_guest(void)
{
	static struct module_options mo;

	while (next_module < boot->nr_modules) {
		u32 index = next_module++;
		struct partition_config cfg;
		char bad[64];

		if (module_options_parse(boot->modules[index].cmdline, &mo, bad, sizeof(bad))) {
			printk("hv: module %u: bad option '%s' in '%s'\n", index, bad,
			       boot->modules[index].cmdline);
			add_result(boot->modules[index].cmdline, "not started: bad module options",
				   -1);
			continue;
		}
		if (mo.for_guest[0] || is_service_module(&mo) || mo.cpus)
			continue;
		/* Without its service partition a guest could not even say how it ended. */
		if (ioreq_service_lost()) {
			printk("hv: %s: not started: the service partition stopped earlier\n",
			       mo.name);
			add_result(mo.name, "not started: no service partition", -1);
			continue;
		}
		if (!module_config(index, &mo, PARTITION_GUEST, &cfg))
			continue;
		if (partition_create(&cfg))
			return;
		add_result(mo.name, "not started: see above", -1);
	}
	chain_done = true;
	if (!placed_running)
		finish();
}

/* Starts every guest module placed on CPUs of its own (hv.cpus): they run side by side. */
static void launch_placed_guests(void)
{
	static struct module_options mo;
	u32 i;

	for (i = 0; i < boot->nr_modules; i++) {
		struct partition_config cfg;
		char bad[64];

		if (module_options_parse(boot->modules[i].cmdline, &mo, bad, sizeof(bad)) ||
		    !mo.cpus || mo.for_guest[0] || is_service_module(&mo) ||
		    !module_config(i, &mo, PARTITION_GUEST, &cfg))
			continue;
		if (partition_create(&cfg))
			placed_running++;
		else
			add_result(mo.name, "not started: see above", -1);
	}
}

void on_partition_dead(struct partition *p)
{
	spin_lock(&plan_lock);
	add_result(p->name, p->stop_reason, p->exit_code);
	if (p->kind == PARTITION_GUEST && !p->cpus)
		launch_next_guest();
	else if (p->kind == PARTITION_GUEST && !--placed_running && chain_done)
		finish();
	spin_unlock(&plan_lock);
}

static void print_modules(const struct boot_info *bi)
{
	u32 i;

	for (i = 0; i < bi->nr_modules; i++)
		printk("hv: module %u: '%s' at 0x%llx, %llu bytes\n", i, bi->modules[i].cmdline,
		       (unsigned long long)bi->modules[i].start,
		       (unsigned long long)(bi->modules[i].end - bi->modules[i].start));
	if (bi->mem_truncated)
		printk("hv: the memory map has more ranges than the %u hv keeps: the rest are unused\n",
		       BOOT_MAX_MEM_RANGES);
	if (bi->modules_dropped)
		printk("hv: %u modules beyond the first %u are ignored\n", bi->modules_dropped,
		       BOOT_MAX_MODULES);
}

void hv_main(struct boot_info *bi)
{
	struct percpu *bsp = &percpu_area[0];
	bool fatal = false;
	char bad[64];

	boot = bi;
	printk("\nhv: booting, loader '%s', command line '%s'\n", bi->loader, bi->cmdline);
	print_modules(bi);
	mm_init(bi);
	idt_init();
	bsp->stack_top = stack_alloc(HV_STACK_PAGES);
	percpu_setup(bsp);
	platform_init(bi);
	lapic_init();
	bsp->apic_id = lapic_id();
	tsc_calibrate();
	lazy_state_cpu_init();
	printk("hv: %llu MiB free for guests, %u CPU(s) in the MADT, TSC %llu kHz\n",
	       (unsigned long long)(frames.nr_free * PAGE_SIZE / MiB), platform.nr_cpus,
	       (unsigned long long)tsc_khz);
	/* Every problem with the input is reported before the machine's. */
	if (cmdline_parse(bi->cmdline, &hv_options, bad, sizeof(bad))) {
		printk("hv: unknown or malformed option '%s' on hv's command line\n", bad);
		fatal = true;
	}
	if (!nr_guest_modules()) {
		printk("hv: no guest modules were given: nothing to run\n");
		fatal = true;
	}
	if (vmx_probe())
		fatal = true;
	vmx_exit_table_init();
	vmx_cpuid_init();
	trap_irq_init();
	run_init();
	if (fatal) {
		printk("hv: cannot run guests; powering off\n");
		platform_poweroff();
	}
	isolation_probe();
	isolation_cpu_init();
	mce_cpu_init();
	if (vmx_cpu_enable(bsp))
		panic("VMX cannot be enabled on the boot CPU");
	bsp->online = true;
	smp_boot(bi, hv_options.max_cpus);
	printk("hv: %u CPU(s) in VMX root operation\n", nr_cpus);
	ioreq_init(hv_options.ioreq_timeout_ms);
	start_service();
	spin_lock(&plan_lock);
	launch_placed_guests();
	launch_next_guest();
	spin_unlock(&plan_lock);
	run_start();
}
