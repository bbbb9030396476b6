//! A diff as text, Markdown or JSON for `sdkgen diff`.

use std::collections::BTreeMap;

use super::*;
use std::fmt::Write as _;

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
