//! The files beside the pages.

pub mod assets;
pub mod calendar;
pub mod feed;
pub mod opendata;
pub mod search;
pub mod sitemap;
pub mod stamps;
pub mod status;
