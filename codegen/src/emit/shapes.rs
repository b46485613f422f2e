//! The shape crate: one Rust type per structure, union and enum of the
//! service, with builders, accessors and restJson1 body serde impls.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::docs;
use super::{rust_files, GeneratedFile, TOML_PREAMBLE};
use crate::model::traits::EnumValue;
use crate::model::{Member, Shape, ShapeKind};
use crate::rust::naming;
use crate::rust::symbols::{ident, FieldSymbol, Module, Symbols, TypeSymbol};

/// Settings for the shape crate.
pub struct ShapeCrateSettings<'a> {
    /// The package name, e.g. `xray-types`.
    pub package: &'a str,
    /// The path from the crate directory to `crates/types`.
    pub types_path: &'a str,
}

/// A member of a structure with everything emission needs.
struct Field<'a> {
    member: &'a Member,
    target: &'a Shape,
    sym: &'a FieldSymbol,
    /// The value type (no Option, no Box).
    value: TokenStream,
    /// The field type (Box and Option applied).
    ty: TokenStream,
    /// The type a builder holds (`Option<value or Box<value>>`).
    held: TokenStream,
    codec: TokenStream,
    /// Part of the JSON body (not bound to the URI, headers or status).
    in_body: bool,
}

/// Whether a member of an operation input/output is bound to something
/// other than the JSON body.
pub fn is_http_bound(member: &Member) -> bool {
    let t = &member.traits;
    t.http_label
        || t.http_query.is_some()
        || t.http_query_params
        || t.http_header.is_some()
        || t.http_prefix_headers.is_some()
        || t.http_payload
        || t.http_response_code
}

/// Whether a member is bound to something other than the JSON body in a
/// request (`input`) or in a response (outputs and errors, where labels and
/// query strings mean nothing and the member stays in the body).
pub fn is_bound_in(member: &Member, input: bool) -> bool {
    let t = &member.traits;
    if input {
        is_http_bound(member) && !t.http_response_code
    } else {
        t.http_header.is_some()
            || t.http_prefix_headers.is_some()
            || t.http_payload
            || t.http_response_code
    }
}

struct Emitter<'a, 'm> {
    sym: &'a Symbols<'m>,
    root: TokenStream,
}

