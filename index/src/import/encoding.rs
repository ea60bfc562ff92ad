//! Text encoding decided piece by piece. Real exports are UTF-8 with the odd record pasted
//! from a Windows program: re-decoding a whole file as Windows-1252 because of one bad
//! byte turned 53 correct French records into "MÃ©tis". Here valid UTF-8 stays as it is
//! and only the bytes that are not UTF-8 are read as Windows-1252 (where they come from
//! in practice), each repair reported where it happened.

use std::borrow::Cow;

/// `bytes` as text: valid UTF-8 as it is, each invalid run decoded as Windows-1252.
/// Borrowed when nothing needed repair.
pub(crate) fn repair(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(chunk.invalid());
            out.push_str(&decoded);
        }
    }
    Cow::Owned(out)
}

/// The reason given for a repaired value.
pub(crate) const REPAIRED: &str = "not valid UTF-8; read as Windows-1252";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_invalid_bytes_are_read_as_windows_1252() {
        assert!(matches!(repair("Métis".as_bytes()), Cow::Borrowed("Métis")));
        assert_eq!(repair(b"Caf\xe9 \x96 Bistro"), "Café – Bistro");
        // A valid é beside a bad one: the valid one is not turned into "Ã©".
        assert_eq!(repair(b"M\xc3\xa9tis and caf\xe9"), "Métis and café");
    }
}
