//! Real Ontario municipalities the fictional services are placed in: centre coordinates,
//! real area codes and real forward sortation areas (first three characters of a postal
//! code), and how often English and French organizations are placed there.

/// One municipality. Coordinates are micro-degrees (integers keep the output identical on
/// every machine); `spread` is the half-width of the box around the centre that
/// locations are scattered in.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// The city a navigator would say ("Sudbury" for Greater Sudbury).
    pub name: &'static str,
    pub lat: i32,
    pub lon: i32,
    pub spread_lat: i32,
    pub spread_lon: i32,
    /// Relative weight for English-language organizations (roughly population^0.6, so
    /// small towns still get a few services).
    pub en: u16,
    /// Relative weight for French-language organizations (francophone communities).
    pub fr: u16,
    /// Real area codes, the original one first (most numbers use it).
    pub area_codes: &'static [&'static str],
    /// Real forward sortation areas of the municipality.
    pub fsas: &'static [&'static str],
    /// Northern Ontario: Cree and Ojibwe are offered more often.
    pub north: bool,
}

const fn p(
    name: &'static str,
    (lat, lon): (i32, i32),
    (spread_lat, spread_lon): (i32, i32),
    (en, fr): (u16, u16),
    area_codes: &'static [&'static str],
    fsas: &'static [&'static str],
    north: bool,
) -> Place {
    Place {
        name,
        lat,
        lon,
        spread_lat,
        spread_lon,
        en,
        fr,
        area_codes,
        fsas,
        north,
    }
}

const TORONTO: &[&str] = &["416", "647", "437"];
const GTA: &[&str] = &["905", "289", "365"];
const SOUTHWEST: &[&str] = &["519", "226", "548"];
const EAST: &[&str] = &["613", "343"];
const NORTHEAST: &[&str] = &["705", "249"];
const NORTHWEST: &[&str] = &["807"];

