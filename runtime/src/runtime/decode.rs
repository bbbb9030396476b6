// How a call reads its value out of a 2xx response.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::download::ByteStream;
use super::error::{api_error, decode_error, Error};
use super::json::from_json;
use super::vendor::Envelope;

/// A 2xx response, borrowed while it is decoded.
pub(crate) struct Reply<'a> {
    pub(crate) status: StatusCode,
    /// The headers, for an error (a 2xx saying `"success": false`).
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

impl Reply<'_> {
    fn decode_error(&self, message: impl fmt::Display) -> Error {
        decode_error(self.status, message, self.body)
    }

    fn api_error(&self) -> Error {
        api_error(self.status, self.headers.clone(), self.body)
    }
}

/// A value read from a 2xx response, with the envelope's `result_info` when there is one.
pub(crate) type Decoded<T> = Result<(T, Option<Value>), Error>;

/// How a call reads the value out of a 2xx response.
pub(crate) enum Decoder<T> {
    /// From the whole body, with the envelope's `result_info` when there is one.
    Body(fn(&Reply<'_>) -> Decoded<T>),
    /// The whole body itself (read once into one buffer, not copied).
    Raw(fn(Vec<u8>) -> T),
    /// From the body as it arrives.
    Stream(fn(ByteStream) -> T),
}

impl<T> Clone for Decoder<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decoder<T> {}

/// The JSON body as `T` (an empty body decodes as `null`).
pub(crate) fn decode_json<T: DeserializeOwned>(reply: &Reply<'_>) -> Decoded<T> {
    let body = if reply.body.iter().all(u8::is_ascii_whitespace) { &b"null"[..] } else { reply.body };
    from_json(body).map(|value| (value, None)).map_err(|e| reply.decode_error(e))
}

/// The `result` of a `{success, errors, messages, result, result_info}` envelope as `T`.
pub(crate) fn decode_enveloped<T: DeserializeOwned>(reply: &Reply<'_>) -> Decoded<T> {
    let (result, result_info) = read_envelope(reply)?;
    T::deserialize(result).map(|value| (value, result_info)).map_err(|e| reply.decode_error(e))
}

/// An envelope's `result` (absent: `null`) and `result_info`, or its error: `"success":
/// false` is one whatever the status. Not generic: the envelope is read once for every type.
fn read_envelope(reply: &Reply<'_>) -> Result<(Value, Option<Value>), Error> {
    match serde_json::from_slice::<Envelope>(reply.body) {
        Ok(Envelope { success: Some(false), .. }) => Err(reply.api_error()),
        Ok(Envelope { result, result_info, .. }) => Ok((result.unwrap_or(Value::Null), result_info)),
        Err(e) => Err(reply.decode_error(e)),
    }
}

/// Nothing: the body is ignored.
pub(crate) fn decode_nothing(_: &Reply<'_>) -> Decoded<()> {
    Ok(((), None))
}

/// What a call learnt besides its value.
pub(crate) struct Meta {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) result_info: Option<Value>,
    pub(crate) attempts: u32,
}
