//! Traits as typed values. Every trait is kept raw (`Traits::raw`); the
//! ones generation reads are also parsed here, and a malformed value is a
//! model error that names the trait's JSON path.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::{field, index, Sink};

/// `@timestampFormat` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    DateTime,
    HttpDate,
    EpochSeconds,
}

/// `@enumValue`: a string for `enum`, an integer for `intEnum`.
#[derive(Clone, Debug, PartialEq)]
pub enum EnumValue {
    String(String),
    Int(i64),
}

/// One entry of a Smithy 1.0 `@enum` trait on a string shape.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDefinition {
    pub value: String,
    pub name: Option<String>,
    pub documentation: Option<String>,
}

/// `@http`.
#[derive(Clone, Debug, PartialEq)]
pub struct Http {
    pub method: String,
    pub uri: String,
    pub code: u16,
}

/// `@paginated` (operation or service level).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paginated {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub items: Option<String>,
    pub page_size: Option<String>,
}

/// `aws.api#service`.
#[derive(Clone, Debug, PartialEq)]
pub struct AwsService {
    pub sdk_id: String,
    pub endpoint_prefix: Option<String>,
    pub arn_namespace: Option<String>,
}

/// The traits of a shape or member.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits {
    /// Every trait by absolute id, as written.
    pub raw: BTreeMap<String, Value>,
    pub documentation: Option<String>,
    pub required: bool,
    /// `@default`, `Value::Null` included (which means "no default").
    pub default: Option<Value>,
    pub client_optional: bool,
    pub input: bool,
    pub output: bool,
    /// `@error`: `client` or `server`.
    pub error: Option<String>,
    pub http_error: Option<u16>,
    pub json_name: Option<String>,
    pub timestamp_format: Option<TimestampFormat>,
    pub sparse: bool,
    pub enum_value: Option<EnumValue>,
    pub enum_definitions: Option<Vec<EnumDefinition>>,
    pub http: Option<Http>,
    pub http_label: bool,
    pub http_query: Option<String>,
    pub http_query_params: bool,
    pub http_header: Option<String>,
    pub http_prefix_headers: Option<String>,
    pub http_payload: bool,
    pub http_response_code: bool,
    pub idempotency_token: bool,
    pub media_type: Option<String>,
    pub host_prefix: Option<String>,
    pub host_label: bool,
    pub paginated: Option<Paginated>,
    /// `@retryable`: `Some(throttling)`.
    pub retryable: Option<bool>,
    pub streaming: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    pub mixin: bool,
    pub http_checksum_required: bool,
    pub request_compression: Option<Vec<String>>,
    pub aws_service: Option<AwsService>,
    pub rest_json1: bool,
    /// `aws.auth#sigv4` signing name.
    pub sigv4_name: Option<String>,
}

impl Traits {
    /// Whether a trait is present, by absolute id.
    pub fn has(&self, id: &str) -> bool {
        self.raw.contains_key(id)
    }

