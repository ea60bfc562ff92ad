//! Tests of the whole generator: the committed demo, determinism, streaming, and that
//! the output covers what navigator's categories, search and importer need.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::places::{ONTARIO_BOUNDS, PLACES};
use super::taxonomy::TERMS;
use super::*;
use crate::categories::{derive, AUDIENCES, CATEGORIES};
use crate::model::TaxonomyTerm;

fn generate(opts: SynthOptions) -> (tempfile::TempDir, SynthSummary) {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_datapackage(&opts, dir.path(), &mut |_| {}).unwrap();
    (dir, summary)
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// Rows of a CSV as column -> value maps.
fn rows(dir: &Path, file: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir.join(file)).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo")
}

#[test]
fn demo_matches_the_generator() {
    let (dir, summary) = generate(SynthOptions::DEMO);
    let demo = demo_dir();
    let regenerate = "assets/demo/ is out of date with the generator in index/src/synth/: regenerate it with \
                      `cargo run -p navigator-index --example write_demo` and commit the result";
    let mut committed: Vec<String> = std::fs::read_dir(&demo)
        .unwrap_or_else(|e| panic!("{}: {e}; {regenerate}", demo.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut expected = summary.files.clone();
    expected.sort();
    assert_eq!(committed, expected, "{regenerate}");
    let mut total = 0;
    for file in &summary.files {
        let (fresh, old) = (read(dir.path(), file), read(&demo, file));
        assert!(
            fresh == old,
            "assets/demo/{file} differs from the generator's output; {regenerate}"
        );
        total += old.len();
    }
    // The demo is embedded in the binary: keep it small.
    assert!(total < 800_000, "the demo directory grew to {total} bytes");
    assert_eq!(summary.services, 500);
}

#[test]
fn same_options_give_identical_files_and_another_seed_differs() {
    let opts = SynthOptions { services: 300, seed: 7 };
    let (a, summary) = generate(opts);
    let (b, _) = generate(opts);
    let (c, _) = generate(SynthOptions { seed: 8, ..opts });
    for file in &summary.files {
        assert!(
            read(a.path(), file) == read(b.path(), file),
            "{file} differs between two runs"
        );
    }
    assert_ne!(read(a.path(), "services.csv"), read(c.path(), "services.csv"));
    assert_ne!(read(a.path(), "locations.csv"), read(c.path(), "locations.csv"));
}

#[test]
fn a_service_is_the_same_whatever_the_corpus_size() {
    // Streaming: every table of a small corpus is a prefix of the same table of a larger one.
    let small = SynthOptions { services: 10, seed: 3 };
    let (a, summary) = generate(small);
    let (b, _) = generate(SynthOptions {
        services: 1000,
        ..small
    });
    for file in summary.files.iter().filter(|f| f.ends_with(".csv")) {
        let (short, long) = (read(a.path(), file), read(b.path(), file));
        assert!(
            long.starts_with(&short),
            "{file} of 10 services is not a prefix of {file} of 1000"
        );
    }
    // And from the generator directly, past the showcase and across blocks.
    let generator = Generator::new(3);
    for n in [1, 80, 200, 999] {
        let org = generator.org(generator.org_of(n));
        assert_eq!(
            generator.service(n, &org),
            Generator::new(3).service(n, &generator.org(generator.org_of(n)))
        );
        assert!(org.n <= n);
    }
}

#[test]
fn summary_counts_match_the_files() {
    let (dir, summary) = generate(SynthOptions {
        services: 2_345,
        seed: 5,
    });
    assert_eq!(rows(dir.path(), "services.csv").len() as u64, summary.services);
    assert_eq!(
        rows(dir.path(), "organizations.csv").len() as u64,
        summary.organizations
    );
    assert_eq!(rows(dir.path(), "locations.csv").len() as u64, summary.locations);
    for file in &summary.files {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
    // Ids are unique in every table.
    for file in summary.files.iter().filter(|f| f.ends_with(".csv")) {
        let ids: Vec<String> = rows(dir.path(), file).into_iter().map(|r| r["id"].clone()).collect();
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids in {file}");
    }
}

#[test]
fn progress_is_reported_and_ends_at_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    write_datapackage(
        &SynthOptions {
            services: 25_000,
            seed: 1,
        },
        dir.path(),
        &mut |n| seen.push(n),
    )
    .unwrap();
    assert_eq!(seen, [10_000, 20_000, 25_000]);
}

fn terms_of(record: &Record) -> Vec<TaxonomyTerm> {
    record
        .terms
        .iter()
        .map(|t| TaxonomyTerm {
            code: TERMS[*t].0.into(),
            name: TERMS[*t].1.into(),
            vocabulary: Some("AIRS".into()),
        })
        .collect()
}

#[test]
fn every_category_and_audience_is_reachable_in_the_demo() {
    let generator = Generator::new(SynthOptions::DEMO.seed);
    let (mut categories, mut audiences) = (BTreeSet::new(), BTreeSet::new());
    let mut uncoded = 0;
    for n in 1..=SynthOptions::DEMO.services {
        let record = generator.service(n, &generator.org(generator.org_of(n)));
        let derived = derive(
            &terms_of(&record),
            &[&record.name, &record.description, &record.eligibility],
        );
        assert!(
            !derived.categories.is_empty(),
            "{} {:?} has no category",
            record.id,
            record.name
        );
        uncoded += usize::from(record.terms.is_empty());
        categories.extend(derived.categories);
        audiences.extend(derived.audiences);
    }
    for c in CATEGORIES {
        assert!(categories.contains(c.slug), "no demo service in category {}", c.slug);
    }
    for a in AUDIENCES {
        assert!(audiences.contains(a.slug), "no demo service for audience {}", a.slug);
    }
    assert!((10..=45).contains(&uncoded), "{uncoded} services without codes");
}

#[test]
fn every_kind_says_in_words_what_its_codes_say() {
    // Services without codes get their categories from words, in both languages.
    let generator = Generator::new(1);
    for kind in generator.kinds() {
        let terms: Vec<TaxonomyTerm> = kind
            .codes
            .iter()
            .map(|c| TaxonomyTerm {
                code: c.to_string(),
                ..Default::default()
            })
            .collect();
        let coded = derive(&terms, &[]);
        let mut expected = coded.categories.clone();
        if expected.is_empty() {
            // No code prefix maps to these categories: the audience code tells which.
            expected.push(
                if kind.codes.iter().any(|c| c.starts_with("YF")) {
                    "disability"
                } else {
                    "newcomers"
                }
                .into(),
            );
        }
        for text in [&kind.en, &kind.fr] {
            for desc in text.desc {
                let words = derive(&[], &[text.name, desc, text.eligibility]);
                for category in &expected {
                    assert!(
                        words.categories.contains(category),
                        "{} {:?} + {desc:?}: {category} not inferred",
                        kind.key,
                        text.name
                    );
                }
                for audience in &coded.audiences {
                    if audience != "children" {
                        assert!(
                            words.audiences.contains(audience),
                            "{} {:?}: audience {audience} not in words",
                            kind.key,
                            text.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn demo_has_the_search_vocabulary() {
    let demo = demo_dir();
    let services = rows(&demo, "services.csv");
    let text: String = services
        .iter()
        .map(|r| {
            format!(
                "{} | {} | {}\n",
                r["name"], r["description"], r["eligibility_description"]
            )
            .to_lowercase()
        })
        .collect();
    for phrase in [
        "food bank",
        "food pantry",
        "community meals",
        "emergency shelter",
        "youth shelter",
        "rent assistance",
        "rent bank",
        "mental health counselling",
        "crisis line",
        "legal clinic",
        "employment services",
        "child care",
        "settlement services for newcomers",
        "harm reduction",
        "seniors' day program",
        "banque alimentaire",
        "hôpital",
        "centre de santé communautaire",
        "refuge d'urgence",
        "aide au loyer",
        "services d'établissement",
        "counselling en santé mentale",
        "ligne de crise",
        "clinique juridique",
        "women and children",
        "indigenous families",
    ] {
        assert!(text.contains(phrase), "no demo service mentions {phrase:?}");
    }
}

#[test]
fn demo_has_the_variety_of_a_real_directory() {
    let demo = demo_dir();
    let services = rows(&demo, "services.csv");
    let n = services.len();
    let share = |count: usize| count * 100 / n;

    let languages = rows(&demo, "languages.csv");
    let french: BTreeSet<&str> = languages
        .iter()
        .filter(|r| r["code"] == "fr")
        .map(|r| r["service_id"].as_str())
        .collect();
    let french_text = services
        .iter()
        .filter(|r| r["fees_description"] == "Gratuit" || r["description"].contains(" à "))
        .count();
    assert!(
        (15..=28).contains(&share(french_text)),
        "{}% French services",
        share(french_text)
    );
    assert!(french.len() >= french_text, "French services must list French");
    let codes: BTreeSet<&str> = languages.iter().map(|r| r["code"].as_str()).collect();
    for code in ["en", "fr", "es", "ar", "zh", "pa", "oj", "cr"] {
        assert!(codes.contains(code), "no service offers language {code}");
    }

    // Every municipality, with French mostly in francophone communities.
    let addresses = rows(&demo, "addresses.csv");
    let cities: BTreeSet<&str> = addresses.iter().map(|r| r["city"].as_str()).collect();
    for place in PLACES {
        assert!(cities.contains(place.name), "no location in {}", place.name);
    }
    assert!(addresses
        .iter()
        .all(|r| r["state_province"] == "ON" && r["country"] == "CA"));

    // Coordinates inside Ontario, and some locations without them.
    let locations = rows(&demo, "locations.csv");
    let (south, north, west, east) = ONTARIO_BOUNDS;
    let mut without = 0;
    for loc in &locations {
        if loc["latitude"].is_empty() {
            assert!(loc["longitude"].is_empty());
            without += 1;
            continue;
        }
        let lat: f64 = loc["latitude"].parse().unwrap();
        let lon: f64 = loc["longitude"].parse().unwrap();
        assert!(lat > f64::from(south) / 1e6 && lat < f64::from(north) / 1e6, "{loc:?}");
        assert!(lon > f64::from(west) / 1e6 && lon < f64::from(east) / 1e6, "{loc:?}");
    }
    assert!(
        (5..=20).contains(&(without * 100 / locations.len())),
        "{without} of {} locations without coordinates",
        locations.len()
    );

    // Hours: mostly known, some unknown, some around the clock, some at weekends and evenings.
    let schedules = rows(&demo, "schedules.csv");
    let with_hours: BTreeSet<&str> = schedules.iter().map(|r| r["service_id"].as_str()).collect();
    assert!(
        (4..=16).contains(&(100 - share(with_hours.len()))),
        "{} of {n} services with hours",
        with_hours.len()
    );
    assert!(schedules
        .iter()
        .any(|r| r["opens_at"] == "00:00" && r["closes_at"] == "24:00" && r["byday"].contains("SU")));
    assert!(schedules.iter().any(|r| r["byday"] == "SA" || r["byday"] == "SA,SU"));
    assert!(schedules.iter().any(|r| r["opens_at"].as_str() >= "17:00"));
    assert!(schedules.iter().all(|r| r["freq"] == "WEEKLY"));

    // Fees, ages, documents, dates, phones, several locations.
    assert!(services.iter().any(|r| r["fees_description"] == "Free"));
    assert!(services.iter().any(|r| r["fees_description"] == "Gratuit"));
    assert!(services.iter().any(|r| r["fees_description"].starts_with('$')));
    assert!(!rows(&demo, "cost_options.csv").is_empty());
    assert!(services.iter().any(|r| r["minimum_age"] == "65"));
    assert!(services.iter().any(|r| r["maximum_age"] == "24"));
    assert!(!rows(&demo, "required_documents.csv").is_empty());
    assert!(!rows(&demo, "accessibility.csv").is_empty());
    let old = services
        .iter()
        .filter(|r| r["assured_date"].as_str() < "2025-11-01")
        .count();
    assert!(
        (25..=60).contains(&share(old)),
        "{}% verified more than a year ago",
        share(old)
    );
    let links = rows(&demo, "service_at_location.csv");
    assert!(links.len() > n, "some services have two locations");
    let phones = rows(&demo, "phones.csv");
    for kind in ["voice", "fax", "textphone"] {
        assert!(phones.iter().any(|r| r["type"] == kind), "no {kind} phone");
    }
}

#[test]
fn phone_numbers_are_fictional_nanp_numbers_of_ontario_area_codes() {
    let (dir, _) = generate(SynthOptions {
        services: 3_000,
        seed: 9,
    });
    let area_codes: BTreeSet<&str> = PLACES.iter().flat_map(|p| p.area_codes.iter().copied()).collect();
    for phone in rows(dir.path(), "phones.csv") {
        let number = phone["number"].as_bytes();
        assert_eq!(number.len(), 12, "{phone:?}");
        let (area, rest) = phone["number"].split_at(3);
        assert!(
            area_codes.contains(area) && (b'2'..=b'9').contains(&number[0]),
            "{phone:?}"
        );
        assert!(
            rest.starts_with("-555-01") && number[10..].iter().all(u8::is_ascii_digit),
            "{phone:?}"
        );
    }
}

#[test]
fn coordinates_stay_inside_ontario_at_scale() {
    let (south, north, west, east) = ONTARIO_BOUNDS;
    let generator = Generator::new(42);
    for n in (1..200_000).step_by(37) {
        let org = generator.org(generator.org_of(n));
        let record = generator.service(n, &org);
        for loc in std::iter::once(&org.main).chain(&record.new_locations) {
            if let Some((lat, lon)) = loc.coordinates {
                assert!(lat > south && lat < north && lon > west && lon < east, "{loc:?}");
            }
        }
    }
}

#[test]
fn the_demo_imports_without_problems() {
    let import = crate::import::import_path(&demo_dir(), crate::import::Format::Auto).unwrap();
    let problems: Vec<String> = import.report.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        problems.is_empty(),
        "{} problems, first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
    assert_eq!(import.report.services_read, 500);
    assert_eq!(import.services.len(), 500);
    let svc = import.services.iter().find(|s| s.id == "svc-000001").unwrap();
    assert!(svc.name.starts_with("Food Bank"));
    assert!(svc.municipality().is_some());
    assert!(!svc.phones.is_empty());
}
