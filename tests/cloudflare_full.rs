//! All of Cloudflare's published spec (`../shared/specs/cloudflare/openapi.json`,
//! 1,533 operations) generates, and the SDK compiles without a warning: with
//! every feature, and with only `images`. The SDK is generated afresh into a
//! temporary directory; nothing of it is committed. Heavy, so not part of the
//! README's test command: `.ci/run` runs it (`cargo test -p sdkgen-tests --test
//! cloudflare_full -- --ignored`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Runs `cargo <args>` in `dir`; panics on failure or on any warning.
fn cargo_clean(dir: &Path, target: &Path, args: &[&str]) -> f64 {
    let start = Instant::now();
    let out = Command::new(env!("CARGO"))
        .args(args)
        .args(["--offline", "--message-format", "short"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // The question is whether it compiles: no debug info and no incremental
        // cache, which for this crate alone are gigabytes of disk.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_PROFILE_TEST_DEBUG", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let secs = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let problems: Vec<&str> = stderr.lines().filter(|l| l.contains("warning") || l.contains("error")).collect();
    assert!(
        out.status.success() && problems.is_empty(),
        "cargo {args:?} in {}:\n{}\n{}",
        dir.display(),
        problems.join("\n"),
        String::from_utf8_lossy(&out.stdout)
    );
    eprintln!("cargo {} : {secs:.1} s", args.join(" "));
    secs
}

#[test]
#[ignore = "heavy (several minutes and 4.5 GB on two cores): .ci/run runs it with --ignored"]
fn cloudflare_full_spec_generates_and_compiles() {
    let root = repo_root();
    let spec = root.join("../shared/specs/cloudflare/openapi.json");
    let start = Instant::now();
    let (generated, _) = sdkgen::Config::new()
        .input_name("shared/specs/cloudflare/openapi.json")
        .crate_name("cloudflare")
        .runtime(sdkgen::Runtime::Crate { path: Some(root.join("runtime").display().to_string()) })
        .example_tests(true)
        .generate_file(&spec)
        .unwrap_or_else(|e| panic!("{e}"));
    let gen_secs = start.elapsed().as_secs_f64();
    assert_eq!((generated.stats.operations, generated.stats.operations_in_spec), (1533, 1533));
    // Every schema the operations use is its own type (997 before error bodies were typed).
    assert!(generated.stats.component_types > 1000, "{:?}", generated.stats);
    assert!(generated.stats.examples > 0, "{:?}", generated.stats);
    assert!(generated.cargo_toml.contains("\nimages = []\n"), "one feature per top-level resource");

    // Outside the workspace (so cargo does not adopt it), with the workspace's
    // lock file so it resolves offline to the versions already downloaded.
    let dir = std::env::temp_dir().join(format!("sdkgen-cloudflare-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    generated.write_to(&dir).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let lines = generated.files().values().map(|f| f.lines().count()).sum::<usize>();
    // Rust files an IDE opens: a module too long for one continues in files it includes.
    // (`sdkgen-api.json`, the IR as data, is not one of them.)
    let rust: Vec<_> =
        generated.files().into_iter().filter(|(path, _)| path.extension().is_some_and(|e| e == "rs")).collect();
    assert!(rust.len() > 50, "a tree of modules: {} Rust files", rust.len());
    for (path, text) in rust {
        assert!(text.len() <= sdkgen::MAX_FILE, "{} is {} bytes", path.display(), text.len());
    }
    eprintln!(
        "generated {} operations, {} types, {} warnings, {lines} lines in {gen_secs:.2} s (debug build)",
        generated.stats.operations,
        generated.stats.types,
        generated.warnings.len()
    );

    // A target dir of its own: the outer `cargo test` holds the workspace's.
    let target = root.join("target/cloudflare-sdk-check");
    // Builds the whole SDK with every feature, then checks the spec's examples against it.
    cargo_clean(&dir, &target, &["test", "--all-features", "--test", "examples"]);
    cargo_clean(&dir, &target, &["check", "--no-default-features", "--features", "images"]);
    std::fs::remove_dir_all(&dir).ok();
    // Passed: its build (with the dependencies, a fresh build next time) leaves the disk.
    std::fs::remove_dir_all(&target).ok();
}
