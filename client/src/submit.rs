//! Sending transactions: signed with consecutive nonces (so that many can be in flight), or
//! unsigned (device readings), each followed until its block is finalized.

use crate::{
	chain::{Chain, Config, H256},
	ledger::{self, At},
};
use anyhow::{anyhow, bail, Result};
use subxt::{
	client::OnlineClientAtBlockImpl,
	config::DefaultExtrinsicParamsBuilder,
	extrinsics::ExtrinsicEvents,
	transactions::{Payload, SubmittableTransaction},
};
use subxt_signer::sr25519::Keypair;

/// A transaction ready to send.
pub type Transaction = SubmittableTransaction<Config, OnlineClientAtBlockImpl<Config>>;

/// A finalized transaction's block and events.
pub struct Finalized {
	/// The block that holds it.
	pub block: H256,
	/// Its events.
	pub events: ExtrinsicEvents<Config>,
}

/// How long a run waits for an earlier run's transactions to leave the pool.
const WAIT_FOR_POOL: std::time::Duration = std::time::Duration::from_secs(120);

/// Signs transactions for one account, with consecutive nonces from the chain's.
pub struct Signer {
	at: At,
	keypair: Keypair,
	nonce: u64,
}

impl Signer {
	/// A signer for `keypair`, starting at its next nonce. If transactions of the account are
	/// still waiting in the pool (an earlier run that was interrupted), waits until they are
	/// final, so that the chain state a run starts from holds all they wrote.
	pub async fn new(chain: &Chain, keypair: Keypair) -> Result<Self> {
		let account = keypair.public_key().to_account_id();
		let started = std::time::Instant::now();
		loop {
			let at = ledger::finalized(chain).await?;
			let nonce = at.tx().account_nonce(&account).await?;
			let pending = chain.rpc.system_account_next_index(&account).await?;
			if pending <= nonce {
				return Ok(Self { at, keypair, nonce });
			}
			if started.elapsed() > WAIT_FOR_POOL {
				bail!(
					"{} transactions of {account} are still pending after {} s; try again when \
					 they are final",
					pending - nonce,
					WAIT_FOR_POOL.as_secs()
				);
			}
			eprintln!(
				"waiting for {} earlier transaction(s) of {account} to be final",
				pending - nonce
			);
			tokio::time::sleep(std::time::Duration::from_secs(2)).await;
		}
	}

	/// Signs `call` with the next nonce, without asking the node anything. Immortal: a long
	/// import does not outlive its transactions, and the nonce keeps each from being replayed.
	pub fn sign<C: Payload>(&mut self, call: &C) -> Result<Transaction> {
		let params =
			DefaultExtrinsicParamsBuilder::<Config>::new().immortal().nonce(self.nonce).build();
		let tx = self.at.tx().create_signable_offline(call, params)?.sign(&self.keypair)?;
		self.nonce += 1;
		Ok(tx)
	}
}

/// An unsigned transaction (a device reading).
pub fn unsigned<C: Payload>(at: &At, call: &C) -> Result<Transaction> {
	Ok(at.tx().create_unsigned(call)?)
}

/// Sends `tx` and waits until its block is finalized; an error says why it failed (the
/// pallet's error for a failed dispatch, the pool's reason for an invalid transaction).
pub async fn finalize(tx: Transaction) -> Result<Finalized> {
	let progress = tx.submit_and_watch().await.map_err(|e| anyhow!("the node refused it: {e}"))?;
	let in_block = progress.wait_for_finalized().await.map_err(|e| anyhow!("{e}"))?;
	let block = in_block.block_hash();
	let events = in_block.wait_for_success().await.map_err(|e| anyhow!("{e}"))?;
	Ok(Finalized { block, events })
}

/// Signs, sends and finalizes one call.
pub async fn send<C: Payload>(chain: &Chain, keypair: &Keypair, call: &C) -> Result<Finalized> {
	let mut signer = Signer::new(chain, keypair.clone()).await?;
	finalize(signer.sign(call)?).await
}

/// Signs, sends and finalizes one call, and returns the first event of type `E` it emitted.
pub async fn send_for<C: Payload, E: subxt::events::DecodeAsEvent>(
	chain: &Chain,
	keypair: &Keypair,
	call: &C,
) -> Result<E> {
	let done = send(chain, keypair, call).await?;
	done.events
		.find_first::<E>()
		.ok_or_else(|| anyhow!("the transaction emitted no {}", std::any::type_name::<E>()))?
		.map_err(Into::into)
}
