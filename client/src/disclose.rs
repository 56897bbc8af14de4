//! `perfledger disclose`: salted field commitments to a document, and single fields disclosed
//! from them, with the disclosure library the runtime checks with.
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
use clap::Subcommand;
use perfledger_proofs::fields::{self, Document, FieldDisclosure};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Disclosure commands.
#[derive(Subcommand, Debug)]
pub enum DiscloseArgs {
	/// Commits to a JSON document's fields, optionally bound to a record of the signer's
	/// organization; keeps the opening in `<out>/commitment-<id>.json` (private). The opening
	/// is saved first (`commitment-pending-<root>.json`), then the commitment submitted.
	Commit {
		/// The document: a JSON object.
		document: PathBuf,
		/// The record it is behind.
		#[arg(long)]
		record: Option<u64>,
		/// Disclosures of it need the consortium's approval.
		#[arg(long)]
		sensitive: bool,
		#[arg(long, default_value = "perfledger-out")]
		out: PathBuf,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Prints one field's disclosure (value, salt, proof) from an opening.
	Field {
		/// The opening `commit` wrote.
		opening: PathBuf,
		/// The field's name.
		#[arg(long)]
		field: String,
	},
	/// Checks a disclosure received from someone against the chain's commitment.
	Verify { disclosure: PathBuf },
	/// Publishes a disclosure on chain (the runtime checks it).
	Publish {
		disclosure: PathBuf,
		#[command(flatten)]
		keys: KeyArgs,
	},
}

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

pub async fn run(url: &str, args: DiscloseArgs) -> Result<i32> {
	match args {
		DiscloseArgs::Commit { document, record, sensitive, out, keys } => {
			let (names, values) = document_fields(&document)?;
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
			let call = runtime::tx().disclosure().commit(
				doc.schema(),
				doc.root(),
				doc.len(),
				sensitivity,
				record,
			);
			// The salts are saved before the commitment is submitted: a crash after it lands
			// must not leave a commitment nobody can open.
			let salts =
				(0..doc.len()).map(|i| H256(doc.disclose(i).expect("in range").salt)).collect();
			let mut opening = Opening { commitment: None, names, values, salts };
			let root = hex::encode(doc.root());
			let pending =
				files::save_private(&out, &format!("commitment-pending-{root}.json"), &opening)?;
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
			let path = files::save_private(&out, &name, &opening)?;
			std::fs::remove_file(&pending)
				.with_context(|| format!("cannot remove {}", pending.display()))?;
			println!(
				"commitment {} ({} fields, root {:?}); opening kept in {}",
				committed.commitment,
				doc.len(),
				doc.root(),
				path.display()
			);
			Ok(0)
		}
		DiscloseArgs::Field { opening: file, field } => {
			let opening: Opening = files::read_json(&file, "a commitment's opening")?;
			let commitment = opening.commitment.ok_or_else(|| {
				anyhow!(
					"{}: `commitment` is null: the commit was not seen final. If it landed, set \
					 the id of the commitment with this document's root; otherwise commit again",
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
			let doc =
				Document::with_salts(schema(&opening.names), fields).expect("at least one field");
			let disclosed = doc.disclose(position as u32).expect("in range");
			let disclosure = Disclosure {
				commitment,
				names: opening.names.clone(),
				position: disclosed.position,
				value: opening.values[position].clone(),
				salt: H256(disclosed.salt),
				proof: disclosed.proof,
			};
			println!("{}", serde_json::to_string_pretty(&disclosure)?);
			Ok(0)
		}
		DiscloseArgs::Verify { disclosure } => {
			let d: Disclosure = files::read_json(&disclosure, "a field disclosure")?;
			let api = chain::connect(url).await?;
			let at = ledger::finalized(&api).await?;
			let commitment = at
				.runtime_apis()
				.call(runtime::runtime_apis().disclosure_api().commitment(d.commitment))
				.await?;
			let Some(commitment) = commitment else {
				println!("FAIL  commitment {} does not exist", d.commitment);
				return Ok(1);
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
				&& fields::verify(&commitment.schema, &commitment.root, commitment.fields, &local)
					.is_ok();
			let disclosure = runtime_types::perfledger_proofs::fields::FieldDisclosure {
				position: d.position,
				value: local.value.clone(),
				salt: local.salt,
				proof: local.proof.clone(),
			};
			let runtime = at
				.runtime_apis()
				.call(
					runtime::runtime_apis().disclosure_api().verify_field(d.commitment, disclosure),
				)
				.await?;
			let what = format!(
				"field `{name}` = {:?} of commitment {} (organization {})",
				d.value, d.commitment, commitment.organization
			);
			println!(
				"{}  {what}: checked here against the committed root{}",
				if here { "ok  " } else { "FAIL" },
				if schema_ok { "" } else { " (the field names are not the committed schema's)" }
			);
			println!(
				"{}  {what}: the runtime's verify_field ({runtime:?})",
				if runtime.is_ok() { "ok  " } else { "FAIL" }
			);
			Ok(if here && runtime.is_ok() { 0 } else { 1 })
		}
		DiscloseArgs::Publish { disclosure, keys } => {
			let d: Disclosure = files::read_json(&disclosure, "a field disclosure")?;
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
			println!("published field {} of commitment {}", d.position, d.commitment);
			Ok(0)
		}
	}
}
