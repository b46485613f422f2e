//! The same comparisons as `serialize`, `parse` and `send`, measured
//! interleaved so that both sides see the same machine: on a shared machine
//! (other builds on the same two cores) criterion's one-benchmark-after-the-
//! other runs drift by tens of percent between benchmarks, which moves the
//! ratios more than the code does.
//!
//! For each comparison: a short warm-up, then a batch size chosen so one
//! batch of smithy-lite takes about `AB_BATCH_MS` (default 10) ms, then
//! `AB_ROUNDS` (default 61) rounds; in each round every side runs one batch
//! of that size, the order rotating from round to round. Printed as a
//! Markdown table: per side the median time per iteration over the rounds,
//! and the median (10th-90th percentile) over the rounds of aws-sdk-xray's
//! time divided by smithy-lite's in the same round.
//!
//! What each side runs is exactly what the criterion benchmark of the same
//! name runs (see the doc comments of `serialize.rs`, `parse.rs`, `send.rs`).
//!
//!     cargo bench --manifest-path benches/Cargo.toml --bench interleaved

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::interceptors::context::Input;
use aws_smithy_runtime_api::client::ser_de::{DeserializeResponse as _, SerializeRequest as _};
use smithy_lite_benches as data;
use xray::Operation as _;

/// Runs `n` iterations.
type Batch<'a> = Box<dyn FnMut(u64) + 'a>;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn time(batch: &mut Batch<'_>, n: u64) -> Duration {
    let start = Instant::now();
    batch(n);
    start.elapsed()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    percentile(&v, 0.5)
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Runs the comparison and prints one table row. `sides[0]` is smithy-lite,
/// `sides[1]` aws-sdk-xray, an optional `sides[2]` the floor. `per_iter` is
/// how many requests one iteration sends (for requests per second).
fn compare(name: &str, input: &str, per_iter: u64, mut sides: Vec<(&str, Batch<'_>)>) {
    let batch_ms = env_u64("AB_BATCH_MS", 10) as f64;
    let rounds = env_u64("AB_ROUNDS", 61) as usize;

    // Warm-up and calibration on smithy-lite.
    for (_, side) in sides.iter_mut() {
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(200) {
            side(1);
        }
    }
    let mut n = 1u64;
    loop {
        let t = time(&mut sides[0].1, n);
        if t.as_secs_f64() * 1e3 >= batch_ms / 2.0 || n >= 1 << 20 {
            n = ((batch_ms / (t.as_secs_f64() * 1e3)) * n as f64)
                .ceil()
                .max(1.0) as u64;
            break;
        }
        n *= 2;
    }

    let k = sides.len();
    let mut per_side: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); k];
    for round in 0..rounds {
        for j in 0..k {
            let s = (round + j) % k;
            let t = time(&mut sides[s].1, n);
            per_side[s].push(t.as_nanos() as f64 / n as f64);
        }
    }
    let mut ratios: Vec<f64> = per_side[0]
        .iter()
        .zip(&per_side[1])
        .map(|(ours, theirs)| theirs / ours)
        .collect();
    ratios.sort_by(f64::total_cmp);
    let medians: Vec<f64> = per_side.iter().map(|v| median(v)).collect();
    let rate = |ns: f64| {
        if per_iter > 0 {
            format!(" ({:.0} req/s)", per_iter as f64 * 1e9 / ns)
        } else {
            String::new()
        }
    };
    let floor = if k > 2 {
        format!("{}: {}", sides[2].0, fmt_time(medians[2]))
    } else {
        "-".to_owned()
    };
    println!(
        "| {name} | {input} | {}{} | {}{} | {:.2}x ({:.2}-{:.2}) | {floor} |",
        fmt_time(medians[0]),
        rate(medians[0]),
        fmt_time(medians[1]),
        rate(medians[1]),
        percentile(&ratios, 0.5),
        percentile(&ratios, 0.1),
        percentile(&ratios, 0.9),
    );
}

fn serialize() {
    use xray::operation::put_telemetry_records::PutTelemetryRecords;
    for n in [1usize, 10, 100, 1000] {
        let records = data::telemetry_records(n);
        let (serializer, mut bag) = data::theirs_serializer();
        let (r1, r2, r3) = (records.clone(), records.clone(), records.clone());
        compare(
            "PutTelemetryRecords: build input + serialize",
            &format!("{n} records"),
            0,
            vec![
                (
                    "smithy-lite",
                    Box::new(move |iters| {
                        for _ in 0..iters {
                            black_box(
                                PutTelemetryRecords::serialize_request(&data::ours_input(
                                    black_box(&r1),
                                ))
                                .unwrap(),
                            );
                        }
                    }),
                ),
                (
                    "aws-sdk-xray",
                    Box::new(move |iters| {
                        for _ in 0..iters {
                            black_box(
                                serializer
                                    .serialize_input(
                                        Input::erase(data::theirs_input(black_box(&r2))),
                                        &mut bag,
                                    )
                                    .unwrap(),
                            );
                        }
                    }),
                ),
                (
                    "serde_json derive",
                    Box::new(move |iters| {
                        for _ in 0..iters {
                            black_box(data::floor_body(black_box(&r3)));
                        }
                    }),
                ),
            ],
        );
    }
}

