// The helpers only generated code calls: the API's description (ApiSpec and its schemes),
// parameter encoding, and the rules that walk pages. They are public, since the generated
// code of another crate calls them, but not part of the user API: `mod.rs` hides this module
// and its re-export at the root (`#[doc(hidden)]`), where the generated code names them
// (`runtime::path_param`). No semver promise holds for them beyond the generator of the
// same version.

pub use super::json::{entry_opt, from_json, untagged, Object, UnionVariant};
pub use super::pages::{last_page, link_next, offset_last, offset_next, paginate, Offset, Page};
pub use super::params::{param_value, path_param, path_styled};
pub use super::spec::{ApiSpec, SchemeKind, SecurityScheme};
