//! `perfledger disclose`: its subcommands, and what each prints. The commitments and
//! disclosures themselves are made and checked in `disclosure.rs`.

use crate::{
	disclosure::{self, FieldCheck},
	keys::KeyArgs,
};
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

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

/// Runs a disclosure command; the exit code is 1 if a disclosure does not check.
pub async fn run(url: &str, args: DiscloseArgs) -> Result<i32> {
	match args {
		DiscloseArgs::Commit { document, record, sensitive, out, keys } => {
			let committed =
				disclosure::commit(url, &document, record, sensitive, &out, &keys).await?;
			println!(
				"commitment {} ({} fields, root {:?}); opening kept in {}",
				committed.commitment,
				committed.fields,
				committed.root,
				committed.opening.display()
			);
			Ok(0)
		}
		DiscloseArgs::Field { opening, field } => {
			let disclosed = disclosure::disclose_field(&opening, &field)?;
			println!("{}", serde_json::to_string_pretty(&disclosed)?);
			Ok(0)
		}
		DiscloseArgs::Verify { disclosure: file } => match disclosure::verify(url, &file).await? {
			FieldCheck::NoCommitment(commitment) => {
				println!("FAIL  commitment {commitment} does not exist");
				Ok(1)
			}
			FieldCheck::Checked { what, schema_ok, here, runtime_ok, runtime } => {
				println!(
					"{}  {what}: checked here against the committed root{}",
					if here { "ok  " } else { "FAIL" },
					if schema_ok {
						""
					} else {
						" (the field names are not the committed schema's)"
					}
				);
				println!(
					"{}  {what}: the runtime's verify_field ({runtime})",
					if runtime_ok { "ok  " } else { "FAIL" }
				);
				Ok(if here && runtime_ok { 0 } else { 1 })
			}
		},
		DiscloseArgs::Publish { disclosure: file, keys } => {
			let published = disclosure::publish(url, &file, &keys).await?;
			println!(
				"published field {} of commitment {}",
				published.position, published.commitment
			);
			Ok(0)
		}
	}
}
