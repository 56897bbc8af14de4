#!/usr/bin/env bash
# Regenerates the chain specs under chain-specs/ from the runtime's genesis presets:
# dev.raw.json, local.raw.json, and the consortium template in plain (consortium.json, to
# read and edit) and raw (consortium.raw.json) form.
#
#   scripts/build-chain-specs.sh
#
# Run it after every change of the runtime that the specs should carry.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_node_binary

out="$ROOT/chain-specs"
mkdir -p "$out"
for chain in dev local consortium; do
	"$NODE_BIN" build-spec --chain "$chain" --raw --disable-default-bootnode >"$out/$chain.raw.json" 2>/dev/null
	log "chain-specs/$chain.raw.json"
done
"$NODE_BIN" build-spec --chain consortium --disable-default-bootnode >"$out/consortium.json" 2>/dev/null
log "chain-specs/consortium.json"
