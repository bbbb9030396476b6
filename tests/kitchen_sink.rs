//! Behaviour of a generated client for a spec unlike Cloudflare's
//! (`openapi/kitchen-sink.yaml`): query, header and integer path parameters,
//! enums, explicit nulls, bytes in and out, plain JSON responses, basic and
//! query-key auth. Everything goes through the generated public API.

use kitchen_sink::pets::{PetsEditParams, PetsListParams, PetsNewParams, PhotoGetParams, PhotoUpdateParams};
use kitchen_sink::tags::TagsUpdateParams;
use kitchen_sink::types::PetKind;
use kitchen_sink::{Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

fn basic_client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).basic_auth("ann:s3cret").max_retries(0).build().unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn query_pairs(req: &Request) -> Vec<(String, String)> {
    req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

#[tokio::test]
async fn list_sends_query_and_header_params_and_decodes_leniently() {
    let pets = json!([
        {"id": 1, "name": "Rex", "nickname": null, "kind": "dog", "born": "2020-05-01T10:00:00Z"},
        {"id": 2, "name": "Nessie", "kind": "dragon", "wings": 2}
    ]);
    let server = server_answering(ResponseTemplate::new(200).set_body_json(pets)).await;
    let params = PetsListParams::new("shop 1")
        .kind(PetKind::SeaLion)
        .tags(vec!["a b".into(), "c".into()])
        .limit(5)
        .born_after("2021-01-02T03:04:05Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap())
        .x_request_id("req-1");
    let pets = basic_client(&server).pets().list(params).await.unwrap();

    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), "/shops/shop%201/pets");
    assert_eq!(
        query_pairs(&req),
        [
            ("kind", "sea-lion"),
            ("tags", "a b"),
            ("tags", "c"),
            ("limit", "5"),
            ("born_after", "2021-01-02T03:04:05+00:00"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    assert_eq!(req.headers.get("x-request-id").unwrap(), "req-1");
    assert_eq!(req.headers.get("authorization").unwrap(), "Basic YW5uOnMzY3JldA==");

    assert_eq!(pets.len(), 2);
    assert_eq!(pets[0].nickname, Some(None), "an explicit null is told apart from absence");
    assert_eq!(pets[0].kind, Some(PetKind::Dog));
    assert_eq!(pets[0].born.unwrap().to_rfc3339(), "2020-05-01T10:00:00+00:00");
    assert_eq!(pets[1].nickname, None);
    assert_eq!(pets[1].kind, Some(PetKind::Unknown("dragon".into())), "unknown enum values decode");
    assert_eq!(pets[1].extra.get("wings"), Some(&json!(2)), "unknown fields are kept");
}

#[tokio::test]
async fn unset_query_params_are_not_sent() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    basic_client(&server).pets().list(PetsListParams::new("s")).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.url.query(), None);
    assert!(req.headers.get("x-request-id").is_none());
}

#[tokio::test]
async fn edit_sends_explicit_null_and_leaves_out_unset_fields() {
    let pet = json!({"id": 7, "name": "Rex"});
    let server = server_answering(ResponseTemplate::new(200).set_body_json(pet)).await;
    let mut params = PetsEditParams::new("s");
    params.nickname = Some(None); // an explicit `null`: the field, not a setter
    let pet = basic_client(&server).pets().edit(7, params).await.unwrap();
    assert_eq!((pet.id, pet.name.as_str()), (7, "Rex"));

    let req = only_request(&server).await;
    assert_eq!((req.method.as_str(), req.url.path()), ("PATCH", "/shops/s/pets/7"));
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body, json!({"nickname": null}));

    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Rex"}))).await;
    let params = PetsEditParams::new("s").nickname("R").kind(PetKind::Cat);
    basic_client(&server).pets().edit(7, params).await.unwrap();
    let body: Value = serde_json::from_slice(&only_request(&server).await.body).unwrap();
    assert_eq!(body, json!({"nickname": "R", "kind": "cat"}));
}

