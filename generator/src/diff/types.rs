//! Types compared: matched across a rename, then their bodies and fields.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::ir::{resolve, Field, Presence, TypeBody, TypeDef, TypeRef};
use crate::pointer::push_pointer;

impl Differ<'_> {
    /// Whether `old` (a type of the old SDK) is `new` (one of the new SDK)
    /// as a Rust user writes it, following type renames.
    pub(super) fn same_ty(&self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                // Aliases are the type they name: compare what both sides stand for.
                let new_canon = |n: &str| resolve(&self.new.types, n).map(|t| t.name.clone());
                let old_canon = resolve(&self.old.types, a).map(|t| t.name.clone()).unwrap_or_else(|| a.clone());
                self.renames.get(a).is_some_and(|to| to == b || new_canon(to) == new_canon(b))
                    || self.renames.get(&old_canon).is_some_and(|to| new_canon(to) == new_canon(b))
            }
            (TypeRef::Vec(a), TypeRef::Vec(b))
            | (TypeRef::Map(a), TypeRef::Map(b))
            | (TypeRef::Boxed(a), TypeRef::Boxed(b)) => self.same_ty(a, b),
            // Boxing a field is not a change a caller sees when reading it; building it is.
            _ => old == new,
        }
    }

    /// Pairs old types with new ones: a component with the same component;
    /// an inline type with the inline type of the same Rust name, else with
    /// the one lowered from the same schema (a rename); anything left by
    /// Rust name. (A schema's pointer alone is weak: a parameter's schema
    /// is at its index in the list, which moves when one is added.)
    pub(super) fn match_types(&mut self) {
        let new_types = &self.new.types;
        let by_component: BTreeMap<&str, &str> =
            new_types.iter().filter_map(|t| t.component.as_deref().map(|c| (c, t.name.as_str()))).collect();
        let inline_names: BTreeSet<&str> =
            new_types.iter().filter(|t| t.component.is_none()).map(|t| t.name.as_str()).collect();
        let mut by_origin: BTreeMap<&str, &str> = BTreeMap::new();
        for t in new_types.iter().filter(|t| t.component.is_none()) {
            by_origin.entry(t.origin.as_str()).or_insert(t.name.as_str());
        }
        let new_names: BTreeSet<&str> = new_types.iter().map(|t| t.name.as_str()).collect();
        let mut used: BTreeSet<String> = BTreeSet::new();
        let mut pair = |renames: &mut BTreeMap<String, String>, from: &str, to: &str| {
            if renames.contains_key(from) || used.contains(to) {
                return;
            }
            used.insert(to.to_string());
            renames.insert(from.to_string(), to.to_string());
        };
        let old_types = &self.old.types;
        for t in old_types {
            if let Some(to) = t.component.as_deref().and_then(|c| by_component.get(c)) {
                pair(&mut self.renames, &t.name, to);
            }
        }
        for t in old_types.iter().filter(|t| t.component.is_none()) {
            if inline_names.contains(t.name.as_str()) {
                pair(&mut self.renames, &t.name, &t.name);
            }
        }
        for t in old_types.iter().filter(|t| t.component.is_none()) {
            if let Some(to) = by_origin.get(t.origin.as_str()) {
                pair(&mut self.renames, &t.name, to);
            }
        }
        for t in old_types {
            if new_names.contains(t.name.as_str()) {
                pair(&mut self.renames, &t.name, &t.name);
            }
        }
    }

    pub(super) fn types(&mut self) {
        let new_by_name: BTreeMap<&str, &TypeDef> = self.new.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let matched: BTreeSet<String> = self.renames.values().cloned().collect();
        for old in &self.old.types {
            let Some(new) = self.renames.get(&old.name).and_then(|n| new_by_name.get(n.as_str())).copied() else {
                let item = format!("types::{}", old.name);
                let what = old.component.as_ref().map_or("inline schema".to_string(), |c| format!("schema `{c}`"));
                self.push(
                    ChangeKind::TypeRemoved,
                    Level::Major,
                    &item,
                    format!("{what} no longer used or removed"),
                    &old.origin,
                );
                continue;
            };
            let item = format!("types::{}", new.name);
            if old.name != new.name {
                self.push(
                    ChangeKind::TypeRenamed,
                    Level::Major,
                    &item,
                    format!("was `types::{}` (same schema)", old.name),
                    &new.origin,
                );
            }
            let aliases = (matches!(old.body, TypeBody::Alias { .. }), matches!(new.body, TypeBody::Alias { .. }));
            if aliases.0 || aliases.1 {
                // Compare what the aliases stand for, unless it is the same type on both sides.
                let (Some(old_def), Some(new_def)) =
                    (resolve(&self.old.types, &old.name), resolve(&self.new.types, &new.name))
                else {
                    continue;
                };
                if self.renames.get(&old_def.name) == Some(&new_def.name) {
                    continue; // the same type on both sides, compared under its own name
                }
                self.type_body(old_def, new_def, &item, old_def.built);
            } else {
                self.type_body(old, new, &item, old.built);
            }
        }
        for new in &self.new.types {
            if !matched.contains(&new.name) {
                let item = format!("types::{}", new.name);
                let what = new.component.as_ref().map_or("inline schema".to_string(), |c| format!("schema `{c}`"));
                self.push(ChangeKind::TypeAdded, Level::Minor, &item, what, &new.origin);
            }
        }
    }

    pub(super) fn type_body(&mut self, old: &TypeDef, new: &TypeDef, item: &str, built: bool) {
        let pointer = new.origin.as_str();
        if old.doc != new.doc {
            self.push(ChangeKind::DocsChanged, Level::Patch, item, "description".into(), pointer);
        }
        match (&old.body, &new.body) {
            (TypeBody::Struct { fields: a, default: da, .. }, TypeBody::Struct { fields: b, default: db, .. }) => {
                self.fields(a, b, item, pointer, built);
                if da != db {
                    let level = if *db { Level::Minor } else { Level::Major };
                    let what = if *db {
                        "now implements `Default`"
                    } else {
                        "no longer implements `Default` (a field is required)"
                    };
                    self.push(ChangeKind::DefaultChanged, level, item, what.into(), pointer);
                }
            }
            (TypeBody::Enum { variants: a }, TypeBody::Enum { variants: b }) => {
                let old_wires: BTreeSet<&str> = a.iter().map(|v| v.wire.as_str()).collect();
                let new_wires: BTreeSet<&str> = b.iter().map(|v| v.wire.as_str()).collect();
                for v in a.iter().filter(|v| !new_wires.contains(v.wire.as_str())) {
                    let detail = format!("`{}` (`\"{}\"` now decodes as `Unknown`)", v.rust, v.wire);
                    self.push(ChangeKind::EnumValueRemoved, Level::Major, item, detail, &format!("{pointer}/enum"));
                }
                for v in b.iter().filter(|v| !old_wires.contains(v.wire.as_str())) {
                    let detail = format!("`{}` (`\"{}\"`)", v.rust, v.wire);
                    self.push(ChangeKind::EnumValueAdded, Level::Minor, item, detail, &format!("{pointer}/enum"));
                }
                for (va, vb) in a.iter().filter_map(|va| b.iter().find(|vb| vb.wire == va.wire).map(|vb| (va, vb))) {
                    if va.rust != vb.rust {
                        let detail = format!("variant `{}` renamed `{}`", va.rust, vb.rust);
                        self.push(ChangeKind::EnumValueRemoved, Level::Major, item, detail, &format!("{pointer}/enum"));
                    }
                }
            }
            (TypeBody::Union { variants: a }, TypeBody::Union { variants: b }) => {
                for (name, ty) in a {
                    if !b.iter().any(|(n, t)| n == name || self.same_ty(ty, t)) {
                        let detail = format!("`{name}({})`", TypeRef::spelled(ty));
                        self.push(ChangeKind::VariantRemoved, Level::Major, item, detail, pointer);
                    }
                }
                for (name, ty) in b {
                    if !a.iter().any(|(n, t)| n == name || self.same_ty(t, ty)) {
                        let detail = format!("`{name}({})`", TypeRef::spelled(ty));
                        self.push(ChangeKind::VariantAdded, Level::Minor, item, detail, pointer);
                    }
                }
                for (name, ty) in a {
                    if let Some((_, t)) = b.iter().find(|(n, _)| n == name) {
                        if !self.same_ty(ty, t) {
                            let detail = format!("`{name}`: `{}` → `{}`", TypeRef::spelled(ty), TypeRef::spelled(t));
                            self.push(ChangeKind::VariantRemoved, Level::Major, item, detail, pointer);
                        }
                    }
                }
            }
            (a, b) => {
                let kind = |body: &TypeBody| match body {
                    TypeBody::Struct { .. } => "struct",
                    TypeBody::Enum { .. } => "enum",
                    TypeBody::Union { .. } => "union",
                    TypeBody::Alias { .. } => "alias",
                };
                let detail = format!("{} → {}", kind(a), kind(b));
                self.push(ChangeKind::TypeKindChanged, Level::Major, item, detail, pointer);
            }
        }
    }

    /// Struct fields (of a type or of a params struct), matched by wire name.
    pub(super) fn fields(&mut self, a: &[Field], b: &[Field], item: &str, pointer: &str, built: bool) {
        for fa in a {
            let field_item = format!("{item}::{}", crate::naming::unraw(&fa.rust));
            let field_pointer = push_pointer(&format!("{pointer}/properties"), &fa.wire);
            let Some(fb) = b.iter().find(|f| f.wire == fa.wire) else {
                self.push(
                    ChangeKind::FieldRemoved,
                    Level::Major,
                    &field_item,
                    format!("`{}`", fa.wire),
                    &field_pointer,
                );
                continue;
            };
            if fa.rust != fb.rust {
                let detail = format!("renamed `{}` (wire name `{}`)", crate::naming::unraw(&fb.rust), fb.wire);
                self.push(ChangeKind::FieldRemoved, Level::Major, &field_item, detail, &field_pointer);
            }
            if !self.same_ty(&fa.ty, &fb.ty) {
                let detail = format!("`{}` → `{}`", TypeRef::spelled(&fa.ty), TypeRef::spelled(&fb.ty));
                self.push(ChangeKind::FieldRetyped, Level::Major, &field_item, detail, &field_pointer);
            }
            if fa.presence != fb.presence {
                // Required ↔ nullable is the same `Option<T>`: only what is sent changes.
                let level = if options(fa.presence) == options(fb.presence) { Level::Patch } else { Level::Major };
                let detail = format!("{:?} → {:?}", fa.presence, fb.presence).to_lowercase();
                self.push(ChangeKind::FieldPresence, level, &field_item, detail, &field_pointer);
            }
            if fa.doc != fb.doc {
                self.push(ChangeKind::DocsChanged, Level::Patch, &field_item, "description".into(), &field_pointer);
            }
        }
        for fb in b.iter().filter(|fb| !a.iter().any(|fa| fa.wire == fb.wire)) {
            let field_item = format!("{item}::{}", crate::naming::unraw(&fb.rust));
            let field_pointer = push_pointer(&format!("{pointer}/properties"), &fb.wire);
            let required = fb.presence == Presence::Required;
            // Structs are `#[non_exhaustive]` and built with `new`/`default` and setters: a new
            // optional field breaks nobody; a required one of a struct callers build changes
            // what `new` takes (or takes `Default` away).
            let level = if required && built { Level::Major } else { Level::Minor };
            let detail =
                format!("`{}`: `{}`{}", fb.wire, TypeRef::spelled(&fb.ty), if required { ", required" } else { "" });
            self.push(ChangeKind::FieldAdded, level, &field_item, detail, &field_pointer);
        }
    }
}
