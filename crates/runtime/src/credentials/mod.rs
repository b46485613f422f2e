//! AWS credentials and the providers that find them.
//!
//! - [`StaticProvider`]: credentials given in code.
//! - [`EnvironmentProvider`]: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!   `AWS_SESSION_TOKEN`.
//! - [`ProfileProvider`]: static keys from the shared `config` and
//!   `credentials` files ([`profile_region`] reads a profile's region).
//! - [`EcsProvider`]: ECS and EKS container credentials.
//! - [`ImdsProvider`]: the EC2 instance role, through IMDSv2.
//! - [`DefaultChain`]: the four above in the order the AWS SDKs use.
//! - [`CachingProvider`]: caches another provider's credentials and refreshes
//!   them before they expire, one refresh at a time.
//!
//! Providers read the environment through [`Env`] and make HTTP calls
//! through [`CredentialsHttp`], so tests inject both and never touch the
//! process environment or the network. No secret is ever written by `Debug`,
//! `Display` or an error message.

mod cache;
mod chain;
mod ecs;
mod environment;
mod imds;
mod profile;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

pub use cache::{CachingProvider, Clock};
pub use chain::DefaultChain;
pub use ecs::EcsProvider;
pub use environment::EnvironmentProvider;
pub use imds::ImdsProvider;
pub use profile::{profile_region, ProfileProvider};

/// What `Debug` writes in place of a secret.
const REDACTED: &str = "** redacted **";

/// An access key, its secret, and for temporary credentials a session token
/// and an expiry. `Debug` never shows the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry,
        }
    }

    /// The access key id (`AKIA...`, `ASIA...`); not a secret.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials stop working.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Credentials");
        s.field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED);
        match self.session_token {
            Some(_) => s.field("session_token", &Some(REDACTED)),
            None => s.field("session_token", &None::<&str>),
        };
        match self.expiry {
            Some(t) => match smithy_lite_types::DateTime::from(t)
                .fmt(smithy_lite_types::Format::DateTime)
            {
                Ok(text) => s.field("expiry", &text),
                Err(_) => s.field("expiry", &t),
            },
            None => s.field("expiry", &None::<&str>),
        };
        s.finish()
    }
}

