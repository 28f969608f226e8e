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

/// The words of `text` joined by single spaces, as
/// `text.split_whitespace().collect::<Vec<_>>().join(" ")` gives them; a
/// text already so spaced (most are) is copied as it is.
pub(crate) fn single_spaced(text: &str) -> String {
    let mut after_space = true;
    let spaced = text.chars().all(|c| {
        let ok = if c == ' ' {
            !after_space
        } else {
            !c.is_whitespace()
        };
        after_space = c == ' ';
        ok
    }) && !after_space;
    if spaced {
        return text.to_string();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
