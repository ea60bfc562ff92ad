//! A ratatui backend that spends as few bytes as it can per frame, for navigators on slow
//! links. ratatui already sends only the cells that changed; this backend sends them cheaply:
//!
//! - it remembers what the terminal shows, so a short gap between two changed cells is
//!   reprinted (one byte a cell) instead of jumped over (a cursor move costs 4 to 8);
//! - cursor moves are relative (`ESC[5C`, a carriage return) when shorter than absolute ones;
//! - colours and attributes change only where they differ, in one SGR sequence, with the
//!   short codes for the 16 named colours, and stay set across frames (no reset after each
//!   frame, no redundant cursor show);
//! - it never asks the terminal where the cursor is: it knows.
//!
//! What it writes must leave the terminal showing exactly ratatui's buffer; the tests check
//! that through a terminal emulator (vt100) over random frames.

mod escape;
mod scroll;
#[cfg(test)]
mod tests;

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use unicode_width::UnicodeWidthStr;

pub use escape::Pen;

/// A cell the terminal shows, as far as this backend knows: a one-column character and the
/// pen it was written with. Cells it cannot vouch for (under a wide character, after a
/// partial clear) are `None` and are never reprinted.
type Shown = Option<(char, Pen)>;

/// Records in `screen` (`cols` wide) what writing `cell` at (x, y) leaves there; true when
/// it is one character one column wide (the cursor then advances by one, predictably).
fn record(screen: &mut [Shown], cols: u16, x: u16, y: u16, cell: &Cell) -> bool {
    let symbol = cell.symbol();
    let width = symbol.width();
    let mut chars = symbol.chars();
    let single = match (chars.next(), chars.next()) {
        (Some(c), None) if width == 1 => Some(c),
        _ => None,
    };
    let pen = Pen::of(cell);
    let at = |cx: usize| (cx < usize::from(cols)).then(|| usize::from(y) * usize::from(cols) + cx);
    if let Some(i) = at(usize::from(x)).filter(|i| *i < screen.len()) {
        screen[i] = single.map(|c| (c, pen));
    }
    for covered in 1..width.max(1) {
        if let Some(i) = at(usize::from(x) + covered).filter(|i| *i < screen.len()) {
            screen[i] = None;
        }
    }
    single.is_some()
}

/// A cell that shows `c` with `pen`, to redraw a known cell.
fn cell_of(c: char, pen: Pen) -> Cell {
    let mut cell = Cell::default();
    cell.set_char(c);
    cell.fg = pen.fg;
    cell.bg = pen.bg;
    cell.modifier = pen.modifier;
    cell
}

pub struct LeanBackend<W: Write> {
    out: W,
    screen: Vec<Shown>,
    cols: u16,
    rows: u16,
    /// Where the terminal's cursor is; `None` when unknown (at start, or after writing into
    /// the last column, where terminals differ about pending wraps).
    cursor: Option<(u16, u16)>,
    pen: Option<Pen>,
    cursor_visible: Option<bool>,
    /// Tests give a size; the app asks the terminal.
    fixed_size: Option<Size>,
}

impl<W: Write> LeanBackend<W> {
    /// A backend for the real terminal: its size comes from the tty.
    pub fn new(out: W) -> io::Result<LeanBackend<W>> {
        let (cols, rows) = crossterm::terminal::size()?;
        Ok(Self::build(out, cols, rows, None))
    }

    /// A backend of a fixed size, for tests and benchmarks.
    pub fn with_size(out: W, cols: u16, rows: u16) -> LeanBackend<W> {
        Self::build(out, cols, rows, Some(Size::new(cols, rows)))
    }

