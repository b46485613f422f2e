//! The default provider chain.

use std::sync::Arc;

use super::{
    CredentialsError, CredentialsHttp, EcsProvider, Env, EnvironmentProvider, ImdsProvider,
    ProfileProvider, ProvideCredentials, ProvideFuture,
};

/// Tries providers in order: the environment, the shared profile, ECS
/// container credentials, then EC2 IMDS.
///
/// A provider that has nothing to offer ([`CredentialsError::NotLoaded`])
/// passes to the next one. Any other failure stops the chain: a profile
/// that is configured but broken, or a container endpoint that fails, must
/// not silently fall through to other credentials (on ECS that could be the
/// instance role instead of the task role). Either way the error is a
/// [`CredentialsError::Chain`] naming each provider tried and why it failed.
///
/// The chain looks again on every call; wrap it in a
/// [`CachingProvider`](super::CachingProvider).
#[derive(Clone, Debug)]
pub struct DefaultChain {
    providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
}

impl DefaultChain {
    /// The standard chain on the process environment.
    pub fn new(http: Arc<dyn CredentialsHttp>) -> Self {
        Self::with_env(Env::process(), http)
    }

    /// The standard chain reading `env` (tests).
    pub fn with_env(env: Env, http: Arc<dyn CredentialsHttp>) -> Self {
        Self::from_providers(vec![
            (
                "environment",
                Arc::new(EnvironmentProvider::with_env(env.clone())),
            ),
            ("profile", Arc::new(ProfileProvider::with_env(env.clone()))),
            (
                "ecs",
                Arc::new(EcsProvider::with_env(env.clone(), http.clone())),
            ),
            ("imds", Arc::new(ImdsProvider::with_env(env, http))),
        ])
    }

    /// A chain of any providers, each with the name its errors report.
    pub fn from_providers(providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>) -> Self {
        Self { providers }
    }

    /// The providers' names, in order.
    pub fn provider_names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|(name, _)| *name).collect()
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let mut attempts = Vec::new();
            for (name, provider) in &self.providers {
                match provider.provide_credentials().await {
                    Ok(credentials) => return Ok(credentials),
                    Err(error) => {
                        let go_on = error.is_not_loaded();
                        attempts.push((*name, error));
                        if !go_on {
                            break;
                        }
                    }
                }
            }
            Err(CredentialsError::Chain { attempts })
        })
    }
}
