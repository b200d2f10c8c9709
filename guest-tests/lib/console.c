// SPDX-License-Identifier: GPL-2.0
/*
 * The console: newlib's I/O calls end in the stubs below (the target defines
 * MISSING_SYSCALL_NAMES: write, not _write); stdout and stderr go to the
 * console backend's console_write() (lib/com1.c, or the kernel's own), there
 * is no input.
 */
#include <errno.h>
#include <sys/stat.h>
#include "libguest.h"

static bool is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

int write(int fd, const void *buf, size_t len)
{
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, len);
	return len;
}

int read(int fd, void *buf, size_t len)
{
	(void)buf;
	(void)len;
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

int close(int fd)
{
	(void)fd;
	errno = EBADF;
	return -1;
}

int fstat(int fd, struct stat *st)
{
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	*st = (struct stat){ .st_mode = S_IFCHR };
	return 0;
}

int isatty(int fd)
{
	return is_console(fd);
}

off_t lseek(int fd, off_t offset, int whence)
{
	(void)fd;
	(void)offset;
	(void)whence;
	errno = ESPIPE;
	return -1;
}
