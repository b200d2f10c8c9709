/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The service partition: it emulates the guest partitions' devices for hv
 * (include/public/ioreq.h). The channel scan (channel.c) takes requests from
 * hv's shared memory and hands each access to the device table (device.c):
 * the UART (uart.c), the debug-exit port and the test device (testdev.c).
 * These parts reach hv only through svc_hypercall() and the channel memory
 * hv gives, so host tests run them against a model of both
 * (tests/model/service_hv.c); main.c, console.c and hypercall.c are the
 * parts only the real kernel has.
 */
#ifndef SERVICE_SERVICE_H
#define SERVICE_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ioreq.h>
#include <platform.h>
#include <testdev.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * hv writes the channel memory whenever it likes: each shared field is read
 * once into a local copy, which is what gets judged and used. The ioreq.h
 * ordering is acquire on reading a state or pointer, release on writing
 * one: plain moves on x86, kept in order by the compiler.
 */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* The bits of an access of @size bytes (1, 2, 4 or 8). */
static inline uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/*
 * hv's hypercall (include/public/hypercall.h): the result, or -HV_E*. The
 * one way to hv: VMCALL in the kernel (hypercall.c), a model in host tests.
 */
long svc_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

/* HV_TESTDEV_BAD_CRASH: the service triple faults (main.c; a model in host tests). */
void service_crash(void);

/*
 * Time: the TSC, which every partition shares (hv writes no TSC offset),
 * and its rate from CPUID leaf 0x15 (hv/loader/cpuid_timing.c). main.c
 * reads both from the CPU; host tests set a model clock.
 */
uint64_t svc_now(void);
extern uint64_t svc_tsc_hz;

/* @ticks of a @hz clock in TSC ticks, and back (no overflow for 2^64 / 2^32 TSC ticks). */
static inline uint64_t svc_ticks_to_tsc(uint64_t ticks, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)ticks * svc_tsc_hz / hz);
}

static inline uint64_t svc_tsc_to_ticks(uint64_t tsc, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)tsc * hz / svc_tsc_hz);
}

#define GUEST_NAME_SIZE sizeof(((struct hv_ioreq_page *)0)->name)

#define UART_PORTS 8U
#define UART_LINE_LEN 160U /* as long as hv's own guest console lines were */
#define UART_IER_RDI 0x01 /* the interrupt enable for received data */

#define UART_RX_FIFO 16U

/*
 * A 16550 at COM1 (IRQ 4): transmitted bytes go to hv's console line by
 * line; received ones (hv's console input, service_input()) wait in the
 * receive FIFO. Interrupts: received data, transmitter empty, line status.
 */
struct uart {
	uint8_t ier;
	uint8_t lcr;
	uint8_t mcr;
	uint8_t scr;
	uint8_t lsr_errors; /* overrun, reported once by a read of LSR */
	uint8_t dll, dlm; /* the divisor latch */
	bool fifo_enabled; /* FCR bit 0, which IIR shows */
	bool thre_pending; /* the transmitter-empty interrupt, until IIR shows it or THR is written */
	bool irq_line; /* the level on IRQ 4 last time (edges raise the interrupt) */
	uint8_t rx[UART_RX_FIFO];
	uint32_t rx_head, rx_count;
	uint64_t tx_bytes; /* for the flood check: bytes transmitted ... */
	uint64_t tx_window_start; /* ... since this TSC */
	bool flood_reported;
	uint32_t line_len;
	char line[UART_LINE_LEN]; /* transmitted, not yet written to hv's console */
};

/*
 * The I/O APIC (Intel 82093AA datasheet; the ICH's version 0x20 with its EOI
 * register): 24 redirection entries, edge and level, remote IRR.
 */
struct ioapic {
	uint32_t index; /* IOREGSEL */
	uint32_t id;
	uint64_t redir[HV_IOAPIC_PINS];
	uint32_t line; /* the pins' input levels */
	uint32_t nonsense_reported; /* pins whose bad programming was reported */
};

/* The 8259 pair (Intel 8259A): masked until the guest programs it. */
struct pic {
	uint8_t imr, irr, isr;
	uint8_t base; /* ICW2: the vector of IRQ 0 */
	uint8_t init_step; /* 0: ready; 1..3: waiting for ICW2..ICW4 */
	bool icw4_needed;
	bool read_isr; /* OCW3: port 0 reads ISR instead of IRR */
	bool initialized;
	uint8_t elcr;
};

/* One 8254 counter. */
struct pit_channel {
	uint16_t reload; /* the count written; 0 counts 65536 */
	uint8_t mode;
	uint8_t access; /* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool write_msb_next, read_msb_next;
	bool latched;
	uint16_t latch;
	bool status_latched;
	uint8_t status;
	bool counting; /* a count was written (and the gate is high) */
	uint64_t start; /* TSC when counting started */
	uint64_t next_irq; /* channel 0: the TSC of the next interrupt, 0: none */
};

