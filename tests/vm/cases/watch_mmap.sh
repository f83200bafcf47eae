# tests/vm/cases/watch_mmap.sh: the same eBPF object ssltrace watch loads on
# the host (built against the host's BTF, relocated by CO-RE) loads on
# Debian's 6.1 kernel and reports an mmap of a watched file, then its exit.
# vm-timeout: 240
. /lib/vmlib.sh

[ -e /sys/kernel/btf/vmlinux ] || skip "this kernel has no BTF: CO-RE cannot relocate"

# Any ELF image will do: the name is what the watch matches.
cp /usr/local/bin/watch-helper /tmp/libssl.so.3 || fail "cannot copy a file to map"

ssltrace watch --duration 200 >/tmp/watch.out 2>/tmp/watch.err &
watch=$!
if ! wait_for 120 'grep -q "ready$" /tmp/watch.err'; then
	cat /tmp/watch.err
	fail "ssltrace watch did not get ready"
fi

out=$(watch-helper map --hold-ms 200 /tmp/libssl.so.3) || fail "watch-helper failed"
pid=${out#mapped }
if ! wait_for 60 'grep -Eq "^[0-9:.]+ load +$pid .*/tmp/libssl.so.3" /tmp/watch.out'; then
	cat /tmp/watch.out /tmp/watch.err
	fail "no load line for pid $pid"
fi
wait_for 60 'grep -Eq "^[0-9:.]+ exit +$pid " /tmp/watch.out' || fail "no exit line for pid $pid"

kill -INT "$watch"
wait "$watch"
rc=$?
cat /tmp/watch.out
[ "$rc" -le 1 ] || fail "ssltrace watch exited $rc: $(cat /tmp/watch.err)"
expect_match "summary" "^summary: .* 0 events lost" "$(tail -n 1 /tmp/watch.out)"
