//! The fluent client: `Client::builder()...build()` or `Client::from_env()`,
//! then `client.put_telemetry_records().telemetry_records(r).send().await`.
//! A thin layer: each fluent builder holds an input builder and calls the
//! runtime's `invoke` with the operation's sans-IO `Operation` impl.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::model::{Shape, ShapeKind};
use crate::rust::naming;
use crate::rust::symbols::{ident, OperationSymbol, Symbols};

/// `src/client.rs` of the operation crate. `has_endpoint_rules` says
/// whether `crate::endpoint::resolve` exists.
pub fn client_file(sym: &Symbols<'_>, package: &str, has_endpoint_rules: bool) -> TokenStream {
    let service = sym.service.name();
    let signing_name = sym.service.traits.sigv4_name.clone();
    let env_name = sym
        .service
        .traits
        .aws_service
        .as_ref()
        .map(|a| a.sdk_id.to_ascii_uppercase().replace([' ', '-'], "_"))
        .unwrap_or_else(|| naming::snake_case(service).to_ascii_uppercase());
    let ops = sym.operations.iter().map(|(op, o)| {
        let m = ident(&o.module);
        let fluent = ident(&format!("{}FluentBuilder", naming::type_name(op.name())));
        let doc = docs::own(&format!("Starts a `{}` call.", op.name()));
        quote! {
            #doc
            pub fn #m(&self) -> crate::operation::#m::builders::#fluent {
                crate::operation::#m::builders::#fluent::new(self.handle.clone())
            }
        }
    });
    let builtins = endpoint_builtins(sym);
    let resolver = if has_endpoint_rules {
        quote! {
            fn resolve_endpoint(config: &::smithy_lite::client::EndpointConfig) -> ::std::result::Result<::std::string::String, ::std::string::String> {
                #[allow(clippy::needless_update)]
                let params = crate::endpoint::Params {
                    #builtins
                    ..::std::default::Default::default()
                };
                crate::endpoint::resolve(&params).map(|e| e.url).map_err(|e| e.to_string())
            }
        }
    } else {
        quote! {
            fn resolve_endpoint(config: &::smithy_lite::client::EndpointConfig) -> ::std::result::Result<::std::string::String, ::std::string::String> {
                config.endpoint_url.clone().ok_or_else(|| ::std::string::String::from("this service has no endpoint rules: set an endpoint URL"))
            }
        }
    };
    let user_agent = format!("{package}/0.1.0");
    let signing = match &signing_name {
        Some(name) => quote!(::std::option::Option::Some(#name)),
        None => quote!(::std::option::Option::None),
    };
    let client_doc = docs::own(&format!(
        "A client for the `{service}` service: cheap to clone, share one per process.\n\
         Each method starts a call; set the input with the fluent builder and `send()` it."
    ));
    quote! {
        //! The client.
        #resolver

        /// The environment variable that overrides this service's endpoint.
        pub const ENDPOINT_URL_ENV: &str = concat!("AWS_ENDPOINT_URL_", #env_name);

        #client_doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            handle: ::std::sync::Arc<::smithy_lite::client::Handle>,
        }

        impl Client {
            /// A builder: region, credentials, endpoint, retries, timeouts, transport.
            pub fn builder() -> Builder {
                Builder {
                    inner: ::smithy_lite::client::Handle::builder(#service, #user_agent, ::std::sync::Arc::new(resolve_endpoint)),
                    config: ::smithy_lite::config::ClientConfig::new(#signing),
                }
            }

            /// A client configured from the environment: region from
            /// `AWS_REGION` or the profile, endpoint from `AWS_ENDPOINT_URL_*`
            /// or `AWS_ENDPOINT_URL`, credentials from the default chain.
            pub async fn from_env() -> ::std::result::Result<Self, ::smithy_lite::config::ConfigError> {
                Self::builder().load_env(ENDPOINT_URL_ENV).build()
            }

            /// The configuration's core (endpoint settings, retry quota).
            pub fn handle(&self) -> &::smithy_lite::client::Handle {
                &self.handle
            }

            /// A client configured like the official SDK's `Client::new`:
            /// region, endpoint, FIPS and dual-stack flags, attempts and
            /// credentials from an `aws_types::SdkConfig` (feature `aws-config`).
            #[cfg(feature = "aws-config")]
            pub fn new(config: &::smithy_lite::aws_config::SdkConfig) -> ::std::result::Result<Self, ::smithy_lite::config::ConfigError> {
                Self::builder().sdk_config(config).build()
            }

            #(#ops)*
        }

        /// Builds a [`Client`].
        #[derive(::std::fmt::Debug)]
        pub struct Builder {
            inner: ::smithy_lite::client::HandleBuilder,
            config: ::smithy_lite::config::ClientConfig,
        }

        impl Builder {
            /// The region (`us-east-1`).
            pub fn region(mut self, region: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.inner = self.inner.region(region);
                self
            }
            /// Sends to this URL instead of the resolved endpoint (`http://` only here).
            pub fn endpoint_url(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.inner = self.inner.endpoint_url(url);
                self
            }
            /// Uses FIPS endpoints.
            pub fn use_fips(mut self, on: bool) -> Self {
                self.inner = self.inner.use_fips(on);
                self
            }
            /// Uses dual-stack endpoints.
            pub fn use_dual_stack(mut self, on: bool) -> Self {
                self.inner = self.inner.use_dual_stack(on);
                self
            }
            /// Retry settings (standard mode, 3 attempts by default).
            pub fn retry_config(mut self, retry: ::smithy_lite::retry::RetryConfig) -> Self {
                self.inner = self.inner.retry(retry);
                self
            }
            /// Connect, attempt and operation timeouts.
            pub fn timeout_config(mut self, timeouts: ::smithy_lite::client::TimeoutConfig) -> Self {
                self.inner = self.inner.timeouts(timeouts);
                self
            }
            /// Sends through another HTTP stack.
            pub fn transport(mut self, transport: ::std::sync::Arc<dyn ::smithy_lite::transport::Transport>) -> Self {
                self.inner = self.inner.transport(transport);
                self
            }
            /// Where credentials come from (by default the standard chain).
            pub fn credentials_provider(mut self, provider: ::std::sync::Arc<dyn ::smithy_lite::credentials::ProvideCredentials>) -> Self {
                self.config = self.config.credentials_provider(provider);
                self
            }
            /// Signs requests another way (or not at all, with
            /// `smithy_lite::client::NoSigning`).
            pub fn signer(mut self, signer: ::std::sync::Arc<dyn ::smithy_lite::client::SignRequest>) -> Self {
                self.config = self.config.signer(signer);
                self
            }
            /// Reads region, endpoint URL, FIPS, dual-stack and max attempts
            /// from the environment (and the shared config file), where not
            /// set in code.
            pub fn load_env(mut self, service_endpoint_env: &str) -> Self {
                let (inner, config) = ::smithy_lite::config::load_env(self.inner, self.config, service_endpoint_env);
                self.inner = inner;
                self.config = config;
                self
            }
            /// Takes the settings an `aws_types::SdkConfig` has (feature `aws-config`).
            #[cfg(feature = "aws-config")]
            pub fn sdk_config(mut self, config: &::smithy_lite::aws_config::SdkConfig) -> Self {
                let (inner, cfg) = ::smithy_lite::aws_config::apply_sdk_config(self.inner, self.config, config);
                self.inner = inner;
                self.config = cfg;
                self
            }
            /// Builds the client.
            pub fn build(self) -> ::std::result::Result<Client, ::smithy_lite::config::ConfigError> {
                let handle = self.config.finish(self.inner)?;
                ::std::result::Result::Ok(Client { handle: ::std::sync::Arc::new(handle) })
            }
        }
    }
}

/// The fluent builder of one operation, for its `builders` module.
pub fn fluent_builder(
    sym: &Symbols<'_>,
    op: &Shape,
    o: &OperationSymbol,
    paginated: bool,
) -> TokenStream {
    let types = quote!(crate::types);
    let m = ident(&o.module);
    let name = naming::type_name(op.name());
    let op_type = ident(&name);
    let fluent = ident(&format!("{name}FluentBuilder"));
    let input_builder = ident(&format!("{}Builder", o.input_name));
    let output = ident(&o.output_name);
    let error = ident(&format!("{name}Error"));
    let input = o.input.as_ref().and_then(|id| sym.model.shape(id));
    let setters = input.map(|shape| {
        let setters = shape.members.iter().map(|member| {
            let f = sym.field(shape, member);
            let id = ident(&f.ident);
            let set = ident(&format!("set_{}", f.base));
            let get = ident(&format!("get_{}", f.base));
            let target = sym.model.target(member);
            let value = sym.value_type(target, Some(member), &types);
            let held = if f.boxed {
                quote!(::std::option::Option<::std::boxed::Box<#value>>)
            } else {
                quote!(::std::option::Option<#value>)
            };
            let doc = docs::attrs(member.traits.documentation.as_deref());
            let main = match target.kind {
                ShapeKind::List | ShapeKind::Set if !f.boxed => {
                    let im = &target.members[0];
                    let mut elem = sym.value_type(sym.model.target(im), Some(im), &types);
                    if target.traits.sparse {
                        elem = quote!(::std::option::Option<#elem>);
                    }
                    quote! {
                        #doc
                        pub fn #id(mut self, input: impl ::std::convert::Into<#elem>) -> Self {
                            self.inner = self.inner.#id(input);
                            self
                        }
                    }
                }
                ShapeKind::Map if !f.boxed => {
                    let vm = &target.members[1];
                    let mut v = sym.value_type(sym.model.target(vm), Some(vm), &types);
                    if target.traits.sparse {
                        v = quote!(::std::option::Option<#v>);
                    }
                    quote! {
                        #doc
                        pub fn #id(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<#v>) -> Self {
                            self.inner = self.inner.#id(key, value);
                            self
                        }
                    }
                }
                _ => quote! {
                    #doc
                    pub fn #id(mut self, input: impl ::std::convert::Into<#value>) -> Self {
                        self.inner = self.inner.#id(input);
                        self
                    }
                },
            };
            quote! {
                #main
                #doc
                pub fn #set(mut self, input: ::std::option::Option<#value>) -> Self {
                    self.inner = self.inner.#set(input);
                    self
                }
                #doc
                pub fn #get(&self) -> &#held {
                    self.inner.#get()
                }
            }
        });
        quote!(#(#setters)*)
    });
    let paginator = if paginated {
        quote! {
            /// Streams every page (or, with `items()`, every item) of the call.
            pub fn into_paginator(self) -> super::Paginator {
                super::Paginator { handle: self.handle, input: self.inner.build() }
            }
        }
    } else {
        TokenStream::new()
    };
    let doc = docs::own(&format!(
        "Sets the input of `{}` and sends it; from `Client::{}`.",
        op.name(),
        naming::unraw(&o.module)
    ));
    quote! {
        #doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #fluent {
            handle: ::std::sync::Arc<::smithy_lite::client::Handle>,
            inner: #input_builder,
        }

        impl #fluent {
            pub(crate) fn new(handle: ::std::sync::Arc<::smithy_lite::client::Handle>) -> Self {
                Self { handle, inner: ::std::default::Default::default() }
            }
            /// The input set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }
            /// Sends the call: one request, retried as the client's retry
            /// settings allow.
            pub async fn send(self) -> ::std::result::Result<super::#output, ::smithy_lite::client::SdkError<super::#error>> {
                let input = self.inner.build();
                ::smithy_lite::client::invoke::<crate::operation::#m::#op_type>(&self.handle, &input).await
            }
            #paginator
            #setters
        }
    }
}

