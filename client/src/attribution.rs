//! Attribution on chain: registering licenses and artifacts (`perfledger model`), scoring
//! rounds (`perfledger attribution`) and royalty pools (`perfledger royalties`). The
//! commands' flags and output are in `commands/model.rs`, `commands/attribution.rs` and
//! `commands/royalties.rs`; the digests in `manifest.rs` and `cid.rs`; the scores'
//! computation in `valuation.rs`.

use crate::{
	chain::{self, runtime, runtime::runtime_types, Chain, H256},
	files,
	keys::KeyArgs,
	ledger::{self, At},
	manifest::{self, Manifest},
	submit,
};
use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use subxt::utils::AccountId32;

pub use runtime_types::pallet_attribution::types::{ArtifactKind, Crossing, LicenseTerms};
use runtime_types::{
	bounded_collections::bounded_vec::BoundedVec, sp_arithmetic::per_things::Permill,
};

/// An artifact as stored.
pub type Artifact = runtime_types::pallet_attribution::types::Artifact<
	AccountId32,
	BoundedVec<u8>,
	BoundedVec<u64>,
	u32,
>;
/// What an artifact inherits, as stored.
pub type Inheritance = runtime_types::pallet_attribution::types::Inheritance<
	BoundedVec<runtime_types::pallet_attribution::types::Royalty<AccountId32>>,
>;

/// The kind of an artifact, from its name on the command line.
pub fn kind(name: &str) -> Result<ArtifactKind> {
	Ok(match name {
		"dataset" => ArtifactKind::Dataset,
		"checkpoint" | "model" => ArtifactKind::Checkpoint,
		"code" => ArtifactKind::Code,
		"config" => ArtifactKind::Config,
		"evaluation" => ArtifactKind::Evaluation,
		other => bail!("--kind {other}: expected dataset, checkpoint, code, config or evaluation"),
	})
}

/// A kind's name, as the command line writes it.
pub fn kind_name(kind: &ArtifactKind) -> &'static str {
	match kind {
		ArtifactKind::Dataset => "dataset",
		ArtifactKind::Checkpoint => "checkpoint",
		ArtifactKind::Code => "code",
		ArtifactKind::Config => "config",
		ArtifactKind::Evaluation => "evaluation",
	}
}

/// Where `model commit` keeps manifests, by digest, so that `model verify` can name what
/// changed: `$PERFLEDGER_HOME/manifests`, or `~/.perfledger/manifests`.
pub fn manifest_store() -> PathBuf {
	let home = std::env::var_os("PERFLEDGER_HOME")
		.map(PathBuf::from)
		.or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".perfledger")))
		.unwrap_or_else(|| PathBuf::from(".perfledger"));
	home.join("manifests")
}

/// Registers license terms; returns the license's id.
pub async fn register_license(
	url: &str,
	terms: LicenseTerms,
	document: H256,
	keys: &KeyArgs,
) -> Result<u32> {
	let api = chain::connect(url).await?;
	let call = runtime::tx().attribution().register_license(terms, document);
	let event: runtime::attribution::events::LicenseRegistered =
		submit::send_for(&api, &keys.keypair()?, &call).await?;
	Ok(event.license)
}

/// What `model commit` did.
pub struct Committed {
	pub artifact: u64,
	pub manifest: Manifest,
	pub uri: String,
	pub seconds: f64,
	pub saved: PathBuf,
}

