//! A query wrapper that adds a constant to the score of every document it matches.
//!
//! Relaxed matching ranks services by how many of the query's words they match before how
//! well: each word's clause gets a bonus far above any text score, so the score's integer
//! part (in units of the bonus) counts the words matched. tantivy has a multiplying boost
//! and a constant score, but nothing that keeps the relevance and adds to it.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Matches what `query` matches; scores `query`'s score plus `bonus`.
pub struct BonusQuery {
    query: Box<dyn Query>,
    bonus: Score,
}

impl BonusQuery {
    pub fn new(query: Box<dyn Query>, bonus: Score) -> BonusQuery {
        BonusQuery { query, bonus }
    }
}

impl Clone for BonusQuery {
    fn clone(&self) -> Self {
        BonusQuery {
            query: self.query.box_clone(),
            bonus: self.bonus,
        }
    }
}

impl fmt::Debug for BonusQuery {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Bonus(+{}, {:?})", self.bonus, self.query)
    }
}

impl Query for BonusQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.query.weight(enable_scoring)?;
        if !enable_scoring.is_scoring_enabled() {
            return Ok(inner);
        }
        Ok(Box::new(BonusWeight {
            inner,
            bonus: self.bonus,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor)
    }
}

struct BonusWeight {
    inner: Box<dyn Weight>,
    bonus: Score,
}

impl Weight for BonusWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(BonusScorer {
            inner: self.inner.scorer(reader, boost)?,
            bonus: self.bonus * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut e = Explanation::new_with_string(format!("Bonus +{} to ...", self.bonus), inner.value() + self.bonus);
        e.add_detail(inner);
        Ok(e)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct BonusScorer {
    inner: Box<dyn Scorer>,
    bonus: Score,
}

impl DocSet for BonusScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for BonusScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.bonus
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn documents_matching_more_clauses_rank_first_whatever_their_text_score() {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer(15_000_000).unwrap();
        w.add_document(doc!(body => "lawyer lawyer lawyer lawyer")).unwrap();
        w.add_document(doc!(body => "a lawyer who helps with an eviction, among many other things"))
            .unwrap();
        w.add_document(doc!(body => "nothing here")).unwrap();
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let word = |t: &str| -> Box<dyn Query> {
            Box::new(BonusQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(body, t),
                    IndexRecordOption::WithFreqs,
                )),
                1000.0,
            ))
        };
        let q = BooleanQuery::new(vec![(Occur::Should, word("lawyer")), (Occur::Should, word("eviction"))]);
        let top = searcher.search(&q, &TopDocs::with_limit(3).order_by_score()).unwrap();
        assert_eq!(top.len(), 2);
        assert_eq!(top[0].1.doc_id, 1, "both words beat one word many times");
        assert_eq!((top[0].0 / 1000.0).floor(), 2.0);
        assert_eq!((top[1].0 / 1000.0).floor(), 1.0);
    }
}
