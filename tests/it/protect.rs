//! A protected site (`[protect] enabled`, `build --protect`): nothing of a
//! plan is readable in any output file, in any encoding; the passphrase
//! rules of the command line. The browser's half (unlocking, links, `#k=`)
//! is in `tests/browser/protect.mjs`.

use crate::{files_under, plansite};
use base64::Engine as _;
use std::path::Path;

const PASSPHRASE: &str = "a long enough test passphrase";

/// A plan whose every line is something a public reader must not learn.
const SECRET_PLAN: &str = "---
owner: Dana Whitfield
start: 2026-10-05
---
# Acquisition of Acme & Co's Holdings

**Budget:** $4,750,000
**Decision:** Proceed only if escrow holds

## Week 1-2: Due diligence on Zephyr

**Budget:** $1,200,000

- [x] Sign the letter of intent with Quillfeather
- [ ] Audit the Quillfeather ledgers

## Week 3-4: Regulatory filing in Lisbon

**Budget:** $3,550,000

- [ ] File the merger notice

## Risks

| Risk | Impact | Status |
|------|--------|--------|
| Regulator blocks the merger | High | 🔴 Open |
";

/// What must not be readable anywhere in a protected site.
const SECRETS: &[&str] = &[
    "Acme & Co's Holdings",
    "acquisition-of-acme",
    "4,750,000",
    "1,200,000",
    "Dana Whitfield",
    "Proceed only if escrow holds",
    "Due diligence on Zephyr",
    "Quillfeather",
    "Regulator blocks the merger",
    "Regulatory filing in Lisbon",
];

fn site(protect: &str) -> tempfile::TempDir {
    let dir = crate::site_with(&[
        ("acquisition-of-acme.md", SECRET_PLAN),
        (
            "datacenter-exit.md",
            "# Zephyr Datacenter Exit\n\n**Budget:** $980,000\n\n## Week 1: Move the Quillfeather racks\n\n- [ ] pack\n",
        ),
    ]);
    std::fs::write(
        dir.path().join("site.toml"),
        format!("title = \"Board Portfolio\"\n{protect}"),
    )
    .expect("site.toml");
    // A week in the archive, so archived pages are made too.
    plansite()
        .args(["snapshot", "--week", "2026-W47", "--root"])
        .arg(dir.path())
        .env("SOURCE_DATE_EPOCH", "1795608000")
        .assert()
        .success();
    dir
}

fn build(dir: &Path, output: &Path, passphrase: Option<&str>) -> std::process::Output {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("plansite"));
    command
        .args([
            "build",
            "--as-of",
            "2026-11-25",
            "--base-url",
            "/repo/",
            "--root",
        ])
        .arg(dir)
        .arg("--output")
        .arg(output)
        .env_remove("PLANSITE_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("PLANSITE_PASSPHRASE", passphrase);
    }
    command.output().expect("build runs")
}

/// `&amp;`, `&#39;`, `&#x27;` and the like, decoded.
fn html_decoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest[1..].find(';').map(|end| &rest[1..=end]);
        let decoded = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => {
                let number = e.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `\u0026`, `\"`, `\/` and the like, decoded.
fn json_decoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => out.push_str(&hex),
                }
            }
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// `%26`, `%20` and the like, decoded (as bytes, then lossily as UTF-8).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every run of 24 or more base64 characters decoded, as it is and
/// inflated when it is DEFLATE data (a page encoded or compressed but not
/// encrypted would show here), from its start and past a 12-byte nonce.
fn base64_decoded(text: &str) -> Vec<String> {
    let runs = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
        .filter(|run| run.len() >= 24)
        .filter_map(|run| {
            let bare = run.trim_end_matches('=');
            let padded = format!("{bare}{}", "=".repeat((4 - bare.len() % 4) % 4));
            base64::engine::general_purpose::STANDARD
                .decode(padded)
                .ok()
        });
    let mut forms = Vec::new();
    for bytes in runs {
        for from in [0, 12] {
            let mut inflated = Vec::new();
            let mut deflate =
                flate2::read::DeflateDecoder::new(bytes.get(from..).unwrap_or_default());
            if std::io::Read::read_to_end(&mut deflate, &mut inflated).is_ok() {
                forms.push(String::from_utf8_lossy(&inflated).into_owned());
            }
        }
        forms.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    forms
}

/// The forms of `text` a secret could be read in.
fn readings(text: &str) -> Vec<String> {
    let mut forms = vec![
        text.to_string(),
        html_decoded(text),
        json_decoded(text),
        percent_decoded(text),
        html_decoded(&json_decoded(text)),
        html_decoded(&percent_decoded(text)),
        percent_decoded(&html_decoded(text)),
    ];
    let decoded: Vec<String> = forms.iter().flat_map(|f| base64_decoded(f)).collect();
    forms.extend(decoded);
    forms
}

/// Each secret with the files (or file names) it can be read in.
fn findings(site: &Path) -> Vec<(&'static str, Vec<String>)> {
    let files = files_under(site);
    let read: Vec<(String, Vec<String>)> = files
        .iter()
        .map(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            let mut forms = readings(&text);
            forms.extend(readings(path));
            (path.clone(), forms)
        })
        .collect();
    SECRETS
        .iter()
        .map(|secret| {
            let lower = secret.to_lowercase();
            let found = read
                .iter()
                .filter(|(_, forms)| forms.iter().any(|f| f.to_lowercase().contains(&lower)))
                .map(|(path, _)| path.clone())
                .collect();
            (*secret, found)
        })
        .collect()
}

