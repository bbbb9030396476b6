//! Outcomes, the Markdown report, the JSON results and the targets.

use crate::args::Args;
use crate::specs::Spec;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// What happened to one document.
#[derive(Debug, Clone)]
pub enum Outcome {
    Generated {
        operations: u64,
        types: u64,
        /// Of the types, the spec's own component schemas.
        component_types: u64,
        warnings: u64,
        lines: u64,
        /// Warnings by kind.
        kinds: BTreeMap<String, u64>,
        /// Milliseconds parsing, lowering, emitting and formatting.
        phases: [u64; 4],
        /// With example tests: examples checked, contradicting their schema, untyped.
        examples: [u64; 3],
        /// Operations with a paginated stream, by style.
        pagination: BTreeMap<String, u64>,
        /// How many method names are longer than four words, and the ten longest (`resource.method`).
        long_methods: (u64, Vec<String>),
    },
    /// A construct sdkgen refuses, with an error naming it.
    Unsupported {
        pointer: String,
        message: String,
    },
    /// The document is not valid OpenAPI (syntax, shape, dangling `$ref`).
    Invalid {
        kind: String,
        pointer: String,
        message: String,
    },
    /// sdkgen's own bug: its output did not parse.
    Internal {
        message: String,
    },
    Panic {
        message: String,
    },
    /// The child died some other way (a signal, a stack overflow).
    Crashed {
        message: String,
    },
    Timeout,
    OverMemory,
}

impl Outcome {
    /// Reads the child's JSON line.
    pub fn from_child(v: &Value) -> Outcome {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
        if s("status") == "generated" {
            let counts = |key: &str| -> BTreeMap<String, u64> {
                v.get(key)
                    .and_then(Value::as_object)
                    .map(|m| m.iter().map(|(k, c)| (k.clone(), c.as_u64().unwrap_or(0))).collect())
                    .unwrap_or_default()
            };
            let kinds = counts("warning_kinds");
            return Outcome::Generated {
                operations: n("operations"),
                types: n("types"),
                component_types: n("component_types"),
                warnings: n("warnings"),
                lines: n("lines"),
                kinds,
                phases: {
                    let p = v.get("phases_ms").and_then(Value::as_array);
                    let at = |i: usize| p.and_then(|p| p.get(i)).and_then(Value::as_u64).unwrap_or(0);
                    [at(0), at(1), at(2), at(3)]
                },
                examples: {
                    let e = v.get("examples").and_then(Value::as_array);
                    let at = |i: usize| e.and_then(|e| e.get(i)).and_then(Value::as_u64).unwrap_or(0);
                    [at(0), at(1), at(2)]
                },
                pagination: counts("pagination"),
                long_methods: (
                    n("long_method_count"),
                    v.get("long_methods")
                        .and_then(Value::as_array)
                        .map(|l| l.iter().filter_map(Value::as_str).map(String::from).collect())
                        .unwrap_or_default(),
                ),
            };
        }
        match s("kind").as_str() {
            "Unsupported" => Outcome::Unsupported { pointer: s("pointer"), message: s("message") },
            "Internal" => Outcome::Internal { message: s("message") },
            kind => Outcome::Invalid { kind: kind.to_string(), pointer: s("pointer"), message: s("message") },
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Generated { .. } => "generated",
            Outcome::Unsupported { .. } => "unsupported",
            Outcome::Invalid { .. } => "invalid",
            Outcome::Internal { .. } => "internal error",
            Outcome::Panic { .. } => "panic",
            Outcome::Crashed { .. } => "crashed",
            Outcome::Timeout => "timed out",
            Outcome::OverMemory => "over memory",
        }
    }

    /// Outcomes that are sdkgen's fault, whatever the input.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Outcome::Internal { .. }
                | Outcome::Panic { .. }
                | Outcome::Crashed { .. }
                | Outcome::Timeout
                | Outcome::OverMemory
        )
    }

    fn detail(&self) -> (String, String) {
        match self {
            Outcome::Unsupported { pointer, message } => (pointer.clone(), message.clone()),
            Outcome::Invalid { kind, pointer, message } => (pointer.clone(), format!("{kind}: {message}")),
            Outcome::Internal { message } | Outcome::Panic { message } | Outcome::Crashed { message } => {
                (String::new(), message.clone())
            }
            _ => (String::new(), String::new()),
        }
    }
}

