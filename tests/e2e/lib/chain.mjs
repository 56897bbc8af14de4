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
  const stallMs = STALL_SLOTS * (await slotDurationMs(api));
  let unsubscribe;
  let timer;
  const result = new Promise((resolve, reject) => {
    const arm = () => {
      clearTimeout(timer);
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
    }).then((u) => { unsubscribe = u; }, reject);
  });
  try {
    return await (abort ? Promise.race([result, abort]) : result);
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
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
