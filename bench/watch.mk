# bench/watch.mk: what `ssltrace watch` costs every mmap on the machine
# (bench/watch_mmap.sh).  `make bench-watch` builds and runs it as root.

$(O)/bench/mmap-loop: bench/mmap_loop.c
	$(call msg,CCLD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@

.PHONY: bench-watch
bench-watch: $(O)/ssltrace $(O)/bench/mmap-loop
	$(Q)bench/watch_mmap.sh
