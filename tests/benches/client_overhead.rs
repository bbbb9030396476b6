//! Client overhead: the generated `images-edit` client against a hand-written reqwest call.
//!
//! Both sides send the same request, `PATCH /accounts/acc123/images/v1/img456` with a bearer
//! token, `content-type`/`accept: application/json`, the same user-agent and the JSON body
//! `{"requireSignedURLs":true}`, and decode the same Cloudflare envelope into an `Image`:
//!
//! - (a) generated: `client.images().v1().edit("img456", V1EditParams { .. })`;
//! - (b) hand-written: one shared `reqwest::Client` (same reqwest 0.12 build) with the same
//!   60 s timeout as the generated client's default, status check,
//!   read the body, serde-decode `{errors, messages, result, success}` into a hand-written
//!   struct with the same fields, return `result`.
//!
//! The server is in this process: a minimal HTTP/1.1 keep-alive server on 127.0.0.1 (tokio,
//! own thread and single-threaded runtime, one reused buffer per connection) answering every
//! request with the same fixed success envelope. The clients run sequentially on a
//! single-threaded runtime of the main thread, each over its own kept-alive connection.
//!
//! Before measuring, the bench asserts that both clients decode equal values and that the
//! server received the same request line, headers and body from both. Then each client is
//! warmed up (200 requests) and measured in 5 rounds of `SDKGEN_BENCH_REQUESTS` (default 2000)
//! sequential requests per client; within a round the clients take turns every 50 requests, the
//! order alternating (a b, b a, a b...), so that drift and background load hit both alike.
//! Reported: the median req/s of the rounds per client, and heap allocations and bytes per
//! request, counted by a `#[global_allocator]` wrapping `System` over all the measured
//! requests (a `realloc` counts as one allocation of its new size). Those counts are
//! process-wide, so they include the server's, which does the same work for both clients;
//! its own share (allocations on its thread) is printed too.
//!
//! Run with `cargo bench -p sdkgen-tests --bench client_overhead`; with `--features tracing`
//! the generated client records a span per call (and the subscriber formats every field),
//! which the hand-written call does not.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use images_edit::images::V1EditParams;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "bench-token";
const ACCOUNT_ID: &str = "acc123";
const IMAGE_ID: &str = "img456";
/// The generated crate's user-agent, so that both clients send identical headers.
const USER_AGENT_VALUE: &str = "images-edit/0.1.0 sdkgen/0.1.0";
const RESPONSE_BODY: &str = concat!(
    r#"{"errors":[],"messages":[],"result":{"id":"img456","filename":"logo.png","meta":{},"#,
    r#""requireSignedURLs":true,"uploaded":"2024-01-01T00:00:00Z","variants":["#,
    r#""https://imagedelivery.net/ZWd9g1K7eljCn_KDTu_MWA/img456/public","#,
    r#""https://imagedelivery.net/ZWd9g1K7eljCn_KDTu_MWA/img456/thumbnail"],"creator":null},"#,
    r#""success":true}"#
);
const WARMUP: usize = 200;
const ROUNDS: usize = 5;
/// Requests per client between switches from one client to the other, within a round.
const CHUNK: usize = 50;

// ---------------------------------------------------------------- allocation counting

/// Counts every allocation (and its size) of the process, and separately those of the server.
struct CountingAlloc;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
static SERVER_ALLOCS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set on the server's thread.
    static ON_SERVER: Cell<bool> = const { Cell::new(false) };
}

fn count(size: usize) {
    ALLOCS.fetch_add(1, Relaxed);
    BYTES.fetch_add(size as u64, Relaxed);
    if ON_SERVER.try_with(Cell::get).unwrap_or(false) {
        SERVER_ALLOCS.fetch_add(1, Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to `System`; counting has no effect on memory.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

// ---------------------------------------------------------------- the server

/// What the server records while `on` is set: the raw bytes of each request.
#[derive(Default)]
struct Capture {
    on: AtomicBool,
    requests: Mutex<Vec<Vec<u8>>>,
}

/// Starts the server on its own thread; returns its address.
fn start_server(capture: Arc<Capture>) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.set_nonblocking(true).expect("non-blocking listener");
    let addr = listener.local_addr().expect("local address");
    let head =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", RESPONSE_BODY.len());
    let response: &'static [u8] = format!("{head}{RESPONSE_BODY}").into_bytes().leak();
    std::thread::Builder::new()
        .name("server".into())
        .spawn(move || {
            ON_SERVER.set(true);
            let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build().expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    let (stream, _) = listener.accept().await.expect("accept");
                    stream.set_nodelay(true).expect("TCP_NODELAY");
                    tokio::spawn(serve(stream, response, capture.clone()));
                }
            })
        })
        .expect("server thread");
    addr
}

