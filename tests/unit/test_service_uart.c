// SPDX-License-Identifier: GPL-2.0
/*
 * The service partition's COM1 model (service/uart.c): registers, DLAB,
 * and the console lines "[<guest>] <line>" the test harness parses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>
#include <hv.h>
#include <hypercall.h>
#include <service/service.h>
#include <tests/model/service_hv.h>

#define THR 0
#define DLL 0
#define IER 1
#define DLM 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

static struct service svc;
static struct channel *ch;

static int setup(void **state)
{
	model_reset();
	service_init(&svc, model.area, true);
	model_set_guest(0, 1, "t-uart", 1);
	service_scan(&svc);
	ch = &svc.channels[0];
	return 0;
}

static void out_bytes(const char *s)
{
	for (; *s; s++)
		uart_write(ch, THR, 1, (uint8_t)*s);
}

static void transmitted_line_gets_guest_name_prefix(void **state)
{
	out_bytes("PASS: x\n");
	assert_string_equal(model.console, "[t-uart] PASS: x\n");
	assert_int_equal(model_count(HV_HC_CONSOLE_WRITE), 1);
}

static void line_goes_out_only_at_newline(void **state)
{
	out_bytes("abc");
	assert_int_equal(model_count(HV_HC_CONSOLE_WRITE), 0);
	out_bytes("def\n");
	assert_string_equal(model.console, "[t-uart] abcdef\n");
}

static void carriage_returns_are_dropped(void **state)
{
	out_bytes("one\r\ntwo\r\n\r");
	assert_string_equal(model.console, "[t-uart] one\n[t-uart] two\n");
}

static void empty_line_is_name_and_space(void **state)
{
	out_bytes("\n");
	assert_string_equal(model.console, "[t-uart] \n");
}

static void full_buffer_ends_the_line(void **state)
{
	char expect[2 * UART_LINE_LEN];
	unsigned int i;

	for (i = 0; i < UART_LINE_LEN + 3; i++)
		uart_write(ch, THR, 1, 'a' + i % 26);
	assert_int_equal(model_count(HV_HC_CONSOLE_WRITE), 1);
	strcpy(expect, "[t-uart] ");
	for (i = 0; i < UART_LINE_LEN; i++)
		expect[strlen("[t-uart] ") + i] = 'a' + i % 26;
	strcpy(expect + strlen("[t-uart] ") + UART_LINE_LEN, "\n");
	assert_string_equal(model.console, expect);
	uart_flush(ch);
	assert_string_equal(model.console + strlen(expect), "[t-uart] efg\n");
}

static void flush_writes_only_a_partial_line(void **state)
{
	uart_flush(ch);
	assert_int_equal(model_count(HV_HC_CONSOLE_WRITE), 0);
	out_bytes("tail");
	uart_flush(ch);
	uart_flush(ch);
	assert_string_equal(model.console, "[t-uart] tail\n");
}

static void dlab_routes_ports_0_and_1_to_the_divisor_latch(void **state)
{
	uart_write(ch, IER, 1, 0x05);
	uart_write(ch, LCR, 1, LCR_DLAB | LCR_8N1);
	uart_write(ch, DLL, 1, 0x0c);
	uart_write(ch, DLM, 1, 0x01);
	assert_int_equal(uart_read(ch, DLL, 1), 0x0c);
	assert_int_equal(uart_read(ch, DLM, 1), 0x01);
	assert_int_equal(model_count(HV_HC_CONSOLE_WRITE), 0);
	uart_write(ch, LCR, 1, LCR_8N1);
	assert_int_equal(uart_read(ch, LCR, 1), LCR_8N1);
	/* DLAB clear: IER again, and port 0 transmits. */
	assert_int_equal(uart_read(ch, IER, 1), 0x05);
	out_bytes("x\n");
	assert_string_equal(model.console, "[t-uart] x\n");
	uart_write(ch, LCR, 1, LCR_DLAB);
	assert_int_equal(uart_read(ch, DLL, 1), 0x0c);
}

static void lsr_always_has_thre_and_temt_and_no_data(void **state)
{
	assert_int_equal(uart_read(ch, LSR, 1), 0x60);
	out_bytes("busy");
	assert_int_equal(uart_read(ch, LSR, 1), 0x60);
	uart_write(ch, LSR, 1, 0x00);
	assert_int_equal(uart_read(ch, LSR, 1), 0x60);
	/* Nothing is ever received: RBR reads 0. */
	assert_int_equal(uart_read(ch, THR, 1), 0);
}

static void iir_says_no_interrupt_and_shows_fifo_enable(void **state)
{
	assert_int_equal(uart_read(ch, IIR, 1), 0x01);
	uart_write(ch, FCR, 1, 0x07);
	assert_int_equal(uart_read(ch, IIR, 1), 0xc1);
	uart_write(ch, FCR, 1, 0x00);
	assert_int_equal(uart_read(ch, IIR, 1), 0x01);
}

static void ier_mcr_scr_msr_read_back_as_a_16550s(void **state)
{
	uart_write(ch, IER, 1, 0xff);
	assert_int_equal(uart_read(ch, IER, 1), 0x0f);
	uart_write(ch, MCR, 1, 0xff);
	assert_int_equal(uart_read(ch, MCR, 1), 0x1f);
	/* Loopback: MSR shows DTR, RTS, OUT1 and OUT2 as DSR, CTS, RI and DCD. */
	assert_int_equal(uart_read(ch, MSR, 1), 0xf0);
	uart_write(ch, MCR, 1, 0x10 | 0x0a);
	assert_int_equal(uart_read(ch, MSR, 1), 0x90); /* what Linux's 8250 probe wants */
	uart_write(ch, MCR, 1, 0);
	uart_write(ch, SCR, 1, 0x5a);
	assert_int_equal(uart_read(ch, SCR, 1), 0x5a);
	assert_int_equal(uart_read(ch, MSR, 1), 0xb0);
}

static void wide_access_covers_consecutive_registers(void **state)
{
	/* OUTW to THR: 'A' transmitted, 0x03 into IER. */
	uart_write(ch, THR, 2, 0x0341);
	assert_int_equal(uart_read(ch, IER, 1), 0x03);
	/* LCR, MCR, LSR, MSR */
	assert_int_equal(uart_read(ch, LCR, 4), 0xb0600000);
	uart_flush(ch);
	assert_string_equal(model.console, "[t-uart] A\n");
}

static void reset_forgets_registers(void **state)
{
	uart_write(ch, SCR, 1, 0x77);
	uart_write(ch, LCR, 1, LCR_DLAB);
	uart_reset(&ch->uart);
	assert_int_equal(uart_read(ch, SCR, 1), 0);
	assert_int_equal(uart_read(ch, LCR, 1), 0);
}

#define UART_TEST(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		UART_TEST(transmitted_line_gets_guest_name_prefix),
		UART_TEST(line_goes_out_only_at_newline),
		UART_TEST(carriage_returns_are_dropped),
		UART_TEST(empty_line_is_name_and_space),
		UART_TEST(full_buffer_ends_the_line),
		UART_TEST(flush_writes_only_a_partial_line),
		UART_TEST(dlab_routes_ports_0_and_1_to_the_divisor_latch),
		UART_TEST(lsr_always_has_thre_and_temt_and_no_data),
		UART_TEST(iir_says_no_interrupt_and_shows_fifo_enable),
		UART_TEST(ier_mcr_scr_msr_read_back_as_a_16550s),
		UART_TEST(wide_access_covers_consecutive_registers),
		UART_TEST(reset_forgets_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
