//! The lean backend must leave a terminal showing exactly ratatui's buffer, whatever the
//! frames, and spend fewer bytes than ratatui's own crossterm backend doing it. Checked by
//! feeding its output to a terminal emulator (vt100).

use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Terminal;

use super::escape::{self, Pen};
use super::LeanBackend;

/// A small deterministic generator (xorshift), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const COLORS: [Color; 8] = [
    Color::Reset,
    Color::Cyan,
    Color::DarkGray,
    Color::Red,
    Color::Indexed(200),
    Color::Rgb(10, 20, 30),
    Color::White,
    Color::Indexed(3),
];
const MODIFIERS: [Modifier; 6] = [
    Modifier::empty(),
    Modifier::BOLD,
    Modifier::REVERSED,
    Modifier::DIM,
    Modifier::BOLD.union(Modifier::UNDERLINED),
    Modifier::ITALIC,
];
const WORDS: [&str; 10] = ["Food", "Bank", "banque", "·", "●", "──", "Sudbury ", "x", "   ", "é"];
/// Wide characters: overwriting half of one blanks the other half with whatever colours the
/// terminal chooses, for any backend, so only their text is compared.
const WIDE_WORDS: [&str; 4] = ["日本", "x", "Food", "語"];

/// A whole style (modifiers not picked are removed): vt100, like many terminals, cannot
/// show bold and dim at once, and the app never asks for both.
fn random_style(rng: &mut Rng) -> Style {
    let modifier = rng.pick(&MODIFIERS);
    Style::new()
        .fg(rng.pick(&COLORS))
        .bg(rng.pick(&COLORS))
        .add_modifier(modifier)
        .remove_modifier(Modifier::all() - modifier)
}

/// Mostly the previous frame with a few runs of text rewritten, like a screen after a key.
fn next_frame(rng: &mut Rng, previous: &Buffer) -> Buffer {
    let mut buffer = previous.clone();
    let area = buffer.area;
    for _ in 0..1 + rng.below(6) {
        let x = rng.below(area.width as usize) as u16;
        let y = rng.below(area.height as usize) as u16;
        let text: String = (0..1 + rng.below(4)).map(|_| rng.pick(&WORDS)).collect();
        buffer.set_stringn(x, y, &text, (area.width - x) as usize, random_style(rng));
    }
    buffer
}

/// Rows rewritten whole, as widgets do: a row's wide characters never overlap, which ratatui
/// does not guarantee for text written over part of another.
fn next_wide_frame(rng: &mut Rng, previous: &Buffer) -> Buffer {
    let mut buffer = previous.clone();
    let area = buffer.area;
    for _ in 0..1 + rng.below(3) {
        let y = rng.below(area.height as usize) as u16;
        for x in 0..area.width {
            buffer[(x, y)].reset();
        }
        let mut x = rng.below(4) as u16;
        while x < area.width {
            let word = rng.pick(&WIDE_WORDS);
            x = buffer
                .set_stringn(x, y, word, (area.width - x) as usize, random_style(rng))
                .0
                + 1;
        }
    }
    buffer
}

fn vt_color(color: Color) -> vt100::Color {
    match color {
        Color::Reset => vt100::Color::Default,
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        Color::Indexed(n) => vt100::Color::Idx(n),
        named => {
            let mut params = escape::sgr(
                Some(Pen::DEFAULT),
                Pen {
                    fg: named,
                    ..Pen::DEFAULT
                },
            );
            // "\x1b[31m" or "\x1b[91m": back to the palette index.
            params.retain(|c| c.is_ascii_digit());
            let code: u8 = params.parse().unwrap();
            if code >= 90 {
                vt100::Color::Idx(code - 90 + 8)
            } else {
                vt100::Color::Idx(code - 30)
            }
        }
    }
}

fn assert_text(screen: &vt100::Screen, buffer: &Buffer, context: &str) {
    for y in 0..buffer.area.height {
        let mut want = String::new();
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            want.push_str(symbol);
            // ratatui keeps a blank cell under the right half of a wide character.
            x += u16::try_from(unicode_width::UnicodeWidthStr::width(symbol).max(1)).unwrap();
        }
        let got = screen.rows(0, buffer.area.width).nth(y.into()).unwrap();
        assert_eq!(got.trim_end(), want.trim_end(), "{context}, row {y}");
    }
}

