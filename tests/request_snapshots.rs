//! The whole request (method, path, query, headers, body) of every X-Ray
//! operation, for a realistic input from `tests/fixtures/requests/`, and of
//! PutTelemetryRecords for each fixture in `tests/fixtures/telemetry/`.

use std::path::PathBuf;

use serde_json::Value;

fn fixture(dir: &str, name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir)
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_operation_has_a_fixture_and_a_snapshot() {
    assert_eq!(xray::dry_run::OPERATIONS.len(), 38);
    for op in xray::dry_run::OPERATIONS {
        let request = xray::dry_run::render_request(op, &fixture("requests", op))
            .unwrap_or_else(|e| panic!("{op}: {e}"));
        assert_eq!(
            request["method"], "POST",
            "{op}: X-Ray uses POST everywhere"
        );
        insta::assert_json_snapshot!(format!("request_{op}"), request);
    }
}

#[test]
fn put_telemetry_records_for_every_telemetry_fixture() {
    for name in [
        "empty_records",
        "all_fields",
        "required_only",
        "count_extremes",
        "timestamps",
        "backend_errors",
    ] {
        let input = fixture("telemetry", name);
        let request = xray::dry_run::render_request("PutTelemetryRecords", &input).unwrap();
        assert_eq!(request["path"], "/TelemetryRecords");
        assert_eq!(request["headers"]["content-type"], "application/json");
        assert_eq!(request["body"], input, "{name}: the body is the input");
        insta::assert_json_snapshot!(format!("telemetry_request_{name}"), request);
    }
}

#[test]
fn missing_required_members_are_refused_before_sending() {
    let err =
        xray::dry_run::render_request("PutTelemetryRecords", &serde_json::json!({"Hostname": "h"}))
            .unwrap_err();
    assert!(err.contains("TelemetryRecords"), "{err}");
    let err =
        xray::dry_run::render_request("PutTraceSegments", &serde_json::json!({})).unwrap_err();
    assert!(err.contains("TraceSegmentDocuments"), "{err}");
    // Nested required members too, by wire path.
    let err = xray::dry_run::render_request(
        "PutTelemetryRecords",
        &serde_json::json!({"TelemetryRecords": [{"Timestamp": 1}, {"SegmentsSentCount": 1}]}),
    )
    .unwrap_err();
    assert!(
        err.ends_with("missing required members: TelemetryRecords[1].Timestamp"),
        "{err}"
    );
}

#[test]
fn operations_without_body_members_send_no_body() {
    let request =
        xray::dry_run::render_request("GetEncryptionConfig", &serde_json::json!({})).unwrap();
    assert_eq!(request["body"], Value::Null);
    assert!(request["headers"].get("content-type").is_none());
}
