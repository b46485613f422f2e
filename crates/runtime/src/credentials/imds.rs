//! The EC2 instance role's credentials, through IMDSv2.
//!
//! 1. `PUT /latest/api/token` with `x-aws-ec2-metadata-token-ttl-seconds`
//!    gives a session token;
//! 2. `GET /latest/meta-data/iam/security-credentials/` with
//!    `x-aws-ec2-metadata-token` gives the role name;
//! 3. `GET /latest/meta-data/iam/security-credentials/<role>` gives the
//!    credentials JSON.
//!
//! The endpoint is `http://169.254.169.254`, or `http://[fd00:ec2::254]`
//! when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`, or
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT`. `AWS_EC2_METADATA_DISABLED=true`
//! turns the provider off. There is no IMDSv1 fallback; each call makes one
//! attempt (a [`CachingProvider`](super::CachingProvider) tries again on the
//! next request).

use std::sync::Arc;
use std::time::Duration;

use super::{
    parse_credentials_document, sanitize, Credentials, CredentialsError, CredentialsHttp, Env,
    ProvideCredentials, ProvideFuture,
};

const PROVIDER: &str = "imds";
/// The IPv4 instance metadata endpoint.
pub const IMDS_ENDPOINT: &str = "http://169.254.169.254";
/// The IPv6 instance metadata endpoint.
pub const IMDS_ENDPOINT_IPV6: &str = "http://[fd00:ec2::254]";
const TOKEN_TTL_SECONDS: &str = "21600";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// Credentials of the instance profile role.
#[derive(Clone, Debug)]
pub struct ImdsProvider {
    env: Env,
    http: Arc<dyn CredentialsHttp>,
    timeout: Duration,
}

impl ImdsProvider {
    /// Reads the process environment; calls go through `http`.
    pub fn new(http: Arc<dyn CredentialsHttp>) -> Self {
        Self::with_env(Env::process(), http)
    }

    /// Reads `env` instead (tests).
    pub fn with_env(env: Env, http: Arc<dyn CredentialsHttp>) -> Self {
        Self {
            env,
            http,
            timeout: Duration::from_secs(1),
        }
    }

    /// The time allowed for each of the three calls (default 1 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn endpoint(&self) -> Result<String, CredentialsError> {
        if let Some(endpoint) = self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            let uri: http::Uri = endpoint.parse().map_err(|_| {
                CredentialsError::invalid_configuration(
                    PROVIDER,
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT is not a URI",
                )
            })?;
            if uri.scheme().is_none() || uri.host().is_none() {
                return Err(CredentialsError::invalid_configuration(
                    PROVIDER,
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT needs a scheme and a host",
                ));
            }
            return Ok(endpoint.trim_end_matches('/').to_owned());
        }
        match self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
            None => Ok(IMDS_ENDPOINT.to_owned()),
            Some(mode) if mode.eq_ignore_ascii_case("ipv4") => Ok(IMDS_ENDPOINT.to_owned()),
            Some(mode) if mode.eq_ignore_ascii_case("ipv6") => Ok(IMDS_ENDPOINT_IPV6.to_owned()),
            Some(_) => Err(CredentialsError::invalid_configuration(
                PROVIDER,
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is neither IPv4 nor IPv6",
            )),
        }
    }

    async fn call(
        &self,
        method: http::Method,
        uri: String,
        headers: Vec<(String, String)>,
        what: &str,
    ) -> Result<bytes::Bytes, CredentialsError> {
        let (status, body) = self
            .http
            .call(method, &uri, headers, self.timeout)
            .await
            .map_err(|reason| CredentialsError::Transport {
                provider: PROVIDER,
                reason: format!("{what}: {reason}"),
            })?;
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(CredentialsError::Service {
                provider: PROVIDER,
                status,
                reason: what.to_owned(),
            })
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self
            .env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Err(CredentialsError::not_loaded(
                PROVIDER,
                "disabled by AWS_EC2_METADATA_DISABLED",
            ));
        }
        let endpoint = self.endpoint()?;

        let token = self
            .call(
                http::Method::PUT,
                format!("{endpoint}/latest/api/token"),
                vec![(
                    "x-aws-ec2-metadata-token-ttl-seconds".to_owned(),
                    TOKEN_TTL_SECONDS.to_owned(),
                )],
                "fetching the IMDSv2 session token",
            )
            .await?;
        let token = std::str::from_utf8(&token)
            .ok()
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.bytes().any(|b| b.is_ascii_control()))
            .ok_or_else(|| {
                CredentialsError::invalid_response(PROVIDER, "the session token is not text")
            })?
            .to_owned();
        let token_header = || vec![("x-aws-ec2-metadata-token".to_owned(), token.clone())];

        let roles = match self
            .call(
                http::Method::GET,
                format!("{endpoint}{ROLE_PATH}"),
                token_header(),
                "fetching the instance role name",
            )
            .await
        {
            Err(CredentialsError::Service { status: 404, .. }) => {
                return Err(CredentialsError::not_loaded(
                    PROVIDER,
                    "the instance has no IAM role attached",
                ));
            }
            other => other?,
        };
        let role = std::str::from_utf8(&roles)
            .ok()
            .and_then(|text| text.lines().map(str::trim).find(|l| !l.is_empty()))
            .ok_or_else(|| {
                CredentialsError::invalid_response(PROVIDER, "the role list is empty")
            })?;
        if !role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        {
            return Err(CredentialsError::invalid_response(
                PROVIDER,
                format!("`{}` is not an IAM role name", sanitize(role)),
            ));
        }

        let body = self
            .call(
                http::Method::GET,
                format!("{endpoint}{ROLE_PATH}{role}"),
                token_header(),
                "fetching the role's credentials",
            )
            .await?;
        parse_credentials_document(PROVIDER, &body)
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}
