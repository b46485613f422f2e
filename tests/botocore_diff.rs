//! Differential test: our restJson1 requests and responses against botocore's,
//! for every X-Ray operation.
//!
//! For each operation, proptest strategies built from the model's input shape
//! make wire-form inputs (member names as keys, timestamps as epoch seconds).
//! `xray::dry_run::render_request` serializes each one; botocore validates and
//! serializes the same parameters (tests/python/botocore_serialize.py, one
//! Python process for the whole run, nothing sent anywhere). Method, path,
//! query (as a multiset), content-type and body must agree, and both sides
//! must reject the same inputs. Responses: output bodies made the same way go
//! through `xray::dry_run::reserialize_output`; botocore parses the original
//! body and ours, and the parsed data must agree.
//!
//! Run: `SMITHY_LITE_PYTHON=/path/to/venv/bin/python cargo test -p
//! smithy-lite-tests --test botocore_diff` (the venv from
//! tests/python/requirements.txt). Without `SMITHY_LITE_PYTHON` the test says
//! it skipped and passes, except under `CI`, where it fails. Cases per
//! operation: `SMITHY_LITE_DIFF_CASES` (default 200, never fewer). The seed
//! is `PROPTEST_RNG_SEED` when set, fixed under `CI`, random otherwise; it is
//! printed, and each operation derives its own from it and its name.
//! Every mismatch is written to `botocore_diff-report.txt` under Cargo's
//! target tmpdir (the path is printed); the failure message shows the first
//! `SMITHY_LITE_DIFF_SHOWN` (default 200) in full and counts the rest.
//!
//! Differences allowed, each one because both forms mean the same thing to an
//! X-Ray endpoint, and nothing else:
//!
//! 1. Numbers compare by value: `1`, `1.0` and `1e0` are equal. JSON does not
//!    distinguish them and Python's `json.dumps` and serde_json spell floats
//!    differently. Object key order is ignored (JSON objects are unordered).
//! 2. Timestamps compare to the microsecond: botocore turns epoch seconds into
//!    a `datetime`, which keeps microseconds, and serializes them back; we
//!    round epoch seconds read from JSON to microseconds (ARCHITECTURE.md).
//!    The generated ones have millisecond precision, so in practice this is
//!    exact equality of the instant.
//! 3. Members with a non-null `@default` (e.g. `SamplingStatisticsDocument
//!    .BorrowCount`, default 0): one side may send the default value where the
//!    other leaves the member out. Smithy 2.0 defines an absent member with a
//!    `@default` as having that value, and our non-`Option` fields always
//!    serialize it, while botocore (whose model has no defaults) sends only
//!    what it was given. Only the modeled default value is allowed, only for
//!    such members.
//! 4. `@required` members that also have a `@default` (`SamplingRule
//!    .FixedRate`, `SamplingStatisticsDocument.RequestCount`, ...): when one is
//!    missing, botocore's validator rejects the input, while we may fill in
//!    the default (Smithy: the default is used when the value is not given).
//!    Either is accepted from us: rejecting (naming a missing member), or
//!    sending exactly what botocore sends for the same input with the defaults
//!    filled in (checked by serializing that input with botocore too).
//!    A missing `@required` member without a default must be rejected by both.
//! 5. Responses: where the original body lacks a `@required` member, our
//!    re-serialization may carry it with its zero value (`0`, `false`, `""`,
//!    `[]`, `{}`, epoch 0, or a structure of such values): that is Smithy's
//!    client error correction (ARCHITECTURE.md), which reads a response
//!    missing a required member instead of failing.
//! 6. Headers: only `content-type` is compared. X-Ray binds no member to a
//!    header, query string or label (every input member is in the body), and
//!    neither side adds signing headers here; the query multiset and the path
//!    are still compared in full.
//! 7. `@pattern` is not honored by the generator (InsightId, PolicyName):
//!    neither botocore nor a Smithy client validates patterns, so those
//!    strings are random; `@length` and `@range` are honored, because
//!    botocore validates their minimums and would reject otherwise.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread::JoinHandle;
use std::time::Instant;

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::{json, Map, Value};
use smithy_lite_codegen::model::traits::{EnumValue, Traits};
use smithy_lite_codegen::model::{load_files, Member, Model, Shape, ShapeKind};

/// Seed used under `CI` when `PROPTEST_RNG_SEED` is not set.
const CI_SEED: u64 = 20_261_128;
const MIN_CASES: usize = 200;
/// Deeper than any X-Ray input or output (12): a guard for other models.
const MAX_DEPTH: usize = 16;
const P_OPTIONAL: f64 = 0.6;
const P_REQUIRED: f64 = 0.95;
/// 2000-01-01T00:00:00Z and 2030-01-01T00:00:00Z in milliseconds.
const TS_MIN_MS: i64 = 946_684_800_000;
const TS_MAX_MS: i64 = 1_893_456_000_000;

// ---------------------------------------------------------------- model

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_model() -> Model {
    let path = manifest_dir().join("../models/xray.json");
    load_files(&[&path]).unwrap_or_else(|e| panic!("cannot load {}: {e:?}", path.display()))
}

fn service(model: &Model) -> &Shape {
    let services: Vec<&Shape> = model.services().collect();
    assert_eq!(services.len(), 1, "expected one service in the X-Ray model");
    services[0]
}

/// The `@length` or `@range` bounds of a member, else of its target.
fn bounds(trait_id: &str, member: Option<&Traits>, target: &Shape) -> (Option<f64>, Option<f64>) {
    let raw = member
        .and_then(|t| t.raw.get(trait_id))
        .or_else(|| target.traits.raw.get(trait_id));
    match raw {
        Some(v) => (
            v.get("min").and_then(Value::as_f64),
            v.get("max").and_then(Value::as_f64),
        ),
        None => (None, None),
    }
}

