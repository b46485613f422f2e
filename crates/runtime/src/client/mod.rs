//! The client core that generated clients wrap: configuration, and
//! [`invoke`], which runs one operation through endpoint resolution,
//! signing, the transport, retries and timeouts.

mod error;

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use tracing::Instrument as _;

pub use error::{SdkError, ServiceError};

use crate::error::{ProvideErrorMetadata, ResponseError};
use crate::operation::{HostPrefix, HttpRequest, HttpResponse, Operation};
use crate::retry::{RetryConfig, RetryKind, TokenBucket, SUCCESS_REFUND};
use crate::transport::{BoxFuture, HyperTransport, Transport, TransportError};

/// Signs a request just before it is sent (again for every attempt).
pub trait SignRequest: Send + Sync + fmt::Debug {
    /// Signs `request` as of `time` (already corrected for clock skew).
    fn sign<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        time: SystemTime,
    ) -> BoxFuture<'a, Result<(), String>>;
}

/// A signer that leaves requests unsigned (for endpoints that need none,
/// and for tests).
#[derive(Debug, Default)]
pub struct NoSigning;

impl SignRequest for NoSigning {
    fn sign<'a>(
        &'a self,
        _request: &'a mut HttpRequest,
        _time: SystemTime,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }
}

/// What endpoint resolution gets from the configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointConfig {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub use_fips: bool,
    pub use_dual_stack: bool,
}

/// Resolves the endpoint URL for a configuration (generated from the
/// model's endpoint rules).
pub type ResolveEndpoint = Arc<dyn Fn(&EndpointConfig) -> Result<String, String> + Send + Sync>;

/// Timeouts; `None` waits forever.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// To open a connection.
    pub connect: Option<Duration>,
    /// For one attempt, from sending to the whole response.
    pub attempt: Option<Duration>,
    /// For the whole call, retries and backoff included.
    pub operation: Option<Duration>,
}

