//! The file watcher `serve` uses: the system's, less the events of files
//! and folders that were only opened or read.
//!
//! On Linux, notify asks inotify for open events too. A rebuild opens the
//! files it reads (the theme, the archive), and the check for changes
//! lists every folder of the archive and the themes, and each of those
//! opens was an event, which woke the loop for another check: with an
//! archive, an idle `serve` kept most of a core busy and slowed the
//! rebuilds it was waiting for. Only events that can change a file's
//! content or name are passed on.

use notify_debouncer_mini::notify::event::AccessKind;
use notify_debouncer_mini::notify::{
    Config, Event, EventHandler, EventKind, RecommendedWatcher, RecursiveMode, Result, Watcher,
    WatcherKind,
};
use std::path::{Path, PathBuf};

/// [`RecommendedWatcher`], passing on only events that may be changes.
pub struct ChangesOnly(RecommendedWatcher);

/// Whether an event only says a file or folder was opened or read.
pub fn is_read_only(kind: &EventKind) -> bool {
    // A file closed after writing (`Close(Write)`) is kept: it ends a save.
    matches!(
        kind,
        EventKind::Access(AccessKind::Open(_) | AccessKind::Read)
    )
}

impl Watcher for ChangesOnly {
    fn new<F: EventHandler>(mut handler: F, config: Config) -> Result<Self> {
        let filtered = move |event: Result<Event>| {
            if !matches!(&event, Ok(e) if is_read_only(&e.kind)) {
                handler.handle_event(event);
            }
        };
        RecommendedWatcher::new(filtered, config).map(ChangesOnly)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<()> {
        self.0.watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> Result<()> {
        self.0.unwatch(path)
    }

    fn configure(&mut self, option: Config) -> Result<bool> {
        self.0.configure(option)
    }

    fn kind() -> WatcherKind {
        RecommendedWatcher::kind()
    }
}

/// Whether every change in a burst of events is to a plan: each event's
/// path lies in the content folder and in none of the folders and files
/// that change every page (the archive, the themes, `site.toml`, which
/// may sit inside the content folder). Then those need not be checked
/// for changes, which with a large archive is a walk over thousands of
/// files. A watch error counts as a change to anything.
pub fn only_plans(
    burst: &[notify_debouncer_mini::DebounceEventResult],
    config: &crate::config::Config,
) -> bool {
    // notify reports relative watch paths joined to the working folder.
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let content = absolute(&config.content_dir);
    let site_wide: Vec<PathBuf> = [
        config.archive_dir.clone(),
        config.root.join("themes"),
        config.root.join("site.toml"),
    ]
    .iter()
    .map(|p| absolute(p))
    .collect();
    burst.iter().all(|events| {
        events.as_ref().is_ok_and(|events| {
            events.iter().all(|event| {
                let path = absolute(&event.path);
                path.starts_with(&content) && !site_wide.iter().any(|p| path.starts_with(p))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Reading a file and listing a folder send nothing; a write after
    /// them does. Events arrive in order, so the first event must be the
    /// write's: no waiting on a clock decides the test.
    #[test]
    fn opening_and_reading_send_no_event_and_a_write_does() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let read = dir.path().join("read.md");
        let folder = dir.path().join("archive");
        std::fs::write(&read, "# A plan\n").expect("write");
        std::fs::create_dir(&folder).expect("folder");
        std::fs::write(folder.join("manifest.json"), "{}").expect("write");
        let (tx, rx) = mpsc::channel();
        let mut watcher = ChangesOnly::new(
            move |event: Result<Event>| {
                let _ = tx.send(event);
            },
            Config::default(),
        )
        .expect("watcher");
        watcher
            .watch(dir.path(), RecursiveMode::Recursive)
            .expect("watch");

        std::fs::read_to_string(&read).expect("read");
        std::fs::read_to_string(folder.join("manifest.json")).expect("read");
        std::fs::read_dir(&folder).expect("list").for_each(drop);
        let written = dir.path().join("written.md");
        std::fs::write(&written, "# Another\n").expect("write");

        let first = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("an event for the write")
            .expect("no watch error");
        assert!(
            first.paths.iter().all(|p| p == &written),
            "the first event is not the write's: {first:?}"
        );
    }

    #[test]
    fn only_opens_and_reads_are_dropped() {
        use notify_debouncer_mini::notify::event::{
            AccessMode, CreateKind, DataChange, ModifyKind, RemoveKind,
        };
        assert!(is_read_only(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_read_only(&EventKind::Access(AccessKind::Read)));
        for kept in [
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Create(CreateKind::File),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Remove(RemoveKind::Any),
            EventKind::Any,
        ] {
            assert!(!is_read_only(&kept), "{kept:?} must be passed on");
        }
    }

    /// Plans are told apart from the archive, the themes and `site.toml`,
    /// also when those sit inside the content folder and when the root is
    /// given relative (notify reports absolute paths).
    #[test]
    fn only_plan_changes_skip_the_site_wide_check() {
        use notify_debouncer_mini::{DebouncedEvent, DebouncedEventKind};
        let burst = |paths: &[PathBuf]| {
            vec![Ok(paths
                .iter()
                .map(|p| DebouncedEvent::new(p.clone(), DebouncedEventKind::Any))
                .collect())]
        };
        let here = std::env::current_dir().expect("working folder");
        let dir = tempfile::tempdir_in(&here).expect("temporary folder");
        let name = dir.path().file_name().expect("name");
        let config = crate::config::Config::load(Path::new(name)).expect("config");
        let root = here.join(name);
        let plan = root.join("content/plan.md");
        assert!(only_plans(&burst(std::slice::from_ref(&plan)), &config));
        for other in [
            "archive/2025-W01/manifest.json",
            "themes/mine/plan.html",
            "site.toml",
            "notes.md",
        ] {
            let events = burst(&[plan.clone(), root.join(other)]);
            assert!(!only_plans(&events, &config), "{other} is not a plan");
        }
        let failed: Vec<notify_debouncer_mini::DebounceEventResult> = vec![Err(
            notify_debouncer_mini::notify::Error::generic("queue overflow"),
        )];
        assert!(
            !only_plans(&failed, &config),
            "an error may hide any change"
        );

        // The content folder is the root: the archive inside it still counts.
        std::fs::write(dir.path().join("site.toml"), "content_dir = \".\"\n").expect("write");
        let config = crate::config::Config::load(Path::new(name)).expect("config");
        assert!(only_plans(&burst(&[root.join("plan.md")]), &config));
        assert!(!only_plans(
            &burst(&[root.join("archive/2025-W01/plans/a.md")]),
            &config
        ));
        assert!(!only_plans(&burst(&[root.join("site.toml")]), &config));
    }
}
