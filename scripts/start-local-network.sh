#!/usr/bin/env bash
# Starts the four validators of the `local` chain (Alice, Bob, Charlie, Dave) on 127.0.0.1.
#
#   scripts/start-local-network.sh [--chain local|PATH] [--keep]
#
# Node i (0..3) listens on p2p port 30333+i, RPC port 9944+i and Prometheus port 9615+i.
# polkadot.js apps connects to ws://127.0.0.1:9944. Databases and logs go to a temporary
# directory, removed on exit unless --keep is given. Ctrl-C stops every node cleanly.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_node_binary

chain=local
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
		--chain) chain="$2"; shift 2 ;;
		--keep) keep=1; shift ;;
		-h|--help) sed -n '2,9p' "$0"; exit 0 ;;
		*) die "unknown option: $1" ;;
	esac
done

base="$(mktemp -d -t perfledger-local-XXXXXX)"
names=(alice bob charlie dave)
pids=()

stop() {
	trap - INT TERM EXIT
	[ -z "${tail_pid:-}" ] || kill "$tail_pid" 2>/dev/null || true
	log "stopping ${#pids[@]} nodes"
	for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	if [ "$keep" = 1 ]; then log "kept databases and logs in $base"; else rm -rf "$base"; fi
}
trap stop INT TERM EXIT

# Well-known development node keys: node i has the secret 0x00..0(i+1), so the boot node's
# peer id is known in advance. Never use these on a real network.
node_key() { printf '%064x' "$(($1 + 1))"; }
boot_id="$("$NODE_BIN" key inspect-node-key --file <(node_key 0))"
bootnode="/ip4/127.0.0.1/tcp/30333/p2p/$boot_id"

for i in "${!names[@]}"; do
	name="${names[$i]}"
	mkdir -p "$base/$name"
	"$NODE_BIN" \
		--chain "$chain" \
		--"$name" \
		--base-path "$base/$name" \
		--node-key "$(node_key "$i")" \
		--port $((30333 + i)) \
		--rpc-port $((9944 + i)) \
		--prometheus-port $((9615 + i)) \
		--rpc-cors all \
		--no-mdns \
		--no-telemetry \
		--bootnodes "$bootnode" \
		>"$base/$name/node.log" 2>&1 &
	pids+=("$!")
	log "$name: pid $!, rpc ws://127.0.0.1:$((9944 + i)), log $base/$name/node.log"
done

log "local network running; Ctrl-C stops it. Following Alice's log:"
tail -n +1 -F "$base/alice/node.log" &
tail_pid=$!
# Returns when any node exits (or on Ctrl-C); the trap then stops the others.
wait -n "${pids[@]}"
log "a node exited; stopping the network"
