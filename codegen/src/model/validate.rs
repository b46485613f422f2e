//! Checks that need the whole model: references resolve to shapes of the
//! right kind, and trait values fit the shapes they are on.

use serde_json::Value;

use super::error::{field, ModelError};
use super::traits::EnumValue;
use super::{Model, Shape, ShapeKind};

struct Checker<'a> {
    model: &'a Model,
    errors: Vec<ModelError>,
}

pub(crate) fn validate(model: &Model) -> Vec<ModelError> {
    let mut c = Checker {
        model,
        errors: Vec::new(),
    };
    for shape in model.shapes() {
        c.shape(shape);
    }
    c.errors
}

impl<'a> Checker<'a> {
    fn push(&mut self, shape: &Shape, path: String, subject: &str, message: String) {
        let file = self
            .model
            .locations
            .get(&shape.id)
            .map(|(f, _)| f.clone())
            .unwrap_or_default();
        self.errors.push(ModelError {
            file,
            path,
            shape: Some(subject.to_owned()),
            message,
        });
    }

    fn member_path(&self, shape: &Shape, i: usize) -> String {
        self.model
            .locations
            .get(&shape.id)
            .and_then(|(_, paths)| paths.get(i).cloned())
            .unwrap_or_else(|| shape.path.clone())
    }