#[tokio::test]
async fn create_sends_required_fields_keyword_fields_and_extras() {
    let server = server_answering(ResponseTemplate::new(201).set_body_json(json!({"id": 9, "name": "Tom"}))).await;
    let mut params = PetsNewParams::new("s", "Tom", PetKind::Cat).r#type("tabby");
    params.extra.insert("microchip".into(), json!("abc"));
    let pet = basic_client(&server).pets().new(params).await.unwrap();
    assert_eq!(pet.id, 9);
    let req = only_request(&server).await;
    assert_eq!(req.method.as_str(), "POST");
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body, json!({"name": "Tom", "kind": "cat", "type": "tabby", "microchip": "abc"}));
}

#[tokio::test]
async fn bytes_go_out_and_come_back_raw() {
    let png = vec![0x89, b'P', b'N', b'G', 0, 255];
    let server = server_answering(ResponseTemplate::new(204)).await;
    let params = PhotoUpdateParams::new("s").body(png.clone());
    basic_client(&server).pets().photo().update(3, params).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!((req.method.as_str(), req.url.path()), ("PUT", "/shops/s/pets/3/photo"));
    assert_eq!(req.headers.get("content-type").unwrap(), "image/png");
    assert_eq!(req.body, png);

    let server = server_answering(ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png")).await;
    let got = basic_client(&server).pets().photo().get(3, PhotoGetParams::new("s")).await.unwrap();
    assert_eq!(got, png);
}

#[tokio::test]
async fn json_array_bodies_map_responses_and_query_key_auth() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({"a": 1, "b": 2}))).await;
    let client = Client::builder().base_url(server.uri()).query_key("k&1").build().unwrap();
    let counts =
        client.tags().update(TagsUpdateParams::default().body(vec!["a".to_string(), "b".to_string()])).await.unwrap();
    assert_eq!(counts.get("b"), Some(&2));
    let req = only_request(&server).await;
    assert_eq!(query_pairs(&req), [("key".to_string(), "k&1".to_string())]);
    assert!(req.headers.get("authorization").is_none());
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body, json!(["a", "b"]));
}

#[tokio::test]
async fn delete_returns_unit_and_spec_without_servers_needs_a_base_url() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    basic_client(&server).pets().delete(1, kitchen_sink::pets::PetsDeleteParams::new("s")).await.unwrap();
    assert_eq!(only_request(&server).await.method.as_str(), "DELETE");

    let err = Client::builder().basic_auth("a:b").build().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

/// The parts of a `multipart/form-data` body: (name, headers, content).
fn form_parts(req: &Request) -> Vec<(String, String, Vec<u8>)> {
    sdkgen_tests::multipart_parts(req.headers.get("content-type").unwrap().to_str().unwrap(), &req.body)
}

#[tokio::test]
async fn multipart_upload_by_file_sends_file_text_and_json_parts() {
    use kitchen_sink::pets::DocumentsNewParams;
    let server = server_answering(ResponseTemplate::new(204)).await;
    let params = DocumentsNewParams::new("s")
        .file(vec![0, 1, 2, 255, b'\r', b'\n'])
        .metadata(json!({"owner": "ann"}))
        .private(true);
    basic_client(&server).pets().documents().new(4, params).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!((req.method.as_str(), req.url.path()), ("POST", "/shops/s/pets/4/documents"));
    let parts = form_parts(&req);
    let names: Vec<&str> = parts.iter().map(|(n, ..)| n.as_str()).collect();
    assert_eq!(names, ["file", "metadata", "private"], "unset fields are not sent");
    assert!(
        parts[0].1.contains("filename=\"file\"") && parts[0].1.contains("application/octet-stream"),
        "{}",
        parts[0].1
    );
    assert_eq!(parts[0].2, [0, 1, 2, 255, b'\r', b'\n'], "bytes arrive intact");
    assert!(parts[1].1.contains("Content-Type: application/json"));
    assert_eq!(serde_json::from_slice::<Value>(&parts[1].2).unwrap(), json!({"owner": "ann"}));
    assert_eq!(parts[2].2, b"true");
}

