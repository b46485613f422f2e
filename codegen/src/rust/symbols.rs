//! The symbol provider: for each shape of a service, its Rust name and
//! module; for each member, its field name, whether it is an `Option`,
//! whether it is boxed, its Rust type and its wire codec. Decided once here,
//! read everywhere else.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::naming;
use crate::model::traits::TimestampFormat;
use crate::model::{Member, Model, Shape, ShapeKind};

/// Where a generated type lives in the shape crate.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Module {
    /// The crate root (`xray_types::TelemetryRecord`).
    Root,
    /// Modeled errors (`xray_types::error::ThrottledException`).
    Error,
    /// An operation's input and output (`xray_types::operation::put_telemetry_records`).
    Operation(String),
}

/// A generated type.
#[derive(Clone, Debug)]
pub struct TypeSymbol {
    pub name: String,
    pub module: Module,
}

/// A member as a Rust field.
#[derive(Clone, Debug)]
pub struct FieldSymbol {
    /// The field identifier, escaped (`r#type`).
    pub ident: String,
    /// The identifier without `r#`, for `set_`/`get_` names.
    pub base: String,
    /// Held as `Box<T>` because the shape is recursive through it.
    pub boxed: bool,
    /// Held as `Option<T>`.
    pub optional: bool,
    /// The name on the JSON wire (`@jsonName` or the member name).
    pub wire: String,
}

/// An operation's input and output types.
#[derive(Clone, Debug)]
pub struct OperationSymbol {
    pub module: String,
    /// The modeled input shape, or `None` for `smithy.api#Unit`.
    pub input: Option<String>,
    pub output: Option<String>,
    pub input_name: String,
    pub output_name: String,
}

/// A naming conflict or other problem planning the Rust code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError {
    pub shape: String,
    pub message: String,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.shape, self.message)
    }
}

/// All symbols of one service.
pub struct Symbols<'m> {
    pub model: &'m Model,
    pub service: &'m Shape,
    types: BTreeMap<String, TypeSymbol>,
    fields: BTreeMap<(String, String), FieldSymbol>,
    pub operations: Vec<(&'m Shape, OperationSymbol)>,
    /// Shapes used as an operation's input, output or error (HTTP bindings
    /// apply).
    io_shapes: BTreeSet<String>,
    /// Generated data shapes in the service closure, sorted by id.
    pub shapes: Vec<&'m Shape>,
}

