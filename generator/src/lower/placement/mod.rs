//! Placing operations on the resource tree: each operation's resource path
//! and method name, from the naming signals a spec carries (overrides,
//! SDK-naming extensions, namespaced operationIds, tags, the path).

use crate::ir::{Operation, TypeRef};
use crate::naming::{self, Scope};
use crate::overrides::Overrides;
use openapiv3::{OpenAPI, ReferenceOr};
pub(crate) use segments::*;
use std::collections::{BTreeMap, BTreeSet};

mod segments;
#[cfg(test)]
mod tests;

/// The default resource path and verb of an operation: static path segments
/// (parameters skipped, and a leading `collection/{id}` scope such as
/// `accounts/{account_id}` dropped) and a verb from the HTTP method.
/// The scope's parameter (`account_id`) is returned too: like the rest of a
/// resource's location, it goes in the params struct, never positionally.
pub(super) fn resource_and_verb(path: &str, method: &str, layout: &PathLayout) -> Placed {
    let is_param = |s: &str| s.starts_with('{');
    let mut segments = path_segments(path);
    segments.drain(..layout.prefix.min(segments.len().saturating_sub(1)));
    // An RPC method (`/chat.postMessage`): a namespace and a verb.
    let mut verb_segment = None;
    if let Some(last) = segments.last().copied().filter(|s| !is_param(s)) {
        let word = |s: &str| s.starts_with(|c: char| c.is_ascii_alphabetic());
        let single = !layout.shared.contains(path);
        if let Some((namespace, action)) = last.split_once('.').filter(|(n, a)| word(n) && word(a)) {
            segments.pop();
            segments.push(namespace);
            verb_segment = Some(naming::snake(action));
        } else if single
            && segments.len() > 1
            && !is_version(segments[segments.len() - 2])
            && (is_action(last) || names_its_method(last, method) || posted_to_item(path, method, &segments, layout))
        {
            // An action as the last segment of a path with one operation
            // (`/reports/create`, `/tasks/{id}/addFollowers`, `…/{id}/reboot`),
            // or the method itself (`POST /requests/new` is `requests().new()`).
            segments.pop();
            verb_segment = Some(naming::snake(last));
        }
    }
    let mut rest = &segments[..];
    // A leading parameter is a base path's variable (Linode's `/{apiVersion}/linode/…`).
    if rest.len() > 1 && is_param(rest[0]) {
        rest = &rest[1..];
    }
    let mut scope = None;
    let mut scoped_by = None;
    if let Some(collection) = scoped(rest).filter(|collection| layout.scopes.contains(*collection)) {
        scope = Some(rest[1].trim_matches(|c| c == '{' || c == '}').to_string());
        scoped_by = Some(collection.to_string());
        rest = &rest[2..];
    }
    // Segments are named as written: a singular stays singular
    // (`…/{image_id}/blob` → `blob()`, `…/{token_id}/value` → `value()`).
    // A version that is the only one of its resource, before another
    // resource, says nothing apart and is left out (`/alerting/v3/policies`
    // is `alerting().policies()`), but two beside each other stay
    // (`images().v1()`, `images().v2()`), as does one that is the collection
    // of its items (`/images/v1/{image_id}`).
    let after_param = |i: usize| i > 0 && is_param(rest[i - 1]);
    let whole = path_segments(path);
    let at = whole.len() - rest.len();
    let lone_version = |i: usize| {
        i > 0
            && is_version(rest[i])
            && rest.get(i + 1).is_some_and(|next| !is_param(next))
            && layout.versions.contains(&shape_of(&whole[..at + i]))
    };
    let mut resource: Vec<String> =
        (0..rest.len()).filter(|&i| !is_param(rest[i]) && !lone_version(i)).map(|i| naming::snake(rest[i])).collect();
    if resource.is_empty() {
        resource.push("api".into());
    }
    // A GET alone on a path nothing is under, whose last segment follows
    // another resource (not an item, a scope or a version), is a query of that
    // resource, named by the segment: `GET /radar/bgp/timeseries` is
    // `radar().bgp().timeseries()`, as `GET /me/following/contains` is
    // `me().following().contains()`.
    let n = rest.len();
    let query = method == "get"
        && verb_segment.is_none()
        && !layout.shared.contains(path)
        && !layout.parents.contains(&shape(path))
        && n >= 2
        && !is_param(rest[n - 1])
        && !rest[n - 2..].iter().any(|s| is_version(s))
        && (!is_param(rest[n - 2]) || (n >= 3 && !is_param(rest[n - 3])));
    if query {
        verb_segment = resource.pop();
    }
    let item = rest.last().is_some_and(|s| is_param(s));
    // `GET …/{id}/blob` reads the one blob of an item: `blobs().get()`.
    let singular = !item
        && after_param(rest.len().saturating_sub(1))
        && naming::plural(rest[rest.len() - 1]) != rest[rest.len() - 1];
    let by_method = match method {
        "get" if item || singular => "get",
        "get" => "list",
        // A POST to one item changes it (Twilio's `POST …/Messages/{Sid}.json`).
        "post" if item => "update",
        "post" => "new",
        "put" => "update",
        "patch" => "edit",
        other => other,
    };
    let mut verb = verb_segment.clone().unwrap_or_else(|| by_method.to_string());
    // `bulk` says how, not what: the method of its parent (`PUT …/{id}/bulk`
    // is `bulk_update`, `POST …/{id}/bulk/delete` is `bulk_delete`). A GET of
    // it reads many at once and keeps it.
    if method != "get" && !item && resource.len() > 1 && resource.last().is_some_and(|r| r == "bulk") && !query {
        resource.pop();
        if !verb.starts_with("bulk") {
            verb = format!("bulk_{verb}");
        }
    }
    let by_method = query.then(|| by_method.to_string());
    Placed { resource, verb, scope, scoped_by, verb_in_path: verb_segment.is_some(), query: by_method }
}

