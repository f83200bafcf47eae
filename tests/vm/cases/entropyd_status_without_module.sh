# entropyd_status_without_module: with neither the jitter_rng module nor a
# daemon, `entropyd status` says so in text and JSON, and reads the kernel
# generator's state from getrandom(GRND_NONBLOCK).
# vm-qemu: -cpu qemu64
. /lib/vmlib.sh

if kmsg_has 'random: crng init done'; then ready=ready; else ready="not ready"; fi
out=$(entropyd status) || fail "entropyd status exited $?"
echo "$out"
expect_match "module" '^jitter_rng +not loaded$' "$out"
expect_match "daemon" '^entropyd +not running$' "$out"
expect_match "kernel" "^kernel generator +$ready\$" "$out"
expect_match "entropy_avail" '^entropy_avail +[0-9]+$' "$out"

json=$(entropyd status --json) || fail "entropyd status --json exited $?"
echo "$json"
expect_match "json module" '"jitter_rng":\{"loaded":false\}' "$json"
expect_match "json daemon" '"entropyd":\{"running":false\}' "$json"
[ "$ready" = ready ] && r=true || r=false
expect_match "json kernel" "\"kernel\":\\{\"ready\":$r," "$json"
