#!/bin/sh
# bench/entropyd_vm_ready.sh: how soon an entropy-starved machine's random
# generator is ready, with and without entropyd.
#
# Usage (after `make build/static/entropyd`): bench/entropyd_vm_ready.sh [RUNS]
#   RUNS  boots per mode, default 3; the table gives each time and the median
#
# Boots Debian's 6.1 kernel under qemu (TCG, -cpu qemu64: no RDRAND, no
# virtio-rng, so the generator starts unseeded) with a busybox initramfs.
# Its /init keeps the second serial port busy (256 bytes every 20 ms, a few
# hundred interrupts a second: the only device interrupts of the guest) and
# waits for "random: crng init done", reporting the seconds from the start
# of that load.  Mode "kernel alone" relies on the kernel's own interrupt
# credit (one bit per 64 interrupts); mode "entropyd" also runs the daemon
# with its default credit ratio.  Nothing blocks in getrandom(), so the
# kernel's own jitter fallback does not run in either mode.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
runs=${1:-3}
kernel=$(ls /boot/vmlinuz-6.1.0-*-amd64 2>/dev/null | sort -V | tail -n 1)
busybox=/bin/busybox
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case $runs in
''|*[!0-9]*|0) echo "usage: $0 [RUNS]  (RUNS: 1 or more)" >&2; exit 2 ;;
esac
[ -n "$kernel" ] || { echo "$0: needs linux-image-amd64 (6.1) in /boot" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "$0: needs qemu-system-x86" >&2; exit 2; }
[ -x "$build/static/entropyd" ] || { echo "$0: make build/static/entropyd first" >&2; exit 2; }

# The guest.
root=$work/root
mkdir -p "$root"/bin "$root"/dev "$root"/proc "$root"/sys "$root"/run \
	"$root"/tmp "$root"/usr/local/bin
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$build/static/entropyd" "$root/usr/local/bin/"
cat >"$root/init" <<'EOF'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s
mount -t tmpfs tmpfs /run
export PATH=/usr/local/bin:/bin
mode=$(sed -n 's/.*edmode=\([a-z]*\).*/\1/p' /proc/cmdline)
if dmesg | grep -q 'crng init done'; then
	echo "RESULT ready-before-start"
	poweroff -f
fi
[ "$mode" = entropyd ] && entropyd --foreground 2>/tmp/ed.err &
start=$(cut -d' ' -f1 /proc/uptime)
# Kept open: the port's irq is registered (and counted) only while open.
( exec 3>/dev/ttyS1; while :; do head -c 256 /dev/zero >&3; usleep 20000; done ) &
# 120 s of guest time, however slow the emulation runs.
while ! dmesg | grep -q 'crng init done'; do
	awk -v s="$start" -v n="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { exit !(n - s > 120) }' && break
	usleep 200000
done
at=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] random: crng init done.*/\1/p')
now=$(cut -d' ' -f1 /proc/uptime)
n=$(awk '$NF == "ttyS1" { for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print s }' /proc/interrupts)
echo "RATE $(awk -v n="$n" -v a="$now" -v s="$start" 'BEGIN { printf "%.0f", n / (a - s) }')"
if [ -n "$at" ]; then
	echo "RESULT $(awk -v a="$at" -v s="$start" 'BEGIN { printf "%.2f", a - s }')"
else
	echo "RESULT not-ready-after-120s"
fi
poweroff -f
EOF
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd"

boot() {
	timeout 600 qemu-system-x86_64 -accel tcg -m 512 -smp 2 -cpu qemu64 \
		-display none -monitor none -no-reboot \
		-serial "file:$work/log" -serial null \
		-kernel "$kernel" -initrd "$work/initrd" \
		-append "console=ttyS0 panic=-1 quiet edmode=$1" </dev/null \
		>/dev/null 2>&1 || true
	r=$(sed -n 's/^RESULT \([^\r]*\).*/\1/p' "$work/log" | tail -n 1)
	rate=$(sed -n 's/^RATE \([0-9]*\).*/\1/p' "$work/log" | tail -n 1)
	echo "${r:-none}@${rate:-?}"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "| mode | seconds to crng init done, each run | median | ttyS1 interrupts/s |"
echo "|---|---|---|---|"
for mode in none entropyd; do
	times=
	rates=
	for i in $(seq "$runs"); do
		r=$(boot "$mode")
		echo "$mode run $i: ${r%@*} s, ${r#*@} interrupts/s" >&2
		times="$times ${r%@*}"
		rates="$rates ${r#*@}"
	done
	label="kernel alone"
	[ "$mode" = entropyd ] && label="entropyd (ratio 0.5)"
	med=$(printf '%s\n' $times | grep -E '^[0-9.]+$' | median)
	echo "| $label |$(printf ' %s' $times) | $med |$(printf ' %s' $rates) |"
done