/// Every cell of `screen` against the buffer: text, colours and attributes.
fn assert_shows(screen: &vt100::Screen, buffer: &Buffer, context: &str) {
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let want = &buffer[(x, y)];
            let got = screen.cell(y, x).unwrap();
            if got.is_wide_continuation() {
                continue;
            }
            let shown = if got.contents().is_empty() { " " } else { got.contents() };
            let at = format!("{context}, cell ({x},{y})");
            assert_eq!(shown, want.symbol(), "{at}: text");
            assert_eq!(got.fgcolor(), vt_color(want.fg), "{at}: foreground");
            assert_eq!(got.bgcolor(), vt_color(want.bg), "{at}: background");
            let m = want.modifier;
            assert_eq!(got.bold(), m.contains(Modifier::BOLD), "{at}: bold");
            assert_eq!(got.dim(), m.contains(Modifier::DIM), "{at}: dim");
            assert_eq!(got.italic(), m.contains(Modifier::ITALIC), "{at}: italic");
            assert_eq!(got.underline(), m.contains(Modifier::UNDERLINED), "{at}: underline");
            assert_eq!(got.inverse(), m.contains(Modifier::REVERSED), "{at}: reverse");
        }
    }
}

/// A lean terminal and an emulator fed everything it writes.
struct Emulated {
    terminal: Terminal<LeanBackend<Vec<u8>>>,
    parser: vt100::Parser,
}

impl Emulated {
    fn new(cols: u16, rows: u16) -> Emulated {
        Emulated {
            terminal: Terminal::new(LeanBackend::with_size(Vec::new(), cols, rows)).unwrap(),
            parser: vt100::Parser::new(rows, cols, 0),
        }
    }

    /// Resizes both, as a window resize does.
    fn resize(&mut self, cols: u16, rows: u16) {
        self.terminal.backend_mut().set_fixed_size(cols, rows);
        self.parser.screen_mut().set_size(rows, cols);
    }

    /// Draws `frame` with the cursor at `cursor` (hidden when `None`); returns what was written.
    fn show(&mut self, frame: &Buffer, cursor: Option<(u16, u16)>) -> Vec<u8> {
        self.terminal
            .draw(|f| {
                f.buffer_mut().merge(frame);
                if let Some(at) = cursor {
                    f.set_cursor_position(at);
                }
            })
            .unwrap();
        let out = std::mem::take(self.terminal.backend_mut().writer_mut());
        self.parser.process(&out);
        out
    }

    fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }
}

/// A generator for `seed` and a terminal size from it.
fn seeded(seed: u64, salt: u64, cols: (u16, usize), rows: (u16, usize)) -> (Rng, u16, u16) {
    let mut rng = Rng(seed.wrapping_mul(salt));
    let c = cols.0 + rng.below(cols.1) as u16;
    let r = rows.0 + rng.below(rows.1) as u16;
    (rng, c, r)
}

#[test]
fn random_frames_leave_the_screen_equal_to_the_buffer() {
    for seed in 1..=300u64 {
        let (mut rng, cols, rows) = seeded(seed, 0x9E37_79B9_7F4A_7C15, (20, 20), (4, 6));
        let mut term = Emulated::new(cols, rows);
        let mut frame = Buffer::empty(Rect::new(0, 0, cols, rows));
        for n in 0..12 {
            frame = next_frame(&mut rng, &frame);
            let cursor = (n % 3 == 0).then_some((cols - 1 - n, n % rows));
            term.show(&frame, cursor);
            let context = format!("seed {seed}, frame {n}");
            assert_shows(term.screen(), &frame, &context);
            assert_eq!(
                term.screen().hide_cursor(),
                cursor.is_none(),
                "{context}: cursor visibility"
            );
            if let Some((x, y)) = cursor {
                assert_eq!(term.screen().cursor_position(), (y, x), "{context}: cursor");
            }
        }
    }
}

#[test]
fn wide_characters_land_where_ratatui_put_them() {
    for seed in 1..=200u64 {
        let (mut rng, cols, rows) = seeded(seed, 0x2545_F491_4F6C_DD1D, (20, 20), (4, 4));
        let mut term = Emulated::new(cols, rows);
        let mut frame = Buffer::empty(Rect::new(0, 0, cols, rows));
        for n in 0..10 {
            frame = next_wide_frame(&mut rng, &frame);
            term.show(&frame, None);
            assert_text(term.screen(), &frame, &format!("seed {seed}, frame {n}"));
        }
    }
}

