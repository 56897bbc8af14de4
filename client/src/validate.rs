//! Turning a row into a record, checked locally with the rules the runtime applies, so that a
//! bad row is reported by line and field and never sent.
//!
//! The runtime's rules, all in one place and in the order they run, are in
//! `pallets/records/src/validation.rs` ("how a record is validated"). This is the client's copy
//! of those a row can be checked against: [`entry`] checks that the metric is known and not
//! retired, the subject's length, the value's scale ([`parse_decimal`]) and range, the time
//! against the chain's clock plus drift (`ledger::limits`), and that a device-only metric's
//! rows carry device fields. Whether the organization already used the document, and the
//! stream order, need the chain: `ingest/checking.rs` checks them (`check_record`). A rule
//! changed on one side changes on the other.
//!
//! Each check that can fail says why with its own error type ([`FieldError`], naming the
//! field, for a row; [`MissingColumn`], [`DecimalError`], [`TimeError`], [`DeviceOnly`]), whose
//! text is the message the user sees.

use crate::{
	mapping::{Mapping, MetricRef, TimeFormat},
	source::Row,
};
use codec::Encode;
use sp_crypto_hashing::blake2_256;
use std::collections::BTreeMap;
use subxt::utils::H256;

/// What the runtime accepts for a metric (from its current definition on chain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricRules {
	/// Digits after the point.
	pub scale: u8,
	/// The allowed range, in the metric's smallest unit.
	pub min: i128,
	pub max: i128,
	/// Whether only signed device readings may be records of it.
	pub device_only: bool,
	/// Whether it was retired.
	pub retired: bool,
}

impl MetricRules {
	/// Whether an amount (in the metric's smallest unit) is in the metric's range, both ends
	/// included: the runtime's rule, `pallet_records::value_fits` (a test checks they agree).
	pub fn fits(&self, amount: i128) -> bool {
		(self.min..=self.max).contains(&amount)
	}
}

/// The runtime's limits and clock that every record is checked against.
#[derive(Clone, Debug)]
pub struct Limits {
	/// The longest subject, in bytes (`Records::MaxSubjectLength`).
	pub max_subject: u32,
	/// The latest time a record may describe: the chain's time plus `MaxFutureDrift`.
	pub latest_time: u64,
}

/// A row mapped to a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
	/// The line it came from.
	pub line: u64,
	/// The metric.
	pub metric: u32,
	/// What it is about.
	pub subject: Vec<u8>,
	/// The value in the metric's smallest unit, and the metric's scale.
	pub amount: i128,
	pub scale: u8,
	/// The time it describes (ms since the Unix epoch).
	pub time: u64,
	/// The hash of its document.
	pub document: H256,
	/// For a device-signed reading: the device's fields as the export gives them.
	pub signed: Option<SignedFields>,
}

/// A device-signed reading's fields, as text (checked when the reading is built).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedFields {
	pub device: String,
	pub counter: String,
	pub signature: String,
}

impl Entry {
	/// The leaf of a Merkle batch: a hash over everything the record says, so that a batch
	/// member proves its metric, subject, value, time and document.
	pub fn leaf(&self) -> H256 {
		let content = (
			b"perfledger/row/v1",
			self.metric,
			&self.subject,
			self.amount,
			self.scale,
			self.time,
			self.document.0,
		);
		H256(blake2_256(&content.encode()))
	}
}

/// Why a row is not a record: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
	/// The mapping key and the row's field (`value (temp_c)`).
	pub field: String,
	/// What is wrong.
	pub message: String,
}

impl std::fmt::Display for FieldError {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		write!(f, "field {}: {}", self.field, self.message)
	}
}

fn error(key: &str, field: &str, message: impl Into<String>) -> FieldError {
	FieldError { field: format!("{key} ({field})"), message: message.into() }
}

/// A column the mapping names that the CSV export's header does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingColumn {
	/// The mapping key that names it (`value`, `filter`, ...).
	pub key: &'static str,
	/// The column it names.
	pub field: String,
	/// The header's columns.
	pub header: Vec<String>,
}

impl std::fmt::Display for MissingColumn {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		write!(
			f,
			"`{}` names column `{}`, which the header does not have (it has: {})",
			self.key,
			self.field,
			self.header.join(", ")
		)
	}
}

impl std::error::Error for MissingColumn {}

