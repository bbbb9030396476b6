//! The library entry point, in the manner of `prost-build`: a [`Config`] with
//! chained setters. Its generating methods (a pure [`Config::generate`] that
//! returns code and does no I/O, and thin layers that read specs and write
//! files) are defined with the pipeline, in `crate::pipeline`.

use crate::overrides::Overrides;
use std::path::PathBuf;

/// sdkgen's version, written into every header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How to generate an SDK.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub(crate) crate_name: Option<String>,
    pub(crate) crate_version: Option<String>,
    pub(crate) overrides: Option<Overrides>,
    pub(crate) overrides_file: Option<PathBuf>,
    pub(crate) input_name: Option<String>,
    pub(crate) strict: bool,
    pub(crate) threads: Option<usize>,
    pub(crate) example_tests: bool,
    pub(crate) previous: Option<(crate::ir::Api, Option<String>)>,
    pub(crate) bump: bool,
    pub(crate) runtime: Option<Runtime>,
    /// Generating for `build.rs` ([`Config::compile`]): the code goes into the
    /// user's crate, which depends on the runtime crate.
    pub(crate) build_script: bool,
    /// The selection given here (`--select`), which replaces the overrides file's.
    pub(crate) select: Option<Vec<String>>,
}

/// The version requirement generated SDKs put on `sdkgen-runtime`: this
/// release's (the workspace builds the two together).
pub const RUNTIME_VERSION: &str = "0.1";

/// Where a generated SDK gets its HTTP runtime (client, retries, auth, errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// A dependency on the `sdkgen-runtime` crate ([`RUNTIME_VERSION`]), with a
    /// path (relative to the generated crate, or absolute) to build it from
    /// where it is not taken from a registry.
    Crate {
        /// `path = "…"` of the dependency.
        path: Option<String>,
    },
    /// The runtime's code as the SDK's own `runtime` module: a crate with no
    /// dependency on sdkgen's.
    Vendored,
}

impl Default for Runtime {
    /// The runtime's code carried by the SDK: until `sdkgen-runtime` is
    /// published, the one choice that builds wherever the SDK is written.
    fn default() -> Self {
        Runtime::Vendored
    }
}

impl Config {
    /// Defaults: crate named after the spec's file stem, overrides from
    /// `<stem>.sdkgen.toml` beside the spec when it exists.
    pub fn new() -> Self {
        Self::default()
    }

    /// The generated package's name.
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// The generated package's version (default `0.1.0`).
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = Some(version.into());
        self
    }

    /// Overrides given in code; they replace any overrides file.
    pub fn overrides(mut self, overrides: Overrides) -> Self {
        self.overrides = Some(overrides);
        self
    }

    /// An overrides file to read instead of the one beside the spec.
    pub fn overrides_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.overrides_file = Some(path.into());
        self
    }

    /// The name of the input in the `@generated` header (default: the path as given).
    pub fn input_name(mut self, name: impl Into<String>) -> Self {
        self.input_name = Some(name.into());
        self
    }

    /// How many threads emit and format code (default: one per core). The
    /// output is the same for any number.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads.max(1));
        self
    }

    /// Also writes `tests/examples.rs`: every example the spec documents for
    /// a JSON body decodes into its generated type and encodes back to the
    /// same JSON; examples that contradict their own schema are warnings.
    /// (An overrides file can turn it on too: `example_tests = true`.)
    pub fn example_tests(mut self, on: bool) -> Self {
        self.example_tests = on;
        self
    }

    /// The SDK generated before (its `sdkgen-api.json`, see
    /// [`Generated::api_json`](crate::Generated::api_json)) and that crate's version: generation then
    /// also reports what changed ([`Generated::changes`](crate::Generated::changes)).
    pub fn previous(mut self, api: crate::ir::Api, version: Option<String>) -> Self {
        self.previous = Some((api, version));
        self
    }

    /// Where the SDK gets its runtime (default: the overrides file's
    /// `vendor_runtime` / `runtime_path`, else the runtime's code in the SDK,
    /// [`Runtime::Vendored`]; for [`Config::compile`], a dependency on
    /// `sdkgen-runtime` that the crate including the code declares).
    pub fn runtime(mut self, runtime: Runtime) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// With [`Config::previous`]: the crate's version is the previous one
    /// bumped as the changes need (major, minor or patch, by Cargo's rules).
    pub fn bump(mut self, on: bool) -> Self {
        self.bump = on;
        self
    }

    /// Generates only the operations these patterns select, and the types
    /// they reach (as the overrides file's `select` says, which this
    /// replaces): call paths (`images/*`), routes (`GET /zones`), `tag:`,
    /// `id:` and `webhook:` patterns, `!` to exclude. A pattern that
    /// matches nothing is an error.
    pub fn select<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        self.select = Some(patterns.into_iter().map(Into::into).collect());
        self
    }

    /// Makes every warning an error.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }
}

/// The oldest Rust that generated SDKs and the runtime build with (the
/// workspace's `rust-version`).
pub const RUST_VERSION: &str = "1.82";
