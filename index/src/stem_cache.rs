//! A stemmer that remembers the words it stemmed. A directory's vocabulary is small (tens
//! of thousands of words) and every service repeats it, while a Snowball stemmer works
//! each word out from its letters every time: stemming was an eighth of an import's CPU.
//! The stems are exactly tantivy's (the same `frostem` algorithm, pinned with tantivy).

use std::borrow::Cow;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::fast_map::FastMap;
use crate::schema::StemLanguage;

/// Words remembered per analyzer before the cache starts over: bounds its memory (about
/// 60 bytes a word) whatever an export holds (codes, misspellings, names).
const MAX_WORDS: usize = 50_000;

/// The `Stemmer` token filter, with a cache of the stems per analyzer.
#[derive(Clone)]
pub struct CachedStemmer {
    algorithm: frostem::Algorithm,
}

impl CachedStemmer {
    /// The stemmer of one of the directory's languages (the same algorithm tantivy's
    /// `Stemmer` runs for it).
    pub fn new(language: StemLanguage) -> CachedStemmer {
        let algorithm = match language {
            StemLanguage::English => frostem::Algorithm::English,
            StemLanguage::French => frostem::Algorithm::French,
            StemLanguage::Spanish => frostem::Algorithm::Spanish,
        };
        CachedStemmer { algorithm }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            algorithm: self.algorithm,
            inner,
            stems: FastMap::default(),
        }
    }
}

pub struct CachedStemmerFilter<T> {
    algorithm: frostem::Algorithm,
    inner: T,
    stems: FastMap<Box<str>, Box<str>>,
}

/// A copy starts with an empty cache: tantivy clones an analyzer for each field of each
/// segment it writes, and the copies go to other threads.
impl<T: Clone> Clone for CachedStemmerFilter<T> {
    fn clone(&self) -> Self {
        CachedStemmerFilter {
            algorithm: self.algorithm,
            inner: self.inner.clone(),
            stems: FastMap::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(self.algorithm),
            stems: &mut self.stems,
        }
    }
}

pub struct CachedStemStream<'a, T> {
    tail: T,
    stemmer: frostem::Stemmer,
    stems: &'a mut FastMap<Box<str>, Box<str>>,
}

impl<T: TokenStream> TokenStream for CachedStemStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem: Box<str> = match self.stemmer.stem(&token.text) {
            Cow::Owned(s) => s.into(),
            Cow::Borrowed(s) => s.into(),
        };
        if self.stems.len() >= MAX_WORDS {
            self.stems.clear();
        }
        let word = std::mem::take(&mut token.text).into_boxed_str();
        token.text.push_str(&stem);
        self.stems.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{AsciiFoldingFilter, Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;
    use crate::analysis::tokens;

    fn analyzer(language: StemLanguage, cached: bool) -> TextAnalyzer {
        let builder = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        if cached {
            builder.filter(CachedStemmer::new(language)).build()
        } else {
            let tantivys = match language {
                StemLanguage::English => Language::English,
                StemLanguage::French => Language::French,
                StemLanguage::Spanish => Language::Spanish,
            };
            builder.filter(Stemmer::new(tantivys)).build()
        }
    }

    /// Every stem is tantivy's, the first time a word is seen and every time after, in
    /// each language, and after the cache started over.
    #[test]
    fn stems_are_tantivys_whether_remembered_or_not() {
        let text = "Banques alimentaires, food banks and bancos de alimentos: counselling, \
                    counseling, hôpitaux, hospitales, hospitals; running runs ran";
        for language in StemLanguage::ALL {
            let mut plain = analyzer(language, false);
            let mut cached = analyzer(language, true);
            let expected = tokens(&mut plain, text);
            for _ in 0..3 {
                assert_eq!(tokens(&mut cached, text), expected, "{language:?}");
            }
            let mut copy = cached.clone();
            assert_eq!(tokens(&mut copy, text), expected, "{language:?}, a copy");
        }
    }

    #[test]
    fn the_cache_starts_over_when_full_and_stems_stay_right() {
        let mut plain = analyzer(StemLanguage::English, false);
        let mut cached = analyzer(StemLanguage::English, true);
        let words: String = (0..MAX_WORDS + 10).map(|i| format!("walking{i} ")).collect();
        assert_eq!(tokens(&mut cached, &words), tokens(&mut plain, &words));
        assert_eq!(
            tokens(&mut cached, "walking walked"),
            tokens(&mut plain, "walking walked")
        );
    }
}
