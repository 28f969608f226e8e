//! The floor: the least any Markdown site generator does with a corpus:
//! read every plan, render it with pulldown-cmark's `push_html` (tables
//! and task lists on) and write one HTML file per plan, on all cores.
//!
//! cargo run --release --example floor -- CONTENT_DIR OUT_DIR

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let content = PathBuf::from(args.next().expect("usage: floor CONTENT_DIR OUT_DIR"));
    let out = PathBuf::from(args.next().expect("usage: floor CONTENT_DIR OUT_DIR"));
    std::fs::create_dir_all(&out).expect("create the output folder");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    files.par_iter().for_each(|path| {
        let text = std::fs::read_to_string(path).expect("read a plan");
        let mut page = String::with_capacity(text.len() * 2);
        html::push_html(
            &mut page,
            Parser::new_ext(&text, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS),
        );
        let name = path
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        std::fs::write(out.join(format!("{name}.html")), page).expect("write a page");
    });
    println!("{} pages", files.len());
}
