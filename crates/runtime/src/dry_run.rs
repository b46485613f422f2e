//! Describing a request as JSON, for the dry-run tool and tests.

use serde_json::{json, Map, Value};

use crate::operation::{HostPrefix, HttpRequest, Operation};

/// Reads a wire-form input of `O`, builds its request and describes it.
/// `check` lists the required members missing anywhere in the input (by
/// wire path), which the typed builders would refuse but reading JSON would
/// fill with zero values.
pub fn render<O: Operation>(
    input: &Value,
    check: fn(&Value, &str, &mut Vec<String>),
) -> Result<Value, String>
where
    O::Input: serde::de::DeserializeOwned,
{
    let mut missing = Vec::new();
    check(input, "", &mut missing);
    if !missing.is_empty() {
        return Err(format!(
            "the input of {} is missing required members: {}",
            O::NAME,
            missing.join(", ")
        ));
    }
    let input: O::Input = serde_json::from_value(input.clone())
        .map_err(|e| format!("the input of {} is invalid: {e}", O::NAME))?;
    let request = O::serialize_request(&input).map_err(|e| e.to_string())?;
    Ok(describe(&request))
}

/// Parses a response of `O` and describes the result: `Ok` with the
/// output's `Debug` text, or `Err` starting `service error:` or
/// `malformed response:`.
pub fn parse<O: Operation>(response: &crate::operation::HttpResponse) -> Result<String, String>
where
    O::Output: std::fmt::Debug,
{
    match O::parse_response(response) {
        Ok(output) => Ok(format!("{output:#?}")),
        Err(crate::error::ResponseError::Service(e)) => Err(format!("service error: {e:#?}")),
        Err(crate::error::ResponseError::Malformed(e)) => Err(format!("malformed response: {e}")),
    }
}

/// Reads a wire-form output body of `O` and writes it back to wire JSON.
pub fn reserialize_output<O: Operation>(body: &Value) -> Result<Value, String>
where
    O::Output: serde::de::DeserializeOwned + serde::Serialize,
{
    let output: O::Output = serde_json::from_value(body.clone())
        .map_err(|e| format!("the output of {} is invalid: {e}", O::NAME))?;
    serde_json::to_value(&output).map_err(|e| e.to_string())
}

/// Headers that signing adds; never part of a dry run.
const SIGNING_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

/// The request as JSON: method, path, query pairs, headers (lowercase
/// names, no signing headers), host prefix, and the body parsed as JSON
/// (`null` when empty, `{"$text": ...}` or `{"$base64": ...}` otherwise).
pub fn describe(request: &HttpRequest) -> Value {
    let uri = request.uri();
    let query: Vec<Value> = uri
        .query()
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    json!([percent_decode(k), percent_decode(v)])
                })
                .collect()
        })
        .unwrap_or_default();
    let mut headers = Map::new();
    for (name, value) in request.headers() {
        let name = name.as_str().to_ascii_lowercase();
        if SIGNING_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers.get_mut(&name) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                headers.insert(name, Value::String(value));
            }
        }
    }
    let body = request.body();
    let body = if body.is_empty() {
        Value::Null
    } else if let Ok(v) = serde_json::from_slice::<Value>(body) {
        v
    } else if let Ok(text) = std::str::from_utf8(body) {
        json!({ "$text": text })
    } else {
        json!({ "$base64": crate::rest::base64_encode_bytes(body) })
    };
    let mut out = json!({
        "method": request.method().as_str(),
        "path": uri.path(),
        "query": query,
        "headers": headers,
        "body": body,
    });
    if let Some(HostPrefix(prefix)) = request.extensions().get::<HostPrefix>() {
        out["host_prefix"] = Value::String(prefix.clone());
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
