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
