// SPDX-License-Identifier: GPL-2.0
/*
 * The service partition's console backend (libguest.h): hv's console,
 * through HV_HC_CONSOLE_WRITE. COM1 is not the service's: its ports are the
 * guests' UART, which the service emulates. The kernel is linked without
 * the guest library's COM1 backend.
 */
#include <hypercall.h>
#include "libguest.h"
#include "service.h"

void console_init(void)
{
	/* hv's console needs no setting up. */
}

/* The image is identity-mapped: a buffer's address is its guest-physical address. */
void console_write(const char *s, size_t len)
{
	while (len) {
		size_t chunk = len < HV_CONSOLE_WRITE_MAX ? len : HV_CONSOLE_WRITE_MAX;

		/* There is no other console to report a failure on. */
		if (svc_hypercall(HV_HC_CONSOLE_WRITE, (uintptr_t)s, chunk, 0, 0) < 0)
			return;
		s += chunk;
		len -= chunk;
	}
}