/// The key a member has on the JSON wire.
fn wire_name(member: &Member) -> &str {
    member.traits.json_name.as_deref().unwrap_or(&member.name)
}

/// The modeled default of a member, when it has a non-null one.
fn member_default(member: &Member) -> Option<&Value> {
    member.traits.default.as_ref().filter(|d| !d.is_null())
}

fn enum_values(shape: &Shape) -> Vec<Value> {
    let mut out: Vec<Value> = shape
        .members
        .iter()
        .filter_map(|m| match &m.traits.enum_value {
            Some(EnumValue::String(s)) => Some(json!(s)),
            Some(EnumValue::Int(i)) => Some(json!(i)),
            None if shape.kind == ShapeKind::Enum => Some(json!(m.name)),
            None => None,
        })
        .collect();
    if out.is_empty() {
        if let Some(defs) = &shape.traits.enum_definitions {
            out = defs.iter().map(|d| json!(d.value)).collect();
        }
    }
    out
}

// ------------------------------------------------------------ generation

/// Which names a generated object uses for its members.
#[derive(Clone, Copy, PartialEq)]
enum Names {
    /// Member names: operation inputs (`render_request` and botocore params).
    Member,
    /// `@jsonName` or the member name: response bodies on the wire.
    Wire,
}

struct Gen<'m> {
    model: &'m Model,
    names: Names,
}

const UNICODE: &[char] = &[
    'é',
    'ß',
    'Ω',
    'ж',
    '日',
    '本',
    '語',
    '😀',
    '🦀',
    '\u{2028}',
    '\u{0}',
    '\u{1f}',
    '\u{7f}',
    '"',
    '\\',
    '/',
    '\n',
    '\t',
    '\r',
    '\u{ffff}',
    '\u{10ffff}',
    '\u{fe0f}',
];

fn string_strategy(min: usize, max: Option<usize>) -> BoxedStrategy<String> {
    let hi = max.unwrap_or(usize::MAX).min(min + 16).max(min);
    let ascii = proptest::collection::vec(proptest::char::range(' ', '~'), min..=hi)
        .prop_map(|cs| cs.into_iter().collect::<String>());
    let mixed = proptest::collection::vec(
        prop_oneof![
            2 => proptest::char::range(' ', '~'),
            3 => proptest::sample::select(UNICODE),
            1 => any::<char>(),
        ],
        min..=hi,
    )
    .prop_map(|cs| cs.into_iter().collect::<String>());
    if min == 0 {
        prop_oneof![4 => ascii, 3 => mixed, 1 => Just(String::new())].boxed()
    } else {
        prop_oneof![4 => ascii, 3 => mixed].boxed()
    }
}

fn int_strategy(lo: i64, hi: i64) -> BoxedStrategy<Value> {
    let small_lo = lo.max(-10);
    let small_hi = hi.min(1000).max(small_lo);
    prop_oneof![
        4 => (lo..=hi).prop_map(Value::from),
        3 => (small_lo..=small_hi).prop_map(Value::from),
        1 => Just(Value::from(lo)),
        1 => Just(Value::from(hi)),
    ]
    .boxed()
}

fn float_strategy(lo: Option<f64>, hi: Option<f64>, single: bool) -> BoxedStrategy<Value> {
    let to_value = move |x: f64| {
        let x = if single { f64::from(x as f32) } else { x };
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    };
    match (lo, hi) {
        (None, None) => {
            use proptest::num::f64 as f;
            prop_oneof![
                3 => f::POSITIVE | f::NEGATIVE | f::NORMAL | f::SUBNORMAL | f::ZERO,
                3 => (-100_000i64..100_000).prop_map(|n| n as f64 / 100.0),
                1 => (-1000i64..1000).prop_map(|n| n as f64),
            ]
            .prop_map(to_value)
            .boxed()
        }
        (lo, hi) => {
            let lo = lo.unwrap_or(-1e9);
            let hi = hi.unwrap_or(1e9).max(lo);
            prop_oneof![
                4 => lo..=hi,
                2 => (0u32..=100).prop_map(move |n| lo + (hi - lo) * f64::from(n) / 100.0),
                1 => Just(lo),
                1 => Just(hi),
            ]
            .prop_map(to_value)
            .boxed()
        }
    }
}

fn timestamp_strategy() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (TS_MIN_MS..TS_MAX_MS).prop_map(|ms| json!(ms as f64 / 1000.0)),
        1 => (TS_MIN_MS / 1000..TS_MAX_MS / 1000).prop_map(|s| json!(s as f64)),
    ]
    .boxed()
}

