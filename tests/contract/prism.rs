//! Harness for contract tests against [Prism](https://github.com/stoplightio/prism), an OpenAPI
//! mock server that validates every request against the spec.
//!
//! Include it from an integration test of the `tests` crate with
//!
//! ```ignore
//! #[path = "contract/prism.rs"]
//! mod prism;
//! ```
//!
//! What Prism 5.14 does here (pinned in `tests/contract/package.json`):
//! - It serves the spec's paths at the root, *without* the `servers` URL's path: the SDK's base URL
//!   is [`Prism::base_url`] (`http://127.0.0.1:PORT`), not `.../client/v4`.
//! - A request that breaks the spec gets a 4xx (422 for a bad body or parameter, 401 when no
//!   security requirement is met, 415 for a wrong `Content-Type`) and an `sl-violations` header
//!   whose locations start with `"request"`. Invalid JSON gets a plain 400 without that header.
//! - A *valid* request may still carry `sl-violations`, about Prism's own *response* (locations
//!   start with `"response"`): Cloudflare's example image id is longer than its `maxLength: 32`.
//!   So check [`request_violations`], not the mere presence of the header.
//!
//! The server runs in its own process group; dropping [`Prism`] terminates the whole group. A
//! watchdog in that group also ends it within about a second of the test process exiting, however
//! it exits (panic=abort, SIGKILL, Ctrl-C), so [`Prism::shared`] instances, which are never
//! dropped, do not outlive the test binary either.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

/// How long Prism may take to answer after spawning (it takes about 4 s on an idle 2-core
/// machine, most of it loading Node modules). Override with `PRISM_STARTUP_TIMEOUT_SECS`.
const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How often spawning is retried when the chosen port was taken in the meantime.
const PORT_ATTEMPTS: usize = 3;
/// Path used to probe readiness; Prism answers it with a 404 naming itself.
const PROBE_PATH: &str = "/__sdkgen_prism_readiness_probe";

/// The repository root (the parent of the `tests` crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests crate has a parent directory").to_path_buf()
}

/// `tests/contract`, which holds `package.json`, `package-lock.json` and `node_modules`.
pub fn contract_dir() -> PathBuf {
    repo_root().join("tests").join("contract")
}

/// Our spec for the edit operation: `<repo>/openapi/images-edit.yaml`.
pub fn our_spec() -> PathBuf {
    repo_root().join("openapi").join("images-edit.yaml")
}

/// Cloudflare's spec for the edit operation, in `shared/` beside the repository:
/// `<repo>/../shared/specs/cloudflare/images-edit.yaml`.
pub fn cloudflare_spec() -> PathBuf {
    repo_root().join("..").join("shared").join("specs").join("cloudflare").join("images-edit.yaml")
}