struct pit {
	struct pit_channel ch[3];
	bool gate2; /* port 0x61 bit 0 */
	bool speaker; /* port 0x61 bit 1 */
	bool refresh; /* port 0x61 bit 4, toggled by each read */
};

#define RTC_REGISTERS 128U

/* The MC146818 RTC and its CMOS memory. */
struct rtc {
	uint8_t index;
	bool nmi_disabled; /* port 0x70 bit 7, kept for the guest */
	uint8_t cmos[RTC_REGISTERS]; /* 0x0a.. and the RAM; the clock registers are computed */
	uint64_t base_seconds; /* the time at base_tsc, seconds since 1970 */
	uint64_t base_tsc;
	bool unsupported_reported;
};

/* ACPI fixed hardware (platform.h): PM1 event and control registers, the PM timer. */
struct pm {
	uint16_t pm1_sts, pm1_en, pm1_cnt;
	uint64_t timer_base; /* TSC at which the PM timer read 0 */
	uint8_t reset_control; /* port 0xcf9 */
	bool sleep_reported;
};

/* The test device (include/public/testdev.h). */
struct testdev_wp_entry {
	uint64_t gpa;
	uint64_t value;
};

struct testdev {
	uint8_t scratch[HV_TESTDEV_CMD]; /* the port scratch bytes */
	uint32_t command; /* the last one written */
	uint32_t arg; /* argument, then the command's result */
	bool wp_apply; /* forwarded writes: APPLY (true) or DROP */
	bool wp_race; /* disclaim the page type before answering the next forwarded write */
	uint32_t misbehave; /* HV_TESTDEV_BAD_* for the guest's next request (channel.c), 0: none */
	uint64_t mmio_requests;
	uint64_t wp_count; /* every logged write, also past the log's end */
	uint8_t mmio_scratch[HV_TESTDEV_MMIO_SCRATCH_SIZE];
	struct testdev_wp_entry wp_log[HV_TESTDEV_WP_LOG];
};

/* One guest partition's channel: where hv's pages are, and that guest's devices. */
struct device;

struct channel {
	unsigned int id; /* hv's channel number, which the hypercalls name */
	bool testing; /* hv runs with "testing": the guest has the test device */
	struct hv_ioreq_page *page;
	struct hv_ioreq_ring *ring;
	uint32_t generation; /* the page's, as last seen; odd: a guest is attached */
	/* Taken from the page header when the guest was attached: */
	uint32_t nr_vcpus; /* slots in use, at most HV_IOREQ_MAX_VCPUS */
	bool shares_service_cpu; /* a vCPU of the guest runs on the service's CPU */
	char name[GUEST_NAME_SIZE]; /* NUL-terminated */
	/* The attached guest's state, reset when another one comes: */
	bool exit_requested; /* HV_HC_PARTITION_EXIT succeeded: hv may refuse completions */
	bool ring_broken_reported;
	uint64_t stray_accesses; /* accesses no device took */
	const struct device *last_device; /* the device the last access went to */
	struct uart uart;
	struct ioapic ioapic;
	struct pic pic[2]; /* master, slave */
	struct pit pit;
	struct rtc rtc;
	struct pm pm;
	uint64_t irq_errors; /* RAISE_IRQ calls hv refused */
	struct testdev testdev;
};

struct service {
	struct channel channels[HV_IOREQ_MAX_CHANNELS];
};

/* channel.c */

/*
 * @area: the channels, where HV_HC_IOREQ_REGISTER said (mapped in the caller).
 * @testing: hv runs with "testing" (HV_FEATURE_TESTING): only then do guests
 * get the test device, whose commands make the service misbehave on purpose.
 */
void service_init(struct service *svc, void *area, bool testing);
/*
 * Handles what hv left in every channel. Returns whether there was any work:
 * call it again until there is none, since hv may add work meanwhile.
 */
bool service_scan(struct service *svc);
/*
 * Polls the channels until one has work, which it handles at once, or the
 * TSC reaches @until; whether there was work. It polls only while no
 * attached guest has a vCPU on the service's CPU, whose time the poll would
 * take: false at once otherwise.
 */
bool service_poll(struct service *svc, uint64_t until);
/*
 * The earliest TSC at which a device's timer needs the service (0: none):
 * main.c waits for work until then (HV_HC_IOREQ_WAIT's deadline).
 */
uint64_t service_deadline(const struct service *svc);
/* Whether a guest's UART takes input (receive interrupts on): hv's console is then polled. */
bool service_wants_input(const struct service *svc);
/* Keystrokes from hv's console for the guest that gets them (the first one attached). */
void service_input(struct service *svc, const char *bytes, size_t len);

