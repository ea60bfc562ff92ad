//! Word wrapping by display width, for values that continue under themselves (a label
//! column, then the value's lines all starting at the same column).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` (one paragraph per line) wrapped to `width` columns; a word longer than the
/// width is cut. Never returns an empty list.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for mut word in paragraph.split_whitespace() {
            while !word.is_empty() {
                let gap = usize::from(!line.is_empty());
                if line.width() + gap + word.width() <= width {
                    if gap == 1 {
                        line.push(' ');
                    }
                    line.push_str(word);
                    word = "";
                } else if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                } else {
                    // A word wider than the line: cut it where the line is full.
                    let (mut end, mut used) = (0, 0);
                    for (i, c) in word.char_indices() {
                        let w = UnicodeWidthChar::width(c).unwrap_or(0);
                        if used + w > width && end > 0 {
                            break;
                        }
                        used += w;
                        end = i + c.len_utf8();
                    }
                    out.push(word[..end].to_string());
                    word = &word[end..];
                }
            }
        }
        out.push(line);
    }
    out
}

/// Spans laid out on lines `width` wide, each span kept whole (a choice is never split):
/// the first line starts with `first`, the next ones with `indent` spaces, so the choices
/// continue under the first one.
pub fn pack<'a>(
    first: Vec<ratatui::text::Span<'a>>,
    items: Vec<ratatui::text::Span<'a>>,
    indent: usize,
    width: usize,
) -> Vec<ratatui::text::Line<'a>> {
    use ratatui::text::{Line, Span};
    let mut lines = Vec::new();
    let mut used: usize = first.iter().map(|s| s.content.width()).sum();
    let mut line = first;
    let mut has_item = false;
    for item in items {
        let w = item.content.width();
        if has_item && used + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            line.push(Span::raw(" ".repeat(indent)));
            used = indent;
        }
        used += w;
        line.push(item);
        has_item = true;
    }
    lines.push(Line::from(line));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_words_and_cuts_long_ones() {
        assert_eq!(
            wrap("free employment services for all", 12),
            ["free", "employment", "services for", "all"]
        );
        assert_eq!(wrap("a\nb c", 10), ["a", "b c"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("hôpital général", 7), ["hôpital", "général"]);
    }

    #[test]
    fn packed_choices_continue_under_the_first() {
        use ratatui::text::Span;
        let items: Vec<Span> = ["[one] ", " two ", " three "].iter().map(|t| Span::raw(*t)).collect();
        let lines = pack(vec![Span::raw("Label ")], items, 6, 18);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(text, ["Label [one]  two ", "       three "]);
    }
}
