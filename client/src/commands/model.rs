//! `perfledger model`: licenses, artifacts (commit, verify, lineage), license sales and
//! milestones. What each does on chain is in `attribution.rs`; the digest in `manifest.rs`.

use crate::{
	attribution::{self, Verdict},
	chain::{runtime, H256},
	keys::KeyArgs,
};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use std::path::PathBuf;

/// Model commands.
#[derive(Subcommand, Debug)]
pub enum ModelArgs {
	/// Registers license terms artifacts may come under; prints the license's id.
	License {
		/// Derivatives (anything but an evaluation) may descend from artifacts under it.
		#[arg(long)]
		derivatives: bool,
		/// Checkpoints may be trained on them.
		#[arg(long)]
		training: bool,
		/// Models descending from them may be licensed for a fee.
		#[arg(long)]
		commercial: bool,
		/// The royalty (percent) their contributor takes from descendant models' revenue.
		#[arg(long, default_value_t = 0.0)]
		royalty: f64,
		/// The legal text, whose SHA-256 the terms are bound to.
		#[arg(long)]
		text: PathBuf,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Registers a file or directory as an artifact, as `git commit` records a change: computes
	/// its manifest digest (and, without --uri, its IPFS CIDv1) and registers it.
	Commit {
		/// The file or directory (a `.safetensors` file is identified by its tensors).
		path: PathBuf,
		/// dataset, checkpoint, code, config or evaluation.
		#[arg(long)]
		kind: String,
		/// An artifact it was made from (repeat for each).
		#[arg(long = "parent")]
		parents: Vec<u64>,
		/// The license it comes under.
		#[arg(long)]
		license: u32,
		/// Where its bytes live (ipfs://... or ar://...); without it, the CIDv1 of the bytes.
		#[arg(long)]
		uri: Option<String>,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Prints a file's or directory's manifest digest and IPFS CIDv1, reading nothing from the
	/// chain (with --entries, every entry of the manifest).
	Digest {
		path: PathBuf,
		#[arg(long)]
		entries: bool,
	},
	/// Checks a file or directory against an artifact; names the file or tensor that changed.
	Verify {
		path: PathBuf,
		/// The artifact.
		id: u64,
		/// The artifact's manifest, if `model commit` did not run on this machine.
		#[arg(long)]
		manifest: Option<PathBuf>,
	},
	/// Prints an artifact's ancestors, descendants and data pedigree.
	Lineage {
		id: u64,
		/// Generations each way.
		#[arg(long, default_value_t = 32)]
		depth: u32,
		/// Relatives each way, at most.
		#[arg(long, default_value_t = 1000)]
		limit: u32,
	},
	/// Offers licenses to a model (its organization's admin), or withdraws the offer.
	Offer {
		model: u64,
		/// The fee, in the chain's smallest unit; leave out to withdraw the offer.
		#[arg(long)]
		fee: Option<u128>,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Buys a license to a model at its offered fee (stated, so that a changed offer fails).
	Buy {
		model: u64,
		#[arg(long)]
		fee: u128,
		#[command(flatten)]
		keys: KeyArgs,
	},
}

/// Runs a model command.
pub async fn run(url: &str, args: ModelArgs) -> Result<i32> {
	match args {
		ModelArgs::License { derivatives, training, commercial, royalty, text, keys } => {
			let bytes =
				std::fs::read(&text).with_context(|| format!("cannot read {}", text.display()))?;
			let document = H256(sp_crypto_hashing::sha2_256(&bytes));
			let terms = attribution::terms(derivatives, training, commercial, royalty)?;
			let license = attribution::register_license(url, terms, document, &keys).await?;
			println!("license {license}");
			Ok(0)
		}
		ModelArgs::Commit { path, kind, parents, license, uri, keys } => {
			let kind = attribution::kind(&kind)?;
			let done = attribution::commit(url, &path, kind, parents, license, uri, &keys).await?;
			let mb = done.manifest.bytes as f64 / 1e6;
			println!(
				"artifact {} ({}, {} entries, digest {}), at {}",
				done.artifact,
				path.display(),
				done.manifest.entries.len(),
				done.manifest.digest,
				done.uri
			);
			println!(
				"digested {mb:.1} MB in {:.2} s ({:.0} MB/s); manifest kept in {}",
				done.seconds,
				mb / done.seconds.max(1e-9),
				done.saved.display()
			);
			Ok(0)
		}
		ModelArgs::Digest { path, entries } => {
			let started = std::time::Instant::now();
			let manifest = crate::manifest::of(&path)?;
			let seconds = started.elapsed().as_secs_f64();
			println!("digest {}", manifest.digest);
			println!("cid {}", crate::cid::of(&path)?);
			println!(
				"bytes {} in {seconds:.3} s ({:.0} MB/s)",
				manifest.bytes,
				manifest.bytes as f64 / 1e6 / seconds.max(1e-9)
			);
			if entries {
				for entry in &manifest.entries {
					println!("{}", serde_json::to_string(entry)?);
				}
			}
			Ok(0)
		}
		ModelArgs::Verify { path, id, manifest } => {
			match attribution::verify(url, &path, id, manifest.as_deref()).await? {
				Verdict::Same { digest } => {
					println!("ok    {} is artifact {id} (digest {digest})", path.display());
					Ok(0)
				}
				Verdict::Unknown => {
					println!("FAIL  no artifact {id}");
					Ok(1)
				}
				Verdict::Changed { expected, found, differences } => {
					println!(
						"FAIL  {} is not artifact {id}: its digest is {found}, the artifact's {expected}",
						path.display()
					);
					match differences {
						Some(list) => list.iter().for_each(|d| println!("      {d}")),
						None => println!(
							"      (the artifact's manifest is not on this machine: pass --manifest to name what changed)"
						),
					}
					Ok(1)
				}
			}
		}
		ModelArgs::Lineage { id, depth, limit } => {
			let Some(lineage) = attribution::lineage(url, id, depth, limit).await? else {
				println!("no artifact {id}");
				return Ok(1);
			};
			let a = &lineage.artifact;
			println!(
				"artifact {id}: {} by {} (organization {}), license {}, digest {}",
				attribution::kind_name(&a.kind),
				a.contributor,
				a.organization,
				a.license,
				hex::encode(a.digest.0)
			);
			let r = &lineage.inheritance.restrictions;
			for (what, by) in [
				("derivatives", r.no_derivatives),
				("training", r.no_training),
				("commercial use", r.no_commercial),
			] {
				if let Some(by) = by {
					println!("  forbids {what} to its descendants: set by artifact {by}");
				}
			}
			for royalty in &lineage.inheritance.royalties.0 {
				println!(
					"  royalty {:.4}% to {} (artifact {})",
					f64::from(royalty.share.0) / 10_000.0,
					royalty.beneficiary,
					royalty.artifact
				);
			}
			for (title, list) in
				[("ancestors", &lineage.ancestors), ("descendants", &lineage.descendants)]
			{
				println!("{title}: {}", list.len());
				for r in list {
					println!(
						"  {:>3}  artifact {} ({}, organization {}, license {})",
						r.generation,
						r.id,
						attribution::kind_name(&r.artifact.kind),
						r.artifact.organization,
						r.artifact.license
					);
				}
			}
			println!("data pedigree: {} dataset(s)", lineage.pedigree.len());
			for (dataset, artifact, license) in &lineage.pedigree {
				let t = &license.terms;
				println!(
					"  dataset {dataset} by {} (organization {}), license {} (training {}, derivatives {}, commercial {}, royalty {:.4}%)",
					artifact.contributor,
					artifact.organization,
					artifact.license,
					t.training,
					t.derivatives,
					t.commercial,
					f64::from(t.royalty.0) / 10_000.0
				);
			}
			Ok(0)
		}
		ModelArgs::Offer { model, fee, keys } => {
			let call = runtime::tx().attribution().offer_license(model, fee);
			let _: runtime::attribution::events::LicenseOffered =
				attribution::send(url, &keys, &call).await?;
			match fee {
				Some(fee) => println!("model {model} offered at {fee}"),
				None => println!("model {model}'s offer withdrawn"),
			}
			Ok(0)
		}
		ModelArgs::Buy { model, fee, keys } => {
			if fee == 0 {
				bail!("--fee 0: state the offered fee");
			}
			let call = runtime::tx().attribution().buy_license(model, fee);
			let event: runtime::attribution::events::LicenseBought =
				attribution::send(url, &keys, &call).await?;
			println!("licensed model {model} to {} for {}", event.licensee, event.fee);
			Ok(0)
		}
	}
}
