//! Inputs shared by the benchmarks: every input is made from [`SEED`] by a
//! small deterministic generator, so ours, aws-sdk-xray and the serde_json
//! floor see the same records and the same response bodies on every run.
//!
//! Also here: a loopback HTTP server for the `send()` benchmarks, and the
//! clients of both sides configured the same way (region, static
//! credentials, SigV4, endpoint URL).

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The seed of every generated input.
pub const SEED: u64 = 0x5EED_2026_1128;

/// Region, host name and credentials both clients use.
pub const REGION: &str = "us-east-1";
pub const ACCESS_KEY_ID: &str = "AKIDBENCHMARK000000";
pub const SECRET_ACCESS_KEY: &str = "bench/secret/key/0000000000000000000000";

/// splitmix64: small, fast, deterministic; quality is plenty for test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn i32_below(&mut self, n: u32) -> i32 {
        self.below(u64::from(n)) as i32
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// In `[0, 1)`, 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `len` lowercase hex digits.
    pub fn hex(&mut self, len: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        (0..len)
            .map(|_| DIGITS[self.below(16) as usize] as char)
            .collect()
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------
// PutTelemetryRecords input: a plain struct that is both the neutral form the
// two clients' inputs are built from and, serialized with serde's derive, the
// floor benchmark. Field names are the wire names, so its JSON equals the
// request body the clients send.
// ---------------------------------------------------------------------------

/// One telemetry record as the X-Ray daemon reports it: every count set.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlainRecord {
    /// Epoch seconds (whole seconds, as the daemon reports them).
    pub timestamp: i64,
    pub segments_received_count: i32,
    pub segments_sent_count: i32,
    pub segments_spillover_count: i32,
    pub segments_rejected_count: i32,
    pub backend_connection_errors: PlainErrors,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlainErrors {
    pub timeout_count: i32,
    pub connection_refused_count: i32,
    #[serde(rename = "HTTPCode4XXCount")]
    pub http_code_4xx_count: i32,
    #[serde(rename = "HTTPCode5XXCount")]
    pub http_code_5xx_count: i32,
    pub unknown_host_count: i32,
    pub other_count: i32,
}

/// The whole PutTelemetryRecords body.
#[derive(Clone, Debug, Serialize)]
pub struct PlainPutTelemetryRecords {
    #[serde(rename = "TelemetryRecords")]
    pub telemetry_records: Vec<PlainRecord>,
    #[serde(rename = "EC2InstanceId")]
    pub ec2_instance_id: String,
    #[serde(rename = "Hostname")]
    pub hostname: String,
    #[serde(rename = "ResourceARN")]
    pub resource_arn: String,
}

pub const EC2_INSTANCE_ID: &str = "i-0a1b2c3d4e5f60718";
pub const HOSTNAME: &str = "ip-10-0-0-12.ec2.internal";
pub const RESOURCE_ARN: &str = "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60718";

/// `n` records from [`SEED`], one per minute.
pub fn telemetry_records(n: usize) -> Vec<PlainRecord> {
    let mut rng = Rng::new(SEED);
    let start = 1_767_225_600; // 2026-01-01T00:00:00Z
    (0..n)
        .map(|i| {
            let received = 100 + rng.i32_below(5_000);
            let rejected = rng.i32_below(20);
            PlainRecord {
                timestamp: start + 60 * i as i64,
                segments_received_count: received,
                segments_sent_count: received - rejected,
                segments_spillover_count: rng.i32_below(5),
                segments_rejected_count: rejected,
                backend_connection_errors: PlainErrors {
                    timeout_count: rng.i32_below(4),
                    connection_refused_count: rng.i32_below(3),
                    http_code_4xx_count: rng.i32_below(10),
                    http_code_5xx_count: rng.i32_below(6),
                    unknown_host_count: rng.i32_below(2),
                    other_count: rng.i32_below(3),
                },
            }
        })
        .collect()
}

/// The floor: the plain struct built from the records and serialized with
/// serde's derive; what the request body costs with nothing else.
pub fn floor_body(records: &[PlainRecord]) -> Vec<u8> {
    serde_json::to_vec(&plain_input(records)).expect("serializable")
}

/// The plain struct of the whole body, built from the records.
pub fn plain_input(records: &[PlainRecord]) -> PlainPutTelemetryRecords {
    PlainPutTelemetryRecords {
        telemetry_records: records.to_vec(),
        ec2_instance_id: EC2_INSTANCE_ID.to_owned(),
        hostname: HOSTNAME.to_owned(),
        resource_arn: RESOURCE_ARN.to_owned(),
    }
}

/// Ours: builds the input with the generated builders.
pub fn ours_input(
    records: &[PlainRecord],
) -> xray::operation::put_telemetry_records::PutTelemetryRecordsInput {
    use xray::types::primitives::DateTime;
    use xray::types::{BackendConnectionErrors, TelemetryRecord};
    let records = records
        .iter()
        .map(|r| {
            let e = &r.backend_connection_errors;
            TelemetryRecord::builder()
                .timestamp(DateTime::from_secs(r.timestamp))
                .segments_received_count(r.segments_received_count)
                .segments_sent_count(r.segments_sent_count)
                .segments_spillover_count(r.segments_spillover_count)
                .segments_rejected_count(r.segments_rejected_count)
                .backend_connection_errors(
                    BackendConnectionErrors::builder()
                        .timeout_count(e.timeout_count)
                        .connection_refused_count(e.connection_refused_count)
                        .http_code4_xx_count(e.http_code_4xx_count)
                        .http_code5_xx_count(e.http_code_5xx_count)
                        .unknown_host_count(e.unknown_host_count)
                        .other_count(e.other_count)
                        .build(),
                )
                .build()
                .expect("timestamp set")
        })
        .collect();
    xray::operation::put_telemetry_records::PutTelemetryRecordsInput::builder()
        .set_telemetry_records(Some(records))
        .ec2_instance_id(EC2_INSTANCE_ID)
        .hostname(HOSTNAME)
        .resource_arn(RESOURCE_ARN)
        .build()
}

/// Theirs: builds the input with aws-sdk-xray's builders.
pub fn theirs_records(records: &[PlainRecord]) -> Vec<aws_sdk_xray::types::TelemetryRecord> {
    use aws_sdk_xray::types::{BackendConnectionErrors, TelemetryRecord};
    records
        .iter()
        .map(|r| {
            let e = &r.backend_connection_errors;
            TelemetryRecord::builder()
                .timestamp(aws_smithy_types::DateTime::from_secs(r.timestamp))
                .segments_received_count(r.segments_received_count)
                .segments_sent_count(r.segments_sent_count)
                .segments_spillover_count(r.segments_spillover_count)
                .segments_rejected_count(r.segments_rejected_count)
                .backend_connection_errors(
                    BackendConnectionErrors::builder()
                        .timeout_count(e.timeout_count)
                        .connection_refused_count(e.connection_refused_count)
                        .http_code4_xx_count(e.http_code_4xx_count)
                        .http_code5_xx_count(e.http_code_5xx_count)
                        .unknown_host_count(e.unknown_host_count)
                        .other_count(e.other_count)
                        .build(),
                )
                .build()
                .expect("timestamp set")
        })
        .collect()
}

/// Theirs: the whole input.
pub fn theirs_input(
    records: &[PlainRecord],
) -> aws_sdk_xray::operation::put_telemetry_records::PutTelemetryRecordsInput {
    aws_sdk_xray::operation::put_telemetry_records::PutTelemetryRecordsInput::builder()
        .set_telemetry_records(Some(theirs_records(records)))
        .ec2_instance_id(EC2_INSTANCE_ID)
        .hostname(HOSTNAME)
        .resource_arn(RESOURCE_ARN)
        .build()
        .expect("valid input")
}

// ---------------------------------------------------------------------------
// Response bodies of about 1 MiB.
// ---------------------------------------------------------------------------

/// One mebibyte: the size the response bodies reach (just over).
pub const MIB: usize = 1 << 20;

const SERVICES: &[&str] = &[
    "checkout",
    "cart",
    "payments",
    "inventory",
    "api-gateway",
    "users",
    "search",
    "recommendations",
];
const SERVICE_TYPES: &[&str] = &[
    "AWS::EC2::Instance",
    "AWS::Lambda::Function",
    "AWS::ECS::Container",
    "AWS::DynamoDB::Table",
    "remote",
];
const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE"];
const ZONES: &[&str] = &["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];
const EXCEPTIONS: &[&str] = &[
    "TimeoutException",
    "ConnectionResetError",
    "ValidationException",
    "NullPointerException",
];

fn trace_id(rng: &mut Rng) -> String {
    format!("1-{}-{}", rng.hex(8), rng.hex(24))
}

fn service_id(rng: &mut Rng) -> Value {
    let name = rng.pick(SERVICES);
    json!({
        "Name": name,
        "Names": [name, format!("{name}.internal")],
        "AccountId": "123456789012",
        "Type": rng.pick(SERVICE_TYPES),
    })
}

fn service_ids(rng: &mut Rng, n: u64) -> Vec<Value> {
    (0..1 + rng.below(n)).map(|_| service_id(rng)).collect()
}

fn trace_summary(rng: &mut Rng, i: usize) -> Value {
    let start = 1_767_225_600.0 + i as f64 * 0.25 + (rng.below(1000) as f64) / 1000.0;
    let duration = (rng.below(5_000_000) as f64) / 1_000_000.0;
    let fault = rng.chance(5);
    let error = rng.chance(10);
    let mut annotations = Map::new();
    for k in 0..1 + rng.below(4) {
        let value = match rng.below(3) {
            0 => json!({ "NumberValue": rng.below(100_000) as f64 / 100.0 }),
            1 => json!({ "BooleanValue": rng.chance(50) }),
            _ => json!({ "StringValue": format!("tenant-{}", rng.hex(6)) }),
        };
        let services = service_ids(rng, 2);
        annotations.insert(
            format!("annotation_{k}"),
            json!([{ "AnnotationValue": value, "ServiceIds": services }]),
        );
    }
    let user_services = service_ids(rng, 2);
    let services = service_ids(rng, 4);
    let entry = service_id(rng);
    let instance = format!("i-{}", rng.hex(17));
    let mut summary = json!({
        "Id": trace_id(rng),
        "StartTime": start,
        "Duration": duration,
        "ResponseTime": duration * 0.9,
        "HasFault": fault,
        "HasError": error,
        "HasThrottle": rng.chance(2),
        "IsPartial": false,
        "Http": {
            "HttpURL": format!("https://api.example.com/v1/orders/{}", rng.hex(12)),
            "HttpStatus": if fault { 502 } else if error { 404 } else { 200 },
            "HttpMethod": rng.pick(METHODS),
            "UserAgent": "Mozilla/5.0 (X11; Linux x86_64) bench/1.0",
            "ClientIp": format!("198.51.100.{}", rng.below(255)),
        },
        "Annotations": annotations,
        "Users": [{ "UserName": format!("user-{}", rng.hex(8)), "ServiceIds": user_services }],
        "ServiceIds": services,
        "ResourceARNs": [{ "ARN": format!("arn:aws:ec2:us-east-1:123456789012:instance/{instance}") }],
        "InstanceIds": [{ "Id": instance }],
        "AvailabilityZones": [{ "Name": rng.pick(ZONES) }],
        "EntryPoint": entry,
        "Revision": 1 + rng.below(3),
        "MatchedEventTime": start + 0.5,
    });
    if fault {
        summary["FaultRootCauses"] = json!([{
            "Services": [{
                "Name": rng.pick(SERVICES),
                "Names": [rng.pick(SERVICES)],
                "Type": rng.pick(SERVICE_TYPES),
                "AccountId": "123456789012",
                "EntityPath": [{
                    "Name": "handler",
                    "Exceptions": [{ "Name": rng.pick(EXCEPTIONS), "Message": "upstream failed" }],
                    "Remote": rng.chance(50),
                }],
                "Inferred": false,
            }],
            "ClientImpacting": true,
        }]);
    }
    summary
}

/// A GetTraceSummaries response body just over 1 MiB, and how many
/// summaries it holds.
pub fn trace_summaries_body() -> (Bytes, usize) {
    let mut rng = Rng::new(SEED ^ 0x5D3);
    let mut summaries = Vec::new();
    let mut size = 0;
    while size < MIB {
        let s = trace_summary(&mut rng, summaries.len());
        size += serde_json::to_vec(&s).expect("json").len() + 1;
        summaries.push(s);
    }
    let n = summaries.len();
    let body = json!({
        "TraceSummaries": summaries,
        "ApproximateTime": 1_767_229_200,
        "TracesProcessedCount": n * 4,
        "NextToken": rng.hex(64),
    });
    (Bytes::from(serde_json::to_vec(&body).expect("json")), n)
}

/// A segment document: the JSON text X-Ray stores, carried as a string.
fn segment_document(rng: &mut Rng, trace: &str, id: &str) -> String {
    let start = 1_767_225_600.0 + rng.below(3_600_000) as f64 / 1000.0;
    let subsegments: Vec<Value> = (0..1 + rng.below(4))
        .map(|_| {
            json!({
                "id": rng.hex(16),
                "name": rng.pick(SERVICES),
                "start_time": start + 0.001,
                "end_time": start + 0.05,
                "namespace": "remote",
                "http": { "request": { "method": rng.pick(METHODS), "url": format!("https://{}.internal/items/{}", rng.pick(SERVICES), rng.hex(8)) },
                          "response": { "status": 200, "content_length": rng.below(10_000) } },
            })
        })
        .collect();
    let doc = json!({
        "id": id,
        "name": rng.pick(SERVICES),
        "trace_id": trace,
        "start_time": start,
        "end_time": start + 0.2,
        "origin": rng.pick(SERVICE_TYPES),
        "aws": { "ec2": { "instance_id": format!("i-{}", rng.hex(17)), "availability_zone": rng.pick(ZONES) } },
        "http": { "request": { "method": rng.pick(METHODS), "client_ip": "198.51.100.7", "url": "https://api.example.com/v1/orders" },
                  "response": { "status": 200 } },
        "annotations": { "tenant": format!("tenant-{}", rng.hex(6)) },
        "subsegments": subsegments,
    });
    serde_json::to_string(&doc).expect("json")
}

/// A BatchGetTraces response body just over 1 MiB, and how many traces it
/// holds.
pub fn batch_get_traces_body() -> (Bytes, usize) {
    let mut rng = Rng::new(SEED ^ 0xB67);
    let mut traces = Vec::new();
    let mut size = 0;
    while size < MIB {
        let id = trace_id(&mut rng);
        let segments: Vec<Value> = (0..2 + rng.below(4))
            .map(|_| {
                let seg = rng.hex(16);
                let document = segment_document(&mut rng, &id, &seg);
                json!({ "Id": seg, "Document": document })
            })
            .collect();
        let trace = json!({
            "Id": id,
            "Duration": rng.below(5_000_000) as f64 / 1_000_000.0,
            "LimitExceeded": false,
            "Segments": segments,
        });
        size += serde_json::to_vec(&trace).expect("json").len() + 1;
        traces.push(trace);
    }
    let n = traces.len();
    let body = json!({ "Traces": traces, "UnprocessedTraceIds": [], "NextToken": rng.hex(64) });
    (Bytes::from(serde_json::to_vec(&body).expect("json")), n)
}

// ---------------------------------------------------------------------------
// aws-sdk-xray's own serializer and deserializers, reached through the
// operation's public `RuntimePlugin::config()`: the layer it registers holds
// the `SharedRequestSerializer` and `SharedResponseDeserializer` that
// `send()` runs.
// ---------------------------------------------------------------------------

/// A config bag holding an operation's layer (its serializer and
/// deserializer among it).
pub fn theirs_bag(
    plugin: impl aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin,
) -> aws_smithy_types::config_bag::ConfigBag {
    let mut bag = aws_smithy_types::config_bag::ConfigBag::base();
    bag.push_shared_layer(plugin.config().expect("operation layer"));
    bag
}

/// PutTelemetryRecords' request serializer and a bag to call it with.
pub fn theirs_serializer() -> (
    aws_smithy_runtime_api::client::ser_de::SharedRequestSerializer,
    aws_smithy_types::config_bag::ConfigBag,
) {
    let bag =
        theirs_bag(aws_sdk_xray::operation::put_telemetry_records::PutTelemetryRecords::new());
    let serializer = bag
        .load::<aws_smithy_runtime_api::client::ser_de::SharedRequestSerializer>()
        .expect("serializer in the operation's layer")
        .clone();
    (serializer, bag)
}

/// The response deserializer in an operation's bag.
pub fn theirs_deserializer(
    bag: &aws_smithy_types::config_bag::ConfigBag,
) -> &aws_smithy_runtime_api::client::ser_de::SharedResponseDeserializer {
    bag.load::<aws_smithy_runtime_api::client::ser_de::SharedResponseDeserializer>()
        .expect("deserializer in the operation's layer")
}

/// aws-sdk-xray's response type.
pub type TheirsResponse = aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// The same 200 response with `body` for each side (the body shared, not
/// copied).
pub fn responses(body: &Bytes) -> (http::Response<Bytes>, TheirsResponse) {
    let ours = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(body.clone())
        .expect("valid response");
    let mut theirs = TheirsResponse::new(
        200u16.try_into().expect("status"),
        aws_smithy_types::body::SdkBody::from(body.clone()),
    );
    theirs
        .headers_mut()
        .insert("content-type", "application/json");
    (ours, theirs)
}

// ---------------------------------------------------------------------------
// Clients, transports and the loopback server for the send() benchmarks.
// ---------------------------------------------------------------------------

/// The body every PutTelemetryRecords answer carries (the output has no
/// members; the service sends this).
pub const PUT_TELEMETRY_RESPONSE: &str = r#"{}"#;

/// Ours: a transport that answers every request at once with 200 `{}`.
#[derive(Debug, Default)]
pub struct NoopTransport;

impl smithy_lite::transport::Transport for NoopTransport {
    fn call(
        &self,
        _request: smithy_lite::operation::HttpRequest,
    ) -> smithy_lite::transport::BoxFuture<
        '_,
        Result<smithy_lite::operation::HttpResponse, smithy_lite::transport::TransportError>,
    > {
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Bytes::from_static(PUT_TELEMETRY_RESPONSE.as_bytes()))
                .expect("valid response"))
        })
    }
}

