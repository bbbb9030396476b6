//! Selection: only the operations a user asks for, and the types they reach.
//!
//! The overrides file's `select` (or `--select`, or [`crate::Config::select`])
//! is a list of patterns, each one of:
//!
//! - a call path, as users call the method (`images/v1/edit` is
//!   `images().v1().edit()`), or a resource, which takes every method under
//!   it (`images`, the same as `images/*`);
//! - an HTTP route: `GET /zones`, `PATCH /accounts/{account_id}/images/v1/{image_id}`,
//!   or a path alone for any method (`/zones`); a `{…}` matches any
//!   parameter's name;
//! - `tag:NAME`, the operations the spec tags `NAME`;
//! - `id:OPERATION_ID`;
//! - `webhook:NAME`, a webhook (OpenAPI 3.1 `webhooks`) by its name in the spec.
//!
//! `*` in a pattern matches any text, `/` included. A pattern led by `!`
//! takes away what it matches. Operations are those the positive patterns
//! match (all of them when none is given) less those an exclusion matches;
//! webhooks likewise by the `webhook:` patterns, so that a selection of
//! operations keeps every webhook. A pattern that matches nothing, or a
//! selection that leaves no operation, is an error naming the pattern and
//! where it was given.
//!
//! The pass runs after equal types are merged and before usage is marked:
//! the selected SDK's items are the full SDK's, with the same names and
//! definitions (an inline copy of a component is still that component), less
//! the operations not selected and the types nothing selected reaches.

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Api, Operation, Webhook};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A selection and where it was given.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selection {
    /// The patterns as written.
    pub patterns: Vec<String>,
    /// Where: `None` for the command line (`--select`) or `Config::select`,
    /// else the overrides (and their file, when read from one).
    pub origin: Origin,
}

/// Where a selection was given, for errors.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Origin {
    /// `--select` or `Config::select`.
    Flag,
    /// `select` of the overrides, read from this file of this text (or given in code).
    Overrides(Option<(PathBuf, String)>),
}

/// The tags of each operation, by upper-case method and path.
pub(crate) type Tags = BTreeMap<(String, String), Vec<String>>;

/// What one pattern matches.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// A call path or resource, `/`-separated.
    Call(String),
    /// An HTTP method (`None`: any) and a path, parameters written `{}`.
    Route(Option<String>, String),
    Tag(String),
    Id(String),
    Webhook(String),
}

/// One parsed pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    text: String,
    exclude: bool,
    target: Target,
}

const METHODS: [&str; 8] = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"];

impl Rule {
    /// Parses one pattern; the error says what is wrong with it.
    pub(crate) fn parse(text: &str) -> Result<Rule, String> {
        let (exclude, rest) = match text.trim().strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, text.trim()),
        };
        let nonempty = |s: &str, what: &str| {
            if s.trim().is_empty() {
                Err(format!("`{text}`: {what} is empty"))
            } else {
                Ok(s.trim().to_string())
            }
        };
        let target = if rest.is_empty() {
            return Err(format!("`{text}`: an empty pattern"));
        } else if let Some(tag) = rest.strip_prefix("tag:") {
            Target::Tag(nonempty(tag, "the tag")?)
        } else if let Some(id) = rest.strip_prefix("id:") {
            Target::Id(nonempty(id, "the operationId")?)
        } else if let Some(name) = rest.strip_prefix("webhook:") {
            Target::Webhook(nonempty(name, "the webhook's name")?)
        } else if let Some((method, path)) = rest.split_once(char::is_whitespace) {
            let method = method.to_ascii_uppercase();
            if method != "*" && !METHODS.contains(&method.as_str()) {
                return Err(format!("`{text}`: `{method}` is not an HTTP method (or `*`)"));
            }
            let path = path.trim();
            if !path.starts_with('/') && !path.starts_with('*') {
                return Err(format!("`{text}`: a route's path starts with `/`"));
            }
            Target::Route((method != "*").then_some(method), blank_params(path))
        } else if rest.starts_with('/') {
            Target::Route(None, blank_params(rest))
        } else {
            // `images().v1().edit()` and `images.v1.edit` are `images/v1/edit`.
            let call = rest.replace("()", "").replace('.', "/");
            if call.split('/').any(|s| s.is_empty() || !s.chars().all(|c| c == '*' || c == '_' || c.is_alphanumeric()))
            {
                return Err(format!(
                    "`{text}`: not a call path (`images/v1/edit`), route (`GET /zones`), `tag:`, `id:` or `webhook:` pattern"
                ));
            }
            Target::Call(call)
        };
        Ok(Rule { text: text.to_string(), exclude, target })
    }

    /// Whether it matches `op` (whose spec tags are `tags`): `None` when it
    /// cannot tell (a `tag:` pattern, without the tags).
    fn matches_op(&self, op: &Operation, tags: Option<&[String]>) -> Option<bool> {
        Some(match &self.target {
            Target::Call(pattern) => {
                let call = call_path(op);
                glob(pattern, &call) || glob(&format!("{pattern}/*"), &call)
            }
            Target::Route(method, path) => {
                method.as_ref().is_none_or(|m| *m == op.method) && glob(path, &blank_params(&op.path))
            }
            Target::Tag(pattern) => tags?.iter().any(|t| glob(pattern, t)),
            Target::Id(pattern) => glob(pattern, &op.id),
            Target::Webhook(_) => false,
        })
    }

    fn matches_webhook(&self, hook: &Webhook) -> bool {
        matches!(&self.target, Target::Webhook(pattern) if glob(pattern, &hook.wire))
    }

    fn is_webhook(&self) -> bool {
        matches!(self.target, Target::Webhook(_))
    }
}

