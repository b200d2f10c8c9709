// SPDX-License-Identifier: GPL-2.0
/*
 * hv.efi: starts the hv core from UEFI.
 *
 * The core (build/hv.elf) is embedded as a flat binary. This application
 * copies it to its link address, loads the modules named in hv.cfg (next to
 * hv.efi on the same file system), fills a struct boot_info, leaves boot
 * services and enters the core at efi_entry64 with the firmware's identity
 * mapping still in place.
 *
 * hv.cfg, one directive a line; blank lines and lines starting with '#' are
 * ignored, a line ends at LF (a CR before it is dropped):
 *	cmdline <hv command line>
 *	module <path> [<module string>]
 * A path starting with '/' or '\' is from the root of the file system hv.efi
 * was loaded from, any other path is relative to hv.efi's directory; either
 * separator may be used, paths may not contain blanks. Without a cmdline
 * line, the application's LoadOptions (if they are text) are the command line.
 */
#include <efi.h>
#include <efilib.h>

#include <boot/boot_info.h>

#include "hv_core_syms.h" /* generated from hv.elf: HV_CORE_IMAGE_START/END, HV_CORE_ENTRY64 */

#define CFG_NAME L"hv.cfg"
#define CFG_MAX_SIZE (64 * 1024)
#define PATH_MAX_CHARS 512
#define ERROR_STALL_US (3 * 1000 * 1000)

#ifndef EFI_MEMORY_SP
#define EFI_MEMORY_SP 0x0000000000040000ULL /* specific-purpose memory (UEFI 2.8) */
#endif

typedef void (*core_entry_t)(const struct boot_info *bi) __attribute__((sysv_abi, noreturn));

extern const UINT8 hv_core_blob[] __attribute__((visibility("hidden")));
extern const UINT8 hv_core_blob_end[] __attribute__((visibility("hidden")));

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

static struct boot_info boot_info;
static bool core_allocated;

static const CHAR16 *const mem_type_names[] = {
	[EfiReservedMemoryType] = L"Reserved",
	[EfiLoaderCode] = L"LoaderCode",
	[EfiLoaderData] = L"LoaderData",
	[EfiBootServicesCode] = L"BootServicesCode",
	[EfiBootServicesData] = L"BootServicesData",
	[EfiRuntimeServicesCode] = L"RuntimeServicesCode",
	[EfiRuntimeServicesData] = L"RuntimeServicesData",
	[EfiConventionalMemory] = L"Conventional",
	[EfiUnusableMemory] = L"Unusable",
	[EfiACPIReclaimMemory] = L"ACPIReclaim",
	[EfiACPIMemoryNVS] = L"ACPIMemoryNVS",
	[EfiMemoryMappedIO] = L"MemoryMappedIO",
	[EfiMemoryMappedIOPortSpace] = L"MemoryMappedIOPortSpace",
	[EfiPalCode] = L"PalCode",
	[14] = L"PersistentMemory",
	[15] = L"UnacceptedMemory",
};

static const CHAR16 *mem_type_name(UINT32 type)
{
	if (type < ARRAY_SIZE(mem_type_names) && mem_type_names[type])
		return mem_type_names[type];
	return L"(unknown type)";
}

static inline EFI_MEMORY_DESCRIPTOR *desc_at(void *map, UINTN desc_size, UINTN i)
{
	return (EFI_MEMORY_DESCRIPTOR *)((UINT8 *)map + i * desc_size);
}

static u64 pages_to_bytes(u64 pages)
{
	return pages * EFI_PAGE_SIZE;
}

