//! What a generated SDK costs its users to compile: one table, every row
//! measured in the same run.
//!
//! ```sh
//! cargo bench -p sdkgen --bench compile_cost                         # every row
//! cargo bench -p sdkgen --bench compile_cost -- --rows seed,cloudflare-images,cloudflare-select-images
//! cargo bench -p sdkgen --bench compile_cost -- --baseline 493a185   # an older sdkgen too, for ratios
//! ```
//!
//! Per SDK: operations, lines of Rust, the largest file, and for the crate
//! alone (its dependencies built first, in a target directory shared by the
//! rows of one sdkgen) the wall time and peak memory (max RSS of cargo and
//! the compilers it ran, from `wait4`) of `cargo check` and of `cargo build`
//! (debug profile). Every SDK depends on the runtime crate of the sdkgen
//! that generated it, so that the crate alone is what is measured.
//! `--baseline REV` checks REV out (a git worktree under
//! `target/compile-cost/`), builds its CLI, and measures the same rows with
//! it, then prints new/old ratios. Rows whose spec is not there
//! (`../shared/specs`) are skipped. The `cloudflare-select-images` row is
//! generated with `--select 'images/*'` (only those operations and their
//! types; see the README's "Only the operations you use"), which a
//! baseline older than selections cannot do: it has no baseline row. This
//! machine is shared and noisy: compare ratios within one run.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A row: its name, the spec (relative to the repository), the features
/// built and the selection it is generated with (`--select`).
const ROWS: &[(&str, &str, &str, &[&str])] = &[
    ("seed", "openapi/images-edit.yaml", "", &[]),
    ("cloudflare", "../shared/specs/cloudflare/openapi.json", "full", &[]),
    ("cloudflare-images", "../shared/specs/cloudflare/openapi.json", "images", &[]),
    ("cloudflare-select-images", "../shared/specs/cloudflare/openapi.json", "", &["images/*"]),
    ("openai", "../shared/specs/corpus/openai.yaml", "full", &[]),
    ("digitalocean", "../shared/specs/corpus/digitalocean.bundled.yaml", "full", &[]),
];

/// One sdkgen: a label, its CLI and its repository (for the runtime crate and the lock file).
struct Sdkgen {
    label: String,
    cli: PathBuf,
    repo: PathBuf,
}

#[derive(Default, Clone, Copy)]
struct Measured {
    ops: usize,
    lines: usize,
    largest_kb: f64,
    check_s: f64,
    check_mb: f64,
    build_s: f64,
    build_mb: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generator/ has a parent").to_path_buf();
    let work = root.join("target/compile-cost");
    let wanted: Option<Vec<String>> = value("--rows").map(|r| r.split(',').map(String::from).collect());
    let rows: Vec<_> = ROWS
        .iter()
        .filter(|(name, spec, _, _)| {
            let chosen = wanted.as_ref().is_none_or(|w| w.iter().any(|n| n == name));
            let there = root.join(spec).is_file();
            if chosen && !there {
                eprintln!("note: {spec} not found; row {name} skipped");
            }
            chosen && there
        })
        .collect();
    let mut sdkgens =
        vec![Sdkgen { label: "this".into(), cli: PathBuf::from(env!("CARGO_BIN_EXE_sdkgen")), repo: root.clone() }];
    if let Some(rev) = value("--baseline") {
        sdkgens.push(baseline(&root, &work, &rev));
    }
    println!("compile cost of generated SDKs: the crate alone, dependencies prebuilt, debug profile\n");
    println!(
        "| {:<18} | {:<8} | {:>5} | {:>8} | {:>10} | {:>8} | {:>8} | {:>8} | {:>8} |",
        "SDK", "sdkgen", "ops", "lines", "largest", "check s", "check MB", "build s", "build MB"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, spec, features, select) in rows {
        let mut results = Vec::new();
        // A baseline older than selections cannot generate a selected row.
        for sdkgen in sdkgens.iter().take(if select.is_empty() { sdkgens.len() } else { 1 }) {
            let m = measure(sdkgen, &work, name, &root.join(spec), features, select);
            println!(
                "| {:<18} | {:<8} | {:>5} | {:>8} | {:>7.0} KB | {:>8.1} | {:>8.0} | {:>8.1} | {:>8.0} |",
                name, sdkgen.label, m.ops, m.lines, m.largest_kb, m.check_s, m.check_mb, m.build_s, m.build_mb
            );
            results.push(m);
        }
        if let [new, old] = results[..] {
            let r = |a: f64, b: f64| if b > 0.0 { format!("{:.2}x", a / b) } else { "-".into() };
            println!(
                "| {:<18} | {:<8} | {:>5} | {:>8} | {:>10} | {:>8} | {:>8} | {:>8} | {:>8} |",
                name,
                "new/old",
                "",
                r(new.lines as f64, old.lines as f64),
                r(new.largest_kb, old.largest_kb),
                r(new.check_s, old.check_s),
                r(new.check_mb, old.check_mb),
                r(new.build_s, old.build_s),
                r(new.build_mb, old.build_mb)
            );
        }
    }
}

