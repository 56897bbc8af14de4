#!/usr/bin/env python3
"""Turns the `consortium` chain-spec template into a consortium's own chain spec.

    scripts/consortium-spec.py CONFIG.json OUT_DIR

CONFIG.json names the network and its founding members (see
chain-specs/consortium-config.example.json): each member's name, region (ISO 3166-1 alpha-2),
council account, its validator's Aura (sr25519) and GRANDPA (ed25519) public keys, its node's
peer id (authorized to join the network), and the balances to endow. The script
writes OUT_DIR/<id>.json (plain, reviewable) and OUT_DIR/<id>.raw.json (what every validator
starts with: `perfledger-node --chain OUT_DIR/<id>.raw.json --validator ...`).

Every founding member sits on the council and runs a validator. Nothing secret goes in the
config: only public keys and addresses.
"""
import hashlib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/perfledger/target"))
NODE = os.environ.get("PERFLEDGER_NODE", os.path.join(TARGET, "release", "perfledger-node"))


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def field(obj, key, where, kind=str):
    if key not in obj:
        fail(f"{where}: missing field `{key}`")
    value = obj[key]
    if not isinstance(value, kind):
        fail(f"{where}: field `{key}` must be a {kind.__name__}")
    return value


def amount(value, where):
    """Balances are integers in the smallest unit; strings keep large values exact."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        fail(f"{where}: `{value}` is not a whole number of the smallest unit")
    if number <= 0:
        fail(f"{where}: amounts must be positive")
    return number


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text):
    """The bytes of a base58 string, or None if it has a character outside the alphabet."""
    number = 0
    for ch in text:
        if ch not in B58:
            return None
        number = number * 58 + B58.index(ch)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def ss58_ok(address):
    """Whether `address` is an SS58 address of a 32-byte key with a valid checksum."""
    raw = b58decode(address)
    if raw is None or len(raw) not in (35, 36):
        return False
    prefix_len = 1 if len(raw) == 35 else 2
    body, checksum = raw[:-2], raw[-2:]
    digest = hashlib.blake2b(b"SS58PRE" + body, digest_size=64).digest()
    return digest[:2] == checksum and len(body) - prefix_len == 32


def peer_id_bytes(peer_id, where):
    """A libp2p peer id (base58, as `perfledger-node key inspect-node-key` prints it)."""
    raw = b58decode(peer_id)
    if raw is None or len(raw) < 6 or raw[:2] not in (b"\x00\x24", b"\x12\x20"):
        fail(f"{where}: `{peer_id}` is not a libp2p peer id")
    return list(raw)


def load_config(path):
    with open(path) as f:
        config = json.load(f)
    members = field(config, "members", "config", list)
    if not members:
        fail("config: `members` must list at least one founding member")
    seen = {}
    for i, m in enumerate(members):
        where = f"members[{i}]"
        for key in ("name", "account", "aura", "grandpa"):
            value = field(m, key, where)
            if key != "name" and not ss58_ok(value):
                fail(f"{where}: {key} `{value}` is not an SS58 address of a public key")
            if key != "name":
                if value in seen.get(key, set()):
                    fail(f"{where}: {key} `{value}` appears twice")
                seen.setdefault(key, set()).add(value)
        m["endowment"] = amount(m["endowment"], where + ".endowment") if "endowment" in m else 0
        region = field(m, "region", where)
        if len(region) != 2 or not region.isascii() or not region.isupper():
            fail(f"{where}: region `{region}` is not an ISO 3166-1 alpha-2 code such as DE")
        if "peerId" in m:
            m["peerIdBytes"] = peer_id_bytes(field(m, "peerId", where), where + ".peerId")
    extra = config.get("endowments", [])
    for i, e in enumerate(extra):
        if not ss58_ok(field(e, "account", f"endowments[{i}]")):
            fail(f"endowments[{i}]: account `{e['account']}` is not an SS58 address")
        e["amount"] = amount(e.get("amount"), f"endowments[{i}].amount")
    return config


def build(config, out_dir):
    plain = json.loads(
        subprocess.run(
            [NODE, "build-spec", "--chain", "consortium", "--disable-default-bootnode"],
            check=True, capture_output=True, text=True,
        ).stdout
    )
    plain["name"] = field(config, "name", "config")
    plain["id"] = field(config, "id", "config")
    plain["protocolId"] = config.get("protocolId", plain["id"])
    plain["bootNodes"] = config.get("bootNodes", [])
    if "properties" in config:
        plain["properties"].update(config["properties"])

    members = config["members"]
    balances = {}
    for m in members:
        if m["endowment"]:
            balances[m["account"]] = balances.get(m["account"], 0) + m["endowment"]
    for e in config.get("endowments", []):
        balances[e["account"]] = balances.get(e["account"], 0) + e["amount"]

    patch = plain["genesis"]["runtimeGenesis"]["patch"]
    patch["balances"] = {"balances": [[a, v] for a, v in balances.items()]}
    patch["councilMembership"] = {"members": [m["account"] for m in members]}
    patch["consortium"] = {"founders": [
        {"account": m["account"], "name": m["name"], "region": m["region"], "organization": i}
        for i, m in enumerate(members)
    ]}
    # Each founding member owns its organization and is its first admin; further grants
    # (reporters, auditors) are made on chain.
    patch["permissions"] = {"organizations": [
        {"id": i, "owner": m["account"], "name": m["name"], "region": m["region"]}
        for i, m in enumerate(members)
    ], "grants": []}
    patch["validatorSet"] = {
        "validators": [m["account"] for m in members],
        "minValidators": int(config.get("minValidators", min(3, len(members)))),
    }
    patch["session"] = {"keys": [
        [m["account"], m["account"], {"aura": m["aura"], "grandpa": m["grandpa"]}] for m in members
    ]}
    patch["nodeAuthorization"] = {"nodes": [
        [m["peerIdBytes"], m["account"]] for m in members if "peerIdBytes" in m
    ]}

    os.makedirs(out_dir, exist_ok=True)
    plain_path = os.path.join(out_dir, f"{plain['id']}.json")
    raw_path = os.path.join(out_dir, f"{plain['id']}.raw.json")
    with open(plain_path, "w") as f:
        json.dump(plain, f, indent=2)
        f.write("\n")
    # The node checks every key and address while building the raw genesis state.
    raw = subprocess.run(
        [NODE, "build-spec", "--chain", plain_path, "--raw", "--disable-default-bootnode"],
        capture_output=True, text=True,
    )
    if raw.returncode != 0:
        fail(f"the node refused the spec ({plain_path}):\n{raw.stderr.strip()}")
    with open(raw_path, "w") as f:
        f.write(raw.stdout)
    print(plain_path)
    print(raw_path)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if not os.access(NODE, os.X_OK):
        fail(f"no node binary at {NODE}: run scripts/setup.sh --no-start first")
    build(load_config(sys.argv[1]), sys.argv[2])


if __name__ == "__main__":
    main()
