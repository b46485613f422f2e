//! Interop with the official SDK's configuration (cargo feature
//! `aws-config`): use an `aws_types::SdkConfig` (as `aws_config::load_from_env`
//! returns) or any `aws-credential-types` credentials provider with a
//! smithy-lite client.

use std::fmt;
use std::sync::Arc;

pub use aws_types::SdkConfig;

use crate::client::HandleBuilder;
use crate::config::ClientConfig;
use crate::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// Any `aws-credential-types` provider, as a smithy-lite provider.
pub struct AwsCredentials<P>(pub P);

impl<P> fmt::Debug for AwsCredentials<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AwsCredentials(..)")
    }
}

impl<P> ProvideCredentials for AwsCredentials<P>
where
    P: aws_credential_types::provider::ProvideCredentials + Send + Sync,
{
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let c =
                aws_credential_types::provider::ProvideCredentials::provide_credentials(&self.0)
                    .await
                    .map_err(|e| CredentialsError::InvalidConfiguration {
                        provider: "aws-config",
                        reason: crate::transport::error_chain(&e),
                    })?;
            Ok(Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                c.session_token().map(str::to_owned),
                c.expiry(),
            ))
        })
    }
}

/// Applies what `sdk` sets (region, endpoint URL, FIPS, dual-stack, max
/// attempts, credentials provider) to a client being built.
pub fn apply_sdk_config(
    mut builder: HandleBuilder,
    mut config: ClientConfig,
    sdk: &SdkConfig,
) -> (HandleBuilder, ClientConfig) {
    if let Some(region) = sdk.region() {
        builder = builder.region(region.as_ref());
    }
    if let Some(url) = sdk.endpoint_url() {
        builder = builder.endpoint_url(url);
    }
    if let Some(on) = sdk.use_fips() {
        builder = builder.use_fips(on);
    }
    if let Some(on) = sdk.use_dual_stack() {
        builder = builder.use_dual_stack(on);
    }
    if let Some(retry) = sdk.retry_config() {
        let mut ours = builder.retry_config();
        ours.max_attempts = retry.max_attempts().max(1);
        builder = builder.retry(ours);
    }
    if let Some(provider) = sdk.credentials_provider() {
        config = config.credentials_provider(Arc::new(AwsCredentials(provider)));
    }
    (builder, config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn official_providers_supply_credentials() {
        let theirs = aws_credential_types::Credentials::new(
            "AKID",
            "secret",
            Some("token".into()),
            None,
            "test",
        );
        let ours = AwsCredentials(theirs).provide_credentials().await.unwrap();
        assert_eq!(ours.access_key_id(), "AKID");
        assert_eq!(ours.secret_access_key(), "secret");
        assert_eq!(ours.session_token(), Some("token"));
    }

    #[test]
    fn sdk_config_settings_carry_over() {
        let sdk = SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-west-1"))
            .endpoint_url("http://127.0.0.1:4566")
            .use_fips(true)
            .build();
        let builder =
            crate::client::Handle::builder("test", "test/0", Arc::new(|_| Ok(String::new())));
        let (builder, _) = apply_sdk_config(builder, ClientConfig::new(Some("xray")), &sdk);
        let e = builder.endpoint_config();
        assert_eq!(e.region.as_deref(), Some("eu-west-1"));
        assert_eq!(e.endpoint_url.as_deref(), Some("http://127.0.0.1:4566"));
        assert!(e.use_fips);
    }
}
