//! The smithy-lite runtime: everything a generated client needs to turn a
//! pure request into a response (transport, signing, credentials, endpoint
//! resolution, retries). It grows with the operation crate; for now it
//! re-exports the primitive types so generated code has one stable path.

pub use smithy_lite_types as types;