#[test]
fn the_screen_survives_resizes() {
    let mut term = Emulated::new(30, 8);
    let mut rng = Rng(77);
    for (cols, rows) in [(30, 8), (40, 10), (25, 6), (25, 6), (60, 12)] {
        term.resize(cols, rows);
        let frame = next_frame(&mut rng, &Buffer::empty(Rect::new(0, 0, cols, rows)));
        term.show(&frame, None);
        assert_shows(term.screen(), &frame, &format!("{cols}x{rows}"));
    }
}

#[test]
fn an_unchanged_frame_writes_nothing() {
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 40, 5)).unwrap();
    let draw = |terminal: &mut Terminal<LeanBackend<Vec<u8>>>| {
        terminal
            .draw(|f| {
                f.render_widget(
                    Paragraph::new("food bank").style(Style::new().fg(Color::Cyan)),
                    f.area(),
                );
                f.set_cursor_position((9, 0));
            })
            .unwrap();
        std::mem::take(terminal.backend_mut().writer_mut())
    };
    assert!(!draw(&mut terminal).is_empty());
    assert_eq!(draw(&mut terminal), b"", "no cursor show, no reset, no move");
}

/// A results list as the app draws it while a navigator types: eight rows of name ·
/// organization · municipality with a coloured marker, a count in the title, a status line.
fn results_frame(f: &mut ratatui::Frame, keystroke: usize) {
    let names = [
        "Food Bank",
        "Outreach",
        "Shelter",
        "Legal Clinic",
        "Meals",
        "Housing Help",
    ];
    let places = ["Sudbury", "Toronto", "Kenora", "Ottawa", "Timmins"];
    let lines: Vec<Line> = (0..8)
        .map(|row| {
            let n = (row * 7 + keystroke * 3) % names.len();
            let open = (row + keystroke) % 3 == 0;
            Line::from(vec![
                Span::styled(
                    if open { "● open   " } else { "? hours  " },
                    Style::new().fg(if open { Color::Green } else { Color::DarkGray }),
                ),
                Span::raw(format!("{} {} · Community Services · ", names[n], row + keystroke)),
                Span::raw(places[(row + keystroke) % places.len()]),
            ])
        })
        .collect();
    let [list, status] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Min(3),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(f.area());
    let title = Line::from(Span::styled(
        format!(" Results {} ", 9000 - keystroke * 37),
        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    ));
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(title)),
        list,
    );
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{}", 9000 - keystroke * 37), Style::new().fg(Color::Cyan)),
            Span::styled(
                " of 60000 · Enter details  ^F filters",
                Style::new().fg(Color::DarkGray),
            ),
        ])),
        status,
    );
    f.set_cursor_position((u16::try_from(keystroke).unwrap() + 1, 0));
}

#[test]
fn typing_frames_spend_far_fewer_bytes_on_escapes_than_the_crossterm_backend() {
    let (cols, rows) = (80u16, 11u16);
    let mut lean = Terminal::new(LeanBackend::with_size(Vec::new(), cols, rows)).unwrap();
    let mut plain = Terminal::with_options(
        CrosstermBackend::new(Vec::new()),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        },
    )
    .unwrap();
    let (mut lean_screen, mut plain_screen) = (vt100::Parser::new(rows, cols, 0), vt100::Parser::new(rows, cols, 0));
    // Text both must send (the changed cells), and what each spends beyond it.
    let (mut text, mut lean_bytes, mut plain_bytes) = (0, 0, 0);
    let mut previous = Buffer::empty(Rect::new(0, 0, cols, rows));
    for keystroke in 0..12 {
        let frame = lean.draw(|f| results_frame(f, keystroke)).unwrap().buffer.clone();
        plain.draw(|f| results_frame(f, keystroke)).unwrap();
        let lean_out = std::mem::take(lean.backend_mut().writer_mut());
        let plain_out = std::mem::take(plain.backend_mut().writer_mut());
        if keystroke > 0 {
            text += previous
                .diff(&frame)
                .iter()
                .map(|(_, _, c)| c.symbol().len())
                .sum::<usize>();
            lean_bytes += lean_out.len();
            plain_bytes += plain_out.len();
        }
        lean_screen.process(&lean_out);
        plain_screen.process(&plain_out);
        assert_shows(lean_screen.screen(), &frame, &format!("lean, keystroke {keystroke}"));
        assert_shows(
            plain_screen.screen(),
            &frame,
            &format!("crossterm, keystroke {keystroke}"),
        );
        previous = frame;
    }
    let (lean_extra, plain_extra) = (lean_bytes - text, plain_bytes - text);
    assert!(
        lean_extra * 2 < plain_extra,
        "beyond {text} bytes of text: lean {lean_extra}, crossterm {plain_extra}; expected under half"
    );
}

