//! Descriptions that arrive as HTML: iCarol keeps rich text and exports it as markup, and
//! its AIRS XML escapes it twice (`&amp;lt;strong&amp;gt;`, which an XML reader turns
//! into `&lt;strong&gt;`). A navigator needs the words: entities are decoded until none
//! are left, tags removed (block tags become line breaks), and the result cleaned like
//! any imported text.

use super::values;

/// How many times entities are decoded at most: enough for "escaped twice" exports
/// without looping on text that keeps producing ampersands.
const MAX_DECODES: usize = 3;

/// Text from a value that may hold HTML; `None` when nothing is left.
pub(crate) fn to_text(raw: &str) -> Option<String> {
    if !raw.contains(['<', '&']) {
        return values::clean(raw);
    }
    let mut text = raw.to_string();
    for _ in 0..MAX_DECODES {
        if !text.contains('&') {
            break;
        }
        let decoded = html_escape::decode_html_entities(&text).into_owned();
        if decoded == text {
            break;
        }
        text = decoded;
    }
    values::clean(&strip_tags(&text))
}

/// One-line text (a name) from a value that may hold HTML.
pub(crate) fn to_line(raw: &str) -> Option<String> {
    to_text(raw).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Tags that start a new line of text when removed.
const BLOCK_TAGS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "dd",
    "dt",
];

/// Removes anything that looks like a tag (`<b>`, `</p>`, `<br />`, `<span style=...>`).
/// A `<` that does not open a tag ("ages <5") stays.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let name: String = after
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let opens_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>').filter(|&end| opens_tag && !after[..end].contains('<')) {
            Some(end) => {
                let closing = after.starts_with('/');
                if name == "li" {
                    // Each item on its own line; the end of one adds nothing.
                    if !closing {
                        out.push_str("\n- ");
                    }
                } else if BLOCK_TAGS.contains(&name.as_str()) {
                    out.push('\n');
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_escaped_markup_becomes_plain_text() {
        // What an XML reader hands over from BC 211's `&amp;lt;strong&amp;gt;`.
        assert_eq!(
            to_text("Free &lt;strong&gt;Take Home Naloxone Kits&lt;/strong&gt; (Narcan)").as_deref(),
            Some("Free Take Home Naloxone Kits (Narcan)")
        );
        assert_eq!(
            to_text("up to 80 percent of client&#39;s income").as_deref(),
            Some("up to 80 percent of client's income")
        );
        assert_eq!(
            to_text("&amp;lt;b&amp;gt;Bold&amp;lt;/b&amp;gt;").as_deref(),
            Some("Bold")
        );
    }

    #[test]
    fn block_tags_break_lines_and_styles_go() {
        assert_eq!(
            to_text(" <br />\t\t<p align=left> <br /><span style=FONT-SIZE: 10pt>Meals</span></p><p>Showers</p>")
                .as_deref(),
            Some("Meals\n\nShowers")
        );
        assert_eq!(
            to_text("<ul><li>Food</li><li>Rent</li></ul>").as_deref(),
            Some("- Food\n- Rent")
        );
        assert_eq!(to_text("<p>&nbsp;</p>"), None);
    }

    #[test]
    fn text_that_only_looks_like_markup_stays() {
        assert_eq!(
            to_text("Children <5 and parents").as_deref(),
            Some("Children <5 and parents")
        );
        assert_eq!(to_text("Food & Shelter").as_deref(), Some("Food & Shelter"));
        assert_eq!(to_text("AT&T Language Line").as_deref(), Some("AT&T Language Line"));
        assert_eq!(
            to_line("Legal <b>Aid</b>\nSociety").as_deref(),
            Some("Legal Aid Society")
        );
    }
}
