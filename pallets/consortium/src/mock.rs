//! A test runtime: System, Balances and the consortium, with the council's seats and the
//! organizations kept in simple mock stores.

use crate as pallet_consortium;
use frame::{deps::sp_runtime::BuildStorage, prelude::*, runtime::prelude::*, testing_prelude::*};
use perfledger_primitives::{CouncilSeats, OrganizationId, OrganizationLifecycle, Region};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub struct Test {
		System: frame_system,
		Balances: pallet_balances,
		Consortium: pallet_consortium,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	/// The council's seats, sorted, and its prime.
	pub static Seats: Vec<u64> = vec![];
	pub static Prime: Option<u64> = None;
	/// Organizations created (founding admin, name, region), and the admins whose
	/// organization was closed.
	pub static Created: Vec<(u64, Vec<u8>, Region)> = vec![];
	pub static Closed: Vec<u64> = vec![];
	/// Accounts holding a role in an organization they do not own.
	pub static InOrganization: Vec<u64> = vec![];
}

pub struct MockCouncil;
impl CouncilSeats<u64> for MockCouncil {
	fn members() -> Vec<u64> {
		Seats::get()
	}
	fn add(who: &u64) -> DispatchResult {
		Seats::mutate(|s| {
			s.push(*who);
			s.sort();
		});
		Ok(())
	}
	fn remove(who: &u64) -> DispatchResult {
		Seats::mutate(|s| s.retain(|m| m != who));
		if Prime::get() == Some(*who) {
			Prime::set(None);
		}
		Ok(())
	}
	fn set_prime(who: &u64) -> DispatchResult {
		Prime::set(Some(*who));
		Ok(())
	}
	fn prime() -> Option<u64> {
		Prime::get()
	}
}

pub struct MockOrganizations;
impl OrganizationLifecycle<u64> for MockOrganizations {
	fn on_admitted(
		admin: &u64,
		name: &[u8],
		region: Region,
	) -> Result<OrganizationId, DispatchError> {
		Created::mutate(|c| c.push((*admin, name.to_vec(), region)));
		Ok(100 + Created::get().len() as OrganizationId)
	}
	fn on_removed(admin: &u64) -> DispatchResult {
		Closed::mutate(|c| c.push(*admin));
		Ok(())
	}
	fn may_found(admin: &u64) -> bool {
		!InOrganization::get().contains(admin)
	}
}

/// Council motions are root in these tests; a signed origin is anyone.
impl pallet_consortium::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ApplicationDeposit = ConstU64<100>;
	type AdmissionOrigin = EnsureRoot<u64>;
	type CharterOrigin = EnsureRoot<u64>;
	type UpgradeOrigin = EnsureRoot<u64>;
	type Council = MockCouncil;
	type Organizations = MockOrganizations;
	type MinCouncilSize = ConstU32<2>;
	type MaxCouncilSize = ConstU32<4>;
	type TermDuration = ConstU64<10>;
	type MaxNameLength = ConstU32<32>;
	type MaxUriLength = ConstU32<64>;
	type WeightInfo = ();
}

pub const DE: Region = Region(*b"DE");

/// Founders 1, 2 and 3 on the council; accounts 1 to 9 hold 1,000 each.
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestState {
		let founders = [1u64, 2, 3];
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			balances: pallet_balances::GenesisConfig {
				balances: (1..=9).map(|a| (a, 1_000)).collect(),
				..Default::default()
			},
			consortium: pallet_consortium::GenesisConfig {
				founders: founders
					.iter()
					.map(|a| crate::FoundingMember {
						account: *a,
						name: alloc::format!("Founder {a}"),
						region: "DE".into(),
						organization: *a as u32,
					})
					.collect(),
				charter: Some((H256::repeat_byte(1), "ipfs://charter-v1".into())),
			},
		}
		.build_storage()
		.unwrap();
		Seats::set(founders.to_vec());
		Prime::set(None);
		Created::set(vec![]);
		Closed::set(vec![]);
		InOrganization::set(vec![]);
		let mut ext = TestState::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			Consortium::do_try_state().expect("invariants hold");
		});
	}
}
