//! The links of a site that failed to load, checked anyway: an editor
//! sees a broken link with the other problems, not after fixing them.
//!
//! What loaded is rendered into memory (never published), and only the
//! link problems are kept, less those that point at a page whose file
//! failed: that page is missing because of a problem already reported.

use super::render::{self, Inputs, Selection};
use crate::base::diag::Diagnostics;
use crate::emit::memory::MemorySink;
use std::collections::BTreeSet;
use std::path::Path;

/// The messages of broken links in the editor's files.
const LINK_PROBLEMS: [&str; 3] = ["broken_link", "broken_anchor", "link_leaves_site"];

/// The link problems of the site of `inp`, which loaded with the errors
/// of `load_problems`.
pub fn link_problems(inp: &Inputs, load_problems: &Diagnostics) -> Diagnostics {
    let failed = failed_names(&inp.site.content_dir, load_problems);
    let sink = MemorySink::new(false);
    let mut out = Diagnostics::default();
    let Err(found) = render::render_site(inp, &Selection::All, &sink) else {
        return out;
    };
    for d in found.iter().filter(|d| LINK_PROBLEMS.contains(&d.message.key)) {
        let target = d.hint.as_ref().and_then(|h| h.arg("target")).unwrap_or("");
        let href = d.message.arg("href").unwrap_or("");
        let echo = [target, href]
            .iter()
            .flat_map(|t| t.split(['/', '#', '.']))
            .any(|part| failed.contains(part));
        if !echo {
            out.push(d.clone());
        }
    }
    out
}

/// The names of the pages that failed to load: the file names (without
/// language and extension) and folders of the content files with errors
/// (`notices/bad.zh.md` → `bad`; `tracks/alpha/track.yaml` → `alpha`).
fn failed_names(content_dir: &Path, problems: &Diagnostics) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for d in problems.iter().filter(|d| d.is_error()) {
        let Ok(rel) = d.path.strip_prefix(content_dir) else { continue };
        for part in rel.iter().filter_map(|p| p.to_str()) {
            let stem = part.split('.').next().unwrap_or(part);
            if !["notices", "tracks", "publicity", "pages", "files", "track"].contains(&stem) {
                names.insert(stem.to_string());
            }
        }
    }
    names
}
