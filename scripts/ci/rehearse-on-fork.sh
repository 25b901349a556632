#!/usr/bin/env bash
# CI rehearsal, for real: a `hardhat node` on 127.0.0.1 plays the live chain. The stack is
# deployed on it, proposals are drafted as a team would draft them on branches, and each is
# rehearsed on a fork of that node with `release rehearse`, exactly as the GitHub workflow
# (.github/workflows/rehearse.yml) does against the real network.
#
# It shows: a passing upgrade, a passing pause + instant rollback pair, and a failing rehearsal,
# a proposal whose Safe nonce another proposal already used (two branches drafted the same nonce),
# which must be reported as failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"

work=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export RELEASE_TEST_RPC_URL="http://127.0.0.1:$port" RELEASE_TEST_RECORDS_DIR="$work/main" RELEASE_TEST_NO_EXPLORERS=1
owner1=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
owner2=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC
guardian=0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65

hardhat node --hostname 127.0.0.1 --port "$port" > "$work/node.log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do grep -q "Started HTTP" "$work/node.log" && break; sleep 0.5; done

hh() { hardhat --config test/fixtures/loopback.config.ts "$@" --network loopback; }
rpc() { curl -s -X POST -H 'content-type: application/json' --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$RELEASE_TEST_RPC_URL" > /dev/null; }
show() { echo; echo "----- $1 -----"; cat "$2"; }

echo "== the live chain gets the governed stack"
hh release deploy > /dev/null

echo "== an upgrade, drafted and signed by one owner, rehearsed on a fork"
hh release propose upgrade --proxy Vault --implementation VaultV2 --call "initializeV2()" > /dev/null
hh release sign 001-upgrade-Vault --signer "$owner1" > /dev/null
hh release rehearse 001-upgrade-Vault --report "$work/upgrade.md" > /dev/null
show "report: upgrade (expected to pass)" "$work/upgrade.md"

echo "== the upgrade goes live"
hh release sign 001-upgrade-Vault --signer "$owner2" > /dev/null
hh release execute 001-upgrade-Vault > /dev/null
rpc evm_increaseTime '[3601]'; rpc evm_mine '[]'
hh release sign 001-upgrade-Vault --signer "$owner1" > /dev/null
hh release sign 001-upgrade-Vault --signer "$owner2" > /dev/null
hh release execute 001-upgrade-Vault > /dev/null

echo "== branch B starts from the same records as branch A"
cp -r "$work/main" "$work/branch-b"

echo "== branch A: an incident drill, pause then instant rollback, rehearsed in order"
hh release propose pause --proxy Vault > /dev/null
hh release propose rollback --proxy Vault --instant > /dev/null
hh release rehearse 002-pause-Vault 003-instant-rollback-Vault --report "$work/pause-rollback.md" > /dev/null
show "report: pause + instant rollback (expected to pass)" "$work/pause-rollback.md"

# (Not a pause: the same pause at the same nonce is the same Safe transaction, and branch B's
# records would rightly follow the chain and find it executed.)
echo "== branch B drafts its own instant rollback: same guardian Safe nonce as branch A's pause"
RELEASE_TEST_RECORDS_DIR="$work/branch-b" hh release propose rollback --proxy Vault --instant --description "Rollback from branch B" > /dev/null

echo "== branch A's pause goes live first"
hh release sign 002-pause-Vault --signer "$guardian" > /dev/null
hh release execute 002-pause-Vault > /dev/null

echo "== branch B's CI rehearses its now stale proposal"
if RELEASE_TEST_RECORDS_DIR="$work/branch-b" hh release rehearse 002-instant-rollback-Vault --report "$work/stale.md" > /dev/null; then
  echo "FAIL: the stale proposal rehearsed cleanly" >&2
  exit 1
fi
show "report: branch B's rollback (expected to FAIL: stale nonce)" "$work/stale.md"
grep -q "RS3007" "$work/stale.md"
grep -q "## Rehearsal passed" "$work/upgrade.md"
grep -q "## Rehearsal passed" "$work/pause-rollback.md"
echo
echo "CI rehearsal: 2 passing rehearsals, 1 failing rehearsal reported as failed, as expected."
