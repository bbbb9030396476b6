//! The one error type of sdkgen, and the warnings it collects.
//!
//! Every problem with an input names the file and the JSON pointer of the
//! offending node (RFC 6901, e.g. `/paths/~1pets/get/responses/200`), so a
//! user can find it in a 4 MB spec without guessing.

use std::fmt;
use std::path::PathBuf;

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read or written.
    Io,
    /// The text is not valid YAML or JSON.
    Syntax,
    /// The document is not an OpenAPI 3.0 document of the expected shape.
    Invalid,
    /// A `$ref` points at nothing.
    DanglingRef,
    /// A construct sdkgen does not support (and cannot degrade gracefully).
    Unsupported,
    /// A warning promoted to an error by `--strict`.
    Strict,
    /// The overrides file is invalid.
    Overrides,
    /// A bug in sdkgen (its own output does not parse): never the input's fault.
    Internal,
}

/// An error naming the input file and the JSON pointer of the offending node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What kind of problem this is.
    pub kind: ErrorKind,
    /// The file the problem is in, when known.
    pub file: Option<PathBuf>,
    /// JSON pointer of the offending node (`""` is the whole document).
    pub pointer: String,
    /// Line and column (1-based), when the parser knows them.
    pub location: Option<(usize, usize)>,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// Result with sdkgen's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error at `pointer`; the file is filled in by the layer that read it.
    pub fn new(kind: ErrorKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error { kind, file: None, pointer: pointer.into(), location: None, message: message.into() }
    }

    /// Sets the file, unless one is set already.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file.get_or_insert_with(|| file.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{}", file.display())?,
            None => f.write_str("<input>")?,
        }
        if let Some((line, col)) = self.location {
            write!(f, ":{line}:{col}")?;
        }
        let pointer = if self.pointer.is_empty() { "(document root)" } else { &self.pointer };
        write!(f, ": at {pointer}: {}", self.message)
    }
}

impl std::error::Error for Error {}

/// The kinds of [`Warning`], each a short stable name in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]

pub enum WarningKind {
    /// A `default` that does not fit its schema's type; ignored.
    DefaultType,
    /// A lower-case status range (`4xx`).
    StatusRangeCase,
    /// A media type name that is not `type/subtype`.
    MediaType,
    /// Inline types nested past the limit: decoded as a JSON value.
    EndlessExpansion,
    /// A construct (`not`) decoded as a JSON value.
    UnsupportedAsValue,
    /// A schema that contains itself with no object in between.
    RecursiveAlias,
    /// OAuth2 or OpenID Connect: the client takes a ready token.
    AuthAsBearer,
    /// A security scheme that is ignored.
    AuthUnsupported,
    /// A path template name without a declared parameter.
    UndeclaredPathParam,
    /// A parameter described by `content`, sent as JSON text.
    ParamContent,
    /// A request body taken as ready-encoded bytes.
    BodyAsBytes,
    /// Callbacks, which are not part of a client, left out.
    Callbacks,
    /// A schema keyword with a value of the wrong kind, ignored.
    IgnoredKeyword,
    /// A number outside the 64-bit range, clamped.
    NumberRange,
    /// An error response whose `$ref` cannot be followed: its body is left
    /// untyped (the error is still an `Error::Api`).
    ErrorResponseUnread,
    /// An OpenAPI 3.0 keyword in a 3.1 document (`nullable`, a boolean
    /// `exclusiveMinimum`), read as 3.0 reads it.
    Mixed30,
    /// A JSON Schema or Swagger keyword that does not shape the SDK's types, ignored.
    SchemaKeyword,
    /// A documented example that contradicts its own schema (a spec error),
    /// left out of the example tests.
    ExampleInvalid,
    /// A `$ref` to another kind of object than its place holds (a response
    /// naming a request body, a schema naming a parameter), read by the
    /// shape it points at.
    RefKind,
    /// A `$ref` of Swagger 2.0's form (`#/definitions/Name`) in an OpenAPI 3
    /// document, resolved in the components.
    Swagger2Ref,
    /// A security requirement naming a scheme the document does not define:
    /// no credential is sent for it.
    UndefinedScheme,
    /// A field OpenAPI requires but the SDK can do without, left out: read
    /// with a default.
    MissingField,
}

impl WarningKind {
    /// The kind's name in reports: `default-type`.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::DefaultType => "default-type",
            WarningKind::StatusRangeCase => "status-range-case",
            WarningKind::MediaType => "media-type",
            WarningKind::EndlessExpansion => "endless-expansion",
            WarningKind::UnsupportedAsValue => "unsupported-as-value",
            WarningKind::RecursiveAlias => "recursive-alias",
            WarningKind::AuthAsBearer => "auth-as-bearer",
            WarningKind::AuthUnsupported => "auth-unsupported",
            WarningKind::UndeclaredPathParam => "undeclared-path-param",
            WarningKind::ParamContent => "param-content",
            WarningKind::BodyAsBytes => "body-as-bytes",
            WarningKind::Callbacks => "callbacks",
            WarningKind::IgnoredKeyword => "ignored-keyword",
            WarningKind::NumberRange => "number-range",
            WarningKind::ExampleInvalid => "example-invalid",
            WarningKind::Mixed30 => "mixed-3.0",
            WarningKind::SchemaKeyword => "schema-keyword",
            WarningKind::ErrorResponseUnread => "error-response-unread",
            WarningKind::RefKind => "ref-kind",
            WarningKind::Swagger2Ref => "swagger2-ref",
            WarningKind::UndefinedScheme => "undefined-scheme",
            WarningKind::MissingField => "missing-field",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something tolerated or degraded while generating; `--strict` makes it an error.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// What kind of thing was tolerated, to group warnings in the report.
    pub kind: WarningKind,
    /// JSON pointer of the node concerned.
    pub pointer: String,
    /// What was done about it.
    pub message: String,
}

impl Warning {
    /// A warning of `kind` at `pointer`.
    pub fn new(kind: WarningKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Warning { kind, pointer: pointer.into(), message: message.into() }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] at {}: {}", self.kind, self.pointer, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_location_and_pointer() {
        let mut e = Error::new(ErrorKind::DanglingRef, "/paths/~1a/get", "no such schema").in_file("x.yaml");
        assert_eq!(e.to_string(), "x.yaml: at /paths/~1a/get: no such schema");
        e.location = Some((3, 7));
        assert_eq!(e.to_string(), "x.yaml:3:7: at /paths/~1a/get: no such schema");
    }
}
