//! Reading exports row by row, without loading a file: CSV, JSON Lines, and GS1 EPCIS 2.0 JSON
//! documents (one row per event of `epcisBody.eventList`, parsed as a stream).

use crate::mapping::Format;
use anyhow::{Context, Result};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::{
	fmt,
	fs::File,
	io::{BufRead, BufReader, Read},
	path::Path,
	sync::{
		atomic::{AtomicU64, Ordering},
		mpsc, Arc,
	},
};

/// One row of an export.
#[derive(Clone, Debug)]
pub struct Row {
	/// The line it starts on (1-based).
	pub line: u64,
	/// Its fields.
	pub data: RowData,
}

/// A row's fields.
#[derive(Clone, Debug)]
pub enum RowData {
	/// A CSV record and its file's header.
	Csv { header: Arc<csv::StringRecord>, record: csv::StringRecord },
	/// A JSON object (a JSON Lines line or an EPCIS event).
	Json(Value),
}

impl Row {
	/// The text of a field: a CSV column by name, or a JSON path (`a.b[0].c`). Numbers and
	/// booleans are given as JSON writes them; `None` if the field is absent or null.
	pub fn get(&self, field: &str) -> Option<String> {
		match &self.data {
			RowData::Csv { header, record } => header
				.iter()
				.position(|name| name == field)
				.and_then(|i| record.get(i))
				.map(str::to_owned),
			RowData::Json(value) => match json_path(value, field)? {
				Value::Null => None,
				Value::String(text) => Some(text.clone()),
				other => Some(other.to_string()),
			},
		}
	}

	/// The row's canonical bytes, hashed as its document when the mapping names none: a CSV
	/// row's fields as a JSON array, a JSON row with its keys sorted.
	pub fn canonical_bytes(&self) -> Vec<u8> {
		match &self.data {
			RowData::Csv { record, .. } => {
				serde_json::to_vec(&record.iter().collect::<Vec<_>>()).expect("strings serialize")
			}
			RowData::Json(value) => serde_json::to_vec(value).expect("a JSON value serializes"),
		}
	}
}

/// Follows a path of keys and `[index]`es into a JSON value.
fn json_path<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
	let mut current = value;
	for part in path.split('.') {
		let (key, indices) = match part.find('[') {
			Some(at) => (&part[..at], &part[at..]),
			None => (part, ""),
		};
		if !key.is_empty() {
			current = current.get(key)?;
		}
		for index in indices.split('[').skip(1) {
			current = current.get(index.strip_suffix(']')?.parse::<usize>().ok()?)?;
		}
	}
	Some(current)
}

/// A row that could not be read at all (malformed CSV or JSON).
#[derive(Debug)]
pub struct Unreadable {
	/// Where.
	pub line: u64,
	/// What is wrong.
	pub message: String,
}

/// Counts the bytes read through it, for progress.
struct Counting {
	inner: Box<dyn Read + Send>,
	bytes: Arc<AtomicU64>,
}

impl Read for Counting {
	fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
		let n = self.inner.read(buf)?;
		self.bytes.fetch_add(n as u64, Ordering::Relaxed);
		Ok(n)
	}
}

/// Follows the JSON the parser reads, byte by byte, to know the line each event of an EPCIS
/// event list starts on: the line of the latest `{` opened at an event's depth (document,
/// body, list).
struct EventLines<R> {
	inner: R,
	line: u64,
	depth: u32,
	in_string: bool,
	escaped: bool,
	event_start: Arc<AtomicU64>,
}

/// The nesting depth of an event in an EPCIS document: `{ "epcisBody": { "eventList": [ {`.
const EVENT_DEPTH: u32 = 3;

