//! The `webhooks` module: the requests the API sends (OpenAPI 3.1
//! `webhooks`), as one enum that decodes a received body by webhook name.

use super::types::{ty, From};
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `pub mod webhooks`, or nothing when the API sends none.
pub(super) fn module(api: &Api) -> TokenStream {
    if api.webhooks.is_empty() {
        return TokenStream::new();
    }
    let variants = api.webhooks.iter().map(|w| {
        let variant = format_ident!("{}", w.variant);
        let ty = ty(&w.ty, From::Sibling);
        let doc = format!(" The `{}` webhook.", w.wire);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let decode = api.webhooks.iter().map(|w| {
        let variant = format_ident!("{}", w.variant);
        let wire = &w.wire;
        quote!(#wire => Webhook::#variant(serde_json::from_slice(body)?),)
    });
    let names = api.webhooks.iter().map(|w| {
        let variant = format_ident!("{}", w.variant);
        let wire = &w.wire;
        quote!(Webhook::#variant(_) => #wire,)
    });
    quote! {
        /// The webhooks the API sends: decode a request your server received.
        pub mod webhooks {
            /// A webhook's payload, by the webhook's name.
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)] // one value, decoded once: not worth a box
            #[non_exhaustive]
            pub enum Webhook {
                #(#variants)*
                /// A webhook this SDK does not know, kept as JSON.
                Unknown {
                    /// The webhook's name.
                    name: String,
                    /// Its payload.
                    payload: serde_json::Value,
                },
            }

            impl Webhook {
                /// Decodes the JSON `body` of the webhook called `name` (an unknown
                /// name gives [`Webhook::Unknown`]).
                pub fn decode(name: &str, body: &[u8]) -> Result<Webhook, serde_json::Error> {
                    Ok(match name {
                        #(#decode)*
                        _ => Webhook::Unknown { name: name.to_string(), payload: serde_json::from_slice(body)? },
                    })
                }

                /// The webhook's name.
                pub fn name(&self) -> &str {
                    match self {
                        #(#names)*
                        Webhook::Unknown { name, .. } => name,
                    }
                }
            }
        }
    }
}
