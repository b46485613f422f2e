//! Sends one PutTelemetryRecords with aws-sdk-xray: region, endpoint and
//! static credentials from the environment (no aws-config, as in ../ours).

use aws_sdk_xray::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_xray::primitives::DateTime;
use aws_sdk_xray::types::TelemetryRecord;

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
        "environment",
    );
    let mut builder = aws_sdk_xray::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(env("AWS_REGION")))
        .credentials_provider(credentials);
    if let Ok(url) = std::env::var("AWS_ENDPOINT_URL") {
        builder = builder.endpoint_url(url);
    }
    let client = aws_sdk_xray::Client::from_conf(builder.build());
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
