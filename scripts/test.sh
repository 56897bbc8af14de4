#!/usr/bin/env bash
# The README's test command: installs what is missing, builds the node, runs every Rust test
# (runtime and pallets), then the end-to-end tests against real nodes, and prints one summary.
#
#   scripts/test.sh
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --no-start || die "setup failed"

logs="$(mktemp -d -t perfledger-test-XXXXXX)"
trap 'rm -rf "$logs"' EXIT

log "Rust tests (release profile: shares the node build's artifacts)"
cargo test --release --locked --workspace 2>&1 | tee "$logs/cargo.log"
cargo_status=${PIPESTATUS[0]}

log "try-runtime checks (runtime built with --features try-runtime; native, no Wasm needed)"
SKIP_WASM_BUILD=1 cargo test --release --locked -p perfledger-runtime --features try-runtime \
	tests::try_runtime 2>&1 | tee -a "$logs/cargo.log"
[ "${PIPESTATUS[0]}" = 0 ] || cargo_status=1
# The governance end-to-end test runs the same checks against its live network's state.
PERFLEDGER_TRY_RUNTIME_TEST="$(SKIP_WASM_BUILD=1 cargo test --release --locked -p perfledger-runtime \
	--features try-runtime --lib --no-run --message-format=json 2>/dev/null |
	python3 -c 'import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg.get("executable") and msg["profile"]["test"]:
        print(msg["executable"])')"
export PERFLEDGER_TRY_RUNTIME_TEST

log "building the runtime upgrade the end-to-end tests apply (spec_version + 1)"
PERFLEDGER_UPGRADE_WASM="$("$ROOT/scripts/build-upgrade-wasm.sh")" || die "the upgrade Wasm did not build"
export PERFLEDGER_UPGRADE_WASM

log "building perfledger-prove and the perfledger client (the end-to-end tests drive them)"
cargo build --release --locked -p perfledger-proofs --bin perfledger-prove -p perfledger-client ||
	die "perfledger-prove or the perfledger client did not build"
export PERFLEDGER_PROVE="$CARGO_TARGET_DIR/release/perfledger-prove"
export PERFLEDGER_CLIENT="$CARGO_TARGET_DIR/release/perfledger"

log "end-to-end tests (tests/e2e: real nodes on 127.0.0.1, driven by @polkadot/api)"
(cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs) 2>&1 | tee "$logs/e2e.log"
e2e_status=${PIPESTATUS[0]}

read -r cargo_passed cargo_failed < <(awk '/^test result:/ {
	for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
} END { print p + 0, f + 0 }' "$logs/cargo.log")
read -r e2e_passed e2e_failed < <(awk '/^ℹ pass / { p = $3 } /^ℹ fail / { f = $3 } END { print p + 0, f + 0 }' "$logs/e2e.log")

echo
echo "Rust tests: $cargo_passed passed, $cargo_failed failed (cargo exit $cargo_status)"
echo "End-to-end tests: $e2e_passed passed, $e2e_failed failed (node exit $e2e_status)"
passed=$((cargo_passed + e2e_passed))
failed=$((cargo_failed + e2e_failed))
# A runner that failed without counting a failure (a build error, a crash) still fails the run.
if [ "$cargo_status" != 0 ] && [ "$cargo_failed" = 0 ]; then failed=$((failed + 1)); fi
if [ "$e2e_status" != 0 ] && [ "$e2e_failed" = 0 ]; then failed=$((failed + 1)); fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