#[test]
fn a_protected_site_holds_nothing_readable_of_its_plans() {
    // The same plans published in the clear: the scan reads every secret
    // there (so it can see one), and the site has its usual files.
    let plain = site("");
    let clear = plain.path().join("public");
    let out = build(plain.path(), &clear, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (secret, files) in findings(&clear) {
        assert!(
            !files.is_empty(),
            "the scan cannot read {secret:?} in the plain site"
        );
    }

    let dir = site("[protect]\nenabled = true\nopaque_urls = true\n");
    let locked = dir.path().join("public");
    let out = build(dir.path(), &locked, Some(PASSPHRASE));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let leaks: Vec<_> = findings(&locked)
        .into_iter()
        .filter(|(_, files)| !files.is_empty())
        .collect();
    assert!(
        leaks.is_empty(),
        "readable in the protected site: {leaks:?}"
    );

    // Without opaque names, a plan's file name is the one thing left to
    // read (and the scan reads file names).
    let named = site("[protect]\nenabled = true\n");
    let output = named.path().join("public");
    assert!(build(named.path(), &output, Some(PASSPHRASE))
        .status
        .success());
    let read: Vec<&str> = findings(&output)
        .into_iter()
        .filter(|(_, files)| !files.is_empty())
        .map(|(secret, _)| secret)
        .collect();
    assert_eq!(read, ["acquisition-of-acme"]);

    // Pages, the theme's files and the markers; no model, calendar, feed,
    // sitemap, card or reuse record.
    let files = files_under(&locked);
    for path in files.keys() {
        let allowed = path.ends_with(".html")
            || path.starts_with("assets/")
            || [".nojekyll", ".plansite-output"].contains(&path.as_str());
        assert!(allowed, "a protected site has {path}");
    }
    let plans: Vec<_> = files
        .keys()
        .filter(|p| p.starts_with("plans/") && p.ends_with("/index.html"))
        .collect();
    assert_eq!(plans.len(), 2, "{plans:?}");
    assert!(files.contains_key("archive/2026-W47/index.html"));
    // Every page a shell naming only the site.
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(text.contains("<title>Board Portfolio</title>"), "{path}");
        assert!(text.contains("id=\"sealed\""), "{path}");
        assert!(text.contains("content=\"Board Portfolio\""), "{path}");
    }
}

#[test]
fn opaque_folder_names_stay_from_build_to_build_with_the_passphrase() {
    let dir = site("[protect]\nenabled = true\nopaque_urls = true\n");
    let folders = |output: &Path| -> Vec<String> {
        files_under(output)
            .keys()
            .filter_map(|p| {
                p.strip_prefix("plans/")?
                    .split_once('/')
                    .map(|(f, _)| f.to_string())
            })
            .collect()
    };
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    assert!(build(dir.path(), &one, Some(PASSPHRASE)).status.success());
    assert!(build(dir.path(), &two, Some(PASSPHRASE)).status.success());
    assert_eq!(folders(&one), folders(&two));
    let other = dir.path().join("other");
    assert!(build(dir.path(), &other, Some("another long passphrase"))
        .status
        .success());
    assert_ne!(folders(&one), folders(&other));
    // Pages are sealed anew each build (a new salt and nonces).
    assert_ne!(
        files_under(&one).get("index.html"),
        files_under(&two).get("index.html")
    );
}

#[test]
fn a_protected_build_needs_a_passphrase_of_twelve_characters_from_the_environment() {
    let dir = crate::site_with(&[("p.md", "# P\n\n## Week 1: A\n\n- [ ] a\n")]);
    let output = dir.path().join("public");
    plansite()
        .args(["build", "--protect", "--root"])
        .arg(dir.path())
        .env_remove("PLANSITE_PASSPHRASE")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("PLANSITE_PASSPHRASE"));
    plansite()
        .args(["build", "--protect", "--root"])
        .arg(dir.path())
        .env("PLANSITE_PASSPHRASE", "elevenchars")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("11 characters; at least 12"));
    assert!(!output.exists(), "nothing is written without a passphrase");
    // Below 600,000 iterations is refused in site.toml.
    std::fs::write(
        dir.path().join("site.toml"),
        "[protect]\nenabled = true\niterations = 1000\n",
    )
    .expect("site.toml");
    plansite()
        .args(["build", "--root"])
        .arg(dir.path())
        .env("PLANSITE_PASSPHRASE", PASSPHRASE)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("site.toml:3:14"));
}
