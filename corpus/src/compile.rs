//! The compile pass: each generated crate checked as a package of its own
//! (so that one broken manifest fails only its crate), with the
//! repository's lock file (so dependencies resolve offline, to the versions
//! the repository builds with) and one shared target directory, every
//! feature on and warnings denied.

use crate::report::{CompileResult, SpecResult};
use std::path::Path;
use std::process::Command;

/// Checks every crate of `chosen` (already written under `<work>/crates/<slug>`).
/// With `examples`, runs each crate's example tests instead (which compiles it too).
pub fn check_all(
    work: &Path,
    chosen: &[&SpecResult],
    timeout: f64,
    examples: bool,
) -> Result<Vec<CompileResult>, String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let lock = crate::specs::repo_root().join("Cargo.lock");
    for r in chosen {
        let dir = work.join("crates").join(&r.spec.slug);
        // Its own workspace root: the repository's workspace must not adopt it.
        let manifest = dir.join("Cargo.toml");
        let mut text = std::fs::read_to_string(&manifest).map_err(|e| io(&manifest, e))?;
        text.push_str(
            "
# Added by sdkgen-corpus: a workspace of its own.
[workspace]
",
        );
        std::fs::write(&manifest, text).map_err(|e| io(&manifest, e))?;
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| io(&lock, e))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut out = Vec::with_capacity(chosen.len());
    for (i, r) in chosen.iter().enumerate() {
        let mut cmd = Command::new(&cargo);
        if examples {
            cmd.args(["test", "--offline", "--all-features", "--message-format", "short", "--test", "examples"]);
        } else {
            cmd.args(["check", "--offline", "--all-features", "--message-format", "short"]);
        }
        cmd.current_dir(work.join("crates").join(&r.spec.slug))
            .env("CARGO_TARGET_DIR", target_dir())
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        let result = match crate::run::supervise(cmd, timeout, None) {
            Ok(f) => {
                // The test's panic message lists each example that does not hold.
                let example_failures: Vec<String> = f
                    .stdout
                    .lines()
                    .filter(|l| {
                        l.contains(": does not decode")
                            || l.contains(": encodes back")
                            || l.contains(": does not encode")
                    })
                    .map(str::to_string)
                    .collect();
                let problem = first_problem(&f.stderr).filter(|_| example_failures.is_empty());
                let ok = f.code == Some(0) && f.limit.is_none() && problem.is_none();
                let error = match (f.limit, problem) {
                    (Some(_), _) => Some(format!("timed out after {timeout} s")),
                    (None, Some(p)) => Some(p),
                    (None, None) if !ok => Some(format!("cargo exited with {:?}", f.code)),
                    _ => None,
                };
                CompileResult {
                    name: r.spec.name.clone(),
                    ok,
                    secs: f.secs,
                    peak_mb: f.peak_mb,
                    error,
                    example_failures,
                }
            }
            Err(e) => CompileResult {
                name: r.spec.name.clone(),
                ok: false,
                secs: 0.0,
                peak_mb: 0.0,
                error: Some(format!("cannot run cargo: {e}")),
                example_failures: Vec::new(),
            },
        };
        eprintln!(
            "  check {}/{} {:<40} {} {:.1} s {:.0} MB",
            i + 1,
            chosen.len(),
            r.spec.name,
            if result.ok { "ok  " } else { "FAIL" },
            result.secs,
            result.peak_mb
        );
        if let Some(e) = &result.error {
            eprintln!("      {e}");
        }
        out.push(result);
    }
    Ok(out)
}

/// The target directory every compile pass shares (dependencies are built
/// once, whatever `--work` is): `target/corpus-check` in the repository.
pub fn target_dir() -> std::path::PathBuf {
    crate::specs::repo_root().join("target/corpus-check")
}

/// The first error or warning cargo printed about the checked crate.
fn first_problem(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines.iter().position(|l| {
        let l = l.trim_start();
        l.starts_with("error") || l.starts_with("warning") || l.contains(": error") || l.contains(": warning")
    })?;
    let mut text = lines[at].trim().to_string();
    if text.len() > 300 {
        let mut cut = 300;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    Some(text)
}
