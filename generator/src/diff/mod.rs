//! What changed between two SDKs, in the Rust names users call, and the
//! semver release it needs.
//!
//! Both sides are IRs ([`Api`]): from two specs, or from the
//! `sdkgen-api.json` a generated crate carries. Items are matched by what
//! identifies them in the spec (an operation by method and path, a type by
//! name, else by component or schema pointer), so a renamed Rust item shows
//! as a rename, not as one removal and one addition.
//!
//! Each change gets the level Rust's semver rules give it for the code
//! sdkgen emits (see the README's "How a generated SDK evolves"): structs,
//! enums and unions are `#[non_exhaustive]`, and the structs callers build
//! (params, request bodies) have `new`/`default` and setters, so a new
//! optional parameter or field, enum value, union variant, type or operation
//! is a minor release; anything that breaks code written against the old
//! SDK is a major one.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ir::{Api, Operation, Presence};
use crate::pointer::push_pointer;

mod operations;
mod report;
mod types;

use operations::op_key;

/// A semver level: what a release with this change must bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing a caller can see in the Rust API (docs, behaviour).
    Patch,
    /// Additions: code written against the old SDK still builds.
    Minor,
    /// Code written against the old SDK may no longer build.
    Major,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        })
    }
}

/// What kind of change, for counting and for tools reading the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    MethodAdded,
    MethodRemoved,
    /// The same operation is now another method or under another resource.
    MethodMoved,
    /// The operation's path changed but it is the same method (a path parameter renamed).
    PathChanged,
    /// Arguments, body or return type of a method.
    SignatureChanged,
    ParamAdded,
    ParamRemoved,
    /// Made required or optional.
    ParamPresence,
    ParamRetyped,
    ReturnChanged,
    PaginationAdded,
    PaginationRemoved,
    PaginationChanged,
    ErrorsChanged,
    TypeAdded,
    TypeRemoved,
    /// Same schema, another Rust name.
    TypeRenamed,
    /// A struct became an enum, a union or the other way round.
    TypeKindChanged,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    /// Made required or optional, or nullable.
    FieldPresence,
    /// The struct gained or lost `Default`.
    DefaultChanged,
    EnumValueAdded,
    EnumValueRemoved,
    VariantAdded,
    VariantRemoved,
    AuthAdded,
    AuthRemoved,
    AuthChanged,
    BaseUrlChanged,
    WebhookAdded,
    WebhookRemoved,
    /// The SDK's selection of operations (`select`, `--select`) changed: the
    /// methods it brought in or left out are counted here, not each a change.
    SelectionChanged,
    DocsChanged,
}

impl ChangeKind {
    /// The words a person reads.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::MethodAdded => "method added",
            ChangeKind::MethodRemoved => "method removed",
            ChangeKind::MethodMoved => "method moved",
            ChangeKind::PathChanged => "path changed",
            ChangeKind::SignatureChanged => "signature changed",
            ChangeKind::ParamAdded => "parameter added",
            ChangeKind::ParamRemoved => "parameter removed",
            ChangeKind::ParamPresence => "parameter required/optional",
            ChangeKind::ParamRetyped => "parameter retyped",
            ChangeKind::ReturnChanged => "return type changed",
            ChangeKind::PaginationAdded => "pagination added",
            ChangeKind::PaginationRemoved => "pagination removed",
            ChangeKind::PaginationChanged => "pagination changed",
            ChangeKind::ErrorsChanged => "error responses changed",
            ChangeKind::TypeAdded => "type added",
            ChangeKind::TypeRemoved => "type removed",
            ChangeKind::TypeRenamed => "type renamed",
            ChangeKind::TypeKindChanged => "type kind changed",
            ChangeKind::FieldAdded => "field added",
            ChangeKind::FieldRemoved => "field removed",
            ChangeKind::FieldRetyped => "field retyped",
            ChangeKind::FieldPresence => "field required/optional",
            ChangeKind::DefaultChanged => "Default changed",
            ChangeKind::EnumValueAdded => "enum value added",
            ChangeKind::EnumValueRemoved => "enum value removed",
            ChangeKind::VariantAdded => "union variant added",
            ChangeKind::VariantRemoved => "union variant removed",
            ChangeKind::AuthAdded => "auth scheme added",
            ChangeKind::AuthRemoved => "auth scheme removed",
            ChangeKind::AuthChanged => "auth scheme changed",
            ChangeKind::BaseUrlChanged => "base URL changed",
            ChangeKind::WebhookAdded => "webhook added",
            ChangeKind::WebhookRemoved => "webhook removed",
            ChangeKind::SelectionChanged => "selection changed",
            ChangeKind::DocsChanged => "docs changed",
        }
    }
}

