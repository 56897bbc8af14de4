//! Tests of the validator set: who may change it, the bounds, and what reaches the session.

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
