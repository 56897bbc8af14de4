//! `perfledger-prove`: makes what selective disclosure needs off chain, as JSON, with fresh
//! randomness from the operating system. For scripts and tests; integrators use the library.
//!
//! ```text
//! perfledger-prove document <schema description> <field>...
//!     salts and commits a document; prints the schema hash, the root, the field count and
//!     every field's disclosure (position, value, salt, proof)
//! perfledger-prove value <organization> <metric> <subject> <period> <value>
//!     commits a value; prints the commitment, its blinding (keep it secret) and the range proof
//! perfledger-prove threshold <organization> <metric> <subject> <period> <value>
//!         <threshold> <at-most|at-least>  < blinding
//!     proves a claim about a committed value, its blinding read from standard input (a secret
//!     never goes on a command line, where every user of the machine can read it); prints the
//!     proof
//! perfledger-prove sizes
//!     prints proof sizes, and the time to make and check a range proof natively
//! ```

use perfledger_proofs::{
	fields::{self, Document},
	threshold::{self, Direction, Opening},
	OsRng,
};
use std::{process::exit, time::Instant};

fn hex(bytes: &[u8]) -> String {
	let digits: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
	format!("\"0x{digits}\"")
}

fn fail(message: String) -> ! {
	eprintln!("perfledger-prove: {message}");
	exit(2)
}

fn parse<T: std::str::FromStr>(args: &[String], index: usize, name: &str) -> T {
	let Some(text) = args.get(index) else { fail(format!("missing <{name}>")) };
	text.parse().unwrap_or_else(|_| fail(format!("<{name}> is not a valid number: {text:?}")))
}

fn blinding(text: &str) -> [u8; 32] {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	let bytes: Option<Vec<u8>> = (0..digits.len())
		.step_by(2)
		.map(|i| digits.get(i..i + 2).and_then(|d| u8::from_str_radix(d, 16).ok()))
		.collect();
	bytes
		.and_then(|b| b.try_into().ok())
		.unwrap_or_else(|| fail(format!("<blinding> must be 32 bytes of hex: {text:?}")))
}

fn statement(args: &[String]) -> Vec<u8> {
	let subject = args.get(3).unwrap_or_else(|| fail("missing <subject>".into()));
	threshold::statement(
		parse(args, 1, "organization"),
		parse(args, 2, "metric"),
		subject.as_bytes(),
		parse(args, 4, "period"),
	)
}

fn document(args: &[String]) {
	let Some(description) = args.get(1) else { fail("missing <schema description>".into()) };
	let values = args[2..].iter().map(|v| v.as_bytes().to_vec()).collect();
	let document = Document::new(fields::schema_hash(description.as_bytes()), values, &mut OsRng)
		.unwrap_or_else(|| fail("a document needs at least one <field>".into()));
	let disclosures: Vec<String> = (0..document.len())
		.map(|i| {
			let d = document.disclose(i).expect("in range");
			let proof: Vec<String> = d.proof.iter().map(|h| hex(h.as_bytes())).collect();
			format!(
				"{{\"position\":{},\"value\":{},\"salt\":{},\"proof\":[{}]}}",
				d.position,
				hex(&d.value),
				hex(&d.salt),
				proof.join(",")
			)
		})
		.collect();
	println!(
		"{{\"schema\":{},\"root\":{},\"fields\":{},\"disclosures\":[{}]}}",
		hex(document.schema().as_bytes()),
		hex(document.root().as_bytes()),
		document.len(),
		disclosures.join(",")
	);
}

fn value(args: &[String]) {
	let opening = Opening::new(parse(args, 5, "value"), &mut OsRng);
	let proof =
		threshold::prove_value(&opening, &statement(args), &mut OsRng).expect("fresh opening");
	println!(
		"{{\"commitment\":{},\"blinding\":{},\"proof\":{}}}",
		hex(&opening.commitment().expect("fresh opening")),
		hex(&opening.blinding),
		hex(&proof)
	);
}

fn claim(args: &[String]) {
	let mut text = String::new();
	if std::io::stdin().read_line(&mut text).is_err() || text.trim().is_empty() {
		fail("give the blinding on standard input (one line of hex)".into());
	}
	let opening = Opening { value: parse(args, 5, "value"), blinding: blinding(text.trim()) };
	let direction = match args.get(7).map(String::as_str) {
		Some("at-most") => Direction::AtMost,
		Some("at-least") => Direction::AtLeast,
		other => fail(format!("<direction> must be at-most or at-least, not {other:?}")),
	};
	let threshold_value = parse(args, 6, "threshold");
	match threshold::prove_threshold(
		&opening,
		threshold_value,
		direction,
		&statement(args),
		&mut OsRng,
	) {
		Ok(proof) => println!("{{\"proof\":{}}}", hex(&proof)),
		Err(error) => fail(format!("cannot prove the claim: {error:?}")),
	}
}

fn sizes() {
	for n in [1u32, 8, 32, 256, 1_024] {
		let values = (0..n).map(|i| format!("field {i:04}").into_bytes()).collect();
		let document =
			Document::new(fields::schema_hash(b"sizes"), values, &mut OsRng).expect("fields");
		let disclosure = document.disclose(n - 1).expect("in range");
		let encoded = codec::Encode::encode(&disclosure).len();
		println!(
			"field proof, {n:>5} fields: {} hashes, {} bytes with its 10-byte value ({} bytes of proof)",
			disclosure.proof.len(),
			encoded,
			disclosure.proof.len() * 32
		);
	}
	let statement = threshold::statement(0, 0, b"subject", 0);
	let opening = Opening::new(950, &mut OsRng);
	let commitment = opening.commitment().expect("fresh");
	let rounds = 20;
	let start = Instant::now();
	let proofs: Vec<_> = (0..rounds)
		.map(|_| {
			threshold::prove_threshold(&opening, 1_000, Direction::AtMost, &statement, &mut OsRng)
				.expect("true")
		})
		.collect();
	let proving = start.elapsed() / rounds;
	let start = Instant::now();
	for proof in &proofs {
		threshold::verify_threshold(&commitment, 1_000, Direction::AtMost, &statement, proof)
			.expect("valid");
	}
	let verifying = start.elapsed() / rounds;
	println!(
		"64-bit range proof: {} bytes, commitment 32 bytes; native: proving {:.2} ms, verifying {:.2} ms",
		proofs[0].len(),
		proving.as_secs_f64() * 1e3,
		verifying.as_secs_f64() * 1e3
	);
}

fn main() {
	let args: Vec<String> = std::env::args().skip(1).collect();
	match args.first().map(String::as_str) {
		Some("document") => document(&args),
		Some("value") => value(&args),
		Some("threshold") => claim(&args),
		Some("sizes") => sizes(),
		_ => fail(
			"usage: perfledger-prove document|value|threshold|sizes ... (see the crate docs)"
				.into(),
		),
	}
}