impl<'m> Symbols<'m> {
    /// Plans the names of everything `service` reaches.
    pub fn plan(model: &'m Model, service: &'m Shape) -> Result<Self, Vec<PlanError>> {
        let mut errors = Vec::new();
        let rename = service
            .service
            .as_ref()
            .map(|s| s.rename.clone())
            .unwrap_or_default();
        let shape_name = |s: &Shape| {
            rename
                .get(&s.id)
                .cloned()
                .unwrap_or_else(|| s.name().to_owned())
        };

        let mut operations = Vec::new();
        let mut io_names: BTreeMap<String, (String, Module)> = BTreeMap::new();
        for op in model.operations_of(service) {
            let spec = op.operation.clone().unwrap_or_default();
            let op_name = naming::type_name(&shape_name(op));
            let module = naming::module_name(&shape_name(op));
            let real = |t: Option<String>| t.filter(|t| t != "smithy.api#Unit");
            let sym = OperationSymbol {
                module: module.clone(),
                input: real(spec.input),
                output: real(spec.output),
                input_name: format!("{op_name}Input"),
                output_name: format!("{op_name}Output"),
            };
            for (id, name) in [
                (&sym.input, &sym.input_name),
                (&sym.output, &sym.output_name),
            ] {
                if let Some(id) = id {
                    if let Some((prev, _)) = io_names.get(id) {
                        errors.push(PlanError {
                            shape: id.clone(),
                            message: format!("used as the input or output of two operations ({prev} and {name}); give each its own structure"),
                        });
                    }
                    io_names.insert(
                        id.clone(),
                        (name.clone(), Module::Operation(module.clone())),
                    );
                }
            }
            operations.push((op, sym));
        }

        let roots = std::iter::once(service.id.as_str());
        let shapes: Vec<&Shape> = model
            .closure(roots)
            .into_iter()
            .filter(|s| needs_type(s))
            .collect();

        let mut types = BTreeMap::new();
        let mut taken: BTreeMap<(Module, String), String> = BTreeMap::new();
        for shape in &shapes {
            let sym = if let Some((name, module)) = io_names.get(&shape.id) {
                TypeSymbol {
                    name: name.clone(),
                    module: module.clone(),
                }
            } else {
                TypeSymbol {
                    name: naming::type_name(&shape_name(shape)),
                    module: if shape.traits.error.is_some() {
                        Module::Error
                    } else {
                        Module::Root
                    },
                }
            };
            let key = (sym.module.clone(), sym.name.clone());
            if let Some(other) = taken.get(&key) {
                errors.push(PlanError {
                    shape: shape.id.clone(),
                    message: format!(
                        "its Rust name {} is also the name of {other}; add a `rename` to the service",
                        sym.name
                    ),
                });
            }
            taken.insert(key, shape.id.clone());
            types.insert(shape.id.clone(), sym);
        }

        let boxed = recursive_members(model, &shapes);
        let mut fields = BTreeMap::new();
        for shape in &shapes {
            if !matches!(shape.kind, ShapeKind::Structure | ShapeKind::Union) {
                continue;
            }
            let is_input = shape.traits.input || io_is_input(&operations, &shape.id);
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for member in &shape.members {
                let ident = naming::field_name(&member.name);
                if let Some(other) = seen.insert(ident.clone(), &member.name) {
                    errors.push(PlanError {
                        shape: format!("{}${}", shape.id, member.name),
                        message: format!(
                            "its Rust name {ident} is also the name of member {other}"
                        ),
                    });
                }
                let target = model.target(member);
                let optional =
                    shape.kind == ShapeKind::Structure && is_optional(member, target, is_input);
                fields.insert(
                    (shape.id.clone(), member.name.clone()),
                    FieldSymbol {
                        base: naming::unraw(&ident).to_owned(),
                        ident,
                        boxed: boxed.contains(&(shape.id.clone(), member.name.clone())),
                        optional,
                        wire: member
                            .traits
                            .json_name
                            .clone()
                            .unwrap_or_else(|| member.name.clone()),
                    },
                );
            }
        }
        // Operation inputs and outputs, and errors (restJson1 binds error
        // members to headers too).
        let io_shapes = operations
            .iter()
            .flat_map(|(_, o)| [o.input.clone(), o.output.clone()])
            .flatten()
            .chain(
                shapes
                    .iter()
                    .filter(|s| s.traits.error.is_some())
                    .map(|s| s.id.clone()),
            )
            .collect();
        if errors.is_empty() {
            Ok(Self {
                model,
                service,
                types,
                fields,
                operations,
                io_shapes,
                shapes,
            })
        } else {
            Err(errors)
        }
    }

    /// The type symbol of a generated shape.
    pub fn type_symbol(&self, id: &str) -> &TypeSymbol {
        &self.types[id]
    }

    /// The field symbol of a structure or union member.
    pub fn field(&self, shape: &Shape, member: &Member) -> &FieldSymbol {
        &self.fields[&(shape.id.clone(), member.name.clone())]
    }

    /// Whether HTTP binding traits apply to the shape's members.
    pub fn is_io(&self, id: &str) -> bool {
        self.io_shapes.contains(id)
    }

    /// Whether the shape is an operation's input (request bindings apply;
    /// otherwise response bindings do).
    pub fn is_operation_input(&self, id: &str) -> bool {
        io_is_input(&self.operations, id)
    }

