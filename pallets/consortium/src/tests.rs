//! Tests of consortium governance: every call, every refusal, and what each leaves behind.

use crate::{mock::*, Applications, CharterVersion, Charters, Error, Event, HoldReason, Members};
use frame::{testing_prelude::*, traits::fungible::InspectHold};

fn name(s: &str) -> BoundedVec<u8, ConstU32<32>> {
	s.as_bytes().to_vec().try_into().unwrap()
}

fn uri(s: &str) -> BoundedVec<u8, ConstU32<64>> {
	s.as_bytes().to_vec().try_into().unwrap()
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ApplicationDeposit.into(), &who)
}

mod membership {
	use super::*;

	#[test]
	fn apply_holds_the_deposit() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(5), name("Acme"), DE));
			System::assert_last_event(
				Event::ApplicationSubmitted { applicant: 5, deposit: 100 }.into(),
			);
			assert_eq!(held(5), 100);
			assert_eq!(Balances::free_balance(5), 900);
			assert_eq!(Applications::<Test>::get(5).unwrap().name, name("Acme"));
		});
	}

	#[test]
	fn apply_refusals() {
		ExtBuilder::build_and_execute(|| {
			assert_noop!(
				Consortium::apply(RuntimeOrigin::signed(1), name("Again"), DE),
				Error::<Test>::AlreadyMember
			);
			assert_noop!(
				Consortium::apply(RuntimeOrigin::signed(5), name(""), DE),
				Error::<Test>::EmptyName
			);
			assert_noop!(
				Consortium::apply(
					RuntimeOrigin::signed(5),
					name("Acme"),
					perfledger_primitives::Region(*b"de")
				),
				Error::<Test>::InvalidRegion
			);
			// Account 5 reports for an organization: it renounces that role before founding its
			// own.
			InOrganization::set(vec![5]);
			assert_noop!(
				Consortium::apply(RuntimeOrigin::signed(5), name("Acme"), DE),
				Error::<Test>::InAnotherOrganization
			);
			InOrganization::set(vec![]);
			// Account 20 holds nothing.
			assert_noop!(
				Consortium::apply(RuntimeOrigin::signed(20), name("Poor"), DE),
				Error::<Test>::InsufficientDeposit
			);
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(5), name("Acme"), DE));
			assert_noop!(
				Consortium::apply(RuntimeOrigin::signed(5), name("Acme"), DE),
				Error::<Test>::AlreadyApplied
			);
		});
	}

	#[test]
	fn withdraw_releases_the_deposit() {
		ExtBuilder::build_and_execute(|| {
			assert_noop!(
				Consortium::withdraw_application(RuntimeOrigin::signed(5)),
				Error::<Test>::NoApplication
			);
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(5), name("Acme"), DE));
			assert_ok!(Consortium::withdraw_application(RuntimeOrigin::signed(5)));
			System::assert_last_event(Event::ApplicationWithdrawn { applicant: 5 }.into());
			assert_eq!((held(5), Balances::free_balance(5)), (0, 1_000));
			assert!(!Applications::<Test>::contains_key(5));
		});
	}

	#[test]
	fn admission_seats_the_member_creates_its_organization_and_returns_the_deposit() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(5), name("Acme"), DE));
			assert_noop!(Consortium::admit(RuntimeOrigin::signed(1), 5), DispatchError::BadOrigin);
			assert_noop!(Consortium::admit(RuntimeOrigin::root(), 6), Error::<Test>::NoApplication);

			assert_ok!(Consortium::admit(RuntimeOrigin::root(), 5));
			System::assert_last_event(
				Event::MemberAdmitted { member: 5, organization: 101 }.into(),
			);
			assert_eq!(Seats::get(), vec![1, 2, 3, 5]);
			assert_eq!(Created::get(), vec![(5, b"Acme".to_vec(), DE)]);
			assert_eq!((held(5), Balances::free_balance(5)), (0, 1_000));
			assert_eq!(Members::<Test>::get(5).unwrap().organization, 101);
			assert!(!Applications::<Test>::contains_key(5));
		});
	}

	#[test]
	fn admission_stops_at_the_council_bound() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(5), name("E"), DE));
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(6), name("F"), DE));
			assert_ok!(Consortium::admit(RuntimeOrigin::root(), 5));
			assert_noop!(Consortium::admit(RuntimeOrigin::root(), 6), Error::<Test>::CouncilFull);
			assert_eq!(held(6), 100, "the refused applicant still holds its deposit");
		});
	}

	#[test]
	fn rejection_releases_or_burns_the_deposit() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(5), name("E"), DE));
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(6), name("F"), DE));
			let issuance = Balances::total_issuance();
			assert_noop!(
				Consortium::reject(RuntimeOrigin::signed(1), 5, false),
				DispatchError::BadOrigin
			);

			assert_ok!(Consortium::reject(RuntimeOrigin::root(), 5, false));
			System::assert_last_event(
				Event::ApplicationRejected { applicant: 5, slashed: 0 }.into(),
			);
			assert_eq!(Balances::free_balance(5), 1_000);

			assert_ok!(Consortium::reject(RuntimeOrigin::root(), 6, true));
			System::assert_last_event(
				Event::ApplicationRejected { applicant: 6, slashed: 100 }.into(),
			);
			assert_eq!((held(6), Balances::free_balance(6)), (0, 900));
			assert_eq!(Balances::total_issuance(), issuance - 100, "a slashed deposit is burnt");

			assert_noop!(
				Consortium::reject(RuntimeOrigin::root(), 6, true),
				Error::<Test>::NoApplication
			);
			assert!(Seats::get() == vec![1, 2, 3]);
		});
	}

	#[test]
	fn members_leave_or_are_removed_but_the_council_keeps_its_minimum() {
		ExtBuilder::build_and_execute(|| {
			assert_noop!(
				Consortium::remove_member(RuntimeOrigin::signed(2), 1),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Consortium::remove_member(RuntimeOrigin::root(), 7),
				Error::<Test>::NotMember
			);

			assert_ok!(Consortium::remove_member(RuntimeOrigin::root(), 1));
			System::assert_last_event(Event::MemberRemoved { member: 1 }.into());
			assert_eq!(Seats::get(), vec![2, 3]);
			assert_eq!(Closed::get(), vec![1]);
			assert!(!Members::<Test>::contains_key(1));

			// Two left: the minimum.
			assert_noop!(
				Consortium::leave(RuntimeOrigin::signed(2)),
				Error::<Test>::CouncilTooSmall
			);
			assert_noop!(
				Consortium::remove_member(RuntimeOrigin::root(), 3),
				Error::<Test>::CouncilTooSmall
			);
			assert_noop!(Consortium::leave(RuntimeOrigin::signed(1)), Error::<Test>::NotMember);
		});
	}

	#[test]
	fn a_member_leaves_of_its_own_accord() {
		ExtBuilder::build_and_execute(|| {
			assert_ok!(Consortium::leave(RuntimeOrigin::signed(3)));
			System::assert_last_event(Event::MemberLeft { member: 3 }.into());
			assert_eq!(Seats::get(), vec![1, 2]);
			// A former member may apply again.
			assert_ok!(Consortium::apply(RuntimeOrigin::signed(3), name("Back"), DE));
		});
	}
}