static UINTN bytes_to_pages(u64 bytes)
{
	return (UINTN)((bytes + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE);
}

/* Bounded copy that always NUL-terminates; returns false if @src did not fit. */
static bool copy_str(char *dst, size_t size, const char *src, size_t len)
{
	bool fits = len < size;

	if (!fits)
		len = size - 1;
	CopyMem(dst, (void *)src, len);
	dst[len] = '\0';
	return fits;
}

/* ---- the core image ---------------------------------------------------- */

/* Says which parts of [start, end) the firmware uses, after a failed allocation there. */
static void report_occupied(u64 start, u64 end)
{
	UINTN nr, key, desc_size, i;
	UINT32 desc_version;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&nr, &key, &desc_size, &desc_version);
	u64 covered = 0;

	if (!map) {
		Print(L"hv.efi: (could not read the memory map to say what is there)\n");
		return;
	}
	for (i = 0; i < nr; i++) {
		EFI_MEMORY_DESCRIPTOR *d = desc_at(map, desc_size, i);
		u64 d_start = d->PhysicalStart;
		u64 d_end = d_start + pages_to_bytes(d->NumberOfPages);

		if (d_end <= start || d_start >= end)
			continue;
		covered += MIN(d_end, end) - MAX(d_start, start);
		if (d->Type == EfiConventionalMemory)
			continue;
		Print(L"hv.efi:   0x%lx-0x%lx is occupied by %s\n", MAX(d_start, start),
		      MIN(d_end, end) - 1, mem_type_name(d->Type));
	}
	if (covered < end - start)
		Print(L"hv.efi:   part of 0x%lx-0x%lx is not RAM in the memory map\n", start,
		      end - 1);
	FreePool(map);
}

/* Copies the core to its link address and clears its .bss. */
static EFI_STATUS load_core(void)
{
	u64 start = HV_CORE_IMAGE_START, end = HV_CORE_IMAGE_END;
	UINTN blob_size = hv_core_blob_end - hv_core_blob;
	EFI_PHYSICAL_ADDRESS addr = start;
	EFI_STATUS status;

	if (blob_size > end - start) {
		Print(L"hv.efi: the embedded core (%ld bytes) exceeds its image 0x%lx-0x%lx\n",
		      (u64)blob_size, start, end - 1);
		return EFI_LOAD_ERROR;
	}
	/* LoaderCode: firmware that maps data without execute permission still runs the core. */
	status = BS->AllocatePages(AllocateAddress, EfiLoaderCode, bytes_to_pages(end - start),
				   &addr);
	if (EFI_ERROR(status)) {
		Print(L"hv.efi: cannot allocate 0x%lx-0x%lx, the hv core's link address: %r\n",
		      start, end - 1, status);
		report_occupied(start, end);
		return status;
	}
	core_allocated = true;
	CopyMem((void *)(UINTN)start, (void *)hv_core_blob, blob_size);
	SetMem((void *)(UINTN)(start + blob_size), end - start - blob_size, 0);
	Print(L"hv.efi: hv core at 0x%lx-0x%lx (%ld bytes image, entry 0x%lx)\n", start, end - 1,
	      (u64)blob_size, (u64)HV_CORE_ENTRY64);
	return EFI_SUCCESS;
}

/* ---- files ------------------------------------------------------------- */

/* The directory hv.efi was loaded from, with a trailing '\', e.g. "\EFI\BOOT\". */
static void image_dir(const EFI_LOADED_IMAGE *li, CHAR16 *dir, UINTN size)
{
	EFI_DEVICE_PATH *dp = li->FilePath;
	UINTN len = 0, i, last_sep = 0;

	for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
		const CHAR16 *name;
		UINTN n;

		if (DevicePathType(dp) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(dp) != MEDIA_FILEPATH_DP)
			continue;
		name = ((FILEPATH_DEVICE_PATH *)dp)->PathName;
		n = (DevicePathNodeLength(dp) - SIZE_OF_FILEPATH_DEVICE_PATH) / sizeof(CHAR16);
		if (len && dir[len - 1] != L'\\' && n && name[0] != L'\\' && len + 1 < size)
			dir[len++] = L'\\';
		for (i = 0; i < n && name[i] && len + 1 < size; i++)
			dir[len++] = name[i] == L'/' ? L'\\' : name[i];
	}
	/* Keep everything up to and including the last separator. */
	for (i = 0; i < len; i++)
		if (dir[i] == L'\\')
			last_sep = i + 1;
	len = last_sep;
	if (!len || dir[0] != L'\\') {
		/* A bare file name: the root; a relative directory: from the root. */
		len = MIN(len, size - 2);
		for (i = len; i > 0; i--)
			dir[i] = dir[i - 1];
		dir[0] = L'\\';
		len++;
	}
	dir[len] = L'\0';
}

/*
 * Reads a whole file. With @pages, into LoaderData pages (below 4 GiB if
 * possible) that stay allocated for the core, else into pool memory.
 */
