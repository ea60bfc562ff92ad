//! A small hand-made catalogue for search tests: every service is built here in code, so a
//! test can say exactly which service it expects and why.

#![allow(dead_code)]

use navigator_index::hours::parse_time;
use navigator_index::{
    Address, Engine, Language, Location, Organization, SearchRequest, SearchResults, Service, Synonyms, TaxonomyTerm,
    Weekday, WeeklyHours,
};

pub struct Svc {
    pub s: Service,
}

pub fn svc(id: &str, name: &str, description: &str) -> Svc {
    Svc {
        s: Service {
            id: id.into(),
            name: name.into(),
            description: Some(description.into()),
            organization: Organization {
                name: format!("{name} Org"),
                ..Default::default()
            },
            text_language: Some("en".into()),
            ..Default::default()
        },
    }
}

impl Svc {
    pub fn fr(mut self) -> Svc {
        self.s.text_language = Some("fr".into());
        self
    }
    pub fn at(mut self, city: &str, lat: Option<f64>, lon: Option<f64>) -> Svc {
        self.s.locations.push(Location {
            address: Some(Address {
                city: Some(city.into()),
                lines: vec!["1 Main St".into()],
                ..Default::default()
            }),
            latitude: lat,
            longitude: lon,
            ..Default::default()
        });
        self
    }
    pub fn cat(mut self, slug: &str) -> Svc {
        self.s.categories.push(slug.into());
        self
    }
    pub fn aud(mut self, slug: &str) -> Svc {
        self.s.audiences.push(slug.into());
        self
    }
    pub fn lang(mut self, code: &str) -> Svc {
        let (code, name) = navigator_index::languages::resolve(code).unwrap();
        self.s.languages.push(Language { code, name });
        self
    }
    pub fn free(mut self) -> Svc {
        self.s.free = Some(true);
        self
    }
    pub fn accessible(mut self) -> Svc {
        self.s.wheelchair_accessible = Some(true);
        self
    }
    pub fn ages(mut self, min: Option<u8>, max: Option<u8>) -> Svc {
        self.s.min_age = min;
        self.s.max_age = max;
        self
    }
    pub fn hours(mut self, days: &[Weekday], opens: &str, closes: &str) -> Svc {
        for &weekday in days {
            self.s.schedules.push(WeeklyHours {
                weekday,
                opens: parse_time(opens).unwrap(),
                closes: parse_time(closes).unwrap(),
            });
        }
        self
    }
    pub fn tz(mut self, zone: &str) -> Svc {
        self.s.timezone = Some(zone.into());
        self
    }
    pub fn es(mut self) -> Svc {
        self.s.text_language = Some("es".into());
        self
    }
    /// The organization's name ("" for none).
    pub fn org(mut self, name: &str) -> Svc {
        self.s.organization.name = name.into();
        self
    }
    /// The postal code of the last location added.
    pub fn postal(mut self, code: &str) -> Svc {
        if let Some(address) = self.s.locations.last_mut().and_then(|l| l.address.as_mut()) {
            address.postal_code = Some(code.into());
        }
        self
    }
    pub fn broader(mut self, name: &str) -> Svc {
        self.s.broader_terms.push(name.into());
        self
    }
    pub fn code(mut self, code: &str, name: &str) -> Svc {
        self.s.taxonomy.push(TaxonomyTerm {
            code: code.into(),
            name: name.into(),
            vocabulary: None,
        });
        self
    }
}

pub fn engine(services: Vec<Svc>) -> Engine {
    let engine = Engine::in_memory().unwrap();
    index(&engine, services);
    engine
}

/// An engine with search settings (languages, home area, time zone).
pub fn engine_with(services: Vec<Svc>, settings: navigator_index::SearchSettings) -> Engine {
    let mut engine = Engine::in_memory().unwrap();
    engine.set_settings(settings);
    index(&engine, services);
    engine
}

fn index(engine: &Engine, services: Vec<Svc>) {
    let mut w = engine.writer().unwrap();
    for s in services {
        w.add(&s.s).unwrap();
    }
    w.commit(1).unwrap();
    engine.reload().unwrap();
}

pub fn search(engine: &Engine, request: &SearchRequest) -> SearchResults {
    engine.search(request, &Synonyms::defaults()).unwrap()
}

pub fn ids(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.service.id.clone()).collect()
}

pub fn find(engine: &Engine, text: &str) -> Vec<String> {
    ids(&search(engine, &SearchRequest::new(text)))
}

/// The services that answer every word (partial matches left out).
pub fn find_complete(engine: &Engine, text: &str) -> Vec<String> {
    let r = search(engine, &SearchRequest::new(text));
    r.hits
        .iter()
        .filter(|h| !h.partial)
        .map(|h| h.service.id.clone())
        .collect()
}
