//! The semantic model: shapes resolved from one or more Smithy JSON AST
//! files, with the prelude merged, mixins and `apply` resolved, traits typed
//! and references validated.

mod error;
mod json;
mod load;
mod prelude;
pub mod traits;
mod validate;

use std::collections::BTreeMap;

pub use error::{ModelError, ModelErrors};
pub use load::{load_files, load_str};
pub use traits::Traits;

/// The kinds of shape Smithy 2.0 defines (`set` is Smithy 1.0's list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShapeKind {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Service,
    Operation,
    Resource,
}

impl ShapeKind {
    /// The kind named by a JSON AST `type` (not `member` or `apply`).
    pub fn from_ast(name: &str) -> Option<Self> {
        Some(match name {
            "blob" => Self::Blob,
            "boolean" => Self::Boolean,
            "string" => Self::String,
            "byte" => Self::Byte,
            "short" => Self::Short,
            "integer" => Self::Integer,
            "long" => Self::Long,
            "float" => Self::Float,
            "double" => Self::Double,
            "bigInteger" => Self::BigInteger,
            "bigDecimal" => Self::BigDecimal,
            "timestamp" => Self::Timestamp,
            "document" => Self::Document,
            "enum" => Self::Enum,
            "intEnum" => Self::IntEnum,
            "list" => Self::List,
            "set" => Self::Set,
            "map" => Self::Map,
            "structure" => Self::Structure,
            "union" => Self::Union,
            "service" => Self::Service,
            "operation" => Self::Operation,
            "resource" => Self::Resource,
            _ => return None,
        })
    }

    /// The JSON AST spelling of the kind.
    pub fn ast_name(self) -> &'static str {
        match self {
            Self::Blob => "blob",
            Self::Boolean => "boolean",
            Self::String => "string",
            Self::Byte => "byte",
            Self::Short => "short",
            Self::Integer => "integer",
            Self::Long => "long",
            Self::Float => "float",
            Self::Double => "double",
            Self::BigInteger => "bigInteger",
            Self::BigDecimal => "bigDecimal",
            Self::Timestamp => "timestamp",
            Self::Document => "document",
            Self::Enum => "enum",
            Self::IntEnum => "intEnum",
            Self::List => "list",
            Self::Set => "set",
            Self::Map => "map",
            Self::Structure => "structure",
            Self::Union => "union",
            Self::Service => "service",
            Self::Operation => "operation",
            Self::Resource => "resource",
        }
    }

    /// Shapes a member may target: everything but services, operations and
    /// resources.
    pub fn is_data(self) -> bool {
        !matches!(self, Self::Service | Self::Operation | Self::Resource)
    }

    /// Shapes whose members are named by the model (not list/map slots).
    pub fn has_named_members(self) -> bool {
        matches!(
            self,
            Self::Structure | Self::Union | Self::Enum | Self::IntEnum
        )
    }
}

/// A member of an aggregate shape (or an enum value).
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub name: String,
    pub target: String,
    pub traits: Traits,
}

/// The parts of a service shape generation uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Service {
    pub version: Option<String>,
    pub operations: Vec<String>,
    pub resources: Vec<String>,
    pub errors: Vec<String>,
    pub rename: BTreeMap<String, String>,
}

/// The parts of an operation shape generation uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Operation {
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
}

/// The bound operations and child resources of a resource shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resource {
    pub operations: Vec<String>,
    pub resources: Vec<String>,
}

/// One shape with everything resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub id: String,
    pub kind: ShapeKind,
    /// In model order: structure/union/enum members, `member` for lists,
    /// `key` and `value` for maps.
    pub members: Vec<Member>,
    pub traits: Traits,
    pub service: Option<Service>,
    pub operation: Option<Operation>,
    pub resource: Option<Resource>,
    /// The JSON path of the shape's definition (for error messages).
    pub path: String,
}

impl Shape {
    /// The shape name without its namespace.
    pub fn name(&self) -> &str {
        shape_name(&self.id)
    }

