//! The `plansite` binary: parse the command line, run, print, exit.

use clap::Parser;

/// mimalloc: a build allocates many short strings on two threads at once,
/// where glibc's allocator spent a fifth of the time (perf, 1,000 plans).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    plansite::guard::install_hook();
    let cli = plansite::cli::Cli::parse();
    // The exit codes are documented in the README: 0, or the failure's
    // kind (`ExitKind`).
    let (report, code) = match plansite::run(cli) {
        Ok(report) => (report, 0),
        Err(failure) => (failure.report, failure.kind.code()),
    };
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let rendered = plansite::diagnostic::render_all(&report.diagnostics, &report.sources);
    let _ = err.write_all(rendered.as_bytes());
    // Plan text reaches stdout too (titles, file names, a snapshot's
    // changes): no control character gets through to the terminal.
    let output = plansite::text::for_terminal(&report.output);
    let _ = std::io::stdout().write_all(output.as_bytes());
    ExitCode::from(code)
}
