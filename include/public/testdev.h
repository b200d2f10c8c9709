/* SPDX-License-Identifier: MIT */
/*
 * The test device: emulated by the service partition (service/testdev.c)
 * for every guest when hv runs with "testing" (CPUID leaf 0x40000001 EBX has
 * HV_FEATURE_TESTING), so the guest tests can drive the ioreq paths; without
 * it the device does not exist (its ports and MMIO read all-ones). Each guest
 * has its own device state. All registers are little-endian.
 *
 * Ports HV_TESTDEV_PORT .. +15:
 *   +0 .. +7   scratch: 8 bytes; an access of any size at any offset reads
 *              or writes those bytes (bytes past +7 read 0xff, writes to
 *              them are ignored).
 *   +8         command (32-bit write; reading it returns the last command)
 *   +12        argument / result (32-bit): written before a command, holds
 *              the command's result afterwards (a negative HV_E* code or >= 0)
 *
 * MMIO HV_TESTDEV_MMIO .. +4 KiB (inside the guests' MMIO window):
 *   +0x000 .. +0x7ff  scratch memory: any access of 1, 2, 4 or 8 bytes
 *   +0x800            u64: MMIO requests this guest's device has seen (read-only)
 *   +0x808            u64: write-forwarded page writes logged (read-only)
 *   +0x810 + 16 * i   write-forwarded log entry i (i < HV_TESTDEV_WP_LOG):
 *                     u64 guest-physical address, u64 value (read-only)
 *   +0xff0 .. +0xfff  read as all-ones, writes ignored
 *
 * The port's writes to the scratch bytes may be buffered (the claim sets
 * HV_IOREQ_CLAIM_BUFFERED): the test sees them in order anyway.
 */
#ifndef HV_PUBLIC_TESTDEV_H
#define HV_PUBLIC_TESTDEV_H

#define HV_TESTDEV_PORT 0x4000U
#define HV_TESTDEV_PORTS 16U
#define HV_TESTDEV_SCRATCH 0U
#define HV_TESTDEV_CMD 8U
#define HV_TESTDEV_ARG 12U

#define HV_TESTDEV_MMIO 0xfe000000ULL
#define HV_TESTDEV_MMIO_SIZE 0x1000U
#define HV_TESTDEV_MMIO_SCRATCH 0x000U
#define HV_TESTDEV_MMIO_SCRATCH_SIZE 0x800U
#define HV_TESTDEV_MMIO_REQUESTS 0x800U
#define HV_TESTDEV_MMIO_WP_COUNT 0x808U
#define HV_TESTDEV_MMIO_WP_LOG 0x810U
#define HV_TESTDEV_WP_LOG 64U

/*
 * Commands. ARG is the argument before and the result after.
 *   WP_CLAIM       claim the ioreq-server page type (forward writes)
 *   WP_DISCLAIM    disclaim it
 *   WP_MARK        make guest page ARG (a page number) an ioreq-server page
 *   WP_UNMARK      make it plain RAM again
 *   WP_APPLY       ARG = 1: let forwarded writes happen; 0: drop them
 *   WP_RESET_LOG   forget the logged writes
 *   MISBEHAVE      answer this guest's next request wrongly: ARG is one of
 *                  HV_TESTDEV_BAD_* (for the tests of hv's checks)
 *   WP_RACE        answer the next forwarded write APPLY only after
 *                  disclaiming the page type: the write races with the
 *                  disclaim and hv must run it again as a plain RAM write
 */
#define HV_TESTDEV_CMD_WP_CLAIM 1U
#define HV_TESTDEV_CMD_WP_DISCLAIM 2U
#define HV_TESTDEV_CMD_WP_MARK 3U
#define HV_TESTDEV_CMD_WP_UNMARK 4U
#define HV_TESTDEV_CMD_WP_APPLY 5U
#define HV_TESTDEV_CMD_WP_RESET_LOG 6U
#define HV_TESTDEV_CMD_MISBEHAVE 7U
#define HV_TESTDEV_CMD_WP_RACE 8U
/*
 *   RAISE_IRQ      the service raises an interrupt in this guest
 *                  (HV_HC_IOREQ_RAISE_IRQ): ARG = vector in bits 7:0,
 *                  destination APIC ID in bits 15:8, HV_TESTDEV_IRQ_LEVEL
 *                  for a level-triggered one; the result is hv's
 *   TAKE_EOI       ARG = a vector: 1 if the guest ended a level-triggered
 *                  interrupt at it since the last TAKE_EOI of it (hv's
 *                  eoi_pending bit, which the command clears), else 0
 */
#define HV_TESTDEV_CMD_RAISE_IRQ 9U
#define HV_TESTDEV_CMD_TAKE_EOI 10U
#define HV_TESTDEV_IRQ_VECTOR_MASK 0xffU
#define HV_TESTDEV_IRQ_APIC_ID_SHIFT 8
#define HV_TESTDEV_IRQ_APIC_ID_MASK 0xff00U
#define HV_TESTDEV_IRQ_LEVEL (1U << 16)

#define HV_TESTDEV_BAD_DATA 1U /* a read response with bits above the access size */
#define HV_TESTDEV_BAD_STATE 2U /* complete the slot without setting RESPONSE_READY */
#define HV_TESTDEV_BAD_SILENT 3U /* never answer */
#define HV_TESTDEV_BAD_CRASH 4U /* the service partition crashes (triple faults) */
#define HV_TESTDEV_BAD_TWICE 5U /* a right answer, then a second completion of it */

#endif /* HV_PUBLIC_TESTDEV_H */
