//! JSON AST -> `Model`: parse each file, merge the prelude, resolve mixins
//! and `apply`, type the traits, validate. Problems are collected, never
//! raised one at a time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::error::{field, index, ModelError, ModelErrors, Sink};
use super::prelude::{PRELUDE, PRELUDE_FILE};
use super::traits::Traits;
use super::{json, validate, Member, Model, Operation, Resource, Service, Shape, ShapeKind};

/// A member before trait typing.
#[derive(Clone, Debug)]
struct RawMember {
    name: String,
    target: String,
    traits: Map<String, Value>,
    path: String,
}

/// A shape before mixin resolution and trait typing.
#[derive(Clone, Debug)]
struct RawShape {
    id: String,
    kind: ShapeKind,
    members: Vec<RawMember>,
    traits: Map<String, Value>,
    mixins: Vec<String>,
    service: Option<Service>,
    operation: Option<Operation>,
    resource: Option<Resource>,
    path: String,
    file: usize,
}

struct Apply {
    target: String,
    traits: Map<String, Value>,
    path: String,
    file: usize,
}

/// Everything read from the files so far.
struct Loader {
    sinks: Vec<Sink>,
    shapes: BTreeMap<String, RawShape>,
    applies: Vec<Apply>,
    metadata: Map<String, Value>,
}

