//! Every pagination style through a generated client (`openapi/pages.yaml`):
//! each `list_stream` asks for the next page the way its API says and ends
//! only where the API says there is no more.

use futures_util::StreamExt;
use pages::audit::AuditListParams;
use pages::customers::CustomersListParams;
use pages::events::EventsListParams;
use pages::orders::OrdersListParams;
use pages::reviews::ReviewsListParams;
use pages::shipments::ShipmentsListParams;
use pages::tags::TagsListParams;
use pages::{Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/v1", server.uri())).token("t0k3n").max_retries(0).build().unwrap()
}

/// Answers the matching GET with `body`.
async fn page(server: &MockServer, matching: MockBuilder, body: Value) {
    matching.respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(server).await;
}

fn get(route: &str) -> MockBuilder {
    Mock::given(method("GET")).and(path(format!("/v1{route}")))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn query(req: &Request) -> Vec<(String, String)> {
    req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn after_last_sends_the_last_id_while_has_more() {
    let s = MockServer::start().await;
    let first = json!({"object": "list", "data": [{"id": "o1"}, {"id": "o2"}], "last_id": "o2", "has_more": true});
    page(&s, get("/orders").and(query_param_is_missing("after")), first).await;
    // No `last_id`: the last item's id is the cursor.
    let second = json!({"object": "list", "data": [{"id": "o3"}], "last_id": null, "has_more": true});
    page(&s, get("/orders").and(query_param("after", "o2")), second).await;
    let third = json!({"object": "list", "data": [{"id": "o4"}], "has_more": false});
    page(&s, get("/orders").and(query_param("after", "o3")), third).await;
    // Never asked for: `has_more` was false.
    page(&s, get("/orders").and(query_param("after", "o4")), json!({"data": [{"id": "o5"}], "has_more": false})).await;

    let c = client(&s);
    let orders = c.orders();
    let ids: Vec<String> =
        orders.list_stream(OrdersListParams::default().limit(2)).map(|o| o.unwrap().id).collect().await;
    assert_eq!(ids, ["o1", "o2", "o3", "o4"]);
    let sent: Vec<_> = requests(&s).await.iter().map(query).collect();
    assert_eq!(
        sent,
        [
            pairs(&[("limit", "2")]),
            pairs(&[("after", "o2"), ("limit", "2")]),
            pairs(&[("after", "o3"), ("limit", "2")])
        ]
    );
}

#[tokio::test]
async fn a_cursor_nested_in_the_response_is_followed_until_it_is_empty() {
    let s = MockServer::start().await;
    let first = json!({"ok": true, "reviews": [{"id": "r1", "stars": 5}], "response_metadata": {"next_cursor": "c2"}});
    page(&s, get("/reviews").and(query_param_is_missing("cursor")), first).await;
    let last = json!({"ok": true, "reviews": [{"id": "r2", "stars": 3}], "response_metadata": {"next_cursor": ""}});
    page(&s, get("/reviews").and(query_param("cursor", "c2")), last).await;

    let ids: Vec<String> =
        client(&s).reviews().list_stream(ReviewsListParams::default()).map(|r| r.unwrap().id).collect().await;
    assert_eq!(ids, ["r1", "r2"]);
    assert_eq!(requests(&s).await.len(), 2);
}

#[tokio::test]
async fn a_cursor_given_back_unchanged_ends_the_stream_instead_of_looping() {
    let s = MockServer::start().await;
    let stuck = json!({"ok": true, "reviews": [{"id": "r1", "stars": 5}], "response_metadata": {"next_cursor": "c1"}});
    page(&s, get("/reviews"), stuck).await;
    let items: Vec<_> = client(&s).reviews().list_stream(ReviewsListParams::default()).collect().await;
    assert_eq!(items.len(), 2, "the first page and the one its cursor named");
    assert_eq!(requests(&s).await.len(), 2);
}

#[tokio::test]
async fn next_urls_are_followed_relative_or_absolute_with_credentials_and_their_own_query() {
    let s = MockServer::start().await;
    let first = json!({"count": 3, "next": "/v1/customers?page=2&page_size=1", "results": [{"id": 1}]});
    page(&s, get("/customers").and(query_param_is_missing("page")), first).await;
    let absolute = format!("{}/v1/customers?page=3&page_size=1", s.uri());
    let second = json!({"count": 3, "next": absolute, "results": [{"id": 2}]});
    page(&s, get("/customers").and(query_param("page", "2")), second).await;
    let third = json!({"count": 3, "next": null, "results": [{"id": 3}]});
    page(&s, get("/customers").and(query_param("page", "3")), third).await;

    let c = client(&s);
    let customers = c.customers();
    let ids: Vec<i64> =
        customers.list_stream(CustomersListParams::default().page_size(1)).map(|c| c.unwrap().id).collect().await;
    assert_eq!(ids, [1, 2, 3]);
    let sent = requests(&s).await;
    let queries: Vec<_> = sent.iter().map(query).collect();
    assert_eq!(queries[1], pairs(&[("page", "2"), ("page_size", "1")]), "the URL's own query, not the params again");
    for req in &sent {
        assert_eq!(req.headers["authorization"], "Bearer t0k3n");
    }
}

#[tokio::test]
async fn a_next_url_on_another_origin_is_refused_and_nothing_is_sent_there() {
    let s = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let next = format!("{}/v1/customers?page=2", elsewhere.uri());
    page(&s, get("/customers"), json!({"next": next, "results": [{"id": 1}]})).await;
    page(&elsewhere, get("/customers"), json!({"next": null, "results": [{"id": 2}]})).await;

    let items: Vec<_> = client(&s).customers().list_stream(CustomersListParams::default()).collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().id, 1);
    let err = items[1].as_ref().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(m) if m.contains("not on the API's")), "{err}");
    assert!(requests(&elsewhere).await.is_empty(), "the token never goes to another origin");
}

