//! `perfledger attribution`: scoring a model's contributors. `score` computes a score vector
//! here (`valuation.rs`); `open`, `submit`, `reveal` and `finalize` run the chain's
//! commit-reveal round (`attribution.rs`).

use crate::{
	attribution,
	chain::{runtime, H256},
	keys::KeyArgs,
	valuation::{self, Point},
};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use serde::{Deserialize, Serialize};
use std::{path::PathBuf, process::Command, str::FromStr};
use subxt::utils::AccountId32;

/// Attribution commands.
#[derive(Subcommand, Debug)]
pub enum AttributionArgs {
	/// Opens a scoring round of a model (its organization's admin): phases in blocks.
	Open {
		model: u64,
		#[arg(long, default_value_t = 10)]
		commit_blocks: u32,
		#[arg(long, default_value_t = 10)]
		reveal_blocks: u32,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Computes contributors' scores: exact Shapley values from an evaluation per coalition
	/// (--utility-cmd runs yours for each), or exact KNN-Shapley over datasets' points (--knn).
	/// Writes them as JSON for `submit`; a second run gives the identical file.
	Score {
		/// A contributor: NAME=ACCOUNT (SS58); for --knn, NAME=ACCOUNT=DATASET.csv. In order.
		#[arg(long = "contributor", required = true)]
		contributors: Vec<String>,
		/// A shell command printing the utility of a coalition (its last line, a number);
		/// `{coalition}` is replaced by the coalition's names, comma-separated (also in the
		/// environment as PERFLEDGER_COALITION).
		#[arg(long, conflicts_with = "knn")]
		utility_cmd: Option<String>,
		/// KNN-Shapley: each contributor's dataset is a CSV of features and a label (last
		/// column), valued against --test.
		#[arg(long, requires = "test")]
		knn: bool,
		#[arg(long)]
		test: Option<PathBuf>,
		#[arg(long, default_value_t = 5)]
		k: usize,
		#[arg(long, default_value = "scores.json")]
		out: PathBuf,
	},
	/// Commits to a score vector (from `score`) in a model's round, then waits for the reveal
	/// phase and reveals it (or stops after the commit with --commit-only).
	Submit {
		model: u64,
		#[arg(long)]
		scores: PathBuf,
		/// The evaluation code (a file or directory), whose manifest digest the scores are
		/// bound to.
		#[arg(long)]
		code: PathBuf,
		/// The evaluation data (a file or directory).
		#[arg(long)]
		data: PathBuf,
		#[arg(long)]
		commit_only: bool,
		#[arg(long, default_value = "perfledger-out")]
		out: PathBuf,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Reveals scores committed with `submit --commit-only`.
	Reveal {
		opening: PathBuf,
		#[command(flatten)]
		keys: KeyArgs,
	},
	/// Closes a round whose reveal phase is over (anyone).
	Finalize {
		model: u64,
		#[command(flatten)]
		keys: KeyArgs,
	},
}

/// A computed score vector, as `score` writes it.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct ScoreFile {
	pub method: String,
	pub contributors: Vec<Scored>,
}

/// One contributor's value and score.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Scored {
	pub name: String,
	pub account: String,
	pub value: f64,
	pub score: u32,
}

