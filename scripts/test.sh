#!/usr/bin/env bash
# The README's test command: installs what is missing, builds the node, runs every Rust test
# (runtime and pallets), then the end-to-end tests against real nodes, and prints one summary.
#
#   scripts/test.sh
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# The tests counted so far. Every way out of this script ends with the line `N passed, M failed`
# (what CI and the README read): a step that dies part-way (lib.sh's `die`, an unset variable, a
# signal) never prints the final count itself, so the EXIT trap prints it, with the step that
# died counted as one failure. A run cut short must not end on "0 failed" or on no count at all.
# (lib.sh's `die` itself is unchanged: it exits, and the trap does the rest.)
passed=0
failed=0
summarized=
logs=
summarize() {
	echo "$passed passed, $failed failed"
	summarized=1
}
on_exit() {
	[ -z "$logs" ] || rm -rf "$logs"
	if [ -z "$summarized" ]; then
		failed=$((failed + 1))
		echo "the run stopped before its end: the step that stopped it counts as one failure" >&2
		summarize
	fi
}
trap on_exit EXIT

"$ROOT/scripts/setup.sh" --no-start || die "setup failed"

logs="$(mktemp -d -t perfledger-test-XXXXXX)"

# Workspace hygiene, each counted as one test: every feature reaches the dependencies that have
# it (a `std` build must not compile a dependency without `std`), and the TOML files are
# formatted as .config/taplo.toml says. `zepter` and the `taplo format` command without `--check`
# fix what they report.
log "workspace checks: feature propagation (zepter), TOML formatting (taplo)"
if zepter run check; then passed=$((passed + 1)); else
	failed=$((failed + 1)); echo "feature propagation: run \`zepter\` to fix" >&2; fi
if taplo format --check --config .config/taplo.toml; then passed=$((passed + 1)); else
	failed=$((failed + 1)); echo "TOML formatting: run \`taplo format --config .config/taplo.toml\` to fix" >&2; fi

# --no-fail-fast: without it cargo stops at the first crate with a failing test, and the tests
# of the crates after it are neither run nor counted.
log "Rust tests (release profile: shares the node build's artifacts)"
cargo test --release --locked --no-fail-fast --workspace 2>&1 | tee "$logs/cargo.log"
cargo_status=${PIPESTATUS[0]}

log "try-runtime checks (runtime built with --features try-runtime; native, no Wasm needed)"
SKIP_WASM_BUILD=1 cargo test --release --locked --no-fail-fast -p perfledger-runtime --features try-runtime \
	tests::try_runtime 2>&1 | tee -a "$logs/cargo.log"
[ "${PIPESTATUS[0]}" = 0 ] || cargo_status=1

log "benchmarks, each run once on its pallet's test runtime (--features runtime-benchmarks)"
SKIP_WASM_BUILD=1 cargo test --release --locked --no-fail-fast --features runtime-benchmarks --lib \
	-p pallet-attribution -p pallet-consortium -p pallet-permissions -p pallet-records -p pallet-disclosure \
	-p pallet-sla-escrow -p pallet-validator-set -p perfledger-node-authorization-benchmarks \
	-- benchmarks::bench_ 2>&1 | tee -a "$logs/cargo.log"
[ "${PIPESTATUS[0]}" = 0 ] || cargo_status=1

# Counted now, before the steps below that may die, so that their final line includes them.
read -r cargo_passed cargo_failed < <(awk '/^test result:/ {
	for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
} END { print p + 0, f + 0 }' "$logs/cargo.log")
# A runner that failed without counting a failure (a build error, a crash) still fails the run.
if [ "$cargo_status" != 0 ] && [ "$cargo_failed" = 0 ]; then cargo_failed=1; fi
echo
echo "Rust tests: $cargo_passed passed, $cargo_failed failed (cargo exit $cargo_status)"
passed=$((passed + cargo_passed))
failed=$((failed + cargo_failed))
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
# `--bin` selects targets across every `-p`: name both binaries, or the client is not built
# (and a stale one from the cache would be tested).
cargo build --release --locked -p perfledger-proofs -p perfledger-client --bin perfledger-prove --bin perfledger ||
	die "perfledger-prove or the perfledger client did not build"
export PERFLEDGER_PROVE="$CARGO_TARGET_DIR/release/perfledger-prove"
export PERFLEDGER_CLIENT="$CARGO_TARGET_DIR/release/perfledger"

log "end-to-end tests (tests/e2e: real nodes on 127.0.0.1, driven by @polkadot/api)"
(cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs) 2>&1 | tee "$logs/e2e.log"
e2e_status=${PIPESTATUS[0]}

# Node's runner keeps apart what did not pass: `fail`, `cancelled` (the tests of a suite whose
# `before` hook failed, or cut off by the end of their file), `skipped` and `todo` (whose
# failures do not even fail node's exit status). None of them is a pass, so all count as failed.
read -r e2e_passed e2e_fail e2e_cancelled e2e_skipped e2e_todo < <(awk '
	/^ℹ pass / { p = $3 } /^ℹ fail / { f = $3 } /^ℹ cancelled / { c = $3 }
	/^ℹ skipped / { s = $3 } /^ℹ todo / { t = $3 }
	END { print p + 0, f + 0, c + 0, s + 0, t + 0 }' "$logs/e2e.log")
e2e_failed=$((e2e_fail + e2e_cancelled + e2e_skipped + e2e_todo))
# A runner that failed without counting a failure (a crash, no summary) still fails the run.
if [ "$e2e_status" != 0 ] && [ "$e2e_failed" = 0 ]; then e2e_failed=1; fi

echo
echo "Rust tests: $cargo_passed passed, $cargo_failed failed (cargo exit $cargo_status)"
echo "End-to-end tests: $e2e_passed passed, $e2e_failed failed ($e2e_fail failing, $e2e_cancelled cancelled," \
	"$e2e_skipped skipped, $e2e_todo todo: a test that did not run to a pass counts as failed) (node exit $e2e_status)"
passed=$((passed + e2e_passed))
failed=$((failed + e2e_failed))
summarize
[ "$failed" = 0 ]
