// SPDX-License-Identifier: GPL-2.0
/*
 * The guest platform's devices in the service partition, against the model
 * of hv (tests/model/service_hv.c), whose clock the tests move: the I/O
 * APIC (82093AA datasheet: edge and level pins, remote IRR, EOIs coming back
 * through eoi_pending), the 8259s (masked until programmed), the 8254, the
 * MC146818 RTC, the ACPI PM registers and timer, the reset register, and
 * the UART's interrupts, receive FIFO and flood limit. Interrupts are
 * observed as the HV_HC_IOREQ_RAISE_IRQ calls the service makes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>
#include <hv.h>
#include <hypercall.h>
#include <platform.h>
#include <service/service.h>
#include <tests/model/service_hv.h>

#define HZ 10000000ULL /* svc_tsc_hz in the model */
#define PIT_HZ 1193182ULL
#define RTE_LEVEL (1ULL << 15)
#define RTE_MASKED (1ULL << 16)
#define RTE_REMOTE_IRR (1ULL << 14)
#define RTE_LOGICAL (1ULL << 11)
#define RTE_POLARITY_LOW (1ULL << 13)

static struct service svc;
static struct channel *ch;

static int setup(void **state)
{
	model_reset();
	model.now = 1000;
	service_init(&svc, model.area, false);
	model_set_guest(0, 1, "linux", 2);
	service_scan(&svc);
	ch = &svc.channels[0];
	return 0;
}

/* ---- I/O APIC, through its MMIO registers ---- */

static void ioapic_set(unsigned int reg, uint32_t value)
{
	ioapic_write(ch, 0x00, 4, reg);
	ioapic_write(ch, 0x10, 4, value);
}

static uint32_t ioapic_get(unsigned int reg)
{
	ioapic_write(ch, 0x00, 4, reg);
	return (uint32_t)ioapic_read(ch, 0x10, 4);
}

static void route(unsigned int pin, uint64_t rte)
{
	ioapic_set(0x10 + 2 * pin + 1, rte >> 32);
	ioapic_set(0x10 + 2 * pin, (uint32_t)rte);
}

static unsigned int raised(void)
{
	return model_count(HV_HC_IOREQ_RAISE_IRQ);
}

static const struct model_call *raise_call(unsigned int i)
{
	return model_call(HV_HC_IOREQ_RAISE_IRQ, i);
}

static void guest_eoi(unsigned int vector)
{
	model_page(0)->eoi_pending[vector / 64] |= 1ULL << (vector % 64);
}

static void ioapic_reports_24_pins_version_0x20_and_its_id(void **state)
{
	assert_int_equal(ioapic_get(0x01), 0x170020);
	assert_int_equal(ioapic_get(0x00), HV_IOAPIC_ID << 24);
	ioapic_set(0x00, 0x0a000000);
	assert_int_equal(ioapic_get(0x00), 0x0a000000);
	ioapic_set(0x01, 0);
	assert_int_equal(ioapic_get(0x01), 0x170020); /* read-only */
	/* Every pin starts masked. */
	assert_int_equal(ioapic_get(0x10 + 2 * 23), RTE_MASKED);
}

static void edge_pin_raises_its_vector_on_rising_edges_only(void **state)
{
	route(4, 0x31 | (1ULL << 56));
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	assert_int_equal(raised(), 1);
	assert_int_equal(raise_call(0)->a0, 0); /* channel */
	assert_int_equal(raise_call(0)->a1, 0x31);
	assert_int_equal(raise_call(0)->a2, 1); /* APIC ID */
	assert_int_equal(raise_call(0)->a3, 0); /* edge */
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	assert_int_equal(raised(), 1);
	irq_set_isa_line(ch, HV_IRQ_COM1, false);
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	assert_int_equal(raised(), 2);
}

static void masked_pin_raises_nothing(void **state)
{
	route(4, 0x31 | RTE_MASKED);
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	assert_int_equal(raised(), 0);
}

static void irq_0_is_wired_to_pin_2(void **state)
{
	route(0, 0x30);
	route(2, 0x32);
	irq_set_isa_line(ch, HV_IRQ_PIT, true);
	assert_int_equal(raised(), 1);
	assert_int_equal(raise_call(0)->a1, 0x32);
}

