//! Behaviour of the generated Cloudflare Images SDK (`generated/images`, all
//! 17 operations) against a loopback server: each operation's exact request
//! and decoded result, multipart uploads, the binary download, schema-less
//! DELETE bodies, and both auto-paginating streams.

use futures_util::StreamExt;
use images::images::*;
use images::types::{ImageVariantOptionsFit, ImagesV2ListSortOrder};
use images::Client;
use sdkgen_tests::{multipart_parts, variant_options};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACC: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const BASE: &str = "/accounts/023e105f4ecef8ad9ca31a8372d0c353/images";

fn envelope(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "errors": [], "messages": [], "result": result}))
}

async fn server(verb: &str, route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb)).and(path(route)).respond_with(response).expect(1).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).api_token("tok").max_retries(0).build().unwrap()
}

async fn only(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let req = requests.remove(0);
    assert_eq!(req.headers.get("authorization").unwrap(), "Bearer tok");
    req
}

fn json_body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap()
}

fn image(id: &str) -> Value {
    json!({"id": id, "filename": "logo.png", "requireSignedURLs": false, "uploaded": "2014-01-02T02:20:00.123Z", "variants": []})
}

/// The names and contents of a multipart body's parts.
fn form(req: &Request) -> Vec<(String, Vec<u8>)> {
    let content_type = req.headers.get("content-type").unwrap().to_str().unwrap();
    multipart_parts(content_type, &req.body).into_iter().map(|(name, _, content)| (name, content)).collect()
}

#[tokio::test]
async fn v1_list_one_page_with_query() {
    let s = server("GET", &format!("{BASE}/v1"), envelope(json!({"images": [image("a"), image("b")]}))).await;
    let params = V1ListParams::new(ACC).page(2).per_page(50);
    let page = client(&s).images().v1().list(params).await.unwrap();
    assert_eq!(page.images.unwrap().len(), 2);
    assert_eq!(only(&s).await.url.query(), Some("page=2&per_page=50"));
}

