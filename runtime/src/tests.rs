//! The runtime on its own: a client of a small API, against a local server.

use super::*;
use crate::runtime::auth::base64;
use crate::runtime::error::{api_error, retry_after};
use reqwest::header::HeaderValue;
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

static SPEC: ApiSpec = ApiSpec {
    default_base_url: "https://api.example.com/v1",
    user_agent: "runtime-tests/0",
    schemes: &[SecurityScheme { name: "token", kind: SchemeKind::Bearer, env: "" }],
};

fn client(server: &MockServer) -> Client {
    ClientBuilder::new(&SPEC)
        .base_url(server.uri())
        .credential("token", "t0ken")
        .retry_delays(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap()
}

fn get(path: &str) -> Request {
    Request::new(Method::GET, path.to_string()).security(&[&["token"]]).operation("getThing", "/things/{id}")
}

#[test]
fn path_params_are_one_encoded_segment_and_never_empty() {
    assert_eq!(path_param("id", "a/b c").unwrap(), "a%2Fb%20c");
    assert!(matches!(path_param("id", "plain"), Ok(Cow::Borrowed("plain"))));
    for bad in ["", ".", ".."] {
        assert!(matches!(path_param("id", bad), Err(Error::InvalidRequest(_))), "{bad:?}");
    }
}

#[test]
fn base64_matches_rfc_4648() {
    for (input, want) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
        assert_eq!(base64(input.as_bytes()), want);
    }
}