static void level_pin_holds_remote_irr_until_the_guests_eoi(void **state)
{
	route(9, 0x41 | RTE_LEVEL);
	irq_set_isa_line(ch, HV_IRQ_SCI, true);
	assert_int_equal(raised(), 1);
	assert_int_equal(raise_call(0)->a3, HV_IRQ_LEVEL);
	assert_true(ioapic_get(0x10 + 18) & RTE_REMOTE_IRR);
	/* Still asserted, but remote IRR holds it back. */
	service_scan(&svc);
	assert_int_equal(raised(), 1);
	/* The EOI comes back through eoi_pending: the line is still high, so it raises again. */
	guest_eoi(0x41);
	service_scan(&svc);
	assert_int_equal(model_page(0)->eoi_pending[1], 0); /* the service cleared the bit */
	assert_int_equal(raised(), 2);
	assert_true(ioapic_get(0x10 + 18) & RTE_REMOTE_IRR);
	/* Deasserted, then EOI: remote IRR clears and nothing more is raised. */
	irq_set_isa_line(ch, HV_IRQ_SCI, false);
	guest_eoi(0x41);
	service_scan(&svc);
	assert_int_equal(raised(), 2);
	assert_false(ioapic_get(0x10 + 18) & RTE_REMOTE_IRR);
}

/* EOIs of vectors no pin waits on are another sender's (the test device's): left alone. */
static void eois_of_vectors_no_pin_waits_on_stay_pending(void **state)
{
	route(9, 0x41 | RTE_LEVEL);
	irq_set_isa_line(ch, HV_IRQ_SCI, true);
	guest_eoi(0x42);
	guest_eoi(0x80);
	guest_eoi(0x41);
	service_scan(&svc);
	assert_int_equal(model_page(0)->eoi_pending[1], 1ULL << (0x42 % 64));
	assert_int_equal(model_page(0)->eoi_pending[2], 1ULL << (0x80 % 64));
	assert_int_equal(raised(), 2); /* 0x41's EOI was the I/O APIC's: the pin raised again */
}

static void eoi_register_clears_remote_irr_too(void **state)
{
	route(9, 0x41 | RTE_LEVEL);
	irq_set_isa_line(ch, HV_IRQ_SCI, true);
	irq_set_isa_line(ch, HV_IRQ_SCI, false);
	ioapic_write(ch, 0x40, 4, 0x41);
	assert_false(ioapic_get(0x10 + 18) & RTE_REMOTE_IRR);
}

static void remote_irr_and_delivery_status_are_read_only(void **state)
{
	route(9, 0x41 | RTE_LEVEL | RTE_MASKED | RTE_REMOTE_IRR | (1ULL << 12));
	assert_false(ioapic_get(0x10 + 18) & (RTE_REMOTE_IRR | (1ULL << 12)));
}

static void unmasking_an_asserted_level_pin_raises_it(void **state)
{
	route(9, 0x41 | RTE_LEVEL | RTE_MASKED);
	irq_set_isa_line(ch, HV_IRQ_SCI, true);
	assert_int_equal(raised(), 0);
	route(9, 0x41 | RTE_LEVEL);
	assert_int_equal(raised(), 1);
}

static void active_low_pin_is_asserted_by_a_low_line(void **state)
{
	route(9, 0x41 | RTE_LEVEL | RTE_POLARITY_LOW);
	assert_int_equal(raised(), 1); /* the line is low */
	irq_set_isa_line(ch, HV_IRQ_SCI, true);
	guest_eoi(0x41);
	service_scan(&svc);
	assert_int_equal(raised(), 1);
}

static void logical_flat_destination_goes_to_the_lowest_apic_named(void **state)
{
	route(4, 0x31 | RTE_LOGICAL | (0x06ULL << 56));
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	assert_int_equal(raise_call(0)->a2, 1);
}

static void nonsense_programming_raises_nothing_and_is_reported_once(void **state)
{
	route(4, 0x05); /* vector 5 */
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	irq_set_isa_line(ch, HV_IRQ_COM1, false);
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	route(3, 0x33 | (4ULL << 8)); /* NMI delivery */
	irq_set_isa_line(ch, 3, true);
	assert_int_equal(raised(), 0);
	/* printf's lines go to the host's stdout here: the flags say they were printed. */
	assert_int_equal(ch->ioapic.nonsense_reported, 1U << 4 | 1U << 3);
	/* Garbage register indexes and access sizes are ignored. */
	ioapic_set(0x10 + 2 * 24, 0x31);
	ioapic_set(0xff, 0x31);
	ioapic_write(ch, 0x10, 2, 0xffff);
	assert_int_equal(ioapic_read(ch, 0x20, 4), 0);
}

