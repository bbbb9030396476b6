//! Emission and formatting of the whole API, part by part on every core.
//!
//! `proc_macro2` and `syn` values cannot cross threads, so each worker turns
//! a [`Part`] into tokens and formats them itself; only text comes back.
//! Parts are joined in their fixed order, so the output does not depend on
//! the number of threads or on scheduling.

use crate::emit::{self, Part};
use crate::error::Result;
use crate::ir::Api;
use crate::output::{format_tokens, space_items};
use quote::quote;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The API's code, formatted, and how the time went: the wall time of the
/// phase split between emission and formatting in proportion to the time
/// the workers spent on each.
pub fn render(api: &Api, user_agent: &str, threads: usize) -> Result<(String, Duration, Duration)> {
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
            let tokens = match part {
                // Formatted inside a module, so that indentation and line
                // breaks come out as they will be in `pub mod types`.
                Part::Types(_) => quote!(mod __part { #tokens }),
                _ => tokens,
            };
            emitting += t.elapsed();
            let t = Instant::now();
            let mut text = format_tokens(tokens)?;
            if let Part::Types(_) = part {
                text = strip_wrapper(&text);
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
    let mut out = String::with_capacity(texts.iter().map(String::len).sum::<usize>() + 256);
    let mut in_types = false;
    for (part, text) in parts.iter().zip(&texts) {
        match (part, in_types) {
            (Part::Types(_), false) => {
                out.push_str(emit::TYPES_OPEN);
                in_types = true;
            }
            (Part::Types(_), true) => {}
            (_, true) => {
                out.push_str("}\n");
                in_types = false;
            }
            (_, false) => {}
        }
        out.push_str(text);
    }
    if in_types {
        out.push_str("}\n");
    }
    let out = space_items(&out);
    let wall = start.elapsed();
    let busy = (emitting + formatting).as_secs_f64().max(f64::EPSILON);
    let emit = wall.mul_f64(emitting.as_secs_f64() / busy);
    Ok((out, emit, wall.saturating_sub(emit)))
}

/// What one worker did: formatted parts by index, time emitting, time formatting.
type Done = (Vec<(usize, String)>, Duration, Duration);

/// The body of a formatted `mod __part { … }`: its first and last lines dropped.
fn strip_wrapper(text: &str) -> String {
    let body = text.split_once('\n').map_or("", |(_, rest)| rest);
    let body = body.trim_end_matches('\n');
    body.rsplit_once('\n').map_or("", |(inner, _)| inner).to_string() + "\n"
}
