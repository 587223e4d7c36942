//! What every stage shares and nothing in it knows about competitions:
//! diagnostics and their messages, placeholders, escaping, calendar
//! arithmetic, the rules of what may reach a page, strict text for serde,
//! names close to a misspelt one, digests.

pub mod diag;
pub mod digest;
pub mod escape;
pub mod fill;
pub mod safety;
pub mod strict;
pub mod text;
pub mod time;