    /// The path of a generated type, from `root` (`crate` in the shape
    /// crate, `crate::types` in the operation crate).
    pub fn type_path(&self, id: &str, root: &TokenStream) -> TokenStream {
        let sym = self.type_symbol(id);
        let name = ident(&sym.name);
        match &sym.module {
            Module::Root => quote!(#root::#name),
            Module::Error => quote!(#root::error::#name),
            Module::Operation(m) => {
                let m = ident(m);
                quote!(#root::operation::#m::#name)
            }
        }
    }

    /// The Rust type of a value of shape `target` (no `Option`, no `Box`).
    pub fn value_type(
        &self,
        target: &Shape,
        member: Option<&Member>,
        root: &TokenStream,
    ) -> TokenStream {
        let _ = member;
        let t = quote!(::smithy_lite_types);
        match target.kind {
            ShapeKind::Blob => quote!(#t::Blob),
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::Byte => quote!(i8),
            ShapeKind::Short => quote!(i16),
            ShapeKind::Integer => quote!(i32),
            ShapeKind::Long => quote!(i64),
            ShapeKind::Float => quote!(f32),
            ShapeKind::Double => quote!(f64),
            ShapeKind::BigInteger => quote!(#t::BigInteger),
            ShapeKind::BigDecimal => quote!(#t::BigDecimal),
            ShapeKind::Timestamp => quote!(#t::DateTime),
            ShapeKind::Document => quote!(#t::Document),
            ShapeKind::String if target.traits.enum_definitions.is_none() => {
                quote!(::std::string::String)
            }
            ShapeKind::List | ShapeKind::Set => {
                let m = &target.members[0];
                let inner = self.value_type(self.model.target(m), Some(m), root);
                if target.traits.sparse {
                    quote!(::std::vec::Vec<::std::option::Option<#inner>>)
                } else {
                    quote!(::std::vec::Vec<#inner>)
                }
            }
            ShapeKind::Map => {
                let m = &target.members[1];
                let inner = self.value_type(self.model.target(m), Some(m), root);
                if target.traits.sparse {
                    quote!(::std::collections::HashMap<::std::string::String, ::std::option::Option<#inner>>)
                } else {
                    quote!(::std::collections::HashMap<::std::string::String, #inner>)
                }
            }
            _ => self.type_path(&target.id, root),
        }
    }

    /// The wire codec (a type in `smithy_lite_types::wire`) for a value of
    /// `target` reached through `member`.
    pub fn codec(&self, target: &Shape, member: &Member) -> TokenStream {
        let w = quote!(wire);
        match target.kind {
            ShapeKind::Blob => quote!(#w::Base64),
            ShapeKind::Float | ShapeKind::Double => quote!(#w::Float),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(#w::Big),
            ShapeKind::Timestamp => {
                match timestamp_format(member, target).unwrap_or(TimestampFormat::EpochSeconds) {
                    TimestampFormat::EpochSeconds => quote!(#w::Epoch),
                    TimestampFormat::DateTime => quote!(#w::Rfc3339),
                    TimestampFormat::HttpDate => quote!(#w::HttpDate),
                }
            }
            ShapeKind::List | ShapeKind::Set => {
                let m = &target.members[0];
                let inner = self.codec(self.model.target(m), m);
                if target.traits.sparse {
                    quote!(#w::Sparse<#inner>)
                } else {
                    quote!(#w::Dense<#inner>)
                }
            }
            ShapeKind::Map => {
                let m = &target.members[1];
                let inner = self.codec(self.model.target(m), m);
                if target.traits.sparse {
                    quote!(#w::SparseMap<#inner>)
                } else {
                    quote!(#w::DenseMap<#inner>)
                }
            }
            _ => quote!(#w::Plain),
        }
    }
}

/// The timestamp format of a member: its own trait, then its target's.
pub fn timestamp_format(member: &Member, target: &Shape) -> Option<TimestampFormat> {
    member
        .traits
        .timestamp_format
        .or(target.traits.timestamp_format)
}

/// Shapes that become Rust types of their own.
fn needs_type(shape: &Shape) -> bool {
    match shape.kind {
        ShapeKind::Structure => !shape.traits.has("smithy.api#unitType") && !shape.traits.mixin,
        ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum => true,
        ShapeKind::String => shape.traits.enum_definitions.is_some(),
        _ => false,
    }
}

fn io_is_input(operations: &[(&Shape, OperationSymbol)], id: &str) -> bool {
    operations
        .iter()
        .any(|(_, o)| o.input.as_deref() == Some(id))
}

/// Smithy 2.0 optionality, as a client sees it: every member of an
/// operation input is optional (so inputs can evolve); otherwise a member
/// is a plain value when it is `@required` or has a non-null `@default`,
/// unless `@clientOptional` says otherwise.
fn is_optional(member: &Member, target: &Shape, is_input: bool) -> bool {
    let _ = target;
    if is_input || member.traits.client_optional {
        return true;
    }
    let has_default = member.traits.default.as_ref().is_some_and(|d| !d.is_null());
    !(member.traits.required || has_default)
}

/// Members that must be boxed: those from a structure or union to a
/// structure or union in the same strongly connected component of the
/// "holds directly" graph (lists and maps already allocate).
fn recursive_members(model: &Model, shapes: &[&Shape]) -> BTreeSet<(String, String)> {
    let direct = |s: &Shape| -> Vec<(String, String)> {
        if !matches!(s.kind, ShapeKind::Structure | ShapeKind::Union) {
            return Vec::new();
        }
        s.members
            .iter()
            .filter(|m| {
                model
                    .shape(&m.target)
                    .is_some_and(|t| matches!(t.kind, ShapeKind::Structure | ShapeKind::Union))
            })
            .map(|m| (m.name.clone(), m.target.clone()))
            .collect()
    };
    // Tarjan's algorithm over the direct-holding edges.
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        component: BTreeMap<&'a str, usize>,
        next: usize,
        components: usize,
    }
    fn visit<'a>(id: &'a str, edges: &BTreeMap<&'a str, Vec<&'a str>>, st: &mut State<'a>) {
        st.index.insert(id, st.next);
        st.low.insert(id, st.next);
        st.next += 1;
        st.stack.push(id);
        st.on_stack.insert(id);
        for &to in edges.get(id).map(Vec::as_slice).unwrap_or_default() {
            if !st.index.contains_key(to) {
                visit(to, edges, st);
                let l = st.low[to].min(st.low[id]);
                st.low.insert(id, l);
            } else if st.on_stack.contains(to) {
                let l = st.index[to].min(st.low[id]);
                st.low.insert(id, l);
            }
        }
        if st.low[id] == st.index[id] {
            while let Some(top) = st.stack.pop() {
                st.on_stack.remove(top);
                st.component.insert(top, st.components);
                if top == id {
                    break;
                }
            }
            st.components += 1;
        }
    }
    let member_edges: BTreeMap<&str, Vec<(String, String)>> =
        shapes.iter().map(|s| (s.id.as_str(), direct(s))).collect();
    let edges: BTreeMap<&str, Vec<&str>> = member_edges
        .iter()
        .map(|(id, es)| (*id, es.iter().map(|(_, t)| t.as_str()).collect()))
        .collect();
    let mut st = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        component: BTreeMap::new(),
        next: 0,
        components: 0,
    };
    for id in edges.keys() {
        if !st.index.contains_key(id) {
            visit(id, &edges, &mut st);
        }
    }
    let mut out = BTreeSet::new();
    for (id, es) in &member_edges {
        for (member, target) in es {
            if st.component.get(id) == st.component.get(target.as_str()) {
                out.insert((id.to_string(), member.clone()));
            }
        }
    }
    out
}

/// An identifier token, raw identifiers included.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}
