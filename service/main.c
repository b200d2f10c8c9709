// SPDX-License-Identifier: GPL-2.0
/*
 * The service partition's kernel: it registers with hv as the ioreq server,
 * claims the ranges of the devices it emulates (device.c), then serves the
 * channels (channel.c), polling them a while, then waiting in
 * HV_HC_IOREQ_WAIT while hv has no new work for it. A failure to set up is
 * fatal: exit code HV_EXIT_ABORT.
 */
#include <stdio.h>
#include <hv.h>
#include <hypercall.h>
#include "libguest.h"
#include "service.h"

#define IDENTITY_MAP_END (4ULL << 30) /* lib/entry.S maps 0..4 GiB */

#define CPUID_LEAF_TSC 0x15U
#define CONSOLE_POLL_HZ 50U /* how often hv's console is asked for keystrokes */
/*
 * How long the service polls its channels for more work before it waits
 * in hv, when no guest shares its CPU: a guest's next device access often
 * comes within a few microseconds of the last answer.
 */
#define POLL_US 100U

static struct service service;
uint64_t svc_tsc_hz;

uint64_t svc_now(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The TSC rate from CPUID leaf 0x15, which hv fills (hv/loader/cpuid_timing.c). */
static void read_tsc_rate(void)
{
	uint32_t eax, ebx, ecx, edx;

	__asm__ __volatile__("cpuid"
			     : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
			     : "a"(CPUID_LEAF_TSC), "c"(0));
	if (!eax || !ebx || !ecx) {
		printf("service: CPUID 0x15 gives no TSC rate; giving up\n");
		guest_exit(HV_EXIT_ABORT);
	}
	svc_tsc_hz = (uint64_t)ecx * ebx / eax;
	printf("service: TSC at %llu kHz\n", (unsigned long long)(svc_tsc_hz / 1000));
}

/* The earlier of two TSC deadlines, 0 meaning none. */
static uint64_t earlier(uint64_t a, uint64_t b)
{
	return a && (!b || a < b) ? a : b;
}

/* Keystrokes typed on hv's console go to the guest that takes input. */
static void read_console_input(void)
{
	static char buf[HV_CONSOLE_READ_MAX];
	long n = svc_hypercall(HV_HC_CONSOLE_READ, (uintptr_t)buf, sizeof(buf), 0, 0);

	if (n > 0)
		service_input(&service, buf, (size_t)n);
}

/* What the HV_E* codes mean (include/public/hypercall.h). */
static const char *hv_error_meaning(long err)
{
	switch (-err) {
	case HV_EPERM:
		return "not allowed: is this the service partition?";
	case HV_ENOENT:
		return "no such vCPU, partition or range";
	case HV_ENOMEM:
		return "hv ran out of memory";
	case HV_EBUSY:
		return "the object's state does not allow it";
	case HV_EINVAL:
		return "bad argument";
	case HV_ENOSYS:
		return "hv does not know this hypercall";
	case HV_EOPNOTSUPP:
		return "the CPU lacks what the call needs";
	default:
		return "unknown error";
	}
}

static void __attribute__((noreturn)) abort_setup(const char *call, long err)
{
	printf("service: %s failed: %ld (%s); giving up\n", call, err, hv_error_meaning(err));
	guest_exit(HV_EXIT_ABORT);
}

static void *register_ioreq_server(void)
{
	long area = svc_hypercall(HV_HC_IOREQ_REGISTER, 0, 0, 0, 0);

	if (area < 0)
		abort_setup("HV_HC_IOREQ_REGISTER", area);
	/* The channels are reached through the identity map: they must lie inside it. */
	if (area % HV_IOREQ_PAGE_SIZE ||
	    (uint64_t)area + HV_IOREQ_MAX_CHANNELS * HV_IOREQ_CHANNEL_SIZE > IDENTITY_MAP_END) {
		printf("service: channel area at %#lx is outside the identity map; giving up\n",
		       area);
		guest_exit(HV_EXIT_ABORT);
	}
	printf("service: ioreq server registered, channels at %#lx\n", area);
	return (void *)(uintptr_t)area;
}

static void claim_devices(void)
{
	const struct device *dev;
	long ret;

	for (dev = devices; dev < devices + nr_devices; dev++) {
		if (!device_present(dev, hv_testing()))
			continue;
		ret = svc_hypercall(HV_HC_IOREQ_CLAIM_RANGE, dev->kind, dev->base, dev->size,
				    dev->claim_flags);
		if (ret < 0) {
			printf("service: claiming %s failed\n", dev->name);
			abort_setup("HV_HC_IOREQ_CLAIM_RANGE", ret);
		}
		printf("service: claimed %s: %s %#llx..%#llx%s\n", dev->name,
		       dev->kind == HV_IOREQ_PIO ? "ports" : "MMIO", (unsigned long long)dev->base,
		       (unsigned long long)(dev->base + dev->size - 1),
		       dev->claim_flags & HV_IOREQ_CLAIM_BUFFERED ? ", writes buffered" : "");
	}
}

/* An empty IDT: the breakpoint cannot be delivered, nor the faults that follow. */
void service_crash(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	printf("service: crashing on purpose (HV_TESTDEV_BAD_CRASH)\n");
	asm volatile("lidt %0; int3" : : "m"(no_idt));
	__builtin_unreachable();
}

/*
 * hv counts the work it gives the service; each return of HV_HC_IOREQ_WAIT
 * with a new count is followed by a look at every channel, so work that
 * came while the channels were scanned is never slept through. The wait
 * also ends at the devices' earliest timer (RCX: a TSC deadline), and,
 * while a guest's UART takes input, in time to ask hv's console for it.
 * Before it waits, the service polls its channels a while when no guest
 * shares its CPU (service_poll()): each poll that finds work handles it,
 * and the next one looks at every channel again.
 */
static void __attribute__((noreturn)) serve(void)
{
	const uint64_t poll_tsc = svc_ticks_to_tsc(POLL_US, 1000000);
	uint64_t deadline, next_input = 0;
	long seen = 0;

	for (;;) {
		while (service_scan(&service))
			;
		do {
			deadline = service_deadline(&service);
			if (service_wants_input(&service)) {
				if (svc_now() >= next_input) {
					read_console_input();
					next_input = svc_now() + svc_tsc_hz / CONSOLE_POLL_HZ;
				}
				deadline = earlier(deadline, next_input);
			}
		} while (service_poll(&service, earlier(deadline, svc_now() + poll_tsc)));
		seen = svc_hypercall(HV_HC_IOREQ_WAIT, (uint64_t)seen, deadline, 0, 0);
		if (seen < 0)
			abort_setup("HV_HC_IOREQ_WAIT", seen);
	}
}

int main(void)
{
	printf("service: starting\n");
	read_tsc_rate();
	service_init(&service, register_ioreq_server(), hv_testing());
	claim_devices();
	printf("service: serving %u channels\n", HV_IOREQ_MAX_CHANNELS);
	serve();
}