/// Scratch space for logs and the install lock: Cargo's per-target temp dir for integration tests,
/// else the system temp dir.
fn scratch_dir() -> PathBuf {
    let base = option_env!("CARGO_TARGET_TMPDIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let dir = base.join("sdkgen-prism");
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// A running `prism mock` server on 127.0.0.1.
pub struct Prism {
    child: Child,
    watchdog: Option<Child>,
    /// `http://127.0.0.1:PORT`, with no trailing slash.
    pub base_url: String,
    pub port: u16,
    /// Prism's stdout and stderr (one line per request, with its violations).
    pub log_path: PathBuf,
    pub spec: PathBuf,
}

impl Prism {
    /// Starts `prism mock` on `spec` and waits until it answers HTTP. Installs Prism with
    /// `npm ci` first if `tests/contract/node_modules` lacks it. Panics with Prism's log on failure.
    pub fn start(spec: &Path) -> Prism {
        let spec = fs::canonicalize(spec)
            .unwrap_or_else(|e| panic!("OpenAPI spec {} for Prism not found: {e}", spec.display()));
        let bin = ensure_installed();
        let timeout = std::env::var("PRISM_STARTUP_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_STARTUP_TIMEOUT);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::try_start(&bin, &spec, timeout) {
                Ok(prism) => return prism,
                Err(StartError::PortTaken(log)) if attempt < PORT_ATTEMPTS => {
                    eprintln!("prism: port taken, retrying ({})", log.display());
                }
                Err(StartError::PortTaken(log)) => {
                    panic!("Prism could not bind a port after {PORT_ATTEMPTS} attempts\n{}", log_report(&log))
                }
                Err(StartError::Failed(msg)) => panic!("{msg}"),
            }
        }
    }

    /// One server per spec for the whole test binary, started on first use and never dropped (the
    /// watchdog ends it when the test process exits). Saves ~4 s of startup per test.
    pub fn shared(spec: &Path) -> &'static Prism {
        static SHARED: OnceLock<Mutex<HashMap<PathBuf, &'static Prism>>> = OnceLock::new();
        let key = fs::canonicalize(spec).unwrap_or_else(|_| spec.to_path_buf());
        // Holding the lock while starting serialises starts, which on 2 cores is faster anyway.
        // A panic while starting poisons it; later callers then panic too, which is what we want.
        let mut map = SHARED.get_or_init(Default::default).lock().unwrap();
        if let Some(prism) = map.get(&key) {
            return prism;
        }
        let prism: &'static Prism = Box::leak(Box::new(Prism::start(spec)));
        map.insert(key, prism);
        prism
    }

    fn try_start(bin: &Path, spec: &Path, timeout: Duration) -> Result<Prism, StartError> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let port = free_port();
        let log_path = scratch_dir().join(format!(
            "prism-{}-{}-{port}.log",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let log = File::create(&log_path).unwrap_or_else(|e| panic!("cannot create {}: {e}", log_path.display()));
        let log_err = log.try_clone().expect("clone log file handle");

        let child = Command::new(bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .current_dir(contract_dir())
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .process_group(0)
            .spawn()
            .map_err(|e| StartError::Failed(format!("cannot spawn {}: {e}", bin.display())))?;
        let pgid = child.id();
        let watchdog = spawn_watchdog(pgid);
        let mut prism = Prism {
            child,
            watchdog,
            base_url: format!("http://127.0.0.1:{port}"),
            port,
            log_path,
            spec: spec.to_path_buf(),
        };

        let started = Instant::now();
        loop {
            if let Some(status) = prism.child.try_wait().ok().flatten() {
                let log = prism.log();
                // `prism` (dropped here) still kills the watchdog left in the group.
                if log.contains("EADDRINUSE") {
                    return Err(StartError::PortTaken(prism.log_path.clone()));
                }
                return Err(StartError::Failed(format!(
                    "Prism exited during startup ({status}) on {}\n{}",
                    spec.display(),
                    log_report(&prism.log_path)
                )));
            }
            if prism.is_ready() {
                return Ok(prism);
            }
            if started.elapsed() > timeout {
                return Err(StartError::Failed(format!(
                    "Prism did not answer on {} within {timeout:?} (set PRISM_STARTUP_TIMEOUT_SECS to wait longer)\n{}",
                    prism.base_url,
                    log_report(&prism.log_path)
                )));
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// True once the server answers HTTP as Prism (a probe request gets Prism's own 404; it shows
    /// in the log as "Route not resolved, no path matched").
    fn is_ready(&self) -> bool {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            return false;
        }
        // A short timeout: whoever else may hold the port need not answer.
        match self.try_request("GET", PROBE_PATH, &[], None, Duration::from_secs(2)) {
            Ok(resp) => {
                resp.body.contains("stoplight.io/prism")
                    || resp.body.contains("NO_PATH_MATCHED")
                    || self.log().contains("Prism is listening")
            }
            Err(_) => false,
        }
    }

    /// Prism's process id, which is also its process group id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `base_url` joined with `path` (which should start with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Everything Prism has logged so far.
    pub fn log(&self) -> String {
        fs::read(&self.log_path).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
    }

    /// Sends one HTTP/1.1 request with std only (`Connection: close`) and returns the response.
    /// For probing Prism directly; the SDK under test brings its own client. Panics on I/O errors.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> RawResponse {
        self.try_request(method, path, headers, body, Duration::from_secs(30))
            .unwrap_or_else(|e| panic!("{method} {} failed: {e}\n{}", self.url(path), log_report(&self.log_path)))
    }

    fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
        timeout: Duration,
    ) -> io::Result<RawResponse> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", self.port);
        for (name, value) in headers {
            req.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        if let Some(body) = body {
            req.push_str(body);
        }
        stream.write_all(req.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        RawResponse::parse(&raw)
    }

    fn stop(&mut self) {
        let pgid = self.child.id();
        // Ask the whole group to stop, then wait for the leader to exit *without reaping it*, so
        // the group id cannot be reused before the final SIGKILL sweeps any leftovers.
        signal_group(pgid, "TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !has_exited(pgid) && Instant::now() < deadline {
            sleep(Duration::from_millis(20));
        }
        signal_group(pgid, "KILL");
        let _ = self.child.wait();
        if let Some(watchdog) = self.watchdog.as_mut() {
            let _ = watchdog.wait();
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for Prism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prism")
            .field("base_url", &self.base_url)
            .field("pid", &self.child.id())
            .field("log_path", &self.log_path)
            .field("spec", &self.spec)
            .finish()
    }
}

enum StartError {
    PortTaken(PathBuf),
    Failed(String),
}

/// A free loopback port: bind port 0, read the port the kernel chose, release it. Another process
/// may take it before Prism binds; `Prism::start` retries then.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0")
}

/// A `sh` loop in Prism's process group that ends the group once this test process is gone.
/// It ignores SIGTERM, so `Prism::stop`'s final SIGKILL is what ends it in the normal case.
fn spawn_watchdog(pgid: u32) -> Option<Child> {
    let script = r#"trap '' TERM
while kill -0 "$1" 2>/dev/null; do sleep 1; done
kill -s TERM -- "-$2" 2>/dev/null
i=0
while kill -0 "$2" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -s KILL -- "-$2" 2>/dev/null"#;
    Command::new("sh")
        .args(["-c", script, "prism-watchdog"])
        .arg(std::process::id().to_string())
        .arg(pgid.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(pgid as i32)
        .spawn()
        .map_err(|e| eprintln!("prism: no watchdog ({e}); Prism may outlive an aborted test"))
        .ok()
}

fn signal_group(pgid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args(["-s", signal, "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// True if `pid` has exited (zombie or gone), without reaping it.
fn has_exited(pid: u32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return true;
    };
    // The state is the first field after the parenthesised command name.
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next());
    matches!(state, None | Some("Z") | Some("X"))
}

/// The last lines of a log file, for panic messages.
fn log_report(path: &Path) -> String {
    let text = fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|e| format!("(cannot read log: {e})"));
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(40)..].join("\n");
    format!("--- last lines of {} ---\n{tail}\n--- end of log ---", path.display())
}

// ---------------------------------------------------------------------------------------------
// Installing Prism

/// Returns `tests/contract/node_modules/.bin/prism`, running `npm ci` there first if it is
/// missing or older than `package-lock.json`. Serialised across threads and processes (nextest
/// runs tests as parallel processes), so only one `npm ci` runs.
pub fn ensure_installed() -> PathBuf {
    static IN_PROCESS: Mutex<()> = Mutex::new(());
    let dir = contract_dir();
    let bin = dir.join("node_modules").join(".bin").join("prism");
    if is_installed(&dir, &bin) {
        return bin;
    }
    let _thread_guard = IN_PROCESS.lock().unwrap_or_else(|p| p.into_inner());
    let _process_guard = DirLock::acquire(scratch_dir().join("npm-ci.lock"));
    if is_installed(&dir, &bin) {
        return bin;
    }

    let how_to = "Install Node.js (>= 18.20) with npm, e.g. `apt-get install nodejs npm`, then run \
                  `npm ci --prefix tests/contract` from the repository root";
    match Command::new("npm").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "Prism is not installed and `npm --version` failed ({}): {}\n{how_to}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            panic!("Prism is not installed ({} is missing) and npm is not available ({e}).\n{how_to}", bin.display())
        }
    }
    eprintln!("prism: running `npm ci` in {}", dir.display());
    let log_path = scratch_dir().join("npm-ci.log");
    let log = File::create(&log_path).expect("create npm-ci.log");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("clone log file handle"))
        .stderr(log)
        .status()
        .unwrap_or_else(|e| panic!("cannot run `npm ci` in {}: {e}", dir.display()));
    if !status.success() || !bin.exists() {
        panic!("`npm ci` in {} failed ({status}); {how_to}\n{}", dir.display(), log_report(&log_path));
    }
    bin
}

