// What the benchmarks share: submitting many pre-signed transactions and measuring their
// inclusion rate from on-chain timestamps.

/**
 * Submits one account's signed extrinsics (hex) in nonce order, each once the node has taken
 * the one before: sent side by side they reach the pool out of order, wait in its future queue
 * and, past its limit, vanish without an error. Resolves once all are in the pool.
 */
export async function submitAll(api, extrinsics) {
  for (const xt of extrinsics) await api.rpc.author.submitExtrinsic(xt);
}

/**
 * Signs `count` calls made by `make(i)` from `pair` with consecutive nonces, submits them, and
 * waits until blocks hold `count` extrinsics of `section`. Returns the inclusion rate between
 * the timestamp of the block before the first that holds one and that of the last.
 */
export async function run(api, pair, count, make, section) {
  const genesisHash = api.genesisHash;
  const runtimeVersion = api.runtimeVersion;
  let nonce = (await api.rpc.system.accountNextIndex(pair.address)).toNumber();
  const signed = [];
  for (let i = 0; i < count; i++) {
    const tx = make(i);
    tx.sign(pair, { nonce: nonce++, era: 0, blockHash: genesisHash, genesisHash, runtimeVersion, signedExtensions: api.registry.signedExtensions });
    signed.push(tx.toHex());
  }
  console.error(`signed ${count} ${section} transactions; submitting`);
  const startBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  let included = 0;
  let failed = 0;
  let firstBlock = null;
  let lastBlock = null;
  const done = new Promise((resolve, reject) => {
    let queue = Promise.resolve();
    api.rpc.chain.subscribeNewHeads((header) => {
      queue = queue.then(async () => {
        const hash = header.hash;
        const [block, events] = await Promise.all([api.rpc.chain.getBlock(hash), api.query.system.events.at(hash)]);
        // Count only successful extrinsics of `section`; failures are reported apart.
        const outcome = new Map();
        for (const { phase, event } of events) {
          if (!phase.isApplyExtrinsic) continue;
          if (api.events.system.ExtrinsicSuccess.is(event)) outcome.set(phase.asApplyExtrinsic.toNumber(), true);
          if (api.events.system.ExtrinsicFailed.is(event)) outcome.set(phase.asApplyExtrinsic.toNumber(), false);
        }
        const mine = block.block.extrinsics.map((x, i) => [x, i]).filter(([x]) => x.method.section === section);
        const ours = mine.filter(([, i]) => outcome.get(i) === true).length;
        failed += mine.filter(([, i]) => outcome.get(i) === false).length;
        if (ours > 0) {
          if (firstBlock === null) firstBlock = header.number.toNumber();
          lastBlock = header.number.toNumber();
          included += ours;
        }
        if (included + failed >= count) resolve();
      }).catch(reject);
    }).then((unsubscribe) => done.finally(unsubscribe), reject);
  });
  await submitAll(api, signed);
  console.error(`${count} ${section} transactions in the pool; waiting for blocks`);
  await done;
  const timestampAt = async (n) => (await (await api.at(await api.rpc.chain.getBlockHash(n))).query.timestamp.now()).toNumber();
  const seconds = ((await timestampAt(lastBlock)) - (await timestampAt(firstBlock - 1))) / 1000;
  return { count: included, failed, blocks: lastBlock - firstBlock + 1, seconds, perSecond: included / seconds, startBlock };
}

