//! Primitive types shared by every crate that smithy-lite generates.
//!
//! The generated shape crates use [`DateTime`] for timestamps, [`Blob`] for
//! binary data, [`Document`] for open content and the codecs in [`wire`] to
//! put them on the restJson1 wire. Nothing here does IO.

mod blob;
mod date_time;
mod document;
mod error;
mod number;
pub mod wire;

pub use blob::Blob;
pub use date_time::{DateTime, DateTimeError, Format};
pub use document::{Document, Number};
pub use error::{BuildError, ErrorFault, ErrorMetadata};
pub use number::{BigDecimal, BigInteger};
