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
use crate::commands::{as_of_date, load_config, site_files, Site};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::{exit, Outcome};
use cache::PlanCache;
use chrono::NaiveDate;
use events::Tabs;
use http::{Reply, Request, Response};
use notify_debouncer_mini::notify::RecursiveMode;
use std::collections::HashMap;
use std::io::Write;
use std::net::TcpListener;
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::Duration;
use store::Stored;

/// What the server answers with: the files of the last good build, or the
/// error page of a failed one.
struct State {
    files: HashMap<String, Stored>,
    failure: Option<Vec<u8>>,
}

/// What `serve` keeps of the last build to render less the next time: its
/// plan pages, and its archived weeks. Valid while the configuration, the
/// theme, the archive and the date stay the same.
#[derive(Default)]
struct Memo {
    pages: crate::render::Memo,
    weeks: Option<Held>,
}

/// The archived weeks of the last build: their pages are in the server's
/// state already, so carrying one over is keeping it; and the week every
/// build reads (the last one before today, to count the changes since),
/// which stays the same while the memo lives.
struct Held {
    records: crate::commands::Records,
    loaded: Option<(crate::archive::WeekKey, crate::commands::Loaded)>,
}

impl crate::commands::Previous for Held {
    fn records(&self) -> crate::commands::Records {
        self.records.clone()
    }

    fn carry(&self, _: &str, _: usize) -> bool {
        true
    }

    fn loaded(&self, week: crate::archive::WeekKey) -> Option<crate::commands::Loaded> {
        let (kept, loaded) = self.loaded.as_ref()?;
        (*kept == week).then(|| loaded.clone())
    }
}

/// A build's files, or the errors (with the sources they point into).
type Built = Result<Update, (Vec<Diagnostic>, HashMap<String, String>)>;

/// The files a build made. An incremental build makes only what changed:
/// its files replace those of the last build, and `stale` ones go.
struct Update {
    files: Vec<(String, Stored)>,
    stale: Vec<String>,
    incremental: bool,
}

pub fn serve(args: ServeArgs) -> Outcome {
    let config = match load_config(&args.root) {
        Ok(config) => config,
        Err(outcome) => return outcome,
    };
    let usage = |message: String| Outcome {
        diagnostics: vec![Diagnostic::error("serve", 0, 0, message)],
        code: exit::USAGE,
        ..Outcome::default()
    };
    let as_of = match as_of_date(args.as_of.as_deref()) {
        Ok(date) => date,
        Err(d) => {
            return Outcome {
                diagnostics: vec![d],
                code: exit::USAGE,
                ..Outcome::default()
            }
        }
    };
    let listener = match TcpListener::bind((args.interface.as_str(), args.port)) {
        Ok(listener) => listener,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            return usage(format!(
                "port {} on {} is in use: stop the other server or choose another port with --port",
                args.port, args.interface
            ));
        }
        Err(e) => {
            return usage(format!(
                "cannot listen on {}:{}: {e}",
                args.interface, args.port
            ))
        }
    };
    let base = base_path(&config.base_url);
    let mut cache = PlanCache::default();
    let state = Arc::new(RwLock::new(State {
        files: HashMap::new(),
        failure: None,
    }));
    let listeners = Arc::new(Tabs::default());
    let reread = cache.refresh(&config);
    let mut memo = Memo::default();
    rebuild(
        &config,
        as_of,
        args.drafts,
        (cache.reading(), reread),
        (&state, &listeners),
        &mut memo,
    );
    let url = format!(
        "http://{}:{}{}",
        args.interface,
        args.port,
        encode_path(&base)
    );
    println!("serving {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if args.open {
        let _ = std::process::Command::new(if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        })
        .arg(&url)
        .spawn();
    }
    let (tx, rx) = mpsc::channel();
    let debounce = notify_debouncer_mini::Config::default().with_timeout(Duration::from_millis(10));
    let mut debouncer =
        match notify_debouncer_mini::new_debouncer_opt::<_, watch::ChangesOnly>(debounce, tx) {
            Ok(debouncer) => debouncer,
            Err(e) => return usage(format!("cannot watch the files: {e}")),
        };
    let site_toml = config.root.join("site.toml");
    for path in [
        &config.content_dir,
        &config.archive_dir,
        &config.root.join("themes"),
        &site_toml,
    ] {
        if path.exists() {
            let _ = debouncer.watcher().watch(path, RecursiveMode::Recursive);
        }
    }
    {
        let (state, listeners) = (Arc::clone(&state), Arc::clone(&listeners));
        let (root, drafts) = (args.root.clone(), args.drafts);
        std::thread::spawn(move || {
            let mut config = config;
            let mut known = cache::fingerprint(&config);
            while let Ok(first) = rx.recv() {
                // Take every event already queued: one rebuild per burst.
                let mut burst = vec![first];
                burst.extend(rx.try_iter());
                let print = if watch::only_plans(&burst, &config) {
                    known
                } else {
                    cache::fingerprint(&config)
                };
                let reread = cache.refresh(&config);
                if reread == 0 && print == known {
                    continue;
                }
                if print != known {
                    // The theme, the configuration or the archive changed:
                    // every page may change.
                    memo = Memo::default();
                }
                known = print;
                match load_config(&root) {
                    Ok(fresh) => config = fresh,
                    Err(outcome) => {
                        publish(
                            Err((outcome.diagnostics, outcome.sources)),
                            &state,
                            &listeners,
                        );
                        continue;
                    }
                }
                rebuild(
                    &config,
                    as_of,
                    drafts,
                    (cache.reading(), reread),
                    (&state, &listeners),
                    &mut memo,
                );
            }
        });
    }
    {
        let listeners = Arc::clone(&listeners);
        std::thread::spawn(move || listeners.keep_alive());
    }
    let site = Arc::new(Served {
        base,
        state,
        tabs: listeners,
    });
    http::run(listener, site, http::Hosts::new(&args.interface))
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