impl<R: Read> Read for EventLines<R> {
	fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
		let n = self.inner.read(buf)?;
		for byte in &buf[..n] {
			match (self.in_string, byte) {
				(_, b'\n') => self.line += 1,
				(true, _) if self.escaped => self.escaped = false,
				(true, b'\\') => self.escaped = true,
				(true, b'"') => self.in_string = false,
				(true, _) => {}
				(false, b'"') => self.in_string = true,
				(false, b'{' | b'[') => {
					if *byte == b'{' && self.depth == EVENT_DEPTH {
						self.event_start.store(self.line, Ordering::Relaxed);
					}
					self.depth += 1;
				}
				(false, b'}' | b']') => self.depth = self.depth.saturating_sub(1),
				(false, _) => {}
			}
		}
		Ok(n)
	}
}

/// The rows of an export, in order, read as a stream.
pub struct Source {
	rows: Box<dyn Iterator<Item = Result<Row, Unreadable>> + Send>,
	bytes: Arc<AtomicU64>,
	/// The file's size, for progress.
	pub size: u64,
}

impl Source {
	/// Opens `path` as an export of `format`.
	pub fn open(path: &Path, format: Format) -> Result<Self> {
		let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
		let size = file.metadata().map(|m| m.len()).unwrap_or(0);
		let bytes = Arc::new(AtomicU64::new(0));
		let counting = Counting { inner: Box::new(file), bytes: bytes.clone() };
		let rows: Box<dyn Iterator<Item = Result<Row, Unreadable>> + Send> = match format {
			Format::Csv => Box::new(csv_rows(counting)),
			Format::Jsonl => Box::new(jsonl_rows(BufReader::with_capacity(1 << 16, counting))),
			Format::Epcis => Box::new(epcis_rows(BufReader::with_capacity(1 << 16, counting))),
		};
		Ok(Self { rows, bytes, size })
	}

	/// How many bytes of the file were read so far.
	pub fn bytes_read(&self) -> u64 {
		self.bytes.load(Ordering::Relaxed)
	}
}

impl Iterator for Source {
	type Item = Result<Row, Unreadable>;

	fn next(&mut self) -> Option<Self::Item> {
		self.rows.next()
	}
}

fn csv_rows<R: Read + Send + 'static>(
	reader: R,
) -> impl Iterator<Item = Result<Row, Unreadable>> + Send {
	let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
	let header = csv.headers().cloned().map(Arc::new);
	let mut records = csv.into_records();
	let mut failed = false;
	std::iter::from_fn(move || {
		if failed {
			return None;
		}
		let header = match &header {
			Ok(header) => header.clone(),
			Err(e) => {
				failed = true;
				return Some(Err(Unreadable { line: 1, message: format!("no CSV header: {e}") }));
			}
		};
		Some(match records.next()? {
			Ok(record) => {
				let line = record.position().map_or(0, |p| p.line());
				Ok(Row { line, data: RowData::Csv { header, record } })
			}
			Err(e) => {
				let line = e.position().map_or(0, |p| p.line());
				if e.is_io_error() {
					failed = true;
				}
				Err(Unreadable { line, message: format!("malformed CSV: {}", csv_error(&e)) })
			}
		})
	})
}

fn csv_error(e: &csv::Error) -> String {
	match e.kind() {
		csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
			format!("{len} fields where the header has {expected_len}")
		}
		csv::ErrorKind::Utf8 { .. } => "not UTF-8".into(),
		_ => e.to_string(),
	}
}

fn jsonl_rows<R: BufRead + Send + 'static>(
	reader: R,
) -> impl Iterator<Item = Result<Row, Unreadable>> + Send {
	let mut lines = reader.lines();
	let mut number = 0u64;
	std::iter::from_fn(move || loop {
		number += 1;
		let line = match lines.next()? {
			Ok(line) => line,
			Err(e) => return Some(Err(Unreadable { line: number, message: e.to_string() })),
		};
		if line.trim().is_empty() {
			continue;
		}
		return Some(match serde_json::from_str::<Value>(&line) {
			Ok(value @ Value::Object(_)) => Ok(Row { line: number, data: RowData::Json(value) }),
			Ok(_) => Err(Unreadable { line: number, message: "not a JSON object".into() }),
			Err(e) => Err(Unreadable { line: number, message: format!("malformed JSON: {e}") }),
		});
	})
}

