//! The mapping file (TOML): which columns or fields of an export become a record's metric,
//! subject, time, value and document.
//!
//! ```toml
//! format = "csv"                       # csv | jsonl | epcis
//! metric = 0                           # a metric id, or { field = "kpi", values = { lead = 0 } }
//! subject = { field = "shipment", prefix = "sscc:" }
//! time = { field = "delivered_at", format = "rfc3339" }   # rfc3339 | unix_ms | unix_s
//! value = "lead_time_h"                # a field, as written ("21.5"; a JSON number too)
//! document = "doc_ref"                 # optional: its hash; by default the row's own bytes
//! [filter]                             # optional: only rows whose fields have these values
//! bizStep = "receiving"
//! ```
//!
//! In CSV a field is a column name; in JSON Lines and EPCIS a path into the object:
//! `sensorElementList[0].sensorReport[0].value`, `epcList[0]`, `perf:onTime`.

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use std::{collections::BTreeMap, path::Path};

/// What kind of export a file is.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
	/// Comma-separated values with a header line.
	Csv,
	/// One JSON object per line.
	Jsonl,
	/// A GS1 EPCIS 2.0 JSON document: one row per event of `epcisBody.eventList`.
	Epcis,
}

/// A field of the row, by name or path, with an optional prefix for its text.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum FieldRef {
	/// Just the field.
	Name(String),
	/// The field and what to put before its text (`sscc:`).
	Detailed {
		field: String,
		#[serde(default)]
		prefix: String,
	},
}

impl FieldRef {
	/// The field's name or path.
	pub fn field(&self) -> &str {
		match self {
			FieldRef::Name(field) | FieldRef::Detailed { field, .. } => field,
		}
	}

	/// The prefix for its text.
	pub fn prefix(&self) -> &str {
		match self {
			FieldRef::Name(_) => "",
			FieldRef::Detailed { prefix, .. } => prefix,
		}
	}
}

/// Where a row's metric comes from.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum MetricRef {
	/// Every row has this metric.
	Fixed(u32),
	/// A field names it: its text is looked up in `values`.
	ByField { field: String, values: BTreeMap<String, u32> },
}

/// How a time is written.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TimeFormat {
	/// `2026-11-20T08:30:00Z`, `2026-11-20T09:30:00.000+01:00`.
	#[default]
	Rfc3339,
	/// Milliseconds since the Unix epoch.
	UnixMs,
	/// Seconds since the Unix epoch.
	UnixS,
}

/// The time field and its format.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TimeRef {
	/// The field.
	pub field: String,
	/// How it is written.
	#[serde(default)]
	pub format: TimeFormat,
}

/// The fields of a reading signed by a registered device (the device's export carries them).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DeviceRef {
	/// The device's id: SS58 or 0x-hex account id.
	pub device: String,
	/// The reading's counter.
	pub counter: String,
	/// The signature, `sr25519:0x…`, `ed25519:0x…` or `ecdsa:0x…`.
	pub signature: String,
}

/// A mapping file.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
	/// The export's format.
	pub format: Format,
	/// The metric.
	pub metric: MetricRef,
	/// The subject: what the record is about.
	pub subject: FieldRef,
	/// The time it describes.
	pub time: TimeRef,
	/// The value, as written.
	pub value: FieldRef,
	/// The field whose text identifies the document behind the row (hashed with BLAKE2-256,
	/// or taken as is if it is a 0x-prefixed 32-byte hex hash). Without it, the hash of the
	/// row's own bytes.
	#[serde(default)]
	pub document: Option<FieldRef>,
	/// Only rows whose fields have these texts are records; the others are skipped.
	#[serde(default)]
	pub filter: BTreeMap<String, String>,
	/// For device-signed readings: where the device, counter and signature are.
	#[serde(default)]
	pub device: Option<DeviceRef>,
}

impl Mapping {
	/// Reads and checks a mapping file. Errors name the file and the problem (TOML errors
	/// carry their line and column).
	pub fn load(path: &Path) -> Result<Self> {
		let text = std::fs::read_to_string(path)
			.with_context(|| format!("cannot read the mapping file {}", path.display()))?;
		Self::parse(&text).with_context(|| format!("mapping file {}", path.display()))
	}

	/// Parses and checks a mapping.
	pub fn parse(text: &str) -> Result<Self> {
		let mapping: Mapping = toml::from_str(text).map_err(|e| anyhow!("{e}"))?;
		for (name, field) in mapping.fields() {
			if field.trim().is_empty() {
				bail!("`{name}` names no field");
			}
		}
		if let MetricRef::ByField { values, field } = &mapping.metric {
			if values.is_empty() {
				bail!(
					"`metric` reads field `{field}` but lists no `values` to map it to metric ids"
				);
			}
		}
		Ok(mapping)
	}

	/// The metrics rows can have.
	pub fn metric_ids(&self) -> Vec<u32> {
		match &self.metric {
			MetricRef::Fixed(id) => vec![*id],
			MetricRef::ByField { values, .. } => values.values().copied().collect(),
		}
	}

	/// Every field the mapping reads, with the mapping key that names it.
	pub fn fields(&self) -> Vec<(&'static str, &str)> {
		let mut fields = vec![
			("subject", self.subject.field()),
			("time", self.time.field.as_str()),
			("value", self.value.field()),
		];
		if let MetricRef::ByField { field, .. } = &self.metric {
			fields.push(("metric", field));
		}
		if let Some(document) = &self.document {
			fields.push(("document", document.field()));
		}
		if let Some(device) = &self.device {
			fields.push(("device.device", &device.device));
			fields.push(("device.counter", &device.counter));
			fields.push(("device.signature", &device.signature));
		}
		fields
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_full_mapping_parses_and_unknown_keys_are_refused() {
		let mapping = Mapping::parse(
			r#"
			format = "epcis"
			metric = { field = "bizStep", values = { receiving = 1 } }
			subject = { field = "epcList[0]", prefix = "sgtin:" }
			time = { field = "eventTime" }
			value = "perf:onTime"
			[filter]
			type = "ObjectEvent"
			"#,
		)
		.unwrap();
		assert_eq!(mapping.format, Format::Epcis);
		assert_eq!(mapping.subject.prefix(), "sgtin:");
		assert_eq!(mapping.time.format, TimeFormat::Rfc3339);
		assert_eq!(mapping.filter.get("type").map(String::as_str), Some("ObjectEvent"));

		let typo = "format = \"csv\"\nmetric = 0\nsubject = \"s\"\ntime = { field = \"t\" }\n\
			value = \"v\"\nvalu = \"w\"\n";
		let error = format!("{:#}", Mapping::parse(typo).unwrap_err());
		assert!(error.contains("unknown field `valu`"), "{error}");
		assert!(error.contains("line 6"), "the TOML error names the line: {error}");

		let no_values = "format = \"csv\"\nmetric = { field = \"kpi\", values = {} }\n\
			subject = \"s\"\ntime = { field = \"t\" }\nvalue = \"v\"\n";
		let error = format!("{:#}", Mapping::parse(no_values).unwrap_err());
		assert!(error.contains("lists no `values`"), "{error}");
	}
}
