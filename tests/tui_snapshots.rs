//! Screens rendered into a TestBackend: text snapshots (insta) at 80x24 and 60x20, and
//! style checks on the buffer (snapshots ignore styles).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use navigator::tui::keymap::Keymap;
use navigator::tui::state::{Display, State};
use navigator::tui::update::{update, Event};
use navigator::tui::view::view;
use navigator_index::search::{FacetCount, Facets};
use navigator_index::{
    Address, Hit, Language, Location, Organization, Phone, SearchResults, Service, Weekday, WeeklyHours,
};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

fn service(id: &str, name: &str, city: &str) -> Service {
    Service {
        id: id.into(),
        name: name.into(),
        description: Some("Groceries and hampers for families.\nBring ID if you have it.".into()),
        organization: Organization {
            name: format!("{city} Community Services"),
            ..Default::default()
        },
        locations: vec![Location {
            address: Some(Address {
                lines: vec!["12 Elm St".into()],
                city: Some(city.into()),
                state_province: Some("ON".into()),
                postal_code: Some("P3A 1A1".into()),
                ..Default::default()
            }),
            latitude: Some(46.49),
            longitude: Some(-80.99),
            ..Default::default()
        }],
        phones: vec![Phone {
            number: "705-555-0142".into(),
            ..Default::default()
        }],
        schedules: [Weekday::Monday, Weekday::Wednesday, Weekday::Friday]
            .iter()
            .map(|&weekday| WeeklyHours {
                weekday,
                opens: 540,
                closes: 1020,
            })
            .collect(),
        languages: vec![
            Language {
                code: "en".into(),
                name: "English".into(),
            },
            Language {
                code: "fr".into(),
                name: "French".into(),
            },
        ],
        fees: Some("Free".into()),
        free: Some(true),
        eligibility: Some("Residents of Greater Sudbury".into()),
        categories: vec!["food".into()],
        last_verified: Some("2024-05-01".into()),
        ..Default::default()
    }
}

fn hits() -> Vec<Hit> {
    let mut evil = service("svc-3", "Evil\u{1b}[2J\u{1b}[31m Shelter", "Kenora");
    evil.description = Some("Beds\u{1b}[2J\u{1b}[31m tonight \u{7}".into());
    vec![
        Hit {
            service: service("svc-1", "Sudbury Food Bank", "Sudbury"),
            score: 2.0,
            distance_km: None,
            open_now: Some(true),
            ..Default::default()
        },
        Hit {
            service: service("svc-2", "Banque alimentaire du Nord", "Timmins"),
            score: 1.5,
            distance_km: None,
            open_now: Some(false),
            ..Default::default()
        },
        Hit {
            service: evil,
            score: 1.0,
            distance_km: None,
            open_now: None,
            ..Default::default()
        },
    ]
}

fn state(width: u16, height: u16, display: Display) -> State {
    let mut s = State::new(
        Keymap::default(),
        display,
        "demo (fictional)".into(),
        (width, height),
        "2026-11-25".parse().unwrap(),
    );
    for c in "food".chars() {
        update(&mut s, Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    let facets = Facets {
        categories: vec![FacetCount {
            value: "food".into(),
            count: 3,
        }],
        municipalities: vec![
            FacetCount {
                value: "Sudbury".into(),
                count: 1,
            },
            FacetCount {
                value: "Timmins".into(),
                count: 1,
            },
        ],
        languages: vec![FacetCount {
            value: "fr".into(),
            count: 3,
        }],
        ..Default::default()
    };
    let results = SearchResults {
        hits: hits(),
        total: 3,
        facets: Some(facets),
        origin: None,
        ..Default::default()
    };
    update(
        &mut s,
        Event::Results {
            generation: 4,
            results: Box::new(results),
        },
    );
    s
}

fn render(s: &State) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(s.width, s.height)).unwrap();
    t.draw(|f| view(s, f)).unwrap();
    t
}

fn press(s: &mut State, code: KeyCode, modifiers: KeyModifiers) {
    update(s, Event::Key(KeyEvent::new(code, modifiers)));
}

fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn search_screen_80x24() {
    let s = state(80, 24, Display::default());
    insta::assert_snapshot!(render(&s).backend());
}

