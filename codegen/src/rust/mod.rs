//! Rust naming and the symbol provider.

pub mod naming;
pub mod symbols;
