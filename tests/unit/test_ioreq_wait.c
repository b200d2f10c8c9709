// SPDX-License-Identifier: GPL-2.0
/*
 * HV_HC_IOREQ_WAIT (include/public/hypercall.h): the service partition
 * blocks until hv has new work for it or its deadline passes, and a request
 * posted at any moment is never slept through. Through hv's dispatch in the
 * model of hv's surroundings (tests/model/hv_env.h); the model's TSC is the
 * host's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <hv/core/hypercall.h>
#include <hv/core/vcpu.h>
#include <hv/ioreq/ioreq.h>
#include <hv/vmx/exit_reasons.h>
#include <public/hypercall.h>
#include <public/testdev.h>
#include <x86/hw.h>

#include "../model/hv_env.h"

#define RIP 0x1000ULL
#define VMCALL_LEN 3U
#define IO_QUAL_IN BIT(3)
#define IO_QUAL_PORT_SHIFT 16
#define FAR_FUTURE (1ULL << 50)

static struct partition *service, *guest;
static struct vcpu *sv;

static s64 wait_call(u64 seen, u64 deadline)
{
	hv_env_exit(sv, EXIT_REASON_VMCALL, 0, RIP, VMCALL_LEN);
	sv->gpr[GPR_RAX] = HV_HC_IOREQ_WAIT;
	sv->gpr[GPR_RBX] = seen;
	sv->gpr[GPR_RCX] = deadline;
	hypercall_handle(sv);
	return (s64)sv->gpr[GPR_RAX];
}

/* What the service sees when it runs again: the count its wait returns. */
static s64 entered(void)
{
	assert_int_equal(sv->state, VCPU_RUNNABLE);
	hv_env_enter(sv);
	return (s64)sv->gpr[GPR_RAX];
}

static void guest_reads_the_test_device(void)
{
	struct vcpu *gv = guest->vcpus[0];

	hv_env_exit(gv, EXIT_REASON_IO_INSTRUCTION,
		    IO_QUAL_IN | ((u64)HV_TESTDEV_PORT << IO_QUAL_PORT_SHIFT), RIP, 1);
	ioreq_handle_pio(gv, IO_QUAL_IN | ((u64)HV_TESTDEV_PORT << IO_QUAL_PORT_SHIFT));
	assert_int_equal(gv->state, VCPU_BLOCKED_IOREQ);
}

static int group_setup(void **state)
{
	hv_env_reset();
	return 0;
}

static int setup(void **state)
{
	service = hv_env_partition("service", PARTITION_SERVICE, 1);
	guest = hv_env_partition("guest", PARTITION_GUEST, 1);
	sv = service->vcpus[0];
	assert_int_equal(ioreq_hc_register(sv, 0, 0, 0, 0), HV_IOREQ_AREA_GPA);
	assert_int_equal(ioreq_hc_claim_range(sv, HV_IOREQ_PIO, HV_TESTDEV_PORT, 16, 0), 0);
	return 0;
}

static int teardown(void **state)
{
	hv_env_partition_free(guest);
	hv_env_partition_free(service);
	return 0;
}

/* The count the service has seen differs from hv's: it returns at once with hv's. */
static void a_count_not_seen_returns_at_once(void **state)
{
	s64 count = wait_call(~0ULL, 0);

	assert_true(count >= 0);
	assert_int_equal(sv->state, VCPU_RUNNABLE);
	assert_int_equal(wait_call((u64)count - 1, 0), count);
}

/* Nothing new: it blocks; a guest's request wakes it, and the entry gives it the new count. */
static void a_request_wakes_the_waiting_service(void **state)
{
	s64 count = wait_call(~0ULL, 0);

	wait_call((u64)count, 0);
	assert_int_equal(sv->state, VCPU_BLOCKED_SERVER);
	guest_reads_the_test_device();
	assert_true(entered() > count);
}

/* A deadline in the past is no reason to block. */
static void a_passed_deadline_returns_at_once(void **state)
{
	s64 count = wait_call(~0ULL, 0);

	assert_int_equal(wait_call((u64)count, 1), count);
	assert_int_equal(sv->state, VCPU_RUNNABLE);
}

/*
 * A future deadline: the service blocks with it as its vCPU's deadline (the
 * run loop arms the timer for it), and when it passes the service runs
 * again with the count unchanged.
 */
static void the_deadline_wakes_the_waiting_service(void **state)
{
	s64 count = wait_call(~0ULL, 0);
	u64 deadline = rdtsc() + FAR_FUTURE;

	wait_call((u64)count, deadline);
	assert_int_equal(sv->state, VCPU_BLOCKED_SERVER);
	assert_int_equal(ioreq_feature.deadline(sv), deadline);
	assert_true(sv->deadline && sv->deadline <= deadline);
	ioreq_feature.deadline_passed(sv);
	assert_int_equal(entered(), count);
	/* Running, it has no deadline any more: the run loop stops looking. */
	assert_int_equal(ioreq_feature.deadline(sv), 0);
}

/* Only the registered server waits; a guest's call is refused and blocks nothing. */
static void only_the_server_waits(void **state)
{
	struct vcpu *gv = guest->vcpus[0];

	hv_env_exit(gv, EXIT_REASON_VMCALL, 0, RIP, VMCALL_LEN);
	gv->gpr[GPR_RAX] = HV_HC_IOREQ_WAIT;
	gv->gpr[GPR_RBX] = 0;
	gv->gpr[GPR_RCX] = 0;
	hypercall_handle(gv);
	assert_int_equal((s64)gv->gpr[GPR_RAX], -HV_EPERM);
	assert_int_equal(gv->state, VCPU_RUNNABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_count_not_seen_returns_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(a_request_wakes_the_waiting_service, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_passed_deadline_returns_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(the_deadline_wakes_the_waiting_service, setup,
						teardown),
		cmocka_unit_test_setup_teardown(only_the_server_waits, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
