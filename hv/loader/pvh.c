// SPDX-License-Identifier: GPL-2.0
/*
 * PVH images (Xen's docs/misc/pvh.pandoc): an ELF kernel whose note
 * XEN_ELFNOTE_PHYS32_ENTRY, owner "Xen", holds the 32-bit physical entry
 * point. Its PT_LOAD segments go to their physical addresses (p_paddr),
 * as QEMU and Xen load them.
 */
#include <hv/loader/image.h>
#include <hv/lib/string.h>
#include <hv/lib/unaligned.h>

#define ELF_MAGIC "\177ELF"
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define NOTE_HEADER 12U /* namesz, descsz, type */
#define NOTE_ALIGN 4U

bool pvh_is_elf(const u8 *img, size_t len)
{
	return len >= 4 && !memcmp(img, ELF_MAGIC, 4);
}

/*
 * Looks for the PHYS32_ENTRY note in the note segment [off, off + size).
 * Returns 1 with *entry, 0 if there is none, -1 for a malformed note.
 */
static int find_entry_note(const u8 *img, u64 off, u64 size, u32 *entry, const char **error)
{
	u64 end = off + size;

	while (end - off >= NOTE_HEADER) {
		const u8 *n = img + off;
		u64 namesz = get32(n), descsz = get32(n + 4);
		u64 name_at = off + NOTE_HEADER, desc_at = name_at + ALIGN_UP(namesz, NOTE_ALIGN);
		u64 next = desc_at + ALIGN_UP(descsz, NOTE_ALIGN);

		if (next > end || desc_at > end || desc_at + descsz > end) {
			*error = "an ELF note runs past its segment";
			return -1;
		}
		if (get32(n + 8) == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 &&
		    !memcmp(img + name_at, "Xen", 4)) {
			/* Linux writes it as a pointer: 8 bytes on x86-64, the high half 0. */
			if ((descsz != 4 && descsz != 8) ||
			    (descsz == 8 && get32(img + desc_at + 4))) {
				*error = "the PVH entry note is not a 32-bit address";
				return -1;
			}
			*entry = get32(img + desc_at);
			return 1;
		}
		off = next;
	}
	return 0;
}

int pvh_parse(const u8 *img, size_t len, struct pvh_image *im, const char **error)
{
	bool is64, have_entry = false;
	u64 phoff;
	u16 phentsize, phnum, i;

	memset(im, 0, sizeof(*im));
	if (len < 52 || !pvh_is_elf(img, len) || (img[4] != ELFCLASS32 && img[4] != ELFCLASS64)) {
		*error = "not an ELF file hv can read (truncated or unknown class)";
		return -1;
	}
	is64 = img[4] == ELFCLASS64;
	if (img[5] != ELFDATA2LSB || get16(img + 16) != ET_EXEC ||
	    (get16(img + 18) != EM_386 && get16(img + 18) != EM_X86_64)) {
		*error = "not a little-endian x86 ELF executable";
		return -1;
	}
	if (is64 && len < 64) {
		*error = "truncated ELF64 header";
		return -1;
	}
	phoff = is64 ? get64(img + 32) : get32(img + 28);
	phentsize = get16(img + (is64 ? 54 : 42));
	phnum = get16(img + (is64 ? 56 : 44));
	if (phentsize < (is64 ? 56 : 32) || phoff > len || (u64)phnum * phentsize > len - phoff) {
		*error = "ELF program headers lie outside the file (truncated?)";
		return -1;
	}
	for (i = 0; i < phnum; i++) {
		const u8 *ph = img + phoff + (u64)i * phentsize;
		u32 type = get32(ph);
		u64 offset = is64 ? get64(ph + 8) : get32(ph + 4);
		u64 paddr = is64 ? get64(ph + 24) : get32(ph + 12);
		u64 filesz = is64 ? get64(ph + 32) : get32(ph + 16);
		u64 memsz = is64 ? get64(ph + 40) : get32(ph + 20);
		struct load_segment *s;
		int found;

		if (type != PT_LOAD && type != PT_NOTE)
			continue;
		if (offset > len || filesz > len - offset) {
			*error = "an ELF segment lies outside the file (truncated?)";
			return -1;
		}
		if (type == PT_NOTE) {
			found = have_entry ?
					0 :
					find_entry_note(img, offset, filesz, &im->entry, error);
			if (found < 0)
				return -1;
			have_entry |= found;
			continue;
		}
		if (!memsz)
			continue;
		if (im->nr_segments == PVH_MAX_SEGMENTS) {
			*error = "more loadable segments than hv handles (16)";
			return -1;
		}
		if (filesz > memsz || paddr + memsz < paddr) {
			*error =
				"a segment's file size exceeds its memory size, or it wraps around";
			return -1;
		}
		s = &im->segments[im->nr_segments++];
		*s = (struct load_segment){ paddr, offset, filesz, memsz };
		im->end = MAX(im->end, paddr + memsz);
	}
	if (!have_entry) {
		*error = "an ELF file without a PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY) and "
			 "without a Multiboot header";
		return -1;
	}
	return loader_check_entry(im->segments, im->nr_segments, im->entry,
				  "the PVH entry point is outside every loaded segment", error);
}
