//! Error types shared by every generated operation.

use std::fmt;

pub use smithy_lite_types::{BuildError, ErrorMetadata};

use crate::operation::HttpResponse;

/// Access to what the service said about an error.
pub trait ProvideErrorMetadata {
    /// The code, message, request id and status.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code (`ThrottledException`), if the service sent one.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// Whether the error says the caller is sending too fast: modeled
    /// throttling errors, HTTP 429 and the standard AWS throttling codes.
    fn is_throttling(&self) -> bool {
        is_throttling(self.meta())
    }

    /// Whether the error is transient (worth retrying): HTTP 500, 502, 503
    /// and 504 and the standard AWS transient codes.
    fn is_transient(&self) -> bool {
        is_transient(self.meta())
    }
}

/// HTTP 429 or a standard AWS throttling code.
pub fn is_throttling(meta: &ErrorMetadata) -> bool {
    meta.status() == 429 || meta.code().is_some_and(|c| THROTTLING_CODES.contains(&c))
}

/// HTTP 500, 502, 503 or 504, or a standard AWS transient code.
pub fn is_transient(meta: &ErrorMetadata) -> bool {
    matches!(meta.status(), 500 | 502 | 503 | 504)
        || meta.code().is_some_and(|c| TRANSIENT_CODES.contains(&c))
}

/// Error codes the AWS SDKs treat as throttling.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes the AWS SDKs treat as transient.
pub const TRANSIENT_CODES: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// An error the model does not describe: its code, message and status are
/// kept as the service sent them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unhandled {
    meta: ErrorMetadata,
}

impl Unhandled {
    /// Wraps the metadata of an unknown error.
    pub fn new(meta: ErrorMetadata) -> Self {
        Self { meta }
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unhandled error: {}", self.meta)
    }
}

impl std::error::Error for Unhandled {}

/// A response that could not be read: not the JSON the model describes, a
/// header in the wrong format, and so on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedResponse {
    status: u16,
    request_id: Option<String>,
    message: String,
}

impl MalformedResponse {
    /// Describes what was wrong with `response`.
    pub fn new(response: &HttpResponse, message: impl Into<String>) -> Self {
        Self {
            status: response.status().as_u16(),
            request_id: crate::rest::request_id(response.headers()),
            message: message.into(),
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for MalformedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed response (HTTP {}): {}",
            self.status, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for MalformedResponse {}

/// Why a response did not give an output.
#[derive(Debug)]
pub enum ResponseError<E> {
    /// The service returned an error (modeled or not).
    Service(E),
    /// The response could not be read.
    Malformed(MalformedResponse),
}

impl<E: fmt::Display> fmt::Display for ResponseError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Service(e) => write!(f, "service error: {e}"),
            ResponseError::Malformed(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ResponseError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResponseError::Service(e) => Some(e),
            ResponseError::Malformed(e) => Some(e),
        }
    }
}

impl<E> From<MalformedResponse> for ResponseError<E> {
    fn from(e: MalformedResponse) -> Self {
        ResponseError::Malformed(e)
    }
}

/// Why an input could not become a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SerializeError {
    /// Required members are unset.
    Missing(BuildError),
    /// A value cannot be put on the wire (an empty label, an unknown union
    /// variant, a timestamp outside the calendar).
    Invalid(String),
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SerializeError::Missing(e) => e.fmt(f),
            SerializeError::Invalid(m) => write!(f, "invalid input: {m}"),
        }
    }
}

impl std::error::Error for SerializeError {}

impl From<BuildError> for SerializeError {
    fn from(e: BuildError) -> Self {
        SerializeError::Missing(e)
    }
}

impl From<serde_json::Error> for SerializeError {
    fn from(e: serde_json::Error) -> Self {
        SerializeError::Invalid(e.to_string())
    }
}

impl From<http::Error> for SerializeError {
    fn from(e: http::Error) -> Self {
        SerializeError::Invalid(e.to_string())
    }
}
