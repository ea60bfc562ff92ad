//! A panic inside a search is a bug to report, never taken for a damaged index (which
//! would make the caller rebuild it from the catalogue).

use navigator_index::{Engine, EngineError, SearchError, SearchRequest, Service, Synonyms};

#[test]
fn a_panicking_search_is_an_internal_error_not_damage() {
    let engine = Engine::in_memory().unwrap();
    let mut writer = engine.writer().unwrap();
    writer
        .add(&Service {
            id: "s1".into(),
            name: "Food bank".into(),
            ..Default::default()
        })
        .unwrap();
    writer.commit(1).unwrap();
    engine.reload().unwrap();
    // Past the request bounds (navigator_index::request_limits), which callers apply first:
    // tantivy cannot reserve room for this many hits and panics.
    let mut request = SearchRequest::new("food");
    request.limit = 1 << 62;
    match engine.search(&request, &Synonyms::defaults()) {
        Err(SearchError::Engine(e @ EngineError::Internal(_))) => assert!(!e.needs_rebuild()),
        Err(other) => panic!("expected an internal error, got {other}"),
        Ok(_) => panic!("expected an internal error, got results"),
    }
    // And bounded, it is a clear error before any work.
    assert!(navigator_index::request_limits::bound(&mut request).is_err());
}
