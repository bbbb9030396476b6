//! Behaviour of the generated `images-edit` SDK and its runtime against a local mock server.
//!
//! Only the public API of the generated crate is used, so these tests hold for both the
//! hand-written stand-in and the generator's output.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use images_edit::images::V1EditParams;
use images_edit::runtime::{self, ApiSpec, Request, SchemeKind, SecurityScheme};
use images_edit::{Client, ClientBuilder, Error, Secret};
use serde_json::{json, Value};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
const KEY: &str = "144c9defac04969c7bfad8efaa8ea194";
const EMAIL: &str = "user@example.com";

/// The "Returns Examples" response of the reference page for `PATCH .../images/v1/{image_id}`.
const SEED_RESPONSE: &str = r#"{
  "errors": [
    {
      "code": 1000,
      "message": "message",
      "documentation_url": "documentation_url",
      "source": {
        "pointer": "pointer"
      }
    }
  ],
  "messages": [
    {
      "code": 1000,
      "message": "message",
      "documentation_url": "documentation_url",
      "source": {
        "pointer": "pointer"
      }
    }
  ],
  "result": {
    "id": "id",
    "creator": "107b9558-dd06-4bbd-5fef-9c2c16bb7900",
    "filename": "logo.png",
    "meta": {
      "key": "value"
    },
    "requireSignedURLs": true,
    "uploaded": "2014-01-02T02:20:00.123Z",
    "variants": [
      "https://imagedelivery.net/MTt4OTd0b0w5aj/107b9558-dd06-4bbd-5fef-9c2c16bb7900/thumbnail",
      "https://imagedelivery.net/MTt4OTd0b0w5aj/107b9558-dd06-4bbd-5fef-9c2c16bb7900/hero",
      "https://imagedelivery.net/MTt4OTd0b0w5aj/107b9558-dd06-4bbd-5fef-9c2c16bb7900/original"
    ]
  },
  "success": true
}"#;

/// Cloudflare's failure envelope (`images_api-response-common-failure`).
fn failure_body() -> Value {
    json!({
        "success": false,
        "errors": [{
            "code": 7003,
            "message": "No route for the URI",
            "documentation_url": "https://developers.cloudflare.com/api/",
            "source": {"pointer": "/image_id"}
        }],
        "messages": [],
        "result": null
    })
}

fn ok_response() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(SEED_RESPONSE, "application/json")
}

/// A client for `server` with a token and fast retries.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .api_token(TOKEN)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(5))
}

fn require_signed() -> V1EditParams {
    V1EditParams::new("acc123").require_signed_urls(true)
}

async fn edit(client: &Client, image_id: &str, params: V1EditParams) -> Result<images_edit::types::Image, Error> {
    client.images().v1().edit(image_id, params).await
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("request recording is enabled")
}

fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).map(|v| v.to_str().expect("ASCII header"))
}

#[tokio::test]
async fn sends_exact_request_with_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).build().unwrap();

    edit(&client, "img456", require_signed()).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "PATCH");
    assert_eq!(req.url.path(), "/accounts/acc123/images/v1/img456");
    assert_eq!(req.url.query(), None);
    assert_eq!(header(req, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header(req, "x-auth-email"), None);
    assert_eq!(header(req, "x-auth-key"), None);
    assert_eq!(header(req, "content-type"), Some("application/json"));
    assert_eq!(header(req, "accept"), Some("application/json"));
    assert_eq!(header(req, "user-agent"), Some(format!("images-edit/0.1.0 sdkgen/{}", sdkgen::VERSION).as_str()));
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body, json!({"requireSignedURLs": true}));
}

#[tokio::test]
async fn sends_email_and_key_headers_and_all_body_fields() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).api_email(EMAIL).api_key(KEY).build().unwrap();
    let params =
        V1EditParams::new("acc123").creator("user-42").metadata(json!({"ref": "abc"})).require_signed_urls(false);

    edit(&client, "img456", params).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(header(req, "x-auth-email"), Some(EMAIL));
    assert_eq!(header(req, "x-auth-key"), Some(KEY));
    assert_eq!(header(req, "authorization"), None);
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body, json!({"creator": "user-42", "metadata": {"ref": "abc"}, "requireSignedURLs": false}));
}

