# jitter_rng_load_unload_50: insmod, every attribute reads a sane value,
# rmmod succeeds; 50 times in a row while another process reads the
# attributes in a loop.
. /lib/vmlib.sh

# The reader races every load and unload; errors (no such file) are expected.
(while :; do cat /sys/kernel/jitter_rng/* >/dev/null 2>&1; done) &
reader=$!

i=1
while [ "$i" -le 50 ]; do
	jrng_load
	h=$(jrng_attr health)
	case $h in
	startup|ok) ;;
	*) fail "round $i: health is '$h', expected startup or ok" ;;
	esac
	for a in samples credited_bits rct_failures apt_failures; do
		expect_match "round $i: $a" '^[0-9]+$' "$(jrng_attr $a)"
	done
	expect_eq "round $i: rct_failures" 0 "$(jrng_attr rct_failures)"
	expect_eq "round $i: apt_failures" 0 "$(jrng_attr apt_failures)"
	expect_eq "round $i: osr" 4 "$(jrng_attr osr)"
	expect_eq "round $i: enabled" 1 "$(jrng_attr enabled)"
	rmmod jitter_rng || fail "round $i: rmmod failed"
	[ ! -d /sys/kernel/jitter_rng ] || fail "round $i: /sys/kernel/jitter_rng still there"
	i=$((i + 1))
done

kill "$reader"
kill -0 "$reader" 2>/dev/null && sleep 0.2
grep -q '^jitter_rng ' /proc/modules && fail "jitter_rng is still loaded"
echo "50 rounds of insmod and rmmod passed"