/// REV checked out under `work` and its CLI built (release).
fn baseline(root: &Path, work: &Path, rev: &str) -> Sdkgen {
    let repo = work.join(format!("src-{rev}"));
    if !repo.is_dir() {
        let dir = repo.display().to_string();
        run(Command::new("git").args(["worktree", "add", "--detach", &dir, rev]).current_dir(root));
    }
    run(Command::new("cargo").args(["build", "--release", "--locked", "-p", "sdkgen"]).current_dir(&repo));
    Sdkgen { label: rev.chars().take(8).collect(), cli: repo.join("target/release/sdkgen"), repo }
}

/// Generates the row's SDK with `sdkgen` and measures it.
fn measure(sdkgen: &Sdkgen, work: &Path, name: &str, spec: &Path, features: &str, select: &[&str]) -> Measured {
    let base = work.join(&sdkgen.label);
    let dir = base.join(name);
    let target = base.join("target");
    let runtime = sdkgen.repo.join("runtime").display().to_string();
    let out = dir.display().to_string();
    let crate_name = format!("cc-{name}");
    run(Command::new(&sdkgen.cli)
        .args(["generate", &spec.display().to_string(), "--out", &out, "--crate-name", &crate_name])
        .args(["--runtime-path", &runtime])
        .args(select.iter().flat_map(|p| ["--select", p])));
    std::fs::copy(sdkgen.repo.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy the lock file");
    let api: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sdkgen-api.json")).expect("the IR")).expect("JSON");
    let (lines, largest) = rust_files(&dir.join("src"));
    let mut m = Measured {
        ops: api["operations"].as_array().map_or(0, Vec::len),
        lines,
        largest_kb: largest as f64 / 1024.0,
        ..Measured::default()
    };
    let cargo = |verb: &str| {
        let mut cmd = Command::new("cargo");
        cmd.args([verb, "--offline"]).current_dir(&dir).env("CARGO_TARGET_DIR", &target);
        if !features.is_empty() {
            cmd.args(["--features", features]);
        }
        cmd.env_remove("RUSTFLAGS");
        cmd
    };
    for verb in ["check", "build"] {
        // The dependencies first, with the crate's own code swapped for nothing.
        let lib = dir.join("src/lib.rs");
        let code = std::fs::read_to_string(&lib).expect("lib.rs");
        std::fs::write(&lib, "").expect("write");
        run(&mut cargo(verb));
        std::fs::write(&lib, code).expect("write");
        let (secs, mb) = measured(&mut cargo(verb));
        if verb == "check" {
            (m.check_s, m.check_mb) = (secs, mb);
        } else {
            (m.build_s, m.build_mb) = (secs, mb);
        }
    }
    m
}

/// Lines of every `.rs` file under `dir`, and the largest file's size in bytes.
fn rust_files(dir: &Path) -> (usize, u64) {
    let (mut lines, mut largest) = (0, 0);
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            let (l, big) = rust_files(&path);
            lines += l;
            largest = largest.max(big);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read");
            lines += text.lines().count();
            largest = largest.max(text.len() as u64);
        }
    }
    (lines, largest)
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("spawn");
    assert!(out.status.success(), "{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

/// Runs a command to completion: wall seconds, and the peak RSS in MB of it
/// and every process it waited for.
fn measured(cmd: &mut Command) -> (f64, f64) {
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut err = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut stderr = String::new();
        let _ = err.read_to_string(&mut stderr);
        stderr
    });
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct, zeroed and filled by wait4; `pid` is our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    std::mem::forget(child); // reaped by wait4, which also gives its peak memory
    let stderr = errors.join().unwrap_or_default();
    assert!(waited == pid, "wait4 failed");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed:\n{stderr}");
    (secs, usage.ru_maxrss as f64 / 1024.0)
}
