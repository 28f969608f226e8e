//! Status marks and words: `✅`, `⏳`, `⚠️`, `:x:`, `done`, `on track`,
//! `blocked`, read into the two closed vocabularies of the model.

use serde::Serialize;

/// The status of one success criterion (a leading mark on a list item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionStatus {
    Met,
    NotMet,
    Pending,
    AtRisk,
    Unknown,
}

/// The status in a table's Status column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Pending,
    InProgress,
    Failed,
    AtRisk,
    Unknown,
}

/// Marks, as characters, and what they mean.
const MARKS: &[(&str, Status)] = &[
    ("✅", Status::Done),
    ("✔", Status::Done),
    ("☑", Status::Done),
    ("✓", Status::Done),
    ("🟢", Status::Done),
    ("❌", Status::Failed),
    ("✗", Status::Failed),
    ("✖", Status::Failed),
    ("🔴", Status::Failed),
    ("⛔", Status::Failed),
    ("⏳", Status::Pending),
    ("⌛", Status::Pending),
    ("🔲", Status::Pending),
    ("⬜", Status::Pending),
    ("☐", Status::Pending),
    ("□", Status::Pending),
    ("🔄", Status::InProgress),
    ("🚧", Status::InProgress),
    ("🏗", Status::InProgress),
    ("🟡", Status::AtRisk),
    ("⚠", Status::AtRisk),
    ("🚦", Status::InProgress),
];

/// Words and phrases, checked as whole words, longest first.
const WORDS: &[(&str, Status)] = &[
    ("not started", Status::Pending),
    // Phrases in Spanish, Portuguese, German, French and Italian.
    ("no empezado", Status::Pending),
    ("no iniciado", Status::Pending),
    ("não iniciado", Status::Pending),
    ("nicht begonnen", Status::Pending),
    ("pas commencé", Status::Pending),
    ("non iniziato", Status::Pending),
    ("en progreso", Status::InProgress),
    ("en curso", Status::InProgress),
    ("em andamento", Status::InProgress),
    ("em progresso", Status::InProgress),
    ("in arbeit", Status::InProgress),
    ("en cours", Status::InProgress),
    ("in corso", Status::InProgress),
    ("in progress", Status::InProgress),
    ("on track", Status::InProgress),
    ("at risk", Status::AtRisk),
    ("off track", Status::AtRisk),
    ("completed", Status::Done),
    ("complete", Status::Done),
    ("done", Status::Done),
    ("finished", Status::Done),
    ("shipped", Status::Done),
    ("met", Status::Done),
    ("passed", Status::Done),
    ("yes", Status::Done),
    ("closed", Status::Done),
    ("terminado", Status::Done),
    ("terminada", Status::Done),
    ("completado", Status::Done),
    ("completada", Status::Done),
    ("finalizado", Status::Done),
    ("finalizada", Status::Done),
    ("hecho", Status::Done),
    ("concluído", Status::Done),
    ("concluída", Status::Done),
    ("concluido", Status::Done),
    ("erledigt", Status::Done),
    ("abgeschlossen", Status::Done),
    ("fertig", Status::Done),
    ("terminé", Status::Done),
    ("terminée", Status::Done),
    ("achevé", Status::Done),
    ("completato", Status::Done),
    ("concluso", Status::Done),
    ("pendiente", Status::Pending),
    ("pendente", Status::Pending),
    ("offen", Status::Pending),
    ("geplant", Status::Pending),
    ("prévu", Status::Pending),
    ("pending", Status::Pending),
    ("planned", Status::Pending),
    ("todo", Status::Pending),
    ("open", Status::Pending),
    ("not yet", Status::Pending),
    ("no", Status::Pending),
    ("ongoing", Status::InProgress),
    ("started", Status::InProgress),
    ("wip", Status::InProgress),
    ("active", Status::InProgress),
    ("blocked", Status::AtRisk),
    ("late", Status::AtRisk),
    ("delayed", Status::AtRisk),
    ("failed", Status::Failed),
    ("missed", Status::Failed),
    ("cancelled", Status::Failed),
    ("canceled", Status::Failed),
];

/// Replaces GitHub shortcodes (`:white_check_mark:`) by their emoji.
/// `expand_shortcodes`, without a copy of a text that has no `:` (and so
/// no shortcode).
fn expanded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(':') {
        expand_shortcodes(text).into()
    } else {
        text.into()
    }
}