#[tokio::test]
async fn a_file_uploads_with_its_name_and_type_and_is_read_again_by_a_retry() {
    use kitchen_sink::pets::DocumentsNewParams;
    use kitchen_sink::runtime::Upload;
    let dir = std::env::temp_dir().join(format!("sdkgen-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cat.png");
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("ann:s3cret")
        .retry_delays(std::time::Duration::from_millis(1), std::time::Duration::from_millis(2))
        .build()
        .unwrap();

    let upload = Upload::file(&path).content_type("image/png");
    client.pets().documents().new(4, DocumentsNewParams::new("s").file(upload).private(true)).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2, "a 503 is retried");
    for req in &sent {
        let parts = form_parts(req);
        assert!(parts[0].1.contains("filename=\"cat.png\"") && parts[0].1.contains("image/png"), "{}", parts[0].1);
        assert_eq!(parts[0].2, content, "the whole file, on each attempt");
        assert_eq!(parts[1].2, b"true");
        let length: usize = req.headers.get("content-length").unwrap().to_str().unwrap().parse().unwrap();
        assert_eq!(length, req.body.len(), "the length is known and sent");
    }

    // A file that is not there fails the call before anything is sent.
    let missing = DocumentsNewParams::new("s").file(Upload::file(dir.join("missing.png")));
    let err = client.pets().documents().new(4, missing).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("missing.png")), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_streamed_body_is_sent_once_and_never_retried() {
    use kitchen_sink::runtime::{Bytes, Upload};
    let server = server_answering(ResponseTemplate::new(503)).await;
    let client = Client::builder().base_url(server.uri()).basic_auth("ann:s3cret").max_retries(3).build().unwrap();
    let chunks = ["chunk one, ", "chunk two"].map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c.as_bytes())));
    let upload = Upload::stream(futures_util::stream::iter(chunks), None).content_type("image/x-raw");
    let err = client.pets().photo().update(3, PhotoUpdateParams::new("s").body(upload)).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    let req = only_request(&server).await;
    assert_eq!(req.body, b"chunk one, chunk two");
    assert_eq!(req.headers.get("content-type").unwrap(), "image/x-raw", "the upload's own type");
}

#[tokio::test]
async fn a_reader_uploads_what_it_reads_with_its_length() {
    use kitchen_sink::runtime::Upload;
    let server = server_answering(ResponseTemplate::new(204)).await;
    let content: Vec<u8> = (0..150_000u32).map(|i| (i % 253) as u8).collect();
    let reader = std::io::Cursor::new(content.clone());
    let upload = Upload::reader(reader, Some(content.len() as u64));
    basic_client(&server).pets().photo().update(3, PhotoUpdateParams::new("s").body(upload)).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.body, content);
    assert_eq!(req.headers.get("content-length").unwrap().to_str().unwrap(), content.len().to_string());
}

