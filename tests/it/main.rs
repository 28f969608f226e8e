//! The integration tests: the model of fixture plans (snapshots plus the
//! facts a reader checks), the command line through the real binary, and
//! property tests that no input panics the reader.

/// A test that snapshots the JSON model of one fixture plan (and what
/// loading it said) under the test's name.
macro_rules! snapshot_test {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            let (plan, load) = $crate::read_fixture($file);
            insta::assert_json_snapshot!(
                stringify!($test),
                serde_json::json!({ "plan": plan, "load": load })
            );
        }
    };
}

mod adversarial;
mod browser;
mod cards;
mod cli;
mod dashboard;
mod dates;
// Kills, file-size limits and a tmpfs in a user namespace: Linux.
#[cfg(target_os = "linux")]
mod faults;
mod forecast;
mod fuzz_regressions;
mod history;
mod hostile_fs;
mod hostile_more;
// Resource limits through `sh -c 'ulimit …'` and file names that are not
// UTF-8: Unix.
#[cfg(unix)]
mod hostile_numbers;
#[cfg(unix)]
mod hostile_serve;
#[cfg(unix)]
mod hostile_text;
mod model;
mod money;
mod pathological;
mod phases;
mod props;
mod protect;
mod serve;
mod site;

use std::path::{Path, PathBuf};

/// The plansite binary built for these tests, ready for arguments.
pub fn plansite() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("plansite").expect("the binary is built for tests")
}

/// A site root in a temporary folder with the given plans under
/// `content/` (names may hold folders).
pub fn site_with(plans: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("content")).expect("content dir");
    for (name, text) in plans {
        let path = dir.path().join("content").join(name);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("dirs");
        std::fs::write(path, text).expect("write plan");
    }
    dir
}

/// The fixtures folder, relative to the package root (the tests' working
/// directory), so paths in diagnostics and snapshots are the same anywhere.
pub fn fixtures() -> &'static Path {
    Path::new("tests/fixtures")
}

/// Reads one fixture through the real pipeline (load, decode, model).
pub fn read_fixture(name: &str) -> (plansite::model::Plan, Vec<plansite::diagnostic::Diagnostic>) {
    let config = plansite::config::Config::load(fixtures()).expect("fixtures have no site.toml");
    let mut reading = plansite::read_plans(&config, &[plan_fixture(name)]);
    assert_eq!(reading.plans.len(), 1, "{name}: {:?}", reading.diagnostics);
    (reading.plans.remove(0), reading.diagnostics)
}

pub fn plan_fixture(name: &str) -> PathBuf {
    fixtures().join("plans").join(name)
}

/// Every file under `dir`, by `/`-separated relative path, with its bytes:
/// for comparing a folder before and after.
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (relative, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The inline SVG charts of a page, each from `<svg` to its `</svg>`.
pub fn inline_svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let Some(len) = rest[start..].find("</svg>") else {
            break;
        };
        let end = start + len + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// `text` read as the plan `p.md`, if it reads.
pub fn read_plan(text: String) -> Option<plansite::model::Plan> {
    let source = plansite::model::Source {
        path: "p.md".into(),
        display: "p.md".into(),
        stem: "p".into(),
        text,
    };
    plansite::model::build(&source, &plansite::model::Settings::default()).ok()
}

/// `plansite build` of the site in `dir` into `output`, as of `as_of`.
pub fn build_at(dir: &Path, output: &Path, as_of: &str) -> std::process::Output {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("plansite"))
        .args(["build", "--as-of", as_of, "--root"])
        .arg(dir)
        .arg("--output")
        .arg(output)
        .output()
        .expect("build runs")
}

/// The whole per-file path for one input, as `plansite build` runs it for
/// one plan: decode, read, render the site under the default configuration
/// and theme. Err says what broke: the render failed, a chart is not
/// well-formed XML, or a page carries a script. An input that is not a plan
/// is fine. Shared by the property test and the regressions `cargo fuzz`
/// found (the fuzz target in `fuzz/` makes the same checks).
pub fn whole_path(
    bytes: &[u8],
    config: &plansite::config::Config,
    theme: &plansite::render::theme::Theme,
) -> Result<(), String> {
    let (text, _) = plansite::decode::decode(bytes);
    let Some(plan) = read_plan(text.clone()) else {
        return Ok(());
    };
    let sources = std::collections::HashMap::from([("p.md".to_string(), text)]);
    let plans = vec![plan];
    let input = plansite::render::SiteInput {
        config,
        theme,
        plans: &plans,
        sources: &sources,
        as_of: chrono::NaiveDate::from_ymd_opt(2025, 3, 10).expect("date"),
        history: &[],
        earlier: 0,
        memo: None,
        cards: None,
        names: None,
    };
    let files = std::sync::Mutex::new(Vec::new());
    let sink = |f: plansite::output::OutputFile| {
        files.lock().map_err(|e| e.to_string())?.push(f);
        Ok(())
    };
    plansite::render::render_site(&input, &sink).map_err(|e| format!("render failed: {e:?}"))?;
    for file in files.into_inner().map_err(|e| e.to_string())? {
        let text = String::from_utf8_lossy(&file.bytes).to_string();
        for svg in inline_svgs(&text) {
            roxmltree::Document::parse(svg)
                .map_err(|e| format!("a chart in {} is not XML: {e}\n{svg}", file.path))?;
        }
        if file.path.ends_with(".html") && has_foreign_script(&text) {
            return Err(format!("{} has a script", file.path));
        }
    }
    Ok(())
}

/// Whether an HTML page carries a script other than the theme's own
/// table script (`<script src="…assets/table.js" defer></script>`, on
/// dashboards, the `…` being `../` steps back to the site root): author
/// text must never become one.
pub fn has_foreign_script(html: &str) -> bool {
    let lower = html.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("<script") {
        let tail = &rest[at..];
        let Some(after) = tail.strip_prefix("<script src=\"") else {
            return true;
        };
        let after = after.trim_start_matches("../");
        let Some(after) = after.strip_prefix("assets/table.js\" defer></script>") else {
            return true;
        };
        rest = after;
    }
    false
}

#[test]
fn only_the_themes_table_script_is_allowed() {
    let theme = "<script src=\"../../assets/table.js\" defer></script>";
    assert!(!has_foreign_script(&format!("<p>{theme}</p>")));
    assert!(!has_foreign_script("<p>no script</p>"));
    for foreign in [
        "<script>alert(1)</script>",
        "<SCRIPT src=\"assets/table.js\" defer></SCRIPT><script>x</script>",
        "<script src=\"https://e.com/assets/table.js\" defer></script>",
        "<script src=\"assets/table.js\" defer>alert(1)</script>",
    ] {
        assert!(has_foreign_script(foreign), "{foreign}");
    }
}

/// The default configuration and theme, for `whole_path`.
pub fn default_site() -> (plansite::config::Config, plansite::render::theme::Theme) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = plansite::config::Config::load(dir.path()).expect("defaults");
    let theme = plansite::render::theme::load(&config)
        .unwrap_or_else(|_| panic!("the default theme loads"));
    (config, theme)
}
