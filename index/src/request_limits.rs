//! Bounds on a search request, applied at the boundary before any work: whoever asks (the
//! command line, the app's search worker) passes its request through [`bound`] first.
//!
//! Without them a pasted page of text became a query of thousands of fuzzy clauses (112 KB
//! took 2.7 GB and 1 MB took 36 s), and `--limit 9223372036854775808` made tantivy reserve
//! room for that many hits and panic.

use crate::search::SearchRequest;

/// Most hits one request may ask for (`--limit`).
pub const MAX_LIMIT: usize = 1000;
/// Most hits a request may skip (paging).
pub const MAX_OFFSET: usize = 10_000;
/// The query is cut to this many characters...
pub const MAX_QUERY_CHARS: usize = 500;
/// ...and then to this many words.
pub const MAX_QUERY_WORDS: usize = 32;

/// A request outside the bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("--limit {0}: at most {MAX_LIMIT} results at a time")]
    Limit(usize),
    #[error("offset {0}: at most {MAX_OFFSET}")]
    Offset(usize),
}

/// What [`bound`] cut from the query text, for a note to whoever typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cut {
    /// Characters removed past [`MAX_QUERY_CHARS`].
    pub chars: usize,
    /// Words removed past [`MAX_QUERY_WORDS`].
    pub words: usize,
}

impl Cut {
    pub fn is_empty(&self) -> bool {
        self.chars == 0 && self.words == 0
    }

    /// "the query was cut to its first 32 words (500 characters)".
    pub fn note(&self) -> String {
        format!("the query was cut to its first {MAX_QUERY_WORDS} words ({MAX_QUERY_CHARS} characters)")
    }
}

/// Checks `request` against the bounds and caps its text. A limit or offset past the
/// bounds is an error; a query past them is cut (and the cut returned). A limit of 0 is
/// allowed and returns no hits (the total and facets are still counted).
pub fn bound(request: &mut SearchRequest) -> Result<Cut, RequestError> {
    if request.limit > MAX_LIMIT {
        return Err(RequestError::Limit(request.limit));
    }
    if request.offset > MAX_OFFSET {
        return Err(RequestError::Offset(request.offset));
    }
    let (text, cut) = cap_text(&request.text);
    if let Some(text) = text {
        request.text = text;
    }
    Ok(cut)
}

/// The text cut to the bounds, `None` when it already is within them.
fn cap_text(text: &str) -> (Option<String>, Cut) {
    let mut cut = Cut::default();
    let mut end = text.len();
    if let Some((i, _)) = text.char_indices().nth(MAX_QUERY_CHARS) {
        cut.chars = text[i..].chars().count();
        end = i;
    }
    let kept = &text[..end];
    let words = kept.split_whitespace().count();
    if words <= MAX_QUERY_WORDS {
        return ((cut.chars > 0).then(|| kept.to_string()), cut);
    }
    cut.words = words - MAX_QUERY_WORDS;
    let capped: Vec<&str> = kept.split_whitespace().take(MAX_QUERY_WORDS).collect();
    (Some(capped.join(" ")), cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_past_the_bounds_are_errors_and_zero_is_allowed() {
        let mut r = SearchRequest::new("food");
        r.limit = 1usize << 63;
        assert_eq!(bound(&mut r), Err(RequestError::Limit(1 << 63)));
        r.limit = MAX_LIMIT + 1;
        assert!(bound(&mut r).is_err());
        r.limit = MAX_LIMIT;
        assert_eq!(bound(&mut r), Ok(Cut::default()));
        r.limit = 0;
        assert!(bound(&mut r).is_ok());
        r.offset = MAX_OFFSET + 1;
        assert_eq!(bound(&mut r), Err(RequestError::Offset(MAX_OFFSET + 1)));
    }

    #[test]
    fn long_queries_are_cut_by_characters_then_words() {
        let mut r = SearchRequest::new("food bank sudbury");
        assert!(bound(&mut r).unwrap().is_empty());
        assert_eq!(r.text, "food bank sudbury");

        let mut r = SearchRequest::new("word ".repeat(100));
        let cut = bound(&mut r).unwrap();
        assert_eq!(cut.words, 68);
        assert_eq!(r.text.split(' ').count(), MAX_QUERY_WORDS);

        let mut r = SearchRequest::new("é".repeat(100_000));
        let cut = bound(&mut r).unwrap();
        assert_eq!(cut.chars, 100_000 - MAX_QUERY_CHARS);
        assert_eq!(r.text.chars().count(), MAX_QUERY_CHARS);
    }
}
