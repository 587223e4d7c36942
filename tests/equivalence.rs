//! Every optimization on (parallel rendering, caches warm from a previous
//! build) gives exactly the bytes of a plain build: one thread, no cache.

mod common;

use common::*;
use podium::build::{build_with, Caches};

#[test]
fn optimized_output_equals_a_plain_single_threaded_cacheless_build() {
    let opts = options(&repo(), "2025-08-25T12:00:00+08:00");
    let plain = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| build_with(&opts, &Caches::forgetful()));
    let caches = Caches::for_serve();
    let _warm = build_with(&opts, &caches);
    let optimized = build_with(&opts, &caches);
    assert!(plain.1.is_empty() && optimized.1.is_empty());
    assert_eq!(plain.0.len(), optimized.0.len());
    for (a, b) in plain.0.iter().zip(&optimized.0) {
        assert_eq!(a.site.id, b.site.id);
        assert_eq!(
            a.output.files.keys().collect::<Vec<_>>(),
            b.output.files.keys().collect::<Vec<_>>(),
            "{}: different files",
            a.site.id
        );
        for (path, bytes) in &a.output.files {
            assert!(bytes == &b.output.files[path], "{}: {path} differs", a.site.id);
        }
    }
    assert!(caches.markdown.highlighter.misses.load(std::sync::atomic::Ordering::Relaxed) > 0);
}