    fn build(out: W, cols: u16, rows: u16, fixed_size: Option<Size>) -> LeanBackend<W> {
        LeanBackend {
            out,
            // Blank, as ratatui assumes of a new terminal (its first diff is against an empty
            // buffer); the app clears the screen once at start to make it so.
            screen: vec![Some((' ', Pen::DEFAULT)); usize::from(cols) * usize::from(rows)],
            cols,
            rows,
            cursor: None,
            pen: None,
            cursor_visible: None,
            fixed_size,
        }
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// A test or benchmark resizes its fixed-size terminal.
    pub fn set_fixed_size(&mut self, cols: u16, rows: u16) {
        self.fixed_size = Some(Size::new(cols, rows));
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        (x < self.cols && y < self.rows).then(|| usize::from(y) * usize::from(self.cols) + usize::from(x))
    }

    /// The bytes that reprint cells `from..to` of row `y`, if every one is known and was
    /// written with the current pen.
    fn reprint(&self, y: u16, from: u16, to: u16) -> Option<String> {
        let pen = self.pen?;
        (from..to)
            .map(|x| match self.screen[self.index(x, y)?] {
                Some((c, p)) if p == pen => Some(c),
                _ => None,
            })
            .collect()
    }

    fn move_to(&mut self, x: u16, y: u16) -> io::Result<()> {
        let bytes = match self.cursor {
            Some(at) if at == (x, y) => return Ok(()),
            Some((cx, cy)) => {
                let moved = escape::relative_move((cx, cy), (x, y));
                match (cy == y && cx < x).then(|| self.reprint(y, cx, x)).flatten() {
                    Some(gap) if gap.len() < moved.len() => gap,
                    _ => moved,
                }
            }
            None => escape::cup(x, y),
        };
        self.out.write_all(bytes.as_bytes())?;
        self.cursor = Some((x, y));
        Ok(())
    }

    fn set_pen(&mut self, pen: Pen) -> io::Result<()> {
        let bytes = escape::sgr(self.pen, pen);
        self.out.write_all(bytes.as_bytes())?;
        self.pen = Some(pen);
        Ok(())
    }

    /// How many of `cells` (from the first) form a run of plain blanks on one row that is
    /// cheaper to erase (`ESC[nX`, then a move past it) than to print, and how many columns
    /// it spans (cells the diff skipped count when the screen already shows the same blank).
    fn blank_run(&self, cells: &[(u16, u16, &Cell)]) -> (usize, u16) {
        let (x, y, first) = cells[0];
        // Erased cells take the background and lose attributes: only plain blanks qualify.
        let plain = |c: &Cell| c.symbol() == " " && c.bg == ratatui::style::Color::Reset && c.modifier.is_empty();
        if !plain(first) {
            return (0, 0);
        }
        let pen = Pen {
            fg: first.fg,
            ..Pen::DEFAULT
        };
        let shows = |cx: u16, want: Option<(char, Pen)>| {
            self.index(cx, y)
                .is_some_and(|i| self.screen[i].is_some() && (want.is_none() || self.screen[i] == want))
        };
        let (mut taken, mut end) = (0, x);
        for &(cx, cy, c) in cells {
            if cy != y || !plain(c) || c.fg != first.fg || !(end..cx).all(|gx| shows(gx, Some((' ', pen)))) {
                break;
            }
            taken += 1;
            end = cx + 1;
        }
        // Never erase part of a wide character, nor cells this backend cannot vouch for.
        if !(x..end).all(|cx| shows(cx, None)) || (x > 0 && !shows(x - 1, None)) {
            return (0, 0);
        }
        let n = end - x;
        let cost = escape::erase(n).len() + escape::horizontal(x, end).len();
        if usize::from(n) > cost {
            (taken, n)
        } else {
            (0, 0)
        }
    }

    /// Erases `n` cells from (x, y) with the pen of `cell` (a plain blank); the cursor stays.
    fn erase(&mut self, x: u16, y: u16, n: u16, cell: &Cell) -> io::Result<()> {
        self.move_to(x, y)?;
        let pen = Pen::of(cell);
        self.set_pen(pen)?;
        self.out.write_all(escape::erase(n).as_bytes())?;
        for cx in x..x + n {
            if let Some(i) = self.index(cx, y) {
                self.screen[i] = Some((' ', pen));
            }
        }
        Ok(())
    }

    fn put(&mut self, x: u16, y: u16, cell: &Cell) -> io::Result<()> {
        self.move_to(x, y)?;
        self.set_pen(Pen::of(cell))?;
        self.out.write_all(cell.symbol().as_bytes())?;
        let single = record(&mut self.screen, self.cols, x, y, cell);
        // After the last column a terminal may hold a pending wrap; after odd widths it may
        // disagree with unicode-width. Either way the next move is absolute.
        self.cursor = (single && x + 1 < self.cols).then_some((x + 1, y));
        Ok(())
    }

    /// Writes changed cells in order, erasing runs of blanks where that is cheaper.
    fn draw_cells(&mut self, cells: &[(u16, u16, &Cell)]) -> io::Result<()> {
        let mut i = 0;
        while i < cells.len() {
            let (x, y, cell) = cells[i];
            let (taken, columns) = self.blank_run(&cells[i..]);
            if taken > 0 {
                self.erase(x, y, columns, cell)?;
                i += taken;
            } else {
                self.put(x, y, cell)?;
                i += 1;
            }
        }
        Ok(())
    }

    /// Shifts a block of rows (see `scroll`), then redraws what still differs: inside the
    /// block against the shifted screen, outside it from ratatui's diff.
    fn draw_shifted(&mut self, cells: &[(u16, u16, &Cell)], target: &[Shown], shift: scroll::Shift) -> io::Result<()> {
        self.set_pen(Pen::DEFAULT)?; // the rows uncovered take the current background
        self.out.write_all(scroll::sequence(shift).as_bytes())?;
        self.cursor = None;
        scroll::apply(&mut self.screen, self.cols, shift);
        let inside = |y: u16| (shift.top..=shift.bottom).contains(&y);
        let mut owned: Vec<(u16, u16, Cell)> = cells
            .iter()
            .filter(|(_, y, _)| !inside(*y))
            .map(|(x, y, c)| (*x, *y, (*c).clone()))
            .collect();
        for y in shift.top..=shift.bottom {
            for x in 0..self.cols {
                let i = self.index(x, y).expect("the block is on screen");
                if let (Some((c, pen)), true) = (target[i], target[i] != self.screen[i]) {
                    owned.push((x, y, cell_of(c, pen)));
                }
            }
        }
        owned.sort_by_key(|(x, y, _)| (*y, *x));
        let cells: Vec<(u16, u16, &Cell)> = owned.iter().map(|(x, y, c)| (*x, *y, c)).collect();
        self.draw_cells(&cells)
    }
}

/// Raw bytes around frames (synchronized-update markers, OSC 52). They must not move the
/// cursor or change colours: the backend would no longer know the terminal's state.
impl<W: Write> Write for LeanBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        let mut target = self.screen.clone();
        for &(x, y, cell) in &cells {
            record(&mut target, self.cols, x, y, cell);
        }
        match scroll::best(&self.screen, &target, self.cols, self.rows) {
            Some(shift) => self.draw_shifted(&cells, &target, shift),
            None => self.draw_cells(&cells),
        }
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(false) {
            self.out.write_all(b"\x1b[?25l")?;
            self.cursor_visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(true) {
            self.out.write_all(b"\x1b[?25h")?;
            self.cursor_visible = Some(true);
        }
        Ok(())
    }

    /// Known, never asked: a cursor query times out over a slow link.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        let (x, y) = self.cursor.unwrap_or((0, 0));
        Ok(Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        self.move_to(x, y)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Erasing paints with the current background on most terminals: reset it first.
        self.set_pen(Pen::DEFAULT)?;
        let sequence: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        self.out.write_all(sequence)?;
        let size = self.size()?;
        self.cols = size.width;
        self.rows = size.height;
        let blank = match clear_type {
            ClearType::All => Some((' ', Pen::DEFAULT)),
            _ => None,
        };
        self.screen = vec![blank; usize::from(self.cols) * usize::from(self.rows)];
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed_size {
            Some(size) => Ok(size),
            None => crossterm::terminal::size().map(|(width, height)| Size { width, height }),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let columns_rows = self.size()?;
        Ok(WindowSize {
            columns_rows,
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
