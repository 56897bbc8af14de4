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

# Starts a throwaway single-validator dev node with RPC on port $1 and p2p on port $2 (further
# arguments go to the node), returns once its RPC server runs, and stops it and removes its
# database when the script exits. Sets DEV_NODE_PID and DEV_NODE_BASE.
start_dev_node() {
	local rpc_port="$1" p2p_port="$2"
	shift 2
	require_node_binary
	DEV_NODE_BASE="$(mktemp -d -t perfledger-dev-XXXXXX)"
	"$NODE_BIN" --dev --base-path "$DEV_NODE_BASE" --rpc-port "$rpc_port" --port "$p2p_port" "$@" \
		>"$DEV_NODE_BASE/node.log" 2>&1 &
	DEV_NODE_PID=$!
	trap 'kill "$DEV_NODE_PID" 2>/dev/null; wait "$DEV_NODE_PID" 2>/dev/null; rm -rf "$DEV_NODE_BASE"' EXIT
	for _ in $(seq 60); do
		grep -q "Running JSON-RPC server" "$DEV_NODE_BASE/node.log" && return 0
		sleep 1
	done
	die "the dev node did not start: see $DEV_NODE_BASE/node.log"
}