#[tokio::test]
async fn multipart_upload_by_url_sends_text_parts() {
    use kitchen_sink::pets::DocumentsNewParams;
    let server = server_answering(ResponseTemplate::new(204)).await;
    let params = DocumentsNewParams::new("s")
        .url("https://example.com/a.pdf")
        .expiry("2030-01-01T00:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
    basic_client(&server).pets().documents().new(4, params).await.unwrap();
    let parts = form_parts(&only_request(&server).await);
    let fields: Vec<(&str, String)> =
        parts.iter().map(|(n, _, c)| (n.as_str(), String::from_utf8_lossy(c).into_owned())).collect();
    assert_eq!(
        fields,
        [("url", "https://example.com/a.pdf".to_string()), ("expiry", "2030-01-01T00:00:00+00:00".to_string())]
    );
}

#[tokio::test]
async fn schemaless_required_json_body_defaults_to_an_empty_object() {
    use kitchen_sink::pets::DocumentsDeleteParams;
    let server = server_answering(ResponseTemplate::new(204)).await;
    let params = DocumentsDeleteParams::new("s").pet_id(4);
    basic_client(&server).pets().documents().delete("d1", params).await.unwrap();
    let last = only_request(&server).await;
    assert_eq!((last.method.as_str(), last.url.path()), ("DELETE", "/shops/s/pets/4/documents/d1"));
    assert_eq!(last.headers.get("content-type").unwrap(), "application/json");
    assert_eq!(serde_json::from_slice::<Value>(&last.body).unwrap(), json!({}));
}

#[tokio::test]
async fn unions_decode_each_shape_and_encode_back() {
    use kitchen_sink::types::{Person, PetOwner};
    let pets = json!([
        {"id": 1, "name": "Rex", "owner": {"name": "Ann", "email": "ann@example.com"}},
        {"id": 2, "name": "Tom", "owner": "Shop A"},
        {"id": 3, "name": "Bob", "owner": {"email": "no-name@example.com"}}
    ]);
    let server = server_answering(ResponseTemplate::new(200).set_body_json(pets)).await;
    let result = basic_client(&server).pets().list(PetsListParams::new("s")).await;
    // The third owner is neither a string nor a Person (no name): decoding says so, and where.
    let err = result.unwrap_err();
    let Error::Decode { message, .. } = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(message, "owner: data did not match any variant of untagged enum PetOwner");

    let pets = json!([
        {"id": 1, "name": "Rex", "owner": {"name": "Ann", "email": "ann@example.com"}},
        {"id": 2, "name": "Tom", "owner": "Shop A"}
    ]);
    let server = server_answering(ResponseTemplate::new(200).set_body_json(pets)).await;
    let pets = basic_client(&server).pets().list(PetsListParams::new("s")).await.unwrap();
    let Some(PetOwner::Person(Person { name, email, .. })) = &pets[0].owner else { panic!("{:?}", pets[0].owner) };
    assert_eq!((name.as_str(), email.as_deref()), ("Ann", Some("ann@example.com")));
    assert_eq!(pets[1].owner, Some(PetOwner::String("Shop A".into())));
    assert_eq!(serde_json::to_value(&pets[1].owner).unwrap(), json!("Shop A"));
}

#[tokio::test]
async fn every_parameter_style_goes_on_the_wire_as_openapi_says() {
    use kitchen_sink::search::SearchGetParams;
    use kitchen_sink::types::{
        Point, SearchGetFilter as Filter, SearchGetFilterSize as FilterSize, SearchGetOptions as Options,
    };
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!(["a"]))).await;
    let params = SearchGetParams::new("s 1")
        .regions(vec!["eu west".into(), "us".into()])
        .filter(Filter::default().color("red").size(FilterSize::default().min(1).max(9)))
        .ids(vec![1, 2, 3])
        .fields(vec!["name".into(), "age".into()])
        .sort(vec!["-age".into(), "name".into()])
        .options(Options::default().debug(true).page(2))
        .x_trace(vec!["t1".into(), "t2".into()])
        .prefs([("theme".to_string(), "dark; bold".to_string())]);
    let point = Point::new(1.5, -2.0);
    let names = basic_client(&server).search().get(point, params).await.unwrap();
    assert_eq!(names, ["a"]);

    let req = only_request(&server).await;
    // label (not exploded) and matrix (exploded object), each value encoded.
    assert_eq!(req.url.path(), "/search/.eu%20west,us/;lat=1.5;lon=-2.0");
    assert_eq!(
        query_pairs(&req),
        [
            ("filter[color]", "red"),
            ("filter[size][min]", "1"),
            ("filter[size][max]", "9"),
            ("ids", "1,2,3"),
            ("fields", "name age"),
            ("sort", "-age|name"),
            ("debug", "true"),
            ("page", "2"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    assert_eq!(req.headers.get("x-trace").unwrap(), "t1,t2");
    // Cookie values are percent-encoded, the comma too (RFC 6265 forbids it unencoded).
    assert_eq!(req.headers.get("cookie").unwrap(), "session=s%201; prefs=theme%2Cdark%3B%20bold");
}

#[tokio::test]
async fn an_empty_styled_path_parameter_is_refused_before_sending() {
    use kitchen_sink::search::SearchGetParams;
    use kitchen_sink::types::Point;
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let point = Point::new(0.0, 0.0);
    let err = basic_client(&server).search().get(point, SearchGetParams::new("s")).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("regions")), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn form_bodies_are_typed_fields_encoded_as_form_apis_expect() {
    use kitchen_sink::orders::OrdersNewParams;
    use kitchen_sink::types::OrdersNewLinesItem;
    let server = server_answering(ResponseTemplate::new(201).set_body_json(json!({"id": "o1"}))).await;
    let params = OrdersNewParams::new("s1", "tea & cake")
        .quantity(2)
        .tags(vec!["a".into(), "b c".into()])
        .codes(vec!["x".into(), "y".into()])
        .metadata([("note".to_string(), "ring twice".to_string())])
        .lines(vec![OrdersNewLinesItem::default().price(1.5).qty(3)]);
    let order = basic_client(&server).orders().new(params).await.unwrap();
    assert_eq!(order.id.as_deref(), Some("o1"));

    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/shops/s1/orders");
    assert_eq!(req.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    // Unset fields are left out; lists repeat (or join in their style); objects use brackets.
    assert_eq!(
        String::from_utf8(req.body).unwrap(),
        "item=tea+%26+cake&quantity=2&tags=a&tags=b+c&codes=x%7Cy&metadata%5Bnote%5D=ring+twice\
         &lines%5B0%5D%5Bprice%5D=1.5&lines%5B0%5D%5Bqty%5D=3"
    );
}

#[tokio::test]
async fn documented_error_bodies_decode_into_their_types_with_status_headers_and_request_id() {
    use kitchen_sink::types::{PetsNewError4xx, Problem};
    let new_pet = || PetsNewParams::new("s", "Tom", PetKind::Cat);
    let problem = json!({"type": "about:blank", "title": "Name taken", "status": 409, "detail": "Tom exists"});
    let server = server_answering(
        ResponseTemplate::new(409)
            .insert_header("x-request-id", "req-42")
            .insert_header("x-ratelimit-remaining", "7")
            .insert_header("set-cookie", "session=s3cret")
            .set_body_raw(problem.to_string(), "application/problem+json"),
    )
    .await;
    let err = basic_client(&server).pets().new(new_pet()).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    let api = err.api().expect("an API error");
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    assert_eq!(api.header("x-ratelimit-remaining"), Some("7"));
    assert_eq!(serde_json::from_str::<Value>(&api.body).unwrap(), problem, "the whole body is kept");
    let body: Problem = api.json().unwrap();
    assert_eq!((body.title.as_str(), body.status, body.detail.as_deref()), ("Name taken", 409, Some("Tom exists")));
    // A message found in the body's usual places shows in `Display`; cookies never in `Debug`.
    assert_eq!(err.to_string(), "HTTP 409 Conflict: Tom exists");
    let debug = format!("{err:?}");
    assert!(debug.contains("req-42") && !debug.contains("s3cret"), "{debug}");

    // The `4XX` body of the same operation is an inline schema: a type of its own.
    let refused = json!({"error": {"type": "validation", "message": "kind is required", "fields": ["kind"]}});
    let server = server_answering(ResponseTemplate::new(422).set_body_json(&refused)).await;
    let err = basic_client(&server).pets().new(new_pet()).await.unwrap_err();
    let body: PetsNewError4xx = err.api().unwrap().json().unwrap();
    assert_eq!(body.error.message, "kind is required");
    assert_eq!(body.error.fields, Some(vec!["kind".to_string()]));
    assert_eq!(err.to_string(), "HTTP 422 Unprocessable Entity: kind is required");
    assert!(err.api().unwrap().json::<Problem>().is_err(), "a body of another shape does not decode");
}

#[tokio::test]
async fn reads_are_retried_on_a_server_error() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("ann:s3cret")
        .retry_delays(std::time::Duration::from_millis(1), std::time::Duration::from_millis(5))
        .build()
        .unwrap();
    client.pets().list(PetsListParams::new("s")).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "a GET is safe to repeat");
}

#[tokio::test]
async fn a_streamed_answer_is_a_stream_of_typed_events_and_asks_for_one() {
    use futures_util::StreamExt as _;
    let events = "data: {\"delta\": \"Feed \", \"index\": 0}\n\n: keep-alive\n\ndata: {\"delta\": \"twice a day.\", \"index\": 1}\n\ndata: [DONE]\n\n";
    let server = server_answering(ResponseTemplate::new(200).set_body_raw(events, "text/event-stream")).await;
    let client = basic_client(&server);
    let params = kitchen_sink::advice::AdviceNewParams::new("shop-1", "How often?");

    let mut stream = client.advice().new_stream(params).await.unwrap();
    let mut answer = String::new();
    while let Some(chunk) = stream.next().await {
        answer.push_str(&chunk.unwrap().delta);
    }

    assert_eq!(answer, "Feed twice a day.");
    let req = only_request(&server).await;
    assert_eq!(req.headers.get("accept").unwrap(), "text/event-stream");
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body, json!({"question": "How often?", "stream": true}), "the method asks for a stream");
}

