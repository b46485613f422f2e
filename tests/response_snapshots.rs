//! Parsed outputs and errors for recorded-style responses.

use std::path::PathBuf;

use bytes::Bytes;
use serde_json::Value;
use smithy_lite::error::{ProvideErrorMetadata, ResponseError};
use smithy_lite::operation::{HttpResponse, Operation};
use xray::operation::put_telemetry_records::{PutTelemetryRecords, PutTelemetryRecordsError};

fn read(dir: &str, name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir)
        .join(format!("{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ok(body: &str) -> HttpResponse {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("x-amzn-requestid", "3f0a54f0-0000-4000-8000-000000000001")
        .body(Bytes::from(body.to_owned()))
        .unwrap()
}

/// An error fixture: `{"status": .., "headers": {..}, "body": ".."}`.
fn error_response(name: &str) -> HttpResponse {
    let spec: Value = serde_json::from_str(&read("errors", name)).unwrap();
    let mut b = http::Response::builder().status(spec["status"].as_u64().unwrap() as u16);
    for (k, v) in spec["headers"].as_object().unwrap() {
        b = b.header(k.as_str(), v.as_str().unwrap());
    }
    b.body(Bytes::from(spec["body"].as_str().unwrap().to_owned()))
        .unwrap()
}

#[test]
fn every_operation_parses_its_recorded_response() {
    for op in xray::dry_run::OPERATIONS {
        xray::dry_run::parse_response(op, &ok(&read("responses", op)))
            .unwrap_or_else(|e| panic!("{op}: {e}"));
        // What was read, written back in wire form (maps sorted, so the
        // snapshot is stable, unlike the `Debug` of a `HashMap`).
        let body: Value = serde_json::from_str(&read("responses", op)).unwrap();
        let again = xray::dry_run::reserialize_output(op, &body).unwrap();
        insta::assert_json_snapshot!(format!("response_{op}"), again);
        let twice = xray::dry_run::reserialize_output(op, &again).unwrap();
        assert_eq!(again, twice, "{op}");
    }
}

#[test]
fn error_responses_become_typed_errors() {
    for (op, name) in [
        ("PutTelemetryRecords", "InvalidRequestException_header"),
        ("PutTelemetryRecords", "ThrottledException_body_type"),
        ("CreateSamplingRule", "RuleLimitExceededException_code"),
        ("GetGroup", "ResourceNotFoundException"),
        ("PutTelemetryRecords", "UnknownError"),
        ("PutTelemetryRecords", "NoCode_503"),
    ] {
        let parsed = xray::dry_run::parse_response(op, &error_response(name));
        let text = parsed.expect_err("an error response is an error");
        insta::assert_snapshot!(format!("error_{name}"), text);
    }
}

#[test]
fn error_classification() {
    let parse = |name| match PutTelemetryRecords::parse_response(&error_response(name)) {
        Err(ResponseError::Service(e)) => e,
        other => panic!("{name}: {other:?}"),
    };
    let e = parse("ThrottledException_body_type");
    assert!(matches!(e, PutTelemetryRecordsError::ThrottledException(_)));
    assert!(e.is_throttled_exception() && e.is_throttling() && !e.is_transient());
    assert_eq!(e.code(), Some("ThrottledException"));
    assert_eq!(e.message(), Some("Rate exceeded"));

    let e = parse("InvalidRequestException_header");
    assert!(e.is_invalid_request_exception() && !e.is_throttling() && !e.is_transient());
    assert_eq!(e.meta().status(), 400);
    assert!(e.meta().request_id().is_some());

    let e = parse("UnknownError");
    assert!(e.is_unhandled() && e.is_transient());
    assert_eq!(e.code(), Some("InternalFailure"));
    assert!(e.message().is_some());

    let e = parse("NoCode_503");
    assert!(e.is_unhandled() && e.is_transient() && e.code().is_none());
    assert_eq!(e.meta().status(), 503);
}
