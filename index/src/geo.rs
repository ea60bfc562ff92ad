//! Distances and places: "near Sudbury" resolves to the centroid of the catalogue's own
//! locations in Sudbury, so no gazetteer has to ship with navigator.

/// A point in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// A point when both values are finite and in range.
    pub fn new(lat: f64, lon: f64) -> Option<Point> {
        valid(lat, lon).then_some(Point { lat, lon })
    }
}

/// Whether the pair is a real coordinate (finite, lat within ±90, lon within ±180, not 0,0).
pub fn valid(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0 && !(lat == 0.0 && lon == 0.0)
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: Point, b: Point) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

/// Parses "46.49,-80.99" or "46.49, -80.99". `None` when it is not a coordinate pair
/// (so the caller can treat the text as a place name).
pub fn parse_lat_lon(text: &str) -> Option<Point> {
    let (lat, lon) = text.split_once(',')?;
    Point::new(lat.trim().parse().ok()?, lon.trim().parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_between_known_cities() {
        let toronto = Point::new(43.6532, -79.3832).unwrap();
        let ottawa = Point::new(45.4215, -75.6972).unwrap();
        let d = distance_km(toronto, ottawa);
        assert!((350.0..355.0).contains(&d), "{d}");
        assert_eq!(distance_km(toronto, toronto), 0.0);
    }

    #[test]
    fn parses_pairs_and_rejects_the_rest() {
        assert_eq!(parse_lat_lon("46.49, -80.99"), Point::new(46.49, -80.99));
        assert_eq!(parse_lat_lon("Sudbury"), None);
        assert_eq!(parse_lat_lon("100,101"), None);
        assert_eq!(parse_lat_lon("0,0"), None);
    }
}
