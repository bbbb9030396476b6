//! Tokens for the `types` module: structs (unknown fields kept) and string
//! enums (unknown values kept), plus the field attributes shared with the
//! params structs.

use super::{doc_attrs, ident};
use crate::ir::{Direction, Field, Presence, TypeBody, TypeDef, TypeRef};
use crate::naming::unraw;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where a type is written from: inside `types`, or from a sibling module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum From {
    Types,
    Sibling,
}

/// The Rust type `t`, written from `from`.
pub(super) fn ty(t: &TypeRef, from: From) -> TokenStream {
    match t {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Value => quote!(serde_json::Value),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Upload => match from {
            From::Types => quote!(super::runtime::Upload),
            _ => quote!(runtime::Upload),
        },
        TypeRef::Vec(inner) => {
            let inner = ty(inner, from);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = ty(inner, from);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Named(name) => {
            let name = format_ident!("{}", name);
            match from {
                From::Types => quote!(#name),
                From::Sibling => quote!(super::types::#name),
            }
        }
        TypeRef::Boxed(inner) => {
            let inner = ty(inner, from);
            quote!(Box<#inner>)
        }
    }
}

/// The field type with the `Option`s its presence adds.
pub(super) fn field_ty(t: &TypeRef, presence: Presence, from: From) -> TokenStream {
    let t = ty(t, from);
    match presence {
        Presence::Required => t,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#t>),
        Presence::OptionalNullable => quote!(Option<Option<#t>>),
    }
}

/// A field a caller sets: of a request type or a params struct.
pub(super) struct Settable<'a> {
    /// The field's Rust name.
    pub rust: &'a str,
    /// Its name on the wire, for the setter's docs.
    pub wire: &'a str,
    /// Its type, without the `Option`s of presence.
    pub ty: &'a TypeRef,
    /// Whether it is an `Option` (or two).
    pub presence: Presence,
}

impl<'a> Settable<'a> {
    /// A struct field.
    pub(super) fn field(f: &'a Field) -> Self {
        Settable { rust: &f.rust, wire: &f.wire, ty: &f.ty, presence: f.presence }
    }
}

/// Chained setters, one per field (`.require_signed_urls(true)`): with the
/// struct `#[non_exhaustive]`, a caller builds it with `new` or `default`
/// and setters, so a field the API adds later breaks no caller.
pub(super) fn setters(fields: &[Settable], from: From) -> TokenStream {
    let setters = fields.iter().map(|f| {
        let setter = ident(&crate::naming::setter(f.rust));
        let field = ident(f.rust);
        let (inner, boxed) = match f.ty {
            TypeRef::Boxed(inner) => (&**inner, true),
            other => (other, false),
        };
        let t = ty(inner, from);
        let value = if boxed { quote!(Box::new(value.into())) } else { quote!(value.into()) };
        let value = match f.presence {
            Presence::Required => value,
            Presence::RequiredNullable | Presence::Optional => quote!(Some(#value)),
            Presence::OptionalNullable => quote!(Some(Some(#value))),
        };
        let doc = format!(" Sets `{}`.", f.wire);
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl Into<#t>) -> Self {
                self.#field = #value;
                self
            }
        }
    });
    quote!(#(#setters)*)
}

/// `new` taking every required field (as `impl Into<T>`), the rest unset:
/// for a struct without `Default`. `extra` names the unknown-fields map, if any.
pub(super) fn constructor(fields: &[Settable], extra: Option<&str>, from: From) -> TokenStream {
    let required: Vec<&Settable> = fields.iter().filter(|f| f.presence == Presence::Required).collect();
    let args = required.iter().map(|f| {
        let name = ident(f.rust);
        let t = match f.ty {
            TypeRef::Boxed(inner) => ty(inner, from),
            other => ty(other, from),
        };
        quote!(#name: impl Into<#t>)
    });
    let inits = fields.iter().map(|f| {
        let name = ident(f.rust);
        match (f.presence, f.ty) {
            (Presence::Required, TypeRef::Boxed(_)) => quote!(#name: Box::new(#name.into()),),
            (Presence::Required, _) => quote!(#name: #name.into(),),
            _ => quote!(#name: None,),
        }
    });
    let extra = extra.map(|e| {
        let e = ident(e);
        quote!(#e: Default::default(),)
    });
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        /// With the required fields given and the others unset.
        #many
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* #extra }
        }
    }
}

/// One serde field: docs, rename, presence attributes.
pub(super) fn field(f: &Field, from: From) -> TokenStream {
    let docs = doc_attrs(f.doc.as_deref());
    let name = ident(&f.rust);
    let t = field_ty(&f.ty, f.presence, from);
    let mut serde = Vec::new();
    if unraw(&f.rust) != f.wire {
        let wire = &f.wire;
        serde.push(quote!(rename = #wire));
    }
    match f.presence {
        Presence::Required | Presence::RequiredNullable => {}
        Presence::Optional => serde.push(quote!(default, skip_serializing_if = "Option::is_none")),
        Presence::OptionalNullable => {
            serde.push(quote!(default, skip_serializing_if = "Option::is_none", with = "super::runtime::double_option"))
        }
    }
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! {
        #docs
        #serde
        pub #name: #t,
    }
}

/// The flattened map that keeps fields the spec does not describe.
pub(super) fn extra_field(name: &str) -> TokenStream {
    let name = ident(name);
    quote! {
        /// Fields the spec does not describe: kept when decoding, sent when encoding.
        #[serde(flatten)]
        pub #name: serde_json::Map<String, serde_json::Value>,
    }
}

/// The serde traits a type derives by the way it travels (what its values
/// need), and the one behind the `testing` feature (what the mock and the
/// example tests need: typed answers, decoding examples of requests).
fn serde_derives(direction: Direction) -> (TokenStream, TokenStream) {
    match direction {
        Direction::Both => (quote!(Serialize, Deserialize), quote!()),
        Direction::Sent => (quote!(Serialize), quote!(#[cfg_attr(feature = "testing", derive(Deserialize))])),
        Direction::Received => (quote!(Deserialize), quote!(#[cfg_attr(feature = "testing", derive(Serialize))])),
    }
}

/// A named type; `cfg` (possibly empty) goes on every item it consists of.
pub(super) fn type_def(def: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let docs = doc_attrs(def.doc.as_deref());
    let (serde, serde_testing) = serde_derives(def.direction);
    let name = format_ident!("{}", def.name);
    match &def.body {
        TypeBody::Struct { fields, extra, default } => {
            // Built by callers with `new`/`default` and setters, never as a literal:
            // a field the API adds later is not a breaking change.
            let building = def.built.then(|| {
                let settable: Vec<Settable> = fields.iter().map(Settable::field).collect();
                // `new` takes the required fields; a struct without any is built from `default()`.
                let required = fields.iter().any(|f| f.presence == Presence::Required);
                let new = (required || !default).then(|| constructor(&settable, Some(extra), From::Types));
                let setters = setters(&settable, From::Types);
                quote! {
                    #cfg
                    #[allow(clippy::wrong_self_convention)]
                    impl #name {
                        #new
                        #setters
                    }
                }
            });
            let field_tokens = fields.iter().map(|f| field(f, From::Types));
            let extra_tokens = extra_field(extra);
            let default = default.then(|| quote!(Default,));
            let shown: Vec<(&str, bool)> =
                fields.iter().map(|f| (f.rust.as_str(), f.secret)).chain([(extra.as_str(), false)]).collect();
            let (debug, redacting) = match redacting_debug(&name, &shown) {
                Some(tokens) => (quote!(), Some(quote!(#cfg #tokens))),
                None => (quote!(Debug,), None),
            };
            quote! {
                #docs
                #cfg
                #[derive(#debug Clone, PartialEq, #default #serde)]
                #serde_testing
                #[non_exhaustive]
                pub struct #name {
                    #(#field_tokens)*
                    #extra_tokens
                }
                #redacting
                #building
            }
        }
        TypeBody::Union { variants } => {
            let variants = variants.iter().map(|(variant, ty)| {
                let variant = format_ident!("{}", variant);
                let ty = self::ty(ty, From::Types);
                quote!(#variant(#ty),)
            });
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq, #serde)]
                #serde_testing
                #[serde(untagged)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant)] // decoded once; a box would be in every caller's way
                pub enum #name {
                    #(#variants)*
                }
            }
        }
        TypeBody::Alias { target } => {
            let target = self::ty(target, From::Types);
            quote! {
                #docs
                #cfg
                pub type #name = #target;
            }
        }
        TypeBody::Enum { variants } => {
            let idents: Vec<_> = variants.iter().map(|v| format_ident!("{}", v.rust)).collect();
            let wires: Vec<_> = variants.iter().map(|v| &v.wire).collect();
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq, Eq, Hash, #serde)]
                #serde_testing
                #[non_exhaustive]
                pub enum #name {
                    #(
                        #[serde(rename = #wires)]
                        #idents,
                    )*
                    /// A value this SDK does not know, kept as it was sent.
                    #[serde(untagged)]
                    Unknown(String),
                }

                #cfg
                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(Self::#idents => #wires,)*
                            Self::Unknown(other) => other,
                        }
                    }
                }

                #cfg
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            }
        }
    }
}

/// `impl Debug` for a struct with secret fields (`format: password`,
/// `writeOnly`), which shows `[redacted]` for them; `None` when none is.
pub(super) fn redacting_debug(name: &proc_macro2::Ident, fields: &[(&str, bool)]) -> Option<TokenStream> {
    if !fields.iter().any(|(_, secret)| *secret) {
        return None;
    }
    let text = unraw(&name.to_string()).to_string();
    let calls = fields.iter().map(|(rust, secret)| {
        let wire = unraw(rust);
        let field = ident(rust);
        if *secret {
            quote!(.field(#wire, &format_args!("[redacted]")))
        } else {
            quote!(.field(#wire, &self.#field))
        }
    });
    Some(quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#text) #(#calls)* .finish()
            }
        }
    })
}
