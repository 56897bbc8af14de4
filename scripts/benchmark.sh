#!/usr/bin/env bash
# Measures the weights of Perfledger's pallets on this machine and writes them to
# runtime/src/weights/<pallet>.rs, which the runtime's pallet configs use.
#
#   scripts/benchmark.sh                 every pallet of ours
#   scripts/benchmark.sh pallet_consortium ...
#   STEPS=50 REPEAT=20 scripts/benchmark.sh   (the defaults)
#
# Builds the node with `--features runtime-benchmarks` in its own target directory (next
# to the main one), so the node the tests use is not rebuilt. Run it on the reference
# machine the consortium agrees on; commit the weight files it writes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_attribution pallet_consortium pallet_disclosure pallet_permissions pallet_records pallet_sla_escrow pallet_validator_set pallet_node_authorization)

target="${CARGO_TARGET_DIR%/}-bench"
log "building perfledger-node with runtime benchmarks (in $target)"
(cd "$ROOT" && CARGO_TARGET_DIR="$target" cargo build --release --locked -p perfledger-node \
	--features runtime-benchmarks)
bench_node="$target/release/perfledger-node"

mkdir -p "$ROOT/runtime/src/weights"
for pallet in "${pallets[@]}"; do
	log "benchmarking $pallet"
	"$bench_node" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "${STEPS:-50}" \
		--repeat "${REPEAT:-20}" \
		--output "$ROOT/runtime/src/weights/$pallet.rs"
done
log "weights written to runtime/src/weights/"
