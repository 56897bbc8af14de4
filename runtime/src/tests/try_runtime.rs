//! The checks `try-runtime` makes before a runtime upgrade, run in-process on the state each
//! genesis preset builds and on that state after a governed life (admission, charter amendment,
//! session rotations, prime rotations): every pallet's pre/post-upgrade hooks, the on-chain
//! against in-code storage versions, the decoding of every storage item and every pallet's
//! `try_state` invariants, through the same `Executive::try_runtime_upgrade` the
//! `TryRuntime_on_runtime_upgrade` runtime API calls. The last tests show each check failing.

use super::{account, council_motion, ext_from_preset, governance::apply};
use crate::configs::governance::SESSION_PERIOD;
use crate::{Consortium, Executive, Runtime, RuntimeCall, RuntimeOrigin, Session, System, VERSION};
use frame_support::{
	assert_ok,
	traits::{GetStorageVersion, OnInitialize, StorageVersion},
	StorageHasher, Twox128,
};
use frame_try_runtime::UpgradeCheckSelect;
use sp_keyring::Sr25519Keyring::{Alice, AliceStash, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::TryRuntimeError;

/// Runs the upgrade checks twice and asserts the second run changes nothing: migrations must be
/// idempotent, as try-runtime's own CLI checks.
fn upgrade_checks() -> Result<(), TryRuntimeError> {
	Executive::try_runtime_upgrade(UpgradeCheckSelect::All)?;
	let root = sp_io::storage::root(VERSION.state_version());
	Executive::try_runtime_upgrade(UpgradeCheckSelect::All)?;
	assert_eq!(root, sp_io::storage::root(VERSION.state_version()), "migrations are idempotent");
	Ok(())
}

/// The pallets with storage migrations whose on-chain storage version is behind the code's,
/// as `name v<on chain> -> v<in code>`.
fn behind() -> Vec<String> {
	fn of<P: GetStorageVersion<InCodeStorageVersion = StorageVersion>>(
		name: &str,
	) -> Option<String> {
		let (on_chain, in_code) = (P::on_chain_storage_version(), P::in_code_storage_version());
		(on_chain != in_code).then(|| format!("{name} {on_chain:?} -> {in_code:?}"))
	}
	[
		of::<pallet_records::Pallet<Runtime>>("Records"),
		of::<pallet_sla_escrow::Pallet<Runtime>>("SlaEscrow"),
		of::<pallet_disclosure::Pallet<Runtime>>("Disclosure"),
	]
	.into_iter()
	.flatten()
	.collect()
}

/// Imports blocks up to `to`, running the hooks that rotate sessions and the council's prime.
fn run_to(to: u32) {
	for n in System::block_number() + 1..=to {
		System::set_block_number(n);
		Session::on_initialize(n);
		Consortium::on_initialize(n);
	}
}

/// A life of the `local_testnet` consortium: a fifth member admitted by motion, the charter
/// amended by supermajority, an expiring grant, a record, a member leaving, three sessions and
/// a prime rotation.
fn governed_life() {
	apply(Eve);
	let admit = RuntimeCall::Consortium(pallet_consortium::Call::admit { applicant: account(Eve) });
	assert_eq!(council_motion(admit, 3, &[Alice, Bob, Charlie]), Some(true));
	let amend = RuntimeCall::Consortium(pallet_consortium::Call::amend_charter {
		hash: sp_core::H256::repeat_byte(2),
		uri: b"ipfs://charter-v2".to_vec().try_into().unwrap(),
		version: pallet_consortium::CharterVersion::<Runtime>::get() + 1,
	});
	assert_eq!(council_motion(amend, 4, &[Alice, Bob, Charlie, Dave]), Some(true));
	// Acme's admin grants an expiring role, and Eve leaves (her organization is suspended).
	assert_ok!(crate::Permissions::grant_role(
		RuntimeOrigin::signed(account(Alice)),
		account(Ferdie),
		pallet_permissions::Role::DeviceManager,
		Default::default(),
		Some(1_000),
	));
	// Acme's reporter records a delivery lead time.
	assert_ok!(crate::Records::submit_record(
		RuntimeOrigin::signed(account(AliceStash)),
		super::records::lead_time(1)
	));
	assert_ok!(Consortium::leave(RuntimeOrigin::signed(account(Eve))));
	run_to(3 * SESSION_PERIOD + 1);
	assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 3, "sessions rotated");
	// The first term boundary: the prime rotates.
	let term = <Runtime as pallet_consortium::Config>::TermDuration::get();
	System::set_block_number(term);
	Consortium::on_initialize(term);
	assert!(pallet_collective::Prime::<Runtime, crate::configs::CouncilInstance>::get().is_some());
}

