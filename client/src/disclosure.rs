//! Disclosure: salted field commitments to a document, and single fields disclosed from them,
//! with the disclosure library the runtime checks with (`perfledger disclose`; its subcommands
//! and output are in `commands/disclose.rs`).
//!
//! A document is a JSON object; its fields, in key order, are committed each with a random
//! salt. The commitment's opening (values and salts) stays with the committer in a private
//! file; one field's disclosure (value, salt and Merkle proof) can be given to anyone, who
//! checks it here against the chain, or published on chain.

use crate::{
	chain::{self, runtime, runtime::runtime_types, H256},
	files,
	keys::KeyArgs,
	ledger, submit,
};
use anyhow::{anyhow, bail, Context, Result};
use perfledger_proofs::fields::{self, Document, FieldDisclosure};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What opens a commitment: its fields' names, values and salts. Secret.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Opening {
	/// The commitment's id on chain; `null` in the file saved before submitting, until the
	/// commit is seen final.
	commitment: Option<u64>,
	names: Vec<String>,
	values: Vec<String>,
	salts: Vec<H256>,
}

/// One field, disclosed.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
	pub commitment: u64,
	pub names: Vec<String>,
	pub position: u32,
	pub value: String,
	pub salt: H256,
	pub proof: Vec<H256>,
}

/// The schema of a document with these field names: the hash of the names in order.
pub fn schema(names: &[String]) -> H256 {
	fields::schema_hash(format!("perfledger/fields/v1:{}", names.join(",")).as_bytes())
}

/// The fields of a JSON object document, in key order, as text.
fn document_fields(path: &Path) -> Result<(Vec<String>, Vec<String>)> {
	let value: serde_json::Value = files::read_json(path, "JSON")?;
	let object =
		value.as_object().ok_or_else(|| anyhow!("{} is not a JSON object", path.display()))?;
	if object.is_empty() {
		bail!("{} has no fields", path.display());
	}
	Ok(object
		.iter()
		.map(|(name, value)| {
			let text = match value {
				serde_json::Value::String(s) => s.clone(),
				other => other.to_string(),
			};
			(name.clone(), text)
		})
		.unzip())
}

/// A commitment made, and where its opening is kept.
pub struct Committed {
	/// Its id on chain.
	pub commitment: u64,
	/// How many fields it commits to.
	pub fields: u32,
	/// Its Merkle root.
	pub root: perfledger_proofs::H256,
	/// Its opening (private).
	pub opening: PathBuf,
}

/// Commits to the fields of the JSON object in `document`, bound to `record` (of the
/// signer's organization) if given; `sensitive` disclosures need the consortium's approval.
/// The opening is saved in `out` before the commitment is submitted, as
/// `commitment-pending-<root>.json`, then kept as `commitment-<id>.json`.
pub async fn commit(
	url: &str,
	document: &Path,
	record: Option<u64>,
	sensitive: bool,
	out: &Path,
	keys: &KeyArgs,
) -> Result<Committed> {
	let (names, values) = document_fields(document)?;
	let keypair = keys.keypair()?;
	let doc = Document::new(
		schema(&names),
		values.iter().map(|v| v.as_bytes().to_vec()).collect(),
		&mut perfledger_proofs::OsRng,
	)
	.expect("at least one field");
	let api = chain::connect(url).await?;
	let sensitivity = if sensitive {
		runtime_types::pallet_disclosure::types::Sensitivity::Sensitive
	} else {
		runtime_types::pallet_disclosure::types::Sensitivity::Ordinary
	};
	let call =
		runtime::tx().disclosure().commit(doc.schema(), doc.root(), doc.len(), sensitivity, record);
	// The salts are saved before the commitment is submitted: a crash after it lands must not
	// leave a commitment nobody can open.
	let salts = (0..doc.len()).map(|i| H256(doc.disclose(i).expect("in range").salt)).collect();
	let mut opening = Opening { commitment: None, names, values, salts };
	let root = hex::encode(doc.root());
	let pending = files::save_private(out, &format!("commitment-pending-{root}.json"), &opening)?;
	let committed: runtime::disclosure::events::Committed =
		submit::send_for(&api, &keypair, &call).await.with_context(|| {
			format!(
				"commit (its opening stays in {}: if the commit landed after all, the \
				 commitment with root 0x{root} is on chain; set its id as `commitment`)",
				pending.display()
			)
		})?;
	opening.commitment = Some(committed.commitment);
	let name = format!("commitment-{}.json", committed.commitment);
	let path = files::save_private(out, &name, &opening)?;
	std::fs::remove_file(&pending)
		.with_context(|| format!("cannot remove {}", pending.display()))?;
	Ok(Committed {
		commitment: committed.commitment,
		fields: doc.len(),
		root: doc.root(),
		opening: path,
	})
}

