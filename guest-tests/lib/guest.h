/* SPDX-License-Identifier: GPL-2.0 */
/* The library's internals: not for test kernels. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

void exception_init(void);
/* Maps the local APIC's page with a 4 KiB uncached page (lib/apic.c). */
void apic_map(void);

#endif /* GUEST_GUEST_H */
