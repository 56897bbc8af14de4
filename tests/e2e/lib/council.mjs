// Submitting transactions and council motions with @polkadot/api, as a user of polkadot.js
// apps would: propose, vote, close.

import { withinBlocks } from './chain.mjs';

/** Best blocks after submission within which a transaction must be in a block (or finalized). */
export const INCLUSION_BLOCKS = 20;

/**
 * Submits `tx`, signed by `signer` (or unsigned, as it is, if `signer` is null), and resolves
 * with `{ events, block }` (its own events, the block's hash) once it is in a block, or with
 * `until: 'finalized'` once finalized; rejects on any failure. Bounded in blocks: rejects if
 * that has not happened within `within` best blocks, if no block arrives for STALL_SLOTS
 * slots, or if `abort` (e.g. `network.crashed()`) rejects first. Unsubscribes once settled.
 * `nonce` signs with that nonce (to send several of one signer's transactions at once).
 */
export async function track(api, tx, signer, { until = 'inBlock', within = INCLUSION_BLOCKS, abort, nonce } = {}) {
  let unsubscribe;
  let finished = false;
  const reached = new Promise((resolve, reject) => {
    const onStatus = ({ status, dispatchError, events }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped || status.isFinalityTimeout) {
        reject(new Error(`transaction ${status.type}`));
      } else if (status.isInBlock || status.isFinalized) {
        // A dispatch error is final as soon as the transaction is in a block.
        if (dispatchError) reject(new Error(`dispatch failed: ${describe(api, dispatchError)}`));
        else if (status.isFinalized) resolve({ events: events.map(({ event }) => event), block: status.asFinalized });
        else if (until !== 'finalized') resolve({ events: events.map(({ event }) => event), block: status.asInBlock });
      }
    };
    const sent = !signer ? tx.send(onStatus)
      : nonce === undefined ? tx.signAndSend(signer, onStatus) : tx.signAndSend(signer, { nonce }, onStatus);
    sent
      .then((u) => { if (finished) u(); else unsubscribe = u; }, reject);
  });
  const what = `transaction ${tx.method.section}.${tx.method.method} ${until === 'finalized' ? 'finalized' : 'in a block'}`;
  try {
    return await withinBlocks(api, reached, { within, abort, what });
  } finally {
    finished = true;
    unsubscribe?.();
  }
}

/**
 * Signs and submits `tx`; resolves with its events once in a block, rejects on any failure,
 * and (see `track`, which takes the same `options`) if it is not in a block within
 * INCLUSION_BLOCKS best blocks.
 */
export async function submit(api, tx, signer, options) {
  return (await track(api, tx, signer, options)).events;
}

function describe(api, dispatchError) {
  if (!dispatchError.isModule) return dispatchError.toString();
  const { section, name } = api.registry.findMetaError(dispatchError.asModule);
  return `${section}.${name}`;
}

/**
 * Passes `call` as a council motion: the first voter proposes it with a threshold of every
 * voter, each votes aye, the first closes it. Resolves with the motion's `Executed` result
 * (`{ ok: true }` or `{ ok: false, error }`). `options` go to each `submit`.
 */
export async function councilMotion(api, call, voters, options) {
  const length = call.method.encodedLength;
  const proposed = await submit(api, api.tx.council.propose(voters.length, call, length), voters[0], options);
  const event = proposed.find((e) => api.events.council.Proposed.is(e));
  if (!event) throw new Error('the motion was not proposed');
  const { proposalIndex, proposalHash } = event.data;
  for (const voter of voters) {
    await submit(api, api.tx.council.vote(proposalHash, proposalIndex, true), voter, options);
  }
  const info = await api.call.transactionPaymentCallApi.queryCallInfo(call, length);
  const closed = await submit(api, api.tx.council.close(proposalHash, proposalIndex, info.weight, length), voters[0], options);
  const executed = closed.find((e) => api.events.council.Executed.is(e));
  if (!executed) throw new Error('the motion closed without executing');
  const result = executed.data.result;
  return result.isOk ? { ok: true } : { ok: false, error: describe(api, result.asErr) };
}