/// Loads and validates the model made of `paths` (plus the prelude).
pub fn load_files(paths: &[impl AsRef<Path>]) -> Result<Model, ModelErrors> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let path = path.as_ref();
        match std::fs::read_to_string(path) {
            Ok(text) => files.push((path.display().to_string(), text)),
            Err(e) => errors.push(ModelError {
                file: path.display().to_string(),
                path: "$".into(),
                shape: None,
                message: format!("cannot read the model file: {e}"),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ModelErrors(errors));
    }
    load_texts(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
}

/// Loads and validates one model given as text; `name` labels errors.
pub fn load_str(name: &str, text: &str) -> Result<Model, ModelErrors> {
    load_texts([(name, text)])
}

fn load_texts<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Model, ModelErrors> {
    let mut loader = Loader {
        sinks: Vec::new(),
        shapes: BTreeMap::new(),
        applies: Vec::new(),
        metadata: Map::new(),
    };
    loader.read_file(PRELUDE_FILE, PRELUDE);
    for (name, text) in files {
        loader.read_file(name, text);
    }
    loader.resolve_mixins();
    loader.resolve_applies();
    let model = loader.type_traits();
    let mut errors: Vec<ModelError> = loader.sinks.into_iter().flat_map(|s| s.errors).collect();
    errors.extend(validate::validate(&model));
    if errors.is_empty() {
        Ok(model)
    } else {
        errors.sort();
        errors.dedup();
        Err(ModelErrors(errors))
    }
}

/// `ns#Name` or `ns#Name$member`, with Smithy identifiers.
pub(crate) fn is_valid_shape_id(id: &str, allow_member: bool) -> bool {
    fn ident(s: &str) -> bool {
        let mut chars = s.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    }
    let Some((ns, rest)) = id.split_once('#') else {
        return false;
    };
    let (name, member) = match rest.split_once('$') {
        Some((n, m)) if allow_member => (n, Some(m)),
        Some(_) => return false,
        None => (rest, None),
    };
    ns.split('.').all(ident) && ident(name) && member.is_none_or(ident)
}

impl Loader {
    fn read_file(&mut self, name: &str, text: &str) {
        let file = self.sinks.len();
        let mut sink = Sink::new(name);
        if let Some(root) = json::parse(text, &mut sink) {
            self.read_root(&root, file, &mut sink);
        }
        self.sinks.push(sink);
    }

    fn read_root(&mut self, root: &Value, file: usize, sink: &mut Sink) {
        let Some(root) = root.as_object() else {
            sink.push("$", None, "a model must be a JSON object");
            return;
        };
        match root.get("smithy").and_then(Value::as_str) {
            Some(v) if v == "2" || v.starts_with("2.") || v == "1" || v.starts_with("1.") => {}
            Some(v) => sink.push(
                "$.smithy",
                None,
                format!("unsupported Smithy version {v:?}"),
            ),
            None => sink.push("$.smithy", None, "missing the \"smithy\" version string"),
        }
        for key in root.keys() {
            if !matches!(key.as_str(), "smithy" | "metadata" | "shapes") {
                sink.push(field("$", key), None, "unsupported top-level property");
            }
        }
        if let Some(meta) = root.get("metadata") {
            match meta.as_object() {
                Some(m) => {
                    for (k, v) in m {
                        self.metadata.insert(k.clone(), v.clone());
                    }
                }
                None => sink.push("$.metadata", None, "must be an object"),
            }
        }
        let shapes = match root.get("shapes") {
            None => return,
            Some(Value::Object(s)) => s,
            Some(_) => {
                sink.push("$.shapes", None, "must be an object of shapes");
                return;
            }
        };
        for (id, def) in shapes {
            let path = index("$.shapes", id);
            let is_apply = def.get("type").and_then(Value::as_str) == Some("apply");
            if !is_valid_shape_id(id, is_apply) {
                sink.push(
                    &path,
                    Some(id),
                    "invalid absolute shape id (expected namespace#Name)",
                );
                continue;
            }
            let Some(def) = def.as_object() else {
                sink.push(&path, Some(id), "a shape must be a JSON object");
                continue;
            };
            let traits = read_traits(def, &path, id, sink);
            match def.get("type").and_then(Value::as_str) {
                Some("apply") => self.applies.push(Apply {
                    target: id.clone(),
                    traits,
                    path,
                    file,
                }),
                Some(kind_name) => match ShapeKind::from_ast(kind_name) {
                    Some(kind) => {
                        if let Some(shape) =
                            read_shape(id, kind, def, traits, path.clone(), file, sink)
                        {
                            self.insert(shape, sink);
                        }
                    }
                    None => sink.push(
                        field(&path, "type"),
                        Some(id),
                        format!("unsupported shape type {kind_name:?}"),
                    ),
                },
                None => sink.push(field(&path, "type"), Some(id), "missing shape \"type\""),
            }
        }
    }

    fn insert(&mut self, shape: RawShape, sink: &mut Sink) {
        let lower = shape.id.to_ascii_lowercase();
        let clash = self
            .shapes
            .keys()
            .find(|k| k.to_ascii_lowercase() == lower)
            .cloned();
        if let Some(existing) = clash {
            let prior = &self.shapes[&existing];
            let file = match self.sinks.get(prior.file) {
                _ if prior.file == 0 => None,
                Some(s) => Some(s.file.as_str()),
                None => Some(sink.file.as_str()),
            };
            let where_ = match file {
                None => "the smithy.api prelude".to_owned(),
                Some(f) => format!("{f} at {}", prior.path),
            };
            sink.push(
                &shape.path,
                Some(&shape.id),
                format!("shape {existing} is already defined in {where_} (shape ids must be unique, ignoring case)"),
            );
            return;
        }
        self.shapes.insert(shape.id.clone(), shape);
    }

    fn resolve_mixins(&mut self) {
        let ids: Vec<String> = self.shapes.keys().cloned().collect();
        let mut done = BTreeSet::new();
        for id in ids {
            let mut visiting = Vec::new();
            self.resolve_mixins_of(&id, &mut done, &mut visiting);
        }
    }

    fn resolve_mixins_of(
        &mut self,
        id: &str,
        done: &mut BTreeSet<String>,
        visiting: &mut Vec<String>,
    ) {
        if done.contains(id) {
            return;
        }
        if visiting.iter().any(|v| v == id) {
            let shape = &self.shapes[id];
            self.sinks[shape.file].push(
                field(&shape.path, "mixins"),
                Some(id),
                format!("mixin cycle: {} -> {id}", visiting.join(" -> ")),
            );
            done.insert(id.to_owned());
            return;
        }
        let Some(shape) = self.shapes.get(id) else {
            return;
        };
        if shape.mixins.is_empty() {
            done.insert(id.to_owned());
            return;
        }
        visiting.push(id.to_owned());
        let mixins = shape.mixins.clone();
        for m in &mixins {
            self.resolve_mixins_of(m, done, visiting);
        }
        visiting.pop();

        let mut members: Vec<RawMember> = Vec::new();
        let mut traits = Map::new();
        let own = self.shapes[id].clone();
        for (i, m) in mixins.iter().enumerate() {
            let path = format!("{}[{i}]", field(&own.path, "mixins"));
            let Some(mixin) = self.shapes.get(m) else {
                self.sinks[own.file].push(path, Some(id), format!("mixin {m} is not defined"));
                continue;
            };
            if !mixin.traits.contains_key("smithy.api#mixin") {
                self.sinks[own.file].push(path, Some(id), format!("{m} is not marked @mixin"));
                continue;
            }
            if mixin.kind != own.kind {
                self.sinks[own.file].push(
                    path,
                    Some(id),
                    format!(
                        "mixin {m} is a {}, not a {}",
                        mixin.kind.ast_name(),
                        own.kind.ast_name()
                    ),
                );
                continue;
            }
            let local: Vec<String> = mixin
                .traits
                .get("smithy.api#mixin")
                .and_then(|v| v.get("localTraits"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            for (k, v) in &mixin.traits {
                if k != "smithy.api#mixin" && !local.contains(k) {
                    traits.insert(k.clone(), v.clone());
                }
            }
            for mm in &mixin.members {
                members.retain(|x| x.name != mm.name);
                members.push(mm.clone());
            }
        }
        for (k, v) in &own.traits {
            traits.insert(k.clone(), v.clone());
        }
        for om in &own.members {
            if let Some(existing) = members.iter_mut().find(|x| x.name == om.name) {
                // A redefined mixin member may only add traits.
                if existing.target != om.target {
                    self.sinks[own.file].push(
                        field(&om.path, "target"),
                        Some(id),
                        format!(
                            "member {} redefines mixin member with another target",
                            om.name
                        ),
                    );
                }
                for (k, v) in &om.traits {
                    existing.traits.insert(k.clone(), v.clone());
                }
                existing.path.clone_from(&om.path);
            } else {
                members.push(om.clone());
            }
        }
        let shape = self.shapes.get_mut(id).expect("shape exists");
        shape.members = members;
        shape.traits = traits;
        done.insert(id.to_owned());
    }

    fn resolve_applies(&mut self) {
        for apply in std::mem::take(&mut self.applies) {
            let (shape_id, member) = match apply.target.split_once('$') {
                Some((s, m)) => (s.to_owned(), Some(m.to_owned())),
                None => (apply.target.clone(), None),
            };
            let Some(shape) = self.shapes.get_mut(&shape_id) else {
                self.sinks[apply.file].push(
                    apply.path,
                    Some(&apply.target),
                    format!("apply targets {shape_id}, which is not defined"),
                );
                continue;
            };
            let traits = match &member {
                None => &mut shape.traits,
                Some(m) => {
                    match shape.members.iter_mut().find(|x| &x.name == m) {
                        Some(x) => &mut x.traits,
                        None => {
                            self.sinks[apply.file].push(
                            apply.path,
                            Some(&apply.target),
                            format!("apply targets member {m} of {shape_id}, which has no such member"),
                        );
                            continue;
                        }
                    }
                }
            };
            for (k, v) in apply.traits {
                traits.insert(k, v);
            }
        }
    }

    fn type_traits(&mut self) -> Model {
        let mut out = BTreeMap::new();
        for (id, raw) in std::mem::take(&mut self.shapes) {
            let sink = &mut self.sinks[raw.file];
            let traits_path = field(&raw.path, "traits");
            let traits = Traits::parse(raw.traits.into_iter().collect(), &traits_path, &id, sink);
            let members = raw
                .members
                .into_iter()
                .map(|m| {
                    let member_id = format!("{id}${}", m.name);
                    let traits = Traits::parse(
                        m.traits.into_iter().collect(),
                        &field(&m.path, "traits"),
                        &member_id,
                        sink,
                    );
                    (
                        Member {
                            name: m.name,
                            target: m.target,
                            traits,
                        },
                        m.path,
                    )
                })
                .collect::<Vec<_>>();
            let (members, member_paths): (Vec<_>, Vec<_>) = members.into_iter().unzip();
            let shape = Shape {
                id: id.clone(),
                kind: raw.kind,
                members,
                traits,
                service: raw.service,
                operation: raw.operation,
                resource: raw.resource,
                path: raw.path,
            };
            out.insert(id, (shape, member_paths, raw.file));
        }
        let mut locations = BTreeMap::new();
        let mut shapes = BTreeMap::new();
        for (id, (shape, member_paths, file)) in out {
            locations.insert(id.clone(), (self.sinks[file].file.clone(), member_paths));
            shapes.insert(id, shape);
        }
        let mut model = Model::from_shapes(shapes, std::mem::take(&mut self.metadata));
        model.locations = locations;
        model
    }
}

fn read_traits(
    def: &Map<String, Value>,
    path: &str,
    id: &str,
    sink: &mut Sink,
) -> Map<String, Value> {
    match def.get("traits") {
        None => Map::new(),
        Some(Value::Object(t)) => {
            let mut out = Map::new();
            for (k, v) in t {
                if is_valid_shape_id(k, false) {
                    out.insert(k.clone(), v.clone());
                } else {
                    sink.push(
                        index(&field(path, "traits"), k),
                        Some(id),
                        "trait ids must be absolute shape ids",
                    );
                }
            }
            out
        }
        Some(_) => {
            sink.push(field(path, "traits"), Some(id), "traits must be an object");
            Map::new()
        }
    }
}

/// Reads `{"target": "ns#X"}`.
fn read_ref(value: &Value, path: &str, id: &str, sink: &mut Sink) -> Option<String> {
    match value.get("target").and_then(Value::as_str) {
        Some(t) if is_valid_shape_id(t, false) => Some(t.to_owned()),
        Some(t) => {
            sink.push(
                field(path, "target"),
                Some(id),
                format!("invalid shape id {t:?}"),
            );
            None
        }
        None => {
            sink.push(
                path,
                Some(id),
                "expected an object with a \"target\" shape id",
            );
            None
        }
    }
}

fn read_refs(
    def: &Map<String, Value>,
    key: &str,
    path: &str,
    id: &str,
    sink: &mut Sink,
) -> Vec<String> {
    let p = field(path, key);
    match def.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| read_ref(v, &format!("{p}[{i}]"), id, sink))
            .collect(),
        Some(_) => {
            sink.push(p, Some(id), "must be a list of shape references");
            Vec::new()
        }
    }
}

fn read_member(
    name: &str,
    value: &Value,
    path: String,
    id: &str,
    sink: &mut Sink,
) -> Option<RawMember> {
    let member_id = format!("{id}${name}");
    let Some(obj) = value.as_object() else {
        sink.push(&path, Some(&member_id), "a member must be a JSON object");
        return None;
    };
    for key in obj.keys() {
        if key != "target" && key != "traits" {
            sink.push(
                field(&path, key),
                Some(&member_id),
                "unsupported member property",
            );
        }
    }
    let target = read_ref(value, &path, &member_id, sink)?;
    let traits = read_traits(obj, &path, &member_id, sink);
    Some(RawMember {
        name: name.to_owned(),
        target,
        traits,
        path,
    })
}

fn read_shape(
    id: &str,
    kind: ShapeKind,
    def: &Map<String, Value>,
    traits: Map<String, Value>,
    path: String,
    file: usize,
    sink: &mut Sink,
) -> Option<RawShape> {
    let allowed: &[&str] = match kind {
        ShapeKind::List | ShapeKind::Set => &["member"],
        ShapeKind::Map => &["key", "value"],
        ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum => {
            &["members"]
        }
        ShapeKind::Service => &["version", "operations", "resources", "errors", "rename"],
        ShapeKind::Operation => &["input", "output", "errors"],
        ShapeKind::Resource => &[
            "identifiers",
            "properties",
            "create",
            "put",
            "read",
            "update",
            "delete",
            "list",
            "operations",
            "collectionOperations",
            "resources",
        ],
        _ => &[],
    };
    for key in def.keys() {
        if !matches!(key.as_str(), "type" | "traits" | "mixins") && !allowed.contains(&key.as_str())
        {
            sink.push(
                field(&path, key),
                Some(id),
                format!("unsupported property for a {} shape", kind.ast_name()),
            );
        }
    }
    let mut members = Vec::new();
    match kind {
        ShapeKind::List | ShapeKind::Set => match def.get("member") {
            Some(m) => members.extend(read_member("member", m, field(&path, "member"), id, sink)),
            None => sink.push(&path, Some(id), "a list needs a \"member\""),
        },
        ShapeKind::Map => {
            for slot in ["key", "value"] {
                match def.get(slot) {
                    Some(m) => members.extend(read_member(slot, m, field(&path, slot), id, sink)),
                    None => sink.push(&path, Some(id), format!("a map needs a \"{slot}\" member")),
                }
            }
        }
        _ if kind.has_named_members() => match def.get("members") {
            None => {}
            Some(Value::Object(ms)) => {
                let members_path = field(&path, "members");
                for (name, m) in ms {
                    let p = field(&members_path, name);
                    let member_id = format!("{id}${name}");
                    if !is_valid_shape_id(&member_id, true) {
                        sink.push(&p, Some(id), format!("invalid member name {name:?}"));
                        continue;
                    }
                    members.extend(read_member(name, m, p, id, sink));
                }
            }
            Some(_) => sink.push(
                field(&path, "members"),
                Some(id),
                "members must be an object",
            ),
        },
        _ => {}
    }
    let mixins = read_refs(def, "mixins", &path, id, sink);
    let mut shape = RawShape {
        id: id.to_owned(),
        kind,
        members,
        traits,
        mixins,
        service: None,
        operation: None,
        resource: None,
        path: path.clone(),
        file,
    };
    match kind {
        ShapeKind::Service => {
            let mut rename = BTreeMap::new();
            match def.get("rename") {
                None => {}
                Some(Value::Object(r)) => {
                    for (k, v) in r {
                        match v.as_str() {
                            Some(v) => {
                                rename.insert(k.clone(), v.to_owned());
                            }
                            None => sink.push(
                                index(&field(&path, "rename"), k),
                                Some(id),
                                "must be a string",
                            ),
                        }
                    }
                }
                Some(_) => sink.push(field(&path, "rename"), Some(id), "must be an object"),
            }
            shape.service = Some(Service {
                version: def
                    .get("version")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                operations: read_refs(def, "operations", &path, id, sink),
                resources: read_refs(def, "resources", &path, id, sink),
                errors: read_refs(def, "errors", &path, id, sink),
                rename,
            });
        }
        ShapeKind::Operation => {
            let one = |key: &str, sink: &mut Sink| {
                def.get(key)
                    .and_then(|v| read_ref(v, &field(&path, key), id, sink))
            };
            shape.operation = Some(Operation {
                input: one("input", sink),
                output: one("output", sink),
                errors: read_refs(def, "errors", &path, id, sink),
            });
        }
        ShapeKind::Resource => {
            let mut operations = Vec::new();
            for key in ["create", "put", "read", "update", "delete", "list"] {
                if let Some(v) = def.get(key) {
                    operations.extend(read_ref(v, &field(&path, key), id, sink));
                }
            }
            operations.extend(read_refs(def, "operations", &path, id, sink));
            operations.extend(read_refs(def, "collectionOperations", &path, id, sink));
            shape.resource = Some(Resource {
                operations,
                resources: read_refs(def, "resources", &path, id, sink),
            });
        }
        _ => {}
    }
    Some(shape)
}
