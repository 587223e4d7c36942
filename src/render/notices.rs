//! The notices: the list of published ones, and each notice with its
//! issuing bodies, document number and attachments.

use super::frame::{finish, ArticleMeta, Frame};
use super::views::{human_size, notice_ref, NoticeRef};
use crate::base::diag::Diagnostic;
use crate::model::Notice;
use serde::Serialize;

#[derive(Serialize)]
struct NoticeListView {
    notices: Vec<NoticeRef>,
}

#[derive(Serialize)]
struct AttachmentView {
    href: String,
    title: String,
    kind: String,
    size: String,
}

#[derive(Serialize)]
struct NoticeView {
    notice: NoticeRef,
    issuers: Vec<String>,
    /// "Issued jointly by 26 bodies": shown instead of a long list on screen.
    issuers_summary: String,
    attachments: Vec<AttachmentView>,
    body: String,
}

pub fn list(mut f: Frame) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    f.meta.title = lx.words.s("notices");
    let notices = lx.sched.notices(lx.site).map(|n| notice_ref(lx, &f.root, n)).collect();
    finish(f.pc, "notices.html", f.meta, NoticeListView { notices })
}

pub fn notice(mut f: Frame, n: &Notice) -> Result<String, Diagnostic> {
    let pc = f.pc;
    let lx = pc.lx;
    let Some((t, fallback)) = n.text.get(lx.lang, lx.default) else {
        return Err(Diagnostic::error(
            &lx.site.content_dir,
            crate::msg!("cannot_prepare_page", e = &n.slug),
        ));
    };
    f.meta.fallback = fallback;
    f.meta.title = t.title.clone();
    f.meta.description = t.summary.clone().unwrap_or_default();
    f.meta.article = Some(ArticleMeta {
        title: t.title.clone(),
        pub_date: n.date.to_string(),
        source: if t.issuers.is_empty() {
            pc.view.organizer.clone()
        } else {
            t.issuers.join(" ")
        },
    });
    f.crumb("notices/", lx.words.s("notices"));
    let attachments = n
        .attachments
        .iter()
        .zip(&t.attachment_titles)
        .map(|(file, title)| AttachmentView {
            href: format!("{}files/{}", f.root, file),
            title: title.clone().unwrap_or_else(|| file.clone()),
            kind: file.rsplit_once('.').map(|(_, e)| e.to_uppercase()).unwrap_or_default(),
            size: lx
                .site
                .files
                .get(file)
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| human_size(m.len()))
                .unwrap_or_default(),
        })
        .collect();
    let data = NoticeView {
        notice: notice_ref(lx, &f.root, n),
        issuers: t.issuers.clone(),
        issuers_summary: lx.words.f(
            "issued_jointly",
            &[
                ("first", t.issuers.first().map(String::as_str).unwrap_or("")),
                ("n", &t.issuers.len().to_string()),
            ],
        ),
        attachments,
        body: lx.md(&t.body),
    };
    finish(pc, "notice.html", f.meta, data)
}
