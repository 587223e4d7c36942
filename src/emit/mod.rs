//! Where the output goes.

pub mod publish;