#[tokio::test]
async fn token_is_preferred_when_both_schemes_are_configured() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).api_email(EMAIL).api_key(KEY).build().unwrap();

    edit(&client, "img456", require_signed()).await.unwrap();

    let req = &received(&server).await[0];
    assert_eq!(header(req, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header(req, "x-auth-key"), None);
}

#[tokio::test]
async fn decodes_seed_example_response() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/accounts/acc123/images/v1/img456"))
        .respond_with(ok_response())
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let image = edit(&client, "img456", require_signed()).await.unwrap();

    assert_eq!(image.id.as_deref(), Some("id"));
    assert_eq!(image.creator.as_deref(), Some("107b9558-dd06-4bbd-5fef-9c2c16bb7900"));
    assert_eq!(image.filename.as_deref(), Some("logo.png"));
    assert_eq!(image.meta, Some(json!({"key": "value"})));
    assert_eq!(image.require_signed_urls, Some(true));
    let uploaded = chrono::DateTime::parse_from_rfc3339("2014-01-02T02:20:00.123Z").unwrap();
    assert_eq!(image.uploaded, Some(uploaded.to_utc()));
    let variants = image.variants.unwrap();
    assert_eq!(variants.len(), 3);
    assert!(variants[1].ends_with("/hero"));
    assert!(image.extra.is_empty(), "unexpected extra fields: {:?}", image.extra);
}

#[tokio::test]
async fn keeps_unknown_response_fields_in_extra() {
    let server = MockServer::start().await;
    let body = json!({
        "success": true, "errors": [], "messages": [],
        "result": {"id": "abc", "draft": false, "labels": {"a": 1}}
    });
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let client = builder(&server).build().unwrap();

    let image = edit(&client, "abc", require_signed()).await.unwrap();

    assert_eq!(image.id.as_deref(), Some("abc"));
    assert_eq!(image.uploaded, None);
    assert_eq!(image.extra.get("draft"), Some(&json!(false)));
    assert_eq!(image.extra.get("labels"), Some(&json!({"a": 1})));
}

#[tokio::test]
async fn failure_envelope_is_api_error_and_not_retried() {
    let server = MockServer::start().await;
    let response = ResponseTemplate::new(400).set_body_json(failure_body()).insert_header("cf-ray", "8a1b2c3d4e5f-LHR");
    Mock::given(any()).respond_with(response).mount(&server).await;
    let client = builder(&server).build().unwrap();

    let err = edit(&client, "img456", require_signed()).await.unwrap_err();

    assert_eq!(err.status(), Some(400));
    assert!(!err.is_retryable());
    let Error::Api(api) = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(api.status, 400);
    assert_eq!(api.errors.len(), 1);
    let info = &api.errors[0];
    assert_eq!(info.code, 7003);
    assert_eq!(info.message, "No route for the URI");
    assert_eq!(info.documentation_url.as_deref(), Some("https://developers.cloudflare.com/api/"));
    assert_eq!(info.source.as_ref().and_then(|s| s.pointer.as_deref()), Some("/image_id"));
    assert!(api.messages.is_empty());
    assert_eq!(api.request_id.as_deref(), Some("8a1b2c3d4e5f-LHR"));
    assert!(api.body.contains("No route for the URI"));
    assert_eq!(err.to_string(), "HTTP 400 Bad Request: [7003] No route for the URI");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn success_false_on_200_is_api_error() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(failure_body())).mount(&server).await;
    let client = builder(&server).build().unwrap();

    let err = edit(&client, "img456", require_signed()).await.unwrap_err();

    let api = err.api().unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"));
    assert_eq!(api.status, 200);
    assert_eq!(api.errors[0].code, 7003);
}