/// One field's disclosure (value, salt, proof), from the opening `commit` kept in `file`.
pub fn disclose_field(file: &Path, field: &str) -> Result<Disclosure> {
	let opening: Opening = files::read_json(file, "a commitment's opening")?;
	let commitment = opening.commitment.ok_or_else(|| {
		anyhow!(
			"{}: `commitment` is null: the commit was not seen final. If it landed, set the id \
			 of the commitment with this document's root; otherwise commit again",
			file.display()
		)
	})?;
	let position = opening.names.iter().position(|n| *n == field).ok_or_else(|| {
		anyhow!("no field `{field}`; the document has {}", opening.names.join(", "))
	})?;
	let fields = opening
		.values
		.iter()
		.zip(&opening.salts)
		.map(|(v, s)| (s.0, v.as_bytes().to_vec()))
		.collect();
	let doc = Document::with_salts(schema(&opening.names), fields).expect("at least one field");
	let disclosed = doc.disclose(position as u32).expect("in range");
	Ok(Disclosure {
		commitment,
		names: opening.names.clone(),
		position: disclosed.position,
		value: opening.values[position].clone(),
		salt: H256(disclosed.salt),
		proof: disclosed.proof,
	})
}

/// A disclosure checked against the chain's commitment.
pub enum FieldCheck {
	/// The commitment it names does not exist.
	NoCommitment(u64),
	/// Checked here against the committed root, and by the runtime.
	Checked {
		/// The field, its value, and the commitment and organization it is of.
		what: String,
		/// Whether the field names are the committed schema's.
		schema_ok: bool,
		/// Whether it checks here: the schema, and the field under the committed root.
		here: bool,
		/// Whether the runtime's `verify_field` accepts it.
		runtime_ok: bool,
		/// The runtime's answer, as it gives it.
		runtime: String,
	},
}

/// Checks the disclosure in `file`, received from someone, against the chain's commitment:
/// here, and with the runtime's `verify_field`.
pub async fn verify(url: &str, file: &Path) -> Result<FieldCheck> {
	let d: Disclosure = files::read_json(file, "a field disclosure")?;
	let api = chain::connect(url).await?;
	let at = ledger::finalized(&api).await?;
	let commitment = at
		.runtime_apis()
		.call(runtime::runtime_apis().disclosure_api().commitment(d.commitment))
		.await?;
	let Some(commitment) = commitment else {
		return Ok(FieldCheck::NoCommitment(d.commitment));
	};
	let name = d.names.get(d.position as usize).cloned().unwrap_or_default();
	let local = FieldDisclosure {
		position: d.position,
		value: d.value.as_bytes().to_vec(),
		salt: d.salt.0,
		proof: d.proof.clone(),
	};
	let schema_ok = schema(&d.names) == commitment.schema;
	let here = schema_ok
		&& fields::verify(&commitment.schema, &commitment.root, commitment.fields, &local).is_ok();
	let disclosure = runtime_types::perfledger_proofs::fields::FieldDisclosure {
		position: d.position,
		value: local.value.clone(),
		salt: local.salt,
		proof: local.proof.clone(),
	};
	let runtime = at
		.runtime_apis()
		.call(runtime::runtime_apis().disclosure_api().verify_field(d.commitment, disclosure))
		.await?;
	let what = format!(
		"field `{name}` = {:?} of commitment {} (organization {})",
		d.value, d.commitment, commitment.organization
	);
	Ok(FieldCheck::Checked {
		what,
		schema_ok,
		here,
		runtime_ok: runtime.is_ok(),
		runtime: format!("{runtime:?}"),
	})
}

/// Publishes the disclosure in `file` on chain (the runtime checks it); the disclosure
/// published.
pub async fn publish(url: &str, file: &Path, keys: &KeyArgs) -> Result<Disclosure> {
	let d: Disclosure = files::read_json(file, "a field disclosure")?;
	let keypair = keys.keypair()?;
	let api = chain::connect(url).await?;
	use runtime_types::bounded_collections::bounded_vec::BoundedVec;
	let call = runtime::tx().disclosure().publish_field(
		d.commitment,
		d.position,
		BoundedVec(d.value.as_bytes().to_vec()),
		d.salt.0,
		BoundedVec(d.proof.clone()),
	);
	submit::send(&api, &keypair, &call).await.context("publish_field")?;
	Ok(d)
}