/// Ours, configured like [`theirs_client`]: region, static credentials
/// (SigV4), endpoint URL; `transport` replaces hyper when given.
pub fn ours_client(
    endpoint: &str,
    transport: Option<Arc<dyn smithy_lite::transport::Transport>>,
) -> xray::Client {
    use smithy_lite::credentials::{Credentials, StaticProvider};
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None);
    let mut builder = xray::Client::builder()
        .region(REGION)
        .endpoint_url(endpoint)
        .credentials_provider(Arc::new(StaticProvider::new(credentials)));
    if let Some(t) = transport {
        builder = builder.transport(t);
    }
    builder.build().expect("client")
}

/// Theirs: region, static credentials (SigV4), endpoint URL, default
/// behavior version; `http_client` replaces the default HTTPS client when
/// given.
pub fn theirs_client(
    endpoint: &str,
    http_client: Option<aws_sdk_xray::config::SharedHttpClient>,
) -> aws_sdk_xray::Client {
    use aws_sdk_xray::config::{BehaviorVersion, Credentials, Region};
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, "bench");
    let mut builder = aws_sdk_xray::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint)
        .credentials_provider(credentials);
    if let Some(c) = http_client {
        builder = builder.http_client(c);
    }
    aws_sdk_xray::Client::from_conf(builder.build())
}

