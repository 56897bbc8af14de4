//! Tests of the validator set: who may change it, the bounds, what reaches the session, and the
//! council's way to restart stalled finality.

use crate::{mock::*, Error, Event, MinValidators, PendingChange, Validators};
use frame::testing_prelude::*;
use pallet_session::SessionManager;

fn validators() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

#[test]
fn genesis_validators_start_the_first_session() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(ValidatorSet::new_session_genesis(0), Some(vec![1, 2, 3]));
		// Nothing changed since genesis: the session keeps its set.
		assert_eq!(ValidatorSet::new_session(1), None);
	});
}

#[test]
fn council_adds_a_validator_that_reaches_the_next_session() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		System::assert_last_event(Event::ValidatorAdded { who: 4 }.into());
		assert_eq!(validators(), vec![1, 2, 3, 4]);
		assert!(PendingChange::<Test>::get());

		assert_eq!(ValidatorSet::new_session(2), Some(vec![1, 2, 3, 4]));
		System::assert_last_event(
			Event::ValidatorSetQueued { session_index: 2, validators: 4 }.into(),
		);
		// Handed over once: the next rotation keeps it.
		assert_eq!(ValidatorSet::new_session(3), None);
	});
}

#[test]
fn add_validator_refusals() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(1), 4),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::AlreadyValidator
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 99),
			Error::<Test>::NoSessionKeys
		);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 5),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn council_removes_a_validator_but_never_below_the_minimum() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::ValidatorRemoved { who: 2 }.into());
		assert_eq!(validators(), vec![1, 3]);
		assert_eq!(ValidatorSet::new_session(2), Some(vec![1, 3]));

		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 3),
			Error::<Test>::TooFewValidators
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::NotValidator
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(1), 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_removed_validator_can_be_added_again() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 1));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 1));
		assert_eq!(validators(), vec![2, 3, 1]);
	});
}

#[test]
#[should_panic(expected = "genesis has at least min_validators validators")]
fn genesis_below_the_minimum_is_refused() {
	ExtBuilder { validators: vec![1] }.build();
}

#[test]
fn council_sets_the_minimum_within_the_set() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::set_min_validators(RuntimeOrigin::signed(1), 3),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::set_min_validators(RuntimeOrigin::root(), 0),
			Error::<Test>::InvalidMinimum
		);
		assert_noop!(
			ValidatorSet::set_min_validators(RuntimeOrigin::root(), 4),
			Error::<Test>::InvalidMinimum
		);
		assert_ok!(ValidatorSet::set_min_validators(RuntimeOrigin::root(), 3));
		System::assert_last_event(Event::MinValidatorsSet { min: 3 }.into());
		assert_eq!(MinValidators::<Test>::get(), 3);
		// Now no validator may leave.
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::TooFewValidators
		);
	});
}

#[test]
fn council_tells_the_finality_gadget_of_a_stall() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number(20);
		assert_ok!(ValidatorSet::recover_finality(RuntimeOrigin::root(), 5, 12));
		System::assert_last_event(
			Event::FinalityRecoveryScheduled { delay: 5, best_finalized: 12 }.into(),
		);
		assert_eq!(StallsNoted::get(), vec![(5, 12)]);
		// The set is not changed: the forced change takes the validators active at the boundary.
		assert!(!PendingChange::<Test>::get());
		assert_eq!(validators(), vec![1, 2, 3]);
		assert_eq!(ValidatorSet::new_session(3), None);
	});
}

#[test]
fn recover_finality_accepts_the_bounds() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number(20);
		// The shortest and the longest delay (`MaxRecoveryDelay` is 9), the genesis block and
		// the block before the current one.
		assert_ok!(ValidatorSet::recover_finality(RuntimeOrigin::root(), 1, 19));
		assert_ok!(ValidatorSet::recover_finality(RuntimeOrigin::root(), 9, 0));
		assert_eq!(StallsNoted::get(), vec![(1, 19), (9, 0)]);
	});
}

#[test]
fn recover_finality_refusals() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number(20);
		assert_noop!(
			ValidatorSet::recover_finality(RuntimeOrigin::signed(1), 5, 12),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::recover_finality(RuntimeOrigin::root(), 0, 12),
			Error::<Test>::DelayTooShort
		);
		assert_noop!(
			ValidatorSet::recover_finality(RuntimeOrigin::root(), 10, 12),
			Error::<Test>::DelayTooLong
		);
		// The current block is not finalized yet, nor any after it.
		assert_noop!(
			ValidatorSet::recover_finality(RuntimeOrigin::root(), 5, 20),
			Error::<Test>::FinalizedInFuture
		);
		assert_noop!(
			ValidatorSet::recover_finality(RuntimeOrigin::root(), 5, 21),
			Error::<Test>::FinalizedInFuture
		);
		// The finality gadget's own refusal reaches the council as it is.
		RefuseStalls::set(true);
		assert_noop!(
			ValidatorSet::recover_finality(RuntimeOrigin::root(), 5, 12),
			DispatchError::Other("the finality gadget refused")
		);
		assert!(StallsNoted::get().is_empty(), "nothing reached the finality gadget");
	});
}

#[test]
fn a_validator_cannot_purge_its_keys_but_a_removed_one_can() {
	ExtBuilder::default().build_and_execute(|| {
		// Validator 3 purging its keys would leave the next set below the minimum of two.
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(3)),
			Error::<Test>::StillValidator
		);
		assert!(WithKeys::get().contains(&3));
		// Once the council removed it, its operator takes its keys (and deposit) back.
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		assert_ok!(ValidatorSet::purge_keys(RuntimeOrigin::signed(3)));
		assert!(!WithKeys::get().contains(&3));
		System::assert_last_event(Event::KeysPurged { who: 3 }.into());
		// A candidate that was never added takes its keys back too; twice is an error.
		assert_ok!(ValidatorSet::purge_keys(RuntimeOrigin::signed(5)));
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(5)),
			DispatchError::Other("no keys")
		);
	});
}
