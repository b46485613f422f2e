//! End to end against a real third-party X-Ray implementation: moto's
//! server mode, started on 127.0.0.1 on a free port, stopped afterwards.
//! Requests are signed (moto routes by the SigV4 credential scope).
//!
//! Needs `SMITHY_LITE_PYTHON` (a Python with `moto[server]`, set by
//! `.ci/run`); without it the test prints that it skipped, and fails in CI.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use smithy_lite::credentials::{Credentials, StaticProvider};
use xray::types::primitives::DateTime;
use xray::types::{BackendConnectionErrors, TelemetryRecord};
use xray::Client;

struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> Option<String> {
    match std::env::var("SMITHY_LITE_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!("SMITHY_LITE_PYTHON is not set in CI: .ci/run must install moto[server]");
            }
            eprintln!("skipped: SMITHY_LITE_PYTHON is not set (run .ci/run, or point it at a Python with moto[server])");
            None
        }
    }
}

fn start_moto(python: &str) -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(python)
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto");
    let moto = Moto { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto did not start listening on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    moto
}

fn client(port: u16) -> Client {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials_provider(Arc::new(StaticProvider::new(Credentials::new(
            "AKIDMOTOTEST",
            "moto-secret",
            None,
            None,
        ))))
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xray_end_to_end_against_moto() {
    let Some(python) = python() else { return };
    let moto = start_moto(&python);
    let xray = client(moto.port);

    // 1. The daemon's health report.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let record = TelemetryRecord::builder()
        .timestamp(DateTime::from_secs(now))
        .segments_received_count(10)
        .segments_sent_count(9)
        .segments_spillover_count(0)
        .segments_rejected_count(1)
        .backend_connection_errors(BackendConnectionErrors::builder().timeout_count(1).build())
        .build()
        .unwrap();
    xray.put_telemetry_records()
        .telemetry_records(record)
        .ec2_instance_id("i-0123456789abcdef0")
        .hostname("e2e-host")
        .send()
        .await
        .expect("PutTelemetryRecords");

    // 2. Upload a segment.
    let trace_id = format!("1-{:08x}-{}", now, "0123456789abcdef01234567");
    let segment = serde_json::json!({
        "name": "checkout",
        "id": "70de5b6f19ff9a0a",
        "trace_id": trace_id,
        "start_time": now as f64 - 1.0,
        "end_time": now as f64 - 0.5,
    });
    let put = xray
        .put_trace_segments()
        .trace_segment_documents(segment.to_string())
        .send()
        .await
        .expect("PutTraceSegments");
    assert!(put.unprocessed_trace_segments().is_empty(), "{put:?}");

    // 3. Find it again.
    let summaries = xray
        .get_trace_summaries()
        .start_time(DateTime::from_secs(now - 60))
        .end_time(DateTime::from_secs(now + 60))
        .send()
        .await
        .expect("GetTraceSummaries");
    assert!(
        summaries
            .trace_summaries()
            .iter()
            .any(|s| s.id() == Some(trace_id.as_str())),
        "trace {trace_id} not in {summaries:?}"
    );
    let traces = xray
        .batch_get_traces()
        .trace_ids(trace_id.clone())
        .send()
        .await
        .expect("BatchGetTraces");
    let trace = traces
        .traces()
        .iter()
        .find(|t| t.id() == Some(trace_id.as_str()))
        .expect("trace returned");
    assert!(!trace.segments().is_empty());

    // 4. Graphs parse.
    xray.get_service_graph()
        .start_time(DateTime::from_secs(now - 60))
        .end_time(DateTime::from_secs(now + 60))
        .send()
        .await
        .expect("GetServiceGraph");
    xray.get_trace_graph()
        .trace_ids(trace_id)
        .send()
        .await
        .expect("GetTraceGraph");

    // 5. An operation moto does not implement fails as a typed error.
    let err = xray
        .get_encryption_config()
        .send()
        .await
        .expect_err("moto lacks it");
    assert!(
        err.raw_response().is_some()
            || matches!(err, smithy_lite::client::SdkError::ResponseError(..)),
        "{err:?}"
    );
}
