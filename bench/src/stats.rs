//! Latency samples and their percentiles (nearest rank, no interpolation).

use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Samples {
    /// Milliseconds.
    ms: Vec<f64>,
}

impl Samples {
    pub fn push(&mut self, d: Duration) {
        self.ms.push(d.as_secs_f64() * 1000.0);
    }

    pub fn extend(&mut self, other: &Samples) {
        self.ms.extend_from_slice(&other.ms);
    }

    pub fn len(&self) -> usize {
        self.ms.len()
    }

    /// The `p`-th percentile (0 < p <= 100) by nearest rank; 0 when empty.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.ms.is_empty() {
            return 0.0;
        }
        let mut sorted = self.ms.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    pub fn p50(&self) -> f64 {
        self.percentile(50.0)
    }

    pub fn p99(&self) -> f64 {
        self.percentile(99.0)
    }

    pub fn max(&self) -> f64 {
        self.ms.iter().copied().fold(0.0, f64::max)
    }
}

/// Median and maximum of byte counts.
pub fn median_max(values: &[usize]) -> (usize, usize) {
    if values.is_empty() {
        return (0, 0);
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    (v[(v.len() - 1) / 2], v[v.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut s = Samples::default();
        for i in 1..=100 {
            s.push(Duration::from_millis(i));
        }
        assert_eq!(s.p50(), 50.0);
        assert_eq!(s.p99(), 99.0);
        assert_eq!(s.max(), 100.0);
        assert_eq!(Samples::default().p99(), 0.0);
    }

    #[test]
    fn median_of_bytes_takes_the_lower_middle() {
        assert_eq!(median_max(&[5, 1, 3, 100]), (3, 100));
        assert_eq!(median_max(&[]), (0, 0));
    }
}