#[tokio::test]
async fn offsets_advance_by_what_came_and_stop_at_the_total() {
    let s = MockServer::start().await;
    // The server caps pages at 2 items, whatever the limit asked.
    for (offset, ids) in [("0", vec![1, 2]), ("2", vec![3, 4]), ("4", vec![5])] {
        let entries: Vec<Value> = ids.iter().map(|id| json!({"id": id, "action": "login"})).collect();
        page(&s, get("/audit").and(query_param("offset", offset)), json!({"entries": entries, "meta": {"total": 5}}))
            .await;
    }
    page(&s, get("/audit").and(query_param("offset", "5")), json!({"entries": [], "meta": {"total": 5}})).await;

    let c = client(&s);
    let audit = c.audit();
    let params = AuditListParams::default().offset(0).limit(10);
    let ids: Vec<i64> = audit.list_stream(params).map(|e| e.unwrap().id).collect().await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(requests(&s).await.len(), 3, "the total says the third page is the last");
}

#[tokio::test]
async fn the_link_header_names_the_next_page_until_it_does_not() {
    let s = MockServer::start().await;
    let uri = s.uri();
    let link =
        format!(r#"<{uri}/v1/tags?page=2&per_page=2>; rel="next", <{uri}/v1/tags?page=3&per_page=2>; rel="last""#);
    let first = ResponseTemplate::new(200).set_body_json(json!(["a", "b"])).insert_header("link", link.as_str());
    get("/tags").and(query_param_is_missing("page")).respond_with(first).mount(&s).await;
    let prev = format!(r#"<{uri}/v1/tags?page=1&per_page=2>; rel="prev first""#);
    let last = ResponseTemplate::new(200).set_body_json(json!(["c"])).insert_header("link", prev.as_str());
    get("/tags").and(query_param("page", "2")).respond_with(last).mount(&s).await;

    let tags: Vec<String> =
        client(&s).tags().list_stream(TagsListParams::default().per_page(2)).map(Result::unwrap).collect().await;
    assert_eq!(tags, ["a", "b", "c"]);
    assert_eq!(requests(&s).await.len(), 2);
}

#[tokio::test]
async fn the_overrides_file_explains_a_cursor_the_spec_does_not() {
    let s = MockServer::start().await;
    page(
        &s,
        get("/shipments").and(query_param_is_missing("from")),
        json!({"shipments": [{"id": "s1"}], "continue_from": "k2"}),
    )
    .await;
    page(&s, get("/shipments").and(query_param("from", "k2")), json!({"shipments": [{"id": "s2"}]})).await;

    let ids: Vec<String> =
        client(&s).shipments().list_stream(ShipmentsListParams::default()).map(|x| x.unwrap().id).collect().await;
    assert_eq!(ids, ["s1", "s2"]);
}

#[tokio::test]
async fn a_list_without_parameters_pages_by_its_next_links() {
    let s = MockServer::start().await;
    let next = json!({"warehouses": ["w1"], "links": {"next": "warehouses?after=w1"}});
    page(&s, get("/warehouses").and(query_param_is_missing("after")), next).await;
    page(&s, get("/warehouses").and(query_param("after", "w1")), json!({"warehouses": ["w2"], "links": {}})).await;

    let all: Vec<String> = client(&s).warehouses().list_stream().map(Result::unwrap).collect().await;
    assert_eq!(all, ["w1", "w2"]);
    // `warehouses?after=w1` is relative to the operation's own URL.
    assert_eq!(requests(&s).await[1].url.path(), "/v1/warehouses");
}

#[tokio::test]
async fn a_number_the_response_gives_back_is_a_cursor_when_the_overrides_say_so() {
    let s = MockServer::start().await;
    let first = json!({"events": ["e3", "e2"], "pagination": {"count": 2, "next": 1700}});
    page(&s, get("/events").and(query_param_is_missing("until")), first).await;
    let last = json!({"events": ["e1"], "pagination": {"count": 1, "next": null}});
    page(&s, get("/events").and(query_param("until", "1700")), last).await;

    let events: Vec<String> =
        client(&s).events().list_stream(EventsListParams::default().limit(2)).map(Result::unwrap).collect().await;
    assert_eq!(events, ["e3", "e2", "e1"]);
    assert_eq!(requests(&s).await.len(), 2);
}