/// Why a provider gave no credentials. Messages never hold a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The provider has nothing to offer here (its variables are not set,
    /// its files do not exist): a chain moves on to the next provider.
    NotLoaded {
        /// The provider (`environment`, `profile`, `ecs`, `imds`, ...).
        provider: &'static str,
        /// What was missing.
        reason: String,
    },
    /// The provider is configured, but the configuration cannot work.
    InvalidConfiguration {
        /// The provider.
        provider: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The HTTP call to a credentials endpoint failed (connect, timeout).
    Transport {
        /// The provider.
        provider: &'static str,
        /// The transport's message.
        reason: String,
    },
    /// A credentials endpoint answered with an error status.
    Service {
        /// The provider.
        provider: &'static str,
        /// The HTTP status.
        status: u16,
        /// Which call failed.
        reason: String,
    },
    /// A credentials endpoint answered with something that is not
    /// credentials.
    InvalidResponse {
        /// The provider.
        provider: &'static str,
        /// What was wrong with it (never the body itself).
        reason: String,
    },
    /// Every provider of a chain failed; each one's error, in order.
    Chain {
        /// `(provider name, its error)` for each provider tried.
        attempts: Vec<(&'static str, CredentialsError)>,
    },
}

impl CredentialsError {
    /// The provider that failed (`chain` for a chain).
    pub fn provider(&self) -> &'static str {
        match self {
            CredentialsError::NotLoaded { provider, .. }
            | CredentialsError::InvalidConfiguration { provider, .. }
            | CredentialsError::Transport { provider, .. }
            | CredentialsError::Service { provider, .. }
            | CredentialsError::InvalidResponse { provider, .. } => provider,
            CredentialsError::Chain { .. } => "chain",
        }
    }

    /// Whether the provider simply had nothing to offer (a chain goes on).
    pub fn is_not_loaded(&self) -> bool {
        matches!(self, CredentialsError::NotLoaded { .. })
    }

    pub(crate) fn not_loaded(provider: &'static str, reason: impl Into<String>) -> Self {
        CredentialsError::NotLoaded {
            provider,
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid_configuration(provider: &'static str, reason: impl Into<String>) -> Self {
        CredentialsError::InvalidConfiguration {
            provider,
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid_response(provider: &'static str, reason: impl Into<String>) -> Self {
        CredentialsError::InvalidResponse {
            provider,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotLoaded { provider, reason } => {
                write!(f, "{provider}: no credentials: {reason}")
            }
            CredentialsError::InvalidConfiguration { provider, reason } => {
                write!(f, "{provider}: invalid configuration: {reason}")
            }
            CredentialsError::Transport { provider, reason } => {
                write!(f, "{provider}: request failed: {reason}")
            }
            CredentialsError::Service {
                provider,
                status,
                reason,
            } => write!(f, "{provider}: {reason}: HTTP {status}"),
            CredentialsError::InvalidResponse { provider, reason } => {
                write!(f, "{provider}: invalid response: {reason}")
            }
            CredentialsError::Chain { attempts } => {
                f.write_str("no provider in the chain gave credentials")?;
                for (name, error) in attempts {
                    write!(f, "; {name}: {}", ChainReason(error))?;
                }
                Ok(())
            }
        }
    }
}

/// An error's message without its `provider: ` prefix.
struct ChainReason<'a>(&'a CredentialsError);

impl fmt::Display for ChainReason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let full = self.0.to_string();
        let prefix = format!("{}: ", self.0.provider());
        f.write_str(full.strip_prefix(&prefix).unwrap_or(&full))
    }
}

impl std::error::Error for CredentialsError {}

/// The future a provider returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Anything that can supply credentials.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Finds (or refreshes) credentials.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Credentials fixed in code.
#[derive(Clone, Debug)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    /// A provider that always returns `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials }
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let credentials = self.credentials.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// The response a [`CredentialsHttp`] call returns: status and body.
pub type HttpFuture<'a> = Pin<Box<dyn Future<Output = Result<(u16, Bytes), String>> + Send + 'a>>;

/// The HTTP calls of the ECS and IMDS providers: one request, its status and
/// body, or a transport error message. The runtime implements it on its
/// HTTP client; tests script it.
pub trait CredentialsHttp: Send + Sync + fmt::Debug {
    /// Sends `method uri` with `headers` (and no body) within `timeout`.
    fn call(
        &self,
        method: http::Method,
        uri: &str,
        headers: Vec<(String, String)>,
        timeout: Duration,
    ) -> HttpFuture<'_>;
}

/// Where providers read environment variables: the process environment, or
/// a fixed map in tests. `Debug` shows no values.
#[derive(Clone)]
pub struct Env {
    source: EnvSource,
}

#[derive(Clone)]
enum EnvSource {
    Process,
    Map(Arc<HashMap<String, String>>),
}

impl Env {
    /// The process environment, read at each lookup.
    pub fn process() -> Self {
        Self {
            source: EnvSource::Process,
        }
    }

    /// A fixed set of variables (tests).
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            source: EnvSource::Map(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
        }
    }

    /// The variable's value; unset, empty and non-Unicode values are `None`.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.source {
            EnvSource::Process => std::env::var(name).ok(),
            EnvSource::Map(map) => map.get(name).cloned(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// The home directory: `HOME`, or `USERPROFILE` (Windows).
    pub(crate) fn home(&self) -> Option<String> {
        self.get("HOME").or_else(|| self.get("USERPROFILE"))
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::process()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            EnvSource::Process => f.write_str("Env::process()"),
            EnvSource::Map(map) => write!(f, "Env::from_vars({} variables)", map.len()),
        }
    }
}