/// Generates the shape crate's files.
pub fn generate(
    sym: &Symbols<'_>,
    settings: &ShapeCrateSettings<'_>,
) -> Result<Vec<GeneratedFile>, String> {
    let e = Emitter {
        sym,
        root: quote!(crate),
    };
    let mut structures = TokenStream::new();
    let mut builders = TokenStream::new();
    let mut enums = TokenStream::new();
    let mut unions = TokenStream::new();
    let mut errors = TokenStream::new();
    let mut error_builders = TokenStream::new();
    for shape in &sym.shapes {
        let ts = sym.type_symbol(&shape.id);
        match (&ts.module, shape.kind) {
            (Module::Operation(_), _) => {}
            (_, ShapeKind::Structure) => {
                let (def, builder) = e.structure(Some(shape), ts);
                if ts.module == Module::Error {
                    errors.extend(def);
                    errors.extend(e.error_impls(shape, ts));
                    error_builders.extend(builder);
                } else {
                    structures.extend(def);
                    builders.extend(builder);
                }
            }
            (_, ShapeKind::Union) => unions.extend(e.union(shape, ts)),
            (_, ShapeKind::Enum | ShapeKind::String) => enums.extend(e.string_enum(shape, ts)),
            (_, ShapeKind::IntEnum) => enums.extend(e.int_enum(shape, ts)),
            _ => {}
        }
    }
    let mut op_files = Vec::new();
    let mut op_mods = TokenStream::new();
    for (op, o) in &sym.operations {
        let input = o.input.as_ref().and_then(|id| sym.model.shape(id));
        let output = o.output.as_ref().and_then(|id| sym.model.shape(id));
        let module = Module::Operation(o.module.clone());
        let (in_def, in_builder) = e.structure(
            input,
            &TypeSymbol {
                name: o.input_name.clone(),
                module: module.clone(),
            },
        );
        let (out_def, out_builder) = e.structure(
            output,
            &TypeSymbol {
                name: o.output_name.clone(),
                module,
            },
        );
        let m = ident(&o.module);
        op_mods.extend(quote!(pub mod #m;));
        let doc = docs::inner(&format!(
            "The input and output of the `{}` operation.",
            op.name()
        ));
        op_files.push((
            format!("src/operation/{}.rs", naming::unraw(&o.module)),
            quote! {
                #doc
                #[allow(unused_imports)]
                use ::smithy_lite_types::wire;
                #in_def
                #out_def
                /// Builders for the operation's input and output.
                pub mod builders {
                    #[allow(unused_imports)]
                    use ::smithy_lite_types::wire;
                    #in_builder
                    #out_builder
                }
            },
        ));
    }

    // Re-export the modules that hold something (an empty one would be an
    // unused import).
    let reexports: Vec<TokenStream> = [
        (quote!(enums), &enums),
        (quote!(structures), &structures),
        (quote!(unions), &unions),
    ]
    .into_iter()
    .filter(|(_, body)| !body.is_empty())
    .map(|(m, _)| quote!(pub use #m::*;))
    .collect();
    let service_name = sym.service.name();
    let lib_doc = docs::inner(&format!(
        "The data types of the `{service_name}` service: structures, unions and enums with\n\
         builders and restJson1 body serialization.\n\n\
         Generated by smithy-lite-codegen from `{}`.",
        sym.service.id
    ));
    let lib = quote! {
        #lib_doc
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments, clippy::doc_lazy_continuation)]
        mod enums;
        mod structures;
        mod unions;
        #(#reexports)*
        pub mod builders;
        pub mod error;
        pub mod operation;
        /// Primitive types used by the shapes.
        pub mod primitives {
            pub use ::smithy_lite_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Format as DateTimeFormat, Number};
        }
        pub use ::smithy_lite_types::BuildError;
    };
    let error_mod = quote! {
        //! Structures the service returns as errors.
        #[allow(unused_imports)]
        use ::smithy_lite_types::wire;
        #errors
        /// Builders for the error structures.
        pub mod builders {
            #[allow(unused_imports)]
            use ::smithy_lite_types::wire;
            #error_builders
        }
    };
    let builders_mod = quote! {
        //! Builders for the structures at the crate root.
        #[allow(unused_imports)]
        use ::smithy_lite_types::wire;
        #builders
    };
    let operation_mod = quote! {
        //! Each operation's input and output structures, a module per operation.
        #op_mods
    };
    let cargo = format!(
        "{TOML_PREAMBLE}\n[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"Apache-2.0\"\n\
         description = \"Data types of the {service_name} service, generated by smithy-lite\"\n\n\
         [dependencies]\nserde = {{ version = \"1.0.200\", default-features = false, features = [\"std\"] }}\n\
         smithy-lite-types = {{ path = \"{types_path}\" }}\n",
        package = settings.package,
        types_path = settings.types_path,
    );
    let mut sources = vec![
        ("src/lib.rs".to_owned(), lib),
        (
            "src/structures.rs".to_owned(),
            module_file("Structures of the service.", structures),
        ),
        (
            "src/enums.rs".to_owned(),
            module_file("Enumerations of the service.", enums),
        ),
        (
            "src/unions.rs".to_owned(),
            module_file("Unions of the service.", unions),
        ),
        ("src/builders.rs".to_owned(), builders_mod),
        ("src/error.rs".to_owned(), error_mod),
        ("src/operation/mod.rs".to_owned(), operation_mod),
    ];
    sources.extend(op_files);
    let mut files = vec![GeneratedFile {
        path: "Cargo.toml".into(),
        contents: cargo,
        raw: false,
    }];
    files.extend(rust_files(sources)?);
    Ok(files)
}

fn module_file(doc: &str, body: TokenStream) -> TokenStream {
    let doc = format!(" {doc}");
    quote! {
        #![doc = #doc]
        #[allow(unused_imports)]
        use ::smithy_lite_types::wire;
        #body
    }
}

/// The codec that uses the value's own serde impl.
fn is_plain(codec: &TokenStream) -> bool {
    codec.to_string().replace(' ', "").ends_with("wire::Plain")
}

impl Emitter<'_, '_> {
    fn builder_path(&self, ts: &TypeSymbol) -> TokenStream {
        let root = &self.root;
        let name = ident(&format!("{}Builder", ts.name));
        match &ts.module {
            Module::Root => quote!(#root::builders::#name),
            Module::Error => quote!(#root::error::builders::#name),
            Module::Operation(m) => {
                let m = ident(m);
                quote!(#root::operation::#m::builders::#name)
            }
        }
    }

    fn own_path(&self, ts: &TypeSymbol) -> TokenStream {
        let root = &self.root;
        let name = ident(&ts.name);
        match &ts.module {
            Module::Root => quote!(#root::#name),
            Module::Error => quote!(#root::error::#name),
            Module::Operation(m) => {
                let m = ident(m);
                quote!(#root::operation::#m::#name)
            }
        }
    }

    fn fields<'s>(&'s self, shape: &'s Shape) -> Vec<Field<'s>> {
        let io = self.sym.is_io(&shape.id);
        let input = self.sym.is_operation_input(&shape.id);
        shape
            .members
            .iter()
            .map(|member| {
                let target = self.sym.model.target(member);
                let sym = self.sym.field(shape, member);
                let value = self.sym.value_type(target, Some(member), &self.root);
                let boxed_ty = if sym.boxed {
                    quote!(::std::boxed::Box<#value>)
                } else {
                    value.clone()
                };
                let ty = if sym.optional {
                    quote!(::std::option::Option<#boxed_ty>)
                } else {
                    boxed_ty.clone()
                };
                Field {
                    member,
                    target,
                    sym,
                    codec: self.sym.codec(target, member),
                    held: quote!(::std::option::Option<#boxed_ty>),
                    value,
                    ty,
                    in_body: !(io && is_bound_in(member, input)),
                }
            })
            .collect()
    }

    /// A structure (or an operation input/output, possibly without a
    /// modeled shape) and its builder.
    fn structure(&self, shape: Option<&Shape>, ts: &TypeSymbol) -> (TokenStream, TokenStream) {
        let fields = shape.map(|s| self.fields(s)).unwrap_or_default();
        let name = ident(&ts.name);
        let name_str = &ts.name;
        let builder_name = ident(&format!("{}Builder", ts.name));
        let builder_path = self.builder_path(ts);
        let own_path = self.own_path(ts);
        let own_path_str = own_path.to_string().replace(' ', "");
        let doc = match shape.and_then(|s| s.traits.documentation.as_deref()) {
            Some(d) => docs::attrs(Some(d)),
            None => docs::own(&format!("The `{}` structure.", ts.name)),
        };
        let is_error = ts.module == Module::Error;
        let defs = fields.iter().map(|f| {
            let doc = docs::attrs(f.member.traits.documentation.as_deref());
            let id = ident(&f.sym.ident);
            let ty = &f.ty;
            quote!(#doc pub #id: #ty,)
        });
        let meta_field = if is_error {
            quote!(pub(crate) meta: ::smithy_lite_types::ErrorMetadata,)
        } else {
            TokenStream::new()
        };
        let meta_init = if is_error {
            quote!(meta: ::std::default::Default::default(),)
        } else {
            TokenStream::new()
        };
        let accessors = fields.iter().map(|f| self.accessor(f));
        let w = quote!(wire);

        // Serialize: body members only; absent optionals are omitted.
        let body: Vec<&Field> = fields.iter().filter(|f| f.in_body).collect();
        let ser_entries = body.iter().map(|f| {
            let id = ident(&f.sym.ident);
            let wire = &f.sym.wire;
            let codec = &f.codec;
            let value = &f.value;
            let deref = if f.sym.boxed { quote!(&**v) } else { quote!(v) };
            let _ = value;
            let write = if is_plain(codec) {
                quote!(map.serialize_entry(#wire, #deref)?;)
            } else {
                quote!(map.serialize_entry(#wire, &#w::Ser::<#codec, _>::new(#deref))?;)
            };
            if f.sym.optional {
                quote!(if let ::std::option::Option::Some(v) = &self.#id { #write })
            } else {
                quote!({ let v = &self.#id; #write })
            }
        });
        let map_mut = if body.is_empty() {
            TokenStream::new()
        } else {
            quote!(mut)
        };
        let ser_impl = quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    use ::serde::ser::SerializeMap as _;
                    let #map_mut map = serializer.serialize_map(::std::option::Option::None)?;
                    #(#ser_entries)*
                    map.end()
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    #w::de_struct::<D, #builder_path>(deserializer).map(#builder_path::build_or_default)
                }
            }
        };
        let builder_doc = docs::own(&format!("A builder for [`{name_str}`]."));
        let build_doc = docs::own(&format!("Builds the [`{name_str}`]."));
        let build_checked_doc = docs::own(&format!(
            "Builds the [`{name_str}`]; fails naming every required member left unset."
        ));
        let builder_type_doc = docs::own(&format!("A builder for [`{name_str}`]({own_path_str})."));
        let struct_def = quote! {
            #doc
            #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::default::Default)]
            #[non_exhaustive]
            pub struct #name {
                #(#defs)*
                #meta_field
            }
            impl #name {
                #(#accessors)*
                #builder_doc
                pub fn builder() -> #builder_path {
                    ::std::default::Default::default()
                }
            }
            #ser_impl
        };

        // The builder.
        let builder_fields = fields.iter().map(|f| {
            let id = ident(&f.sym.ident);
            let held = &f.held;
            quote!(pub(crate) #id: #held,)
        });
        let setters = fields.iter().map(|f| self.setters(f));
        let missing: Vec<&Field> = fields
            .iter()
            .filter(|f| !f.sym.optional && f.member.traits.required && !has_default(f.member))
            .collect();
        let assemble = fields.iter().map(|f| {
            let id = ident(&f.sym.ident);
            if f.sym.optional {
                quote!(#id: self.#id,)
            } else {
                let fill = self.fill_default(f);
                quote!(#id: self.#id #fill,)
            }
        });
        let build = if missing.is_empty() {
            quote! {
                #build_doc
                pub fn build(self) -> #own_path {
                    self.build_or_default()
                }
            }
        } else {
            let checks = missing.iter().map(|f| {
                let id = ident(&f.sym.ident);
                let base = &f.sym.base;
                quote!(if self.#id.is_none() { missing.push(#base); })
            });
            quote! {
                #build_checked_doc
                pub fn build(self) -> ::std::result::Result<#own_path, ::smithy_lite_types::BuildError> {
                    let mut missing = ::std::vec::Vec::new();
                    #(#checks)*
                    if !missing.is_empty() {
                        return ::std::result::Result::Err(::smithy_lite_types::BuildError::missing_fields(#name_str, missing));
                    }
                    ::std::result::Result::Ok(self.build_or_default())
                }
            }
        };
        let field_names = body.iter().map(|f| &f.sym.wire);
        let de_arms = body.iter().enumerate().map(|(i, f)| {
            let id = ident(&f.sym.ident);
            let codec = &f.codec;
            let boxing = if f.sym.boxed {
                quote!(.map(::std::boxed::Box::new))
            } else {
                TokenStream::new()
            };
            quote!(#i => self.#id = map.next_value_seed(#w::OptDe::<#codec, _>::default())? #boxing,)
        });
        let dispatch = if body.is_empty() {
            quote! {
                let _ = index;
                map.next_value::<::serde::de::IgnoredAny>()?;
            }
        } else {
            quote! {
                match index {
                    #(#de_arms)*
                    _ => {
                        map.next_value::<::serde::de::IgnoredAny>()?;
                    }
                }
            }
        };
        let builder = quote! {
            #builder_type_doc
            #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::default::Default)]
            #[non_exhaustive]
            pub struct #builder_name {
                #(#builder_fields)*
            }
            impl #builder_name {
                #(#setters)*
                #build
                /// Builds without checking required members: unset ones get
                /// their default or zero value (Smithy's client error
                /// correction, used when reading responses).
                #[doc(hidden)]
                pub fn build_or_default(self) -> #own_path {
                    #own_path {
                        #(#assemble)*
                        #meta_init
                    }
                }
            }
            impl #w::StructDe for #builder_name {
                const NAME: &'static str = #name_str;
                const FIELDS: &'static [&'static str] = &[#(#field_names),*];
                fn field<'de, A: ::serde::de::MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> ::std::result::Result<(), A::Error> {
                    #dispatch
                    ::std::result::Result::Ok(())
                }
            }
        };
        (struct_def, builder)
    }

    fn accessor(&self, f: &Field<'_>) -> TokenStream {
        let id = ident(&f.sym.ident);
        let doc = docs::attrs(f.member.traits.documentation.as_deref());
        let value = &f.value;
        let kind = value_kind(f.target);
        let (ret, body) = match (f.sym.optional, f.sym.boxed, kind) {
            (true, false, ValueKind::Copy) => {
                (quote!(::std::option::Option<#value>), quote!(self.#id))
            }
            (true, false, ValueKind::Str) => (
                quote!(::std::option::Option<&str>),
                quote!(self.#id.as_deref()),
            ),
            (true, false, ValueKind::List(elem)) => {
                let elem = self.list_elem(f.target, elem);
                (
                    quote!(&[#elem]),
                    quote!(self.#id.as_deref().unwrap_or_default()),
                )
            }
            (true, true, _) => (
                quote!(::std::option::Option<&#value>),
                quote!(self.#id.as_deref()),
            ),
            (true, false, _) => (
                quote!(::std::option::Option<&#value>),
                quote!(self.#id.as_ref()),
            ),
            (false, false, ValueKind::Copy) => (quote!(#value), quote!(self.#id)),
            (false, false, ValueKind::Str) => (quote!(&str), quote!(&self.#id)),
            (false, false, ValueKind::List(elem)) => {
                let elem = self.list_elem(f.target, elem);
                (quote!(&[#elem]), quote!(&self.#id))
            }
            (false, _, _) => (quote!(&#value), quote!(&self.#id)),
        };
        quote! {
            #doc
            pub fn #id(&self) -> #ret {
                #body
            }
        }
    }

    fn list_elem(&self, list: &Shape, sparse: bool) -> TokenStream {
        let m = &list.members[0];
        let inner = self
            .sym
            .value_type(self.sym.model.target(m), Some(m), &self.root);
        if sparse {
            quote!(::std::option::Option<#inner>)
        } else {
            inner
        }
    }

    fn setters(&self, f: &Field<'_>) -> TokenStream {
        let id = ident(&f.sym.ident);
        let set = ident(&format!("set_{}", f.sym.base));
        let get = ident(&format!("get_{}", f.sym.base));
        let doc = docs::attrs(f.member.traits.documentation.as_deref());
        let value = &f.value;
        let held = &f.held;
        let boxing = if f.sym.boxed {
            quote!(.map(::std::boxed::Box::new))
        } else {
            TokenStream::new()
        };
        let main = match value_kind(f.target) {
            ValueKind::List(sparse) if !f.sym.boxed => {
                let elem = self.list_elem(f.target, sparse);
                quote! {
                    #doc
                    ///
                    /// Appends one item; see the `set_` method to replace the whole list.
                    pub fn #id(mut self, input: impl ::std::convert::Into<#elem>) -> Self {
                        self.#id.get_or_insert_with(::std::vec::Vec::new).push(input.into());
                        self
                    }
                }
            }
            ValueKind::Map(sparse) if !f.sym.boxed => {
                let m = &f.target.members[1];
                let inner = self
                    .sym
                    .value_type(self.sym.model.target(m), Some(m), &self.root);
                let v = if sparse {
                    quote!(::std::option::Option<#inner>)
                } else {
                    inner
                };
                quote! {
                    #doc
                    ///
                    /// Inserts one entry; see the `set_` method to replace the whole map.
                    pub fn #id(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<#v>) -> Self {
                        self.#id.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value.into());
                        self
                    }
                }
            }
            _ => {
                let wrap = if f.sym.boxed {
                    quote!(::std::boxed::Box::new(input.into()))
                } else {
                    quote!(input.into())
                };
                quote! {
                    #doc
                    pub fn #id(mut self, input: impl ::std::convert::Into<#value>) -> Self {
                        self.#id = ::std::option::Option::Some(#wrap);
                        self
                    }
                }
            }
        };
        quote! {
            #main
            #doc
            pub fn #set(mut self, input: ::std::option::Option<#value>) -> Self {
                self.#id = input #boxing;
                self
            }
            #doc
            pub fn #get(&self) -> &#held {
                &self.#id
            }
        }
    }

    /// How a plain member gets its value when unset: its `@default`, or
    /// the type's zero value (`.unwrap_or_default()`).
    fn fill_default(&self, f: &Field<'_>) -> TokenStream {
        let Some(value) = f.member.traits.default.as_ref().filter(|v| !v.is_null()) else {
            return quote!(.unwrap_or_default());
        };
        match literal_default(f.target, value, &f.value) {
            None => quote!(.unwrap_or_default()),
            Some(expr) if f.sym.boxed => quote!(.unwrap_or_else(|| ::std::boxed::Box::new(#expr))),
            Some(expr)
                if matches!(value, Value::Bool(_) | Value::Number(_))
                    && !matches!(
                        f.target.kind,
                        ShapeKind::Timestamp | ShapeKind::IntEnum | ShapeKind::Document
                    ) =>
            {
                quote!(.unwrap_or(#expr))
            }
            Some(expr) => quote!(.unwrap_or_else(|| #expr)),
        }
    }

    fn error_impls(&self, shape: &Shape, ts: &TypeSymbol) -> TokenStream {
        let name = ident(&ts.name);
        let name_str = &ts.name;
        let message = shape
            .members
            .iter()
            .find(|m| {
                m.name.eq_ignore_ascii_case("message")
                    && self.sym.model.target(m).kind == ShapeKind::String
            })
            .map(|m| {
                let f = self.sym.field(shape, m);
                let id = ident(&f.ident);
                if f.optional {
                    quote!(self.#id.as_deref())
                } else {
                    quote!(::std::option::Option::Some(self.#id.as_str()))
                }
            });
        let (message_fn, display) = match message {
            Some(expr) => (
                quote! {
                    /// The error message, if the service sent one.
                    pub fn message_text(&self) -> ::std::option::Option<&str> {
                        #expr
                    }
                },
                quote! {
                    f.write_str(#name_str)?;
                    if let ::std::option::Option::Some(m) = self.message_text() {
                        ::std::write!(f, ": {m}")?;
                    }
                    ::std::result::Result::Ok(())
                },
            ),
            None => (
                quote! {
                    /// The error message; this error has no modeled message.
                    pub fn message_text(&self) -> ::std::option::Option<&str> {
                        ::std::option::Option::None
                    }
                },
                quote!(f.write_str(#name_str)),
            ),
        };
        let fault = match shape.traits.error.as_deref() {
            Some("server") => quote!(::smithy_lite_types::ErrorFault::Server),
            _ => quote!(::smithy_lite_types::ErrorFault::Client),
        };
        let (retryable, throttling) = match shape.traits.retryable {
            Some(t) => (true, t),
            None => (false, false),
        };
        let status = match shape.traits.http_error {
            Some(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(::std::option::Option::Some(#code))
            }
            None => quote!(::std::option::Option::None),
        };
        quote! {
            impl #name {
                /// What the service said about the error: code, message,
                /// request id and HTTP status.
                pub fn meta(&self) -> &::smithy_lite_types::ErrorMetadata {
                    &self.meta
                }
                /// Sets the metadata (done by the operation that parsed the error).
                #[doc(hidden)]
                pub fn set_meta(&mut self, meta: ::smithy_lite_types::ErrorMetadata) {
                    self.meta = meta;
                }
                #message_fn
                /// Whether the client or the service is at fault (`@error`).
                pub const FAULT: ::smithy_lite_types::ErrorFault = #fault;
                /// Whether the model marks the error `@retryable`.
                pub const RETRYABLE: bool = #retryable;
                /// Whether the model marks the error as throttling.
                pub const THROTTLING: bool = #throttling;
                /// The HTTP status the model gives the error (`@httpError`).
                pub const HTTP_STATUS: ::std::option::Option<u16> = #status;
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #display
                }
            }
            impl ::std::error::Error for #name {}
        }
    }

    fn union(&self, shape: &Shape, ts: &TypeSymbol) -> TokenStream {
        let name = ident(&ts.name);
        let name_str = &ts.name;
        let doc = docs::attrs(shape.traits.documentation.as_deref());
        let w = quote!(wire);
        struct Variant {
            ident: proc_macro2::Ident,
            wire: String,
            /// `None` for a member targeting `smithy.api#Unit`.
            value: Option<(TokenStream, TokenStream)>,
            boxed: bool,
            doc: TokenStream,
            base: String,
        }
        let variants: Vec<Variant> = shape
            .members
            .iter()
            .map(|m| {
                let target = self.sym.model.target(m);
                let f = self.sym.field(shape, m);
                let mut vname = naming::type_name(&m.name);
                if vname == "Unknown" {
                    vname = "UnknownValue".into();
                }
                let unit = target.id == "smithy.api#Unit";
                Variant {
                    ident: ident(&vname),
                    wire: f.wire.clone(),
                    value: (!unit).then(|| {
                        (
                            self.sym.value_type(target, Some(m), &self.root),
                            self.sym.codec(target, m),
                        )
                    }),
                    boxed: f.boxed,
                    doc: docs::attrs(m.traits.documentation.as_deref()),
                    base: f.base.clone(),
                }
            })
            .collect();
        let defs = variants.iter().map(|v| {
            let (id, doc) = (&v.ident, &v.doc);
            match &v.value {
                None => quote!(#doc #id,),
                Some((ty, _)) if v.boxed => quote!(#doc #id(::std::boxed::Box<#ty>),),
                Some((ty, _)) => quote!(#doc #id(#ty),),
            }
        });
        let helpers = variants.iter().map(|v| {
            let id = &v.ident;
            let is = ident(&format!("is_{}", v.base));
            let as_ = ident(&format!("as_{}", v.base));
            match &v.value {
                None => quote! {
                    #[doc = concat!(" Whether this is the `", stringify!(#id), "` variant.")]
                    pub fn #is(&self) -> bool {
                        ::std::matches!(self, Self::#id)
                    }
                },
                Some((ty, _)) => quote! {
                    #[doc = concat!(" The `", stringify!(#id), "` value, or `Err(self)` for another variant.")]
                    pub fn #as_(&self) -> ::std::result::Result<&#ty, &Self> {
                        if let Self::#id(v) = self { ::std::result::Result::Ok(v) } else { ::std::result::Result::Err(self) }
                    }
                    #[doc = concat!(" Whether this is the `", stringify!(#id), "` variant.")]
                    pub fn #is(&self) -> bool {
                        self.#as_().is_ok()
                    }
                },
            }
        });
        let ser_arms = variants.iter().map(|v| {
            let (id, wire) = (&v.ident, &v.wire);
            match &v.value {
                None => quote! {
                    Self::#id => {
                        let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                        map.serialize_entry(#wire, &#w::EmptyObject)?;
                        map.end()
                    }
                },
                Some((ty, codec)) => {
                    let deref = if v.boxed { quote!(&**v) } else { quote!(v) };
                    quote! {
                        Self::#id(v) => {
                            let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                            map.serialize_entry(#wire, &#w::Ser::<#codec, #ty>::new(#deref))?;
                            map.end()
                        }
                    }
                }
            }
        });
        let de_arms = variants.iter().enumerate().map(|(i, v)| {
            let id = &v.ident;
            match &v.value {
                None => quote!(#i => map.next_value::<::std::option::Option<::serde::de::IgnoredAny>>()?.map(|_| Self::#id),),
                Some((ty, codec)) => {
                    let ctor = if v.boxed {
                        quote!(|v| Self::#id(::std::boxed::Box::new(v)))
                    } else {
                        quote!(Self::#id)
                    };
                    quote!(#i => map.next_value_seed(#w::OptDe::<#codec, #ty>::default())?.map(#ctor),)
                }
            }
        });
        let wires = variants.iter().map(|v| &v.wire);
        quote! {
            #doc
            #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#defs)*
                /// A member this version of the crate does not know, received
                /// from a newer service; holds the member's wire name. It
                /// cannot be sent.
                Unknown(::std::string::String),
            }
            impl #name {
                #(#helpers)*
                /// Whether this is a member this version of the crate does not know.
                pub fn is_unknown(&self) -> bool {
                    ::std::matches!(self, Self::Unknown(_))
                }
            }
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::Unknown(::std::string::String::new())
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    use ::serde::ser::SerializeMap as _;
                    match self {
                        #(#ser_arms)*
                        Self::Unknown(_) => #w::unknown_variant::<S>(#name_str),
                    }
                }
            }
            impl #w::UnionDe for #name {
                const NAME: &'static str = #name_str;
                const VARIANTS: &'static [&'static str] = &[#(#wires),*];
                fn variant<'de, A: ::serde::de::MapAccess<'de>>(index: usize, map: &mut A) -> ::std::result::Result<::std::option::Option<Self>, A::Error> {
                    ::std::result::Result::Ok(match index {
                        #(#de_arms)*
                        _ => {
                            map.next_value::<::serde::de::IgnoredAny>()?;
                            ::std::option::Option::None
                        }
                    })
                }
                fn unknown(name: ::std::string::String) -> Self {
                    Self::Unknown(name)
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    #w::de_union(deserializer)
                }
            }
        }
    }

    fn string_enum(&self, shape: &Shape, ts: &TypeSymbol) -> TokenStream {
        let name = ident(&ts.name);
        let doc = docs::attrs(shape.traits.documentation.as_deref());
        // (variant name, wire value, doc)
        let mut values: Vec<(String, String, TokenStream)> = Vec::new();
        if let Some(defs) = &shape.traits.enum_definitions {
            for d in defs {
                let base = d.name.clone().unwrap_or_else(|| d.value.clone());
                values.push((
                    naming::type_name(&base),
                    d.value.clone(),
                    docs::attrs(d.documentation.as_deref()),
                ));
            }
        } else {
            for m in &shape.members {
                let value = match &m.traits.enum_value {
                    Some(EnumValue::String(s)) => s.clone(),
                    _ => m.name.clone(),
                };
                values.push((
                    naming::type_name(&m.name),
                    value,
                    docs::attrs(m.traits.documentation.as_deref()),
                ));
            }
        }
        for v in &mut values {
            if v.0 == "Unknown" {
                v.0 = "UnknownValue".into();
            }
            if v.0.is_empty() {
                v.0 = "Empty".into();
            }
        }
        let defs = values.iter().map(|(v, _, doc)| {
            let v = ident(v);
            quote!(#doc #v,)
        });
        let as_str = values.iter().map(|(v, s, _)| {
            let v = ident(v);
            quote!(Self::#v => #s,)
        });
        let from = values.iter().map(|(v, s, _)| {
            let v = ident(v);
            quote!(#s => Self::#v,)
        });
        let all = values.iter().map(|(_, s, _)| s);
        quote! {
            #doc
            #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::cmp::PartialOrd, ::std::cmp::Ord, ::std::hash::Hash)]
            #[non_exhaustive]
            pub enum #name {
                #(#defs)*
                /// A value this version of the crate does not know, kept as sent.
                Unknown(::std::string::String),
            }
            impl #name {
                /// The value as it travels on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#as_str)*
                        Self::Unknown(v) => v.as_str(),
                    }
                }
                /// Every value the model defines.
                pub const fn values() -> &'static [&'static str] {
                    &[#(#all),*]
                }
            }
            impl ::std::convert::From<&str> for #name {
                fn from(s: &str) -> Self {
                    match s {
                        #(#from)*
                        other => Self::Unknown(other.to_owned()),
                    }
                }
            }
            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Ok(Self::from(s))
                }
            }
            impl ::std::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::Unknown(::std::string::String::new())
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    wire::de_str_enum(deserializer)
                }
            }
        }
    }

    fn int_enum(&self, shape: &Shape, ts: &TypeSymbol) -> TokenStream {
        let name = ident(&ts.name);
        let doc = docs::attrs(shape.traits.documentation.as_deref());
        let values: Vec<(proc_macro2::Ident, Literal, TokenStream)> = shape
            .members
            .iter()
            .filter_map(|m| match &m.traits.enum_value {
                Some(EnumValue::Int(i)) => {
                    let mut v = naming::type_name(&m.name);
                    if v == "Unknown" {
                        v = "UnknownValue".into();
                    }
                    Some((
                        ident(&v),
                        Literal::i32_unsuffixed(*i as i32),
                        docs::attrs(m.traits.documentation.as_deref()),
                    ))
                }
                _ => None,
            })
            .collect();
        let defs = values.iter().map(|(v, _, doc)| quote!(#doc #v,));
        let to = values.iter().map(|(v, n, _)| quote!(Self::#v => #n,));
        let from = values.iter().map(|(v, n, _)| quote!(#n => Self::#v,));
        let all = values.iter().map(|(_, n, _)| n);
        quote! {
            #doc
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::cmp::PartialOrd, ::std::cmp::Ord, ::std::hash::Hash)]
            #[non_exhaustive]
            pub enum #name {
                #(#defs)*
                /// A value this version of the crate does not know, kept as sent.
                Unknown(i32),
            }
            impl #name {
                /// The value as it travels on the wire.
                pub fn value(&self) -> i32 {
                    match self {
                        #(#to)*
                        Self::Unknown(v) => *v,
                    }
                }
                /// Every value the model defines.
                pub const fn values() -> &'static [i32] {
                    &[#(#all),*]
                }
            }
            impl ::std::convert::From<i32> for #name {
                fn from(v: i32) -> Self {
                    match v {
                        #(#from)*
                        other => Self::Unknown(other),
                    }
                }
            }
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::Unknown(0)
                }
            }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_i32(self.value())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    <i32 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
                }
            }
        }
    }
}

fn has_default(member: &Member) -> bool {
    member.traits.default.as_ref().is_some_and(|d| !d.is_null())
}

enum ValueKind {
    /// `Copy` scalars returned by value.
    Copy,
    /// Strings returned as `&str`.
    Str,
    /// Lists returned as slices (`true` when sparse).
    List(bool),
    /// Maps (`true` when sparse).
    Map(bool),
    Other,
}

fn value_kind(target: &Shape) -> ValueKind {
    match target.kind {
        ShapeKind::Boolean
        | ShapeKind::Byte
        | ShapeKind::Short
        | ShapeKind::Integer
        | ShapeKind::Long
        | ShapeKind::Float
        | ShapeKind::Double => ValueKind::Copy,
        ShapeKind::String if target.traits.enum_definitions.is_none() => ValueKind::Str,
        ShapeKind::List | ShapeKind::Set => ValueKind::List(target.traits.sparse),
        ShapeKind::Map => ValueKind::Map(target.traits.sparse),
        _ => ValueKind::Other,
    }
}

/// A Rust expression for a `@default` value, when it is not the zero value.
fn literal_default(target: &Shape, value: &Value, ty: &TokenStream) -> Option<TokenStream> {
    let expr = match (target.kind, value) {
        (ShapeKind::Boolean, Value::Bool(b)) => quote!(#b),
        (ShapeKind::Byte, Value::Number(n)) => {
            let l = Literal::i8_suffixed(n.as_i64()? as i8);
            quote!(#l)
        }
        (ShapeKind::Short, Value::Number(n)) => {
            let l = Literal::i16_suffixed(n.as_i64()? as i16);
            quote!(#l)
        }
        (ShapeKind::Integer, Value::Number(n)) => {
            let l = Literal::i32_suffixed(n.as_i64()? as i32);
            quote!(#l)
        }
        (ShapeKind::Long, Value::Number(n)) => {
            let l = Literal::i64_suffixed(n.as_i64()?);
            quote!(#l)
        }
        (ShapeKind::Float, Value::Number(n)) => {
            let l = Literal::f32_suffixed(n.as_f64()? as f32);
            quote!(#l)
        }
        (ShapeKind::Double, Value::Number(n)) => {
            let l = Literal::f64_suffixed(n.as_f64()?);
            quote!(#l)
        }
        (ShapeKind::Float | ShapeKind::Double, Value::String(s)) => {
            let c = match s.as_str() {
                "NaN" => quote!(NAN),
                "Infinity" => quote!(INFINITY),
                "-Infinity" => quote!(NEG_INFINITY),
                _ => return None,
            };
            quote!(#ty::#c)
        }
        (ShapeKind::String, Value::String(s)) if target.traits.enum_definitions.is_none() => {
            quote!(::std::string::String::from(#s))
        }
        (ShapeKind::String | ShapeKind::Enum, Value::String(s)) => quote!(<#ty>::from(#s)),
        (ShapeKind::IntEnum, Value::Number(n)) => {
            let l = Literal::i32_unsuffixed(n.as_i64()? as i32);
            quote!(<#ty>::from(#l))
        }
        (ShapeKind::Timestamp, Value::Number(n)) => {
            let l = Literal::f64_suffixed(n.as_f64()?);
            quote!(::smithy_lite_types::DateTime::from_secs_f64(#l))
        }
        (ShapeKind::Timestamp, Value::String(s)) => quote! {
            ::smithy_lite_types::DateTime::from_str(#s, ::smithy_lite_types::Format::DateTime).unwrap_or_default()
        },
        (ShapeKind::Blob, Value::String(s)) => {
            let bytes = base64_decode(s)?;
            let lit = Literal::byte_string(&bytes);
            quote!(::smithy_lite_types::Blob::new(#lit.as_slice()))
        }
        (ShapeKind::Document, v) => document_literal(v),
        _ => return None,
    };
    Some(expr)
}

fn document_literal(v: &Value) -> TokenStream {
    let d = quote!(::smithy_lite_types::Document);
    match v {
        Value::Null => quote!(#d::Null),
        Value::Bool(b) => quote!(#d::Bool(#b)),
        Value::String(s) => quote!(#d::String(::std::string::String::from(#s))),
        Value::Number(n) => {
            let num = if let Some(u) = n.as_u64() {
                quote!(::smithy_lite_types::Number::PosInt(#u))
            } else if let Some(i) = n.as_i64() {
                quote!(::smithy_lite_types::Number::NegInt(#i))
            } else {
                let f = n.as_f64().unwrap_or_default();
                quote!(::smithy_lite_types::Number::Float(#f))
            };
            quote!(#d::Number(#num))
        }
        Value::Array(items) => {
            let items = items.iter().map(document_literal);
            quote!(#d::Array(::std::vec![#(#items),*]))
        }
        Value::Object(o) => {
            let entries = o.iter().map(|(k, v)| {
                let v = document_literal(v);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(#d::Object(::std::collections::HashMap::from([#(#entries),*])))
        }
    }
}

/// Decodes standard base64 (blob defaults are written that way).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
