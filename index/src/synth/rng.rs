//! The generator's random numbers.
//!
//! Hand-written on purpose (SplitMix64, Steele, Lea and Flood 2014): the committed demo
//! directory must stay byte-identical forever, so no crate's algorithm may change under it.
//! Only integer arithmetic is used here and by callers that turn draws into text, so the
//! output is the same on every machine.

/// SplitMix64: a 64-bit state advanced by a constant, then mixed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// Independent streams of the generator: the same (seed, item) gives unrelated draws in
/// each stream, so adding draws to one never shifts another.
pub const STREAM_SERVICE: u64 = 1;
pub const STREAM_ORG: u64 = 2;
pub const STREAM_BLOCK: u64 = 3;

impl Rng {
    /// A generator for one item (a service, an organization) of one stream: derived from
    /// (seed, stream, item) alone, so any item can be regenerated without the others.
    pub fn for_item(seed: u64, stream: u64, item: u64) -> Rng {
        Rng(mix(
            seed ^ mix(item.wrapping_add(stream.wrapping_mul(0xD1B5_4A32_D192_ED03)))
        ))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n` > 0), by multiply-high: no modulo bias worth the name.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform index into a slice of length `n`.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }
}

/// The SplitMix64 output function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Cumulative weights for picking an index in proportion to its weight.
#[derive(Debug, Clone)]
pub struct Weighted(Vec<u64>);

impl Weighted {
    pub fn new(weights: impl IntoIterator<Item = u64>) -> Weighted {
        let mut total = 0;
        Weighted(
            weights
                .into_iter()
                .map(|w| {
                    total += w;
                    total
                })
                .collect(),
        )
    }

    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = *self.0.last().expect("weights are not empty");
        let x = rng.below(total);
        self.0.partition_point(|&c| c <= x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // Reference values of SplitMix64 seeded with 0 (state advanced before mixing).
        let mut r = Rng(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn items_and_streams_are_independent_and_repeatable() {
        let a = Rng::for_item(211, STREAM_SERVICE, 5).next_u64();
        assert_eq!(a, Rng::for_item(211, STREAM_SERVICE, 5).next_u64());
        assert_ne!(a, Rng::for_item(211, STREAM_SERVICE, 6).next_u64());
        assert_ne!(a, Rng::for_item(211, STREAM_ORG, 5).next_u64());
        assert_ne!(a, Rng::for_item(212, STREAM_SERVICE, 5).next_u64());
    }

    #[test]
    fn weighted_sampling_respects_zero_weights_and_bounds() {
        let w = Weighted::new([0, 3, 0, 1]);
        let mut r = Rng::for_item(1, 1, 1);
        let mut seen = [0; 4];
        for _ in 0..1000 {
            seen[w.sample(&mut r)] += 1;
        }
        assert_eq!(seen[0], 0);
        assert_eq!(seen[2], 0);
        assert!(seen[1] > seen[3] * 2, "{seen:?}");
        for _ in 0..1000 {
            assert!((3..=5).contains(&r.range(3, 5)));
        }
    }
}
