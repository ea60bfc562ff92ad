//! Human output: aligned plain-text tables. Every cell passes through the sanitizer, so a
//! directory record can never put an escape sequence on the user's terminal.

use std::io::{IsTerminal, Write};

use navigator_index::text::sanitize;

/// Writes `text` and a line break to stdout. A reader that went away (`| head -1`, a
/// closed pipe) is not an error worth a panic or a message: what was asked for is shown
/// as far as anyone reads it, which is what `println!` would have turned into a panic.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.write_all(b"\n"));
}

/// Writes `bytes` to stdout as they are, ignoring a reader that went away (see [`line`]).
pub fn bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

/// Width to fit tables into: the terminal's when stdout is one, else 100.
pub fn width() -> usize {
    if std::io::stdout().is_terminal() {
        if let Some(cols) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
            return cols;
        }
        // SAFETY: TIOCGWINSZ fills a winsize struct we own; on failure we use the default.
        let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
        if unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0 && ws.ws_col > 0 {
            return ws.ws_col as usize;
        }
    }
    100
}

/// "1 contact", "2 contacts": the count with the word in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// 1340 as "1,340".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` with thousands separators, and "+" when it is only a lower bound ("20,000+": the
/// search stopped counting there).
pub fn count_at_least(n: usize, lower_bound: bool) -> String {
    let plus = if lower_bound { "+" } else { "" };
    format!("{}{plus}", thousands(n))
}

/// Cuts `text` to `width` characters, marking the cut with "…".
pub fn fit(text: &str, width: usize) -> String {
    fit_with(text, width, '…')
}

/// Cuts `text` to `width` characters, marking the cut with `mark` ("~" for ASCII screens).
pub fn fit_with(text: &str, width: usize, mark: char) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push(mark);
    out
}

/// A table whose columns shrink (the flexible ones first) to fit `total` characters.
pub struct Table {
    headers: Vec<&'static str>,
    /// Columns that may shrink, widest first when space runs out.
    flexible: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[(&'static str, bool)]) -> Table {
        Table {
            headers: columns.iter().map(|c| c.0).collect(),
            flexible: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; values are sanitized here.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.iter().map(|c| sanitize(c)).collect());
    }

    pub fn write(&self, out: &mut impl Write, total: usize) -> std::io::Result<()> {
        let n = self.headers.len();
        let mut widths: Vec<usize> = (0..n)
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain([self.headers[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let gaps = 2 * (n.saturating_sub(1));
        while widths.iter().sum::<usize>() + gaps > total {
            let widest = (0..n)
                .filter(|&i| self.flexible[i] && widths[i] > 8)
                .max_by_key(|&i| widths[i]);
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
        let line = |cells: Vec<String>| {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let cell = fit(cell, widths[i]);
                if i + 1 == n {
                    s.push_str(&cell);
                } else {
                    s.push_str(&format!("{cell:<w$}  ", w = widths[i]));
                }
            }
            s.trim_end().to_string()
        };
        writeln!(out, "{}", line(self.headers.iter().map(|h| h.to_string()).collect()))?;
        for row in &self.rows {
            writeln!(out, "{}", line(row.clone()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_fits_and_sanitizes() {
        let mut t = Table::new(&[("Name", true), ("City", false)]);
        t.row(vec!["A very long service name indeed".into(), "Sudbury".into()]);
        t.row(vec!["Evil\u{1b}[2J".into(), "Kenora".into()]);
        let mut out = Vec::new();
        t.write(&mut out, 30).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Name                   City");
        assert_eq!(lines[1], "A very long service …  Sudbury");
        assert_eq!(lines[2], "Evil                   Kenora");
        assert!(lines.iter().all(|l| l.chars().count() <= 30));
        assert!(!text.contains('\u{1b}'));
    }
}