#[tokio::test]
async fn v1_list_stream_walks_pages_until_a_short_one() {
    let s = MockServer::start().await;
    let route = format!("{BASE}/v1");
    for (page, ids) in [("1", vec!["a", "b"]), ("2", vec!["c", "d"]), ("3", vec!["e"])] {
        let images: Vec<Value> = ids.iter().map(|i| image(i)).collect();
        Mock::given(method("GET"))
            .and(path(route.as_str()))
            .and(query_param("page", page))
            .respond_with(envelope(json!({"images": images})))
            .expect(1)
            .mount(&s)
            .await;
    }
    let c = client(&s);
    let params = V1ListParams::new(ACC).page(1).per_page(2);
    let ids: Vec<String> = c.images().v1().list_stream(params).map(|r| r.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn v1_list_stream_reads_capped_pages_and_stops_where_the_totals_say() {
    // Asked for 10 a page, the server sends 2 (its cap): short of what was asked is not the
    // end; page 3 of `total_pages: 3` is, and no page 4 is asked for.
    let s = MockServer::start().await;
    let route = format!("{BASE}/v1");
    for (page, ids) in [("1", vec!["a", "b"]), ("2", vec!["c", "d"]), ("3", vec!["e", "f"])] {
        let images: Vec<Value> = ids.iter().map(|i| image(i)).collect();
        let body = json!({"success": true, "errors": [], "messages": [], "result": {"images": images},
            "result_info": {"page": page.parse::<u32>().unwrap(), "per_page": 2, "total_pages": 3, "count": 2}});
        Mock::given(method("GET"))
            .and(path(route.as_str()))
            .and(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&s)
            .await;
    }
    let c = client(&s);
    let params = V1ListParams::new(ACC).page(1).per_page(10);
    let ids: Vec<String> = c.images().v1().list_stream(params).map(|r| r.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
}

#[tokio::test]
async fn v2_list_stream_follows_the_continuation_token() {
    let s = MockServer::start().await;
    let route = format!("{BASE}/v2");
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .and(query_param("continuation_token", "t1"))
        .respond_with(envelope(json!({"images": [image("c")], "continuation_token": null})))
        .expect(1)
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .respond_with(envelope(json!({"images": [image("a"), image("b")], "continuation_token": "t1"})))
        .expect(1)
        .mount(&s)
        .await;
    let c = client(&s);
    let params = V2ListParams::new(ACC).sort_order(ImagesV2ListSortOrder::Asc).per_page(10);
    let ids: Vec<String> = c.images().v2().list_stream(params).map(|r| r.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = s.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("per_page=10&sort_order=asc"));
    assert_eq!(requests[1].url.query(), Some("continuation_token=t1&per_page=10&sort_order=asc"));
}

#[tokio::test]
async fn a_stream_yields_the_error_and_ends() {
    let s = server("GET", &format!("{BASE}/v2"), ResponseTemplate::new(403).set_body_json(json!({"success": false, "errors": [{"code": 10000, "message": "Authentication error"}], "messages": [], "result": null}))).await;
    let items: Vec<_> = client(&s).images().v2().list_stream(V2ListParams::new(ACC)).collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap_err().api().unwrap().errors[0].code, 10000);
}

#[tokio::test]
async fn v1_new_uploads_a_file_as_multipart() {
    let s = server("POST", &format!("{BASE}/v1"), envelope(image("new"))).await;
    let params = V1NewParams::new(ACC)
        .file(b"\x89PNG\r\n".to_vec())
        .metadata(json!({"key": "value"}))
        .require_signed_urls(true)
        .creator("user-1");
    let img = client(&s).images().v1().new(params).await.unwrap();
    assert_eq!(img.id.as_deref(), Some("new"));
    let parts = form(&only(&s).await);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["file", "metadata", "requireSignedURLs", "creator"]);
    assert_eq!(parts[0].1, b"\x89PNG\r\n");
    assert_eq!(serde_json::from_slice::<Value>(&parts[1].1).unwrap(), json!({"key": "value"}));
    assert_eq!(parts[2].1, b"true");
}

#[tokio::test]
async fn v1_new_uploads_by_url() {
    let s = server("POST", &format!("{BASE}/v1"), envelope(image("u"))).await;
    let params = V1NewParams::new(ACC).url("https://example.com/logo.png");
    client(&s).images().v1().new(params).await.unwrap();
    let parts = form(&only(&s).await);
    assert_eq!(parts, [("url".to_string(), b"https://example.com/logo.png".to_vec())]);
}

#[tokio::test]
async fn v1_get_edit_delete_an_image() {
    let route = format!("{BASE}/v1/img");
    let s = server("GET", &route, envelope(image("img"))).await;
    let img = client(&s).images().v1().get("img", V1GetParams::new(ACC)).await.unwrap();
    assert_eq!(img.uploaded.unwrap().to_rfc3339(), "2014-01-02T02:20:00.123+00:00");
    only(&s).await;

    let s = server("PATCH", &route, envelope(image("img"))).await;
    let params = V1EditParams::new(ACC).require_signed_urls(false);
    client(&s).images().v1().edit("img", params).await.unwrap();
    assert_eq!(json_body(&only(&s).await), json!({"requireSignedURLs": false}));

    let s = server("DELETE", &route, envelope(json!({}))).await;
    client(&s).images().v1().delete("img", V1DeleteParams::new(ACC)).await.unwrap();
    let req = only(&s).await;
    assert_eq!(req.headers.get("content-type").unwrap(), "application/json");
    assert_eq!(json_body(&req), json!({}), "the required schema-less body is {{}}");
}

#[tokio::test]
async fn v1_blobs_get_returns_the_bytes() {
    let bytes = vec![0x89, b'P', b'N', b'G', 0, 1, 2];
    let s = server(
        "GET",
        &format!("{BASE}/v1/img/blob"),
        ResponseTemplate::new(200).set_body_raw(bytes.clone(), "image/png"),
    )
    .await;
    let got = client(&s).images().v1().blob().get("img", V1BlobGetParams::new(ACC)).await.unwrap();
    assert_eq!(got, bytes);
    assert_eq!(only(&s).await.headers.get("accept").unwrap(), "image/*", "asks for what the operation returns");
}

#[tokio::test]
async fn v1_keys_list_update_delete() {
    let keys = json!({"keys": [{"name": "default", "value": "Oix0bbNaT8Rge9PuyxUBrjI6zrgnsyJ5="}]});
    let s = server("GET", &format!("{BASE}/v1/keys"), envelope(keys.clone())).await;
    let got = client(&s).images().v1().keys().list(V1KeysListParams::new(ACC)).await.unwrap();
    assert_eq!(got.keys.unwrap()[0].name.as_deref(), Some("default"));
    only(&s).await;

    let s = server("PUT", &format!("{BASE}/v1/keys/someKey"), envelope(keys.clone())).await;
    client(&s).images().v1().keys().update("someKey", V1KeysUpdateParams::new(ACC)).await.unwrap();
    assert!(only(&s).await.body.is_empty(), "no body");

    let s = server("DELETE", &format!("{BASE}/v1/keys/someKey"), envelope(keys)).await;
    client(&s).images().v1().keys().delete("someKey", V1KeysDeleteParams::new(ACC)).await.unwrap();
    only(&s).await;
}

#[tokio::test]
async fn v1_stats_get() {
    let s =
        server("GET", &format!("{BASE}/v1/stats"), envelope(json!({"count": {"allowed": 100000, "current": 1000}})))
            .await;
    let stats = client(&s).images().v1().stats().get(V1StatsGetParams::new(ACC)).await.unwrap();
    assert_eq!(stats.count.unwrap().current, Some(1000.0));
    only(&s).await;
}

#[tokio::test]
async fn v1_variants_crud() {
    let variant = json!({"id": "hero", "neverRequireSignedURLs": true,
        "options": {"fit": "scale-down", "metadata": "none", "width": 1366, "height": 768}});
    let route = format!("{BASE}/v1/variants");

    let s = server("GET", &route, envelope(json!({"variants": {"hero": variant.clone()}}))).await;
    let list = client(&s).images().v1().variants().list(V1VariantsListParams::new(ACC)).await.unwrap();
    assert_eq!(list.variants.unwrap()["hero"].options.fit, ImageVariantOptionsFit::ScaleDown);
    only(&s).await;

    let s = server("POST", &route, envelope(json!({"variant": variant.clone()}))).await;
    let params = V1VariantsNewParams::new(ACC, "hero", variant_options()).never_require_signed_urls(true);
    let created = client(&s).images().v1().variants().new(params).await.unwrap();
    assert_eq!(created.variant.unwrap().id, "hero");
    let sent = json!({"id": "hero", "neverRequireSignedURLs": true,
        "options": {"fit": "scale-down", "metadata": "none", "width": 1366.0, "height": 768.0}});
    assert_eq!(json_body(&only(&s).await), sent);

    let one = format!("{route}/hero");
    let s = server("GET", &one, envelope(json!({"variant": variant.clone()}))).await;
    client(&s).images().v1().variants().get("hero", V1VariantsGetParams::new(ACC)).await.unwrap();
    only(&s).await;

    let s = server("PATCH", &one, envelope(json!({"variant": variant.clone()}))).await;
    let params = V1VariantsEditParams::new(ACC, variant_options().fit(ImageVariantOptionsFit::Cover));
    client(&s).images().v1().variants().edit("hero", params).await.unwrap();
    let body = json_body(&only(&s).await);
    assert_eq!(body, json!({"options": {"fit": "cover", "metadata": "none", "width": 1366.0, "height": 768.0}}));

    let s = server("DELETE", &one, envelope(json!({}))).await;
    client(&s).images().v1().variants().delete("hero", V1VariantsDeleteParams::new(ACC)).await.unwrap();
    assert_eq!(json_body(&only(&s).await), json!({}));
}

#[tokio::test]
async fn v2_direct_uploads_new() {
    let s = server(
        "POST",
        &format!("{BASE}/v2/direct_upload"),
        envelope(json!({"id": "e22e", "uploadURL": "https://upload.example/e22e"})),
    )
    .await;
    let params = V2DirectUploadsNewParams::new(ACC)
        .id("this/is/my-customid")
        .expiry("2030-01-02T02:20:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
    let upload = client(&s).images().v2().direct_uploads().new(params).await.unwrap();
    assert_eq!(upload.upload_url.as_deref(), Some("https://upload.example/e22e"));
    let parts = form(&only(&s).await);
    assert_eq!(
        parts,
        [
            ("id".to_string(), b"this/is/my-customid".to_vec()),
            ("expiry".to_string(), b"2030-01-02T02:20:00+00:00".to_vec())
        ]
    );
}
