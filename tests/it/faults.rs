//! Faults through the real binary: a write that fails partway (a file-size
//! limit, and a disk that is really full), and a snapshot killed halfway.
//! The previous site and the archive are whole after each; the next run
//! succeeds.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

const PLAN: &str = "# Plan\n\n## Week 1-2: Start\n\n**Budget:** $1,000\n\n- [x] one\n- [ ] two\n\n## Week 3: Finish\n\n**Budget:** $500\n\n- [ ] three\n";

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("plansite")
}

fn content(dir: &Path, plans: usize) {
    fs::create_dir_all(dir.join("content")).expect("content");
    for n in 0..plans {
        fs::write(
            dir.join(format!("content/plan-{n:03}.md")),
            PLAN.replace("# Plan", &format!("# Plan {n}")),
        )
        .expect("write");
    }
}

fn build(dir: &Path, output: &Path) -> std::process::Output {
    super::build_at(dir, output, "2025-03-10")
}

#[test]
fn a_write_that_fails_partway_leaves_the_previous_site_and_the_next_build_succeeds() {
    let dir = tempfile::tempdir().expect("temp dir");
    content(dir.path(), 20);
    let public = dir.path().join("public");
    assert!(build(dir.path(), &public).status.success());
    let before = super::files_under(&public);
    fs::write(
        dir.path().join("content/plan-000.md"),
        PLAN.replace("one", "changed"),
    )
    .expect("edit");
    // A file-size limit of 8 KB makes the first large page's write fail
    // partway (EFBIG), as a full disk does (ENOSPC).
    let limited = Command::new("sh")
        .args(["-c", "trap '' XFSZ; ulimit -f 16; exec \"$@\"", "sh"])
        .arg(bin())
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(&public)
        .output()
        .expect("build runs");
    let stderr = String::from_utf8_lossy(&limited.stderr);
    assert_eq!(limited.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(
        super::files_under(&public),
        before,
        "the previous site is whole"
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("root")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("plansite-new"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the staging folder went: {leftovers:?}"
    );
    let next = build(dir.path(), &public);
    assert!(next.status.success(), "{next:?}");
    assert_ne!(super::files_under(&public), before, "the edit is built");
}

/// A real full disk: a 1 MiB tmpfs in a user and mount namespace. Runs
/// wherever `unshare -rm` works; `.ci/run` sets PLANSITE_REQUIRE_MOUNT=1 so
/// that there it must.
#[test]
fn a_full_disk_leaves_the_previous_site_and_the_next_build_succeeds() {
    let usable = Command::new("unshare")
        .args(["-rm", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !usable {
        assert!(
            std::env::var_os("PLANSITE_REQUIRE_MOUNT").is_none(),
            "unshare -rm is needed for this test"
        );
        eprintln!("skipped: no user and mount namespaces here");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    content(dir.path(), 12);
    let disk = dir.path().join("disk");
    fs::create_dir_all(&disk).expect("mount point");
    // Inside the namespace: build once, fill the disk, edit, build again
    // (which must fail), record the site, free the disk, build again. The
    // disk holds the site (about 700 KB with its link-preview cards) and
    // the pages of the next build beside it (the unchanged cards are the
    // same files).
    let script = r#"
        set -u
        mount -t tmpfs -o size=2m tmpfs "$DISK" || exit 90
        "$BIN" build --as-of 2025-03-10 --root "$ROOT" --output "$DISK/public" > /dev/null 2>&1 || exit 91
        (cd "$DISK/public" && find . -type f | sort | xargs sha256sum) > "$ROOT/before.txt"
        dd if=/dev/zero of="$DISK/filler" bs=4k > /dev/null 2>&1
        rm -f "$DISK/filler" && dd if=/dev/zero of="$DISK/filler" bs=1k count=$(( $(df -k "$DISK" | awk 'NR==2 {print $4}') - 24 )) > /dev/null 2>&1
        echo "- [ ] added" >> "$ROOT/content/plan-000.md"
        "$BIN" build --as-of 2025-03-10 --root "$ROOT" --output "$DISK/public" > /dev/null 2> "$ROOT/full.txt"
        echo $? > "$ROOT/full-code.txt"
        (cd "$DISK/public" && find . -type f | sort | xargs sha256sum) > "$ROOT/after.txt"
        ls -a "$DISK" > "$ROOT/disk.txt"
        rm -f "$DISK/filler"
        "$BIN" build --as-of 2025-03-10 --root "$ROOT" --output "$DISK/public" > /dev/null 2>&1
        echo $? > "$ROOT/next-code.txt"
    "#;
    let status = Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("DISK", &disk)
        .env("BIN", bin())
        .env("ROOT", dir.path())
        .status()
        .expect("unshare runs");
    assert!(status.success(), "the scenario ran: {status:?}");
    let read = |name: &str| fs::read_to_string(dir.path().join(name)).expect(name);
    assert_eq!(read("full-code.txt").trim(), "1", "{}", read("full.txt"));
    assert!(
        read("full.txt").contains("No space left on device"),
        "{}",
        read("full.txt")
    );
    assert_eq!(
        read("before.txt"),
        read("after.txt"),
        "the previous site is whole"
    );
    assert!(
        !read("disk.txt").contains("plansite-new"),
        "{}",
        read("disk.txt")
    );
    assert_eq!(read("next-code.txt").trim(), "0", "the next build succeeds");
}

#[test]
fn a_killed_snapshot_leaves_no_partial_week_and_the_next_one_succeeds() {
    let dir = tempfile::tempdir().expect("temp dir");
    content(dir.path(), 1500);
    let archive = dir.path().join("archive");
    let mut halfway = 0;
    for delay in [30, 120, 250, 400, 550, 700] {
        let mut child = Command::new(bin())
            .args(["snapshot", "--week", "2025-W10", "--root"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let week = archive.join("2025-W10");
        if week.exists() {
            // It finished before the kill: then it is whole.
            let manifest: serde_json::Value = serde_json::from_slice(
                &fs::read(week.join("manifest.json")).expect("a whole week has its manifest"),
            )
            .expect("json");
            assert_eq!(manifest["files"].as_array().map(Vec::len), Some(1500));
            fs::remove_dir_all(&week).expect("reset");
        }
        for entry in fs::read_dir(&archive)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            halfway += usize::from(name.contains(".tmp-"));
            assert!(
                name.starts_with('.'),
                "after a kill at {delay} ms the archive holds only hidden temporary files, not `{name}`"
            );
        }
    }
    // How many kills landed while files were being written (timing: not
    // asserted, shown).
    eprintln!("{halfway} kill(s) landed halfway through writing");
    let next = Command::new(bin())
        .args(["snapshot", "--week", "2025-W10", "--root"])
        .arg(dir.path())
        .output()
        .expect("snapshot runs");
    assert!(next.status.success(), "{next:?}");
    let names: Vec<String> = fs::read_dir(&archive)
        .expect("archive")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    assert_eq!(
        names,
        vec!["2025-W10".to_string()],
        "the killed runs' leftovers went"
    );
}
