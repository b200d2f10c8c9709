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

#define GUEST_NAME_SIZE sizeof(((struct hv_ioreq_page *)0)->name)

#define UART_PORTS 8U
#define UART_LINE_LEN 160U /* as long as hv's own guest console lines were */

/* A 16550 at COM1, transmit side only: bytes go to hv's console line by line. */
struct uart {
	uint8_t ier; /* kept for the guest: there is no interrupt line */
	uint8_t lcr;
	uint8_t mcr;
	uint8_t scr;
	uint8_t dll, dlm; /* the divisor latch */
	bool fifo_enabled; /* FCR bit 0, which IIR shows */
	uint32_t line_len;
	char line[UART_LINE_LEN]; /* transmitted, not yet written to hv's console */
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
	char name[GUEST_NAME_SIZE]; /* NUL-terminated */
	/* The attached guest's state, reset when another one comes: */
	bool exit_requested; /* HV_HC_PARTITION_EXIT succeeded: hv may refuse completions */
	bool ring_broken_reported;
	uint64_t stray_accesses; /* accesses no device took */
	const struct device *last_device; /* the device the last access went to */
	struct uart uart;
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

/* uart.c */

void uart_reset(struct uart *uart);
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
