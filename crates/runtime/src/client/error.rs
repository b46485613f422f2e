use std::fmt;

use crate::error::{MalformedResponse, ProvideErrorMetadata};
use crate::operation::HttpResponse;
use crate::transport::TransportError;

/// Why a call failed, in the same five kinds as the official SDKs.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built: invalid input, no endpoint, no
    /// credentials.
    ConstructionFailure(String),
    /// An attempt or the whole operation ran out of time.
    TimeoutError(String),
    /// The request could not be sent or the connection broke.
    DispatchFailure(TransportError),
    /// A response came back but could not be read.
    ResponseError(MalformedResponse, Box<HttpResponse>),
    /// The service answered with an error.
    ServiceError(ServiceError<E>),
}

/// A service error and the response that carried it.
#[derive(Debug)]
pub struct ServiceError<E> {
    err: E,
    raw: Box<HttpResponse>,
}

impl<E> ServiceError<E> {
    pub(crate) fn new(err: E, raw: HttpResponse) -> Self {
        Self {
            err,
            raw: Box::new(raw),
        }
    }

    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.err
    }

    /// The error, by value.
    pub fn into_err(self) -> E {
        self.err
    }

    /// The HTTP response.
    pub fn raw(&self) -> &HttpResponse {
        &self.raw
    }
}

impl<E> SdkError<E> {
    pub(crate) fn construction(message: impl Into<String>) -> Self {
        SdkError::ConstructionFailure(message.into())
    }

    pub(crate) fn timeout(message: impl Into<String>) -> Self {
        SdkError::TimeoutError(message.into())
    }

    pub(crate) fn dispatch(e: TransportError) -> Self {
        SdkError::DispatchFailure(e)
    }

    pub(crate) fn response(m: MalformedResponse, raw: HttpResponse) -> Self {
        SdkError::ResponseError(m, Box::new(raw))
    }

    /// The service's error, when that is what happened.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(e) => Some(&e.err),
            _ => None,
        }
    }

    /// The service's error, by value.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::ServiceError(e) => Some(e.err),
            _ => None,
        }
    }

    /// The HTTP response, when one came back.
    pub fn raw_response(&self) -> Option<&HttpResponse> {
        match self {
            SdkError::ServiceError(e) => Some(&e.raw),
            SdkError::ResponseError(_, raw) => Some(raw),
            _ => None,
        }
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The service's error code, when the service sent one.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().and_then(|e| e.code())
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::ConstructionFailure(m) => write!(f, "failed to construct request: {m}"),
            SdkError::TimeoutError(m) => write!(f, "request timed out: {m}"),
            SdkError::DispatchFailure(e) => write!(f, "dispatch failure: {e}"),
            SdkError::ResponseError(e, _) => write!(f, "response error: {e}"),
            SdkError::ServiceError(e) => write!(f, "service error: {}", e.err),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::DispatchFailure(e) => Some(e),
            SdkError::ResponseError(e, _) => Some(e),
            SdkError::ServiceError(e) => Some(&e.err),
            _ => None,
        }
    }
}
