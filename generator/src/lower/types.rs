//! Lowering schemas to Rust types: which schemas become named structs and
//! enums in the `types` module, and what every other schema is written as.

use super::schema::{Components, Kind, Norm};
use crate::error::{Result, Warning, WarningKind};
use crate::ir::{Field, Presence, TypeBody, TypeDef, TypeRef, Variant};
use crate::naming::{self, Scope};
use std::collections::{BTreeMap, BTreeSet};

/// How deep inline types may nest below the nearest named type (real
/// specs: about a dozen levels). A schema that contains itself through
/// `allOf` expands into a new inline type at every level and stops here.
const MAX_TYPE_DEPTH: usize = 40;

/// How deep types may nest in all, named ones included: a chain of
/// components each holding the next. Bounds the recursion, which runs on a
/// thread with [`crate::pipeline::LOWER_STACK`] bytes of stack.
const MAX_TOTAL_DEPTH: usize = 1000;

/// Builds the named types of the `types` module on demand, memoized per
/// component, in the order schemas are first used (spec order).
pub(crate) struct TypeBuilder<'a> {
    comps: &'a Components,
    /// Prefix stripped from component names (`images_`).
    prefix: String,
    /// User renames of component types.
    renames: &'a BTreeMap<String, String>,
    /// Names taken in the `types` module.
    names: Scope,
    /// The Rust name of every component that is a struct or an enum,
    /// claimed before any inline type is named (see [`TypeBuilder::new`]).
    reserved: BTreeMap<String, String>,
    /// Components already lowered.
    memo: BTreeMap<String, TypeRef>,
    /// Inline structs, enums and unions already lowered, by the pointer of
    /// their schema: a node reached again (through a component that is used
    /// in many places, a shared parameter) is the same type, not a copy.
    inline: std::collections::HashMap<String, TypeRef>,
    /// Named types under construction (for boxing recursive fields).
    building: BTreeSet<String>,
    /// Unnamed components under construction (to catch cycles through them).
    unnamed_in_progress: BTreeSet<String>,
    /// How deep `type_of` is nested now below the nearest named type.
    depth: usize,
    /// How deep `type_of` is nested now in all.
    total_depth: usize,
    defs: BTreeMap<String, TypeDef>,
    /// What was degraded on the way.
    pub warnings: Vec<Warning>,
}