    /// A member by name.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// The name part of a shape id (`ns#Name` -> `Name`).
pub fn shape_name(id: &str) -> &str {
    let name = id.rsplit_once('#').map_or(id, |(_, n)| n);
    name.split_once('$').map_or(name, |(n, _)| n)
}

/// The namespace part of a shape id.
pub fn namespace(id: &str) -> &str {
    id.split_once('#').map_or("", |(ns, _)| ns)
}

/// A loaded and validated model.
#[derive(Clone, Debug, Default)]
pub struct Model {
    shapes: BTreeMap<String, Shape>,
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// Per shape: the file it came from and its members' JSON paths.
    pub(crate) locations: BTreeMap<String, (String, Vec<String>)>,
}

impl Model {
    /// A shape by absolute id.
    pub fn shape(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// All shapes, sorted by id (prelude included).
    pub fn shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values()
    }

    /// The service shapes, sorted by id.
    pub fn services(&self) -> impl Iterator<Item = &Shape> {
        self.shapes
            .values()
            .filter(|s| s.kind == ShapeKind::Service)
    }

    /// The shape a member targets. Validation guarantees it exists.
    pub fn target(&self, member: &Member) -> &Shape {
        &self.shapes[&member.target]
    }

    /// Every operation of a service, its resources' included, sorted by
    /// shape name.
    pub fn operations_of(&self, service: &Shape) -> Vec<&Shape> {
        let mut out: BTreeMap<&str, &Shape> = BTreeMap::new();
        let mut resources: Vec<&str> = Vec::new();
        if let Some(svc) = &service.service {
            for op in &svc.operations {
                if let Some(s) = self.shape(op) {
                    out.insert(s.name(), s);
                }
            }
            resources.extend(svc.resources.iter().map(String::as_str));
        }
        let mut seen = std::collections::BTreeSet::new();
        while let Some(r) = resources.pop() {
            if !seen.insert(r) {
                continue;
            }
            if let Some(res) = self.shape(r).and_then(|s| s.resource.as_ref()) {
                for op in &res.operations {
                    if let Some(s) = self.shape(op) {
                        out.insert(s.name(), s);
                    }
                }
                resources.extend(res.resources.iter().map(String::as_str));
            }
        }
        out.into_values().collect()
    }

    /// Every shape reachable from `roots` through members, operations
    /// (input, output, errors) and services, sorted by id.
    pub fn closure<'a>(&'a self, roots: impl IntoIterator<Item = &'a str>) -> Vec<&'a Shape> {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<&str> = roots.into_iter().collect();
        while let Some(id) = stack.pop() {
            let Some(shape) = self.shape(id) else {
                continue;
            };
            if !seen.insert(shape.id.as_str()) {
                continue;
            }
            stack.extend(shape.members.iter().map(|m| m.target.as_str()));
            if let Some(op) = &shape.operation {
                stack.extend(op.input.as_deref());
                stack.extend(op.output.as_deref());
                stack.extend(op.errors.iter().map(String::as_str));
            }
            if let Some(svc) = &shape.service {
                stack.extend(svc.operations.iter().map(String::as_str));
                stack.extend(svc.resources.iter().map(String::as_str));
                stack.extend(svc.errors.iter().map(String::as_str));
            }
            if let Some(res) = &shape.resource {
                stack.extend(res.operations.iter().map(String::as_str));
                stack.extend(res.resources.iter().map(String::as_str));
            }
        }
        seen.into_iter().map(|id| &self.shapes[id]).collect()
    }

