//! 1b: parsing a GetTraceSummaries response and a BatchGetTraces response of
//! just over 1 MiB each (JSON generated from the seed; see `src/lib.rs`).
//!
//! Each iteration parses the same in-memory response (status 200,
//! `Content-Type: application/json`, the body as `Bytes`, built once):
//! - `smithy-lite`: `<Op>::parse_response(&http::Response<Bytes>)`, status
//!   check and body to the typed output.
//! - `aws-sdk-xray`: the operation's own response deserializer, the
//!   `SharedResponseDeserializer` that the public `RuntimePlugin::config()`
//!   registers (the exact code `send()` runs once the body is read):
//!   `deserialize_nonstreaming_with_config(&HttpResponse, &ConfigBag)`, then
//!   the downcast of the type-erased output to the operation's output.
//! - `serde_json-derive-floor`: `serde_json::from_slice` into plain
//!   `#[derive(Deserialize)]` structs with the wire names covering every
//!   member the body uses (`smithy_lite_benches::parse_floor`): what a typed
//!   parse costs with nothing else.
//! - `serde_json-value`: `serde_json::from_slice::<serde_json::Value>`, an
//!   untyped parse of the same bytes; a reference point, not a target.
//!
//! Before measuring, both clients' outputs are checked to hold the same
//! number of items and the same ids.

use aws_smithy_runtime_api::client::ser_de::DeserializeResponse as _;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use data::TheirsResponse;
use smithy_lite_benches as data;
use std::hint::black_box;
use xray::Operation as _;

fn get_trace_summaries(c: &mut Criterion) {
    use aws_sdk_xray::operation::get_trace_summaries as theirs_op;
    use xray::operation::get_trace_summaries::GetTraceSummaries;

    let (body, count) = data::trace_summaries_body();
    let (ours_response, theirs_response) = data::responses(&body);
    let bag = data::theirs_bag(theirs_op::GetTraceSummaries::new());
    let de = data::theirs_deserializer(&bag);
    let parse_theirs = |r: &TheirsResponse| {
        de.deserialize_nonstreaming_with_config(r, &bag)
            .expect("parsed")
            .downcast::<theirs_op::GetTraceSummariesOutput>()
            .expect("output type")
    };

    let ours = GetTraceSummaries::parse_response(&ours_response).unwrap();
    let theirs = parse_theirs(&theirs_response);
    assert_eq!(ours.trace_summaries().len(), count);
    assert_eq!(theirs.trace_summaries().len(), count);
    for (a, b) in ours.trace_summaries().iter().zip(theirs.trace_summaries()) {
        assert_eq!(a.id(), b.id());
        assert_eq!(a.service_ids().len(), b.service_ids().len());
    }
    println!(
        "GetTraceSummaries body: {} bytes, {count} trace summaries",
        body.len()
    );

    let mut group = c.benchmark_group("get_trace_summaries_parse_1mib");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("smithy-lite", |b| {
        b.iter(|| GetTraceSummaries::parse_response(black_box(&ours_response)).unwrap())
    });
    group.bench_function("aws-sdk-xray", |b| {
        b.iter(|| parse_theirs(black_box(&theirs_response)))
    });
    let floor: data::parse_floor::TraceSummaries = serde_json::from_slice(&body).unwrap();
    assert_eq!(floor.trace_summaries.as_ref().map(Vec::len), Some(count));
    group.bench_function("serde_json-derive-floor", |b| {
        b.iter(|| {
            serde_json::from_slice::<data::parse_floor::TraceSummaries>(black_box(&body)).unwrap()
        })
    });
    group.bench_function("serde_json-value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap())
    });
    group.finish();
}

fn batch_get_traces(c: &mut Criterion) {
    use aws_sdk_xray::operation::batch_get_traces as theirs_op;
    use xray::operation::batch_get_traces::BatchGetTraces;

    let (body, count) = data::batch_get_traces_body();
    let (ours_response, theirs_response) = data::responses(&body);
    let bag = data::theirs_bag(theirs_op::BatchGetTraces::new());
    let de = data::theirs_deserializer(&bag);
    let parse_theirs = |r: &TheirsResponse| {
        de.deserialize_nonstreaming_with_config(r, &bag)
            .expect("parsed")
            .downcast::<theirs_op::BatchGetTracesOutput>()
            .expect("output type")
    };

    let ours = BatchGetTraces::parse_response(&ours_response).unwrap();
    let theirs = parse_theirs(&theirs_response);
    assert_eq!(ours.traces().len(), count);
    assert_eq!(theirs.traces().len(), count);
    let mut segments = 0;
    for (a, b) in ours.traces().iter().zip(theirs.traces()) {
        assert_eq!(a.id(), b.id());
        assert_eq!(a.segments().len(), b.segments().len());
        for (x, y) in a.segments().iter().zip(b.segments()) {
            assert_eq!(x.document(), y.document());
            segments += 1;
        }
    }
    println!(
        "BatchGetTraces body: {} bytes, {count} traces, {segments} segments",
        body.len()
    );

    let mut group = c.benchmark_group("batch_get_traces_parse_1mib");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("smithy-lite", |b| {
        b.iter(|| BatchGetTraces::parse_response(black_box(&ours_response)).unwrap())
    });
    group.bench_function("aws-sdk-xray", |b| {
        b.iter(|| parse_theirs(black_box(&theirs_response)))
    });
    let floor: data::parse_floor::Traces = serde_json::from_slice(&body).unwrap();
    assert_eq!(floor.traces.as_ref().map(Vec::len), Some(count));
    group.bench_function("serde_json-derive-floor", |b| {
        b.iter(|| serde_json::from_slice::<data::parse_floor::Traces>(black_box(&body)).unwrap())
    });
    group.bench_function("serde_json-value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, get_trace_summaries, batch_get_traces);
criterion_main!(benches);
