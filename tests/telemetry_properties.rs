//! Properties of the PutTelemetryRecords body over arbitrary records.

use proptest::prelude::*;
use serde_json::Value;
use smithy_lite_types::DateTime;
use xray_types::operation::put_telemetry_records::PutTelemetryRecordsInput;
use xray_types::{BackendConnectionErrors, TelemetryRecord};

const RECORD_KEYS: [&str; 6] = [
    "Timestamp",
    "SegmentsReceivedCount",
    "SegmentsSentCount",
    "SegmentsSpilloverCount",
    "SegmentsRejectedCount",
    "BackendConnectionErrors",
];
const ERROR_KEYS: [&str; 6] = [
    "TimeoutCount",
    "ConnectionRefusedCount",
    "HTTPCode4XXCount",
    "HTTPCode5XXCount",
    "UnknownHostCount",
    "OtherCount",
];

/// Instants from 1900 to 2200 with any millisecond.
fn millis_timestamp() -> impl Strategy<Value = DateTime> {
    (-2_208_988_800_000i64..7_258_118_400_000).prop_map(DateTime::from_millis)
}

/// Instants from 1900 to 2200 with any nanosecond.
fn nanos_timestamp() -> impl Strategy<Value = DateTime> {
    (-2_208_988_800i64..7_258_118_400, 0u32..1_000_000_000)
        .prop_map(|(s, n)| DateTime::from_secs_and_nanos(s, n))
}

fn count() -> impl Strategy<Value = Option<i32>> {
    prop_oneof![
        Just(None),
        any::<i32>().prop_map(Some),
        (0..1000i32).prop_map(Some)
    ]
}

fn backend_errors() -> impl Strategy<Value = BackendConnectionErrors> {
    (count(), count(), count(), count(), count(), count()).prop_map(|(a, b, c, d, e, f)| {
        BackendConnectionErrors::builder()
            .set_timeout_count(a)
            .set_connection_refused_count(b)
            .set_http_code4_xx_count(c)
            .set_http_code5_xx_count(d)
            .set_unknown_host_count(e)
            .set_other_count(f)
            .build()
    })
}

fn record(ts: impl Strategy<Value = DateTime>) -> impl Strategy<Value = TelemetryRecord> {
    (
        ts,
        count(),
        count(),
        count(),
        count(),
        proptest::option::of(backend_errors()),
    )
        .prop_map(|(t, a, b, c, d, e)| {
            TelemetryRecord::builder()
                .timestamp(t)
                .set_segments_received_count(a)
                .set_segments_sent_count(b)
                .set_segments_spillover_count(c)
                .set_segments_rejected_count(d)
                .set_backend_connection_errors(e)
                .build()
                .expect("timestamp is set")
        })
}

fn input(ts: impl Strategy<Value = DateTime>) -> impl Strategy<Value = PutTelemetryRecordsInput> {
    (
        proptest::collection::vec(record(ts), 0..8),
        proptest::option::of("[a-z0-9-]{1,20}"),
        proptest::option::of("[a-zA-Z0-9.\\-]{1,30}"),
        proptest::option::of("arn:aws:[a-z0-9:/-]{1,40}"),
    )
        .prop_map(|(records, ec2, host, arn)| {
            PutTelemetryRecordsInput::builder()
                .set_telemetry_records(Some(records))
                .set_ec2_instance_id(ec2)
                .set_hostname(host)
                .set_resource_arn(arn)
                .build()
        })
}

/// The keys a serialized record must have: exactly its set members.
fn expected_record_keys(r: &TelemetryRecord) -> Vec<&'static str> {
    let set = [
        true,
        r.segments_received_count().is_some(),
        r.segments_sent_count().is_some(),
        r.segments_spillover_count().is_some(),
        r.segments_rejected_count().is_some(),
        r.backend_connection_errors().is_some(),
    ];
    RECORD_KEYS
        .iter()
        .zip(set)
        .filter(|(_, s)| *s)
        .map(|(k, _)| *k)
        .collect()
}

fn expected_error_keys(e: &BackendConnectionErrors) -> Vec<&'static str> {
    let set = [
        e.timeout_count().is_some(),
        e.connection_refused_count().is_some(),
        e.http_code4_xx_count().is_some(),
        e.http_code5_xx_count().is_some(),
        e.unknown_host_count().is_some(),
        e.other_count().is_some(),
    ];
    ERROR_KEYS
        .iter()
        .zip(set)
        .filter(|(_, s)| *s)
        .map(|(k, _)| *k)
        .collect()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn serialize_then_deserialize_is_identity(input in input(millis_timestamp())) {
        let json = serde_json::to_string(&input).unwrap();
        let back: PutTelemetryRecordsInput = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, input);
    }

    #[test]
    fn wire_names_exact_and_absent_members_omitted(input in input(millis_timestamp())) {
        let value: Value = serde_json::to_value(&input).unwrap();
        let mut top = vec!["TelemetryRecords"];
        if input.ec2_instance_id().is_some() { top.push("EC2InstanceId"); }
        if input.hostname().is_some() { top.push("Hostname"); }
        if input.resource_arn().is_some() { top.push("ResourceARN"); }
        prop_assert_eq!(keys(&value), top);
        let records = value["TelemetryRecords"].as_array().unwrap();
        prop_assert_eq!(records.len(), input.telemetry_records().len());
        for (json, record) in records.iter().zip(input.telemetry_records()) {
            prop_assert_eq!(keys(json), expected_record_keys(record));
            prop_assert!(json["Timestamp"].is_number());
            for k in ["SegmentsReceivedCount", "SegmentsSentCount", "SegmentsSpilloverCount", "SegmentsRejectedCount"] {
                if let Some(v) = json.get(k) {
                    prop_assert!(v.is_i64(), "{} is not an integer: {}", k, v);
                }
            }
            if let Some(errors) = record.backend_connection_errors() {
                let ej = &json["BackendConnectionErrors"];
                prop_assert_eq!(keys(ej), expected_error_keys(errors));
                prop_assert!(ej.as_object().unwrap().values().all(Value::is_i64));
            }
        }
        // Nothing anywhere is sent as null.
        prop_assert!(!serde_json::to_string(&input).unwrap().contains("null"));
    }

    #[test]
    fn timestamps_survive_to_the_millisecond(input in input(nanos_timestamp())) {
        let json = serde_json::to_string(&input).unwrap();
        let back: PutTelemetryRecordsInput = serde_json::from_str(&json).unwrap();
        for (a, b) in input.telemetry_records().iter().zip(back.telemetry_records()) {
            let (a, b) = (a.timestamp(), b.timestamp());
            let nanos = |t: &DateTime| i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos());
            let diff = (nanos(a) - nanos(b)).abs();
            prop_assert!(diff < 1_000_000, "{:?} came back as {:?}", a, b);
        }
    }

    #[test]
    fn millisecond_timestamps_are_exact(t in millis_timestamp()) {
        let record = TelemetryRecord::builder().timestamp(t).build().unwrap();
        let json = serde_json::to_string(&record).unwrap();
        let back: TelemetryRecord = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.timestamp().to_millis().unwrap(), t.to_millis().unwrap());
        prop_assert_eq!(*back.timestamp(), t);
    }
}
