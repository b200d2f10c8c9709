// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for mb1_parse() and loader_check_fit(): the input is a
 * guest kernel image as a boot module brings it. Beyond the sanitizers, it
 * checks what the loader relies on in a struct mb1_image, and that
 * loader_check_fit() accepts exactly the images that lie in [0, ram_size)
 * outside the reserved low area, for RAM sizes taken from the input and at
 * the segments' edges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/core/mb1_loader.h>
#include "fuzz_check.h"

static struct mb1_image im, im_again;

/* Up to 8 bytes from @p, little-endian, zero-extended. */
static u64 read_u64(const u8 *p, size_t n)
{
	u64 v = 0;

	memcpy(&v, p, MIN(n, sizeof(v)));
	return v;
}

/* A valid Multiboot header at a 4-byte-aligned offset in the first 8 KiB. */
static bool has_header(const u8 *data, size_t size)
{
	size_t off;

	for (off = 0; off + 12 <= size && off + 12 <= MB1_SEARCH_LIMIT; off += 4) {
		u32 magic = (u32)read_u64(data + off, 4), flags = (u32)read_u64(data + off + 4, 4);
		u32 sum = (u32)read_u64(data + off + 8, 4);

		if (magic == MB1_HEADER_MAGIC && (u32)(magic + flags + sum) == 0)
			return true;
	}
	return false;
}

static void check_image(const u8 *data, size_t size)
{
	bool entry_inside = false;
	u64 end = 0;
	u32 i;

	check(im.nr_segments >= 1 && im.nr_segments <= MB1_MAX_SEGMENTS);
	check(has_header(data, size));
	/* No required feature hv does not provide: bits 15:3. */
	check(!(im.header_flags & 0xfff8));
	if (im.header_flags & BIT(16))
		check(im.nr_segments == 1);
	for (i = 0; i < im.nr_segments; i++) {
		const struct load_segment *s = &im.segments[i];

		check(s->memsz > 0);
		check(s->filesz <= s->memsz);
		/* What load_image() copies from the image is inside it. */
		check(s->offset <= size && s->filesz <= size - s->offset);
		check(s->gpa + s->memsz > s->gpa);
		end = MAX(end, s->gpa + s->memsz);
		if (im.entry >= s->gpa && im.entry - s->gpa < s->memsz)
			entry_inside = true;
	}
	check(entry_inside);
	check(im.end == end);
}

/* Whether every segment lies in [0, ram_size) outside [0x9fc00, 0x100000). */
static bool fits(u64 ram_size)
{
	u32 i;

	for (i = 0; i < im.nr_segments; i++) {
		const struct load_segment *s = &im.segments[i];
		u64 seg_end = s->gpa + s->memsz; /* no wrap: checked before */

		if (seg_end > ram_size)
			return false;
		if (s->gpa < GUEST_HIGH_RAM_START && seg_end > GUEST_LOW_RAM_END)
			return false;
	}
	return true;
}

static void check_fit(u64 ram_size)
{
	const char *error = NULL;
	int ret = loader_check_fit(im.segments, im.nr_segments, ram_size, false, &error);

	check(ret == 0 || ret == -1);
	if (ret == 0) {
		check(fits(ram_size));
	} else {
		check(error != NULL);
		check(!fits(ram_size));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *error = NULL, *error_again = NULL;
	int ret;
	u32 i;

	/* libFuzzer's buffer is exactly @size bytes: ASan sees any read past it. */
	ret = mb1_parse(data, size, &im, &error);
	check(ret == 0 || ret == -1);
	if (ret) {
		check(error != NULL);
		return 0;
	}
	check_image(data, size);

	/* The same bytes give the same image. */
	check(mb1_parse(data, size, &im_again, &error_again) == 0);
	check(!memcmp(&im, &im_again, sizeof(im)));

	/* RAM sizes from the input's first and last bytes, and around every edge. */
	check_fit(read_u64(data, size));
	if (size >= 8)
		check_fit(read_u64(data + size - 8, 8));
	check_fit(0);
	check_fit(~0ULL);
	check_fit(im.end);
	check_fit(im.end - 1);
	for (i = 0; i < im.nr_segments; i++) {
		const struct load_segment *s = &im.segments[i];

		check_fit(s->gpa);
		check_fit(s->gpa + s->memsz);
		check_fit(s->gpa + s->memsz - 1);
	}
	return 0;
}
