/* fuzz_maps_line.c - libFuzzer target for the /proc/PID/maps line parser:
 * any bytes in, no crash, and what it accepts is self-consistent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "maps.h"
#include "patterns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct patterns patterns;
	struct maps_entry e;
	/* A private copy, so reads past SIZE are caught by AddressSanitizer. */
	char *line = malloc(size ? size : 1);

	if (!line)
		return 0;
	memcpy(line, data, size);
	if (!patterns.count)
		patterns_default(&patterns);

	if (maps_parse_line(line, size, &e) == 0) {
		if (e.start > e.end)
			abort();
		if (e.path_len) {
			if (e.path < line || e.path + e.path_len > line + size)
				abort();
			patterns_match(&patterns, e.path, e.path_len);
		}
		(void)maps_entry_dev(&e);
	}
	free(line);
	return 0;
}
