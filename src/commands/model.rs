//! `plansite model`: the JSON model of plans (schema 1).

use super::load_config;
use crate::cli::ModelArgs;
use crate::diagnostic::Diagnostic;
use crate::{exit, read_plans, Outcome};

pub fn model_json(args: ModelArgs) -> Outcome {
    let config = match load_config(&args.root) {
        Ok(config) => config,
        Err(outcome) => return outcome,
    };
    for path in &args.paths {
        if !path.is_file() {
            return Outcome {
                diagnostics: vec![Diagnostic::error(
                    &path.display().to_string(),
                    0,
                    0,
                    "no such plan file",
                )],
                code: exit::USAGE,
                ..Outcome::default()
            };
        }
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
    Outcome {
        output,
        diagnostics: reading.diagnostics,
        sources: reading.sources,
        code: if errors { exit::CONTENT } else { exit::OK },
    }
}
