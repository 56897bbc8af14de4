// Helpers over @polkadot/api: connect with no custom types, follow blocks, find authors.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { u8aToBn } from '@polkadot/util';

/** Slots without a new block after which a wait gives up: a stalled chain, not a slow one. */
export const STALL_SLOTS = 20;

/**
 * Connects with metadata alone (no `types`, no `rpc`, no `signedExtensions`), and records
 * every warning polkadot.js prints while doing so in `api.warnings`.
 */
export async function connect(url) {
  const warnings = [];
  const original = console.warn;
  console.warn = (...args) => { warnings.push(args.join(' ')); };
  try {
    const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: false, throwOnConnect: true });
    api.warnings = warnings;
    return api;
  } finally {
    console.warn = original;
  }
}

async function slotDurationMs(api) {
  return Number((await api.call.auraApi.slotDuration()).toString());
}

/**
 * Follows best (`kind = 'best'`) or finalized heads until `done(header)` returns true.
 * Rejects if `done` still fails after `within` heads (a bound in blocks, not in time), if no
 * new head arrives for STALL_SLOTS slots (a stalled chain), or if `abort` rejects first.
 */
export async function followHeads(api, kind, done, abort, within = 100) {
  // Handled from the start: `abort` may reject while the slot duration is still being read,
  // and the race below still sees its rejection.
  abort?.catch(() => {});
  const stallMs = STALL_SLOTS * (await slotDurationMs(api));
  let unsubscribe;
  let timer;
  // Once settled, a head already on its way must not re-arm the stall timer (which would keep
  // the process alive), and a subscription that only starts now is ended at once.
  let finished = false;
  const result = new Promise((resolve, reject) => {
    const arm = () => {
      clearTimeout(timer);
      if (finished) return;
      timer = setTimeout(() => reject(new Error(`no new ${kind} block for ${STALL_SLOTS} slots`)), stallMs);
    };
    arm();
    let seen = 0;
    const subscribe = kind === 'best' ? api.rpc.chain.subscribeNewHeads : api.rpc.chain.subscribeFinalizedHeads;
    subscribe(async (header) => {
      arm();
      try {
        if (await done(header)) resolve(header);
        else if (++seen >= within) reject(new Error(`not reached within ${within} ${kind} blocks`));
      } catch (error) {
        reject(error);
      }
    }).then((u) => { if (finished) u(); else unsubscribe = u; }, reject);
  });
  try {
    return await (abort ? Promise.race([result, abort]) : result);
  } finally {
    finished = true;
    clearTimeout(timer);
    unsubscribe?.();
  }
}

/**
 * Waits for the promise `work`, bounded in blocks as `followHeads` is: rejects if `work` has
 * not settled within `within` best blocks, if no new block arrives for STALL_SLOTS slots, or if
 * `abort` (e.g. `network.crashed()`) rejects first. `what` names the wait in the error. For
 * waits that only a callback ends (a transaction's status, a process's output, a connection).
 */
export async function withinBlocks(api, work, { within = 20, abort, what = 'wait' } = {}) {
  let stop;
  const stopped = new Promise((resolve) => { stop = resolve; });
  // Resolves (ending the subscription) once `work` settles, and rejects only for the bound.
  const deadline = followHeads(api, 'best', () => false, abort ? Promise.race([stopped, abort]) : stopped, within)
    .then(() => {}, (error) => { throw new Error(`${what}: ${error.message}`, { cause: error }); });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    stop();
  }
}

/**
 * The Aura authority that authored `header` (its public key, hex): the slot in its
 * pre-runtime digest, modulo the set.
 */
export async function authorOf(api, header) {
  if (header.number.toNumber() === 0) return null; // genesis has no author
  const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
  if (!preRuntime) throw new Error(`block #${header.number} carries no Aura pre-digest`);
  const slot = u8aToBn(preRuntime.asPreRuntime[1].toU8a(true), { isLe: true });
  const authorities = await (await api.at(header.parentHash)).query.aura.authorities();
  return authorities[slot.modn(authorities.length)].toHex();
}
