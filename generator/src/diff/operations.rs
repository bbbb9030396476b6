//! Operations compared: methods, parameters, bodies, responses, auth.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::ir::{Body, Operation, Param, Response, TypeRef};
use crate::pointer::push_pointer;

/// An operation's identity: method and path with its parameters unnamed, so
/// that renaming `{identifier}` to `{id}` keeps the method.
pub(super) fn op_key(op: &Operation) -> (String, String) {
    let mut path = String::with_capacity(op.path.len());
    let mut in_param = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_param = true;
                path.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => path.push(c),
            _ => {}
        }
    }
    (op.method.clone(), path)
}

pub(super) fn op_pointer(op: &Operation) -> String {
    push_pointer(&push_pointer("/paths", &op.path), &op.method.to_ascii_lowercase())
}

/// `images().v1().edit()`.
pub(super) fn method_item(op: &Operation) -> String {
    let mut item: String = op.resource.iter().map(|r| format!("{}().", crate::naming::unraw(r))).collect();
    item.push_str(crate::naming::unraw(&op.method_name));
    item.push_str("()");
    item
}

impl Differ<'_> {
    pub(super) fn operations(&mut self) {
        let new_by_key: BTreeMap<(String, String), &Operation> =
            self.new.operations.iter().map(|o| (op_key(o), o)).collect();
        let old_keys: BTreeSet<(String, String)> = self.old.operations.iter().map(op_key).collect();
        for old in &self.old.operations {
            let Some(new) = new_by_key.get(&op_key(old)).copied() else {
                let detail = format!("`{} {}` (operation `{}`)", old.method, old.path, old.id);
                self.push(ChangeKind::MethodRemoved, Level::Major, &method_item(old), detail, &op_pointer(old));
                continue;
            };
            self.operation(old, new);
        }
        for new in &self.new.operations {
            if !old_keys.contains(&op_key(new)) {
                let detail = format!("`{} {}` (operation `{}`)", new.method, new.path, new.id);
                self.push(ChangeKind::MethodAdded, Level::Minor, &method_item(new), detail, &op_pointer(new));
            }
        }
    }

    pub(super) fn operation(&mut self, old: &Operation, new: &Operation) {
        let item = method_item(new);
        let pointer = op_pointer(new);
        if old.resource != new.resource || old.method_name != new.method_name {
            let detail = format!("was `{}`", method_item(old));
            self.push(ChangeKind::MethodMoved, Level::Major, &item, detail, &pointer);
        }
        if old.path != new.path {
            self.push(
                ChangeKind::PathChanged,
                Level::Patch,
                &item,
                format!("`{}` → `{}`", old.path, new.path),
                &pointer,
            );
        }
        if old.doc != new.doc {
            self.push(ChangeKind::DocsChanged, Level::Patch, &item, "summary or description".into(), &pointer);
        }
        // Arguments: `(positional, params)`.
        let positional = |op: &Operation| op.positional.as_ref().map(|p| p.ty.clone());
        match (positional(old), positional(new)) {
            (Some(a), Some(b)) if !self.same_ty(&a, &b) => {
                let detail = format!("path argument `{}` → `{}`", TypeRef::spelled(&a), TypeRef::spelled(&b));
                self.push(ChangeKind::SignatureChanged, Level::Major, &item, detail, &pointer);
            }
            (Some(_), None) | (None, Some(_)) => {
                let detail = "the positional path argument was added or removed".to_string();
                self.push(ChangeKind::SignatureChanged, Level::Major, &item, detail, &pointer);
            }
            _ => {}
        }
        match (&old.params_type, &new.params_type) {
            (None, Some(p)) => {
                let detail = format!("now takes `{p}`");
                self.push(ChangeKind::SignatureChanged, Level::Major, &item, detail, &pointer);
            }
            (Some(p), None) => {
                let detail = format!("no longer takes `{p}`");
                self.push(ChangeKind::SignatureChanged, Level::Major, &item, detail, &pointer);
            }
            (Some(a), Some(b)) => {
                let module = crate::naming::unraw(&new.resource[0]).to_string();
                if a != b || old.resource[0] != new.resource[0] {
                    let detail = format!("params struct `{a}` is now `{module}::{b}`");
                    self.push(ChangeKind::SignatureChanged, Level::Major, &item, detail, &pointer);
                }
                let params_item = format!("{module}::{b}");
                self.params(&old.params, &new.params, &params_item, &pointer);
                self.body(old, new, &params_item, &item, &pointer);
            }
            (None, None) => {}
        }
        self.response(old, new, &item, &pointer);
        match (&old.pagination, &new.pagination) {
            (None, Some(_)) => {
                let detail = format!("`{}_stream()` walks every page", crate::naming::unraw(&new.method_name));
                self.push(ChangeKind::PaginationAdded, Level::Minor, &item, detail, &pointer);
            }
            (Some(_), None) => {
                let detail = format!("`{}_stream()` is gone", crate::naming::unraw(&old.method_name));
                self.push(ChangeKind::PaginationRemoved, Level::Major, &item, detail, &pointer);
            }
            (Some(a), Some(b)) => {
                if !self.same_ty(&a.item, &b.item) {
                    let detail =
                        format!("stream items `{}` → `{}`", TypeRef::spelled(&a.item), TypeRef::spelled(&b.item));
                    self.push(ChangeKind::PaginationChanged, Level::Major, &item, detail, &pointer);
                } else if a.kind != b.kind || a.items != b.items {
                    let style = |p: &crate::ir::Pagination| crate::ir::PageKind::STYLES[p.kind.style()];
                    let detail = if style(a) == style(b) {
                        format!("pages are walked another way ({})", style(b))
                    } else {
                        format!("pages are walked by {}, not {}", style(b), style(a))
                    };
                    self.push(ChangeKind::PaginationChanged, Level::Patch, &item, detail, &pointer);
                }
            }
            (None, None) => {}
        }
        match (&old.events, &new.events) {
            (None, Some(e)) => {
                let detail = format!("`{}()` reads the server-sent events", crate::naming::unraw(&e.method_name));
                self.push(ChangeKind::MethodAdded, Level::Minor, &item, detail, &pointer);
            }
            (Some(e), None) => {
                let detail = format!("`{}()` is gone", crate::naming::unraw(&e.method_name));
                self.push(ChangeKind::MethodRemoved, Level::Major, &item, detail, &pointer);
            }
            (Some(a), Some(b)) if !self.same_ty(&a.ty, &b.ty) || a.method_name != b.method_name => {
                let detail = format!(
                    "`{}()` events `{}` → `{}()` events `{}`",
                    crate::naming::unraw(&a.method_name),
                    TypeRef::spelled(&a.ty),
                    crate::naming::unraw(&b.method_name),
                    TypeRef::spelled(&b.ty)
                );
                self.push(ChangeKind::ReturnChanged, Level::Major, &item, detail, &pointer);
            }
            _ => {}
        }
        let errors = |op: &Operation| op.errors.iter().map(|e| (e.status.clone(), e.ty.clone())).collect::<Vec<_>>();
        let (ea, eb) = (errors(old), errors(new));
        let same_errors =
            ea.len() == eb.len() && ea.iter().zip(&eb).all(|((sa, ta), (sb, tb))| sa == sb && self.same_ty(ta, tb));
        if !same_errors {
            let list = |e: &[(String, TypeRef)]| {
                e.iter().map(|(s, t)| format!("{s}: {}", TypeRef::spelled(t))).collect::<Vec<_>>().join(", ")
            };
            let detail = format!("[{}] → [{}]", list(&ea), list(&eb));
            self.push(ChangeKind::ErrorsChanged, Level::Patch, &item, detail, &push_pointer(&pointer, "responses"));
        }
        if old.security != new.security {
            let detail = format!("security {:?} → {:?}", old.security, new.security);
            self.push(ChangeKind::AuthChanged, Level::Patch, &item, detail, &push_pointer(&pointer, "security"));
        }
    }

    /// Parameters of a params struct, matched by location and wire name.
    pub(super) fn params(&mut self, a: &[Param], b: &[Param], item: &str, pointer: &str) {
        let pointer = push_pointer(pointer, "parameters");
        for pa in a {
            let field_item = format!("{item}::{}", crate::naming::unraw(&pa.rust));
            let Some(pb) = b.iter().find(|p| p.wire == pa.wire && p.location == pa.location) else {
                let detail = format!("{:?} parameter `{}`", pa.location, pa.wire).to_lowercase();
                self.push(ChangeKind::ParamRemoved, Level::Major, &field_item, detail, &pointer);
                continue;
            };
            if pa.rust != pb.rust {
                let detail = format!("renamed `{}` (wire name `{}`)", crate::naming::unraw(&pb.rust), pb.wire);
                self.push(ChangeKind::ParamRemoved, Level::Major, &field_item, detail, &pointer);
            }
            if pa.required != pb.required {
                let detail = if pb.required { "now required" } else { "now optional" };
                self.push(ChangeKind::ParamPresence, Level::Major, &field_item, detail.into(), &pointer);
            }
            if !self.same_ty(&pa.ty, &pb.ty) {
                let detail = format!("`{}` → `{}`", TypeRef::spelled(&pa.ty), TypeRef::spelled(&pb.ty));
                self.push(ChangeKind::ParamRetyped, Level::Major, &field_item, detail, &pointer);
            }
        }
        for pb in b.iter().filter(|pb| !a.iter().any(|pa| pa.wire == pb.wire && pa.location == pb.location)) {
            let field_item = format!("{item}::{}", crate::naming::unraw(&pb.rust));
            // Params structs are `#[non_exhaustive]`, built with `new` and setters: a new optional
            // parameter breaks nobody; a required one must be given.
            let (level, what) = if pb.required { (Level::Major, "required") } else { (Level::Minor, "optional") };
            let detail = format!("{what} {:?} parameter `{}`: `{}`", pb.location, pb.wire, TypeRef::spelled(&pb.ty))
                .to_lowercase();
            self.push(ChangeKind::ParamAdded, level, &field_item, detail, &pointer);
        }
    }

    pub(super) fn body(&mut self, old: &Operation, new: &Operation, params_item: &str, item: &str, pointer: &str) {
        let pointer = push_pointer(pointer, "requestBody");
        match (&old.body, &new.body) {
            (None, None) => {}
            (Some(Body::Fields { fields: a, .. }), Some(Body::Fields { fields: b, .. }))
            | (Some(Body::Multipart { fields: a }), Some(Body::Multipart { fields: b }))
            | (Some(Body::UrlEncoded { fields: a, .. }), Some(Body::UrlEncoded { fields: b, .. })) => {
                self.fields(a, b, params_item, &pointer, true)
            }
            (
                Some(Body::Json { field: fa, ty: ta, required: ra, .. }),
                Some(Body::Json { field: fb, ty: tb, required: rb, .. }),
            ) => {
                if fa != fb || !self.same_ty(ta, tb) || ra != rb {
                    let detail = format!("body `{fa}: {}` → `{fb}: {}`", TypeRef::spelled(ta), TypeRef::spelled(tb));
                    self.push(ChangeKind::SignatureChanged, Level::Major, item, detail, &pointer);
                }
            }
            (
                Some(Body::Bytes { field: fa, content_type: ca, .. }),
                Some(Body::Bytes { field: fb, content_type: cb, .. }),
            ) => {
                if fa != fb {
                    let detail = format!("body field `{fa}` → `{fb}`");
                    self.push(ChangeKind::SignatureChanged, Level::Major, item, detail, &pointer);
                } else if ca != cb {
                    let detail = format!("body sent as `{ca}` → `{cb}`");
                    self.push(ChangeKind::SignatureChanged, Level::Patch, item, detail, &pointer);
                }
            }
            (a, b) => {
                let kind = |body: &Option<Body>| match body {
                    None => "no body",
                    Some(Body::Fields { .. }) => "JSON fields",
                    Some(Body::Json { .. }) => "a JSON body",
                    Some(Body::Multipart { .. }) => "a multipart form",
                    Some(Body::UrlEncoded { .. }) => "a URL-encoded form",
                    Some(Body::Bytes { .. }) => "raw bytes",
                };
                let detail = format!("request body: {} → {}", kind(a), kind(b));
                self.push(ChangeKind::SignatureChanged, Level::Major, item, detail, &pointer);
            }
        }
    }

    pub(super) fn response(&mut self, old: &Operation, new: &Operation, item: &str, pointer: &str) {
        let pointer = push_pointer(pointer, "responses");
        let spell_response = |r: &Response| match r {
            Response::Json { ty, optional: true, .. } => format!("Option<{}>", TypeRef::spelled(ty)),
            Response::Json { ty, .. } => TypeRef::spelled(ty),
            Response::Bytes { .. } => "Vec<u8>".into(),
            Response::Empty => "()".into(),
        };
        let same = match (&old.response, &new.response) {
            (Response::Json { ty: a, optional: oa, .. }, Response::Json { ty: b, optional: ob, .. }) => {
                oa == ob && self.same_ty(a, b)
            }
            (Response::Bytes { .. }, Response::Bytes { .. }) | (Response::Empty, Response::Empty) => true,
            _ => false,
        };
        if !same {
            let detail = format!("`{}` → `{}`", spell_response(&old.response), spell_response(&new.response));
            self.push(ChangeKind::ReturnChanged, Level::Major, item, detail, &pointer);
        }
    }

    pub(super) fn auth(&mut self) {
        for a in &self.old.schemes {
            let pointer = push_pointer("/components/securitySchemes", &a.name);
            let item = format!("ClientBuilder::{}", a.setter);
            match self.new.schemes.iter().find(|b| b.name == a.name) {
                None => {
                    self.push(ChangeKind::AuthRemoved, Level::Major, &item, format!("scheme `{}`", a.name), &pointer)
                }
                Some(b) if b.setter != a.setter || b.kind != a.kind => {
                    // The setter's name or arguments (Basic takes two) may change: breaking.
                    let detail = format!("{:?} → {:?}", a.kind, b.kind);
                    self.push(ChangeKind::AuthChanged, Level::Major, &item, detail, &pointer);
                }
                Some(b) if b.env != a.env => {
                    let detail = format!("read from `{}` instead of `{}`", b.env, a.env);
                    self.push(ChangeKind::AuthChanged, Level::Patch, &item, detail, &pointer);
                }
                Some(_) => {}
            }
        }
        for b in &self.new.schemes {
            if !self.old.schemes.iter().any(|a| a.name == b.name) {
                let pointer = push_pointer("/components/securitySchemes", &b.name);
                let item = format!("ClientBuilder::{}", b.setter);
                self.push(ChangeKind::AuthAdded, Level::Minor, &item, format!("scheme `{}`", b.name), &pointer);
            }
        }
    }
}
