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
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{resolve, Api, Body, Field, Operation, Param, Presence, Response, TypeBody, TypeDef, TypeRef};
use crate::pointer::push_pointer;

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

impl ApiDiff {
    /// The release the changes need: the highest level of any change, and
    /// `patch` when nothing in the Rust API changed.
    pub fn verdict(&self) -> Level {
        self.changes.iter().map(|c| c.level).max().unwrap_or(Level::Patch)
    }

    /// Whether the Rust API is the same on both sides (docs aside).
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| c.kind == ChangeKind::DocsChanged)
    }

    /// How many changes of each kind.
    pub fn counts(&self) -> BTreeMap<ChangeKind, usize> {
        let mut counts = BTreeMap::new();
        for c in &self.changes {
            *counts.entry(c.kind).or_default() += 1;
        }
        counts
    }

    /// The changes that decide the verdict, as counts by kind: "139 methods removed, …".
    pub fn reasons(&self) -> Vec<String> {
        let verdict = self.verdict();
        self.counts()
            .into_iter()
            .filter(|(kind, _)| self.changes.iter().any(|c| c.kind == *kind && c.level == verdict))
            .map(|(kind, n)| {
                let n_at = self.changes.iter().filter(|c| c.kind == kind && c.level == verdict).count();
                if n_at == n {
                    format!("{n} × {}", kind.label())
                } else {
                    format!("{n_at} × {} (of {n})", kind.label())
                }
            })
            .collect()
    }

    /// A summary for a person: counts by kind, then up to `shown` changes of
    /// the verdict's level (all of them when `shown` is `None`).
    pub fn text(&self, shown: Option<usize>) -> String {
        let verdict = self.verdict();
        let mut out = format!("API changes {} → {}: {verdict} release", self.versions.0, self.versions.1);
        if self.is_empty() {
            out.push_str(" (no change to the Rust API)\n");
            return out;
        }
        out.push('\n');
        let _ = writeln!(out, "  operations in the spec: {} added, {} removed", self.operations.0, self.operations.1);
        let _ = writeln!(out, "  {:<16} {:>7} {:>7} {:>7}   breaking", "", "added", "removed", "changed");
        for (row, kinds) in ROWS {
            let count = |column: usize| -> usize {
                kinds
                    .iter()
                    .filter(|(_, c)| *c == column)
                    .map(|(k, _)| self.changes.iter().filter(|c| c.kind == *k).count())
                    .sum()
            };
            let breaking = self
                .changes
                .iter()
                .filter(|c| c.level == Level::Major && kinds.iter().any(|(k, _)| *k == c.kind))
                .count();
            if count(0) + count(1) + count(2) == 0 {
                continue;
            }
            let _ = writeln!(out, "  {row:<16} {:>7} {:>7} {:>7}   {breaking:>8}", count(0), count(1), count(2));
        }
        // The reasons, wrapped to the width of the table.
        let mut line = format!("  {verdict} because of:");
        for (i, reason) in self.reasons().iter().enumerate() {
            let piece = if i == 0 { format!(" {reason}") } else { format!(", {reason}") };
            if line.len() + piece.len() > 100 {
                let _ = writeln!(out, "{},", line.trim_end_matches(','));
                line = format!("    {}", piece.trim_start_matches(", "));
            } else {
                line.push_str(&piece);
            }
        }
        let _ = writeln!(out, "{line}");
        let at: Vec<&Change> = self.changes.iter().filter(|c| c.level == verdict).collect();
        let limit = shown.unwrap_or(at.len()).min(at.len());
        let _ = writeln!(out, "{} changes (first {limit} of {}):", capitalized(verdict), at.len());
        for c in &at[..limit] {
            let _ = writeln!(out, "  {}: {} — {}", c.kind.label(), c.item, c.detail);
        }
        if limit < at.len() {
            let _ = writeln!(out, "  … {} more (`sdkgen diff --all` lists every change)", at.len() - limit);
        }
        out
    }

    /// For a changelog or a pull request: the verdict, counts, then every
    /// change by level (long lists folded).
    pub fn markdown(&self) -> String {
        let verdict = self.verdict();
        let mut out = format!("## API changes {} → {}: **{verdict}** release\n\n", self.versions.0, self.versions.1);
        if self.is_empty() {
            out.push_str("No change to the Rust API.\n");
            return out;
        }
        let _ = writeln!(
            out,
            "Operations in the spec: {} added, {} removed.\n\n| change | count | breaking |\n|---|---:|---:|",
            self.operations.0, self.operations.1
        );
        for (kind, n) in self.counts() {
            let breaking = self.changes.iter().filter(|c| c.kind == kind && c.level == Level::Major).count();
            let _ = writeln!(out, "| {} | {n} | {breaking} |", kind.label());
        }
        for (level, title) in [(Level::Major, "Breaking"), (Level::Minor, "Added"), (Level::Patch, "Other")] {
            let at: Vec<&Change> = self.changes.iter().filter(|c| c.level == level).collect();
            if at.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title} ({})\n", at.len());
            let fold = at.len() > 30;
            if fold {
                out.push_str("<details><summary>Show all</summary>\n\n");
            }
            for c in at {
                let _ = writeln!(out, "- {}: `{}` — {} (`{}`)", c.kind.label(), c.item, md(&c.detail), c.pointer);
            }
            if fold {
                out.push_str("\n</details>\n");
            }
        }
        out
    }

    /// For tools: the verdict, its reasons, counts and every change.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            verdict: Level,
            reasons: Vec<String>,
            versions: &'a (String, String),
            operations_added: usize,
            operations_removed: usize,
            counts: BTreeMap<ChangeKind, usize>,
            changes: &'a [Change],
        }
        let out = Out {
            verdict: self.verdict(),
            reasons: self.reasons(),
            versions: &self.versions,
            operations_added: self.operations.0,
            operations_removed: self.operations.1,
            counts: self.counts(),
            changes: &self.changes,
        };
        serde_json::to_string_pretty(&out).expect("plain data serializes") + "\n"
    }
}

