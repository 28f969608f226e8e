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
    let outcome = plansite::run(cli);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let rendered = plansite::diagnostic::render_all(&outcome.diagnostics, &outcome.sources);
    let _ = err.write_all(rendered.as_bytes());
    // Plan text reaches stdout too (titles, file names, a snapshot's
    // changes): no control character gets through to the terminal.
    let output = plansite::text::for_terminal(&outcome.output);
    let _ = std::io::stdout().write_all(output.as_bytes());
    ExitCode::from(outcome.code)
}