#[tokio::test]
async fn non_json_error_body_is_still_api_error() {
    let server = MockServer::start().await;
    let html = "<html><body>Bad gateway</body></html>";
    Mock::given(any()).respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html")).mount(&server).await;
    let client = builder(&server).max_retries(0).build().unwrap();

    let err = edit(&client, "img456", require_signed()).await.unwrap_err();

    let api = err.api().unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"));
    assert_eq!(api.status, 502);
    assert!(api.errors.is_empty() && api.messages.is_empty());
    assert_eq!(api.body, html);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn undecodable_success_body_is_decode_error() {
    let server = MockServer::start().await;
    let body = json!({"success": true, "errors": [], "messages": [], "result": {"id": 42}});
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let client = builder(&server).build().unwrap();

    let err = edit(&client, "img456", require_signed()).await.unwrap_err();

    let Error::Decode { status, message, snippet } = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(*status, 200);
    assert!(message.starts_with("id: invalid type: integer `42`"), "{message}");
    assert!(snippet.contains("\"id\":42"), "{snippet}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn retries_429_and_503_then_succeeds() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("retry-after", "0").set_body_json(failure_body());
    Mock::given(any()).respond_with(throttled).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).build().unwrap();

    let image = edit(&client, "img456", require_signed()).await.unwrap();

    assert_eq!(image.id.as_deref(), Some("id"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for req in &requests {
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(body, json!({"requireSignedURLs": true}), "body re-sent on every attempt");
    }
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = builder(&server).max_retries(3).build().unwrap();

    let err = edit(&client, "img456", require_signed()).await.unwrap_err();

    assert_eq!(err.status(), Some(503), "{err:?}");
    assert!(matches!(err, Error::Api(_)));
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_ends_the_retries() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("retry-after", "3600");
    Mock::given(any()).respond_with(throttled).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).build().unwrap();

    let call = edit(&client, "img456", require_signed());
    let result = tokio::time::timeout(Duration::from_secs(5), call).await;

    // Neither waited out nor replaced by a short backoff that would hammer the API.
    let err = result.expect("an hour's Retry-After is not waited").unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(received(&server).await.len(), 1);
    // The error carries the delay, for the caller to decide.
    assert_eq!(err.api().unwrap().retry_after, Some(Duration::from_secs(3600)));
    assert!(err.to_string().ends_with("(retry after 3600 s)"), "{err}");

    // A client that may wait longer waits it out.
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("retry-after", "1");
    Mock::given(any()).respond_with(throttled).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let short = builder(&server).max_retry_after(Duration::from_millis(500)).build().unwrap();
    let err = edit(&short, "img456", require_signed()).await.unwrap_err();
    assert_eq!(err.api().unwrap().retry_after, Some(Duration::from_secs(1)));
    let patient = builder(&server).max_retry_after(Duration::from_secs(2)).build().unwrap();
    edit(&patient, "img456", require_signed()).await.unwrap();
}

#[tokio::test]
async fn the_server_decides_with_x_should_retry() {
    // `false` stops even a retryable 503; `true` makes even a 500 after a PATCH safe to repeat.
    for (should, status, attempts) in [("false", 503, 1), ("true", 500, 3)] {
        let server = MockServer::start().await;
        let answer = ResponseTemplate::new(status).insert_header("x-should-retry", should);
        Mock::given(any()).respond_with(answer).mount(&server).await;
        let client = builder(&server).max_retries(2).build().unwrap();
        let err = edit(&client, "img456", require_signed()).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(received(&server).await.len(), attempts, "x-should-retry: {should}");
    }
}

#[tokio::test]
async fn a_write_with_an_idempotency_key_or_opted_in_is_repeated_safely() {
    // With an idempotency header, every PATCH carries a fresh key, the same on each attempt.
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).up_to_n_times(2).mount(&server).await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).idempotency_header("Idempotency-Key").build().unwrap();
    edit(&client, "img456", require_signed()).await.unwrap();
    edit(&client, "img456", require_signed()).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 4, "two failed attempts, then two calls");
    let keys: Vec<&str> =
        requests.iter().map(|r| r.headers.get("idempotency-key").unwrap().to_str().unwrap()).collect();
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[1], keys[2], "the retries of one call share its key");
    assert_ne!(keys[2], keys[3], "another call, another key");
    assert!(keys[0].len() > 20, "{}", keys[0]);

    // Opted in: repeated after a 500 without a key.
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).retry_writes(true).build().unwrap();
    edit(&client, "img456", require_signed()).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests[0].headers.get("idempotency-key").is_none());
}