#[test]
fn an_error_body_gives_its_message_from_the_first_place_that_holds_text() {
    let message = |body: &str| match api_error(StatusCode::BAD_REQUEST, HeaderMap::new(), body.as_bytes()) {
        Error::Api(api) => api.message,
        other => panic!("{other:?}"),
    };
    // Each place of the vendor table, in its order.
    assert_eq!(message(r#"{"message": " m ", "error": "e"}"#).as_deref(), Some("m"));
    assert_eq!(message(r#"{"message": "", "error": "e"}"#).as_deref(), Some("e"));
    assert_eq!(message(r#"{"error": {"message": "nested"}}"#).as_deref(), Some("nested"));
    assert_eq!(message(r#"{"detail": "d", "title": "t"}"#).as_deref(), Some("d"));
    assert_eq!(message(r#"{"title": "t"}"#).as_deref(), Some("t"));
    assert_eq!(message(r#"{"error": "invalid_grant", "error_description": "x"}"#).as_deref(), Some("invalid_grant"));
    assert_eq!(message(r#"{"error": 3, "error_description": "expired"}"#).as_deref(), Some("expired"));
    assert_eq!(message(r#"{"errorMessages": ["first", "second"]}"#).as_deref(), Some("first"));
    // A number indexes a list only, a name an object only; an `errors` list is the message.
    assert_eq!(message(r#"{"errorMessages": {"0": "not a list"}}"#), None);
    assert_eq!(message(r#"[{"message": "in a list"}]"#), None);
    assert_eq!(message(r#"{"errors": [{"code": 7, "message": "listed"}], "message": "m"}"#), None);
}

#[test]
fn retry_after_reads_seconds_milliseconds_and_dates() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("7"));
    assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
    headers.insert("retry-after-ms", HeaderValue::from_static("250"));
    assert_eq!(retry_after(&headers), Some(Duration::from_millis(250)));
    let mut past = HeaderMap::new();
    past.insert("retry-after", HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert_eq!(retry_after(&past), Some(Duration::ZERO));
}

#[test]
fn link_next_reads_rfc_8288_links() {
    let links = |values: &[&'static str]| {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(reqwest::header::LINK, HeaderValue::from_static(v));
        }
        link_next(&headers)
    };
    let github = r#"<https://api.github.com/r?page=2>; rel="next", <https://api.github.com/r?page=9>; rel="last""#;
    assert_eq!(links(&[github]).as_deref(), Some("https://api.github.com/r?page=2"));
    // A comma in a quoted parameter or in the URL, a list of relations, unquoted, two headers.
    let tricky = r#"<https://x.test/a,b>; title="one, two"; rel=prev, <https://x.test/n?a=1,2>; rel="last next""#;
    assert_eq!(links(&[tricky]).as_deref(), Some("https://x.test/n?a=1,2"));
    assert_eq!(links(&["<https://x.test/p>; rel=prev", "</n>; REL=next"]).as_deref(), Some("/n"));
    assert_eq!(links(&[r#"<https://x.test/p>; rel="prev", <https://x.test/f>; rel="first""#]), None);
    assert_eq!(links(&["garbage"]), None);
    assert_eq!(links(&[]), None);
}

#[test]
fn offsets_advance_by_the_count_and_end_at_the_total() {
    assert_eq!(offset_next(0i32, 3), 3);
    assert_eq!(offset_next(10.0f64, 5), 15.0);
    assert!(offset_last(4i64, 1, Some(5i64)));
    assert!(offset_last(4i64, 2, Some(5.0f64)), "past the total is the end too");
    assert!(!offset_last(2i32, 2, Some(5i64)));
    assert!(!offset_last(2i32, 2, None::<i64>));
}

#[test]
fn secrets_never_print() {
    let secret = Secret::from("hunter2");
    assert_eq!(format!("{secret} {secret:?}"), "[redacted] [redacted]");
    let builder = ClientBuilder::new(&SPEC).credential("token", "hunter2");
    assert!(!format!("{builder:?}").contains("hunter2"));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains("hunter2"));
}

#[test]
fn secret_headers_are_credentials_cookies_and_names_that_say_so() {
    for name in [
        "Authorization",
        "proxy-authorization",
        "cookie",
        "Set-Cookie",
        "www-authenticate",
        "x-api-key",
        "X-Goog-Api-Key",
        "apikey",
        "x-auth-token",
        "X-Auth-Email",
        "x-amz-security-token",
        "x-csrf-token",
        "x-shop-pin",
        "x-session-id",
        "x-hub-signature",
        "ocp-apim-subscription-key",
        "x-client-secret",
        "x_access_token",
    ] {
        assert!(secret_header(name), "{name}");
    }
    for name in
        ["idempotency-key", "x-request-id", "content-type", "x-shipping-zone", "retry-after", "link", "authored-by"]
    {
        assert!(!secret_header(name), "{name}");
    }
}

static HEADER_SPEC: ApiSpec = ApiSpec {
    default_base_url: "https://api.example.com",
    user_agent: "runtime-tests/0",
    schemes: &[SecurityScheme { name: "partner", kind: SchemeKind::Header("X-Partner"), env: "" }],
};

#[tokio::test]
async fn debug_of_responses_errors_forms_and_requests_shows_no_secret() {
    let server = MockServer::start().await;
    let answer = |status: u16| {
        ResponseTemplate::new(status)
            .insert_header("set-cookie", "sid=c00kie-s3cret")
            .insert_header("x-partner", "partner-s3cret")
            .insert_header("x-api-key", "k3y-s3cret")
            .insert_header("x-request-id", "r-1")
            .set_body_string("{}")
    };
    Mock::given(path("/ok")).respond_with(answer(200)).mount(&server).await;
    Mock::given(path("/no")).respond_with(answer(403)).mount(&server).await;
    let client =
        ClientBuilder::new(&HEADER_SPEC).base_url(server.uri()).credential("partner", "p4rtner").build().unwrap();
    let request = |p: &str| Request::new(Method::GET, p.into()).security(&[&["partner"]]);
    let secrets = ["c00kie-s3cret", "partner-s3cret", "k3y-s3cret", "p4rtner", "f0rm-s3cret"];
    let shows_none = |shown: &str| {
        for secret in secrets {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    };

    let response = Call::<Value>::json(&client, || Ok(request("/ok"))).with_response().await.unwrap();
    let shown = format!("{response:?}");
    shows_none(&shown);
    assert!(shown.contains("(\"x-partner\", \"[redacted]\")"), "a scheme's header, whatever its name: {shown}");
    assert!(shown.contains("(\"x-request-id\", \"r-1\")"), "{shown}");

    let err = Call::<Value>::json(&client, || Ok(request("/no"))).await.unwrap_err();
    shows_none(&format!("{err:?} {err}"));
    assert!(format!("{err:?}").contains("r-1"));

    let form = || Form::new().field("client_secret", "f0rm-s3cret", Style::Form, true);
    let shown = format!("{:?} {:?}", form(), Request::new(Method::POST, "/token".into()).form(form()));
    shows_none(&shown);
    assert!(shown.contains("client_secret"), "{shown}");
    let call = Call::empty(&client, || Ok(request("/ok"))).header("Cookie", "sid=c00kie-s3cret");
    shows_none(&format!("{call:?}"));
}

#[tokio::test]
async fn a_call_decodes_its_value_and_keeps_the_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/1"))
        .and(header("authorization", "Bearer t0ken"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-1")
                .insert_header("x-ratelimit-remaining", "41")
                .set_body_json(serde_json::json!({"success": true, "result": {"n": 1}, "result_info": {"page": 2}})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let value: Value = Call::enveloped(&client, || Ok(get("/things/1"))).await.unwrap();
    assert_eq!(value, serde_json::json!({"n": 1}));
    let response = Call::<Value>::enveloped(&client, || Ok(get("/things/1"))).with_response().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.request_id(), Some("req-1"));
    assert_eq!(response.header("x-ratelimit-remaining"), Some("41"));
    assert_eq!(response.result_info(), Some(&serde_json::json!({"page": 2})));
    assert_eq!(response.attempts(), 1);
    assert_eq!(response.into_value(), serde_json::json!({"n": 1}));
}

#[tokio::test]
async fn an_error_building_the_request_is_the_calls_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let call = Call::<Value>::json(&client, || Ok(get(&format!("/things/{}", path_param("id", "")?))));
    assert!(matches!(call.await, Err(Error::InvalidRequest(_))));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn per_call_options_override_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/flaky")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/extra"))
        .and(header("x-trace", "abc"))
        .and(query_param("debug", "1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    // Timeout: the call's, not the client's 60 s; retried (a read) as configured, so 1 + 1 attempts.
    let slow = Call::empty(&client, || Ok(get("/slow"))).timeout(Duration::from_millis(50)).max_retries(1).await;
    assert!(matches!(slow, Err(Error::Timeout)), "{slow:?}");
    // Retries: none for this call, two (the client's default) otherwise.
    let once = Call::empty(&client, || Ok(get("/flaky"))).max_retries(0).await;
    assert_eq!(once.unwrap_err().status(), Some(500));
    let flaky = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/flaky").count();
    assert_eq!(flaky, 1);
    let _ = Call::empty(&client, || Ok(get("/flaky"))).await;
    let flaky = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/flaky").count();
    assert_eq!(flaky, 1 + 3);
    // Headers and query parameters of the call's own.
    let response =
        Call::empty(&client, || Ok(get("/extra"))).header("X-Trace", "abc").query("debug", 1).with_response();
    assert_eq!(response.await.unwrap().status(), StatusCode::NO_CONTENT);
    // An invalid header fails before sending.
    let bad = Call::empty(&client, || Ok(get("/extra"))).header("X Trace", "abc").await;
    assert!(matches!(bad, Err(Error::InvalidRequest(_))), "{bad:?}");
}

#[tokio::test]
async fn writes_are_retried_only_when_safe_or_keyed() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let client = client(&server);
    let post = |p: &str| Request::new(Method::POST, p.to_string()).security(&[&["token"]]);
    let count = |path: &'static str| {
        let server = &server;
        async move { server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == path).count() }
    };
    // A 502 may come after the write was done: not repeated.
    let _ = Call::empty(&client, || Ok(post("/plain"))).await;
    assert_eq!(count("/plain").await, 1);
    // With a key the server can tell a retry: repeated, with the same key each time.
    let _ = Call::empty(&client, || Ok(post("/keyed"))).idempotency_key("k-1").await;
    assert_eq!(count("/keyed").await, 3);
    let requests = server.received_requests().await.unwrap();
    let keys: Vec<_> =
        requests.iter().filter(|r| r.url.path() == "/keyed").map(|r| r.headers["idempotency-key"].clone()).collect();
    assert!(keys.iter().all(|k| k == "k-1"), "{keys:?}");
    // The caller may say this write is safe to repeat.
    let _ = Call::empty(&client, || Ok(post("/opted"))).retry_writes(true).await;
    assert_eq!(count("/opted").await, 3);
}

#[tokio::test]
async fn upload_bodies_are_shared_by_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client(&server);
    let body = Bytes::from(vec![7u8; 1 << 20]);
    let request = Request::new(Method::PUT, "/blob".into()).body_bytes("application/octet-stream", body.clone());
    let _ = Call::empty(&client, || Ok(request)).await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.body == body));
}

/// The events of `chunks`, each chunk as it would arrive.
async fn events_of(chunks: &[&str]) -> Vec<Result<Event, Error>> {
    use futures_util::StreamExt as _;
    let body = ByteStream::from_chunks(chunks.iter().map(|c| Ok(Bytes::copy_from_slice(c.as_bytes()))).collect());
    EventStream::<Value>::new(body).raw().collect().await
}

#[tokio::test]
async fn event_streams_read_the_format_whatever_the_chunks() {
    let text = ": comment\r\nevent: delta\r\ndata: {\"a\":\r\ndata: 1}\r\nid: 7\r\n\r\ndata: {\"b\": 2}\n\nretry: 10\ndata:3\n\n";
    let whole = events_of(&[text]).await;
    // The same bytes, cut everywhere (a CRLF split in two among them).
    let bytes: Vec<String> = text.chars().map(String::from).collect();
    let cut = events_of(&bytes.iter().map(String::as_str).collect::<Vec<_>>()).await;
    let whole: Vec<Event> = whole.into_iter().map(Result::unwrap).collect();
    let cut: Vec<Event> = cut.into_iter().map(Result::unwrap).collect();
    assert_eq!(whole, cut);
    assert_eq!(whole.len(), 3, "{whole:?}");
    assert_eq!(whole[0].event.as_deref(), Some("delta"));
    assert_eq!(whole[0].data, "{\"a\":\n1}");
    assert_eq!(whole[0].id.as_deref(), Some("7"));
    assert_eq!(whole[1].id.as_deref(), Some("7"), "the last id is kept");
    assert_eq!((whole[2].data.as_str(), whole[2].retry), ("3", Some(10)));
}

#[tokio::test]
async fn event_streams_end_at_done_and_drop_an_unfinished_event() {
    let events = events_of(&["data: 1\n\ndata: [DONE]\n\ndata: 2\n\n"]).await;
    assert_eq!(events.len(), 1);
    let events = events_of(&["data: 1\n\ndata: 2"]).await;
    assert_eq!(events.len(), 1, "no blank line after the last: not an event");
}

#[tokio::test]
async fn an_event_stream_call_decodes_each_events_data() {
    use futures_util::StreamExt as _;
    let server = MockServer::start().await;
    let body = "data: {\"n\": 1}\n\ndata: not json\n\ndata: {\"n\": 3}\n\ndata: [DONE]\n\n";
    Mock::given(method("POST"))
        .and(header("accept", "text/event-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let client = client(&server);
    #[derive(Deserialize, Debug)]
    struct Chunk {
        n: u32,
    }
    let request = Request::new(Method::POST, "/chat".into()).header("Accept", "text/event-stream");
    let response = Call::<EventStream<Chunk>>::events(&client, || Ok(request)).with_response().await.unwrap();
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    let items: Vec<Result<Chunk, Error>> = response.into_value().collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().n, 1);
    assert!(matches!(&items[1], Err(Error::Decode { snippet, .. }) if snippet == "not json"), "{:?}", items[1]);
    assert_eq!(items[2].as_ref().unwrap().n, 3);
}

#[tokio::test]
async fn a_download_streams_and_its_timeout_ends_at_the_response() {
    use futures_util::StreamExt as _;
    let server = MockServer::start().await;
    let blob: Vec<u8> = (0..3_000_000u32).map(|i| i as u8).collect();
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(blob.clone()))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut body = Call::bytes(&client, || Ok(Request::new(Method::GET, "/blob".into()))).stream().await.unwrap();
    let (mut chunks, mut all) = (0, Vec::new());
    while let Some(chunk) = body.next().await {
        all.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(all, blob);
    assert!(chunks > 1, "read as it arrives");
    // A stream that waits for its response longer than the call's timeout times out.
    Mock::given(path("/late"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let late = Call::bytes(&client, || Ok(Request::new(Method::GET, "/late".into())))
        .stream()
        .timeout(Duration::from_millis(30))
        .max_retries(0)
        .await;
    assert!(matches!(late, Err(Error::Timeout)), "{late:?}");
}

/// Pages of a numbered list from `pages` (page n is `pages[n - 1]`, empty past the end),
/// with `totals` as the envelope would say them; the items of the whole stream, and how
/// many pages were asked for.
async fn walk(pages: &[Vec<u32>], totals: Option<Value>) -> (Vec<u32>, usize) {
    use futures_util::StreamExt as _;
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let stream = paginate(1u32, |number| {
        asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let items = pages.get(number as usize - 1).cloned().unwrap_or_default();
        let last = last_page(totals.as_ref(), f64::from(number));
        async move { Ok(Page::numbered(items, number + 1, last)) }
    });
    let items: Vec<u32> = stream.map(Result::unwrap).collect().await;
    (items, asked.into_inner())
}

#[tokio::test]
async fn numbered_pages_end_when_the_api_says_not_at_a_capped_page() {
    // A server capping pages at 3 (whatever per_page asked): every item, the short page last.
    let capped = [vec![1, 2, 3], vec![4, 5, 6], vec![7]];
    assert_eq!(walk(&capped, None).await, ((1..=7).collect(), 3));
    // Totals say which page is the last: no page asked past it.
    let totals = serde_json::json!({"page": 1, "per_page": 3, "total_pages": 2, "total_count": 6});
    assert_eq!(walk(&[vec![1, 2, 3], vec![4, 5, 6]], Some(totals)).await, ((1..=6).collect(), 2));
    let counted = serde_json::json!({"per_page": 3, "total_count": 6});
    assert_eq!(walk(&[vec![1, 2, 3], vec![4, 5, 6]], Some(counted)).await, ((1..=6).collect(), 2));
    // Without totals, full pages go on until an empty one.
    assert_eq!(walk(&[vec![1, 2], vec![3, 4]], None).await, ((1..=4).collect(), 3));
}

#[tokio::test]
async fn cursor_pages_end_when_the_cursor_does() {
    use futures_util::StreamExt as _;
    let stream = paginate(Some("a"), |cursor| async move {
        Ok(match cursor {
            Some("a") => Page::new(vec![1, 2], Some(Some("b"))),
            _ => Page::new(vec![3], None),
        })
    });
    let items: Vec<u32> = stream.map(Result::unwrap).collect().await;
    assert_eq!(items, [1, 2, 3]);
}

/// Counts the attempts it sees, checks they carry credentials, and tags them.
struct Counting(std::sync::atomic::AtomicU32, &'static str);

impl Middleware for Counting {
    fn handle<'a>(
        &'a self,
        mut request: reqwest::Request,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(request.headers()["authorization"], "Bearer t0ken", "credentials are on before middlewares");
        let seen = request.headers().get("x-order").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let order = HeaderValue::from_str(&format!("{seen}{}", self.1)).unwrap();
        request.headers_mut().insert("x-order", order);
        next.run(request)
    }
}

/// Fails every attempt without sending it.
struct Refusing;

impl Middleware for Refusing {
    fn handle<'a>(&'a self, _: reqwest::Request, _: Next<'a>) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
        Box::pin(async { Err(Error::Middleware("over budget".into())) })
    }
}

#[tokio::test]
async fn middlewares_see_every_attempt_in_order_and_may_refuse_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
    let builder = || {
        ClientBuilder::new(&SPEC)
            .base_url(server.uri())
            .credential("token", "t0ken")
            .retry_delays(Duration::from_millis(1), Duration::from_millis(5))
    };
    let outer = Arc::new(Counting(0.into(), "a"));
    let client =
        builder().middleware(ArcMiddleware(outer.clone())).middleware(Counting(0.into(), "b")).build().unwrap();
    let _: Value = client.send(get("/things/1")).await.unwrap();
    assert_eq!(outer.0.load(std::sync::atomic::Ordering::SeqCst), 2, "the retry went through it too");
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].headers["x-order"], "ab");

    let refusing = builder().middleware(Refusing).build().unwrap();
    let err = refusing.send::<Value>(get("/things/1")).await.unwrap_err();
    assert!(matches!(&err, Error::Middleware(e) if e.to_string() == "over budget"), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "nothing more was sent");
}

/// A shared middleware, to look at it after the client used it.
struct ArcMiddleware<M>(Arc<M>);

impl<M: Middleware> Middleware for ArcMiddleware<M> {
    fn handle<'a>(
        &'a self,
        request: reqwest::Request,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
        self.0.handle(request, next)
    }
}

#[tokio::test]
async fn a_supplied_http_client_still_keeps_credentials_within_the_origin() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&elsewhere).await;
    let location = format!("{}/stolen", elsewhere.uri());
    let moved = ResponseTemplate::new(307).insert_header("location", location.as_str());
    Mock::given(method("GET")).respond_with(moved).mount(&server).await;
    // A builder that would follow any redirect.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::limited(5));
    let client = ClientBuilder::new(&SPEC)
        .base_url(server.uri())
        .credential("token", "t0ken")
        .http_client(http)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.send::<Value>(get("/things/1")).await.unwrap_err();
    assert_eq!(err.status(), Some(307));
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the token never left the origin");
}