static EFI_STATUS read_file(EFI_FILE_HANDLE root, CHAR16 *path, bool pages, UINTN max_size,
			    void **buf, UINTN *size)
{
	EFI_FILE_HANDLE fh;
	EFI_FILE_INFO *info;
	EFI_PHYSICAL_ADDRESS addr = 0;
	UINTN file_size, done = 0;
	EFI_STATUS status;
	void *data;

	status = root->Open(root, &fh, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(status))
		return status;
	info = LibFileInfo(fh);
	if (!info) {
		fh->Close(fh);
		return EFI_DEVICE_ERROR;
	}
	if (info->Attribute & EFI_FILE_DIRECTORY) {
		FreePool(info);
		fh->Close(fh);
		return EFI_INVALID_PARAMETER;
	}
	file_size = info->FileSize;
	FreePool(info);
	if (max_size && file_size > max_size) {
		fh->Close(fh);
		return EFI_BAD_BUFFER_SIZE;
	}

	if (pages) {
		UINTN nr = bytes_to_pages(file_size ? file_size : 1);

		Print(L"hv.efi: loading module %s (%ld bytes)\n", path, (u64)file_size);
		addr = 0xffffffffULL;
		status = BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, nr, &addr);
		if (EFI_ERROR(status))
			status = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, nr, &addr);
		data = (void *)(UINTN)addr;
	} else {
		data = AllocatePool(file_size + 1);
		status = data ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
	}
	if (EFI_ERROR(status)) {
		fh->Close(fh);
		return status;
	}

	while (done < file_size) {
		UINTN n = file_size - done;

		status = fh->Read(fh, &n, (UINT8 *)data + done);
		if (EFI_ERROR(status))
			break;
		if (!n) {
			status = EFI_END_OF_FILE; /* shorter than its directory entry said */
			break;
		}
		done += n;
	}
	fh->Close(fh);
	if (EFI_ERROR(status)) {
		if (pages)
			BS->FreePages(addr, bytes_to_pages(file_size ? file_size : 1));
		else
			FreePool(data);
		return status;
	}
	if (!pages)
		((char *)data)[file_size] = '\0';
	*buf = data;
	*size = file_size;
	return EFI_SUCCESS;
}

/* A path from hv.cfg as an absolute UCS-2 path on the file system. */
static bool make_path(const CHAR16 *dir, const char *path, size_t len, CHAR16 *out)
{
	UINTN n = 0, i;

	if (len && (path[0] == '/' || path[0] == '\\')) {
		/* from the root */
	} else {
		for (i = 0; dir[i] && n + 1 < PATH_MAX_CHARS; i++)
			out[n++] = dir[i];
	}
	for (i = 0; i < len; i++) {
		if (n + 1 >= PATH_MAX_CHARS)
			return false;
		out[n++] = path[i] == '/' ? L'\\' : (CHAR16)(u8)path[i];
	}
	out[n] = L'\0';
	return true;
}