#[tokio::test]
async fn a_write_is_not_repeated_after_a_failure_the_server_may_have_acted_on() {
    // PATCH: a 500 or 502 may come after the change was made; a 503 is a refusal.
    for (status, attempts) in [(500, 1), (502, 1), (503, 3)] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let client = builder(&server).max_retries(2).build().unwrap();
        let err = edit(&client, "img456", require_signed()).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(received(&server).await.len(), attempts, "HTTP {status}");
    }
    // A timed-out PATCH is not sent again either.
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_millis(400)).set_body_json(json!({}));
    Mock::given(any()).respond_with(slow).mount(&server).await;
    let client = builder(&server).timeout(Duration::from_millis(100)).max_retries(2).build().unwrap();
    let err = edit(&client, "img456", require_signed()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert_eq!(received(&server).await.len(), 1);
}

/// Answers `first`, then the seed response; returns how long the call took.
async fn elapsed_with_first_response(first: ResponseTemplate) -> Duration {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(first).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    edit(&client, "img456", require_signed()).await.unwrap();
    assert_eq!(received(&server).await.len(), 2);
    started.elapsed()
}

#[tokio::test]
async fn honours_retry_after_ms() {
    let first = ResponseTemplate::new(503).insert_header("retry-after-ms", "300");
    let elapsed = elapsed_with_first_response(first).await;
    // The configured backoff is at most 5 ms.
    assert!(elapsed >= Duration::from_millis(290), "took {elapsed:?}");
}

#[tokio::test]
async fn honours_retry_after_http_date() {
    let in_3s = std::time::SystemTime::now() + Duration::from_secs(3);
    let http_date = chrono::DateTime::<chrono::Utc>::from(in_3s).format("%a, %d %b %Y %H:%M:%S GMT");
    let first = ResponseTemplate::new(429).insert_header("retry-after", http_date.to_string().as_str());
    let elapsed = elapsed_with_first_response(first).await;
    // The date has whole seconds, so it is between 2 s and 3 s away.
    assert!(elapsed >= Duration::from_millis(1900), "took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[tokio::test]
async fn slow_server_gives_timeout() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response().set_delay(Duration::from_secs(2))).mount(&server).await;
    let client = builder(&server).timeout(Duration::from_millis(200)).max_retries(0).build().unwrap();

    let started = Instant::now();
    let err = edit(&client, "img456", require_signed()).await.unwrap_err();

    assert!(matches!(err, Error::Timeout), "expected Error::Timeout, got {err:?}");
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_millis(1500), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn follows_redirects_only_within_the_same_origin() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response()).mount(&elsewhere).await;
    let to = |location: String| ResponseTemplate::new(307).insert_header("location", location.as_str());
    Mock::given(path("/accounts/acc123/images/v1/local"))
        .respond_with(to(format!("{}/moved", server.uri())))
        .mount(&server)
        .await;
    Mock::given(path("/moved")).respond_with(ok_response()).mount(&server).await;
    Mock::given(path("/accounts/acc123/images/v1/remote"))
        .respond_with(to(format!("{}/stolen", elsewhere.uri())))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    edit(&client, "local", require_signed()).await.unwrap();
    let err = edit(&client, "remote", require_signed()).await.unwrap_err();

    assert_eq!(err.status(), Some(307), "{err:?}");
    let moved = &received(&server).await[1];
    assert_eq!(moved.url.path(), "/moved");
    assert_eq!(header(moved, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(received(&elsewhere).await.len(), 0, "credentials must not be sent to another origin");
}

#[tokio::test]
async fn path_params_are_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).build().unwrap();

    edit(&client, "../x y/é", require_signed()).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/accounts/acc123/images/v1/..%2Fx%20y%2F%C3%A9");
}

