//! Podium: bilingual static sites for competition portals.
//!
//! The build is a row of stages (see `build`): `content` reads and resolves
//! the files into a `model::Site`, `schedule` decides everything that depends
//! on "now", `render` turns both into an in-memory `render::Output`, and
//! `build::DiskSink` writes it (page by page, as `podium build` renders)
//! and swaps it into place. Modules depend one way, top to bottom:
//! `diag`, `yaml`, `time` → `model`, `content` → `schedule` → `markdown`,
//! `theme`, `render`, `feed`, `ical`, `opendata` → `build`.

pub mod assets;
pub mod build;
pub mod check;
pub mod content;
pub mod diag;
pub mod feed;
pub mod ical;
pub mod links;
pub mod markdown;
pub mod model;
pub mod opendata;
pub mod publish;
pub mod render;
pub mod safety;
pub mod scaffold;
pub mod schedule;
pub mod search;
pub mod serve;
pub mod theme;
pub mod time;
pub mod yaml;
