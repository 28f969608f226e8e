//! Parsing: decoded text to the pieces the model is built from: front
//! matter, the block outline, and the small languages inside plan text
//! (spans, money, dates, status marks).

pub mod calendar;
pub mod date;
pub mod front_matter;
pub mod gantt;
pub mod money;
pub mod outline;
pub mod span;
pub mod status;

/// The index of the group `name` of `re` (`usize::MAX`, which no match
/// has, for a name it lacks): the patterns read many matches, and a group
/// taken by index is not looked up by its name each time.
pub(crate) fn group_index(re: &regex::Regex, name: &str) -> usize {
    re.capture_names()
        .position(|n| n == Some(name))
        .unwrap_or(usize::MAX)
}
