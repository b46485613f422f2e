//! The client against a scripted hyper server on loopback: attempts,
//! backoff bounds, the retry quota, timeouts, reset connections, error
//! kinds, and signatures that verify as received.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use smithy_lite::client::{SdkError, TimeoutConfig};
use smithy_lite::credentials::{Credentials, StaticProvider};
use smithy_lite::retry::RetryConfig;
use support::{Server, Step};
use xray::types::primitives::DateTime;
use xray::types::TelemetryRecord;
use xray::Client;

const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn credentials() -> Credentials {
    Credentials::new(KEY_ID, SECRET, Some("session-token".to_owned()), None)
}

fn client(server: &Server, retry: RetryConfig, timeouts: TimeoutConfig) -> Client {
    Client::builder()
        .region("us-west-2")
        .endpoint_url(server.url())
        .credentials_provider(Arc::new(StaticProvider::new(credentials())))
        .retry_config(retry)
        .timeout_config(timeouts)
        .build()
        .expect("client")
}

fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
    }
}

fn record() -> TelemetryRecord {
    TelemetryRecord::builder()
        .timestamp(DateTime::from_secs(1_700_000_000))
        .segments_received_count(3)
        .build()
        .unwrap()
}

async fn put(
    client: &Client,
) -> Result<
    xray::operation::put_telemetry_records::PutTelemetryRecordsOutput,
    SdkError<xray::operation::put_telemetry_records::PutTelemetryRecordsError>,
> {
    client
        .put_telemetry_records()
        .telemetry_records(record())
        .hostname("host-1")
        .send()
        .await
}

/// Every received request carries a SigV4 signature that verifies against
/// the request exactly as received.
fn assert_signed(server: &Server) {
    for r in server.received() {
        let verified = smithy_lite::sigv4::verify(
            &r.request,
            |key| (key == KEY_ID).then(credentials),
            std::time::SystemTime::now(),
        );
        assert!(
            verified.is_ok(),
            "signature of {} {}: {:?}",
            r.request.method(),
            r.request.uri(),
            verified
        );
        assert_eq!(r.request.headers()["x-amz-security-token"], "session-token");
        let ua = r.request.headers()["user-agent"].to_str().unwrap();
        assert!(ua.contains("smithy-lite/") && ua.contains("xray/"), "{ua}");
    }
}

#[tokio::test]
async fn sends_a_signed_put_telemetry_records() {
    let server = Server::start(vec![Step::json(200, "{}")]).await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    put(&c).await.expect("success");
    let received = server.received();
    assert_eq!(received.len(), 1);
    let req = &received[0].request;
    assert_eq!(req.method(), "POST");
    assert_eq!(req.uri().path(), "/TelemetryRecords");
    assert_eq!(req.headers()["content-type"], "application/json");
    assert_eq!(req.headers()["host"], server.addr.to_string().as_str());
    let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
    assert_eq!(body["TelemetryRecords"][0]["Timestamp"], 1_700_000_000);
    let auth = req.headers()["authorization"].to_str().unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{auth}"
    );
    assert!(auth.contains("/us-west-2/xray/aws4_request"), "{auth}");
    assert_signed(&server);
}

#[tokio::test]
async fn throttling_then_success_retries_once() {
    let server = Server::start(vec![
        Step::error(429, "ThrottledException"),
        Step::json(200, "{}"),
    ])
    .await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    put(&c).await.expect("retried to success");
    assert_eq!(server.received().len(), 2);
    assert_eq!(
        c.handle().retry_tokens(),
        500,
        "the retry's cost is refunded on success"
    );
    assert_signed(&server);
}