/// Answers each request of one connection with `response`, until the client closes it.
async fn serve(stream: TcpStream, response: &'static [u8], capture: Arc<Capture>) -> io::Result<()> {
    let mut buf = vec![0u8; 16 * 1024];
    let mut filled = 0;
    loop {
        let len = loop {
            if let Some(len) = request_len(&buf[..filled])? {
                break len;
            }
            if filled == buf.len() {
                return Err(io::Error::other("request larger than the buffer"));
            }
            stream.readable().await?;
            match stream.try_read(&mut buf[filled..]) {
                Ok(0) => return Ok(()),
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        };
        if capture.on.load(Relaxed) {
            capture.requests.lock().unwrap().push(buf[..len].to_vec());
        }
        let mut rest = response;
        while !rest.is_empty() {
            stream.writable().await?;
            match stream.try_write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        buf.copy_within(len..filled, 0);
        filled -= len;
    }
}

/// The length of the first request in `data` (head and `content-length` body), once complete.
fn request_len(data: &[u8]) -> io::Result<Option<usize>> {
    let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = std::str::from_utf8(&data[..end]).map_err(io::Error::other)?;
    let mut body_len = 0;
    for (name, value) in head.lines().skip(1).filter_map(|line| line.split_once(':')) {
        if name.trim().eq_ignore_ascii_case("content-length") {
            body_len = value.trim().parse().map_err(io::Error::other)?;
        }
    }
    let total = end + 4 + body_len;
    Ok((data.len() >= total).then_some(total))
}

/// A captured request as (request line, sorted `name: value` headers, body).
fn split_request(raw: &[u8]) -> (String, Vec<String>, Vec<u8>) {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.lines();
    let request_line = lines.next().unwrap().to_owned();
    let mut headers: Vec<String> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            format!("{}: {}", name.trim().to_ascii_lowercase(), value.trim())
        })
        .collect();
    headers.sort();
    (request_line, headers, raw[end + 4..].to_vec())
}

// ---------------------------------------------------------------- (b) the hand-written client

#[derive(Serialize)]
struct EditBody {
    #[serde(rename = "requireSignedURLs")]
    require_signed_urls: bool,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[allow(dead_code)]
    errors: Vec<serde_json::Value>,
    #[allow(dead_code)]
    messages: Vec<serde_json::Value>,
    result: Option<T>,
    success: bool,
}

#[derive(Debug, Deserialize)]
struct Image {
    id: Option<String>,
    filename: Option<String>,
    meta: Option<serde_json::Value>,
    #[serde(rename = "requireSignedURLs")]
    require_signed_urls: Option<bool>,
    uploaded: Option<DateTime<Utc>>,
    variants: Option<Vec<String>>,
    creator: Option<String>,
}

type BoxError = Box<dyn std::error::Error>;

async fn hand_written_edit(
    http: &reqwest::Client,
    base: &str,
    account_id: &str,
    image_id: &str,
) -> Result<Image, BoxError> {
    let body = serde_json::to_vec(&EditBody { require_signed_urls: true })?;
    let response = http
        .patch(format!("{base}/accounts/{account_id}/images/v1/{image_id}"))
        .bearer_auth(TOKEN)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .header(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE))
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    let bytes = response.bytes().await?;
    let envelope: Envelope<Image> = serde_json::from_slice(&bytes)?;
    match envelope.result {
        Some(image) if envelope.success => Ok(image),
        _ => Err("unsuccessful envelope".into()),
    }
}

// ---------------------------------------------------------------- measurement

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Generated,
    HandWritten,
}

struct Clients {
    /// `SDKGEN_BENCH_CALIBRATE=1`: side (a) makes the hand-written call too, so that the
    /// printed overhead is the harness's own bias (expected: about 0 %).
    calibrate: bool,
    generated: images_edit::Client,
    http: reqwest::Client,
    base: String,
}

impl Clients {
    async fn generated(&self) -> images_edit::types::Image {
        let params = V1EditParams::new(ACCOUNT_ID).require_signed_urls(true);
        self.generated.images().v1().edit(IMAGE_ID, params).await.expect("generated client")
    }