#[test]
fn colours_change_by_the_shortest_sequence() {
    let cyan_bold = Pen {
        fg: Color::Cyan,
        modifier: Modifier::BOLD,
        ..Pen::DEFAULT
    };
    assert_eq!(escape::sgr(Some(Pen::DEFAULT), cyan_bold), "\x1b[1;36m");
    assert_eq!(escape::sgr(Some(cyan_bold), Pen::DEFAULT), "\x1b[m");
    assert_eq!(escape::sgr(Some(cyan_bold), cyan_bold), "");
    let dim_grey = Pen {
        fg: Color::DarkGray,
        ..Pen::DEFAULT
    };
    assert_eq!(escape::sgr(Some(cyan_bold), dim_grey), "\x1b[0;90m");
    // Unknown pen: always from a reset.
    assert_eq!(escape::sgr(None, dim_grey), "\x1b[0;90m");
    let reverse = Pen {
        modifier: Modifier::REVERSED,
        ..Pen::DEFAULT
    };
    assert_eq!(escape::sgr(Some(Pen::DEFAULT), reverse), "\x1b[7m");
    assert_eq!(
        escape::sgr(
            Some(reverse),
            Pen {
                bg: Color::Indexed(200),
                ..reverse
            }
        ),
        "\x1b[48;5;200m"
    );
    // Dropping bold but keeping dim: 22 clears both, so dim comes back.
    let bold_dim = Pen {
        modifier: Modifier::BOLD | Modifier::DIM,
        ..Pen::DEFAULT
    };
    let dim = Pen {
        modifier: Modifier::DIM,
        ..Pen::DEFAULT
    };
    assert_eq!(escape::sgr(Some(bold_dim), dim), "\x1b[0;2m", "a reset is shorter here");
    let cyan = |modifier| Pen {
        fg: Color::Cyan,
        modifier,
        ..Pen::DEFAULT
    };
    assert_eq!(
        escape::sgr(Some(cyan(Modifier::BOLD | Modifier::DIM)), cyan(Modifier::DIM)),
        "\x1b[22;2m"
    );
}

#[test]
fn moves_take_the_shortest_path() {
    assert_eq!(escape::relative_move((3, 4), (10, 4)), "\x1b[7C");
    assert_eq!(escape::relative_move((10, 4), (9, 4)), "\x08");
    assert_eq!(escape::relative_move((30, 4), (0, 4)), "\r");
    assert_eq!(escape::relative_move((30, 4), (30, 5)), "\x1b[B");
    assert_eq!(escape::relative_move((30, 4), (12, 20)), "\x1b[21;13H");
    assert_eq!(escape::cup(0, 0), "\x1b[H");
}

#[test]
fn a_long_row_replaced_by_a_short_one_is_erased_not_overwritten_with_spaces() {
    let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 40, 3)).unwrap();
    let mut parser = vt100::Parser::new(3, 40, 0);
    let row = |text: &'static str| {
        move |f: &mut ratatui::Frame| {
            f.render_widget(Paragraph::new(text).block(Block::bordered()), f.area());
        }
    };
    terminal.draw(row("Emergency Shelter · Sudbury Outreach")).unwrap();
    parser.process(&std::mem::take(terminal.backend_mut().writer_mut()));
    let frame = terminal.draw(row("Meals · Kenora")).unwrap().buffer.clone();
    let out = std::mem::take(terminal.backend_mut().writer_mut());
    parser.process(&out);
    assert_shows(parser.screen(), &frame, "after the short row");
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("\x1b[22X"), "{out:?}");
    assert!(!out.contains("     "), "{out:?}");
}

