//! The corpora: the demo directory (500 services, seed 211, byte-identical to the one the
//! binary embeds) and synthetic directories of any size, all HSDS 3.0 CSV.

use std::path::{Path, PathBuf};
use std::time::Instant;

use navigator_index::synth::{write_datapackage, SynthOptions};

/// One size the benchmark runs at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// The embedded demo directory.
    Demo,
    Services(u64),
}

impl Size {
    /// "demo", "60000", "60k", "1m", "1000000".
    pub fn parse(text: &str) -> Result<Size, String> {
        let t = text.trim().to_ascii_lowercase();
        if t == "demo" {
            return Ok(Size::Demo);
        }
        let (digits, factor) = match t.strip_suffix('k') {
            Some(d) => (d, 1_000),
            None => match t.strip_suffix('m') {
                Some(d) => (d, 1_000_000),
                None => (t.as_str(), 1),
            },
        };
        let n: u64 = digits
            .replace('_', "")
            .parse()
            .map_err(|_| format!("{text:?} is not \"demo\" or a number of services"))?;
        match n.checked_mul(factor) {
            Some(n) if n > 0 => Ok(Size::Services(n)),
            _ => Err(format!("{text:?}: the number of services must be positive")),
        }
    }

    pub fn options(self, seed: u64) -> SynthOptions {
        match self {
            Size::Demo => SynthOptions::DEMO,
            Size::Services(services) => SynthOptions { services, seed },
        }
    }

    pub fn services(self) -> u64 {
        self.options(0).services
    }

    /// "demo (500)", "60,000", "1,000,000".
    pub fn label(self) -> String {
        match self {
            Size::Demo => format!("demo ({})", self.services()),
            Size::Services(n) => thousands(n),
        }
    }

    /// A name usable in file names.
    pub fn slug(self) -> String {
        match self {
            Size::Demo => "demo".into(),
            Size::Services(n) => n.to_string(),
        }
    }
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes the corpus for `size` under `work` unless an identical one is already there
/// (a marker file records the options it was written with).
pub fn ensure(work: &Path, size: Size, seed: u64) -> anyhow::Result<PathBuf> {
    let opts = size.options(seed);
    let dir = work.join(format!("corpus-{}-seed{}", opts.services, opts.seed));
    let marker = dir.join(".complete");
    let expected = format!("{} {}\n", opts.services, opts.seed);
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(expected.as_str()) {
        crate::progress(&format!("  corpus {} already written", dir.display()));
        return Ok(dir);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let start = Instant::now();
    write_datapackage(&opts, &dir, &mut |_| {})?;
    std::fs::write(&marker, expected)?;
    crate::progress(&format!(
        "  wrote the corpus ({} services) in {:.1} s",
        thousands(opts.services),
        start.elapsed().as_secs_f64()
    ));
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_demo_numbers_and_suffixes() {
        assert_eq!(Size::parse("demo"), Ok(Size::Demo));
        assert_eq!(Size::parse("60000"), Ok(Size::Services(60_000)));
        assert_eq!(Size::parse("60k"), Ok(Size::Services(60_000)));
        assert_eq!(Size::parse("1M"), Ok(Size::Services(1_000_000)));
        assert!(Size::parse("0").is_err());
        assert!(Size::parse("lots").is_err());
        assert_eq!(Size::Demo.services(), 500);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(500), "500");
        assert_eq!(thousands(60_000), "60,000");
    }
}
