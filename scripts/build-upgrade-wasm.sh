#!/usr/bin/env bash
# Builds the runtime the end-to-end upgrade test applies: this runtime with `spec_version`
# one higher (the `e2e-upgrade` feature), and prints the path of its compressed Wasm.
#
#   scripts/build-upgrade-wasm.sh
#
# It builds in its own target directory (next to the main one) so that the node's build is
# not disturbed; `cargo check` is enough, as the runtime's build script builds the Wasm.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target="${CARGO_TARGET_DIR%/}-upgrade"
(cd "$ROOT" && CARGO_TARGET_DIR="$target" cargo check --release --locked -q \
	-p perfledger-runtime --features e2e-upgrade) >&2
wasm="$target/release/wbuild/perfledger-runtime/perfledger_runtime.compact.compressed.wasm"
[ -f "$wasm" ] || die "the upgrade build made no Wasm at $wasm"
echo "$wasm"
