//! The two ends of a period being dated, each filled in once from the
//! first text that gives it (the date readers and the gantt reader share
//! them).

use chrono::NaiveDate;

/// One end of a period being filled in.
#[derive(Clone, Copy, Default)]
pub(super) struct Slot {
    pub(super) day: Option<NaiveDate>,
    pub(super) line: Option<usize>,
}

impl Slot {
    pub(super) fn fill(&mut self, day: Option<NaiveDate>, line: usize) {
        if self.day.is_none() {
            if let Some(day) = day {
                *self = Slot {
                    day: Some(day),
                    line: Some(line),
                };
            }
        }
    }
}

/// The two ends of a period being filled in.
#[derive(Clone, Copy, Default)]
pub(super) struct Ends {
    pub(super) start: Slot,
    pub(super) end: Slot,
}
