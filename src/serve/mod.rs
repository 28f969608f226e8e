//! `plansite serve`: builds the site in memory (each file compressed:
//! `store`) and serves it on loopback under the base URL's path. It
//! watches the plans, `site.toml`, the theme and the archive for changes
//! (10 ms debounce; a file only opened or read is not a change: `watch`)
//! and rebuilds on change, re-reading and re-rendering only what changed:
//! - the plans edited, and the dashboard and site-wide pages every time;
//! - archived weeks as `build` reuses them; the archived week that changes
//!   are counted from is kept from the last rebuild, not read again;
//! - everything when the configuration, theme or archive changed (looked
//!   for only when a change was not to a plan).
//!
//! Open tabs reload through server-sent events (`events`). A broken edit
//! shows an error page until it is fixed; nothing is written to disk.
//! Requests are answered by a pool of workers with bounded reads and
//! writes, for loopback `Host` names only (`http`).

mod cache;
mod events;
mod http;
mod page;
mod store;
mod watch;

use crate::cli::ServeArgs;
use crate::config::{Clock, Config, Flags};
use crate::diagnostic::Diagnostic;
use crate::error::{Failure, Outcome};
use crate::output::OutputFile;
use crate::site::memo::{Held, Memo};
use crate::site::{self, Previous};
use cache::PlanCache;
use events::Tabs;
use http::{Reply, Request, Response};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::DebounceEventResult;
use std::collections::HashMap;
use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::Duration;
use store::Stored;

/// What the server answers with: the files of the last good build, or the
/// error page of a failed one.
struct State {
    files: HashMap<String, Stored>,
    failure: Option<Vec<u8>>,
}

/// A build's errors, with the sources they point into.
type Errors = (Vec<Diagnostic>, HashMap<String, String>);

/// A build's files, or its errors.
type Built = Result<Update, Errors>;

/// The files a build made. An incremental build makes only what changed:
/// its files replace those of the last build, and `stale` ones go.
struct Update {
    files: Vec<(String, Stored)>,
    stale: Vec<String>,
    incremental: bool,
    warnings: usize,
}

pub fn serve(args: ServeArgs, clock: &Clock) -> Outcome {
    let flags = Flags {
        as_of: args.as_of.clone(),
        drafts: args.drafts,
        protect: args.protect,
        ..Flags::default()
    };
    let config = Config::resolve(&args.root, &flags, clock).map_err(Failure::usage)?;
    let protection = site::protect::Protection::from_env(&config)?;
    // Every rebuild reports on the day the server started: its memo holds
    // pages of that date.
    let flags = Flags {
        as_of: Some(config.as_of.format("%Y-%m-%d").to_string()),
        ..flags
    };
    let listener = listen(&args)?;
    let base = base_path(&config.base_url);
    let state = Arc::new(RwLock::new(State {
        files: HashMap::new(),
        failure: None,
    }));
    let tabs = Arc::new(Tabs::default());
    let mut rebuilder = Rebuilder {
        root: args.root.clone(),
        flags,
        clock: clock.clone(),
        cache: PlanCache::default(),
        memo: Memo::default(),
        protection,
        state: Arc::clone(&state),
        tabs: Arc::clone(&tabs),
    };
    let reread = rebuilder.cache.refresh(&config);
    rebuilder.rebuild(&config, reread);
    let url = format!(
        "http://{}:{}{}",
        args.interface,
        args.port,
        encode_path(&base)
    );
    println!("serving {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if args.open {
        open_browser(&url);
    }
    let (tx, rx) = mpsc::channel();
    let debounce = notify_debouncer_mini::Config::default().with_timeout(Duration::from_millis(10));
    let mut debouncer =
        notify_debouncer_mini::new_debouncer_opt::<_, watch::ChangesOnly>(debounce, tx)
            .map_err(|e| usage(format!("cannot watch the files: {e}")))?;
    for path in watched(&config) {
        if path.exists() {
            let _ = debouncer.watcher().watch(&path, RecursiveMode::Recursive);
        }
    }
    std::thread::spawn(move || rebuilder.run(config, &rx));
    {
        let tabs = Arc::clone(&tabs);
        std::thread::spawn(move || tabs.keep_alive());
    }
    let site = Arc::new(Served { base, state, tabs });
    http::run(listener, site, http::Hosts::new(&args.interface))
}

