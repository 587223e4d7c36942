//! Builds a project several times in one process with shared caches, as
//! `podium serve` does, and prints each build's time: the first is cold,
//! the others show what a rebuild after an edit costs.
//! `cargo run --release --example rebuild -- PROJECT_DIR [RUNS]`

use podium::build::{build_with, BuildOptions, Caches};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("PROJECT_DIR"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(4);
    let opts = BuildOptions {
        themes: root.join("themes"),
        root,
        sites: vec![],
        now: podium::base::time::parse_instant("2025-08-25T12:00:00+08:00").unwrap(),
        base_url: None,
        drafts: false,
        precompress: false,
        preview: false,
    };
    let caches = Caches::for_serve();
    for i in 0..runs {
        let t = Instant::now();
        let (built, diags) = build_with(&opts, &caches);
        let pages: usize = built.iter().map(|b| b.output.files.len()).sum();
        println!(
            "build {}: {} ms, {} files, {} diagnostics",
            i + 1,
            t.elapsed().as_millis(),
            pages,
            diags.len()
        );
    }
}
