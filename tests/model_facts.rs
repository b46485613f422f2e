//! Checks that `models/xray.json` states exactly the same facts as the official
//! AWS X-Ray Smithy model, while carrying documentation of our own.
//!
//! The official model is looked up in the shared reference directory
//! (`<manifest>/../../shared`, or the directory named by `SMITHY_LITE_SHARED`).
//! Tests that need it pass with a note on stderr when it is not there.

use std::env;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

const DOC_TRAIT: &str = "smithy.api#documentation";
const OFFICIAL_MODEL: &str = "conformance/aws-models/xray-2016-04-12.json";
const OUR_MODEL: &str = "../models/xray.json";
const SHARED_ENV: &str = "SMITHY_LITE_SHARED";
const NAMESPACE: &str = "com.amazonaws.xray#";

/// Official documentation texts at least this long must not appear in ours.
const MIN_COPIED_LEN: usize = 30;
/// Our documentation texts at least this long must not equal an official one.
const MIN_EQUAL_LEN: usize = 12;
/// Values longer than this are shortened in difference reports.
const MAX_SHOWN_LEN: usize = 120;

/// Structures whose shape and every member must carry our documentation.
const DOCUMENTED_STRUCTURES: [&str; 3] = [
    "TelemetryRecord",
    "BackendConnectionErrors",
    "PutTelemetryRecordsRequest",
];

/// A test failure whose message is shown as is (not `Debug`-quoted).
struct Failure(String);

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

