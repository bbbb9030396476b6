//! The pipeline, the one module that sees every stage: read
//! (`crate::read`) → lower (`crate::lower`) → IR passes (`crate::passes`)
//! → emit and render (`crate::render`) → the crate's files
//! (`crate::output`). [`Config`]'s generating methods are defined here.

use crate::config::{Config, Runtime, VERSION};
use crate::emit;
use crate::error::{Error, ErrorKind, Result, Warning};
use crate::ir::Api;
use crate::output::{write_files, Generated, Stats};
use crate::overrides::Overrides;
use crate::passes::select::{Origin, Selection, Tags};
use crate::pointer::Relocations;
use crate::{lower, naming, package, passes, read};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long each phase of one generation took (see [`Config::generate_timed`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Text → checked `openapiv3` document (with `$ref` and schema checks).
    pub parse: Duration,
    /// Schemas and operations → IR (types, names, resources).
    pub lower: Duration,
    /// IR → `quote!` tokens.
    pub emit: Duration,
    /// Tokens → `syn` → `prettyplease` text.
    pub format: Duration,
    /// Of `parse`: rewriting a 3.1 or Swagger 2.0 document into the 3.0 model.
    pub upgrade: Duration,
}

/// The stack of the lowering thread (see [`lower_api`]).
pub(crate) const LOWER_STACK: usize = 256 << 20;

/// Lowers `spec` to the IR and runs the IR passes (keeping only what
/// `selection` selects, when given), with the warnings of what was degraded.
pub(crate) fn lower_api(
    spec: &openapiv3::OpenAPI,
    overrides: &Overrides,
    selection: Option<&Selection>,
) -> Result<(Api, Vec<Warning>)> {
    // Types nest as deep as the spec's schemas (a chain of components each
    // holding the next), so lowering gets a stack of its own, reserved but
    // only touched as deep as it goes: a build script's or a test's thread
    // may have as little as 2 MB.
    let here = || {
        let mut lowered = lower::lower(spec, overrides)?;
        let tags = selection.map(|_| operation_tags(spec)).unwrap_or_default();
        passes::run(&mut lowered.api, overrides, &lowered.link_headers, selection.map(|s| (s, &tags)))?;
        Ok((lowered.api, lowered.warnings))
    };
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("sdkgen-lower".into())
            .stack_size(LOWER_STACK)
            .spawn_scoped(s, here)
            .map_err(|e| Error::new(ErrorKind::Io, "", format!("cannot start the lowering thread: {e}")))?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

impl Config {
    /// The SDK's IR from spec text, without emitting code: what `sdkgen
    /// diff` compares.
    pub fn lower(&self, input_name: &str, text: &str) -> Result<crate::ir::Api> {
        let overrides = self.overrides.clone().unwrap_or_default();
        self.lower_warned(text, &overrides, None).map(|(api, _)| api).map_err(|e| e.in_file(input_name))
    }

    /// [`Config::lower`] of the spec at `path`, with its overrides file as
    /// [`Config::generate_file`] finds it.
    pub fn lower_file(&self, path: &Path) -> Result<crate::ir::Api> {
        let (text, overrides, files, written) = self.read_spec(path)?;
        let file = files.get(1).map(PathBuf::as_path).zip(written.as_deref());
        self.lower_warned(&text, &overrides, file).map(|(api, _)| api).map_err(|e| e.in_file(path))
    }

    /// [`Config::lower_file`], with the package name the crate would have
    /// (what `sdkgen api` needs to name the crate in `API.md`).
    pub fn lower_file_named(&self, path: &Path) -> Result<(crate::ir::Api, String)> {
        let (text, overrides, files, written) = self.read_spec(path)?;
        let file = files.get(1).map(PathBuf::as_path).zip(written.as_deref());
        let api = self.lower_warned(&text, &overrides, file).map(|(api, _)| api).map_err(|e| e.in_file(path))?;
        Ok((api, self.crate_name_of(&path.display().to_string(), &overrides)))
    }

    /// The package name: set here, else the overrides file's, else the spec's file stem.
    fn crate_name_of(&self, input_name: &str, overrides: &Overrides) -> String {
        let stem = Path::new(input_name).file_stem().and_then(|s| s.to_str()).unwrap_or("sdk");
        self.crate_name.clone().or_else(|| overrides.crate_name.clone()).unwrap_or_else(|| crate_name_from(stem))
    }

    /// [`Config::lower`], with the warnings of reading and lowering (pointers
    /// into the spec as written): what a test of lowering looks at.
    pub fn lower_with_warnings(&self, input_name: &str, text: &str) -> Result<(Api, Vec<Warning>)> {
        let overrides = self.overrides.clone().unwrap_or_default();
        self.lower_warned(text, &overrides, None).map_err(|e| e.in_file(input_name))
    }

    /// Parses and lowers, with the warnings, pointers into the spec as written.
    /// `overrides_file` is the file `overrides` were read from, and its text, if any.
    fn lower_warned(
        &self,
        text: &str,
        overrides: &Overrides,
        overrides_file: Option<(&Path, &str)>,
    ) -> Result<(Api, Vec<Warning>)> {
        let (spec, mut warnings, moves) = read::parse_located(text, &mut Duration::default())?;
        let selection = self.selection(overrides, overrides_file);
        let (mut api, lowered) = lower_api(&spec, overrides, selection.as_ref()).map_err(|e| moves.locate(e))?;
        locate_origins(&mut api, &moves);
        warnings.extend(lowered.into_iter().map(|mut w| {
            w.pointer = moves.spec_pointer(&w.pointer);
            w
        }));
        Ok((api, warnings))
    }

    /// Generates an SDK from spec text. Pure: reads and writes nothing.
    /// `input_name` names the spec in errors and in the header.
    pub fn generate(&self, input_name: &str, text: &str) -> Result<Generated> {
        let overrides = self.overrides.clone().unwrap_or_default();
        self.generate_with(input_name, text, &overrides, None, &mut Timings::default())
            .map_err(|e| e.in_file(input_name))
    }

    /// [`Config::generate`], also returning how long each phase took: for
    /// benchmarks and `sdkgen generate -v`.
    pub fn generate_timed(&self, input_name: &str, text: &str) -> Result<(Generated, Timings)> {
        let overrides = self.overrides.clone().unwrap_or_default();
        let mut timings = Timings::default();
        let generated =
            self.generate_with(input_name, text, &overrides, None, &mut timings).map_err(|e| e.in_file(input_name))?;
        Ok((generated, timings))
    }

    fn generate_with(
        &self,
        input_name: &str,
        text: &str,
        overrides: &Overrides,
        overrides_file: Option<(&Path, &str)>,
        timings: &mut Timings,
    ) -> Result<Generated> {
        let start = Instant::now();
        let (spec, mut warnings, moves) = read::parse_located(text, &mut timings.upgrade)?;
        timings.parse = start.elapsed();
        let start = Instant::now();
        let selection = self.selection(overrides, overrides_file);
        let (mut api, mut lowered) = lower_api(&spec, overrides, selection.as_ref()).map_err(|e| moves.locate(e))?;
        // The examples answer the mock's calls (`Mock::from_examples`); with example tests,
        // they are also tested, and the invalid ones are warnings.
        let tests = self.example_tests || overrides.example_tests == Some(true);
        let (examples, found) = lower::examples::collect(&spec, &api, tests);
        for (&index, (status, value)) in &examples.answers {
            api.operations[index].example = Some((*status, value.to_string()));
        }
        let examples = tests.then(|| {
            lowered.extend(found);
            examples
        });
        let metadata = package::Metadata::new(&spec, &overrides.package);
        let operations_in_spec = spec.paths.paths.values().filter_map(|p| p.as_item()).map(|p| p.iter().count()).sum();
        // The document is not needed past lowering: freed now (on the side when it is large),
        // its memory serves emission instead of new pages.
        if text.len() > read::PARALLEL_FROM {
            std::thread::spawn(move || drop(spec));
        } else {
            drop(spec);
        }
        timings.lower = start.elapsed();
        for w in &mut lowered {
            w.pointer = moves.spec_pointer(&w.pointer);
        }
        locate_origins(&mut api, &moves);
        warnings.extend(lowered);
        if self.strict {
            if let Some(first) = warnings.first() {
                return Err(Error::new(
                    ErrorKind::Strict,
                    first.pointer.clone(),
                    format!(
                        "{} (and {} more warnings; --strict makes warnings errors)",
                        first.message,
                        warnings.len() - 1
                    ),
                ));
            }
        }
        let crate_name = self.crate_name_of(input_name, overrides);
        let changes = self.previous.as_ref().map(|(before, _)| crate::diff::diff(before, &api));
        // The previous version, bumped when asked and the API changed (so
        // that generating twice bumps once).
        let previous_version = self.previous.as_ref().and_then(|(_, v)| v.clone());
        let bumped = match (&previous_version, &changes) {
            (Some(before), Some(changes)) if self.bump && !changes.changes.is_empty() => {
                crate::diff::bump(before, changes.verdict())
            }
            _ => None,
        };
        let version =
            bumped.or_else(|| self.crate_version.clone()).or(previous_version).unwrap_or_else(|| "0.1.0".into());
        let user_agent = format!("{crate_name}/{version} sdkgen/{VERSION}");
        let threads = self.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let rendered = crate::render::render(&api, &user_agent, threads)?;
        timings.emit = rendered.emit;
        timings.format = rendered.format;
        let sha = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>();
        let input = self.input_name.as_deref().unwrap_or(input_name).replace('\\', "/");
        let header = format!(
            "// @generated by sdkgen {VERSION} from `{input}` (sha256 {sha}).\n// Do not edit by hand: regenerate with `sdkgen generate`.\n\n"
        );
        let lib_name = crate_name.replace('-', "_");
        let features = emit::feature_names(&api);
        let crate_docs = emit::crate_docs(&api, &lib_name, features.as_deref());
        let runtime =
            self.runtime.clone().unwrap_or_else(|| match (overrides.vendor_runtime, &overrides.runtime_path) {
                (Some(true), _) => Runtime::Vendored,
                (_, Some(path)) => Runtime::Crate { path: Some(path.clone()) },
                (Some(false), None) => Runtime::Crate { path: None },
                (None, None) if self.build_script => Runtime::Crate { path: None },
                (None, None) => Runtime::default(),
            });
        let cargo_toml = package::cargo_toml(&crate_name, &version, &input, &metadata, features.as_deref(), &runtime);
        let api_md = crate::api_map::markdown(&api, &crate_name);
        let stats = Stats {
            operations: api.operations.len(),
            operations_in_spec,
            types: api.types.iter().filter(|t| !matches!(t.body, crate::ir::TypeBody::Alias { .. })).count(),
            aliases: api.types.iter().filter(|t| matches!(t.body, crate::ir::TypeBody::Alias { .. })).count(),
            component_types: api.types.iter().filter(|t| t.component.is_some()).count(),
            examples: examples.as_ref().map_or(0, |e| e.checked.len()),
            example_spec_errors: examples.as_ref().map_or(0, |e| e.spec_errors),
            examples_untyped: examples.as_ref().map_or(0, |e| e.untyped),
            pagination: api.operations.iter().filter_map(|op| op.pagination.as_ref()).fold([0; 6], |mut n, p| {
                n[p.kind.style()] += 1;
                n
            }),
        };
        let example_tests = examples.map(|mut e| {
            for example in &mut e.checked {
                example.pointer = moves.spec_pointer(&example.pointer);
            }
            emit::examples::tests_file(&api, &e.checked, &lib_name)
        });
        let api_json = serde_json::to_string_pretty(&api).expect("the IR is plain data") + "\n";
        // The IR is done with: its memory serves the joined text instead.
        drop(api);
        let start = Instant::now();
        let api = rendered.layout();
        timings.format += start.elapsed();
        Ok(Generated {
            crate_name,
            header,
            crate_docs,
            api,
            cargo_toml,
            api_md,
            example_tests,
            api_json,
            changes,
            warnings,
            stats,
            runtime,
        })
    }

    /// Reads the spec at `path` (and its overrides file) and generates.
    /// Returns the SDK and every file that was read.
    pub fn generate_file(&self, path: &Path) -> Result<(Generated, Vec<PathBuf>)> {
        self.generate_file_timed(path).map(|(generated, files, _)| (generated, files))
    }

    /// [`Config::generate_file`], also returning how long each phase took.
    pub fn generate_file_timed(&self, path: &Path) -> Result<(Generated, Vec<PathBuf>, Timings)> {
        let (text, overrides, files, written) = self.read_spec(path)?;
        let name = path.display().to_string();
        let mut timings = Timings::default();
        let file = files.get(1).map(PathBuf::as_path).zip(written.as_deref());
        let generated =
            self.generate_with(&name, &text, &overrides, file, &mut timings).map_err(|e| e.in_file(path))?;
        Ok((generated, files, timings))
    }

    /// The selection to generate: [`Config::select`]'s, else the overrides'
    /// (read from `overrides_file`, of that text, when from a file).
    fn selection(&self, overrides: &Overrides, overrides_file: Option<(&Path, &str)>) -> Option<Selection> {
        match (&self.select, &overrides.select) {
            (Some(patterns), _) => Some(Selection { patterns: patterns.clone(), origin: Origin::Flag }),
            (None, Some(patterns)) => Some(Selection {
                patterns: patterns.clone(),
                origin: Origin::Overrides(overrides_file.map(|(file, text)| (file.to_path_buf(), text.to_string()))),
            }),
            (None, None) => None,
        }
    }

    /// The spec's text, its overrides, the files read (the overrides file,
    /// when one was read, second) and the overrides file's text.
    fn read_spec(&self, path: &Path) -> Result<(String, Overrides, Vec<PathBuf>, Option<String>)> {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| Error::new(ErrorKind::Io, "", e.to_string()).in_file(p));
        let text = read(path)?;
        let mut files = vec![path.to_path_buf()];
        let beside = path.with_extension("sdkgen.toml");
        let file = match (&self.overrides, &self.overrides_file) {
            (Some(_), _) => None,
            (None, Some(file)) => Some(file.clone()),
            (None, None) => Some(beside).filter(|b| b.is_file()),
        };
        let (overrides, written) = match (&self.overrides, file) {
            (Some(o), _) => (o.clone(), None),
            (None, Some(file)) => {
                let written = read(&file)?;
                let overrides = Overrides::parse(&written).map_err(|e| e.in_file(&file))?;
                files.push(file);
                (overrides, Some(written))
            }
            (None, None) => (Overrides::default(), None),
        };
        Ok((text, overrides, files, written))
    }

    /// For `build.rs`: generates from `spec` into `$OUT_DIR/<lib name>.rs`
    /// (written only when it changes), prints `cargo:rerun-if-changed` for
    /// every file read, and returns the written path for `include!`.
    pub fn compile(&self, spec: impl AsRef<Path>) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .ok_or_else(|| Error::new(ErrorKind::Io, "", "OUT_DIR is not set: call compile() from build.rs"))?;
        self.compile_into(spec.as_ref(), &out_dir, &mut std::io::stdout())
    }

    /// [`Config::compile`] with the output directory given and the `cargo:`
    /// lines written to `cargo`.
    pub fn compile_into(&self, spec: &Path, out_dir: &Path, cargo: &mut dyn std::io::Write) -> Result<PathBuf> {
        let build_script = Config { build_script: true, ..self.clone() };
        let (generated, read) = build_script.generate_file(spec)?;
        for file in &read {
            writeln!(cargo, "cargo:rerun-if-changed={}", file.display())
                .map_err(|e| Error::new(ErrorKind::Io, "", e.to_string()))?;
        }
        let name = PathBuf::from(format!("{}.rs", generated.crate_name.replace('-', "_")));
        write_files(out_dir, &BTreeMap::from([(name.clone(), generated.single_file())]))?;
        Ok(out_dir.join(name))
    }
}