/// Runs an attribution command.
pub async fn run(url: &str, args: AttributionArgs) -> Result<i32> {
	match args {
		AttributionArgs::Open { model, commit_blocks, reveal_blocks, keys } => {
			let call =
				runtime::tx().attribution().open_scoring(model, commit_blocks, reveal_blocks);
			let event: runtime::attribution::events::ScoringOpened =
				attribution::send(url, &keys, &call).await?;
			println!(
				"scoring of model {model} open: commit until block {}, reveal until block {}",
				event.commit_until, event.reveal_until
			);
			Ok(0)
		}
		AttributionArgs::Score { contributors, utility_cmd, knn, test, k, out } => {
			let file = score(
				&contributors,
				utility_cmd.as_deref(),
				knn.then_some(()).and(test.as_ref()),
				k,
			)?;
			std::fs::write(&out, serde_json::to_vec_pretty(&file)?)
				.with_context(|| format!("cannot write {}", out.display()))?;
			for c in &file.contributors {
				println!("{:<24} {:>14.9} {:>8}", c.name, c.value, c.score);
			}
			println!("scores ({}) written to {}", file.method, out.display());
			Ok(0)
		}
		AttributionArgs::Submit { model, scores, code, data, commit_only, out, keys } => {
			let file: ScoreFile =
				crate::files::read_json(&scores, "a score file (perfledger attribution score)")?;
			let vector = file
				.contributors
				.iter()
				.filter(|c| c.score > 0)
				.map(|c| {
					Ok((
						AccountId32::from_str(&c.account)
							.map_err(|e| anyhow!("{}: {e}", c.account))?,
						c.score,
					))
				})
				.collect::<Result<Vec<_>>>()?;
			let code = H256(crate::manifest::of(&code)?.digest_bytes());
			let data = H256(crate::manifest::of(&data)?.digest_bytes());
			let (opening, revealed) = attribution::submit_scores(
				url,
				model,
				code,
				data,
				vector,
				&out,
				commit_only,
				&keys,
			)
			.await?;
			if revealed {
				println!(
					"scores of model {model} committed and revealed (opening kept in {})",
					opening.display()
				);
			} else {
				println!(
					"scores of model {model} committed; reveal in the reveal phase with `perfledger attribution reveal {}`",
					opening.display()
				);
			}
			Ok(0)
		}
		AttributionArgs::Reveal { opening, keys } => {
			let model = attribution::reveal_from(url, &opening, &keys).await?;
			println!("scores of model {model} revealed");
			Ok(0)
		}
		AttributionArgs::Finalize { model, keys } => {
			let call = runtime::tx().attribution().finalize_scores(model);
			let api = crate::chain::connect(url).await?;
			let done = crate::submit::send(&api, &keys.keypair()?, &call).await?;
			if let Some(event) =
				done.events.find_first::<runtime::attribution::events::ScoresFinalized>()
			{
				let event = event?;
				println!(
					"scores of model {model} final (median of {} evaluators):",
					event.evaluators
				);
				for (who, points) in event.scores.0 {
					println!("  {who}  {points} points");
				}
				return Ok(0);
			}
			println!("the round of model {model} closed without scores (too few reveals)");
			Ok(1)
		}
	}
}

/// Splits `NAME=ACCOUNT[=FILE]`.
fn contributor(spec: &str, with_file: bool) -> Result<(String, String, Option<PathBuf>)> {
	let parts: Vec<&str> = spec.splitn(3, '=').collect();
	match (parts.as_slice(), with_file) {
		([name, account], false) => Ok((name.to_string(), account.to_string(), None)),
		([name, account, file], true) => {
			Ok((name.to_string(), account.to_string(), Some(file.into())))
		}
		_ if with_file => bail!("--contributor {spec}: expected NAME=ACCOUNT=DATASET.csv"),
		_ => bail!("--contributor {spec}: expected NAME=ACCOUNT"),
	}
}

/// Computes the score file: from the utility command, or by KNN-Shapley against `test`.
pub fn score(
	specs: &[String],
	utility_cmd: Option<&str>,
	knn_test: Option<&PathBuf>,
	k: usize,
) -> Result<ScoreFile> {
	let parsed =
		specs.iter().map(|s| contributor(s, knn_test.is_some())).collect::<Result<Vec<_>>>()?;
	for (_, account, _) in &parsed {
		AccountId32::from_str(account)
			.map_err(|e| anyhow!("--contributor: {account} is not an account ({e})"))?;
	}
	let (method, values) = match (utility_cmd, knn_test) {
		(Some(cmd), None) => {
			let names: Vec<&str> = parsed.iter().map(|(n, _, _)| n.as_str()).collect();
			let table = utility_table(&names, cmd)?;
			("exact Shapley over coalitions".to_string(), valuation::shapley(names.len(), &table)?)
		}
		(None, Some(test)) => {
			let test = points(test)?;
			let mut train = Vec::new();
			let mut owner = Vec::new();
			for (i, (_, _, file)) in parsed.iter().enumerate() {
				let these = points(file.as_ref().expect("parsed with files"))?;
				owner.extend(std::iter::repeat(i).take(these.len()));
				train.extend(these);
			}
			let per_point = valuation::knn_shapley(&train, &test, k)?;
			let mut values = vec![0.0; parsed.len()];
			for (point, value) in owner.iter().zip(per_point) {
				values[*point] += value;
			}
			(format!("exact KNN-Shapley, k = {k}"), values)
		}
		_ => bail!("give --utility-cmd, or --knn with --test"),
	};
	let scores = valuation::to_scores(&values)?;
	Ok(ScoreFile {
		method,
		contributors: parsed
			.into_iter()
			.zip(values.into_iter().zip(scores))
			.map(|((name, account, _), (value, score))| Scored { name, account, value, score })
			.collect(),
	})
}