/// Where [`resource_and_verb`] puts an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Placed {
    /// The resource path: `["images", "v1"]`.
    pub resource: Vec<String>,
    /// The method name: `edit`.
    pub verb: String,
    /// The scope's parameter (`account_id`), which goes in the params.
    pub scope: Option<String>,
    /// The scope's collection (`accounts`), left out of the resource.
    pub scoped_by: Option<String>,
    /// Whether the path named the method (`/chat.postMessage`, `/reports/create`).
    pub verb_in_path: bool,
    /// When the method is a query named by a leaf segment (`radar().bgp().timeseries()`):
    /// the method the HTTP method would give, for when the response or the
    /// parameters undo it (`user().audit_logs().list()`).
    pub query: Option<String>,
}

/// What all of a spec's paths say about placing each one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PathLayout {
    /// The collections that scope the API (see [`PathLayout::new`]).
    pub scopes: BTreeSet<String>,
    /// How many leading segments every path shares that make a base path
    /// (`/rest/api/3`, `/v2`: `api`, `rest` and versions), not a resource.
    pub prefix: usize,
    /// Paths with more than one operation: their last segment is a resource,
    /// never an action (`GET`, `PUT`, `DELETE /repos/{id}/import`).
    pub shared: BTreeSet<String>,
    /// The [`shape`]s of paths other paths are under (`/a/{}` of `/a/{id}/b`).
    pub parents: BTreeSet<String>,
    /// The path [`shape`]s under which one version is all there is
    /// (`alerting` of `/alerting/v3/…`; not `images`, with `v1` and `v2`).
    pub versions: BTreeSet<String>,
    /// The separator of namespaced operationIds, when most of the spec's have one.
    pub ids: Option<IdStyle>,
    /// Whether the spec's tags name its resources (see `tags_partition`).
    pub tags: bool,
    /// The first resource under a scope's item (`members` of
    /// `/accounts/{account_id}/members`), with the scopes it is under.
    pub scoped_roots: BTreeMap<String, BTreeSet<String>>,
    /// Those of [`PathLayout::scoped_roots`] with more than their items under them.
    pub deep_roots: BTreeSet<String>,
}