/// Parses an ECS or IMDS credentials document (`AccessKeyId`,
/// `SecretAccessKey`, `Token`, `Expiration`, and for IMDS `Code`). Errors
/// never quote the body.
fn parse_credentials_document(
    provider: &'static str,
    body: &[u8],
) -> Result<Credentials, CredentialsError> {
    let doc: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        CredentialsError::invalid_response(
            provider,
            format!(
                "the body is not JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    let doc = doc.as_object().ok_or_else(|| {
        CredentialsError::invalid_response(provider, "the body is not a JSON object")
    })?;
    let text = |name: &str| -> Result<Option<&str>, CredentialsError> {
        match doc.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) if s.is_empty() => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(CredentialsError::invalid_response(
                provider,
                format!("{name} is not a string"),
            )),
        }
    };
    if let Some(code) = text("Code")? {
        if code != "Success" {
            return Err(CredentialsError::invalid_response(
                provider,
                format!("the endpoint reported code `{}`", sanitize(code)),
            ));
        }
    }
    let access_key_id = text("AccessKeyId")?
        .ok_or_else(|| CredentialsError::invalid_response(provider, "no AccessKeyId"))?;
    let secret = text("SecretAccessKey")?
        .ok_or_else(|| CredentialsError::invalid_response(provider, "no SecretAccessKey"))?;
    let expiry = match text("Expiration")? {
        None => None,
        Some(value) => {
            let parsed =
                smithy_lite_types::DateTime::from_str(value, smithy_lite_types::Format::DateTime)
                    .ok()
                    .and_then(|t| SystemTime::try_from(t).ok());
            Some(parsed.ok_or_else(|| {
                CredentialsError::invalid_response(
                    provider,
                    format!(
                        "Expiration `{}` is not an RFC 3339 date-time",
                        sanitize(value)
                    ),
                )
            })?)
        }
    };
    Ok(Credentials::new(
        access_key_id,
        secret,
        text("Token")?.map(str::to_owned),
        expiry,
    ))
}

/// A short, printable excerpt of a value that is not a secret but came from
/// outside (an error code, a date).
fn sanitize(text: &str) -> String {
    text.chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("the-session-token".into()),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)),
        );
        let text = format!("{creds:?} {creds:#?}");
        assert!(!text.contains("wJalr"), "{text}");
        assert!(!text.contains("the-session-token"), "{text}");
        assert!(text.contains("AKIDEXAMPLE"));
        assert!(text.contains("** redacted **"));
        assert!(text.contains("2015-08-30T12:36:00Z"));
        let plain = Credentials::new("AKID", "SECRET", None, None);
        assert_eq!(
            format!("{plain:?}"),
            r#"Credentials { access_key_id: "AKID", secret_access_key: "** redacted **", session_token: None, expiry: None }"#
        );
    }

    #[test]
    fn documents_parse_and_errors_do_not_quote_the_body() {
        let body = br#"{"Code":"Success","AccessKeyId":"ASIA1","SecretAccessKey":"s3cr3t","Token":"tok","Expiration":"2030-01-02T03:04:05Z"}"#;
        let c = parse_credentials_document("imds", body).unwrap();
        assert_eq!(c.access_key_id(), "ASIA1");
        assert_eq!(c.session_token(), Some("tok"));
        assert_eq!(
            c.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_553_445))
        );
        let broken = br#"{"AccessKeyId":"ASIA1","SecretAccessKey":"s3cr3t","Token":"#;
        let e = parse_credentials_document("ecs", broken).unwrap_err();
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
        let wrong_type = br#"{"AccessKeyId":"ASIA1","SecretAccessKey":12345678}"#;
        let e = parse_credentials_document("ecs", wrong_type).unwrap_err();
        assert!(!e.to_string().contains("12345678"), "{e}");
        let missing = br#"{"AccessKeyId":"ASIA1"}"#;
        assert_eq!(
            parse_credentials_document("ecs", missing).unwrap_err(),
            CredentialsError::invalid_response("ecs", "no SecretAccessKey")
        );
    }

    #[test]
    fn env_debug_shows_no_values() {
        let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "hunter2")]);
        assert_eq!(format!("{env:?}"), "Env::from_vars(1 variables)");
        assert_eq!(env.get("AWS_SECRET_ACCESS_KEY").as_deref(), Some("hunter2"));
        assert_eq!(Env::from_vars([("X", "")]).get("X"), None);
    }
}
