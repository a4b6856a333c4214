//! Where a build spends its time and memory, stage by stage (`atlasgen build --timings`).

use std::time::{Duration, Instant};

/// Elapsed time per named stage, in the order the stages ran, with the process's peak resident
/// memory when the stage ended (where the system reports it), so a stage that raises the peak
/// shows which one it is.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<(&'static str, Duration, Option<u64>)>,
}

impl Timings {
    /// Runs `f` as the stage `name` and records how long it took.
    pub fn stage<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.stages.push((name, start.elapsed(), peak_kib()));
        out
    }

    /// Adds the stages of another timer (a sub-step's own breakdown).
    pub fn extend(&mut self, other: Timings) {
        self.stages.extend(other.stages);
    }

    /// One line per stage: "  render pages      412.3 ms   peak 210 MiB".
    pub fn report(&self) -> String {
        self.stages
            .iter()
            .map(|(n, d, peak)| {
                let peak = peak.map(|k| format!("   peak {:>5} MiB", k / 1024)).unwrap_or_default();
                format!("  {n:<22} {:>8.1} ms{peak}\n", d.as_secs_f64() * 1000.0)
            })
            .collect()
    }
}

/// The process's peak resident set so far, in KiB (`VmHWM` on Linux; `None` elsewhere).
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