impl PathLayout {
    /// The layout of `paths`, each with its number of operations.
    ///
    /// A scope is a collection like a tenant (`accounts/{account_id}`,
    /// `zones/{zone_id}`, Twilio's `Accounts/{AccountSid}`) with at least a
    /// fifth of all operations under an item of it: its id goes in the
    /// params and its name out of the resource tree. An ordinary item with
    /// sub-resources (`playlists/{id}/tracks`) stays: `playlists().tracks()`.
    pub(super) fn new<'p>(paths: impl Iterator<Item = (&'p str, usize)>) -> PathLayout {
        let mut under: BTreeMap<&str, usize> = BTreeMap::new();
        let mut total = 0;
        let mut shared = BTreeSet::new();
        let mut parents = BTreeSet::new();
        let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut ends = BTreeSet::new();
        let mut prefix: Option<Vec<&str>> = None;
        let mut roots: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut deep_roots = BTreeSet::new();
        let mut count = 0;
        for (path, operations) in paths {
            count += 1;
            total += operations;
            if operations > 1 {
                shared.insert(path.to_string());
            }
            let segments = path_segments(path);
            ends.insert(shape_of(&segments));
            for n in 1..segments.len() {
                parents.insert(shape_of(&segments[..n]));
                let child = if segments[n].starts_with('{') { "{}" } else { segments[n] };
                versions.entry(shape_of(&segments[..n])).or_default().insert(child.to_string());
            }
            if let Some(collection) = scoped(&segments) {
                *under.entry(collection).or_default() += operations;
                if let Some(at) = segments.iter().skip(2).position(|s| !s.starts_with('{')).map(|i| i + 2) {
                    let root = naming::snake(segments[at]);
                    if segments[at + 1..].iter().any(|s| !s.starts_with('{')) || segments.len() > at + 2 {
                        deep_roots.insert(root.clone());
                    }
                    roots.entry(root).or_default().insert(collection.to_string());
                }
            }
            // The shared leading base-path segments (`rest`, `api`, versions),
            // each path keeping a static segment after them.
            let statics: Vec<&str> = segments.iter().take_while(|s| is_base(s)).copied().collect();
            let own = &statics[..statics.len().min(segments.len().saturating_sub(1))];
            let own = if segments.get(own.len()).is_some_and(|s| s.starts_with('{')) {
                &own[..own.len().saturating_sub(1)]
            } else {
                own
            };
            prefix = Some(match prefix {
                None => own.to_vec(),
                Some(p) => p.iter().zip(own).take_while(|(a, b)| a == b).map(|(a, _)| *a).collect(),
            });
        }
        let scopes: BTreeSet<String> =
            under.into_iter().filter(|&(_, n)| n > 0 && n * 5 >= total).map(|(c, _)| c.to_string()).collect();
        let prefix = if count > 1 { prefix.map_or(0, |p| p.len()) } else { 0 };
        // A version is alone when nothing else is beside it, nor at its parent's path.
        let versions = versions
            .into_iter()
            .filter(|(parent, children)| {
                children.len() == 1 && children.iter().all(|c| is_version(c)) && !ends.contains(parent)
            })
            .map(|(parent, _)| parent)
            .collect();
        let scoped_roots = roots
            .into_iter()
            .map(|(root, collections)| (root, collections.into_iter().filter(|c| scopes.contains(c)).collect()))
            .collect();
        PathLayout { scopes, prefix, shared, parents, versions, ids: None, tags: false, scoped_roots, deep_roots }
    }
}

/// How a spec namespaces its operationIds, when most of them are
/// `group/method-name` (GitHub), `group.methodName` (Slack) or
/// `group_method`: the group is the resource and the rest the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IdStyle {
    /// `issues/list-for-repo`.
    Slash,
    /// `chat.postMessage`, `admin.users.list`.
    Dot,
    /// `pets_list`: one word of a few groups, then the method.
    Underscore,
}

impl IdStyle {
    /// The style more than half of the spec's operations have, if one does.
    pub(super) fn of_spec(spec: &OpenAPI) -> Option<IdStyle> {
        let ids: Vec<&str> = spec
            .paths
            .paths
            .values()
            .filter_map(ReferenceOr::as_item)
            .flat_map(|item| item.iter().map(|(_, op)| op.operation_id.as_deref().unwrap_or_default()))
            .collect();
        Self::of_ids(&ids)
    }

