//! The loader reports every problem at once, each with the shape id and
//! the JSON path, and resolves the prelude, mixins and `apply`.

use smithy_lite_codegen::model::{load_str, ModelErrors, ShapeKind};

fn errors(text: &str) -> ModelErrors {
    match load_str("test.json", text) {
        Ok(_) => panic!("expected the model to be rejected"),
        Err(e) => e,
    }
}

fn has(errors: &ModelErrors, path: &str, shape: &str, message_part: &str) -> bool {
    errors.iter().any(|e| {
        e.path == path && e.shape.as_deref() == Some(shape) && e.message.contains(message_part)
    })
}

#[track_caller]
fn assert_has(errors: &ModelErrors, path: &str, shape: &str, message_part: &str) {
    assert!(
        has(errors, path, shape, message_part),
        "no error at {path} for {shape} containing {message_part:?}; got:\n{errors}"
    );
}

#[test]
fn dangling_target_names_shape_and_path() {
    let e = errors(
        r#"{"smithy": "2.0", "shapes": {
            "ex#A": {"type": "structure", "members": {"b": {"target": "ex#Missing"}}}
        }}"#,
    );
    assert_eq!(e.0.len(), 1, "{e}");
    assert_has(
        &e,
        r#"$.shapes["ex#A"].members.b.target"#,
        "ex#A",
        "ex#Missing is not defined",
    );
    assert!(e.to_string().contains("test.json"), "{e}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = errors(
        r#"{"smithy": "2.0", "shapes": {
            "ex#A": {"type": "structure", "members": {
                "b": {"target": "ex#Missing"},
                "c": {"target": "ex#Op"},
                "d": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": 5}}
            }},
            "ex#Op": {"type": "operation", "input": {"target": "ex#Nope"}, "errors": [{"target": "ex#A"}],
                      "traits": {"smithy.api#http": {"method": "POST"}, "smithy.api#httpError": "x"}},
            "ex#W": {"type": "widget"},
            "ex#L": {"type": "list", "member": {"target": "smithy.api#String"}, "members": {}}
        }}"#,
    );
    assert_has(
        &e,
        r#"$.shapes["ex#A"].members.b.target"#,
        "ex#A",
        "not defined",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#A"].members.c.target"#,
        "ex#A",
        "is a operation, expected",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#A"].members.d.traits["smithy.api#jsonName"]"#,
        "ex#A$d",
        "must be a string",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#Op"].traits["smithy.api#http"]"#,
        "ex#Op",
        "missing required property \"uri\"",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#Op"].traits["smithy.api#httpError"]"#,
        "ex#Op",
        "HTTP status",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#W"].type"#,
        "ex#W",
        "unsupported shape type \"widget\"",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#L"].members"#,
        "ex#L",
        "unsupported property",
    );
    assert!(e.0.len() >= 7, "{e}");
}

#[test]
fn operation_references_are_checked_when_traits_are_fine() {
    let e = errors(
        r#"{"smithy": "2.0", "shapes": {
            "ex#A": {"type": "structure", "members": {}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#Nope"}, "errors": [{"target": "ex#A"}]}
        }}"#,
    );
    assert_has(
        &e,
        r#"$.shapes["ex#Op"].input.target"#,
        "ex#Op",
        "input ex#Nope is not defined",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#Op"].errors[0]"#,
        "ex#Op",
        "lacks the @error trait",
    );
}

#[test]
fn duplicate_shapes_and_members_are_rejected() {
    let e = errors(
        r#"{"smithy": "2.0", "shapes": {
            "ex#A": {"type": "string"},
            "ex#A": {"type": "integer"},
            "ex#B": {"type": "structure", "members": {"x": {"target": "ex#A"}, "x": {"target": "ex#A"}}},
            "ex#b": {"type": "string"}
        }}"#,
    );
    assert!(
        e.iter()
            .any(|x| x.path == r#"$.shapes["ex#A"]"# && x.message.contains("duplicate key")),
        "{e}"
    );
    assert!(
        e.iter()
            .any(|x| x.path == r#"$.shapes["ex#B"].members.x"#
                && x.message.contains("duplicate key")),
        "{e}"
    );
    assert_has(&e, r#"$.shapes["ex#b"]"#, "ex#b", "already defined");
}

#[test]
fn prelude_is_built_in_and_cannot_be_redefined() {
    let model = load_str(
        "ok.json",
        r#"{"smithy": "2.0", "shapes": {
            "ex#A": {"type": "structure", "members": {"s": {"target": "smithy.api#String"},
                                                        "n": {"target": "smithy.api#PrimitiveInteger"}}}
        }}"#,
    )
    .unwrap();
    assert_eq!(
        model.shape("smithy.api#String").unwrap().kind,
        ShapeKind::String
    );
    let e = errors(r#"{"smithy": "2.0", "shapes": {"smithy.api#String": {"type": "string"}}}"#);
    assert_has(
        &e,
        r#"$.shapes["smithy.api#String"]"#,
        "smithy.api#String",
        "prelude",
    );
}

