//! A hostile file system, through the real binary: what an author with
//! commit access can put in the repository besides plan text. Symbolic
//! links, FIFOs, devices and huge files in the archive (and links in the
//! theme or as the content folder) are refused with a warning naming them,
//! never read into the site and never waited on, by `build` and `serve`
//! alike; `init`, `snapshot` and `build` never write through a link; a
//! leftover folder beside the output is never adopted; a lock whose
//! process id was reused is taken over; the output may not sit in the
//! theme.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use super::plansite;

const PLAN: &str = "---\ntitle: Billing Revamp\n---\n\n## Week 1-2: Design\n\n**Budget:** $4,000\n\n- [x] Draw the flows\n- [ ] Review with finance\n";

/// What stands for a secret outside the site: it must never reach the output.
const SECRET: &str = "SECRET-TOKEN-b7e1c0de";

/// A site with one plan and a snapshot of week 2025-W10, and a folder
/// beside it holding a secret (`outside/secret.txt`).
fn archived_site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    fs::create_dir_all(root.join("content")).expect("content");
    fs::write(root.join("content/billing.md"), PLAN).expect("plan");
    let outside = tmp.path().join("outside");
    fs::create_dir_all(&outside).expect("outside");
    fs::write(outside.join("secret.txt"), format!("# {SECRET}\n")).expect("secret");
    plansite()
        .args(["snapshot", "--week", "2025-W10", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
        .code(0);
    (tmp, root, outside)
}

/// Adds `path` (with any hash) to the manifest of `week`.
#[cfg(unix)]
fn name_in_manifest(root: &Path, week: &str, path: &str) {
    let manifest = root.join("archive").join(week).join("manifest.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&fs::read(&manifest).expect("manifest")).expect("json");
    json["files"]
        .as_array_mut()
        .expect("files")
        .push(serde_json::json!({"path": path, "sha256": "00", "bytes": 1}));
    fs::write(&manifest, serde_json::to_vec(&json).expect("json")).expect("write");
}

/// `plansite build` of `root` with a hang guard: a run still going after
/// 60 s (a build of this site takes well under a second) is killed and
/// the test fails, so a reader that waits forever cannot hang the suite.
/// `ulimit -v` bounds its memory, so a reader that grows without bound
/// fails fast instead of taking the machine's memory.
fn guarded_build(root: &Path) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("plansite");
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$0\" build --as-of 2025-03-19 --root \"$1\"")
        .arg(bin)
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("build starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("build still running after 60 s: it waits on something it should not read");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether one diagnostic in `stderr` (its message and `-->` line) names
/// `file` and says every one of `words`.
fn warned(stderr: &str, file: &str, words: &[&str]) -> bool {
    let mut blocks: Vec<String> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("warning:") || line.starts_with("error:") || blocks.is_empty() {
            blocks.push(String::new());
        }
        if let Some(block) = blocks.last_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks.iter().any(|b| {
        b.lines()
            .any(|l| l.starts_with("-->") && (l.ends_with(file) || l.contains(&format!("{file}:"))))
            && words.iter().all(|w| b.contains(w))
    })
}

/// No file of the built site holds the secret.
fn assert_no_secret(public: &Path) {
    for (path, bytes) in super::files_under(public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{path} holds the secret from outside the site"
        );
    }
}

#[cfg(unix)]
#[test]
fn archived_plans_never_follow_links() {
    use std::os::unix::fs::symlink;
    let (tmp, root, outside) = archived_site();
    // Week 10: its `plans` folder is a link to a `.git` holding a token,
    // and the manifest names `config`.
    fs::create_dir_all(root.join(".git")).expect("git");
    fs::write(
        root.join(".git/config"),
        format!("[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n"),
    )
    .expect("config");
    let week = root.join("archive/2025-W10");
    fs::rename(week.join("plans"), tmp.path().join("plans-aside")).expect("aside");
    symlink("../../.git", week.join("plans")).expect("link");
    name_in_manifest(&root, "2025-W10", "config");
    // Week 11: a plan that is a link to a file outside, and one to
    // /etc/passwd.
    plansite()
        .args(["snapshot", "--week", "2025-W11", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
        .code(0);
    let plans = root.join("archive/2025-W11/plans");
    fs::remove_file(plans.join("billing.md")).expect("remove");
    symlink(outside.join("secret.txt"), plans.join("billing.md")).expect("link");
    symlink("/etc/passwd", plans.join("passwd.md")).expect("link");
    name_in_manifest(&root, "2025-W11", "passwd.md");
    // Week 12: the week folder itself is a link to a copy outside.
    plansite()
        .args(["snapshot", "--week", "2025-W12", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
        .code(0);
    let week12 = root.join("archive/2025-W12");
    fs::write(
        week12.join("plans/billing.md"),
        format!("# {SECRET}\n\n## Week 1: A\n\n- [ ] x\n"),
    )
    .expect("edit");
    fs::rename(&week12, outside.join("2025-W12")).expect("move out");
    symlink(outside.join("2025-W12"), &week12).expect("link");

    let output = guarded_build(&root);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for named in [
        "archive/2025-W10/plans/config",
        "archive/2025-W10/plans/billing.md",
        "archive/2025-W11/plans/billing.md",
        "archive/2025-W11/plans/passwd.md",
        "archive/2025-W12",
    ] {
        assert!(
            warned(&stderr, named, &["symbolic link"]),
            "a warning names {named} as a link:\n{stderr}"
        );
    }
    let public = root.join("public");
    assert!(!public.join("archive/2025-W10/plans/config").exists());
    assert!(!public.join("archive/2025-W11/plans/passwd").exists());
    assert!(!public.join("archive/2025-W12").exists());
    assert_no_secret(&public);
    let everything: String = super::files_under(&public)
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!everything.contains("root:x:0:0"), "/etc/passwd published");
}

#[test]
fn a_changed_archived_plan_is_not_rendered() {
    let (_tmp, root, _) = archived_site();
    fs::write(
        root.join("archive/2025-W10/plans/billing.md"),
        "# Rewritten History\n",
    )
    .expect("tamper");
    let output = guarded_build(&root);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        warned(
            &stderr,
            "archive/2025-W10/plans/billing.md",
            &["does not match its SHA-256", "not shown"]
        ),
        "{stderr}"
    );
    let public = root.join("public");
    assert!(!public.join("archive/2025-W10/plans/billing").exists());
    for (path, bytes) in super::files_under(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Rewritten History"),
            "{path} shows the changed archived plan"
        );
    }
}

#[cfg(unix)]
#[test]
fn links_in_the_theme_are_refused() {
    use std::os::unix::fs::symlink;
    let (_tmp, root, outside) = archived_site();
    fs::write(root.join("site.toml"), "theme = \"house\"\n").expect("config");
    fs::create_dir_all(root.join("themes/house/static")).expect("theme");
    symlink(
        outside.join("secret.txt"),
        root.join("themes/house/static/leak.css"),
    )
    .expect("link");
    let output = guarded_build(&root);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        warned(&stderr, "themes/house/static/leak.css", &["symbolic link"]),
        "{stderr}"
    );
    assert!(!root.join("public").exists(), "nothing written");

    // A link as the theme's templates folder is refused the same way.
    fs::remove_file(root.join("themes/house/static/leak.css")).expect("remove");
    symlink(&outside, root.join("themes/house/templates")).expect("link");
    let output = guarded_build(&root);
    let stderr = self::stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        warned(&stderr, "themes/house/templates", &["symbolic link"]),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_manifest_that_never_ends_is_refused() {
    use std::os::unix::fs::symlink;
    let (_tmp, root, _) = archived_site();
    let manifest = root.join("archive/2025-W10/manifest.json");
    fs::remove_file(&manifest).expect("remove");
    symlink("/dev/zero", &manifest).expect("link");
    let output = guarded_build(&root);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        warned(
            &stderr,
            "archive/2025-W10/manifest.json",
            &["symbolic link"]
        ),
        "{stderr}"
    );
}

#[test]
fn oversized_manifests_and_archived_plans_are_not_read() {
    let (_tmp, root, _) = archived_site();
    // 40 MiB each, sparse: no disk is spent, but a reader sees every byte.
    let manifest = fs::OpenOptions::new()
        .append(true)
        .open(root.join("archive/2025-W10/manifest.json"))
        .expect("manifest");
    manifest.set_len(40 << 20).expect("grow");
    plansite()
        .args(["snapshot", "--week", "2025-W11", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
        .code(0);
    let plan = fs::OpenOptions::new()
        .append(true)
        .open(root.join("archive/2025-W11/plans/billing.md"))
        .expect("plan");
    plan.set_len(40 << 20).expect("grow");
    let output = guarded_build(&root);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for named in [
        "archive/2025-W10/manifest.json",
        "archive/2025-W11/plans/billing.md",
    ] {
        assert!(
            warned(&stderr, named, &["40 MiB", "not read"]),
            "a warning names {named} as too large:\n{stderr}"
        );
    }
    assert!(!root.join("public/archive/2025-W11/plans/billing").exists());
}

#[cfg(unix)]
#[test]
fn fifos_in_the_archive_are_refused_not_waited_on() {
    let (_tmp, root, _) = archived_site();
    plansite()
        .args(["snapshot", "--week", "2025-W11", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
        .code(0);
    let manifest = root.join("archive/2025-W10/manifest.json");
    let plan = root.join("archive/2025-W11/plans/billing.md");
    for path in [&manifest, &plan] {
        fs::remove_file(path).expect("remove");
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
    }
    let output = guarded_build(&root);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for named in [
        "archive/2025-W10/manifest.json",
        "archive/2025-W11/plans/billing.md",
    ] {
        assert!(
            warned(&stderr, named, &["not a regular file"]),
            "a warning names {named}:\n{stderr}"
        );
    }
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_link() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).expect("site");
    let precious = tmp.path().join("precious.txt");
    fs::write(&precious, "keep me\n").expect("write");
    symlink(&precious, site.join(".gitignore")).expect("link");
    let dangling = tmp.path().join("made-outside.toml");
    symlink(&dangling, site.join("site.toml")).expect("link");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("dir");
    symlink(&elsewhere, site.join(".github")).expect("link");
    plansite()
        .args(["init", "--force"])
        .arg(&site)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("symbolic link"))
        .stderr(predicates::str::contains(".gitignore"))
        .stderr(predicates::str::contains("site.toml"))
        .stderr(predicates::str::contains(".github"));
    assert_eq!(fs::read_to_string(&precious).expect("read"), "keep me\n");
    assert!(!dangling.exists(), "no file made outside the folder");
    assert!(
        fs::read_dir(&elsewhere).expect("list").next().is_none(),
        "nothing written through the linked folder"
    );
    assert!(!site.join("content").exists(), "nothing was written");
}

#[test]
fn the_pages_workflow_keeps_no_token_in_the_checkout() {
    let tmp = tempfile::tempdir().expect("temp dir");
    plansite().arg("init").arg(tmp.path()).assert().code(0);
    let pages: serde_yaml::Value = serde_yaml::from_str(
        &fs::read_to_string(tmp.path().join(".github/workflows/pages.yml")).expect("pages"),
    )
    .expect("YAML");
    let checkouts: Vec<&serde_yaml::Value> = pages["jobs"]
        .as_mapping()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_sequence().into_iter().flatten())
        .filter(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .collect();
    assert!(!checkouts.is_empty());
    for step in checkouts {
        assert_eq!(
            step["with"]["persist-credentials"].as_bool(),
            Some(false),
            "{step:?}"
        );
    }
}

#[test]
fn a_leftover_folder_beside_the_output_is_never_adopted() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    fs::create_dir_all(root.join("content")).expect("content");
    fs::write(root.join("content/billing.md"), PLAN).expect("plan");
    // As a commit can bring them: a "previous site" set aside, and a
    // staging folder and journal as a killed build would leave them.
    for leftover in [".public.plansite-old", ".public.plansite-new"] {
        let dir = root.join(leftover);
        fs::create_dir_all(dir.join(".git")).expect("dir");
        fs::write(dir.join("CNAME"), "evil.example\n").expect("cname");
        fs::write(dir.join("index.html"), SECRET).expect("page");
        fs::write(dir.join(".git/HEAD"), SECRET).expect("git");
        fs::write(dir.join(".plansite-output"), "").expect("marker");
    }
    fs::write(root.join(".public.plansite-carried"), ".git\nCNAME\n").expect("journal");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("nowhere"), root.join(".public.plansite-lock"))
        .expect("dangling link as the lock");
    plansite()
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(root)
        .assert()
        .code(0);
    let public = root.join("public");
    assert!(
        !public.join("CNAME").exists(),
        "a committed CNAME published"
    );
    assert!(!public.join(".git").exists());
    assert_no_secret(&public);
    // A second build, with a site in place, adopts nothing either.
    fs::create_dir_all(root.join(".public.plansite-new/.git")).expect("dir");
    fs::write(root.join(".public.plansite-new/.git/HEAD"), SECRET).expect("git");
    fs::write(root.join(".public.plansite-carried"), ".git\n").expect("journal");
    plansite()
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(root)
        .assert()
        .code(0);
    assert!(!public.join(".git").exists());
    assert!(!public.join("CNAME").exists());
    assert_no_secret(&public);
    // A dangling link where the staging folder goes is removed, not
    // followed, and the build goes on.
    #[cfg(unix)]
    {
        let staging = root.join(".public.plansite-new");
        if staging.is_dir() {
            fs::remove_dir_all(&staging).expect("remove");
        }
        let target = root.join("made-through-the-link");
        std::os::unix::fs::symlink(&target, &staging).expect("link");
        plansite()
            .args(["build", "--as-of", "2025-03-10", "--root"])
            .arg(root)
            .assert()
            .code(0);
        assert!(!target.exists(), "nothing made through the link");
    }
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "fault injection is compiled into debug builds only"
)]
fn a_build_killed_while_moving_git_keeps_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    fs::create_dir_all(root.join("content")).expect("content");
    fs::write(root.join("content/billing.md"), PLAN).expect("plan");
    let build = || {
        plansite()
            .args(["build", "--as-of", "2025-03-10", "--root"])
            .arg(root)
            .assert()
            .code(0);
    };
    build();
    let public = root.join("public");
    fs::create_dir_all(public.join(".git")).expect("git");
    fs::write(public.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("head");
    // Killed just after `.git` moved into the new site, before the swap.
    let killed = std::process::Command::new(assert_cmd::cargo::cargo_bin("plansite"))
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(root)
        .env("PLANSITE_INJECT_KILL", "carrying")
        .output()
        .expect("runs");
    assert!(!killed.status.success(), "the build was not killed");
    assert!(!public.join(".git").exists(), "killed with .git moved out");
    build();
    assert_eq!(
        fs::read_to_string(public.join(".git/HEAD")).expect(".git is back"),
        "ref: refs/heads/gh-pages\n"
    );
}

