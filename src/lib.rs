//! Podium: bilingual static sites for competition portals.
//!
//! The folders of `src/` are the pipeline, and imports run down it only
//! (`tests/architecture.rs` fails on a cycle); `docs/architecture.md`
//! draws it on one page.

pub mod base;
pub mod build;
pub mod check;
pub mod context;
pub mod emit;
pub mod load;
pub mod markdown;
pub mod model;
pub mod outputs;
pub mod render;
pub mod scaffold;
pub mod schedule;
pub mod serve;
pub mod theme;
