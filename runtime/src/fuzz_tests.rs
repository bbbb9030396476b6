//! A fuzz-style test of the runtime's response handling: a raw TCP server on 127.0.0.1 answers
//! each case's calls with random status lines, headers (malformed `Retry-After` and `Link`,
//! `Content-Length` too large, too small or invalid, broken chunked framing), truncated,
//! oversized or deeply nested bodies, invalid UTF-8 and JSON, server-sent events cut mid-event,
//! and stalls. The cases come from a fixed seed, so a failure is found again by its number.
//!
//! Properties, for every case: the client does not panic; a call ends within its attempts'
//! timeouts and backoff (and a streamed body once the server closes); a `POST` or `PATCH` is
//! sent again only after an answer saying the server did not act on it (408, 429, 503) or
//! asking for it (`x-should-retry: true`), never after `x-should-retry: false`; no call is
//! sent more than `max_retries + 1` times; and the outcome is a value of a 2xx answer or a
//! typed error (`Api` with the last answer's status, `Decode`, `Transport`, `Timeout`).

use super::*;
use serde_json::Value;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SEED: u64 = 0x5eed_0020;
const CASES: u64 = 200;
const TIMEOUT: Duration = Duration::from_millis(300);
const MAX_RETRIES: u32 = 2;
const MAX_RETRY_AFTER: Duration = Duration::from_millis(100);
/// How long a server stalls in the body of a stream, which no timeout covers once the
/// response has started; it then goes on.
const STREAM_STALL: Duration = Duration::from_millis(700);
/// How long a server stalls otherwise: longer than any bound of the test, so that only the
/// client's timeout ends the wait.
const STALL: Duration = Duration::from_secs(60);
/// Time allowed beyond the client's own bounds, for a loaded machine.
const SLACK: Duration = Duration::from_secs(3);

static SPEC: ApiSpec = ApiSpec { default_base_url: "http://127.0.0.1", user_agent: "fuzz/0", schemes: &[] };

/// splitmix64: small, deterministic, good enough to pick cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let x = self.0;
        let x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// How the server sends its answer to one request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Delivery {
    /// All of it, then closes.
    Whole,
    /// In pieces of a few bytes.
    Dribble,
    /// Closes after part of the head.
    CutHead,
    /// Closes after the head and part of the body.
    CutBody,
    /// Says nothing for [`STALL`], then closes.
    StallFirst,
    /// Sends the head and half the body, says nothing for [`STALL`] (or [`STREAM_STALL`] for
    /// a call that streams the body), then the rest.
    StallInBody,
    /// Closes without a word.
    Nothing,
}

/// The server's answer to one request.
#[derive(Clone)]
struct Reply {
    head: Vec<u8>,
    body: Vec<u8>,
    delivery: Delivery,
    /// How long it stalls.
    stall: Duration,
    /// The status, when the status line is a valid one.
    status: Option<u16>,
    /// The `x-should-retry` it sends.
    should_retry: Option<&'static str>,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = String::from_utf8_lossy(&self.head);
        let head: String = head.chars().take(300).collect();
        f.debug_struct("Reply")
            .field("head", &head)
            .field("body", &String::from_utf8_lossy(&self.body[..self.body.len().min(120)]))
            .field("body_len", &self.body.len())
            .field("delivery", &self.delivery)
            .finish()
    }
}

impl Reply {
    /// Whether the server said it did not act on the request, or asked for it again.
    fn allows_a_repeat(&self) -> bool {
        let answered = !matches!(self.delivery, Delivery::CutHead | Delivery::StallFirst | Delivery::Nothing);
        match self.should_retry {
            Some("true") => answered,
            Some("false") => false,
            _ => answered && matches!(self.status, Some(408 | 429 | 503)),
        }
    }
}

