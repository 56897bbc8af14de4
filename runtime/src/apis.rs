//! The runtime APIs the node and clients (polkadot.js, subxt) call.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Attribution, Aura, Balance, Block, Disclosure, Executive, Grandpa, InherentDataExt,
	Nonce, Permissions, Records, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys,
	SlaEscrow, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			// Equivocations are not slashed on a permissioned chain: the council removes a
			// misbehaving validator.
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// The key owner proof type is `Void`: no proof can exist.
			None
		}
	}

	impl pallet_permissions::runtime_api::PermissionsApi<
		Block,
		AccountId,
		pallet_permissions::GrantInfoOf<Runtime>,
		pallet_permissions::Role,
	> for Runtime {
		fn grants_of(who: AccountId) -> Vec<pallet_permissions::GrantInfoOf<Runtime>> {
			Permissions::live_grants(&who)
		}

		fn organization_members(
			organization: perfledger_primitives::OrganizationId,
		) -> Vec<(AccountId, Vec<pallet_permissions::Role>)> {
			Permissions::live_members(organization)
		}

		fn may(
			who: AccountId,
			action: perfledger_primitives::Action,
			target: perfledger_primitives::Target,
		) -> bool {
			<Permissions as perfledger_primitives::Permissions<AccountId>>::may(&who, action, &target)
		}
	}

	impl pallet_records::runtime_api::RecordsApi<
		Block,
		pallet_records::RecordOf<Runtime>,
		pallet_records::RecordViewOf<Runtime>,
		pallet_records::StreamOf<Runtime>,
	> for Runtime {
		fn record(id: pallet_records::RecordId) -> Option<pallet_records::RecordViewOf<Runtime>> {
			Records::record_view(id)
		}

		fn stream_id(
			organization: perfledger_primitives::OrganizationId,
			metric: perfledger_primitives::MetricId,
			subject: Vec<u8>,
		) -> pallet_records::StreamId {
			Records::stream_key(organization, metric, &subject)
		}

		fn stream(stream: pallet_records::StreamId) -> Option<pallet_records::StreamOf<Runtime>> {
			pallet_records::Streams::<Runtime>::get(stream)
		}

		fn history(
			stream: pallet_records::StreamId,
			before: Option<pallet_records::RecordId>,
			limit: u32,
		) -> Vec<(pallet_records::RecordId, pallet_records::RecordOf<Runtime>)> {
			Records::history(stream, before, limit.min(1_000))
		}

		fn verify_stream(
			stream: pallet_records::StreamId,
		) -> Result<u64, pallet_records::RecordId> {
			Records::verify_stream(stream)
		}

		fn provenance(
			record: pallet_records::RecordId,
			depth: u32,
		) -> Vec<(pallet_records::RecordId, pallet_records::RecordOf<Runtime>)> {
			Records::provenance(record, depth, 1_000)
		}

		fn aggregate(
			stream: pallet_records::StreamId,
			period: u64,
		) -> Option<perfledger_primitives::Aggregate> {
			pallet_records::Aggregates::<Runtime>::get(stream, period)
		}

		fn verify_inclusion(
			batch: pallet_records::BatchId,
			leaf: sp_core::H256,
			index: u32,
			proof: Vec<sp_core::H256>,
		) -> bool {
			Records::verify_inclusion(batch, leaf, index, proof)
		}
	}

	impl pallet_attribution::runtime_api::AttributionApi<
		Block,
		AccountId,
		Balance,
		pallet_attribution::ArtifactOf<Runtime>,
		pallet_attribution::InheritanceOf<Runtime>,
		pallet_attribution::LicenseOf<Runtime>,
	> for Runtime {
		fn artifact(
			id: pallet_attribution::ArtifactId,
		) -> Option<(pallet_attribution::ArtifactOf<Runtime>, pallet_attribution::InheritanceOf<Runtime>)> {
			Some((
				pallet_attribution::Artifacts::<Runtime>::get(id)?,
				pallet_attribution::Lineage::<Runtime>::get(id)?,
			))
		}

		fn contributors(id: pallet_attribution::ArtifactId) -> Vec<AccountId> {
			pallet_attribution::Contributors::<Runtime>::get(id).map(|c| c.into_inner()).unwrap_or_default()
		}

		fn artifact_by_digest(digest: sp_core::H256) -> Option<pallet_attribution::ArtifactId> {
			pallet_attribution::ArtifactByDigest::<Runtime>::get(digest)
		}

		fn license(
			id: pallet_attribution::LicenseId,
		) -> Option<pallet_attribution::LicenseOf<Runtime>> {
			pallet_attribution::Licenses::<Runtime>::get(id)
		}

		fn ancestors(
			id: pallet_attribution::ArtifactId,
			depth: u32,
			skip: u32,
			limit: u32,
		) -> Vec<(pallet_attribution::ArtifactId, u32)> {
			Attribution::lineage(id, true, depth, skip, limit)
		}

		fn descendants(
			id: pallet_attribution::ArtifactId,
			depth: u32,
			skip: u32,
			limit: u32,
		) -> Vec<(pallet_attribution::ArtifactId, u32)> {
			Attribution::lineage(id, false, depth, skip, limit)
		}

		fn pedigree(
			model: pallet_attribution::ArtifactId,
		) -> Vec<(
			pallet_attribution::ArtifactId,
			pallet_attribution::ArtifactOf<Runtime>,
			pallet_attribution::LicenseOf<Runtime>,
		)> {
			Attribution::pedigree(model)
				.into_iter()
				.filter_map(|id| {
					let artifact = pallet_attribution::Artifacts::<Runtime>::get(id)?;
					let license = pallet_attribution::Licenses::<Runtime>::get(artifact.license)?;
					Some((id, artifact, license))
				})
				.collect()
		}

		fn scores(model: pallet_attribution::ArtifactId) -> Vec<(AccountId, u32)> {
			pallet_attribution::Scores::<Runtime>::iter_prefix(model).collect()
		}

		fn claimable(model: pallet_attribution::ArtifactId, who: AccountId) -> Balance {
			Attribution::claimable(model, &who)
		}
	}

	impl pallet_sla_escrow::runtime_api::SlaEscrowApi<
		Block,
		pallet_sla_escrow::AgreementOf<Runtime>,
		pallet_sla_escrow::SettlementOf<Runtime>,
	> for Runtime {
		fn agreement(
			id: pallet_sla_escrow::AgreementId,
		) -> Option<pallet_sla_escrow::AgreementOf<Runtime>> {
			pallet_sla_escrow::Agreements::<Runtime>::get(id)
		}

		fn settlements(
			id: pallet_sla_escrow::AgreementId,
		) -> Vec<(u64, pallet_sla_escrow::SettlementOf<Runtime>)> {
			SlaEscrow::history(id)
		}
	}

	impl pallet_disclosure::runtime_api::DisclosureApi<
		Block,
		pallet_disclosure::DocumentCommitmentOf<Runtime>,
		pallet_disclosure::RequestOf<Runtime>,
		pallet_disclosure::CommittedValueOf<Runtime>,
		pallet_disclosure::ClaimOf<Runtime>,
	> for Runtime {
		fn commitment(
			id: pallet_disclosure::CommitmentId,
		) -> Option<pallet_disclosure::DocumentCommitmentOf<Runtime>> {
			pallet_disclosure::Commitments::<Runtime>::get(id)
		}

		fn verify_field(
			commitment: pallet_disclosure::CommitmentId,
			disclosure: pallet_disclosure::FieldDisclosure,
		) -> Result<(), pallet_disclosure::FieldCheckError> {
			Disclosure::verify_field(commitment, &disclosure)
		}

		fn request(
			id: pallet_disclosure::RequestId,
		) -> Option<(pallet_disclosure::RequestOf<Runtime>, bool)> {
			pallet_disclosure::Requests::<Runtime>::get(id).map(|r| (r, Disclosure::is_active(id)))
		}

		fn committed_value(
			organization: perfledger_primitives::OrganizationId,
			metric: perfledger_primitives::MetricId,
			subject: Vec<u8>,
			period: u64,
		) -> Option<(
			pallet_disclosure::ValueId,
			pallet_disclosure::CommittedValueOf<Runtime>,
			perfledger_primitives::ProvenRange,
		)> {
			Disclosure::value_of(organization, metric, &subject, period)
		}

		fn claim(id: pallet_disclosure::ClaimId) -> Option<pallet_disclosure::ClaimOf<Runtime>> {
			pallet_disclosure::Claims::<Runtime>::get(id)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use perfledger_node_authorization_benchmarks::Pallet as NodeAuthorizationBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use sp_storage::TrackedStorageKey;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use perfledger_node_authorization_benchmarks::Pallet as NodeAuthorizationBench;
			use super::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}
			impl perfledger_node_authorization_benchmarks::Config for Runtime {}

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// A failed pre/post-upgrade check must stop try-runtime here, with a backtrace.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
