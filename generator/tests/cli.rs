//! The `sdkgen` binary: exit codes, messages that name the file and the
//! JSON pointer, nothing written on error, write-only-if-changed, `check`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn sdkgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdkgen")).args(args).output().expect("sdkgen runs")
}

/// A fresh, empty directory under the system temp dir.
fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "sdkgen-cli-{}-{tag}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn seed_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/images-edit.yaml")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `generate` on `spec_text` and expects a clean failure: exit 2, the
/// file and `needle` (a pointer or location) named, nothing written.
fn expect_bad_input(spec_text: &str, needle: &str) -> String {
    let dir = temp_dir("bad");
    let spec = dir.join("bad.yaml");
    std::fs::write(&spec, spec_text).unwrap();
    let out = dir.join("out");
    let o = sdkgen(&["generate", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(spec.to_str().unwrap()), "the file is named: {err}");
    assert!(err.contains(needle), "`{needle}` is named: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "nothing is written on error");
    err
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

#[test]
fn malformed_yaml_names_file_and_line() {
    let err = expect_bad_input(&format!("{HEAD}paths:\n  /a: b: c\n"), ":4:");
    assert!(err.contains("invalid YAML"), "{err}");
}

#[test]
fn dangling_ref_names_the_pointer() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Missing'}}\n"
    );
    let err = expect_bad_input(&spec, "/paths/~1a/get/responses/200/content/application~1json/schema/$ref");
    assert!(err.contains("Missing"), "{err}");
}

#[test]
fn unsupported_constructs_name_the_pointer() {
    let not = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      not: {{type: string}}\n");
    // Unused schemas are still checked, so a bad component is found early.
    let spec = format!("{not}    B:\n      properties:\n        x: {{$ref: 'other.yaml#/X'}}\n");
    expect_bad_input(&spec, "/components/schemas/B/properties/x/$ref");
    let typ = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: strin}}\n"
    );
    expect_bad_input(&typ, "/paths/~1a/get/responses/200/content/application~1json/schema/type");
    expect_bad_input("openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n", "/openapi");
}

