//! Progress of a long run: a bar with rate and ETA on a terminal, plain lines otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::{
	io::IsTerminal,
	time::{Duration, Instant},
};

/// Reports how far a run has come.
pub struct Progress {
	bar: Option<ProgressBar>,
	started: Instant,
	last_line: Instant,
	label: String,
}

impl Progress {
	/// Progress through `total` bytes of input.
	pub fn new(label: &str, total: u64) -> Self {
		let bar = std::io::stderr().is_terminal().then(|| {
			let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
			bar.set_style(
				ProgressStyle::with_template(
					"{prefix} [{bar:30}] {bytes}/{total_bytes} {msg} (ETA {eta})",
				)
				.expect("a valid template")
				.progress_chars("=> "),
			);
			bar.set_prefix(label.to_owned());
			bar
		});
		let now = Instant::now();
		Self { bar, started: now, last_line: now, label: label.to_owned() }
	}

	/// Rows per second so far.
	pub fn rate(&self, rows: u64) -> f64 {
		rows as f64 / self.started.elapsed().as_secs_f64().max(1e-9)
	}

	/// The run has read `bytes` and `rows`, and `status` says what was written.
	pub fn update(&mut self, bytes: u64, rows: u64, status: &str) {
		let message = format!("{rows} rows, {:.0} rows/s, {status}", self.rate(rows));
		match &self.bar {
			Some(bar) => {
				bar.set_position(bytes);
				bar.set_message(message);
			}
			None if self.last_line.elapsed() >= Duration::from_secs(2) => {
				self.last_line = Instant::now();
				eprintln!("{}: {message}", self.label);
			}
			None => {}
		}
	}

	/// Prints a line above the bar (or on its own).
	pub fn println(&self, line: &str) {
		match &self.bar {
			Some(bar) => bar.println(line),
			None => eprintln!("{line}"),
		}
	}

	/// Ends the bar.
	pub fn finish(&self) {
		if let Some(bar) = &self.bar {
			bar.finish_and_clear();
		}
	}

	/// Seconds since the start.
	pub fn elapsed(&self) -> f64 {
		self.started.elapsed().as_secs_f64()
	}
}