#[tokio::test]
async fn per_call_options_and_response_metadata_through_the_generated_api() {
    let server = server_answering(
        ResponseTemplate::new(201).insert_header("x-request-id", "r-42").set_body_json(json!({"id": "o-1"})),
    )
    .await;
    let client = basic_client(&server);
    let params = kitchen_sink::orders::OrdersNewParams::new("shop-1", "kibble");

    let response = client
        .orders()
        .new(params)
        .timeout(std::time::Duration::from_secs(5))
        .idempotency_key("order-kibble-1")
        .header("X-Trace", "t-1")
        .with_response()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.request_id(), Some("r-42"));
    let req = only_request(&server).await;
    assert_eq!(req.headers.get("idempotency-key").unwrap(), "order-kibble-1");
    assert_eq!(req.headers.get("x-trace").unwrap(), "t-1");
}

#[tokio::test]
async fn secrets_of_the_spec_are_sent_and_never_shown_by_debug() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({"answer": "Twice."}))).await;
    let mut params = kitchen_sink::advice::AdviceNewParams::new("shop-1", "How often?").x_shop_pin("4321");
    params.session_token = Some("sess-s3cret".into());

    let shown = format!("{params:?}");
    assert!(!shown.contains("4321") && !shown.contains("sess-s3cret"), "{shown}");
    assert!(shown.contains("x_shop_pin: [redacted]") && shown.contains("question: \"How often?\""), "{shown}");
    basic_client(&server).advice().new(params).await.unwrap();

    let req = only_request(&server).await;
    assert_eq!(req.headers.get("x-shop-pin").unwrap(), "4321");
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body["session_token"], "sess-s3cret");
}

