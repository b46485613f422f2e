//! Sends one PutTelemetryRecords with smithy-lite's xray crate: region,
//! endpoint and static credentials from the environment.

use std::sync::Arc;

use smithy_lite::credentials::{Credentials, StaticProvider};
use xray::types::primitives::DateTime;
use xray::types::TelemetryRecord;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = Credentials::new(
        env("AWS_ACCESS_KEY_ID"),
        env("AWS_SECRET_ACCESS_KEY"),
        None,
        None,
    );
    let mut builder = xray::Client::builder()
        .region(env("AWS_REGION"))
        .credentials_provider(Arc::new(StaticProvider::new(credentials)));
    if let Ok(url) = std::env::var("AWS_ENDPOINT_URL") {
        builder = builder.endpoint_url(url);
    }
    let client = builder.build()?;
    let record = TelemetryRecord::builder()
        .timestamp(DateTime::from_secs(1_767_225_600))
        .segments_received_count(120)
        .segments_sent_count(118)
        .build()?;
    client
        .put_telemetry_records()
        .telemetry_records(record)
        .hostname("ip-10-0-0-12")
        .send()
        .await?;
    println!("sent");
    Ok(())
}