impl Gen<'_> {
    fn value(&self, id: &str, member: Option<&Traits>, depth: usize) -> BoxedStrategy<Value> {
        let shape = self
            .model
            .shape(id)
            .unwrap_or_else(|| panic!("no shape {id}"));
        match shape.kind {
            ShapeKind::String => {
                let values = enum_values(shape);
                if !values.is_empty() {
                    return proptest::sample::select(values).boxed();
                }
                let (lo, hi) = bounds("smithy.api#length", member, shape);
                let lo = lo.unwrap_or(0.0) as usize;
                string_strategy(lo, hi.map(|h| h as usize))
                    .prop_map(Value::String)
                    .boxed()
            }
            ShapeKind::Enum | ShapeKind::IntEnum => {
                proptest::sample::select(enum_values(shape)).boxed()
            }
            ShapeKind::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
                let (full_lo, full_hi) = match shape.kind {
                    ShapeKind::Byte => (i64::from(i8::MIN), i64::from(i8::MAX)),
                    ShapeKind::Short => (i64::from(i16::MIN), i64::from(i16::MAX)),
                    ShapeKind::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
                    _ => (i64::MIN, i64::MAX),
                };
                let (lo, hi) = bounds("smithy.api#range", member, shape);
                let lo = lo.map_or(full_lo, |v| (v.ceil() as i64).max(full_lo));
                let hi = hi.map_or(full_hi, |v| (v.floor() as i64).min(full_hi));
                int_strategy(lo, hi)
            }
            ShapeKind::Float | ShapeKind::Double => {
                let (lo, hi) = bounds("smithy.api#range", member, shape);
                float_strategy(lo, hi, shape.kind == ShapeKind::Float)
            }
            ShapeKind::Timestamp => timestamp_strategy(),
            ShapeKind::List | ShapeKind::Set => {
                let item = &shape.members[0];
                let (lo, hi) = bounds("smithy.api#length", member, shape);
                let lo = lo.unwrap_or(0.0) as usize;
                let hi = if depth >= MAX_DEPTH {
                    lo
                } else {
                    hi.map_or(usize::MAX, |h| h as usize).min(lo.max(3))
                };
                let items = self.value(&item.target, Some(&item.traits), depth + 1);
                proptest::collection::vec(items, lo..=hi)
                    .prop_map(Value::Array)
                    .boxed()
            }
            ShapeKind::Map => {
                let key = &shape.members[0];
                let val = &shape.members[1];
                let (lo, hi) = bounds("smithy.api#length", member, shape);
                let lo = lo.unwrap_or(0.0) as usize;
                let hi = if depth >= MAX_DEPTH {
                    lo
                } else {
                    hi.map_or(usize::MAX, |h| h as usize).min(lo.max(3))
                };
                let keys = self.value(&key.target, Some(&key.traits), depth + 1);
                let vals = self.value(&val.target, Some(&val.traits), depth + 1);
                proptest::collection::vec((keys, vals), lo..=hi)
                    .prop_map(|entries| {
                        let mut map = Map::new();
                        for (k, v) in entries {
                            let k = k.as_str().map(str::to_owned).unwrap_or(k.to_string());
                            map.insert(k, v);
                        }
                        Value::Object(map)
                    })
                    .boxed()
            }
            ShapeKind::Structure => {
                let members: Vec<BoxedStrategy<Option<(String, Value)>>> = shape
                    .members
                    .iter()
                    .map(|m| {
                        let name = self.key(m);
                        let required = m.traits.required;
                        if depth >= MAX_DEPTH && !required {
                            return Just(None).boxed();
                        }
                        let p = if required { P_REQUIRED } else { P_OPTIONAL };
                        let inner = self.value(&m.target, Some(&m.traits), depth + 1);
                        proptest::option::weighted(p, inner.prop_map(move |v| (name.clone(), v)))
                            .boxed()
                    })
                    .collect();
                members
                    .prop_map(|entries| Value::Object(entries.into_iter().flatten().collect()))
                    .boxed()
            }
            ShapeKind::Union => {
                let variants: Vec<BoxedStrategy<Value>> = shape
                    .members
                    .iter()
                    .map(|m| {
                        let name = self.key(m);
                        self.value(&m.target, Some(&m.traits), depth + 1)
                            .prop_map(move |v| json!({ name.clone(): v }))
                            .boxed()
                    })
                    .collect();
                Union::new(variants).boxed()
            }
            kind => panic!(
                "{id}: the generator has no strategy for {} shapes; X-Ray has none",
                kind.ast_name()
            ),
        }
    }

    fn key(&self, m: &Member) -> String {
        match self.names {
            Names::Member => m.name.clone(),
            Names::Wire => wire_name(m).to_owned(),
        }
    }
}

// ------------------------------------------------ required members, defaults

/// Missing `@required` members, as paths, split into those without a
/// `@default` (the input must be rejected) and those with one.
#[derive(Default)]
struct Missing {
    hard: Vec<String>,
    defaulted: Vec<String>,
}

