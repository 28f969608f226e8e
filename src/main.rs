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
    for diagnostic in &outcome.diagnostics {
        let source = outcome.sources.get(&diagnostic.file).map(String::as_str);
        let _ = writeln!(err, "{}", diagnostic.render(source));
    }
    let _ = std::io::stdout().write_all(outcome.output.as_bytes());
    ExitCode::from(outcome.code)
}