#[test]
fn path_param_rejects_dot_segments_and_encodes_reserved_bytes() {
    assert_eq!(runtime::path_param("id", "a-b.c_d~E9").unwrap(), "a-b.c_d~E9");
    assert_eq!(runtime::path_param("id", "a/b?c#d%e+f").unwrap(), "a%2Fb%3Fc%23d%25e%2Bf");
    for bad in ["", ".", ".."] {
        let err = runtime::path_param("image_id", bad).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("image_id")), "{err:?}");
    }
}

#[tokio::test]
async fn empty_path_params_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let client = builder(&server).build().unwrap();

    let err = edit(&client, "", require_signed()).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("image_id")), "{err:?}");
    let err = edit(&client, "img456", V1EditParams::new("")).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("account_id")), "{err:?}");

    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn missing_credentials_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    // `api_email` alone satisfies neither alternative.
    let client = Client::builder().base_url(server.uri()).api_email(EMAIL).build().unwrap();

    let err = edit(&client, "img456", require_signed()).await.unwrap_err();

    let Error::InvalidRequest(message) = &err else { panic!("expected InvalidRequest, got {err:?}") };
    assert!(message.contains("api_token | api_email + api_key"), "{message}");
    assert!(!message.contains(EMAIL));
    assert_eq!(received(&server).await.len(), 0);
}

#[test]
fn debug_output_redacts_credentials() {
    let builder = Client::builder().api_token(TOKEN).api_email(EMAIL).api_key(KEY);
    let builder_debug = format!("{builder:?}");
    let client_debug = format!("{:?}", builder.build().unwrap());
    for debug in [&builder_debug, &client_debug] {
        assert!(!debug.contains(TOKEN) && !debug.contains(KEY) && !debug.contains(EMAIL), "{debug}");
        assert!(debug.contains("api_token") && debug.contains("api_key"), "{debug}");
    }
    let secret = Secret::from(TOKEN);
    assert_eq!(format!("{secret}"), "[redacted]");
    assert_eq!(format!("{secret:?}"), "[redacted]");
    assert_eq!(secret.expose(), TOKEN);
}

#[test]
fn builder_rejects_bad_configuration() {
    let err = Client::builder().credential("no_such_scheme", "x").build().unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("no_such_scheme")), "{err:?}");
    let err = Client::builder().base_url("not a url").build().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let client = Client::builder().base_url("http://localhost:8080/v4/").build().unwrap();
    assert_eq!(client.base_url(), "http://localhost:8080/v4");
    assert_eq!(Client::builder().build().unwrap().base_url(), "https://api.cloudflare.com/client/v4");
}

const CLOUDFLARE_VARS: [&str; 4] =
    ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_KEY", "CLOUDFLARE_USER_SERVICE_KEY"];

/// Runs `f` with the Cloudflare variables unset except `token`, then restores them.
/// Serialized, so that tests mutating the environment cannot interleave.
fn with_token_env<R>(token: &str, f: impl FnOnce() -> R) -> R {
    static ENV_LOCK: Mutex<()> = Mutex::new(());
    let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let saved: Vec<_> = CLOUDFLARE_VARS.map(|name| (name, std::env::var_os(name))).into();
    for name in CLOUDFLARE_VARS {
        std::env::remove_var(name);
    }
    std::env::set_var("CLOUDFLARE_API_TOKEN", token);
    let result = f();
    for (name, value) in saved {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
    result
}

#[tokio::test]
async fn from_env_reads_cloudflare_variables() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_response()).mount(&server).await;
    let uri = server.uri();
    let from_env = || Client::builder().base_url(&uri).from_env().build().unwrap();

    let env_client = with_token_env("env-token", from_env);
    let explicit_wins = with_token_env("env-token", || {
        Client::builder().api_token("explicit").from_env().base_url(&uri).build().unwrap()
    });
    let empty_var = with_token_env("", from_env);

    edit(&env_client, "img456", require_signed()).await.unwrap();
    edit(&explicit_wins, "img456", require_signed()).await.unwrap();
    let err = edit(&empty_var, "img456", require_signed()).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let requests = received(&server).await;
    let auth: Vec<_> = requests.iter().map(|r| header(r, "authorization")).collect();
    assert_eq!(auth, [Some("Bearer env-token"), Some("Bearer explicit")]);
}

