//! Text hygiene. Two jobs, kept apart:
//! - [`clean`] repairs free text from real exports once, at import (literal `\n`,
//!   `###MON###` markers, stray whitespace, control characters);
//! - [`sanitize`] is the one gate every string from data passes before it reaches a terminal:
//!   whatever the catalogue holds, no escape sequence or control character gets through.

/// Cleans imported free text for display. Returns `None` for text that is empty after
/// cleaning or is a placeholder such as `-1`, `N/A` or `null`.
pub fn clean(raw: &str) -> Option<String> {
    let text = raw
        .replace("\\r\\n", "\n")
        .replace("\\n", "\n")
        .replace("\\t", " ")
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let text = strip_markers(&text);
    let text = strip_control(&text, true);
    // Trim each line, collapse runs of spaces, and at most one blank line in a row.
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
    }
    let out = out.trim().to_string();
    if out.is_empty() || is_placeholder(&out) {
        None
    } else {
        Some(out)
    }
}

/// Cleans a one-line value (a name, a city, a code): like [`clean`], newlines become spaces.
pub fn clean_line(raw: &str) -> Option<String> {
    clean(raw).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn is_placeholder(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "-1" | "n/a" | "na" | "null" | "none" | "\"\"" | "-"
    )
}

/// Removes internal markers such as `###MON###` or `###END###` that some exports embed.
fn strip_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("###") {
        let after = &rest[start + 3..];
        match after.find("###") {
            Some(end) if end <= 24 && after[..end].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                out.push_str(&rest[..start]);
                out.push(' ');
                rest = &after[end + 3..];
            }
            _ => {
                out.push_str(&rest[..start + 3]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Makes text from data safe to put in terminal cells: drops escape sequences (CSI, OSC,
/// DCS and two-byte ESC forms) and every control character, newlines included (they become
/// spaces). Use [`sanitize_multiline`] where line breaks are wanted.
pub fn sanitize(text: &str) -> String {
    strip_control(text, false)
}

/// Like [`sanitize`] but keeps `\n` so descriptions can wrap at their own line breaks.
pub fn sanitize_multiline(text: &str) -> String {
    strip_control(text, true)
}

fn strip_control(text: &str, keep_newlines: bool) -> String {
    if !text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI/OSC/DCS introducers behave like ESC [ / ESC ] / ESC P on some terminals.
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' if keep_newlines => out.push('\n'),
            '\t' | '\n' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Bidirectional overrides can make a terminal show text in a misleading order.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars>) {
    match chars.next() {
        Some('[') => skip_until_final(chars),
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => skip_string(chars),
        // Two-byte forms (ESC c, ESC 7, ESC ( B ...): drop the intermediate and final too.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI parameters and intermediates run until a final byte in @..~.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS strings end at BEL or ST (ESC \).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Folds text for comparisons: lowercase, accents removed ("Hôpital" -> "hopital").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold_char(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        '’' | '‘' => "'",
        _ => return None,
    })
}

/// Guesses whether `text` is English, French or Spanish by counting common words of each.
/// Returns "fr" or "es" when that language's words outnumber the others, "en" otherwise
/// (ties too).
pub fn guess_language(text: &str) -> &'static str {
    let (mut fr, mut en, mut es) = (0u32, 0u32, 0u32);
    let mut buf = [0u8; 6];
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() || word.len() > buf.len() {
            continue;
        }
        // Lowercase into a stack buffer: no allocation per word.
        let w = &mut buf[..word.len()];
        w.copy_from_slice(word.as_bytes());
        w.make_ascii_lowercase();
        match &*w {
            b"le" | b"les" | b"des" | b"du" | b"et" | b"pour" | b"avec" | b"aux" | b"au" | b"une" | b"un" | b"est"
            | b"sont" | b"dans" | b"sur" | b"qui" | b"vous" | b"nous" | b"ou" | b"l" | b"d" | b"qu" | b"ces"
            | b"leur" | b"leurs" | b"sans" | b"chez" => fr += 1,
            // "à", "À", "où" in UTF-8.
            b"\xc3\xa0" | b"\xc3\x80" | b"o\xc3\xb9" => fr += 1,
            b"el" | b"los" | b"las" | b"del" | b"y" | b"para" | b"con" | b"una" | b"por" | b"sus" | b"como"
            | b"ayuda" | b"al" | b"est\xc3\xa1" | b"ni\xc3\xb1os" | b"lunes" => es += 1,
            // Shared by French and Spanish.
            b"la" | b"de" | b"que" | b"se" => {
                fr += 1;
                es += 1;
            }
            b"the" | b"and" | b"for" | b"with" | b"of" | b"to" | b"in" | b"is" | b"are" | b"on" | b"by" | b"who"
            | b"you" | b"we" | b"at" | b"from" | b"your" | b"or" | b"our" | b"this" | b"that" | b"their" | b"help" => {
                en += 1
            }
            _ => {}
        }
    }
    if fr > en && fr > es {
        "fr"
    } else if es > en && es > fr {
        "es"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_repairs_real_export_quirks() {
        assert_eq!(
            clean("  Food  bank\\nOpen daily  ").as_deref(),
            Some("Food bank\nOpen daily")
        );
        assert_eq!(clean("###MON###9-5###TUE###9-5").as_deref(), Some("9-5 9-5"));
        assert_eq!(clean("FL ").as_deref(), Some("FL"));
        assert_eq!(clean("-1"), None);
        assert_eq!(clean("   "), None);
        assert_eq!(clean("a\r\n\r\n\r\n\r\nb").as_deref(), Some("a\n\nb"));
        // Hash signs that are not a marker are left alone.
        assert_eq!(clean("Call #3 ### now").as_deref(), Some("Call #3 ### now"));
    }

    #[test]
    fn sanitize_removes_escape_sequences_and_controls() {
        assert_eq!(sanitize("Clear\u{1b}[2J\u{1b}[31mRed\u{7}"), "ClearRed");
        assert_eq!(sanitize("title\u{1b}]0;pwned\u{7}ok"), "titleok");
        assert_eq!(sanitize("osc52\u{1b}]52;c;aGk=\u{1b}\\done"), "osc52done");
        assert_eq!(sanitize("a\nb\tc\u{0}d"), "a b cd");
        assert_eq!(sanitize("\u{9b}31mcsi"), "csi");
        assert_eq!(sanitize("rtl\u{202e}txt"), "rtltxt");
        assert_eq!(sanitize_multiline("a\nb\u{1b}[1A"), "a\nb");
        assert_eq!(sanitize("Hôpital Montfort"), "Hôpital Montfort");
    }

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("Hôpital Œuvre Ça"), "hopital oeuvre ca");
    }

    #[test]
    fn guess_language_counts_stop_words() {
        assert_eq!(
            guess_language("Banque alimentaire de Sudbury: aide pour les familles et les aînés"),
            "fr"
        );
        assert_eq!(
            guess_language("Food bank for families and seniors in the Sudbury area"),
            "en"
        );
        assert_eq!(guess_language("Centre d'emploi à Timmins"), "fr");
        assert_eq!(
            guess_language("Banco de comida para las familias y los niños del barrio"),
            "es"
        );
        assert_eq!(guess_language("Aide pour les familles de la région"), "fr");
        assert_eq!(guess_language("Sudbury"), "en", "no evidence means English");
        assert_eq!(
            guess_language("Le Centre: services for the community"),
            "en",
            "a tie goes to English"
        );
    }
}
