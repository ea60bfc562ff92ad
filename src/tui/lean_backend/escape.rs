//! The escape sequences the lean backend writes, chosen by length. Pure functions: each one
//! appends to a buffer, and the backend picks the shortest of its candidates.

use ratatui::style::{Color, Modifier};

/// Colours and attributes the terminal writes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pen {
    pub fg: Color,
    pub bg: Color,
    pub modifier: Modifier,
}

impl Pen {
    pub const DEFAULT: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };

    /// What `cell` is written with.
    pub fn of(cell: &ratatui::buffer::Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }
}

/// SGR codes that turn a modifier on, and the code that turns it off. Bold and dim share
/// their off code (22), as do the two blinks (25).
const MODIFIERS: [(Modifier, u8, u8); 9] = [
    (Modifier::BOLD, 1, 22),
    (Modifier::DIM, 2, 22),
    (Modifier::ITALIC, 3, 23),
    (Modifier::UNDERLINED, 4, 24),
    (Modifier::SLOW_BLINK, 5, 25),
    (Modifier::RAPID_BLINK, 6, 25),
    (Modifier::REVERSED, 7, 27),
    (Modifier::HIDDEN, 8, 28),
    (Modifier::CROSSED_OUT, 9, 29),
];

/// A colour as SGR parameters. The 16 named colours use the short codes (31, 91): in every
/// 256-colour palette they are entries 0 to 15, what `38;5;N` would select.
fn color(params: &mut Vec<String>, color: Color, foreground: bool) {
    let base: u16 = if foreground { 30 } else { 40 };
    let index = match color {
        Color::Reset => return params.push((base + 9).to_string()),
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(n) => n,
        Color::Rgb(r, g, b) => return params.push(format!("{};2;{r};{g};{b}", base + 8)),
    };
    params.push(match index {
        0..=7 => (base + u16::from(index)).to_string(),
        8..=15 => (base + 60 + u16::from(index) - 8).to_string(),
        _ => format!("{};5;{index}", base + 8),
    });
}

fn sequence(params: &[String]) -> String {
    format!("\x1b[{}m", params.join(";"))
}

/// Everything `to` needs, from a reset.
fn from_reset(to: Pen) -> String {
    let mut params = vec!["0".to_string()];
    for (m, on, _) in MODIFIERS {
        if to.modifier.contains(m) {
            params.push(on.to_string());
        }
    }
    if to.fg != Color::Reset {
        color(&mut params, to.fg, true);
    }
    if to.bg != Color::Reset {
        color(&mut params, to.bg, false);
    }
    if params.len() == 1 {
        "\x1b[m".to_string()
    } else {
        sequence(&params)
    }
}

/// Only what changed from `from` to `to`.
fn incremental(from: Pen, to: Pen) -> String {
    let mut params = Vec::new();
    let removed = from.modifier - to.modifier;
    let mut cleared = Modifier::empty();
    for (m, _, off) in MODIFIERS {
        if removed.contains(m) && !params.contains(&off.to_string()) {
            params.push(off.to_string());
            // The shared off codes clear the partner too.
            cleared |= match off {
                22 => Modifier::BOLD | Modifier::DIM,
                25 => Modifier::SLOW_BLINK | Modifier::RAPID_BLINK,
                _ => m,
            };
        }
    }
    let have = from.modifier - cleared;
    for (m, on, _) in MODIFIERS {
        if to.modifier.contains(m) && !have.contains(m) {
            params.push(on.to_string());
        }
    }
    if to.fg != from.fg {
        color(&mut params, to.fg, true);
    }
    if to.bg != from.bg {
        color(&mut params, to.bg, false);
    }
    if params.is_empty() {
        String::new()
    } else {
        sequence(&params)
    }
}

/// The shortest sequence that turns the pen `from` (None: unknown) into `to`.
pub fn sgr(from: Option<Pen>, to: Pen) -> String {
    let reset = from_reset(to);
    match from {
        Some(from) if from == to => String::new(),
        Some(from) => {
            let step = incremental(from, to);
            if step.len() <= reset.len() {
                step
            } else {
                reset
            }
        }
        None => reset,
    }
}

/// Absolute move (0-based in, 1-based on the wire).
pub fn cup(x: u16, y: u16) -> String {
    match (x, y) {
        (0, 0) => "\x1b[H".to_string(),
        (0, y) => format!("\x1b[{}H", y + 1),
        (x, y) => format!("\x1b[{};{}H", y + 1, x + 1),
    }
}

fn steps(n: u16, letter: char) -> String {
    if n == 1 {
        format!("\x1b[{letter}")
    } else {
        format!("\x1b[{n}{letter}")
    }
}

/// Erases `n` cells from the cursor (ECH), which stays where it is.
pub fn erase(n: u16) -> String {
    steps(n, 'X')
}

/// Moves within a row: right by CUF, left by backspaces, CUB, or a carriage return.
pub fn horizontal(from: u16, to: u16) -> String {
    if to > from {
        return steps(to - from, 'C');
    }
    if to == from {
        return String::new();
    }
    let back = from - to;
    let mut best = if back <= 3 {
        "\x08".repeat(back.into())
    } else {
        steps(back, 'D')
    };
    let via_return = if to == 0 {
        "\r".to_string()
    } else {
        format!("\r{}", steps(to, 'C'))
    };
    if via_return.len() < best.len() {
        best = via_return;
    }
    best
}

/// Moves between rows by CUU/CUD, keeping the column.
pub fn vertical(from: u16, to: u16) -> String {
    match to.cmp(&from) {
        std::cmp::Ordering::Greater => steps(to - from, 'B'),
        std::cmp::Ordering::Less => steps(from - to, 'A'),
        std::cmp::Ordering::Equal => String::new(),
    }
}

/// The shortest way from a known position to another without reprinting anything.
pub fn relative_move(from: (u16, u16), to: (u16, u16)) -> String {
    let (fx, fy) = from;
    let (tx, ty) = to;
    let direct = format!("{}{}", vertical(fy, ty), horizontal(fx, tx));
    let absolute = cup(tx, ty);
    if direct.len() <= absolute.len() {
        direct
    } else {
        absolute
    }
}
