// Submitting transactions and council motions with @polkadot/api, as a user of polkadot.js
// apps would: propose, vote, close.

/** Signs and submits `tx`; resolves with its events once in a block, rejects on any failure. */
export function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError, events }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
      } else if (status.isInBlock) {
        if (dispatchError) reject(new Error(`dispatch failed: ${describe(api, dispatchError)}`));
        else resolve(events.map(({ event }) => event));
      }
    }).catch(reject);
  });
}

function describe(api, dispatchError) {
  if (!dispatchError.isModule) return dispatchError.toString();
  const { section, name } = api.registry.findMetaError(dispatchError.asModule);
  return `${section}.${name}`;
}

/**
 * Passes `call` as a council motion: the first voter proposes it with a threshold of every
 * voter, each votes aye, the first closes it. Resolves with the motion's `Executed` result
 * (`{ ok: true }` or `{ ok: false, error }`).
 */
export async function councilMotion(api, call, voters) {
  const length = call.method.encodedLength;
  const proposed = await submit(api, api.tx.council.propose(voters.length, call, length), voters[0]);
  const event = proposed.find((e) => api.events.council.Proposed.is(e));
  if (!event) throw new Error('the motion was not proposed');
  const { proposalIndex, proposalHash } = event.data;
  for (const voter of voters) {
    await submit(api, api.tx.council.vote(proposalHash, proposalIndex, true), voter);
  }
  const info = await api.call.transactionPaymentCallApi.queryCallInfo(call, length);
  const closed = await submit(api, api.tx.council.close(proposalHash, proposalIndex, info.weight, length), voters[0]);
  const executed = closed.find((e) => api.events.council.Executed.is(e));
  if (!executed) throw new Error('the motion closed without executing');
  const result = executed.data.result;
  return result.isOk ? { ok: true } : { ok: false, error: describe(api, result.asErr) };
}