// Runtime features the Cloudflare spec does not exercise, through a spec of our own.

static TEST_SPEC: ApiSpec = ApiSpec {
    default_base_url: "http://127.0.0.1:1",
    user_agent: "test-sdk/1.0",
    schemes: &[
        SecurityScheme { name: "basic", kind: SchemeKind::Basic, env: "" },
        SecurityScheme { name: "query_key", kind: SchemeKind::Query("api_key"), env: "" },
    ],
};

fn test_client(base_url: &str) -> runtime::Client {
    runtime::ClientBuilder::new(&TEST_SPEC)
        .base_url(base_url)
        .credential("basic", "aladdin:open sesame")
        .credential("query_key", "q-secret")
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn basic_and_query_credentials_and_query_params() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!([1, 2]))).mount(&server).await;
    let client = test_client(&server.uri());
    let req = Request::new(reqwest::Method::GET, "/things".into())
        .security(&[&["basic", "query_key"]])
        .query("q", "a b&c")
        .query_opt("absent", None::<u32>)
        .query_opt("limit", Some(5))
        .query_list("tag", &["x", "y"])
        .header("X-Trace", 7);

    let got: Vec<u32> = client.send(req).await.unwrap();

    assert_eq!(got, [1, 2]);
    let req = &received(&server).await[0];
    assert_eq!(header(req, "authorization"), Some("Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    assert_eq!(header(req, "user-agent"), Some("test-sdk/1.0"));
    assert_eq!(header(req, "x-trace"), Some("7"));
    assert_eq!(req.url.query(), Some("q=a+b%26c&limit=5&tag=x&tag=y&api_key=q-secret"));
}

#[tokio::test]
async fn transport_errors_do_not_leak_query_credentials() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = test_client(&base_url);
    let req = Request::new(reqwest::Method::GET, "/things".into()).security(&[&["query_key"]]);

    let err = client.send_bytes(req).await.unwrap_err();

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
    let text = format!("{err} {err:?}");
    assert!(!text.contains("q-secret"), "{text}");
}

#[tokio::test]
async fn send_bytes_and_empty_bodies() {
    let server = MockServer::start().await;
    Mock::given(path("/raw"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8, 159, 146, 150]))
        .mount(&server)
        .await;
    Mock::given(path("/empty")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(path("/null-result"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "errors": [], "messages": []})))
        .mount(&server)
        .await;
    let client = test_client(&server.uri());
    let get = |p: &str| Request::new(reqwest::Method::GET, p.to_owned());

    assert_eq!(client.send_bytes(get("/raw")).await.unwrap(), [0, 159, 146, 150]);
    client.send::<()>(get("/empty")).await.unwrap();
    let result: Option<Value> = client.send_enveloped(get("/null-result")).await.unwrap();
    assert_eq!(result, None);
    let err = client.send_enveloped::<Vec<u32>>(get("/null-result")).await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    let req = &received(&server).await[0];
    assert_eq!(header(req, "authorization"), None, "no security requirement, no credentials");
}

#[test]
fn double_option_distinguishes_absent_null_and_value() {
    // An optional nullable field as the generator writes its serde impls: `entry_opt` and
    // `Object::optional_nullable`.
    #[derive(Debug, PartialEq)]
    struct Patch {
        meta: Option<Option<u32>>,
    }
    impl serde::Serialize for Patch {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(None)?;
            runtime::entry_opt(&mut map, "meta", &self.meta)?;
            map.end()
        }
    }
    impl<'de> serde::Deserialize<'de> for Patch {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            runtime::Object::decode(deserializer, |object| Ok(Patch { meta: object.optional_nullable("meta")? }))
        }
    }
    for (value, wire) in [(None, json!({})), (Some(None), json!({"meta": null})), (Some(Some(3)), json!({"meta": 3}))] {
        let patch = Patch { meta: value };
        assert_eq!(serde_json::to_value(&patch).unwrap(), wire);
        assert_eq!(serde_json::from_value::<Patch>(wire).unwrap(), patch);
    }
}