/// Each type's origin as a pointer into the spec as written (3.1 and 2.0
/// documents are lowered from a rewritten tree).
fn locate_origins(api: &mut crate::ir::Api, moves: &Relocations) {
    for def in &mut api.types {
        def.origin = moves.spec_pointer(&def.origin);
    }
}

/// The tags of each operation of `spec`, by upper-case method and path.
fn operation_tags(spec: &openapiv3::OpenAPI) -> Tags {
    let mut tags = Tags::new();
    for (path, item) in &spec.paths.paths {
        for (method, op) in item.as_item().into_iter().flat_map(|item| item.iter()) {
            tags.insert((method.to_uppercase(), path.clone()), op.tags.clone());
        }
    }
    tags
}

/// A package name from a file stem: lower case, `-` between words.
fn crate_name_from(stem: &str) -> String {
    naming::snake(stem).trim_start_matches("r#").trim_matches('_').replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_does_not_depend_on_threads() {
        // Enough types for several parts of the `types` module, and three resource modules.
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n");
        text += "  /cats:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                properties:\n";
        for i in 0..150 {
            text += &format!("                  t{i}: {{$ref: '#/components/schemas/T{i}'}}\n");
        }
        for r in ["dogs", "owls"] {
            text += &format!("  /{r}:\n    delete:\n      responses:\n        '204': {{description: gone}}\n");
        }
        text += "components:\n  schemas:\n";
        for i in 0..150 {
            text += &format!("    T{i}:\n      description: Type {i}.\n      type: object\n      properties:\n        name: {{type: string}}\n");
        }
        let one = Config::new().threads(1).generate("t.yaml", &text).unwrap();
        for threads in [2, 3, 64] {
            let many = Config::new().threads(threads).generate("t.yaml", &text).unwrap();
            assert_eq!(one.files(), many.files(), "{threads} threads");
        }
        let code = one.code();
        assert_eq!(code.matches("pub mod ").count(), 4, "types and three resource modules");
        assert_eq!(code.matches("pub struct T").count(), 150);
        assert!(one.warnings.is_empty(), "{:?}", one.warnings);
        // Between parts: one blank line, as between any two items.
        assert!(code.contains("}\n\n/// Type 47.\n"), "{code}");
    }

    #[test]
    fn compile_reports_inputs_and_writes_only_on_change() {
        let dir = std::env::temp_dir().join(format!("sdkgen-compile-{}", std::process::id()));
        let spec = dir.join("pets.yaml");
        let overrides = dir.join("pets.sdkgen.toml");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&spec, "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n").unwrap();
        std::fs::write(&overrides, "crate_name = \"pet-store\"\n").unwrap();
        let out = dir.join("out");
        std::fs::create_dir_all(&out).unwrap();
        let mut cargo = Vec::new();
        let path = Config::new().compile_into(&spec, &out, &mut cargo).unwrap();
        assert_eq!(path, out.join("pet_store.rs"));
        let lines = String::from_utf8(cargo).unwrap();
        assert_eq!(
            lines,
            format!("cargo:rerun-if-changed={}\ncargo:rerun-if-changed={}\n", spec.display(), overrides.display())
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("pub use sdkgen_runtime as runtime;") && !text.contains("//!"), "include!-able");
        assert!(text.contains("pub mod types {") && text.contains("pub mod pets {"), "modules inline: {text}");
        let vendored = Config::new().runtime(Runtime::Vendored).compile_into(&spec, &dir, &mut Vec::new()).unwrap();
        let text = std::fs::read_to_string(&vendored).unwrap();
        assert!(text.contains("pub mod runtime {") && !text.contains("//!"), "include!-able: no inner docs");
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        Config::new().compile_into(&spec, &out, &mut Vec::new()).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
