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

/// Distances from one origin without trigonometry per point: an equirectangular projection
/// around the origin. Within a few hundred kilometres it is within a fraction of a percent
/// of the great-circle distance, which is plenty for filtering a radius and ranking; a
/// search tests every candidate document, so this is on the keystroke path.
#[derive(Debug, Clone, Copy)]
pub struct FastDistance {
    origin: Point,
    km_per_degree_lon: f64,
}

const KM_PER_DEGREE: f64 = 111.195;

impl FastDistance {
    pub fn new(origin: Point) -> FastDistance {
        FastDistance {
            origin,
            km_per_degree_lon: KM_PER_DEGREE * origin.lat.to_radians().cos(),
        }
    }

    /// Squared distance in km².
    pub fn squared_km(&self, lat: f64, lon: f64) -> f64 {
        let dy = (lat - self.origin.lat) * KM_PER_DEGREE;
        let mut dlon = (lon - self.origin.lon).abs();
        if dlon > 180.0 {
            dlon = 360.0 - dlon;
        }
        let dx = dlon * self.km_per_degree_lon;
        dx * dx + dy * dy
    }

    pub fn km(&self, lat: f64, lon: f64) -> f64 {
        self.squared_km(lat, lon).sqrt()
    }

    pub fn within(&self, lat: f64, lon: f64, km: f64) -> bool {
        self.squared_km(lat, lon) <= km * km
    }
}

/// Grid cell sizes in degrees, finest first. Every located service is indexed in one cell
/// of each size; a radius search asks for the cells its circle covers, at the finest size
/// that needs at most [`MAX_CELLS`] of them, so the index narrows the candidates before
/// any distance is computed.
pub const CELL_SIZES: [f64; 3] = [0.1, 1.0, 10.0];
const MAX_CELLS: usize = 64;

/// The cell terms a point is indexed under, one per size ("0.1:464:-810").
pub fn cells_of(lat: f64, lon: f64) -> Vec<String> {
    CELL_SIZES.iter().map(|&size| cell(size, lat, lon)).collect()
}

fn cell(size: f64, lat: f64, lon: f64) -> String {
    format!("{size}:{}:{}", (lat / size).floor() as i64, (lon / size).floor() as i64)
}

/// Cells covering the bounding box of a circle of `km` around `origin`, at the finest size
/// that needs at most MAX_CELLS cells; `None` when even the coarsest would need more (then
/// no prefilter is used).
pub fn cells_covering(origin: Point, km: f64) -> Option<Vec<String>> {
    let dlat = km / KM_PER_DEGREE;
    let dlon = km / (KM_PER_DEGREE * origin.lat.to_radians().cos().max(0.01));
    let (lat0, lat1) = ((origin.lat - dlat).max(-90.0), (origin.lat + dlat).min(90.0));
    let (lon0, lon1) = (origin.lon - dlon, origin.lon + dlon);
    if lon1 - lon0 >= 360.0 {
        return None;
    }
    for size in CELL_SIZES {
        let rows = (lat0 / size).floor() as i64..=(lat1 / size).floor() as i64;
        let cols = (lon0 / size).floor() as i64..=(lon1 / size).floor() as i64;
        let count = (rows.end() - rows.start() + 1) * (cols.end() - cols.start() + 1);
        if count as usize <= MAX_CELLS {
            let mut out = Vec::with_capacity(count as usize);
            for r in rows {
                for c in cols.clone() {
                    // Wrap longitudes across the antimeridian back into range.
                    let c = wrap_col(c, size);
                    out.push(format!("{size}:{r}:{c}"));
                }
            }
            return Some(out);
        }
    }
    None
}

fn wrap_col(col: i64, size: f64) -> i64 {
    let per_turn = (360.0 / size).round() as i64;
    let half = per_turn / 2;
    (col + half).rem_euclid(per_turn) - half
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
    fn fast_distance_agrees_with_great_circle_at_city_scale() {
        let toronto = Point::new(43.6532, -79.3832).unwrap();
        let fast = FastDistance::new(toronto);
        // Within 1% up to 100 km (radius searches), within 2% at provincial distances.
        for (lat, lon, tolerance) in [
            (43.70, -79.40, 0.01),
            (43.85, -79.0, 0.01),
            (44.39, -79.69, 0.01),
            (45.42, -75.70, 0.02),
        ] {
            let exact = distance_km(toronto, Point { lat, lon });
            let approx = fast.km(lat, lon);
            assert!((approx - exact).abs() / exact < tolerance, "{exact} vs {approx}");
        }
        assert!(fast.within(43.70, -79.40, 10.0) && !fast.within(44.39, -79.69, 25.0));
    }

    #[test]
    fn a_point_is_in_the_cells_covering_any_circle_that_contains_it() {
        let origin = Point::new(46.49, -80.99).unwrap();
        for (lat, lon, km) in [
            (46.50, -81.00, 5.0),
            (46.9, -80.5, 60.0),
            (48.4, -89.2, 700.0),
            (46.49, -80.99, 0.5),
        ] {
            let covering = cells_covering(origin, km).unwrap();
            assert!(covering.len() <= MAX_CELLS);
            assert!(
                distance_km(origin, Point { lat, lon }) <= km * 1.01,
                "test point inside"
            );
            assert!(
                cells_of(lat, lon).iter().any(|c| covering.contains(c)),
                "{lat},{lon} within {km} km"
            );
        }
        assert_eq!(cells_covering(origin, 30_000.0), None, "the whole planet: no prefilter");
        assert!(cells_covering(Point::new(0.0, 179.99).unwrap(), 20.0)
            .unwrap()
            .iter()
            .any(|c| c.ends_with(":-1800")));
    }

    #[test]
    fn parses_pairs_and_rejects_the_rest() {
        assert_eq!(parse_lat_lon("46.49, -80.99"), Point::new(46.49, -80.99));
        assert_eq!(parse_lat_lon("Sudbury"), None);
        assert_eq!(parse_lat_lon("100,101"), None);
        assert_eq!(parse_lat_lon("0,0"), None);
    }
}