    /// The style more than half of `ids` (one per operation) have, if one does.
    pub(super) fn of_ids(ids: &[&str]) -> Option<IdStyle> {
        [IdStyle::Slash, IdStyle::Dot, IdStyle::Underscore].into_iter().find(|style| {
            let groups: Vec<Vec<String>> = ids.iter().filter_map(|id| style.split(id)).map(|(g, _)| g).collect();
            let distinct: BTreeSet<&Vec<String>> = groups.iter().collect();
            // A group is shared by several operations: `list_pets`, `get_pet` are no groups.
            groups.len() * 2 > ids.len() && (*style != IdStyle::Underscore || distinct.len() * 3 <= groups.len())
        })
    }

    /// The resource and method an operationId of this style names.
    pub(super) fn split(self, id: &str) -> Option<(Vec<String>, String)> {
        let word = |s: &str| s.starts_with(|c: char| c.is_ascii_alphabetic());
        let (group, method): (Vec<&str>, &str) = match self {
            IdStyle::Slash | IdStyle::Dot => {
                let sep = if self == IdStyle::Slash { '/' } else { '.' };
                let mut parts: Vec<&str> = id.split(sep).collect();
                let method = parts.pop()?;
                (parts, method)
            }
            IdStyle::Underscore => {
                if id.contains(['/', '.', '-', ' ']) {
                    return None;
                }
                let (group, method) = id.split_once('_')?;
                // A group of one word or a camelCase noun (`droplets`, `sshKeys`), not a verb.
                let first = naming::words(group).first().map(|w| w.to_ascii_lowercase()).unwrap_or_default();
                let verb = is_verb(&first) || MORE_VERBS.contains(&first.as_str());
                if !group.starts_with(|c: char| c.is_ascii_lowercase())
                    || !group.chars().all(|c| c.is_ascii_alphanumeric())
                    || verb
                {
                    return None;
                }
                (vec![group], method)
            }
        };
        // A group names a resource, not what is done (`get.count.users` is no group).
        let first = group.first().and_then(|g| naming::words(g).into_iter().next()).unwrap_or_default();
        let first = first.to_ascii_lowercase();
        let verb = is_verb(&first) || MORE_VERBS.contains(&first.as_str());
        (!group.is_empty() && !verb && group.iter().chain([&method]).all(|s| word(s)))
            .then(|| (group.iter().map(|g| naming::snake(g)).collect(), naming::snake(method)))
    }
}

/// Whether the spec's tags name its resources: each operation has one
/// tag of at most three words, there are several, and the paths do not
/// tell the resources apart (they all start at one resource).
pub(crate) fn tags_partition(spec: &OpenAPI, layout: &PathLayout) -> bool {
    let mut tags = BTreeSet::new();
    let mut roots = BTreeSet::new();
    for (path, item) in &spec.paths.paths {
        for (method, op) in item.as_item().into_iter().flat_map(|i| i.iter()) {
            match op.tags.as_slice() {
                [tag] if naming::words(tag).len() <= 3 => tags.insert(tag.as_str()),
                _ => return false,
            };
            roots.insert(resource_and_verb(path, method, layout).resource[0].clone());
        }
    }
    tags.len() > 1 && roots.len() == 1
}

/// The resource of a tagged operation: the tag in place of the root all
/// paths share (`/service/users/{id}` tagged `Users` is `users()`).
pub(crate) fn tagged(tag: &str, resource: Vec<String>) -> Vec<String> {
    let tag = naming::snake(tag);
    let mut out = vec![tag.clone()];
    out.extend(resource.into_iter().skip(1).skip_while(|r| *r == tag || naming::plural(r) == tag));
    out
}

