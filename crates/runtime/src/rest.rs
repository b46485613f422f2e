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
    if let Some(fixed) = FIXED_TOKEN.with(|t| t.borrow().clone()) {
        return fixed;
    }
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

/// Requests smaller than this are not compressed (Smithy's default for
/// `requestMinCompressionSizeBytes`).
pub const DEFAULT_MIN_COMPRESSION_SIZE: usize = 10_240;

/// What an operation's model asks of its request body, applied by
/// [`finish_request`] once the body is built.
#[derive(Clone, Copy, Debug, Default)]
pub struct BodyRules<'a> {
    /// `@requestCompression` encodings, in the model's order of preference.
    pub compression: &'a [&'a str],
    /// `@httpChecksumRequired`: send a `Content-MD5` of the body.
    pub checksum_required: bool,
}

/// Finishes a serialized request: compresses the body when the operation
/// supports an encoding we implement (gzip) and the body is at least
/// [`DEFAULT_MIN_COMPRESSION_SIZE`] bytes (the encoding is appended to any
/// `Content-Encoding` the input set), adds `Content-MD5` when a checksum is
/// required, and `Content-Length` when there is a body.
pub fn finish_request(request: &mut crate::operation::HttpRequest, rules: BodyRules<'_>) {
    use http::header::{HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH};
    if rules.compression.contains(&"gzip") && request.body().len() >= DEFAULT_MIN_COMPRESSION_SIZE {
        let compressed = gzip(request.body());
        *request.body_mut() = bytes::Bytes::from(compressed);
        let mut encodings: Vec<String> = request
            .headers()
            .get_all(CONTENT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        encodings.push("gzip".to_owned());
        if let Ok(v) = HeaderValue::from_str(&encodings.join(", ")) {
            request.headers_mut().insert(CONTENT_ENCODING, v);
        }
    }
    if rules.checksum_required {
        use md5::Digest as _;
        let digest = md5::Md5::digest(request.body());
        let value = base64::engine::general_purpose::STANDARD.encode(digest);
        if let Ok(v) = HeaderValue::from_str(&value) {
            request.headers_mut().insert("content-md5", v);
        }
    }
    if !request.body().is_empty() {
        let len = HeaderValue::from(request.body().len());
        request.headers_mut().insert(CONTENT_LENGTH, len);
    }
}

/// Glacier's upload checksums (an AWS SDK customization): the body's
/// SHA-256 as `x-amz-content-sha256`, and its SHA-256 tree hash (of 1 MiB
/// chunks) as `x-amz-sha256-tree-hash` unless the caller set one.
pub fn glacier_checksums(request: &mut crate::operation::HttpRequest) {
    use sha2::Digest as _;
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let body = request.body().clone();
    let content = hex(&sha2::Sha256::digest(&body));
    let mut level: Vec<[u8; 32]> = body
        .chunks(1 << 20)
        .map(|chunk| sha2::Sha256::digest(chunk).into())
        .collect();
    if level.is_empty() {
        level.push(sha2::Sha256::digest(b"").into());
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => {
                    let mut h = sha2::Sha256::new();
                    h.update(a);
                    h.update(b);
                    h.finalize().into()
                }
                [one] => *one,
                _ => unreachable!("chunks(2) yields one or two"),
            })
            .collect();
    }
    let tree = hex(&level[0]);
    let headers = request.headers_mut();
    if let Ok(v) = http::HeaderValue::from_str(&content) {
        headers.insert("x-amz-content-sha256", v);
    }
    if !headers.contains_key("x-amz-sha256-tree-hash") {
        if let Ok(v) = http::HeaderValue::from_str(&tree) {
            headers.insert("x-amz-sha256-tree-hash", v);
        }
    }
}

/// Gzip of `data` (flate2 on its pure-Rust backend).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// Sets `content-type` unless the input already bound a value to it.
pub fn default_content_type(
    builder: http::request::Builder,
    value: &str,
) -> http::request::Builder {
    if builder
        .headers_ref()
        .is_some_and(|h| h.contains_key(http::header::CONTENT_TYPE))
    {
        builder
    } else {
        builder.header(http::header::CONTENT_TYPE, value)
    }
}

