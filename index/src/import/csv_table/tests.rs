use super::*;

fn rows(table: &Table, cols: &[&str]) -> Vec<(u64, Vec<String>)> {
    let cols: Vec<Col> = cols.iter().map(|c| table.col(c)).collect();
    let mut out = Vec::new();
    table.for_each_row(&mut Problems::default(), |row, _| {
        out.push((row.line, cols.iter().map(|&c| row.get(c).to_string()).collect()));
    });
    out
}

#[test]
fn reads_bom_crlf_and_case_insensitive_headers() {
    let mut p = Problems::default();
    let t = Table::from_bytes(
        b"\xef\xbb\xbfID, Name ,\r\n1,Food bank ,x\r\n\r\n2,\"Two\r\nlines\",y\r\n".to_vec(),
        "services.csv",
        Some("service"),
        &mut p,
    );
    assert_eq!(
        rows(&t, &["id", "name"]),
        [
            (2, vec!["1".into(), "Food bank".into()]),
            (4, vec!["2".into(), "Two\r\nlines".into()])
        ]
    );
    assert!(p.list.is_empty());
}

#[test]
fn crlf_lines_are_where_records_start() {
    let mut p = Problems::default();
    let t = Table::from_bytes(b"a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n5,6".to_vec(), "x.csv", None, &mut p);
    let lines: Vec<u64> = rows(&t, &["a"]).into_iter().map(|r| r.0).collect();
    assert_eq!(lines, [2, 3, 5]);
}

#[test]
fn cr_only_files_count_lines() {
    let mut p = Problems::default();
    let t = Table::from_bytes(b"id,name\r1,A\r2,B\r".to_vec(), "x.csv", None, &mut p);
    assert_eq!(rows(&t, &["name"]), [(2, vec!["A".into()]), (3, vec!["B".into()])]);
}

/// Rows and the problems reading them reported.
fn read(bytes: &[u8], limits: Limits) -> (Vec<(u64, Vec<String>)>, Vec<String>) {
    let mut p = Problems::with_limits(limits);
    let t = Table::from_bytes(bytes.to_vec(), "x.csv", None, &mut p);
    let cols: Vec<Col> = t.headers.iter().map(|h| t.col(h)).collect();
    let mut out = Vec::new();
    t.for_each_row(&mut p, |row, _| {
        out.push((row.line, cols.iter().map(|&c| row.get(c).to_string()).collect()));
    });
    (out, p.list.iter().map(|p| p.to_string()).collect())
}

#[test]
fn windows_1252_is_repaired_record_by_record_and_utf8_is_left_alone() {
    let (rows, problems) = read(
        b"id,name\n1,M\xc3\xa9tis\n2,Caf\xe9 \x96 Bistro\n3,R\xc3\xa9gie\n4,R\xe9gie\n",
        Limits::default(),
    );
    let names: Vec<&str> = rows.iter().map(|r| r.1[1].as_str()).collect();
    assert_eq!(names, ["Métis", "Café – Bistro", "Régie", "Régie"]);
    assert_eq!(
        problems,
        [
            "x.csv:3: name: not valid UTF-8; read as Windows-1252",
            "x.csv:5: name: not valid UTF-8; read as Windows-1252"
        ]
    );
}

#[test]
fn fields_and_records_over_the_limits_and_nul_bytes() {
    let limits = Limits {
        max_field_bytes: 10,
        max_record_bytes: 15,
    };
    let (rows, problems) = read(
        b"id,name,url\n1,short,x\n2,much too long a name,x\n3,a\x00b,x\n4,abcdefghij,abcdefghij\n5,ok,x\n",
        limits,
    );
    assert_eq!(
        rows.iter().map(|r| (r.0, r.1[1].as_str())).collect::<Vec<_>>(),
        [(2, "short"), (3, ""), (4, "ab"), (6, "ok")]
    );
    assert_eq!(
        problems,
        [
            "x.csv:3: name: too long (20 bytes, limit 10)",
            "x.csv:4: name: NUL bytes removed",
            "x.csv:5: record too long (21 bytes, limit 15)"
        ]
    );
}