/// An EPCIS document's events, parsed on a thread of their own and handed over one at a time
/// through a small channel: memory stays flat however many events the document has.
fn epcis_rows<R: Read + Send + 'static>(
	reader: R,
) -> impl Iterator<Item = Result<Row, Unreadable>> + Send {
	let (sender, receiver) = mpsc::sync_channel::<Result<Row, Unreadable>>(1024);
	let event_start = Arc::new(AtomicU64::new(1));
	std::thread::spawn(move || {
		// The parser reads byte by byte through the line tracker, from a buffer.
		let reader = EventLines {
			inner: reader,
			line: 1,
			depth: 0,
			in_string: false,
			escaped: false,
			event_start: event_start.clone(),
		};
		let mut deserializer = serde_json::Deserializer::from_reader(reader);
		let events = Events { sender: &sender, lines: &event_start, found: false };
		let outcome = Document(events).deserialize(&mut deserializer);
		let line = deserializer_line(&outcome, &event_start);
		let error = match outcome {
			Ok(true) => return,
			Ok(false) => "not an EPCIS 2.0 document: it has no epcisBody.eventList".to_string(),
			Err(e) if e.to_string().contains(STOPPED) => return,
			Err(e) => format!("malformed EPCIS JSON: {e}"),
		};
		let _ = sender.send(Err(Unreadable { line, message: error }));
	});
	receiver.into_iter()
}

const STOPPED: &str = "the reader stopped";

/// The line of a parse error (serde_json knows it), or of the last event.
fn deserializer_line<T>(outcome: &Result<T, serde_json::Error>, event_start: &AtomicU64) -> u64 {
	match outcome {
		Err(e) if e.line() > 0 => e.line() as u64,
		_ => event_start.load(Ordering::Relaxed),
	}
}

struct Events<'a> {
	sender: &'a mpsc::SyncSender<Result<Row, Unreadable>>,
	lines: &'a AtomicU64,
	found: bool,
}

/// The top level: finds `epcisBody`, skips everything else.
struct Document<'a>(Events<'a>);
/// `epcisBody`: finds `eventList`.
struct Body<'a, 'b>(&'b mut Events<'a>);
/// `eventList`: sends each event.
struct EventList<'a, 'b>(&'b mut Events<'a>);

impl<'de> DeserializeSeed<'de> for Document<'_> {
	type Value = bool;
	fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
		d.deserialize_map(self)
	}
}

impl<'de> Visitor<'de> for Document<'_> {
	type Value = bool;
	fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
		f.write_str("an EPCIS document (a JSON object)")
	}
	fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<bool, A::Error> {
		while let Some(key) = map.next_key::<String>()? {
			if key == "epcisBody" {
				map.next_value_seed(Body(&mut self.0))?;
			} else {
				map.next_value::<IgnoredAny>()?;
			}
		}
		Ok(self.0.found)
	}
}

impl<'de> DeserializeSeed<'de> for Body<'_, '_> {
	type Value = ();
	fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
		d.deserialize_map(self)
	}
}

impl<'de> Visitor<'de> for Body<'_, '_> {
	type Value = ();
	fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
		f.write_str("epcisBody (a JSON object)")
	}
	fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
		while let Some(key) = map.next_key::<String>()? {
			if key == "eventList" {
				map.next_value_seed(EventList(&mut *self.0))?;
			} else {
				map.next_value::<IgnoredAny>()?;
			}
		}
		Ok(())
	}
}

impl<'de> DeserializeSeed<'de> for EventList<'_, '_> {
	type Value = ();
	fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
		d.deserialize_seq(self)
	}
}

