//! sdkgen turns an OpenAPI 3.0 document into a typed, async Rust SDK.
//!
//! The pipeline: [`load`] (YAML/JSON → checked `openapiv3` document) →
//! [`lower`] (schemas and operations → [`ir`], names from [`naming`]) →
//! `emit` (IR → `quote!` tokens) → [`output`] (`prettyplease`, files).
//!
//! ```no_run
//! // build.rs
//! let path = sdkgen::Config::new().compile("openapi/images-edit.yaml").unwrap();
//! // lib.rs: include!(concat!(env!("OUT_DIR"), "/images_edit.rs"));
//! # let _ = path;
//! ```

mod config;
mod dedupe;
pub mod diff;
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
mod paging;
mod render;
pub mod schema;
mod swagger2;
pub mod types;

pub use config::{Config, Runtime, Timings, RUNTIME_VERSION, RUST_VERSION, VERSION};
pub use error::{Error, ErrorKind, Result, Warning, WarningKind};
pub use output::Generated;
pub use overrides::Overrides;