fn parse() {
    use aws_sdk_xray::operation::{
        batch_get_traces as theirs_bgt, get_trace_summaries as theirs_gts,
    };
    use xray::operation::batch_get_traces::BatchGetTraces;
    use xray::operation::get_trace_summaries::GetTraceSummaries;

    let (body, count) = data::trace_summaries_body();
    let (ours_response, theirs_response) = data::responses(&body);
    let bag = data::theirs_bag(theirs_gts::GetTraceSummaries::new());
    let de = data::theirs_deserializer(&bag);
    compare(
        "GetTraceSummaries: parse response",
        &format!("{} bytes, {count} summaries", body.len()),
        0,
        vec![
            (
                "smithy-lite",
                Box::new(|iters| {
                    for _ in 0..iters {
                        black_box(
                            GetTraceSummaries::parse_response(black_box(&ours_response)).unwrap(),
                        );
                    }
                }),
            ),
            (
                "aws-sdk-xray",
                Box::new(|iters| {
                    for _ in 0..iters {
                        black_box(
                            de.deserialize_nonstreaming_with_config(
                                black_box(&theirs_response),
                                &bag,
                            )
                            .unwrap()
                            .downcast::<theirs_gts::GetTraceSummariesOutput>()
                            .unwrap(),
                        );
                    }
                }),
            ),
            (
                "serde_json derive",
                Box::new(|iters| {
                    for _ in 0..iters {
                        black_box(
                            serde_json::from_slice::<data::parse_floor::TraceSummaries>(black_box(
                                &body,
                            ))
                            .unwrap(),
                        );
                    }
                }),
            ),
        ],
    );

    let (body, count) = data::batch_get_traces_body();
    let (ours_response, theirs_response) = data::responses(&body);
    let bag = data::theirs_bag(theirs_bgt::BatchGetTraces::new());
    let de = data::theirs_deserializer(&bag);
    compare(
        "BatchGetTraces: parse response",
        &format!("{} bytes, {count} traces", body.len()),
        0,
        vec![
            (
                "smithy-lite",
                Box::new(|iters| {
                    for _ in 0..iters {
                        black_box(
                            BatchGetTraces::parse_response(black_box(&ours_response)).unwrap(),
                        );
                    }
                }),
            ),
            (
                "aws-sdk-xray",
                Box::new(|iters| {
                    for _ in 0..iters {
                        black_box(
                            de.deserialize_nonstreaming_with_config(
                                black_box(&theirs_response),
                                &bag,
                            )
                            .unwrap()
                            .downcast::<theirs_bgt::BatchGetTracesOutput>()
                            .unwrap(),
                        );
                    }
                }),
            ),
            (
                "serde_json derive",
                Box::new(|iters| {
                    for _ in 0..iters {
                        black_box(
                            serde_json::from_slice::<data::parse_floor::Traces>(black_box(&body))
                                .unwrap(),
                        );
                    }
                }),
            ),
        ],
    );
}

fn send() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (ours_record, theirs_record) = data::one_record();
    let ours_record = Arc::new(ours_record);
    let theirs_record = Arc::new(theirs_record);

    let url = "http://127.0.0.1:9";
    let ours = data::ours_client(url, Some(Arc::new(data::NoopTransport)));
    let theirs = data::theirs_client(url, Some(data::theirs_noop_http_client()));
    compare(
        "send(), no-op HTTP layer",
        "1 record",
        1,
        vec![
            (
                "smithy-lite",
                Box::new(|iters| {
                    rt.block_on(async {
                        for _ in 0..iters {
                            data::send_ours(&ours, &ours_record).await;
                        }
                    })
                }),
            ),
            (
                "aws-sdk-xray",
                Box::new(|iters| {
                    rt.block_on(async {
                        for _ in 0..iters {
                            data::send_theirs(&theirs, &theirs_record).await;
                        }
                    })
                }),
            ),
        ],
    );

    let addr = data::start_loopback_server();
    let url = format!("http://{addr}");
    let ours = data::ours_client(&url, None);
    let theirs = data::theirs_client(&url, None);
    for concurrency in [1u64, 32] {
        compare(
            "send(), loopback hyper server",
            &format!("concurrency {concurrency}"),
            concurrency,
            vec![
                (
                    "smithy-lite",
                    Box::new(|iters| {
                        rt.block_on(async {
                            let mut tasks = tokio::task::JoinSet::new();
                            for _ in 0..concurrency {
                                let (c, r) = (ours.clone(), ours_record.clone());
                                tasks.spawn(async move {
                                    for _ in 0..iters {
                                        data::send_ours(&c, &r).await;
                                    }
                                });
                            }
                            while let Some(done) = tasks.join_next().await {
                                done.unwrap();
                            }
                        })
                    }),
                ),
                (
                    "aws-sdk-xray",
                    Box::new(|iters| {
                        rt.block_on(async {
                            let mut tasks = tokio::task::JoinSet::new();
                            for _ in 0..concurrency {
                                let (c, r) = (theirs.clone(), theirs_record.clone());
                                tasks.spawn(async move {
                                    for _ in 0..iters {
                                        data::send_theirs(&c, &r).await;
                                    }
                                });
                            }
                            while let Some(done) = tasks.join_next().await {
                                done.unwrap();
                            }
                        })
                    }),
                ),
            ],
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // and expects a quick run.
    if !std::env::args().any(|a| a == "--bench") {
        println!("interleaved: run with `cargo bench --bench interleaved`");
        return;
    }
    println!("| comparison | input | smithy-lite, median | aws-sdk-xray, median | aws-sdk-xray / smithy-lite, median (p10-p90) | floor, median |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    serialize();
    parse();
    send();
}
