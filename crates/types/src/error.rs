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