/// Installed = the binary exists and npm's record of the finished install
/// (`node_modules/.package-lock.json`, written last) is not older than `package-lock.json`.
fn is_installed(dir: &Path, bin: &Path) -> bool {
    fn mtime(p: &Path) -> Option<SystemTime> {
        fs::metadata(p).and_then(|m| m.modified()).ok()
    }
    if !bin.exists() {
        return false;
    }
    match (mtime(&dir.join("node_modules").join(".package-lock.json")), mtime(&dir.join("package-lock.json"))) {
        (Some(installed), Some(locked)) => installed >= locked,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// A cross-process lock: a directory created atomically, holding the owner's pid. A lock whose
/// owner is dead, or that is older than ten minutes, is taken over.
struct DirLock(PathBuf);

impl DirLock {
    fn acquire(path: PathBuf) -> DirLock {
        let deadline = Instant::now() + Duration::from_secs(15 * 60);
        loop {
            match fs::create_dir(&path) {
                Ok(()) => {
                    let _ = fs::write(path.join("pid"), std::process::id().to_string());
                    return DirLock(path);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if Self::is_stale(&path) {
                        let _ = fs::remove_dir_all(&path);
                        continue;
                    }
                    if Instant::now() > deadline {
                        panic!("timed out waiting for the install lock {}", path.display());
                    }
                    sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("cannot create lock {}: {e}", path.display()),
            }
        }
    }

    fn is_stale(path: &Path) -> bool {
        let too_old = fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(10 * 60));
        let owner_dead = fs::read_to_string(path.join("pid"))
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        too_old || owner_dead
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Responses and violations

/// A response read by [`Prism::request`].
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    /// Header names as sent; look them up with [`RawResponse::header`].
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    fn parse(raw: &[u8]) -> io::Result<RawResponse> {
        let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| bad("no end of headers"))?;
        let head = String::from_utf8_lossy(&raw[..split]);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("bad status line"))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked"));
        if chunked {
            body = dechunk(&body).ok_or_else(|| bad("bad chunked body"))?;
        }
        Ok(RawResponse { status, headers, body: String::from_utf8_lossy(&body).into_owned() })
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The `sl-violations` header, parsed.
    pub fn violations(&self) -> Vec<Violation> {
        self.header(VIOLATIONS_HEADER).map(parse_violations).unwrap_or_default()
    }

    /// Only the violations of the request (what a contract test cares about).
    pub fn request_violations(&self) -> Vec<Violation> {
        request_violations(self.header(VIOLATIONS_HEADER))
    }
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// The header Prism puts its validation results in.
pub const VIOLATIONS_HEADER: &str = "sl-violations";

/// One entry of Prism's `sl-violations` header, e.g.
/// `{"location":["request","body","requireSignedURLs"],"severity":"Error","code":"type",
/// "message":"Request body property requireSignedURLs must be boolean"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Starts with `"request"` or `"response"`, then e.g. `"body"`/`"path"`/`"header"` and names.
    pub location: Vec<String>,
    pub severity: String,
    /// A JSON-schema keyword (`"type"`, `"maxLength"`, `"required"`) or an HTTP status (`"401"`).
    pub code: String,
    pub message: String,
}

impl Violation {
    pub fn is_request(&self) -> bool {
        self.location.first().map(String::as_str) == Some("request")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {} [{}]: {}", self.severity, self.location.join("."), self.code, self.message)
    }
}

/// Parses an `sl-violations` header value (a JSON array). An unparsable value becomes one
/// violation carrying the raw text, located at `request` so that it is never silently ignored.
pub fn parse_violations(header_value: &str) -> Vec<Violation> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    match serde_json::from_str::<Vec<serde_json::Value>>(header_value) {
        Ok(items) => items
            .iter()
            .map(|item| Violation {
                location: item["location"].as_array().map(|a| a.iter().map(text).collect()).unwrap_or_default(),
                severity: text(&item["severity"]),
                code: text(&item["code"]),
                message: text(&item["message"]),
            })
            .collect(),
        Err(e) => vec![Violation {
            location: vec!["request".into()],
            severity: "Error".into(),
            code: "unparsable-sl-violations".into(),
            message: format!("{e}: {header_value}"),
        }],
    }
}

/// The request violations in an optional `sl-violations` header value; empty when the request
/// conformed. Violations about Prism's own response are dropped.
pub fn request_violations(header_value: Option<&str>) -> Vec<Violation> {
    header_value.map(parse_violations).unwrap_or_default().into_iter().filter(Violation::is_request).collect()
}

/// Panics, listing them, if `header_value` holds request violations. `context` names the call.
pub fn assert_request_conforms(context: &str, header_value: Option<&str>) {
    let violations = request_violations(header_value);
    if !violations.is_empty() {
        let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
        panic!("{context}: Prism found the request does not conform to the spec:\n{}", list.join("\n"));
    }
}
