//! Endpoint resolution: what a generated `endpoint::resolve` returns, and the
//! functions of the Smithy rules engine's standard library (plus the AWS
//! ones) that compiled rule sets call.
//!
//! The generator turns a service's `smithy.rules#endpointRuleSet` into plain
//! Rust (`if`/`if let` chains over a `Params` struct); nothing here
//! interprets rules. Each function follows the rules-engine specification,
//! and where the specification is loose, the behaviour its reference
//! implementation's test suites pin (noted on the function).

mod arn;
mod partitions;
mod url;

use std::collections::BTreeMap;
use std::fmt;

pub use arn::{parse_arn, Arn};
pub use partitions::{partition, Partition};
pub use smithy_lite_types::Document;
pub use url::{parse_url, Url};

/// A resolved endpoint: the URL to send the request to, headers to add,
/// and properties (such as `authSchemes`) that adjust signing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Endpoint {
    /// The absolute URL (scheme, authority and optional base path).
    pub url: String,
    /// Headers to add to the request, each with one or more values.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Properties of the endpoint, by name.
    pub properties: BTreeMap<String, Document>,
}

impl Endpoint {
    /// An endpoint with no headers or properties.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            ..Self::default()
        }
    }

    /// Adds a value to header `name`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .entry(name.into())
            .or_default()
            .push(value.into());
        self
    }

    /// Sets property `name`.
    pub fn property(mut self, name: impl Into<String>, value: Document) -> Self {
        self.properties.insert(name.into(), value);
        self
    }
}

/// Why no endpoint could be resolved: the message of the rule set's error
/// rule, a required parameter that is missing, or no rule matching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError(String);

impl EndpointError {
    /// An error with `message` (the text of an error rule).
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// A required parameter was not set.
    pub fn missing(parameter: &str) -> Self {
        Self(format!(
            "a required endpoint parameter is not set: {parameter}"
        ))
    }

