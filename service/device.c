// SPDX-License-Identifier: GPL-2.0
/*
 * The devices every guest gets, the ranges main.c claims for them, and
 * where an access goes. The test device exists only when hv runs with
 * "testing": its commands make the service answer wrongly or crash on
 * purpose, which no guest may do to the others otherwise. hv forwards only
 * claimed ranges, yet whatever arrives elsewhere is answered like an empty
 * bus (reads all-ones, writes ignored) and counted.
 */
#include <stdio.h>
#include <hv.h>
#include <hypercall.h>
#include "service.h"

#define DEBUG_EXIT_PORTS 4U /* an OUTL to the port stays inside the claim */

static const char *const kind_names[] = {
	[HV_IOREQ_PIO] = "port",
	[HV_IOREQ_MMIO] = "MMIO",
	[HV_IOREQ_WP] = "page write",
};

static uint64_t debug_exit_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	(void)ch;
	(void)offset;
	return size_mask(size);
}

/*
 * A write of V to the port ends the guest with exit code V & 0xff (writes
 * to the three ports after it are ignored). The order:
 *  1. the guest's partial console line, so it comes before hv's report;
 *  2. HV_HC_PARTITION_EXIT, while the OUT is still pending: completed
 *     first, it would let the guest run on and end some other way;
 *  3. back in slot_answer(), the OUT is completed only if the channel is
 *     still this guest's and the slot still IN_PROCESS: by then hv may
 *     have taken the slot back or given the channel to the next guest.
 *     hv ignores or refuses that completion; a refusal is not reported.
 */
static void debug_exit_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	long ret;

	(void)size;
	if (offset)
		return;
	uart_flush(ch);
	ret = svc_hypercall(HV_HC_PARTITION_EXIT, ch->id, value & 0xff, HV_EXIT_BY_DEBUG_PORT, 0);
	if (ret < 0)
		printf("service: [%s] HV_HC_PARTITION_EXIT(%u, %llu) failed: %ld\n", ch->name,
		       ch->id, (unsigned long long)(value & 0xff), ret);
	else
		ch->exit_requested = true;
}

const struct device devices[] = {
	{
		.name = "COM1 (16550 UART)",
		.kind = HV_IOREQ_PIO,
		.base = HV_CONSOLE_PORT,
		.size = UART_PORTS,
		.claim_flags = HV_IOREQ_CLAIM_BUFFERED,
		.read = uart_read,
		.write = uart_write,
	},
	{
		.name = "debug-exit port",
		.kind = HV_IOREQ_PIO,
		.base = HV_DEBUG_EXIT_PORT,
		.size = DEBUG_EXIT_PORTS,
		.read = debug_exit_read,
		.write = debug_exit_write,
	},
	{
		.name = "I/O APIC",
		.kind = HV_IOREQ_MMIO,
		.base = HV_IOAPIC_BASE,
		.size = HV_IOAPIC_SIZE,
		.read = ioapic_read,
		.write = ioapic_write,
	},
	{
		.name = "8259 master",
		.kind = HV_IOREQ_PIO,
		.base = HV_PIC_MASTER_PORT,
		.size = 2,
		.read = pic_master_read,
		.write = pic_master_write,
	},
	{
		.name = "8259 slave",
		.kind = HV_IOREQ_PIO,
		.base = HV_PIC_SLAVE_PORT,
		.size = 2,
		.read = pic_slave_read,
		.write = pic_slave_write,
	},
	{
		.name = "8259 edge/level control",
		.kind = HV_IOREQ_PIO,
		.base = HV_PIC_ELCR_PORT,
		.size = 2,
		.read = elcr_read,
		.write = elcr_write,
	},
	{
		.name = "8254 PIT",
		.kind = HV_IOREQ_PIO,
		.base = HV_PIT_PORT,
		.size = 4,
		.read = pit_read,
		.write = pit_write,
	},
	{
		.name = "PIT gate and speaker (port 0x61)",
		.kind = HV_IOREQ_PIO,
		.base = HV_PIT_GATE_PORT,
		.size = 1,
		.read = pit_gate_read,
		.write = pit_gate_write,
	},
	{
		.name = "RTC and CMOS",
		.kind = HV_IOREQ_PIO,
		.base = HV_RTC_PORT,
		.size = 2,
		.read = rtc_read,
		.write = rtc_write,
	},
	{
		.name = "ACPI PM registers and timer",
		.kind = HV_IOREQ_PIO,
		.base = HV_PM_BASE,
		.size = HV_PM_PORTS,
		.read = pm_read,
		.write = pm_write,
	},
	{
		.name = "reset control (0xcf9)",
		.kind = HV_IOREQ_PIO,
		.base = HV_RESET_PORT,
		.size = 1,
		.read = reset_read,
		.write = reset_write,
	},
	{
		.name = "test device ports",
		.kind = HV_IOREQ_PIO,
		.base = HV_TESTDEV_PORT,
		.size = HV_TESTDEV_PORTS,
		.claim_flags = HV_IOREQ_CLAIM_BUFFERED,
		.testing_only = true,
		.read = testdev_port_read,
		.write = testdev_port_write,
	},
	{
		.name = "test device MMIO",
		.kind = HV_IOREQ_MMIO,
		.base = HV_TESTDEV_MMIO,
		.size = HV_TESTDEV_MMIO_SIZE,
		.testing_only = true,
		.read = testdev_mmio_read,
		.write = testdev_mmio_write,
	},
};

const size_t nr_devices = ARRAY_SIZE(devices);

static bool device_holds(const struct device *dev, const struct channel *ch, uint8_t kind,
			 uint64_t addr, unsigned int size)
{
	uint64_t offset = addr - dev->base; /* huge when addr is below base */

	return dev->kind == kind && offset < dev->size && size <= dev->size - offset &&
	       device_present(dev, ch->testing);
}

/*
 * The device of @ch's guest whose range holds all of [addr, addr + size),
 * or NULL. A guest's accesses come in runs to one device: the last one
 * found is tried first.
 */
static const struct device *device_find(struct channel *ch, uint8_t kind, uint64_t addr,
					unsigned int size)
{
	size_t i;

	if (ch->last_device && device_holds(ch->last_device, ch, kind, addr, size))
		return ch->last_device;
	for (i = 0; i < nr_devices; i++) {
		if (device_holds(&devices[i], ch, kind, addr, size)) {
			ch->last_device = &devices[i];
			return &devices[i];
		}
	}
	return NULL;
}

void device_stray(struct channel *ch, const char *what, uint8_t kind, uint64_t addr,
		  unsigned int size)
{
	const char *kind_name = kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "unknown";

	if (ch->stray_accesses++)
		return;
	printf("service: [%s] %s: %s %#llx, %u bytes (further ones are only counted)\n", ch->name,
	       what, kind_name, (unsigned long long)addr, size);
}

uint64_t device_read(struct channel *ch, uint8_t kind, uint64_t addr, unsigned int size)
{
	const struct device *dev = device_find(ch, kind, addr, size);

	if (!dev) {
		device_stray(ch, "read where no device is", kind, addr, size);
		return size_mask(size);
	}
	return dev->read(ch, addr - dev->base, size) & size_mask(size);
}

void device_write(struct channel *ch, uint8_t kind, uint64_t addr, unsigned int size,
		  uint64_t value)
{
	const struct device *dev = device_find(ch, kind, addr, size);

	if (!dev) {
		device_stray(ch, "write where no device is", kind, addr, size);
		return;
	}
	dev->write(ch, addr - dev->base, size, value & size_mask(size));
}