#[test]
fn a_quote_never_closed_is_reported_and_the_lines_after_it_read() {
    let (rows, problems) = read(
        b"id,name,url\n1,A,x\n2,\"B is broken,x\n3,C,x\n4,D,x\n",
        Limits::default(),
    );
    let ids: Vec<&str> = rows.iter().map(|r| r.1[0].as_str()).collect();
    assert_eq!(ids, ["1", "3", "4"]);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("x.csv:3: unbalanced quote: the quoted value that starts on this line runs to the end"),
        "{problems:?}"
    );
}

#[test]
fn two_stray_quotes_that_swallow_rows_between_them() {
    let (rows, problems) = read(
        b"id,name,url\n1,\"A,x\n2,B,x\n3,C,x\n4,D\",x\n5,E,x\n",
        Limits::default(),
    );
    let ids: Vec<&str> = rows.iter().map(|r| r.1[0].as_str()).collect();
    assert!(
        ids.contains(&"2") && ids.contains(&"3") && ids.contains(&"5"),
        "{ids:?} {problems:?}"
    );
    assert!(problems[0].starts_with("x.csv:2: unbalanced quote"), "{problems:?}");
}

#[test]
fn a_multiline_description_is_not_a_stray_quote() {
    let (rows, problems) = read(
        b"id,name,description\n1,A,\"first line, with a comma\nsecond line\nthird, and more\"\n2,B,x\n",
        Limits::default(),
    );
    assert_eq!(rows.len(), 2);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn prefixed_and_uuid_columns_resolve() {
    let mut p = Problems::default();
    let t = Table::from_bytes(
        b"service_uuid,organization_uuid,service_name,,\n".to_vec(),
        "s.csv",
        Some("service"),
        &mut p,
    );
    assert_eq!(t.col("id"), Some(0));
    assert_eq!(t.col("organization_id"), Some(1));
    assert_eq!(t.col("name"), Some(2));
    assert_eq!(t.col("description"), None);
}

#[test]
fn short_rows_read_missing_cells_as_empty() {
    let mut p = Problems::default();
    let t = Table::from_bytes(b"id,name,url\n1,A\n".to_vec(), "x.csv", None, &mut p);
    assert_eq!(
        rows(&t, &["id", "url", "email"]),
        [(2, vec!["1".into(), "".into(), "".into()])]
    );
}

#[test]
fn records_are_read_again_by_their_offsets_from_a_mapped_file() {
    let mut data = String::from("\u{feff}id,text\r\n");
    for i in 0..40_000 {
        data.push_str(&format!("{i},\"a value, with a comma\nand a line break\"\r\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(&path, data).unwrap();
    let t = Table::load(&path, "x.csv", None, &mut Problems::default()).unwrap();
    let (id, text) = (t.col("id"), t.col("text"));
    let mut rows = Vec::new();
    t.for_each_row(&mut Problems::default(), |row, _| {
        rows.push((row.offset, row.line, row.get(id).to_string()))
    });
    assert_eq!(rows.len(), 40_000);
    assert_eq!(rows[39_999].1, 80_000, "two lines a row after the header");
    let mut reader = t.reader_at();
    // Backwards, so that every read seeks.
    for (offset, _, expected) in rows.iter().rev() {
        let record = reader.record_at(*offset).unwrap();
        let row = Row::new(&record, 0);
        assert_eq!(row.get(id), expected);
        assert_eq!(row.get(text), "a value, with a comma\nand a line break");
    }
}

#[test]
fn a_mapped_file_with_bare_cr_line_endings_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    // Bare CRs across the scan's 4 MiB pieces, and one CRLF file for contrast.
    let mut data = String::from("id,name\r");
    while data.len() < (9 << 20) {
        data.push_str("1,A\r");
    }
    std::fs::write(&path, &data).unwrap();
    let t = Table::load(&path, "x.csv", None, &mut Problems::default()).unwrap();
    let mut lines = Vec::new();
    t.for_each_row(&mut Problems::default(), |row, _| lines.push(row.line));
    assert_eq!(lines.len(), data.matches('\r').count() - 1);
    assert_eq!(lines[..3], [2, 3, 4]);

    std::fs::write(&path, "id,name\r\n1,A\r\n2,B\r\n").unwrap();
    let t = Table::load(&path, "x.csv", None, &mut Problems::default()).unwrap();
    let mut lines = Vec::new();
    t.for_each_row(&mut Problems::default(), |row, _| lines.push(row.line));
    assert_eq!(lines, [2, 3]);
}
