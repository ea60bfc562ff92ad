//! Bounds on what one record of an export may hold, shared by every reader (CSV tables,
//! JSON, and XML readers to come): memory stays bounded by these limits, not by the
//! largest field a broken or hostile export happens to contain. A field over the limit is
//! dropped and reported as `file:line: field: too long (N bytes, limit M)`, the rest of
//! its record kept; a record over its limit is skipped.

/// The limits an import works within. Configurable (`[import]` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes one field (a CSV cell, a JSON string) may have.
    pub max_field_bytes: usize,
    /// Most bytes one record (a CSV row, a JSON Lines line or service object) may have.
    pub max_record_bytes: usize,
}

/// 64 KiB: the longest real service description seen is a few KB.
pub const DEFAULT_MAX_FIELD_BYTES: usize = 64 * 1024;
/// 1 MiB: a service with every field near its limit still fits many times over.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 1024 * 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_field_bytes: DEFAULT_MAX_FIELD_BYTES,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

impl Limits {
    /// "too long (N bytes, limit M)" when a field of `bytes` is over the limit.
    pub fn field_too_long(&self, bytes: usize) -> Option<String> {
        (bytes > self.max_field_bytes).then(|| too_long(bytes, self.max_field_bytes))
    }

    /// "record too long (N bytes, limit M)" when a record of `bytes` is over the limit.
    pub fn record_too_long(&self, bytes: usize) -> Option<String> {
        (bytes > self.max_record_bytes).then(|| format!("record {}", too_long(bytes, self.max_record_bytes)))
    }
}

fn too_long(bytes: usize, limit: usize) -> String {
    format!("too long ({bytes} bytes, limit {limit})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_the_limit_says_both_sizes() {
        let l = Limits {
            max_field_bytes: 10,
            max_record_bytes: 100,
        };
        assert_eq!(l.field_too_long(10), None);
        assert_eq!(l.field_too_long(11).as_deref(), Some("too long (11 bytes, limit 10)"));
        assert_eq!(
            l.record_too_long(101).as_deref(),
            Some("record too long (101 bytes, limit 100)")
        );
    }
}