    /// Parses the raw traits of one shape or member into typed values.
    pub(crate) fn parse(
        raw: BTreeMap<String, Value>,
        path: &str,
        shape: &str,
        sink: &mut Sink,
    ) -> Traits {
        let mut t = Traits::default();
        for (id, value) in &raw {
            let p = index(path, id);
            let mut cx = Cx {
                path: &p,
                shape,
                sink: &mut *sink,
            };
            match id.as_str() {
                "smithy.api#documentation" => t.documentation = cx.string(value),
                "smithy.api#required" => t.required = cx.marker(value),
                "smithy.api#default" => t.default = Some(value.clone()),
                "smithy.api#clientOptional" => t.client_optional = cx.marker(value),
                "smithy.api#input" => t.input = cx.marker(value),
                "smithy.api#output" => t.output = cx.marker(value),
                "smithy.api#error" => {
                    t.error = cx.string(value).and_then(|v| {
                        if v == "client" || v == "server" {
                            Some(v)
                        } else {
                            cx.fail(format!("must be \"client\" or \"server\", not {v:?}"));
                            None
                        }
                    })
                }
                "smithy.api#httpError" => t.http_error = cx.status(value),
                "smithy.api#jsonName" => t.json_name = cx.string(value),
                "smithy.api#timestampFormat" => {
                    t.timestamp_format = cx.string(value).and_then(|v| match v.as_str() {
                        "date-time" => Some(TimestampFormat::DateTime),
                        "http-date" => Some(TimestampFormat::HttpDate),
                        "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
                        other => {
                            cx.fail(format!("unknown timestamp format {other:?}"));
                            None
                        }
                    })
                }
                "smithy.api#sparse" => t.sparse = cx.marker(value),
                "smithy.api#enumValue" => {
                    t.enum_value = match value {
                        Value::String(s) => Some(EnumValue::String(s.clone())),
                        Value::Number(n) => match n.as_i64() {
                            Some(i) => Some(EnumValue::Int(i)),
                            None => {
                                cx.fail("must be a string or an integer");
                                None
                            }
                        },
                        _ => {
                            cx.fail("must be a string or an integer");
                            None
                        }
                    }
                }
                "smithy.api#enum" => t.enum_definitions = cx.enum_definitions(value),
                "smithy.api#http" => t.http = cx.http(value),
                "smithy.api#httpLabel" => t.http_label = cx.marker(value),
                "smithy.api#httpQuery" => t.http_query = cx.non_empty_string(value),
                "smithy.api#httpQueryParams" => t.http_query_params = cx.marker(value),
                "smithy.api#httpHeader" => t.http_header = cx.non_empty_string(value),
                "smithy.api#httpPrefixHeaders" => t.http_prefix_headers = cx.string(value),
                "smithy.api#httpPayload" => t.http_payload = cx.marker(value),
                "smithy.api#httpResponseCode" => t.http_response_code = cx.marker(value),
                "smithy.api#idempotencyToken" => t.idempotency_token = cx.marker(value),
                "smithy.api#mediaType" => t.media_type = cx.string(value),
                "smithy.api#endpoint" => {
                    t.host_prefix = cx
                        .object(value)
                        .and_then(|o| cx.required_string(o, "hostPrefix"))
                }
                "smithy.api#hostLabel" => t.host_label = cx.marker(value),
                "smithy.api#paginated" => t.paginated = cx.paginated(value),
                "smithy.api#retryable" => {
                    t.retryable = cx
                        .object(value)
                        .map(|o| cx.optional_bool(o, "throttling").unwrap_or(false))
                }
                "smithy.api#streaming" => t.streaming = cx.marker(value),
                "smithy.api#sensitive" => t.sensitive = cx.marker(value),
                "smithy.api#deprecated" => t.deprecated = cx.object(value).is_some(),
                "smithy.api#mixin" => t.mixin = cx.object(value).is_some(),
                "smithy.api#httpChecksumRequired" => t.http_checksum_required = cx.marker(value),
                "smithy.api#requestCompression" => {
                    t.request_compression = cx.object(value).and_then(|o| {
                        let p = field(cx.path, "encodings");
                        match o.get("encodings") {
                            Some(Value::Array(items)) => items
                                .iter()
                                .map(|v| v.as_str().map(str::to_owned))
                                .collect::<Option<Vec<_>>>()
                                .or_else(|| {
                                    cx.sink
                                        .push(&p, Some(cx.shape), "must be a list of strings");
                                    None
                                }),
                            _ => {
                                cx.sink
                                    .push(&p, Some(cx.shape), "must be a list of strings");
                                None
                            }
                        }
                    })
                }
                "aws.api#service" => {
                    t.aws_service = cx.object(value).and_then(|o| {
                        let sdk_id = cx.required_string(o, "sdkId")?;
                        Some(AwsService {
                            sdk_id,
                            endpoint_prefix: cx.optional_string(o, "endpointPrefix"),
                            arn_namespace: cx.optional_string(o, "arnNamespace"),
                        })
                    })
                }
                "aws.protocols#restJson1" => t.rest_json1 = cx.object(value).is_some(),
                "aws.auth#sigv4" => {
                    t.sigv4_name = cx.object(value).and_then(|o| cx.required_string(o, "name"))
                }
                _ => {}
            }
        }
        t.raw = raw;
        t
    }
}

