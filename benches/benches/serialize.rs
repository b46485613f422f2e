//! 1a and 1d: PutTelemetryRecords request construction, serialization
//! included, for 1, 10, 100 and 1,000 records.
//!
//! Every iteration starts from the same plain records (made from the seed)
//! and measures:
//! - `smithy-lite`: build the input with the generated builders, then
//!   `PutTelemetryRecords::serialize_request(&input)`: an
//!   `http::Request<Bytes>` with method, path, `Content-Type`,
//!   `Content-Length` and the JSON body.
//! - `aws-sdk-xray`: build the input with aws-sdk-xray's builders, then its
//!   own request serializer, the `SharedRequestSerializer` that the
//!   operation's public `RuntimePlugin::config()` registers (the exact code
//!   `send()` runs to serialize): type-erases the input and returns an
//!   `HttpRequest` with method, path, `Content-Type`, `Content-Length` and
//!   the JSON body.
//! - `serde_json-floor`: build a plain `#[derive(Serialize)]` struct with the
//!   wire names from the same records and `serde_json::to_vec` it: the body
//!   alone, no request.
//!
//! - `smithy-lite-prebuilt-input` and `serde_json-floor-prebuilt-input`:
//!   the same serialization with the input built once, outside the loop, to
//!   show how the time splits between building and serializing.
//!
//! Before measuring, the three bodies are checked to be the same JSON.

use aws_smithy_runtime_api::client::interceptors::context::Input;
use aws_smithy_runtime_api::client::ser_de::SerializeRequest as _;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use smithy_lite_benches as data;
use std::hint::black_box;
use xray::operation::put_telemetry_records::PutTelemetryRecords;
use xray::Operation as _;

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("JSON body")
}

fn serialize(c: &mut Criterion) {
    let (serializer, mut bag) = data::theirs_serializer();
    let mut group = c.benchmark_group("put_telemetry_records_serialize");
    for n in [1usize, 10, 100, 1000] {
        let records = data::telemetry_records(n);

        // Same input, same body on all three sides.
        let ours = PutTelemetryRecords::serialize_request(&data::ours_input(&records)).unwrap();
        let theirs = serializer
            .serialize_input(Input::erase(data::theirs_input(&records)), &mut bag)
            .unwrap();
        let floor = data::floor_body(&records);
        assert_eq!(
            json(ours.body()),
            json(&floor),
            "ours differs from the floor"
        );
        assert_eq!(
            json(theirs.body().bytes().expect("in-memory body")),
            json(&floor),
            "aws-sdk-xray differs from the floor"
        );
        assert_eq!(ours.uri().path(), theirs.uri());

        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("smithy-lite", n), &records, |b, r| {
            b.iter(|| {
                PutTelemetryRecords::serialize_request(&data::ours_input(black_box(r))).unwrap()
            })
        });
        group.bench_with_input(BenchmarkId::new("aws-sdk-xray", n), &records, |b, r| {
            b.iter(|| {
                serializer
                    .serialize_input(Input::erase(data::theirs_input(black_box(r))), &mut bag)
                    .unwrap()
            })
        });
        group.bench_with_input(BenchmarkId::new("serde_json-floor", n), &records, |b, r| {
            b.iter(|| data::floor_body(black_box(r)))
        });
        // Where the time goes: the same serializers with the input built
        // once, outside the loop (aws-sdk-xray's serializer takes its input
        // by value, so it has no such variant).
        let ours_input = data::ours_input(&records);
        group.bench_with_input(
            BenchmarkId::new("smithy-lite-prebuilt-input", n),
            &ours_input,
            |b, input| b.iter(|| PutTelemetryRecords::serialize_request(black_box(input)).unwrap()),
        );
        let plain = data::plain_input(&records);
        group.bench_with_input(
            BenchmarkId::new("serde_json-floor-prebuilt-input", n),
            &plain,
            |b, input| b.iter(|| serde_json::to_vec(black_box(input)).unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, serialize);
criterion_main!(benches);
