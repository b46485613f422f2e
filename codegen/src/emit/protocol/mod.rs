//! Protocols: how an operation's input becomes an HTTP request and an HTTP
//! response becomes its output or error. Each protocol implements
//! [`Protocol`]; the operation emitter only talks to this interface.

pub mod rest_json;

use proc_macro2::TokenStream;

use crate::model::Shape;
use crate::rust::symbols::OperationSymbol;

/// One wire protocol.
pub trait Protocol {
    /// The body of `fn serialize_request(input: &Self::Input)`.
    fn serialize_request(&self, op: &Shape, sym: &OperationSymbol) -> TokenStream;
    /// The body of `fn parse_response(response: &HttpResponse)`.
    fn parse_response(&self, op: &Shape, sym: &OperationSymbol) -> TokenStream;
    /// The body of `fn parse_error(response: &HttpResponse) -> ResponseError<Error>`.
    fn parse_error(&self, op: &Shape, errors: &[&Shape]) -> TokenStream;
}