#[test]
fn search_screen_60x20() {
    let s = state(60, 20, Display::default());
    insta::assert_snapshot!(render(&s).backend());
}

#[test]
fn details_80x24_and_60x20() {
    for (w, h) in [(80, 24), (60, 20)] {
        let mut s = state(w, h, Display::default());
        press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
        insta::assert_snapshot!(format!("details_{w}x{h}"), render(&s).backend());
    }
}

#[test]
fn side_by_side_from_120_columns() {
    let s = state(120, 30, Display::default());
    let t = render(&s);
    let screen = text(t.backend().buffer());
    let row = screen.lines().nth(4).unwrap();
    assert!(
        row.contains("Sudbury Food Bank") && row.contains("Details") || screen.contains("Details"),
        "{screen}"
    );
    let detail_line = screen.lines().find(|l| l.contains("Main")).unwrap();
    assert!(
        detail_line.contains("Sudbury Food Bank") || detail_line.find("Main").unwrap() > 50,
        "{screen}"
    );
}

#[test]
fn filter_menu_and_help_80x24_and_60x20() {
    for (w, h) in [(80, 24), (60, 20)] {
        let mut s = state(w, h, Display::default());
        press(&mut s, KeyCode::Char('f'), KeyModifiers::CONTROL);
        insta::assert_snapshot!(format!("filters_{w}x{h}"), render(&s).backend());
        press(&mut s, KeyCode::Esc, KeyModifiers::NONE);
        press(&mut s, KeyCode::F(1), KeyModifiers::NONE);
        insta::assert_snapshot!(format!("help_{w}x{h}"), render(&s).backend());
    }
}

#[test]
fn no_color_and_ascii_80x24() {
    let display = Display {
        no_color: true,
        ascii: true,
    };
    let s = state(80, 24, display);
    let t = render(&s);
    insta::assert_snapshot!(t.backend());
    let buffer = t.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "no colours with --no-color");
        assert_eq!(cell.bg, Color::Reset);
        assert!(
            cell.symbol().is_ascii(),
            "--ascii draws only ASCII, found {:?}",
            cell.symbol()
        );
    }
    // The selection is still visible, by reverse video.
    let screen = text(buffer);
    let y = screen.lines().position(|l| l.contains("Sudbury Food Bank")).unwrap() as u16;
    let x = screen.lines().nth(y as usize).unwrap().find("Sudbury").unwrap() as u16;
    assert!(buffer[(x, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn selection_is_reverse_video_and_markers_are_words() {
    let s = state(80, 24, Display::default());
    let t = render(&s);
    let buffer = t.backend().buffer();
    let screen = text(buffer);
    let line_of = |needle: &str| screen.lines().position(|l| l.contains(needle)).unwrap() as u16;
    let selected = line_of("Sudbury Food Bank");
    let other = line_of("Banque alimentaire");
    assert!(buffer[(10, selected)].modifier.contains(Modifier::REVERSED));
    assert!(!buffer[(10, other)].modifier.contains(Modifier::REVERSED));
    assert!(screen.contains("open") && screen.contains("closed") && screen.contains("? hours"));
}

#[test]
fn escape_sequences_in_records_render_as_harmless_text() {
    let mut s = state(80, 24, Display::default());
    press(&mut s, KeyCode::Down, KeyModifiers::NONE);
    press(&mut s, KeyCode::Down, KeyModifiers::NONE);
    press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let t = render(&s);
    let buffer = t.backend().buffer();
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "control character in a cell: {:?}",
            cell.symbol()
        );
    }
    let screen = text(buffer);
    assert!(screen.contains("Evil Shelter"), "{screen}");
    assert!(screen.contains("Beds tonight"), "{screen}");
}

#[test]
fn too_small_then_recovers() {
    let mut s = state(59, 20, Display::default());
    assert!(text(render(&s).backend().buffer()).contains("terminal too small (need 60x20)"));
    update(&mut s, Event::Resize(80, 24));
    assert!(text(render(&s).backend().buffer()).contains("Sudbury Food Bank"));
}

#[test]
fn details_start_with_what_is_read_out() {
    let mut s = state(80, 24, Display::default());
    press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let screen = text(render(&s).backend().buffer());
    let lines: Vec<&str> = screen.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?}:\n{screen}"))
    };
    // Name, the stale warning, organization, the typed phone, the address and today's
    // hours with the open state come first, without scrolling; the id is not up there.
    assert!(at("Sudbury Food Bank") < at("over 12 months ago"));
    assert!(at("over 12 months ago") < at("Organization"));
    assert!(at("Organization") < at("Main             705-555-0142"));
    assert!(at("Main") < at("Address          12 Elm St, Sudbury"));
    assert!(at("Address") < at("Today            9:00-17:00 (open until 17:00)"));
    assert!(!screen.contains("svc-1"), "the id waits at the end:\n{screen}");
    // Values continue under the value, not at column 0.
    let description = at("Description");
    assert!(
        lines[description + 1].starts_with("│                 Bring ID if you have it."),
        "{screen}"
    );
    // A value longer than the pane wraps under itself too.
    let mut s = state(60, 20, Display::default());
    press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let narrow = text(render(&s).backend().buffer());
    let warning = narrow.lines().position(|l| l.contains("Warning")).unwrap();
    let next = narrow.lines().nth(warning + 1).unwrap();
    assert!(
        next.starts_with("│                 ") && next.trim_matches(['│', ' ']).len() > 3,
        "{narrow}"
    );
}