/// Takes `delay` before passing each attempt on, and keeps the `Debug` of the last request
/// it saw.
struct Slow {
    delay: std::time::Duration,
    seen: std::sync::Arc<std::sync::Mutex<String>>,
}

impl kitchen_sink::runtime::Middleware for Slow {
    fn handle<'a>(
        &'a self,
        request: kitchen_sink::runtime::reqwest::Request,
        next: kitchen_sink::runtime::Next<'a>,
    ) -> kitchen_sink::runtime::BoxFuture<'a, Result<kitchen_sink::runtime::reqwest::Response, Error>> {
        *self.seen.lock().unwrap() = format!("{request:?}");
        Box::pin(async move {
            tokio::time::sleep(self.delay).await;
            next.run(request).await
        })
    }
}

fn slow(delay: std::time::Duration) -> (Slow, std::sync::Arc<std::sync::Mutex<String>>) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    (Slow { delay, seen: seen.clone() }, seen)
}

#[tokio::test]
async fn the_call_timeout_covers_a_slow_middleware_for_every_kind_of_call() {
    use std::time::{Duration, Instant};
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let (middleware, _) = slow(Duration::from_millis(1500));
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("ann:s3cret")
        .max_retries(0)
        .middleware(middleware)
        .build()
        .unwrap();
    let timeout = Duration::from_millis(200);

    let started = Instant::now();
    let plain = client.pets().list(PetsListParams::new("s")).timeout(timeout).await;
    assert!(matches!(plain, Err(Error::Timeout)), "{plain:?}");
    assert!(started.elapsed() < Duration::from_millis(1000), "{:?}", started.elapsed());

    let started = Instant::now();
    let bytes = client.pets().photo().get(3, PhotoGetParams::new("s")).timeout(timeout).await;
    assert!(matches!(bytes, Err(Error::Timeout)), "{bytes:?}");
    assert!(started.elapsed() < Duration::from_millis(1000), "{:?}", started.elapsed());

    let started = Instant::now();
    let stream = client.pets().photo().get(3, PhotoGetParams::new("s")).stream().timeout(timeout).await;
    assert!(matches!(stream, Err(Error::Timeout)), "{stream:?}");
    assert!(started.elapsed() < Duration::from_millis(1000), "{:?}", started.elapsed());

    // Under the timeout, the middleware's time is the call's: it succeeds.
    let pets = client.pets().list(PetsListParams::new("s")).timeout(Duration::from_secs(5)).await.unwrap();
    assert!(pets.is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "only the last call reached the server");
}

