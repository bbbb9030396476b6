// A mock of the API (the `testing` feature).

use std::any::{type_name, Any, TypeId};
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::client::ClientBuilder;
use super::error::{header_name, header_value, Error};
use super::json::from_json;
use super::middleware::{BoxFuture, Middleware, Next};
use super::spec::ApiSpec;

use super::request::Input;

thread_local! {
    /// The input of the call whose attempt is being polled on this thread.
    static INPUT: RefCell<Option<Input>> = const { RefCell::new(None) };
}

/// `attempt`, with `input` as the call's input (for [`Mock`]) whenever it is polled: the
/// middlewares are polled within it, and a mock reads the input as it answers.
pub(crate) async fn with_input<F: Future>(input: Option<Input>, attempt: F) -> F::Output {
    /// Puts back the input that was there before, even if polling panics.
    struct Restore(Option<Input>);
    impl Drop for Restore {
        fn drop(&mut self) {
            INPUT.with(|i| *i.borrow_mut() = self.0.take());
        }
    }
    let mut attempt = std::pin::pin!(attempt);
    std::future::poll_fn(|cx| {
        let _restore = Restore(INPUT.with(|i| i.replace(input.clone())));
        attempt.as_mut().poll(cx)
    })
    .await
}

/// An operation of the API, as the generated SDK describes it to its mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The HTTP method (`PATCH`).
    pub method: &'static str,
    /// The path template (`/accounts/{account_id}/images/v1/{image_id}`).
    pub template: &'static str,
    /// The SDK's call (`images().v1().edit()`).
    pub call: &'static str,
    /// How the SDK reads a success.
    pub kind: Kind,
}

