use std::fmt;

/// A builder was asked to build a value while required members were unset.
///
/// Returned by the `build()` method of builders whose type has `@required`
/// members without a default; it names every missing member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    missing: Vec<&'static str>,
}

impl BuildError {
    /// A build of `type_name` that lacked the `missing` members (Rust names).
    pub fn missing_fields(type_name: &'static str, missing: Vec<&'static str>) -> Self {
        Self { type_name, missing }
    }

    /// The Rust type that could not be built.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The members, by Rust field name, that were required but unset.
    pub fn missing(&self) -> &[&'static str] {
        &self.missing
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot build {}: missing required member{} {}",
            self.type_name,
            if self.missing.len() == 1 { "" } else { "s" },
            self.missing.join(", ")
        )
    }
}

impl std::error::Error for BuildError {}

/// Who is at fault for a modeled error (Smithy's `@error` trait).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorFault {
    /// The request was wrong (`@error("client")`).
    Client,
    /// The service failed (`@error("server")`).
    Server,
}

/// What the service said about an error: its code, message, request id and
/// HTTP status. Every modeled error and every unknown one carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: u16,
}

impl ErrorMetadata {
    /// Metadata read from a response.
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        request_id: Option<String>,
        status: u16,
    ) -> Self {
        Self {
            code,
            message,
            request_id,
            status,
        }
    }

    /// The error code, sanitized (`ThrottledException`).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The message the service sent.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id (`x-amzn-requestid`), for support cases.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status of the response (0 when unknown).
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if self.status != 0 {
            write!(f, " (HTTP {}", self.status)?;
            if let Some(id) = &self.request_id {
                write!(f, ", request id {id}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}
