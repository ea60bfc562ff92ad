//! The AIRS importer on the standard's own sample instances and two real BC 211 exports
//! in `../shared/data/airs-xml` (set `NAVIGATOR_SHARED_DATA` to look elsewhere). Each
//! test skips, saying so, when the data is not there.

mod shared_data;

use std::path::PathBuf;

use shared_data::shared;

use navigator_index::import::{import_path, import_path_with, Format, Options, ProblemKind};

fn airs(name: &str) -> Option<PathBuf> {
    shared(&format!("airs-xml/{name}"))
}

#[test]
fn bc_211s_service_at_two_sites_is_one_service() {
    let Some(path) = airs("bc211-service-at-two-sites-3.0.xml") else {
        return;
    };
    let import = import_path(&path, Format::Auto).unwrap();
    assert_eq!(import.report.format, "airs-xml 3.0");
    assert_eq!(import.report.services_read, 26, "SiteService elements");
    assert_eq!(import.services.len(), 23);
    let rosewood: Vec<_> = import.services.iter().filter(|s| s.name == "Rosewood Manor").collect();
    assert_eq!(rosewood.len(), 1);
    let sites: Vec<&str> = rosewood[0].locations.iter().map(|l| l.id.as_deref().unwrap()).collect();
    assert_eq!(sites, ["9493390", "53489235"]);
    for s in &import.services {
        assert_eq!(s.organization.name, "Vancouver Coastal Health (VCH) - Richmond");
        // No placeholder phone survives; HTML is gone from every description.
        assert!(s.phones.iter().all(|p| !p.number.is_empty()), "{}", s.id);
        let d = s.description.as_deref().unwrap_or("");
        assert!(
            !d.contains('<') && !d.contains("&lt;") && !d.contains("&amp;") && !d.contains("&#39;"),
            "{d}"
        );
        assert!(s.coordinates().is_some(), "{}: coordinates from SpatialLocation", s.id);
        assert_eq!(s.last_verified.as_deref().map(|d| d.len()), Some(10));
    }
    let health = import.services.iter().find(|s| s.id == "9492593").unwrap();
    assert!(health
        .description
        .as_deref()
        .unwrap()
        .contains("Prenatal and Early Years services"));
    assert!(health
        .taxonomy
        .iter()
        .any(|t| t.vocabulary.as_deref() == Some("custom") && t.name == "IMMUNIZATION - Children"));
    assert!(health.taxonomy.iter().any(|t| t.code == "JP-6600"));
    assert!(import.report.problems.iter().all(|p| p.kind != ProblemKind::Skipped));
}

#[test]
fn bc_211s_one_agency_and_the_standard_samples_import() {
    if let Some(path) = airs("bc211-one-agency-3.0.xml") {
        let import = import_path(&path, Format::Auto).unwrap();
        assert_eq!(import.services.len(), 1);
        assert!(import.services[0].taxonomy.len() > 5);
    }
    if let Some(path) = airs("airs-3.0-instance.xml") {
        // ISO-8859-1, "AIRS3.0", 0/1 booleans, hours only as notes ("Mon-Fri 9 am-5 pm").
        let import = import_path(&path, Format::Auto).unwrap();
        assert_eq!(import.report.format, "airs-xml 3.0");
        assert_eq!(import.services.len(), 5);
        let women = import.services.iter().find(|s| s.id == "85877776811316").unwrap();
        assert_eq!(women.schedules.len(), 5);
        assert!(women.phones.iter().any(|p| p.toll_free && p.number == "8005220925"));
        assert_eq!(women.categories, ["legal"]);
    }
    if let Some(path) = airs("airs-3.1-maximal.xml") {
        // Every record of the sample is marked delete="true": counted, kept only on request.
        let import = import_path(&path, Format::Auto).unwrap();
        assert_eq!(import.report.format, "airs-xml 3.1");
        assert!(import.services.is_empty());
        assert_eq!(import.report.excluded.get("inactive"), Some(&4));
        let all = import_path_with(
            &path,
            Format::Auto,
            Options {
                include_inactive: true,
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(all.services.len(), 4);
        let pediatric = all.services.iter().find(|s| s.id == "544443").unwrap();
        assert!(pediatric.phones[0].toll_free);
        assert_eq!(pediatric.min_age, Some(18));
        assert_eq!(pediatric.schedules.len(), 5);
    }
}