/// How an operation's success is read, so that a rule answers in the same form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A JSON body.
    Json,
    /// The `result` of a `{success, errors, messages, result, result_info}` envelope.
    Enveloped,
    /// Raw bytes.
    Bytes,
    /// Nothing.
    Empty,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{} {}` (`{}`)", self.method, self.template, self.call)
    }
}

/// A mock API: its rules, shared by its clones and by the clients made from it.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    operations: &'static [Operation],
    rules: Mutex<Vec<Arc<RuleState>>>,
}

impl Mock {
    /// A mock of the API whose operations are `operations`, with no rule yet.
    pub fn new(operations: &'static [Operation]) -> Self {
        Mock { state: Arc::new(State { operations, rules: Mutex::new(Vec::new()) }) }
    }

    /// A new rule for `operation`, answering its calls from now on (the first rule that
    /// matches a call answers it).
    pub fn rule<T, C>(&self, operation: Operation) -> Rule<T, C> {
        let state = Arc::new(RuleState { operation, example: false, config: Mutex::default(), seen: Mutex::default() });
        lock(&self.state.rules).push(state.clone());
        Rule { state, value: PhantomData }
    }

    /// Answers the calls of `operation` with its documented example, `json` with
    /// `status`, when no other rule answers them.
    pub fn example(&self, operation: Operation, status: u16, json: &'static str) {
        let state = Arc::new(RuleState { operation, example: true, config: Mutex::default(), seen: Mutex::default() });
        let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        lock(&state.config).answers.push(Answer { status, headers, body: json.as_bytes().to_vec() });
        lock(&self.state.rules).push(state);
    }

    /// A client builder for `spec` wired to this mock: a base URL no request leaves for,
    /// a credential for every scheme, retries after 1 ms up to 10 ms.
    pub fn client_builder(&self, spec: &'static ApiSpec) -> ClientBuilder {
        let builder = ClientBuilder::new(spec)
            .base_url("http://mock.invalid")
            .retry_delays(Duration::from_millis(1), Duration::from_millis(10))
            .middleware(self.clone());
        spec.schemes.iter().fold(builder, |b, s| b.credential(s.name, "mock"))
    }

    /// Whether every rule marked with [`Rule::times`] was called that many times: the
    /// rules that were not, one a line.
    pub fn check(&self) -> Result<(), String> {
        let unmet: Vec<String> = lock(&self.state.rules)
            .iter()
            .filter_map(|rule| {
                let expected = lock(&rule.config).times?;
                let calls = lock(&rule.seen).len();
                (calls != expected).then(|| {
                    let s = |n: usize| if n == 1 { "" } else { "s" };
                    format!("{}: expected {expected} call{}, got {calls}", rule.operation, s(expected))
                })
            })
            .collect();
        if unmet.is_empty() {
            Ok(())
        } else {
            Err(format!("{} mock rule(s) not met:\n{}", unmet.len(), unmet.join("\n")))
        }
    }

    /// Panics with [`Mock::check`]'s message unless every rule marked with
    /// [`Rule::times`] was called that many times.
    #[track_caller]
    pub fn verify(&self) {
        if let Err(message) = self.check() {
            panic!("{message}");
        }
    }

    /// The operation `method` and `path` call: of those whose template fits, the one
    /// with the most literal text (`/images/stats` before `/images/{id}`).
    fn operation(&self, method: &str, path: &str) -> Option<(Operation, Vec<(String, String)>)> {
        let rules = lock(&self.state.rules);
        let from_rules = rules.iter().map(|r| r.operation);
        let all = self.state.operations.iter().copied().chain(from_rules);
        all.filter(|op| op.method.eq_ignore_ascii_case(method))
            .filter_map(|op| Some((op, path_params(op.template, path)?)))
            .max_by_key(|(op, params)| op.template.len() - params.iter().map(|(n, _)| n.len() + 2).sum::<usize>())
    }

    fn answer(&self, request: reqwest::Request) -> Result<(Answer, Duration), String> {
        let method = request.method().as_str().to_owned();
        let path = request.url().path().to_owned();
        let Some((operation, params)) = self.operation(&method, &path) else {
            return Err(format!("no operation of the API is `{method} {path}`"));
        };
        let seen = MockRequest::new(request, params, INPUT.with(|i| i.borrow().clone()));
        // The rules given, in order, before the examples.
        let mut rules: Vec<Arc<RuleState>> =
            lock(&self.state.rules).iter().filter(|r| r.operation == operation).cloned().collect();
        rules.sort_by_key(|r| r.example);
        for rule in &rules {
            let config = lock(&rule.config);
            if !config.matchers.iter().all(|m| m(&seen)) {
                continue;
            }
            let mut requests = lock(&rule.seen);
            let answer = match config.answers.get(requests.len()).or(config.answers.last()) {
                Some(answer) => answer.clone(),
                None => return Err(format!("the rule for {operation} has no answer: give it one (`returns`)")),
            };
            requests.push(seen);
            return Ok((answer, config.delay));
        }
        let mut message = if rules.is_empty() {
            format!("no rule for {operation}")
        } else {
            format!("no rule for {operation} matches {method} {path} ({} rule(s) for it did not match)", rules.len())
        };
        let all = lock(&self.state.rules);
        if all.is_empty() {
            message.push_str("; the mock has no rules");
        } else {
            let names: Vec<String> = all.iter().map(|r| r.operation.to_string()).collect();
            message.push_str(&format!("; the mock has rules for: {}", names.join(", ")));
        }
        Err(message)
    }
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules: Vec<String> = lock(&self.state.rules).iter().map(|r| r.operation.to_string()).collect();
        f.debug_struct("Mock").field("rules", &rules).finish_non_exhaustive()
    }
}

impl Middleware for Mock {
    fn handle<'a>(
        &'a self,
        request: reqwest::Request,
        _next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
        Box::pin(async move {
            let (answer, delay) = self.answer(request).map_err(|m| Error::Middleware(m.into()))?;
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let mut response = http::Response::new(answer.body);
            *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
            for (name, value) in answer.headers {
                response.headers_mut().append(header_name(&name)?, header_value(&name, &value)?);
            }
            Ok(reqwest::Response::from(response))
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The values of the parameters of `template` in `path`, if `path` fits it.
fn path_params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    if template.len() != path.len() {
        return None;
    }
    let mut params = Vec::new();
    for (mut t, mut p) in template.into_iter().zip(path) {
        // A segment is literal text and `{name}`s in turn; a value runs to the next literal.
        while let Some(open) = t.find('{') {
            p = p.strip_prefix(&t[..open])?;
            let close = open + t[open..].find('}')?;
            let name = &t[open + 1..close];
            t = &t[close + 1..];
            let end = match t.find('{').map_or(t, |next| &t[..next]) {
                "" if t.is_empty() => p.len(),
                "" => p.len().min(1),
                literal => p.find(literal)?,
            };
            if end == 0 {
                return None;
            }
            let value = percent_encoding::percent_decode_str(&p[..end]).decode_utf8_lossy().into_owned();
            params.push((name.to_owned(), value));
            p = &p[end..];
        }
        if t != p {
            return None;
        }
    }
    Some(params)
}

#[cfg(test)]
#[test]
fn a_path_fits_a_template_with_its_parameters_decoded() {
    let fit = |t: &str, p: &str| path_params(t, p);
    let pairs = |v: &[(&str, &str)]| Some(v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>());
    assert_eq!(fit("/a/{id}/b", "/a/x%20y/b"), pairs(&[("id", "x y")]));
    assert_eq!(fit("/files/{name}.json", "/files/report.json"), pairs(&[("name", "report")]));
    assert_eq!(fit("/r/{a}-{b}", "/r/1-2"), pairs(&[("a", "1"), ("b", "2")]));
    assert_eq!(fit("/a/{id}", "/a/"), None);
    assert_eq!(fit("/a/{id}", "/a/x/y"), None);
    assert_eq!(fit("/a/stats", "/a/x"), None);
    assert_eq!(fit("/files/{name}.json", "/files/report.yaml"), None);
}

/// One answer of a rule.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

struct RuleState {
    operation: Operation,
    /// A documented example's rule, which answers only when no other does.
    example: bool,
    config: Mutex<Config>,
    seen: Mutex<Vec<MockRequest>>,
}

type Matcher = Box<dyn Fn(&MockRequest) -> bool + Send + Sync>;

/// An error response the operation documents: its status as the spec writes it (`404`,
/// `4XX`, `default`) and its body's type.
struct Documented {
    status: &'static str,
    id: TypeId,
    name: &'static str,
}

#[derive(Default)]
struct Config {
    /// All must hold for the rule to answer a call.
    matchers: Vec<Matcher>,
    documented: Vec<Documented>,
    answers: Vec<Answer>,
    delay: Duration,
    times: Option<usize>,
}

/// A rule of a [`Mock`] for one operation, whose success is a `T` and whose calls' input
/// (what the caller passes to the SDK's method: its path parameter and params) is a `C`:
/// which calls it answers, and how. Its answers are given in order, the last repeated
/// (first a 503, then a 200: the client's retries are exercised). It keeps the requests it
/// answered, as sent and as typed.
#[must_use = "a rule answers nothing until it is given an answer"]
pub struct Rule<T, C = ()> {
    state: Arc<RuleState>,
    value: PhantomData<fn(T, C)>,
}

impl<T, C> Clone for Rule<T, C> {
    fn clone(&self) -> Self {
        Rule { state: self.state.clone(), value: PhantomData }
    }
}

impl<T, C> fmt::Debug for Rule<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &self.state.operation)
            .field("calls", &self.calls())
            .finish_non_exhaustive()
    }
}

impl<T: Serialize, C> Rule<T, C> {
    /// Answers with `value`, as the API's success (in its envelope, for an API that
    /// has one).
    pub fn returns(self, value: T) -> Self {
        let value = serde_json::to_value(&value).unwrap_or(Value::Null);
        self.returns_json(value, None)
    }

    /// Answers with `pages` in turn, one a call, for a list that pages: the SDK's
    /// `_stream` method walks them (an envelope's `result_info` says which page is the
    /// last; other APIs say it in the pages themselves: their cursor, or a short page).
    pub fn pages(self, pages: Vec<T>) -> Self {
        let count = pages.len();
        pages.into_iter().enumerate().fold(self, |rule, (i, page)| {
            let value = serde_json::to_value(&page).unwrap_or(Value::Null);
            let info = serde_json::json!({ "page": i + 1, "total_pages": count });
            rule.returns_json(value, Some(info))
        })
    }
}

impl<T, C> Rule<T, C> {
    fn push(self, answer: Answer) -> Self {
        lock(&self.state.config).answers.push(answer);
        self
    }

    fn returns_json(self, value: Value, info: Option<Value>) -> Self {
        let (status, body) = match self.state.operation.kind {
            Kind::Enveloped => {
                let mut envelope =
                    serde_json::json!({ "success": true, "errors": [], "messages": [], "result": value });
                if let Some(info) = info {
                    envelope["result_info"] = info;
                }
                (200, envelope.to_string().into_bytes())
            }
            Kind::Json => (200, value.to_string().into_bytes()),
            Kind::Empty => (204, Vec::new()),
            Kind::Bytes => match value {
                Value::Array(items) => (200, items.iter().filter_map(Value::as_u64).map(|b| b as u8).collect()),
                other => (200, other.to_string().into_bytes()),
            },
        };
        let content_type = if status == 204 { "text/plain" } else { "application/json" };
        self.push(Answer { status, headers: vec![("content-type".into(), content_type.into())], body })
    }

    /// Answers with the error `status` and any `body` (see [`Rule::fails_with`] for the
    /// error type the operation documents).
    pub fn fails(self, status: u16, body: impl Serialize) -> Self {
        let body = serde_json::to_vec(&body).unwrap_or_default();
        self.push(Answer { status, headers: vec![("content-type".into(), "application/json".into())], body })
    }

    /// Answers with `status` and the raw `body`.
    pub fn responds(self, status: u16, body: impl Into<Vec<u8>>) -> Self {
        self.push(Answer { status, headers: Vec::new(), body: body.into() })
    }

    /// Adds a header to the answer given last (`Retry-After`, `Link`…).
    pub fn header(self, name: &str, value: &str) -> Self {
        if let Some(answer) = lock(&self.state.config).answers.last_mut() {
            answer.headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// Answers with the error `status` and `error`, a value of the type the operation
    /// documents for that status (for `404`, the type documented for `404`, else for
    /// `4XX`, else the `default` one): the caller's [`Error::Api`] has it as its body
    /// ([`ApiError::json`](super::ApiError::json) decodes it). Panics if the operation
    /// documents no error for `status`, or another type: [`Rule::fails`] answers with any
    /// body.
    #[track_caller]
    pub fn fails_with<E: Serialize + 'static>(self, status: u16, error: E) -> Self {
        if let Err(message) = self.documented::<E>(status) {
            panic!("{message}");
        }
        self.fails(status, error)
    }

    /// Whether the operation documents an `E` for `status`: if not, why.
    fn documented<E: 'static>(&self, status: u16) -> Result<(), String> {
        let config = lock(&self.state.config);
        let code = status.to_string();
        let range = format!("{}XX", status / 100);
        let entry = [code.as_str(), range.as_str(), "default"]
            .iter()
            .find_map(|want| config.documented.iter().find(|d| d.status.eq_ignore_ascii_case(want)));
        let operation = self.state.operation;
        match entry {
            Some(entry) if entry.id == TypeId::of::<E>() => Ok(()),
            Some(entry) => Err(format!(
                "{operation} documents `{}` for status {status} (as `{}`), not `{}`",
                entry.name,
                entry.status,
                type_name::<E>()
            )),
            None if config.documented.is_empty() => {
                Err(format!("{operation} documents no error response: `fails` answers with any body"))
            }
            None => {
                let all: Vec<String> =
                    config.documented.iter().map(|d| format!("{}: `{}`", d.status, d.name)).collect();
                Err(format!(
                    "{operation} documents no error for status {status} (it documents {}): `fails` answers with any body",
                    all.join(", ")
                ))
            }
        }
    }

    /// Records that the operation documents an error body of type `E` for `status` (`404`,
    /// `4XX`, `default`), for [`Rule::fails_with`]. Generated code calls it.
    #[doc(hidden)]
    pub fn documents<E: 'static>(self, status: &'static str) -> Self {
        let documented = Documented { status, id: TypeId::of::<E>(), name: type_name::<E>() };
        lock(&self.state.config).documented.push(documented);
        self
    }

    /// Answers only the calls for which `matcher` is true (others go to the next rule):
    /// the request as sent. With [`Rule::when`], both must hold.
    pub fn matching(self, matcher: impl Fn(&MockRequest) -> bool + Send + Sync + 'static) -> Self {
        lock(&self.state.config).matchers.push(Box::new(matcher));
        self
    }

    /// Waits `delay` before each answer (the client's timeout covers the wait).
    pub fn delay(self, delay: Duration) -> Self {
        lock(&self.state.config).delay = delay;
        self
    }

    /// Expects exactly `n` calls: [`Mock::verify`] fails otherwise.
    pub fn times(self, n: usize) -> Self {
        lock(&self.state.config).times = Some(n);
        self
    }

    /// How many calls (attempts) the rule answered.
    pub fn calls(&self) -> usize {
        lock(&self.state.seen).len()
    }

    /// The requests the rule answered, in order (one for each attempt).
    pub fn requests(&self) -> Vec<MockRequest> {
        lock(&self.state.seen).clone()
    }
}

impl<T, C: Any> Rule<T, C> {
    /// Answers only the calls for which `matcher` is true (others go to the next rule),
    /// given what the caller passed to the SDK's method, typed: its path parameter and its
    /// params, `(image_id, params)` (the rule's method documents it). The request is still
    /// encoded as it would be sent. With [`Rule::matching`], both must hold.
    ///
    /// ```ignore
    /// mock.images().v1().edit().when(|(image_id, params)| image_id == "img-1" && params.account_id == "acc")
    /// ```
    pub fn when(self, matcher: impl Fn(&C) -> bool + Send + Sync + 'static) -> Self {
        self.matching(move |request| request.input::<C>().is_some_and(&matcher))
    }

    /// What the callers passed to the SDK's method, typed, for each request the rule
    /// answered, in order (one for each attempt).
    pub fn inputs(&self) -> Vec<C>
    where
        C: Clone,
    {
        lock(&self.state.seen).iter().filter_map(|request| request.input::<C>().cloned()).collect()
    }
}

