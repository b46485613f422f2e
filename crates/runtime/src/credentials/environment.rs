//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN`.

use super::{Credentials, CredentialsError, Env, ProvideCredentials, ProvideFuture};

const PROVIDER: &str = "environment";

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
/// `AWS_SESSION_TOKEN`. Empty variables count as unset; a key id without a
/// secret (or the reverse) is reported, and a chain moves on.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead (tests).
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }

    /// The credentials the environment holds now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.get("AWS_ACCESS_KEY_ID");
        let secret = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (id, secret) {
            (Some(id), Some(secret)) => Ok(Credentials::new(
                id,
                secret,
                self.env.get("AWS_SESSION_TOKEN"),
                None,
            )),
            (None, None) => Err(CredentialsError::not_loaded(
                PROVIDER,
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
            (Some(_), None) => Err(CredentialsError::not_loaded(
                PROVIDER,
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(CredentialsError::not_loaded(
                PROVIDER,
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}