/* ---- hv.cfg -------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static EFI_STATUS cfg_error(UINTN line, const CHAR16 *what)
{
	Print(L"hv.efi: %s, line %ld: %s\n", CFG_NAME, (u64)line, what);
	return EFI_INVALID_PARAMETER;
}

static EFI_STATUS add_module(EFI_FILE_HANDLE root, const CHAR16 *dir, UINTN line, const char *path,
			     size_t path_len, const char *str, size_t str_len)
{
	CHAR16 full[PATH_MAX_CHARS];
	struct boot_module *m;
	EFI_STATUS status;
	UINTN size;
	void *data;

	if (boot_info.nr_modules >= BOOT_MAX_MODULES)
		return cfg_error(line, L"too many modules");
	if (!make_path(dir, path, path_len, full))
		return cfg_error(line, L"module path too long");
	m = &boot_info.modules[boot_info.nr_modules];
	if (!copy_str(m->cmdline, sizeof(m->cmdline), str, str_len))
		return cfg_error(line, L"module string too long");

	status = read_file(root, full, true, 0, &data, &size);
	if (EFI_ERROR(status)) {
		Print(L"hv.efi: cannot load module %s (%s, line %ld): %r\n", full, CFG_NAME,
		      (u64)line, status);
		return status;
	}
	m->start = (u64)(UINTN)data;
	m->end = m->start + size;
	boot_info.nr_modules++;
	Print(L"hv.efi: module %d at 0x%lx-0x%lx, string '%a'\n", boot_info.nr_modules - 1,
	      m->start, m->end, m->cmdline);
	return EFI_SUCCESS;
}

/* Parses @text (NUL-terminated), loading the modules it names. */
static EFI_STATUS parse_cfg(EFI_FILE_HANDLE root, const CHAR16 *dir, char *text, bool *have_cmdline)
{
	char *p = text;
	UINTN line = 0;
	EFI_STATUS status;

	if ((u8)p[0] == 0xef && (u8)p[1] == 0xbb && (u8)p[2] == 0xbf)
		p += 3; /* UTF-8 byte order mark */
	while (*p) {
		char *end = p, *kw, *arg;
		size_t kw_len, len;

		line++;
		while (*end && *end != '\n')
			end++;
		if (*end)
			*end++ = '\0';
		/* Trim: leading and trailing blanks, the CR of a CRLF. */
		while (is_blank(*p))
			p++;
		len = strlena((CHAR8 *)p);
		while (len && (is_blank(p[len - 1]) || p[len - 1] == '\r'))
			p[--len] = '\0';
		kw = p;
		p = end;
		if (!len || kw[0] == '#')
			continue;

		for (kw_len = 0; kw[kw_len] && !is_blank(kw[kw_len]); kw_len++)
			;
		arg = kw + kw_len;
		while (is_blank(*arg))
			arg++;

		if (kw_len == 7 && !CompareMem(kw, "cmdline", 7)) {
			if (*have_cmdline)
				return cfg_error(line, L"more than one cmdline line");
			if (!copy_str(boot_info.cmdline, sizeof(boot_info.cmdline), arg,
				      strlena((CHAR8 *)arg)))
				return cfg_error(line, L"command line too long");
			*have_cmdline = true;
		} else if (kw_len == 6 && !CompareMem(kw, "module", 6)) {
			char *str = arg;
			size_t path_len;

			while (*str && !is_blank(*str))
				str++;
			path_len = str - arg;
			while (is_blank(*str))
				str++;
			if (!path_len)
				return cfg_error(line, L"module without a path");
			status = add_module(root, dir, line, arg, path_len, str,
					    strlena((CHAR8 *)str));
			if (EFI_ERROR(status))
				return status;
		} else {
			return cfg_error(line, L"unknown directive (expected cmdline or module)");
		}
	}
	return EFI_SUCCESS;
}

/*
 * LoadOptions as the command line, if they are printable UCS-2 text. The UEFI
 * shell passes its whole command line: a first word ending in ".efi" is the
 * application itself and is dropped. (Boot managers may pass binary data,
 * e.g. EDK2 a GUID for the boot options it creates itself: ignored.)
 */
static void cmdline_from_load_options(const EFI_LOADED_IMAGE *li)
{
	const CHAR16 *s = li->LoadOptions;
	UINTN n = li->LoadOptionsSize / sizeof(CHAR16), i, start = 0, len;

	if (!s || !n || li->LoadOptionsSize % sizeof(CHAR16))
		return;
	for (len = 0; len < n && s[len]; len++)
		if (s[len] < 0x20 || s[len] > 0x7e)
			return;
	while (start < len && s[start] == L' ')
		start++;
	for (i = start; i < len && s[i] != L' '; i++)
		;
	if (i - start >= 4 && s[i - 4] == L'.' && (s[i - 3] | 0x20) == L'e' &&
	    (s[i - 2] | 0x20) == L'f' && (s[i - 1] | 0x20) == L'i')
		start = i;
	while (start < len && s[start] == L' ')
		start++;
	for (i = 0; start + i < len && i + 1 < sizeof(boot_info.cmdline); i++)
		boot_info.cmdline[i] = (char)s[start + i];
	boot_info.cmdline[i] = '\0';
	if (start + i < len)
		Print(L"hv.efi: warning: LoadOptions command line truncated to %d bytes\n", (int)i);
}

