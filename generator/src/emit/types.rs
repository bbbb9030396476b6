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

/// The path of the runtime module, written from `from`.
fn runtime(from: From) -> TokenStream {
    match from {
        From::Types => quote!(super::runtime),
        From::Sibling => quote!(runtime),
    }
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
        TypeRef::Upload => {
            let runtime = runtime(from);
            quote!(#runtime::Upload)
        }
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

/// One field: docs, name and type (its wire name and presence are read by the
/// struct's serde impls, [`serialize_struct`] and [`deserialize_struct`]).
pub(super) fn field(f: &Field, from: From) -> TokenStream {
    let docs = doc_attrs(f.doc.as_deref());
    let name = ident(&f.rust);
    let t = field_ty(&f.ty, f.presence, from);
    quote! {
        #docs
        pub #name: #t,
    }
}

/// `impl Serialize` for a struct of `fields` and the map `extra`: an object of the fields
/// that are set (an `Option` left `None` is not sent; `Some(None)` is `null`) and then
/// the extra ones. Written out rather than derived: serde's derive for a struct with a
/// flattened map writes the same object with much more code.
pub(super) fn serialize_struct(name: &proc_macro2::Ident, fields: &[Field], extra: &str, from: From) -> TokenStream {
    let runtime = runtime(from);
    let entries = fields.iter().map(|f| {
        let field = ident(&f.rust);
        let wire = &f.wire;
        match f.presence {
            Presence::Required | Presence::RequiredNullable => quote!(map.serialize_entry(#wire, &self.#field)?;),
            Presence::Optional | Presence::OptionalNullable => {
                quote!(#runtime::entry_opt(&mut map, #wire, &self.#field)?;)
            }
        }
    });
    let extra = ident(extra);
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                for (key, value) in &self.#extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// `impl Deserialize` for a struct of `fields` and the map `extra`, through the runtime's
/// `Object`: a required field must be there, an optional one is `None` when absent (an
/// optional nullable one `Some(None)` when `null`), and the fields not described go to
/// `extra`.
pub(super) fn deserialize_struct(name: &proc_macro2::Ident, fields: &[Field], extra: &str) -> TokenStream {
    let inits = fields.iter().map(|f| {
        let field = ident(&f.rust);
        let wire = &f.wire;
        let read = match f.presence {
            Presence::Required => quote!(required),
            Presence::RequiredNullable | Presence::Optional => quote!(optional),
            Presence::OptionalNullable => quote!(optional_nullable),
        };
        quote!(#field: object.#read(#wire)?,)
    });
    let extra = ident(extra);
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                super::runtime::Object::decode(deserializer, |object| {
                    Ok(Self {
                        #(#inits)*
                        #extra: object.rest(),
                    })
                })
            }
        }
    }
}

/// The map that keeps the fields the spec does not describe (filled and written by
/// the struct's serde impls).
pub(super) fn extra_field(name: &str) -> TokenStream {
    let name = ident(name);
    quote! {
        /// Fields the spec does not describe: kept when decoding, sent when encoding.
        pub #name: serde_json::Map<String, serde_json::Value>,
    }
}

/// Hand-written serde impls, each under `cfg`, the one the type's direction does not
/// need under the `testing` feature too: a type only sent is not decoded, one only received
/// not encoded, but for the mock's typed answers and the example tests.
fn serde_impls(
    direction: Direction,
    cfg: &TokenStream,
    serialize: TokenStream,
    deserialize: TokenStream,
) -> TokenStream {
    let testing = quote!(#[cfg(feature = "testing")]);
    let (ser_cfg, de_cfg) = match direction {
        Direction::Both => (quote!(), quote!()),
        Direction::Sent => (quote!(), testing),
        Direction::Received => (testing, quote!()),
    };
    quote! {
        #cfg
        #ser_cfg
        #serialize

        #cfg
        #de_cfg
        #deserialize
    }
}

/// A named type; `cfg` (possibly empty) goes on every item it consists of.
pub(super) fn type_def(def: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let docs = doc_attrs(def.doc.as_deref());
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
            let impls = serde_impls(
                def.direction,
                cfg,
                serialize_struct(&name, fields, extra, From::Types),
                deserialize_struct(&name, fields, extra),
            );
            quote! {
                #docs
                #cfg
                #[derive(#debug Clone, PartialEq, #default)]
                #[non_exhaustive]
                pub struct #name {
                    #(#field_tokens)*
                    #extra_tokens
                }
                #impls
                #redacting
                #building
            }
        }
        TypeBody::Union { variants } => {
            let names: Vec<_> = variants.iter().map(|(variant, _)| format_ident!("{}", variant)).collect();
            let types: Vec<_> = variants.iter().map(|(_, t)| self::ty(t, From::Types)).collect();
            let text = unraw(&name.to_string()).to_string();
            // By hand rather than `#[serde(untagged)]`: serde's untagged decode buffers the
            // value in its private `Content` and compiles every variant's decoder a second
            // time for it; this one tries the variants on the `serde_json::Value` every body
            // is decoded through, so each type's decoder is compiled once.
            let serialize = quote! {
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        match self {
                            #(Self::#names(value) => serde::Serialize::serialize(value, serializer),)*
                        }
                    }
                }
            };
            let deserialize = quote! {
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                        let variants: &[super::runtime::UnionVariant<Self>] = &[
                            #(|value| <#types as serde::Deserialize>::deserialize(value).map(Self::#names),)*
                        ];
                        super::runtime::untagged(value, variants, #text).map_err(serde::de::Error::custom)
                    }
                }
            };
            let impls = serde_impls(def.direction, cfg, serialize, deserialize);
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant)] // decoded once; a box would be in every caller's way
                pub enum #name {
                    #(#names(#types),)*
                }
                #impls
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
            let matched = if idents.is_empty() {
                quote!(Ok(Self::Unknown(wire)))
            } else {
                quote! {
                    let value = match wire.as_str() {
                        #(#wires => Self::#idents,)*
                        _ => Self::Unknown(wire),
                    };
                    Ok(value)
                }
            };
            // By hand rather than derived: a string, read as one and matched (serde's derive
            // for an enum with an untagged `Unknown` buffers the value and tries each variant).
            let serialize = quote! {
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
            };
            let deserialize = quote! {
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let wire = <String as serde::Deserialize>::deserialize(deserializer)?;
                        #matched
                    }
                }
            };
            let impls = serde_impls(def.direction, cfg, serialize, deserialize);
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #(#idents,)*
                    /// A value this SDK does not know, kept as it was sent.
                    Unknown(String),
                }
                #impls

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