#[tokio::test]
async fn no_debug_shows_a_secret_header_of_a_response_an_error_or_a_request() {
    let secret_headers = |template: ResponseTemplate| {
        template
            .insert_header("set-cookie", "session=c00kie-s3cret; HttpOnly")
            .insert_header("x-auth-token", "t0ken-s3cret")
            .insert_header("x-request-id", "r-7")
    };
    let server = server_answering(secret_headers(ResponseTemplate::new(200).set_body_json(json!([])))).await;
    let (middleware, seen) = slow(std::time::Duration::ZERO);
    let client =
        Client::builder().base_url(server.uri()).basic_auth("ann:s3cret").middleware(middleware).build().unwrap();

    let call = client.pets().list(PetsListParams::new("s")).header("X-Api-Key", "k3y-s3cret");
    let shown = format!("{call:?}");
    assert!(!shown.contains("k3y-s3cret") && shown.contains("X-Api-Key"), "{shown}");
    let response = call.with_response().await.unwrap();
    assert_eq!(response.header("set-cookie"), Some("session=c00kie-s3cret; HttpOnly"), "the value is there to read");
    let shown = format!("{response:?}");
    for secret in ["c00kie-s3cret", "t0ken-s3cret"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(
        shown.contains("(\"set-cookie\", \"[redacted]\")") && shown.contains("(\"x-request-id\", \"r-7\")"),
        "{shown}"
    );

    // The request a middleware sees: credentials and secret headers are marked sensitive.
    let shown = seen.lock().unwrap().clone();
    assert!(shown.contains("x-api-key"), "{shown}");
    for secret in ["YW5uOnMzY3JldA==", "k3y-s3cret"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let params = kitchen_sink::advice::AdviceNewParams::new("shop-1", "How often?").x_shop_pin("4321");
    let _ = client.advice().new(params).await;
    let shown = seen.lock().unwrap().clone();
    assert!(shown.contains("x-shop-pin") && !shown.contains("4321"), "a secret parameter's header: {shown}");

    let server = server_answering(secret_headers(ResponseTemplate::new(404).set_body_string("no"))).await;
    let client = basic_client(&server);
    let err = client.pets().list(PetsListParams::new("s")).await.unwrap_err();
    for shown in [format!("{err:?}"), format!("{:?}", err.api().unwrap()), err.to_string()] {
        for secret in ["c00kie-s3cret", "t0ken-s3cret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
    assert!(format!("{err:?}").contains("r-7"));
}

#[tokio::test]
async fn every_retry_setting_is_also_an_option_of_the_call() {
    use std::time::{Duration, Instant};
    let flaky = |first: ResponseTemplate| async move {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(first).up_to_n_times(1).mount(&server).await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
        server
    };
    let builder = |server: &MockServer| Client::builder().base_url(server.uri()).basic_auth("ann:s3cret");
    let list = || PetsListParams::new("s");

    // retry_delays: the client waits 10 s between attempts, this call 1 to 5 ms.
    let server = flaky(ResponseTemplate::new(500)).await;
    let client = builder(&server).retry_delays(Duration::from_secs(10), Duration::from_secs(10)).build().unwrap();
    let started = Instant::now();
    let response =
        client.pets().list(list()).retry_delays(Duration::from_millis(1), Duration::from_millis(5)).with_response();
    assert_eq!(response.await.unwrap().attempts(), 2);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());

    // max_retry_after: the client waits out no Retry-After, this call one of up to a second.
    let server = flaky(ResponseTemplate::new(429).insert_header("retry-after-ms", "200")).await;
    let client = builder(&server).max_retry_after(Duration::ZERO).build().unwrap();
    let response = client.pets().list(list()).max_retry_after(Duration::from_secs(1)).with_response();
    assert_eq!(response.await.unwrap().attempts(), 2);
    // ...and the other way round: the client would wait a second, this call not.
    let server = flaky(ResponseTemplate::new(429).insert_header("retry-after", "1")).await;
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    let err = client.pets().list(list()).max_retry_after(Duration::from_millis(100)).await.unwrap_err();
    assert_eq!(err.api().unwrap().retry_after, Some(Duration::from_secs(1)));
    assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // retry_writes: a POST answered 500 is repeated only when the call (or client) says so.
    let ordering = || async {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).mount(&server).await;
        let created = ResponseTemplate::new(201).set_body_json(json!({"id": "o-1"}));
        Mock::given(any()).respond_with(created).mount(&server).await;
        let client = builder(&server).retry_delays(Duration::from_millis(1), Duration::from_millis(5)).build();
        (server, client.unwrap())
    };
    let order = || kitchen_sink::orders::OrdersNewParams::new("shop-1", "kibble");
    let (server, client) = ordering().await;
    assert!(client.orders().new(order()).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let (_server, client) = ordering().await;
    assert_eq!(client.orders().new(order()).retry_writes(true).with_response().await.unwrap().attempts(), 2);
    // max_retries: none for this call.
    let (server, client) = ordering().await;
    assert!(client.orders().new(order()).retry_writes(true).max_retries(0).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn decode_errors_name_the_field() {
    // A required field absent, and a field of the wrong type one level down.
    for (pets, expected) in [
        (json!([{"id": 1}]), "missing field `name`"),
        (json!([{"id": 1, "name": "Rex", "owner": {"name": 7}}]), "owner: data did not match any variant"),
        (json!([{"id": "one", "name": "Rex"}]), "id: invalid type: string \"one\", expected i64"),
    ] {
        let server = server_answering(ResponseTemplate::new(200).set_body_json(pets)).await;
        let err = basic_client(&server).pets().list(PetsListParams::new("s")).await.unwrap_err();
        let Error::Decode { message, .. } = &err else { panic!("expected Error::Decode, got {err:?}") };
        assert!(message.starts_with(expected), "{message}");
    }
}
