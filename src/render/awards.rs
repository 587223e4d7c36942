//! The awards: places per level in each track, special awards, the
//! national final, and the prose of `awards.<lang>.md`.

use super::frame::{finish, Frame};
use super::views::Link;
use crate::base::diag::Diagnostic;
use serde::Serialize;

#[derive(Serialize)]
struct AwardRow {
    track: Link,
    counts: Vec<u32>,
}

#[derive(Serialize)]
struct SpecialView {
    name: String,
    count: String,
    description: String,
}

#[derive(Serialize)]
struct AwardsView {
    levels: Vec<String>,
    rows: Vec<AwardRow>,
    special: Vec<SpecialView>,
    national_final: String,
    prose_title: String,
    prose: String,
}

pub fn render(mut f: Frame) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    let site = lx.site;
    let Some(a) = site.awards.as_ref() else {
        return Err(Diagnostic::error(
            &site.content_dir,
            crate::msg!("cannot_prepare_page", e = "awards"),
        ));
    };
    f.meta.title = lx.words.s("awards");
    let (prose_title, prose, fallback) = lx.prose(&a.prose);
    f.meta.fallback |= fallback;
    let data = AwardsView {
        levels: a.levels.iter().map(|l| lx.text(&l.name)).collect(),
        rows: site
            .tracks
            .iter()
            .map(|t| AwardRow {
                track: Link {
                    href: lx.link(&f.root, lx.lang, &format!("tracks/{}/", t.id)),
                    label: lx.text(&t.name),
                },
                counts: a.counts.get(&t.id).cloned().unwrap_or_default(),
            })
            .collect(),
        special: a
            .special
            .iter()
            .map(|s| SpecialView {
                name: lx.text(&s.name),
                count: match (s.count, &s.count_text) {
                    (Some(n), _) => lx.words.f("places", &[("n", &n.to_string())]),
                    (None, Some(t)) => lx.text(t),
                    (None, None) => String::new(),
                },
                description: lx.md_opt(&s.description),
            })
            .collect(),
        national_final: a
            .national_final
            .as_ref()
            .map(|(n, note)| {
                let base = lx.words.f("national_final_places", &[("n", &n.to_string())]);
                match note {
                    Some(note) => format!("{base}{}{}", lx.words.s("note_separator"), lx.text(note)),
                    None => base,
                }
            })
            .unwrap_or_default(),
        prose_title,
        prose,
    };
    finish(f.pc, "awards.html", f.meta, data)
}