/// Where a trait value sits, for error messages.
struct Cx<'a> {
    path: &'a str,
    shape: &'a str,
    sink: &'a mut Sink,
}

impl Cx<'_> {
    fn fail(&mut self, message: impl Into<String>) {
        self.sink.push(self.path, Some(self.shape), message);
    }

    /// Annotation traits are written as `{}`.
    fn marker(&mut self, value: &Value) -> bool {
        if value.is_object() {
            true
        } else {
            self.fail("must be an object (annotation trait)");
            false
        }
    }

    fn string(&mut self, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.fail("must be a string");
                None
            }
        }
    }

    fn non_empty_string(&mut self, value: &Value) -> Option<String> {
        let s = self.string(value)?;
        if s.is_empty() {
            self.fail("must not be empty");
            return None;
        }
        Some(s)
    }

    fn status(&mut self, value: &Value) -> Option<u16> {
        match value.as_u64() {
            Some(n @ 100..=999) => Some(n as u16),
            _ => {
                self.fail("must be an HTTP status code (100 to 999)");
                None
            }
        }
    }

    fn object<'v>(&mut self, value: &'v Value) -> Option<&'v serde_json::Map<String, Value>> {
        match value {
            Value::Object(o) => Some(o),
            _ => {
                self.fail("must be an object");
                None
            }
        }
    }

    fn optional_string(&mut self, o: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
        match o.get(key)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.sink
                    .push(field(self.path, key), Some(self.shape), "must be a string");
                None
            }
        }
    }

    fn required_string(&mut self, o: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
        if !o.contains_key(key) {
            self.fail(format!("missing required property {key:?}"));
            return None;
        }
        self.optional_string(o, key)
    }

    fn optional_bool(&mut self, o: &serde_json::Map<String, Value>, key: &str) -> Option<bool> {
        match o.get(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.sink
                    .push(field(self.path, key), Some(self.shape), "must be a boolean");
                None
            }
        }
    }

    fn http(&mut self, value: &Value) -> Option<Http> {
        let o = self.object(value)?;
        let method = self.required_string(o, "method")?;
        let uri = self.required_string(o, "uri")?;
        if !uri.starts_with('/') {
            self.sink.push(
                field(self.path, "uri"),
                Some(self.shape),
                "must start with '/'",
            );
            return None;
        }
        let code = match o.get("code") {
            None => 200,
            Some(v) => match v.as_u64() {
                Some(n @ 100..=999) => n as u16,
                _ => {
                    self.sink.push(
                        field(self.path, "code"),
                        Some(self.shape),
                        "must be an HTTP status code",
                    );
                    return None;
                }
            },
        };
        Some(Http { method, uri, code })
    }

    fn paginated(&mut self, value: &Value) -> Option<Paginated> {
        let o = self.object(value)?;
        Some(Paginated {
            input_token: self.optional_string(o, "inputToken"),
            output_token: self.optional_string(o, "outputToken"),
            items: self.optional_string(o, "items"),
            page_size: self.optional_string(o, "pageSize"),
        })
    }

    fn enum_definitions(&mut self, value: &Value) -> Option<Vec<EnumDefinition>> {
        let Value::Array(items) = value else {
            self.fail("must be a list of enum definitions");
            return None;
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = format!("{}[{i}]", self.path);
            let mut cx = Cx {
                path: &p,
                shape: self.shape,
                sink: &mut *self.sink,
            };
            let o = cx.object(item)?;
            let value = cx.required_string(o, "value")?;
            out.push(EnumDefinition {
                value,
                name: cx.optional_string(o, "name"),
                documentation: cx.optional_string(o, "documentation"),
            });
        }
        Some(out)
    }
}
