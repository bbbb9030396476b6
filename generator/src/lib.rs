//! sdkgen turns an OpenAPI document (3.0, 3.1 or Swagger 2.0) into a typed,
//! async Rust SDK.
//!
//! The pipeline: [`load`] (YAML/JSON → checked `openapiv3` document; a 3.1 or
//! 2.0 document is first rewritten into the 3.0 model) → [`lower`] (schemas
//! and operations → [`ir`], names from [`naming`]) → IR passes (equal types
//! merged, pagination found) → `emit` (IR → `quote!` tokens) → [`output`]
//! (`prettyplease`, the crate's files: `Cargo.toml`, `src/lib.rs`, the
//! runtime's code, `API.md` from [`api_map`], `sdkgen-api.json`).
//!
//! ```no_run
//! // build.rs
//! let path = sdkgen::Config::new().compile("openapi/images-edit.yaml").unwrap();
//! // lib.rs: include!(concat!(env!("OUT_DIR"), "/images_edit.rs"));
//! # let _ = path;
//! ```

pub mod api_map;
mod config;
mod contract;
mod dedupe;
pub mod diff;
mod direction;
mod emit;
pub mod error;
mod examples;
pub mod ir;
mod lenient;
pub mod load;
pub mod lower;
pub mod naming;
mod normalize;
mod openapi31;
pub mod output;
pub mod overrides;
mod package;
mod paging;
mod render;
pub mod schema;
mod swagger2;
pub mod types;

pub use config::{Config, Runtime, Timings, RUNTIME_VERSION, RUST_VERSION, VERSION};
pub use error::{Error, ErrorKind, Result, Warning, WarningKind};
pub use output::Generated;
pub use overrides::Overrides;