thread_local! {
    static FIXED_TOKEN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with [`idempotency_token`] returning `token` on this thread
/// (for tests that need a predictable request).
pub fn with_fixed_idempotency_token<R>(token: &str, f: impl FnOnce() -> R) -> R {
    let previous = FIXED_TOKEN.with(|t| t.replace(Some(token.to_owned())));
    let result = f();
    FIXED_TOKEN.with(|t| *t.borrow_mut() = previous);
    result
}

/// A float as text in a label, query string or header, for `f32` members:
/// the shortest text that reads back as the same `f32` (`1.1`, not
/// `1.100000023841858`).
pub fn float32_text(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        float_text(f64::from(value))
    }
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
    fn bodies_are_finished_by_the_rules() {
        let big = "a".repeat(DEFAULT_MIN_COMPRESSION_SIZE);
        let mut request = http::Request::builder()
            .header("content-encoding", "custom")
            .body(bytes::Bytes::from(big.clone()))
            .unwrap();
        finish_request(
            &mut request,
            BodyRules {
                compression: &["gzip"],
                checksum_required: false,
            },
        );
        assert_eq!(request.headers()["content-encoding"], "custom, gzip");
        assert_eq!(&request.body()[..2], [0x1f, 0x8b]);
        let mut decoded = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&request.body()[..]),
            &mut decoded,
        )
        .unwrap();
        assert_eq!(decoded, big);
        assert_eq!(
            request.headers()["content-length"],
            request.body().len().to_string().as_str()
        );

        let mut small = http::Request::builder()
            .body(bytes::Bytes::from_static(
                br#"{"foo":"base64 encoded md5 checksum"}"#,
            ))
            .unwrap();
        finish_request(
            &mut small,
            BodyRules {
                compression: &["gzip"],
                checksum_required: true,
            },
        );
        assert!(small.headers().get("content-encoding").is_none());
        assert_eq!(small.headers()["content-md5"], "iB0/3YSo7maijL0IGOgA9g==");

        let mut empty = http::Request::new(bytes::Bytes::new());
        finish_request(&mut empty, BodyRules::default());
        assert!(empty.headers().get("content-length").is_none());
    }

    #[test]
    fn glacier_tree_hash() {
        let mut request = http::Request::new(bytes::Bytes::from_static(b"hello world"));
        glacier_checksums(&mut request);
        let sha = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        assert_eq!(request.headers()["x-amz-content-sha256"], sha);
        assert_eq!(request.headers()["x-amz-sha256-tree-hash"], sha);
        // Three chunks: H(H(H(c1) + H(c2)) + H(c3)).
        let data = vec![7u8; (2 << 20) + 5];
        let mut request = http::Request::new(bytes::Bytes::from(data.clone()));
        glacier_checksums(&mut request);
        use sha2::Digest as _;
        let h = |parts: &[&[u8]]| {
            let mut d = sha2::Sha256::new();
            for p in parts {
                d.update(p);
            }
            d.finalize().to_vec()
        };
        let (c1, c2, c3) = (
            h(&[&data[..1 << 20]]),
            h(&[&data[1 << 20..2 << 20]]),
            h(&[&data[2 << 20..]]),
        );
        let want = h(&[&h(&[&c1, &c2]), &c3]);
        let want: String = want.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(request.headers()["x-amz-sha256-tree-hash"], want.as_str());
    }

    #[test]
    fn f32_text_is_shortest() {
        assert_eq!(float32_text(1.1), "1.1");
        assert_eq!(float32_text(f32::NEG_INFINITY), "-Infinity");
        assert_eq!(float_text(5.1), "5.1");
    }

    #[test]
    fn tokens_can_be_fixed() {
        let t =
            with_fixed_idempotency_token("00000000-0000-4000-8000-000000000000", idempotency_token);
        assert_eq!(t, "00000000-0000-4000-8000-000000000000");
        assert_ne!(idempotency_token(), t);
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
