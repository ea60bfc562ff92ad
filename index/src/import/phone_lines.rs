//! Typed phone lines for the I&R formats: iCarol and AIRS name their lines ("Phone1",
//! "TTY/TDD Number", "24 hour hotline", "After Hours", "Fax") where HSDS has a `type`
//! column. The read-out says "toll-free" or "TTY", so the kind is worked out once here.

use super::values;
use crate::model::Phone;

/// The kind of line a label describes, in the model's vocabulary (see [`Phone::kind`]).
/// `None` when the label says nothing about it (a main or intake line is `voice`).
pub(crate) fn kind_from_label(label: &str) -> Option<&'static str> {
    let l = label.to_ascii_lowercase();
    let has = |w: &str| l.contains(w);
    Some(if has("fax") {
        "fax"
    } else if has("tty") || has("tdd") || has("ttd") || has("teletype") {
        "tty"
    } else if has("text") || has("sms") {
        "text"
    } else if has("hotline") || has("crisis line") || has("help line") || has("helpline") {
        "hotline"
    } else if has("after hours") || has("after-hours") || has("afterhours") {
        "after-hours"
    } else if has("business") || has("administrative") || has("admin ") || l == "admin" {
        "business"
    } else if has("out of area") || has("out-of-area") {
        "out-of-area"
    } else if has("cell") || has("mobile") {
        "cell"
    } else {
        return None;
    })
}

/// Whether a label says the line is toll-free.
pub(crate) fn label_says_toll_free(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.contains("toll free") || l.contains("toll-free") || l.contains("tollfree")
}

/// North American toll-free numbers: 800, 833, 844, 855, 866, 877 and 888, with or
/// without the leading 1.
pub(crate) fn is_toll_free_number(number: &str) -> bool {
    let digits = values::phone_digits(number);
    let national = match digits.len() {
        11 if digits.starts_with('1') => &digits[1..],
        10 => &digits[..],
        _ => return false,
    };
    matches!(&national[..3], "800" | "833" | "844" | "855" | "866" | "877" | "888")
}

/// "202-555-0100 x12", "202-555-0100 ext. 12", "(202) 555-0100 Ext 12" -> number and extension.
pub(crate) fn split_extension(raw: &str) -> (&str, Option<&str>) {
    let lower = raw.to_ascii_lowercase();
    for marker in ["extension", "ext.", "ext", " x", "x."] {
        if let Some(i) = lower.rfind(marker) {
            let ext = raw[i + marker.len()..].trim_start_matches(['.', ':', ' ', '#']).trim();
            if !ext.is_empty() && ext.chars().all(|c| c.is_ascii_digit()) && i > 0 {
                return (raw[..i].trim_end_matches([',', ' ', ';']), Some(ext));
            }
        }
    }
    (raw, None)
}

/// An extension as digits when the source wrote "ext 522" or "x522"; other text as given.
pub(crate) fn extension(raw: &str) -> Option<String> {
    let t = values::clean_line(raw)?;
    let digits = t
        .trim_start_matches(|c: char| c.is_alphabetic() || c == '.' || c == ' ' || c == '#' || c == ':')
        .trim();
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        Some(digits.to_string())
    } else {
        Some(t)
    }
}

/// A phone from a number, an optional separate extension, and the label the source gave
/// it. `kind` is the kind the column or attribute says; the label can refine a plain
/// voice line. `None` for an empty or placeholder number.
pub(crate) fn phone(number: &str, ext: &str, label: &str, kind: Option<&str>) -> Option<Phone> {
    let number = values::phone_number(number)?;
    // "(2 ) -" and the like: what is left of an input mask, not a number. 211 and 911
    // are the shortest real ones.
    if values::phone_digits(&number).len() < 3 {
        return None;
    }
    let (number, inline_ext) = split_extension(&number);
    let extension = extension(ext).or_else(|| inline_ext.map(str::to_string));
    let label = values::clean_line(label);
    let from_label = label.as_deref().and_then(kind_from_label);
    let kind = match kind {
        Some("voice") | None => from_label.unwrap_or("voice"),
        Some(k) => k,
    };
    let toll_free = is_toll_free_number(number) || label.as_deref().is_some_and(label_says_toll_free);
    Some(Phone {
        number: number.to_string(),
        extension,
        kind: Some(kind.to_string()),
        description: label,
        toll_free,
        confidential: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_kind_of_line() {
        assert_eq!(kind_from_label("TTY/TDD Number"), Some("tty"));
        assert_eq!(kind_from_label("alternate fax"), Some("fax"));
        assert_eq!(kind_from_label("24 hour hotline for Fraud and Abuse"), Some("hotline"));
        assert_eq!(kind_from_label("After Hours"), Some("after-hours"));
        assert_eq!(kind_from_label("Business Line"), Some("business"));
        assert_eq!(kind_from_label("Out of area"), Some("out-of-area"));
        assert_eq!(kind_from_label("Intake Number"), None);
        assert!(label_says_toll_free("Toll Free Number"));
    }

    #[test]
    fn toll_free_numbers_and_extensions() {
        assert!(is_toll_free_number("1-800-455-0911"));
        assert!(is_toll_free_number("(888) 555-0100"));
        assert!(!is_toll_free_number("604-244-5141"));
        assert_eq!(split_extension("202-555-0100 x12"), ("202-555-0100", Some("12")));
        assert_eq!(split_extension("(202) 555-0100, Ext. 4"), ("(202) 555-0100", Some("4")));
        assert_eq!(split_extension("202-555-0100"), ("202-555-0100", None));
        assert_eq!(extension("ext 522").as_deref(), Some("522"));
        assert_eq!(extension("Extension5").as_deref(), Some("5"));
        assert_eq!(extension("press 2 then 3").as_deref(), Some("press 2 then 3"));
    }

    #[test]
    fn phones_are_typed_and_placeholders_dropped() {
        let p = phone("1-800-555-0199", "", "Toll Free Number", None).unwrap();
        assert_eq!((p.kind.as_deref(), p.toll_free), (Some("voice"), true));
        let p = phone("202-555-0100", "", "TTY/TDD Number", None).unwrap();
        assert_eq!(p.kind.as_deref(), Some("tty"));
        let p = phone("202-555-0100", "", "Main", Some("fax")).unwrap();
        assert_eq!(p.kind.as_deref(), Some("fax"));
        assert!(phone("", "", "After Hours", Some("after-hours")).is_none());
        assert!(phone("-1", "", "", None).is_none());
        assert!(phone("n/a", "", "", None).is_none());
        assert!(phone("(2 ) -", "", "", None).is_none());
        assert_eq!(phone("211", "", "", None).unwrap().number, "211");
    }
}