#[test]
fn every_preset_passes_the_upgrade_checks_at_genesis() {
	for name in crate::genesis_config_presets::preset_names() {
		let name = String::from_utf8(AsRef::<[u8]>::as_ref(&name).to_vec()).unwrap();
		ext_from_preset(&name).execute_with(|| {
			upgrade_checks().unwrap_or_else(|e| panic!("{name}: {e:?}"));
		});
	}
}

#[test]
fn the_upgrade_checks_pass_after_a_governed_life() {
	ext_from_preset("local_testnet").execute_with(|| {
		governed_life();
		assert_ok!(upgrade_checks());
	});
}

#[test]
fn the_checks_catch_a_storage_version_left_behind() {
	ext_from_preset("local_testnet").execute_with(|| {
		// As if a release bumped the pallet's storage version and forgot its migration.
		assert_eq!(
			pallet_consortium::Pallet::<Runtime>::on_chain_storage_version(),
			pallet_consortium::Pallet::<Runtime>::in_code_storage_version()
		);
		StorageVersion::new(0).put::<pallet_consortium::Pallet<Runtime>>();
		assert!(Executive::try_runtime_upgrade(UpgradeCheckSelect::All).is_err());
	});
}

#[test]
fn the_checks_catch_a_broken_invariant() {
	ext_from_preset("local_testnet").execute_with(|| {
		// A member record gone while its council seat stays: consortium's try_state refuses.
		pallet_consortium::Members::<Runtime>::remove(account(Dave));
		assert!(Executive::try_runtime_upgrade(UpgradeCheckSelect::All).is_err());
		assert_eq!(
			pallet_consortium::Pallet::<Runtime>::do_try_state(),
			Err(TryRuntimeError::Other("council seats and members differ"))
		);
	});
}

#[test]
fn the_checks_catch_storage_that_does_not_decode() {
	ext_from_preset("local_testnet").execute_with(|| {
		// `MinValidators` is a u32: one byte cannot decode.
		let key = [Twox128::hash(b"ValidatorSet"), Twox128::hash(b"MinValidators")].concat();
		assert!(sp_io::storage::get(&key).is_some());
		sp_io::storage::set(&key, &[1]);
		assert!(Executive::try_runtime_upgrade(UpgradeCheckSelect::All).is_err());
	});
}

/// The upgrade checks on a running chain's state, downloaded over RPC from the node at
/// `PERFLEDGER_TRY_RUNTIME_URI`, as `try-runtime on-runtime-upgrade live` checks it. The
/// governance end-to-end test runs it against its network after a governed life, before the
/// runtime upgrade it applies.
#[test]
#[ignore = "needs a running node: set PERFLEDGER_TRY_RUNTIME_URI to its ws:// RPC"]
fn a_live_chain_passes_the_upgrade_checks() {
	use frame_remote_externalities::{Builder, Mode, OnlineConfig};
	let uri = std::env::var("PERFLEDGER_TRY_RUNTIME_URI")
		.expect("PERFLEDGER_TRY_RUNTIME_URI names a node's ws:// RPC");
	let config = OnlineConfig { transport_uris: vec![uri], ..Default::default() };
	let mut ext = tokio::runtime::Runtime::new()
		.expect("a tokio runtime")
		.block_on(Builder::<crate::Block>::new().mode(Mode::Online(config)).build())
		.expect("the chain's state downloads and matches its state root");
	ext.execute_with(|| {
		let at = System::block_number();
		assert!(at > 0, "a chain that has produced blocks");
		// The pallets whose storage this runtime migrates, as the chain has them.
		let migrations = behind();
		upgrade_checks().unwrap_or_else(|e| panic!("the state at #{at}: {e:?}"));
		assert!(behind().is_empty(), "every migration ran");
		println!(
			"the state at #{at} passes the upgrade checks; migrated: {}",
			migrations.join(", ")
		);
	});
}
