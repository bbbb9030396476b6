//! SDKs generated from an OpenAPI 3.1 spec (`openapi/notes-3.1.yaml`) and a
//! Swagger 2.0 one (`openapi/store-swagger2.yaml`): what each version writes
//! its own way reaches the wire and the types as it would from 3.0.

use notes_3_1::notes::{NotesListParams, NotesNewParams};
use notes_3_1::types::{Note, NoteKind, NoteSize};
use notes_3_1::webhooks::Webhook;
use serde_json::{json, Value};
use store_swagger2::feedback::FeedbackNewParams;
use store_swagger2::orders::{OrdersListParams, OrdersNewParams, OrdersReceiptParams};
use store_swagger2::types::OrderStatus;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn query(req: &Request) -> Vec<(String, String)> {
    req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

#[test]
fn a_31_webhook_body_decodes_by_name_and_unknown_names_survive() {
    let body = json!({"id": "n1", "title": "Groceries", "kind": "note", "size": "unknown", "body": null});
    let Webhook::NoteShared(note) = Webhook::decode("noteShared", body.to_string().as_bytes()).unwrap() else {
        panic!("noteShared decodes as a Note")
    };
    assert_eq!(
        (note.kind, note.size, note.body),
        (NoteKind::Note, Some(NoteSize::String("unknown".into())), Some(None))
    );
    let deleted = Webhook::decode("noteDeleted", br#"{"id": "n2", "at": "2024-05-01T09:00:00Z"}"#).unwrap();
    assert_eq!(deleted.name(), "noteDeleted");
    let other = Webhook::decode("noteArchived", br#"{"id": "n3"}"#).unwrap();
    assert_eq!(other, Webhook::Unknown { name: "noteArchived".into(), payload: json!({"id": "n3"}) });
    assert!(Webhook::decode("noteShared", br#"{"title": "no id"}"#).is_err());
}

#[tokio::test]
async fn a_31_client_sends_nullable_and_bounded_values_and_reads_type_lists() {
    let note =
        json!({"id": "n1", "title": "T", "kind": "note", "size": 12, "reviewer": null, "labels": {"home": "yes"}});
    let server = server_answering(ResponseTemplate::new(201).set_body_json(&note)).await;
    let client = notes_3_1::Client::builder().base_url(server.uri()).token("t0k3n").max_retries(0).build().unwrap();
    let mut params = NotesNewParams::new("T");
    params.body = Some(None); // an explicit `null`: the field, not a setter
    let created: Note = client.notes().new(params).await.unwrap();
    assert_eq!(created.size, Some(NoteSize::Integer(12)));
    assert_eq!(created.reviewer, Some(None), "anyOf [Person, null] is an optional Person");
    assert_eq!(created.labels.unwrap()["home"], "yes");
    let req = only_request(&server).await;
    assert_eq!(req.headers.get("authorization").unwrap(), "Bearer t0k3n");
    assert_eq!(serde_json::from_slice::<Value>(&req.body).unwrap(), json!({"title": "T", "body": null}));

    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let client = notes_3_1::Client::builder().base_url(server.uri()).token("t").build().unwrap();
    client.notes().list(NotesListParams::default().tag("home").limit(5)).await.unwrap();
    assert_eq!(query(&only_request(&server).await), [("tag".into(), "home".into()), ("limit".into(), "5".into())]);
}

#[tokio::test]
async fn a_swagger2_client_has_its_base_url_collection_formats_and_form_bodies() {
    let client = store_swagger2::Client::builder().api_key("k").build().unwrap();
    assert_eq!(client.base_url(), "https://store.example.com/v2", "host, basePath and https of schemes");

    let server = server_answering(
        ResponseTemplate::new(200).set_body_json(json!([{"id": 1, "status": "placed", "note": null}])),
    )
    .await;
    let client = store_swagger2::Client::builder().base_url(server.uri()).api_key("k").max_retries(0).build().unwrap();
    let params = OrdersListParams::default()
        .status(vec![OrderStatus::Placed, OrderStatus::Shipped])
        .tag(vec!["a".into(), "b".into()]);
    let orders = client.orders().list(params).await.unwrap();
    assert_eq!(orders[0].note, Some(None), "x-nullable: an explicit null");
    let req = only_request(&server).await;
    assert_eq!(req.headers.get("x-api-key").unwrap(), "k");
    let expected =
        [("status", "placed,shipped"), ("tag", "a"), ("tag", "b")].map(|(k, v)| (k.to_string(), v.to_string()));
    assert_eq!(query(&req), expected, "csv is one comma-separated value, multi repeats the key");

    let server = server_answering(ResponseTemplate::new(201).set_body_json(json!({"id": 2, "status": "placed"}))).await;
    let client = store_swagger2::Client::builder().base_url(server.uri()).api_key("k").build().unwrap();
    client.orders().new(OrdersNewParams::new("tea").quantity(3)).await.unwrap();
    let body: Value = serde_json::from_slice(&only_request(&server).await.body).unwrap();
    assert_eq!(body, json!({"item": "tea", "quantity": 3}), "a body parameter is the JSON body");

    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = store_swagger2::Client::builder().base_url(server.uri()).api_key("k").build().unwrap();
    let feedback = FeedbackNewParams::default()
        .rating(5)
        .comment("fine & fast")
        .topics(vec!["speed".to_string(), "tea".to_string()]);
    client.feedback().new(feedback).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    assert_eq!(String::from_utf8(req.body).unwrap(), "rating=5&comment=fine+%26+fast&topics=speed&topics=tea");

    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = store_swagger2::Client::builder().base_url(server.uri()).api_key("k").build().unwrap();
    let receipt = OrdersReceiptParams::default().file(b"%PDF".to_vec()).note("paid");
    client.orders().receipt(7, receipt).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/orders/7/receipt");
    let content_type = req.headers.get("content-type").unwrap().to_str().unwrap().to_string();
    let parts = sdkgen_tests::multipart_parts(&content_type, &req.body);
    let names: Vec<&str> = parts.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(names, ["file", "note"], "a file formData parameter is a multipart body");
}

#[tokio::test]
async fn a_swagger2_error_response_by_ref_is_typed() {
    let server =
        server_answering(ResponseTemplate::new(404).set_body_json(json!({"message": "no order 9", "code": 9}))).await;
    let client = store_swagger2::Client::builder().base_url(server.uri()).api_key("k").build().unwrap();
    let err = client.orders().get(9).await.unwrap_err();
    let body: store_swagger2::types::Error = err.api().unwrap().json().unwrap();
    assert_eq!((body.message.as_str(), body.code), ("no order 9", Some(9)));
    assert_eq!(err.to_string(), "HTTP 404 Not Found: no order 9");
}
