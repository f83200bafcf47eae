/* elfinfo.c - reads a library's build id, OpenSSL version and soname with
 * libelf (see elfinfo.h).
 *
 * Sections:
 *   - build id: from PT_NOTE segments, which every loadable image has, else
 *     from SHT_NOTE sections;
 *   - version: the first "OpenSSL <digit>..." string in .rodata; libcrypto
 *     carries OPENSSL_VERSION_TEXT there, libssl usually carries none;
 *   - soname: DT_SONAME from the dynamic section.
 *
 * Images come from processes of any user, so every size and offset read from
 * the file is checked by libelf or here before use; the fuzzer in
 * tests/fuzz/ runs this code on arbitrary bytes.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>

#include "elfinfo.h"

#define GNU_NOTE_NAME "GNU"

static void hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

/* Looks for NT_GNU_BUILD_ID among the notes in DATA. Returns 1 when found. */
static int build_id_from_notes(Elf_Data *data, struct elf_facts *out)
{
	size_t offset = 0, next;
	size_t name_off, desc_off;
	GElf_Nhdr nhdr;

	while (offset < data->d_size &&
	       (next = gelf_getnote(data, offset, &nhdr, &name_off,
				    &desc_off)) > 0) {
		const char *name = (const char *)data->d_buf + name_off;

		if (nhdr.n_type == NT_GNU_BUILD_ID &&
		    nhdr.n_namesz == sizeof(GNU_NOTE_NAME) &&
		    memcmp(name, GNU_NOTE_NAME, sizeof(GNU_NOTE_NAME)) == 0 &&
		    nhdr.n_descsz > 0 && nhdr.n_descsz <= ELF_BUILD_ID_MAX) {
			hex_encode((const unsigned char *)data->d_buf + desc_off,
				   nhdr.n_descsz, out->build_id);
			return 1;
		}
		offset = next;
	}
	return 0;
}

static void read_build_id(Elf *elf, struct elf_facts *out)
{
	size_t nphdr = 0;
	Elf_Scn *scn = NULL;

	if (elf_getphdrnum(elf, &nphdr) == 0) {
		for (size_t i = 0; i < nphdr; i++) {
			GElf_Phdr phdr;
			Elf_Data *data;

			if (!gelf_getphdr(elf, (int)i, &phdr) ||
			    phdr.p_type != PT_NOTE)
				continue;
			data = elf_getdata_rawchunk(elf, (int64_t)phdr.p_offset,
						    phdr.p_filesz, ELF_T_NHDR);
			if (data && build_id_from_notes(data, out))
				return;
		}
	}

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data = NULL;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		while ((data = elf_getdata(scn, data)))
			if (build_id_from_notes(data, out))
				return;
	}
}

static int is_version_char(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* Finds "OpenSSL <digit>" in BUF and copies the printable run after it. */
static int version_from_bytes(const char *buf, size_t len,
			      struct elf_facts *out)
{
	static const char prefix[] = "OpenSSL ";
	const size_t plen = sizeof(prefix) - 1;
	const char *p = buf, *end = buf + len;

	while ((p = memmem(p, (size_t)(end - p), prefix, plen))) {
		const char *s = p + plen;
		size_t n = plen;

		if (s < end && *s >= '0' && *s <= '9' &&
		    (p == buf || p[-1] == '\0')) {
			while (p + n < end && is_version_char((unsigned char)p[n]) &&
			       n < sizeof(out->version) - 1)
				n++;
			memcpy(out->version, p, n);
			out->version[n] = '\0';
			return 1;
		}
		p += plen;
	}
	return 0;
}

static void read_version_and_soname(Elf *elf, struct elf_facts *out)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data = NULL;
		const char *name;

		if (!gelf_getshdr(scn, &shdr))
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);

		if (shdr.sh_type == SHT_PROGBITS && name &&
		    strcmp(name, ".rodata") == 0 && !out->version[0]) {
			while ((data = elf_getdata(scn, data)))
				if (data->d_buf &&
				    version_from_bytes(data->d_buf,
						       data->d_size, out))
					break;
		} else if (shdr.sh_type == SHT_DYNAMIC && !out->soname[0]) {
			data = elf_getdata(scn, NULL);
			for (size_t i = 0; data && shdr.sh_entsize &&
			     i < data->d_size / shdr.sh_entsize; i++) {
				GElf_Dyn dyn;
				const char *soname;

				if (!gelf_getdyn(data, (int)i, &dyn) ||
				    dyn.d_tag == DT_NULL)
					break;
				if (dyn.d_tag != DT_SONAME)
					continue;
				soname = elf_strptr(elf, shdr.sh_link,
						    dyn.d_un.d_val);
				if (soname && strlen(soname) < sizeof(out->soname))
					strcpy(out->soname, soname);
				break;
			}
		}
	}
}

static int read_facts(Elf *elf, struct elf_facts *out)
{
	if (!elf)
		return -ENOEXEC;
	if (elf_kind(elf) != ELF_K_ELF) {
		elf_end(elf);
		return -ENOEXEC;
	}
	read_build_id(elf, out);
	read_version_and_soname(elf, out);
	elf_end(elf);
	return 0;
}

static void init_libelf(struct elf_facts *out)
{
	memset(out, 0, sizeof(*out));
	elf_version(EV_CURRENT);
}

int elf_facts_read_fd(int fd, struct elf_facts *out)
{
	init_libelf(out);
	/* ELF_C_READ: libelf reads the headers and then only the sections
	 * asked for, with pread().  Not mmap: a mapping of libcrypto by the
	 * scan would itself look like a process loading it to `ssltrace
	 * watch`. */
	return read_facts(elf_begin(fd, ELF_C_READ, NULL), out);
}

int elf_facts_read_memory(const void *image, size_t size,
			  struct elf_facts *out)
{
	init_libelf(out);
	return read_facts(elf_memory((char *)image, size), out);
}

const char *elf_facts_version(const struct elf_facts *facts)
{
	return facts->version[0] ? facts->version : facts->soname;
}
