//! How busy the machine is with other work: timings on a shared 2-core machine mean little
//! if a compiler was running beside them. Counts from /proc/stat (all CPUs) minus this
//! process and its reaped children (/proc/self/stat), in clock ticks.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct CpuSample {
    busy: u64,
    total: u64,
    own: u64,
}

impl CpuSample {
    pub fn now() -> Option<CpuSample> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let cpu: Vec<u64> = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .filter_map(|v| v.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal ...
        if cpu.len() < 8 {
            return None;
        }
        let idle = cpu[3] + cpu[4];
        let busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
        let own_stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // Fields after "(comm)": state is field 3; utime..cstime are fields 14..17.
        let after = &own_stat[own_stat.rfind(')')? + 1..];
        let f: Vec<u64> = after
            .split_whitespace()
            .skip(11)
            .take(4)
            .filter_map(|v| v.parse().ok())
            .collect();
        if f.len() < 4 {
            return None;
        }
        Some(CpuSample {
            busy,
            total: busy + idle,
            own: f.iter().sum(),
        })
    }

    /// Share of the whole machine (0..1) used by other processes since `earlier`.
    pub fn others_since(&self, earlier: &CpuSample) -> f64 {
        let total = self.total.saturating_sub(earlier.total);
        if total == 0 {
            return 0.0;
        }
        let busy = self.busy.saturating_sub(earlier.busy);
        let own = self.own.saturating_sub(earlier.own);
        (busy.saturating_sub(own) as f64 / total as f64).clamp(0.0, 1.0)
    }
}

/// Machine share used by others over the last `window`.
fn others_over(window: Duration) -> Option<f64> {
    let a = CpuSample::now()?;
    std::thread::sleep(window);
    Some(CpuSample::now()?.others_since(&a))
}

/// Waits (at most `max`) until other processes use under 10% of the machine for a second.
/// Returns the share seen last.
pub fn wait_quiet(max: Duration) -> Option<f64> {
    if max.is_zero() {
        return None;
    }
    let start = Instant::now();
    let mut said = false;
    loop {
        let share = others_over(Duration::from_secs(1))?;
        if share < 0.10 || start.elapsed() >= max {
            if said {
                crate::progress(&format!(
                    "  machine {} ({:.0}% busy with other work)",
                    if share < 0.10 {
                        "quiet again"
                    } else {
                        "still busy, going on"
                    },
                    share * 100.0
                ));
            }
            return Some(share);
        }
        if !said {
            crate::progress(&format!(
                "  waiting for a quiet machine ({:.0}% busy with other work)",
                share * 100.0
            ));
            said = true;
        }
    }
}
