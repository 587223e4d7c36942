//! The evaluation criteria: a table of up to three levels, with weights
//! when the criteria have them, and the prose of `criteria.<lang>.md`.

use super::frame::{finish, Frame};
use crate::base::diag::Diagnostic;
use crate::context::Lang;
use crate::model::Criterion;
use serde::Serialize;

#[derive(Serialize)]
struct Cell {
    text: String,
    description: String,
    rowspan: usize,
    weight: String,
}

#[derive(Serialize)]
struct CriteriaView {
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
    has_weight: bool,
    prose_title: String,
    prose: String,
}

pub fn render(mut f: Frame) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    let Some(c) = lx.site.criteria.as_ref() else {
        return Err(Diagnostic::error(
            &lx.site.content_dir,
            crate::msg!("cannot_prepare_page", e = "criteria"),
        ));
    };
    f.meta.title = lx.words.s("criteria");
    let (prose_title, prose, fallback) = lx.prose(&c.prose);
    f.meta.fallback |= fallback;
    let columns = c
        .column_names
        .get(lx.lang)
        .or_else(|| c.column_names.get(lx.default))
        .cloned()
        .unwrap_or_else(|| (1..=3).map(|n| lx.words.s(&format!("criteria_level_{n}"))).collect());
    let depth = depth(&c.items);
    let mut rows = Vec::new();
    table_rows(lx, &c.items, depth, 0, &mut Vec::new(), &mut rows);
    let data = CriteriaView {
        columns: columns.into_iter().take(depth).collect(),
        rows,
        has_weight: have_weight(&c.items),
        prose_title,
        prose,
    };
    finish(f.pc, "criteria.html", f.meta, data)
}

fn depth(items: &[Criterion]) -> usize {
    items.iter().map(|c| 1 + depth(&c.children)).max().unwrap_or(0)
}

fn have_weight(items: &[Criterion]) -> bool {
    items.iter().any(|c| c.weight.is_some() || have_weight(&c.children))
}

fn leaves(c: &Criterion) -> usize {
    if c.children.is_empty() {
        1
    } else {
        c.children.iter().map(leaves).sum()
    }
}

/// Flattens the criteria tree into table rows: a cell spans the rows of its
/// leaves; a row starts with the cells that begin on it.
fn table_rows(lx: &Lang, items: &[Criterion], depth: usize, level: usize, pending: &mut Vec<Cell>, rows: &mut Vec<Vec<Cell>>) {
    for c in items {
        let weight = c
            .weight
            .map(|w| if w.fract() == 0.0 { format!("{}", w as i64) } else { w.to_string() })
            .unwrap_or_default();
        pending.push(Cell {
            text: lx.text(&c.name),
            description: lx.md_opt(&c.description),
            rowspan: leaves(c),
            weight,
        });
        if c.children.is_empty() {
            // A leaf above the last level fills the empty columns to its right.
            for _ in level + 1..depth {
                pending.push(Cell {
                    text: String::new(),
                    description: String::new(),
                    rowspan: 1,
                    weight: String::new(),
                });
            }
            rows.push(std::mem::take(pending));
        } else {
            table_rows(lx, &c.children, depth, level + 1, pending, rows);
        }
    }
}
