//! The operation crate: for each operation its error enum, its sans-IO
//! `Operation` impl (request serialization and response parsing, by the
//! service's protocol) and, for `@paginated` ones, page and item streams;
//! plus a dry-run dispatcher and example.

use proc_macro2::TokenStream;
use quote::quote;

use super::client;
use super::protocol::rest_json::RestJson;
use super::protocol::Protocol;
use super::{docs, rust_files, GeneratedFile, TOML_PREAMBLE};
use crate::model::traits::Paginated;
use crate::model::{Shape, ShapeKind};
use crate::rust::naming;
use crate::rust::symbols::{ident, OperationSymbol, Symbols};

/// Settings for the operation crate.
pub struct OperationCrateSettings<'a> {
    pub package: &'a str,
    pub types_package: &'a str,
    pub types_path: &'a str,
    pub runtime_path: &'a str,
}

/// Generates the operation crate's files.
pub fn generate(
    sym: &Symbols<'_>,
    settings: &OperationCrateSettings<'_>,
) -> Result<Vec<GeneratedFile>, String> {
    if !sym.service.traits.rest_json1 {
        return Err(format!(
            "service {} does not use a supported protocol (supported: aws.protocols#restJson1)",
            sym.service.id
        ));
    }
    let protocol = RestJson { sym };
    let types_crate = ident(&settings.types_package.replace('-', "_"));
    let mut sources = Vec::new();
    let mut mods = TokenStream::new();
    let mut names = Vec::new();
    let mut dispatch_render = TokenStream::new();
    let mut dispatch_output = TokenStream::new();
    let mut dispatch_parse = TokenStream::new();
    for (op, o) in &sym.operations {
        let m = ident(&o.module);
        mods.extend(quote!(pub mod #m;));
        let name = op.name();
        names.push(name.to_owned());
        let op_type = ident(&naming::type_name(name));
        let check = match &o.input {
            Some(id) => checker_name(sym, id),
            None => ident("check_nothing"),
        };
        dispatch_render.extend(quote!(#name => ::smithy_lite::dry_run::render::<crate::operation::#m::#op_type>(input, #check),));
        dispatch_output.extend(quote!(#name => ::smithy_lite::dry_run::reserialize_output::<crate::operation::#m::#op_type>(body),));
        dispatch_parse.extend(quote!(#name => ::smithy_lite::dry_run::parse::<crate::operation::#m::#op_type>(response),));
        sources.push((
            format!("src/operation/{}.rs", naming::unraw(&o.module)),
            operation_file(sym, &protocol, op, o),
        ));
    }
    let checkers = required_checkers(sym);
    let endpoints = super::endpoints::generate(sym.service, &settings.package.replace('-', "_"))?;
    let endpoint_mod = endpoints.as_ref().map(|_| quote! { pub mod endpoint; });
    if let Some(e) = endpoints {
        sources.push(("src/endpoint.rs".to_owned(), e.module));
        if let Some(tests) = e.tests {
            sources.push(("tests/endpoint_tests.rs".to_owned(), tests));
        }
    }
    let has_endpoint_rules = sources.iter().any(|(p, _)| p == "src/endpoint.rs");
    sources.push((
        "src/client.rs".to_owned(),
        client::client_file(sym, settings.package, has_endpoint_rules),
    ));
    let service = sym.service.name();
    let lib_doc = docs::inner(&format!(
        "Operations of the `{service}` service: for each, a sans-IO request serializer and\n\
         response parser (`Operation`), its error type and, when paginated, page streams.\n\n\
         The data types are re-exported from the shape crate as [`types`]."
    ));
    sources.push((
        "src/lib.rs".to_owned(),
        quote! {
            #lib_doc
            pub use ::#types_crate as types;
            pub mod client;
            pub mod dry_run;
            #endpoint_mod
            pub use client::{Builder, Client};
            pub use ::smithy_lite::client::SdkError;
            pub mod operation;
            pub use ::smithy_lite::error::{ProvideErrorMetadata, ResponseError, SerializeError};
            pub use ::smithy_lite::operation::Operation;
        },
    ));
    sources.push((
        "src/operation/mod.rs".to_owned(),
        quote! {
            //! One module per operation.
            #mods
        },
    ));
    sources.push((
        "src/dry_run.rs".to_owned(),
        quote! {
            //! What a request would look like on the wire, without sending it.
            //!
            //! Inputs and outputs are given in wire form: JSON keyed by the model's
            //! member names, timestamps as epoch seconds.

            /// Every operation of the service, by model name.
            pub const OPERATIONS: &[&str] = &[#(#names),*];

            /// Builds the request for `operation` from a wire-form input and
            /// describes it as JSON (method, path, query, headers, body).
            pub fn render_request(operation: &str, input: &::serde_json::Value) -> ::std::result::Result<::serde_json::Value, ::std::string::String> {
                match operation {
                    #dispatch_render
                    other => ::std::result::Result::Err(::std::format!("unknown operation {other:?}")),
                }
            }

            /// Parses a response of `operation`: `Ok` with the output's `Debug`
            /// text, or `Err` starting `service error:` or `malformed response:`.
            pub fn parse_response(operation: &str, response: &::smithy_lite::operation::HttpResponse) -> ::std::result::Result<::std::string::String, ::std::string::String> {
                match operation {
                    #dispatch_parse
                    other => ::std::result::Result::Err(::std::format!("unknown operation {other:?}")),
                }
            }

            #checkers

            /// Reads a wire-form output body of `operation` and writes it back.
            pub fn reserialize_output(operation: &str, body: &::serde_json::Value) -> ::std::result::Result<::serde_json::Value, ::std::string::String> {
                match operation {
                    #dispatch_output
                    other => ::std::result::Result::Err(::std::format!("unknown operation {other:?}")),
                }
            }
        },
    ));
    let mut files = vec![
        GeneratedFile {
            path: "Cargo.toml".into(),
            contents: format!(
                "{TOML_PREAMBLE}\n[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"Apache-2.0\"\n\
                 description = \"Operations of the {service} service, generated by smithy-lite\"\n\n\
                 [dependencies]\n{types_package} = {{ path = \"../{types_package}\" }}\n\
                 smithy-lite = {{ path = \"{runtime}\" }}\nsmithy-lite-types = {{ path = \"{types}\" }}\n\
                 serde = {{ version = \"1.0.200\", default-features = false, features = [\"std\"] }}\n\
                 serde_json = \"1.0.120\"\nhttp = \"1\"\nbytes = \"1\"\n\n\
                 [features]\n# Accept the official SDK's `SdkConfig` and credentials providers.\n\
                 aws-config = [\"smithy-lite/aws-config\"]\n",
                package = settings.package,
                types_package = settings.types_package,
                runtime = settings.runtime_path,
                types = settings.types_path,
            ),
            raw: false,
        },
        GeneratedFile {
            path: "examples/dry-run.rs".into(),
            contents: DRY_RUN_EXAMPLE.replace("CRATE", &settings.package.replace('-', "_")),
            raw: true,
        },
    ];
    files.extend(rust_files(sources)?);
    Ok(files)
}

const DRY_RUN_EXAMPLE: &str = r#"//! Prints the request an operation would send, without sending it.
//!
//! `cargo run -p xray --example dry-run -- PutTelemetryRecords < input.json`
//! reads the input in wire form (JSON with the model's member names,
//! timestamps as epoch seconds) and prints method, path, query, headers and
//! body as JSON.

use std::io::Read as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(operation) = std::env::args().nth(1) else {
        eprintln!("usage: dry-run OPERATION < input.json");
        eprintln!("operations: {}", CRATE::dry_run::OPERATIONS.join(", "));
        return ExitCode::from(2);
    };
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: reading standard input: {e}");
        return ExitCode::FAILURE;
    }
    let input: serde_json::Value = match serde_json::from_str(if text.trim().is_empty() { "{}" } else { &text }) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: the input is not JSON: {e}");
            return ExitCode::FAILURE;
        }
    };
    match CRATE::dry_run::render_request(&operation, &input) {
        Ok(request) => {
            println!("{}", serde_json::to_string_pretty(&request).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
"#;

fn operation_file(
    sym: &Symbols<'_>,
    protocol: &dyn Protocol,
    op: &Shape,
    o: &OperationSymbol,
) -> TokenStream {
    let types = quote!(crate::types);
    let m = ident(&o.module);
    let input = ident(&o.input_name);
    let output = ident(&o.output_name);
    let op_name = op.name();
    let op_type = ident(&naming::type_name(op_name));
    let error_name = ident(&format!("{}Error", naming::type_name(op_name)));
    let doc = docs::inner(&format!("The `{op_name}` operation."));
    let op_doc = match op.traits.documentation.as_deref() {
        Some(d) => docs::attrs(Some(d)),
        None => docs::own(&format!("The `{op_name}` operation.")),
    };

    // Modeled errors: the operation's, then the service's.
    let mut errors: Vec<&Shape> = Vec::new();
    let spec = op.operation.clone().unwrap_or_default();
    let service_errors = sym
        .service
        .service
        .as_ref()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    for id in spec.errors.iter().chain(&service_errors) {
        if let Some(e) = sym.model.shape(id) {
            if !errors.iter().any(|x| x.id == e.id) {
                errors.push(e);
            }
        }
    }
    let variants = errors.iter().map(|e| {
        let ts = sym.type_symbol(&e.id);
        let v = ident(&ts.name);
        let doc = docs::attrs(e.traits.documentation.as_deref());
        quote!(#doc #v(#types::error::#v),)
    });
    let is_fns = errors.iter().map(|e| {
        let ts = sym.type_symbol(&e.id);
        let v = ident(&ts.name);
        let is = ident(&format!("is_{}", naming::snake_case(&ts.name)));
        let d = docs::own(&format!("Whether the error is a `{}`.", ts.name));
        quote!(#d pub fn #is(&self) -> bool { ::std::matches!(self, Self::#v(_)) })
    });
    let arms = |body: TokenStream| {
        let a = errors.iter().map(|e| {
            let v = ident(&sym.type_symbol(&e.id).name);
            quote!(Self::#v(e) => #body,)
        });
        quote!(#(#a)* Self::Unhandled(e) => #body,)
    };
    let meta_arms = arms(quote!(e.meta()));
    let display_arms = arms(quote!(::std::fmt::Display::fmt(e, f)));
    let source_arms = arms(quote!(::std::option::Option::Some(e)));
    let modeled_throttling = errors.iter().map(|e| {
        let v = ident(&sym.type_symbol(&e.id).name);
        quote!(Self::#v(_) => #types::error::#v::THROTTLING,)
    });
    let modeled_transient = errors.iter().map(|e| {
        let v = ident(&sym.type_symbol(&e.id).name);
        quote!(Self::#v(_) => #types::error::#v::RETRYABLE && !#types::error::#v::THROTTLING,)
    });

    let serialize = protocol.serialize_request(op, o);
    let parse = protocol.parse_response(op, o);
    let parse_error = protocol.parse_error(op, &errors);
    let paginators = paginators(sym, op, o);
    let fluent = client::fluent_builder(sym, op, o, !paginators.is_empty());

    quote! {
        #doc
        pub use #types::operation::#m::{#input, #output};

        /// Builders for the input and output, and the client's fluent builder.
        pub mod builders {
            pub use crate::types::operation::#m::builders::*;
            #fluent
        }

        #op_doc
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::default::Default)]
        pub struct #op_type;

        impl ::smithy_lite::operation::Operation for #op_type {
            const NAME: &'static str = #op_name;
            type Input = #input;
            type Output = #output;
            type Error = #error_name;

            fn serialize_request(input: &#input) -> ::std::result::Result<::smithy_lite::operation::HttpRequest, ::smithy_lite::error::SerializeError> {
                #serialize
            }

            fn parse_response(response: &::smithy_lite::operation::HttpResponse) -> ::std::result::Result<#output, ::smithy_lite::error::ResponseError<#error_name>> {
                #parse
            }
        }

        fn parse_error(response: &::smithy_lite::operation::HttpResponse) -> ::smithy_lite::error::ResponseError<#error_name> {
            type Error = #error_name;
            #parse_error
        }

        #[doc = concat!(" The errors `", #op_name, "` can return: those the model lists, or an unhandled one.")]
        #[derive(::std::fmt::Debug)]
        #[non_exhaustive]
        pub enum #error_name {
            #(#variants)*
            /// An error the model does not list for this operation; its code,
            /// message and status are kept.
            Unhandled(::smithy_lite::error::Unhandled),
        }

        impl #error_name {
            #(#is_fns)*
            /// Whether the error is one the model does not list.
            pub fn is_unhandled(&self) -> bool {
                ::std::matches!(self, Self::Unhandled(_))
            }
            /// The message the service sent, if any.
            pub fn message(&self) -> ::std::option::Option<&str> {
                ::smithy_lite::error::ProvideErrorMetadata::meta(self).message()
            }
        }

        impl ::smithy_lite::error::ProvideErrorMetadata for #error_name {
            fn meta(&self) -> &::smithy_lite::types::ErrorMetadata {
                match self { #meta_arms }
            }
            fn is_throttling(&self) -> bool {
                let modeled = match self {
                    #(#modeled_throttling)*
                    Self::Unhandled(_) => false,
                };
                modeled || ::smithy_lite::error::is_throttling(self.meta())
            }
            fn is_transient(&self) -> bool {
                let modeled = match self {
                    #(#modeled_transient)*
                    Self::Unhandled(_) => false,
                };
                modeled || ::smithy_lite::error::is_transient(self.meta())
            }
        }

        impl ::std::fmt::Display for #error_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self { #display_arms }
            }
        }

        impl ::std::error::Error for #error_name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self { #source_arms }
            }
        }

        #paginators
    }
}

/// The operation's pagination: its own `@paginated` merged over the
/// service's defaults.
fn pagination(sym: &Symbols<'_>, op: &Shape) -> Option<Paginated> {
    let own = op.traits.paginated.clone()?;
    let base = sym.service.traits.paginated.clone().unwrap_or_default();
    Some(Paginated {
        input_token: own.input_token.or(base.input_token),
        output_token: own.output_token.or(base.output_token),
        items: own.items.or(base.items),
        page_size: own.page_size.or(base.page_size),
    })
}

fn paginators(sym: &Symbols<'_>, op: &Shape, o: &OperationSymbol) -> TokenStream {
    let Some(p) = pagination(sym, op) else {
        return TokenStream::new();
    };
    let (Some(in_token), Some(out_token)) = (&p.input_token, &p.output_token) else {
        return TokenStream::new();
    };
    let (Some(input), Some(output)) = (
        o.input.as_ref().and_then(|id| sym.model.shape(id)),
        o.output.as_ref().and_then(|id| sym.model.shape(id)),
    ) else {
        return TokenStream::new();
    };
    // Only top-level tokens and items are supported (X-Ray uses no paths).
    let (Some(in_member), Some(out_member)) = (input.member(in_token), output.member(out_token))
    else {
        return quote!(compile_error!("paginated token paths are not supported yet"););
    };
    let in_field = ident(&sym.field(input, in_member).ident);
    let out_sym = sym.field(output, out_member);
    let out_field = ident(&out_sym.ident);
    let get = if out_sym.optional {
        quote!(|o: &Output| o.#out_field.as_deref())
    } else {
        quote!(|o: &Output| ::std::option::Option::Some(o.#out_field.as_str()))
    };
    let input_ty = ident(&o.input_name);
    let output_ty = ident(&o.output_name);
    let op_name = op.name();
    let pages_doc = docs::own(&format!(
        "Pages of `{op_name}`: sends `input`, then again with each page's `{out_token}` as\n\
         `{in_token}`, until a page has none (or repeats the one just sent).\n\
         `send` performs one call, for example through the client."
    ));
    let items = p.items.as_ref().and_then(|name| output.member(name)).and_then(|m| {
        let target = sym.model.target(m);
        if !matches!(target.kind, ShapeKind::List | ShapeKind::Set) {
            return None;
        }
        let f = sym.field(output, m);
        let id = ident(&f.ident);
        let item_member = &target.members[0];
        let item = sym.value_type(sym.model.target(item_member), Some(item_member), &quote!(crate::types));
        let item = if target.traits.sparse {
            quote!(::std::option::Option<#item>)
        } else {
            item
        };
        let take = if f.optional {
            quote!(|o: Output| o.#id.unwrap_or_default())
        } else {
            quote!(|o: Output| o.#id)
        };
        let doc = docs::own(&format!("The `{}` of every page of `{op_name}`, in order.", m.name));
        Some((item.clone(), quote! {
            #doc
            pub fn paginate_items<F, Fut, E>(input: Input, send: F) -> ::smithy_lite::paginator::ItemStream<Input, Output, E, #item>
            where
                F: FnMut(Input) -> Fut + ::std::marker::Send + 'static,
                Fut: ::std::future::Future<Output = ::std::result::Result<Output, E>> + ::std::marker::Send + 'static,
                E: ::std::marker::Send + 'static,
            {
                paginate(input, send).items(#take)
            }
        }))
    });
    let (item_ty, items) = match items {
        Some((t, code)) => (Some(t), Some(code)),
        None => (None, None),
    };
    let paginator = client::paginator(op, o, item_ty);
    quote! {
        type Input = #input_ty;
        type Output = #output_ty;

        #pages_doc
        pub fn paginate<F, Fut, E>(input: Input, send: F) -> ::smithy_lite::paginator::PageStream<Input, Output, E>
        where
            F: FnMut(Input) -> Fut + ::std::marker::Send + 'static,
            Fut: ::std::future::Future<Output = ::std::result::Result<Output, E>> + ::std::marker::Send + 'static,
            E: ::std::marker::Send + 'static,
        {
            ::smithy_lite::paginator::PageStream::new(
                input,
                ::smithy_lite::paginator::TokenAccess {
                    set: |i: &mut Input, t| i.#in_field = t,
                    get: #get,
                },
                send,
            )
        }

        #items

        #paginator
    }
}

fn checker_name(sym: &Symbols<'_>, id: &str) -> proc_macro2::Ident {
    ident(&format!(
        "check_{}",
        naming::snake_case(&sym.type_symbol(id).name)
    ))
}

/// For the dry run: functions that list the `@required` members missing
/// from a wire-form input, nested structures included (the typed builders
/// refuse to build without them; reading JSON would fill in zero values).
fn required_checkers(sym: &Symbols<'_>) -> TokenStream {
    let mut todo: Vec<&str> = sym
        .operations
        .iter()
        .filter_map(|(_, o)| o.input.as_deref())
        .collect();
    let mut done = std::collections::BTreeSet::new();
    let mut out = if sym.operations.iter().any(|(_, o)| o.input.is_none()) {
        quote! {
            fn check_nothing(_: &::serde_json::Value, _: &str, _: &mut ::std::vec::Vec<::std::string::String>) {}
        }
    } else {
        TokenStream::new()
    };
    while let Some(id) = todo.pop() {
        if !done.insert(id) {
            continue;
        }
        let Some(shape) = sym.model.shape(id) else {
            continue;
        };
        let name = checker_name(sym, id);
        let mut body = TokenStream::new();
        for m in &shape.members {
            let wire = &sym.field(shape, m).wire;
            if m.traits.required && shape.kind == ShapeKind::Structure {
                body.extend(quote! {
                    if o.get(#wire).is_none_or(::serde_json::Value::is_null) {
                        missing.push(::std::format!("{path}.{}", #wire).trim_start_matches('.').to_owned());
                    }
                });
            }
            // Descend through lists and maps to structures and unions.
            let mut target = sym.model.target(m);
            let mut wrappers = Vec::new();
            loop {
                match target.kind {
                    ShapeKind::List | ShapeKind::Set => {
                        wrappers.push(false);
                        target = sym.model.target(&target.members[0]);
                    }
                    ShapeKind::Map => {
                        wrappers.push(true);
                        target = sym.model.target(&target.members[1]);
                    }
                    _ => break,
                }
            }
            if !matches!(target.kind, ShapeKind::Structure | ShapeKind::Union)
                || target.traits.has("smithy.api#unitType")
            {
                continue;
            }
            todo.push(&target.id);
            let inner = checker_name(sym, &target.id);
            let mut call = quote!(#inner(v, &p, missing););
            for is_map in wrappers.iter().rev() {
                call = if *is_map {
                    quote! {
                        if let ::serde_json::Value::Object(items) = v {
                            for (k, v) in items { let p = ::std::format!("{p}.{k}"); #call }
                        }
                    }
                } else {
                    quote! {
                        if let ::serde_json::Value::Array(items) = v {
                            for (i, v) in items.iter().enumerate() { let p = ::std::format!("{p}[{i}]"); #call }
                        }
                    }
                };
            }
            body.extend(quote! {
                if let ::std::option::Option::Some(v) = o.get(#wire) {
                    let p = ::std::format!("{path}.{}", #wire);
                    #call
                }
            });
        }
        let unused = if body.is_empty() {
            quote!(let _ = (o, path, missing);)
        } else {
            TokenStream::new()
        };
        out.extend(quote! {
            fn #name(v: &::serde_json::Value, path: &str, missing: &mut ::std::vec::Vec<::std::string::String>) {
                let ::std::option::Option::Some(o) = v.as_object() else { return };
                #unused
                #body
            }
        });
    }
    out
}
