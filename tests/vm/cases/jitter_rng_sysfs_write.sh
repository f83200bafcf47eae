# jitter_rng_sysfs_write: osr and enabled are root-only, and a write of abc,
# -1, 99999999999, an empty string (what `echo '' >` sends: a newline) or a
# 4096-byte value fails with EINVAL and changes nothing; values in range
# are taken.
. /lib/vmlib.sh

jrng_load
for a in health samples credited_bits rct_failures apt_failures; do
	expect_eq "mode of $a" 444 "$(stat -c %a "$JRNG_SYS/$a")"
done
for a in osr enabled; do
	expect_eq "mode of $a" 644 "$(stat -c %a "$JRNG_SYS/$a")"
done

# bad ATTR VALUE...: every value is refused and the attribute keeps its value.
bad() {
	attr=$1
	shift
	before=$(jrng_attr "$attr")
	for v in "$@"; do
		expect_eq "write '$v' to $attr" EINVAL "$(vmprobe write "$JRNG_SYS/$attr" "$v")"
		expect_eq "$attr after writing '$v'" "$before" "$(jrng_attr "$attr")"
	done
	for c in 9 a; do
		expect_eq "4096 x '$c' to $attr" EINVAL \
			"$(vmprobe write "$JRNG_SYS/$attr" --repeat 4096 "$c")"
		expect_eq "$attr after 4096 x '$c'" "$before" "$(jrng_attr "$attr")"
	done
}

nl='
'
bad osr abc -1 99999999999 "$nl" 0 16 " 3x" 0x3
bad enabled abc -1 99999999999 "$nl" 2 yes

# A write of zero bytes never reaches the module; it must change nothing.
expect_eq "zero-byte write to osr" ok "$(vmprobe write "$JRNG_SYS/osr" "")"
expect_eq "osr after a zero-byte write" 4 "$(jrng_attr osr)"

# Values in range are taken; a new osr restarts the start-up test.
expect_eq "write 5 to osr" ok "$(vmprobe write "$JRNG_SYS/osr" 5)"
expect_eq "osr" 5 "$(jrng_attr osr)"
wait_for 20 jrng_health_is ok || fail "health after osr=5: $(jrng_attr health)"
echo 0 >"$JRNG_SYS/enabled" || fail "echo 0 > enabled"
expect_eq "enabled" 0 "$(jrng_attr enabled)"
wait_for 10 jrng_health_is disabled || fail "health after enabled=0: $(jrng_attr health)"
s1=$(jrng_attr samples)
sleep 1
expect_eq "samples while disabled" "$s1" "$(jrng_attr samples)"
echo 1 >"$JRNG_SYS/enabled" || fail "echo 1 > enabled"
wait_for 20 jrng_health_is ok || fail "health after enabled=1: $(jrng_attr health)"
rmmod jitter_rng || fail "rmmod"
