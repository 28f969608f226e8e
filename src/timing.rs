//! Stage timers: with `PLANSITE_TIMINGS` set (to anything but `0` or
//! empty), `build` writes each stage's wall time to standard error when it
//! ends, so a slow build can be split before it is profiled. Nothing is
//! measured or printed otherwise.

use std::time::{Duration, Instant};

/// The stages of one command, in the order they ended.
pub struct Timings {
    enabled: bool,
    started: Instant,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Timers that run when `PLANSITE_TIMINGS` asks for them.
    pub fn from_env() -> Timings {
        let enabled =
            std::env::var_os("PLANSITE_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
        Timings::new(enabled)
    }

    pub fn new(enabled: bool) -> Timings {
        let now = Instant::now();
        Timings {
            enabled,
            started: now,
            last: now,
            stages: Vec::new(),
        }
    }

    /// Ends the stage `name` (it began when the last one ended).
    pub fn lap(&mut self, name: &'static str) {
        if self.enabled {
            let now = Instant::now();
            self.stages.push((name, now - self.last));
            self.last = now;
        }
    }

    /// The stages as lines (`  read and check plans   0.123 s  41%`), the
    /// total last; empty when the timers did not run.
    pub fn lines(&self) -> Vec<String> {
        if !self.enabled {
            return Vec::new();
        }
        let total = self.last - self.started;
        let share = |d: Duration| {
            if total.is_zero() {
                0.0
            } else {
                100.0 * d.as_secs_f64() / total.as_secs_f64()
            }
        };
        let mut lines: Vec<String> = self
            .stages
            .iter()
            .map(|(name, d)| {
                format!(
                    "  {name:<28} {:>8.3} s {:>4.0}%",
                    d.as_secs_f64(),
                    share(*d)
                )
            })
            .collect();
        lines.push(format!("  {:<28} {:>8.3} s", "total", total.as_secs_f64()));
        lines
    }

    /// Writes the stages to standard error, under a heading.
    pub fn report(&self, command: &str) {
        let lines = self.lines();
        if !lines.is_empty() {
            eprintln!("timings of `plansite {command}` (PLANSITE_TIMINGS):");
            for line in lines {
                eprintln!("{line}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_measures_nothing() {
        let mut t = Timings::new(false);
        t.lap("read");
        assert!(t.lines().is_empty());
    }

    #[test]
    fn on_lists_each_stage_then_the_total() {
        let mut t = Timings::new(true);
        t.lap("read");
        std::thread::sleep(Duration::from_millis(2));
        t.lap("render");
        let lines = t.lines();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].trim_start().starts_with("read"));
        assert!(lines[1].trim_start().starts_with("render"));
        assert!(lines[2].trim_start().starts_with("total"));
        assert!(t.stages[1].1 >= Duration::from_millis(2));
    }
}