/// For a CSV export: every column the mapping names is in the header. A misspelt column is a
/// mapping error, reported once, not a "missing" field on every row.
pub fn check_columns(mapping: &Mapping, row: &Row) -> Result<(), MissingColumn> {
	let crate::source::RowData::Csv { header, .. } = &row.data else { return Ok(()) };
	let filters = mapping.filter.keys().map(|field| ("filter", field.as_str()));
	for (key, field) in mapping.fields().into_iter().chain(filters) {
		if !header.iter().any(|column| column == field) {
			return Err(MissingColumn {
				key,
				field: field.to_owned(),
				header: header.iter().map(str::to_owned).collect(),
			});
		}
	}
	Ok(())
}

/// Whether a row passes the mapping's filter.
pub fn selected(mapping: &Mapping, row: &Row) -> bool {
	mapping.filter.iter().all(|(field, wanted)| row.get(field).as_deref() == Some(wanted.as_str()))
}

/// Maps a row to a record and checks it: metric known and live, subject of allowed length,
/// value a decimal at the metric's scale and in its range, time not beyond the chain's clock
/// plus drift. Device-only metrics need device fields when `need_signature`.
pub fn entry(
	mapping: &Mapping,
	row: &Row,
	metrics: &BTreeMap<u32, MetricRules>,
	limits: &Limits,
	need_signature: bool,
) -> Result<Entry, FieldError> {
	let required = |key: &str, field: &str| {
		row.get(field)
			.filter(|text| !text.trim().is_empty())
			.ok_or_else(|| error(key, field, "missing or empty"))
	};
	let metric = match &mapping.metric {
		MetricRef::Fixed(id) => *id,
		MetricRef::ByField { field, values } => {
			let text = required("metric", field)?;
			*values.get(&text).ok_or_else(|| {
				let known = values.keys().cloned().collect::<Vec<_>>().join(", ");
				error(
					"metric",
					field,
					format!("`{text}` is not mapped to a metric (known: {known})"),
				)
			})?
		}
	};
	let metric_field = match &mapping.metric {
		MetricRef::Fixed(_) => "fixed",
		MetricRef::ByField { field, .. } => field,
	};
	let rules = metrics
		.get(&metric)
		.ok_or_else(|| error("metric", metric_field, format!("no metric {metric} on chain")))?;
	if rules.retired {
		return Err(error("metric", metric_field, format!("metric {metric} is retired")));
	}

	let subject_field = mapping.subject.field();
	let subject = format!("{}{}", mapping.subject.prefix(), required("subject", subject_field)?);
	if subject.len() > limits.max_subject as usize {
		return Err(error(
			"subject",
			subject_field,
			format!("{} bytes; the chain takes at most {}", subject.len(), limits.max_subject),
		));
	}

	let value_field = mapping.value.field();
	let text = required("value", value_field)?;
	let amount = parse_decimal(&text, rules.scale)
		.map_err(|message| error("value", value_field, format!("`{text}`: {message}")))?;
	if !rules.fits(amount) {
		let (min, max) =
			(format_decimal(rules.min, rules.scale), format_decimal(rules.max, rules.scale));
		return Err(error(
			"value",
			value_field,
			format!("{text} is outside metric {metric}'s range {min} to {max}"),
		));
	}

	let time_field = &mapping.time.field;
	let text = required("time", time_field)?;
	let time = parse_time(&text, mapping.time.format)
		.map_err(|message| error("time", time_field, format!("`{text}`: {message}")))?;
	if time > limits.latest_time {
		return Err(error(
			"time",
			time_field,
			format!("`{text}` is in the future beyond the chain's allowed clock drift"),
		));
	}

	let document = match &mapping.document {
		Some(field) => {
			let text = required("document", field.field())?;
			document_hash(&format!("{}{text}", field.prefix()))
		}
		None => H256(blake2_256(&row.canonical_bytes())),
	};

	let signed = match &mapping.device {
		Some(device) => Some(SignedFields {
			device: required("device.device", &device.device)?,
			counter: required("device.counter", &device.counter)?,
			signature: required("device.signature", &device.signature)?,
		}),
		None if need_signature && rules.device_only => {
			return Err(error("metric", metric_field, DeviceOnly { metric }.to_string()))
		}
		None => None,
	};

	Ok(Entry {
		line: row.line,
		metric,
		subject: subject.into_bytes(),
		amount,
		scale: rules.scale,
		time,
		document,
		signed,
	})
}