/// Runs `cmd` for every coalition of `names` (by bitmask order); the last line of its output
/// is the coalition's utility. An error names the coalition and what the command printed.
fn utility_table(names: &[&str], cmd: &str) -> Result<Vec<f64>> {
	if names.len() > valuation::MAX_PLAYERS {
		bail!(
			"{} contributors: exact Shapley evaluates 2^n coalitions; at most {}",
			names.len(),
			valuation::MAX_PLAYERS
		);
	}
	(0..1usize << names.len())
		.map(|mask| {
			let coalition: Vec<&str> = names.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, n)| *n).collect();
			let joined = coalition.join(",");
			let output = Command::new("sh")
				.arg("-c")
				.arg(cmd.replace("{coalition}", &joined))
				.env("PERFLEDGER_COALITION", &joined)
				.output()
				.with_context(|| format!("cannot run the utility command for coalition [{joined}]"))?;
			let stdout = String::from_utf8_lossy(&output.stdout);
			if !output.status.success() {
				bail!("the utility command failed for coalition [{joined}] ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim());
			}
			let last = stdout.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
			last.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
				anyhow!("the utility command printed {last:?} for coalition [{joined}]: its last line must be a number")
			})
		})
		.collect()
}

/// Points from a CSV file: features, then the label (last column); an error names the line.
fn points(path: &PathBuf) -> Result<Vec<Point>> {
	let mut reader = csv::ReaderBuilder::new()
		.has_headers(false)
		.from_path(path)
		.with_context(|| format!("cannot read {}", path.display()))?;
	let mut out = Vec::new();
	for (line, row) in reader.records().enumerate() {
		let row = row.with_context(|| format!("{}:{}", path.display(), line + 1))?;
		if row.len() < 2 {
			bail!(
				"{}:{}: a point needs at least one feature and a label",
				path.display(),
				line + 1
			);
		}
		let features = row
			.iter()
			.take(row.len() - 1)
			.enumerate()
			.map(|(column, f)| {
				f.trim().parse::<f64>().map_err(|_| {
					anyhow!(
						"{}:{}: feature {} ({f:?}) is not a number",
						path.display(),
						line + 1,
						column + 1
					)
				})
			})
			.collect::<Result<Vec<_>>>()?;
		out.push(Point { features, label: row[row.len() - 1].trim().to_string() });
	}
	if out.is_empty() {
		bail!("{} has no points", path.display());
	}
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
	const CHARLIE: &str = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";

	/// The glove game through the real command path: a shell command per coalition.
	#[test]
	fn the_utility_command_is_run_per_coalition_and_gives_the_glove_games_values() {
		let specs = [format!("left={ALICE}"), format!("right1={BOB}"), format!("right2={CHARLIE}")];
		// Pairs of gloves: min(#left, #right).
		let cmd = r#"c=",$PERFLEDGER_COALITION,"; l=0; r=0; case "$c" in *,left,*) l=1;; esac; for x in right1 right2; do case "$c" in *,$x,*) r=$((r+1));; esac; done; if [ $l -lt $r ]; then echo $l; else echo $r; fi"#;
		let first = score(&specs, Some(cmd), None, 0).unwrap();
		let values: Vec<f64> = first.contributors.iter().map(|c| c.value).collect();
		for (got, want) in values.iter().zip([2.0 / 3.0, 1.0 / 6.0, 1.0 / 6.0]) {
			assert!((got - want).abs() < 1e-12, "{values:?}");
		}
		assert_eq!(first, score(&specs, Some(cmd), None, 0).unwrap(), "a second run is identical");
		let error = score(&specs, Some("echo not-a-number"), None, 0).unwrap_err();
		assert!(format!("{error:#}").contains("for coalition []"), "{error:#}");
	}

	#[test]
	fn knn_datasets_are_valued_by_their_points() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::write(dir.path().join("a.csv"), "1,a\n").unwrap();
		std::fs::write(dir.path().join("b.csv"), "2,b\n3,a\n").unwrap();
		std::fs::write(dir.path().join("test.csv"), "0,a\n").unwrap();
		let specs = [
			format!("a={ALICE}={}", dir.path().join("a.csv").display()),
			format!("b={BOB}={}", dir.path().join("b.csv").display()),
		];
		let file = score(&specs, None, Some(&dir.path().join("test.csv")), 1).unwrap();
		// The worked example of `valuation`: 5/6 for the point of a; -1/6 + 1/3 for b's.
		assert!((file.contributors[0].value - 5.0 / 6.0).abs() < 1e-12);
		assert!((file.contributors[1].value - 1.0 / 6.0).abs() < 1e-12);
		assert_eq!(
			file.contributors.iter().map(|c| c.score).collect::<Vec<_>>(),
			vec![833_333, 166_666]
		);
		std::fs::write(dir.path().join("b.csv"), "2,b\nx,a\n").unwrap();
		let error = score(&specs, None, Some(&dir.path().join("test.csv")), 1).unwrap_err();
		assert!(
			format!("{error:#}").contains("b.csv:2: feature 1 (\"x\") is not a number"),
			"{error:#}"
		);
	}
}