    pub(crate) fn from_shapes(
        shapes: BTreeMap<String, Shape>,
        metadata: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        Self {
            shapes,
            metadata,
            locations: BTreeMap::new(),
        }
    }
}

/// The namespace prefix of structures made by
/// [`Model::with_unshared_operation_io`].
pub const SYNTHETIC_NAMESPACE: &str = "smithy.synthetic";

impl Model {
    /// A copy of the model in which every operation of `service` has an
    /// input and an output structure of its own.
    ///
    /// Smithy 1.0 models (the protocol test suites among them) may use one
    /// structure as the input of one operation and the output of another,
    /// or as an operation's input and a member's target. Generated code
    /// gives each operation's input and output its own type (with its own
    /// optionality and HTTP bindings), so such a shared structure is copied,
    /// once per use as an input or output, to a shape with id
    /// `smithy.synthetic.<namespace>#<Operation>Input` (or `Output`). A
    /// structure used once keeps its id, so models that follow Smithy 2.0's
    /// `@input`/`@output` rules come out unchanged.
    pub fn with_unshared_operation_io(&self, service: &Shape) -> Model {
        let operations = self.operations_of(service);
        let real = |t: &Option<String>| t.clone().filter(|t| t != "smithy.api#Unit");
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for op in &operations {
            let spec = op.operation.clone().unwrap_or_default();
            for id in [real(&spec.input), real(&spec.output)]
                .into_iter()
                .flatten()
            {
                *uses.entry(id).or_default() += 1;
            }
        }
        for shape in self.closure([service.id.as_str()]) {
            if shape.kind.is_data() {
                for m in &shape.members {
                    *uses.entry(m.target.clone()).or_default() += 1;
                }
            }
        }
        let mut out = self.clone();
        for op in &operations {
            let Some(spec) = op.operation.clone() else {
                continue;
            };
            let mut new_spec = spec.clone();
            for (slot, suffix, drop_trait) in [
                (&mut new_spec.input, "Input", "smithy.api#output"),
                (&mut new_spec.output, "Output", "smithy.api#input"),
            ] {
                let Some(id) = real(slot) else { continue };
                if uses.get(&id).copied().unwrap_or(0) < 2 {
                    continue;
                }
                let Some(original) = self.shape(&id) else {
                    continue;
                };
                let new_id = format!(
                    "{SYNTHETIC_NAMESPACE}.{}#{}{suffix}",
                    namespace(&op.id),
                    op.name()
                );
                let mut copy = original.clone();
                copy.id = new_id.clone();
                copy.traits.raw.remove(drop_trait);
                if suffix == "Input" {
                    copy.traits.output = false;
                } else {
                    copy.traits.input = false;
                }
                if let Some(loc) = self.locations.get(&id).cloned() {
                    out.locations.insert(new_id.clone(), loc);
                }
                out.shapes.insert(new_id.clone(), copy);
                *slot = Some(new_id);
            }
            if new_spec != spec {
                if let Some(shape) = out.shapes.get_mut(&op.id) {
                    shape.operation = Some(new_spec);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_io_structures_are_copied_per_operation() {
        let model = load_str(
            "shared.json",
            r##"{"smithy": "2.0", "shapes": {
                "ns#Svc": {"type": "service", "version": "1",
                    "operations": [{"target": "ns#Get"}, {"target": "ns#Put"}]},
                "ns#Get": {"type": "operation", "input": {"target": "ns#Shared"},
                    "output": {"target": "ns#Shared"}},
                "ns#Put": {"type": "operation", "input": {"target": "ns#Own"},
                    "output": {"target": "smithy.api#Unit"}},
                "ns#Shared": {"type": "structure", "members": {
                    "a": {"target": "smithy.api#String"}}},
                "ns#Own": {"type": "structure", "members": {
                    "s": {"target": "ns#Shared"}}}
            }}"##,
        )
        .expect("a valid model");
        let service = model.shape("ns#Svc").unwrap();
        let out = model.with_unshared_operation_io(service);
        let get = out.shape("ns#Get").unwrap().operation.clone().unwrap();
        assert_eq!(get.input.as_deref(), Some("smithy.synthetic.ns#GetInput"));
        assert_eq!(get.output.as_deref(), Some("smithy.synthetic.ns#GetOutput"));
        let copy = out.shape("smithy.synthetic.ns#GetInput").unwrap();
        assert_eq!(copy.members, model.shape("ns#Shared").unwrap().members);
        // Used once: kept as it is.
        let put = out.shape("ns#Put").unwrap().operation.clone().unwrap();
        assert_eq!(put.input.as_deref(), Some("ns#Own"));
        assert_eq!(put.output.as_deref(), Some("smithy.api#Unit"));
        assert!(out.shape("ns#Shared").is_some());
    }
}
