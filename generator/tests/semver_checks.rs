//! sdkgen's verdicts against cargo-semver-checks: for every spec pair in
//! `tests/diff/`, both SDKs are generated as crates (version 1.0.0) and
//! `cargo semver-checks check-release --release-type minor` judges whether
//! the new one may ship as a minor release.
//!
//! It must never find a breaking change where sdkgen says minor or patch.
//! Where sdkgen says major it must agree, except in the cases marked
//! `semver_checks: stricter`: a change it has no lint for (a field's type),
//! which sdkgen sees from the IR, or one after which old code still builds
//! but its calls fail (a new required parameter).
//!
//! Slow (rustdoc of 40 crates) and needs the tool, so it is opt-in:
//!
//! ```text
//! cargo install cargo-semver-checks --locked
//! cargo test -p sdkgen --test semver_checks -- --ignored --nocapture
//! ```

use sdkgen::diff::{diff, Level};
use sdkgen::Config;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Deserialize)]
struct Case {
    #[serde(default)]
    semver_checks: Option<String>,
    old: serde_json::Value,
    new: serde_json::Value,
}

/// The repository's runtime crate, for the generated pairs.
fn runtime_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime").display().to_string()
}

#[test]
#[ignore = "needs cargo-semver-checks; run with --ignored"]
fn sdkgen_verdicts_agree_with_cargo_semver_checks() {
    let have = Command::new("cargo").args(["semver-checks", "--version"]).output();
    assert!(
        have.is_ok_and(|o| o.status.success()),
        "cargo-semver-checks is not installed: cargo install cargo-semver-checks --locked"
    );
    let cases_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let work = std::env::temp_dir().join(format!("sdkgen-semver-{}", std::process::id()));
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/semver-checks");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&cases_dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let mut rows = Vec::new();
    let mut wrong = Vec::new();
    for path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let case: Case = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut dirs = Vec::new();
        for (side, spec) in [("old", &case.old), ("new", &case.new)] {
            let dir = work.join(&name).join(side);
            let generated = Config::new()
                .crate_name(format!("pair-{name}"))
                .crate_version("1.0.0")
                .runtime(sdkgen::Runtime::Crate { path: Some(runtime_path()) })
                .generate(&format!("{name}.json"), &spec.to_string())
                .unwrap();
            generated.write_to(&dir).unwrap();
            dirs.push(dir);
        }
        let lower = |spec: &serde_json::Value| Config::new().lower("s.json", &spec.to_string()).unwrap();
        let verdict = diff(&lower(&case.old), &lower(&case.new)).verdict();
        let out = Command::new("cargo")
            .args(["semver-checks", "check-release", "--release-type", "minor", "--manifest-path"])
            .arg(dirs[1].join("Cargo.toml"))
            .arg("--baseline-root")
            .arg(&dirs[0])
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("error: failed to"), "{name}: cargo-semver-checks failed to run:\n{text}");
        let breaking = !out.status.success();
        let stricter = case.semver_checks.as_deref() == Some("stricter");
        let agrees = breaking == (verdict == Level::Major);
        rows.push(format!(
            "| {name} | {verdict} | {} | {} |",
            if breaking { "breaking" } else { "not breaking" },
            if agrees {
                "agrees"
            } else if stricter {
                "no lint (expected)"
            } else {
                "DISAGREES"
            }
        ));
        if breaking && verdict != Level::Major || !agrees && !stricter {
            wrong
                .push(format!("{name}: sdkgen says {verdict}, cargo-semver-checks says breaking = {breaking}\n{text}"));
        }
        if agrees && stricter {
            wrong.push(format!("{name}: marked stricter, but cargo-semver-checks now agrees: remove the mark"));
        }
    }
    println!("| case | sdkgen | cargo-semver-checks | |\n|---|---|---|---|\n{}", rows.join("\n"));
    let _ = std::fs::remove_dir_all(&work);
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