    /// Checks that `id` names a shape of one of `kinds`.
    fn reference(
        &mut self,
        shape: &Shape,
        path: String,
        id: &str,
        kinds: &[ShapeKind],
        what: &str,
    ) -> Option<&'a Shape> {
        let model = self.model;
        match model.shape(id) {
            None => {
                self.push(
                    shape,
                    path,
                    &shape.id,
                    format!("{what} {id} is not defined"),
                );
                None
            }
            Some(target) if !kinds.contains(&target.kind) => {
                let expected: Vec<&str> = kinds.iter().map(|k| k.ast_name()).collect();
                self.push(
                    shape,
                    path,
                    &shape.id,
                    format!(
                        "{what} {id} is a {}, expected {}",
                        target.kind.ast_name(),
                        expected.join(" or ")
                    ),
                );
                None
            }
            Some(target) => Some(target),
        }
    }

    fn shape(&mut self, shape: &Shape) {
        const DATA: &[ShapeKind] = &[
            ShapeKind::Blob,
            ShapeKind::Boolean,
            ShapeKind::String,
            ShapeKind::Byte,
            ShapeKind::Short,
            ShapeKind::Integer,
            ShapeKind::Long,
            ShapeKind::Float,
            ShapeKind::Double,
            ShapeKind::BigInteger,
            ShapeKind::BigDecimal,
            ShapeKind::Timestamp,
            ShapeKind::Document,
            ShapeKind::Enum,
            ShapeKind::IntEnum,
            ShapeKind::List,
            ShapeKind::Set,
            ShapeKind::Map,
            ShapeKind::Structure,
            ShapeKind::Union,
        ];
        for (i, member) in shape.members.iter().enumerate() {
            let path = self.member_path(shape, i);
            let member_id = format!("{}${}", shape.id, member.name);
            let target_path = field(&path, "target");
            let is_enum = matches!(shape.kind, ShapeKind::Enum | ShapeKind::IntEnum);
            if is_enum {
                if member.target != "smithy.api#Unit" {
                    self.push(
                        shape,
                        target_path,
                        &member_id,
                        "enum members must target smithy.api#Unit".into(),
                    );
                }
                let traits_path = field(&path, "traits");
                match (&member.traits.enum_value, shape.kind) {
                    (Some(EnumValue::Int(_)), ShapeKind::Enum) => self.push(
                        shape,
                        traits_path,
                        &member_id,
                        "an enum member's @enumValue must be a string".into(),
                    ),
                    (Some(EnumValue::String(_)) | None, ShapeKind::IntEnum) => self.push(
                        shape,
                        traits_path,
                        &member_id,
                        "an intEnum member needs an integer @enumValue".into(),
                    ),
                    _ => {}
                }
                continue;
            }
            let Some(target) = self.reference(
                shape,
                target_path.clone(),
                &member.target,
                DATA,
                "member target",
            ) else {
                continue;
            };
            if shape.kind == ShapeKind::Map
                && member.name == "key"
                && target.kind != ShapeKind::String
                && target.kind != ShapeKind::Enum
            {
                self.push(
                    shape,
                    target_path,
                    &member_id,
                    format!("map keys must be strings, not {}", target.kind.ast_name()),
                );
            }
            if let Some(default) = &member.traits.default {
                let target_kind = target.kind;
                self.default_value(
                    shape,
                    &field(&path, "traits"),
                    &member_id,
                    default,
                    target_kind,
                );
            }
        }
        if let Some(default) = &shape.traits.default {
            self.default_value(
                shape,
                &field(&shape.path, "traits"),
                &shape.id,
                default,
                shape.kind,
            );
        }
        if shape.kind == ShapeKind::Union && shape.members.is_empty() {
            self.push(
                shape,
                shape.path.clone(),
                &shape.id,
                "a union needs at least one member".into(),
            );
        }
        if let Some(op) = &shape.operation {
            for (key, target) in [("input", &op.input), ("output", &op.output)] {
                if let Some(t) = target {
                    self.reference(
                        shape,
                        field(&field(&shape.path, key), "target"),
                        t,
                        &[ShapeKind::Structure],
                        key,
                    );
                }
            }
            self.errors_list(shape, &op.errors);
        }
        if let Some(svc) = &shape.service {
            for (i, op) in svc.operations.iter().enumerate() {
                self.reference(
                    shape,
                    format!("{}[{i}]", field(&shape.path, "operations")),
                    op,
                    &[ShapeKind::Operation],
                    "operation",
                );
            }
            for (i, r) in svc.resources.iter().enumerate() {
                self.reference(
                    shape,
                    format!("{}[{i}]", field(&shape.path, "resources")),
                    r,
                    &[ShapeKind::Resource],
                    "resource",
                );
            }
            self.errors_list(shape, &svc.errors);
        }
        if let Some(res) = &shape.resource {
            for op in &res.operations {
                self.reference(
                    shape,
                    shape.path.clone(),
                    op,
                    &[ShapeKind::Operation],
                    "resource operation",
                );
            }
            for r in &res.resources {
                self.reference(
                    shape,
                    shape.path.clone(),
                    r,
                    &[ShapeKind::Resource],
                    "child resource",
                );
            }
        }
    }

    fn errors_list(&mut self, shape: &Shape, errors: &[String]) {
        for (i, e) in errors.iter().enumerate() {
            let path = format!("{}[{i}]", field(&shape.path, "errors"));
            if let Some(target) =
                self.reference(shape, path.clone(), e, &[ShapeKind::Structure], "error")
            {
                if target.traits.error.is_none() {
                    self.push(
                        shape,
                        path,
                        &shape.id,
                        format!("error {e} lacks the @error trait"),
                    );
                }
            }
        }
    }

    fn default_value(
        &mut self,
        shape: &Shape,
        traits_path: &str,
        subject: &str,
        value: &Value,
        kind: ShapeKind,
    ) {
        use ShapeKind::*;
        let ok = match (kind, value) {
            (_, Value::Null) => true,
            (Boolean, Value::Bool(_)) => true,
            (Byte | Short | Integer | Long | IntEnum, Value::Number(n)) => n.is_i64(),
            (Float | Double | BigInteger | BigDecimal, Value::Number(_)) => true,
            (Float | Double, Value::String(s)) => {
                matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity")
            }
            (String | Enum | Blob | Timestamp, Value::String(_)) => true,
            (Timestamp, Value::Number(_)) => true,
            (List | Set, Value::Array(a)) => a.is_empty(),
            (Map | Document, Value::Object(o)) => o.is_empty() || kind == Document,
            (Document, _) => true,
            _ => false,
        };
        if !ok {
            self.push(
                shape,
                format!("{traits_path}[\"smithy.api#default\"]"),
                subject,
                format!(
                    "default value {value} does not fit a {} shape",
                    kind.ast_name()
                ),
            );
        }
    }
}
