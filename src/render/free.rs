//! Free pages (eligibility, what to submit, contact, FAQ) and the 404 page.

use super::frame::{finish, Frame};
use crate::base::diag::Diagnostic;
use crate::model::Page;
use serde::Serialize;

#[derive(Serialize)]
struct DocView {
    body: String,
}

#[derive(Serialize)]
struct Empty {}

pub fn page(mut f: Frame, p: &Page) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    let (title, body, fallback) = match p.text.get(lx.lang, lx.default) {
        Some((doc, fallback)) => (doc.title.clone(), lx.md(&doc.body), fallback),
        None => Default::default(),
    };
    f.meta.fallback = fallback;
    f.meta.title = title;
    finish(f.pc, "page.html", f.meta, DocView { body })
}

pub fn not_found(mut f: Frame) -> Result<String, Diagnostic> {
    f.meta.title = f.pc.lx.words.s("not_found_title");
    finish(f.pc, "404.html", f.meta, Empty {})
}