/// One change to the SDK's public API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The release it needs.
    pub level: Level,
    /// The Rust item: `images().v1().edit()`, `types::Image`, `types::Image::id`.
    pub item: String,
    /// What changed, in a line.
    pub detail: String,
    /// Where the spec says it (in the new spec, or the old one for a removal).
    pub pointer: String,
}

/// The changes between two SDKs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiDiff {
    /// `info.version` before and after.
    pub versions: (String, String),
    /// Operations the spec added and removed, by method and path as written.
    pub operations: (usize, usize),
    /// Every change, breaking ones first, then by item.
    pub changes: Vec<Change>,
}

/// The next version after `version` for a release of `level`, by Cargo's
/// rules: below 1.0 the first non-zero part is the major one (`0.3.1` →
/// `0.4.0` for a breaking change, `0.3.2` otherwise).
pub fn bump(version: &str, level: Level) -> Option<String> {
    let parts: Vec<u64> = version.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [major, minor, patch] = parts[..] else { return None };
    Some(match (major, minor, level) {
        (0, 0, _) => format!("0.0.{}", patch + 1),
        (0, _, Level::Major) => format!("0.{}.0", minor + 1),
        (0, _, _) => format!("0.{minor}.{}", patch + 1),
        (_, _, Level::Major) => format!("{}.0.0", major + 1),
        (_, _, Level::Minor) => format!("{major}.{}.0", minor + 1),
        (_, _, Level::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// The changes from `old` to `new`.
///
/// When the two were generated with different selections (`select`,
/// `--select`), they are compared within them: an operation (or webhook) on
/// one side only that the other side's selection does not take is left out
/// of the comparison, with the types only such operations reach, and one
/// `selection-changed` change counts them (major when the new selection
/// leaves out methods the old SDK had, minor when it only brings some in).
/// A `tag:` pattern cannot be judged from the IR: an operation it might
/// take counts as outside the selection.
pub fn diff(old: &Api, new: &Api) -> ApiDiff {
    if old.selection != new.selection {
        return diff_selections(old, new);
    }
    let mut d = Differ { old, new, changes: Vec::new(), renames: BTreeMap::new() };
    d.match_types();
    d.operations();
    d.types();
    d.auth();
    if old.base_url != new.base_url {
        d.push(
            ChangeKind::BaseUrlChanged,
            Level::Minor,
            "Client",
            format!("`{}` → `{}`", old.base_url, new.base_url),
            "/servers",
        );
    }
    let hooks =
        |api: &Api| api.webhooks.iter().map(|w| (w.wire.clone(), w.variant.clone())).collect::<BTreeMap<_, _>>();
    let (old_hooks, new_hooks) = (hooks(old), hooks(new));
    for (wire, variant) in &old_hooks {
        if !new_hooks.contains_key(wire) {
            let item = format!("webhooks::Webhook::{variant}");
            d.push(
                ChangeKind::WebhookRemoved,
                Level::Major,
                &item,
                format!("webhook `{wire}`"),
                &push_pointer("/webhooks", wire),
            );
        }
    }
    for (wire, variant) in &new_hooks {
        if !old_hooks.contains_key(wire) {
            let item = format!("webhooks::Webhook::{variant}");
            d.push(
                ChangeKind::WebhookAdded,
                Level::Minor,
                &item,
                format!("webhook `{wire}`"),
                &push_pointer("/webhooks", wire),
            );
        }
    }
    let key = |op: &Operation| (op.method.clone(), op.path.clone());
    let old_ops: BTreeSet<_> = old.operations.iter().map(key).collect();
    let new_ops: BTreeSet<_> = new.operations.iter().map(key).collect();
    let operations = (new_ops.difference(&old_ops).count(), old_ops.difference(&new_ops).count());
    let mut changes = d.changes;
    changes.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.kind.cmp(&b.kind)).then_with(|| a.item.cmp(&b.item)));
    ApiDiff { versions: (old.version.clone(), new.version.clone()), operations, changes }
}

/// [`diff`] of two SDKs generated with different selections.
fn diff_selections(old: &Api, new: &Api) -> ApiDiff {
    use crate::passes::select;
    let (mut old, mut new) = (old.clone(), new.clone());
    // Whether `api`'s selection leaves `op` out (surely, or maybe by a `tag:` pattern).
    let outside =
        |api: &Api, op: &Operation| api.selection.as_ref().is_some_and(|p| select::takes(p, op) != Some(true));
    let hook_outside = |api: &Api, wire: &str| api.selection.as_ref().is_some_and(|p| !select::takes_webhook(p, wire));
    let old_keys: BTreeSet<_> = old.operations.iter().map(op_key).collect();
    let new_keys: BTreeSet<_> = new.operations.iter().map(op_key).collect();
    let old_hooks: BTreeSet<String> = old.webhooks.iter().map(|w| w.wire.clone()).collect();
    let new_hooks: BTreeSet<String> = new.webhooks.iter().map(|w| w.wire.clone()).collect();
    let (before, after) = (old.operations.len() + old.webhooks.len(), new.operations.len() + new.webhooks.len());
    old.operations.retain(|op| new_keys.contains(&op_key(op)) || !outside(&new, op));
    old.webhooks.retain(|w| new_hooks.contains(&w.wire) || !hook_outside(&new, &w.wire));
    new.operations.retain(|op| old_keys.contains(&op_key(op)) || !outside(&old, op));
    new.webhooks.retain(|w| old_hooks.contains(&w.wire) || !hook_outside(&old, &w.wire));
    let left_out = before - old.operations.len() - old.webhooks.len();
    let brought_in = after - new.operations.len() - new.webhooks.len();
    select::drop_unreached(&mut old);
    select::drop_unreached(&mut new);
    let spelled = |api: &Api| match &api.selection {
        Some(patterns) => patterns.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
        None => "every operation".to_string(),
    };
    let detail = format!(
        "{} → {}: {brought_in} methods or webhooks outside the old selection brought in, {left_out} left out",
        spelled(&old),
        spelled(&new)
    );
    let level = match (left_out, brought_in) {
        (0, 0) => Level::Patch,
        (0, _) => Level::Minor,
        _ => Level::Major,
    };
    old.selection.clone_from(&new.selection);
    let mut within = diff(&old, &new);
    within.changes.push(Change {
        kind: ChangeKind::SelectionChanged,
        level,
        item: "the SDK's selection".into(),
        detail,
        pointer: "/paths".into(),
    });
    within
        .changes
        .sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.kind.cmp(&b.kind)).then_with(|| a.item.cmp(&b.item)));
    within
}

struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
    /// Old type name → new type name, for every type on both sides.
    renames: BTreeMap<String, String>,
}

impl Differ<'_> {
    fn push(&mut self, kind: ChangeKind, level: Level, item: &str, detail: String, pointer: &str) {
        self.changes.push(Change { kind, level, item: item.to_string(), detail, pointer: pointer.to_string() });
    }
}

/// Rust's spelling of a field's type with presence: how many `Option`s wrap it.
pub(super) fn options(presence: Presence) -> u8 {
    match presence {
        Presence::Required => 0,
        Presence::RequiredNullable | Presence::Optional => 1,
        Presence::OptionalNullable => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Response;

    #[test]
    fn bumps_follow_cargo_rules() {
        assert_eq!(bump("0.1.0", Level::Major).as_deref(), Some("0.2.0"));
        assert_eq!(bump("0.1.3", Level::Minor).as_deref(), Some("0.1.4"));
        assert_eq!(bump("0.1.3", Level::Patch).as_deref(), Some("0.1.4"));
        assert_eq!(bump("0.0.7", Level::Major).as_deref(), Some("0.0.8"));
        assert_eq!(bump("1.4.2", Level::Major).as_deref(), Some("2.0.0"));
        assert_eq!(bump("1.4.2", Level::Minor).as_deref(), Some("1.5.0"));
        assert_eq!(bump("1.4.2", Level::Patch).as_deref(), Some("1.4.3"));
        assert_eq!(bump("1.4", Level::Patch), None);
        assert_eq!(bump("1.4.2-beta.1", Level::Patch), None);
    }

    #[test]
    fn a_path_parameter_renamed_keeps_the_operation() {
        let key = |path: &str| {
            op_key(&Operation {
                id: String::new(),
                method: "GET".into(),
                path: path.into(),
                doc: None,
                resource: vec!["a".into()],
                method_name: "get".into(),
                named_by: Default::default(),
                positional: None,
                params_type: None,
                params: Vec::new(),
                body: None,
                response: Response::Empty,
                security: Vec::new(),
                pagination: None,
                errors: Vec::new(),
                events: None,
                example: None,
            })
        };
        assert_eq!(key("/zones/{zone_id}/dns/{identifier}"), key("/zones/{zone_identifier}/dns/{id}"));
        assert_ne!(key("/zones/{zone_id}/dns"), key("/zones/{zone_id}/dns/{id}"));
    }
}