mod charter {
	use super::*;

	#[test]
	fn amendments_need_the_next_version_and_keep_every_version() {
		ExtBuilder::build_and_execute(|| {
			assert_eq!(CharterVersion::<Test>::get(), 1);
			let v2 = H256::repeat_byte(2);
			assert_noop!(
				Consortium::amend_charter(RuntimeOrigin::signed(1), v2, uri("ipfs://v2"), 2),
				DispatchError::BadOrigin
			);
			for stale in [0, 1, 3] {
				assert_noop!(
					Consortium::amend_charter(RuntimeOrigin::root(), v2, uri("ipfs://v2"), stale),
					Error::<Test>::StaleCharterVersion
				);
			}
			assert_noop!(
				Consortium::amend_charter(RuntimeOrigin::root(), v2, uri(""), 2),
				Error::<Test>::EmptyUri
			);

			assert_ok!(Consortium::amend_charter(RuntimeOrigin::root(), v2, uri("ipfs://v2"), 2));
			System::assert_last_event(Event::CharterAmended { version: 2, hash: v2 }.into());
			assert_eq!(CharterVersion::<Test>::get(), 2);
			assert_eq!(Charters::<Test>::get(1).unwrap().hash, H256::repeat_byte(1));
			assert_eq!(Charters::<Test>::get(2).unwrap().uri, uri("ipfs://v2"));
		});
	}
}

mod leadership {
	use super::*;

	fn run_to(n: u64) {
		while System::block_number() < n {
			let next = System::block_number() + 1;
			System::set_block_number(next);
			<Consortium as Hooks<u64>>::on_initialize(next);
		}
	}

	#[test]
	fn the_prime_rotates_round_robin_every_term() {
		ExtBuilder::build_and_execute(|| {
			run_to(9);
			assert_eq!(Prime::get(), None, "no rotation before the first term boundary");
			run_to(10);
			assert_eq!(Prime::get(), Some(2)); // term 1 of members [1, 2, 3]
			System::assert_last_event(Event::PrimeRotated { prime: 2, term: 1 }.into());
			run_to(19);
			assert_eq!(Prime::get(), Some(2), "a prime leads for its whole term");
			run_to(20);
			assert_eq!(Prime::get(), Some(3));
			run_to(30);
			assert_eq!(Prime::get(), Some(1));
			assert_eq!(Consortium::prime_for_term(4), Some(2));
		});
	}
}

mod upgrades {
	use super::*;

	#[test]
	fn only_the_upgrade_origin_authorizes_code() {
		ExtBuilder::build_and_execute(|| {
			let code_hash = H256::repeat_byte(9);
			assert_noop!(
				Consortium::authorize_upgrade(RuntimeOrigin::signed(1), code_hash),
				DispatchError::BadOrigin
			);
			assert_ok!(Consortium::authorize_upgrade(RuntimeOrigin::root(), code_hash));
			System::assert_last_event(Event::UpgradeAuthorized { code_hash }.into());
			// frame-system now accepts exactly this code, checking that its version increases.
			System::assert_has_event(
				frame_system::Event::UpgradeAuthorized { code_hash, check_version: true }.into(),
			);
		});
	}
}