fn find_missing(model: &Model, shape: &Shape, v: &Value, path: &str, out: &mut Missing) {
    match (shape.kind, v) {
        (ShapeKind::Structure | ShapeKind::Union, Value::Object(o)) => {
            for m in &shape.members {
                let p = format!("{path}.{}", m.name);
                match o.get(&m.name) {
                    Some(x) => find_missing(model, model.target(m), x, &p, out),
                    None if m.traits.required && member_default(m).is_some() => {
                        out.defaulted.push(p)
                    }
                    None if m.traits.required => out.hard.push(p),
                    None => {}
                }
            }
        }
        (ShapeKind::List | ShapeKind::Set, Value::Array(items)) => {
            let t = model.target(&shape.members[0]);
            for (i, x) in items.iter().enumerate() {
                find_missing(model, t, x, &format!("{path}[{i}]"), out);
            }
        }
        (ShapeKind::Map, Value::Object(o)) => {
            let t = model.target(&shape.members[1]);
            for (k, x) in o {
                find_missing(model, t, x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// The input with every missing `@required` member that has a `@default`
/// set to that default.
fn fill_defaults(model: &Model, shape: &Shape, v: &mut Value) {
    match (shape.kind, v) {
        (ShapeKind::Structure | ShapeKind::Union, Value::Object(o)) => {
            for m in &shape.members {
                match o.get_mut(&m.name) {
                    Some(x) => fill_defaults(model, model.target(m), x),
                    None if m.traits.required => {
                        if let Some(d) = member_default(m) {
                            o.insert(m.name.clone(), d.clone());
                        }
                    }
                    None => {}
                }
            }
        }
        (ShapeKind::List | ShapeKind::Set, Value::Array(items)) => {
            let t = model.target(&shape.members[0]);
            items.iter_mut().for_each(|x| fill_defaults(model, t, x));
        }
        (ShapeKind::Map, Value::Object(o)) => {
            let t = model.target(&shape.members[1]);
            o.values_mut().for_each(|x| fill_defaults(model, t, x));
        }
        _ => {}
    }
}

// ------------------------------------------------------------- comparison

fn num_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        _ => false,
    }
}

fn micros(v: &Value) -> Option<i64> {
    v.as_f64().map(|s| (s * 1e6).round() as i64)
}

/// A value equal to the member's `@default` (allowed difference 3).
fn is_default(member: &Member, v: &Value) -> bool {
    member_default(member).is_some_and(|d| d == v || num_eq(d, v))
}

/// Smithy's error-correction zero value of a shape (allowed difference 5).
fn is_zero(model: &Model, shape: &Shape, v: &Value) -> bool {
    match (shape.kind, v) {
        (ShapeKind::Boolean, Value::Bool(b)) => !b,
        (_, Value::Number(_)) => num_eq(v, &json!(0)),
        (
            ShapeKind::String | ShapeKind::Enum | ShapeKind::Blob | ShapeKind::BigDecimal,
            Value::String(s),
        ) => s.is_empty(),
        (ShapeKind::List | ShapeKind::Set, Value::Array(a)) => a.is_empty(),
        (ShapeKind::Map | ShapeKind::Union, Value::Object(o)) => o.is_empty(),
        (ShapeKind::Structure, Value::Object(o)) => o.iter().all(|(k, x)| {
            shape
                .members
                .iter()
                .find(|m| m.name == *k || wire_name(m) == k)
                .is_some_and(|m| is_default(m, x) || is_zero(model, model.target(m), x))
        }),
        (ShapeKind::Document, Value::Null) => true,
        _ => false,
    }
}

struct Cmp<'m> {
    model: &'m Model,
    names: Names,
    /// Labels of the two sides, for messages.
    a: &'static str,
    b: &'static str,
    /// Responses: `b` may add required members with zero values.
    error_correction: bool,
}

impl Cmp<'_> {
    fn value(&self, shape: &Shape, a: &Value, b: &Value, path: &str, diffs: &mut Vec<String>) {
        let differ = |diffs: &mut Vec<String>| {
            diffs.push(format!(
                "{path}: {} {}, {} {}",
                self.a,
                short(a),
                self.b,
                short(b)
            ))
        };
        match shape.kind {
            ShapeKind::Structure | ShapeKind::Union => {
                let (Value::Object(x), Value::Object(y)) = (a, b) else {
                    return differ(diffs);
                };
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let p = format!("{path}.{k}");
                    let member = shape.members.iter().find(|m| match self.names {
                        Names::Member => m.name == *k,
                        Names::Wire => wire_name(m) == k,
                    });
                    match (x.get(k), y.get(k), member) {
                        (Some(u), Some(v), Some(m)) => {
                            self.value(self.model.target(m), u, v, &p, diffs)
                        }
                        (Some(u), Some(v), None) if u == v => {}
                        (Some(u), None, Some(m)) if is_default(m, u) => {}
                        (None, Some(v), Some(m)) if is_default(m, v) => {}
                        (None, Some(v), Some(m))
                            if self.error_correction
                                && m.traits.required
                                && is_zero(self.model, self.model.target(m), v) => {}
                        (Some(u), None, _) => {
                            diffs.push(format!("{p}: only {} has it: {}", self.a, short(u)))
                        }
                        (None, Some(v), _) => {
                            diffs.push(format!("{p}: only {} has it: {}", self.b, short(v)))
                        }
                        (Some(u), Some(v), None) => diffs.push(format!(
                            "{p} (not in the model): {} {}, {} {}",
                            self.a,
                            short(u),
                            self.b,
                            short(v)
                        )),
                        (None, None, _) => unreachable!(),
                    }
                }
            }
            ShapeKind::List | ShapeKind::Set => {
                let (Value::Array(x), Value::Array(y)) = (a, b) else {
                    return differ(diffs);
                };
                if x.len() != y.len() {
                    return diffs.push(format!(
                        "{path}: {} has {} items, {} has {}",
                        self.a,
                        x.len(),
                        self.b,
                        y.len()
                    ));
                }
                let t = self.model.target(&shape.members[0]);
                for (i, (u, v)) in x.iter().zip(y).enumerate() {
                    self.value(t, u, v, &format!("{path}[{i}]"), diffs);
                }
            }
            ShapeKind::Map => {
                let (Value::Object(x), Value::Object(y)) = (a, b) else {
                    return differ(diffs);
                };
                let t = self.model.target(&shape.members[1]);
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let p = format!("{path}.{k:?}");
                    match (x.get(k), y.get(k)) {
                        (Some(u), Some(v)) => self.value(t, u, v, &p, diffs),
                        (Some(u), None) => {
                            diffs.push(format!("{p}: only {} has it: {}", self.a, short(u)))
                        }
                        (None, Some(v)) => {
                            diffs.push(format!("{p}: only {} has it: {}", self.b, short(v)))
                        }
                        (None, None) => unreachable!(),
                    }
                }
            }
            ShapeKind::Timestamp => match (micros(a), micros(b)) {
                (Some(x), Some(y)) if x == y => {}
                _ => differ(diffs),
            },
            ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Float
            | ShapeKind::Double
            | ShapeKind::IntEnum
            | ShapeKind::BigInteger => {
                if !num_eq(a, b) {
                    differ(diffs)
                }
            }
            _ => {
                if a != b {
                    differ(diffs)
                }
            }
        }
    }
}

/// A value in a message, cut when long.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(160).collect();
        format!("{cut}...")
    } else {
        s
    }
}

// ------------------------------------------------------------------ python

/// One botocore_serialize.py process for the whole run. Lines are written as
/// they are made while a thread reads the answers, so Python works while
/// Rust generates.
struct Botocore {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    reader: Option<JoinHandle<BTreeMap<u64, Value>>>,
    script: PathBuf,
    next_id: u64,
}

