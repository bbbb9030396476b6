// The request a generated method builds: path, parameters, headers, body and security.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::body::{Form, Multipart, Payload, Source, Upload};
use super::error::Error;
use super::params::{simple_text, styled_pairs, Style};

/// One API call, built by the generated operation methods and sent by a [`Client`](super::Client).
#[must_use = "a Request does nothing until it is sent with a Client"]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) security: &'static [&'static [&'static str]],
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(Cow<'static, str>, String)>,
    pub(crate) body: Option<(Cow<'static, str>, Payload)>,
    /// The operation id and path template, for tracing.
    pub(crate) operation: Option<(&'static str, &'static str)>,
    /// What the caller passed to the generated method, for a mock's typed rules.
    #[cfg(feature = "testing")]
    pub(crate) input: Option<Input>,
}

/// What the caller passed to a generated method (its path parameters and params), as
/// the method attaches it to its [`Request`] for a mock's typed rules (`mock::Rule::when`).
#[cfg(feature = "testing")]
pub(crate) type Input = std::sync::Arc<dyn std::any::Any + Send + Sync>;

#[cfg(feature = "testing")]
impl Request {
    /// Attaches what the caller passed to the generated method (`(image_id, params)`), for
    /// the typed rules of a `Mock` (`Rule::when`, `Rule::inputs`). Generated code
    /// calls it, with the `testing` feature only.
    #[doc(hidden)]
    pub fn mock_input<I: std::any::Any + Send + Sync>(mut self, input: I) -> Self {
        self.input = Some(std::sync::Arc::new(input));
        self
    }
}

impl Request {
    /// A request for `path` (already percent-encoded, starting with `/`), relative to the base URL.
    pub fn new(method: Method, path: String) -> Self {
        Request {
            method,
            path,
            security: &[],
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            operation: None,
            #[cfg(feature = "testing")]
            input: None,
        }
    }

    /// Names the operation the request calls: its `operationId` and path template
    /// (`/accounts/{account_id}/images`), which tracing spans report.
    pub fn operation(mut self, id: &'static str, template: &'static str) -> Self {
        self.operation = Some((id, template));
        self
    }

    /// Sets the OpenAPI security requirement: alternatives, each a set of scheme names that
    /// must all be configured. The first satisfiable alternative is used; an empty list means
    /// no authentication. If none is satisfiable, sending fails before any network access.
    pub fn security(mut self, alternatives: &'static [&'static [&'static str]]) -> Self {
        self.security = alternatives;
        self
    }

    /// Appends the query parameter `name=value`.
    pub fn query(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.query.push((Cow::Borrowed(name), value.to_string()));
        self
    }

    /// Appends the query parameter `name=value` if `value` is `Some`.
    pub fn query_opt<V: fmt::Display>(self, name: &'static str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Appends one `name=value` pair per value (OpenAPI `form` style, exploded).
    pub fn query_list<V: fmt::Display>(mut self, name: &'static str, values: &[V]) -> Self {
        self.query.extend(values.iter().map(|v| (Cow::Borrowed(name), v.to_string())));
        self
    }

    /// Appends the query parameter `name` with any value, written in the
    /// OpenAPI `style` (`form`, `spaceDelimited`, `pipeDelimited` or
    /// `deepObject`): arrays and objects exploded into several pairs or
    /// joined into one, nested objects in bracket notation (`a[b][0]=c`).
    pub fn query_styled<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        styled_pairs(Cow::Borrowed(name), &value, style, explode, &mut self.query);
        self
    }

    /// [`Request::query_styled`] if `value` is `Some`.
    pub fn query_styled_opt<T: Serialize>(
        self,
        name: &'static str,
        value: Option<&T>,
        style: Style,
        explode: bool,
    ) -> Self {
        match value {
            Some(value) => self.query_styled(name, value, style, explode),
            None => self,
        }
    }

    /// Sets the header `name` to any value in OpenAPI's `simple` style:
    /// arrays as `a,b`, objects as `k,v,k2,v2` (or `k=v,k2=v2` exploded).
    pub fn header_styled<T: Serialize + ?Sized>(self, name: &'static str, value: &T, explode: bool) -> Self {
        match simple_text(&serde_json::to_value(value).unwrap_or(Value::Null), explode) {
            Some(text) => self.header(name, text),
            None => self,
        }
    }

    /// [`Request::header_styled`] if `value` is `Some`.
    pub fn header_styled_opt<T: Serialize>(self, name: &'static str, value: Option<&T>, explode: bool) -> Self {
        match value {
            Some(value) => self.header_styled(name, value, explode),
            None => self,
        }
    }

    /// Adds the cookie `name` with any value, in OpenAPI's `form` style; all
    /// cookies go in one `Cookie` header, their values percent-encoded.
    pub fn cookie<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T, explode: bool) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        styled_pairs(Cow::Borrowed(name), &value, Style::Form, explode, &mut self.cookies);
        self
    }

    /// [`Request::cookie`] if `value` is `Some`.
    pub fn cookie_opt<T: Serialize>(self, name: &'static str, value: Option<&T>, explode: bool) -> Self {
        match value {
            Some(value) => self.cookie(name, value, explode),
            None => self,
        }
    }

    /// Sets the header `name` (replacing the default of the same name, e.g. `Accept`).
    /// An invalid name or value makes sending fail with [`Error::InvalidRequest`].
    pub fn header(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Sets the header `name` if `value` is `Some`.
    pub fn header_opt<V: fmt::Display>(self, name: &'static str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Serializes `body` as the JSON request body if it is `Some`.
    pub fn json_opt<B: Serialize>(self, body: Option<&B>) -> Result<Self, Error> {
        match body {
            Some(body) => self.json(body),
            None => Ok(self),
        }
    }

    /// Serializes `body` as the JSON request body (`Content-Type: application/json`).
    pub fn json<B: Serialize>(self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("request body could not be serialized: {e}")))?;
        Ok(self.body_bytes("application/json", bytes))
    }

    /// Sets a raw request body with the given `Content-Type`. The bytes are shared by every
    /// attempt, never copied (a `Vec<u8>` or a [`Bytes`] becomes the body as it is).
    pub fn body_bytes(mut self, content_type: &'static str, bytes: impl Into<Bytes>) -> Self {
        self.body = Some((Cow::Borrowed(content_type), Payload(vec![Source::Bytes(bytes.into())])));
        self
    }

    /// Sets the body to `upload`, sent as its own content type if it has one, else as
    /// `content_type`.
    pub fn body_upload(mut self, content_type: &'static str, upload: Upload) -> Self {
        let content_type = upload.content_type.map_or(Cow::Borrowed(content_type), Cow::Owned);
        self.body = Some((content_type, Payload(vec![upload.source])));
        self
    }
}

impl Request {
    /// Sets an `application/x-www-form-urlencoded` body.
    pub fn form(mut self, form: Form) -> Self {
        let body = Payload(vec![Source::Bytes(form.finish().into())]);
        self.body = Some((Cow::Borrowed("application/x-www-form-urlencoded"), body));
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        let content_type = format!("multipart/form-data; boundary={}", form.boundary);
        self.body = Some((Cow::Owned(content_type), form.finish()));
        self
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(n, _)| n.as_ref()).collect();
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body_parts", &self.body.as_ref().map(|(_, b)| b.0.len()))
            .finish_non_exhaustive()
    }
}
