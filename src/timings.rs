//! Where a build spends its time, stage by stage (`atlasgen build --timings`).

use std::time::{Duration, Instant};

/// Elapsed time per named stage, in the order the stages ran.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Runs `f` as the stage `name` and records how long it took.
    pub fn stage<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.stages.push((name, start.elapsed()));
        out
    }

    /// Adds the stages of another timer (a sub-step's own breakdown).
    pub fn extend(&mut self, other: Timings) {
        self.stages.extend(other.stages);
    }

    /// One line per stage: "  render pages      412.3 ms".
    pub fn report(&self) -> String {
        self.stages.iter().map(|(n, d)| format!("  {n:<22} {:>8.1} ms\n", d.as_secs_f64() * 1000.0)).collect()
    }
}