impl Botocore {
    fn start(python: &str) -> Self {
        let script = manifest_dir().join("python/botocore_serialize.py");
        let mut child = Command::new(python)
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run SMITHY_LITE_PYTHON={python}: {e}"));
        let stdin = BufWriter::new(child.stdin.take().expect("stdin"));
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut out = BTreeMap::new();
            for line in BufReader::new(stdout).lines() {
                let line = line.expect("read from python");
                let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| {
                    panic!("python wrote a line that is not JSON ({e}): {line}")
                });
                let id = v["id"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("python answer without an id: {line}"));
                out.insert(id, v);
            }
            out
        });
        Self {
            child,
            stdin: Some(stdin),
            reader: Some(reader),
            script,
            next_id: 0,
        }
    }

    /// Queues one line (its `id` is set here) and returns its id.
    fn send(&mut self, mut line: Value) -> u64 {
        self.next_id += 1;
        line["id"] = json!(self.next_id);
        let w = self.stdin.as_mut().expect("not finished");
        serde_json::to_writer(&mut *w, &line).expect("encode a line");
        w.write_all(b"\n")
            .unwrap_or_else(|e| panic!("{} stopped reading: {e}", self.script.display()));
        self.next_id
    }

    /// Closes the input and waits for every answer, by id.
    fn finish(mut self) -> BTreeMap<u64, Value> {
        let mut stdin = self.stdin.take().expect("finish once");
        stdin.flush().expect("flush to python");
        drop(stdin);
        let out = self
            .reader
            .take()
            .expect("finish once")
            .join()
            .expect("reader thread");
        let status = self.child.wait().expect("wait for python");
        assert!(
            status.success(),
            "{} exited with {status}",
            self.script.display()
        );
        let expected = usize::try_from(self.next_id).expect("line count");
        assert_eq!(
            out.len(),
            expected,
            "python answered {} of {expected} lines",
            out.len()
        );
        out
    }
}

// -------------------------------------------------------------------- test

/// A member name as an error message may spell it: `StartTime`,
/// `start_time` and `startTime` all squash to `starttime`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn base_seed(ci: bool) -> u64 {
    match Config::default().rng_seed {
        RngSeed::Fixed(s) => s,
        RngSeed::Random if ci => CI_SEED,
        RngSeed::Random => {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos() as u64),
            );
            h.finish()
        }
    }
}

fn generate(strategy: &BoxedStrategy<Value>, seed: u64, n: usize) -> Vec<Value> {
    let config = Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    (0..n)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("strategies never reject")
                .current()
        })
        .collect()
}

enum Check<'m> {
    Request {
        op: String,
        shape: Option<&'m Shape>,
        input: Value,
        ours: Result<Value, String>,
        missing: Missing,
        /// Botocore's answers for the input, and for it with defaults filled in.
        id: u64,
        filled_id: Option<u64>,
    },
    Response {
        op: String,
        shape: Option<&'m Shape>,
        body: Value,
        ours: Result<Value, String>,
        id: u64,
        ours_id: Option<u64>,
    },
}

struct Mismatch {
    op: String,
    what: String,
    details: Vec<String>,
    input: Value,
    ours: Value,
    botocore: Value,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "[{}] {}", self.op, self.what)?;
        for d in &self.details {
            writeln!(f, "    {d}")?;
        }
        writeln!(f, "  input:    {}", self.input)?;
        writeln!(f, "  ours:     {}", self.ours)?;
        writeln!(f, "  botocore: {}", self.botocore)
    }
}

fn result_json(r: &Result<Value, String>) -> Value {
    match r {
        Ok(v) => v.clone(),
        Err(e) => json!({ "error": e }),
    }
}

/// The differences between our rendered request and botocore's.
fn compare_request(
    model: &Model,
    input_shape: Option<&Shape>,
    ours: &Value,
    theirs: &Value,
) -> Vec<String> {
    let mut d = Vec::new();
    if ours["method"] != theirs["method"] {
        d.push(format!(
            "method: ours {}, botocore {}",
            ours["method"], theirs["method"]
        ));
    }
    if ours["path"] != theirs["url_path"] {
        d.push(format!(
            "path: ours {}, botocore {}",
            ours["path"], theirs["url_path"]
        ));
    }
    let pairs = |v: &Value| {
        let mut p: Vec<String> = v
            .as_array()
            .map(|a| a.iter().map(Value::to_string).collect())
            .unwrap_or_default();
        p.sort();
        p
    };
    if !ours["query"].is_array() {
        d.push(format!(
            "query: ours {} is not a list of pairs",
            ours["query"]
        ));
    }
    let (q1, q2) = (pairs(&ours["query"]), pairs(&theirs["query_string"]));
    if q1 != q2 {
        d.push(format!("query: ours {q1:?}, botocore {q2:?}"));
    }
    let ct = |v: &Value| v["headers"]["content-type"].clone();
    if ct(ours) != ct(theirs) {
        d.push(format!(
            "content-type: ours {}, botocore {}",
            ct(ours),
            ct(theirs)
        ));
    }
    let (b1, b2) = (&ours["body"], &theirs["body"]);
    match (b1, b2, input_shape) {
        (Value::Null, Value::Null, _) => {}
        (Value::Null, _, _) | (_, Value::Null, _) | (_, _, None) => {
            if b1 != b2 {
                d.push(format!("body: ours {}, botocore {}", short(b1), short(b2)));
            }
        }
        (_, _, Some(shape)) => Cmp {
            model,
            names: Names::Wire,
            a: "ours",
            b: "botocore",
            error_correction: false,
        }
        .value(shape, b1, b2, "body", &mut d),
    }
    d
}