/// The group and method an operation's SDK-naming extensions give:
/// `x-speakeasy-group` (dotted) and `x-speakeasy-name-override`, or
/// `x-fern-sdk-group-name` (a name or a list) and `x-fern-sdk-method-name`.
pub(crate) fn extension_names(op: &openapiv3::Operation) -> Option<(Option<Vec<String>>, Option<String>)> {
    use serde_json::Value;
    let text = |key: &str| op.extensions.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
    let group = text("x-speakeasy-group")
        .map(|g| g.split('.').map(naming::snake).collect::<Vec<_>>())
        .or_else(|| match op.extensions.get("x-fern-sdk-group-name")? {
            Value::String(g) => Some(vec![naming::snake(g)]),
            Value::Array(list) => Some(list.iter().filter_map(Value::as_str).map(naming::snake).collect()),
            _ => None,
        })
        .filter(|g| !g.is_empty());
    let method = text("x-speakeasy-name-override").or_else(|| text("x-fern-sdk-method-name")).map(naming::snake);
    (group.is_some() || method.is_some()).then_some((group, method))
}

/// Whether a struct's fields make it a page of a list: a list field that
/// is all there is, or is named like the items of a page, or sits beside
/// paging fields (`next`, `cursor`, `total`, …). A user with a list of
/// emails is one user.
pub(crate) fn is_page(fields: &[crate::ir::Field]) -> bool {
    const ITEMS: &[&str] =
        &["items", "data", "results", "result", "list", "entries", "records", "values", "elements", "objects", "hits"];
    const PAGING: &[&str] = &[
        "next",
        "next_cursor",
        "cursor",
        "offset",
        "limit",
        "total",
        "total_count",
        "count",
        "page",
        "pages",
        "has_more",
        "next_page_token",
        "next_page",
        "per_page",
        "page_size",
        "links",
        "pagination",
        "paging",
        "result_info",
        "continuation_token",
        "next_link",
        "response_metadata",
        "_metadata",
        "_links",
    ];
    let lists: Vec<&crate::ir::Field> = fields.iter().filter(|f| matches!(f.ty, TypeRef::Vec(_))).collect();
    let name = |f: &crate::ir::Field| naming::unraw(&f.rust).to_string();
    match lists.as_slice() {
        [] => false,
        [only] if fields.len() == 1 => true,
        _ => {
            lists.iter().any(|f| ITEMS.contains(&name(f).as_str()))
                || fields.iter().any(|f| PAGING.contains(&name(f).as_str()))
        }
    }
}