/// A problem with the command line or the machine (exit 2).
fn usage(message: String) -> Failure {
    Failure::usage(Diagnostic::error("serve", 0, 0, message))
}

/// The socket the server listens on.
fn listen(args: &ServeArgs) -> Result<TcpListener, Failure> {
    TcpListener::bind((args.interface.as_str(), args.port)).map_err(|e| {
        usage(if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "port {} on {} is in use: stop the other server or choose another port with --port",
                args.port, args.interface
            )
        } else {
            format!("cannot listen on {}:{}: {e}", args.interface, args.port)
        })
    })
}

/// Opens `url` in the default browser (best effort).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener).arg(url).spawn();
}

/// What a change in rebuilds the site: the plans, the archive, the
/// themes and `site.toml`.
fn watched(config: &Config) -> [PathBuf; 4] {
    [
        config.content_dir.clone(),
        config.archive_dir.clone(),
        config.root.join("themes"),
        config.root.join("site.toml"),
    ]
}

/// What rebuilds the site on a change: the plans as last read, what the
/// last build keeps for the next, and where builds are published.
struct Rebuilder {
    root: PathBuf,
    flags: Flags,
    clock: Clock,
    cache: PlanCache,
    memo: Memo,
    /// The keys of `--protect`, made once: every rebuild seals under the
    /// same salt, so an open tab stays unlocked when it reloads.
    protection: Option<site::protect::Protection>,
    state: Arc<RwLock<State>>,
    tabs: Arc<Tabs>,
}

impl Rebuilder {
    /// Rebuilds on each burst of changes until the watcher stops.
    fn run(mut self, mut config: Config, changes: &mpsc::Receiver<DebounceEventResult>) {
        let mut known = cache::fingerprint(&config);
        while let Ok(first) = changes.recv() {
            // Take every event already queued: one rebuild per burst.
            let mut burst = vec![first];
            burst.extend(changes.try_iter());
            let print = if watch::only_plans(&burst, &config) {
                known
            } else {
                cache::fingerprint(&config)
            };
            let reread = self.cache.refresh(&config);
            if reread == 0 && print == known {
                continue;
            }
            if print != known {
                // The theme, the configuration or the archive changed:
                // every page may change.
                self.memo = Memo::default();
            }
            known = print;
            match Config::resolve(&self.root, &self.flags, &self.clock).map_err(Failure::usage) {
                Ok(fresh) => config = fresh,
                Err(failure) => {
                    self.publish(Err(errors(failure)));
                    continue;
                }
            }
            self.rebuild(&config, reread);
        }
    }

    /// Builds the site in memory and tells every open tab. Plans whose
    /// source did not change since the last build keep their pages.
    fn rebuild(&mut self, config: &Config, reread: usize) {
        let started = std::time::Instant::now();
        let result = self.build(config);
        match &result {
            Ok(update) => println!(
                "rebuilt: {} file(s), {reread} plan(s) read again, {} warning(s) in {} ms",
                update.files.len(),
                update.warnings,
                started.elapsed().as_millis()
            ),
            // Pages of a failed build never reached the server: forget them.
            Err(_) => self.memo = Memo::default(),
        }
        self.publish(result);
    }

    /// The files of a build, packed as the render threads make them.
    fn build(&mut self, config: &Config) -> Built {
        let reading = self.cache.reading();
        let diagnostics = reading.checked().map_err(errors)?;
        let files = Mutex::new(Vec::new());
        let sink = |file: OutputFile| {
            let packed = Stored::pack(&file.bytes);
            files
                .lock()
                .map_err(|_| "a render thread failed".to_string())?
                .push((file.path, packed));
            Ok(())
        };
        let incremental = !self.memo.pages.is_empty();
        // Archived weeks are reused only by a build that keeps the pages
        // the server holds.
        let held = self.memo.weeks.take().filter(|_| incremental);
        let job = site::Job {
            config,
            reading,
            previous: held.as_ref().map(|h| h as &dyn Previous),
            memo: Some(&self.memo.pages),
            protection: self.protection.as_ref(),
        };
        let site = site::assemble(&job, diagnostics, &sink).map_err(errors)?;
        self.memo.weeks = Some(Held {
            records: site.records,
            kept: site.kept,
        });
        Ok(Update {
            files: files.into_inner().unwrap_or_default(),
            stale: self.memo.pages.take_stale(),
            incremental,
            warnings: site.diagnostics.len(),
        })
    }