    /// Every rule was tried and none matched (the rule set has no
    /// catch-all rule for these parameters).
    pub fn no_rule_matched() -> Self {
        Self("no endpoint rule matched the parameters".into())
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EndpointError {}

/// A document object from `(key, value)` pairs (endpoint properties).
pub fn object<const N: usize>(entries: [(&str, Document); N]) -> Document {
    Document::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// `isValidHostLabel`: whether `s` is a host label (1 to 63 ASCII letters,
/// digits and hyphens, not starting with a hyphen) or, with `allow_dots`,
/// labels joined by single dots.
///
/// Like the reference implementation, a label may end with a hyphen;
/// an empty label (`a..b`, `a.`) is never valid.
pub fn is_valid_host_label(s: &str, allow_dots: bool) -> bool {
    if allow_dots {
        s.split('.').all(is_host_label)
    } else {
        is_host_label(s)
    }
}

fn is_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `substring`: the ASCII characters `start..stop` of `s`, counted from the
/// end when `reverse` is set. `None` when `s` has any non-ASCII character,
/// when `start >= stop`, or when `s` is shorter than `stop`.
pub fn substring(s: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if !s.is_ascii() || start >= stop || s.len() < stop {
        return None;
    }
    Some(if reverse {
        &s[s.len() - stop..s.len() - start]
    } else {
        &s[start..stop]
    })
}

/// `uriEncode`: percent-encodes every byte of `s` (as UTF-8) except the
/// RFC 3986 unreserved characters `A-Z a-z 0-9 - _ . ~`, with uppercase hex.
pub fn uri_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// `aws.isVirtualHostableS3Bucket`: whether `s` can be an S3 bucket name in
/// a host: 3 to 63 characters of lowercase letters, digits and hyphens,
/// each label starting and ending with a letter or digit. With
/// `allow_dots`, dot-separated labels are allowed, but not a name shaped
/// like an IPv4 address.
pub fn is_virtual_hostable_s3_bucket(s: &str, allow_dots: bool) -> bool {
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        match (b.first(), b.last()) {
            (Some(first), Some(last)) => {
                is_lower_alnum(*first)
                    && is_lower_alnum(*last)
                    && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
            }
            _ => false,
        }
    };
    if !(3..=63).contains(&s.len()) {
        return false;
    }
    if !allow_dots {
        return label_ok(s);
    }
    let looks_like_ip = s.split('.').count() == 4
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    !looks_like_ip && s.split('.').all(label_ok)
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        for (s, dots, want) in [
            ("us-east-1", false, true),
            ("3aws4", false, true),
            ("a", false, true),
            ("part1.part2", false, false),
            ("part1.part2", true, true),
            ("part1 part2", true, false),
            ("", false, false),
            ("", true, false),
            (".", true, false),
            ("part1.", true, false),
            ("part1..part2", true, false),
            ("part1.-part2", true, false),
            ("-foo", false, false),
            ("foo-", false, true),
            ("a_b", true, false),
            ("ünicode", false, false),
        ] {
            assert_eq!(is_valid_host_label(s, dots), want, "{s:?} dots={dots}");
        }
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        let two = format!("{0}.{0}", "a".repeat(63));
        assert!(is_valid_host_label(&two, true));
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("", 0, 4, false), None);
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("defg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("defg", 1, 3, false), Some("ef"));
        assert_eq!(substring("def", 1, 3, false), Some("ef"));
        assert_eq!(substring("ab", 1, 3, false), None);
        assert_eq!(substring("abcdef", 1, 3, true), Some("de"));
        assert_eq!(substring("\u{fdfd}", 0, 1, false), None);
        assert_eq!(substring("abcdef\u{1F431}", 0, 4, false), None);
        assert_eq!(substring("abcdef\u{80}", 0, 4, false), None);
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 3, 1, false), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("abc-_.~XYZ019"), "abc-_.~XYZ019");
        assert_eq!(uri_encode("a b"), "a%20b");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("é😹"), "%C3%A9%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn s3_bucket_names() {
        for (s, dots, want) in [
            ("bucket-name", false, true),
            ("bucket-with-number-1", false, true),
            ("bucket--with-multiple-dash", false, true),
            ("BucketName", false, false),
            ("BucketName", true, false),
            ("bucket_name", true, false),
            ("bucket.name", false, false),
            ("bucket.name", true, true),
            ("bucket.name.multiple.dots1", true, true),
            ("-bucket-name", true, false),
            ("bucket-name-", true, false),
            ("aa", true, false),
            (".bucket-name", true, false),
            ("bucket-name.", true, false),
            ("192.168.5.4", true, false),
            ("192.168.5", true, true),
            ("bucket-.name", true, false),
            ("bucket.-name", true, false),
            ("bucket..name", true, false),
            ("a.b", true, true),
        ] {
            assert_eq!(
                is_virtual_hostable_s3_bucket(s, dots),
                want,
                "{s:?} dots={dots}"
            );
        }
        assert!(is_virtual_hostable_s3_bucket(&"a".repeat(63), false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
    }

    #[test]
    fn endpoints_and_errors() {
        let e = Endpoint::new("https://example.com")
            .header("x-a", "1")
            .header("x-a", "2")
            .property("flag", Document::Bool(true))
            .property("o", object([("name", Document::String("sigv4".into()))]));
        assert_eq!(e.url, "https://example.com");
        assert_eq!(e.headers["x-a"], ["1", "2"]);
        assert_eq!(e.properties["flag"], Document::Bool(true));
        let err = EndpointError::new("Invalid Configuration: Missing Region");
        assert_eq!(err.to_string(), "Invalid Configuration: Missing Region");
        assert_eq!(err.message(), "Invalid Configuration: Missing Region");
        assert!(EndpointError::missing("Bucket")
            .to_string()
            .ends_with(": Bucket"));
    }
}