#[test]
fn requests_and_responses_match_botocore() {
    let ci = std::env::var_os("CI").is_some();
    let python = match std::env::var("SMITHY_LITE_PYTHON") {
        Ok(p) if !p.trim().is_empty() => p,
        _ if ci => panic!(
            "SMITHY_LITE_PYTHON is not set: under CI the botocore differential test must run \
             (.ci/run creates target/py-venv from tests/python/requirements.txt and exports it)"
        ),
        _ => {
            println!(
                "botocore_diff: skipped: SMITHY_LITE_PYTHON is not set (point it at a Python \
                 with tests/python/requirements.txt installed to compare with botocore)"
            );
            return;
        }
    };
    let started = Instant::now();
    let model = load_model();
    let service = service(&model);
    let operations = model.operations_of(service);

    let mut ours_ops: Vec<&str> = xray::dry_run::OPERATIONS.to_vec();
    ours_ops.sort_unstable();
    let model_ops: Vec<&str> = operations.iter().map(|o| o.name()).collect();
    assert_eq!(
        ours_ops, model_ops,
        "xray::dry_run::OPERATIONS differs from the model's operations"
    );

    let cases = env_usize("SMITHY_LITE_DIFF_CASES")
        .unwrap_or(MIN_CASES)
        .max(MIN_CASES);
    let seed = base_seed(ci);
    println!(
        "botocore_diff: {} operations, {cases} request and {cases} response cases each, \
         seed {seed} (PROPTEST_RNG_SEED={seed} reproduces)",
        operations.len()
    );

    let inputs = Gen {
        model: &model,
        names: Names::Member,
    };
    let outputs = Gen {
        model: &model,
        names: Names::Wire,
    };
    let mut botocore = Botocore::start(&python);
    let mut checks = Vec::new();
    let t_gen = Instant::now();
    for op in &operations {
        let name = op.name().to_owned();
        let spec = op.operation.clone().unwrap_or_default();
        let op_seed = seed ^ fnv1a(&name);

        // Requests.
        let input_shape = spec.input.as_deref().and_then(|i| model.shape(i));
        let values = match input_shape {
            Some(s) => generate(&inputs.value(&s.id, None, 0), op_seed, cases),
            None => vec![json!({}); cases],
        };
        for input in values {
            let mut missing = Missing::default();
            let mut filled = input.clone();
            if let Some(s) = input_shape {
                find_missing(&model, s, &input, "input", &mut missing);
                fill_defaults(&model, s, &mut filled);
            }
            let ours = xray::dry_run::render_request(&name, &input);
            let rid = botocore.send(json!({"kind": "request", "operation": name, "params": input}));
            let filled_id = (missing.hard.is_empty() && !missing.defaulted.is_empty()).then(|| {
                botocore.send(json!({"kind": "request", "operation": name, "params": filled}))
            });
            checks.push(Check::Request {
                op: name.clone(),
                shape: input_shape,
                input,
                ours,
                missing,
                id: rid,
                filled_id,
            });
        }

        // Responses.
        let output_shape = spec.output.as_deref().and_then(|o| model.shape(o));
        let bodies = match output_shape {
            Some(s) => generate(
                &outputs.value(&s.id, None, 0),
                op_seed.rotate_left(17),
                cases,
            ),
            None => vec![json!({}); cases],
        };
        for body in bodies {
            let ours = xray::dry_run::reserialize_output(&name, &body);
            let rid = botocore.send(json!({"kind": "response", "operation": name, "body": body}));
            let ours_id = ours
                .as_ref()
                .ok()
                .map(|v| botocore.send(json!({"kind": "response", "operation": name, "body": v})));
            checks.push(Check::Response {
                op: name.clone(),
                shape: output_shape,
                body,
                ours,
                id: rid,
                ours_id,
            });
        }
    }
    let gen_time = t_gen.elapsed();

    let t_py = Instant::now();
    let n_lines = botocore.next_id;
    let answers = botocore.finish();
    let py_time = t_py.elapsed();

    let mut mismatches: Vec<Mismatch> = Vec::new();
    // Per operation, cases that passed: requests equal, requests both sides
    // rejected, requests equal once defaults were filled in for botocore
    // (allowed difference 4), responses equal.
    let mut stats: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for check in &checks {
        match check {
            Check::Request {
                op,
                shape: input_shape,
                input,
                ours,
                missing,
                id,
                filled_id,
            } => {
                let theirs = &answers[id];
                let boto_err = theirs.get("error").and_then(Value::as_str);
                let mut fail = |what: String, details: Vec<String>, botocore: &Value| {
                    mismatches.push(Mismatch {
                        op: op.clone(),
                        what,
                        details,
                        input: input.clone(),
                        ours: result_json(ours),
                        botocore: botocore.clone(),
                    })
                };
                let names_missing = |e: &str, paths: &[String]| {
                    let e = squash(e);
                    paths.iter().any(|p| {
                        let leaf = p.rsplit('.').next().unwrap_or(p);
                        e.contains(&squash(leaf))
                    })
                };
                let entry = stats.entry(op.clone()).or_default();
                if !missing.hard.is_empty() {
                    // Must be rejected by both.
                    match (ours, boto_err) {
                        (Err(e), Some(_)) => {
                            if names_missing(e, &missing.hard) {
                                entry[1] += 1;
                            } else {
                                fail(
                                    "our error does not name a missing required member".into(),
                                    vec![format!("missing: {}", missing.hard.join(", "))],
                                    theirs,
                                );
                            }
                        }
                        (Ok(_), Some(_)) => fail(
                            "only botocore rejects (missing required member)".into(),
                            vec![format!("missing: {}", missing.hard.join(", "))],
                            theirs,
                        ),
                        (Err(_), None) => fail(
                            "only ours rejects; botocore accepts an input missing a required \
                             member"
                                .into(),
                            vec![format!("missing: {}", missing.hard.join(", "))],
                            theirs,
                        ),
                        (Ok(_), None) => fail(
                            "both accept an input missing a required member".into(),
                            vec![format!("missing: {}", missing.hard.join(", "))],
                            theirs,
                        ),
                    }
                    continue;
                }
                // Allowed difference 4: compare with botocore on the filled input.
                let (reference, how) = match filled_id {
                    Some(fid) => (
                        &answers[fid],
                        " (defaults of missing required members filled in for botocore)",
                    ),
                    None => (theirs, ""),
                };
                let ref_err = reference.get("error").and_then(Value::as_str);
                match (ours, ref_err) {
                    (Ok(o), None) => {
                        let d = compare_request(&model, *input_shape, o, reference);
                        if d.is_empty() {
                            entry[if filled_id.is_some() { 2 } else { 0 }] += 1;
                        } else {
                            fail(format!("request differs{how}"), d, reference);
                        }
                    }
                    (Err(e), _) if filled_id.is_some() && names_missing(e, &missing.defaulted) => {
                        entry[1] += 1;
                    }
                    (Err(e), Some(b)) => fail(
                        "both reject an input with every required member".into(),
                        vec![format!("ours: {e}"), format!("botocore: {b}")],
                        reference,
                    ),
                    (Err(_), None) => fail(
                        "only ours rejects".into(),
                        if missing.defaulted.is_empty() {
                            vec![]
                        } else {
                            vec![format!(
                                "missing (with defaults): {}",
                                missing.defaulted.join(", ")
                            )]
                        },
                        reference,
                    ),
                    (Ok(_), Some(b)) => fail(
                        format!("only botocore rejects{how}"),
                        vec![format!("botocore: {b}")],
                        reference,
                    ),
                }
            }
            Check::Response {
                op,
                shape: output_shape,
                body,
                ours,
                id,
                ours_id,
            } => {
                let original = &answers[id];
                let mut fail = |what: String, details: Vec<String>, botocore: Value| {
                    mismatches.push(Mismatch {
                        op: op.clone(),
                        what,
                        details,
                        input: body.clone(),
                        ours: result_json(ours),
                        botocore,
                    })
                };
                let (Ok(_), Some(oid)) = (ours, ours_id) else {
                    fail(
                        "response: reserialize_output rejects a body botocore parses".into(),
                        vec![],
                        original.clone(),
                    );
                    continue;
                };
                let reparsed = &answers[oid];
                if original.get("error").is_some() || reparsed.get("error").is_some() {
                    fail(
                        "response: botocore cannot parse a body".into(),
                        vec![
                            format!("original: {}", original["error"]),
                            format!("ours: {}", reparsed["error"]),
                        ],
                        json!({"original": original, "ours": reparsed}),
                    );
                    continue;
                }
                let mut d = Vec::new();
                match output_shape {
                    Some(s) => Cmp {
                        model: &model,
                        names: Names::Member,
                        a: "original",
                        b: "ours",
                        error_correction: true,
                    }
                    .value(
                        s,
                        &original["data"],
                        &reparsed["data"],
                        "data",
                        &mut d,
                    ),
                    None if original["data"] != reparsed["data"] => d.push("data differs".into()),
                    None => {}
                }
                if d.is_empty() {
                    stats.entry(op.clone()).or_default()[3] += 1;
                } else {
                    fail(
                        "response: botocore parses our re-serialization differently".into(),
                        d,
                        json!({"original": original["data"], "ours": reparsed["data"]}),
                    );
                }
            }
        }
    }

    println!(
        "botocore_diff: {} checks, {n_lines} botocore lines; generation and ours {:.2?} \
         (botocore working alongside), botocore's remainder {:.2?}, total {:.2?}",
        checks.len(),
        gen_time,
        py_time,
        started.elapsed()
    );
    println!(
        "botocore_diff: cases that agree, per operation: requests equal / both rejected / \
         equal with defaults filled; responses equal"
    );
    let mut totals = [0usize; 4];
    for (op, counts) in &stats {
        let [eq, rej, filled, resp] = counts;
        println!("    {op:<32} {eq:>4} / {rej:>4} / {filled:>4}; {resp:>4}");
        totals.iter_mut().zip(counts).for_each(|(t, c)| *t += c);
    }
    let [eq, rej, filled, resp] = totals;
    println!(
        "    {:<32} {eq:>4} / {rej:>4} / {filled:>4}; {resp:>4}",
        "total"
    );
    if mismatches.is_empty() {
        return;
    }

    let mut by_op: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &mismatches {
        *by_op.entry(&m.op).or_default() += 1;
    }
    let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join("botocore_diff-report.txt");
    let full: String = mismatches.iter().map(|m| format!("{m}\n")).collect();
    let written = std::fs::write(&report, &full).is_ok();
    let shown = env_usize("SMITHY_LITE_DIFF_SHOWN").unwrap_or(200);
    let mut msg = String::new();
    for m in mismatches.iter().take(shown) {
        msg.push_str(&format!("{m}\n"));
    }
    if mismatches.len() > shown {
        msg.push_str(&format!(
            "... and {} more (SMITHY_LITE_DIFF_SHOWN raises the limit)\n",
            mismatches.len() - shown
        ));
    }
    msg.push_str("mismatches per operation:\n");
    for (op, n) in &by_op {
        msg.push_str(&format!("    {op:<32} {n}\n"));
    }
    if written {
        msg.push_str(&format!("every mismatch: {}\n", report.display()));
    }
    panic!(
        "{} mismatches with botocore (seed {seed}):\n{msg}",
        mismatches.len()
    );
}