/// Computes `path`'s manifest digest (and its CID, for `uri` left out), saves the manifest,
/// and registers the artifact.
pub async fn commit(
	url: &str,
	path: &Path,
	kind: ArtifactKind,
	parents: Vec<u64>,
	license: u32,
	uri: Option<String>,
	keys: &KeyArgs,
) -> Result<Committed> {
	let keypair = keys.keypair()?;
	let started = std::time::Instant::now();
	let manifest = manifest::of(path)?;
	let seconds = started.elapsed().as_secs_f64();
	let uri = match uri {
		Some(uri) => uri,
		None => format!("ipfs://{}", crate::cid::of(path)?),
	};
	let saved = save_manifest(&manifest)?;
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let digest = H256(manifest.digest_bytes());
	if let Some(existing) = artifact_by_digest(&at, digest).await? {
		bail!(
			"{} is artifact {existing} already (digest {}): a digest is registered once",
			path.display(),
			manifest.digest
		);
	}
	let call = runtime::tx().attribution().register_artifact(
		kind,
		digest,
		BoundedVec(uri.clone().into_bytes()),
		BoundedVec(parents),
		license,
	);
	let event: runtime::attribution::events::ArtifactRegistered =
		submit::send_for(&api, &keypair, &call).await.map_err(|e| explain_refusal(e))?;
	Ok(Committed { artifact: event.artifact, manifest, uri, seconds, saved })
}

/// A refusal with what the pallet's error means for the user: which parent, and what to do.
fn explain_refusal(error: anyhow::Error) -> anyhow::Error {
	let text = format!("{error:#}");
	let hint = if text.contains("TrainingForbidden") {
		"a parent (position given by `parent`) is, or descends from, an artifact whose license \
		 forbids training: `perfledger model lineage <parent>` names it"
	} else if text.contains("DerivativeForbidden") {
		"a parent (position given by `parent`) is, or descends from, an artifact whose license \
		 forbids derivatives: `perfledger model lineage <parent>` names it"
	} else if text.contains("RoyaltiesExceedWhole") {
		"the royalties of the parents' lineages add up to more than 100%"
	} else if text.contains("DuplicateDigest") {
		"these bytes are registered already"
	} else {
		return error;
	};
	anyhow!("{text}: {hint}")
}

fn save_manifest(manifest: &Manifest) -> Result<PathBuf> {
	let dir = manifest_store();
	std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
	let path = dir.join(format!("{}.json", manifest.digest));
	std::fs::write(&path, serde_json::to_vec_pretty(manifest)?)
		.with_context(|| format!("cannot write {}", path.display()))?;
	Ok(path)
}

/// The artifact registered with `digest`.
pub async fn artifact_by_digest(at: &At, digest: H256) -> Result<Option<u64>> {
	Ok(at
		.runtime_apis()
		.call(runtime::runtime_apis().attribution_api().artifact_by_digest(digest))
		.await?)
}

/// An artifact and its inheritance.
pub async fn artifact(at: &At, id: u64) -> Result<Option<(Artifact, Inheritance)>> {
	Ok(at.runtime_apis().call(runtime::runtime_apis().attribution_api().artifact(id)).await?)
}

/// What `model verify` found.
pub enum Verdict {
	/// The bytes are the artifact's.
	Same { digest: String },
	/// They differ; what differs, if the artifact's manifest is at hand.
	Changed { expected: String, found: String, differences: Option<Vec<String>> },
	/// No artifact has this id.
	Unknown,
}

/// Recomputes `path`'s manifest and compares it with artifact `id`'s digest; if they differ
/// and the artifact's manifest was kept (by `model commit` here, or given), names what changed.
pub async fn verify(
	url: &str,
	path: &Path,
	id: u64,
	expected_manifest: Option<&Path>,
) -> Result<Verdict> {
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let Some((artifact, _)) = artifact(&at, id).await? else { return Ok(Verdict::Unknown) };
	let expected = hex::encode(artifact.digest.0);
	let found = manifest::of(path)?;
	if found.digest == expected {
		return Ok(Verdict::Same { digest: expected });
	}
	let kept = expected_manifest
		.map(Path::to_path_buf)
		.unwrap_or_else(|| manifest_store().join(format!("{expected}.json")));
	let differences = if kept.exists() {
		let original: Manifest = files::read_json(&kept, "a manifest")?;
		if original.digest != expected {
			bail!(
				"{} is the manifest of {}, not of artifact {id} ({expected})",
				kept.display(),
				original.digest
			);
		}
		Some(found.differences(&original))
	} else {
		None
	};
	Ok(Verdict::Changed { expected, found: found.digest, differences })
}

