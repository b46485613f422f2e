//! Client configuration that generated clients share: credentials and
//! signing, and what is read from the environment.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::client::{Handle, HandleBuilder, SignRequest};
use crate::credentials::{
    CachingProvider, CredentialsHttp, DefaultChain, HttpFuture, ProvideCredentials,
};
use crate::operation::HttpRequest;
use crate::transport::{BoxFuture, HyperTransport, Transport};

/// A client could not be configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Signing settings of a client being built.
pub struct ClientConfig {
    signing_name: Option<&'static str>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    signer: Option<Arc<dyn SignRequest>>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("signing_name", &self.signing_name)
            .field("credentials", &self.credentials)
            .field("signer", &self.signer)
            .finish()
    }
}

impl ClientConfig {
    /// Settings for a service signed as `signing_name` (`aws.auth#sigv4`).
    pub fn new(signing_name: Option<&'static str>) -> Self {
        Self {
            signing_name,
            credentials: None,
            signer: None,
        }
    }

    /// Where credentials come from.
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// A signer to use instead of SigV4.
    pub fn signer(mut self, signer: Arc<dyn SignRequest>) -> Self {
        self.signer = Some(signer);
        self
    }

    /// Builds the handle: SigV4 with the configured credentials (the
    /// default chain when none were given) unless another signer was set.
    pub fn finish(self, builder: HandleBuilder) -> Result<Handle, ConfigError> {
        let signer: Arc<dyn SignRequest> = match (self.signer, self.signing_name) {
            (Some(s), _) => s,
            (None, None) => Arc::new(crate::client::NoSigning),
            (None, Some(service)) => {
                let region = builder.endpoint_config().region.clone().ok_or_else(|| {
                    ConfigError(
                        "no region: set one in code, in AWS_REGION, or in the profile".into(),
                    )
                })?;
                let credentials = match self.credentials {
                    Some(c) => c,
                    None => default_credentials().map_err(|e| ConfigError(e.to_string()))?,
                };
                Arc::new(SigV4Signer {
                    credentials,
                    region,
                    service,
                })
            }
        };
        builder
            .signer(signer)
            .build()
            .map_err(|e| ConfigError(e.to_string()))
    }
}

/// The standard chain (environment, profile, ECS container, EC2 IMDSv2),
/// cached and refreshed before expiry; ECS and IMDS are reached through the
/// runtime's hyper transport.
pub fn default_credentials() -> Result<Arc<dyn ProvideCredentials>, crate::transport::TransportError>
{
    let http = Arc::new(TransportHttp(HyperTransport::new(Some(
        Duration::from_secs(1),
    ))?));
    Ok(Arc::new(CachingProvider::new(DefaultChain::new(http))))
}

/// The credential providers' HTTP calls, made with a [`Transport`].
#[derive(Debug)]
pub struct TransportHttp<T>(pub T);

impl<T: Transport> CredentialsHttp for TransportHttp<T> {
    fn call(
        &self,
        method: http::Method,
        uri: &str,
        headers: Vec<(String, String)>,
        timeout: Duration,
    ) -> HttpFuture<'_> {
        let request = headers
            .into_iter()
            .fold(
                http::Request::builder().method(method).uri(uri),
                |b, (k, v)| b.header(k, v),
            )
            .body(bytes::Bytes::new());
        Box::pin(async move {
            let request = request.map_err(|e| e.to_string())?;
            let response = tokio::time::timeout(timeout, self.0.call(request))
                .await
                .map_err(|_| format!("no answer within {timeout:?}"))?
                .map_err(|e| e.to_string())?;
            Ok((response.status().as_u16(), response.into_body()))
        })
    }
}

/// Signs with SigV4, taking credentials from a provider for every attempt
/// (the provider caches them).
pub struct SigV4Signer {
    credentials: Arc<dyn ProvideCredentials>,
    region: String,
    service: &'static str,
}

impl fmt::Debug for SigV4Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigV4Signer")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .finish()
    }
}

impl SigV4Signer {
    /// A signer for `service` in `region`.
    pub fn new(
        credentials: Arc<dyn ProvideCredentials>,
        region: impl Into<String>,
        service: &'static str,
    ) -> Self {
        Self {
            credentials,
            region: region.into(),
            service,
        }
    }
}

impl SignRequest for SigV4Signer {
    fn sign<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        time: SystemTime,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let credentials = self
                .credentials
                .provide_credentials()
                .await
                .map_err(|e| format!("no credentials: {e}"))?;
            let params = crate::sigv4::SigningParams {
                credentials: &credentials,
                region: &self.region,
                service: self.service,
                time,
            };
            crate::sigv4::sign(request, &params).map_err(|e| e.to_string())
        })
    }
}

/// Reads what the environment says, where code did not say it already:
/// region (`AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's),
/// endpoint URL (the service's own variable, then `AWS_ENDPOINT_URL`), FIPS
/// (`AWS_USE_FIPS_ENDPOINT`), dual-stack (`AWS_USE_DUALSTACK_ENDPOINT`) and
/// attempts (`AWS_MAX_ATTEMPTS`).
pub fn load_env(
    mut builder: HandleBuilder,
    config: ClientConfig,
    service_endpoint_env: &str,
) -> (HandleBuilder, ClientConfig) {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let flag = |name: &str| var(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let current = builder.endpoint_config().clone();
    if current.region.is_none() {
        let region = var("AWS_REGION")
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .or_else(|| crate::credentials::profile_region(&crate::credentials::Env::process()));
        if let Some(region) = region {
            builder = builder.region(region);
        }
    }
    if current.endpoint_url.is_none() {
        if let Some(url) = var(service_endpoint_env).or_else(|| var("AWS_ENDPOINT_URL")) {
            builder = builder.endpoint_url(url);
        }
    }
    if !current.use_fips && flag("AWS_USE_FIPS_ENDPOINT") {
        builder = builder.use_fips(true);
    }
    if !current.use_dual_stack && flag("AWS_USE_DUALSTACK_ENDPOINT") {
        builder = builder.use_dual_stack(true);
    }
    if let Some(n) = var("AWS_MAX_ATTEMPTS").and_then(|v| v.trim().parse::<u32>().ok()) {
        let mut retry = builder.retry_config();
        retry.max_attempts = n.max(1);
        builder = builder.retry(retry);
    }
    (builder, config)
}
