//! Endpoint resolution: the service's `smithy.rules#endpointRuleSet`
//! compiled into Rust, and its `smithy.rules#endpointTests` into tests.
//!
//! The rule set becomes a `Params` struct (one field per parameter) and a
//! `resolve` function whose body is the rules tree as nested `if` and
//! `if let` blocks: conditions are type-checked here, so optional values are
//! narrowed once (`if let Some(region) = region`), assigned results become
//! bindings, templates become `format!` calls and `getAttr` becomes field
//! access. Nothing is interpreted at run time; the functions of the rules
//! library live in `smithy_lite::endpoint`.
//!
//! Anything the compiler does not support is an error naming its JSON path
//! inside the trait.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

use super::docs;
use crate::model::Shape;
use crate::rust::naming;
use crate::rust::symbols::ident;

/// The rule set trait.
pub const RULE_SET: &str = "smithy.rules#endpointRuleSet";
/// The endpoint tests trait.
pub const TESTS: &str = "smithy.rules#endpointTests";

/// The generated endpoint module and, when the model has test cases, the
/// tests that run them.
pub struct EndpointCode {
    pub module: TokenStream,
    pub tests: Option<TokenStream>,
}

/// Compiles the service's rule set (`None` when it has none). `krate` is
/// the operation crate's name as a Rust path (`xray`).
pub fn generate(service: &Shape, krate: &str) -> std::result::Result<Option<EndpointCode>, String> {
    let Some(rule_set) = service.traits.raw.get(RULE_SET) else {
        return Ok(None);
    };
    let fail = |e: Error| format!("service {}: {}: {}", service.id, e.path, e.message);
    let compiler = Compiler::new(rule_set).map_err(fail)?;
    let module = compiler.module().map_err(fail)?;
    let tests = match service.traits.raw.get(TESTS) {
        Some(tests) => compiler.tests(tests, krate).map_err(fail)?,
        None => None,
    };
    Ok(Some(EndpointCode { module, tests }))
}

/// A problem, with the JSON path of what caused it.
#[derive(Debug)]
struct Error {
    path: String,
    message: String,
}

type Result<T> = std::result::Result<T, Error>;

fn err<T>(path: &str, message: impl Into<String>) -> Result<T> {
    Err(Error {
        path: path.to_owned(),
        message: message.into(),
    })
}

/// The types of the rules language, as the compiler tracks them.
#[derive(Clone, Debug, PartialEq)]
enum Ty {
    Str,
    Bool,
    /// An array of strings (`stringArray` parameters, ARN resource ids).
    Arr,
    Int,
    Partition,
    Url,
    Arn,
    Opt(Box<Ty>),
}

/// A compiled expression. Its Rust form by type: `Str` is a `&str`
/// (`owned`: a `String`), `Arr` a `&[String]` (`owned`: a `Vec<String>`
/// place), `Bool` a `bool`, the structures the runtime's types, and
/// `Opt(T)` an `Option` of T's form.
#[derive(Clone)]
struct Val {
    ts: TokenStream,
    ty: Ty,
    owned: bool,
    /// The negation, when it reads better than `!ts` (`a != b`).
    not: Option<TokenStream>,
    /// The variable's name, when `ts` is just a variable.
    var: Option<String>,
}

impl Val {
    fn new(ts: TokenStream, ty: Ty) -> Self {
        Val {
            ts,
            ty,
            owned: false,
            not: None,
            var: None,
        }
    }

    fn bool_with_not(ts: TokenStream, not: TokenStream) -> Self {
        Val {
            not: Some(not),
            ..Val::new(ts, Ty::Bool)
        }
    }

