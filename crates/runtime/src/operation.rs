//! The sans-IO contract between generated operations and the runtime.

use bytes::Bytes;

use crate::error::{MalformedResponse, ResponseError, SerializeError};

/// A request as generated code builds it: method, path and query, headers
/// and body; the runtime adds the endpoint, signing and transport.
pub type HttpRequest = http::Request<Bytes>;
/// A response as generated code parses it.
pub type HttpResponse = http::Response<Bytes>;

/// A prefix the operation puts before the endpoint's host (`@endpoint`),
/// carried as a request extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPrefix(pub String);

/// One operation of a service: pure functions from input to request and
/// from response to output or error.
pub trait Operation {
    /// The operation's name in the model (`PutTelemetryRecords`).
    const NAME: &'static str;
    /// The input structure.
    type Input;
    /// The output structure.
    type Output;
    /// The operation's error: its modeled errors or an unhandled one.
    type Error: std::error::Error + crate::error::ProvideErrorMetadata + Send + Sync + 'static;

    /// Builds the HTTP request; fails when the input is not valid (for
    /// example a required member is unset).
    fn serialize_request(input: &Self::Input) -> Result<HttpRequest, SerializeError>;

    /// Parses the HTTP response into the output, the operation's error, or a
    /// [`MalformedResponse`] when it cannot be read.
    fn parse_response(response: &HttpResponse) -> Result<Self::Output, ResponseError<Self::Error>>;
}

/// Reads a JSON body into a builder, requiring nothing after the value.
pub fn read_json<B: smithy_lite_types::wire::StructDe>(
    response: &HttpResponse,
) -> Result<B, MalformedResponse> {
    let body = response.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(B::default());
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let builder = smithy_lite_types::wire::de_struct::<_, B>(&mut de)
        .and_then(|b| de.end().map(|()| b))
        .map_err(|e| MalformedResponse::new(response, format!("invalid JSON body: {e}")))?;
    Ok(builder)
}
