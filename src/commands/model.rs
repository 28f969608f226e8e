//! `plansite model`: the JSON model of plans (schema 1).

use crate::cli::ModelArgs;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{ExitKind, Failure, Outcome, Report};
use crate::read_plans;

pub fn model_json(args: ModelArgs) -> Outcome {
    let config = Config::load(&args.root).map_err(Failure::usage)?;
    if let Some(path) = args.paths.iter().find(|path| !path.is_file()) {
        return Err(Failure::usage(Diagnostic::error(
            &path.display().to_string(),
            0,
            0,
            "no such plan file",
        )));
    }
    let reading = read_plans(&config, &args.paths);
    let value = if args.paths.len() == 1 {
        reading.plans.first().map(serde_json::to_value)
    } else {
        Some(serde_json::to_value(&reading.plans))
    };
    let output = match value {
        Some(Ok(v)) => serde_json::to_string_pretty(&v).unwrap_or_default() + "\n",
        _ => String::new(),
    };
    let errors = reading.diagnostics.iter().any(Diagnostic::is_error);
    let report = Report {
        output,
        diagnostics: reading.diagnostics,
        sources: reading.sources,
    };
    if errors {
        return Err(Failure {
            kind: ExitKind::Content,
            report,
        });
    }
    Ok(report)
}
