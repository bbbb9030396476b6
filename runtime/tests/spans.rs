//! With the `tracing` feature: what a call's span and events record. A test binary of its
//! own: `tracing` caches whether a callsite is wanted when it is first reached, so a call
//! made at the same time by another test, on a thread without this test's subscriber, could
//! hide the span from it.
#![cfg(feature = "tracing")]

use sdkgen_runtime::{ApiSpec, Call, ClientBuilder, Method, Request, SchemeKind, SecurityScheme};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

static SPEC: ApiSpec = ApiSpec {
    default_base_url: "https://api.example.com/v1",
    user_agent: "runtime-tests/0",
    schemes: &[SecurityScheme { name: "token", kind: SchemeKind::Bearer, env: "" }],
};

fn client(server: &MockServer) -> sdkgen_runtime::Client {
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

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata};

/// Every field recorded on a span or an event, as `name=value`, in order.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>, Arc<AtomicU64>);

struct Fields<'a>(&'a Mutex<Vec<String>>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.lock().unwrap().push(format!("{}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.0.lock().unwrap().push(format!("span {}", span.metadata().name()));
        span.record(&mut Fields(&self.0));
        Id::from_u64(self.1.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&self.0));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut Fields(&self.0));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn a_call_is_one_span_with_http_names_and_its_retries_are_events() {
    let recorder = Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = MockServer::start().await;
            let refused = ResponseTemplate::new(503).insert_header("set-cookie", "id=c00kie-s3cret");
            Mock::given(method("GET")).respond_with(refused).mount(&server).await;
            let client = client(&server);
            let request = get("/things/1").query("secret_query", "q-s3cret");
            let result = Call::empty(&client, || Ok(request)).await;
            assert_eq!(result.unwrap_err().status(), Some(503));
        });
    });
    let fields = recorder.0.lock().unwrap().clone();
    for want in [
        "span http.client",
        "otel.name=GET /things/{id}",
        "http.request.method=GET",
        "url.template=\"/things/{id}\"",
        "sdkgen.operation_id=\"getThing\"",
        "server.address=127.0.0.1",
        "http.request.resend_count=2",
        "http.response.status_code=503",
        "error.type=503",
        "otel.status_code=\"ERROR\"",
        "message=retrying after a failed attempt",
    ] {
        assert!(fields.iter().any(|f| f == want), "no {want} in {fields:#?}");
    }
    let text = fields.join("\n");
    for secret in ["t0ken", "q-s3cret", "c00kie-s3cret"] {
        assert!(!text.contains(secret), "{text}");
    }
    assert_eq!(fields.iter().filter(|f| f.starts_with("span ")).count(), 1, "{fields:#?}");
}