/// A row of a device-only metric, to be written as a record, without device fields: only
/// signed device readings may be records of the metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceOnly {
	/// The metric.
	pub metric: u32,
}

impl std::fmt::Display for DeviceOnly {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		write!(
			f,
			"metric {} takes signed device readings only: map the `device` fields, or anchor the \
			 rows as batches (--mode batches)",
			self.metric
		)
	}
}

impl std::error::Error for DeviceOnly {}

/// A document's hash: a 0x-prefixed 32-byte hex hash as is, anything else hashed.
pub fn document_hash(text: &str) -> H256 {
	if let Some(hex) = text.strip_prefix("0x") {
		if let Ok(bytes) = <[u8; 32]>::try_from(hex::decode(hex).unwrap_or_default()) {
			return H256(bytes);
		}
	}
	H256(blake2_256(text.as_bytes()))
}

/// Why a text is not a decimal at a metric's scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalError {
	/// Not digits with at most one point, after an optional sign.
	NotADecimal,
	/// More digits after the point than the metric's scale, not all zeros.
	TooPrecise {
		/// The digits after the point.
		digits: usize,
		/// The metric's scale.
		scale: u8,
	},
	/// Beyond what 128 bits hold.
	TooLarge,
}

impl std::fmt::Display for DecimalError {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		match self {
			DecimalError::NotADecimal => write!(f, "not a decimal number"),
			DecimalError::TooPrecise { digits, scale } => write!(
				f,
				"{digits} digits after the point; the metric takes {scale} (values are never \
				 rounded)"
			),
			DecimalError::TooLarge => write!(f, "too large"),
		}
	}
}

impl std::error::Error for DecimalError {}

/// A decimal as written (`-21.5`, `4`, `0.250`) in units of 10^-`scale`. More digits after the
/// point than the scale are refused unless they are zeros: a value is never rounded.
pub fn parse_decimal(text: &str, scale: u8) -> Result<i128, DecimalError> {
	let text = text.trim();
	let (negative, digits) = match text.strip_prefix('-') {
		Some(rest) => (true, rest),
		None => (false, text.strip_prefix('+').unwrap_or(text)),
	};
	let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
	let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
	if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
		return Err(DecimalError::NotADecimal);
	}
	let kept = fraction.len().min(scale as usize);
	if fraction[kept..].bytes().any(|b| b != b'0') {
		return Err(DecimalError::TooPrecise { digits: fraction.len(), scale });
	}
	let mut amount: i128 = 0;
	let padded =
		fraction[..kept].bytes().chain(std::iter::repeat(b'0').take(scale as usize - kept));
	for digit in whole.bytes().chain(padded) {
		amount = amount
			.checked_mul(10)
			.and_then(|a| a.checked_add((digit - b'0') as i128))
			.ok_or(DecimalError::TooLarge)?;
	}
	Ok(if negative { -amount } else { amount })
}

/// `amount` at `scale` as a decimal.
pub fn format_decimal(amount: i128, scale: u8) -> String {
	if scale == 0 {
		return amount.to_string();
	}
	let unit = 10i128.pow(scale as u32);
	let sign = if amount < 0 { "-" } else { "" };
	let abs = amount.unsigned_abs();
	format!("{sign}{}.{:0width$}", abs / unit as u128, abs % unit as u128, width = scale as usize)
}

/// Why a text is not a time in the mapping's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeError {
	/// Not an RFC 3339 date and time with an offset.
	NotRfc3339(chrono::ParseError),
	/// An RFC 3339 time before the Unix epoch.
	Before1970,
	/// Not a whole number of milliseconds.
	NotMilliseconds,
	/// Not a whole number of seconds (or too many to be milliseconds).
	NotSeconds,
}

impl std::fmt::Display for TimeError {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		match self {
			TimeError::NotRfc3339(e) => write!(f, "not an RFC 3339 time ({e})"),
			TimeError::Before1970 => write!(f, "before 1970"),
			TimeError::NotMilliseconds => write!(f, "not whole milliseconds"),
			TimeError::NotSeconds => write!(f, "not whole seconds"),
		}
	}
}

impl std::error::Error for TimeError {}