/* Reads hv.cfg and loads the modules; without hv.cfg, no modules. */
static EFI_STATUS load_config(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li;
	EFI_FILE_IO_INTERFACE *fs;
	EFI_FILE_HANDLE root = NULL;
	CHAR16 dir[PATH_MAX_CHARS], cfg_path[PATH_MAX_CHARS + ARRAY_SIZE(CFG_NAME)];
	bool have_cmdline = false;
	EFI_STATUS status;
	UINTN size;
	char *text;

	status = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(status)) {
		Print(L"hv.efi: no LoadedImage protocol: %r\n", status);
		return status;
	}
	image_dir(li, dir, ARRAY_SIZE(dir));

	status = BS->HandleProtocol(li->DeviceHandle, &FileSystemProtocol, (void **)&fs);
	if (!EFI_ERROR(status))
		status = fs->OpenVolume(fs, &root);
	if (EFI_ERROR(status)) {
		Print(L"hv.efi: cannot open the file system hv.efi was loaded from (%r): no %s\n",
		      status, CFG_NAME);
	} else {
		StrCpy(cfg_path, dir);
		StrCat(cfg_path, CFG_NAME);
		status = read_file(root, cfg_path, false, CFG_MAX_SIZE, (void **)&text, &size);
		if (status == EFI_NOT_FOUND) {
			Print(L"hv.efi: no %s: no modules\n", cfg_path);
		} else if (EFI_ERROR(status)) {
			Print(L"hv.efi: cannot read %s: %r\n", cfg_path, status);
			goto out;
		} else {
			Print(L"hv.efi: reading %s (%ld bytes)\n", cfg_path, (u64)size);
			status = parse_cfg(root, dir, text, &have_cmdline);
			FreePool(text);
			if (EFI_ERROR(status))
				goto out;
		}
	}
	if (!have_cmdline)
		cmdline_from_load_options(li);
	Print(L"hv.efi: command line '%a'\n", boot_info.cmdline);
	status = EFI_SUCCESS;
out:
	if (root)
		root->Close(root);
	return status;
}

/* ---- firmware tables ------------------------------------------------------ */

static void find_rsdp(void)
{
	const UINT8 *rsdp = NULL;
	UINTN i, len;
	bool v2 = false;

	for (i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (!CompareGuid(&t->VendorGuid, &acpi20_guid)) {
			rsdp = t->VendorTable;
			v2 = true;
			break;
		}
		if (!rsdp && !CompareGuid(&t->VendorGuid, &acpi10_guid))
			rsdp = t->VendorTable;
	}
	if (!rsdp) {
		Print(L"hv.efi: warning: the firmware gives no ACPI RSDP\n");
		return;
	}
	/* Revision 0 (ACPI 1.0) is 20 bytes long; revision 2 and later, 36. */
	len = rsdp[15] >= 2 ? ACPI_RSDP_V2_LEN : 20;
	CopyMem(boot_info.rsdp, (void *)rsdp, len);
	boot_info.has_rsdp = 1;
	Print(L"hv.efi: ACPI %a RSDP at 0x%lx\n", v2 ? "2.0" : "1.0", (u64)(UINTN)rsdp);
}

/* ---- memory map and ExitBootServices ------------------------------------ */

static u32 boot_mem_type(const EFI_MEMORY_DESCRIPTOR *d)
{
	if (d->Attribute & (EFI_MEMORY_RUNTIME | EFI_MEMORY_SP))
		return BOOT_MEM_RESERVED;
	switch (d->Type) {
	case EfiConventionalMemory:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiLoaderCode:
	case EfiLoaderData:
		return BOOT_MEM_USABLE;
	case EfiACPIReclaimMemory:
		return BOOT_MEM_ACPI_RECLAIMABLE;
	case EfiACPIMemoryNVS:
		return BOOT_MEM_ACPI_NVS;
	case EfiUnusableMemory:
		return BOOT_MEM_BAD;
	default:
		return BOOT_MEM_RESERVED;
	}
}

/*
 * Converts the final UEFI memory map into boot_info.mem: sorted by address,
 * adjacent ranges of one type merged. Runs after ExitBootServices: no
 * firmware calls, no library calls. @tmp has room for @nr entries.
 */
static void convert_memory_map(void *map, UINTN nr, UINTN desc_size, struct boot_mem_range *tmp)
{
	UINTN i, j, n = 0;

	for (i = 0; i < nr; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = desc_at(map, desc_size, i);
		struct boot_mem_range r = {
			.base = d->PhysicalStart,
			.length = pages_to_bytes(d->NumberOfPages),
			.type = boot_mem_type(d),
		};

		if (!r.length)
			continue;
		/* Insertion sort: the firmware's map is usually sorted already. */
		for (j = n; j > 0 && tmp[j - 1].base > r.base; j--)
			tmp[j] = tmp[j - 1];
		tmp[j] = r;
		n++;
	}

	boot_info.nr_mem_ranges = 0;
	boot_info.mem_truncated = 0;
	for (i = 0; i < n; i++) {
		struct boot_mem_range *last = boot_info.nr_mem_ranges ?
						      &boot_info.mem[boot_info.nr_mem_ranges - 1] :
						      NULL;

		if (last && last->type == tmp[i].type && last->base + last->length == tmp[i].base) {
			last->length += tmp[i].length;
			continue;
		}
		if (boot_info.nr_mem_ranges == BOOT_MAX_MEM_RANGES) {
			boot_info.mem_truncated = 1;
			break;
		}
		boot_info.mem[boot_info.nr_mem_ranges++] = tmp[i];
	}
}

