/* fuzz_elf_notes.c - libFuzzer target for reading build-id notes, version
 * strings and sonames from ELF images (elfinfo.c, through libelf): any
 * bytes in, no crash, and every string out is terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elfinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_facts f;
	/* libelf may keep pointers into the image: give it a private copy. */
	char *image = malloc(size ? size : 1);

	if (!image)
		return 0;
	memcpy(image, data, size);
	elf_facts_read_memory(image, size, &f);
	if (!memchr(f.build_id, '\0', sizeof(f.build_id)) ||
	    !memchr(f.version, '\0', sizeof(f.version)) ||
	    !memchr(f.soname, '\0', sizeof(f.soname)))
		abort();
	free(image);
	return 0;
}
