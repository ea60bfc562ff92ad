//! FNV-1a, 64 bits: the hash of a catalogue record (to tell changed from unchanged) and of
//! an idempotent request. Stable across Rust versions, unlike `DefaultHasher`, so stored
//! hashes stay comparable after an upgrade.

use navigator_index::Service;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> i64 {
    let mut hasher = Fnv1a(OFFSET);
    hasher.add(bytes);
    hasher.0 as i64
}

/// The hash of `service`'s JSON record (`fnv1a` of `serde_json::to_string`), computed as
/// it is written out, without making the text: an import compares every service it reads
/// with the catalogue, and most are unchanged.
pub fn record_hash(service: &Service) -> i64 {
    let mut hasher = Fnv1a(OFFSET);
    serde_json::to_writer(&mut hasher, service).expect("a Service always serializes");
    hasher.0 as i64
}

struct Fnv1a(u64);

impl Fnv1a {
    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }
}

impl std::io::Write for Fnv1a {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.add(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_hash_is_the_hash_of_the_record_text() {
        let mut service = Service {
            id: "svc-1".into(),
            name: "Banque alimentaire \"Le Pont\" – Est\n".into(),
            description: Some("Épicerie, \\ bread & \u{1}milk".into()),
            ..Service::default()
        };
        service.languages = vec![navigator_index::model::Language {
            code: "fr".into(),
            ..Default::default()
        }];
        let text = serde_json::to_string(&service).unwrap();
        assert_eq!(record_hash(&service), fnv1a(text.as_bytes()));
        // FNV-1a's published value for "a": stored hashes depend on it staying so.
        assert_eq!(fnv1a(b"a") as u64, 0xaf63_dc4c_8601_ec8c);
    }
}