static void refused_raise_is_reported_once_and_counted(void **state)
{
	model.result[HV_HC_IOREQ_RAISE_IRQ] = -HV_ENOENT;
	route(4, 0x31 | (7ULL << 56));
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	irq_set_isa_line(ch, HV_IRQ_COM1, false);
	irq_set_isa_line(ch, HV_IRQ_COM1, true);
	assert_int_equal(ch->irq_errors, 2);
}

/* ---- 8259 ---- */

static void pic_is_masked_until_programmed_then_delivers_base_plus_irq(void **state)
{
	assert_int_equal(pic_master_read(ch, 1, 1), 0xff);
	irq_set_isa_line(ch, 1, true);
	irq_set_isa_line(ch, 1, false);
	assert_int_equal(raised(), 0);
	pic_master_write(ch, 0, 1, 0x11); /* ICW1 with ICW4 */
	pic_master_write(ch, 1, 1, 0x20); /* ICW2: vectors 0x20.. */
	pic_master_write(ch, 1, 1, 0x04); /* ICW3 */
	pic_master_write(ch, 1, 1, 0x01); /* ICW4 */
	pic_master_write(ch, 1, 1, 0xfd); /* only IRQ 1 unmasked */
	assert_int_equal(pic_master_read(ch, 1, 1), 0xfd);
	irq_set_isa_line(ch, 1, true);
	assert_int_equal(raised(), 1);
	assert_int_equal(raise_call(0)->a1, 0x21);
	assert_int_equal(raise_call(0)->a2, 0);
	pic_master_write(ch, 0, 1, 0x0b); /* OCW3: read ISR */
	assert_int_equal(pic_master_read(ch, 0, 1), 0x02);
	pic_master_write(ch, 0, 1, 0x20); /* non-specific EOI */
	assert_int_equal(pic_master_read(ch, 0, 1), 0);
	elcr_write(ch, 0, 2, 0x0e00);
	assert_int_equal(elcr_read(ch, 0, 2), 0x0e00);
}

/* ---- 8254 ---- */

static void pit_rate_generator_raises_irq_0_every_period(void **state)
{
	route(2, 0x30);
	pit_write(ch, 3, 1, 0x34); /* counter 0, LSB then MSB, mode 2 */
	pit_write(ch, 0, 1, 0x9c);
	pit_write(ch, 0, 1, 0x2e); /* 11932: 100 Hz */
	assert_int_equal(service_deadline(&svc), 1000 + 11932 * HZ / PIT_HZ);
	model.now = 1000 + HZ / 100 - 100;
	service_scan(&svc);
	assert_int_equal(raised(), 0);
	model.now = 1000 + HZ / 100 + 10;
	service_scan(&svc);
	assert_int_equal(raised(), 1);
	/* Three periods late: one interrupt, and the next one on the period's grid. */
	model.now = 1000 + 4 * HZ / 100 + 10;
	service_scan(&svc);
	assert_int_equal(raised(), 2);
	assert_int_equal(service_deadline(&svc), 1000 + 5 * 11932 * HZ / PIT_HZ);
}

static void pit_interrupt_on_terminal_count_fires_once(void **state)
{
	route(2, 0x30);
	pit_write(ch, 3, 1, 0x30); /* mode 0 */
	pit_write(ch, 0, 1, 0x00);
	pit_write(ch, 0, 1, 0x10); /* 4096 */
	model.now += HZ;
	service_scan(&svc);
	model.now += HZ;
	service_scan(&svc);
	assert_int_equal(raised(), 1);
	assert_int_equal(service_deadline(&svc), 0);
}

static void pit_count_reads_down_and_latches(void **state)
{
	pit_write(ch, 3, 1, 0x34);
	pit_write(ch, 0, 1, 0xe8);
	pit_write(ch, 0, 1, 0x03); /* 1000 */
	model.now += 100 * HZ / PIT_HZ + 1; /* 100 input ticks */
	pit_write(ch, 3, 1, 0x00); /* latch counter 0 */
	model.now += HZ;
	assert_int_equal(pit_read(ch, 0, 1) | pit_read(ch, 0, 1) << 8, 900);
	/* Not latched: the count now. */
	assert_int_equal(pit_read(ch, 0, 1) | pit_read(ch, 0, 1) << 8,
			 1000 - (HZ + 100 * HZ / PIT_HZ + 1) * PIT_HZ / HZ % 1000);
}