/* device.c */

/* A device range: claimed at start, then every access inside it goes to read() or write(). */
struct device {
	const char *name;
	uint8_t kind; /* HV_IOREQ_PIO or HV_IOREQ_MMIO */
	uint64_t base;
	uint64_t size; /* ports or bytes */
	uint32_t claim_flags; /* HV_IOREQ_CLAIM_* */
	bool testing_only; /* there only when hv runs with "testing" */
	/* @offset from base; the access lies inside the range. */
	uint64_t (*read)(struct channel *ch, uint64_t offset, unsigned int size);
	void (*write)(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
};

extern const struct device devices[];
extern const size_t nr_devices;

/* Whether guests have @dev: a test-only device exists only when hv runs with "testing". */
static inline bool device_present(const struct device *dev, bool testing)
{
	return testing || !dev->testing_only;
}

/* One access of @size bytes by the guest of @ch; reads return only @size bytes. */
uint64_t device_read(struct channel *ch, uint8_t kind, uint64_t addr, unsigned int size);
void device_write(struct channel *ch, uint8_t kind, uint64_t addr, unsigned int size,
		  uint64_t value);
/* Counts an access nothing can take (@what says why); the guest's first one is reported. */
void device_stray(struct channel *ch, const char *what, uint8_t kind, uint64_t addr,
		  unsigned int size);

/* irq.c: interrupt lines, through the I/O APIC (or the 8259s) to HV_HC_IOREQ_RAISE_IRQ */

void irq_reset(struct channel *ch);
/* ISA IRQ @irq's line goes to @level (ISA interrupts are edge-triggered: a rising edge). */
void irq_set_isa_line(struct channel *ch, unsigned int irq, bool level);
/* Handles the guest's EOIs of level-triggered vectors hv reported (eoi_pending). */
bool irq_handle_eois(struct channel *ch);
/* Whether hv reported any EOI in @page's eoi_pending: the common case is none. */
static inline bool eoi_reported(const struct hv_ioreq_page *page)
{
	return READ_ONCE(page->eoi_pending[0]) | READ_ONCE(page->eoi_pending[1]) |
	       READ_ONCE(page->eoi_pending[2]) | READ_ONCE(page->eoi_pending[3]);
}

/* Whether eoi_pending has an EOI irq_handle_eois() would handle. */
bool irq_eois_waiting(const struct channel *ch);
uint64_t ioapic_read(struct channel *ch, uint64_t offset, unsigned int size);
void ioapic_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
uint64_t pic_master_read(struct channel *ch, uint64_t offset, unsigned int size);
void pic_master_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
uint64_t pic_slave_read(struct channel *ch, uint64_t offset, unsigned int size);
void pic_slave_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
uint64_t elcr_read(struct channel *ch, uint64_t offset, unsigned int size);
void elcr_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);

/* pit.c */

void pit_reset(struct pit *pit);
uint64_t pit_read(struct channel *ch, uint64_t offset, unsigned int size);
void pit_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
uint64_t pit_gate_read(struct channel *ch, uint64_t offset, unsigned int size);
void pit_gate_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
/* Raises IRQ 0 for a period that ended by @now; returns the next one's TSC (0: none). */
uint64_t pit_run(struct channel *ch, uint64_t now);

/* rtc.c */

void rtc_reset(struct rtc *rtc, uint64_t now);
uint64_t rtc_read(struct channel *ch, uint64_t offset, unsigned int size);
void rtc_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);

/* pm.c: ACPI PM registers, the PM timer and the reset register */

void pm_reset(struct pm *pm, uint64_t now);
uint64_t pm_read(struct channel *ch, uint64_t offset, unsigned int size);
void pm_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
uint64_t reset_read(struct channel *ch, uint64_t offset, unsigned int size);
void reset_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);

/* uart.c */

void uart_reset(struct uart *uart);
/* A byte arrives on the receive line; false when the FIFO was full (an overrun). */
bool uart_receive(struct channel *ch, uint8_t byte);
uint64_t uart_read(struct channel *ch, uint64_t offset, unsigned int size);
void uart_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
/* Writes out the line being assembled, if it is not empty. */
void uart_flush(struct channel *ch);

/* testdev.c */

void testdev_reset(struct testdev *dev);
uint64_t testdev_port_read(struct channel *ch, uint64_t offset, unsigned int size);
void testdev_port_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
uint64_t testdev_mmio_read(struct channel *ch, uint64_t offset, unsigned int size);
void testdev_mmio_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value);
/* A write to an ioreq-server page: logged; returns HV_IOREQ_WP_APPLY or _DROP. */
uint64_t testdev_wp_write(struct channel *ch, uint64_t gpa, uint64_t value);

#endif /* SERVICE_SERVICE_H */
