//! Reading: the export's rows (`source.rs`), one at a time, each mapped to a record and checked
//! by the rules the runtime applies (`validate.rs`), or rejected by line and field. The first
//! row also checks the mapping against the export's columns.

use super::{Ingest, Mode};
use crate::{
	source::{Row, Unreadable},
	validate::{self, Entry},
};
use anyhow::{anyhow, Result};

impl Ingest {
	/// A row of the export as a record to write; `None` if the mapping's filter skips it or it
	/// is rejected (reported, and listed in `rejected.jsonl`). A mapping that names a column
	/// the export's header does not have is an error: the run reads no further.
	pub(super) fn read(&mut self, row: Result<Row, Unreadable>) -> Result<Option<Entry>> {
		let row = match row {
			Ok(row) => row,
			Err(e) => {
				self.reject(e.line, "row", &e.message)?;
				return Ok(None);
			}
		};
		if !self.columns_checked {
			self.columns_checked = true;
			validate::check_columns(&self.mapping, &row)
				.map_err(|e| anyhow!("mapping file {}: {e}", self.options.mapping.display()))?;
		}
		if !validate::selected(&self.mapping, &row) {
			self.summary.skipped_by_filter += 1;
			return Ok(None);
		}
		// Rows that will all be records need device fields for device-only metrics; in auto
		// mode that is checked once the mode is known (`check_signed`).
		let need_signature = self.options.mode == Mode::Records;
		match validate::entry(&self.mapping, &row, &self.metrics, &self.limits, need_signature) {
			Ok(entry) => Ok(Some(entry)),
			Err(e) => {
				self.reject(row.line, &e.field, &e.message)?;
				Ok(None)
			}
		}
	}
}
