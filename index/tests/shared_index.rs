//! An index on disk shared by several processes and users: commits keep group permissions,
//! and long-lived readers follow commits made elsewhere without reopening.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use common::*;
use navigator_index::{Engine, SearchRequest};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn commits_in_a_setgid_dir_leave_meta_files_group_read_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let engine = Engine::create(&dir).unwrap();
    let mut w = engine.writer().unwrap();
    w.add(&svc("a", "Food Bank", "Groceries").s).unwrap();
    w.commit(1).unwrap();
    for file in ["meta.json", ".managed.json"] {
        assert_eq!(
            mode(&dir.join(file)) & 0o777,
            0o660,
            "{file} after a commit in a setgid directory"
        );
    }
}

#[test]
fn a_rebuild_in_a_shared_dir_keeps_the_index_folder_shared() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let dir = data.join("index");
    Engine::rebuild(&dir, vec![Ok(svc("a", "Food Bank", "Groceries").s)], 3, |_| {}).unwrap();
    assert_eq!(mode(&dir) & 0o2770, 0o2770, "index/ is group rwx and setgid");
    assert_eq!(mode(&dir.join("meta.json")) & 0o777, 0o660);
}

#[test]
fn a_rebuild_whose_input_fails_leaves_the_old_index_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    Engine::rebuild(&dir, vec![Ok(svc("a", "Food Bank", "Groceries").s)], 3, |_| {}).unwrap();
    let stopped = std::io::Error::other("the catalogue read stopped");
    let input = vec![
        Ok(svc("b", "Shelter", "Beds").s),
        Err(navigator_index::EngineError::Io(stopped)),
    ];
    assert!(Engine::rebuild(&dir, input, 4, |_| {}).is_err());
    let engine = Engine::open(&dir).unwrap();
    assert_eq!((engine.num_docs(), engine.commit_info().unwrap().generation), (1, 3));
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "index")
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left: {leftovers:?}");
}

#[test]
fn a_long_lived_reader_sees_another_writers_commit_within_two_seconds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let reader = Engine::create(&dir).unwrap();
    assert_eq!(reader.num_docs(), 0);

    // Another "process": its own Engine on the same folder, as an import would open it.
    let importer = Engine::open(&dir).unwrap();
    let mut w = importer.writer().unwrap();
    w.add(&svc("shelter", "Emergency Shelter", "Beds tonight").s).unwrap();
    w.commit(1).unwrap();

    let start = Instant::now();
    while reader.num_docs() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "the reader did not see the commit within 2 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let hits = find(&reader, "shelter");
    assert_eq!(hits, ["shelter"]);
    assert_eq!(reader.commit_info().map(|c| c.generation), Some(1));
    // Searching keeps working throughout.
    let results = reader
        .search(&SearchRequest::new("beds"), &navigator_index::Synonyms::defaults())
        .unwrap();
    assert_eq!(results.total, 1);
}