/// Parses every pattern of a selection.
pub(crate) fn parse(patterns: &[String]) -> Result<Vec<Rule>, String> {
    patterns.iter().map(|p| Rule::parse(p)).collect()
}

/// `/accounts/{account_id}/images` as `/accounts/{}/images`.
fn blank_params(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push('{');
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push('}');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// The method as users call it, `/`-separated: `images/v1/edit`.
fn call_path(op: &Operation) -> String {
    let mut segments: Vec<&str> = op.resource.iter().map(|s| naming::unraw(s)).collect();
    segments.push(naming::unraw(&op.method_name));
    segments.join("/")
}

/// Whether `text` matches `pattern`, whose `*` matches any text.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Keeps the selected operations and webhooks and the types they reach, and
/// records the selection in the IR. `features` is the overrides' choice of
/// per-resource features; without one it is decided again for the
/// resources left (`FEATURES_FROM` of lowering).
pub(crate) fn apply(api: &mut Api, selection: &Selection, tags: &Tags, features: Option<bool>) -> Result<()> {
    let rules = selection
        .patterns
        .iter()
        .map(|p| Rule::parse(p).map_err(|message| error(selection, p, message)))
        .collect::<Result<Vec<Rule>>>()?;
    let tags_of = |op: &Operation| tags.get(&(op.method.clone(), op.path.clone())).map(Vec::as_slice).unwrap_or(&[]);
    for rule in &rules {
        let matched = if rule.is_webhook() {
            api.webhooks.iter().any(|h| rule.matches_webhook(h))
        } else {
            api.operations.iter().any(|op| rule.matches_op(op, Some(tags_of(op))) == Some(true))
        };
        if !matched {
            let what = if rule.is_webhook() { "webhook" } else { "operation" };
            return Err(error(selection, &rule.text, format!("`{}` matches no {what} of the spec", rule.text)));
        }
    }
    let (hooks, ops): (Vec<&Rule>, Vec<&Rule>) = rules.iter().partition(|r| r.is_webhook());
    api.operations.retain(|op| selected(&ops, |r| r.matches_op(op, Some(tags_of(op))) == Some(true)));
    api.webhooks.retain(|hook| selected(&hooks, |r| r.matches_webhook(hook)));
    if api.operations.is_empty() {
        let last = selection.patterns.last().map_or("", String::as_str);
        return Err(error(selection, last, "the selection leaves no operation".to_string()));
    }
    drop_unreached(api);
    if features.is_none() {
        let roots: BTreeSet<&String> = api.operations.iter().map(|op| &op.resource[0]).collect();
        api.features = roots.len() > crate::lower::FEATURES_FROM;
    }
    api.selection = Some(selection.patterns.clone());
    Ok(())
}

/// Whether the rules (of one kind) keep an item: some positive rule matches
/// it (or there is none), and no exclusion does.
fn selected(rules: &[&Rule], matches: impl Fn(&Rule) -> bool) -> bool {
    let mut positive = rules.iter().filter(|r| !r.exclude).peekable();
    let taken = positive.peek().is_none() || positive.any(|r| matches(r));
    taken && !rules.iter().any(|r| r.exclude && matches(r))
}

/// Whether the selection of `patterns` keeps `op`, judged from the IR alone
/// (for `sdkgen diff`): `Some(false)` when it does not, `None` when a `tag:`
/// pattern would decide (the IR does not record tags).
pub(crate) fn takes(patterns: &[String], op: &Operation) -> Option<bool> {
    let rules = parse(patterns).ok()?;
    let ops: Vec<&Rule> = rules.iter().filter(|r| !r.is_webhook()).collect();
    // Whether a rule of that sign matches: surely, surely not, or cannot tell.
    let any = |exclude: bool| -> Option<bool> {
        let mut unknown = false;
        for r in ops.iter().filter(|r| r.exclude == exclude) {
            match r.matches_op(op, None) {
                Some(true) => return Some(true),
                None => unknown = true,
                Some(false) => {}
            }
        }
        (!unknown).then_some(false)
    };
    let taken = if ops.iter().any(|r| !r.exclude) { any(false) } else { Some(true) };
    match (taken, any(true)) {
        (Some(false), _) | (_, Some(true)) => Some(false),
        (Some(true), Some(false)) => Some(true),
        _ => None,
    }
}

/// Whether the selection of `patterns` keeps the webhook named `wire`.
pub(crate) fn takes_webhook(patterns: &[String], wire: &str) -> bool {
    let Ok(rules) = parse(patterns) else { return false };
    let hooks: Vec<&Rule> = rules.iter().filter(|r| r.is_webhook()).collect();
    selected(&hooks, |r| matches!(&r.target, Target::Webhook(p) if glob(p, wire)))
}

/// Drops the types that no operation or webhook reaches.
pub(crate) fn drop_unreached(api: &mut Api) {
    let roots = api.operations.iter().flat_map(Operation::type_refs).chain(api.webhooks.iter().map(|h| &h.ty));
    let pages = api.operations.iter().filter_map(|op| op.pagination.as_ref().map(|p| &p.item));
    let reached = super::reached(&api.types, roots.chain(pages));
    let mut keep = reached.into_iter();
    api.types.retain(|_| keep.next().unwrap_or(false));
}

/// The error `message` about `pattern`, located where the selection was
/// given: `--select`, or the overrides (at the pattern's line and column of
/// their file, when it is written there as a plain string).
fn error(selection: &Selection, pattern: &str, message: String) -> Error {
    match &selection.origin {
        Origin::Flag => Error::new(ErrorKind::Overrides, "", format!("--select {message}")),
        Origin::Overrides(file) => {
            let mut err = Error::new(ErrorKind::Overrides, "", format!("`select` of the overrides: {message}"));
            if let Some((file, text)) = file {
                let at = ["\"", "'"].iter().find_map(|q| text.find(&format!("{q}{pattern}{q}")));
                err.location = at.map(|at| {
                    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    (text[..at].matches('\n').count() + 1, text[line_start..at].chars().count() + 1)
                });
                err = err.in_file(file);
            }
            err
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("images/*", "images/v1/edit"));
        assert!(glob("*", ""));
        assert!(glob("*/list", "zones/dns_records/list"));
        assert!(!glob("images/*", "images"));
        assert!(glob("a*b*c", "aXbYbc"));
        assert!(!glob("a*b*c", "aXbYb"));
        assert!(glob("listZones", "listZones"));
        assert!(!glob("listZones", "listZones2"));
    }

    #[test]
    fn parses_each_kind() {
        let t = |s: &str| Rule::parse(s).map(|r| (r.exclude, r.target));
        assert_eq!(t("images/*"), Ok((false, Target::Call("images/*".into()))));
        assert_eq!(t("images().v1().edit()"), Ok((false, Target::Call("images/v1/edit".into()))));
        assert_eq!(t("get /zones"), Ok((false, Target::Route(Some("GET".into()), "/zones".into()))));
        assert_eq!(t("* /a/{id}/b"), Ok((false, Target::Route(None, "/a/{}/b".into()))));
        assert_eq!(t("/zones*"), Ok((false, Target::Route(None, "/zones*".into()))));
        assert_eq!(t("!tag:DNS"), Ok((true, Target::Tag("DNS".into()))));
        assert_eq!(t("id:listZones"), Ok((false, Target::Id("listZones".into()))));
        assert_eq!(t("webhook:*"), Ok((false, Target::Webhook("*".into()))));
        assert!(t("FETCH /zones").unwrap_err().contains("not an HTTP method"));
        assert!(t("tag:").unwrap_err().contains("empty"));
        assert!(t("!").unwrap_err().contains("empty"));
        assert!(t("images//edit").unwrap_err().contains("not a call path"));
    }

    #[test]
    fn blanks_parameter_names() {
        assert_eq!(blank_params("/accounts/{account_id}/images/v1/{image_id}"), "/accounts/{}/images/v1/{}");
        assert_eq!(blank_params("/a/{b{c}}/d"), "/a/{}/d");
    }
}
