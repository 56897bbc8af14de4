#!/usr/bin/env bash
# Sets up a fresh Debian machine for Perfledger and starts a local four-validator chain.
#
#   scripts/setup.sh              install, build, then start the local network (Ctrl-C stops it)
#   scripts/setup.sh --no-start   install and build only
#
# Idempotent: what is already installed or built is not done again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start=1
for arg in "$@"; do
	case "$arg" in
		--no-start) start=0 ;;
		-h|--help) sed -n '2,8p' "$0"; exit 0 ;;
		*) die "unknown option: $arg" ;;
	esac
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(protobuf-compiler clang libclang-dev pkg-config libssl-dev)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing Debian packages: ${missing[*]}"
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
fi

command -v rustup >/dev/null || die "rustup is needed (https://rustup.rs) to add the Wasm targets"
installed_targets="$(rustup target list --installed)"
for t in wasm32v1-none wasm32-unknown-unknown; do
	grep -qx "$t" <<<"$installed_targets" || { log "adding Rust target $t"; rustup target add "$t"; }
done
rustup component list --installed | grep -q '^rust-src' || { log "adding rust-src"; rustup component add rust-src; }

# The workspace checks scripts/test.sh runs (the versions .config/ names): Zepter for feature
# propagation, Taplo for TOML formatting.
zepter_version=1.88.2
taplo_version=0.9.3
if [ "$(zepter --version 2>/dev/null)" != "zepter $zepter_version" ]; then
	log "installing zepter $zepter_version (feature propagation check)"
	cargo install --locked --quiet zepter --version "$zepter_version"
fi
if [ "$(taplo --version 2>/dev/null)" != "taplo $taplo_version" ]; then
	log "installing taplo $taplo_version (TOML formatting check)"
	python3 -m pip install --quiet --disable-pip-version-check "taplo==$taplo_version" ||
		cargo install --locked --quiet taplo-cli --version "$taplo_version"
fi

if command -v npm >/dev/null; then
	if [ ! -d "$ROOT/tests/e2e/node_modules/@polkadot/api" ] || [ ! -d "$ROOT/tests/e2e/node_modules/ipfs-unixfs-importer" ]; then
		log "installing the end-to-end tests' npm packages"
		(cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
	fi
else
	log "npm not found: the end-to-end tests (tests/e2e) will not run"
fi

log "building perfledger-node and the perfledger client (release; the first build takes about half an hour on 2 cores)"
(cd "$ROOT" && cargo build --release --locked -p perfledger-node -p perfledger-client)
log "node binary: $NODE_BIN; client: $CARGO_TARGET_DIR/release/perfledger"

if [ "$start" = 1 ]; then
	exec "$ROOT/scripts/start-local-network.sh"
fi