/// The previous frame with a block of rows moved up or down (rows left behind blank), then
/// a few edits: a result list losing or gaining a row.
fn shifted_frame(rng: &mut Rng, previous: &Buffer) -> Buffer {
    let mut buffer = previous.clone();
    let area = buffer.area;
    let top = rng.below(area.height as usize - 1) as u16;
    let bottom = top + 1 + rng.below((area.height - top - 1) as usize) as u16;
    let by = 1 + rng.below((bottom - top) as usize) as u16;
    let up = rng.below(2) == 0;
    for y in top..=bottom {
        let from = if up { y.checked_add(by) } else { y.checked_sub(by) }.filter(|f| (top..=bottom).contains(f));
        for x in 0..area.width {
            buffer[(x, y)] = match from {
                Some(f) => previous[(x, f)].clone(),
                None => ratatui::buffer::Cell::default(),
            };
        }
    }
    next_frame(rng, &buffer)
}

#[test]
fn random_row_shifts_leave_the_screen_equal_to_the_buffer() {
    let mut shifted = 0;
    for seed in 1..=300u64 {
        let (mut rng, cols, rows) = seeded(seed, 0xD1B5_4A32_D192_ED03, (10, 30), (3, 12));
        let mut term = Emulated::new(cols, rows);
        let mut frame = Buffer::empty(Rect::new(0, 0, cols, rows));
        for _ in 0..rows {
            frame = next_frame(&mut rng, &frame);
        }
        for n in 0..10 {
            frame = shifted_frame(&mut rng, &frame);
            let out = term.show(&frame, None);
            shifted += usize::from(out.windows(3).any(|w| w == b"\x1b[r"));
            assert_shows(term.screen(), &frame, &format!("seed {seed}, frame {n}"));
        }
    }
    assert!(shifted > 300, "only {shifted} of 3000 frames used a shift");
}

/// A bordered list of `names`, one per row, and a line under it that never changes.
fn list_frame<'a>(names: &'a [&'a str]) -> impl Fn(&mut ratatui::Frame) + 'a {
    move |f: &mut ratatui::Frame| {
        let [list, below] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Length(names.len() as u16 + 2),
            ratatui::layout::Constraint::Min(1),
        ])
        .areas(f.area());
        let lines: Vec<Line> = names
            .iter()
            .map(|n| {
                Line::from(vec![
                    Span::styled("● open ", Style::new().fg(Color::Green)),
                    Span::raw(*n),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines).block(Block::bordered().title(" Results ")), list);
        f.render_widget(Paragraph::new("Sudbury Food Bank · 705-555-0142 · Mon 9-5"), below);
    }
}

#[test]
fn a_list_losing_or_gaining_a_row_moves_rows_instead_of_redrawing_them() {
    let names = [
        "Food Bank · Sudbury Community Services · Sudbury",
        "Community Meals · Loon Call Community House · London",
        "Food Pantry · Moonrise Outreach · Markham",
        "Emergency Shelter · Greystone Outreach · Vaughan",
        "Legal Clinic · Kestrel Services Society · Barrie",
        "Housing Help · Fernbrook Support Network · Waterloo",
    ];
    let dropped = [
        names[0],
        names[2],
        names[3],
        names[4],
        names[5],
        "Meals on Wheels · Juniper · Guelph",
    ];
    let gained = [
        names[0],
        "Drop-in · Riverstone · Oshawa",
        names[1],
        names[2],
        names[3],
        names[4],
    ];
    for (next, op) in [(&dropped, "M"), (&gained, "L")] {
        let mut terminal = Terminal::new(LeanBackend::with_size(Vec::new(), 60, 10)).unwrap();
        let mut parser = vt100::Parser::new(10, 60, 0);
        terminal.draw(list_frame(&names)).unwrap();
        parser.process(&std::mem::take(terminal.backend_mut().writer_mut()));
        let frame = terminal.draw(list_frame(next)).unwrap().buffer.clone();
        let out = std::mem::take(terminal.backend_mut().writer_mut());
        parser.process(&out);
        assert_shows(parser.screen(), &frame, op);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(op) && text.contains("\x1b[r"), "{text:?}");
        // One new row's text, and the shift: far less than the four or five rows that moved.
        assert!(text.len() < 110, "{} bytes: {text:?}", text.len());
    }
}
