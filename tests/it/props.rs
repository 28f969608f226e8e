//! Property tests: no input, however strange, panics the reader, and the
//! counts it returns stay coherent.

use plansite::decode::decode;
use proptest::prelude::*;

/// Lines a plan is made of, to be shuffled into odd documents.
fn plan_line() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("---".to_string()),
        Just("+++".to_string()),
        Just("title: x".to_string()),
        "#{1,7} (Pre-)?(Week|Day|Sprint|Phase|Month|Milestone|Q) ?[0-9]{1,3}(-[0-9]{1,3})?(: [a-z ]{0,10})?( \\([0-9] (days|weeks)\\))?",
        "\\*\\*(Budget|Decision|Status|Date|Revised Timeline|Costs):\\*\\* [-+]?[$€£]?[0-9,. ]{0,9}[kKM]?( [A-Z]{3})?( \\([0-9] days @ \\$[0-9]{1,4}/day\\))?",
        "( {0,6})[-*] \\[[ xX~s]\\] [a-z ]{0,12}",
        "( {0,4})[-*0-9.]{1,2} (✅|❌|⏳|⚠️|🔄)? ?[a-z]{0,8}",
        "\\| ?(Phase|Risk|Metric|Target|Week|Original|Revised|Change|Status|Total)? ?\\| ?[-:$€0-9,.]{0,8} ?\\|",
        "\\|[-|: ]{0,12}",
        "> \\*\\*[A-Za-z]{1,8}:\\*\\* .{0,10}",
        "```[a-z]{0,4}",
        "<[a-z]{1,6}>",
        ".{0,20}",
    ];
    pieces
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = super::read_plan(text);
    }

    #[test]
    fn arbitrary_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let (text, _) = decode(&bytes);
        prop_assert!(!text.contains('\r'));
    }

    #[test]
    fn plan_shaped_documents_never_panic(lines in proptest::collection::vec(plan_line(), 0..60)) {
        if let Some(plan) = super::read_plan(lines.join("\n")) {
            prop_assert!(plan.progress.done <= plan.progress.total);
            for phase in &plan.phases {
                prop_assert!(phase.progress.done <= phase.progress.total);
                if let Some(span) = phase.span {
                    prop_assert!(span.start <= span.end);
                    prop_assert!(span.end <= span.unit.limit());
                }
            }
            for d in &plan.diagnostics {
                prop_assert!(d.line <= lines.len() + 1, "{d:?}");
            }
        }
    }
}

/// The whole per-file path: decode, front matter, Markdown, model, derive,
/// charts, page render. No input panics it, every chart is well-formed XML
/// and no page carries a script. Run long with
/// `PROPTEST_CASES=100000 cargo test --release --test it whole_path`.
#[test]
fn whole_path_never_panics_and_emits_safe_pages() {
    let (config, theme) = super::default_site();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(48);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        ..ProptestConfig::default()
    });
    let strategy = (
        proptest::collection::vec(plan_line(), 0..50),
        proptest::collection::vec(any::<u8>(), 0..64),
    );
    runner
        .run(&strategy, |(lines, noise)| {
            let mut bytes = lines.join("\n").into_bytes();
            bytes.extend(noise);
            let checked = super::whole_path(&bytes, &config, &theme);
            prop_assert!(checked.is_ok(), "{checked:?}");
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
