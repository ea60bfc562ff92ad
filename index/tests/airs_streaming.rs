//! The AIRS reader streams: reading an export twice as large takes no more memory. The
//! heap is measured with a counting allocator (bytes, not time), on generated exports
//! of 500 and 2,000 agencies, with every service dropped as soon as it is handed on.

mod peak_heap;

use navigator_index::import::{read_path, Format, Options};

use std::sync::atomic::Ordering;

use peak_heap::{CURRENT, PEAK};

/// An export of `agencies` agencies, each with two sites of three services.
fn export(agencies: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<Source SchemaVersion=\"3.0\">\n");
    for a in 0..agencies {
        xml.push_str(&format!(
            "<Agency><Key>{a}</Key><Name>Agency {a}</Name><AgencyDescription>Services for the community, number {a}, with a description long enough to be realistic about what agencies write.</AgencyDescription>\n<Phone TollFree=\"false\" Confidential=\"false\"><PhoneNumber>250-555-{:04}</PhoneNumber><Type>Phone1</Type></Phone>\n",
            a % 10_000
        ));
        for site in 0..2 {
            xml.push_str(&format!(
                "<Site><Key>{a}{site}</Key><Name>Site {site}</Name><PhysicalAddress Confidential=\"false\"><Line1>{site} Main St</Line1><City>Town {}</City><State>BC</State></PhysicalAddress>\n",
                a % 50
            ));
            for svc in 0..3 {
                xml.push_str(&format!(
                    "<SiteService><Name>Service {svc} of {a}</Name><Key>{a}{site}{svc}</Key><Description>Food hampers and &amp;lt;b&amp;gt;counselling&amp;lt;/b&amp;gt;.</Description><TimeOpen><Monday><From>09:00:00</From><To>17:00:00</To></Monday></TimeOpen><Taxonomy><Code>BD-1800.2000</Code></Taxonomy></SiteService>\n"
                ));
            }
            xml.push_str(
                "<SpatialLocation><Latitude>50.1</Latitude><Longitude>-120.2</Longitude></SpatialLocation></Site>\n",
            );
        }
        xml.push_str("</Agency>\n");
    }
    xml.push_str("</Source>\n");
    xml
}

/// Peak heap above the baseline while reading `agencies` agencies, and the services read.
fn peak_while_reading(agencies: usize) -> (usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xml");
    std::fs::write(&path, export(agencies)).unwrap();
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let mut services = 0;
    read_path(&path, Format::AirsXml, Options::default(), &mut |s| {
        services += 1;
        drop(s);
    })
    .unwrap();
    (PEAK.load(Ordering::Relaxed) - baseline, services)
}

#[test]
fn memory_does_not_grow_with_the_file() {
    let (small, n_small) = peak_while_reading(500);
    let (large, n_large) = peak_while_reading(2_000);
    // A service has the same name at both sites of its agency: one service each.
    assert_eq!((n_small, n_large), (1_500, 6_000));
    eprintln!("peak heap: {small} bytes for 500 agencies, {large} for 2,000");
    // The files are about 1.5 MB and 6 MB; the reader holds one agency at a time.
    assert!(large < 2 * 1024 * 1024, "peak {large} bytes");
    assert!(large < small * 2, "peak grew from {small} to {large} bytes");
}
