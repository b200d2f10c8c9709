/* SPDX-License-Identifier: GPL-2.0 */
/* Multiboot2 constants (Multiboot2 specification 1.0, section 3). */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_ARCH_I386 0

#define MB2_HEADER_TAG_END 0
#define MB2_HEADER_TAG_MODULE_ALIGN 6

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_BOOTLOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP 6
#define MB2_TAG_EFI64 12
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

#define MB2_MEMORY_AVAILABLE 1

#endif /* BOOT_MULTIBOOT2_H */