/// The comparison itself, without Python: it must see every kind of
/// difference and allow only the documented ones.
#[test]
fn comparison_allows_only_documented_differences() {
    let model = load_model();
    let shape = |name: &str| {
        model
            .shape(&format!("com.amazonaws.xray#{name}"))
            .unwrap_or_else(|| panic!("no shape {name}"))
    };
    let cmp = |error_correction: bool, s: &Shape, a: Value, b: Value| {
        let mut d = Vec::new();
        Cmp {
            model: &model,
            names: Names::Wire,
            a: "a",
            b: "b",
            error_correction,
        }
        .value(s, &a, &b, "body", &mut d);
        d
    };
    let doc = shape("SamplingStatisticsDocument");
    let base = json!({"RuleName": "r", "ClientID": "c", "Timestamp": 1700000000.123,
                      "RequestCount": 1, "SampledCount": 2});
    let with = |k: &str, v: Value| {
        let mut x = base.clone();
        x[k] = v;
        x
    };
    let without = |k: &str| {
        let mut x = base.clone();
        x.as_object_mut().unwrap().remove(k);
        x
    };
    // Equal, numbers by value, instants to the microsecond.
    assert!(cmp(false, doc, base.clone(), base.clone()).is_empty());
    assert!(cmp(false, doc, base.clone(), with("RequestCount", json!(1.0))).is_empty());
    assert!(cmp(
        false,
        doc,
        base.clone(),
        with("Timestamp", json!(1700000000.1230001))
    )
    .is_empty());
    // Different instants, numbers, strings, types.
    assert_eq!(
        cmp(
            false,
            doc,
            base.clone(),
            with("Timestamp", json!(1700000000.124))
        )
        .len(),
        1
    );
    assert_eq!(
        cmp(
            false,
            doc,
            base.clone(),
            with("Timestamp", json!(1700000000.123001))
        )
        .len(),
        1
    );
    assert_eq!(
        cmp(false, doc, base.clone(), with("RequestCount", json!(2))).len(),
        1
    );
    assert_eq!(
        cmp(false, doc, base.clone(), with("RuleName", json!("R"))).len(),
        1
    );
    assert_eq!(
        cmp(false, doc, base.clone(), with("RequestCount", json!("1"))).len(),
        1
    );
    // A member on one side only.
    assert_eq!(cmp(false, doc, base.clone(), without("ClientID")).len(), 1);
    assert_eq!(cmp(false, doc, without("ClientID"), base.clone()).len(), 1);
    assert_eq!(
        cmp(false, doc, base.clone(), with("Unknown", json!(1))).len(),
        1
    );
    // Allowed difference 3: a default value (BorrowCount: 0) on one side only.
    assert!(cmp(false, doc, base.clone(), with("BorrowCount", json!(0))).is_empty());
    assert!(cmp(false, doc, with("BorrowCount", json!(0)), base.clone()).is_empty());
    assert_eq!(
        cmp(false, doc, base.clone(), with("BorrowCount", json!(1))).len(),
        1
    );
    // Allowed difference 5, responses only: a required member absent from the
    // original may come back as its zero value.
    assert_eq!(
        cmp(false, doc, without("ClientID"), with("ClientID", json!(""))).len(),
        1
    );
    assert!(cmp(true, doc, without("ClientID"), with("ClientID", json!(""))).is_empty());
    assert!(cmp(true, doc, without("Timestamp"), with("Timestamp", json!(0))).is_empty());
    assert_eq!(
        cmp(true, doc, without("ClientID"), with("ClientID", json!("x"))).len(),
        1
    );
    assert_eq!(
        cmp(true, doc, with("ClientID", json!("x")), without("ClientID")).len(),
        1
    );
    // Lists: length and items; maps: keys and values.
    let req = shape("PutTelemetryRecordsRequest");
    let rec = json!({"Timestamp": 1.5});
    assert_eq!(
        cmp(
            false,
            req,
            json!({"TelemetryRecords": [rec]}),
            json!({"TelemetryRecords": []})
        )
        .len(),
        1
    );
    assert_eq!(
        cmp(
            false,
            req,
            json!({"TelemetryRecords": [rec]}),
            json!({"TelemetryRecords": [{"Timestamp": 2.5}]})
        ),
        vec!["body.TelemetryRecords[0].Timestamp: a 1.5, b 2.5".to_owned()]
    );
    let tags = shape("TagResourceRequest");
    let t = |k: &str, v: &str| json!({"ResourceARN": "a", "Tags": [{"Key": k, "Value": v}]});
    assert!(cmp(false, tags, t("k", "v"), t("k", "v")).is_empty());
    assert_eq!(cmp(false, tags, t("k", "v"), t("k", "w")).len(), 1);

    // Whole requests.
    let ours = json!({"method": "POST", "path": "/TagResource", "query": [["a", "1"], ["b", "2"]],
                      "headers": {"content-type": "application/json"}, "body": t("k", "v")});
    let boto = json!({"method": "POST", "url_path": "/TagResource",
                      "query_string": [["b", "2"], ["a", "1"]],
                      "headers": {"content-type": "application/json", "user-agent": "x"},
                      "body": t("k", "v")});
    assert!(compare_request(&model, Some(tags), &ours, &boto).is_empty());
    for (key, value) in [
        ("method", json!("PUT")),
        ("path", json!("/Tags")),
        ("query", json!([["a", "1"]])),
        (
            "headers",
            json!({"content-type": "application/x-amz-json-1.1"}),
        ),
        ("headers", json!({})),
        ("body", Value::Null),
        ("body", json!({})),
    ] {
        let mut o = ours.clone();
        o[key] = value;
        assert!(
            !compare_request(&model, Some(tags), &o, &boto).is_empty(),
            "{key}: {o}"
        );
    }
    // Error messages may name a member in Rust or model spelling.
    assert_eq!(
        squash("missing required member start_time"),
        "missing required member starttime"
    );
    assert!(squash("missing start_time").contains(&squash("StartTime")));
}
