//! What a path segment is: a version, a date, a verb, an action, a base
//! path; the shapes of paths.

use crate::naming::{self};

/// A path as its segments with every parameter alike (`/a/{}/b`), to tell
/// whether other paths are under it.
pub(crate) fn shape(path: &str) -> String {
    shape_of(&path_segments(path))
}

pub(crate) fn shape_of(segments: &[&str]) -> String {
    segments.iter().map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/")
}

/// A path's segments, without what is not a resource: a date is a version
/// of the whole API (`/2010-04-01/`), a file extension (`Messages.json`) a format.
pub(crate) fn path_segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty() && !is_date(s))
        .map(|s| if s.starts_with('{') { s } else { strip_extension(s) })
        .collect()
}

/// The collection of a leading `collection/{id}/more` (`accounts`), if the path has one.
pub(crate) fn scoped<'s>(segments: &[&'s str]) -> Option<&'s str> {
    let is_param = |s: &str| s.starts_with('{');
    (segments.len() > 2
        && !is_param(segments[0])
        && is_param(segments[1])
        && segments[2..].iter().any(|s| !is_param(s)))
    .then(|| segments[0])
}

/// `2010-04-01`, `20230101`: a date in a path, the API's version.
pub(crate) fn is_date(segment: &str) -> bool {
    let digits = segment.chars().filter(char::is_ascii_digit).count();
    digits >= 6 && segment.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '_')
}

/// The segment without a format extension (`.json`, `.xml`, …).
pub(crate) fn strip_extension(segment: &str) -> &str {
    const FORMATS: &[&str] = &[".json", ".xml", ".csv", ".txt", ".yaml", ".yml", ".html", ".pdf", ".zip"];
    FORMATS
        .iter()
        .find_map(|ext| {
            let cut = segment.len().checked_sub(ext.len())?;
            (segment.is_char_boundary(cut) && segment[cut..].eq_ignore_ascii_case(ext) && cut > 0)
                .then(|| &segment[..cut])
        })
        .unwrap_or(segment)
}

/// Words that, as the last segment of a path, name what is done rather than a resource.
/// A segment of a base path: `api`, `rest` or a version.
pub(crate) fn is_base(segment: &str) -> bool {
    is_version(segment) || ["api", "apis", "rest"].contains(&segment.to_ascii_lowercase().as_str())
}

/// A version segment (`3`, `v2`, `v1.0`): what follows it is never its action.
pub(crate) fn is_version(segment: &str) -> bool {
    let digits = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// An action, not a resource: a verb (`create`, `reboot`), or words that
/// start with one (`addFollowers`, `purge_cache`).
pub(crate) fn is_action(segment: &str) -> bool {
    let words = naming::snake(segment);
    let first = words.trim_start_matches("r#").split('_').next().unwrap_or_default();
    is_verb(segment) || (words.contains('_') && (is_verb(first) || MORE_VERBS.contains(&first)))
}

/// Verbs that start an action's name (`add_followers`) but alone are as often a resource.
pub(crate) const MORE_VERBS: &[&str] =
    &["add", "set", "get", "mark", "move", "copy", "assign", "unassign", "attach", "detach"];

pub(crate) fn is_verb(segment: &str) -> bool {
    const VERBS: &[&str] = &[
        "create",
        "search",
        "query",
        "update",
        "delete",
        "remove",
        "cancel",
        "send",
        "start",
        "stop",
        "restart",
        "close",
        "open",
        "archive",
        "unarchive",
        "join",
        "leave",
        "invite",
        "kick",
        "rename",
        "revoke",
        "validate",
        "verify",
        "upload",
        "download",
        "import",
        "export",
        "refresh",
        "reset",
        "enable",
        "disable",
        "approve",
        "reject",
        "publish",
        "unpublish",
        "sync",
        "list",
        "info",
        "lookup",
        "complete",
        "submit",
        "retry",
        "reboot",
        "boot",
        "shutdown",
        "poweron",
        "poweroff",
        "resize",
        "rebuild",
        "clone",
        "migrate",
        "purge",
        "pause",
        "resume",
        "lock",
        "unlock",
        "ack",
        "pull",
        "push",
        "scan",
        "rotate",
        "trigger",
        "clear",
        "flush",
        "renew",
        "rollback",
        "activate",
        "deactivate",
        "dismiss",
        "generate",
        "execute",
        "replay",
        "reindex",
        "unrevoke",
        "upsert",
    ];
    VERBS.contains(&segment.to_ascii_lowercase().as_str())
}
