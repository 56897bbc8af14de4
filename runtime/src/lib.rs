//! # Perfledger runtime
//!
//! The FRAME runtime of Perfledger, a permissioned chain on which a consortium of companies
//! records performance data. Block production is Aura, finality GRANDPA. There is no sudo key:
//! the consortium council (`Council`, a `pallet-collective` instance whose members are kept
//! by `CouncilMembership`) is the only source of privileged decisions.
//!
//! Layout: pallet configurations live in [`configs`], runtime APIs in [`apis`] and the named
//! genesis presets (`development`, `local_testnet`, `consortium`) in
//! [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`/`impl_runtime_apis` expand to large items.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;
use alloc::vec::Vec;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types, used by the node where it needs no knowledge of the runtime's call types.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The keys a validator operator registers for its node: Aura for authoring,
	/// GRANDPA for finality votes.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// Declares the runtime's version with the given `spec_version` (a literal token, as
/// `#[runtime_version]` requires).
macro_rules! runtime_version {
	($spec_version:tt) => {
		/// The runtime's version. Bump `spec_version` for every runtime upgrade the council
		/// votes.
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("perfledger"),
			impl_name: alloc::borrow::Cow::Borrowed("perfledger-node"),
			authoring_version: 1,
			spec_version: $spec_version,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 1,
			system_version: 1,
		};
	};
}

// When bumping `spec_version`, bump both: the `e2e-upgrade` build is the same runtime one
// version higher, which the end-to-end test applies as a council-authorized upgrade. It is
// never for a real network.
#[cfg(not(feature = "e2e-upgrade"))]
runtime_version!(102);
#[cfg(feature = "e2e-upgrade")]
runtime_version!(103);

/// Block time: one block every six seconds.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// The Aura slot; it cannot change once the chain has started.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Time measured in blocks.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// One token (`PLG`), with 12 decimals.
pub const UNIT: Balance = 1_000_000_000_000;
pub const MILLI_UNIT: Balance = 1_000_000_000;
pub const MICRO_UNIT: Balance = 1_000_000;
/// The smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// The token's symbol and decimals, as chain-spec properties for wallets.
pub const TOKEN_SYMBOL: &str = "PLG";
pub const TOKEN_DECIMALS: u8 = 12;
/// The generic Substrate SS58 prefix.
pub const SS58_PREFIX: u16 = 42;

/// Transaction signature: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account: the public key of the signature scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Index of a transaction in the chain.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;
/// An index to a block.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block signed with a justification.
pub type SignedBlock = generic::SignedBlock<Block>;

/// The checks every signed transaction passes. `CheckGrant`, the permissions gate, refuses
/// accounts that may not transact before any fee is charged; it carries no data, so
/// polkadot.js signs with no custom configuration (it treats the one extension it does not
/// know as having no effect, which is exact).
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	pallet_permissions::CheckGrant<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The extensions a signer attaches to a transaction with `nonce`, valid for `era`, no tip
/// and no metadata hash: what a wallet sends, for clients built on this crate (the node's
/// benchmarks, the runtime's tests).
pub fn tx_extension(nonce: Nonce, era: sp_runtime::generic::Era) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		pallet_permissions::CheckGrant::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(era),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Runtime-level migrations, run on upgrade after the pallets' own.
#[allow(unused_parens)]
type Migrations = (
	pallet_records::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_sla_escrow::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_sla_escrow::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_disclosure::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_attribution::migrations::v1::AddPallet<Runtime>,
);

/// Executive: dispatches to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// The consortium council: one seat per member organization.
	#[runtime::pallet_index(10)]
	pub type Council = pallet_collective<Instance1>;

	/// Who sits on the council: changed only through `Consortium`.
	#[runtime::pallet_index(11)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	/// Applications, admission, the charter, rotating leadership, runtime upgrades.
	#[runtime::pallet_index(12)]
	pub type Consortium = pallet_consortium;

	/// The validators, changed by council motion; `Session` takes them from here.
	#[runtime::pallet_index(13)]
	pub type ValidatorSet = pallet_validator_set;

	/// Session keys and rotation: hands the validators to Aura and GRANDPA.
	#[runtime::pallet_index(14)]
	pub type Session = pallet_session;

	/// The peer ids of the nodes allowed to join the network.
	#[runtime::pallet_index(15)]
	pub type NodeAuthorization = pallet_node_authorization;

	/// Organizations, roles, scoped and expiring grants, and the gate on signed transactions.
	#[runtime::pallet_index(16)]
	pub type Permissions = pallet_permissions;

	/// Metric definitions, hash-linked records, device readings, batches and aggregates.
	#[runtime::pallet_index(17)]
	pub type Records = pallet_records;

	/// Commitments, disclosure grants (the consent log), field checks and threshold proofs.
	#[runtime::pallet_index(18)]
	pub type Disclosure = pallet_disclosure;

	/// Service-level agreements: payments held and settled from the records.
	#[runtime::pallet_index(19)]
	pub type SlaEscrow = pallet_sla_escrow;

	/// Shared AI models: artifacts, lineage, licenses, contribution scores, royalty pools.
	#[runtime::pallet_index(20)]
	pub type Attribution = pallet_attribution;
}

#[cfg(test)]
mod tests;
