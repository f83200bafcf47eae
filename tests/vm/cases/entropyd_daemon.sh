# entropyd_daemon: the daemon runs in the 6.1 guest (no RDRAND, no
# virtio-rng: the generator is not ready), traces the interrupts of a
# second serial port kept busy by writes, shows its per-line table in
# `entropyd status`, credits no line beyond ratio x estimate x samples,
# and stops cleanly after --duration.
# vm-qemu: -cpu qemu64 -serial null
# vm-timeout: 240
. /lib/vmlib.sh

STATE=/run/entropyd/state

entropyd --foreground --duration 40 2>/tmp/entropyd.err &
pid=$!
wait_for 20 "[ -f $STATE ]" || fail "no state file: $(cat /tmp/entropyd.err)"

# ttyS1 raises an interrupt per emptied FIFO: a few thousand a second.
# It stays open throughout, so its handler (and name) stays registered.
# How many interrupts a write gives depends on the emulation's speed, so
# write until the daemon has seen enough (its state file says), for at most
# 30 s of its 40.
exec 3>/dev/ttyS1
end=$(($(date +%s) + 30))
while kill -0 $pid 2>/dev/null && [ "$(date +%s)" -lt $end ]; do
	head -c 4096 /dev/zero >&3
	seen=$(sed -n 's/^samples //p' $STATE 2>/dev/null)
	[ "${seen:-0}" -lt 1200 ] || break
done
wait_for 20 "grep -q 'name=ttyS1\$' $STATE" || fail "no ttyS1 line: $(cat $STATE)"

out=$(entropyd status) || fail "entropyd status exited $?"
echo "$out"
expect_match "daemon" "^entropyd +running, pid $pid, " "$out"
expect_match "ttyS1 line" '^[0-9]+ +ttyS1 +[0-9.]+ +[0-9]+ ' "$out"

wait $pid || fail "entropyd exited $?: $(cat /tmp/entropyd.err)"
cat /tmp/entropyd.err
cat $STATE
expect_match "stopped" '^entropyd +not running$' "$(entropyd status)"
samples=$(sed -n 's/^samples //p' $STATE)
[ "$samples" -ge 1000 ] || fail "only $samples samples"
awk '
	/^credit_ratio / { r = $2 }
	/^line / {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		max = v["estimate"] < 0 ? 0 : r * v["estimate"] * v["samples"]
		if (v["credited_bits"] > max + 1e-6) {
			print "irq " v["irq"] " credited " v["credited_bits"] " > " max
			bad = 1
		}
	}
	END { exit bad }' $STATE || fail "credit beyond the estimates"
grep -q 'eBPF unavailable\|RNDADDENTROPY failed' /tmp/entropyd.err &&
	fail "$(cat /tmp/entropyd.err)"
exit 0