/// Ours: one PutTelemetryRecords `send()` of `record`; panics on failure.
pub async fn send_ours(client: &xray::Client, record: &xray::types::TelemetryRecord) {
    client
        .put_telemetry_records()
        .telemetry_records(record.clone())
        .hostname(HOSTNAME)
        .send()
        .await
        .expect("ours: send");
}

/// Theirs: one PutTelemetryRecords `send()` of `record`; panics on failure.
pub async fn send_theirs(
    client: &aws_sdk_xray::Client,
    record: &aws_sdk_xray::types::TelemetryRecord,
) {
    client
        .put_telemetry_records()
        .telemetry_records(record.clone())
        .hostname(HOSTNAME)
        .send()
        .await
        .expect("aws-sdk-xray: send");
}

/// The first record from the seed, as each side's type.
pub fn one_record() -> (
    xray::types::TelemetryRecord,
    aws_sdk_xray::types::TelemetryRecord,
) {
    let plain = telemetry_records(1);
    let ours = ours_input(&plain)
        .telemetry_records
        .expect("records set")
        .remove(0);
    let theirs = theirs_records(&plain).remove(0);
    (ours, theirs)
}

/// Theirs: an HTTP client that answers every request at once with 200 `{}`
/// (aws-smithy-http-client's test utility).
pub fn theirs_noop_http_client() -> aws_sdk_xray::config::SharedHttpClient {
    aws_smithy_http_client::test_util::infallible_client_fn(|_request| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(PUT_TELEMETRY_RESPONSE)
            .expect("valid response")
    })
}