#[tokio::test]
async fn three_503s_exhaust_the_attempts() {
    let server = Server::start(vec![Step::error(503, "ServiceUnavailable"); 3]).await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    let err = put(&c).await.expect_err("fails");
    match &err {
        SdkError::ServiceError(e) => {
            assert!(e.err().is_unhandled());
            assert_eq!(e.raw().status(), 503);
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert_eq!(server.received().len(), 3);
    assert_eq!(
        c.handle().retry_tokens(),
        490,
        "two retries at 5 tokens each"
    );
    // Backoff: each wait is at most its cap (20 ms, then 40 ms), with slack
    // for scheduling.
    let at: Vec<Instant> = server.received().iter().map(|r| r.at).collect();
    assert!(at[1] - at[0] < Duration::from_millis(20 + 150));
    assert!(at[2] - at[1] < Duration::from_millis(40 + 150));
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = Server::start(vec![Step::error(400, "InvalidRequestException")]).await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    let err = put(&c).await.expect_err("fails");
    let service = err.as_service_error().expect("service error");
    assert!(service.is_invalid_request_exception());
    assert_eq!(err.code(), Some("InvalidRequestException"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_stalled_attempt_times_out_and_is_retried() {
    let server = Server::start(vec![
        Step::Stall(Duration::from_secs(5)),
        Step::json(200, "{}"),
    ])
    .await;
    let timeouts = TimeoutConfig {
        attempt: Some(Duration::from_millis(300)),
        ..TimeoutConfig::default()
    };
    let c = client(&server, fast_retries(3), timeouts);
    let started = Instant::now();
    put(&c).await.expect("second attempt succeeds");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.received().len(), 2);
    assert_eq!(
        c.handle().retry_tokens(),
        500,
        "the timeout retry (10 tokens) is refunded"
    );
}

#[tokio::test]
async fn attempt_timeouts_end_as_timeout_errors() {
    let server = Server::start(vec![
        Step::Stall(Duration::from_secs(5)),
        Step::Stall(Duration::from_secs(5)),
    ])
    .await;
    let timeouts = TimeoutConfig {
        attempt: Some(Duration::from_millis(200)),
        ..TimeoutConfig::default()
    };
    let c = client(&server, fast_retries(2), timeouts);
    let err = put(&c).await.expect_err("times out");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(c.handle().retry_tokens(), 490, "one timeout retry costs 10");
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call() {
    let server = Server::start(vec![Step::Stall(Duration::from_secs(5))]).await;
    let timeouts = TimeoutConfig {
        operation: Some(Duration::from_millis(300)),
        ..TimeoutConfig::default()
    };
    let c = client(&server, fast_retries(3), timeouts);
    let started = Instant::now();
    let err = put(&c).await.expect_err("times out");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let server = Server::start(vec![Step::Reset, Step::json(200, "{}")]).await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    put(&c).await.expect("retried after the reset");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn connection_refused_is_a_dispatch_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let c = Client::builder()
        .region("us-west-2")
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(Arc::new(StaticProvider::new(credentials())))
        .retry_config(fast_retries(2))
        .build()
        .unwrap();
    let err = put(&c).await.expect_err("nothing listens");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
}

#[tokio::test]
async fn the_retry_quota_runs_out() {
    // Every call fails with 503; with 3 attempts each call spends 10 tokens,
    // so after 50 calls the quota is empty and calls stop retrying.
    let server = Server::start(vec![Step::error(503, "ServiceUnavailable"); 400]).await;
    let retry = RetryConfig {
        max_attempts: 3,
        base_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
    };
    let c = client(&server, retry, TimeoutConfig::default());
    for _ in 0..50 {
        put(&c).await.expect_err("503");
    }
    assert_eq!(c.handle().retry_tokens(), 0);
    assert_eq!(server.received().len(), 150);
    put(&c).await.expect_err("503");
    assert_eq!(server.received().len(), 151, "no retry without tokens");
}

#[tokio::test]
async fn malformed_success_bodies_are_response_errors() {
    let server = Server::start(vec![Step::json(200, "{\"TelemetryRecords\": ")]).await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    let err = put(&c).await.expect_err("bad body");
    assert!(matches!(err, SdkError::ResponseError(..)), "{err:?}");
}

#[tokio::test]
async fn missing_required_members_fail_before_sending() {
    let server = Server::start(vec![]).await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    let err = c
        .put_telemetry_records()
        .hostname("h")
        .send()
        .await
        .expect_err("no records");
    match err {
        SdkError::ConstructionFailure(m) => assert!(m.contains("telemetry_records"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn clock_skew_is_corrected_from_the_date_header() {
    let server_time = std::time::SystemTime::now() + Duration::from_secs(3600);
    let date = DateTime::from(server_time)
        .fmt(smithy_lite::types::Format::HttpDate)
        .unwrap();
    let server = Server::start(vec![
        Step::Respond(
            400,
            vec![
                ("x-amzn-errortype", "InvalidSignatureException".into()),
                ("date", date),
                ("content-type", "application/json".into()),
            ],
            r#"{"message":"Signature expired"}"#.into(),
        ),
        Step::json(200, "{}"),
    ])
    .await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    put(&c).await.expect("retried with the corrected clock");
    let received = server.received();
    assert_eq!(received.len(), 2);
    let date_of = |i: usize| {
        received[i].request.headers()["x-amz-date"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_ne!(date_of(0), date_of(1));
    assert!(c.handle().clock_skew() > Duration::from_secs(3000));
}

#[tokio::test]
async fn paginators_follow_tokens() {
    let page = |token: Option<&str>, ids: &[&str]| {
        let summaries: Vec<serde_json::Value> =
            ids.iter().map(|id| serde_json::json!({"Id": id})).collect();
        let mut body = serde_json::json!({"TraceSummaries": summaries});
        if let Some(t) = token {
            body["NextToken"] = t.into();
        }
        Step::json(200, &body.to_string())
    };
    let server = Server::start(vec![
        page(Some("t1"), &["a", "b"]),
        page(Some("t2"), &["c"]),
        page(None, &["d"]),
    ])
    .await;
    let c = client(&server, fast_retries(3), TimeoutConfig::default());
    let items = smithy_lite::paginator::collect(
        c.get_trace_summaries()
            .start_time(DateTime::from_secs(1_700_000_000))
            .end_time(DateTime::from_secs(1_700_000_600))
            .into_paginator()
            .items(),
    )
    .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.unwrap().id().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let tokens: Vec<Option<String>> = server
        .received()
        .iter()
        .map(|r| {
            serde_json::from_slice::<serde_json::Value>(r.request.body()).unwrap()["NextToken"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(tokens, [None, Some("t1".into()), Some("t2".into())]);
}

#[tokio::test]
async fn container_credentials_come_through_the_hyper_transport() {
    use smithy_lite::config::TransportHttp;
    use smithy_lite::credentials::{EcsProvider, Env, ProvideCredentials};
    use smithy_lite::transport::HyperTransport;

    let body = serde_json::json!({
        "AccessKeyId": "ASIAECS",
        "SecretAccessKey": "ecs-secret",
        "Token": "ecs-token",
        "Expiration": "2099-01-01T00:00:00Z",
    });
    let server = Server::start(vec![Step::json(200, &body.to_string())]).await;
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/v2/credentials", server.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "auth-token".to_owned()),
    ]);
    let http = Arc::new(TransportHttp(HyperTransport::new(None).unwrap()));
    let creds = EcsProvider::with_env(env, http)
        .provide_credentials()
        .await
        .expect("credentials");
    assert_eq!(creds.access_key_id(), "ASIAECS");
    assert_eq!(creds.session_token(), Some("ecs-token"));
    assert!(
        !format!("{creds:?}").contains("ecs-secret"),
        "secrets never in Debug"
    );
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].request.uri().path(), "/v2/credentials");
    assert_eq!(received[0].request.headers()["authorization"], "auth-token");
}
