#!/usr/bin/env bash
# Prints a node's peer id in both forms: base58 (as the node logs it) and the hex bytes that
# `nodeAuthorization` calls take in polkadot.js apps (enter the peer id as these bytes).
#
#   scripts/peer-id.sh NODE_KEY_FILE     the node's key file (`--node-key-file`)
#   scripts/peer-id.sh 12D3KooW...       a peer id as the node prints it
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -eq 1 ] || { sed -n '2,7p' "$0"; exit 2; }

if [ -f "$1" ]; then
	require_node_binary
	peer="$("$NODE_BIN" key inspect-node-key --file "$1")"
else
	peer="$1"
fi
python3 - "$peer" <<'PY'
import sys
alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
peer = sys.argv[1]
if not peer or any(c not in alphabet for c in peer):
    sys.exit(f"error: `{peer}` is not a base58 peer id")
n = 0
for c in peer:
    n = n * 58 + alphabet.index(c)
raw = b"\0" * (len(peer) - len(peer.lstrip("1"))) + n.to_bytes((n.bit_length() + 7) // 8, "big")
print(f"peer id: {peer}")
print(f"bytes:   0x{raw.hex()}")
PY
