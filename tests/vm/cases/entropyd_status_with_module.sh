# entropyd_status_with_module: with jitter_rng loaded, `entropyd status`
# shows its sysfs attributes (health, samples, credited bits...) in text
# and JSON, and forgets the module once it is removed.
# vm-qemu: -cpu qemu64
. /lib/vmlib.sh

jrng_load
sleep 1
health=$(jrng_attr health)
osr=$(jrng_attr osr)

out=$(entropyd status) || fail "entropyd status exited $?"
echo "$out"
expect_match "module" \
	"^jitter_rng +health $health, samples [0-9]+, credited_bits [0-9]+, rct_failures [0-9]+, apt_failures [0-9]+, osr $osr, enabled [01]\$" "$out"
if kmsg_has 'random: crng init done'; then ready=ready; else ready="not ready"; fi
expect_match "kernel" "^kernel generator +$ready\$" "$out"

json=$(entropyd status --json) || fail "entropyd status --json exited $?"
echo "$json"
expect_match "json module" \
	"\"jitter_rng\":\\{\"loaded\":true,\"health\":\"$health\",\"samples\":[0-9]+,\"credited_bits\":[0-9]+,\"rct_failures\":[0-9]+,\"apt_failures\":[0-9]+,\"osr\":$osr,\"enabled\":[01]\\}" "$json"

rmmod jitter_rng || fail "rmmod"
expect_match "after rmmod" '^jitter_rng +not loaded$' "$(entropyd status)"
