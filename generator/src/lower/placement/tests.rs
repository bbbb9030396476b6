//! Tests of placing operations on the resource tree.

use super::*;

/// The layout of a spec like Cloudflare's or Twilio's: scoped by account or zone.
fn tenants() -> PathLayout {
    PathLayout { scopes: ["accounts", "zones", "Accounts"].map(String::from).into(), ..PathLayout::default() }
}

fn rv(path: &str, method: &str) -> String {
    // As if other paths were under this one (see `a_get_alone_on_a_leaf_is_a_query_of_its_parent`).
    let mut layout = tenants();
    layout.parents.insert(shape(path));
    let placed = resource_and_verb(path, method, &layout);
    format!("{}.{}", placed.resource.join("."), placed.verb)
}

#[test]
fn the_layout_of_paths_gives_scopes_a_base_path_and_shared_paths() {
    let paths = [
        ("/accounts/{account_id}/images", 4),
        ("/accounts/{account_id}/workers/{name}", 3),
        ("/playlists/{id}/tracks", 2),
        ("/playlists/{id}", 1),
        ("/tracks/{id}", 10),
        ("/2010-04-01/Accounts/{Sid}/Calls.json", 1),
    ];
    let layout = PathLayout::new(paths.into_iter());
    assert_eq!(layout.scopes, BTreeSet::from(["accounts".to_string()]));
    assert_eq!(layout.prefix, 0);
    let placed = resource_and_verb("/playlists/{id}/tracks", "post", &layout);
    assert_eq!(
        (placed.resource.join("."), placed.verb.as_str(), placed.scope),
        ("playlists.tracks".into(), "new", None)
    );
    // A base path every path shares is not a resource; a single path keeps all of its own.
    let jira = PathLayout::new(
        [("/rest/api/3/issue", 2), ("/rest/api/3/issue/{key}", 3), ("/rest/api/3/search", 2)].into_iter(),
    );
    assert_eq!(jira.prefix, 3);
    assert_eq!(resource_and_verb("/rest/api/3/search", "get", &jira).resource, ["search"]);
    assert_eq!(resource_and_verb("/rest/api/3/issue/{key}", "put", &jira).resource, ["issue"]);
    assert_eq!(PathLayout::new([("/v2/droplets", 2)].into_iter()).prefix, 0);
    // Only a base path: an API all under `/store` keeps `store()`.
    assert_eq!(PathLayout::new([("/store/order", 1), ("/store/inventory", 1)].into_iter()).prefix, 0);
    // A prefix that ends at a scope's collection is no base path.
    let images = PathLayout::new([("/accounts/{a}/images/v1", 2), ("/accounts/{a}/images/v1/{id}", 3)].into_iter());
    assert_eq!(images.prefix, 0);
    // An action is the last segment of a path with one operation only.
    let github = PathLayout { shared: ["/repos/{id}/import".to_string()].into(), ..PathLayout::default() };
    assert_eq!(resource_and_verb("/repos/{id}/import", "get", &github).verb, "get");
    assert_eq!(resource_and_verb("/repos/{id}/import", "get", &github).resource, ["repos", "import"]);
}

#[test]
fn resources_and_verbs_from_paths() {
    assert_eq!(rv("/accounts/{account_id}/images/v1/{image_id}", "patch"), "images.v1.edit");
    assert_eq!(rv("/accounts/{account_id}/images/v1/{image_id}", "get"), "images.v1.get");
    assert_eq!(rv("/accounts/{account_id}/images/v1", "get"), "images.v1.list");
    assert_eq!(rv("/accounts/{account_id}/images/v1", "post"), "images.v1.new");
    assert_eq!(rv("/accounts/{account_id}/images/v2/direct_upload", "post"), "images.v2.direct_upload.new");
    assert_eq!(rv("/accounts/{account_id}/images/v1/{image_id}/blob", "get"), "images.v1.blob.get");
    assert_eq!(rv("/accounts/{account_id}/images/v1/keys", "get"), "images.v1.keys.list");
    assert_eq!(rv("/accounts/{account_id}/images/v2", "get"), "images.v2.list");
    assert_eq!(rv("/zones/{zone_id}", "delete"), "zones.delete");
    assert_eq!(rv("/", "get"), "api.list");
    assert_eq!(
        resource_and_verb("/accounts/{account_id}/images/v1", "post", &tenants()).scope.as_deref(),
        Some("account_id")
    );
    assert_eq!(resource_and_verb("/images/{image_id}", "get", &tenants()).scope, None);
}