    /// Swaps in a new build (or its error page) and tells every open tab.
    fn publish(&self, result: Built) {
        {
            let Ok(mut state) = self.state.write() else {
                return;
            };
            match result {
                Ok(update) => {
                    let fresh = update.files.into_iter();
                    if update.incremental {
                        for path in update.stale {
                            state.files.remove(&path);
                        }
                        state.files.extend(fresh);
                    } else {
                        state.files = fresh.collect();
                    }
                    state.failure = None;
                }
                Err((diagnostics, sources)) => {
                    let errors: Vec<Diagnostic> = diagnostics
                        .iter()
                        .filter(|d| d.is_error())
                        .cloned()
                        .collect();
                    eprint!("{}", crate::diagnostic::render_all(&errors, &sources));
                    state.failure = Some(page::error_page(&diagnostics, &sources));
                }
            }
        }
        self.tabs.rebuilt();
    }
}

/// What the error page shows of a failure.
fn errors(failure: Failure) -> Errors {
    (failure.report.diagnostics, failure.report.sources)
}

/// The path the site lives under, decoded: `/` or `/repo/`.
fn base_path(base_url: &str) -> String {
    let without_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| {
        rest.find('/').map_or("/", |at| &rest[at..])
    });
    let decoded = percent_decode(without_scheme);
    let trimmed = decoded.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// The site as served: its path, what the last build made, the open tabs.
struct Served {
    /// Decoded: `/café/`, not `/caf%C3%A9/`.
    base: String,
    state: Arc<RwLock<State>>,
    tabs: Arc<Tabs>,
}

impl http::Site for Served {
    fn answer(&self, request: &Request) -> Reply {
        let raw = request.target.split(['?', '#']).next().unwrap_or("/");
        let url = percent_decode(raw);
        if url == page::EVENTS {
            return if request.head_only {
                Reply::Response(Response::new(200, "text/event-stream", Vec::new()))
            } else {
                Reply::Events
            };
        }
        if url == "/" && self.base != "/" {
            return Reply::Response(Response::redirect(302, encode_path(&self.base)));
        }
        let Some(relative) = url.strip_prefix(&self.base) else {
            return Reply::Response(Response::text(404, "not found"));
        };
        let mut path = relative.to_string();
        if path.is_empty() || path.ends_with('/') {
            path.push_str("index.html");
        }
        let html = "text/html; charset=utf-8";
        let Ok(state) = self.state.read() else {
            return Reply::Response(Response::text(500, "the server failed"));
        };
        let response = match (&state.failure, state.files.get(&path)) {
            (Some(failure), _) if path.ends_with(".html") => {
                Response::new(500, html, failure.clone())
            }
            (_, Some(file)) if path.ends_with(".html") => Response::new(
                200,
                page::content_type(&path),
                page::with_reload(&file.unpack()),
            ),
            (_, Some(file)) => Response::new(200, page::content_type(&path), file.unpack()),
            (_, None) if state.files.contains_key(&format!("{path}/index.html")) => {
                Response::redirect(301, encode_path(&format!("{url}/")))
            }
            (_, None) => Response::new(
                404,
                html,
                state
                    .files
                    .get("404.html")
                    .map_or_else(|| b"not found".to_vec(), |f| page::with_reload(&f.unpack())),
            ),
        };
        Reply::Response(response)
    }

    fn keep(&self, stream: std::net::TcpStream) {
        self.tabs.add(stream);
    }

    fn short_of_descriptors(&self) {
        self.tabs.sweep();
    }
}

/// `%20` and friends in a request path.
fn percent_decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// What a URL path cannot hold as it is: controls, spaces, non-ASCII
/// (encoded as UTF-8) and the characters that end or change a path.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A decoded path as it goes in a `Location` header or a printed URL.
fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("https://owner.github.io/repo/"), "/repo/");
        assert_eq!(base_path("https://plans.example.com"), "/");
        assert_eq!(base_path("/repo"), "/repo/");
        assert_eq!(
            percent_decode("plans/caf%C3%A9/index.html"),
            "plans/café/index.html"
        );
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(base_path("https://x.io/café/"), "/café/");
        assert_eq!(base_path("https://x.io/caf%C3%A9/"), "/café/");
        assert_eq!(encode_path("/café/a b?%/"), "/caf%C3%A9/a%20b%3F%25/");
    }
}