#[test]
fn strict_turns_warnings_into_errors() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - {{name: c, in: query, schema: {{type: string, pattern: 0}}}}\n      responses:\n        '204': {{description: ok}}\n"
    );
    let dir = temp_dir("strict");
    let path = dir.join("s.yaml");
    std::fs::write(&path, &spec).unwrap();
    let out = dir.join("out");
    let lenient = sdkgen(&["generate", path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(lenient.status.code(), Some(0), "{}", stderr(&lenient));
    assert!(stderr(&lenient).contains("ignored-keyword: 1"), "{}", stderr(&lenient));
    std::fs::remove_dir_all(&out).unwrap();
    let strict = sdkgen(&["generate", path.to_str().unwrap(), "--out", out.to_str().unwrap(), "--strict"]);
    assert_eq!(strict.status.code(), Some(2), "{}", stderr(&strict));
    assert!(stderr(&strict).contains("/paths/~1a/get/parameters/0"), "{}", stderr(&strict));
    assert!(!out.exists());
}

#[test]
fn generate_writes_only_changes_and_check_catches_staleness() {
    let dir = temp_dir("gen");
    let out = dir.join("sdk");
    let (spec, out_s) = (seed_spec(), out.to_str().unwrap().to_string());
    // A vendored runtime first: eight files, and the runtime's folder (`mod.rs` and its modules).
    let vendored = sdkgen(&["generate", spec.to_str().unwrap(), "--out", &out_s, "--vendor-runtime"]);
    let runtime_files = std::fs::read_dir(out.join("src/runtime")).unwrap().count();
    assert!(runtime_files > 10 && out.join("src/runtime/mod.rs").is_file(), "{runtime_files}");
    let wrote = format!("wrote {} file(s)", 8 + runtime_files);
    assert!(stderr(&vendored).contains(&wrote), "{}", stderr(&vendored));
    assert!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap().contains("\npub mod runtime;\n"));
    // A runtime in one file, as an earlier sdkgen wrote it, is stale.
    let old_runtime = "// @generated by sdkgen 0.0.1\npub struct Client;\n";
    std::fs::write(out.join("src/runtime.rs"), old_runtime).unwrap();
    // Then the crate (as the overrides beside the seed spec say): the copy is removed.
    let first = sdkgen(&["generate", spec.to_str().unwrap(), "--out", &out_s]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stderr(&first).contains("wrote 2 file(s)"), "{}", stderr(&first));
    assert!(!out.join("src/runtime.rs").exists(), "the old one-file runtime is stale");
    assert!(!out.join("src/runtime").exists(), "the vendored runtime is stale");
    let cargo_toml = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(cargo_toml.contains("sdkgen-runtime = { version = \"0.1\", path = \"../../runtime\" }"), "{cargo_toml}");
    assert!(
        stderr(&first).contains("1/1 operations, 4 types (1 of them the spec's schemas), 0 warnings"),
        "{}",
        stderr(&first)
    );
    for f in [
        "API.md",
        "Cargo.toml",
        "rustfmt.toml",
        "sdkgen-api.json",
        "src/lib.rs",
        "src/types/mod.rs",
        "src/types/images.rs",
        "src/resources/images.rs",
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    let lib = out.join("src/lib.rs");
    let mtime = std::fs::metadata(&lib).unwrap().modified().unwrap();
    let second = sdkgen(&["generate", spec.to_str().unwrap(), "--out", &out_s]);
    assert!(stderr(&second).contains("wrote 0 file(s)"), "{}", stderr(&second));
    assert_eq!(std::fs::metadata(&lib).unwrap().modified().unwrap(), mtime, "unchanged files are not touched");

    let ok = sdkgen(&["check", spec.to_str().unwrap(), "--out", &out_s]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let types = out.join("src/types/images.rs");
    let text = std::fs::read_to_string(&types).unwrap();
    std::fs::write(&types, text.replacen("require_signed_urls", "require_signed_ur_ls", 1)).unwrap();
    for args in [vec!["check"], vec!["generate", "--check"]] {
        let mut full = args.clone();
        full.extend([spec.to_str().unwrap(), "--out", &out_s]);
        let stale = sdkgen(&full);
        let err = stderr(&stale);
        assert_eq!(stale.status.code(), Some(1), "{err}");
        assert!(err.contains("-    pub require_signed_ur_ls") && err.contains("+    pub require_signed_urls"), "{err}");
        assert!(err.contains("sdkgen generate"), "names the command that updates: {err}");
    }
}

#[test]
fn a_module_no_longer_generated_is_removed_but_never_a_users_file() {
    let dir = temp_dir("stale-modules");
    let (spec, out) = (dir.join("s.yaml"), dir.join("sdk"));
    let (spec_s, out_s) = (spec.to_str().unwrap().to_string(), out.to_str().unwrap().to_string());
    let op = |path: &str| {
        format!("  /{path}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{properties: {{{path}_name: {{type: string}}}}}}}}}}\n")
    };
    std::fs::write(&spec, format!("{HEAD}paths:\n{}{}", op("cats"), op("dogs"))).unwrap();
    let first = sdkgen(&["generate", &spec_s, "--out", &out_s]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    for f in ["src/resources/cats.rs", "src/resources/dogs.rs", "src/types/cats.rs", "src/types/dogs.rs"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(text.starts_with("// @generated by sdkgen"), "{f} carries the header");
    }
    // A file of the user's own beside the generated ones, without the header.
    std::fs::write(out.join("src/resources/mine.rs"), "// my notes\n").unwrap();
    std::fs::write(&spec, format!("{HEAD}paths:\n{}", op("cats"))).unwrap();
    let stale = sdkgen(&["check", &spec_s, "--out", &out_s]);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    assert!(stderr(&stale).contains("src/resources/dogs.rs"), "{}", stderr(&stale));
    assert!(!stderr(&stale).contains("mine.rs"), "{}", stderr(&stale));
    let second = sdkgen(&["generate", &spec_s, "--out", &out_s]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(!out.join("src/resources/dogs.rs").exists() && !out.join("src/types/dogs.rs").exists());
    assert!(out.join("src/resources/cats.rs").is_file());
    assert_eq!(std::fs::read_to_string(out.join("src/resources/mine.rs")).unwrap(), "// my notes\n");
    let ok = sdkgen(&["check", &spec_s, "--out", &out_s]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
}

#[test]
fn help_and_usage_errors() {
    let help = sdkgen(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("sdkgen generate <SPEC> --out <DIR>") && text.contains("sdkgen check"), "{text}");
    assert!(text.contains("sdkgen api <SPEC>") && text.contains("--runtime-crate"), "{text}");
    // The versions it reads, and no stale claim of 3.0 alone.
    assert!(text.contains("(3.0, 3.1 or Swagger 2.0)") && !text.contains("OpenAPI 3.0 document"), "{text}");
    for bad in [
        &[][..],
        &["frobnicate", "x"],
        &["generate", "x.yaml"],
        &["generate", "x.yaml", "--out"],
        &["generate", "--bogus"],
        &["api"],
        &["api", "x.yaml", "--format", "markdown"],
    ] {
        let o = sdkgen(bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("error:"), "{bad:?}");
    }
    let missing = sdkgen(&["generate", "/nonexistent/spec.yaml", "--out", "/tmp/never"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("/nonexistent/spec.yaml"), "{}", stderr(&missing));
}

#[test]
fn generate_summarises_what_changed_and_bumps_the_version_once() {
    let dir = temp_dir("bump");
    let out = dir.join("sdk");
    let out_s = out.to_str().unwrap().to_string();
    let spec = dir.join("pets.yaml");
    let old = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n";
    std::fs::write(&spec, old).unwrap();
    let spec_s = spec.to_str().unwrap().to_string();
    let version = || {
        let toml = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        toml.lines().find_map(|l| l.strip_prefix("version = ").map(String::from)).unwrap()
    };
    // Without an SDK before it, --bump has nothing to bump.
    let refused = sdkgen(&["generate", &spec_s, "--out", &out_s, "--bump"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("sdkgen-api.json"), "{}", stderr(&refused));
    let first = sdkgen(&["generate", &spec_s, "--out", &out_s]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(version(), "\"0.1.0\"");

    // A field added to a response type: a minor release, 0.1.0 → 0.1.1 by Cargo's rules below 1.0.
    std::fs::write(&spec, old.replace("name: {type: string}", "name: {type: string}, age: {type: integer}")).unwrap();
    let stale = sdkgen(&["check", &spec_s, "--out", &out_s]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stderr(&stale).contains("minor release"), "{}", stderr(&stale));
    assert!(stderr(&stale).contains("field added: types::Pet::age"), "{}", stderr(&stale));
    let bumped = sdkgen(&["generate", &spec_s, "--out", &out_s, "--bump"]);
    assert_eq!(bumped.status.code(), Some(0), "{}", stderr(&bumped));
    assert_eq!(version(), "\"0.1.1\"");
    let again = sdkgen(&["generate", &spec_s, "--out", &out_s, "--bump"]);
    assert!(stderr(&again).contains("wrote 0 file(s)"), "{}", stderr(&again));
    assert_eq!(version(), "\"0.1.1\"", "nothing changed: no second bump");

    // A field removed: breaking, 0.1.1 → 0.2.0; and `diff` says so from the crate and the spec.
    let before = dir.join("before");
    std::fs::create_dir_all(&before).unwrap();
    std::fs::copy(out.join("sdkgen-api.json"), before.join("sdkgen-api.json")).unwrap();
    std::fs::write(&spec, old.replace("name: {type: string}", "age: {type: integer}")).unwrap();
    let breaking = sdkgen(&["generate", &spec_s, "--out", &out_s, "--bump"]);
    assert!(stderr(&breaking).contains("major release"), "{}", stderr(&breaking));
    assert_eq!(version(), "\"0.2.0\"");
    let diffed = sdkgen(&["diff", before.to_str().unwrap(), &spec_s, "--format", "json"]);
    assert_eq!(diffed.status.code(), Some(0), "{}", stderr(&diffed));
    let json: serde_json::Value = serde_json::from_slice(&diffed.stdout).unwrap();
    assert_eq!(json["verdict"], "major");
    assert_eq!(json["changes"][0]["kind"], "field-removed");
    assert_eq!(json["changes"][0]["item"], "types::Pet::name");
    assert_eq!(json["changes"][0]["pointer"], "/components/schemas/Pet/properties/name");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn verbose_names_each_call_and_the_signal_that_named_it() {
    let out = temp_dir("verbose");
    let o = sdkgen(&["generate", seed_spec().to_str().unwrap(), "--out", out.to_str().unwrap(), "--verbose"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "sdkgen: PATCH /accounts/{account_id}/images/v1/{image_id} is images().v1().edit() (named by the path)"
        ),
        "{err}"
    );
}
