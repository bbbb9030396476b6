//! An SDK written anywhere builds there: the built CLI, run from a temporary
//! directory outside the workspace with no flag, generates a 3.0, a 3.1 and a
//! Swagger 2.0 spec (with no overrides file beside them), and `cargo check`
//! passes in each crate where it was written, warning-free (for a library,
//! `cargo build` adds only code generation; `.ci/run` builds three SDKs
//! outside the repository with `cargo build`). One SDK whose overrides file
//! says it may be published passes `cargo package`, which builds the packed
//! crate on its own: heavy, so `.ci/run` runs it (`--ignored`).
//!
//! Cargo runs `--offline` with the workspace's lock file copied beside each
//! crate and one shared target directory (`target/outside`): the same
//! versions the workspace already downloaded and built, so the test is quick
//! and needs no network. A user's `cargo build` resolves them afresh.

#[path = "support/outside.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{cargo, repo_root};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sdkgen-outside-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `sdkgen <args>` run in `dir`; panics unless it succeeds.
fn sdkgen(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sdkgen")).args(args).current_dir(dir).output().expect("sdkgen runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "sdkgen {args:?}:\n{stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned() + &stderr
}

#[test]
fn sdks_generated_outside_the_workspace_check_there_with_no_flag() {
    let work = scratch("build");
    for (spec, version) in
        [("images-edit.yaml", "3.0"), ("notes-3.1.yaml", "3.1"), ("store-swagger2.yaml", "Swagger 2.0")]
    {
        // The spec alone: the repository's overrides files point at its runtime crate.
        std::fs::copy(repo_root().join("openapi").join(spec), work.join(spec)).unwrap();
        let out = spec.trim_end_matches(".yaml").to_string() + "-sdk";
        sdkgen(&work, &["generate", spec, "--out", &out]);
        let crate_dir = work.join(&out);
        let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
        assert!(!manifest.contains("sdkgen-runtime"), "{version}: no dependency a registry lacks:\n{manifest}");
        assert!(crate_dir.join("src/runtime/mod.rs").is_file() && crate_dir.join("API.md").is_file(), "{version}");
        cargo(&crate_dir, &["check"]);
    }
    std::fs::remove_dir_all(&work).unwrap();
}

#[test]
#[ignore = "builds the packed crate and its dependencies: .ci/run runs it with --ignored"]
fn an_sdk_the_overrides_let_publish_passes_cargo_package() {
    let work = scratch("package");
    std::fs::copy(repo_root().join("openapi/kitchen-sink.yaml"), work.join("shop.yaml")).unwrap();
    std::fs::write(
        work.join("shop.sdkgen.toml"),
        // A feature per resource too: the packed crate is built with none of them on.
        "features = true\n[package]\npublish = true\nlicense = \"MIT OR Apache-2.0\"\nrepository = \"https://git.example/shop-rs\"\n",
    )
    .unwrap();
    sdkgen(&work, &["generate", "shop.yaml", "--out", "shop"]);
    let crate_dir = work.join("shop");
    let manifest: toml::Table = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap().parse().unwrap();
    let package = manifest["package"].as_table().unwrap();
    assert_eq!(package.get("publish"), None);
    for key in ["description", "license", "repository", "readme", "keywords", "categories", "rust-version"] {
        assert!(package.contains_key(key), "{key} missing: {package:?}");
    }
    assert!(manifest["features"].as_table().unwrap().contains_key("pets"));
    // Packs every file the crate needs, then builds the packed crate on its own.
    cargo(&crate_dir, &["package", "--allow-dirty"]);
    std::fs::remove_dir_all(&work).unwrap();
}

#[test]
fn sdkgen_api_prints_the_crates_api_md() {
    let root = repo_root();
    for name in ["images", "kitchen-sink", "pages"] {
        let printed = sdkgen(&root, &["api", &format!("openapi/{name}.yaml")]);
        let committed = std::fs::read_to_string(root.join("generated").join(name).join("API.md")).unwrap();
        assert_eq!(printed, committed, "{name}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args(["api", "openapi/images.yaml", "--format", "json"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let edit = entries
        .iter()
        .find(|e| e["route"] == "/accounts/{account_id}/images/v1/{image_id}" && e["http_method"] == "PATCH");
    let edit = edit.expect("the Update image operation is listed");
    assert_eq!(edit["call"], "client.images().v1().edit(image_id, params)");
    assert_eq!(edit["params"], "images::V1EditParams");
    assert_eq!(edit["returns"], "Image");

    // The README's excerpt of the map is the committed SDK's.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let images = std::fs::read_to_string(root.join("generated/images/API.md")).unwrap();
    let quoted: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `client.images().v1().")).collect();
    assert_eq!(quoted.len(), 2);
    for line in quoted {
        assert!(images.lines().any(|l| l == line), "README quotes a line API.md does not have: {line}");
    }
}