/// One document's result.
#[derive(Debug, Clone)]
pub struct SpecResult {
    pub spec: Spec,
    pub outcome: Outcome,
    pub secs: f64,
    pub peak_mb: f64,
}

/// One crate's `cargo check`.
#[derive(Debug, Clone)]
pub struct CompileResult {
    pub name: String,
    pub ok: bool,
    pub secs: f64,
    pub peak_mb: f64,
    pub error: Option<String>,
    /// With example tests: the examples that do not hold (the test's failure lines).
    pub example_failures: Vec<String>,
}

/// Counts of a run.
pub struct Summary {
    pub total: usize,
    pub by_label: BTreeMap<&'static str, usize>,
    pub generated: usize,
    pub failures: usize,
    pub compiled: usize,
    pub compile_ok: usize,
    pub generation_secs: f64,
    pub peak_mb: f64,
    pub slowest_secs: f64,
}

/// Every label, in report order.
const LABELS: [&str; 8] =
    ["generated", "unsupported", "invalid", "internal error", "panic", "crashed", "timed out", "over memory"];

impl Summary {
    pub fn new(results: &[SpecResult], compiled: &[CompileResult], generation_secs: f64) -> Summary {
        let mut by_label = BTreeMap::new();
        for r in results {
            *by_label.entry(r.outcome.label()).or_insert(0) += 1;
        }
        Summary {
            total: results.len(),
            generated: by_label.get("generated").copied().unwrap_or(0),
            failures: results.iter().filter(|r| r.outcome.is_failure()).count(),
            by_label,
            compiled: compiled.len(),
            compile_ok: compiled.iter().filter(|c| c.ok).count(),
            generation_secs,
            peak_mb: results.iter().map(|r| r.peak_mb).fold(0.0, f64::max),
            slowest_secs: results.iter().map(|r| r.secs).fold(0.0, f64::max),
        }
    }

    fn percent(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            100.0
        } else {
            part as f64 * 100.0 / whole as f64
        }
    }

    /// A few lines for the terminal.
    pub fn screen(&self) -> String {
        let mut out = format!(
            "{} documents in {:.0} s: {} generated ({:.1} %)",
            self.total,
            self.generation_secs,
            self.generated,
            Self::percent(self.generated, self.total)
        );
        for label in LABELS.iter().skip(1) {
            if let Some(n) = self.by_label.get(label) {
                let _ = write!(out, ", {n} {label}");
            }
        }
        let _ = write!(out, "; slowest {:.1} s, peak {:.0} MB", self.slowest_secs, self.peak_mb);
        if self.compiled > 0 {
            let _ = write!(
                out,
                "\ncompiled cleanly: {}/{} ({:.1} %)",
                self.compile_ok,
                self.compiled,
                Self::percent(self.compile_ok, self.compiled)
            );
        }
        out
    }

    /// The targets of `args` that this run missed.
    pub fn missed_targets(&self, args: &Args) -> Vec<String> {
        let mut missed = Vec::new();
        if self.failures > 0 && !args.allow_internal {
            missed.push(format!("{} internal errors, panics, crashes, timeouts or memory overruns", self.failures));
        }
        if let Some(min) = args.min_generated {
            let got = Self::percent(self.generated, self.total);
            if got < min {
                missed.push(format!("{got:.1} % generated, under {min} %"));
            }
        }
        if let Some(min) = args.min_compiled {
            let got = Self::percent(self.compile_ok, self.compiled);
            if got < min {
                missed.push(format!("{got:.1} % compiled cleanly, under {min} %"));
            }
        }
        missed
    }
}

