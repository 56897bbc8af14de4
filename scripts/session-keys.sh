#!/usr/bin/env bash
# A validator operator's session keys: Aura (sr25519) for authoring, GRANDPA (ed25519) for
# finality. Both derive from one secret, kept in a file only the operator can read.
#
#   scripts/session-keys.sh generate SECRET_FILE
#       Makes a new secret phrase in SECRET_FILE (mode 600, never printed) and prints the
#       public keys to put in the consortium's config (see README, "Launching a consortium").
#   scripts/session-keys.sh public SECRET_FILE
#       Prints the public keys of an existing secret.
#   scripts/session-keys.sh insert SECRET_FILE --base-path DIR --chain SPEC
#       Writes both keys into the keystore of a (stopped) node with `perfledger-node key insert`.
#   scripts/session-keys.sh rotate ACCOUNT [RPC_URL]
#       Asks a running node to make new keys in its own keystore, with a proof that ACCOUNT
#       (the validator's SS58 account) owns them (`author_rotateKeysWithOwner`), and prints
#       `keys` and `proof`: submit them from ACCOUNT with `session.setKeys(keys, proof)`.
#       RPC_URL defaults to http://127.0.0.1:9944 (the RPC must be reachable only by the
#       operator).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,19p' "$0"; exit 2; }
[ $# -ge 1 ] || usage
cmd="$1"; shift

# The secret never passes on a command line (where `ps` and /proc show it to every user): the
# node's `key` commands take the secret file's path and read the phrase from it.
secret_file() {
	[ -f "$1" ] || die "no secret file at $1"
	printf '%s' "$1"
}

public_keys() {
	local file="$1"
	local aura grandpa
	aura="$("$NODE_BIN" key inspect --scheme sr25519 --output-type json "$file" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ss58PublicKey"])')"
	grandpa="$("$NODE_BIN" key inspect --scheme ed25519 --output-type json "$file" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ss58PublicKey"])')"
	printf '{"aura": "%s", "grandpa": "%s"}\n' "$aura" "$grandpa"
}

case "$cmd" in
	generate)
		[ $# -eq 1 ] || usage
		file="$1"
		[ ! -e "$file" ] || die "$file exists already: refusing to overwrite a secret"
		require_node_binary
		umask 077
		"$NODE_BIN" key generate --scheme sr25519 --output-type json \
			| python3 -c 'import json,sys; print(json.load(sys.stdin)["secretPhrase"])' >"$file"
		log "secret phrase written to $file (keep it safe: it controls this validator)"
		public_keys "$file"
		;;
	public)
		[ $# -eq 1 ] || usage
		require_node_binary
		public_keys "$(secret_file "$1")"
		;;
	insert)
		[ $# -ge 1 ] || usage
		file="$1"; shift
		require_node_binary
		secret_file "$file" >/dev/null
		"$NODE_BIN" key insert --key-type aura --scheme sr25519 --suri "$file" "$@"
		"$NODE_BIN" key insert --key-type gran --scheme ed25519 --suri "$file" "$@"
		log "aura and gran keys inserted"
		;;
	rotate)
		[ $# -ge 1 ] || usage
		require_node_binary
		owner="$("$NODE_BIN" key inspect --output-type json "$1" 2>/dev/null \
			| python3 -c 'import json,sys; print(json.load(sys.stdin)["accountId"])')" \
			|| die "$1 is not an SS58 account"
		url="${2:-http://127.0.0.1:9944}"
		curl -sS -H 'Content-Type: application/json' \
			-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"author_rotateKeysWithOwner\",\"params\":[\"$owner\"]}" "$url" \
			| python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps(r.get("result", r), indent=2))'
		;;
	*) usage ;;
esac