/// A time in milliseconds since the Unix epoch.
pub fn parse_time(text: &str, format: TimeFormat) -> Result<u64, TimeError> {
	let text = text.trim();
	match format {
		TimeFormat::Rfc3339 => {
			let time = chrono::DateTime::parse_from_rfc3339(text).map_err(TimeError::NotRfc3339)?;
			u64::try_from(time.timestamp_millis()).map_err(|_| TimeError::Before1970)
		}
		TimeFormat::UnixMs => text.parse::<u64>().map_err(|_| TimeError::NotMilliseconds),
		TimeFormat::UnixS => {
			text.parse::<u64>().ok().and_then(|s| s.checked_mul(1000)).ok_or(TimeError::NotSeconds)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::source::RowData;

	/// The client's check of a value and the runtime's (`pallet_records::value_fits`, what
	/// `submit_record` runs) give the same verdict on the same inputs: the row's text read at
	/// the metric's scale, then its range, both ends included.
	#[test]
	fn the_clients_value_check_agrees_with_the_runtimes() {
		use pallet_records::{value_fits, Value};
		// (scale, min, max, text)
		let cases: &[(u8, i128, i128, &str)] = &[
			(2, 0, 10_000, "0"),
			(2, 0, 10_000, "100.00"),
			(2, 0, 10_000, "100.01"),
			(2, 0, 10_000, "-0.01"),
			(1, -400, 80, "8.0"),
			(1, -400, 80, "8.1"),
			(1, -400, 80, "-40.0"),
			(1, -400, 80, "-40.1"),
			(0, i128::MIN, i128::MAX, "-1000000000000"),
			(0, 5, 5, "5"),
			(0, 5, 5, "4"),
		];
		let mut accepted = 0;
		for &(scale, min, max, text) in cases {
			let rules = MetricRules { scale, min, max, device_only: false, retired: false };
			let amount = parse_decimal(text, scale).expect("each case reads at its scale");
			let client = rules.fits(amount);
			let runtime = value_fits(scale, min, max, &Value { amount, scale }).is_ok();
			assert_eq!(client, runtime, "{text} at scale {scale} in {min}..={max}");
			accepted += usize::from(client);
		}
		assert_eq!(accepted, 6, "both ends of each range are in, one step beyond is out");
	}

	#[test]
	fn decimals_are_read_exactly_at_the_metric_scale_and_never_rounded() {
		assert_eq!(parse_decimal("21.5", 1), Ok(215));
		assert_eq!(parse_decimal("-3.25", 2), Ok(-325));
		assert_eq!(parse_decimal("4", 2), Ok(400));
		assert_eq!(parse_decimal("4.50", 1), Ok(45), "trailing zeros are exact");
		assert_eq!(parse_decimal(".5", 1), Ok(5));
		assert_eq!(
			parse_decimal("21.55", 1).unwrap_err().to_string(),
			"2 digits after the point; the metric takes 1 (values are never rounded)"
		);
		for bad in ["", "-", ".", "1e3", "1,5", "4.2.1", "abc", " 1 2"] {
			let error = parse_decimal(bad, 2).unwrap_err();
			assert_eq!(error, DecimalError::NotADecimal, "{bad:?}");
			assert_eq!(error.to_string(), "not a decimal number");
		}
		assert_eq!(parse_decimal(&"9".repeat(40), 0), Err(DecimalError::TooLarge));
		assert_eq!(DecimalError::TooLarge.to_string(), "too large");
		assert_eq!(format_decimal(-325, 2), "-3.25");
		assert_eq!(format_decimal(1_000_000, 2), "10000.00");
	}

	#[test]
	fn times_in_each_format() {
		assert_eq!(parse_time("2026-11-20T08:30:00Z", TimeFormat::Rfc3339), Ok(1_795_163_400_000));
		assert_eq!(
			parse_time("2026-11-20T09:30:00.250+01:00", TimeFormat::Rfc3339),
			Ok(1_795_163_400_250)
		);
		assert_eq!(parse_time("1795163400", TimeFormat::UnixS), Ok(1_795_163_400_000));
		assert!(parse_time("20/11/2026", TimeFormat::Rfc3339)
			.unwrap_err()
			.to_string()
			.starts_with("not an RFC 3339 time ("));
		assert_eq!(
			parse_time("1.5", TimeFormat::UnixMs).unwrap_err().to_string(),
			"not whole milliseconds"
		);
		assert_eq!(
			parse_time("1.5", TimeFormat::UnixS).unwrap_err().to_string(),
			"not whole seconds"
		);
	}

	fn csv_row(header: &[&str], values: &[&str]) -> Row {
		Row {
			line: 7,
			data: RowData::Csv {
				header: std::sync::Arc::new(csv::StringRecord::from(header.to_vec())),
				record: csv::StringRecord::from(values.to_vec()),
			},
		}
	}

	#[test]
	fn each_rule_names_its_field() {
		let mapping = Mapping::parse(
			"format = \"csv\"\nmetric = { field = \"kpi\", values = { temp = 2, lead = 0 } }\n\
			 subject = { field = \"sscc\", prefix = \"sscc:\" }\ntime = { field = \"at\" }\n\
			 value = \"v\"\n",
		)
		.unwrap();
		let rules = |scale, device_only| MetricRules {
			scale,
			min: -500,
			max: 500,
			device_only,
			retired: false,
		};
		let metrics = BTreeMap::from([(0, rules(2, false)), (2, rules(1, true))]);
		let limits = Limits { max_subject: 20, latest_time: 1_795_163_400_000 };
		let header = ["kpi", "sscc", "at", "v"];
		let check = |values: &[&str], signed| {
			entry(&mapping, &csv_row(&header, values), &metrics, &limits, signed)
		};

		let good = check(&["lead", "1", "2026-11-20T08:00:00Z", "4.5"], true).unwrap();
		assert_eq!(
			(good.metric, good.amount, good.subject.as_slice(), good.line),
			(0, 450, &b"sscc:1"[..], 7)
		);
		let same = check(&["lead", "1", "2026-11-20T08:00:00Z", "4.50"], true).unwrap();
		assert_ne!(good.document, same.document, "the row's bytes are its document");
		assert_eq!(good.leaf(), Entry { document: good.document, ..same.clone() }.leaf());

		let fails = |values: &[&str], signed: bool| check(values, signed).unwrap_err().to_string();
		assert_eq!(
			fails(&["kpi9", "1", "2026-11-20T08:00:00Z", "4"], true),
			"field metric (kpi): `kpi9` is not mapped to a metric (known: lead, temp)"
		);
		assert_eq!(
			fails(&["lead", "", "2026-11-20T08:00:00Z", "4"], true),
			"field subject (sscc): missing or empty"
		);
		assert!(
			check(&["lead", "123456789012345", "2026-11-20T08:00:00Z", "4"], true).is_ok(),
			"20 bytes fit"
		);
		assert_eq!(
			fails(&["lead", "1234567890123456", "2026-11-20T08:00:00Z", "4"], true),
			"field subject (sscc): 21 bytes; the chain takes at most 20"
		);
		assert_eq!(
			fails(&["lead", "1", "2026-11-20T08:00:00Z", "5.001"], true),
			"field value (v): `5.001`: 3 digits after the point; the metric takes 2 (values are never rounded)"
		);
		assert_eq!(
			fails(&["lead", "1", "2026-11-20T08:00:00Z", "5.01"], true),
			"field value (v): 5.01 is outside metric 0's range -5.00 to 5.00"
		);
		assert_eq!(
			fails(&["lead", "1", "2026-11-20T08:30:00.001Z", "1"], true),
			"field time (at): `2026-11-20T08:30:00.001Z` is in the future beyond the chain's allowed clock drift"
		);
		assert_eq!(
			fails(&["temp", "1", "2026-11-20T08:00:00Z", "4.5"], true),
			"field metric (kpi): metric 2 takes signed device readings only: map the `device` \
			 fields, or anchor the rows as batches (--mode batches)"
		);
		assert!(
			check(&["temp", "1", "2026-11-20T08:00:00Z", "4.5"], false).is_ok(),
			"batches may hold them"
		);

		let row = csv_row(&header, &["lead", "1", "2026-11-20T08:00:00Z", "4"]);
		assert_eq!(check_columns(&mapping, &row), Ok(()));
		let renamed =
			csv_row(&["kpi", "sscc", "at", "value"], &["lead", "1", "2026-11-20T08:00:00Z", "4"]);
		assert_eq!(
			check_columns(&mapping, &renamed).unwrap_err().to_string(),
			"`value` names column `v`, which the header does not have (it has: kpi, sscc, at, value)"
		);
	}
}