#[test]
fn a_lock_whose_process_id_was_reused_is_taken_over() {
    let (_tmp, root, _) = archived_site();
    // PID 1 always runs (in a container it may be anything, even an old
    // plansite's id reused): a lock naming it was left by a killed run.
    fs::write(root.join("archive/.snapshot.lock"), "1\n").expect("lock");
    fs::write(root.join(".public.plansite-lock"), "1\n").expect("lock");
    plansite()
        .args(["snapshot", "--week", "2025-W11", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
        .code(0);
    plansite()
        .args(["build", "--as-of", "2025-03-19", "--root"])
        .arg(&root)
        .assert()
        .code(0);
    assert!(
        !root.join("archive/.snapshot.lock").exists(),
        "lock released"
    );
    assert!(
        !root.join(".public.plansite-lock").exists(),
        "lock released"
    );
}

#[cfg(unix)]
#[test]
fn a_lock_that_is_a_link_is_never_written_through() {
    use std::os::unix::fs::symlink;
    let (tmp, root, _) = archived_site();
    let precious = tmp.path().join("precious.txt");
    fs::write(&precious, "keep me\n").expect("write");
    symlink(&precious, root.join("archive/.snapshot.lock")).expect("link");
    symlink(&precious, root.join(".public.plansite-lock")).expect("link");
    plansite()
        .args(["snapshot", "--week", "2025-W11", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
        .code(0);
    plansite()
        .args(["build", "--as-of", "2025-03-19", "--root"])
        .arg(&root)
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&precious).expect("read"), "keep me\n");
}

#[test]
fn the_output_may_not_sit_in_the_theme() {
    let (_tmp, root, _) = archived_site();
    fs::write(
        root.join("site.toml"),
        "theme = \"house\"\noutput_dir = \"themes/house/static/site\"\n",
    )
    .expect("config");
    fs::create_dir_all(root.join("themes/house/static")).expect("theme");
    fs::write(root.join("themes/house/static/extra.css"), "p{}\n").expect("css");
    plansite()
        .args(["build", "--as-of", "2025-03-19", "--root"])
        .arg(&root)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("is inside the theme folder"));
    assert!(!root.join("themes/house/static/site").exists());
}

#[cfg(unix)]
#[test]
fn a_content_folder_that_is_a_link_is_not_followed() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    fs::create_dir_all(&root).expect("site");
    let notes = tmp.path().join("notes");
    fs::create_dir_all(&notes).expect("notes");
    fs::write(notes.join("private.md"), format!("# {SECRET}\n")).expect("note");
    symlink(&notes, root.join("content")).expect("link");
    let output = guarded_build(&root);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(warned(&stderr, "content", &["symbolic link"]), "{stderr}");
    assert_no_secret(&root.join("public"));
}

