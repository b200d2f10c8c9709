/* SPDX-License-Identifier: GPL-2.0 */
/* The library's internals: not for test kernels. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

void exception_init(void);

#endif /* GUEST_GUEST_H */
