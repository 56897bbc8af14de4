//! Data valuation: how much each contributor's part moved a model, computed so that a second
//! organization running the same inputs gets the identical vector (fixed summation order, no
//! randomness, no sampling).
//!
//! - [`shapley`]: exact Shapley values over contributors from a utility table: one evaluation
//!   result per coalition of contributors (`2^n` of them; the client runs the user's own
//!   evaluation command for each, see `commands/attribution.rs`).
//! - [`knn_shapley`]: exact Shapley values of the data points of a K-nearest-neighbour
//!   classifier's training set (Jia et al., "Efficient task-specific data valuation for nearest
//!   neighbor algorithms", VLDB 2019, Theorem 1), averaged over the test points; a dataset's
//!   value is the sum of its points'.
//! - [`to_scores`]: values as the integer scores the chain takes.

use anyhow::{bail, Result};

/// The most contributors [`shapley`] takes: `2^n` coalitions must each be evaluated.
pub const MAX_PLAYERS: usize = 20;

/// Exact Shapley values of `n` players from `utility`, indexed by coalition bitmask (bit `i`
/// set: player `i` is in). `utility.len()` must be `2^n`.
///
/// `phi_i = sum over S not containing i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))`,
/// summed in increasing order of `S`.
pub fn shapley(n: usize, utility: &[f64]) -> Result<Vec<f64>> {
	if n == 0 || n > MAX_PLAYERS {
		bail!("Shapley values need 1 to {MAX_PLAYERS} contributors, not {n}");
	}
	if utility.len() != 1 << n {
		bail!("{n} contributors need {} coalition values, not {}", 1usize << n, utility.len());
	}
	// weight[s] = s! (n - s - 1)! / n!, computed as a product of ratios (no overflow).
	let weight: Vec<f64> = (0..n)
		.map(|s| {
			let mut w = 1.0 / n as f64;
			for k in 1..=s {
				w *= k as f64 / (n - k) as f64;
			}
			w
		})
		.collect();
	let mut values = vec![0.0; n];
	for (i, value) in values.iter_mut().enumerate() {
		let bit = 1usize << i;
		for coalition in 0..(1usize << n) {
			if coalition & bit == 0 {
				let size = coalition.count_ones() as usize;
				*value += weight[size] * (utility[coalition | bit] - utility[coalition]);
			}
		}
	}
	Ok(values)
}

/// One labelled point.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
	pub features: Vec<f64>,
	pub label: String,
}

/// Exact Shapley values of each training point for the utility "share of `test` points a
/// K-nearest-neighbour classifier (unweighted vote of the `k` nearest training points,
/// Euclidean distance, ties broken by training index) labels right", averaged over the test
/// points.
///
/// For one test point, with the training points sorted by distance (`a_1` nearest):
/// `s(a_N) = [y(a_N) = y] / N` and `s(a_i) = s(a_{i+1}) + ([y(a_i) = y] - [y(a_{i+1}) = y]) / k *
/// min(k, i) / i`.
pub fn knn_shapley(train: &[Point], test: &[Point], k: usize) -> Result<Vec<f64>> {
	if train.is_empty() || test.is_empty() || k == 0 {
		bail!("KNN-Shapley needs training points, test points and k >= 1");
	}
	let dims = train[0].features.len();
	if let Some(bad) = train.iter().chain(test).position(|p| p.features.len() != dims) {
		bail!(
			"point {bad} has {} features, the first has {dims}",
			train.iter().chain(test).nth(bad).unwrap().features.len()
		);
	}
	let n = train.len();
	let mut values = vec![0.0; n];
	for point in test {
		let distance = |p: &Point| -> f64 {
			p.features.iter().zip(&point.features).map(|(a, b)| (a - b) * (a - b)).sum()
		};
		let mut order: Vec<usize> = (0..n).collect();
		order.sort_by(|a, b| distance(&train[*a]).total_cmp(&distance(&train[*b])).then(a.cmp(b)));
		let right = |index: usize| f64::from(u8::from(train[order[index]].label == point.label));
		let mut s = vec![0.0; n];
		s[n - 1] = right(n - 1) / n as f64;
		for i in (0..n - 1).rev() {
			// `i` is 0-based here: the rank in the formula is i + 1.
			let rank = (i + 1) as f64;
			s[i] = s[i + 1] + (right(i) - right(i + 1)) / k as f64 * (k as f64).min(rank) / rank;
		}
		for (rank, index) in order.iter().enumerate() {
			values[*index] += s[rank] / test.len() as f64;
		}
	}
	Ok(values)
}

