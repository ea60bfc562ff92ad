//! Confidential addresses and phones (a shelter's street address, its direct line) are
//! stored with the service, because the resource team needs them, and shown only to the
//! readers the office names. [`public_view`] is the service as everyone else sees it; the
//! binary decides per reader which view it hands out (`navigator::confidential`).
//!
//! What the public view withholds:
//! - a confidential phone, everywhere it appears;
//! - a confidential address's street lines, postal code and addressee, and its location's
//!   coordinates, so neither a street nor a map position is shown. The municipality
//!   stays: "a shelter in Kamloops, call for the address" is what a navigator may say.
//!
//! Search may still rank by distance to a hidden location, but only to a point rounded
//! to a cell of [`HIDDEN_CELL_DEGREES`] (see [`crate::Service::coordinates`]): however
//! many searches from however many places, distances never locate the address better
//! than that cell.

use std::borrow::Cow;

use crate::model::{Address, Location, Phone, Service};

/// What a navigator sees where a confidential address is withheld.
pub const WITHHELD_ADDRESS: &str = "address confidential: call the service";

/// The grid, in degrees, a hidden location's coordinates are rounded to before any
/// distance is measured from them: 0.05° is about 5.5 km north-south and 3-4 km east-west
/// at Canadian latitudes, a neighbourhood, not a street.
pub const HIDDEN_CELL_DEGREES: f64 = 0.05;

/// Whether the service holds anything confidential.
pub fn has_confidential(s: &Service) -> bool {
    s.phones.iter().any(|p| p.confidential) || s.locations.iter().any(location_has_confidential)
}

fn location_has_confidential(l: &Location) -> bool {
    l.address.as_ref().is_some_and(|a| a.confidential)
        || l.mailing_address.as_ref().is_some_and(|a| a.confidential)
        || l.phones.iter().any(|p| p.confidential)
}

/// Whether a location's street address is withheld from the public (and so are its
/// coordinates).
pub fn location_is_hidden(l: &Location) -> bool {
    l.address.as_ref().is_some_and(|a| a.confidential)
}

/// The service as a reader without access to confidential values sees it. Borrowed
/// unchanged when it holds nothing confidential.
pub fn public_view(s: &Service) -> Cow<'_, Service> {
    if !has_confidential(s) {
        return Cow::Borrowed(s);
    }
    let mut v = s.clone();
    v.phones.retain(|p| !p.confidential);
    for l in &mut v.locations {
        l.phones.retain(|p: &Phone| !p.confidential);
        if let Some(a) = l.address.as_mut().filter(|a| a.confidential) {
            withhold(a);
            l.latitude = None;
            l.longitude = None;
        }
        if let Some(a) = l.mailing_address.as_mut().filter(|a| a.confidential) {
            withhold(a);
        }
    }
    Cow::Owned(v)
}

/// Keeps the municipality, region, province and country; drops what finds the door.
fn withhold(a: &mut Address) {
    a.lines.clear();
    a.postal_code = None;
    a.attention = None;
}

/// Whether an address is one whose street was withheld (a public view's).
pub fn is_withheld(a: &Address) -> bool {
    a.confidential && a.lines.is_empty() && a.postal_code.is_none()
}

/// The centre of the [`HIDDEN_CELL_DEGREES`] cell a point falls in.
pub fn rounded_point(lat: f64, lon: f64) -> (f64, f64) {
    let snap = |v: f64| ((v / HIDDEN_CELL_DEGREES).floor() + 0.5) * HIDDEN_CELL_DEGREES;
    (snap(lat), snap(lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shelter() -> Service {
        Service {
            id: "s".into(),
            name: "Transition House".into(),
            phones: vec![
                Phone {
                    number: "250-555-0111".into(),
                    confidential: true,
                    ..Default::default()
                },
                Phone {
                    number: "1-800-555-0199".into(),
                    toll_free: true,
                    ..Default::default()
                },
            ],
            locations: vec![Location {
                address: Some(Address {
                    lines: vec!["1410 Hidden Lane".into()],
                    city: Some("Kamloops".into()),
                    state_province: Some("BC".into()),
                    postal_code: Some("V2C 1A1".into()),
                    confidential: true,
                    ..Default::default()
                }),
                latitude: Some(50.6745),
                longitude: Some(-120.3273),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn the_public_view_withholds_street_coordinates_and_phone() {
        let s = shelter();
        let v = public_view(&s);
        assert_eq!(v.phones.len(), 1);
        assert_eq!(v.phones[0].number, "1-800-555-0199");
        let l = &v.locations[0];
        assert_eq!((l.latitude, l.longitude), (None, None));
        let a = l.address.as_ref().unwrap();
        assert!(a.lines.is_empty() && a.postal_code.is_none());
        assert_eq!(a.city.as_deref(), Some("Kamloops"), "the municipality stays");
        assert_eq!(a.one_line(), WITHHELD_ADDRESS);
        assert_eq!(v.address_line().as_deref(), Some(WITHHELD_ADDRESS));
        assert_eq!(v.municipality(), Some("Kamloops"));
        let json = serde_json::to_string(&*v).unwrap();
        for secret in ["Hidden", "V2C 1A1", "0111", "50.67", "120.32"] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
    }

    #[test]
    fn nothing_confidential_is_borrowed_as_is() {
        let mut s = shelter();
        s.phones.retain(|p| !p.confidential);
        s.locations[0].address.as_mut().unwrap().confidential = false;
        assert!(matches!(public_view(&s), Cow::Borrowed(_)));
    }

    #[test]
    fn a_hidden_location_ranks_by_its_cell_only() {
        let s = shelter();
        let (lat, lon) = s.coordinates().unwrap();
        assert_eq!((lat, lon), rounded_point(50.6745, -120.3273));
        assert!(
            (lat - 50.675).abs() < 1e-9 && (lon + 120.325).abs() < 1e-9,
            "{lat}, {lon}"
        );
        // Every point of the cell gives the same answer.
        assert_eq!(rounded_point(50.651, -120.349), rounded_point(50.699, -120.301));
        // A public location is preferred, exactly.
        let mut two = shelter();
        two.locations.push(Location {
            latitude: Some(50.70),
            longitude: Some(-120.40),
            ..Default::default()
        });
        assert_eq!(two.coordinates(), Some((50.70, -120.40)));
    }
}
