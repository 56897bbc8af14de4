#!/usr/bin/env bash
# The records benchmark: starts a fresh single-validator dev node, submits 20,000 records and
# 20,000 remarks with @polkadot/api, anchors Merkle batches, verifies inclusion proofs through
# the runtime API, and prints the figures as JSON (the README quotes them).
#
#   scripts/bench-records.sh                     (RECORDS=20000 BATCHES=10 LEAVES=100000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

node_bin="$NODE_BIN"
[ -x "$node_bin" ] || die "no node at $node_bin: run scripts/setup.sh --no-start"
[ -d tests/e2e/node_modules ] || (cd tests/e2e && npm ci --no-audit --no-fund)

base="$(mktemp -d -t perfledger-bench-XXXXXX)"
port=9977
# A pool that holds a whole run: 20,000 transactions of one account are in it at once.
"$node_bin" --dev --base-path "$base" --rpc-port "$port" --port 30977 --prometheus-port 9677 \
	--pool-limit 100000 --pool-kbytes 1000000 >"$base/node.log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; rm -rf "$base"' EXIT
for _ in $(seq 60); do
	grep -q "Running JSON-RPC server" "$base/node.log" && break
	sleep 1
done
log "node $node_pid on ws://127.0.0.1:$port; benchmarking"
node tests/e2e/bench/records.mjs "ws://127.0.0.1:$port" "$node_pid"
