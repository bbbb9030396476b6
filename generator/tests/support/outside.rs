//! Building a generated crate outside the workspace, quickly and without the
//! network: `cargo --offline` with the workspace's lock file copied beside the
//! crate and one shared target directory (`target/outside`, which the vendor
//! contract test's driver shares), so that the versions the workspace already
//! downloaded are reused and built once, without debug info. A user's
//! `cargo build` resolves them afresh.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generator/ has a parent").to_path_buf()
}

/// `cargo <args>` in `dir`; panics on failure or on any warning.
pub fn cargo(dir: &Path, args: &[&str]) {
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", repo_root().join("target/outside"))
        // Whether it builds is the question: no debug info or incremental cache to write.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let problems: Vec<&str> = stderr.lines().filter(|l| l.contains("warning") || l.contains("error")).collect();
    assert!(out.status.success() && problems.is_empty(), "cargo {args:?} in {}:\n{stderr}", dir.display());
}
