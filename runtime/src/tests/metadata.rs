//! The metadata's shape: everything a client decodes by (calls with their indices and arguments,
//! storage, events, errors, constants, types, runtime APIs, transaction extensions), without
//! the docs. A refactoring that claims to change no behaviour must leave it exactly as it was:
//! `runtime/metadata-shape.txt` holds a digest of each part, and this test compares, part by
//! part, so that a difference says where it is.
//!
//! A change that is meant to change the metadata rewrites the file on purpose:
//! `PERFLEDGER_WRITE_METADATA_SHAPE=1 cargo test -p perfledger-runtime metadata` (and
//! `scripts/update-metadata.sh` for the client's copy), and the diff shows what changed.

use crate::Runtime;
use codec::Encode;
// frame-support's re-exports of frame-metadata and sp-metadata-ir: the very versions the
// runtime's metadata is built with.
use frame_support::__private::{
	metadata::{v16::RuntimeMetadataV16, RuntimeMetadata, RuntimeMetadataPrefixed},
	metadata_ir,
};
use scale_info::{form::PortableForm, Type, TypeDef};
use std::collections::BTreeSet;

const SHAPE_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/metadata-shape.txt");

fn digest(part: &impl Encode) -> String {
	sp_io::hashing::blake2_256(&part.encode())[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// A type without its docs and its fields' and variants' docs.
fn without_docs(ty: &Type<PortableForm>) -> Type<PortableForm> {
	let mut ty = ty.clone();
	ty.docs.clear();
	match &mut ty.type_def {
		TypeDef::Composite(composite) => composite.fields.iter_mut().for_each(|f| f.docs.clear()),
		TypeDef::Variant(variant) => variant.variants.iter_mut().for_each(|v| {
			v.docs.clear();
			v.fields.iter_mut().for_each(|f| f.docs.clear());
		}),
		_ => {}
	}
	ty
}

/// One line per part: `<kind> <name> <digest of its encoding without docs>`.
fn shape(mut metadata: RuntimeMetadataV16) -> BTreeSet<String> {
	let mut lines = BTreeSet::new();
	for ty in &metadata.types.types {
		let path = ty.ty.path.segments.join("::");
		lines.insert(format!("type {:>4} {path} {}", ty.id, digest(&without_docs(&ty.ty))));
	}
	for pallet in &mut metadata.pallets {
		pallet.docs.clear();
		if let Some(storage) = &mut pallet.storage {
			storage.entries.iter_mut().for_each(|e| e.docs.clear());
		}
		pallet.constants.iter_mut().for_each(|c| c.docs.clear());
		pallet.associated_types.iter_mut().for_each(|a| a.docs.clear());
		pallet.view_functions.iter_mut().for_each(|v| v.docs.clear());
		lines.insert(format!("pallet {:>3} {} {}", pallet.index, pallet.name, digest(pallet)));
	}
	for api in &mut metadata.apis {
		api.docs.clear();
		api.methods.iter_mut().for_each(|m| m.docs.clear());
		lines.insert(format!("api {} {}", api.name, digest(api)));
	}
	lines.insert(format!("extrinsic {}", digest(&metadata.extrinsic)));
	lines.insert(format!("outer-enums {}", digest(&metadata.outer_enums)));
	lines.insert(format!("custom {}", digest(&metadata.custom)));
	lines
}

fn current() -> RuntimeMetadataV16 {
	let RuntimeMetadataPrefixed(_, RuntimeMetadata::V16(metadata)) =
		metadata_ir::into_v16(Runtime::metadata_ir())
	else {
		panic!("the runtime gives metadata V16");
	};
	metadata
}

#[test]
fn the_metadata_keeps_its_shape_but_for_docs() {
	let now = shape(current());
	if std::env::var_os("PERFLEDGER_WRITE_METADATA_SHAPE").is_some() {
		let text: String = now.iter().map(|line| format!("{line}\n")).collect();
		std::fs::write(SHAPE_FILE, text).expect("the shape file is writable");
	}
	let committed: BTreeSet<String> = std::fs::read_to_string(SHAPE_FILE)
		.expect("runtime/metadata-shape.txt exists")
		.lines()
		.map(str::to_owned)
		.collect();
	let gone: Vec<_> = committed.difference(&now).collect();
	let new: Vec<_> = now.difference(&committed).collect();
	assert!(
		gone.is_empty() && new.is_empty(),
		"the metadata changed (beyond docs).\nwas:\n{}\nis now:\n{}",
		gone.iter().map(|l| format!("  {l}\n")).collect::<String>(),
		new.iter().map(|l| format!("  {l}\n")).collect::<String>(),
	);
}

/// The comparison sees a change: a call's argument, or one docs line, handled as they should be.
#[test]
fn the_shape_sees_a_changed_type_and_ignores_docs() {
	let mut metadata = current();
	let before = shape(metadata.clone());
	let with_docs =
		metadata.types.types.iter().position(|t| !t.ty.docs.is_empty()).expect("a type with docs");
	metadata.types.types[with_docs].ty.docs.push("one more line".into());
	assert_eq!(shape(metadata.clone()), before, "docs are not part of the shape");
	let composite = metadata
		.types
		.types
		.iter()
		.position(|t| matches!(&t.ty.type_def, TypeDef::Composite(c) if !c.fields.is_empty()))
		.expect("a composite type");
	if let TypeDef::Composite(c) = &mut metadata.types.types[composite].ty.type_def {
		c.fields.pop();
	}
	assert_ne!(shape(metadata), before, "a type's fields are");
}