/*
 * Leaves boot services with the usual retry loop and converts the memory map
 * obtained right before the successful ExitBootServices. Nothing may print or
 * allocate between that GetMemoryMap and ExitBootServices. On failure after
 * the first ExitBootServices attempt, the console may be gone: returns the
 * status without printing.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image)
{
	UINTN map_size = 0, map_cap = 0, key, desc_size = sizeof(EFI_MEMORY_DESCRIPTOR);
	struct boot_mem_range *tmp = NULL;
	UINT32 desc_version;
	void *map = NULL;
	EFI_STATUS status;
	unsigned int tries;

	status = BS->GetMemoryMap(&map_size, NULL, &key, &desc_size, &desc_version);
	if (status != EFI_BUFFER_TOO_SMALL)
		return EFI_ERROR(status) ? status : EFI_LOAD_ERROR;

	for (tries = 0; tries < 16; tries++) {
		if (map_size > map_cap) {
			/* Room for the descriptors our own allocations add. */
			map_cap = map_size + 16 * desc_size;
			if (map)
				FreePool(map);
			if (tmp)
				FreePool(tmp);
			map = AllocatePool(map_cap);
			tmp = AllocatePool(map_cap / desc_size * sizeof(*tmp));
			if (!map || !tmp)
				return EFI_OUT_OF_RESOURCES;
		}
		map_size = map_cap;
		status = BS->GetMemoryMap(&map_size, map, &key, &desc_size, &desc_version);
		if (status == EFI_BUFFER_TOO_SMALL)
			continue;
		if (EFI_ERROR(status))
			return status;
		status = BS->ExitBootServices(image, key);
		if (status == EFI_SUCCESS) {
			convert_memory_map(map, map_size / desc_size, desc_size, tmp);
			return EFI_SUCCESS;
		}
		if (status != EFI_INVALID_PARAMETER)
			return status;
		/* The map changed since GetMemoryMap: get it again and retry. */
	}
	return EFI_ABORTED;
}

/* ---- entry ------------------------------------------------------------- */

static void free_all(void)
{
	u32 i;

	for (i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		u64 size = m->end - m->start;

		BS->FreePages(m->start, bytes_to_pages(size ? size : 1));
	}
	boot_info.nr_modules = 0;
	if (core_allocated)
		BS->FreePages(HV_CORE_IMAGE_START,
			      bytes_to_pages(HV_CORE_IMAGE_END - HV_CORE_IMAGE_START));
	core_allocated = false;
}

static EFI_STATUS fail(EFI_STATUS status)
{
	Print(L"hv.efi: not starting hv (%r); returning to the firmware\n", status);
	free_all();
	BS->Stall(ERROR_STALL_US); /* time to read the message on a screen */
	return status;
}

/* Called by GNU-EFI's crt0 with the SysV ABI (GNU_EFI_USE_MS_ABI: not EFIAPI). */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	core_entry_t entry = (core_entry_t)(UINTN)HV_CORE_ENTRY64;
	EFI_STATUS status;

	InitializeLib(image, systab);
	Print(L"hv.efi: starting\n");

	status = load_core();
	if (EFI_ERROR(status))
		return fail(status);
	status = load_config(image);
	if (EFI_ERROR(status))
		return fail(status);

	copy_str(boot_info.loader, sizeof(boot_info.loader), "hv.efi", 6);
	find_rsdp();
	boot_info.booted_by_uefi = 1;
	boot_info.efi_system_table = (u64)(UINTN)systab;

	Print(L"hv.efi: leaving boot services, entering hv at 0x%lx\n", (u64)HV_CORE_ENTRY64);
	status = exit_boot_services(image);
	if (EFI_ERROR(status)) {
		/* Boot services may be partly shut down: only try to tell. */
		Print(L"hv.efi: ExitBootServices failed: %r\n", status);
		return status;
	}

	__asm__ __volatile__("cli" ::: "memory");
	entry(&boot_info);
}
