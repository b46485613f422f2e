//! The smithy-lite runtime: what generated clients share.
//!
//! Today it holds the sans-IO pieces: the [`operation::Operation`] trait that
//! every generated operation implements (input to `http::Request`,
//! `http::Response` to output or error), the restJson1 helpers in [`rest`],
//! error types in [`error`], and the page streams behind paginators. The
//! HTTP client, signing, credentials and retries build on these.

#[cfg(feature = "aws-config")]
pub mod aws_config;
pub mod client;
pub mod config;
pub mod credentials;
pub mod dry_run;
pub mod endpoint;
pub mod error;
pub mod operation;
pub mod paginator;
pub mod rest;
pub mod retry;
pub mod sigv4;
pub mod transport;

pub use smithy_lite_types as types;