/// The rows of the text summary: each kind counts as added (0), removed (1) or changed (2).
const ROWS: [(&str, &[(ChangeKind, usize)]); 12] = [
    (
        "methods",
        &[
            (ChangeKind::MethodAdded, 0),
            (ChangeKind::MethodRemoved, 1),
            (ChangeKind::MethodMoved, 2),
            (ChangeKind::SignatureChanged, 2),
            (ChangeKind::ReturnChanged, 2),
            (ChangeKind::PathChanged, 2),
        ],
    ),
    (
        "parameters",
        &[
            (ChangeKind::ParamAdded, 0),
            (ChangeKind::ParamRemoved, 1),
            (ChangeKind::ParamPresence, 2),
            (ChangeKind::ParamRetyped, 2),
        ],
    ),
    (
        "types",
        &[
            (ChangeKind::TypeAdded, 0),
            (ChangeKind::TypeRemoved, 1),
            (ChangeKind::TypeRenamed, 2),
            (ChangeKind::TypeKindChanged, 2),
            (ChangeKind::DefaultChanged, 2),
        ],
    ),
    (
        "fields",
        &[
            (ChangeKind::FieldAdded, 0),
            (ChangeKind::FieldRemoved, 1),
            (ChangeKind::FieldRetyped, 2),
            (ChangeKind::FieldPresence, 2),
        ],
    ),
    ("enum values", &[(ChangeKind::EnumValueAdded, 0), (ChangeKind::EnumValueRemoved, 1)]),
    ("union variants", &[(ChangeKind::VariantAdded, 0), (ChangeKind::VariantRemoved, 1)]),
    (
        "pagination",
        &[(ChangeKind::PaginationAdded, 0), (ChangeKind::PaginationRemoved, 1), (ChangeKind::PaginationChanged, 2)],
    ),
    ("auth", &[(ChangeKind::AuthAdded, 0), (ChangeKind::AuthRemoved, 1), (ChangeKind::AuthChanged, 2)]),
    ("base URL", &[(ChangeKind::BaseUrlChanged, 2)]),
    ("error responses", &[(ChangeKind::ErrorsChanged, 2)]),
    ("webhooks", &[(ChangeKind::WebhookAdded, 0), (ChangeKind::WebhookRemoved, 1)]),
    ("selection", &[(ChangeKind::SelectionChanged, 2)]),
];

fn capitalized(level: Level) -> &'static str {
    match level {
        Level::Patch => "Patch",
        Level::Minor => "Minor",
        Level::Major => "Breaking",
    }
}

/// Backticks in a detail become code spans already; pipes would end a table cell.
fn md(text: &str) -> String {
    text.replace('|', "\\|")
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

/// An operation's identity: method and path with its parameters unnamed, so
/// that renaming `{identifier}` to `{id}` keeps the method.
fn op_key(op: &Operation) -> (String, String) {
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

fn op_pointer(op: &Operation) -> String {
    push_pointer(&push_pointer("/paths", &op.path), &op.method.to_ascii_lowercase())
}

/// `images().v1().edit()`.
fn method_item(op: &Operation) -> String {
    let mut item: String = op.resource.iter().map(|r| format!("{}().", crate::naming::unraw(r))).collect();
    item.push_str(crate::naming::unraw(&op.method_name));
    item.push_str("()");
    item
}

/// Rust's spelling of a field's type with presence: how many `Option`s wrap it.
fn options(presence: Presence) -> u8 {
    match presence {
        Presence::Required => 0,
        Presence::RequiredNullable | Presence::Optional => 1,
        Presence::OptionalNullable => 2,
    }
}

impl Differ<'_> {
    fn push(&mut self, kind: ChangeKind, level: Level, item: &str, detail: String, pointer: &str) {
        self.changes.push(Change { kind, level, item: item.to_string(), detail, pointer: pointer.to_string() });
    }

    /// Whether `old` (a type of the old SDK) is `new` (one of the new SDK)
    /// as a Rust user writes it, following type renames.
    fn same_ty(&self, old: &TypeRef, new: &TypeRef) -> bool {
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
    fn match_types(&mut self) {
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

    fn types(&mut self) {
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

    fn type_body(&mut self, old: &TypeDef, new: &TypeDef, item: &str, built: bool) {
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
    fn fields(&mut self, a: &[Field], b: &[Field], item: &str, pointer: &str, built: bool) {
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

    fn operations(&mut self) {
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

    fn operation(&mut self, old: &Operation, new: &Operation) {
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
    fn params(&mut self, a: &[Param], b: &[Param], item: &str, pointer: &str) {
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

    fn body(&mut self, old: &Operation, new: &Operation, params_item: &str, item: &str, pointer: &str) {
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

    fn response(&mut self, old: &Operation, new: &Operation, item: &str, pointer: &str) {
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

    fn auth(&mut self) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
