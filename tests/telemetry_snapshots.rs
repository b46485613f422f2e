//! Snapshots of the PutTelemetryRecords JSON body, byte for byte, for the
//! fixtures in `tests/fixtures/telemetry/`.

use std::path::PathBuf;

use smithy_lite_types::DateTime;
use xray_types::operation::put_telemetry_records::PutTelemetryRecordsInput;
use xray_types::{BackendConnectionErrors, TelemetryRecord};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/telemetry")
        .join(format!("{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn parse(name: &str) -> PutTelemetryRecordsInput {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn body(input: &PutTelemetryRecordsInput) -> String {
    serde_json::to_string(input).expect("serializes")
}

macro_rules! snapshot_fixtures {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let input = parse(stringify!($name));
            let json = body(&input);
            insta::assert_snapshot!(stringify!($name), json);
            // The body reads back to the same input.
            let again: PutTelemetryRecordsInput = serde_json::from_str(&json).unwrap();
            assert_eq!(again, input);
        }
    )*};
}

snapshot_fixtures!(
    empty_records,
    all_fields,
    required_only,
    count_extremes,
    timestamps,
    backend_errors,
);

#[test]
fn builders_produce_the_all_fields_fixture() {
    let record = TelemetryRecord::builder()
        .timestamp(DateTime::from_secs(1_700_000_000))
        .segments_received_count(120)
        .segments_sent_count(118)
        .segments_spillover_count(1)
        .segments_rejected_count(1)
        .backend_connection_errors(
            BackendConnectionErrors::builder()
                .timeout_count(2)
                .connection_refused_count(3)
                .http_code4_xx_count(4)
                .http_code5_xx_count(5)
                .unknown_host_count(6)
                .other_count(7)
                .build(),
        )
        .build()
        .expect("timestamp is set");
    let input = PutTelemetryRecordsInput::builder()
        .telemetry_records(record)
        .ec2_instance_id("i-0123456789abcdef0")
        .hostname("ip-10-0-0-12.ec2.internal")
        .resource_arn("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0")
        .build();
    assert_eq!(input, parse("all_fields"));
    let expected: serde_json::Value = serde_json::from_str(&fixture("all_fields")).unwrap();
    let actual: serde_json::Value = serde_json::from_str(&body(&input)).unwrap();
    assert_eq!(actual, expected);
}

#[test]
fn fixture_timestamps_parse_exactly() {
    let input = parse("timestamps");
    let got: Vec<DateTime> = input
        .telemetry_records()
        .iter()
        .map(|r| *r.timestamp())
        .collect();
    assert_eq!(
        got,
        [
            DateTime::from_millis(1_700_000_000_500),
            DateTime::from_millis(1_700_000_000_123),
            DateTime::from_millis(1_700_000_000_001),
            DateTime::from_secs(0),
            DateTime::from_millis(1),
            DateTime::from_millis(-1_500),
            DateTime::from_millis(-86_400_250),
            DateTime::from_secs(-2_208_988_800),
        ]
    );
}

#[test]
fn fixture_counts_parse_exactly() {
    let input = parse("count_extremes");
    let r = &input.telemetry_records()[0];
    assert_eq!(r.segments_received_count(), Some(i32::MAX));
    assert_eq!(r.segments_sent_count(), Some(i32::MIN));
    let e = r.backend_connection_errors().expect("set");
    assert_eq!(e.timeout_count(), Some(i32::MIN));
    assert_eq!(e.http_code5_xx_count(), Some(i32::MAX));
}
