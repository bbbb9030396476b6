//! sdkgen turns an OpenAPI document (3.0, 3.1 or Swagger 2.0) into a typed,
//! async Rust SDK.
//!
//! The pipeline (`pipeline.rs` alone sees every stage; `docs/architecture.md`
//! draws it): **read** (YAML/JSON → a checked JSON tree; a 3.1 or 2.0 document
//! rewritten into the 3.0 model; fix-ups; → `openapiv3`) → **lower** (schemas
//! and operations → [`ir`], every name decided there) → **passes** (IR → IR:
//! equal types merged, users marked, pagination found) → **emit** (IR →
//! `quote!` tokens) → **render** (`prettyplease`, in parallel parts) → the
//! crate's files ([`Generated`]: `Cargo.toml`, the library, the runtime's
//! code, `API.md`, `sdkgen-api.json`). [`diff`] compares two IRs.
//!
//! ```no_run
//! // build.rs
//! let path = sdkgen::Config::new().compile("openapi/images-edit.yaml").unwrap();
//! // lib.rs: include!(concat!(env!("OUT_DIR"), "/images_edit.rs"));
//! # let _ = path;
//! ```
#![warn(unreachable_pub)]

// Leaves: used by the stages, using none of them.
mod contract;
pub mod error;
pub mod ir;
mod naming;
mod overrides;
mod pointer;

// The stages, in pipeline order.
mod emit;
mod lower;
mod passes;
mod read;
mod render;

// Around the stages.
pub mod api_map;
mod config;
pub mod diff;
mod output;
mod package;
mod pipeline;

pub use config::{Config, Runtime, RUNTIME_VERSION, RUST_VERSION, VERSION};
pub use error::{Error, ErrorKind, Result, Warning, WarningKind};
pub use output::{Generated, Layout, Unit, API_JSON, MAX_FILE};
pub use overrides::Overrides;
pub use pipeline::Timings;
