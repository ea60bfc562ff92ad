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
    ("sq", "Albanian", &["alb", "sqi", "shqip"]),
    ("hy", "Armenian", &["arm", "hye"]),
    ("az", "Azerbaijani", &["aze"]),
    ("bs", "Bosnian", &["bos"]),
    ("bg", "Bulgarian", &["bul"]),
    ("my", "Burmese", &["bur", "mya", "myanmar"]),
    ("hr", "Croatian", &["hrv"]),
    ("cs", "Czech", &["cze", "ces"]),
    ("da", "Danish", &["dan"]),
    ("nl", "Dutch", &["dut", "nld", "flemish"]),
    ("et", "Estonian", &["est"]),
    ("fi", "Finnish", &["fin"]),
    ("ka", "Georgian", &["geo", "kat"]),
    ("ha", "Hausa", &["hau"]),
    ("hu", "Hungarian", &["hun"]),
    ("is", "Icelandic", &["ice", "isl"]),
    ("ig", "Igbo", &["ibo"]),
    ("id", "Indonesian", &["ind", "bahasa indonesia"]),
    ("kn", "Kannada", &["kan"]),
    ("kk", "Kazakh", &["kaz"]),
    ("km", "Khmer", &["khm", "cambodian"]),
    ("rw", "Kinyarwanda", &["kin"]),
    ("rn", "Kirundi", &["run"]),
    ("ku", "Kurdish", &["kur"]),
    ("lo", "Lao", &["lao", "laotian"]),
    ("lv", "Latvian", &["lav"]),
    ("ln", "Lingala", &["lin"]),
    ("lt", "Lithuanian", &["lit"]),
    ("mk", "Macedonian", &["mac", "mkd"]),
    ("ms", "Malay", &["may", "msa"]),
    ("ml", "Malayalam", &["mal"]),
    ("mr", "Marathi", &["mar"]),
    ("mh", "Marshallese", &["mah"]),
    ("mn", "Mongolian", &["mon"]),
    ("nv", "Navajo", &["nav"]),
    ("ne", "Nepali", &["nep"]),
    ("no", "Norwegian", &["nor", "nob", "nno"]),
    ("om", "Oromo", &["orm"]),
    ("ps", "Pashto", &["pus", "pushto"]),
    ("sm", "Samoan", &["smo"]),
    ("sr", "Serbian", &["srp"]),
    ("si", "Sinhala", &["sin", "sinhalese"]),
    ("sk", "Slovak", &["slo", "slk"]),
    ("sl", "Slovenian", &["slv"]),
    ("sv", "Swedish", &["swe"]),
    ("tg", "Tajik", &["tgk"]),
    ("te", "Telugu", &["tel"]),
    ("th", "Thai", &["tha"]),
    ("to", "Tongan", &["ton"]),
    ("tk", "Turkmen", &["tuk"]),
    ("uz", "Uzbek", &["uzb"]),
    ("wo", "Wolof", &["wol"]),
    ("xh", "Xhosa", &["xho"]),
    ("yi", "Yiddish", &["yid"]),
    ("yo", "Yoruba", &["yor"]),
    ("zu", "Zulu", &["zul"]),
    ("af", "Afrikaans", &["afr"]),
    // Common at 211s, without an ISO 639-1 code: their ISO 639-2/3 code.
    ("prs", "Dari", &["afghan persian"]),
    ("hmn", "Hmong", &["mong"]),
    ("kar", "Karen", &[]),
    ("din", "Dinka", &[]),
    ("chk", "Chuukese", &["trukese"]),
    ("ojs", "Oji-Cree", &["oji cree", "anishininiimowin"]),
    ("mic", "Mi'kmaq", &["micmac", "mikmaq"]),
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

/// A language of the table only (a name, an alias or an ISO code): `None` for anything
/// else, so a caller's language is one navigator knows ("klingon" is refused).
pub fn known(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let key = t.to_lowercase();
    let short = key.split(['-', '_']).next().unwrap_or(&key);
    LANGUAGES
        .iter()
        .find(|(code, name, aliases)| {
            *code == short || name.to_lowercase() == key || aliases.contains(&key.as_str()) || aliases.contains(&short)
        })
        .map(|(code, name, _)| (code.to_string(), name.to_string()))
}

