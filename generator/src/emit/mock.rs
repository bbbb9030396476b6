//! Tokens for the SDK's mock (feature `testing`): `MOCK_OPERATIONS`, the root `Mock`, and
//! a mock struct per resource node whose methods are typed rules.

use super::types::{self as ty_emit, From};
use super::{doc_attrs, feature_cfg, ident, resources};
use crate::ir::{Api, Operation, Response};
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The SDK's `Mock` (feature `testing`): its operations, typed rules reached as the calls
/// are, a client wired to it.
pub(super) fn mock(api: &Api) -> TokenStream {
    let operations = api.operations.iter().map(mock_operation);
    let count = proc_macro2::Literal::usize_unsuffixed(api.operations.len());
    let examples = api.operations.iter().enumerate().filter_map(|(index, op)| {
        let (status, json) = op.example.as_ref()?;
        let (index, status) =
            (proc_macro2::Literal::usize_unsuffixed(index), proc_macro2::Literal::u16_unsuffixed(*status));
        Some(quote!(mock.inner.example(MOCK_OPERATIONS[#index], #status, #json);))
    });
    let examples: Vec<TokenStream> = examples.collect();
    let from_examples = if examples.is_empty() {
        quote!(Mock::new())
    } else {
        quote! {
            let mock = Mock::new();
            #(#examples)*
            mock
        }
    };
    let accessors = resources::roots(api).into_iter().map(|(module, root)| {
        let docs = doc_attrs(Some(&format!("Rules for the operations under `{module}`.")));
        let cfg = feature_cfg(api, std::slice::from_ref(&module));
        let module = ident(&module);
        let root = format_ident!("{}Mock", root);
        quote! {
            #docs
            #cfg
            pub fn #module(&self) -> #module::#root<'_> {
                #module::#root { mock: &self.inner }
            }
        }
    });
    quote! {
        /// The API's operations, as its mock knows them.
        #[cfg(feature = "testing")]
        static MOCK_OPERATIONS: [runtime::mock::Operation; #count] = [#(#operations),*];

        /// A mock of the API, for the tests of code that calls it (feature `testing`): typed
        /// rules per operation, reached as the calls are (`mock.pets().list()` answers
        /// `client.pets().list(…)`), answer the calls of a real [`Client`] ([`Mock::client`])
        /// without a network. The client's retries, timeouts, pagination and decoding all run.
        /// A call no rule answers fails with an [`Error::Middleware`] naming its operation.
        #[cfg(feature = "testing")]
        #[derive(Debug, Clone)]
        pub struct Mock {
            inner: runtime::mock::Mock,
        }

        #[cfg(feature = "testing")]
        impl Default for Mock {
            fn default() -> Self {
                Mock::new()
            }
        }

        #[cfg(feature = "testing")]
        impl Mock {
            /// A mock with no rule: every call fails until a rule answers it.
            pub fn new() -> Mock {
                Mock { inner: runtime::mock::Mock::new(&MOCK_OPERATIONS) }
            }

            /// A mock that answers each operation whose success response the spec documents
            /// with an example (valid by its schema) with that example, when no rule given
            /// later answers the call.
            pub fn from_examples() -> Mock {
                #from_examples
            }

            /// A client wired to the mock: the SDK's own, with a credential for every scheme
            /// and retries after 1 ms (up to 10 ms) rather than 500 ms.
            pub fn client(&self) -> Client {
                self.builder().build().expect("a mock's client builds")
            }

            /// The builder of [`Mock::client`], to change its settings (not its base URL).
            pub fn builder(&self) -> ClientBuilder {
                ClientBuilder { inner: self.inner.client_builder(&API_SPEC) }
            }

            /// Whether every rule marked `.times(n)` was called `n` times: if not, the
            /// rules that were not, one a line.
            pub fn try_verify(&self) -> Result<(), String> {
                self.inner.check()
            }

            /// Panics with [`Mock::try_verify`]'s message unless every rule marked `.times(n)`
            /// was called `n` times.
            #[track_caller]
            pub fn verify(&self) {
                self.inner.verify()
            }

            #(#accessors)*
        }
    }
}

/// The SDK's call of an operation, as a mock names it: `images().v1().edit()`.
fn mock_call(op: &Operation) -> String {
    let resources: Vec<&str> = op.resource.iter().map(|r| naming::unraw(r)).collect();
    format!("{}().{}()", resources.join("()."), naming::unraw(&op.method_name))
}

/// The entry of `MOCK_OPERATIONS` (see `emit::head`) for `op`.
fn mock_operation(op: &Operation) -> TokenStream {
    let (method, template, call) = (&op.method, &op.path, mock_call(op));
    let kind = match &op.response {
        Response::Json { enveloped: true, .. } => quote!(Enveloped),
        Response::Json { .. } => quote!(Json),
        Response::Bytes { .. } => quote!(Bytes),
        Response::Empty => quote!(Empty),
    };
    quote!(runtime::mock::Operation { method: #method, template: #template, call: #call, kind: runtime::mock::Kind::#kind })
}

/// The value a call of `op` gives (without server-sent events).
fn success_type(op: &Operation) -> TokenStream {
    match &op.response {
        Response::Json { ty, optional: true, .. } => {
            let t = ty_emit::ty(ty, From::Sibling);
            quote!(Option<#t>)
        }
        Response::Json { ty, .. } => ty_emit::ty(ty, From::Sibling),
        Response::Bytes { .. } => quote!(Vec<u8>),
        Response::Empty => quote!(()),
    }
}

/// A resource node's mock (feature `testing`): the same accessors as the node, and for
/// each operation a typed rule of the mock.
pub(super) fn mock_struct<'a>(
    api: &Api,
    node: &[String],
    names: &BTreeMap<&[String], String>,
    mocks: &BTreeMap<&[String], String>,
    children: &[&[String]],
    ops: impl Iterator<Item = &'a Operation>,
) -> TokenStream {
    let name = format_ident!("{}", mocks[node]);
    let docs = doc_attrs(Some(&format!("The rules of a [`Mock`](super::Mock) for the `{}` resource.", node.join("."))));
    let accessors = children.iter().map(|child| {
        let method = ident(child.last().expect("children are non-empty"));
        let child_struct = format_ident!("{}", mocks[child]);
        let allow = (child.last().is_some_and(|c| c == "new")).then(|| quote!(#[allow(clippy::new_ret_no_self)]));
        let docs = doc_attrs(Some(&format!("The rules for the `{}` resource.", child.join("."))));
        quote! {
            #docs
            #allow
            pub fn #method(&self) -> #child_struct<'a> {
                #child_struct { mock: self.mock }
            }
        }
    });
    let node_name = &names[node];
    let rules = ops.map(|op| {
        let method = ident(&op.method_name);
        let index = api.operations.iter().position(|o| std::ptr::eq(o, op)).expect("the operation is the API's");
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let (input, input_doc) = input_type(op);
        let doc = format!(
            "A new rule for [`{node_name}::{0}`]: `{1} {2}`. It answers the calls it matches (all, unless \
             `when` or `matching` says) with its answers in turn (`returns`, `fails_with`, `pages`), the last \
             repeated. The input `when` and `inputs` give is what the call was passed: {input_doc}.",
            naming::unraw(&op.method_name),
            op.method,
            op.path
        );
        let docs = doc_attrs(Some(&doc));
        let ret = success_type(op);
        let allow = (op.method_name == "new").then(|| quote!(#[allow(clippy::new_ret_no_self)]));
        let documents = op.errors.iter().map(|e| {
            let (ty, status) = (ty_emit::ty(&e.ty, From::Sibling), &e.status);
            quote!(.documents::<#ty>(#status))
        });
        quote! {
            #docs
            #allow
            pub fn #method(&self) -> runtime::mock::Rule<#ret, #input> {
                self.mock.rule(super::MOCK_OPERATIONS[#index]) #(#documents)*
            }
        }
    });
    quote! {
        #docs
        #[cfg(feature = "testing")]
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            pub(super) mock: &'a runtime::mock::Mock,
        }

        #[cfg(feature = "testing")]
        impl<'a> #name<'a> {
            #(#accessors)*
            #(#rules)*
        }
    }
}

/// The type of what a call of `op` is passed (its positional path parameter, owned, and
/// its params), as its rule's `when` and `inputs` give it, and that type in words.
fn input_type(op: &Operation) -> (TokenStream, String) {
    let positional = op.positional.as_ref().map(|p| {
        let t = ty_emit::ty(&p.ty, From::Sibling);
        let text = t.to_string().replace(' ', "").replace("super::", "");
        (t, text, naming::unraw(&p.rust))
    });
    let params = op.params_type.as_ref().map(|t| format_ident!("{t}"));
    match (positional, params) {
        (Some((t, text, name)), Some(params)) => {
            (quote!((#t, #params)), format!("`({name}, params)` of type `({text}, {params})`"))
        }
        (Some((t, text, name)), None) => (t, format!("`{name}` of type `{text}`")),
        (None, Some(params)) => (quote!(#params), format!("`params` of type `{params}`")),
        (None, None) => (quote!(()), "nothing, `()`".to_string()),
    }
}

/// What an operation's method adds with the `testing` feature, so that a mock's typed rules
/// see what the call was passed: a statement first in the method's request closure that
/// copies it (before anything moves it), and one before the request is returned that
/// attaches it (the request is still encoded as without).
pub(super) fn input_capture(op: &Operation) -> (TokenStream, TokenStream) {
    let positional = op.positional.as_ref().map(|p| {
        let arg = ident(&p.rust);
        quote!(#arg.to_owned())
    });
    let params = op.params_type.as_ref().map(|_| quote!(params.clone()));
    let value = match (positional, params) {
        (Some(a), Some(b)) => quote!((#a, #b)),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => quote!(()),
    };
    (
        quote!(#[cfg(feature = "testing")] let mock_input = #value;),
        quote!(#[cfg(feature = "testing")] let request = request.mock_input(mock_input);),
    )
}
