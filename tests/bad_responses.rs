//! Bad responses never panic: arbitrary bytes, truncated JSON, wrong JSON
//! types, huge numbers and deep nesting fed to every operation's parser each
//! give a typed error (or, when the bytes happen to be valid, an output).

use std::path::PathBuf;

use bytes::Bytes;
use proptest::prelude::*;
use serde_json::Value;

fn response(status: u16, body: Vec<u8>) -> smithy_lite::operation::HttpResponse {
    http::Response::builder()
        .status(status)
        .body(Bytes::from(body))
        .unwrap()
}

fn fixture(op: &str) -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/responses/{op}.json"));
    std::fs::read_to_string(path).unwrap()
}

fn operation() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(xray::dry_run::OPERATIONS.to_vec())
}

/// Replaces every scalar in a JSON value with one of another type.
fn wrong_types(v: &Value, pick: &mut impl FnMut() -> u8) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), wrong_types(v, pick)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| wrong_types(v, pick)).collect()),
        _ => match pick() % 6 {
            0 => Value::Bool(true),
            1 => Value::String("x".into()),
            2 => serde_json::json!([1, 2]),
            3 => serde_json::json!({"a": 1}),
            4 => serde_json::json!(1.5),
            _ => v.clone(),
        },
    }
}

fn check(op: &str, status: u16, body: Vec<u8>) -> Result<(), TestCaseError> {
    let result = xray::dry_run::parse_response(op, &response(status, body.clone()));
    if let Err(e) = &result {
        prop_assert!(
            e.starts_with("malformed response:") || e.starts_with("service error:"),
            "untyped error for {}: {}",
            op,
            e
        );
    }
    // "Not JSON" as serde_json's reader sees it (its nesting limit included).
    let not_json = serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err();
    if (200..300).contains(&status) && not_json && !body.iter().all(u8::is_ascii_whitespace) {
        prop_assert!(result.is_err(), "{} accepted a body that is not JSON", op);
    }
    if !(200..300).contains(&status) {
        prop_assert!(
            result.is_err(),
            "{} turned HTTP {} into an output",
            op,
            status
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes(op in operation(), status in prop_oneof![Just(200u16), 400u16..600], body in proptest::collection::vec(any::<u8>(), 0..256)) {
        check(op, status, body)?;
    }

    #[test]
    fn truncated_json(op in operation(), cut in 0.0f64..1.0) {
        let text = fixture(op);
        let end = ((text.len() as f64) * cut) as usize;
        let body = text.as_bytes()[..end].to_vec();
        check(op, 200, body)?;
    }

    #[test]
    fn wrong_json_types(op in operation(), seed in any::<u64>()) {
        let value: Value = serde_json::from_str(&fixture(op)).unwrap();
        let mut state = seed;
        let mut pick = || { state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (state >> 33) as u8 };
        let body = serde_json::to_vec(&wrong_types(&value, &mut pick)).unwrap();
        check(op, 200, body)?;
    }

    #[test]
    fn huge_numbers(op in operation(), digits in 20usize..400) {
        let huge = format!("1{}", "0".repeat(digits));
        let text = fixture(op);
        // Every number in the fixture becomes huge.
        let value: Value = serde_json::from_str(&text).unwrap();
        let body = serde_json::to_string(&value).unwrap();
        let mut out = String::new();
        let mut chars = body.chars().peekable();
        let mut in_string = false;
        while let Some(c) = chars.next() {
            if c == '"' { in_string = !in_string; }
            if !in_string && (c.is_ascii_digit() || c == '-') {
                while chars.peek().is_some_and(|n| n.is_ascii_digit() || matches!(n, '.' | 'e' | 'E' | '+' | '-')) { chars.next(); }
                out.push_str(&huge);
                continue;
            }
            out.push(c);
        }
        check(op, 200, out.into_bytes())?;
    }

    #[test]
    fn deep_nesting(op in operation(), depth in 100usize..5000, array in any::<bool>()) {
        let (open, close) = if array { ("[", "]") } else { ("{\"a\":", "}") };
        let body = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        check(op, 200, body.clone().into_bytes())?;
        // Nested inside a real member too.
        let wrapped = format!("{{\"NextToken\": {}1{}, \"Traces\": {}1{}}}", open.repeat(depth), close.repeat(depth), open.repeat(depth), close.repeat(depth));
        check(op, 200, wrapped.into_bytes())?;
        check(op, 400, body.into_bytes())?;
    }
}
