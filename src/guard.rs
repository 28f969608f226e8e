//! Panics contained: a bug that panics on one plan (ours or a
//! dependency's) becomes an error naming that plan; the other plans are
//! still read and rendered, and a build with an error writes nothing.
//! `main` installs a hook that keeps a contained panic off the terminal.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Silences the default panic message for panics `contain` catches; any
/// other panic is printed as usual.
pub fn install_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !CONTAINED.with(Cell::get) {
            default(info);
        }
    }));
}

/// Runs `work`; a panic comes back as its message.
pub fn contain<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(work));
    CONTAINED.with(|c| c.set(outer));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

/// The message of a contained panic, as a diagnostic's text.
pub fn message(stage: &str, panic: &str) -> String {
    format!("plansite failed while {stage} this plan ({panic}); the other plans are unaffected: please report this with the file")
}

/// Test builds only: panics when `PLANSITE_INJECT_PANIC` is `stage:name`,
/// so that the tests can check a panic is contained.
pub fn injected(stage: &str, name: &str) {
    if asked("PLANSITE_INJECT_PANIC", |v| v == format!("{stage}:{name}")) {
        panic!("injected for a test");
    }
}

/// Test builds only: ends the process on the spot, as a kill would (no
/// unwinding, no destructors), when `PLANSITE_INJECT_KILL` is `point`.
pub fn killed_at(point: &str) {
    if asked("PLANSITE_INJECT_KILL", |v| v == point) {
        std::process::abort();
    }
}

/// Whether a test build's environment variable `var` asks for this; always
/// false in a release build (the variable is not even read).
fn asked(var: &str, this: impl FnOnce(&str) -> bool) -> bool {
    cfg!(debug_assertions) && std::env::var(var).is_ok_and(|v| this(&v))
}