fn expand_shortcodes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(':') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find(':') {
            Some(end) if end > 0 && !after[..end].contains(char::is_whitespace) => {
                match emojis::get_by_shortcode(&after[..end]) {
                    Some(emoji) => {
                        out.push_str(emoji.as_str());
                        rest = &after[end + 1..];
                    }
                    None => {
                        out.push(':');
                        rest = after;
                    }
                }
            }
            _ => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads a status cell: the first mark wins, else the first status word.
pub fn parse_status(cell: &str) -> Status {
    let text = expanded(cell);
    // Every mark is one non-ASCII character: the first character that is
    // one is the first mark.
    let first_mark = text
        .chars()
        .filter(|c| !c.is_ascii())
        .find_map(|c| MARKS.iter().find(|(mark, _)| mark.chars().eq([c])));
    if let Some((_, status)) = first_mark {
        return *status;
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // A status word (or words, one space apart) stands in the cell as
    // whole words, one after the other.
    let stands_in = |phrase: &str| {
        let length = phrase.split(' ').count();
        words
            .windows(length)
            .any(|run| phrase.split(' ').eq(run.iter().copied()))
    };
    WORDS
        .iter()
        .find(|(word, _)| stands_in(word))
        .map_or(Status::Unknown, |(_, status)| *status)
}

/// Splits a leading status mark off a criterion: `✅ Tests pass` is met.
pub fn parse_criterion(text: &str) -> (CriterionStatus, String) {
    let expanded = expanded(text.trim());
    for (mark, status) in MARKS {
        if let Some(rest) = expanded.strip_prefix(mark) {
            let rest = rest.trim_start_matches(['\u{fe0f}', ' ', '\u{a0}']);
            let status = match status {
                Status::Done => CriterionStatus::Met,
                Status::Failed => CriterionStatus::NotMet,
                Status::Pending | Status::InProgress => CriterionStatus::Pending,
                Status::AtRisk => CriterionStatus::AtRisk,
                Status::Unknown => CriterionStatus::Unknown,
            };
            return (status, rest.to_string());
        }
    }
    (CriterionStatus::Unknown, text.trim().to_string())
}

/// True when the text starts with a status mark (a criteria-style list).
pub fn starts_with_mark(text: &str) -> bool {
    parse_criterion(text).0 != CriterionStatus::Unknown
}

/// Strips leading status marks and emoji from a short value such as
/// `✅ Ready to Execute`, keeping the words.
pub fn strip_marks(text: &str) -> String {
    let expanded = expanded(text.trim());
    expanded
        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(' && c != '"')
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_single_characters_and_words_single_spaced() {
        for (mark, _) in MARKS {
            assert_eq!(mark.chars().count(), 1, "{mark}");
            assert!(!mark.is_ascii(), "{mark}");
        }
        for (word, _) in WORDS {
            assert!(
                word.split(' ')
                    .all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric)),
                "{word}"
            );
        }
    }

    #[test]
    fn table_statuses() {
        assert_eq!(parse_status("✅"), Status::Done);
        assert_eq!(parse_status("⏳"), Status::Pending);
        assert_eq!(parse_status("🔄 underway"), Status::InProgress);
        assert_eq!(parse_status("❌"), Status::Failed);
        assert_eq!(parse_status("⚠️ slipping"), Status::AtRisk);
        assert_eq!(parse_status(":white_check_mark: shipped"), Status::Done);
        assert_eq!(parse_status("On track"), Status::InProgress);
        assert_eq!(parse_status("Not started"), Status::Pending);
        assert_eq!(parse_status("Blocked by vendor"), Status::AtRisk);
        assert_eq!(parse_status("Yes"), Status::Done);
        assert_eq!(parse_status("No"), Status::Pending);
        assert_eq!(parse_status("Terminada"), Status::Done);
        assert_eq!(parse_status("Concluído"), Status::Done);
        assert_eq!(parse_status("Erledigt"), Status::Done);
        assert_eq!(parse_status("En Progreso"), Status::InProgress);
        assert_eq!(parse_status("en cours"), Status::InProgress);
        assert_eq!(parse_status("No empezado"), Status::Pending);
        assert_eq!(parse_status("Não iniciado"), Status::Pending);
        assert_eq!(parse_status("Nobody knows"), Status::Unknown);
        assert_eq!(parse_status(""), Status::Unknown);
    }

    #[test]
    fn criterion_marks() {
        assert_eq!(
            parse_criterion("✅ Tests pass"),
            (CriterionStatus::Met, "Tests pass".into())
        );
        assert_eq!(
            parse_criterion("❌ No audit"),
            (CriterionStatus::NotMet, "No audit".into())
        );
        assert_eq!(
            parse_criterion("⚠️ Flaky"),
            (CriterionStatus::AtRisk, "Flaky".into())
        );
        assert_eq!(
            parse_criterion("🔄 Tuning"),
            (CriterionStatus::Pending, "Tuning".into())
        );
        assert_eq!(
            parse_criterion("Plain"),
            (CriterionStatus::Unknown, "Plain".into())
        );
    }

    #[test]
    fn strips_leading_marks() {
        assert_eq!(strip_marks("✅ Ready to Execute"), "Ready to Execute");
        assert_eq!(strip_marks("In Progress"), "In Progress");
    }
}