/// One line of a lineage: an artifact, its generation, and what it is.
pub struct Relative {
	pub id: u64,
	pub generation: u32,
	pub artifact: Artifact,
}

/// An artifact's lineage: ancestors and descendants within `depth`, and its data pedigree.
pub struct Lineage {
	pub artifact: Artifact,
	pub inheritance: Inheritance,
	pub ancestors: Vec<Relative>,
	pub descendants: Vec<Relative>,
	pub pedigree:
		Vec<(u64, Artifact, runtime_types::pallet_attribution::types::License<AccountId32, u32>)>,
}

/// Reads artifact `id`'s lineage (up to `limit` relatives each way).
pub async fn lineage(url: &str, id: u64, depth: u32, limit: u32) -> Result<Option<Lineage>> {
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let Some((artifact, inheritance)) = artifact(&at, id).await? else { return Ok(None) };
	let apis = runtime::runtime_apis().attribution_api();
	let mut relatives = Vec::new();
	for call in [apis.ancestors(id, depth, 0, limit), apis.descendants(id, depth, 0, limit)] {
		let mut found = Vec::new();
		for (other, generation) in at.runtime_apis().call(call).await? {
			let (artifact, _) = self::artifact(&at, other)
				.await?
				.ok_or_else(|| anyhow!("artifact {other} vanished"))?;
			found.push(Relative { id: other, generation, artifact });
		}
		relatives.push(found);
	}
	let pedigree = at.runtime_apis().call(apis.pedigree(id)).await?;
	let descendants = relatives.pop().unwrap_or_default();
	let ancestors = relatives.pop().unwrap_or_default();
	Ok(Some(Lineage { artifact, inheritance, ancestors, descendants, pedigree }))
}

/// A signed call, sent and final; returns the first event of type `E`.
pub async fn send<C: subxt::transactions::Payload, E: subxt::events::DecodeAsEvent>(
	url: &str,
	keys: &KeyArgs,
	call: &C,
) -> Result<E> {
	let api = chain::connect(url).await?;
	submit::send_for(&api, &keys.keypair()?, call).await
}

/// What an evaluator keeps between commit and reveal: its scores and salt. Secret until
/// revealed.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
	pub model: u64,
	pub code: H256,
	pub data: H256,
	pub scores: Vec<(AccountId32, u32)>,
	pub salt: H256,
}

/// The chain's round of `model`, if one is open: (commit until, reveal until).
pub async fn round(at: &At, model: u64) -> Result<Option<(u32, u32)>> {
	let round = at.storage().try_fetch(runtime::storage().attribution().rounds(), (model,)).await?;
	Ok(match round {
		Some(r) => {
			let r = r.decode()?;
			Some((r.commit_until, r.reveal_until))
		}
		None => None,
	})
}

/// Commits to `scores` for `model` and keeps the opening in `out` (private); then, unless
/// `commit_only`, waits for the reveal phase (bounded by the round's own blocks) and reveals.
pub async fn submit_scores(
	url: &str,
	model: u64,
	code: H256,
	data: H256,
	mut scores: Vec<(AccountId32, u32)>,
	out: &Path,
	commit_only: bool,
	keys: &KeyArgs,
) -> Result<(PathBuf, bool)> {
	let keypair = keys.keypair()?;
	scores.sort_by(|a, b| a.0.cmp(&b.0));
	if scores.windows(2).any(|w| w[0].0 == w[1].0) {
		bail!("the scores name a contributor twice");
	}
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let Some((commit_until, reveal_until)) = round(&at, model).await? else {
		bail!("model {model} has no open scoring round: its organization's admin opens one with `perfledger attribution open`");
	};
	let (artifact, _) =
		artifact(&at, model).await?.ok_or_else(|| anyhow!("no artifact {model}"))?;
	let mut salt = [0u8; 32];
	perfledger_proofs::RngCore::fill_bytes(&mut perfledger_proofs::OsRng, &mut salt);
	let opening = Opening { model, code, data, scores: scores.clone(), salt: H256(salt) };
	let saved = files::save_private(out, &format!("scores-{model}.json"), &opening)?;
	let commitment = commitment(model, artifact.digest, code, data, &scores, salt);
	let call = runtime::tx().attribution().commit_scores(model, commitment);
	submit::send(&api, &keypair, &call).await.context("the commitment was refused")?;
	if commit_only {
		return Ok((saved, false));
	}
	wait_for_block(&api, commit_until + 1, reveal_until).await?;
	reveal(&api, &keypair, &opening).await?;
	Ok((saved, true))
}

