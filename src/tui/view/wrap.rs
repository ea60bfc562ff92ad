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
}