impl<'a> TypeBuilder<'a> {
    /// A builder over `comps`, stripping `prefix` from component names.
    ///
    /// The spec's own schemas are named first, in name order, so that an
    /// inline schema never takes a component's name: adding an operation or
    /// an inline schema to a spec never renames a component's type.
    pub(crate) fn new(comps: &'a Components, prefix: String, renames: &'a BTreeMap<String, String>) -> Self {
        let mut names = Scope::default();
        let mut reserved = BTreeMap::new();
        for name in comps.names() {
            let Ok(target) = comps.get(name, "") else { continue };
            if matches!(target.kind, Kind::Ref(_)) {
                continue; // an alias: named after the schema it stands for
            }
            let Ok(flat) = comps.deref(target).and_then(|t| comps.flatten(t)) else { continue };
            let is_struct = matches!(&flat.kind, Kind::Object(o) if !o.properties.is_empty());
            let is_enum = matches!(flat.kind, Kind::String) && !flat.enum_values.is_empty();
            if is_struct || is_enum {
                reserved.insert(name.to_string(), names.claim(component_name(name, &prefix, renames)));
            }
        }
        TypeBuilder {
            comps,
            prefix,
            renames,
            names,
            reserved,
            memo: BTreeMap::new(),
            inline: std::collections::HashMap::new(),
            building: BTreeSet::new(),
            unnamed_in_progress: BTreeSet::new(),
            depth: 0,
            total_depth: 0,
            defs: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// The resolved schema behind `norm`: `$ref`s followed and `allOf` merged.
    pub(crate) fn resolve(&self, norm: &Norm) -> Result<Norm> {
        self.comps.flatten(self.comps.deref(norm)?).map(std::borrow::Cow::into_owned)
    }

    /// The fields of the named struct `name`, once lowered.
    pub(crate) fn struct_fields(&self, name: &str) -> Option<&[Field]> {
        match self.body(name)? {
            TypeBody::Struct { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// The body of the type `name`, if it is built.
    pub(crate) fn body(&self, name: &str) -> Option<&crate::ir::TypeBody> {
        Some(&self.defs.get(name)?.body)
    }

    /// The description of `norm`, or of what it refers to.
    pub(crate) fn description(&self, norm: &Norm) -> Option<String> {
        norm.description.clone().or_else(|| self.comps.deref(norm).ok().and_then(|n| n.description.clone()))
    }

    /// Whether values of `norm` (or what it refers to) are secrets: `format:
    /// password` or `writeOnly`, kept out of `Debug`.
    pub(crate) fn secret(&self, norm: &Norm) -> bool {
        let secret = |n: &Norm| n.write_only || n.format.as_deref() == Some("password");
        secret(norm) || self.comps.deref(norm).is_ok_and(secret)
    }

    /// Whether `norm` (or what it refers to) is nullable.
    pub(crate) fn nullable(&self, norm: &Norm) -> bool {
        norm.nullable || self.comps.deref(norm).is_ok_and(|n| n.nullable)
    }

    /// The Rust type for `norm`; inline structs and enums are named `hint`.
    pub(crate) fn type_of(&mut self, norm: &Norm, hint: &str) -> Result<TypeRef> {
        // A schema that contains itself through `allOf` expands into a new
        // inline type at every level: past this depth it is a JSON value.
        if self.depth >= MAX_TYPE_DEPTH || self.total_depth >= MAX_TOTAL_DEPTH {
            let message = if self.depth >= MAX_TYPE_DEPTH {
                format!("inline types nest deeper than {MAX_TYPE_DEPTH} levels here (a cycle through allOf?): decoded as serde_json::Value")
            } else {
                format!("types nest deeper than {MAX_TOTAL_DEPTH} levels here: decoded as serde_json::Value")
            };
            self.warnings.push(Warning { kind: WarningKind::EndlessExpansion, pointer: norm.pointer.clone(), message });
            return Ok(TypeRef::Value);
        }
        self.depth += 1;
        self.total_depth += 1;
        let ty = self.type_of_inner(norm, hint);
        self.depth -= 1;
        self.total_depth -= 1;
        ty
    }

    fn type_of_inner(&mut self, norm: &Norm, hint: &str) -> Result<TypeRef> {
        if let Kind::Ref(name) = &norm.kind {
            return self.component(name, &norm.pointer);
        }
        if !norm.merged {
            if let Some(done) = self.inline.get(&norm.pointer) {
                return Ok(done.clone());
            }
        }
        let comps = self.comps;
        let flat = comps.flatten(norm)?;
        if let Some(what) = flat.degraded {
            self.warnings.push(Warning {
                kind: WarningKind::UnsupportedAsValue,
                pointer: flat.pointer.clone(),
                message: format!("{what} is decoded as serde_json::Value"),
            });
        }
        Ok(match &flat.kind {
            Kind::Ref(name) => self.component(name, &flat.pointer)?,
            Kind::Any => TypeRef::Value,
            Kind::Boolean => TypeRef::Bool,
            Kind::Integer if flat.format.as_deref() == Some("int32") => TypeRef::I32,
            Kind::Integer => TypeRef::I64,
            Kind::Number => TypeRef::F64,
            Kind::String => self.string(&flat, hint),
            Kind::Array(items) => TypeRef::Vec(Box::new(self.type_of(items, &format!("{hint}Item"))?)),
            Kind::Object(obj) if obj.properties.is_empty() => match &obj.additional {
                Some(values) => TypeRef::Map(Box::new(self.type_of(values, &format!("{hint}Value"))?)),
                None => TypeRef::Value,
            },
            Kind::Object(_) => {
                let name = self.inline_name(&flat, hint);
                self.structure(&flat, name)?
            }
            Kind::AnyOf(variants) | Kind::OneOf(variants) => self.union(&flat, variants, hint)?,
            Kind::AllOf(_) => unreachable!("flatten resolves allOf"),
        })
    }

    /// Names the inline type of `flat` after `hint`, and remembers it by
    /// its pointer before its body is lowered (so a node that contains
    /// itself refers to its own name).
    fn inline_name(&mut self, flat: &Norm, hint: &str) -> String {
        let name = self.names.claim(naming::type_name(hint));
        if !flat.merged {
            self.inline.insert(flat.pointer.clone(), TypeRef::Named(name.clone()));
        }
        name
    }

    /// A string: an enum when it lists values, else by format.
    fn string(&mut self, flat: &Norm, hint: &str) -> TypeRef {
        if !flat.enum_values.is_empty() {
            let name = self.inline_name(flat, hint);
            return self.enumeration(flat, name);
        }
        match flat.format.as_deref() {
            Some("date-time") => TypeRef::DateTime,
            Some("binary") => TypeRef::Bytes,
            _ => TypeRef::String,
        }
    }

    /// A component schema: a named type when it is a struct or enum, else
    /// the type it stands for (no aliases for `string` and friends).
    fn component(&mut self, name: &str, pointer: &str) -> Result<TypeRef> {
        if let Some(done) = self.memo.get(name) {
            return Ok(done.clone());
        }
        let comps = self.comps;
        let target = comps.get(name, pointer)?;
        let resolved = comps.deref(target)?; // fails on $ref cycles
        if let Kind::Ref(next) = &target.kind {
            // An alias: the type is named after the schema that defines it.
            let ty = self.component(next, &target.pointer)?;
            self.memo.insert(name.to_string(), ty.clone());
            return Ok(ty);
        }
        let flat = comps.flatten(resolved)?;
        let is_struct = matches!(&flat.kind, Kind::Object(o) if !o.properties.is_empty());
        let is_enum = matches!(flat.kind, Kind::String) && !flat.enum_values.is_empty();
        let rust_name = component_name(name, &self.prefix, self.renames);
        if !is_struct && !is_enum {
            // Not a named type, so a cycle through it (`a: array of a`) has
            // no Rust spelling: it degrades to a JSON value.
            if !self.unnamed_in_progress.insert(name.to_string()) {
                self.warnings.push(Warning {
                    kind: WarningKind::RecursiveAlias,
                    pointer: target.pointer.clone(),
                    message: format!(
                        "`{name}` contains itself without an object in between: decoded as serde_json::Value"
                    ),
                });
                return Ok(TypeRef::Value);
            }
            let ty = self.type_of(&flat, &rust_name);
            self.unnamed_in_progress.remove(name);
            let ty = ty?;
            self.memo.insert(name.to_string(), ty.clone());
            return Ok(ty);
        }
        let rust_name = match self.reserved.get(name) {
            Some(reserved) => reserved.clone(),
            None => self.names.claim(rust_name),
        };
        self.memo.insert(name.to_string(), TypeRef::Named(rust_name.clone()));
        let ty = if is_struct {
            // A named type starts a new count of inline nesting.
            let inline_depth = std::mem::take(&mut self.depth);
            let ty = self.structure(&flat, rust_name.clone());
            self.depth = inline_depth;
            ty?
        } else {
            self.enumeration(&flat, rust_name.clone())
        };
        if let Some(def) = self.defs.get_mut(&rust_name) {
            def.component = Some(name.to_string());
            def.origin = target.pointer.clone();
        }
        Ok(ty)
    }

    fn structure(&mut self, flat: &Norm, name: String) -> Result<TypeRef> {
        let Kind::Object(obj) = &flat.kind else { unreachable!("callers pass objects") };
        self.building.insert(name.clone());
        let mut fields = Vec::with_capacity(obj.properties.len());
        let mut scope = Scope::default();
        for (wire, prop) in &obj.properties {
            let rust = scope.claim(naming::snake(wire));
            let mut ty = self.type_of(prop, &format!("{name}{}", naming::pascal(wire)))?;
            if matches!(&ty, TypeRef::Named(n) if self.building.contains(n)) {
                ty = TypeRef::Boxed(Box::new(ty));
            }
            let required = obj.required.iter().any(|r| r == wire);
            fields.push(Field {
                rust,
                wire: wire.clone(),
                ty,
                presence: presence(required, self.nullable(prop)),
                doc: self.description(prop),
                secret: self.secret(prop),
            });
        }
        let extra = scope.claim("extra".into());
        self.building.remove(&name);
        self.defs.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc: flat.description.clone(),
                body: TypeBody::Struct { fields, extra, default: false },
                used_by: Vec::new(),
                component: None,
                built: false,
                direction: Default::default(),
                origin: flat.pointer.clone(),
            },
        );
        Ok(TypeRef::Named(name))
    }

    fn enumeration(&mut self, flat: &Norm, name: String) -> TypeRef {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        // A value listed twice (ix-api.net's `["true", "true"]`) is one variant.
        let mut seen = BTreeSet::new();
        let variants = flat
            .enum_values
            .iter()
            .filter_map(|v| v.as_str())
            .filter(|wire| seen.insert(*wire))
            .map(|wire| Variant { rust: scope.claim(naming::pascal(wire)), wire: wire.to_string() })
            .collect();
        self.defs.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc: flat.description.clone(),
                body: TypeBody::Enum { variants },
                used_by: Vec::new(),
                component: None,
                built: false,
                direction: Default::default(),
                origin: flat.pointer.clone(),
            },
        );
        TypeRef::Named(name)
    }

    /// `anyOf`/`oneOf`: a single variant is that variant, variants of one
    /// primitive kind are that kind (`anyOf` of URI strings is a `String`);
    /// anything else is an untagged enum named `hint`.
    fn union(&mut self, flat: &Norm, variants: &[Norm], hint: &str) -> Result<TypeRef> {
        let mut resolved = Vec::with_capacity(variants.len());
        for v in variants {
            resolved.push((v, self.resolve(v)?));
        }
        if let [(only, _)] = resolved.as_slice() {
            return self.type_of(only, hint);
        }
        let same_primitive = resolved.windows(2).all(|w| {
            std::mem::discriminant(&w[0].1.kind) == std::mem::discriminant(&w[1].1.kind)
                && matches!(w[0].1.kind, Kind::String | Kind::Boolean | Kind::Integer | Kind::Number)
        });
        if same_primitive && !resolved.is_empty() {
            let kind = resolved[0].1.kind.clone();
            return Ok(match kind {
                Kind::Boolean => TypeRef::Bool,
                Kind::Integer => TypeRef::I64,
                Kind::Number => TypeRef::F64,
                _ => TypeRef::String,
            });
        }
        let name = self.inline_name(flat, hint);
        self.building.insert(name.clone());
        let mut variants: Vec<(u8, TypeRef)> = Vec::new();
        for (i, (v, r)) in resolved.iter().enumerate() {
            let mut ty = self.type_of(v, &format!("{name}{}", i + 1))?;
            if matches!(&ty, TypeRef::Named(n) if self.building.contains(n)) {
                ty = TypeRef::Boxed(Box::new(ty));
            }
            if !variants.iter().any(|(_, t)| *t == ty) {
                variants.push((self.specificity(r, &ty), ty));
            }
        }
        self.building.remove(&name);
        // serde tries untagged variants in order: the most specific first.
        variants.sort_by_key(|(rank, _)| *rank);
        let mut scope = Scope::default();
        let variants = variants.into_iter().map(|(_, ty)| (scope.claim(variant_name(&ty)), ty)).collect();
        let def = TypeDef {
            name: name.clone(),
            doc: flat.description.clone(),
            body: TypeBody::Union { variants },
            used_by: Vec::new(),
            component: None,
            built: false,
            direction: Default::default(),
            origin: flat.pointer.clone(),
        };
        self.defs.insert(name.clone(), def);
        Ok(TypeRef::Named(name))
    }

    /// Where a union variant goes in the order serde tries them: objects
    /// that require fields (more first), enums, lists, maps, scalars, then
    /// objects that would match anything, then any value.
    fn specificity(&self, resolved: &Norm, ty: &TypeRef) -> u8 {
        match (&resolved.kind, ty) {
            (Kind::Object(o), TypeRef::Named(_) | TypeRef::Boxed(_)) if !o.required.is_empty() => {
                20u8.saturating_sub(o.required.len().min(19) as u8)
            }
            (_, TypeRef::Named(_) | TypeRef::Boxed(_)) if !resolved.enum_values.is_empty() => 30,
            (_, TypeRef::Vec(_)) => 40,
            (_, TypeRef::Map(_)) => 50,
            (_, TypeRef::DateTime) => 60,
            (_, TypeRef::Bool) => 61,
            (_, TypeRef::I32 | TypeRef::I64) => 62,
            (_, TypeRef::F64) => 63,
            (_, TypeRef::String | TypeRef::Bytes | TypeRef::Upload) => 64,
            (_, TypeRef::Named(_) | TypeRef::Boxed(_)) => 70,
            (_, TypeRef::Value) => 80,
        }
    }
    /// The named types, in name order, with `Default` decided.
    pub(crate) fn finish(self) -> (Vec<TypeDef>, Vec<Warning>) {
        let mut defs = self.defs;
        // A struct derives Default when all its required fields have one;
        // iterate to a fixpoint since structs contain structs.
        loop {
            let defaults: BTreeSet<String> = defs
                .values()
                .filter(|d| matches!(d.body, TypeBody::Struct { default: true, .. }))
                .map(|d| d.name.clone())
                .collect();
            let mut changed = false;
            for def in defs.values_mut() {
                if let TypeBody::Struct { fields, default, .. } = &mut def.body {
                    let can = fields
                        .iter()
                        .all(|f| f.presence != Presence::Required || f.ty.has_default(&|n: &str| defaults.contains(n)));
                    if can && !*default {
                        *default = true;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        (defs.into_values().collect(), self.warnings)
    }
}

/// The Rust name of component `name`: the user's rename, else the name
/// without the spec's common prefix. A rename goes through the naming rules
/// too, so it is always an identifier.
fn component_name(name: &str, prefix: &str, renames: &BTreeMap<String, String>) -> String {
    renames
        .get(name)
        .map(|n| naming::type_name(n))
        .unwrap_or_else(|| naming::type_name(name.strip_prefix(prefix).filter(|s| !s.is_empty()).unwrap_or(name)))
}

/// The name of a union variant holding `ty`.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Boxed(inner) => variant_name(inner),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F64 => "Number".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Value => "Value".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Upload => "Upload".into(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
    }
}

/// Presence from `required` and `nullable`.
pub(crate) fn presence(required: bool, nullable: bool) -> Presence {
    match (required, nullable) {
        (true, false) => Presence::Required,
        (true, true) => Presence::RequiredNullable,
        (false, false) => Presence::Optional,
        (false, true) => Presence::OptionalNullable,
    }
}