#[rustfmt::skip]
pub const PLACES: &[Place] = &[
    p("Toronto", (43_653_200, -79_383_200), (90_000, 160_000), (117, 8), TORONTO,
      &["M5V", "M4C", "M6H", "M1B", "M9W", "M2N", "M3C", "M6K", "M4Y", "M5A", "M6P", "M1P", "M9V", "M4X", "M6E"], false),
    p("Ottawa", (45_421_500, -75_697_200), (70_000, 120_000), (64, 40), EAST,
      &["K1N", "K1P", "K2P", "K1S", "K1Y", "K2G", "K1K", "K1V", "K2B", "K1G", "K1T", "K2C"], false),
    p("Mississauga", (43_589_000, -79_644_100), (50_000, 70_000), (52, 1), GTA,
      &["L5B", "L4Z", "L5M", "L5N", "L5A", "L4T", "L5L"], false),
    p("Brampton", (43_731_500, -79_762_400), (40_000, 60_000), (49, 0), GTA,
      &["L6T", "L6V", "L6X", "L6Y", "L6W", "L6P", "L6R"], false),
    p("Hamilton", (43_255_700, -79_871_100), (40_000, 80_000), (45, 1), GTA,
      &["L8P", "L8L", "L9A", "L8N", "L9C", "L8H", "L8M", "L8R"], false),
    p("London", (42_984_900, -81_245_300), (40_000, 60_000), (38, 1), SOUTHWEST,
      &["N6A", "N5W", "N6C", "N6H", "N5V", "N6E", "N5Y"], false),
    p("Markham", (43_856_100, -79_337_000), (30_000, 50_000), (33, 0), GTA,
      &["L3R", "L3P", "L3S", "L6C", "L6E"], false),
    p("Vaughan", (43_836_100, -79_498_300), (30_000, 50_000), (32, 0), GTA,
      &["L4L", "L6A", "L4K", "L4H"], false),
    p("Kitchener", (43_451_600, -80_492_500), (30_000, 40_000), (28, 0), SOUTHWEST,
      &["N2G", "N2H", "N2M", "N2E", "N2B", "N2A"], false),
    p("Windsor", (42_314_900, -83_036_400), (30_000, 50_000), (26, 2), SOUTHWEST,
      &["N9A", "N8X", "N8Y", "N9B", "N8W", "N9C"], false),
    p("Richmond Hill", (43_882_800, -79_440_300), (20_000, 30_000), (24, 0), GTA,
      &["L4C", "L4B", "L4S", "L4E"], false),
    p("Oakville", (43_467_500, -79_687_700), (30_000, 40_000), (25, 0), GTA,
      &["L6H", "L6J", "L6K", "L6L", "L6M"], false),
    p("Burlington", (43_325_500, -79_799_000), (30_000, 40_000), (23, 0), GTA,
      &["L7L", "L7M", "L7N", "L7R", "L7S", "L7T"], false),
    p("Sudbury", (46_491_700, -80_993_000), (40_000, 60_000), (21, 26), NORTHEAST,
      &["P3A", "P3B", "P3C", "P3E", "P3G", "P3L", "P3N", "P3Y"], true),
    p("Oshawa", (43_897_100, -78_865_800), (25_000, 30_000), (22, 0), GTA,
      &["L1G", "L1H", "L1J", "L1K"], false),
    p("Barrie", (44_389_400, -79_690_300), (25_000, 30_000), (20, 0), NORTHEAST,
      &["L4M", "L4N", "L9J"], false),
    p("St. Catharines", (43_159_400, -79_246_900), (20_000, 30_000), (19, 0), GTA,
      &["L2M", "L2N", "L2P", "L2R", "L2S", "L2T", "L2W"], false),
    p("Guelph", (43_544_800, -80_248_200), (20_000, 30_000), (20, 0), SOUTHWEST,
      &["N1E", "N1G", "N1H", "N1K", "N1L"], false),
    p("Cambridge", (43_361_600, -80_314_400), (20_000, 30_000), (19, 0), SOUTHWEST,
      &["N1R", "N1S", "N1T", "N3C", "N3H"], false),
    p("Kingston", (44_231_200, -76_486_000), (20_000, 40_000), (19, 1), EAST,
      &["K7L", "K7K", "K7M", "K7P"], false),
    p("Whitby", (43_897_500, -78_942_900), (20_000, 20_000), (19, 0), GTA,
      &["L1M", "L1N", "L1P", "L1R"], false),
    p("Waterloo", (43_464_300, -80_520_400), (20_000, 30_000), (18, 0), SOUTHWEST,
      &["N2J", "N2K", "N2L", "N2T", "N2V"], false),
    p("Thunder Bay", (48_380_900, -89_247_700), (30_000, 50_000), (17, 0), NORTHWEST,
      &["P7A", "P7B", "P7C", "P7E", "P7G", "P7J"], true),
    p("Brantford", (43_139_400, -80_264_400), (20_000, 30_000), (16, 0), SOUTHWEST,
      &["N3R", "N3S", "N3T", "N3V"], false),
    p("Chatham", (42_404_800, -82_191_000), (15_000, 20_000), (16, 0), SOUTHWEST,
      &["N7L", "N7M"], false),
    p("Pickering", (43_838_400, -79_086_800), (20_000, 30_000), (16, 0), GTA,
      &["L1V", "L1W", "L1X", "L1Y"], false),
    p("Niagara Falls", (43_089_600, -79_084_900), (20_000, 25_000), (15, 0), GTA,
      &["L2E", "L2G", "L2H", "L2J"], false),
    p("Peterborough", (44_309_100, -78_319_700), (20_000, 30_000), (14, 0), NORTHEAST,
      &["K9H", "K9J", "K9K", "K9L"], false),
    p("Sarnia", (42_974_500, -82_406_600), (20_000, 25_000), (13, 0), SOUTHWEST,
      &["N7S", "N7T", "N7V", "N7W", "N7X"], false),
    p("Sault Ste. Marie", (46_521_900, -84_346_100), (20_000, 40_000), (13, 1), NORTHEAST,
      &["P6A", "P6B", "P6C"], true),
    p("Welland", (42_992_200, -79_248_300), (15_000, 20_000), (11, 1), GTA,
      &["L3B", "L3C"], false),
    p("Belleville", (44_162_800, -77_383_200), (15_000, 25_000), (11, 0), EAST,
      &["K8N", "K8P", "K8R"], false),
    p("North Bay", (46_309_100, -79_460_800), (15_000, 25_000), (11, 4), NORTHEAST,
      &["P1A", "P1B", "P1C"], true),
    p("Cornwall", (45_021_300, -74_730_300), (12_000, 30_000), (10, 8), EAST,
      &["K6H", "K6J", "K6K"], false),
    p("Timmins", (48_475_800, -81_330_500), (20_000, 30_000), (9, 10), NORTHEAST,
      &["P4N", "P4P", "P4R"], true),
    p("Orillia", (44_608_200, -79_419_700), (10_000, 15_000), (8, 0), NORTHEAST,
      &["L3V"], false),
    p("Rockland", (45_546_000, -75_292_000), (10_000, 15_000), (7, 5), EAST,
      &["K4K"], false),
    p("Owen Sound", (44_569_000, -80_940_600), (10_000, 15_000), (6, 0), SOUTHWEST,
      &["N4K"], false),
    p("Pembroke", (45_826_700, -77_110_700), (10_000, 15_000), (5, 1), EAST,
      &["K8A"], false),
    p("Kenora", (49_767_000, -94_489_400), (10_000, 20_000), (5, 0), NORTHWEST,
      &["P9N"], true),
    p("Elliot Lake", (46_383_400, -82_653_200), (8_000, 12_000), (4, 1), NORTHEAST,
      &["P5A"], true),
    p("Hawkesbury", (45_607_600, -74_605_100), (6_000, 12_000), (4, 8), EAST,
      &["K6A"], false),
    p("Kapuskasing", (49_416_900, -82_433_100), (6_000, 10_000), (3, 5), NORTHEAST,
      &["P5N"], true),
    p("Kirkland Lake", (48_144_600, -80_037_700), (6_000, 10_000), (3, 1), NORTHEAST,
      &["P2N"], true),
    p("Dryden", (49_783_300, -92_837_000), (6_000, 10_000), (3, 0), NORTHWEST,
      &["P8N"], true),
    p("Fort Frances", (48_609_000, -93_400_300), (6_000, 10_000), (3, 0), NORTHWEST,
      &["P9A"], true),
    p("Sioux Lookout", (50_097_600, -91_921_000), (5_000, 8_000), (3, 0), NORTHWEST,
      &["P8T"], true),
    p("Hearst", (49_686_600, -83_666_600), (5_000, 8_000), (3, 4), NORTHEAST,
      &["P0L"], true),
    p("Moosonee", (51_279_400, -80_646_300), (4_000, 6_000), (1, 0), NORTHEAST,
      &["P0L"], true),
];

/// Ontario's bounding box in micro-degrees (south, north, west, east).
pub const ONTARIO_BOUNDS: (i32, i32, i32, i32) = (41_676_000, 56_860_000, -95_160_000, -74_340_000);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_and_its_spread_lies_inside_ontario() {
        let (south, north, west, east) = ONTARIO_BOUNDS;
        for place in PLACES {
            assert!(
                place.lat - place.spread_lat > south && place.lat + place.spread_lat < north,
                "{}",
                place.name
            );
            assert!(
                place.lon - place.spread_lon > west && place.lon + place.spread_lon < east,
                "{}",
                place.name
            );
            assert!(!place.area_codes.is_empty() && !place.fsas.is_empty(), "{}", place.name);
            for fsa in place.fsas {
                let b = fsa.as_bytes();
                assert!(
                    b.len() == 3 && b"KLMNP".contains(&b[0]) && b[1].is_ascii_digit() && b[2].is_ascii_uppercase(),
                    "{fsa}"
                );
            }
        }
    }
}
