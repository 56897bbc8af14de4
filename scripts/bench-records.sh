#!/usr/bin/env bash
# The records benchmark: starts a fresh single-validator dev node; the perfledger client's load
# generator (`perfledger bench`: three signers, pre-signed transactions, rates from finalized
# blocks) submits 20,000 records; then @polkadot/api submits 20,000 records and 20,000 remarks
# from one signer, anchors Merkle batches and verifies inclusion proofs through the runtime API.
# Prints the figures as JSON (the README quotes them).
#
#   scripts/bench-records.sh                     (RECORDS=20000 BATCHES=10 LEAVES=100000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

[ -d tests/e2e/node_modules ] || (cd tests/e2e && npm ci --no-audit --no-fund)

port=9977
# A pool that holds a whole run: 20,000 transactions of one account are in it at once.
start_dev_node "$port" 30977 --prometheus-port 9677 --pool-limit 100000 --pool-kbytes 1000000
node_pid="$DEV_NODE_PID"
client="$CARGO_TARGET_DIR/release/perfledger"
[ -x "$client" ] || die "no client at $client: run scripts/setup.sh --no-start"
log "node $node_pid on ws://127.0.0.1:$port; perfledger bench (three signers, pre-signed)"
"$client" --url "ws://127.0.0.1:$port" bench --records "${RECORDS:-20000}"
log "@polkadot/api: one signer's records, remarks, batches and proofs"
node tests/e2e/bench/records.mjs "ws://127.0.0.1:$port" "$node_pid"
