//! The filter menu (Ctrl-F): category, audience, municipality, language, open now, free,
//! accessible, age, and a location with a radius. Typing narrows the list; counts come from
//! the facets of the current query.

use navigator_index::categories::{AUDIENCES, CATEGORIES};
use navigator_index::search::{FacetCount, Facets};
use navigator_index::text::fold;
use navigator_index::Filters;
use tui_input::Input;

use super::state::Location;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Header(&'static str),
    Category(&'static str),
    Audience(&'static str),
    Municipality(String),
    Language(String),
    OpenNow,
    Free,
    Accessible,
    Age,
    Place,
    Radius,
}

impl Item {
    pub fn selectable(&self) -> bool {
        !matches!(self, Item::Header(_))
    }

    /// Items whose value is typed rather than toggled.
    pub fn editable(&self) -> bool {
        matches!(self, Item::Age | Item::Place | Item::Radius)
    }
}

#[derive(Debug, Clone, Default)]
pub struct FilterMenu {
    /// Index into `items()` of the highlighted row.
    pub cursor: usize,
    /// Typed text narrowing the choices (edited like any text field).
    pub narrow: Input,
    /// The row being edited and its text.
    pub editing: Option<(Item, Input)>,
}

/// One row as shown: the item, its label, whether it is on, and its count.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub item: Item,
    pub label: String,
    pub on: bool,
    pub count: Option<u64>,
}

fn count(list: &[FacetCount], value: &str) -> u64 {
    list.iter().find(|c| c.value == value).map_or(0, |c| c.count)
}

fn matches(narrow: &str, label: &str) -> bool {
    narrow.is_empty() || fold(label).contains(&fold(narrow))
}

/// A language facet value as a language name: "French" for "fr", "Oji-Cree" for a
/// language the data names that has no code; `None` for text that is not a language name.
pub fn language_label(code: &str) -> Option<String> {
    if let Some((_, name)) = navigator_index::languages::known(code) {
        return Some(name);
    }
    let words: Vec<&str> = code.split([' ', '-']).collect();
    let plausible = code.chars().count() <= 24
        && words.len() <= 3
        && code.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\''));
    plausible.then(|| {
        let mut chars = code.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().collect::<String>() + chars.as_str())
    })
}

/// The menu's rows for these filters and facets.
pub fn rows(menu: &FilterMenu, filters: &Filters, location: Option<&Location>, facets: &Facets) -> Vec<Row> {
    let n = menu.narrow.value();
    let mut out = Vec::new();
    let mut section = |title: &'static str, rows: Vec<Row>| {
        if !rows.is_empty() {
            out.push(Row {
                item: Item::Header(title),
                label: title.to_string(),
                on: false,
                count: None,
            });
            out.extend(rows);
        }
    };
    fn toggle(item: Item, label: String, on: bool, count: u64) -> Row {
        Row {
            item,
            label,
            on,
            count: Some(count),
        }
    }
    let cat = |item, label, v: &str, c| toggle(item, label, filters.categories.iter().any(|x| x == v), c);
    section(
        "Category",
        CATEGORIES
            .iter()
            .filter(|c| matches(n, c.en) || matches(n, c.slug))
            .map(|c| {
                cat(
                    Item::Category(c.slug),
                    c.en.to_string(),
                    c.slug,
                    count(&facets.categories, c.slug),
                )
            })
            .collect(),
    );
    let aud = |item, label, v: &str, c| toggle(item, label, filters.audiences.iter().any(|x| x == v), c);
    section(
        "Audience",
        AUDIENCES
            .iter()
            .filter(|a| matches(n, a.en) || matches(n, a.slug))
            .map(|a| {
                aud(
                    Item::Audience(a.slug),
                    a.en.to_string(),
                    a.slug,
                    count(&facets.audiences, a.slug),
                )
            })
            .collect(),
    );
    // Municipalities and languages: what the current results have, plus what is selected.
    let mut munis: Vec<String> = facets.municipalities.iter().map(|c| c.value.clone()).collect();
    for m in &filters.municipalities {
        if !munis.iter().any(|x| x.eq_ignore_ascii_case(m)) {
            munis.push(m.clone());
        }
    }
    let muni = |item, label, v: &str, c| {
        toggle(
            item,
            label,
            filters.municipalities.iter().any(|m| m.eq_ignore_ascii_case(v)),
            c,
        )
    };
    section(
        "Municipality",
        munis
            .iter()
            .filter(|m| matches(n, m))
            .map(|m| {
                muni(
                    Item::Municipality(m.clone()),
                    m.clone(),
                    m,
                    count(&facets.municipalities, m),
                )
            })
            .collect(),
    );
    // Languages as languages: a value from the data that is not one (a sentence someone
    // typed in a language column) is not offered.
    let mut langs: Vec<String> = facets
        .languages
        .iter()
        .filter(|c| language_label(&c.value).is_some())
        .map(|c| c.value.clone())
        .collect();
    for l in &filters.languages {
        if !langs.contains(l) {
            langs.push(l.clone());
        }
    }
    let lang = |item, label, v: &str, c| toggle(item, label, filters.languages.iter().any(|l| l == v), c);
    section(
        "Language",
        langs
            .iter()
            .map(|code| {
                let name = language_label(code).unwrap_or_else(|| code.clone());
                (code, name)
            })
            .filter(|(code, name)| matches(n, name) || matches(n, code))
            .map(|(code, name)| lang(Item::Language(code.clone()), name, code, count(&facets.languages, code)))
            .collect(),
    );
    let flag = |item: Item, label: &str, on: bool, count: u64| Row {
        item,
        label: label.to_string(),
        on,
        count: Some(count),
    };
    section(
        "Availability",
        [
            flag(Item::OpenNow, "Open now", filters.open_now, facets.open_now),
            flag(Item::Free, "Free", filters.free, facets.free),
            flag(
                Item::Accessible,
                "Wheelchair accessible",
                filters.accessible,
                facets.accessible,
            ),
        ]
        .into_iter()
        .filter(|r| matches(n, &r.label))
        .collect(),
    );
    let value = |item: Item, label: &str, v: Option<String>| Row {
        on: v.is_some(),
        label: format!("{label}: {}", v.unwrap_or_else(|| "any".into())),
        item,
        count: None,
    };
    section(
        "Who and where",
        [
            value(Item::Age, "Age", filters.age.map(|a| a.to_string())),
            value(Item::Place, "Near", location.map(|l| l.place.clone())),
            value(
                Item::Radius,
                "Within km",
                location.and_then(|l| l.radius_km).map(|r| format!("{r}")),
            ),
        ]
        .into_iter()
        .filter(|r| matches(n, &r.label))
        .collect(),
    );
    out
}