/// Resolves collisions (overrides are already applied): operations that
/// would share a resource and method name, or whose method name is also a
/// child resource, are named after their operationId unless an override
/// named the method.
pub(crate) fn place_operations(ops: &mut [Operation], reads_one: &[bool], overrides: &Overrides) {
    // A `list` that reads one object is its resource's `get`, if that is free.
    let mut gets: std::collections::BTreeSet<Vec<String>> =
        ops.iter().filter(|op| op.method_name == "get").map(|op| op.resource.clone()).collect();
    for (op, _) in ops.iter_mut().zip(reads_one).filter(|(_, one)| **one) {
        if gets.insert(op.resource.clone()) {
            op.method_name = "get".into();
        }
    }
    let mut seen: BTreeMap<(Vec<String>, String), usize> = BTreeMap::new();
    for op in ops.iter() {
        *seen.entry((op.resource.clone(), op.method_name.clone())).or_default() += 1;
    }
    // A collection's update, edit or delete beside its item's is the bulk one
    // (`PUT /filters` is `filters().bulk_update()`, `PUT /filters/{id}` `update`).
    let mut groups: BTreeMap<(Vec<String>, String), Vec<usize>> = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        groups.entry((op.resource.clone(), op.method_name.clone())).or_default().push(i);
    }
    for ((_, name), members) in &groups {
        let (items, collections): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&i| is_item_path(&ops[i].path));
        if ["update", "edit", "delete"].contains(&name.as_str()) && items.len() == 1 && collections.len() == 1 {
            let bulk = format!("bulk_{name}");
            if !seen.contains_key(&(ops[collections[0]].resource.clone(), bulk.clone())) {
                ops[collections[0]].method_name = bulk;
            }
        }
    }
    let mut seen: BTreeMap<(Vec<String>, String), usize> = BTreeMap::new();
    for op in ops.iter() {
        *seen.entry((op.resource.clone(), op.method_name.clone())).or_default() += 1;
    }
    let children: std::collections::BTreeSet<Vec<String>> =
        ops.iter().flat_map(|op| (1..=op.resource.len()).map(|n| op.resource[..n].to_vec())).collect();
    let clashes: Vec<usize> = (0..ops.len())
        .filter(|&i| {
            let op = &ops[i];
            let overridden = overrides.operations.get(&op.id).is_some_and(|o| o.method.is_some());
            let mut as_child = op.resource.clone();
            as_child.push(op.method_name.clone());
            !overridden && (seen[&(op.resource.clone(), op.method_name.clone())] > 1 || children.contains(&as_child))
        })
        .collect();
    // Each is named by the fewest words of its operationId that no other
    // operation of its clash has (`list_a`, `edit_zone`), not by all of them.
    let mut names: Vec<(usize, String)> = Vec::new();
    let mut chosen: BTreeSet<(Vec<String>, String)> = BTreeSet::new();
    for &i in &clashes {
        let op = &ops[i];
        let others: Vec<&str> = clashes
            .iter()
            .filter(|&&j| j != i && ops[j].resource == op.resource && ops[j].method_name == op.method_name)
            .map(|&j| ops[j].id.as_str())
            .collect();
        let taken = |name: &str| {
            let mut as_child = op.resource.clone();
            as_child.push(name.to_string());
            let key = (op.resource.clone(), name.to_string());
            children.contains(&as_child) || seen.contains_key(&key) || chosen.contains(&key)
        };
        let taken_by_child = |name: &str| {
            let mut as_child = op.resource.clone();
            as_child.push(name.to_string());
            children.contains(&as_child)
        };
        let name = distinguishing_name(&op.id, &op.resource, &op.method_name, &others, taken, taken_by_child);
        chosen.insert((op.resource.clone(), name.clone()));
        names.push((i, name));
    }
    for (i, name) in names {
        ops[i].method_name = name;
    }
    // Still-equal names (the same operationId twice) are numbered in spec order.
    let mut scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
    for op in ops.iter_mut() {
        op.method_name = scopes.entry(op.resource.clone()).or_default().claim(op.method_name.clone());
    }
}

/// Whether a path's last segment is the very method its HTTP method gives
/// (`POST …/new`, `PATCH …/edit`, `GET …/get`): no resource, the method.
pub(crate) fn names_its_method(segment: &str, method: &str) -> bool {
    matches!((method, naming::snake(segment).as_str()), ("post", "new") | ("patch", "edit") | ("get", "get"))
}

/// Whether an operation's one tag names its resource as the scope's own
/// (`Account Members` for `/accounts/{account_id}/members`, `Zone Holds` for
/// `/zones/{zone_id}/hold`): then the scope stays in its resource path
/// (`accounts().members()`), as the vendor groups it. Not when the resource
/// has resources under it (a product of its own: `/zones/{id}/snippets/{name}/content`
/// tagged `Zone Snippets` is `snippets()`), nor when it is also under another scope (`/accounts/{id}/rulesets` and
/// `/zones/{id}/rulesets` tagged `Account Rulesets` and `Zone Rulesets`
/// are one `rulesets()`).
pub(crate) fn keeps_scope(tags: &[String], collection: &str, resource: &[String], layout: &PathLayout) -> bool {
    let ([tag], Some(first)) = (tags, resource.first()) else { return false };
    let words: Vec<String> = naming::words(tag).iter().map(|w| w.to_ascii_lowercase()).collect();
    let Some((scope_word, rest)) = words.split_first() else { return false };
    let named = naming::plural(scope_word) == naming::plural(&collection.to_ascii_lowercase())
        && !rest.is_empty()
        && naming::plural(&rest.join("_")) == naming::plural(naming::unraw(first));
    named
        && layout.scoped_roots.get(first).is_none_or(|scopes| scopes.len() == 1)
        && !layout.deep_roots.contains(naming::unraw(first))
}

