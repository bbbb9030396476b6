//! Emission and formatting of the whole API, part by part on every core.
//!
//! `proc_macro2` and `syn` values cannot cross threads, so each worker turns
//! a [`Part`] into tokens and formats them itself; only text comes back.
//! Parts are joined in their fixed order, so the output does not depend on
//! the number of threads or on scheduling.

use crate::emit::{self, Part};
use crate::error::Result;
use crate::ir::Api;
use crate::naming;
use crate::output::{format_tokens, Layout, Spacer, Unit};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The API's code, formatted part by part: lay it out with
/// [`Rendered::layout`] (after the IR is dropped, for a large API, so the
/// two are not held at once).
pub(crate) struct Rendered {
    /// Each part's text, and the module it belongs to.
    texts: Vec<(Owner, String)>,
    /// `pub mod types;` and what `types` holds before its modules.
    types_decl: String,
    types_prelude: String,
    /// The modules of `types`, then the resource modules, each without its text.
    groups: Vec<Unit>,
    modules: Vec<Unit>,
    /// The wall time of the phase split between emission and formatting in
    /// proportion to the time the workers spent on each.
    pub emit: Duration,
    pub format: Duration,
}

/// The module a part belongs to.
#[derive(Clone, Copy)]
enum Owner {
    Head,
    Group(usize),
    Module(usize),
}

/// Emits and formats every part of the API, on `threads` threads.
pub(crate) fn render(api: &Api, user_agent: &str, threads: usize) -> Result<Rendered> {
    let start = Instant::now();
    let groups = emit::type_groups(api);
    let parts = emit::parts(api, &groups);
    let next = AtomicUsize::new(0);
    let work = || -> Result<Done> {
        let (mut done, mut emitting, mut formatting) = (Vec::new(), Duration::ZERO, Duration::ZERO);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(i) else { break };
            let t = Instant::now();
            let tokens = emit::part(api, user_agent, part);
            emitting += t.elapsed();
            let t = Instant::now();
            let text = format_tokens(tokens)?;
            formatting += t.elapsed();
            done.push((i, text));
        }
        Ok((done, emitting, formatting))
    };
    let threads = threads.clamp(1, parts.len().max(1));
    let results: Vec<Result<_>> = if threads == 1 {
        vec![work()]
    } else {
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            workers.into_iter().map(|w| w.join().expect("a render worker panicked")).collect()
        })
    };
    let mut texts = vec![String::new(); parts.len()];
    let (mut emitting, mut formatting) = (Duration::ZERO, Duration::ZERO);
    for result in results {
        let (done, e, f) = result?;
        emitting += e;
        formatting += f;
        for (i, text) in done {
            texts[i] = text;
        }
    }
    let names = emit::module_names(api);
    let owners = parts.iter().map(|p| match p {
        Part::Head => Owner::Head,
        Part::Types { group, .. } => Owner::Group(*group),
        Part::Module { name, .. } => Owner::Module(names.iter().position(|n| n == name).expect("a module of the API")),
    });
    let texts = owners.zip(texts).collect();
    let mut group_units = Vec::new();
    for group in &groups {
        let (decl, reexport) = emit::group_decl(api, group);
        group_units.push(unit(&group.name, format_tokens(decl)?, format_tokens(reexport)?));
    }
    let mut module_units = Vec::new();
    for name in &names {
        module_units.push(unit(name, format_tokens(emit::module_decl(api, name))?, String::new()));
    }
    let wall = start.elapsed();
    let busy = (emitting + formatting).as_secs_f64().max(f64::EPSILON);
    let emit = wall.mul_f64(emitting.as_secs_f64() / busy);
    Ok(Rendered {
        texts,
        types_decl: format_tokens(emit::types_decl())?,
        types_prelude: format_tokens(emit::types_prelude())?,
        groups: group_units,
        modules: module_units,
        emit,
        format: wall.saturating_sub(emit),
    })
}

/// A module without its text yet.
fn unit(name: &str, decl: String, reexport: String) -> Unit {
    Unit { name: name.to_string(), file: naming::unraw(name).to_string(), decl, reexport, bodies: Vec::new() }
}