/// Every language of the table: (code, English name), for pickers.
pub fn all() -> impl Iterator<Item = (&'static str, &'static str)> {
    LANGUAGES.iter().map(|(code, name, _)| (*code, *name))
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

/// Words around a language name that do not change which language it is
/// ("English only", "Limited Spanish", "French upon request").
const QUALIFIERS: &[&str] = &[
    "only",
    "limited",
    "some",
    "basic",
    "fluent",
    "available",
    "upon",
    "on",
    "request",
    "spoken",
    "speaking",
    "interpreter",
    "interpreters",
    "staff",
    "speakers",
];

/// Not languages, though language lists carry them ("English; Spanish; TDD").
const NOT_LANGUAGES: &[&str] = &[
    "tdd",
    "tty",
    "relay",
    "interpretation",
    "translation",
    "deaf",
    "blind",
    "all",
    "many",
    "other",
    "others",
    "various",
    "multiple",
    "most",
    "languages",
    "none",
];

/// A free-text "languages offered" cell as real directories write it: languages with
/// qualifiers ("English, Limited Spanish", "English only"), device names ("TDD") and
/// sentences ("140 Languages through the AT&T Language Line"). Returns the languages, and
/// the parts that are not languages (for the interpretation note), in order.
pub fn offered(cell: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut languages: Vec<(String, String)> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    let parts = cell
        .split([',', ';', '/', '|', '\n'])
        .flat_map(|p| p.split(". "))
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" & "))
        .flat_map(|p| p.split(" et "))
        .map(str::trim)
        .filter(|p| !p.is_empty());
    for part in parts {
        let kept: Vec<&str> = part
            .trim_end_matches('.')
            .split_whitespace()
            .filter(|w| !QUALIFIERS.contains(&w.to_lowercase().as_str()))
            .collect();
        let original = kept.join(" ");
        let lower = original.to_lowercase();
        let words = lower.as_str();
        if words.is_empty() {
            continue;
        }
        let known = LANGUAGES
            .iter()
            .any(|(code, name, aliases)| *code == words || name.to_lowercase() == words || aliases.contains(&words));
        // A language navigator does not know is one capitalised word ("Oromo", "Tigrigna"),
        // not a word of a sentence ("deaf", "all languages").
        let name_like = !words.contains(' ')
            && words.chars().all(char::is_alphabetic)
            && original.starts_with(|c: char| c.is_uppercase());
        if (known || name_like) && !NOT_LANGUAGES.contains(&words) {
            if let Some(lang) = resolve(&original) {
                if !languages.iter().any(|(c, _)| *c == lang.0) {
                    languages.push(lang);
                }
            }
        } else if let Some(text) = crate::text::clean_line(part) {
            other.push(text);
        }
    }
    (languages, other)
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
    fn known_languages_only() {
        assert_eq!(known("fr").unwrap().1, "French");
        assert_eq!(known("Somali").unwrap().0, "so");
        assert_eq!(known("klingon"), None);
        assert_eq!(known("se habla español"), None);
    }

    #[test]
    fn offered_languages_drop_qualifiers_and_keep_notes_apart() {
        let (langs, other) = offered("English, Limited Spanish; TDD");
        let codes: Vec<&str> = langs.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(codes, ["en", "es"]);
        assert_eq!(other, ["TDD"]);
        let (langs, other) = offered("140 Languages through the AT&T Language Line");
        assert!(langs.is_empty());
        assert_eq!(other, ["140 Languages through the AT&T Language Line"]);
        let (langs, other) =
            offered("Provides interpretation/ translation services for the hearing impaired and deaf.");
        assert!(langs.is_empty(), "{langs:?}");
        assert_eq!(other.len(), 3);
        let (langs, _) = offered("All languages");
        assert!(langs.is_empty());
        let (langs, _) = offered("Russian interpreters");
        assert_eq!(langs, [("ru".to_string(), "Russian".to_string())]);
        let (langs, _) = offered("English only");
        assert_eq!(langs, [("en".to_string(), "English".to_string())]);
        let (langs, _) = offered("Amharic, Tigrigna");
        assert_eq!(langs[1], ("tigrigna".to_string(), "Tigrigna".to_string()));
        let (langs, other) = offered("American Sign Language available.  For more information call 202-574-6646");
        assert_eq!(langs[0].0, "asl");
        assert_eq!(other.len(), 1);
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
