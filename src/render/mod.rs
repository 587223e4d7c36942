//! The pages: the model and the schedule, through the theme's templates,
//! into HTML — one file per kind of page, each with its typed view.
//!
//! [`pages::list`] says which pages a site has at an instant;
//! [`pages::render`] renders one in one language. Markdown is rendered
//! inside the page, once per document and language. Templates see typed
//! view structs only: they never compute dates or statuses, and every
//! interface word comes from the theme's strings. What the pages need from
//! the files beside them (the search index's address, the data files'
//! sizes) comes in through [`context::PageCx`]; `build` makes those files
//! first.

pub mod awards;
pub mod context;
pub mod criteria;
pub mod data;
pub mod frame;
pub mod free;
pub mod home;
pub mod notices;
pub mod pages;
pub mod results;
pub mod search;
pub mod timeline;
pub mod tracks;
pub mod views;