impl<'de> Visitor<'de> for EventList<'_, '_> {
	type Value = ();
	fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
		f.write_str("eventList (a JSON array of events)")
	}
	fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
		self.0.found = true;
		loop {
			let Some(event) = seq.next_element::<Value>()? else { return Ok(()) };
			let line = self.0.lines.load(Ordering::Relaxed);
			let row = match event {
				Value::Object(_) => Ok(Row { line, data: RowData::Json(event) }),
				_ => Err(Unreadable { line, message: "an event that is not a JSON object".into() }),
			};
			if self.0.sender.send(row).is_err() {
				return Err(serde::de::Error::custom(STOPPED));
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::io::Write;

	fn write(contents: &str) -> tempfile::NamedTempFile {
		let mut file = tempfile::NamedTempFile::new().unwrap();
		file.write_all(contents.as_bytes()).unwrap();
		file
	}

	fn read(contents: &str, format: Format) -> Vec<Result<(u64, Option<String>), String>> {
		let file = write(contents);
		Source::open(file.path(), format)
			.unwrap()
			.map(|row| match row {
				Ok(row) => Ok((row.line, row.get("v"))),
				Err(e) => Err(format!("line {}: {}", e.line, e.message)),
			})
			.collect()
	}

	#[test]
	fn each_format_gives_rows_with_their_lines_and_malformed_rows_as_errors() {
		let csv = read("s,v\na,1\nb,2,extra\n\"c\nd\",3\n", Format::Csv);
		assert_eq!(csv[0], Ok((2, Some("1".into()))));
		assert_eq!(csv[1], Err("line 3: malformed CSV: 3 fields where the header has 2".into()));
		assert_eq!(csv[2], Ok((4, Some("3".into()))), "a quoted field spanning lines");

		let jsonl = read("{\"v\": 1.5}\n\n{\"v\": \n[1]\n{\"w\": {\"v\": [7]}}\n", Format::Jsonl);
		assert_eq!(jsonl[0], Ok((1, Some("1.5".into()))));
		assert!(matches!(&jsonl[1], Err(e) if e.starts_with("line 3: malformed JSON")));
		assert_eq!(jsonl[2], Err("line 4: not a JSON object".into()));
		assert_eq!(jsonl[3], Ok((5, None)));

		let epcis = "{\n \"type\": \"EPCISDocument\",\n \"epcisBody\": {\n  \"eventList\": [\n\
			{\"v\": \"a\"},\n{\"v\": 2,\n \"x\": 1},\n{\"v\": true}\n]}}\n";
		let rows = read(epcis, Format::Epcis);
		assert_eq!(
			rows,
			vec![
				Ok((5, Some("a".into()))),
				Ok((6, Some("2".into()))),
				Ok((8, Some("true".into())))
			]
		);
		let broken =
			read("{\"epcisBody\": {\"eventList\": [{\"v\": 1},\n{\"v\": }]}}", Format::Epcis);
		assert_eq!(broken[0], Ok((1, Some("1".into()))));
		assert!(matches!(&broken[1], Err(e) if e.starts_with("line 2: malformed EPCIS JSON")));
		let not_epcis = read("{\"events\": []}", Format::Epcis);
		assert!(matches!(&not_epcis[..], [Err(e)] if e.contains("no epcisBody.eventList")));
	}

	#[test]
	fn json_paths_reach_nested_fields() {
		let row = Row {
			line: 1,
			data: RowData::Json(serde_json::json!({
				"epcList": ["urn:epc:id:sscc:1"],
				"sensorElementList": [{"sensorReport": [{"value": 4.5}]}],
				"perf:onTime": 1,
				"n": null
			})),
		};
		assert_eq!(row.get("epcList[0]").as_deref(), Some("urn:epc:id:sscc:1"));
		assert_eq!(row.get("sensorElementList[0].sensorReport[0].value").as_deref(), Some("4.5"));
		assert_eq!(row.get("perf:onTime").as_deref(), Some("1"));
		assert_eq!(row.get("n"), None);
		assert_eq!(row.get("epcList[1]"), None);
	}
}