    /// The value as a `&str` function argument.
    fn str_arg(&self) -> TokenStream {
        let ts = &self.ts;
        if self.owned {
            quote!(&#ts)
        } else {
            ts.clone()
        }
    }

    /// The value as a `&str` operand of `==`.
    fn str_cmp(&self) -> TokenStream {
        let ts = &self.ts;
        if self.owned {
            quote!(#ts.as_str())
        } else {
            ts.clone()
        }
    }

    fn negated(&self) -> TokenStream {
        match &self.not {
            Some(n) => n.clone(),
            None => {
                let ts = &self.ts;
                quote!(!#ts)
            }
        }
    }
}

/// A variable in scope: a parameter or an assigned result.
#[derive(Clone)]
struct Var {
    ident: Ident,
    ty: Ty,
}

type Scope = BTreeMap<String, Var>;

#[derive(Clone, Copy, Debug, PartialEq)]
enum ParamKind {
    Str,
    Bool,
    Arr,
}

struct Param {
    name: String,
    field: Ident,
    kind: ParamKind,
    default: Option<Value>,
    required: bool,
    doc: Option<String>,
    built_in: Option<String>,
}

impl Param {
    fn ty(&self) -> Ty {
        match self.kind {
            ParamKind::Str => Ty::Str,
            ParamKind::Bool => Ty::Bool,
            ParamKind::Arr => Ty::Arr,
        }
    }

    /// The field's Rust type: the value itself with a default, else an
    /// `Option`.
    fn field_type(&self) -> TokenStream {
        let base = match self.kind {
            ParamKind::Str => quote!(String),
            ParamKind::Bool => quote!(bool),
            ParamKind::Arr => quote!(Vec<String>),
        };
        if self.default.is_some() {
            base
        } else {
            quote!(Option<#base>)
        }
    }

    /// A Rust value of the parameter's type (without `Option`).
    fn rust_value(&self, v: &Value, path: &str) -> Result<TokenStream> {
        Ok(match (self.kind, v) {
            (ParamKind::Str, Value::String(s)) => quote!(#s.to_owned()),
            (ParamKind::Bool, Value::Bool(b)) => quote!(#b),
            (ParamKind::Arr, Value::Array(items)) => {
                let items = items
                    .iter()
                    .map(|i| match i {
                        Value::String(s) => Ok(quote!(#s.to_owned())),
                        _ => err(path, "a stringArray value must hold strings"),
                    })
                    .collect::<Result<Vec<_>>>()?;
                quote!(vec![#(#items),*])
            }
            _ => return err(path, format!("{} is not a {:?} value", v, self.kind)),
        })
    }

    /// A Rust value of the field's type for a JSON value, or `None` when it
    /// equals the parameter's default.
    fn field_value(&self, v: &Value, path: &str) -> Result<Option<TokenStream>> {
        let value = self.rust_value(v, path)?;
        Ok(match &self.default {
            Some(d) if d == v => None,
            Some(_) => Some(value),
            None => Some(quote!(Some(#value))),
        })
    }

    /// Whether the default is the Rust type's own `Default`.
    fn default_is_trivial(&self) -> bool {
        match &self.default {
            None => true,
            Some(Value::Bool(b)) => !b,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            Some(_) => false,
        }
    }
}

/// Names generated code uses that variables must not take.
const RESERVED: &[&str] = &["params", "rt"];

pub(crate) fn var_ident(name: &str) -> Ident {
    let snake = naming::snake_case(name);
    let snake = if snake.is_empty() {
        "value".to_owned()
    } else {
        snake
    };
    let snake =
        if snake.starts_with(|c: char| c.is_ascii_digit()) || RESERVED.contains(&snake.as_str()) {
            format!("v_{snake}")
        } else {
            snake
        };
    ident(&naming::escape_ident(&snake))
}

/// The identifier for a new variable `name`, unlike those of the other
/// variables in scope.
fn fresh_ident(name: &str, scope: &Scope) -> Ident {
    let mut id = var_ident(name);
    while scope.iter().any(|(n, v)| n != name && v.ident == id) {
        id = ident(&format!("{}_", naming::unraw(&id.to_string())));
    }
    id
}

struct Compiler<'a> {
    rule_set: &'a Value,
    params: Vec<Param>,
}

const ROOT: &str = RULE_SET;

impl<'a> Compiler<'a> {
    fn new(rule_set: &'a Value) -> Result<Self> {
        let Some(params_json) = rule_set.get("parameters").and_then(Value::as_object) else {
            return err(ROOT, "the rule set has no `parameters` object");
        };
        let mut params = Vec::new();
        let mut fields = BTreeSet::new();
        for (name, p) in params_json {
            let path = format!("{ROOT}/parameters/{name}");
            let kind = match p
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("string") => ParamKind::Str,
                Some("boolean") => ParamKind::Bool,
                Some("stringarray") => ParamKind::Arr,
                other => return err(&path, format!("unsupported parameter type {other:?}")),
            };
            let field = var_ident(name);
            if !fields.insert(field.to_string()) {
                return err(&path, format!("two parameters are named `{field}` in Rust"));
            }
            let param = Param {
                name: name.clone(),
                field,
                kind,
                default: p.get("default").cloned(),
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                // The rule set's parameter documentation is the service
                // owner's prose: generated docs say only what we derive.
                doc: None,
                built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
            };
            if let Some(d) = &param.default {
                param.rust_value(d, &format!("{path}/default"))?;
            }
            params.push(param);
        }
        Ok(Compiler { rule_set, params })
    }

    fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    fn module(&self) -> Result<TokenStream> {
        let Some(rules) = self.rule_set.get("rules").and_then(Value::as_array) else {
            return err(ROOT, "the rule set has no `rules` array");
        };
        let mut used = BTreeSet::new();
        refs(&self.rule_set["rules"], &mut used);

        // Parameters as locals: only those the rules read, plus the
        // check of each required parameter without a default.
        let mut scope = Scope::new();
        let mut locals = TokenStream::new();
        for p in &self.params {
            let id = &p.field;
            let name = &p.name;
            let missing = p.required && p.default.is_none();
            if !used.contains(&p.name) {
                if missing {
                    locals.extend(quote! {
                        if params.#id.is_none() {
                            return Err(rt::EndpointError::missing(#name));
                        }
                    });
                }
                continue;
            }
            let value = match (p.kind, p.default.is_some()) {
                (ParamKind::Bool, _) => quote!(params.#id),
                (ParamKind::Str, true) => quote!(params.#id.as_str()),
                (ParamKind::Arr, true) => quote!(params.#id.as_slice()),
                (_, false) => quote!(params.#id.as_deref()),
            };
            let ty = if missing {
                locals.extend(quote! {
                    let Some(#id) = #value else {
                        return Err(rt::EndpointError::missing(#name));
                    };
                });
                p.ty()
            } else {
                locals.extend(quote!(let #id = #value;));
                if p.default.is_some() {
                    p.ty()
                } else {
                    Ty::Opt(Box::new(p.ty()))
                }
            };
            scope.insert(
                p.name.clone(),
                Var {
                    ident: id.clone(),
                    ty,
                },
            );
        }
        let params_arg = if locals.is_empty() {
            quote!(_params)
        } else {
            quote!(params)
        };
        let (body, diverges) = self.rules(rules, &scope, &format!("{ROOT}/rules"), true)?;
        let tail = if diverges {
            TokenStream::new()
        } else {
            quote!(Err(rt::EndpointError::no_rule_matched()))
        };

        let fields = self.params.iter().map(|p| {
            let mut doc = p
                .doc
                .clone()
                .unwrap_or_else(|| format!("The rule set's `{}` parameter.", p.name));
            if let Some(b) = &p.built_in {
                doc.push_str(&format!("\n\nBuilt-in `{b}`."));
            }
            if let Some(d) = &p.default {
                doc.push_str(&format!("\n\nDefault: `{d}`."));
            } else if p.required {
                doc.push_str("\n\nRequired.");
            }
            let doc = docs::attrs(Some(&doc));
            let id = &p.field;
            let ty = p.field_type();
            quote!(#doc pub #id: #ty,)
        });
        let (derive_default, default_impl) = if self.params.iter().all(Param::default_is_trivial) {
            (quote!(Default,), TokenStream::new())
        } else {
            let inits = self.params.iter().map(|p| {
                let id = &p.field;
                let value = match &p.default {
                    Some(d) => p
                        .rust_value(d, ROOT)
                        .unwrap_or_else(|_| quote!(Default::default())),
                    None => quote!(None),
                };
                quote!(#id: #value,)
            });
            (
                TokenStream::new(),
                quote! {
                    impl Default for Params {
                        fn default() -> Self {
                            Self { #(#inits)* }
                        }
                    }
                },
            )
        };
        Ok(quote! {
            //! Endpoint resolution, compiled from the service's endpoint rule set.
            //!
            //! Fill in [`Params`] (region, FIPS and dual-stack flags, an endpoint
            //! override) and call [`resolve`].

            use ::smithy_lite::endpoint as rt;

            /// The parameters of the endpoint rule set.
            #[derive(Clone, Debug, #derive_default PartialEq)]
            pub struct Params {
                #(#fields)*
            }

            #default_impl

            /// Resolves the endpoint for `params`, or the rule set's error.
            pub fn resolve(#params_arg: &Params) -> Result<rt::Endpoint, rt::EndpointError> {
                #locals
                #body
                #tail
            }
        })
    }

    /// A list of rules, tried in order. Returns the code and whether it
    /// always returns (so nothing may follow it). With `tail`, a final
    /// unconditional result is the block's value rather than a `return`.
    fn rules(
        &self,
        rules: &[Value],
        scope: &Scope,
        path: &str,
        tail: bool,
    ) -> Result<(TokenStream, bool)> {
        let mut out = TokenStream::new();
        for (i, rule) in rules.iter().enumerate() {
            let (ts, diverges) = self.rule(rule, scope, &format!("{path}/{i}"), tail)?;
            out.extend(ts);
            if diverges {
                // Later rules cannot be reached.
                return Ok((out, true));
            }
        }
        Ok((out, false))
    }

    fn rule(
        &self,
        rule: &Value,
        scope: &Scope,
        path: &str,
        tail: bool,
    ) -> Result<(TokenStream, bool)> {
        let Some(obj) = rule.as_object() else {
            return err(path, "a rule must be an object");
        };
        let conditions: &[Value] = match obj.get("conditions") {
            Some(Value::Array(c)) => c,
            None => &[],
            Some(_) => return err(&format!("{path}/conditions"), "must be an array"),
        };
        let kind = obj.get("type").and_then(Value::as_str).unwrap_or("");
        let mut scope = scope.clone();
        let mut layers: Vec<Layer> = Vec::new();
        for (i, c) in conditions.iter().enumerate() {
            // What the rest of the rule reads decides which results are bound.
            let mut later = BTreeSet::new();
            for rest in &conditions[i + 1..] {
                refs(rest, &mut later);
            }
            for (k, v) in obj {
                if !matches!(k.as_str(), "conditions" | "documentation" | "type") {
                    refs(v, &mut later);
                }
            }
            for cond in self.condition(c, &mut scope, &later, &format!("{path}/conditions/{i}"))? {
                match (cond, layers.last_mut()) {
                    (Cond::Test(t), Some(Layer::If(tests))) => tests.push(t),
                    (Cond::Test(t), _) => layers.push(Layer::If(vec![t])),
                    (Cond::IfLet(id, ts), _) => layers.push(Layer::IfLet(id, ts)),
                    (Cond::Let(stmt), _) => layers.push(Layer::Let(stmt)),
                }
            }
        }
        let unconditional = layers.iter().all(|l| matches!(l, Layer::Let(_)));
        let tail = tail && unconditional;
        let ret = |value: TokenStream| {
            if tail {
                value
            } else {
                quote!(return #value;)
            }
        };
        let mut body = match kind {
            "endpoint" => {
                let Some(e) = obj.get("endpoint") else {
                    return err(path, "an endpoint rule needs `endpoint`");
                };
                let e = self.endpoint(e, &scope, &format!("{path}/endpoint"))?;
                ret(quote!(Ok(#e)))
            }
            "error" => {
                let Some(e) = obj.get("error") else {
                    return err(path, "an error rule needs `error`");
                };
                let msg = self.string(e, &scope, &format!("{path}/error"))?;
                let msg = &msg.ts;
                ret(quote!(Err(rt::EndpointError::new(#msg))))
            }
            "tree" => {
                let Some(Value::Array(sub)) = obj.get("rules") else {
                    return err(path, "a tree rule needs a `rules` array");
                };
                let (mut ts, diverges) = self.rules(sub, &scope, &format!("{path}/rules"), tail)?;
                if !diverges {
                    ts.extend(ret(quote!(Err(rt::EndpointError::no_rule_matched()))));
                }
                ts
            }
            other => {
                return err(
                    &format!("{path}/type"),
                    format!("unsupported rule type {other:?}"),
                )
            }
        };
        let leading_lets = matches!(layers.first(), Some(Layer::Let(_)));
        for layer in layers.into_iter().rev() {
            body = match layer {
                Layer::If(tests) => quote!(if #(#tests)&&* { #body }),
                Layer::IfLet(id, ts) => quote!(if let Some(#id) = #ts { #body }),
                Layer::Let(stmt) => quote!(#stmt #body),
            };
        }
        if leading_lets && !unconditional {
            body = quote!({ #body });
        }
        Ok((body, unconditional))
    }

    /// One condition: what it tests and what it binds.
    fn condition(
        &self,
        c: &Value,
        scope: &mut Scope,
        later: &BTreeSet<String>,
        path: &str,
    ) -> Result<Vec<Cond>> {
        let Some(obj) = c.as_object() else {
            return err(path, "a condition must be an object");
        };
        let assign = obj.get("assign").and_then(Value::as_str);
        // `isSet` of an optional variable narrows it for the rest of the rule.
        if let (Some("isSet"), None, Some([Value::Object(arg)])) = (
            obj.get("fn").and_then(Value::as_str),
            assign,
            obj.get("argv").and_then(Value::as_array).map(Vec::as_slice),
        ) {
            if let Some(Value::String(name)) = arg.get("ref") {
                if let Some(var) = scope.get(name).cloned() {
                    if let Ty::Opt(inner) = var.ty {
                        let id = var.ident;
                        if later.contains(name) {
                            scope.insert(
                                name.clone(),
                                Var {
                                    ident: id.clone(),
                                    ty: *inner,
                                },
                            );
                            return Ok(vec![Cond::IfLet(id.clone(), quote!(#id))]);
                        }
                        return Ok(vec![Cond::Test(quote!(#id.is_some()))]);
                    }
                    // Already narrowed (or never optional): always true.
                    return Ok(vec![]);
                }
            }
        }
        let val = self.function(obj, scope, path)?;
        let Some(name) = assign else {
            return Ok(match val.ty {
                Ty::Bool => vec![Cond::Test(val.ts)],
                Ty::Opt(_) => {
                    let ts = val.ts;
                    vec![Cond::Test(quote!(#ts.is_some()))]
                }
                _ => vec![],
            });
        };
        if self.param(name).is_some() {
            return err(
                &format!("{path}/assign"),
                format!("`{name}` is already a parameter"),
            );
        }
        let used = later.contains(name);
        let id = fresh_ident(name, scope);
        let ts = val.ts.clone();
        Ok(match val.ty {
            Ty::Opt(inner) => {
                if !used {
                    return Ok(vec![Cond::Test(quote!(#ts.is_some()))]);
                }
                scope.insert(
                    name.to_owned(),
                    Var {
                        ident: id.clone(),
                        ty: *inner,
                    },
                );
                vec![Cond::IfLet(id, ts)]
            }
            Ty::Bool if !used => vec![Cond::Test(ts)],
            _ if !used => vec![],
            ty => {
                let stmt = match (&ty, val.owned) {
                    (Ty::Str, true) => quote!(let #id: &str = &#ts;),
                    (Ty::Arr, true) => quote!(let #id = #ts.as_slice();),
                    _ => quote!(let #id = #ts;),
                };
                let mut conds = vec![Cond::Let(stmt)];
                if ty == Ty::Bool {
                    conds.push(Cond::Test(quote!(#id)));
                }
                scope.insert(name.to_owned(), Var { ident: id, ty });
                conds
            }
        })
    }

    /// Any expression: a string (template), a boolean, a number, a
    /// reference or a function call.
    fn expr(&self, v: &Value, scope: &Scope, path: &str) -> Result<Val> {
        match v {
            Value::String(s) => self.template(s, scope, path),
            Value::Bool(b) => Ok(Val::new(quote!(#b), Ty::Bool)),
            Value::Number(n) => match n.as_u64() {
                Some(n) => {
                    let n = Literal::usize_unsuffixed(n as usize);
                    Ok(Val::new(quote!(#n), Ty::Int))
                }
                None => err(path, "only non-negative integers are supported"),
            },
            Value::Object(obj) => {
                if let Some(r) = obj.get("ref") {
                    let Some(name) = r.as_str() else {
                        return err(path, "`ref` must be a string");
                    };
                    return self.reference(name, scope, path);
                }
                if obj.contains_key("fn") {
                    return self.function(obj, scope, path);
                }
                err(
                    path,
                    "expected a reference (`ref`) or a function call (`fn`)",
                )
            }
            _ => err(path, format!("unsupported expression {v}")),
        }
    }

    fn reference(&self, name: &str, scope: &Scope, path: &str) -> Result<Val> {
        match scope.get(name) {
            Some(var) => {
                let id = &var.ident;
                Ok(Val {
                    var: Some(id.to_string()),
                    ..Val::new(quote!(#id), var.ty.clone())
                })
            }
            None => err(
                path,
                format!("`{name}` is not a parameter or a variable in scope"),
            ),
        }
    }

    /// An expression that must be a (non-optional) string.
    fn string(&self, v: &Value, scope: &Scope, path: &str) -> Result<Val> {
        let val = self.expr(v, scope, path)?;
        match val.ty {
            Ty::Str => Ok(val),
            Ty::Opt(_) => err(
                path,
                "an optional value is used as a string; check it with `isSet` (or assign it) first",
            ),
            ty => err(path, format!("expected a string, found {ty:?}")),
        }
    }

    fn function(&self, obj: &Map<String, Value>, scope: &Scope, path: &str) -> Result<Val> {
        let Some(name) = obj.get("fn").and_then(Value::as_str) else {
            return err(path, "a function call needs `fn`");
        };
        let argv: &[Value] = match obj.get("argv") {
            Some(Value::Array(a)) => a,
            _ => return err(path, "a function call needs an `argv` array"),
        };
        let arity = |n: usize| {
            if argv.len() == n {
                Ok(())
            } else {
                err(
                    &format!("{path}/argv"),
                    format!("`{name}` takes {n} arguments, found {}", argv.len()),
                )
            }
        };
        let arg = |i: usize| self.expr(&argv[i], scope, &format!("{path}/argv/{i}"));
        let str_arg = |i: usize| self.string(&argv[i], scope, &format!("{path}/argv/{i}"));
        let bool_arg = |i: usize| -> Result<Val> {
            let v = arg(i)?;
            if v.ty == Ty::Bool {
                Ok(v)
            } else {
                err(
                    &format!("{path}/argv/{i}"),
                    format!("expected a boolean, found {:?}", v.ty),
                )
            }
        };
        match name {
            "isSet" => {
                arity(1)?;
                let v = arg(0)?;
                let ts = v.ts;
                Ok(match v.ty {
                    Ty::Opt(_) => Val::bool_with_not(quote!(#ts.is_some()), quote!(#ts.is_none())),
                    // Not optional: always set.
                    _ => Val::bool_with_not(quote!(true), quote!(false)),
                })
            }
            "not" => {
                arity(1)?;
                let v = bool_arg(0)?;
                let not = v.negated();
                Ok(Val::bool_with_not(not, v.ts))
            }
            "booleanEquals" => {
                arity(2)?;
                let (a, b) = (arg(0)?, arg(1)?);
                let is_bool = |t: &Ty| matches!(t, Ty::Bool) || *t == Ty::Opt(Box::new(Ty::Bool));
                if !is_bool(&a.ty) || !is_bool(&b.ty) {
                    return err(
                        path,
                        format!(
                            "`booleanEquals` compares booleans, found {:?} and {:?}",
                            a.ty, b.ty
                        ),
                    );
                }
                // Comparisons with a literal read as the value or its negation.
                for (lit, other) in [(&argv[0], &b), (&argv[1], &a)] {
                    if let (Value::Bool(lit), Ty::Bool) = (lit, &other.ty) {
                        return Ok(if *lit {
                            other.clone()
                        } else {
                            Val::bool_with_not(other.negated(), other.ts.clone())
                        });
                    }
                }
                Ok(equality(&a, &b, |v| v.ts.clone()))
            }
            "stringEquals" => {
                arity(2)?;
                let (a, b) = (arg(0)?, arg(1)?);
                let is_str = |t: &Ty| matches!(t, Ty::Str) || *t == Ty::Opt(Box::new(Ty::Str));
                if !is_str(&a.ty) || !is_str(&b.ty) {
                    return err(
                        path,
                        format!(
                            "`stringEquals` compares strings, found {:?} and {:?}",
                            a.ty, b.ty
                        ),
                    );
                }
                Ok(equality(&a, &b, Val::str_cmp))
            }
            "getAttr" => {
                arity(2)?;
                let target = arg(0)?;
                let Value::String(attr) = &argv[1] else {
                    return err(
                        &format!("{path}/argv/1"),
                        "the `getAttr` path must be a string",
                    );
                };
                get_attr(target, attr, &format!("{path}/argv/1"))
            }
            "parseURL" => {
                arity(1)?;
                let s = str_arg(0)?.str_arg();
                Ok(Val::new(
                    quote!(rt::parse_url(#s)),
                    Ty::Opt(Box::new(Ty::Url)),
                ))
            }
            "substring" => {
                arity(4)?;
                let s = str_arg(0)?.str_arg();
                let (start, stop) = (arg(1)?, arg(2)?);
                if start.ty != Ty::Int || stop.ty != Ty::Int {
                    return err(path, "`substring` indexes must be integer literals");
                }
                let reverse = bool_arg(3)?.ts;
                let (start, stop) = (start.ts, stop.ts);
                Ok(Val::new(
                    quote!(rt::substring(#s, #start, #stop, #reverse)),
                    Ty::Opt(Box::new(Ty::Str)),
                ))
            }
            "uriEncode" => {
                arity(1)?;
                let s = str_arg(0)?.str_arg();
                Ok(Val {
                    owned: true,
                    ..Val::new(quote!(rt::uri_encode(#s)), Ty::Str)
                })
            }
            "isValidHostLabel" | "aws.isVirtualHostableS3Bucket" => {
                arity(2)?;
                let s = str_arg(0)?.str_arg();
                let dots = bool_arg(1)?.ts;
                let f = if name == "isValidHostLabel" {
                    quote!(rt::is_valid_host_label)
                } else {
                    quote!(rt::is_virtual_hostable_s3_bucket)
                };
                Ok(Val::new(quote!(#f(#s, #dots)), Ty::Bool))
            }
            "aws.partition" => {
                arity(1)?;
                let s = str_arg(0)?.str_arg();
                Ok(Val::new(
                    quote!(rt::partition(#s)),
                    Ty::Opt(Box::new(Ty::Partition)),
                ))
            }
            "aws.parseArn" => {
                arity(1)?;
                let s = str_arg(0)?.str_arg();
                Ok(Val::new(
                    quote!(rt::parse_arn(#s)),
                    Ty::Opt(Box::new(Ty::Arn)),
                ))
            }
            other => err(
                &format!("{path}/fn"),
                format!("unsupported function `{other}`"),
            ),
        }
    }

    /// A template string: `{Name}` and `{Name#path}` are replaced by string
    /// values; `{{` and `}}` stand for braces.
    fn template(&self, s: &str, scope: &Scope, path: &str) -> Result<Val> {
        let parts = parse_template(s).map_err(|m| Error {
            path: path.to_owned(),
            message: m,
        })?;
        match parts.as_slice() {
            [] => return Ok(Val::new(quote!(""), Ty::Str)),
            [Part::Lit(l)] => return Ok(Val::new(quote!(#l), Ty::Str)),
            _ => {}
        }
        let mut fmt = String::new();
        let mut args = Vec::new();
        let mut vals = Vec::new();
        for part in &parts {
            match part {
                Part::Lit(l) => fmt.push_str(&l.replace('{', "{{").replace('}', "}}")),
                Part::Ref(name, attr) => {
                    let mut v = self.reference(name, scope, path)?;
                    if let Some(attr) = attr {
                        v = get_attr(v, attr, path)?;
                    }
                    match &v.ty {
                        Ty::Str => {}
                        Ty::Opt(_) => {
                            return err(
                                path,
                                format!("`{name}` may be unset here; check it with `isSet` first"),
                            )
                        }
                        ty => return err(path, format!("`{{{name}}}` is a {ty:?}, not a string")),
                    }
                    match &v.var {
                        Some(var) if !var.starts_with("r#") => {
                            fmt.push('{');
                            fmt.push_str(var);
                            fmt.push('}');
                        }
                        _ => {
                            fmt.push_str("{}");
                            args.push(v.ts.clone());
                        }
                    }
                    vals.push(v);
                }
            }
        }
        if let ([v], [Part::Ref(..)]) = (vals.as_slice(), parts.as_slice()) {
            return Ok(v.clone());
        }
        Ok(Val {
            owned: true,
            ..Val::new(quote!(format!(#fmt #(, #args)*)), Ty::Str)
        })
    }

    fn endpoint(&self, e: &Value, scope: &Scope, path: &str) -> Result<TokenStream> {
        let Some(obj) = e.as_object() else {
            return err(path, "an endpoint must be an object");
        };
        let Some(url) = obj.get("url") else {
            return err(path, "an endpoint needs a `url`");
        };
        let url = self.string(url, scope, &format!("{path}/url"))?.ts;
        let mut out = quote!(rt::Endpoint::new(#url));
        if let Some(headers) = obj.get("headers") {
            let Some(headers) = headers.as_object() else {
                return err(&format!("{path}/headers"), "must be an object");
            };
            for (name, values) in headers {
                let Some(values) = values.as_array() else {
                    return err(&format!("{path}/headers/{name}"), "must be an array");
                };
                for (i, v) in values.iter().enumerate() {
                    let v = self
                        .string(v, scope, &format!("{path}/headers/{name}/{i}"))?
                        .ts;
                    out = quote!(#out.header(#name, #v));
                }
            }
        }
        if let Some(props) = obj.get("properties") {
            let Some(props) = props.as_object() else {
                return err(&format!("{path}/properties"), "must be an object");
            };
            for (name, v) in props {
                let v = self.document(v, scope, &format!("{path}/properties/{name}"))?;
                out = quote!(#out.property(#name, #v));
            }
        }
        Ok(out)
    }

    /// An endpoint property value; strings are templates.
    fn document(&self, v: &Value, scope: &Scope, path: &str) -> Result<TokenStream> {
        Ok(match v {
            Value::String(_) => {
                let s = self.string(v, scope, path)?;
                let ts = s.ts;
                if s.owned {
                    quote!(rt::Document::String(#ts))
                } else {
                    quote!(rt::Document::String(#ts.to_owned()))
                }
            }
            Value::Object(obj) if obj.contains_key("ref") || obj.contains_key("fn") => {
                let val = self.expr(v, scope, path)?;
                let ts = &val.ts;
                match (&val.ty, val.owned) {
                    (Ty::Str, true) => quote!(rt::Document::String(#ts)),
                    (Ty::Str, false) => quote!(rt::Document::String(#ts.to_owned())),
                    (Ty::Bool, _) => quote!(rt::Document::Bool(#ts)),
                    (ty, _) => return err(path, format!("a {ty:?} cannot be a property value")),
                }
            }
            Value::Object(obj) => {
                let entries = obj
                    .iter()
                    .map(|(k, v)| {
                        let v = self.document(v, scope, &format!("{path}/{k}"))?;
                        Ok(quote!((#k, #v)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                quote!(rt::object([#(#entries),*]))
            }
            Value::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.document(v, scope, &format!("{path}/{i}")))
                    .collect::<Result<Vec<_>>>()?;
                quote!(rt::Document::Array(vec![#(#items),*]))
            }
            other => literal_document(other, quote!(rt::Document)),
        })
    }

    /// The test file: one test per case of `smithy.rules#endpointTests`.
    fn tests(&self, tests: &Value, krate: &str) -> Result<Option<TokenStream>> {
        let root = TESTS;
        let cases: &[Value] = match tests.get("testCases") {
            Some(Value::Array(c)) => c,
            None => &[],
            Some(_) => return err(&format!("{root}/testCases"), "must be an array"),
        };
        if cases.is_empty() {
            return Ok(None);
        }
        let krate = ident(krate);
        let mut names = BTreeSet::new();
        let mut fns = TokenStream::new();
        let (mut wants_endpoint, mut wants_error, mut wants_document) = (false, false, false);
        for (i, case) in cases.iter().enumerate() {
            let path = format!("{root}/testCases/{i}");
            let doc = case
                .get("documentation")
                .and_then(Value::as_str)
                .unwrap_or("");
            let mut name = naming::snake_case(doc);
            if name.is_empty() {
                name = format!("case_{i}");
            } else if name.starts_with(|c: char| c.is_ascii_digit()) {
                name = format!("case_{name}");
            }
            let mut unique = name.clone();
            let mut n = 2;
            while !names.insert(unique.clone()) {
                unique = format!("{name}_{n}");
                n += 1;
            }
            let test_name = ident(&naming::escape_ident(&unique));

            let mut inits = Vec::new();
            if let Some(ps) = case.get("params") {
                let Some(ps) = ps.as_object() else {
                    return err(&format!("{path}/params"), "must be an object");
                };
                for (k, v) in ps {
                    let Some(p) = self.param(k) else {
                        return err(
                            &format!("{path}/params/{k}"),
                            format!("the rule set has no parameter `{k}`"),
                        );
                    };
                    if let Some(value) = p.field_value(v, &format!("{path}/params/{k}"))? {
                        let id = &p.field;
                        inits.push(quote!(#id: #value));
                    }
                }
            }
            let params = if inits.is_empty() {
                quote!(Params::default())
            } else if inits.len() == self.params.len() {
                quote!(Params { #(#inits),* })
            } else {
                quote!(Params { #(#inits,)* ..Default::default() })
            };
            let expect = case.get("expect").unwrap_or(&Value::Null);
            let doc = docs::own(doc);
            let body = if let Some(message) = expect.get("error") {
                let Some(message) = message.as_str() else {
                    return err(&format!("{path}/expect/error"), "must be a string");
                };
                wants_error = true;
                quote!(error(&#params, #message);)
            } else if let Some(e) = expect.get("endpoint") {
                let Some(url) = e.get("url").and_then(Value::as_str) else {
                    return err(&format!("{path}/expect/endpoint"), "needs a `url` string");
                };
                wants_endpoint = true;
                let mut checks = TokenStream::new();
                if let Some(headers) = e.get("headers").and_then(Value::as_object) {
                    let entries = headers.iter().map(|(k, vs)| {
                        let vs = vs
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str);
                        quote!((#k.to_owned(), vec![#(#vs.to_owned()),*]))
                    });
                    checks.extend(quote! {
                        assert_eq!(e.headers, ::std::collections::BTreeMap::from([#(#entries),*]));
                    });
                }
                if let Some(props) = e.get("properties").and_then(Value::as_object) {
                    wants_document = true;
                    let entries = props.iter().map(|(k, v)| {
                        let v = literal_document(v, quote!(Document));
                        quote!((#k.to_owned(), #v))
                    });
                    checks.extend(quote! {
                        assert_eq!(e.properties, ::std::collections::BTreeMap::from([#(#entries),*]));
                    });
                }
                if checks.is_empty() {
                    quote!(endpoint(&#params, #url);)
                } else {
                    quote! {
                        let e = endpoint(&#params, #url);
                        #checks
                    }
                }
            } else {
                return err(
                    &format!("{path}/expect"),
                    "expects neither an endpoint nor an error",
                );
            };
            fns.extend(quote! {
                #doc
                #[test]
                fn #test_name() {
                    #body
                }
            });
        }
        let endpoint_helper = wants_endpoint.then(|| {
            quote! {
                /// Resolves `params`, expecting an endpoint with `url`.
                #[track_caller]
                fn endpoint(params: &Params, url: &str) -> ::smithy_lite::endpoint::Endpoint {
                    match resolve(params) {
                        Ok(e) => {
                            assert_eq!(e.url, url);
                            e
                        }
                        Err(e) => panic!("expected {url}, got the error {e:?}"),
                    }
                }
            }
        });
        let error_helper = wants_error.then(|| {
            quote! {
                /// Resolves `params`, expecting the error `message`.
                #[track_caller]
                fn error(params: &Params, message: &str) {
                    match resolve(params) {
                        Ok(e) => panic!("expected the error {message:?}, got {}", e.url),
                        Err(e) => assert_eq!(e.to_string(), message),
                    }
                }
            }
        });
        let document_use = wants_document.then(|| {
            quote!(
                use ::smithy_lite::endpoint::Document;
            )
        });
        Ok(Some(quote! {
            //! The model's endpoint test cases (`smithy.rules#endpointTests`), run
            //! against the compiled rule set.

            use #krate::endpoint::{resolve, Params};
            #document_use

            #endpoint_helper
            #error_helper
            #fns
        }))
    }
}

/// A JSON value as a document, strings taken literally.
fn literal_document(v: &Value, doc: TokenStream) -> TokenStream {
    match v {
        Value::Null => quote!(#doc::Null),
        Value::Bool(b) => quote!(#doc::Bool(#b)),
        Value::String(s) => quote!(#doc::String(#s.to_owned())),
        Value::Number(n) => {
            let number = quote!(::smithy_lite::types::Number);
            if let Some(u) = n.as_u64() {
                quote!(#doc::Number(#number::PosInt(#u)))
            } else if let Some(i) = n.as_i64() {
                quote!(#doc::Number(#number::NegInt(#i)))
            } else {
                let f = n.as_f64().unwrap_or_default();
                quote!(#doc::Number(#number::Float(#f)))
            }
        }
        Value::Array(items) => {
            let items = items.iter().map(|i| literal_document(i, doc.clone()));
            quote!(#doc::Array(vec![#(#items),*]))
        }
        Value::Object(obj) => {
            let entries = obj.iter().map(|(k, v)| {
                let v = literal_document(v, doc.clone());
                quote!((#k.to_owned(), #v))
            });
            quote!(#doc::Object(::std::collections::HashMap::from([#(#entries),*])))
        }
    }
}

/// `a == b`, where either side may be optional (an unset value is equal
/// to nothing).
fn equality(a: &Val, b: &Val, form: impl Fn(&Val) -> TokenStream) -> Val {
    let (x, y) = (form(a), form(b));
    match (matches!(a.ty, Ty::Opt(_)), matches!(b.ty, Ty::Opt(_))) {
        (false, false) => Val::bool_with_not(quote!(#x == #y), quote!(#x != #y)),
        (true, false) => Val::bool_with_not(quote!(#x == Some(#y)), quote!(#x != Some(#y))),
        (false, true) => Val::bool_with_not(quote!(Some(#x) == #y), quote!(Some(#x) != #y)),
        (true, true) => Val::bool_with_not(
            quote!(matches!((#x, #y), (Some(a), Some(b)) if a == b)),
            quote!(!matches!((#x, #y), (Some(a), Some(b)) if a == b)),
        ),
    }
}

/// One step of a `getAttr` path.
enum Step {
    Key(String),
    Index(usize),
}

fn parse_attr_path(attr: &str, path: &str) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    for part in attr.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => {
                let Some(n) = rest.strip_suffix(']').and_then(|n| n.parse::<usize>().ok()) else {
                    return err(path, format!("bad index in getAttr path {attr:?}"));
                };
                (key, Some(n))
            }
            None => (part, None),
        };
        if !key.is_empty() {
            steps.push(Step::Key(key.to_owned()));
        }
        if let Some(n) = index {
            steps.push(Step::Index(n));
        }
    }
    if steps.is_empty() {
        return err(path, "an empty getAttr path");
    }
    Ok(steps)
}

/// `getAttr`: field access on the runtime's structures, `.get(n)` on
/// arrays.
fn get_attr(mut v: Val, attr: &str, path: &str) -> Result<Val> {
    for step in parse_attr_path(attr, path)? {
        let ts = v.ts.clone();
        v = match (&v.ty, step) {
            (Ty::Partition, Step::Key(k)) => {
                let (field, ty) = match k.as_str() {
                    "name" => (quote!(name), Ty::Str),
                    "dnsSuffix" => (quote!(dns_suffix), Ty::Str),
                    "dualStackDnsSuffix" => (quote!(dual_stack_dns_suffix), Ty::Str),
                    "implicitGlobalRegion" => (quote!(implicit_global_region), Ty::Str),
                    "supportsFIPS" => (quote!(supports_fips), Ty::Bool),
                    "supportsDualStack" => (quote!(supports_dual_stack), Ty::Bool),
                    _ => return err(path, format!("a partition has no attribute `{k}`")),
                };
                Val::new(quote!(#ts.#field), ty)
            }
            (Ty::Url, Step::Key(k)) => match k.as_str() {
                "scheme" => Val::new(quote!(#ts.scheme.as_str()), Ty::Str),
                "authority" => Val::new(quote!(#ts.authority.as_str()), Ty::Str),
                "path" => Val::new(quote!(#ts.path.as_str()), Ty::Str),
                "normalizedPath" => Val::new(quote!(#ts.normalized_path.as_str()), Ty::Str),
                "isIp" => Val::new(quote!(#ts.is_ip), Ty::Bool),
                _ => return err(path, format!("a URL has no attribute `{k}`")),
            },
            (Ty::Arn, Step::Key(k)) => match k.as_str() {
                "partition" => Val::new(quote!(#ts.partition.as_str()), Ty::Str),
                "service" => Val::new(quote!(#ts.service.as_str()), Ty::Str),
                "region" => Val::new(quote!(#ts.region.as_str()), Ty::Str),
                "accountId" => Val::new(quote!(#ts.account_id.as_str()), Ty::Str),
                "resourceId" => Val {
                    owned: true,
                    ..Val::new(quote!(#ts.resource_id), Ty::Arr)
                },
                _ => return err(path, format!("an ARN has no attribute `{k}`")),
            },
            (Ty::Arr, Step::Index(n)) => {
                let n = Literal::usize_unsuffixed(n);
                Val::new(
                    quote!(#ts.get(#n).map(String::as_str)),
                    Ty::Opt(Box::new(Ty::Str)),
                )
            }
            (Ty::Opt(_), _) => {
                return err(
                    path,
                    "getAttr on an optional value; assign it in a condition first",
                )
            }
            (ty, Step::Key(k)) => return err(path, format!("a {ty:?} has no attribute `{k}`")),
            (ty, Step::Index(_)) => return err(path, format!("a {ty:?} cannot be indexed")),
        };
    }
    Ok(v)
}

enum Part {
    Lit(String),
    /// A variable and an optional `getAttr` path (after `#`).
    Ref(String, Option<String>),
}

fn parse_template(s: &str) -> std::result::Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err(format!("unclosed `{{` in template {s:?}")),
                    }
                }
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                let part = match inner.split_once('#') {
                    Some((name, attr)) => Part::Ref(name.to_owned(), Some(attr.to_owned())),
                    None => Part::Ref(inner, None),
                };
                parts.push(part);
            }
            '}' => return Err(format!("unmatched `}}` in template {s:?}")),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    Ok(parts)
}

/// Every name a JSON subtree reads: `ref`s and template variables.
fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            if let Ok(parts) = parse_template(s) {
                for p in parts {
                    if let Part::Ref(name, _) = p {
                        out.insert(name);
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
        Value::Object(obj) => {
            for (k, v) in obj {
                match (k.as_str(), v) {
                    ("ref", Value::String(name)) => {
                        out.insert(name.clone());
                    }
                    // Names, not templates.
                    ("assign" | "fn" | "type" | "documentation", _) => {}
                    _ => refs(v, out),
                }
            }
        }
        _ => {}
    }
}

/// What a condition contributes to its rule.
enum Cond {
    /// A boolean test.
    Test(TokenStream),
    /// `if let Some(ident) = expr`.
    IfLet(Ident, TokenStream),
    /// A binding that always succeeds.
    Let(TokenStream),
}

/// The nesting a rule's conditions turn into (consecutive tests are joined
/// with `&&`).
enum Layer {
    If(Vec<TokenStream>),
    IfLet(Ident, TokenStream),
    Let(TokenStream),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compile(rule_set: Value) -> std::result::Result<String, String> {
        let c = Compiler::new(&rule_set).map_err(|e| format!("{}: {}", e.path, e.message))?;
        let ts = c
            .module()
            .map_err(|e| format!("{}: {}", e.path, e.message))?;
        let file: syn::File = syn::parse2(ts).map_err(|e| e.to_string())?;
        // Whitespace-free, so that checks do not depend on line breaks.
        Ok(prettyplease::unparse(&file).split_whitespace().collect())
    }

    fn has(code: &str, want: &str) {
        let want: String = want.split_whitespace().collect();
        assert!(code.contains(&want), "{want} not in {code}");
    }

    fn params() -> Value {
        json!({
            "Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "r"},
            "UseFIPS": {"type": "Boolean", "required": true, "default": false, "documentation": "f"},
            "Bucket": {"type": "string", "required": true, "documentation": "b"}
        })
    }

    #[test]
    fn narrows_binds_and_templates() {
        let code = compile(json!({
            "version": "1.0",
            "parameters": params(),
            "rules": [
                {"type": "tree", "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Region"}]},
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
                ], "rules": [
                    {"type": "endpoint", "conditions": [
                        {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
                        {"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsFIPS"]}]}
                    ], "endpoint": {"url": "https://s-fips.{Region}.{PartitionResult#dnsSuffix}", "headers": {"x-a": ["{Bucket}"]}}},
                    {"type": "endpoint", "conditions": [
                        {"fn": "aws.parseArn", "argv": ["{Bucket}"], "assign": "arn"},
                        {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "id"}
                    ], "endpoint": {"url": "https://{id}.{arn#region}.x"}},
                    {"type": "error", "conditions": [], "error": "no {{match}} for {Region}"}
                ]},
                {"type": "error", "conditions": [], "error": "Missing Region"}
            ]
        }))
        .unwrap();
        has(&code, "let Some(bucket) = params.bucket.as_deref() else");
        has(&code, "if let Some(region) = region {");
        has(
            &code,
            "if let Some(partition_result) = rt::partition(region)",
        );
        has(&code, "if use_fips && partition_result.supports_fips {");
        has(
            &code,
            "format!(\"https://s-fips.{region}.{}\", partition_result.dns_suffix)",
        );
        has(&code, ".header(\"x-a\", bucket)");
        has(&code, "if let Some(arn) = rt::parse_arn(bucket)");
        has(&code, "arn.resource_id.get(1).map(String::as_str)");
        has(&code, "format!(\"no {{match}} for {region}\")");
        // The unconditional last rule is the function's value.
        assert!(
            code.ends_with("Err(rt::EndpointError::new(\"MissingRegion\"))}"),
            "{code}"
        );
    }

    #[test]
    fn unset_optionals_and_unknown_functions_are_errors_with_paths() {
        let e = compile(json!({
            "parameters": params(),
            "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region}"}}]
        }))
        .unwrap_err();
        assert!(
            e.starts_with("smithy.rules#endpointRuleSet/rules/0/endpoint/url:"),
            "{e}"
        );
        assert!(e.contains("isSet"), "{e}");
        let e = compile(json!({
            "parameters": params(),
            "rules": [{"type": "error", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "coalesce", "argv": [{"ref": "Region"}, "x"]}
            ], "error": "x"}]
        }))
        .unwrap_err();
        assert_eq!(
            e,
            "smithy.rules#endpointRuleSet/rules/0/conditions/1/fn: unsupported function `coalesce`"
        );
    }

    #[test]
    fn negations_read_naturally() {
        let code = compile(json!({
            "parameters": params(),
            "rules": [
                {"type": "error", "conditions": [
                    {"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]},
                    {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"ref": "Bucket"}, "b"]}]},
                    {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, false]},
                    {"fn": "not", "argv": [{"fn": "isValidHostLabel", "argv": [{"ref": "Bucket"}, false]}]},
                    {"fn": "substring", "argv": [{"ref": "Bucket"}, 0, 4, false], "assign": "prefix"},
                    {"fn": "uriEncode", "argv": [{"ref": "prefix"}], "assign": "enc"}
                ], "error": "{enc}"}
            ]
        }))
        .unwrap();
        has(
            &code,
            "if region.is_none() && bucket != \"b\" && !use_fips && !rt::is_valid_host_label(bucket, false)",
        );
        has(
            &code,
            "if let Some(prefix) = rt::substring(bucket, 0, 4, false)",
        );
        has(&code, "let enc: &str = &rt::uri_encode(prefix);");
        has(&code, "Err(rt::EndpointError::no_rule_matched())");
    }
}
