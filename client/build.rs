//! The client's interface is generated from `metadata/perfledger.scale` by a macro, which cargo
//! does not know reads it: without this, new metadata (`scripts/update-metadata.sh`) would not
//! rebuild the client.

fn main() {
	println!("cargo:rerun-if-changed=metadata/perfledger.scale");
}
