//! restJson1: HTTP bindings (`@http`, labels, query, headers, prefix
//! headers, payload, response code, host prefix) and JSON bodies.

use proc_macro2::TokenStream;
use quote::quote;

use super::Protocol;
use crate::emit::shapes::is_http_bound;
use crate::model::traits::TimestampFormat;
use crate::model::{Member, Shape, ShapeKind};
use crate::rust::symbols::{ident, timestamp_format, OperationSymbol, Symbols};

pub struct RestJson<'a, 'm> {
    pub sym: &'a Symbols<'m>,
}

/// What the AWS SDKs add to some services beyond their models, by `sdkId`.
#[derive(Clone, Copy, PartialEq)]
enum Customization {
    None,
    /// `X-Amz-Glacier-Version`, an unset or empty `accountId` label sent as
    /// `-`, and SHA-256 and tree-hash headers on uploads.
    Glacier,
    /// `Accept: application/json` on every request.
    ApiGateway,
}

/// Where a value is written as text.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Label,
    Query,
    Header,
}

impl RestJson<'_, '_> {
    fn types(&self) -> TokenStream {
        quote!(crate::types)
    }

    fn customization(&self) -> Customization {
        match self
            .sym
            .service
            .traits
            .aws_service
            .as_ref()
            .map(|a| a.sdk_id.as_str())
        {
            Some("Glacier") => Customization::Glacier,
            Some("API Gateway") => Customization::ApiGateway,
            _ => Customization::None,
        }
    }

