# tests/vm/cases/watch_mmap.sh: the same eBPF object ssltrace watch loads on
# the host (built against the host's BTF, relocated by CO-RE) loads on
# Debian's 6.1 kernel, reports an mmap of a watched file, reports the
# process stale when the file is replaced by rename, and reports its exit.
# vm-timeout: 240
. /lib/vmlib.sh

[ -e /sys/kernel/btf/vmlinux ] || skip "this kernel has no BTF: CO-RE cannot relocate"

# Any ELF image will do: the name is what the watch matches.
mkdir -p /tmp/lib
cp /usr/local/bin/watch-helper /tmp/lib/libssl.so.3 || fail "cannot copy a file to map"

ssltrace watch --duration 200 >/tmp/watch.out 2>/tmp/watch.err &
watch=$!
if ! wait_for 120 'grep -q "ready$" /tmp/watch.err'; then
	cat /tmp/watch.err
	fail "ssltrace watch did not get ready"
fi

watch-helper map --hold-ms 60000 /tmp/lib/libssl.so.3 >/tmp/helper.out &
helper=$!
wait_for 30 'grep -q "^mapped" /tmp/helper.out' || fail "watch-helper did not map"
if ! wait_for 60 'grep -Eq "^[0-9:.]+ load +$helper .*/tmp/lib/libssl.so.3" /tmp/watch.out'; then
	cat /tmp/watch.out /tmp/watch.err
	fail "no load line for pid $helper"
fi

# Another build (another build id) renamed over it: stale, from inotify.
cp /usr/local/bin/ssltrace /tmp/lib/libssl.so.3.new
mv /tmp/lib/libssl.so.3.new /tmp/lib/libssl.so.3
if ! wait_for 30 'grep -Eq "^[0-9:.]+ replaced +$helper .* stale +/tmp/lib/libssl.so.3" /tmp/watch.out'; then
	cat /tmp/watch.out /tmp/watch.err
	fail "no stale line for pid $helper after the rename"
fi

kill "$helper"
wait_for 60 'grep -Eq "^[0-9:.]+ exit +$helper " /tmp/watch.out' || fail "no exit line for pid $helper"

kill -INT "$watch"
wait "$watch"
rc=$?
cat /tmp/watch.out
# 0: nothing stale at the end (the stale process exited).
[ "$rc" -eq 0 ] || fail "ssltrace watch exited $rc: $(cat /tmp/watch.err)"
expect_match "summary" "^summary: .* 0 stale now, 0 events lost" "$(tail -n 1 /tmp/watch.out)"
