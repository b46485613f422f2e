//! Container credentials: ECS tasks and EKS Pod Identity.
//!
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on
//! `http://169.254.170.2`; otherwise `AWS_CONTAINER_CREDENTIALS_FULL_URI` is
//! the whole URI, which must be HTTPS or HTTP to a loopback address or to the
//! ECS / EKS agent. The `Authorization` header is the content of
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, else
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use super::{
    parse_credentials_document, Credentials, CredentialsError, CredentialsHttp, Env,
    ProvideCredentials, ProvideFuture,
};

const PROVIDER: &str = "ecs";
/// The ECS agent's credentials endpoint.
pub const ECS_ENDPOINT: &str = "http://169.254.170.2";

/// Credentials from the container credentials endpoint.
#[derive(Clone, Debug)]
pub struct EcsProvider {
    env: Env,
    http: Arc<dyn CredentialsHttp>,
    timeout: Duration,
}

impl EcsProvider {
    /// Reads the process environment; calls go through `http`.
    pub fn new(http: Arc<dyn CredentialsHttp>) -> Self {
        Self::with_env(Env::process(), http)
    }

    /// Reads `env` instead (tests).
    pub fn with_env(env: Env, http: Arc<dyn CredentialsHttp>) -> Self {
        Self {
            env,
            http,
            timeout: Duration::from_secs(2),
        }
    }

    /// The time allowed for the call (default 2 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The URI and headers of the call, from the environment.
    fn request(&self) -> Result<(String, Vec<(String, String)>), CredentialsError> {
        let uri = if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let slash = if relative.starts_with('/') { "" } else { "/" };
            format!("{ECS_ENDPOINT}{slash}{relative}")
        } else if let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            check_full_uri(&full)?;
            full
        } else {
            return Err(CredentialsError::not_loaded(
                PROVIDER,
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI \
                 are not set",
            ));
        };
        let token = if let Some(path) = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                CredentialsError::invalid_configuration(
                    PROVIDER,
                    format!("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"),
                )
            })?;
            Some((
                text.trim().to_owned(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            ))
        } else {
            self.env
                .get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
                .map(|t| (t, "AWS_CONTAINER_AUTHORIZATION_TOKEN"))
        };
        let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
        if let Some((token, source)) = token {
            if token.is_empty() || token.bytes().any(|b| b.is_ascii_control()) {
                return Err(CredentialsError::invalid_configuration(
                    PROVIDER,
                    format!("the token from {source} is empty or holds control characters"),
                ));
            }
            headers.push(("authorization".to_owned(), token));
        }
        Ok((uri, headers))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let (uri, headers) = self.request()?;
        let (status, body) = self
            .http
            .call(http::Method::GET, &uri, headers, self.timeout)
            .await
            .map_err(|reason| CredentialsError::Transport {
                provider: PROVIDER,
                reason,
            })?;
        if !(200..300).contains(&status) {
            return Err(CredentialsError::Service {
                provider: PROVIDER,
                status,
                reason: "the container credentials endpoint refused".to_owned(),
            });
        }
        parse_credentials_document(PROVIDER, &body)
    }
}

impl ProvideCredentials for EcsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// A full URI must be HTTPS, or HTTP to loopback, the ECS agent
/// (169.254.170.2) or the EKS Pod Identity agent (169.254.170.23,
/// fd00:ec2::23): credentials must not travel in clear text elsewhere.
fn check_full_uri(full: &str) -> Result<(), CredentialsError> {
    let invalid = |why: &str| {
        CredentialsError::invalid_configuration(
            PROVIDER,
            format!("AWS_CONTAINER_CREDENTIALS_FULL_URI {why}"),
        )
    };
    let uri: http::Uri = full.parse().map_err(|_| invalid("is not a URI"))?;
    let host = uri.host().ok_or_else(|| invalid("has no host"))?;
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") => {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let allowed = bare.eq_ignore_ascii_case("localhost")
                || match bare.parse::<IpAddr>() {
                    Ok(ip) => {
                        ip.is_loopback()
                            || ip == IpAddr::from([169, 254, 170, 2])
                            || ip == IpAddr::from([169, 254, 170, 23])
                            || ip == IpAddr::from([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23])
                    }
                    Err(_) => false,
                };
            if allowed {
                Ok(())
            } else {
                Err(invalid(
                    "uses HTTP to a host that is not loopback or the ECS/EKS agent",
                ))
            }
        }
        _ => Err(invalid("is neither http nor https")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uris_must_be_safe() {
        for ok in [
            "https://creds.example.com/x",
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/creds",
            "http://localhost/creds",
            "http://[::1]:9000/",
            "http://169.254.170.2/v2/credentials",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
        ] {
            assert!(check_full_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://169.254.169.254/",
            "http://example.com/",
            "http://10.0.0.1/",
            "ftp://127.0.0.1/",
            "/relative",
        ] {
            assert!(check_full_uri(bad).is_err(), "{bad}");
        }
    }
}