/// A loopback HTTP/1.1 server on its own thread (a current-thread tokio
/// runtime): reads each request's body and answers 200 `{}` with
/// keep-alive. Stops when the process exits.
pub fn start_loopback_server() -> SocketAddr {
    use http_body_util::{BodyExt as _, Full};
    use hyper::server::conn::http1;
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("address");
    std::thread::Builder::new()
        .name("loopback-server".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(async move {
                        let service = service_fn(
                            |request: hyper::Request<hyper::body::Incoming>| async move {
                                let _ = request.into_body().collect().await;
                                Ok::<_, std::convert::Infallible>(
                                    hyper::Response::builder()
                                        .status(200)
                                        .header("content-type", "application/json")
                                        .header(
                                            "x-amzn-requestid",
                                            "00000000-0000-0000-0000-000000000000",
                                        )
                                        .body(Full::new(Bytes::from_static(
                                            PUT_TELEMETRY_RESPONSE.as_bytes(),
                                        )))
                                        .expect("valid response"),
                                )
                            },
                        );
                        let _ = http1::Builder::new()
                            .keep_alive(true)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        })
        .expect("server thread");
    addr
}

// ---------------------------------------------------------------------------
// The parsing floor: plain `#[derive(Deserialize)]` structs with the wire
// names, covering every member the generated bodies use (timestamps left as
// f64). serde_json into these is what parsing costs with nothing else.
// ---------------------------------------------------------------------------

pub mod parse_floor {
    use serde::Deserialize;
    use std::collections::HashMap;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct TraceSummaries {
        pub trace_summaries: Option<Vec<TraceSummary>>,
        pub approximate_time: Option<f64>,
        pub traces_processed_count: Option<i64>,
        pub next_token: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct TraceSummary {
        pub id: Option<String>,
        pub start_time: Option<f64>,
        pub duration: Option<f64>,
        pub response_time: Option<f64>,
        pub has_fault: Option<bool>,
        pub has_error: Option<bool>,
        pub has_throttle: Option<bool>,
        pub is_partial: Option<bool>,
        pub http: Option<Http>,
        pub annotations: Option<HashMap<String, Vec<ValueWithServiceIds>>>,
        pub users: Option<Vec<TraceUser>>,
        pub service_ids: Option<Vec<ServiceId>>,
        #[serde(rename = "ResourceARNs")]
        pub resource_arns: Option<Vec<ResourceArn>>,
        pub instance_ids: Option<Vec<InstanceId>>,
        pub availability_zones: Option<Vec<AvailabilityZone>>,
        pub entry_point: Option<ServiceId>,
        pub fault_root_causes: Option<Vec<FaultRootCause>>,
        pub revision: Option<i32>,
        pub matched_event_time: Option<f64>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Http {
        #[serde(rename = "HttpURL")]
        pub http_url: Option<String>,
        pub http_status: Option<i32>,
        pub http_method: Option<String>,
        pub user_agent: Option<String>,
        pub client_ip: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct ServiceId {
        pub name: Option<String>,
        pub names: Option<Vec<String>>,
        pub account_id: Option<String>,
        #[serde(rename = "Type")]
        pub kind: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct ValueWithServiceIds {
        pub annotation_value: Option<AnnotationValue>,
        pub service_ids: Option<Vec<ServiceId>>,
    }

    #[derive(Debug, Deserialize)]
    pub enum AnnotationValue {
        NumberValue(f64),
        BooleanValue(bool),
        StringValue(String),
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct TraceUser {
        pub user_name: Option<String>,
        pub service_ids: Option<Vec<ServiceId>>,
    }

    #[derive(Debug, Deserialize)]
    pub struct ResourceArn {
        #[serde(rename = "ARN")]
        pub arn: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct InstanceId {
        #[serde(rename = "Id")]
        pub id: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct AvailabilityZone {
        #[serde(rename = "Name")]
        pub name: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct FaultRootCause {
        pub services: Option<Vec<FaultRootCauseService>>,
        pub client_impacting: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct FaultRootCauseService {
        pub name: Option<String>,
        pub names: Option<Vec<String>>,
        #[serde(rename = "Type")]
        pub kind: Option<String>,
        pub account_id: Option<String>,
        pub entity_path: Option<Vec<FaultRootCauseEntity>>,
        pub inferred: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct FaultRootCauseEntity {
        pub name: Option<String>,
        pub exceptions: Option<Vec<RootCauseException>>,
        pub remote: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct RootCauseException {
        pub name: Option<String>,
        pub message: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Traces {
        pub traces: Option<Vec<Trace>>,
        pub unprocessed_trace_ids: Option<Vec<String>>,
        pub next_token: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Trace {
        pub id: Option<String>,
        pub duration: Option<f64>,
        pub limit_exceeded: Option<bool>,
        pub segments: Option<Vec<Segment>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Segment {
        pub id: Option<String>,
        pub document: Option<String>,
    }
}
