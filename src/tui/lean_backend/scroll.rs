//! Moving rows instead of redrawing them. When a new result list is the old one with a row
//! dropped or added, most rows are the same text one line up or down: shifting a block of
//! rows with a scroll region and delete/insert-line (DECSTBM, DL, IL: VT102, understood by
//! every terminal and multiplexer navigator meets) costs about 20 bytes, redrawing each row
//! about 60. This is what curses calls its scrolling optimization; here it is one shift per
//! frame, chosen by counting the cells each choice leaves to redraw.

use super::escape::{self, Pen};
use super::Shown;

/// Rows `top..=bottom` move up by `by` rows (down when negative); rows uncovered are blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub top: u16,
    pub bottom: u16,
    pub by: i16,
}

/// The farthest a block is shifted.
const MAX_SHIFT: i16 = 12;
const BLANK: Shown = Some((' ', Pen::DEFAULT));

struct Grid<'a> {
    cells: &'a [Shown],
    cols: usize,
}

impl Grid<'_> {
    fn row(&self, y: usize) -> &[Shown] {
        &self.cells[y * self.cols..(y + 1) * self.cols]
    }
    /// Rows with a cell the backend cannot vouch for (a wide character) never move.
    fn known(&self, y: usize) -> bool {
        self.row(y).iter().all(Option::is_some)
    }
}

/// Roughly the bytes of redrawing `have` into `want`: the text of each differing cell, a
/// cursor move before each run of them, and a colour change wherever the pen changes.
fn cost(want: &[Shown], have: &[Shown]) -> usize {
    const MOVE: usize = 4;
    const PEN: usize = 5;
    let mut bytes = 0;
    let mut in_run = false;
    let mut pen: Option<Pen> = None;
    for (w, h) in want.iter().zip(have) {
        if w == h {
            in_run = false;
            continue;
        }
        let Some((c, p)) = w else {
            return 1 << 20; // unknown: never worth it (and safe to add up)
        };
        bytes += c.len_utf8();
        if !in_run {
            bytes += MOVE;
            in_run = true;
        }
        if pen != Some(*p) {
            bytes += PEN;
            pen = Some(*p);
        }
    }
    bytes
}

fn blank_cost(want: &[Shown]) -> usize {
    cost(want, &vec![BLANK; want.len()])
}

/// The bytes of the shift itself, with the move that follows it (the cursor is lost), and a
/// margin: a shift must save clearly more than it risks on a terminal that handles it slowly.
fn overhead(shift: Shift) -> usize {
    sequence(shift).len() + 8 + 16
}

/// The shift that leaves the fewest cells to redraw, if it beats redrawing.
pub fn best(old: &[Shown], new: &[Shown], cols: u16, rows: u16) -> Option<Shift> {
    let (cols, rows) = (usize::from(cols), usize::from(rows));
    if rows < 3 || old.len() != cols * rows || new.len() != cols * rows {
        return None;
    }
    let (old, new) = (Grid { cells: old, cols }, Grid { cells: new, cols });
    let known: Vec<bool> = (0..rows).map(|y| old.known(y) && new.known(y)).collect();
    let plain: Vec<usize> = (0..rows).map(|y| cost(new.row(y), old.row(y))).collect();
    if plain.iter().filter(|c| **c > 0).count() < 2 {
        return None; // nothing worth moving
    }
    let blank: Vec<usize> = (0..rows).map(|y| blank_cost(new.row(y))).collect();
    // Each candidate block is scored by what it changes: cells redrawn after the shift plus
    // the shift itself, against the block's cells redrawn without it. Rows outside the block
    // cost the same either way.
    let mut best: Option<(isize, Shift)> = None;
    let max = MAX_SHIFT.min(i16::try_from(rows).unwrap_or(i16::MAX) - 1);
    for by in (-max..=max).filter(|s| *s != 0) {
        let n = usize::from(by.unsigned_abs());
        // moved[y]: redrawing row y once the row `by` away has landed on it; as prefix sums,
        // with a count of rows that cannot land (from off screen or unknown).
        let mut landed_sum = vec![0usize; rows + 1];
        let mut unlandable = vec![0usize; rows + 1];
        let mut blank_sum = vec![0usize; rows + 1];
        for y in 0..rows {
            let from = y.checked_add_signed(isize::from(by)).filter(|f| *f < rows && known[*f]);
            landed_sum[y + 1] = landed_sum[y] + from.map_or(0, |f| cost(new.row(y), old.row(f)));
            unlandable[y + 1] = unlandable[y] + usize::from(from.is_none());
            blank_sum[y + 1] = blank_sum[y] + blank[y];
        }
        for top in 0..rows {
            let mut without = 0usize;
            for bottom in top..rows {
                if !known[bottom] {
                    break;
                }
                without += plain[bottom];
                if bottom - top < n {
                    continue; // too short to shift by n
                }
                // Rows landing from inside the block, and the n rows left blank.
                let ((lo, hi), (blo, bhi)) = if by > 0 {
                    ((top, bottom - n), (bottom + 1 - n, bottom))
                } else {
                    ((top + n, bottom), (top, top + n - 1))
                };
                if unlandable[hi + 1] != unlandable[lo] {
                    continue;
                }
                let shift = Shift {
                    top: top as u16,
                    bottom: bottom as u16,
                    by,
                };
                let with = landed_sum[hi + 1] - landed_sum[lo] + blank_sum[bhi + 1] - blank_sum[blo] + overhead(shift);
                let change = with as isize - without as isize;
                if change < 0 && best.is_none_or(|(b, _)| change < b) {
                    best = Some((change, shift));
                }
            }
        }
    }
    best.map(|(_, shift)| shift)
}

/// DECSTBM to fence the block, the cursor to its top, DL or IL, then the whole screen back.
/// Leaves the cursor somewhere the caller must not rely on.
pub fn sequence(shift: Shift) -> String {
    let lines = shift.by.unsigned_abs();
    let op = if shift.by > 0 { 'M' } else { 'L' };
    let count = if lines == 1 { String::new() } else { lines.to_string() };
    format!(
        "\x1b[{};{}r{}\x1b[{count}{op}\x1b[r",
        shift.top + 1,
        shift.bottom + 1,
        escape::cup(0, shift.top)
    )
}

/// What the screen shows after the shift (erased rows blank, in the default colours).
pub fn apply(screen: &mut [Shown], cols: u16, shift: Shift) {
    let cols = usize::from(cols);
    let (top, bottom) = (usize::from(shift.top), usize::from(shift.bottom));
    let n = usize::from(shift.by.unsigned_abs());
    let block = &mut screen[top * cols..(bottom + 1) * cols];
    if shift.by > 0 {
        block.rotate_left(n * cols);
        let len = block.len();
        block[len - n * cols..].fill(BLANK);
    } else {
        block.rotate_right(n * cols);
        block[..n * cols].fill(BLANK);
    }
}
