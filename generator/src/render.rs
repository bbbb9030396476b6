//! Emission and formatting of the whole API, part by part on every core.
//!
//! `proc_macro2` and `syn` values cannot cross threads, so each worker turns
//! a [`Part`] into tokens and formats them itself; only text comes back.
//! Parts are joined in their fixed order, so the output does not depend on
//! the number of threads or on scheduling.

use crate::emit::{self, Part};
use crate::error::Result;
use crate::ir::Api;
use crate::output::{format_tokens, Spacer};
use quote::quote;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The API's code, formatted part by part: join it with [`Rendered::join`]
/// (after the IR is dropped, for a large API, so the two are not held at once).
pub(crate) struct Rendered {
    /// Each part's text, and whether it belongs in `pub mod types`.
    texts: Vec<(bool, String)>,
    /// How `pub mod types` opens: with a feature per resource, every type may
    /// be left out, and its `serde` import then goes unused.
    types_open: &'static str,
    /// The wall time of the phase split between emission and formatting in
    /// proportion to the time the workers spent on each.
    pub emit: Duration,
    pub format: Duration,
}

/// Emits and formats every part of the API, on `threads` threads.
pub(crate) fn render(api: &Api, user_agent: &str, threads: usize) -> Result<Rendered> {
    let start = Instant::now();
    let parts = emit::parts(api);
    let next = AtomicUsize::new(0);
    let work = || -> Result<Done> {
        let (mut done, mut emitting, mut formatting) = (Vec::new(), Duration::ZERO, Duration::ZERO);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&part) = parts.get(i) else { break };
            let t = Instant::now();
            let tokens = emit::part(api, user_agent, part);
            let (tokens, shell) = match part {
                // Formatted inside a module, so that indentation and line
                // breaks come out as they will be in `pub mod types` or
                // the resource module.
                Part::Types(_) => (quote!(mod __part { #tokens }), None),
                Part::Module { name, chunk: 0, .. } => {
                    (quote!(mod __part { #tokens }), Some(emit::module_shell(api, name)))
                }
                Part::Module { .. } => (quote!(mod __part { #tokens }), None),
                Part::Head => (tokens, None),
            };
            emitting += t.elapsed();
            let t = Instant::now();
            let mut text = format_tokens(tokens)?;
            if !matches!(part, Part::Head) {
                text = strip_wrapper(&text);
            }
            if let Some(shell) = shell {
                // The module's opening lines: its formatted shell without the closing `}`.
                let shell = format_tokens(shell)?;
                let open = shell.trim_end().strip_suffix('}').unwrap_or(&shell);
                text = format!("{open}{text}");
            }
            if let Part::Module { chunk, chunks, .. } = part {
                if chunk + 1 == chunks {
                    text.push_str("}\n");
                }
            }
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
    let wall = start.elapsed();
    let busy = (emitting + formatting).as_secs_f64().max(f64::EPSILON);
    let emit = wall.mul_f64(emitting.as_secs_f64() / busy);
    let texts = parts.iter().map(|p| matches!(p, Part::Types(_))).zip(texts).collect();
    let types_open = if api.features { emit::TYPES_OPEN_FEATURED } else { emit::TYPES_OPEN };
    Ok(Rendered { texts, types_open, emit, format: wall.saturating_sub(emit) })
}

impl Rendered {
    /// The parts joined in their order, `pub mod types` around the types,
    /// and spaced line by line; each part is freed once it is copied, so
    /// the text is never held twice over.
    pub(crate) fn join(self) -> String {
        let mut out = String::with_capacity(self.texts.iter().map(|(_, t)| t.len()).sum::<usize>() + 4096);
        let mut spacer = Spacer::default();
        let mut in_types = false;
        for (types, text) in self.texts {
            match (types, in_types) {
                (true, false) => spacer.push(&mut out, self.types_open),
                (false, true) => spacer.push(&mut out, "}\n"),
                _ => {}
            }
            in_types = types;
            spacer.push(&mut out, &text);
        }
        if in_types {
            spacer.push(&mut out, "}\n");
        }
        out
    }
}

/// What one worker did: formatted parts by index, time emitting, time formatting.
type Done = (Vec<(usize, String)>, Duration, Duration);

/// The body of a formatted `mod __part { … }`: its first and last lines dropped.
fn strip_wrapper(text: &str) -> String {
    let body = text.split_once('\n').map_or("", |(_, rest)| rest);
    let body = body.trim_end_matches('\n');
    body.rsplit_once('\n').map_or("", |(inner, _)| inner).to_string() + "\n"
}

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
        let parts = emit::parts(&api);
        let pieces = parts.iter().filter(|p| matches!(p, Part::Module { .. })).count();
        assert!(pieces > 1, "the module is emitted in {pieces} pieces");
        let joined = render(&api, "ua", 2).unwrap().join();
        let whole = crate::output::space_items(&format_tokens(emit::module_whole(&api, "things")).unwrap());
        assert!(joined.ends_with(&whole), "pieces differ from the whole:\n{joined}");
    }
}