/// Everything a client needs; built by the generated client's builder.
pub struct Handle {
    service: &'static str,
    user_agent: String,
    endpoint: EndpointConfig,
    resolve_endpoint: ResolveEndpoint,
    signer: Arc<dyn SignRequest>,
    transport: Arc<dyn Transport>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    bucket: TokenBucket,
    /// Server time minus local time, in milliseconds, learned from
    /// responses that reported a skewed request time.
    skew_millis: AtomicI64,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.service)
            .field("endpoint", &self.endpoint)
            .field("signer", &self.signer)
            .field("transport", &self.transport)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Handle`].
pub struct HandleBuilder {
    service: &'static str,
    user_agent: String,
    endpoint: EndpointConfig,
    resolve_endpoint: ResolveEndpoint,
    signer: Option<Arc<dyn SignRequest>>,
    transport: Option<Arc<dyn Transport>>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
}

impl fmt::Debug for HandleBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandleBuilder")
            .field("service", &self.service)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Handle {
    /// A builder for the service named `service` (for logs), whose crate
    /// identifies itself as `user_agent` (`xray/0.1.0`).
    pub fn builder(
        service: &'static str,
        user_agent: &str,
        resolve_endpoint: ResolveEndpoint,
    ) -> HandleBuilder {
        HandleBuilder {
            service,
            user_agent: format!("smithy-lite/{} {user_agent}", env!("CARGO_PKG_VERSION")),
            endpoint: EndpointConfig::default(),
            resolve_endpoint,
            signer: None,
            transport: None,
            retry: RetryConfig::default(),
            timeouts: TimeoutConfig::default(),
        }
    }

    /// The endpoint settings.
    pub fn endpoint_config(&self) -> &EndpointConfig {
        &self.endpoint
    }

    /// The retry quota's tokens left (for observability and tests).
    pub fn retry_tokens(&self) -> u32 {
        self.bucket.available()
    }

    /// The clock offset learned from the service, if any.
    pub fn clock_skew(&self) -> Duration {
        Duration::from_millis(self.skew_millis.load(Ordering::Relaxed).unsigned_abs())
    }

    fn now(&self) -> SystemTime {
        let skew = self.skew_millis.load(Ordering::Relaxed);
        let now = SystemTime::now();
        if skew >= 0 {
            now + Duration::from_millis(skew as u64)
        } else {
            now - Duration::from_millis(skew.unsigned_abs())
        }
    }
}

impl HandleBuilder {
    /// The endpoint settings so far.
    pub fn endpoint_config(&self) -> &EndpointConfig {
        &self.endpoint
    }

    /// The retry settings so far.
    pub fn retry_config(&self) -> RetryConfig {
        self.retry
    }

    /// The region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.endpoint.region = Some(region.into());
        self
    }

    /// Sends to this URL instead of the resolved endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint.endpoint_url = Some(url.into());
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.endpoint.use_fips = on;
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.endpoint.use_dual_stack = on;
        self
    }

    /// Signs requests with `signer`.
    pub fn signer(mut self, signer: Arc<dyn SignRequest>) -> Self {
        self.signer = Some(signer);
        self
    }

    /// Sends requests through `transport` instead of hyper.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Timeouts.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Builds the handle, with the hyper transport unless another was given.
    pub fn build(self) -> Result<Handle, TransportError> {
        let transport = match self.transport {
            Some(t) => t,
            None => Arc::new(HyperTransport::new(self.timeouts.connect)?),
        };
        Ok(Handle {
            service: self.service,
            user_agent: self.user_agent,
            endpoint: self.endpoint,
            resolve_endpoint: self.resolve_endpoint,
            signer: self.signer.unwrap_or_else(|| Arc::new(NoSigning)),
            transport,
            retry: self.retry,
            timeouts: self.timeouts,
            bucket: TokenBucket::default(),
            skew_millis: AtomicI64::new(0),
        })
    }
}

/// Error codes that mean the request's signing time was off.
const SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestInTheFuture",
];

/// Runs operation `O`: serialize, resolve the endpoint, then attempts
/// (sign, send, parse) with retries, all within the operation timeout.
pub async fn invoke<O>(handle: &Handle, input: &O::Input) -> Result<O::Output, SdkError<O::Error>>
where
    O: Operation,
{
    let span = tracing::debug_span!("operation", service = handle.service, operation = O::NAME);
    let call = async {
        let request =
            O::serialize_request(input).map_err(|e| SdkError::construction(e.to_string()))?;
        let request = prepare(handle, request).map_err(SdkError::construction)?;
        attempts::<O>(handle, request).await
    };
    match handle.timeouts.operation {
        None => call.instrument(span).await,
        Some(limit) => match tokio::time::timeout(limit, call).instrument(span).await {
            Ok(result) => result,
            Err(_) => Err(SdkError::timeout(format!(
                "{} did not complete within {limit:?}",
                O::NAME
            ))),
        },
    }
}

/// Resolves the endpoint and makes the request absolute: scheme, host
/// (with the operation's host prefix), base path, user agent, length.
fn prepare(handle: &Handle, request: HttpRequest) -> Result<HttpRequest, String> {
    let base = (handle.resolve_endpoint)(&handle.endpoint)
        .map_err(|e| format!("endpoint resolution failed: {e}"))?;
    let base: http::Uri = base
        .parse()
        .map_err(|e| format!("invalid endpoint URL {base:?}: {e}"))?;
    let (mut parts, body) = request.into_parts();
    let scheme = base.scheme_str().unwrap_or("https");
    let authority = base
        .authority()
        .ok_or("the endpoint URL has no host")?
        .as_str();
    let authority = match parts.extensions.get::<HostPrefix>() {
        Some(HostPrefix(prefix)) => format!("{prefix}{authority}"),
        None => authority.to_owned(),
    };
    let base_path = base.path().trim_end_matches('/');
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let uri = format!("{scheme}://{authority}{base_path}{path_and_query}");
    parts.uri = uri
        .parse()
        .map_err(|e| format!("invalid request URI {uri:?}: {e}"))?;
    let host = http::HeaderValue::from_str(&authority)
        .map_err(|e| format!("invalid host {authority:?}: {e}"))?;
    parts.headers.insert(http::header::HOST, host);
    if let Ok(ua) = http::HeaderValue::from_str(&handle.user_agent) {
        parts.headers.insert(http::header::USER_AGENT, ua);
    }
    if !body.is_empty() {
        parts.headers.insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from(body.len()),
        );
    }
    Ok(http::Request::from_parts(parts, body))
}

fn clone_request(request: &HttpRequest) -> HttpRequest {
    let mut out = http::Request::new(request.body().clone());
    *out.method_mut() = request.method().clone();
    *out.uri_mut() = request.uri().clone();
    *out.version_mut() = request.version();
    *out.headers_mut() = request.headers().clone();
    out
}

/// One failed attempt.
enum Failure<E> {
    Service(E, HttpResponse),
    Malformed(crate::error::MalformedResponse, HttpResponse),
    Transport(TransportError),
    Timeout(Duration),
}

async fn attempts<O: Operation>(
    handle: &Handle,
    request: HttpRequest,
) -> Result<O::Output, SdkError<O::Error>> {
    let mut attempt: u32 = 1;
    let mut spent: u32 = 0;
    loop {
        let span = tracing::debug_span!("attempt", attempt);
        let outcome = async {
            let mut request = clone_request(&request);
            handle
                .signer
                .sign(&mut request, handle.now())
                .await
                .map_err(|e| SdkError::construction(format!("signing failed: {e}")))?;
            let sent = handle.transport.call(request);
            let result = match handle.timeouts.attempt {
                None => sent.await,
                Some(limit) => match tokio::time::timeout(limit, sent).await {
                    Ok(r) => r,
                    Err(_) => return Ok(Err(Failure::Timeout(limit))),
                },
            };
            Ok(match result {
                Err(e) => Err(Failure::Transport(e)),
                Ok(response) => match O::parse_response(&response) {
                    Ok(output) => Ok(output),
                    Err(ResponseError::Service(e)) => Err(Failure::Service(e, response)),
                    Err(ResponseError::Malformed(m)) => Err(Failure::Malformed(m, response)),
                },
            })
        }
        .instrument(span)
        .await?;

        let failure = match outcome {
            Ok(output) => {
                handle
                    .bucket
                    .refund(if spent == 0 { SUCCESS_REFUND } else { spent });
                return Ok(output);
            }
            Err(f) => f,
        };
        let kind = match &failure {
            Failure::Service(e, response) => {
                if is_skew(e, response) && update_skew(handle, response) {
                    Some(RetryKind::ClockSkew)
                } else if e.is_throttling() {
                    Some(RetryKind::Throttling)
                } else if e.is_transient() {
                    Some(RetryKind::Transient)
                } else {
                    None
                }
            }
            Failure::Malformed(_, response) => {
                matches!(response.status().as_u16(), 500 | 502 | 503 | 504)
                    .then_some(RetryKind::Transient)
            }
            Failure::Transport(e) => e.is_retryable().then_some(RetryKind::Io),
            Failure::Timeout(_) => Some(RetryKind::Timeout),
        };
        let retry = kind.filter(|_| attempt < handle.retry.max_attempts);
        let retry = retry.filter(|k| {
            let ok = handle.bucket.acquire(k.cost());
            if !ok {
                tracing::debug!("retry quota exhausted");
            }
            ok
        });
        match retry {
            None => {
                return Err(match failure {
                    Failure::Service(err, raw) => {
                        SdkError::ServiceError(ServiceError::new(err, raw))
                    }
                    Failure::Malformed(m, raw) => SdkError::response(m, raw),
                    Failure::Transport(e) => SdkError::dispatch(e),
                    Failure::Timeout(limit) => {
                        SdkError::timeout(format!("attempt {attempt} timed out after {limit:?}"))
                    }
                });
            }
            Some(kind) => {
                spent += kind.cost();
                let wait = if kind == RetryKind::ClockSkew {
                    Duration::ZERO
                } else {
                    handle.retry.backoff(attempt)
                };
                tracing::debug!(?kind, ?wait, "retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
        }
    }
}

fn is_skew<E: ProvideErrorMetadata>(e: &E, response: &HttpResponse) -> bool {
    e.code().is_some_and(|c| SKEW_CODES.contains(&c))
        && response.headers().contains_key(http::header::DATE)
}

/// Learns the server's clock from the response `Date` header; `true` when
/// the offset changed enough to be worth a retry.
fn update_skew(handle: &Handle, response: &HttpResponse) -> bool {
    let Some(date) = response
        .headers()
        .get(http::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|d| {
            smithy_lite_types::DateTime::from_str(d, smithy_lite_types::Format::HttpDate).ok()
        })
    else {
        return false;
    };
    let Ok(server) = SystemTime::try_from(date) else {
        return false;
    };
    let local = SystemTime::now();
    let skew = match server.duration_since(local) {
        Ok(ahead) => ahead.as_millis() as i64,
        Err(behind) => -(behind.duration().as_millis() as i64),
    };
    let previous = handle.skew_millis.swap(skew, Ordering::Relaxed);
    (skew - previous).abs() > 4 * 60 * 1000
}

/// A body for tests and transports that need one.
pub fn empty_body() -> Bytes {
    Bytes::new()
}
