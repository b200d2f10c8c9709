// SPDX-License-Identifier: GPL-2.0
#include <boot/boot_info.h>
#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/lapic.h>
#include <hv/core/mm.h>
#include <hv/core/percpu.h>
#include <hv/core/platform.h>
#include <hv/core/trap.h>

void hv_main(struct boot_info *bi)
{
	printk("\nhv: booting, loader '%s', command line '%s'\n", bi->loader, bi->cmdline);
	mm_init(bi);
	idt_init();
	percpu_setup(&percpu_area[0]);
	platform_init(bi);
	lapic_init();
	tsc_calibrate();
	printk("hv: %llu MiB free, %u CPUs in the MADT, TSC %llu kHz\n",
	       (unsigned long long)(frames.nr_free * PAGE_SIZE / MiB), platform.nr_cpus,
	       (unsigned long long)tsc_khz);
	platform_poweroff();
}
