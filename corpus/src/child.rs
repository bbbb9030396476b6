//! The child side: one spec, generated in this process, the outcome printed
//! as one JSON line on stdout for the parent to read.

use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// The hidden subcommand the parent runs: `__one <spec> <name> <crate> [<out dir>]`.
pub const COMMAND: &str = "__one";

/// Set in the child's environment to generate the example tests too.
pub const EXAMPLES_ENV: &str = "SDKGEN_CORPUS_EXAMPLES";
/// Set (by `--max-file`): a Rust file over `sdkgen::MAX_FILE` fails the spec.
pub const MAX_FILE_ENV: &str = "SDKGEN_CORPUS_MAX_FILE";

/// Set in the child's environment to a selection's patterns, one a line (`--select`).
pub const SELECT_ENV: &str = "SDKGEN_CORPUS_SELECT";

pub fn main(args: Vec<String>) -> ExitCode {
    let [spec, name, crate_name, rest @ ..] = args.as_slice() else {
        eprintln!("usage: sdkgen-corpus {COMMAND} <spec> <name> <crate> [<out dir>]");
        return ExitCode::from(2);
    };
    let out = rest.first().map(PathBuf::from);
    // A panic is reported by the parent from stderr; keep the default hook's message short.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("panic{at}: {message}");
    }));
    let mut config = sdkgen::Config::new()
        .input_name(name)
        .crate_name(crate_name)
        .example_tests(std::env::var_os(EXAMPLES_ENV).is_some())
        .runtime(sdkgen::Runtime::Crate {
            path: Some(crate::specs::repo_root().join("runtime").display().to_string()),
        });
    if let Some(patterns) = std::env::var_os(SELECT_ENV) {
        config = config.select(patterns.to_string_lossy().lines().map(String::from).collect::<Vec<_>>());
    }
    // Real specs come without overrides files: the text alone, timed by phase.
    let generated = std::fs::read_to_string(spec)
        .map_err(|e| sdkgen::Error::new(sdkgen::ErrorKind::Io, "", e.to_string()))
        .and_then(|text| config.generate_timed(name, &text));
    let line = match generated {
        Ok((generated, timings)) => {
            let phases = [timings.parse, timings.lower, timings.emit, timings.format].map(|d| d.as_millis() as u64);
            let lines: usize = generated.files().values().map(|f| f.lines().count()).sum();
            let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
            for w in &generated.warnings {
                *kinds.entry(w.kind.as_str()).or_default() += 1;
            }
            // Method names longer than four words: how many, and the ten longest
            // as `resource.method` (the line stays short for the parent).
            let words = |m: &str| m.trim_start_matches("r#").split('_').filter(|w| !w.is_empty()).count();
            let mut long: Vec<(usize, String)> = serde_json::from_str::<sdkgen::ir::Api>(&generated.api_json)
                .map(|api| {
                    api.operations
                        .iter()
                        .filter(|op| words(&op.method_name) > 4)
                        .map(|op| (words(&op.method_name), format!("{}.{}", op.resource.join("."), op.method_name)))
                        .collect()
                })
                .unwrap_or_default();
            let long_count = long.len();
            long.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let long_methods: Vec<String> = long.into_iter().take(10).map(|(_, m)| m).collect();
            // A Rust file an IDE cannot open is a failure (a module too long for one
            // continues in files it includes).
            let too_big = std::env::var_os(MAX_FILE_ENV).and_then(|_| {
                generated
                    .files()
                    .into_iter()
                    .find(|(path, text)| path.extension().is_some_and(|e| e == "rs") && text.len() > sdkgen::MAX_FILE)
            });
            let written = match (&out, too_big) {
                (_, Some((path, text))) => Err((
                    "FileTooLarge",
                    format!(
                        "{} is {} bytes, over {} (what an IDE opens)",
                        path.display(),
                        text.len(),
                        sdkgen::MAX_FILE
                    ),
                )),
                (Some(dir), None) => generated.write_to(dir).map(|_| ()).map_err(|e| ("Io", e.to_string())),
                (None, None) => Ok(()),
            };
            match written {
                Ok(()) => json!({
                    "status": "generated",
                    "operations": generated.stats.operations,
                    "operations_in_spec": generated.stats.operations_in_spec,
                    "types": generated.stats.types,
                    "component_types": generated.stats.component_types,
                    "examples": [
                        generated.stats.examples,
                        generated.stats.example_spec_errors,
                        generated.stats.examples_untyped
                    ],
                    "pagination": sdkgen::ir::PageKind::STYLES
                        .iter()
                        .zip(generated.stats.pagination)
                        .filter(|(_, n)| *n > 0)
                        .map(|(style, n)| (style.to_string(), json!(n)))
                        .collect::<serde_json::Map<_, _>>(),
                    "long_methods": long_methods,
                    "long_method_count": long_count,
                    "warnings": generated.warnings.len(),
                    "warning_kinds": kinds,
                    "lines": lines,
                    "phases_ms": phases,
                }),
                Err((kind, message)) => json!({"status": "error", "kind": kind, "pointer": "", "message": message}),
            }
        }
        Err(e) => json!({
            "status": "error",
            "kind": format!("{:?}", e.kind),
            "pointer": e.pointer,
            "message": e.message,
        }),
    };
    println!("{line}");
    ExitCode::SUCCESS
}