/// Moves the cursor by `delta` selectable rows, staying in range.
pub fn move_cursor(menu: &mut FilterMenu, rows: &[Row], delta: isize) {
    let selectable: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.item.selectable())
        .map(|(i, _)| i)
        .collect();
    if selectable.is_empty() {
        menu.cursor = 0;
        return;
    }
    let pos = selectable
        .iter()
        .position(|&i| i >= menu.cursor)
        .unwrap_or(selectable.len() - 1) as isize;
    let next = (pos + delta).clamp(0, selectable.len() as isize - 1) as usize;
    menu.cursor = selectable[next];
}

/// Puts the cursor on a selectable row (after narrowing changed the rows).
pub fn settle(menu: &mut FilterMenu, rows: &[Row]) {
    move_cursor(menu, rows, 0);
}

/// Toggles the highlighted item, or starts editing it. Returns true when filters changed.
pub fn activate(menu: &mut FilterMenu, rows: &[Row], filters: &mut Filters, location: &mut Option<Location>) -> bool {
    let Some(row) = rows.get(menu.cursor) else {
        return false;
    };
    fn toggle(list: &mut Vec<String>, value: &str) {
        match list.iter().position(|v| v.eq_ignore_ascii_case(value)) {
            Some(i) => {
                list.remove(i);
            }
            None => list.push(value.to_string()),
        }
    }
    match &row.item {
        Item::Header(_) => return false,
        Item::Category(slug) => toggle(&mut filters.categories, slug),
        Item::Audience(slug) => toggle(&mut filters.audiences, slug),
        Item::Municipality(name) => toggle(&mut filters.municipalities, name),
        Item::Language(code) => toggle(&mut filters.languages, code),
        Item::OpenNow => filters.open_now = !filters.open_now,
        Item::Free => filters.free = !filters.free,
        Item::Accessible => filters.accessible = !filters.accessible,
        item @ (Item::Age | Item::Place | Item::Radius) => {
            let current = match item {
                Item::Age => filters.age.map(|a| a.to_string()),
                Item::Place => location.as_ref().map(|l| l.place.clone()),
                _ => location.as_ref().and_then(|l| l.radius_km).map(|r| r.to_string()),
            };
            menu.editing = Some((item.clone(), Input::new(current.unwrap_or_default())));
            return false;
        }
    }
    true
}

/// Applies the edited value. Returns `Err` with a message when it is not valid.
pub fn commit_edit(
    menu: &mut FilterMenu,
    filters: &mut Filters,
    location: &mut Option<Location>,
) -> Result<bool, String> {
    let Some((item, input)) = menu.editing.clone() else {
        return Ok(false);
    };
    let text = input.value().trim().to_string();
    match item {
        Item::Age if text.is_empty() => filters.age = None,
        Item::Age => {
            filters.age = Some(
                text.parse()
                    .map_err(|_| format!("age {text:?}: expected a whole number 0-120"))?,
            )
        }
        Item::Place if text.is_empty() => *location = None,
        Item::Place => {
            let radius = location.as_ref().and_then(|l| l.radius_km);
            *location = Some(Location {
                place: text,
                radius_km: radius,
            });
        }
        Item::Radius if text.is_empty() => {
            if let Some(l) = location {
                l.radius_km = None;
            }
        }
        Item::Radius => {
            let km: f64 = text
                .parse()
                .ok()
                .filter(|k: &f64| k.is_finite() && *k > 0.0)
                .ok_or_else(|| format!("radius {text:?}: expected a number of kilometres above 0"))?;
            match location {
                Some(l) => l.radius_km = Some(km),
                None => return Err("set a place to measure the radius from first".into()),
            }
        }
        _ => {}
    }
    menu.editing = None;
    Ok(true)
}
