//! Postal codes as places: a US ZIP ("33125", "33125-1234"), a Canadian forward sortation
//! area ("P3A") or full postal code ("P3A 1A1", "p3a1a1"). Each located service is indexed
//! under its codes, and a place typed as a code resolves to the centre of the catalogue's
//! services there, the way a municipality does.

/// The index terms of a postal code as an address writes it: "zip:33125"; "ca:P3A1A1" and
/// "fsa:P3A"; nothing for anything else.
pub fn terms(raw: &str) -> Vec<String> {
    match parse(raw) {
        Some(Postal::Zip(zip)) => vec![format!("zip:{zip}")],
        Some(Postal::Canadian(code)) => vec![format!("ca:{code}"), format!("fsa:{}", &code[..3])],
        Some(Postal::Fsa(fsa)) => vec![format!("fsa:{fsa}")],
        None => Vec::new(),
    }
}

/// A postal code, normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Postal {
    /// Five digits (a ZIP+4 is cut to its ZIP).
    Zip(String),
    /// Six characters, uppercase, no space: "P3A1A1".
    Canadian(String),
    /// Three characters, uppercase: "P3A".
    Fsa(String),
}

impl Postal {
    /// The index term a search for this code looks up.
    pub fn term(&self) -> String {
        match self {
            Postal::Zip(z) => format!("zip:{z}"),
            Postal::Canadian(c) => format!("ca:{c}"),
            Postal::Fsa(f) => format!("fsa:{f}"),
        }
    }

    /// "ZIP code 33125", "postal code P3A 1A1", "FSA P3A": for messages.
    pub fn describe(&self) -> String {
        match self {
            Postal::Zip(z) => format!("ZIP code {z}"),
            Postal::Canadian(c) => format!("postal code {} {}", &c[..3], &c[3..]),
            Postal::Fsa(f) => format!("postal area {f}"),
        }
    }
}

/// Reads a postal code; `None` when `raw` is not one (then it may be a place name).
pub fn parse(raw: &str) -> Option<Postal> {
    let t: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.to_ascii_uppercase();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if t.len() == 5 && digits(&t) {
        return Some(Postal::Zip(t));
    }
    if t.len() == 10 && t.as_bytes()[5] == b'-' && digits(&t[..5]) && digits(&t[6..]) {
        return Some(Postal::Zip(t[..5].to_string()));
    }
    if t.len() == 9 && digits(&t) {
        return Some(Postal::Zip(t[..5].to_string()));
    }
    let canadian = |s: &[u8]| {
        s.iter().enumerate().all(|(i, b)| {
            if i % 2 == 0 {
                b.is_ascii_uppercase()
            } else {
                b.is_ascii_digit()
            }
        })
    };
    // Canada Post never uses D, F, I, O, Q, U, nor W or Z first: "DOG" is not a place code.
    let first_ok = |b: u8| !b"DFIOQUWZ".contains(&b);
    match t.len() {
        6 if canadian(t.as_bytes()) && first_ok(t.as_bytes()[0]) => Some(Postal::Canadian(t)),
        3 if canadian(t.as_bytes()) && first_ok(t.as_bytes()[0]) => Some(Postal::Fsa(t)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_zips_fsas_and_full_canadian_codes() {
        assert_eq!(parse("33125"), Some(Postal::Zip("33125".into())));
        assert_eq!(parse(" 33125-1234 "), Some(Postal::Zip("33125".into())));
        assert_eq!(parse("p3a 1a1"), Some(Postal::Canadian("P3A1A1".into())));
        assert_eq!(parse("P3A"), Some(Postal::Fsa("P3A".into())));
        for not in ["Sudbury", "1234", "123456", "DOG", "P3", "Z1A 1A1", "46.49,-80.99", ""] {
            assert_eq!(parse(not), None, "{not}");
        }
    }

    #[test]
    fn index_terms_cover_the_area_of_a_full_code() {
        assert_eq!(terms("P3A 1A1"), ["ca:P3A1A1", "fsa:P3A"]);
        assert_eq!(terms("20009"), ["zip:20009"]);
        assert!(terms("n/a").is_empty());
        assert_eq!(parse("P3A 1A1").unwrap().describe(), "postal code P3A 1A1");
    }
}