static void pit_counter_2_output_shows_in_port_0x61(void **state)
{
	pit_write(ch, 3, 1, 0xb0); /* counter 2, LSB/MSB, mode 0 */
	pit_write(ch, 2, 1, 0xff);
	pit_write(ch, 2, 1, 0xff);
	pit_gate_write(ch, 0, 1, 0x01); /* gate on */
	assert_int_equal(pit_gate_read(ch, 0, 1) & 0x21, 0x01);
	model.now += HZ; /* 1.19 M ticks: past 65535 */
	assert_int_equal(pit_gate_read(ch, 0, 1) & 0x21, 0x21);
	/* Bit 4 toggles with each read (refresh). */
	assert_int_not_equal(pit_gate_read(ch, 0, 1) & 0x10, pit_gate_read(ch, 0, 1) & 0x10);
}

/* ---- RTC ---- */

static uint8_t cmos(unsigned int reg)
{
	rtc_write(ch, 0, 1, reg);
	return (uint8_t)rtc_read(ch, 1, 1);
}

static void cmos_set(unsigned int reg, uint8_t value)
{
	rtc_write(ch, 0, 1, reg);
	rtc_write(ch, 1, 1, value);
}

static void rtc_starts_at_2026_in_bcd_and_runs_with_the_tsc(void **state)
{
	assert_int_equal(cmos(0x09), 0x26);
	assert_int_equal(cmos(0x32), 0x20);
	assert_int_equal(cmos(0x08), 0x01);
	assert_int_equal(cmos(0x07), 0x01);
	assert_int_equal(cmos(0x06), 5); /* a Thursday */
	assert_int_equal(cmos(0x0d), 0x80); /* battery good */
	model.now += 3725 * HZ; /* 1 h 2 min 5 s */
	assert_int_equal(cmos(0x04), 0x01);
	assert_int_equal(cmos(0x02), 0x02);
	assert_int_equal(cmos(0x00), 0x05);
}

static void rtc_binary_and_12_hour_forms_follow_register_b(void **state)
{
	model.now += 13 * 3600 * HZ + 59 * HZ; /* 13:00:59 */
	cmos_set(0x0b, 0x04); /* binary, 12-hour */
	assert_int_equal(cmos(0x00), 59);
	assert_int_equal(cmos(0x04), 0x81); /* 1 PM */
	assert_int_equal(cmos(0x09), 26);
}

static void rtc_set_by_the_guest_keeps_running_from_there(void **state)
{
	cmos_set(0x09, 0x30); /* 2030 */
	cmos_set(0x08, 0x12);
	cmos_set(0x07, 0x31);
	cmos_set(0x04, 0x23);
	cmos_set(0x02, 0x59);
	cmos_set(0x00, 0x59);
	model.now += HZ;
	assert_int_equal(cmos(0x09), 0x31);
	assert_int_equal(cmos(0x08), 0x01);
	assert_int_equal(cmos(0x07), 0x01);
	assert_int_equal(cmos(0x00), 0x00);
}

static void rtc_update_in_progress_in_the_last_244_us_of_a_second(void **state)
{
	assert_int_equal(cmos(0x0a) & 0x80, 0);
	model.now += HZ - 100; /* 10 us before the second ends */
	assert_int_equal(cmos(0x0a) & 0x80, 0x80);
	model.now += 200;
	assert_int_equal(cmos(0x0a) & 0x80, 0);
}

static void cmos_ram_keeps_what_the_guest_writes(void **state)
{
	cmos_set(0x40, 0xa5);
	cmos_set(0x7f, 0x5a);
	assert_int_equal(cmos(0x40), 0xa5);
	assert_int_equal(cmos(0x7f), 0x5a);
	/* Index bit 7 is the NMI mask, not part of the index. */
	rtc_write(ch, 0, 1, 0x80 | 0x40);
	assert_int_equal(rtc_read(ch, 1, 1), 0xa5);
}

/* ---- ACPI PM ---- */

static void pm_timer_counts_at_3_579545_mhz(void **state)
{
	uint32_t t0 = (uint32_t)pm_read(ch, 8, 4);

	model.now += HZ;
	assert_int_equal((uint32_t)pm_read(ch, 8, 4) - t0, HV_PM_TIMER_HZ);
}

