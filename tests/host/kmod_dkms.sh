#!/bin/sh
# tests/host/kmod_dkms.sh: dkms.conf builds the jitter_rng module for the
# installed Debian 6.1 kernel.  Uses a private DKMS tree in a temporary
# folder, so nothing is added to the system's DKMS state.
. "$(dirname "$0")/../lib.sh"

dkms_builds_the_module() {
	need_root
	need_cmd dkms make
	build=$(ls -d /lib/modules/6.1.0-*-amd64/build 2>/dev/null | sort -V | tail -n 1)
	[ -n "$build" ] || skip "needs linux-headers-amd64 (6.1)"
	kver=$(basename "$(dirname "$build")")
	version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
	expect_match "PACKAGE_VERSION" '^[0-9.]+$' "$version"

	tmp=$(mktemp -d)
	at_exit rm -rf "$tmp"
	src=$tmp/src/jitter_rng-$version
	mkdir -p "$src" "$tmp/tree"
	cp -r "$TOP/Kbuild" "$TOP/dkms.conf" "$TOP/kmod" "$src/"
	dkms add --dkmstree "$tmp/tree" --sourcetree "$tmp/src" "jitter_rng/$version"
	dkms build --dkmstree "$tmp/tree" --sourcetree "$tmp/src" \
		"jitter_rng/$version" -k "$kver"
	ko=$(find "$tmp/tree/jitter_rng/$version/$kver" -name 'jitter_rng.ko*' | head -n 1)
	[ -n "$ko" ] || fail "dkms build left no jitter_rng.ko"
	expect_match "vermagic of $ko" "^vermagic: +$kver " "$(modinfo "$ko" | grep '^vermagic')"
}

run_case "dkms.conf builds jitter_rng for the 6.1 kernel" dkms_builds_the_module