/// Reveals an opening kept by [`submit_scores`].
pub async fn reveal_from(url: &str, opening: &Path, keys: &KeyArgs) -> Result<u64> {
	let opening: Opening = files::read_json(opening, "a scores opening")?;
	let api = chain::connect(url).await?;
	reveal(&api, &keys.keypair()?, &opening).await?;
	Ok(opening.model)
}

async fn reveal(
	api: &Chain,
	keypair: &subxt_signer::sr25519::Keypair,
	opening: &Opening,
) -> Result<()> {
	let call = runtime::tx().attribution().reveal_scores(
		opening.model,
		opening.code,
		opening.data,
		BoundedVec(opening.scores.clone()),
		opening.salt.0,
	);
	submit::send(api, keypair, &call).await.context("the reveal was refused")?;
	Ok(())
}

/// Waits until the finalized block is at least `block`; fails past `deadline`.
pub async fn wait_for_block(api: &Chain, block: u32, deadline: u32) -> Result<()> {
	loop {
		let at = ledger::finalized(api).await?;
		let number = at.block_number() as u32;
		if number >= block {
			if number > deadline {
				bail!("block {number} is past the phase's end ({deadline})");
			}
			return Ok(());
		}
		tokio::time::sleep(std::time::Duration::from_secs(2)).await;
	}
}

/// The commitment the pallet checks a reveal against (`Pallet::commitment`): `blake2_256` of
/// the SCALE encoding of `(model, digest, code, data, scores, salt)`.
pub fn commitment(
	model: u64,
	digest: H256,
	code: H256,
	data: H256,
	scores: &[(AccountId32, u32)],
	salt: [u8; 32],
) -> H256 {
	use codec::Encode;
	let scores: Vec<([u8; 32], u32)> = scores.iter().map(|(a, s)| (a.0, *s)).collect();
	H256(sp_crypto_hashing::blake2_256(&(model, digest.0, code.0, data.0, scores, salt).encode()))
}

/// What a pool owes an account, and the pool's totals.
pub struct PoolStatus {
	pub claimable: u128,
	pub points: Option<u32>,
	pub paid: u128,
	pub claimed: u128,
}

/// Reads what `model`'s pool owes `who`.
pub async fn status(url: &str, model: u64, who: &AccountId32) -> Result<Option<PoolStatus>> {
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let Some(pool) =
		at.storage().try_fetch(runtime::storage().attribution().pools(), (model,)).await?
	else {
		return Ok(None);
	};
	let pool = pool.decode()?;
	let claimable = at
		.runtime_apis()
		.call(runtime::runtime_apis().attribution_api().claimable(model, who.clone()))
		.await?;
	let points = match at
		.storage()
		.try_fetch(runtime::storage().attribution().scores(), (model, who.clone()))
		.await?
	{
		Some(p) => Some(p.decode()?),
		None => None,
	};
	Ok(Some(PoolStatus { claimable, points, paid: pool.paid, claimed: pool.claimed }))
}

/// License terms from the command line's flags.
pub fn terms(
	derivatives: bool,
	training: bool,
	commercial: bool,
	royalty_percent: f64,
) -> Result<LicenseTerms> {
	if !(0.0..=100.0).contains(&royalty_percent) {
		bail!("--royalty {royalty_percent}: a percentage from 0 to 100");
	}
	Ok(LicenseTerms {
		derivatives,
		training,
		commercial,
		royalty: Permill((royalty_percent * 10_000.0).round() as u32),
	})
}
