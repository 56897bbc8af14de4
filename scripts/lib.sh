# Shared by the scripts in this folder: paths and the node binary.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build artifacts live outside the clone so that every checkout and CI reuse them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/perfledger/target}"
NODE_BIN="${PERFLEDGER_NODE:-$CARGO_TARGET_DIR/release/perfledger-node}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_node_binary() {
	[ -x "$NODE_BIN" ] || die "no node binary at $NODE_BIN: run scripts/setup.sh --no-start (or cargo build --release -p perfledger-node)"
}