static void sci_en_is_always_set(void **state)
{
	assert_int_equal(pm_read(ch, 4, 2) & 1, 1);
	pm_write(ch, 4, 2, 0);
	assert_int_equal(pm_read(ch, 4, 2) & 1, 1);
}

static void slp_en_with_s5_powers_the_guest_off(void **state)
{
	pm_write(ch, 4, 2, HV_SLP_TYP_S5 << 10);
	assert_int_equal(model_count(HV_HC_PARTITION_EXIT), 0);
	pm_write(ch, 4, 2, HV_SLP_TYP_S5 << 10 | 1 << 13);
	assert_int_equal(model_count(HV_HC_PARTITION_EXIT), 1);
	assert_int_equal(model_call(HV_HC_PARTITION_EXIT, 0)->a0, 0);
	assert_int_equal(model_call(HV_HC_PARTITION_EXIT, 0)->a1, 0);
	assert_int_equal(model_call(HV_HC_PARTITION_EXIT, 0)->a2, HV_EXIT_BY_ACPI_POWEROFF);
}

static void other_sleep_types_do_nothing_but_say_so(void **state)
{
	pm_write(ch, 4, 2, 3 << 10 | 1 << 13);
	assert_int_equal(model_count(HV_HC_PARTITION_EXIT), 0);
	assert_true(ch->pm.sleep_reported);
}

static void reset_register_ends_the_guest_as_reset(void **state)
{
	reset_write(ch, 0, 1, 0x02);
	assert_int_equal(model_count(HV_HC_PARTITION_EXIT), 0);
	assert_int_equal(reset_read(ch, 0, 1), 0x02);
	reset_write(ch, 0, 1, HV_RESET_VALUE);
	assert_int_equal(model_call(HV_HC_PARTITION_EXIT, 0)->a2, HV_EXIT_BY_RESET);
}

/* ---- UART interrupts, input, flood ---- */

#define IER 1
#define IIR 2
#define MCR 4
#define LSR 5

static void com1_routed(void)
{
	route(4, 0x24);
	uart_write(ch, MCR, 1, 0x08); /* OUT2: the interrupt line is connected */
}

static void enabling_the_empty_interrupt_raises_irq_4_and_iir_read_clears_it(void **state)
{
	com1_routed();
	uart_write(ch, IER, 1, 0x02);
	assert_int_equal(raised(), 1);
	assert_int_equal(raise_call(0)->a1, 0x24);
	assert_int_equal(uart_read(ch, IIR, 1), 0x02);
	assert_int_equal(uart_read(ch, IIR, 1), 0x01);
	/* A byte sent: empty again, a new edge. */
	uart_write(ch, 0, 1, 'x');
	assert_int_equal(raised(), 2);
}

static void without_out2_the_line_stays_low(void **state)
{
	route(4, 0x24);
	uart_write(ch, IER, 1, 0x02);
	assert_int_equal(uart_read(ch, IIR, 1), 0x02);
	assert_int_equal(raised(), 0);
}

static void keystrokes_arrive_in_the_fifo_with_an_interrupt(void **state)
{
	com1_routed();
	uart_write(ch, IER, 1, 0x01);
	assert_true(service_wants_input(&svc));
	service_input(&svc, "ls\r", 3);
	assert_int_equal(raised(), 1);
	assert_int_equal(uart_read(ch, IIR, 1), 0x04);
	assert_int_equal(uart_read(ch, LSR, 1) & 0x01, 0x01);
	assert_int_equal(uart_read(ch, 0, 1), 'l');
	assert_int_equal(uart_read(ch, 0, 1), 's');
	assert_int_equal(uart_read(ch, 0, 1), '\r');
	assert_int_equal(uart_read(ch, LSR, 1) & 0x01, 0);
	assert_int_equal(uart_read(ch, IIR, 1), 0x01);
}

static void a_full_fifo_overruns_and_line_status_says_so_once(void **state)
{
	unsigned int i;

	for (i = 0; i < UART_RX_FIFO; i++)
		assert_true(uart_receive(ch, (uint8_t)i));
	assert_false(uart_receive(ch, 0xff));
	assert_int_equal(uart_read(ch, LSR, 1) & 0x03, 0x03);
	assert_int_equal(uart_read(ch, LSR, 1) & 0x03, 0x01);
	assert_int_equal(uart_read(ch, 0, 1), 0);
}

