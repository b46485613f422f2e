//! Behaviour of the generated shape crate beyond PutTelemetryRecords:
//! enums, unions, optionality, defaults, nulls, keywords, errors.

use xray_types::error::InvalidRequestException;
use xray_types::operation::batch_get_traces::BatchGetTracesOutput;
use xray_types::operation::get_service_graph::GetServiceGraphOutput;
use xray_types::{AnnotationValue, EncryptionConfig, EncryptionType, TelemetryRecord};

#[test]
fn unknown_enum_values_are_kept() {
    let v: EncryptionType = serde_json::from_str("\"QUANTUM\"").unwrap();
    assert_eq!(v, EncryptionType::Unknown("QUANTUM".into()));
    assert_eq!(serde_json::to_string(&v).unwrap(), "\"QUANTUM\"");
    let known: EncryptionType = serde_json::from_str("\"KMS\"").unwrap();
    assert_eq!(known, EncryptionType::Kms);
    assert_eq!(known.as_str(), "KMS");
    assert_eq!(EncryptionType::values(), ["NONE", "KMS"]);
    assert_eq!(
        "NONE".parse::<EncryptionType>().unwrap(),
        EncryptionType::None
    );
}

#[test]
fn unions_read_one_member_and_keep_unknown_ones() {
    let v: AnnotationValue = serde_json::from_str(r#"{"NumberValue": 1.5}"#).unwrap();
    assert_eq!(v, AnnotationValue::NumberValue(1.5));
    assert_eq!(v.as_number_value(), Ok(&1.5));
    let v: AnnotationValue =
        serde_json::from_str(r#"{"__type": "x", "BooleanValue": null, "StringValue": "a"}"#)
            .unwrap();
    assert_eq!(v, AnnotationValue::StringValue("a".into()));
    let v: AnnotationValue = serde_json::from_str(r#"{"DecimalValue": "1.0"}"#).unwrap();
    assert_eq!(v, AnnotationValue::Unknown("DecimalValue".into()));
    assert!(
        serde_json::to_string(&v).is_err(),
        "unknown variants cannot be sent"
    );
    assert!(
        serde_json::from_str::<AnnotationValue>(r#"{"NumberValue": 1, "StringValue": "a"}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<AnnotationValue>("{}").is_err());
}

#[test]
fn floats_use_smithy_strings_for_non_finite_values() {
    let v = AnnotationValue::NumberValue(f64::NAN);
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"NumberValue":"NaN"}"#
    );
    let v = AnnotationValue::NumberValue(f64::NEG_INFINITY);
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"NumberValue":"-Infinity"}"#
    );
    let back: AnnotationValue = serde_json::from_str(r#"{"NumberValue":"Infinity"}"#).unwrap();
    assert_eq!(back, AnnotationValue::NumberValue(f64::INFINITY));
}

#[test]
fn nulls_mean_absent_and_dense_lists_drop_them() {
    let out: BatchGetTracesOutput = serde_json::from_str(
        r#"{"UnprocessedTraceIds": ["a", null, "b"], "NextToken": null, "SomethingNew": {"x": [1]}}"#,
    )
    .unwrap();
    assert_eq!(out.unprocessed_trace_ids(), ["a", "b"]);
    assert_eq!(out.next_token(), None);
    assert!(out.traces().is_empty());
}

#[test]
fn defaults_fill_plain_members() {
    let out: GetServiceGraphOutput = serde_json::from_str("{}").unwrap();
    assert!(!out.contains_old_group_versions());
    let out: GetServiceGraphOutput =
        serde_json::from_str(r#"{"ContainsOldGroupVersions": true}"#).unwrap();
    assert!(out.contains_old_group_versions());
}

#[test]
fn builders_name_missing_required_members() {
    let err = TelemetryRecord::builder()
        .segments_sent_count(1)
        .build()
        .unwrap_err();
    assert_eq!(err.missing(), ["timestamp"]);
    assert_eq!(
        err.to_string(),
        "cannot build TelemetryRecord: missing required member timestamp"
    );
}

#[test]
fn keyword_members_are_raw_identifiers() {
    let config = EncryptionConfig::builder()
        .r#type(EncryptionType::Kms)
        .key_id("alias/x")
        .build();
    assert_eq!(config.r#type(), Some(&EncryptionType::Kms));
    assert_eq!(config.r#type, Some(EncryptionType::Kms));
    let b = EncryptionConfig::builder().set_type(Some(EncryptionType::None));
    assert_eq!(b.get_type(), &Some(EncryptionType::None));
    assert_eq!(
        serde_json::to_string(&config).unwrap(),
        r#"{"KeyId":"alias/x","Type":"KMS"}"#
    );
}

#[test]
fn errors_display_their_message() {
    let e = InvalidRequestException::builder()
        .message("bad input")
        .build();
    assert_eq!(e.to_string(), "InvalidRequestException: bad input");
    assert_eq!(e.message(), Some("bad input"));
    let e: &dyn std::error::Error = &e;
    assert!(e.source().is_none());
}

#[test]
fn malformed_json_is_an_error_not_a_panic() {
    for bad in [
        r#"{"Timestamp": "yesterday"}"#,
        r#"{"Timestamp": 1, "SegmentsSentCount": 1.5}"#,
        r#"{"Timestamp": 1, "SegmentsSentCount": 99999999999}"#,
        r#"{"Timestamp": 1, "BackendConnectionErrors": []}"#,
        r#"[1, 2]"#,
        r#"{"Timestamp": 1"#,
    ] {
        assert!(
            serde_json::from_str::<TelemetryRecord>(bad).is_err(),
            "{bad}"
        );
    }
}
