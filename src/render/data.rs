//! The open data page: each file the site publishes about itself, with
//! what it holds, its format, size and schema.

use super::frame::{finish, Frame};
use super::views::human_size;
use crate::base::diag::Diagnostic;
use serde::Serialize;

/// One file on the data page.
#[derive(Serialize)]
struct DataFileView {
    href: String,
    name: String,
    description: String,
    format: String,
    size: String,
    /// The file's JSON Schema, if it has one.
    schema: Option<String>,
}

#[derive(Serialize)]
struct DataView {
    files: Vec<DataFileView>,
    calendar: DataFileView,
    updated: String,
}

pub fn render(mut f: Frame) -> Result<String, Diagnostic> {
    let pc = f.pc;
    let lx = pc.lx;
    f.meta.title = lx.words.s("open_data");
    let root = &f.root;
    let file = |path: &str, size: u64, description: String, schema: Option<String>| {
        let name = path.rsplit('/').next().unwrap_or(path);
        DataFileView {
            href: format!("{root}{path}"),
            name: name.to_string(),
            description,
            format: match name.rsplit_once('.').map(|(_, e)| e) {
                Some("ics") => "iCalendar".to_string(),
                Some(e) => e.to_uppercase(),
                None => String::new(),
            },
            size: human_size(size),
            schema,
        }
    };
    let files = pc
        .data_files
        .iter()
        .map(|(name, size)| {
            let stem = name.replace('.', "_");
            let schema = name.strip_suffix(".json").map(|s| format!("{root}data/schema/{s}.schema.json"));
            file(
                &format!("{}data/{name}", lx.prefix),
                *size,
                lx.words.s(&format!("data_file_{stem}")),
                schema,
            )
        })
        .collect();
    let data = DataView {
        files,
        calendar: file(
            &format!("{}timeline.ics", lx.prefix),
            pc.calendar_size,
            lx.words.s("data_file_timeline_ics"),
            None,
        ),
        updated: lx.date(lx.sched.today),
    };
    finish(pc, "data.html", f.meta, data)
}