/// Builds the site in memory and tells every open tab. Plans whose source
/// did not change since the last build keep their pages (`memo`).
fn rebuild(
    config: &Config,
    as_of: NaiveDate,
    drafts: bool,
    (reading, reread): (&crate::Reading, usize),
    (state, listeners): (&RwLock<State>, &Tabs),
    memo: &mut Memo,
) {
    let started = std::time::Instant::now();
    let mut diagnostics = reading.diagnostics.clone();
    for plan in &reading.plans {
        diagnostics.extend(plan.diagnostics.iter().cloned());
    }
    let result = if diagnostics.iter().any(Diagnostic::is_error) {
        Err((diagnostics, reading.sources.clone()))
    } else {
        let files = Mutex::new(Vec::new());
        // Packed by the render threads, as they make each file.
        let sink = |file: crate::render::OutputFile| {
            let packed = Stored::pack(&file.bytes);
            files
                .lock()
                .map_err(|_| "a render thread failed".to_string())?
                .push((file.path, packed));
            Ok(())
        };
        let incremental = !memo.pages.is_empty();
        // Archived weeks are reused only by a build that keeps the pages
        // the server holds.
        let held = memo.weeks.take().filter(|_| incremental);
        match site_files(
            config,
            as_of,
            drafts,
            reading,
            diagnostics,
            &sink,
            (
                Some(&memo.pages),
                held.as_ref().map(|h| h as &dyn crate::commands::Previous),
            ),
        ) {
            Ok(Site {
                diagnostics,
                records,
                loaded,
            }) => {
                memo.weeks = Some(Held { records, loaded });
                Ok((
                    Update {
                        files: files.into_inner().unwrap_or_default(),
                        stale: memo.pages.take_stale(),
                        incremental,
                    },
                    diagnostics.len(),
                ))
            }
            Err(outcome) => Err((outcome.diagnostics, outcome.sources)),
        }
    };
    if result.is_err() {
        // Pages of a failed build never reached the server: forget them.
        *memo = Memo::default();
    }
    if let Ok((files, warnings)) = &result {
        println!(
            "rebuilt: {} file(s), {reread} plan(s) read again, {warnings} warning(s) in {} ms",
            files.files.len(),
            started.elapsed().as_millis()
        );
    }
    publish(result.map(|(update, _)| update), state, listeners);
}

/// Swaps in a new build (or its error page) and tells every open tab.
fn publish(result: Built, state: &RwLock<State>, listeners: &Tabs) {
    {
        let Ok(mut state) = state.write() else { return };
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
    listeners.rebuilt();
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