/// Values as the chain's integer scores: each value's share of the positive values' sum, in
/// millionths, rounded down; negative values score 0. An error if no value is positive.
pub fn to_scores(values: &[f64]) -> Result<Vec<u32>> {
	let positive: f64 = values.iter().filter(|v| **v > 0.0).sum();
	if !(positive > 0.0) || !positive.is_finite() {
		bail!("no contributor has a positive value: there is nothing to split");
	}
	Ok(values
		.iter()
		.map(|v| if *v > 0.0 { (v / positive * 1e6).floor() as u32 } else { 0 })
		.collect())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn close(a: &[f64], b: &[f64]) {
		assert_eq!(a.len(), b.len());
		for (x, y) in a.iter().zip(b) {
			assert!((x - y).abs() < 1e-12, "{a:?} != {b:?}");
		}
	}

	/// The utility table of `v` over `n` players.
	fn table(n: usize, v: impl Fn(&[usize]) -> f64) -> Vec<f64> {
		(0..1usize << n)
			.map(|c| v(&(0..n).filter(|i| c & (1 << i) != 0).collect::<Vec<_>>()))
			.collect()
	}

	/// The glove game: player 0 holds a left glove, players 1 and 2 a right glove each; a
	/// coalition is worth its pairs. Closed form: 2/3, 1/6, 1/6.
	#[test]
	fn the_glove_game() {
		let v = table(3, |s| {
			let left = s.iter().filter(|p| **p == 0).count();
			let right = s.len() - left;
			left.min(right) as f64
		});
		close(&shapley(3, &v).unwrap(), &[2.0 / 3.0, 1.0 / 6.0, 1.0 / 6.0]);
	}

	/// The airport game: a runway long enough for the largest plane of the coalition; costs 6,
	/// 10, 16 and 16. Closed form (Littlechild and Owen): each pays an equal share of every
	/// segment it uses: 6/4, 6/4 + 4/3, 6/4 + 4/3 + 6/2, the same.
	#[test]
	fn the_airport_game() {
		let costs = [6.0, 10.0, 16.0, 16.0];
		let v = table(4, |s| s.iter().map(|p| costs[*p]).fold(0.0, f64::max));
		let expected = [1.5, 1.5 + 4.0 / 3.0, 1.5 + 4.0 / 3.0 + 3.0, 1.5 + 4.0 / 3.0 + 3.0];
		let values = shapley(4, &v).unwrap();
		close(&values, &expected);
		// Efficiency: the values add up to the grand coalition's.
		assert!((values.iter().sum::<f64>() - 16.0).abs() < 1e-12);
	}

	/// A second run gives the identical vector, to the bit.
	#[test]
	fn values_are_reproducible_to_the_bit() {
		let v = table(6, |s| (s.iter().map(|p| (*p as f64 + 1.0).sqrt()).sum::<f64>()).ln_1p());
		let (a, b) = (shapley(6, &v).unwrap(), shapley(6, &v).unwrap());
		assert_eq!(
			a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
			b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
		);
		assert!(shapley(3, &v).is_err(), "a table of the wrong size is refused");
	}

	/// Worked by hand: one test point at 0 labelled `a`; training points at 1 (`a`), 2 (`b`),
	/// 3 (`a`); k = 1. Sorted: 1, 2, 3. s3 = 1/3; s2 = s3 + (0 - 1)/1 * 1/2 = -1/6;
	/// s1 = s2 + (1 - 0)/1 * 1/1 = 5/6. They add up to the grand coalition's utility, 1.
	#[test]
	fn knn_shapley_worked_by_hand() {
		let p = |x: f64, label: &str| Point { features: vec![x], label: label.into() };
		let train = [p(1.0, "a"), p(2.0, "b"), p(3.0, "a")];
		let values = knn_shapley(&train, &[p(0.0, "a")], 1).unwrap();
		close(&values, &[5.0 / 6.0, -1.0 / 6.0, 1.0 / 3.0]);
		// And against the exact Shapley formula over the same utility (the 1-NN is right),
		// computed from all 8 coalitions.
		let v = table(3, |s| {
			let nearest =
				s.iter().min_by(|a, b| train[**a].features[0].total_cmp(&train[**b].features[0]));
			nearest.map_or(0.0, |n| f64::from(u8::from(train[*n].label == "a")))
		});
		close(&values, &shapley(3, &v).unwrap());
	}

	/// KNN-Shapley with k = 2 agrees with the exact formula over the KNN utility (an empty or
	/// short neighbourhood votes with what it has, divided by k).
	#[test]
	fn knn_shapley_agrees_with_the_definition_for_k_2() {
		let p = |x: f64, y: f64, label: &str| Point { features: vec![x, y], label: label.into() };
		let train = [
			p(0.0, 1.0, "a"),
			p(2.0, 0.0, "b"),
			p(0.5, 0.5, "a"),
			p(3.0, 3.0, "b"),
			p(1.0, 1.5, "b"),
		];
		let test = [p(0.0, 0.0, "a"), p(2.5, 2.0, "b")];
		let k = 2;
		let values = knn_shapley(&train, &test, k).unwrap();
		let v = table(5, |s| {
			test.iter()
				.map(|t| {
					let d = |i: usize| {
						let f = &train[i].features;
						(f[0] - t.features[0]).powi(2) + (f[1] - t.features[1]).powi(2)
					};
					let mut near: Vec<usize> = s.to_vec();
					near.sort_by(|a, b| d(*a).total_cmp(&d(*b)).then(a.cmp(b)));
					near.iter().take(k).filter(|i| train[**i].label == t.label).count() as f64
						/ k as f64
				})
				.sum::<f64>()
				/ test.len() as f64
		});
		close(&values, &shapley(5, &v).unwrap());
	}

	#[test]
	fn scores_are_millionths_of_the_positive_values() {
		assert_eq!(
			to_scores(&[2.0 / 3.0, 1.0 / 6.0, 1.0 / 6.0]).unwrap(),
			vec![666_666, 166_666, 166_666]
		);
		assert_eq!(to_scores(&[0.5, -0.25, 0.5]).unwrap(), vec![500_000, 0, 500_000]);
		assert!(to_scores(&[0.0, -1.0]).is_err());
	}
}
