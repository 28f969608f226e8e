//! `plansite check`: read every plan, report every problem, one summary
//! line per plan.

use crate::cli::CheckArgs;
use crate::config::Config;
use crate::diagnostic::Level;
use crate::error::{ExitKind, Failure, Outcome, Report};
use crate::model::Plan;
use crate::read_plans;

pub fn check(args: CheckArgs) -> Outcome {
    let config = Config::load(&args.root).map_err(Failure::usage)?;
    let reading = read_plans(&config, &args.paths);
    let mut diagnostics = reading.diagnostics;
    let mut output = String::new();
    for plan in &reading.plans {
        output.push_str(&summary_line(plan));
        output.push('\n');
        diagnostics.extend(plan.diagnostics.iter().cloned());
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    output.push_str(&format!(
        "checked {} plan(s): {errors} error(s), {warnings} warning(s)\n",
        reading.plans.len()
    ));
    let report = Report {
        output,
        diagnostics,
        sources: reading.sources,
    };
    if errors > 0 || (args.strict && warnings > 0) {
        return Err(Failure {
            kind: ExitKind::Content,
            report,
        });
    }
    Ok(report)
}

/// One line per plan: title, phases, tasks, budget, warnings.
pub fn summary_line(plan: &Plan) -> String {
    let budget = plan
        .budget
        .table
        .as_ref()
        .and_then(|t| {
            let current = t.current.as_deref()?;
            t.total
                .as_ref()?
                .iter()
                .find(|(k, _)| k == current)
                .and_then(|(_, m)| *m)
        })
        .or(plan.budget.phases_total)
        .map_or_else(
            || "no budget".to_string(),
            |m| format!("budget {} ({})", m.display(), m.currency),
        );
    let warnings = plan
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .count();
    format!(
        "{}: {} — {} phase(s), {}/{} tasks done, {budget}, {warnings} warning(s)",
        plan.source,
        plan.title,
        plan.phases.len(),
        plan.progress.done,
        plan.progress.total
    )
}