/// A request a [`Mock`] received, as it was sent: its path parameters decoded, its
/// query, headers and body.
#[derive(Debug, Clone)]
pub struct MockRequest {
    method: Method,
    path: String,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
    input: Option<Input>,
}

impl MockRequest {
    fn new(request: reqwest::Request, path_params: Vec<(String, String)>, input: Option<Input>) -> Self {
        let url = request.url();
        let query = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let body = request.body().and_then(|b| b.as_bytes()).map(Bytes::copy_from_slice).unwrap_or_default();
        MockRequest {
            method: request.method().clone(),
            path: url.path().to_owned(),
            path_params,
            query,
            headers: request.headers().clone(),
            body,
            input,
        }
    }

    /// What the caller passed to the SDK's method, if it is a `C` (the input type of the
    /// operation's [`Rule`]: `(image_id, params)`).
    pub fn input<C: Any>(&self) -> Option<&C> {
        self.input.as_deref()?.downcast_ref()
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, as sent (percent-encoded).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value of path parameter `name` (by its name in the spec), decoded.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `name`, decoded.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every query parameter, decoded, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// A header, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The body, as sent (empty for none, or for a streamed upload).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body decoded from JSON as `B` (a body type of the SDK, or
    /// `serde_json::Value`), if it is that.
    pub fn json<B: DeserializeOwned>(&self) -> Option<B> {
        from_json(&self.body).ok()
    }
}