#[test]
fn details_page_by_a_screen_with_pgdn_space_and_pgup() {
    let mut s = state(80, 24, Display::default());
    press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let page = s.details_rows() as u16 - 1;
    press(&mut s, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(s.details_scroll, page);
    press(&mut s, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(s.details_scroll, 0);
    press(&mut s, KeyCode::Char(' '), KeyModifiers::NONE);
    assert_eq!(s.details_scroll, page, "Space pages the details");
    assert_eq!(s.query.value(), "food", "and is not typed");
    let screen = text(render(&s).backend().buffer());
    assert!(
        screen.contains("Id") && screen.contains("svc-1"),
        "the end of the record:\n{screen}"
    );
}

fn figures() -> navigator::tui::reports::Figures {
    use navigator::report::{MunicipalityNeeds, NeedCount, NeedsReport, OutcomesReport, Ratio, Tally};
    let pct = |r: &Ratio| r.pct();
    let needs = NeedsReport {
        contacts: 12,
        contacts_with_needs: 12,
        tracked_pct: Some(100.0),
        tracked: Ratio::new(12, 12),
        needs: vec![
            NeedCount {
                category: "food".into(),
                total: 9,
                met: 7,
                unmet: 2,
            },
            NeedCount {
                category: "housing".into(),
                total: 6,
                met: 1,
                unmet: 5,
            },
            NeedCount {
                category: "legal".into(),
                total: 2,
                met: 2,
                unmet: 0,
            },
        ],
        unmet_reasons: Tally(vec![("waitlist".into(), 4), ("cost".into(), 2), ("distance".into(), 1)]),
        by_municipality: vec![
            MunicipalityNeeds {
                municipality: Some("Sudbury".into()),
                contacts: 7,
                needs: 10,
                unmet: 4,
            },
            MunicipalityNeeds {
                municipality: None,
                contacts: 5,
                needs: 7,
                unmet: 3,
            },
        ],
        office: None,
        from: Some("2026-11-01".parse().unwrap()),
        to: Some("2026-11-25".parse().unwrap()),
    };
    let (referral, connected, prepared) = (Ratio::new(6, 8), Ratio::new(9, 14), Ratio::new(2, 3));
    let (health, satisfied, again) = (Ratio::new(0, 0), Ratio::new(5, 8), Ratio::new(7, 8));
    let outcomes = OutcomesReport {
        followups_due: 10,
        followups_completed: 8,
        reached: 8,
        unreachable: 1,
        followed_up_on_referral_pct: pct(&referral),
        followed_up_on_referral: referral,
        connected_pct: pct(&connected),
        connected,
        better_prepared_pct: pct(&prepared),
        better_prepared: prepared,
        health_improved_pct: pct(&health),
        health_improved: health,
        very_satisfied_pct: pct(&satisfied),
        very_satisfied: satisfied,
        would_call_again_pct: pct(&again),
        would_call_again: again,
        barriers: Tally(vec![("waitlist".into(), 3), ("cost".into(), 0)]),
        from: None,
        to: None,
    };
    navigator::tui::reports::Figures { needs, outcomes }
}

fn reports_state(display: Display) -> State {
    let mut s = state(80, 24, display);
    press(&mut s, KeyCode::F(3), KeyModifiers::NONE);
    let period = s.reports.span.period(s.today);
    update(&mut s, Event::Reports(Box::new(figures()), period));
    s
}

#[test]
fn reports_80x24_in_colour_and_without() {
    insta::assert_snapshot!("reports_80x24", render(&reports_state(Display::default())).backend());
    let t = render(&reports_state(Display {
        no_color: true,
        ascii: true,
    }));
    insta::assert_snapshot!("reports_80x24_ascii", t.backend());
    let screen = text(t.backend().buffer());
    assert!(
        screen.contains("#######") && screen.contains("....."),
        "bars drawn with characters:\n{screen}"
    );
    assert!(
        screen.contains("7 met, 2 unmet") && screen.contains("75.0% (6 of 8)"),
        "values beside the bars"
    );
    assert!(t
        .backend()
        .buffer()
        .content()
        .iter()
        .all(|c| c.fg == Color::Reset && c.symbol().is_ascii()));
}

#[test]
fn reports_switch_period_and_drop_stale_answers() {
    let mut s = reports_state(Display::default());
    let effects = update(
        &mut s,
        Event::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)),
    )
    .effects;
    let year = s.reports.span.period(s.today);
    assert!(matches!(&effects[..], [navigator::tui::update::Effect::LoadReports(p)] if *p == year));
    assert!(s.reports.figures.is_none());
    // An answer for the month (the span just left) is dropped.
    let month = navigator::tui::reports::Span::Month.period(s.today);
    update(&mut s, Event::Reports(Box::new(figures()), month));
    assert!(s.reports.figures.is_none());
    update(&mut s, Event::Reports(Box::new(figures()), year));
    assert!(s.reports.figures.is_some());
    press(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(s.screen, navigator::tui::state::Screen::Search);
}

#[test]
fn the_form_searches_for_a_service_to_add_80x24() {
    let mut s = state(80, 24, Display::default());
    press(&mut s, KeyCode::Char(' '), KeyModifiers::CONTROL); // the first result in the basket
    press(&mut s, KeyCode::Char('r'), KeyModifiers::CONTROL);
    for _ in 0..6 {
        press(&mut s, KeyCode::Tab, KeyModifiers::NONE); // to "Referred to"
    }
    for c in "banque".chars() {
        press(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
    }
    let generation = s.form.as_ref().unwrap().add_generation;
    let results = SearchResults {
        hits: hits()[1..].to_vec(),
        total: 2,
        facets: None,
        origin: None,
        ..Default::default()
    };
    update(
        &mut s,
        Event::Results {
            generation,
            results: Box::new(results),
        },
    );
    let screen = text(render(&s).backend().buffer());
    assert!(screen.contains("add: banque"), "{screen}");
    assert!(screen.contains("+ Banque alimentaire du Nord"), "{screen}");
    insta::assert_snapshot!(render(&s).backend());
}

#[test]
fn partial_matches_home_area_and_programs_show_in_words_80x24() {
    let mut s = state(80, 24, Display::default());
    let mut program = hits().remove(0);
    program.locations = 12;
    program.partial = true;
    program.distance_km = Some(2.5);
    let results = SearchResults {
        hits: vec![program],
        total: 12,
        partial: true,
        home: true,
        origin: Some((
            navigator_index::geo::Point { lat: 46.5, lon: -81.0 },
            Some("Sudbury".into()),
        )),
        ..Default::default()
    };
    update(
        &mut s,
        Event::Results {
            generation: 9,
            results: Box::new(results),
        },
    );
    let t = render(&s);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("partial"), "{screen}");
    assert!(screen.contains("near Sudbury"), "{screen}");
    // The program's place column counts its other locations; the details say how many.
    assert!(screen.contains("Sudbury +11"), "{screen}");
    assert!(screen.contains("~Sudbury Food Bank"), "{screen}");
    assert!(screen.contains("2.5 km"), "the distance to the home area: {screen}");
    press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let details = text(render(&s).backend().buffer());
    assert!(details.contains("12 locations in all"), "{details}");
}