#[test]
fn resources_and_verbs_from_the_url_styles_real_apis_use() {
    // Twilio: a date prefix and a format extension.
    assert_eq!(rv("/2010-04-01/Accounts/{AccountSid}/Messages.json", "post"), "messages.new");
    assert_eq!(rv("/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "get"), "messages.get");
    assert_eq!(rv("/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "post"), "messages.update");
    // Slack: dotted RPC methods.
    assert_eq!(rv("/chat.postMessage", "post"), "chat.post_message");
    assert_eq!(rv("/conversations.list", "get"), "conversations.list");
    // Verbs as the last segment.
    assert_eq!(rv("/reports/create", "post"), "reports.create");
    assert_eq!(rv("/workspaces/{id}/tasks/search", "get"), "workspaces.tasks.search");
    // Actions on an item, in a word or starting with a verb.
    assert_eq!(rv("/{apiVersion}/linode/instances/{linodeId}/reboot", "post"), "linode.instances.reboot");
    assert_eq!(rv("/tasks/{task_gid}/addFollowers", "post"), "tasks.add_followers");
    assert_eq!(rv("/servers/{id}/actions/poweron", "post"), "servers.actions.poweron");
    // After a version, a verb-like word is a resource (Jira's `/rest/api/3/search`).
    assert_eq!(rv("/rest/api/3/search", "get"), "rest.api._3.search.list");
    assert_eq!(rv("/search", "get"), "search.list");
    // Versions stay resources; a dot inside a version is not an RPC method.
    assert_eq!(rv("/v1.0/users", "get"), "v1_0.users.list");
}

#[test]
fn a_get_alone_on_a_leaf_is_a_query_of_its_parent() {
    let layout = PathLayout::new(
        [
            ("/radar/bgp/timeseries", 1),
            ("/radar/bgp/top/ases", 1),
            ("/radar/annotations", 1),
            ("/radar/annotations/outages", 1),
            ("/me/player", 2),
            ("/users/{id}/followers", 1),
            ("/images/v1/stats", 1),
            ("/images/v1", 2),
            ("/images/v2", 2),
            ("/reports/export", 1),
        ]
        .into_iter(),
    );
    let call = |path: &str, method: &str| {
        let placed = resource_and_verb(path, method, &layout);
        format!("{}.{}", placed.resource.join("."), placed.verb)
    };
    assert_eq!(call("/radar/bgp/timeseries", "get"), "radar.bgp.timeseries");
    assert_eq!(call("/radar/bgp/top/ases", "get"), "radar.bgp.top.ases");
    // After an item too, with the method the HTTP method gives, for lowering
    // to go back to when it lists or takes no query parameter.
    assert_eq!(call("/users/{id}/followers", "get"), "users.followers");
    assert_eq!(resource_and_verb("/users/{id}/followers", "get", &layout).query.as_deref(), Some("list"));
    // Not with a path under it, beside another operation, after a version, or for a POST.
    assert_eq!(call("/radar/annotations", "get"), "radar.annotations.list");
    assert_eq!(call("/me/player", "get"), "me.player.list");
    assert_eq!(call("/images/v1/stats", "get"), "images.v1.stats.list");
    assert_eq!(call("/radar/bgp/timeseries", "post"), "radar.bgp.timeseries.new");
    assert_eq!(call("/reports/export", "get"), "reports.export");
}

#[test]
fn a_version_alone_under_its_resource_is_left_out() {
    let layout = PathLayout::new(
        [
            ("/alerting/v3/policies", 2),
            ("/alerting/v3/policies/{id}", 2),
            ("/things/v1/{id}", 2),
            ("/images/v1/{id}", 2),
            ("/images/v2", 2),
            ("/vectorize/indexes", 2),
            ("/vectorize/v2/indexes", 2),
            ("/workers/scripts/{name}/content", 2),
            ("/workers/scripts/{name}/content/v2", 1),
        ]
        .into_iter(),
    );
    let resource = |path: &str| resource_and_verb(path, "get", &layout).resource.join(".");
    assert_eq!(resource("/alerting/v3/policies/{id}"), "alerting.policies");
    assert_eq!(resource("/things/v1/{id}"), "things.v1");
    // Beside another version, another resource, or operations of the parent's own, it stays.
    assert_eq!(resource("/images/v1/{id}"), "images.v1");
    assert_eq!(resource("/vectorize/v2/indexes"), "vectorize.v2.indexes");
    assert_eq!(resource("/workers/scripts/{name}/content/v2"), "workers.scripts.content.v2");
}

#[test]
fn namespaced_operation_ids_are_found_per_spec() {
    let github = ["issues/list-for-repo", "issues/create", "teams/list", "repos/get"];
    assert_eq!(IdStyle::of_ids(&github), Some(IdStyle::Slash));
    assert_eq!(
        IdStyle::Slash.split("issues/list-for-repo"),
        Some((vec!["issues".to_string()], "list_for_repo".to_string()))
    );
    let slack = ["chat.postMessage", "admin.users.list", "conversations.list", "other"];
    assert_eq!(IdStyle::of_ids(&slack), Some(IdStyle::Dot));
    assert_eq!(
        IdStyle::Dot.split("admin.users.list"),
        Some((vec!["admin".to_string(), "users".to_string()], "list".to_string()))
    );
    let grouped = ["pets_list", "pets_create", "pets_get", "sshKeys_list", "sshKeys_get", "sshKeys_delete"];
    assert_eq!(IdStyle::of_ids(&grouped), Some(IdStyle::Underscore));
    assert_eq!(IdStyle::Underscore.split("sshKeys_list"), Some((vec!["ssh_keys".to_string()], "list".to_string())));
    assert_eq!(IdStyle::Underscore.split("listPets_all"), None);
    // Verbs first are no groups, nor is a group per operation, nor a minority.
    assert_eq!(IdStyle::of_ids(&["list_pets", "get_pet", "create_pet", "delete_pet"]), None);
    assert_eq!(IdStyle::of_ids(&["pets_list", "stores_get", "users_delete"]), None);
    assert_eq!(IdStyle::of_ids(&["listPets", "getPet", "issues/list"]), None);
    assert_eq!(IdStyle::of_ids(&["images-list", "images-get"]), None);
    assert_eq!(IdStyle::Dot.split("get.count.users"), None);
}

#[test]
fn a_clash_is_named_by_the_fewest_words_that_tell_it_apart() {
    let none = |_: &str| false;
    let r = |s: &str| vec![s.to_string()];
    assert_eq!(
        distinguishing_name(
            "dns-settings-for-a-zone-update-dns-settings",
            &r("dns_settings"),
            "edit",
            &["dns-settings-for-an-account-update-dns-settings"],
            none,
            none
        ),
        "edit_zone"
    );
    assert_eq!(distinguishing_name("records-list-a", &r("records"), "list", &["records-list-b"], none, none), "list_a");
    // A word that starts with a verb is the name itself; a taken one is passed over.
    assert_eq!(
        distinguishing_name(
            "custom-ns-list-account-nameservers",
            &r("custom_ns"),
            "get",
            &["custom-ns-usage"],
            |n: &str| n == "list",
            none
        ),
        "get_nameservers"
    );
    // `bulk` tells a bulk operation apart: `bulk_update`.
    assert_eq!(
        distinguishing_name("bulkSetIssueProperty", &r("properties"), "update", &["setIssueProperty"], none, none),
        "bulk_update"
    );
    // All of its words are in the other's: the plain name (unless a child resource has it).
    let (a, b) = ("fallback-list", "fallback-list-for-a-policy");
    assert_eq!(distinguishing_name(a, &r("x"), "get", &[b], none, none), "get");
    assert_eq!(distinguishing_name(b, &r("x"), "get", &[a], none, none), "get_policy");
    assert_eq!(distinguishing_name(a, &r("x"), "get", &[b], none, |n: &str| n == "get"), "fallback_list");
}

#[test]
fn a_segment_that_is_its_method_is_no_resource_and_bulk_goes_into_the_method() {
    assert_eq!(rv("/requests/new", "post"), "requests.new");
    assert_eq!(rv("/settings/edit", "patch"), "settings.edit");
    // Another method's word stays a resource (a GET of `…/new` reads it).
    assert_eq!(rv("/feeds/{id}/new", "get"), "feeds.new.get");
    assert_eq!(rv("/namespaces/{id}/bulk", "put"), "namespaces.bulk_update");
    assert_eq!(rv("/namespaces/{id}/bulk/delete", "post"), "namespaces.bulk_delete");
    assert_eq!(rv("/namespaces/{id}/bulk", "get"), "namespaces.bulk.get");
    // Its own words name the clashing method: it keeps it, the other is told apart.
    let none = |_: &str| false;
    let r = |s: &str| vec![s.to_string()];
    let new = |n: &str| n == "new";
    assert_eq!(distinguishing_name("request-new", &r("requests"), "new", &["request-list"], new, none), "new");
    assert_eq!(distinguishing_name("request-list", &r("requests"), "new", &["request-new"], new, none), "list");
    assert_eq!(distinguishing_name("request-new", &r("requests"), "new", &["request-list"], new, new), "request_new");
}

#[test]
fn a_scope_stays_where_the_tag_calls_the_resource_its_own() {
    let layout = PathLayout::new(
        [
            ("/accounts/{a}/members", 2),
            ("/accounts/{a}/members/{id}", 3),
            ("/accounts/{a}/rulesets", 2),
            ("/zones/{z}/rulesets", 2),
            ("/zones/{z}/snippets", 1),
            ("/zones/{z}/snippets/{name}/content", 1),
            ("/zones/{z}/hold", 3),
        ]
        .into_iter(),
    );
    let keeps = |tags: &[&str], collection: &str, root: &str| {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        keeps_scope(&tags, collection, &[root.to_string()], &layout)
    };
    assert!(keeps(&["Account Members"], "accounts", "members"));
    assert!(keeps(&["Zone Holds"], "zones", "hold"));
    // Under two scopes, or with resources under it, or a tag that names no scope, or several tags: no.
    assert!(!keeps(&["Account Rulesets"], "accounts", "rulesets"));
    assert!(!keeps(&["Zone Snippets"], "zones", "snippets"));
    assert!(!keeps(&["Members"], "accounts", "members"));
    assert!(!keeps(&["Account Billing Profile"], "accounts", "members"));
    assert!(!keeps(&["Account Members", "Users"], "accounts", "members"));
}
