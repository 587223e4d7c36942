//! What every stage shares and nothing in it knows about competitions:
//! diagnostics and their messages, calendar arithmetic, the rules of what
//! may reach a page.

pub mod diag;
pub mod safety;
pub mod time;