impl Rendered {
    /// The parts gathered into their modules, each module's text cut into
    /// files of at most [`crate::output::MAX_BODY`] bytes at part
    /// boundaries, and spaced line by line; each part is freed once it is
    /// copied, so the text is never held twice over.
    pub(crate) fn layout(self) -> Layout {
        self.layout_within(crate::output::MAX_BODY)
    }

    /// [`Rendered::layout`] with files of at most `max` bytes of text.
    fn layout_within(self, max: usize) -> Layout {
        let Rendered { texts, types_decl, types_prelude, mut groups, mut modules, .. } = self;
        let mut head = String::new();
        let mut spacer = Spacer::default();
        // Per module: the spacer of its current file.
        let mut spacers: Vec<Spacer> = (0..groups.len() + modules.len()).map(|_| Spacer::default()).collect();
        let n_groups = groups.len();
        for (owner, text) in texts {
            let (unit, slot) = match owner {
                Owner::Head => {
                    spacer.push(&mut head, &text);
                    continue;
                }
                Owner::Group(g) => (&mut groups[g], g),
                Owner::Module(m) => (&mut modules[m], n_groups + m),
            };
            let full = unit.bodies.last().is_none_or(|b| !b.is_empty() && b.len() + text.len() > max);
            if full {
                unit.bodies.push(String::new());
                spacers[slot] = Spacer::default();
            }
            let body = unit.bodies.last_mut().expect("a body was pushed");
            spacers[slot].push(body, &text);
        }
        Layout { head, types_decl, types_prelude, groups, modules }
    }
}

/// What one worker did: formatted parts by index, time emitting, time formatting.
type Done = (Vec<(usize, String)>, Duration, Duration);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_formatted_in_pieces_reads_as_if_formatted_whole() {
        // 150 operations under one resource: its module is emitted in pieces.
        let mut spec = String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n");
        for i in 0..150 {
            spec += &format!("  /things/t{i}:\n    get:\n      parameters: [{{name: q, in: query, schema: {{type: string}}}}]\n      responses: {{'204': {{description: none}}}}\n");
        }
        let api = crate::Config::new().lower("t.yaml", &spec).unwrap();
        let groups = emit::type_groups(&api);
        let parts = emit::parts(&api, &groups);
        let pieces = parts.iter().filter(|p| matches!(p, Part::Module { .. })).count();
        assert!(pieces > 1, "the module is emitted in {pieces} pieces");
        let layout = render(&api, "ua", 2).unwrap().layout();
        let joined = layout.modules[0].bodies.concat();
        let whole = crate::output::space_items(&format_tokens(emit::module_whole(&api, "things")).unwrap());
        assert_eq!(joined, whole, "pieces differ from the whole");
    }

    #[test]
    fn a_module_longer_than_a_file_continues_in_files_it_includes() {
        let mut spec = String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n");
        for i in 0..300 {
            spec += &format!("  /things/t{i}:\n    get:\n      parameters: [{{name: q, in: query, schema: {{type: string}}}}]\n      responses: {{'204': {{description: none}}}}\n");
        }
        let api = crate::Config::new().lower("t.yaml", &spec).unwrap();
        let whole = render(&api, "ua", 2).unwrap().layout();
        let max = 40_000;
        let split = render(&api, "ua", 2).unwrap().layout_within(max);
        let (one, many) = (&whole.modules[0], &split.modules[0]);
        assert_eq!(one.bodies.len(), 1);
        assert!(many.bodies.len() > 2, "{} files", many.bodies.len());
        // The same text, cut between items (the blank line between them dropped).
        assert!(one.bodies[0] == many.bodies.join("\n"), "the same text, cut at items");
        let mut files = std::collections::BTreeMap::new();
        many.files("src/resources/", "// @generated\n", &mut files);
        assert_eq!(files.len(), many.bodies.len());
        let first = &files[std::path::Path::new("src/resources/things.rs")];
        for n in 2..=many.bodies.len() {
            let part = format!("src/resources/things/part_{n}.rs");
            assert!(first.contains(&format!("include!(\"things/part_{n}.rs\");")), "{part} is included");
            let text = &files[std::path::Path::new(&part)];
            assert!(text.starts_with("// @generated\n") && text.len() <= max + 100, "{part}: {} bytes", text.len());
        }
    }
}
