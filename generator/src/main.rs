//! The `sdkgen` command line: `generate` writes an SDK crate, `check`
//! verifies committed output, `diff` compares two SDKs, `api` prints the map
//! of an SDK's methods. Exit codes: 0 ok, 1 stale output, 2 bad input.

use sdkgen::diff::ApiDiff;
use sdkgen::ir::Api;
use sdkgen::API_JSON;
use sdkgen::{Config, Generated, Warning};
use std::path::Path;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
sdkgen - generate a typed async Rust SDK from an OpenAPI document (3.0, 3.1 or Swagger 2.0)

USAGE:
    sdkgen generate <SPEC> --out <DIR> [OPTIONS]
    sdkgen check <SPEC> --out <DIR> [OPTIONS]
    sdkgen diff <OLD> <NEW> [--format text|json|markdown] [--all]
    sdkgen api <SPEC> [--format text|json]

COMMANDS:
    generate   Write a complete SDK crate to <DIR>: Cargo.toml, src/lib.rs, the
               runtime's code (src/runtime/), API.md and sdkgen-api.json. It
               builds there as it is (`cargo build`). Only files whose contents
               change are written; on any error nothing is written.
    check      Generate in memory and compare with <DIR>. Exits 1 with a diff
               when the committed output is stale (same as `generate --check`).
    diff       What changed in the SDK between two specs (or generated crates,
               by their sdkgen-api.json): methods, parameters, types, fields,
               enum values, auth, base URL, pagination and errors, in Rust
               names with the spec pointer behind each, and the semver
               release it needs. `generate` and `check` print a summary of
               the same when the SDK in <DIR> changes.
    api        Print the map of the SDK's API without writing anything: every
               method as it is called, by resource, with its HTTP method and
               route, params and return types (the crate's API.md; JSON with
               --format json).

