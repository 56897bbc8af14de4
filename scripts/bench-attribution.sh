#!/usr/bin/env bash
# The attribution benchmark: starts a fresh single-validator dev node; @polkadot/api registers
# 10,000 artifacts (a DAG) while as many records are submitted in the same blocks, then times
# the lineage runtime API over the whole DAG; then `perfledger model digest` hashes a 1 GB
# file. Prints the figures (the README quotes them).
#
#   scripts/bench-attribution.sh          (ARTIFACTS=10000 DIGEST_MB=1024)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

[ -d tests/e2e/node_modules/@polkadot/api ] || (cd tests/e2e && npm ci --no-audit --no-fund)
client="$CARGO_TARGET_DIR/release/perfledger"
[ -x "$client" ] || die "no client at $client: run scripts/setup.sh --no-start"

port=9976
start_dev_node "$port" 30976 --prometheus-port 9676 --pool-limit 100000 --pool-kbytes 1000000
log "node $DEV_NODE_PID on ws://127.0.0.1:$port: artifacts and records"
node tests/e2e/bench/attribution.mjs "ws://127.0.0.1:$port" || {
	cp "$DEV_NODE_BASE/node.log" "${TMPDIR:-/tmp}/bench-attribution-node.log"
	die "the benchmark failed: the node's log is in ${TMPDIR:-/tmp}/bench-attribution-node.log"
}

# In the node's directory, which the exit removes with the node.
file="$DEV_NODE_BASE/digest.bin"
log "a ${DIGEST_MB:-1024} MB file: perfledger model digest (manifest digest and CID)"
head -c "$(( ${DIGEST_MB:-1024} * 1024 * 1024 ))" /dev/urandom >"$file"
sync
"$client" model digest "$file"
