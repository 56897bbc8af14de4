//! Signing keys: from a secret URI in an environment variable or in a keystore file. The
//! secret is never printed; only the account it signs for is.

use anyhow::{bail, Context, Result};
use clap::Args;
use std::{path::PathBuf, str::FromStr};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// Where the signing key comes from.
#[derive(Args, Clone, Debug)]
pub struct KeyArgs {
	/// The environment variable holding the signer's secret URI (a mnemonic or hex seed, with
	/// optional `//derivation`s and `///password`).
	#[arg(long, default_value = "PERFLEDGER_SURI", global = true)]
	pub key_env: String,
	/// A keystore file holding the secret URI instead (it must not be readable by the group or
	/// others).
	#[arg(long, global = true)]
	pub keystore: Option<PathBuf>,
}

impl KeyArgs {
	/// The signer's key pair.
	pub fn keypair(&self) -> Result<Keypair> {
		let (secret, source) = match &self.keystore {
			Some(path) => (read_keystore(path)?, format!("keystore {}", path.display())),
			None => match std::env::var(&self.key_env) {
				Ok(secret) => (secret, format!("environment variable {}", self.key_env)),
				Err(_) => bail!(
					"no signing key: set the environment variable {} to the signer's secret URI, \
					 or pass --keystore <file> (or --dry-run to sign nothing)",
					self.key_env
				),
			},
		};
		keypair_from(secret.trim(), &source)
	}
}

/// A key pair from a secret URI; the error names where it came from, never the secret.
pub fn keypair_from(secret: &str, source: &str) -> Result<Keypair> {
	let uri = SecretUri::from_str(secret)
		.map_err(|_| anyhow::anyhow!("the secret URI in the {source} is not valid"))?;
	Keypair::from_uri(&uri)
		.map_err(|_| anyhow::anyhow!("the secret URI in the {source} gives no sr25519 key"))
}

fn read_keystore(path: &PathBuf) -> Result<String> {
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(path)
			.with_context(|| format!("cannot read the keystore {}", path.display()))?
			.permissions()
			.mode();
		if mode & 0o077 != 0 {
			bail!(
				"the keystore {} is readable by others (mode {:o}): chmod 600 it",
				path.display(),
				mode & 0o777
			);
		}
	}
	std::fs::read_to_string(path)
		.with_context(|| format!("cannot read the keystore {}", path.display()))
}

/// The SS58 address (generic substrate prefix 42) of a key pair.
pub fn address(keypair: &Keypair) -> String {
	keypair.public_key().to_account_id().to_string()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn keys_from_an_environment_variable_or_a_private_keystore_and_errors_hide_the_secret() {
		let alice = keypair_from("//Alice", "test").unwrap();
		assert_eq!(address(&alice), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");

		let secret = "bottom drive obey lake curtain smoke basket hold race lonely fit walk//Bob";
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("key");
		std::fs::write(&path, format!("{secret}\n")).unwrap();
		use std::os::unix::fs::PermissionsExt;
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		let args =
			KeyArgs { key_env: "PERFLEDGER_TEST_UNSET".into(), keystore: Some(path.clone()) };
		let error = args.keypair().unwrap_err().to_string();
		assert!(error.contains("readable by others (mode 644)"), "{error}");
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
		assert_eq!(
			address(&args.keypair().unwrap()),
			"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
			"the dev phrase's //Bob"
		);

		let error = keypair_from("not a valid seed phrase at all ///pw", "environment variable X")
			.unwrap_err()
			.to_string();
		assert!(!error.contains("seed phrase") && !error.contains("pw"), "{error}");
		let unset = KeyArgs { key_env: "PERFLEDGER_TEST_UNSET".into(), keystore: None };
		assert!(unset.keypair().unwrap_err().to_string().contains("PERFLEDGER_TEST_UNSET"));
	}
}
