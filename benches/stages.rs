//! Criterion benches of the build's stages, each on its own, over the
//! example site and one notice body of the benchmark corpus (see
//! `docs/performance.md` for the whole-build measurements).
//!
//! `cargo bench --bench stages` (or `-- highlight` for one group).

use criterion::{criterion_group, criterion_main, Criterion};
use podium::base::diag::Diagnostics;
use podium::build::{build_with, BuildOptions, Caches};
use podium::markdown::{Highlighter, Markdown};
use std::hint::black_box;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn now() -> jiff::Timestamp {
    podium::base::time::parse_instant("2025-08-25T12:00:00+08:00").unwrap()
}

/// The fenced block of a corpus notice (`examples/gen-corpus.rs`).
fn corpus_block(i: usize) -> String {
    (0..18)
        .map(|l| format!("field_{l}: {{name: value-{i}-{l}, count: {l}, enabled: true}}  # comment {l}\n"))
        .collect()
}

/// A corpus notice body without its code block: headings, a list, a
/// table, links and paragraphs, about 3.4 KB.
fn corpus_body() -> String {
    let para = "Data elements multiply value when they meet real scenes: the contest invites teams to show how public and enterprise data, put to use together, improve services, lower costs and open new markets. ";
    let mut b = String::new();
    for s in 0..3 {
        b.push_str(&format!("## Part {s}\n\n{para}{para}\n\n"));
    }
    b.push_str("- first item\n- [tracks](../../tracks/)\n- item three\n\n| a | b | c |\n|---|---|---|\n| 1 | 7 | x |\n| y | z | w |\n\n");
    while b.len() < 3400 {
        b.push_str(para);
        b.push_str("\n\n");
    }
    b
}

fn highlight(c: &mut Criterion) {
    let mut hl = Highlighter::default();
    hl.forgetful = true;
    let block = corpus_block(42);
    hl.highlight(&block, "yaml"); // load the syntaxes outside the timing
    c.bench_function("highlight/yaml-18-lines", |b| {
        b.iter(|| black_box(hl.highlight(black_box(&block), "yaml")))
    });
    let cached = Highlighter::default();
    c.bench_function("highlight/yaml-18-lines-cached", |b| {
        b.iter(|| black_box(cached.highlight(black_box(&block), "yaml")))
    });
}

fn markdown(c: &mut Criterion) {
    let md = Markdown::default();
    let body = corpus_body();
    c.bench_function("markdown/notice-3.4KB", |b| {
        b.iter(|| black_box(md.render(black_box(&body), false)))
    });
}

fn example(c: &mut Criterion) {
    let root = repo();
    c.bench_function("load/example", |b| {
        b.iter(|| {
            let mut d = Diagnostics::default();
            black_box(podium::load::load_site(&root, "example", &mut d))
        })
    });
    let mut d = Diagnostics::default();
    let site = podium::load::load_site(&root, "example", &mut d).unwrap();
    c.bench_function("schedule/example", |b| {
        b.iter(|| black_box(podium::schedule::schedule(&site, now(), false)))
    });
    let sched = podium::schedule::schedule(&site, now(), false);
    let theme = podium::theme::load(&root.join("themes/default"), None).ok().unwrap();
    let md = Markdown::default();
    c.bench_function("render/example", |b| {
        b.iter(|| {
            let inputs = podium::build::render::Inputs {
                site: &site,
                sched: &sched,
                theme: &theme,
                markdown: &md,
                search_entries: None,
                manifest: true,
            };
            let sink = podium::emit::memory::MemorySink::default();
            black_box(podium::build::render::render_site(&inputs, &podium::build::render::Selection::All, &sink).ok());
            black_box(sink.into_output())
        })
    });
    c.bench_function("theme/compile", |b| {
        b.iter(|| black_box(podium::theme::load(&root.join("themes/default"), None).is_ok()))
    });
    let opts = BuildOptions {
        root: root.clone(),
        themes: root.join("themes"),
        sites: vec!["example".into()],
        now: now(),
        base_url: None,
        drafts: false,
        precompress: false,
        preview: false,
    };
    c.bench_function("build/example-in-memory-cold", |b| {
        b.iter(|| black_box(build_with(&opts, &Caches::default()).0.len()))
    });
    let warm = Caches::for_serve();
    c.bench_function("build/example-in-memory-warm", |b| {
        b.iter(|| black_box(build_with(&opts, &warm).0.len()))
    });
}

criterion_group!(benches, highlight, markdown, example);
criterion_main!(benches);
