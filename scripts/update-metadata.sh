#!/usr/bin/env bash
# Regenerates the runtime metadata the client (client/, the `perfledger` binary) is generated
# from: starts a throwaway dev node built from this checkout, asks it for its metadata (V16),
# and writes client/metadata/perfledger.scale. Rebuild the client afterwards.
#
#   scripts/update-metadata.sh          (node from $PERFLEDGER_NODE or the cached release build)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
port=9988
start_dev_node "$port" 30988 --no-prometheus

# Metadata_metadata_at_version(16) returns Option<OpaqueMetadata>: strip the Option tag and the
# compact length to keep the metadata bytes themselves.
curl -sf -H 'Content-Type: application/json' \
	-d '{"id":1,"jsonrpc":"2.0","method":"state_call","params":["Metadata_metadata_at_version","0x10000000"]}' \
	"http://127.0.0.1:$port" | python3 -c '
import json, sys
raw = bytes.fromhex(json.load(sys.stdin)["result"][2:])
assert raw[0] == 1, "the node has no V16 metadata"
mode = raw[1] & 3
offset = {0: 1, 1: 2, 2: 4}[mode]
length = {0: raw[1] >> 2, 1: int.from_bytes(raw[1:3], "little") >> 2, 2: int.from_bytes(raw[1:5], "little") >> 2}[mode]
body = raw[1 + offset:]
assert len(body) == length, "truncated metadata"
sys.stdout.buffer.write(body)' >client/metadata/perfledger.scale
log "wrote client/metadata/perfledger.scale ($(wc -c <client/metadata/perfledger.scale) bytes); rebuild the client: cargo build --release -p perfledger-client"
