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
            // Lean artifacts: the pass asks whether each crate compiles (and its examples
            // decode), so no debug info and no incremental cache, which would otherwise
            // fill the disk with gigabytes per large crate.
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env("CARGO_PROFILE_TEST_DEBUG", "0")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        let supervised = crate::run::supervise(cmd, timeout, None);
        // The shared target keeps the dependencies; this crate's own artifacts go.
        remove_artifacts(&target_dir(), &r.spec.slug);
        let result = match supervised {
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

/// Removes what building package `name` left in `target` (its library, its
/// test binaries, fingerprints and build-script output), keeping the shared
/// dependencies: 26 crates' artifacts together would be tens of gigabytes.
fn remove_artifacts(target: &Path, name: &str) {
    let stem = name.replace('-', "_");
    let debug = target.join("debug");
    let owned = |file: &str| {
        file.strip_prefix("lib").unwrap_or(file).starts_with(&format!("{stem}-"))
            || file.starts_with("examples-")
            || file.starts_with(&format!("{name}-"))
    };
    for dir in ["deps", ".fingerprint", "build", "incremental"] {
        let Ok(entries) = std::fs::read_dir(debug.join(dir)) else { continue };
        for entry in entries.flatten() {
            if owned(&entry.file_name().to_string_lossy()) {
                let path = entry.path();
                let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_artifacts_keeps_the_dependencies() {
        let target = std::env::temp_dir().join(format!("sdkgen-corpus-artifacts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&target);
        let files = [
            "debug/deps/libapi_guru_x-1a2b.rlib",
            "debug/deps/libapi_guru_x-1a2b.rmeta",
            "debug/deps/examples-3c4d",
            "debug/deps/examples-3c4d.d",
            "debug/.fingerprint/api-guru-x-5e6f/lib",
            "debug/deps/libserde-7a8b.rlib",
            "debug/deps/libapi_guru_x_other-9c0d.rlib",
            "debug/.fingerprint/serde-1111/lib",
        ];
        for f in files {
            let path = target.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        remove_artifacts(&target, "api-guru-x");
        let left: Vec<&str> = files.iter().copied().filter(|f| target.join(f).exists()).collect();
        std::fs::remove_dir_all(&target).unwrap();
        assert_eq!(
            left,
            [
                "debug/deps/libserde-7a8b.rlib",
                "debug/deps/libapi_guru_x_other-9c0d.rlib",
                "debug/.fingerprint/serde-1111/lib"
            ]
        );
    }
}