    async fn hand_written(&self) -> Image {
        hand_written_edit(&self.http, &self.base, ACCOUNT_ID, IMAGE_ID).await.expect("hand-written client")
    }

    /// Sends `n` sequential requests with `side`.
    async fn run(&self, side: Side, n: usize) {
        for _ in 0..n {
            match side {
                Side::Generated if self.calibrate => drop(black_box(self.hand_written().await)),
                Side::Generated => drop(black_box(self.generated().await)),
                Side::HandWritten => drop(black_box(self.hand_written().await)),
            }
        }
    }
}

/// Totals of one side over the measured rounds.
#[derive(Default)]
struct Totals {
    /// Requests per second of each finished round.
    rps: Vec<f64>,
    /// Time and requests of the current round so far.
    round_time: Duration,
    round_requests: u64,
    requests: u64,
    allocs: u64,
    bytes: u64,
    server_allocs: u64,
}

impl Totals {
    /// Sends `n` sequential requests with `side`, adding their time and allocations.
    async fn measure(&mut self, clients: &Clients, side: Side, n: usize) {
        let (allocs, bytes, server) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed), SERVER_ALLOCS.load(Relaxed));
        let start = Instant::now();
        clients.run(side, n).await;
        self.round_time += start.elapsed();
        self.allocs += ALLOCS.load(Relaxed) - allocs;
        self.bytes += BYTES.load(Relaxed) - bytes;
        self.server_allocs += SERVER_ALLOCS.load(Relaxed) - server;
        self.round_requests += n as u64;
        self.requests += n as u64;
    }

    fn end_round(&mut self) {
        self.rps.push(self.round_requests as f64 / self.round_time.as_secs_f64());
        (self.round_time, self.round_requests) = (Duration::ZERO, 0);
    }

    fn median_rps(&self) -> f64 {
        let mut rps = self.rps.clone();
        rps.sort_by(f64::total_cmp);
        rps[rps.len() / 2]
    }

    fn per_request(&self, total: u64) -> f64 {
        total as f64 / self.requests as f64
    }
}

/// One round: `requests` requests per client, in chunks of [`CHUNK`] alternating a b, b a, a b...
/// so that both clients see the same background load.
async fn round(clients: &Clients, a: &mut Totals, b: &mut Totals, requests: usize) {
    let (mut done, mut generated_first) = (0, true);
    while done < requests {
        let n = CHUNK.min(requests - done);
        if generated_first {
            a.measure(clients, Side::Generated, n).await;
            b.measure(clients, Side::HandWritten, n).await;
        } else {
            b.measure(clients, Side::HandWritten, n).await;
            a.measure(clients, Side::Generated, n).await;
        }
        (done, generated_first) = (done + n, !generated_first);
    }
    a.end_round();
    b.end_round();
}