static void input_goes_to_the_first_guest_attached(void **state)
{
	model_set_guest(3, 1, "second", 1);
	service_scan(&svc);
	service_input(&svc, "a", 1);
	assert_int_equal(svc.channels[0].uart.rx_count, 1);
	assert_int_equal(svc.channels[3].uart.rx_count, 0);
	assert_false(service_wants_input(&svc)); /* nobody enabled receive interrupts */
}

static void loopback_sends_to_the_receiver_not_the_console(void **state)
{
	uart_write(ch, MCR, 1, 0x10);
	uart_write(ch, 0, 1, 'q');
	assert_int_equal(uart_read(ch, 0, 1), 'q');
	uart_flush(ch);
	assert_int_equal(model.console_len, 0);
}

static void a_flooding_guest_loses_the_rest_of_the_second(void **state)
{
	unsigned int i;

	for (i = 0; i < 70000; i++)
		uart_write(ch, 0, 1, i % 64 == 63 ? '\n' : 'x');
	assert_true(ch->uart.flood_reported);
	/* 64 KiB got through: 1024 lines of 63 x's; the partial line went out before the report. */
	assert_int_equal(model_count(HV_HC_CONSOLE_WRITE), 1024);
	model.now += HZ;
	uart_write(ch, 0, 1, 'y');
	uart_write(ch, 0, 1, '\n');
	assert_non_null(strstr(model.console, "[linux] y\n"));
}

/* The next guest on the channel gets fresh devices. */
static void a_new_guest_gets_reset_devices(void **state)
{
	route(4, 0x24);
	cmos_set(0x40, 1);
	model_set_guest(0, 2, "linux", 2);
	service_scan(&svc);
	model_set_guest(0, 3, "next", 1);
	service_scan(&svc);
	assert_int_equal(ioapic_get(0x10 + 8), RTE_MASKED);
	assert_int_equal(cmos(0x40), 0);
	assert_int_equal(pic_master_read(ch, 1, 1), 0xff);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ioapic_reports_24_pins_version_0x20_and_its_id),
		T(edge_pin_raises_its_vector_on_rising_edges_only),
		T(masked_pin_raises_nothing),
		T(irq_0_is_wired_to_pin_2),
		T(level_pin_holds_remote_irr_until_the_guests_eoi),
		T(eois_of_vectors_no_pin_waits_on_stay_pending),
		T(eoi_register_clears_remote_irr_too),
		T(remote_irr_and_delivery_status_are_read_only),
		T(unmasking_an_asserted_level_pin_raises_it),
		T(active_low_pin_is_asserted_by_a_low_line),
		T(logical_flat_destination_goes_to_the_lowest_apic_named),
		T(nonsense_programming_raises_nothing_and_is_reported_once),
		T(refused_raise_is_reported_once_and_counted),
		T(pic_is_masked_until_programmed_then_delivers_base_plus_irq),
		T(pit_rate_generator_raises_irq_0_every_period),
		T(pit_interrupt_on_terminal_count_fires_once),
		T(pit_count_reads_down_and_latches),
		T(pit_counter_2_output_shows_in_port_0x61),
		T(rtc_starts_at_2026_in_bcd_and_runs_with_the_tsc),
		T(rtc_binary_and_12_hour_forms_follow_register_b),
		T(rtc_set_by_the_guest_keeps_running_from_there),
		T(rtc_update_in_progress_in_the_last_244_us_of_a_second),
		T(cmos_ram_keeps_what_the_guest_writes),
		T(pm_timer_counts_at_3_579545_mhz),
		T(sci_en_is_always_set),
		T(slp_en_with_s5_powers_the_guest_off),
		T(other_sleep_types_do_nothing_but_say_so),
		T(reset_register_ends_the_guest_as_reset),
		T(enabling_the_empty_interrupt_raises_irq_4_and_iir_read_clears_it),
		T(without_out2_the_line_stays_low),
		T(keystrokes_arrive_in_the_fifo_with_an_interrupt),
		T(a_full_fifo_overruns_and_line_status_says_so_once),
		T(input_goes_to_the_first_guest_attached),
		T(loopback_sends_to_the_receiver_not_the_console),
		T(a_flooding_guest_loses_the_rest_of_the_second),
		T(a_new_guest_gets_reset_devices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
