# kmod/kmod.mk: builds the jitter_rng kernel module against the installed
# Debian 6.1 kernel headers (not `uname -r`: the host runs another kernel).
#
#   make build/jitter_rng.ko             the module
#   make build/jitter_rng.ko KDIR=/path  against other headers
#
# Kbuild writes its objects next to the sources, so the sources are copied
# to $(O)/kmod-build/ first and built there: the tracked tree stays clean.

KDIR ?= $(lastword $(sort $(wildcard /lib/modules/6.1.0-*-amd64/build)))
JRNG_KO := $(O)/jitter_rng.ko
JRNG_BUILD := $(O)/kmod-build
JRNG_SOURCES := Kbuild $(wildcard kmod/*.c kmod/*.h)

# `make` builds the module when headers are there; `make check` installs
# them first (deps/kmod.list), so there it is always built.
ifneq ($(KDIR),)
PROGRAMS += $(JRNG_KO)
endif

$(JRNG_KO): $(JRNG_SOURCES) | $(O)
	$(call msg,KMOD,$@)
	$(Q)if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "kmod: no kernel headers in /lib/modules/6.1.0-*-amd64/build;" \
		     "install linux-headers-amd64 or set KDIR=" >&2; exit 2; fi
	$(Q)mkdir -p $(JRNG_BUILD)/kmod
	$(Q)cp -p Kbuild $(JRNG_BUILD)/
	$(Q)cp -p kmod/*.c kmod/*.h $(JRNG_BUILD)/kmod/
	@# O= : our output folder is not Kbuild's O (an output tree).
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) O= M=$(abspath $(JRNG_BUILD)) \
		V=$(V) W=1 modules $(if $(filter 1,$(V)),,>$(JRNG_BUILD)/build.log 2>&1) \
		|| { cat $(JRNG_BUILD)/build.log >&2; exit 1; }
	$(Q)if grep -i 'warning:' $(JRNG_BUILD)/build.log 2>/dev/null; then \
		echo "kmod: the module builds with warnings" >&2; exit 1; fi
	$(Q)cp $(JRNG_BUILD)/jitter_rng.ko $@