/// A message with names and numbers blanked, to group alike errors.
fn shape(message: &str) -> String {
    let mut out = String::new();
    let mut in_tick = false;
    for c in message.chars() {
        match c {
            '`' if !in_tick => {
                in_tick = true;
                out.push_str("`…");
            }
            '`' => {
                in_tick = false;
                out.push('`');
            }
            _ if in_tick => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            c => out.push(c),
        }
        if out.len() > 110 {
            out.push('…');
            break;
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown report.
pub fn markdown(summary: &Summary, results: &[SpecResult], compiled: &[CompileResult], args: &Args) -> String {
    let mut out = String::from("# sdkgen corpus run\n\n");
    let _ = writeln!(
        out,
        "{} documents, {} at a time, limits {} s and {} MB each; generation pass {:.0} s wall time.\n",
        summary.total, args.jobs, args.timeout, args.memory_mb, summary.generation_secs
    );
    if !args.select.is_empty() {
        let patterns: Vec<String> = args.select.iter().map(|p| format!("`{p}`")).collect();
        let _ = writeln!(out, "Each generated with the selection {}.\n", patterns.join(", "));
    }
    out.push_str("| outcome | documents | % |\n|---|---:|---:|\n");
    for label in LABELS {
        let n = summary.by_label.get(label).copied().unwrap_or(0);
        let _ = writeln!(out, "| {label} | {n} | {:.1} |", Summary::percent(n, summary.total));
    }
    let _ = writeln!(out, "| **total** | {} | 100.0 |\n", summary.total);

    let mut by_version: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in results {
        let v = r.spec.version.split('.').take(2).collect::<Vec<_>>().join(".");
        let e = by_version.entry(v).or_default();
        e.0 += 1;
        e.1 += matches!(r.outcome, Outcome::Generated { .. }) as usize;
    }
    out.push_str("| version | documents | generated |\n|---|---:|---:|\n");
    for (v, (n, g)) in &by_version {
        let _ = writeln!(out, "| {v} | {n} | {g} |");
    }

    // Errors grouped by outcome and message shape.
    let mut groups: BTreeMap<(&str, String), Vec<&SpecResult>> = BTreeMap::new();
    for r in results.iter().filter(|r| !matches!(r.outcome, Outcome::Generated { .. })) {
        groups.entry((r.outcome.label(), shape(&r.outcome.detail().1))).or_default().push(r);
    }
    if !groups.is_empty() {
        out.push_str("\n## Not generated, by kind\n\n| outcome | message | documents | first |\n|---|---|---:|---|\n");
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        for ((label, message), list) in groups {
            let first: Vec<String> = list
                .iter()
                .take(3)
                .map(|r| {
                    let (pointer, _) = r.outcome.detail();
                    if pointer.is_empty() {
                        format!("`{}`", r.spec.name)
                    } else {
                        format!("`{}` at `{}`", r.spec.name, escape(&pointer))
                    }
                })
                .collect();
            let _ = writeln!(out, "| {label} | {} | {} | {} |", escape(&message), list.len(), first.join("<br>"));
        }
    }

    // Types of the generated ones: the spec's own schemas, and inline schemas' types.
    let (mut types, mut named, mut lines, mut ops) = (0u64, 0u64, 0u64, 0u64);
    for r in results {
        if let Outcome::Generated { operations, types: t, component_types, lines: l, .. } = &r.outcome {
            types += t;
            named += component_types;
            lines += l;
            ops += operations;
        }
    }
    if ops > 0 {
        let _ = writeln!(
            out,
            "\nThe generated documents have {types} types: {named} are the specs' own schemas, {} inline schemas' types; {lines} lines, {:.0} per operation.",
            types - named,
            lines as f64 / ops as f64
        );
    }

    // Warnings of the generated ones, by kind: what is tolerated or degraded most.
    let mut kinds: BTreeMap<&str, (u64, usize)> = BTreeMap::new();
    for r in results {
        if let Outcome::Generated { kinds: of_spec, .. } = &r.outcome {
            for (kind, n) in of_spec {
                let e = kinds.entry(kind).or_default();
                e.0 += n;
                e.1 += 1;
            }
        }
    }
    if !kinds.is_empty() {
        out.push_str("\n## Warnings of the generated documents\n\n| kind | warnings | documents |\n|---|---:|---:|\n");
        let mut kinds: Vec<_> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
        for (kind, (n, docs)) in kinds {
            let _ = writeln!(out, "| {kind} | {n} | {docs} |");
        }
    }

    // How the generated documents' lists are walked: the styles found, and where.
    let mut styles: BTreeMap<&str, (u64, Vec<&str>)> = BTreeMap::new();
    for r in results {
        if let Outcome::Generated { pagination, .. } = &r.outcome {
            for (style, n) in pagination {
                let e = styles.entry(style).or_default();
                e.0 += n;
                e.1.push(&r.spec.name);
            }
        }
    }
    if !styles.is_empty() {
        out.push_str("\n## Pagination styles\n\nOperations whose pages a `_stream` method walks, by the style found.\n\n| style | operations | documents | e.g. |\n|---|---:|---:|---|\n");
        for (style, (n, docs)) in &styles {
            let first: Vec<&str> = docs.iter().take(6).copied().collect();
            let _ = writeln!(out, "| {style} | {n} | {} | {} |", docs.len(), escape(&first.join(", ")));
        }
    }

    // Method names longer than four words: how many, and the longest ten.
    let mut long: Vec<(usize, &str, &str)> = Vec::new();
    let (mut long_count, mut documents) = (0, 0);
    for r in results {
        if let Outcome::Generated { long_methods: (count, long_methods), .. } = &r.outcome {
            long_count += count;
            documents += usize::from(*count > 0);
            for m in long_methods {
                let method = m.rsplit('.').next().unwrap_or(m);
                long.push((method.split('_').filter(|w| !w.is_empty()).count(), &r.spec.name, m));
            }
        }
    }
    let _ = writeln!(out, "\n## Method names longer than four words\n\n{long_count} in {documents} documents.\n");
    if !long.is_empty() {
        long.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
        out.push_str("| words | document | call |\n|---:|---|---|\n");
        for (words, doc, call) in long.iter().take(10) {
            let _ = writeln!(out, "| {words} | {} | `{}` |", escape(doc), escape(call));
        }
    }

    let top = |key: &dyn Fn(&SpecResult) -> f64| {
        let mut sorted: Vec<&SpecResult> = results.iter().collect();
        sorted.sort_by(|a, b| key(b).total_cmp(&key(a)));
        sorted.truncate(10);
        sorted
    };
    out.push_str("\n## Slowest and largest\n\nSeconds are wall time of the whole process (reading the file included); phases are parse, lower, emit and format, in ms.\n\n| document | KB | outcome | seconds | phases | peak MB | operations | types | lines |\n|---|---:|---|---:|---|---:|---:|---:|---:|\n");
    let mut shown: Vec<&SpecResult> = top(&|r| r.secs);
    for r in top(&|r| r.peak_mb) {
        if !shown.iter().any(|s| s.spec.name == r.spec.name) {
            shown.push(r);
        }
    }
    for r in shown {
        let (ops, types, lines, phases) = match &r.outcome {
            Outcome::Generated { operations, types, lines, phases, .. } => (
                operations.to_string(),
                types.to_string(),
                lines.to_string(),
                phases.map(|p| p.to_string()).join(" / "),
            ),
            _ => Default::default(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {:.2} | {phases} | {:.0} | {ops} | {types} | {lines} |",
            r.spec.name,
            r.spec.bytes / 1024,
            r.outcome.label(),
            r.secs,
            r.peak_mb
        );
    }

    if args.example_tests {
        out.push_str(&examples_table(results, compiled));
    }
    if !compiled.is_empty() {
        let _ = writeln!(
            out,
            "\n## cargo check --all-features, warnings denied\n\n{}/{} crates compile cleanly ({:.1} %); {:.0} s in all.\n",
            summary.compile_ok,
            summary.compiled,
            Summary::percent(summary.compile_ok, summary.compiled),
            compiled.iter().map(|c| c.secs).sum::<f64>()
        );
        out.push_str("| crate | result | seconds | peak MB | first error |\n|---|---|---:|---:|---|\n");
        for c in compiled {
            let _ = writeln!(
                out,
                "| `{}` | {} | {:.1} | {:.0} | {} |",
                c.name,
                if c.ok { "ok" } else { "**fails**" },
                c.secs,
                c.peak_mb,
                escape(c.error.as_deref().unwrap_or(""))
            );
        }
    }
    out
}

/// The example tests, per document: how many examples the spec documents
/// for JSON bodies, how many hold, how many contradict their own schema
/// (spec errors, left out of the tests), how many are of bodies without a
/// type of their own, and how many fail (sdkgen's to fix).
fn examples_table(results: &[SpecResult], compiled: &[CompileResult]) -> String {
    let mut out = String::from(
        "\n## Example tests\n\n| document | examples | hold | spec errors | untyped bodies | fail | first failure |\n|---|---:|---:|---:|---:|---:|---|\n",
    );
    let mut sums = [0u64; 5];
    for r in results {
        let Outcome::Generated { examples: [checked, spec_errors, untyped], .. } = &r.outcome else { continue };
        let Some(c) = compiled.iter().find(|c| c.name == r.spec.name) else { continue };
        let failing = c.example_failures.len() as u64;
        let hold = if c.ok || failing > 0 { checked.saturating_sub(failing) } else { 0 };
        let all = checked + spec_errors + untyped;
        for (sum, n) in sums.iter_mut().zip([all, hold, *spec_errors, *untyped, failing]) {
            *sum += n;
        }
        let first = c.example_failures.first().map(String::as_str).or(if c.ok { None } else { c.error.as_deref() });
        let _ = writeln!(
            out,
            "| `{}` | {all} | {hold} | {spec_errors} | {untyped} | {failing} | {} |",
            r.spec.name,
            escape(first.unwrap_or(""))
        );
    }
    let [all, hold, spec, untyped, failing] = sums;
    let _ = writeln!(out, "| **total** | {all} | {hold} | {spec} | {untyped} | {failing} | |");
    out
}

/// Every result, for tools and for comparing runs.
pub fn json(results: &[SpecResult], compiled: &[CompileResult]) -> String {
    let rows: Vec<Value> = results
        .iter()
        .map(|r| {
            let (pointer, message) = r.outcome.detail();
            let mut row = json!({
                "name": r.spec.name,
                "version": r.spec.version,
                "bytes": r.spec.bytes,
                "outcome": r.outcome.label(),
                "seconds": (r.secs * 1000.0).round() / 1000.0,
                "peak_mb": r.peak_mb.round(),
            });
            if let Outcome::Generated {
                operations,
                types,
                component_types,
                warnings,
                lines,
                pagination,
                long_methods,
                ..
            } = &r.outcome
            {
                row["operations"] = json!(operations);
                if long_methods.0 > 0 {
                    row["long_methods"] = json!(long_methods.0);
                }
                if !pagination.is_empty() {
                    row["pagination"] = json!(pagination);
                }
                row["types"] = json!(types);
                row["component_types"] = json!(component_types);
                row["warnings"] = json!(warnings);
                row["lines"] = json!(lines);
            } else if !message.is_empty() {
                row["pointer"] = json!(pointer);
                row["message"] = json!(message);
            }
            row
        })
        .collect();
    let checks: Vec<Value> = compiled
        .iter()
        .map(|c| json!({"name": c.name, "ok": c.ok, "seconds": c.secs, "peak_mb": c.peak_mb.round(), "error": c.error}))
        .collect();
    serde_json::to_string_pretty(&json!({"documents": rows, "compiled": checks})).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_group_by_shape() {
        assert_eq!(shape("$ref `#/a/b` must point at 12 things"), "$ref `…` must point at N things");
        let a = shape("unknown schema type `foo`");
        assert_eq!(a, shape("unknown schema type `bar`"));
    }

    #[test]
    fn failures_are_sdkgen_faults_only() {
        assert!(Outcome::Timeout.is_failure());
        assert!(!Outcome::Unsupported { pointer: String::new(), message: String::new() }.is_failure());
        let v = json!({"status": "error", "kind": "Internal", "message": "x"});
        assert!(Outcome::from_child(&v).is_failure());
    }
}
