// try-runtime's upgrade checks of this runtime against a running node's state, as
// `try-runtime on-runtime-upgrade live` makes them: the runtime's test binary built with
// `--features try-runtime` (scripts/test.sh finds it and exports PERFLEDGER_TRY_RUNTIME_TEST)
// downloads the state over RPC and runs every migration with its pre- and post-upgrade checks,
// twice (the second run must change nothing), then every pallet's invariants.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const TRY_RUNTIME_TEST = process.env.PERFLEDGER_TRY_RUNTIME_TEST;

/**
 * Runs the checks against the node at `wsUrl`; returns the pallets whose storage was migrated,
 * as the test prints them (`Records StorageVersion(1) -> StorageVersion(2)`, ...), or '' if none.
 */
export async function upgradeChecks(wsUrl) {
  assert.ok(TRY_RUNTIME_TEST && existsSync(TRY_RUNTIME_TEST),
    'PERFLEDGER_TRY_RUNTIME_TEST names the runtime test binary built with --features try-runtime');
  const { stdout } = await promisify(execFile)(TRY_RUNTIME_TEST,
    ['--ignored', '--exact', 'tests::try_runtime::a_live_chain_passes_the_upgrade_checks', '--nocapture'],
    { env: { ...process.env, PERFLEDGER_TRY_RUNTIME_URI: wsUrl }, maxBuffer: 1 << 24 });
  assert.match(stdout, /test result: ok\. 1 passed/);
  const passed = stdout.match(/the state at #\d+ passes the upgrade checks; migrated: (.*)/);
  assert.ok(passed, `the checks' report:\n${stdout}`);
  return passed[1];
}
