//! 1c: a full `send()` of PutTelemetryRecords through each client, SigV4
//! signing included (static credentials, region us-east-1), default retry
//! settings of each client.
//!
//! - `send_noop_1_record`: the HTTP layer replaced by one that answers at
//!   once with 200 `{}` (ours: a `Transport` impl; theirs:
//!   aws-smithy-http-client's `infallible_client_fn`). What remains is each
//!   client's own overhead: input, serialization, endpoint resolution,
//!   signing, retry bookkeeping, response parsing.
//! - `send_loopback_c1` / `send_loopback_c32`: each client's default HTTP
//!   stack (ours: hyper-util + rustls/ring; theirs: its default HTTPS client,
//!   hyper-util + rustls/aws-lc) over plain HTTP to a hyper server on
//!   127.0.0.1 that reads the body and answers 200 `{}` with keep-alive. c1:
//!   one request at a time; c32: 32 tasks each sending back to back, so 32
//!   requests in flight. One iteration is 1 (c1) or 32 (c32) requests;
//!   criterion's throughput (elem/s) is requests per second.
//!
//! The client runs on a current-thread tokio runtime on the benchmark's
//! thread and the server on its own thread (one current-thread runtime), so
//! the two use the machine's two cores.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use smithy_lite_benches as data;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn noop(c: &mut Criterion) {
    let rt = runtime();
    let (ours_record, theirs_record) = data::one_record();
    // Never reached: the transport answers by itself.
    let url = "http://127.0.0.1:9";
    let ours = data::ours_client(url, Some(Arc::new(data::NoopTransport)));
    let theirs = data::theirs_client(url, Some(data::theirs_noop_http_client()));

    let mut group = c.benchmark_group("send_noop_1_record");
    group.throughput(Throughput::Elements(1));
    group.bench_function("smithy-lite", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    data::send_ours(&ours, &ours_record).await;
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("aws-sdk-xray", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    data::send_theirs(&theirs, &theirs_record).await;
                }
                start.elapsed()
            })
        })
    });
    group.finish();
}

/// Runs `iters` rounds of `concurrency` requests: `concurrency` tasks, each
/// sending `iters` requests back to back.
fn loopback_round<C, F, Fut>(
    rt: &tokio::runtime::Runtime,
    client: &C,
    concurrency: u64,
    iters: u64,
    send: F,
) -> Duration
where
    C: Clone + Send + 'static,
    F: Fn(C) -> Fut + Copy + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    rt.block_on(async {
        let start = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..concurrency {
            let client = client.clone();
            tasks.spawn(async move {
                for _ in 0..iters {
                    send(client.clone()).await;
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("task");
        }
        start.elapsed()
    })
}

fn loopback(c: &mut Criterion) {
    let rt = runtime();
    let addr = data::start_loopback_server();
    let url = format!("http://{addr}");
    let (ours_record, theirs_record) = data::one_record();
    let ours = data::ours_client(&url, None);
    let theirs = data::theirs_client(&url, None);
    let ours_record = Arc::new(ours_record);
    let theirs_record = Arc::new(theirs_record);

    for concurrency in [1u64, 32] {
        let mut group = c.benchmark_group(format!("send_loopback_c{concurrency}"));
        group.throughput(Throughput::Elements(concurrency));
        {
            let record = ours_record.clone();
            group.bench_function("smithy-lite", |b| {
                b.iter_custom(|iters| {
                    let record = record.clone();
                    loopback_round(
                        &rt,
                        &(ours.clone(), record),
                        concurrency,
                        iters,
                        |(c, r)| async move { data::send_ours(&c, &r).await },
                    )
                })
            });
        }
        {
            let record = theirs_record.clone();
            group.bench_function("aws-sdk-xray", |b| {
                b.iter_custom(|iters| {
                    let record = record.clone();
                    loopback_round(
                        &rt,
                        &(theirs.clone(), record),
                        concurrency,
                        iters,
                        |(c, r)| async move { data::send_theirs(&c, &r).await },
                    )
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, noop, loopback);
criterion_main!(benches);
