//! Language names and ISO 639-1 codes: sources write "French", "fr", "fre", "Français";
//! navigators filter with either. One table so import and search agree.

/// (ISO 639-1 code, English name, other names and codes it is written as)
const LANGUAGES: &[(&str, &str, &[&str])] = &[
    ("en", "English", &["eng", "anglais"]),
    ("fr", "French", &["fre", "fra", "francais", "français"]),
    ("es", "Spanish", &["spa", "espanol", "español", "espagnol"]),
    ("pt", "Portuguese", &["por", "portugues", "português"]),
    ("it", "Italian", &["ita", "italiano"]),
    ("de", "German", &["ger", "deu", "deutsch"]),
    ("pl", "Polish", &["pol", "polski"]),
    ("uk", "Ukrainian", &["ukr"]),
    ("ru", "Russian", &["rus"]),
    ("ar", "Arabic", &["ara", "arabe"]),
    ("fa", "Persian", &["per", "fas", "farsi"]),
    ("ur", "Urdu", &["urd"]),
    ("hi", "Hindi", &["hin"]),
    ("pa", "Punjabi", &["pan", "panjabi"]),
    ("ta", "Tamil", &["tam"]),
    ("bn", "Bengali", &["ben", "bangla"]),
    ("gu", "Gujarati", &["guj"]),
    ("zh", "Chinese", &["chi", "zho", "mandarin", "cantonese"]),
    ("vi", "Vietnamese", &["vie"]),
    ("tl", "Tagalog", &["tgl", "filipino"]),
    ("ko", "Korean", &["kor"]),
    ("ja", "Japanese", &["jpn"]),
    ("so", "Somali", &["som"]),
    ("am", "Amharic", &["amh"]),
    ("ti", "Tigrinya", &["tir"]),
    ("tr", "Turkish", &["tur"]),
    ("el", "Greek", &["gre", "ell"]),
    ("he", "Hebrew", &["heb"]),
    ("ro", "Romanian", &["rum", "ron"]),
    ("sw", "Swahili", &["swa"]),
    ("ht", "Haitian Creole", &["hat", "creole", "kreyol"]),
    ("cr", "Cree", &["cre"]),
    ("oj", "Ojibwe", &["oji", "ojibway", "anishinaabemowin"]),
    ("iu", "Inuktitut", &["iku"]),
    ("asl", "American Sign Language", &["sign language", "ase"]),
    ("lsq", "Langue des signes québécoise", &["fcs"]),
];

/// Resolves a name or code ("French", "fr", "fre", "Français") to (code, English name).
/// Unknown languages keep their name, lowercased as the code.
pub fn resolve(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let key = t.to_lowercase();
    let key = key.split(['-', '_']).next().unwrap_or(&key).to_string(); // "en-CA" -> "en"
    let full = t.to_lowercase();
    for (code, name, aliases) in LANGUAGES {
        if *code == key
            || name.to_lowercase() == full
            || aliases.contains(&full.as_str())
            || aliases.contains(&key.as_str())
        {
            return Some((code.to_string(), name.to_string()));
        }
    }
    Some((full.clone(), crate::text::clean_line(t).unwrap_or(full)))
}

/// Splits a cell that lists several languages ("en, es", "English; Spanish", "English and French").
pub fn split_list(cell: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in cell
        .split([',', ';', '/', '|'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" et "))
    {
        if let Some(lang) = resolve(part) {
            if !out.iter().any(|(c, _)| *c == lang.0) {
                out.push(lang);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_names_codes_and_aliases() {
        assert_eq!(resolve("French").unwrap().0, "fr");
        assert_eq!(resolve("fre").unwrap().0, "fr");
        assert_eq!(resolve("Français").unwrap().0, "fr");
        assert_eq!(resolve("en-CA").unwrap(), ("en".into(), "English".into()));
        assert_eq!(resolve("Klingon").unwrap(), ("klingon".into(), "Klingon".into()));
        assert_eq!(resolve("  "), None);
    }

    #[test]
    fn splits_lists() {
        let codes: Vec<String> = split_list("en, es; French and Arabic")
            .into_iter()
            .map(|l| l.0)
            .collect();
        assert_eq!(codes, ["en", "es", "fr", "ar"]);
    }
}