/// The `Paginator` of a paginated operation, returned by the fluent
/// builder's `into_paginator()`.
pub fn paginator(op: &Shape, o: &OperationSymbol, item: Option<TokenStream>) -> TokenStream {
    let m = ident(&o.module);
    let name = naming::type_name(op.name());
    let op_type = ident(&name);
    let error = ident(&format!("{name}Error"));
    let items = item.map(|item| {
        quote! {
            /// Every item of every page.
            pub fn items(self) -> ::smithy_lite::paginator::ItemStream<Input, Output, ::smithy_lite::client::SdkError<Error>, #item> {
                let handle = self.handle;
                paginate_items(self.input, move |input: Input| {
                    let handle = handle.clone();
                    async move { ::smithy_lite::client::invoke::<crate::operation::#m::#op_type>(&handle, &input).await }
                })
            }
        }
    });
    quote! {
        type Error = #error;

        /// Pages of the call, from `into_paginator()`.
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Paginator {
            pub(crate) handle: ::std::sync::Arc<::smithy_lite::client::Handle>,
            pub(crate) input: Input,
        }

        impl Paginator {
            /// Every page, as a stream.
            pub fn send(self) -> ::smithy_lite::paginator::PageStream<Input, Output, ::smithy_lite::client::SdkError<Error>> {
                let handle = self.handle;
                paginate(self.input, move |input: Input| {
                    let handle = handle.clone();
                    async move { ::smithy_lite::client::invoke::<crate::operation::#m::#op_type>(&handle, &input).await }
                })
            }
            #items
        }
    }
}

/// Assignments of the rule set's built-in parameters (`AWS::Region`,
/// `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`) from the client's
/// endpoint settings, by the parameters' Rust field names.
fn endpoint_builtins(sym: &Symbols<'_>) -> TokenStream {
    let Some(params) = sym
        .service
        .traits
        .raw
        .get("smithy.rules#endpointRuleSet")
        .and_then(|r| r.get("parameters"))
        .and_then(|p| p.as_object())
    else {
        return TokenStream::new();
    };
    let mut out = TokenStream::new();
    for (name, p) in params {
        let field = super::endpoints::var_ident(name);
        let optional = p.get("default").is_none();
        let value = match p.get("builtIn").and_then(|b| b.as_str()) {
            Some("AWS::Region") => quote!(config.region.clone()),
            Some("SDK::Endpoint") => quote!(config.endpoint_url.clone()),
            Some("AWS::UseFIPS") => quote!(config.use_fips),
            Some("AWS::UseDualStack") => quote!(config.use_dual_stack),
            _ => continue,
        };
        let is_option_source = matches!(
            p.get("builtIn").and_then(|b| b.as_str()),
            Some("AWS::Region" | "SDK::Endpoint")
        );
        let value = match (optional, is_option_source) {
            (true, true) | (false, false) => value,
            (true, false) => quote!(::std::option::Option::Some(#value)),
            (false, true) => quote!(#value.unwrap_or_default()),
        };
        out.extend(quote!(#field: #value,));
    }
    out
}
