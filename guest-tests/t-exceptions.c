// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions and interrupts the guest handles itself: hv must deliver them
 * to the guest's IDT untouched.
 */
#include "libguest.h"

/* In the identity map, well above any guest RAM: its 2 MiB page is made not present. */
#define UNMAPPED_ADDR 0xc0001230UL
#define TEST_VECTOR 0x40

static volatile unsigned int test_vector_interrupts;

static void count_test_vector_interrupt(void)
{
	test_vector_interrupts++;
}

int main(void)
{
	volatile unsigned int zero = 0; /* volatile: the compiler must not fold the division */
	unsigned int dividend = 1, high = 0;
	uint64_t value = 0;
	bool resumed;

	report_start();

	resumed = false;
	asm volatile(ASM_TRY("ud2; movb $1, %0") : "+r"(resumed) : : "memory");
	report(caught_exception.vector == UD_VECTOR && !resumed,
	       "ud2 raises #UD (vector %d) and skips the rest of the block",
	       caught_exception.vector);

	asm volatile(ASM_TRY("divl %2") : "+a"(dividend), "+d"(high) : "r"(zero) : "memory");
	report(caught_exception.vector == DE_VECTOR, "div by zero raises #DE (vector %d)",
	       caught_exception.vector);

	asm volatile(ASM_TRY("int3") : : : "memory");
	report(caught_exception.vector == BP_VECTOR, "int3 raises #BP (vector %d)",
	       caught_exception.vector);

	set_2m_page_present(UNMAPPED_ADDR, false);
	asm volatile(ASM_TRY("mov (%1), %0") : "+r"(value) : "r"(UNMAPPED_ADDR) : "memory");
	set_2m_page_present(UNMAPPED_ADDR, true);
	report(caught_exception.vector == PF_VECTOR,
	       "read of a not-present page raises #PF (vector %d)", caught_exception.vector);
	/* Not present, read, supervisor: every error-code bit clear (SDM Vol. 3A 4.7). */
	report(caught_exception.error_code == 0, "#PF error code %#x is 0 (P=0, read, supervisor)",
	       caught_exception.error_code);
	report(caught_exception.cr2 == UNMAPPED_ADDR, "#PF CR2 %#lx is the address read",
	       caught_exception.cr2);

	asm volatile(ASM_TRY("nop") : : : "memory");
	report(caught_exception.vector == NO_EXCEPTION, "a block without exception runs through");

	report(interrupt_set_handler(TEST_VECTOR, count_test_vector_interrupt) &&
		       !interrupt_set_handler(UD_VECTOR, count_test_vector_interrupt),
	       "a handler can be installed for vector %#x, not for an exception vector",
	       TEST_VECTOR);
	resumed = false;
	asm volatile(ASM_TRY("int %1; movb $1, %0") : "+r"(resumed) : "i"(TEST_VECTOR) : "memory");
	report(test_vector_interrupts == 1 && resumed && caught_exception.vector == NO_EXCEPTION,
	       "int %#x runs its handler once (%u) and the ASM_TRY block goes on", TEST_VECTOR,
	       test_vector_interrupts);

	return report_summary();
}
