//! restJson1 helpers used by generated code: percent-encoding of labels and
//! query strings, header lists, error codes and request ids.

use std::fmt::Write as _;

use base64::Engine as _;
use http::HeaderMap;
use smithy_lite_types::ErrorMetadata;

use crate::operation::HttpResponse;

/// RFC 3986 unreserved characters stay; everything else is `%XX`. A greedy
/// label also keeps `/`.
pub fn encode_label(value: &str, greedy: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (greedy && b == b'/')
        {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A query string being built, in the order parameters are added.
#[derive(Clone, Debug, Default)]
pub struct Query {
    text: String,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name=value`, both percent-encoded.
    pub fn push(&mut self, name: &str, value: &str) {
        if !self.text.is_empty() {
            self.text.push('&');
        }
        self.text.push_str(&encode_label(name, false));
        self.text.push('=');
        self.text.push_str(&encode_label(value, false));
    }

    /// Adds a parameter written in the URI template (already encoded).
    pub fn push_raw(&mut self, pair: &str) {
        if !self.text.is_empty() {
            self.text.push('&');
        }
        self.text.push_str(pair);
    }

    /// Whether no parameter was added.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends `?query` to `path` when there is a query.
    pub fn finish(self, mut path: String) -> String {
        if !self.text.is_empty() {
            path.push('?');
            path.push_str(&self.text);
        }
        path
    }
}

/// A header value holding a list: items joined by `, `; strings that hold
/// a comma or a double quote are quoted.
pub fn header_list<'a>(items: impl IntoIterator<Item = &'a str>, quote: bool) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if quote && (item.contains(',') || item.contains('"')) {
            out.push('"');
            out.push_str(&item.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// Splits a header list into items, honouring quoted strings.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = value.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => quoted = false,
            '"' if current.trim().is_empty() => {
                quoted = true;
                was_quoted = true;
                current.clear();
            }
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            ',' if !quoted => {
                items.push(finish_item(&current, was_quoted));
                current.clear();
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() || was_quoted || !items.is_empty() {
        items.push(finish_item(&current, was_quoted));
    }
    items
}

fn finish_item(item: &str, quoted: bool) -> String {
    if quoted {
        item.to_owned()
    } else {
        item.trim().to_owned()
    }
}

/// Splits a list of HTTP dates, whose items contain a comma themselves
/// (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`).
pub fn split_http_dates(value: &str) -> Vec<String> {
    let parts: Vec<&str> = value.split(',').collect();
    parts
        .chunks(2)
        .map(|pair| pair.iter().map(|p| p.trim()).collect::<Vec<_>>().join(", "))
        .collect()
}

/// Base64 for `@mediaType` strings in headers.
pub fn base64_encode(value: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(value)
}

/// Decodes a base64 `@mediaType` header value.
pub fn base64_decode(value: &str) -> Result<String, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|e| format!("invalid base64: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("base64 value is not UTF-8: {e}"))
}

/// The request id of a response (`x-amzn-requestid`, `x-amz-request-id`).
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A header as text, when present; `Err` when it is not visible ASCII.
pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, String> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(Some)
            .map_err(|_| format!("header {name} is not valid text")),
    }
}

/// Cuts an error code down to its name: drops anything after `:` and
/// anything up to `#` (`aws.protocoltests#FooError:http://...` -> `FooError`).
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// The code, message, request id and status of an error response: the code
/// from the `X-Amzn-Errortype` header, else the body's `__type`, else its
/// `code`; the message from `message`, `Message` or `errorMessage`.
pub fn error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let body: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(response.body()).ok();
    let field = |names: &[&str]| -> Option<String> {
        let body = body.as_ref()?;
        names
            .iter()
            .find_map(|n| body.get(*n).and_then(|v| v.as_str()).map(str::to_owned))
    };
    let header_code = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let code = header_code
        .or_else(|| field(&["__type"]))
        .or_else(|| field(&["code"]))
        .map(|raw| sanitize_error_code(&raw).to_owned())
        .filter(|c| !c.is_empty());
    ErrorMetadata::new(
        code,
        field(&["message", "Message", "errorMessage"]),
        request_id(response.headers()),
        response.status().as_u16(),
    )
}

/// A new idempotency token: a random UUID version 4.
pub fn idempotency_token() -> String {
    let mut bytes: [u8; 16] = fastrand::u128(..).to_le_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// A float as text in a label, query string or header: Smithy's spellings
/// for NaN and the infinities.
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

/// Parses a float from a header, Smithy's spellings included.
pub fn parse_float(text: &str) -> Result<f64, String> {
    match text.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        t => t.parse::<f64>().map_err(|e| e.to_string()),
    }
}

/// Decodes a base64 header value to bytes.
pub fn base64_decode_bytes(value: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|e| format!("invalid base64: {e}"))
}

/// Base64 of raw bytes (blob payloads in dry runs).
pub fn base64_encode_bytes(value: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_percent_encoded() {
        assert_eq!(encode_label("a b/c%d~e", false), "a%20b%2Fc%25d~e");
        assert_eq!(encode_label("a b/c", true), "a%20b/c");
        assert_eq!(encode_label("ü", false), "%C3%BC");
    }

    #[test]
    fn header_lists_round_trip() {
        let items = ["a", "b,c", "d\"e", ""];
        let text = header_list(items, true);
        assert_eq!(text, r#"a, "b,c", "d\"e", "#);
        assert_eq!(split_header_list(&text), items);
        assert_eq!(split_header_list("1, 2,3"), ["1", "2", "3"]);
        assert_eq!(
            split_http_dates("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT"),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[test]
    fn error_codes_are_sanitized() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("FooError:http://internal.amazon.com/"),
            "FooError"
        );
    }

    #[test]
    fn error_metadata_prefers_the_header() {
        let response = http::Response::builder()
            .status(400)
            .header("X-Amzn-Errortype", "InvalidRequestException:http://x/")
            .header("x-amzn-RequestId", "req-1")
            .body(bytes::Bytes::from_static(
                br#"{"__type": "Other", "message": "bad"}"#,
            ))
            .unwrap();
        let meta = error_metadata(&response);
        assert_eq!(meta.code(), Some("InvalidRequestException"));
        assert_eq!(meta.message(), Some("bad"));
        assert_eq!(meta.request_id(), Some("req-1"));
        assert_eq!(meta.status(), 400);
    }

    #[test]
    fn tokens_are_uuid_v4() {
        let t = idempotency_token();
        assert_eq!(t.len(), 36);
        assert_eq!(&t[14..15], "4");
        assert!(matches!(&t[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(t, idempotency_token());
    }
}