/// A POST to a word after an item that nothing is under, and that is no
/// plural (no collection): an action on the item (`…/deployments/{id}/rollback`,
/// `…/indexes/{name}/upsert`). Not after a scope's item, where a word is a
/// resource of the tenant (`/shops/{shop_id}/advice`).
pub(crate) fn posted_to_item(path: &str, method: &str, segments: &[&str], layout: &PathLayout) -> bool {
    let last = segments[segments.len() - 1];
    method == "post"
        && segments[segments.len() - 2].starts_with('{')
        && !(segments.len() >= 3 && layout.scopes.contains(segments[segments.len() - 3]))
        && naming::plural(last) != last
        && !layout.parents.contains(&shape(path))
}

/// Whether a path ends at an item (`/filters/{id}`, `…/{Sid}.json`).
pub(crate) fn is_item_path(path: &str) -> bool {
    path_segments(path).last().is_some_and(|s| s.starts_with('{'))
}

/// Words of an operationId that say nothing apart (`a`, `for`, `the`).
pub(crate) const STOPWORDS: &[&str] =
    &["a", "an", "the", "for", "of", "to", "by", "in", "on", "with", "and", "or", "from"];

/// The method name of an operation whose placement clashes: the fewest
/// consecutive words of its operationId (leaving out its resource's words and
/// stopwords where that still tells it apart) that no `others` of the clash
/// has, after the clashing `method` unless they start with a verb; the plain
/// `method` when all of its words are in each of the others' (they get names
/// of their own); the whole operationId when nothing shorter tells them apart
/// or is free.
pub(crate) fn distinguishing_name(
    id: &str,
    resource: &[String],
    method: &str,
    others: &[&str],
    taken: impl Fn(&str) -> bool,
    taken_by_child: impl Fn(&str) -> bool,
) -> String {
    let words = |id: &str| -> Vec<String> {
        naming::snake(id).trim_start_matches("r#").split('_').filter(|w| !w.is_empty()).map(String::from).collect()
    };
    let resource_words: BTreeSet<String> =
        resource.iter().flat_map(|r| naming::unraw(r).split('_').map(String::from).collect::<Vec<_>>()).collect();
    let filter = |w: &Vec<String>| -> Vec<String> {
        w.iter().filter(|w| !STOPWORDS.contains(&w.as_str()) && !resource_words.contains(*w)).cloned().collect()
    };
    let own = words(id);
    let others: Vec<Vec<String>> = others.iter().map(|o| words(o)).collect();
    let has = |list: &[String], window: &[String]| list.windows(window.len()).any(|w| w == window);
    let starts_verb = |w: &str| is_verb(w) || MORE_VERBS.contains(&w) || ["new", "edit", "list", "get"].contains(&w);
    for (mine, theirs) in [(filter(&own), others.iter().map(filter).collect::<Vec<_>>()), (own.clone(), others.clone())]
    {
        for len in 1..=mine.len() {
            for start in (0..=mine.len() - len).rev() {
                let window = &mine[start..start + len];
                if theirs.iter().any(|t| has(t, window)) {
                    continue;
                }
                let joined = window.join("_");
                // Words that hold the method already are not prefixed with it again.
                let name = if starts_verb(&window[0]) || window.iter().any(|w| w == method) {
                    joined
                } else if joined == "bulk" {
                    format!("bulk_{method}")
                } else {
                    format!("{method}_{joined}")
                };
                let name = naming::snake(&name);
                // Its own words say the clashing method (`…-request-new` beside
                // `…-request-list`, both `new`): it keeps it, the others get theirs.
                if name == method && len == 1 && !taken_by_child(method) {
                    return name;
                }
                if !taken(&name) && name != method {
                    return name;
                }
            }
        }
    }
    // Nothing of its own (`…-fallback-list` beside `…-fallback-list-for-a-policy`):
    // the plain name, once the others have theirs, unless a child resource has it.
    if others.iter().all(|o| o.windows(own.len()).any(|w| w == own.as_slice())) && !taken_by_child(method) {
        return method.to_string();
    }
    naming::snake(id)
}
