//! Golden test: every `openapi/*.yaml` is regenerated in memory and compared
//! byte for byte with the committed crate in `generated/<stem>/`.
//!
//! To accept a change, regenerate with the CLI (see the README) or run
//! `SDKGEN_UPDATE_GOLDENS=1 cargo test -p sdkgen-tests --test golden`;
//! the variable is refused on CI (`CI=true`), so CI only ever compares.

use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

fn specs(root: &Path) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("openapi"))
        .expect("openapi/ exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    specs
}

#[test]
fn generated_crates_match_their_specs() {
    let root = repo_root();
    let update = std::env::var_os("SDKGEN_UPDATE_GOLDENS").is_some();
    let on_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(!(update && on_ci), "SDKGEN_UPDATE_GOLDENS is refused on CI: goldens are only compared there");
    let specs = specs(&root);
    assert!(!specs.is_empty(), "no specs found in openapi/");
    let mut failures = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name");
        let rel = format!("openapi/{}", spec.file_name().and_then(|s| s.to_str()).expect("utf-8 file name"));
        let (generated, _) = sdkgen::Config::new()
            .input_name(&rel)
            .generate_file(spec)
            .unwrap_or_else(|e| panic!("{rel} does not generate: {e}"));
        let dir = root.join("generated").join(stem);
        if update {
            let written = generated.write_to(&dir).expect("goldens can be written");
            eprintln!("updated {} file(s) under {}", written.len(), dir.display());
            continue;
        }
        let diffs = generated.check(&dir);
        if !diffs.is_empty() {
            failures.push(format!(
                "{}\n\ngenerated/{stem} is stale for {rel}. Update it with:\n    cargo run -p sdkgen -- generate {rel} --out generated/{stem}\nor  SDKGEN_UPDATE_GOLDENS=1 cargo test -p sdkgen-tests --test golden",
                diffs.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_generated_crate_has_a_spec() {
    let root = repo_root();
    let stems: Vec<String> =
        specs(&root).iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    for entry in std::fs::read_dir(root.join("generated")).expect("generated/ exists") {
        let name = entry.expect("readable dir entry").file_name().to_string_lossy().into_owned();
        assert!(stems.contains(&name), "generated/{name} has no openapi/{name}.yaml: remove it or add the spec");
    }
}

#[test]
fn a_changed_byte_is_caught() {
    // The comparison itself must be able to fail: flip one byte of a copy.
    let root = repo_root();
    let spec = root.join("openapi/images-edit.yaml");
    let (generated, _) = sdkgen::Config::new().input_name("openapi/images-edit.yaml").generate_file(&spec).unwrap();
    let dir = std::env::temp_dir().join(format!("sdkgen-golden-{}", std::process::id()));
    generated.write_to(&dir).unwrap();
    assert!(generated.check(&dir).is_empty());
    let module = dir.join("src/resources/images.rs");
    let mut text = std::fs::read_to_string(&module).unwrap();
    text = text.replacen("pub fn edit", "pub fn edjt", 1);
    std::fs::write(&module, text).unwrap();
    let diffs = generated.check(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(diffs.len(), 1);
    assert!(diffs[0].contains("-    pub fn edjt") && diffs[0].contains("+    pub fn edit"), "{}", diffs[0]);
}