#[test]
fn mixins_and_apply_are_resolved() {
    let model = load_str(
        "mixins.json",
        r#"{"smithy": "2.0", "shapes": {
            "ex#Base": {"type": "structure", "members": {"id": {"target": "smithy.api#String",
                        "traits": {"smithy.api#required": {}}}},
                        "traits": {"smithy.api#mixin": {}, "smithy.api#sensitive": {}}},
            "ex#Thing": {"type": "structure", "mixins": [{"target": "ex#Base"}],
                         "members": {"name": {"target": "smithy.api#String"}}},
            "ex#Thing$name": {"type": "apply", "traits": {"smithy.api#documentation": "Applied."}},
            "ex#Thing$id": {"type": "apply", "traits": {"smithy.api#jsonName": "ID"}}
        }}"#,
    )
    .unwrap();
    let thing = model.shape("ex#Thing").unwrap();
    let names: Vec<&str> = thing.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["id", "name"]);
    assert!(thing.members[0].traits.required);
    assert_eq!(thing.members[0].traits.json_name.as_deref(), Some("ID"));
    assert_eq!(
        thing.members[1].traits.documentation.as_deref(),
        Some("Applied.")
    );
    assert!(thing.traits.sensitive, "mixin traits are copied");
    assert!(!thing.traits.mixin, "the mixin trait itself is not");
}

#[test]
fn mixin_and_apply_problems_are_reported() {
    let e = errors(
        r#"{"smithy": "2.0", "shapes": {
            "ex#A": {"type": "structure", "mixins": [{"target": "ex#B"}], "traits": {"smithy.api#mixin": {}}},
            "ex#B": {"type": "structure", "mixins": [{"target": "ex#A"}], "traits": {"smithy.api#mixin": {}}},
            "ex#C": {"type": "structure", "mixins": [{"target": "ex#D"}]},
            "ex#D": {"type": "structure"},
            "ex#Gone$x": {"type": "apply", "traits": {}}
        }}"#,
    );
    assert!(e.iter().any(|x| x.message.contains("mixin cycle")), "{e}");
    assert_has(
        &e,
        r#"$.shapes["ex#C"].mixins[0]"#,
        "ex#C",
        "not marked @mixin",
    );
    assert_has(&e, r#"$.shapes["ex#Gone$x"]"#, "ex#Gone$x", "not defined");
}

#[test]
fn malformed_documents_are_errors() {
    let e = errors("{\"smithy\": \"2.0\", \"shapes\": {");
    assert_has_no_shape(&e, "$", "not valid JSON");
    let e = errors(r#"{"smithy": "3.0", "shapes": []}"#);
    assert_has_no_shape(&e, "$.smithy", "unsupported Smithy version");
    assert_has_no_shape(&e, "$.shapes", "must be an object");
    let e = errors(r#"{"smithy": "2.0", "shapes": {"NoNamespace": {"type": "string"}}}"#);
    assert_has(
        &e,
        r#"$.shapes["NoNamespace"]"#,
        "NoNamespace",
        "invalid absolute shape id",
    );
}

#[track_caller]
fn assert_has_no_shape(errors: &ModelErrors, path: &str, message_part: &str) {
    assert!(
        errors
            .iter()
            .any(|e| e.path == path && e.shape.is_none() && e.message.contains(message_part)),
        "no error at {path} containing {message_part:?}; got:\n{errors}"
    );
}

#[test]
fn enum_and_default_values_are_checked() {
    let e = errors(
        r#"{"smithy": "2.0", "shapes": {
            "ex#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}},
            "ex#I": {"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit"}}},
            "ex#S": {"type": "structure", "members": {"n": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": "x"}}}}
        }}"#,
    );
    assert_has(
        &e,
        r#"$.shapes["ex#E"].members.A.traits"#,
        "ex#E$A",
        "must be a string",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#I"].members.A.traits"#,
        "ex#I$A",
        "integer @enumValue",
    );
    assert_has(
        &e,
        r#"$.shapes["ex#S"].members.n.traits["smithy.api#default"]"#,
        "ex#S$n",
        "does not fit a integer",
    );
}

#[test]
fn the_xray_model_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/xray.json");
    let model = smithy_lite_codegen::model::load_files(&[path]).unwrap();
    let service = model.services().next().unwrap();
    assert_eq!(model.operations_of(service).len(), 38);
}