/// `serve` reads the archive through the same opener as `build`: a FIFO
/// as a manifest is refused, not waited on, and the site is served. The
/// old reader blocked on the FIFO before serving anything; the 60 s wait
/// is a hang guard (the site is up in well under a second).
#[cfg(unix)]
#[test]
fn serve_reads_the_archive_as_build_does() {
    use std::io::{Read, Write};
    let (_tmp, root, _) = archived_site();
    let manifest = root.join("archive/2025-W10/manifest.json");
    fs::remove_file(&manifest).expect("remove");
    let made = std::process::Command::new("mkfifo")
        .arg(&manifest)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _server = Server(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("plansite"))
            .args([
                "serve",
                "--as-of",
                "2025-03-19",
                "--port",
                &port.to_string(),
            ])
            .arg("--root")
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts"),
    );
    let get = |path: &str| -> Option<String> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        response.starts_with("HTTP/1.1 200").then_some(response)
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let page = loop {
        if let Some(page) = get("/archive/") {
            break page;
        }
        assert!(
            Instant::now() < deadline,
            "serve answered nothing in 60 s: it waits on the FIFO"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(page.contains("2025-W10"), "{page}");
}

#[cfg(unix)]
#[test]
fn a_snapshot_is_never_written_through_a_linked_archive_folder() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    fs::create_dir_all(root.join("content")).expect("content");
    fs::write(root.join("content/billing.md"), PLAN).expect("plan");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("dir");
    symlink(&elsewhere, root.join("archive")).expect("link");
    plansite()
        .args(["snapshot", "--week", "2025-W10", "--root"])
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
        .code(3)
        .stderr(predicates::str::contains("symbolic link"));
    assert!(
        fs::read_dir(&elsewhere).expect("list").next().is_none(),
        "nothing written through the link"
    );
}

#[cfg(unix)]
#[test]
fn the_output_is_never_written_through_a_link_in_the_site() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    fs::create_dir_all(root.join("content")).expect("content");
    fs::write(root.join("content/billing.md"), PLAN).expect("plan");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("dir");
    symlink(&elsewhere, root.join("public")).expect("link");
    plansite()
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(&root)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("symbolic link"));
    assert!(
        fs::read_dir(&elsewhere).expect("list").next().is_none(),
        "nothing written through the link"
    );
    assert!(
        fs::read_dir(tmp.path())
            .expect("list")
            .filter_map(Result::ok)
            .all(|e| !e.file_name().to_string_lossy().contains("plansite")),
        "nothing made beside the link's target"
    );
}