type TestResult = Result<(), Failure>;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn official_model_path() -> PathBuf {
    let shared = env::var_os(SHARED_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../shared"));
    shared.join(OFFICIAL_MODEL)
}

fn load_json(path: &Path) -> Result<Value, Failure> {
    let text = fs::read_to_string(path)
        .map_err(|err| Failure(format!("cannot read {}: {err}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|err| Failure(format!("{} is not valid JSON: {err}", path.display())))
}

fn our_model() -> Result<Value, Failure> {
    load_json(&manifest_dir().join(OUR_MODEL))
}

/// Loads the official model, or returns `None` (after saying so) when it is absent.
fn official_model(test: &str) -> Result<Option<Value>, Failure> {
    let path = official_model_path();
    if path.is_file() {
        load_json(&path).map(Some)
    } else {
        eprintln!(
            "{test}: skipped: official model not found at {} \
             (set {SHARED_ENV} to the shared reference directory)",
            path.display()
        );
        Ok(None)
    }
}

// ---------------------------------------------------------------------------
// Walking shapes and their members
// ---------------------------------------------------------------------------

/// Formats the JSON path of `key` inside the object at `parent`.
fn child_path(parent: &str, key: &str) -> String {
    let is_identifier = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_identifier {
        format!("{parent}[{}]", Value::from(key))
    } else if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn shapes(model: &Value) -> impl Iterator<Item = (&String, &Value)> {
    model
        .get("shapes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// The member-like parts of a shape (structure/union members, list member,
/// map key and value) with their path relative to the shape.
fn members_of(shape: &Value) -> Vec<(String, &Value)> {
    let mut found: Vec<(String, &Value)> = shape
        .get("members")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, member)| (child_path("members", name), member))
        .collect();
    for key in ["member", "key", "value"] {
        if let Some(member) = shape.get(key) {
            found.push((key.to_owned(), member));
        }
    }
    found
}

fn doc_of(owner: &Value) -> Option<&str> {
    owner.get("traits")?.get(DOC_TRAIT)?.as_str()
}

/// Every documentation string of a model, with the JSON path of its owner.
fn doc_strings(model: &Value) -> Vec<(String, &str)> {
    let mut docs = Vec::new();
    for (id, shape) in shapes(model) {
        let shape_path = child_path("shapes", id);
        if let Some(doc) = doc_of(shape) {
            docs.push((shape_path.clone(), doc));
        }
        for (member_path, member) in members_of(shape) {
            if let Some(doc) = doc_of(member) {
                docs.push((format!("{shape_path}.{member_path}"), doc));
            }
        }
    }
    docs
}

/// Removes the documentation trait from `owner`, and its traits object when
/// that leaves it empty (so it compares equal to having no traits at all).
fn strip_doc_trait(owner: &mut Value) {
    let Some(owner) = owner.as_object_mut() else {
        return;
    };
    // `retain` keeps the order of the remaining keys whether or not
    // serde_json's `preserve_order` feature is enabled.
    let emptied = match owner.get_mut("traits").and_then(Value::as_object_mut) {
        Some(traits) if traits.contains_key(DOC_TRAIT) => {
            traits.retain(|name, _| name != DOC_TRAIT);
            traits.is_empty()
        }
        _ => false,
    };
    if emptied {
        owner.retain(|key, _| key != "traits");
    }
}

fn strip_documentation(model: &mut Value) {
    let Some(shapes) = model.get_mut("shapes").and_then(Value::as_object_mut) else {
        return;
    };
    for shape in shapes.values_mut() {
        strip_doc_trait(shape);
        if let Some(members) = shape.get_mut("members").and_then(Value::as_object_mut) {
            members.values_mut().for_each(strip_doc_trait);
        }
        for key in ["member", "key", "value"] {
            if let Some(member) = shape.get_mut(key) {
                strip_doc_trait(member);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Structural comparison
// ---------------------------------------------------------------------------

/// Whether `serde_json` keeps object keys in document order (its
/// `preserve_order` feature); only then can key order be compared.
fn key_order_is_preserved() -> bool {
    let probe = serde_json::json!({ "b": 0, "a": 0 });
    probe
        .as_object()
        .and_then(|map| map.keys().next())
        .is_some_and(|first| first == "b")
}

/// `text`, cut to at most `MAX_SHOWN_LEN` characters for reports.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_LEN) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

fn shown(value: &Value) -> String {
    shortened(&value.to_string())
}

fn shown_path(path: &str) -> &str {
    if path.is_empty() {
        "(root)"
    } else {
        path
    }
}

struct Differ {
    check_order: bool,
    found: Vec<String>,
}

impl Differ {
    fn report(&mut self, path: &str, what: impl fmt::Display) {
        self.found.push(format!("{}: {what}", shown_path(path)));
    }

    fn compare(&mut self, path: &str, official: &Value, ours: &Value) {
        match (official, ours) {
            (Value::Object(official), Value::Object(ours)) => {
                self.compare_objects(path, official, ours);
            }
            (Value::Array(official), Value::Array(ours)) => {
                self.compare_arrays(path, official, ours);
            }
            _ if official == ours => {}
            _ => self.report(
                path,
                format_args!("official {} but ours {}", shown(official), shown(ours)),
            ),
        }
    }

    fn compare_objects(
        &mut self,
        path: &str,
        official: &Map<String, Value>,
        ours: &Map<String, Value>,
    ) {
        let no_traits = Value::Object(Map::new());
        for (key, official_value) in official {
            let key_path = child_path(path, key);
            match ours.get(key) {
                Some(our_value) => self.compare(&key_path, official_value, our_value),
                // Absent traits equal an empty traits object: name each trait.
                None if key == "traits" => self.compare(&key_path, official_value, &no_traits),
                None => self.report(&key_path, "missing in ours"),
            }
        }
        for (key, our_value) in ours.iter().filter(|(key, _)| !official.contains_key(*key)) {
            let key_path = child_path(path, key);
            if key == "traits" {
                self.compare(&key_path, &no_traits, our_value);
            } else {
                self.report(&key_path, "only in ours, not in the official model");
            }
        }
        if self.check_order {
            let official_order: Vec<&String> = official
                .keys()
                .filter(|key| ours.contains_key(*key))
                .collect();
            let our_order: Vec<&String> = ours
                .keys()
                .filter(|key| official.contains_key(*key))
                .collect();
            if official_order != our_order {
                self.report(
                    path,
                    format_args!(
                        "key order differs: official {official_order:?}, ours {our_order:?}"
                    ),
                );
            }
        }
    }

    fn compare_arrays(&mut self, path: &str, official: &[Value], ours: &[Value]) {
        for (index, (official_item, our_item)) in official.iter().zip(ours).enumerate() {
            self.compare(&format!("{path}[{index}]"), official_item, our_item);
        }
        for (index, item) in official.iter().enumerate().skip(ours.len()) {
            self.report(
                &format!("{path}[{index}]"),
                format_args!("missing in ours: {}", shown(item)),
            );
        }
        for (index, item) in ours.iter().enumerate().skip(official.len()) {
            self.report(
                &format!("{path}[{index}]"),
                format_args!("only in ours: {}", shown(item)),
            );
        }
    }
}

#[test]
fn model_facts_match_official() -> TestResult {
    let Some(mut official) = official_model("model_facts_match_official")? else {
        return Ok(());
    };
    let mut ours = our_model()?;
    strip_documentation(&mut official);
    strip_documentation(&mut ours);

    let check_order = key_order_is_preserved();
    if !check_order {
        eprintln!(
            "model_facts_match_official: key order not compared \
             (serde_json was built without its `preserve_order` feature)"
        );
    }
    let mut differ = Differ {
        check_order,
        found: Vec::new(),
    };
    differ.compare("", &official, &ours);

    assert!(
        differ.found.is_empty(),
        "models/xray.json differs from the official model in {} place(s):\n{}",
        differ.found.len(),
        differ.found.join("\n")
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Documentation must be our own
// ---------------------------------------------------------------------------

fn decode_entities(text: &str) -> String {
    [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&apos;", "'"),
        ("&nbsp;", " "),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text.to_owned(), |acc, (entity, plain)| {
        acc.replace(entity, plain)
    })
}

/// The text of a documentation string: HTML tags removed, entities decoded,
/// whitespace collapsed.
fn plain_text(doc: &str) -> String {
    let mut text = String::with_capacity(doc.len());
    let mut in_tag = false;
    for c in doc.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Normalised form used for comparisons: plain text, lower case.
fn normalised(doc: &str) -> String {
    plain_text(doc).to_lowercase()
}

/// The passages of an official text that must not be found in ours: the
/// whole text and each of its sentences, when long enough.
fn protected_passages(text: &str) -> Vec<&str> {
    let mut passages = vec![text];
    if text.contains(". ") {
        passages.extend(text.split_inclusive(". ").map(str::trim));
    }
    passages.retain(|passage| passage.chars().count() >= MIN_COPIED_LEN);
    passages.dedup();
    passages
}

#[test]
fn no_official_documentation_is_copied() -> TestResult {
    let Some(official) = official_model("no_official_documentation_is_copied")? else {
        return Ok(());
    };
    let ours = our_model()?;

    let official_docs: Vec<(String, String)> = doc_strings(&official)
        .into_iter()
        .map(|(path, doc)| (path, normalised(doc)))
        .collect();
    let protected: Vec<Vec<&str>> = official_docs
        .iter()
        .map(|(_, text)| protected_passages(text))
        .collect();
    let our_docs: Vec<(String, String)> = doc_strings(&ours)
        .into_iter()
        .map(|(path, doc)| (path, normalised(doc)))
        .collect();

    let mut offenders = Vec::new();
    for (our_path, our_text) in &our_docs {
        for ((official_path, official_text), passages) in official_docs.iter().zip(&protected) {
            if our_text.chars().count() >= MIN_EQUAL_LEN && our_text == official_text {
                offenders.push(format!(
                    "{our_path}: equals the official documentation of {official_path}: {:?}",
                    shortened(our_text)
                ));
                continue;
            }
            if let Some(passage) = passages.iter().find(|passage| our_text.contains(*passage)) {
                offenders.push(format!(
                    "{our_path}: contains official text from {official_path}: {:?}",
                    shortened(passage)
                ));
            }
        }
    }

    assert!(
        offenders.is_empty(),
        "{} documentation string(s) in models/xray.json copy official text:\n{}",
        offenders.len(),
        offenders.join("\n")
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Required documentation
// ---------------------------------------------------------------------------

/// Whether a documentation string is plain text (no HTML tags or entities).
fn is_plain(doc: &str) -> bool {
    plain_text(doc) == doc.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn required_shapes_are_documented() -> TestResult {
    let ours = our_model()?;
    let mut problems = Vec::new();

    // Every service and operation shape, then the listed structures and
    // each of their members.
    let mut required: Vec<(String, &Value)> = Vec::new();
    let mut services = 0;
    let mut operations = 0;
    for (id, shape) in shapes(&ours) {
        match shape.get("type").and_then(Value::as_str) {
            Some("service") => services += 1,
            Some("operation") => operations += 1,
            _ => continue,
        }
        required.push((child_path("shapes", id), shape));
    }
    for name in DOCUMENTED_STRUCTURES {
        let id = format!("{NAMESPACE}{name}");
        let shape_path = child_path("shapes", &id);
        let Some(shape) = ours.get("shapes").and_then(|shapes| shapes.get(&id)) else {
            problems.push(format!("{shape_path}: shape is missing"));
            continue;
        };
        for (member_path, member) in members_of(shape) {
            required.push((format!("{shape_path}.{member_path}"), member));
        }
        required.push((shape_path, shape));
    }

    for (path, owner) in required {
        match doc_of(owner) {
            None => problems.push(format!("{path}: has no documentation")),
            Some(doc) if doc.trim().is_empty() => {
                problems.push(format!("{path}: has blank documentation"));
            }
            Some(_) => {}
        }
    }
    // Whatever we document must be plain text.
    for (path, doc) in doc_strings(&ours) {
        if !is_plain(doc) {
            problems.push(format!(
                "{path}: documentation is not plain text: {:?}",
                shortened(doc)
            ));
        }
    }

    assert_eq!(services, 1, "expected exactly one service shape");
    assert!(operations > 0, "found no operation shapes");
    assert!(
        problems.is_empty(),
        "{} documentation problem(s) in models/xray.json:\n{}",
        problems.len(),
        problems.join("\n")
    );
    Ok(())
}