/// Checks that both clients do the same work: same request on the wire, same decoded values.
async fn check_same_work(clients: &Clients, capture: &Capture) {
    capture.on.store(true, Relaxed);
    let generated = clients.generated().await;
    let hand = clients.hand_written().await;
    capture.on.store(false, Relaxed);
    let requests = std::mem::take(&mut *capture.requests.lock().unwrap());
    assert_eq!(requests.len(), 2, "the server should have captured one request per client");
    let (gen_request, hand_request) = (split_request(&requests[0]), split_request(&requests[1]));
    assert_eq!(gen_request, hand_request, "both clients must send the same request");
    assert_eq!(gen_request.2, br#"{"requireSignedURLs":true}"#);

    assert_eq!(generated.id, hand.id);
    assert_eq!(generated.filename, hand.filename);
    assert_eq!(generated.require_signed_urls, hand.require_signed_urls);
    assert_eq!(generated.variants, hand.variants);
    assert_eq!(generated.uploaded, hand.uploaded);
    assert_eq!(generated.meta, hand.meta);
    assert_eq!(generated.creator, hand.creator);
    assert_eq!(generated.id.as_deref(), Some(IMAGE_ID));
    assert_eq!(generated.variants.as_ref().map(Vec::len), Some(2));

    let (request_line, headers, body) = gen_request;
    println!("Both clients send the same request and decode the same image:\n");
    println!("    {request_line}");
    for header in headers {
        println!("    {header}");
    }
    println!("    {}\n", String::from_utf8_lossy(&body));
}

async fn bench(addr: SocketAddr, capture: Arc<Capture>, requests: usize) {
    let base = format!("http://{addr}");
    let generated = images_edit::Client::builder().base_url(&base).api_token(TOKEN).build().expect("generated client");
    // The generated client times out each attempt after 60 s by default; so does this one.
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("reqwest client");
    let calibrate = std::env::var_os("SDKGEN_BENCH_CALIBRATE").is_some();
    if calibrate {
        println!("calibration: both sides make the hand-written call\n");
    }
    let clients = Clients { calibrate, generated, http, base };

    check_same_work(&clients, &capture).await;

    clients.run(Side::Generated, WARMUP).await;
    clients.run(Side::HandWritten, WARMUP).await;
    let (mut a, mut b) = (Totals::default(), Totals::default());
    for _ in 0..ROUNDS {
        round(&clients, &mut a, &mut b, requests).await;
    }

    let (gen_rps, hand_rps) = (a.median_rps(), b.median_rps());
    let (gen_allocs, hand_allocs) = (a.per_request(a.allocs), b.per_request(b.allocs));
    let (gen_bytes, hand_bytes) = (a.per_request(a.bytes), b.per_request(b.bytes));
    let rounds = |t: &Totals| t.rps.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(", ");

    println!("{ROUNDS} rounds x {requests} sequential requests per client (after {WARMUP} warm-up requests each)\n");
    println!("| client | req/s (median of {ROUNDS}) | allocs/req | bytes/req |");
    println!("|---|---:|---:|---:|");
    println!("| (a) generated `images_edit` | {gen_rps:.0} | {gen_allocs:.1} | {gen_bytes:.0} |");
    println!("| (b) hand-written reqwest | {hand_rps:.0} | {hand_allocs:.1} | {hand_bytes:.0} |");
    println!(
        "| ratio a/b | {:.3} | {:.2} | {:.2} |",
        gen_rps / hand_rps,
        gen_allocs / hand_allocs,
        gen_bytes / hand_bytes
    );
    println!();
    println!("req/s per round: (a) {}; (b) {}", rounds(&a), rounds(&b));
    println!(
        "allocations are process-wide and include the in-process server (the same for both clients); \
         its thread allocated {:.2}/req during (a) and {:.2}/req during (b)",
        a.per_request(a.server_allocs),
        b.per_request(b.server_allocs)
    );
    println!(
        "extra per request in (a): {:+.1} allocations, {:+.0} bytes",
        gen_allocs - hand_allocs,
        gen_bytes - hand_bytes
    );
    println!("generated client overhead: {:.1} % (target ≤ 5 %)", (hand_rps / gen_rps - 1.0) * 100.0);
}

/// With the `tracing` feature: a subscriber that takes every span and event and formats
/// each of their fields, as a logging or exporting subscriber would at the least.
#[cfg(feature = "tracing")]
mod spans {
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    use tracing::field::{Field, Visit};

    pub struct Formatting(AtomicU64);

    thread_local! {
        static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }

    struct Fields;

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            TEXT.with(|t| {
                let mut t = t.borrow_mut();
                t.clear();
                let _ = write!(t, "{}={value:?}", field.name());
                std::hint::black_box(t.len());
            });
        }
    }

    impl tracing::Subscriber for Formatting {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            span.record(&mut Fields);
            tracing::span::Id::from_u64(self.0.fetch_add(1, Ordering::Relaxed) + 1)
        }
        fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
            values.record(&mut Fields);
        }
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            event.record(&mut Fields);
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    pub fn install() {
        tracing::subscriber::set_global_default(Formatting(AtomicU64::new(0))).expect("one subscriber");
        println!("tracing: on (the generated client's span per call, taken by a subscriber that formats each field)\n");
    }
}

fn main() {
    #[cfg(feature = "tracing")]
    spans::install();
    #[cfg(not(feature = "tracing"))]
    println!("tracing: off (`--features tracing` turns the generated client's spans on)\n");
    let requests = match std::env::var("SDKGEN_BENCH_REQUESTS") {
        Ok(value) => value.parse().expect("SDKGEN_BENCH_REQUESTS must be a positive integer"),
        Err(_) => 2000,
    };
    assert!(requests > 0, "SDKGEN_BENCH_REQUESTS must be a positive integer");
    let capture = Arc::new(Capture::default());
    let addr = start_server(capture.clone());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
    runtime.block_on(bench(addr, capture, requests));
}
