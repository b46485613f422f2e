//! The smithy-lite runtime: what generated clients share.
//!
//! Today it holds the sans-IO pieces: the [`operation::Operation`] trait that
//! every generated operation implements (input to `http::Request`,
//! `http::Response` to output or error), the restJson1 helpers in [`rest`],
//! error types in [`error`], and the page streams behind paginators. The
//! HTTP client, signing, credentials and retries build on these.

pub mod dry_run;
pub mod error;
pub mod operation;
pub mod paginator;
pub mod rest;

pub use smithy_lite_types as types;