OPTIONS:
    -o, --out <DIR>           Directory of the generated crate
        --overrides <FILE>    Overrides file (default: <SPEC stem>.sdkgen.toml beside the spec)
        --crate-name <NAME>   Package name (default: the spec's file stem)
        --select <PATTERN>    Only the operations the patterns select, and the types they
                              reach (repeatable; replaces the overrides file's `select`):
                              `images/*` (call path), `GET /zones` (route), `tag:DNS`,
                              `id:listZones`, `webhook:NAME`; `!PATTERN` excludes
        --check               With generate: check instead of writing
        --strict              Treat warnings as errors
        --example-tests       Also write tests/examples.rs: the spec's examples decode
                              into the generated types and encode back
        --vendor-runtime      Copy the runtime's code into the SDK (src/runtime/):
                              the default, so that the SDK builds wherever it is
        --runtime-crate       Depend on the sdkgen-runtime crate (from a registry)
                              instead of carrying its code
        --runtime-path <PATH> Depend on sdkgen-runtime by this path (relative to <DIR>,
                              or absolute) as well as by version
        --bump                With generate: the version in <DIR>/Cargo.toml, bumped
                              as the API changes need (major, minor or patch)
        --format <FORMAT>     With diff: text (default), json or markdown; with api:
                              text (default, Markdown) or json
        --all                 With diff: list every change, not the first 20
    -v, --verbose             List every warning, not just the first of each kind
    -h, --help                Show this help
    -V, --version             Show the version

EXIT CODES:
    0  success    1  `check`: output is stale    2  bad input or usage
    (`diff` exits 0 whatever the verdict; read it from the output)

EXAMPLES:
    sdkgen generate openapi/images-edit.yaml --out generated/images-edit
    sdkgen api openapi/images.yaml | grep 'PATCH /accounts'
    sdkgen generate openapi/images.yaml --out images-v1 --select 'images/v1/*' --select '!DELETE /*'
";

struct Args {
    command: String,
    spec: PathBuf,
    /// `--out`, or diff's <NEW>.
    out: PathBuf,
    overrides: Option<PathBuf>,
    crate_name: Option<String>,
    /// `--select`, in order.
    select: Vec<String>,
    check: bool,
    strict: bool,
    example_tests: bool,
    verbose: bool,
    bump: bool,
    runtime: Option<sdkgen::Runtime>,
    format: String,
    all: bool,
}

fn parse_args(mut raw: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut command = None;
    let mut spec = None;
    let mut out = None;
    let (mut overrides, mut crate_name, mut select) = (None, None, Vec::new());
    let (mut check, mut strict, mut verbose, mut example_tests) = (false, false, false, false);
    let (mut bump, mut all, mut format) = (false, false, "text".to_string());
    let mut second = None;
    let mut runtime = None;
    while let Some(arg) = raw.next() {
        let mut value = |name: &str| raw.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" | "help" => return Ok(None),
            "-V" | "--version" => {
                println!("sdkgen {}", sdkgen::VERSION);
                std::process::exit(0);
            }
            "-o" | "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--overrides" => overrides = Some(PathBuf::from(value("--overrides")?)),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            "--select" => select.push(value("--select")?),
            "--check" => check = true,
            "--strict" => strict = true,
            "--example-tests" => example_tests = true,
            "-v" | "--verbose" => verbose = true,
            "--bump" => bump = true,
            "--vendor-runtime" => runtime = Some(sdkgen::Runtime::Vendored),
            "--runtime-crate" => runtime = Some(sdkgen::Runtime::Crate { path: None }),
            "--runtime-path" => runtime = Some(sdkgen::Runtime::Crate { path: Some(value("--runtime-path")?) }),
            "--all" => all = true,
            "--format" => format = value("--format")?,
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            word if command.is_none() => command = Some(word.to_string()),
            word if spec.is_none() => spec = Some(PathBuf::from(word)),
            word if second.is_none() && command.as_deref() == Some("diff") => second = Some(PathBuf::from(word)),
            word => return Err(format!("unexpected argument `{word}`")),
        }
    }
    let command = command.ok_or("missing command: generate, check, diff or api")?;
    if !["generate", "check", "diff", "api"].contains(&command.as_str()) {
        return Err(format!("unknown command `{command}`: expected generate, check, diff or api"));
    }
    let formats: &[&str] = if command == "api" { &["text", "json"] } else { &["text", "json", "markdown"] };
    if !formats.contains(&format.as_str()) {
        return Err(format!("unknown format `{format}`: expected {}", formats.join(", ")));
    }
    let (spec, out) = if command == "diff" {
        (spec.ok_or("missing <OLD>")?, second.ok_or("missing <NEW>")?)
    } else if command == "api" {
        (spec.ok_or("missing <SPEC>")?, PathBuf::new())
    } else {
        (spec.ok_or("missing <SPEC>")?, out.ok_or("missing --out <DIR>")?)
    };
    let check = check || command == "check";
    Ok(Some(Args {
        command,
        spec,
        out,
        overrides,
        crate_name,
        select,
        check,
        strict,
        verbose,
        example_tests,
        bump,
        runtime,
        format,
        all,
    }))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\nRun `sdkgen --help` for usage.");
            return ExitCode::from(2);
        }
    };
    if args.command == "diff" {
        return diff(&args);
    }
    if args.command == "api" {
        return api(&args);
    }
    let mut config = Config::new().strict(args.strict).example_tests(args.example_tests).bump(args.bump);
    if let Some(runtime) = &args.runtime {
        config = config.runtime(runtime.clone());
    }
    // The SDK generated before, to say what changed (and bump its version).
    match previous(&args.out) {
        Ok(Some((api, version))) => config = config.previous(api, version),
        Ok(None) if args.bump => {
            eprintln!("error: --bump needs the SDK generated before: no {}", args.out.join(API_JSON).display());
            return ExitCode::from(2);
        }
        Ok(None) => {}
        Err(message) if args.bump => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
        // Without --bump the summary is a courtesy: an unreadable old IR only loses it.
        Err(message) => eprintln!("note: no change summary: {message}"),
    }
    if let Some(file) = &args.overrides {
        config = config.overrides_file(file);
    }
    if let Some(name) = &args.crate_name {
        config = config.crate_name(name);
    }
    if !args.select.is_empty() {
        config = config.select(&args.select);
    }
    let generated = match config.generate_file_timed(&args.spec) {
        Ok((generated, _, timings)) => {
            if args.verbose {
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
                eprintln!(
                    "sdkgen: parse {:.0} ms, lower {:.0} ms, emit {:.0} ms, format {:.0} ms",
                    ms(timings.parse),
                    ms(timings.lower),
                    ms(timings.emit),
                    ms(timings.format)
                );
                // Each operation's call and the naming signal that gave it.
                if let Ok(api) = serde_json::from_str::<sdkgen::ir::Api>(&generated.api_json) {
                    for op in &api.operations {
                        let resource: String = op.resource.iter().map(|r| format!("{r}().")).collect();
                        eprintln!(
                            "sdkgen: {} {} is {resource}{}() (named by the {})",
                            op.method,
                            op.path,
                            op.method_name,
                            op.named_by.as_str()
                        );
                    }
                }
            }
            generated
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    eprint!("{}", report(&generated, args.verbose));
    if let Some(changes) = generated.changes.as_ref().filter(|c| !c.changes.is_empty()) {
        eprint!("{}", changes.text(Some(10)));
    }
    if args.check {
        let stale = generated.check(&args.out);
        if stale.is_empty() {
            eprintln!("{} is up to date", args.out.display());
            return ExitCode::SUCCESS;
        }
        for diff in &stale {
            eprintln!("{diff}");
        }
        let select: String = args.select.iter().map(|p| format!(" --select '{p}'")).collect();
        eprintln!(
            "error: {} is stale. Update it with:\n    sdkgen generate {} --out {}{select}",
            args.out.display(),
            args.spec.display(),
            args.out.display()
        );
        return ExitCode::from(1);
    }
    debug_assert_eq!(args.command, "generate");
    match generated.write_to(&args.out) {
        Ok(written) => {
            eprintln!(
                "wrote {} file(s) to {} ({} unchanged)",
                written.len(),
                args.out.display(),
                generated.files().len() - written.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// A one-screen summary: counts, then warnings grouped by kind.
fn report(generated: &Generated, verbose: bool) -> String {
    let mut by_kind: BTreeMap<sdkgen::WarningKind, Vec<&Warning>> = BTreeMap::new();
    for w in &generated.warnings {
        by_kind.entry(w.kind).or_default().push(w);
    }
    let mut out = format!(
        "sdkgen: {}/{} operations, {} types ({} of them the spec's schemas{}), {} warnings\n",
        generated.stats.operations,
        generated.stats.operations_in_spec,
        generated.stats.types,
        generated.stats.component_types,
        match generated.stats.aliases {
            0 => String::new(),
            n => format!("; {n} more names of inline schemas are aliases of equal types"),
        },
        generated.warnings.len()
    );
    if generated.example_tests.is_some() {
        let s = &generated.stats;
        out.push_str(&format!(
            "example tests: {} examples checked, {} contradict their schema (left out), {} of bodies without a type of their own\n",
            s.examples, s.example_spec_errors, s.examples_untyped
        ));
    }
    for (kind, list) in by_kind {
        out.push_str(&format!("  {kind}: {}\n", list.len()));
        let shown = if verbose { list.len() } else { 3 };
        for w in list.iter().take(shown) {
            out.push_str(&format!("    at {}: {}\n", w.pointer, w.message));
        }
        if list.len() > shown {
            out.push_str(&format!("    … {} more (--verbose lists all)\n", list.len() - shown));
        }
    }
    out
}

/// `sdkgen diff <OLD> <NEW>`.
fn diff(args: &Args) -> ExitCode {
    let mut config = Config::new();
    if let Some(file) = &args.overrides {
        config = config.overrides_file(file);
    }
    if !args.select.is_empty() {
        config = config.select(&args.select);
    }
    let load = |path: &Path| -> Result<Api, String> {
        match previous(path)? {
            Some((api, _)) => Ok(api),
            None if path.is_dir() => Err(format!("{}: no {API_JSON} (generate the SDK there first)", path.display())),
            None => config.lower_file(path).map_err(|e| e.to_string()),
        }
    };
    let start = std::time::Instant::now();
    let (old, new) = match (load(&args.spec), load(&args.out)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let changes: ApiDiff = sdkgen::diff::diff(&old, &new);
    let text = match args.format.as_str() {
        "json" => changes.json(),
        "markdown" => changes.markdown(),
        _ => changes.text(if args.all { None } else { Some(20) }),
    };
    // A reader that stops early (`| head`) is not an error.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    if args.verbose {
        eprintln!("sdkgen: diff in {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
    }
    ExitCode::SUCCESS
}

/// `sdkgen api <SPEC>`: the crate's `API.md`, or its entries as JSON.
fn api(args: &Args) -> ExitCode {
    let mut config = Config::new();
    if let Some(file) = &args.overrides {
        config = config.overrides_file(file);
    }
    if let Some(name) = &args.crate_name {
        config = config.crate_name(name);
    }
    if !args.select.is_empty() {
        config = config.select(&args.select);
    }
    let (api, crate_name) = match config.lower_file_named(&args.spec) {
        Ok(lowered) => lowered,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match args.format.as_str() {
        "json" => serde_json::to_string_pretty(&sdkgen::api_map::entries(&api)).expect("entries are plain data") + "\n",
        _ => sdkgen::api_map::markdown(&api, &crate_name),
    };
    // A reader that stops early (`| grep -m1`, `| head`) is not an error.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    ExitCode::SUCCESS
}

/// The IR and version of the SDK generated in `path` (a crate directory or
/// its `sdkgen-api.json`); `None` when there is none, an error when it
/// cannot be read.
fn previous(path: &Path) -> Result<Option<(Api, Option<String>)>, String> {
    let (json, dir) = if path.is_dir() {
        (path.join(API_JSON), path.to_path_buf())
    } else if path.file_name().is_some_and(|n| n == API_JSON) {
        (path.to_path_buf(), path.parent().unwrap_or(Path::new(".")).to_path_buf())
    } else {
        return Ok(None);
    };
    let Ok(text) = std::fs::read_to_string(&json) else { return Ok(None) };
    let api: Api = serde_json::from_str(&text).map_err(|e| {
        format!("{}: not an SDK's IR as this sdkgen writes it ({e}); regenerate it with this version", json.display())
    })?;
    let version = std::fs::read_to_string(dir.join("Cargo.toml")).ok().and_then(|toml| {
        toml.lines().find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"').map(String::from))
    });
    Ok(Some((api, version)))
}