    /// An expression of type `String` (or a `?`-able result) for a scalar
    /// value `v: &T` in a label, query string or header.
    fn to_text(
        &self,
        member: &Member,
        target: &Shape,
        v: TokenStream,
        place: Place,
    ) -> TokenStream {
        match target.kind {
            ShapeKind::String if target.traits.enum_definitions.is_some() => {
                quote!(#v.as_str().to_owned())
            }
            ShapeKind::String => {
                if place == Place::Header && target.traits.media_type.is_some() {
                    quote!(::smithy_lite::rest::base64_encode(#v))
                } else {
                    quote!(#v.to_string())
                }
            }
            ShapeKind::Enum => quote!(#v.as_str().to_owned()),
            ShapeKind::IntEnum => quote!(#v.value().to_string()),
            ShapeKind::Float => quote!(::smithy_lite::rest::float32_text(*#v)),
            ShapeKind::Double => quote!(::smithy_lite::rest::float_text(*#v)),
            ShapeKind::Timestamp => {
                let default = if place == Place::Header {
                    TimestampFormat::HttpDate
                } else {
                    TimestampFormat::DateTime
                };
                let format = format_tokens(timestamp_format(member, target).unwrap_or(default));
                quote!(#v.fmt(#format).map_err(|e| ::smithy_lite::error::SerializeError::Invalid(e.to_string()))?)
            }
            ShapeKind::Blob => quote!(::smithy_lite::rest::base64_encode_bytes(#v.as_ref())),
            _ => quote!(#v.to_string()),
        }
    }

    /// An expression parsing header text `t: &str` into the member's
    /// scalar type, `Result<T, String>`.
    fn parse_text(&self, member: &Member, target: &Shape, t: TokenStream) -> TokenStream {
        let types = self.types();
        match target.kind {
            ShapeKind::String if target.traits.enum_definitions.is_some() => {
                let ty = self.sym.type_path(&target.id, &types);
                quote!(::std::result::Result::<_, ::std::string::String>::Ok(#ty::from(#t)))
            }
            ShapeKind::String if target.traits.media_type.is_some() => {
                quote!(::smithy_lite::rest::base64_decode(#t))
            }
            ShapeKind::String => {
                quote!(::std::result::Result::<_, ::std::string::String>::Ok(#t.to_owned()))
            }
            ShapeKind::Enum => {
                let ty = self.sym.type_path(&target.id, &types);
                quote!(::std::result::Result::<_, ::std::string::String>::Ok(#ty::from(#t)))
            }
            ShapeKind::IntEnum => {
                let ty = self.sym.type_path(&target.id, &types);
                quote!(#t.trim().parse::<i32>().map(#ty::from).map_err(|e| e.to_string()))
            }
            ShapeKind::Float => quote!(::smithy_lite::rest::parse_float(#t).map(|v| v as f32)),
            ShapeKind::Double => quote!(::smithy_lite::rest::parse_float(#t)),
            ShapeKind::Timestamp => {
                let format = format_tokens(
                    timestamp_format(member, target).unwrap_or(TimestampFormat::HttpDate),
                );
                quote!(::smithy_lite_types::DateTime::from_str(#t.trim(), #format).map_err(|e| e.to_string()))
            }
            ShapeKind::Blob => {
                quote!(::smithy_lite::rest::base64_decode_bytes(#t).map(::smithy_lite_types::Blob::new))
            }
            ShapeKind::Boolean => quote!(#t.trim().parse::<bool>().map_err(|e| e.to_string())),
            _ => {
                let ty = self.sym.value_type(target, Some(member), &types);
                quote!(#t.trim().parse::<#ty>().map_err(|e| e.to_string()))
            }
        }
    }

    /// Statements that read the members of an output or error structure
    /// bound to the status code, headers or the payload into `builder`;
    /// a bad value returns a malformed-response error with `?`.
    fn response_bindings(&self, shape: Option<&Shape>) -> Vec<TokenStream> {
        let Some(shape) = shape else {
            return Vec::new();
        };
        let members: Vec<&Member> = shape.members.iter().collect();
        let malformed = |what: TokenStream| quote!(.map_err(|e| ::smithy_lite::error::ResponseError::Malformed(::smithy_lite::error::MalformedResponse::new(response, ::std::format!("{}: {}", #what, e))))?);
        let bindings = members.iter().filter_map(|m| {
            let f = self.sym.field(shape, m);
            let set = ident(&format!("set_{}", f.base));
            let target = self.sym.model.target(m);
            if let Some(name) = &m.traits.http_header {
                let what = format!("header {name}");
                let err = malformed(quote!(#what));
                Some(match target.kind {
                    ShapeKind::List | ShapeKind::Set => {
                        let item_member = &target.members[0];
                        let item = self.sym.model.target(item_member);
                        let parse = self.parse_text(item_member, item, quote!(t.as_str()));
                        let split = if item.kind == ShapeKind::Timestamp
                            && timestamp_format(item_member, item).unwrap_or(TimestampFormat::HttpDate) == TimestampFormat::HttpDate
                        {
                            quote!(::smithy_lite::rest::split_http_dates(text))
                        } else {
                            quote!(::smithy_lite::rest::split_header_list(text))
                        };
                        quote! {
                            let values: ::std::vec::Vec<&str> = response.headers().get_all(#name).iter().map(|v| v.to_str()).collect::<::std::result::Result<_, _>>() #err;
                            if !values.is_empty() {
                                let mut items = ::std::vec::Vec::new();
                                for text in values {
                                    for t in #split {
                                        items.push(#parse #err);
                                    }
                                }
                                builder = builder.#set(::std::option::Option::Some(items));
                            }
                        }
                    }
                    _ => {
                        let parse = self.parse_text(m, target, quote!(text));
                        quote! {
                            if let ::std::option::Option::Some(text) = ::smithy_lite::rest::header(response.headers(), #name) #err {
                                builder = builder.#set(::std::option::Option::Some(#parse #err));
                            }
                        }
                    }
                })
            } else if let Some(prefix) = &m.traits.http_prefix_headers {
                let value_member = target.members.get(1)?;
                let value = self.sym.model.target(value_member);
                let parse = self.parse_text(value_member, value, quote!(text));
                let what = format!("headers {prefix}*");
                let err = malformed(quote!(#what));
                let lower = prefix.to_ascii_lowercase();
                Some(quote! {
                    let mut map = ::std::collections::HashMap::new();
                    for (name, value) in response.headers() {
                        if let ::std::option::Option::Some(key) = name.as_str().strip_prefix(#lower) {
                            let text = value.to_str() #err;
                            map.insert(key.to_owned(), #parse #err);
                        }
                    }
                    if !map.is_empty() || #lower.is_empty() {
                        builder = builder.#set(::std::option::Option::Some(map));
                    }
                })
            } else if m.traits.http_response_code {
                Some(quote!(builder = builder.#set(::std::option::Option::Some(i32::from(response.status().as_u16())));))
            } else if m.traits.http_payload {
                Some(match target.kind {
                    ShapeKind::Blob => quote! {
                        if !response.body().is_empty() {
                            builder = builder.#set(::std::option::Option::Some(::smithy_lite_types::Blob::new(response.body().to_vec())));
                        }
                    },
                    ShapeKind::String | ShapeKind::Enum => {
                        let parse = self.parse_text(m, target, quote!(text));
                        let err = malformed(quote!("payload"));
                        quote! {
                            if !response.body().is_empty() {
                                let text = ::std::str::from_utf8(response.body()) #err;
                                builder = builder.#set(::std::option::Option::Some(#parse #err));
                            }
                        }
                    }
                    _ => {
                        let codec = self.sym.codec(target, m);
                        let err = malformed(quote!("payload"));
                        quote! {
                            if !response.body().iter().all(u8::is_ascii_whitespace) {
                                use ::smithy_lite_types::wire;
                                let mut de = ::serde_json::Deserializer::from_slice(response.body());
                                let value = ::serde::de::DeserializeSeed::deserialize(wire::De::<#codec, _>::default(), &mut de).and_then(|v| de.end().map(|()| v)) #err;
                                builder = builder.#set(::std::option::Option::Some(value));
                            }
                        }
                    }
                })
            } else {
                None
            }
        });
        bindings.collect()
    }

    fn input_members(&self, sym: &OperationSymbol) -> Vec<(&Shape, &Member)> {
        match sym.input.as_ref().and_then(|id| self.sym.model.shape(id)) {
            Some(shape) => shape.members.iter().map(|m| (shape, m)).collect(),
            None => Vec::new(),
        }
    }
}

fn format_tokens(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::DateTime => quote!(::smithy_lite_types::Format::DateTime),
        TimestampFormat::HttpDate => quote!(::smithy_lite_types::Format::HttpDate),
        TimestampFormat::EpochSeconds => quote!(::smithy_lite_types::Format::EpochSeconds),
    }
}

/// A parsed `@http` URI: path segments and literal query pairs.
enum Segment {
    Literal(String),
    Label { name: String, greedy: bool },
}

fn parse_uri(uri: &str) -> (Vec<Segment>, Vec<String>) {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        literal.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        if !literal.is_empty() {
            segments.push(Segment::Literal(std::mem::take(&mut literal)));
        }
        let label = &rest[start + 1..start + end];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        segments.push(Segment::Label {
            name: name.to_owned(),
            greedy,
        });
        rest = &rest[start + end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    (segments, query)
}

impl Protocol for RestJson<'_, '_> {
    fn serialize_request(&self, op: &Shape, sym: &OperationSymbol) -> TokenStream {
        let http = op.traits.http.clone();
        let (method, uri) = http.map_or(("POST".to_owned(), "/".to_owned()), |h| (h.method, h.uri));
        let members = self.input_members(sym);
        let input_name = &sym.input_name;

        let custom = self.customization();
        let glacier_account = |m: &Member| {
            custom == Customization::Glacier && m.traits.http_label && m.name == "accountId"
        };
        // Required members, checked before anything is built.
        let required = members
            .iter()
            .filter(|(_, m)| m.traits.required && !glacier_account(m))
            .map(|(s, m)| {
                let f = self.sym.field(s, m);
                let id = ident(&f.ident);
                let base = &f.base;
                quote!(if input.#id.is_none() { missing.push(#base); })
            });

        // Idempotency tokens are filled when unset.
        let tokens: Vec<TokenStream> = members
            .iter()
            .filter(|(_, m)| m.traits.idempotency_token)
            .map(|(s, m)| {
                let id = ident(&self.sym.field(s, m).ident);
                quote!(if filled.#id.is_none() { filled.#id = ::std::option::Option::Some(::smithy_lite::rest::idempotency_token()); })
            })
            .collect();
        let fill_tokens = if tokens.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                let mut filled = input.clone();
                #(#tokens)*
                let input = &filled;
            }
        };

        // Path.
        let (segments, literal_query) = parse_uri(&uri);
        let path_parts = segments.iter().map(|seg| match seg {
            Segment::Literal(l) => quote!(path.push_str(#l);),
            Segment::Label { name, greedy } => {
                let Some((s, m)) = members.iter().find(|(_, m)| &m.name == name) else {
                    return quote!(compile_error!(concat!("label without member: ", #name)););
                };
                let f = self.sym.field(s, m);
                let id = ident(&f.ident);
                let target = self.sym.model.target(m);
                let text = self.to_text(m, target, quote!(v), Place::Label);
                // Glacier: the caller's own account is `-`.
                let fill = if glacier_account(m) {
                    quote!(let text = if text.is_empty() { ::std::string::String::from("-") } else { text };)
                } else {
                    TokenStream::new()
                };
                quote! {
                    let text = match &input.#id {
                        ::std::option::Option::Some(v) => #text,
                        ::std::option::Option::None => ::std::string::String::new(),
                    };
                    #fill
                    if text.is_empty() {
                        return ::std::result::Result::Err(::smithy_lite::error::SerializeError::Invalid(
                            ::std::format!("label {} of {} must not be empty", #name, #input_name),
                        ));
                    }
                    path.push_str(&::smithy_lite::rest::encode_label(&text, #greedy));
                }
            }
        });

        // Query.
        let explicit_query: Vec<&str> = members
            .iter()
            .filter_map(|(_, m)| m.traits.http_query.as_deref())
            .collect();
        let query_parts = members.iter().filter_map(|(s, m)| {
            let f = self.sym.field(s, m);
            let id = ident(&f.ident);
            let target = self.sym.model.target(m);
            if let Some(name) = &m.traits.http_query {
                Some(match target.kind {
                    ShapeKind::List | ShapeKind::Set => {
                        let item_member = &target.members[0];
                        let item = self.sym.model.target(item_member);
                        let text = self.to_text(item_member, item, quote!(item), Place::Query);
                        if target.traits.sparse {
                            quote!(if let ::std::option::Option::Some(list) = &input.#id { for item in list.iter().flatten() { query.push(#name, &#text); } })
                        } else {
                            quote!(if let ::std::option::Option::Some(list) = &input.#id { for item in list { query.push(#name, &#text); } })
                        }
                    }
                    _ => {
                        let text = self.to_text(m, target, quote!(v), Place::Query);
                        quote!(if let ::std::option::Option::Some(v) = &input.#id { query.push(#name, &#text); })
                    }
                })
            } else if m.traits.http_query_params {
                let value_member = target.members.get(1)?;
                let value = self.sym.model.target(value_member);
                let explicit = &explicit_query;
                let push = match value.kind {
                    ShapeKind::List | ShapeKind::Set => {
                        let item_member = &value.members[0];
                        let item = self.sym.model.target(item_member);
                        let text = self.to_text(item_member, item, quote!(item), Place::Query);
                        quote!(for item in v { query.push(k, &#text); })
                    }
                    _ => {
                        let text = self.to_text(value_member, value, quote!(v), Place::Query);
                        quote!(query.push(k, &#text);)
                    }
                };
                let unwrap = if target.traits.sparse {
                    quote!(let ::std::option::Option::Some(v) = v else { continue; };)
                } else {
                    TokenStream::new()
                };
                Some(quote! {
                    if let ::std::option::Option::Some(map) = &input.#id {
                        let mut entries: ::std::vec::Vec<_> = map.iter().collect();
                        entries.sort_by(|a, b| a.0.cmp(b.0));
                        for (k, v) in entries {
                            if [#(#explicit),*].contains(&k.as_str()) { continue; }
                            #unwrap
                            #push
                        }
                    }
                })
            } else {
                None
            }
        });

        // Headers.
        let explicit_headers: Vec<String> = members
            .iter()
            .filter_map(|(_, m)| m.traits.http_header.as_deref())
            .map(str::to_ascii_lowercase)
            .collect();
        let header_parts = members.iter().filter_map(|(s, m)| {
            let f = self.sym.field(s, m);
            let id = ident(&f.ident);
            let target = self.sym.model.target(m);
            if let Some(name) = &m.traits.http_header {
                Some(match target.kind {
                    ShapeKind::List | ShapeKind::Set => {
                        let item_member = &target.members[0];
                        let item = self.sym.model.target(item_member);
                        let text = self.to_text(item_member, item, quote!(item), Place::Header);
                        let quote_strings = matches!(item.kind, ShapeKind::String | ShapeKind::Enum);
                        quote! {
                            if let ::std::option::Option::Some(list) = &input.#id {
                                let items = list.iter().map(|item| ::std::result::Result::<_, ::smithy_lite::error::SerializeError>::Ok(#text)).collect::<::std::result::Result<::std::vec::Vec<_>, _>>()?;
                                request = request.header(#name, ::smithy_lite::rest::header_list(items.iter().map(::std::string::String::as_str), #quote_strings));
                            }
                        }
                    }
                    _ => {
                        let text = self.to_text(m, target, quote!(v), Place::Header);
                        quote!(if let ::std::option::Option::Some(v) = &input.#id { request = request.header(#name, #text); })
                    }
                })
            } else if let Some(prefix) = &m.traits.http_prefix_headers {
                let value_member = target.members.get(1)?;
                let value = self.sym.model.target(value_member);
                let text = self.to_text(value_member, value, quote!(v), Place::Header);
                // Headers bound to members of their own take precedence.
                let skip = if explicit_headers.is_empty() {
                    TokenStream::new()
                } else {
                    let explicit = &explicit_headers;
                    quote! {
                        let name = ::std::format!("{}{}", #prefix, k).to_ascii_lowercase();
                        if [#(#explicit),*].contains(&name.as_str()) { continue; }
                    }
                };
                Some(quote! {
                    if let ::std::option::Option::Some(map) = &input.#id {
                        let mut entries: ::std::vec::Vec<_> = map.iter().collect();
                        entries.sort_by(|a, b| a.0.cmp(b.0));
                        for (k, v) in entries {
                            #skip
                            request = request.header(::std::format!("{}{}", #prefix, k), #text);
                        }
                    }
                })
            } else {
                None
            }
        });

        // Body.
        let payload = members.iter().find(|(_, m)| m.traits.http_payload);
        let has_body_members = members.iter().any(|(_, m)| !is_http_bound(m));
        let body = if let Some((s, m)) = payload {
            let f = self.sym.field(s, m);
            let id = ident(&f.ident);
            let target = self.sym.model.target(m);
            let media = target.traits.media_type.clone();
            match target.kind {
                ShapeKind::Blob => {
                    let ct = media.unwrap_or_else(|| "application/octet-stream".into());
                    quote! {
                        let body = match &input.#id {
                            ::std::option::Option::Some(v) => {
                                request = ::smithy_lite::rest::default_content_type(request, #ct);
                                ::bytes::Bytes::copy_from_slice(v.as_ref())
                            }
                            ::std::option::Option::None => ::bytes::Bytes::new(),
                        };
                    }
                }
                ShapeKind::String | ShapeKind::Enum => {
                    let ct = media.unwrap_or_else(|| "text/plain".into());
                    let text = self.to_text(m, target, quote!(v), Place::Query);
                    quote! {
                        let body = match &input.#id {
                            ::std::option::Option::Some(v) => {
                                request = ::smithy_lite::rest::default_content_type(request, #ct);
                                ::bytes::Bytes::from(#text)
                            }
                            ::std::option::Option::None => ::bytes::Bytes::new(),
                        };
                    }
                }
                _ => {
                    let codec = self.sym.codec(target, m);
                    // An unset structure payload is sent as an empty
                    // object; other shapes (unions, documents) as nothing.
                    let none = if target.kind == ShapeKind::Structure {
                        quote! {
                            request = request.header("content-type", "application/json");
                            ::bytes::Bytes::from_static(b"{}")
                        }
                    } else {
                        quote!(::bytes::Bytes::new())
                    };
                    quote! {
                        let body = match &input.#id {
                            ::std::option::Option::Some(v) => {
                                use ::smithy_lite_types::wire;
                                request = request.header("content-type", "application/json");
                                ::bytes::Bytes::from(::serde_json::to_vec(&wire::Ser::<#codec, _>::new(v))?)
                            }
                            ::std::option::Option::None => { #none }
                        };
                    }
                }
            }
        } else if has_body_members {
            quote! {
                request = request.header("content-type", "application/json");
                let body = ::bytes::Bytes::from(::serde_json::to_vec(input)?);
            }
        } else {
            quote!(let body = ::bytes::Bytes::new();)
        };

        // Host prefix.
        let host_prefix = op.traits.host_prefix.as_ref().map(|prefix| {
            let mut parts = Vec::new();
            let mut rest = prefix.as_str();
            while let Some(start) = rest.find('{') {
                let lit = &rest[..start];
                parts.push(quote!(host.push_str(#lit);));
                let Some(end) = rest[start..].find('}') else { break };
                let label = &rest[start + 1..start + end];
                if let Some((s, m)) = members.iter().find(|(_, m)| m.name == label) {
                    let id = ident(&self.sym.field(s, m).ident);
                    parts.push(quote! {
                        match input.#id.as_deref() {
                            ::std::option::Option::Some(v) if !v.is_empty() => host.push_str(v),
                            _ => return ::std::result::Result::Err(::smithy_lite::error::SerializeError::Invalid(
                                ::std::format!("host label {} of {} must be set", #label, #input_name),
                            )),
                        }
                    });
                }
                rest = &rest[start + end + 1..];
            }
            parts.push(quote!(host.push_str(#rest);));
            quote! {
                let mut host = ::std::string::String::new();
                #(#parts)*
                request.extensions_mut().insert(::smithy_lite::operation::HostPrefix(host));
            }
        });
        let literal_query = literal_query.iter().map(|q| quote!(query.push_raw(#q);));
        let uses_query = !explicit_query.is_empty()
            || members.iter().any(|(_, m)| m.traits.http_query_params)
            || !parse_uri(&uri).1.is_empty();
        let query_decl = if uses_query {
            quote!(let mut query = ::smithy_lite::rest::Query::new();)
        } else {
            quote!(let query = ::smithy_lite::rest::Query::new();)
        };
        let compression = op.traits.request_compression.clone().unwrap_or_default();
        let checksum_required = op.traits.http_checksum_required;
        let mut header_parts: Vec<TokenStream> = header_parts.collect();
        match custom {
            Customization::Glacier => {
                let version = self
                    .sym
                    .service
                    .service
                    .as_ref()
                    .and_then(|s| s.version.clone())
                    .unwrap_or_default();
                header_parts
                    .push(quote!(request = request.header("x-amz-glacier-version", #version);));
            }
            Customization::ApiGateway => {
                header_parts.push(quote!(request = request.header("accept", "application/json");));
            }
            Customization::None => {}
        }
        // Glacier uploads (a streaming payload) carry the body's SHA-256
        // and tree hash.
        let glacier_hashes = (custom == Customization::Glacier
            && payload.is_some_and(|(_, m)| self.sym.model.target(m).traits.streaming))
        .then(|| quote!(::smithy_lite::rest::glacier_checksums(&mut request);));
        let builder_mut = if header_parts.is_empty() && payload.is_none() && !has_body_members {
            TokenStream::new()
        } else {
            quote!(mut)
        };
        let unused_input = if members.is_empty() {
            quote!(let _ = input;)
        } else {
            TokenStream::new()
        };
        let _ = input_name;
        let missing_check = if members.iter().any(|(_, m)| m.traits.required) {
            quote! {
                let mut missing = ::std::vec::Vec::new();
                #(#required)*
                if !missing.is_empty() {
                    return ::std::result::Result::Err(::smithy_lite::error::BuildError::missing_fields(#input_name, missing).into());
                }
            }
        } else {
            TokenStream::new()
        };
        quote! {
            #unused_input
            #missing_check
            #fill_tokens
            let mut path = ::std::string::String::new();
            #(#path_parts)*
            #query_decl
            #(#literal_query)*
            #(#query_parts)*
            let #builder_mut request = ::http::Request::builder().method(#method).uri(query.finish(path));
            #(#header_parts)*
            #body
            let mut request = request.body(body)?;
            ::smithy_lite::rest::finish_request(&mut request, ::smithy_lite::rest::BodyRules {
                compression: &[#(#compression),*],
                checksum_required: #checksum_required,
            });
            #glacier_hashes
            #host_prefix
            ::std::result::Result::Ok(request)
        }
    }

    fn parse_response(&self, _op: &Shape, sym: &OperationSymbol) -> TokenStream {
        let types = self.types();
        let module = ident(&sym.module);
        let builder = ident(&format!("{}Builder", sym.output_name));
        let builder_path = quote!(#types::operation::#module::builders::#builder);
        let output = sym.output.as_ref().and_then(|id| self.sym.model.shape(id));
        let members: Vec<&Member> = output
            .map(|s| s.members.iter().collect())
            .unwrap_or_default();
        // Without a payload member the body is a JSON object, read (and so
        // checked) even when no member lives in it.
        let has_json_body = !members.iter().any(|m| m.traits.http_payload);
        let start = |m: TokenStream| {
            if has_json_body {
                quote!(let #m builder = ::smithy_lite::operation::read_json::<#builder_path>(response).map_err(::smithy_lite::error::ResponseError::Malformed)?;)
            } else {
                quote!(let #m builder = #builder_path::default();)
            }
        };
        let bindings = self.response_bindings(output);
        let start = if bindings.is_empty() {
            start(TokenStream::new())
        } else {
            start(quote!(mut))
        };
        quote! {
            let status = response.status().as_u16();
            if !(200..300).contains(&status) {
                return ::std::result::Result::Err(parse_error(response));
            }
            #start
            #(#bindings)*
            ::std::result::Result::Ok(builder.build_or_default())
        }
    }

    fn parse_error(&self, _op: &Shape, errors: &[&Shape]) -> TokenStream {
        let types = self.types();
        let arms = errors.iter().map(|e| {
            let ts = self.sym.type_symbol(&e.id);
            let variant = ident(&ts.name);
            let builder = ident(&format!("{}Builder", ts.name));
            let code = e.name();
            let bindings = self.response_bindings(Some(e));
            if !bindings.is_empty() {
                // Members bound to headers are read after the body.
                return quote! {
                    ::std::option::Option::Some(#code) => {
                        let read = || -> ::std::result::Result<_, ::smithy_lite::error::ResponseError<Error>> {
                            let mut builder = ::smithy_lite::operation::read_json::<#types::error::builders::#builder>(response)
                                .map_err(::smithy_lite::error::ResponseError::Malformed)?;
                            #(#bindings)*
                            ::std::result::Result::Ok(builder)
                        };
                        match read() {
                            ::std::result::Result::Ok(b) => {
                                let mut e = b.build_or_default();
                                e.set_meta(meta);
                                Error::#variant(e)
                            }
                            ::std::result::Result::Err(e) => return e,
                        }
                    }
                };
            }
            quote! {
                ::std::option::Option::Some(#code) => match ::smithy_lite::operation::read_json::<#types::error::builders::#builder>(response) {
                    ::std::result::Result::Ok(b) => {
                        let mut e = b.build_or_default();
                        e.set_meta(meta);
                        Error::#variant(e)
                    }
                    ::std::result::Result::Err(m) => return ::smithy_lite::error::ResponseError::Malformed(m),
                },
            }
        });
        quote! {
            let meta = ::smithy_lite::rest::error_metadata(response);
            let error = match meta.code() {
                #(#arms)*
                _ => Error::Unhandled(::smithy_lite::error::Unhandled::new(meta)),
            };
            ::smithy_lite::error::ResponseError::Service(error)
        }
    }
}
