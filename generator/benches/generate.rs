//! The generation benchmark: one table, every row measured in the same run.
//!
//! ```sh
//! cargo bench -p sdkgen --bench generate            # the table
//! cargo bench -p sdkgen --bench generate -- --compile  # also `cargo check` of the generated full SDK
//! ```
//!
//! Each measurement runs in a child process (this binary re-executed), so
//! that peak memory (the child's max RSS from `wait4`) belongs to one
//! generation alone. Rows: our specs, OpenAI's (3.1) and Cloudflare's when
//! `../shared` is there; for each, the parse floor (serde straight into
//! `openapiv3::OpenAPI`, nothing else; for a 3.1 document, which those types
//! cannot hold, into a JSON tree) and sdkgen's full generation split by phase,
//! `upgrade` being the part of `parse` that rewrites 3.1 into the 3.0 model.
//! A `ploidy` row is added when `ploidy` is on `PATH`.
//! Times are medians over the runs; memory is the largest peak seen.

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The specs measured: ours, and Cloudflare's full spec when `../shared` is there.
fn inputs(root: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut inputs = vec![
        ("images-edit.yaml", root.join("openapi/images-edit.yaml")),
        ("images.yaml", root.join("openapi/images.yaml")),
    ];
    let openai = root.join("../shared/specs/corpus/openai.yaml");
    if openai.is_file() {
        inputs.push(("openai.yaml (3.1)", openai));
    }
    let full = root.join("../shared/specs/cloudflare/openapi.json");
    if full.is_file() {
        inputs.push(("cloudflare openapi.json", full));
    } else {
        eprintln!("note: {} not found; the full-spec rows are skipped", full.display());
    }
    inputs
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("child") {
        child(&args[1], Path::new(&args[2]), args.get(3).map(Path::new));
        return;
    }
    let compile = args.iter().any(|a| a == "--compile");
    let runs: usize = std::env::var("SDKGEN_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let scratch = std::env::temp_dir().join(format!("sdkgen-bench-{}", std::process::id()));
    println!("sdkgen generation benchmark: median of {runs} runs per row, each in its own process; peak = max RSS\n");
    println!(
        "| {:<24} | {:>5} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>11} | {:>8} | {:>8} | {:>7} |",
        "input",
        "ops",
        "floor",
        "parse",
        "upgrade",
        "IR",
        "emit",
        "format",
        "write",
        "total",
        "total/floor",
        "peak MB",
        "lines",
        "lines/op"
    );
    println!(
        "|{:-<26}|{:->7}|{:->10}|{:->10}|{:->10}|{:->10}|{:->10}|{:->10}|{:->10}|{:->10}|{:->13}|{:->10}|{:->10}|{:->9}|",
        "", "", "", "", "", "", "", "", "", "", "", "", "", ""
    );
    let mut full_total = None;
    for (name, path) in inputs(&root) {
        let floor = measure(runs, || ("parse", path.clone(), None));
        let out = scratch.join(name.replace(' ', "-"));
        let gen = measure(runs, || {
            let _ = std::fs::remove_dir_all(&out);
            ("generate", path.clone(), Some(out.clone()))
        });
        let ops = gen.field("ops");
        let lines = gen.field("lines");
        let total = gen.time("total");
        println!(
            "| {:<24} | {:>5} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>10.1}× | {:>8.0} | {:>8} | {:>7.0} |",
            name,
            ops,
            ms(floor.time("parse")),
            ms(gen.time("parse")),
            ms(gen.time("upgrade")),
            ms(gen.time("lower")),
            ms(gen.time("emit")),
            ms(gen.time("format")),
            ms(gen.time("write")),
            ms(total),
            total.as_secs_f64() / floor.time("parse").as_secs_f64(),
            gen.peak_mb.max(0.0),
            lines,
            lines as f64 / ops.max(1) as f64
        );
        if name.starts_with("cloudflare") {
            full_total = Some((path.clone(), total, gen.peak_mb, floor.time("parse"), ops));
        }
    }
    if let Some((spec, ours, our_peak, floor, ops)) = &full_total {
        match ploidy(spec, &scratch.join("ploidy"), runs.min(3)) {
            Some((time, peak, lines)) => {
                println!(
                    "| {:<24} | {:>5} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>8} | {:>10.1}× | {:>8.0} | {:>8} | {:>7.0} |",
                    "ploidy (same spec)",
                    ops,
                    ms(*floor),
                    "",
                    "",
                    "",
                    "",
                    "",
                    ms(time),
                    time.as_secs_f64() / floor.as_secs_f64(),
                    peak,
                    lines,
                    lines as f64 / (*ops).max(1) as f64
                );
                println!(
                    "\nploidy / sdkgen on the full spec: {:.1}× the time, {:.1}× the peak memory",
                    time.as_secs_f64() / ours.as_secs_f64(),
                    peak / our_peak
                );
            }
            None => println!("\n(ploidy is not on PATH: `cargo install ploidy` adds its row)"),
        }
        if compile {
            compile_cost(spec, &scratch.join("cloudflare-sdk"));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// What the children of one row reported.
struct Row {
    /// Each run's `key=value` fields.
    runs: Vec<Vec<(String, String)>>,
    peak_mb: f64,
}

impl Row {
    fn values(&self, key: &str) -> Vec<f64> {
        let mut values: Vec<f64> = self
            .runs
            .iter()
            .filter_map(|run| run.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.parse().ok()))
            .collect();
        values.sort_by(f64::total_cmp);
        values
    }

    /// The median of a time field, reported in nanoseconds.
    fn time(&self, key: &str) -> Duration {
        let values = self.values(&format!("{key}_ns"));
        Duration::from_nanos(values.get(values.len() / 2).copied().unwrap_or(0.0) as u64)
    }

    fn field(&self, key: &str) -> u64 {
        self.values(key).first().copied().unwrap_or(0.0) as u64
    }
}

/// Runs `runs` children made by `job`, collecting their fields and peak memory.
fn measure(runs: usize, mut job: impl FnMut() -> (&'static str, PathBuf, Option<PathBuf>)) -> Row {
    let mut row = Row { runs: Vec::new(), peak_mb: 0.0 };
    for _ in 0..runs {
        let (mode, spec, out) = job();
        let mut cmd = Command::new(std::env::current_exe().expect("own path"));
        cmd.arg("child").arg(mode).arg(&spec);
        if let Some(out) = &out {
            cmd.arg(out);
        }
        let (stdout, _, peak) = run_measured(&mut cmd);
        row.runs.push(
            stdout
                .split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        row.peak_mb = row.peak_mb.max(peak);
    }
    row
}

/// Runs a command to completion: stdout, wall time and peak RSS in MB.
fn run_measured(cmd: &mut Command) -> (String, Duration, f64) {
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let (mut out, mut err) = (child.stdout.take().expect("piped"), child.stderr.take().expect("piped"));
    let errors = std::thread::spawn(move || {
        let mut stderr = String::new();
        let _ = err.read_to_string(&mut stderr);
        stderr
    });
    let mut stdout = String::new();
    let _ = out.read_to_string(&mut stdout);
    let stderr = errors.join().unwrap_or_default();
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct, zeroed and filled by wait4; `pid` is our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    std::mem::forget(child); // reaped by wait4, which also gives its peak memory
    assert!(waited == pid, "wait4 failed");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed (status {status}):\n{stderr}");
    (stdout, elapsed, usage.ru_maxrss as f64 / 1024.0)
}

/// One measurement, in this process: prints `key=value` fields.
fn child(mode: &str, spec: &Path, out: Option<&Path>) {
    let read = Instant::now();
    let text = std::fs::read_to_string(spec).expect("read spec");
    let read = read.elapsed();
    match mode {
        "parse" => {
            let start = Instant::now();
            // The floor: serde straight into `openapiv3`'s 3.0 types; a 3.1
            // document, which they cannot hold, into a JSON tree instead
            // (sdkgen's own reader: serde's trees lose numbers past 64 bits).
            let json = text.trim_start().starts_with('{');
            let head = &text[..text.len().min(4096)];
            let v31 = ["openapi: 3.1", "openapi: '3.1", "openapi: \"3.1", "\"openapi\": \"3.1", "\"openapi\":\"3.1"]
                .iter()
                .any(|v| head.contains(v));
            match (v31, json) {
                (false, true) => {
                    drop(std::hint::black_box(serde_json::from_str::<openapiv3::OpenAPI>(&text).expect("JSON")))
                }
                (false, false) => {
                    drop(std::hint::black_box(serde_yaml::from_str::<openapiv3::OpenAPI>(&text).expect("YAML")))
                }
                // 3.1 is not read by `openapiv3`: the floor is the JSON tree.
                (true, true) => {
                    drop(std::hint::black_box(serde_json::from_str::<serde_json::Value>(&text).expect("JSON")))
                }
                (true, false) => {
                    drop(std::hint::black_box(serde_yaml::from_str::<serde_json::Value>(&text).expect("YAML")))
                }
            }
            let parse = start.elapsed();
            println!("parse_ns={}", parse.as_nanos());
        }
        "generate" => {
            let out = out.expect("output directory");
            let start = Instant::now();
            let (generated, t) = sdkgen::Config::new().generate_timed(&spec.display().to_string(), &text).unwrap();
            let write = Instant::now();
            let files = generated.files();
            generated.write_to(out).expect("write");
            let write = write.elapsed();
            let total = start.elapsed();
            let lines: usize = files.values().map(|f| f.lines().count()).sum();
            println!(
                "read_ns={} parse_ns={} upgrade_ns={} lower_ns={} emit_ns={} format_ns={} write_ns={} total_ns={} ops={} lines={}",
                read.as_nanos(),
                t.parse.as_nanos(),
                t.upgrade.as_nanos(),
                t.lower.as_nanos(),
                t.emit.as_nanos(),
                t.format.as_nanos(),
                write.as_nanos(),
                total.as_nanos(),
                generated.stats.operations,
                lines
            );
        }
        other => panic!("unknown mode {other}"),
    }
}

/// ploidy on the same spec, when installed: median time, peak MB, lines of Rust written.
fn ploidy(spec: &Path, out: &Path, runs: usize) -> Option<(Duration, f64, usize)> {
    Command::new("ploidy").arg("--version").output().ok().filter(|o| o.status.success())?;
    let mut times = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(out);
        std::fs::create_dir_all(out).ok()?;
        let (_, time, mb) =
            run_measured(Command::new("ploidy").args(["generate", "rust"]).arg(spec).arg("--output").arg(out));
        times.push(time);
        peak = peak.max(mb);
    }
    times.sort();
    Some((times[times.len() / 2], peak, rust_lines(out)))
}

fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|x| x == "rs") {
                std::fs::read_to_string(&path).map(|t| t.lines().count()).unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
}

/// `cargo check` of the generated full SDK: cold with every feature and with
/// `images` alone (each in its own target directory, dependencies built first
/// and not counted), then after touching the spec and regenerating (nothing is
/// rewritten, so nothing recompiles), then after one description changes.
fn compile_cost(spec: &Path, crate_dir: &Path) {
    let gen = |text: &str| {
        let (generated, _) = sdkgen::Config::new().generate_timed("openapi.json", text).unwrap();
        generated.write_to(crate_dir).unwrap().len()
    };
    let text = std::fs::read_to_string(spec).unwrap();
    gen(&text);
    let all = (crate_dir.join("target-all"), vec!["--all-features"]);
    let images = (crate_dir.join("target-images"), vec!["--no-default-features", "--features", "images"]);
    let cargo_check = |target: &Path, args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.arg("check").arg("--quiet").args(args).current_dir(crate_dir).env("CARGO_TARGET_DIR", target);
        run_measured(&mut cmd)
    };
    let check = |label: &str, (target, args): &(PathBuf, Vec<&str>)| {
        let (_, time, peak) = cargo_check(target, args);
        println!("| {label:<52} | {:>9.1} s | {:>9.0} MB |", time.as_secs_f64(), peak);
    };
    let note = |label: String| println!("| {label:<52} | {:>11} | {:>12} |", "", "");
    // Dependencies, once per target directory, so that the rows measure the SDK itself.
    for (target, _) in [&all, &images] {
        cargo_check(target, &["--no-default-features"]);
    }
    println!("\n`cargo check` of the generated Cloudflare SDK (dependencies built first, not counted)\n");
    println!("| {:<52} | {:>11} | {:>12} |", "build", "time", "peak");
    println!("|{:-<54}|{:->13}|{:->14}|", "", "", "");
    check("all features, cold", &all);
    check("--features images, cold", &images);
    note(format!("spec touched, regenerated: {} files rewritten", gen(&text)));
    check("  then all features", &all);
    check("  then --features images", &images);
    // One description changed: the generated crate changes in one doc comment.
    let at = text.find("\"description\"").and_then(|d| text[d + 13..].find('"').map(|q| d + 13 + q + 1));
    let edited = at.map(|at| format!("{}Edited. {}", &text[..at], &text[at..])).unwrap_or_else(|| text.clone());
    note(format!("one description edited: {} files rewritten", gen(&edited)));
    check("  then all features (incremental)", &all);
    check("  then --features images (incremental)", &images);
}