fn random_reply(rng: &mut Rng) -> Reply {
    const STATUSES: [u16; 26] = [
        200, 200, 200, 201, 204, 206, 299, 100, 101, 199, 301, 304, 400, 401, 404, 408, 409, 418, 422, 429, 429, 500,
        502, 503, 503, 599,
    ];
    let status = if rng.chance(10) { 100 + rng.below(900) as u16 } else { *rng.pick(&STATUSES) };
    let (status_line, status) = match rng.below(20) {
        0 => (b"HTTP/1.1 2OO OK".to_vec(), None),
        1 => (b"HTTP/9.9 200 OK".to_vec(), None),
        2 => (b"garbage".to_vec(), None),
        3 => (b"".to_vec(), None),
        4 => (format!("HTTP/1.0 {status} Old").into_bytes(), Some(status)),
        5 => (format!("HTTP/1.1 {status}").into_bytes(), Some(status)),
        _ => (format!("HTTP/1.1 {status} Reason").into_bytes(), Some(status)),
    };
    let body = random_body(rng);
    let mut headers: Vec<(String, Vec<u8>)> = vec![("connection".into(), b"close".to_vec())];
    if rng.chance(40) {
        const RETRY_AFTER: [&str; 12] = [
            "0",
            "1",
            "-1",
            "abc",
            "99999999999999999999",
            "1.5",
            "",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 99 Foo 2020 99:99:99 GMT",
            " 0 ",
            "0, 0",
        ];
        headers.push(("retry-after".into(), text(rng.pick::<&str>(&RETRY_AFTER))));
    }
    if rng.chance(20) {
        const MS: [&str; 9] = ["0", "10", "-5", "NaN", "inf", "1e400", "abc", "50.5", "18446744073709551616"];
        headers.push(("retry-after-ms".into(), text(rng.pick::<&str>(&MS))));
    }
    if rng.chance(25) {
        const LINKS: [&str; 9] = [
            "<",
            ">",
            "<>; rel=next",
            "rel=next",
            "<http://x/?a=1>; rel=\"next",
            "<https://other.example/p2>; rel=\"next\", <",
            "<a>; rel=\"prev next\"; title=\",\", <b>; rel=next",
            "<\u{00e9}>; rel=next",
            ";;;,,,<<>>",
        ];
        headers.push(("link".into(), text(rng.pick::<&str>(&LINKS))));
    }
    if rng.chance(15) {
        headers.push(("x-should-retry".into(), text(rng.pick::<&str>(&["true", "false", "maybe"]))));
    }
    if rng.chance(20) {
        const TYPES: [&str; 5] = ["application/json", "text/event-stream", "text/plain; charset=utf-8", "", ";;"];
        headers.push(("content-type".into(), text(rng.pick::<&str>(&TYPES))));
    }
    if rng.chance(10) {
        headers.push(("x-bin".into(), vec![0xff, 0xfe, b'a', 0x80]));
    }
    if rng.chance(10) {
        headers.push(("set-cookie".into(), text("sid=s3cret; HttpOnly")));
    }
    if rng.chance(4) {
        headers.push(("x-long".into(), vec![b'a'; 16 * 1024]));
    }
    if rng.chance(3) {
        for i in 0..150 {
            headers.push((format!("x-many-{i}"), text("1")));
        }
    }
    let len = body.len();
    let (framing, body) = match rng.below(12) {
        0 => (Some(format!("{}", len + 1 + rng.below(1000) as usize)), body),
        1 => (Some(format!("{}", len.saturating_sub(1 + rng.below(10) as usize))), body),
        2 => (Some(rng.pick(&["abc", "-1", "99999999999999999999", "", "1, 2"]).to_string()), body),
        3 => (None, body),
        4 | 5 => {
            headers.push(("transfer-encoding".into(), text("chunked")));
            (None, chunked(rng, &body))
        }
        _ => (Some(len.to_string()), body),
    };
    if let Some(length) = framing {
        headers.push(("content-length".into(), length.into_bytes()));
    }
    if rng.chance(5) {
        // A second, different length.
        headers.push(("content-length".into(), text("7")));
    }
    let mut head = status_line;
    head.extend_from_slice(b"\r\n");
    for (name, value) in &headers {
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    let delivery = match rng.below(20) {
        0 | 1 => Delivery::Dribble,
        2 => Delivery::CutHead,
        3 | 4 => Delivery::CutBody,
        5 => Delivery::StallFirst,
        6 => Delivery::StallInBody,
        7 => Delivery::Nothing,
        _ => Delivery::Whole,
    };
    let should_retry = headers.iter().find(|(n, _)| n == "x-should-retry").map(|(_, v)| match v.as_slice() {
        b"true" => "true",
        b"false" => "false",
        _ => "other",
    });
    Reply { head, body, delivery, stall: STALL, status, should_retry }
}

fn random_body(rng: &mut Rng) -> Vec<u8> {
    match rng.below(16) {
        0 => text(r#"{"ok": true, "success": true, "result": {"a": 1}, "result_info": {"page": 1}}"#),
        1 => text("[]"),
        2 => text("null"),
        3 => Vec::new(),
        4 => text(r#"{"success": false, "errors": [{"code": 7, "message": "no"}], "messages": "x"}"#),
        5 => text(r#"{"errors": "not a list", "message": 5, "error": {"message": ["x"]}}"#),
        6 => text(r#"{"ok": "#),
        7 => text("}{"),
        8 => vec![0xff, 0xfe, 0xfd, b'{', 0x80],
        9 => [&b"{\"a\": \""[..], &[0xc3, 0x28, 0xff], b"\"}"].concat(),
        10 => [&b"\""[..], &vec![b'a'; 1_500_000], &b"\""[..]].concat(),
        11 => [vec![b'['; 20_000], vec![b']'; 20_000]].concat(),
        12 => text("data: {\"n\": 1}\n\ndata: {\"n\": "),
        13 => text("retry: abc\nid: 1\0\nevent: x\r\ndata: {\"n\": 2}\r\r: c\n\ndata: [DONE]\n\ndata: 3\n\n"),
        14 => (0..rng.below(4096)).map(|_| rng.next() as u8).collect(),
        _ => text(r#"{"a": 1}"#),
    }
}

fn text(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// `body` in chunked framing, now and then broken.
fn chunked(rng: &mut Rng, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let n = rest.len().min(1 + rng.below(70_000) as usize);
        out.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        out.extend_from_slice(&rest[..n]);
        out.extend_from_slice(b"\r\n");
        rest = &rest[n..];
    }
    match rng.below(6) {
        0 => out.extend_from_slice(b"zz\r\n"),
        1 => out.extend_from_slice(b"ffffffffffffffffff\r\n"),
        2 => {}
        _ => out.extend_from_slice(b"0\r\n\r\n"),
    }
    out
}

/// What a call asks for and how its answer is read.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Json,
    Enveloped,
    Bytes,
    Stream,
    Events,
}

struct Case {
    number: u64,
    method: Method,
    kind: Kind,
    replies: Vec<Reply>,
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "case {} ({} {:?}): {:#?}", self.number, self.method, self.kind, self.replies)
    }
}

fn random_case(number: u64) -> Case {
    let mut rng = Rng(SEED ^ number.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let method = rng.pick(&[Method::GET, Method::POST, Method::PATCH, Method::PUT, Method::DELETE]).clone();
    let kind = *rng.pick(&[Kind::Json, Kind::Enveloped, Kind::Bytes, Kind::Stream, Kind::Events]);
    let mut replies: Vec<Reply> = (0..=MAX_RETRIES).map(|_| random_reply(&mut rng)).collect();
    for reply in &mut replies {
        if matches!(kind, Kind::Stream | Kind::Events) && reply.delivery == Delivery::StallInBody {
            reply.stall = STREAM_STALL;
        }
    }
    Case { number, method, kind, replies }
}

/// Reads one request (its head, and a body of the length it announces).
async fn read_request(socket: &mut TcpStream) -> std::io::Result<()> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(i) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    let mut body = seen.len() - head_end;
    while body < length {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        body += n;
    }
    Ok(())
}

async fn answer(mut socket: TcpStream, reply: Reply) -> std::io::Result<()> {
    let Reply { head, body, delivery, stall, .. } = reply;
    match delivery {
        Delivery::Whole => {
            socket.write_all(&head).await?;
            socket.write_all(&body).await?;
        }
        Delivery::Dribble => {
            let all = [head, body].concat();
            // A long answer goes in bigger pieces, so that a case takes little time.
            let piece = (all.len() / 200).max(3);
            for chunk in all.chunks(piece) {
                socket.write_all(chunk).await?;
                socket.flush().await?;
                tokio::task::yield_now().await;
            }
        }
        Delivery::CutHead => socket.write_all(&head[..head.len() / 2]).await?,
        Delivery::CutBody => {
            socket.write_all(&head).await?;
            socket.write_all(&body[..body.len() / 2]).await?;
        }
        Delivery::StallFirst => tokio::time::sleep(stall).await,
        Delivery::StallInBody => {
            socket.write_all(&head).await?;
            socket.write_all(&body[..body.len() / 2]).await?;
            socket.flush().await?;
            tokio::time::sleep(stall).await;
            socket.write_all(&body[body.len() / 2..]).await?;
        }
        Delivery::Nothing => {}
    }
    socket.flush().await?;
    let _ = socket.shutdown().await;
    Ok(())
}

/// Serves `replies` (the last one again past the end) on `listener`, counting the requests
/// read in `count`.
async fn serve(listener: TcpListener, replies: Vec<Reply>, count: Arc<AtomicUsize>) {
    // Dropped with the server: no connection outlives its case.
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let replies = replies.clone();
        let count = count.clone();
        connections.spawn(async move {
            let read = tokio::time::timeout(Duration::from_secs(5), read_request(&mut socket)).await;
            if !matches!(read, Ok(Ok(()))) {
                return;
            }
            let n = count.fetch_add(1, Ordering::SeqCst);
            let reply = replies[n.min(replies.len() - 1)].clone();
            let _ = answer(socket, reply).await;
        });
    }
}

/// What a call ended with: its value's kind, or its error.
#[derive(Debug)]
enum Outcome {
    Value,
    Failed(Error),
}

/// Runs one case; `Err` says which property broke.
async fn run(case: &Case) -> Result<(), String> {
    let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let base = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
    let count = Arc::new(AtomicUsize::new(0));
    let server = tokio::spawn(serve(listener, case.replies.clone(), count.clone()));
    let client = ClientBuilder::new(&SPEC)
        .base_url(base)
        .timeout(TIMEOUT)
        .max_retries(MAX_RETRIES)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(5))
        .max_retry_after(MAX_RETRY_AFTER)
        .build()
        .map_err(|e| e.to_string())?;
    let request = || {
        let request = Request::new(case.method.clone(), "/fuzz".into());
        match case.method {
            Method::POST | Method::PATCH | Method::PUT => request.json(&serde_json::json!({"n": case.number})),
            _ => Ok(request),
        }
    };
    let attempts = MAX_RETRIES + 1;
    let bound = TIMEOUT * attempts + MAX_RETRY_AFTER * MAX_RETRIES + SLACK;
    let started = Instant::now();
    let call = async {
        use futures_util::StreamExt as _;
        // A streamed body is read within its own bound: the server goes on after a stall.
        let body_bound = STREAM_STALL + SLACK;
        let outcome = match case.kind {
            Kind::Json => Call::<Value>::json(&client, request).with_response().await.map(|response| {
                // What a paginated stream reads of it, and what a caller may print.
                let _ = (link_next(response.headers()), response.request_id(), format!("{response:?}"));
            }),
            Kind::Enveloped => Call::<Value>::enveloped(&client, request).await.map(|_| ()),
            Kind::Bytes => Call::bytes(&client, request).await.map(|_| ()),
            Kind::Stream => match Call::bytes(&client, request).stream().await {
                Ok(mut body) => {
                    let read = tokio::time::timeout(body_bound, async {
                        while let Some(chunk) = body.next().await {
                            if let Err(e) = chunk {
                                if !matches!(e, Error::Transport(_)) {
                                    return Err(format!("a chunk's error is not Transport: {e:?}"));
                                }
                            }
                        }
                        Ok(())
                    });
                    read.await.map_err(|_| "the streamed body hung".to_string())??;
                    Ok(())
                }
                Err(e) => Err(e),
            },
            Kind::Events => match Call::<EventStream<Value>>::events(&client, request).await {
                Ok(mut events) => {
                    let read = tokio::time::timeout(body_bound, async {
                        while let Some(event) = events.next().await {
                            if let Err(e) = event {
                                if !matches!(e, Error::Transport(_) | Error::Decode { .. }) {
                                    return Err(format!("an event's error is not Transport or Decode: {e:?}"));
                                }
                            }
                        }
                        Ok(())
                    });
                    read.await.map_err(|_| "the event stream hung".to_string())??;
                    Ok(())
                }
                Err(e) => Err(e),
            },
        };
        Ok::<_, String>(match outcome {
            Ok(()) => Outcome::Value,
            Err(e) => {
                let _ = (format!("{e} {e:?}"), e.is_retryable(), e.api().map(|api| link_next(&api.headers)));
                Outcome::Failed(e)
            }
        })
    };
    let outcome = tokio::time::timeout(bound, call).await;
    let elapsed = started.elapsed();
    server.abort();
    let outcome = outcome.map_err(|_| format!("the call hung past {bound:?}"))??;
    let requests = count.load(Ordering::SeqCst);
    if requests > attempts as usize {
        return Err(format!("{requests} requests, more than {attempts} attempts"));
    }
    if matches!(case.method, Method::POST | Method::PATCH) {
        if let Some(i) = (0..requests.saturating_sub(1)).find(|&i| !case.replies[i].allows_a_repeat()) {
            return Err(format!("the write was sent again after reply {i}, which the server may have acted on"));
        }
    }
    let last = requests.checked_sub(1).map(|i| &case.replies[i.min(case.replies.len() - 1)]);
    match &outcome {
        Outcome::Value => {
            let status = last.and_then(|r| r.status);
            if !status.is_some_and(|s| (200..300).contains(&s)) {
                return Err(format!("a value after {elapsed:?}, the last answer's status being {status:?}"));
            }
        }
        Outcome::Failed(Error::Api(api)) => {
            let status = last.and_then(|r| r.status);
            if status != Some(api.status) {
                return Err(format!("Api error of status {}, the last answer's being {status:?}", api.status));
            }
        }
        Outcome::Failed(Error::Decode { .. } | Error::Transport(_) | Error::Timeout) => {}
        Outcome::Failed(other) => return Err(format!("an untyped outcome: {other:?}")),
    }
    Ok(())
}

#[test]
fn responses_of_any_shape_end_in_a_value_or_a_typed_error_without_unsafe_repeats() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(all_cases());
}

async fn all_cases() {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for number in 0..CASES {
        tasks.push(tokio::spawn(async move {
            let case = random_case(number);
            run(&case).await.map_err(|why| format!("{why}\n{case:?}"))
        }));
    }
    let mut failures = Vec::new();
    for (number, task) in tasks.into_iter().enumerate() {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(why)) => failures.push(why),
            Err(e) => failures.push(format!("case {number} panicked: {e}")),
        }
    }
    assert!(failures.is_empty(), "{} of {CASES} cases failed:\n{}", failures.len(), failures.join("\n\n"));
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
}
