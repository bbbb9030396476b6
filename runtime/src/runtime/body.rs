// Request bodies: a form, a multipart form, and uploads (bytes, a file, a stream), sent from
// where they are rather than copied.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::Stream;
use serde::Serialize;
use serde_json::Value;

use super::error::Error;
use super::params::{styled_pairs, Style};

/// An `application/x-www-form-urlencoded` body, built field by field.
///
/// Scalars are `name=value`; lists of scalars are repeated (`name=a&name=b`)
/// or joined in the field's style; objects and lists that hold objects use
/// the bracket notation form APIs expect (`metadata[key]=v`,
/// `items[0][price]=1`).
#[derive(Default)]
#[must_use = "a Form does nothing until it is attached with Request::form"]
pub struct Form {
    pairs: Vec<(Cow<'static, str>, String)>,
}

/// Shows the fields' names, not their values (a form may carry a password or a client secret).
impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.pairs.iter().map(|(name, _)| name.as_ref()).collect();
        f.debug_struct("Form").field("fields", &names).finish()
    }
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the field `name` with any value, in `style`.
    pub fn field<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T, style: Style, explode: bool) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        let nested = match &value {
            Value::Object(_) => true,
            Value::Array(items) => items.iter().any(|i| i.is_object() || i.is_array()),
            _ => false,
        };
        let style = if nested { Style::DeepObject } else { style };
        styled_pairs(Cow::Borrowed(name), &value, style, explode, &mut self.pairs);
        self
    }

    /// [`Form::field`] if `value` is `Some`.
    pub fn field_opt<T: Serialize>(self, name: &'static str, value: Option<&T>, style: Style, explode: bool) -> Self {
        match value {
            Some(value) => self.field(name, value, style, explode),
            None => self,
        }
    }

    /// The encoded body: `&`-separated pairs, `+` for spaces.
    pub(crate) fn finish(self) -> Vec<u8> {
        const FORM: &percent_encoding::AsciiSet =
            &percent_encoding::NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_').remove(b' ');
        let encode = |s: &str| percent_encoding::utf8_percent_encode(s, FORM).to_string().replace(' ', "+");
        self.pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes()
    }
}

/// A `multipart/form-data` body (RFC 7578), built part by part.
#[must_use = "a Multipart does nothing until it is attached with Request::multipart"]
pub struct Multipart {
    pub(crate) boundary: String,
    /// The parts so far; files stay where they are (shared bytes, a file, a stream).
    pub(crate) parts: Vec<Source>,
    /// Text written since the last file.
    pub(crate) body: Vec<u8>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form with a random boundary.
    pub fn new() -> Self {
        let random = RandomState::new().build_hasher().finish();
        Multipart { boundary: format!("sdkgen-{random:016x}"), parts: Vec::new(), body: Vec::new() }
    }

    fn part(self, name: &str, filename: Option<&str>, content_type: Option<&str>, data: &[u8]) -> Self {
        self.head(name, filename, content_type).data(data)
    }

    fn data(mut self, data: &[u8]) -> Self {
        self.body.extend_from_slice(data);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// Writes a part's head.
    fn head(mut self, name: &str, filename: Option<&str>, content_type: Option<&str>) -> Self {
        // Names come from the spec; quotes and line breaks are escaped as RFC 7578 says.
        let escape = |s: &str| s.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, escape(name));
        if let Some(filename) = filename {
            head.push_str(&format!("; filename=\"{}\"", escape(filename)));
        }
        if let Some(content_type) = content_type {
            head.push_str(&format!("\r\nContent-Type: {content_type}"));
        }
        head.push_str("\r\n\r\n");
        self.body.extend_from_slice(head.as_bytes());
        self
    }

    /// Adds a text field.
    pub fn text(self, name: &str, value: impl fmt::Display) -> Self {
        let value = value.to_string();
        self.part(name, None, None, value.as_bytes())
    }

    /// Adds a text field if `value` is `Some`.
    pub fn text_opt<V: fmt::Display>(self, name: &str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.text(name, value),
            None => self,
        }
    }

    /// Adds a field holding `value` as JSON (`Content-Type: application/json`).
    pub fn json<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Result<Self, Error> {
        let json = serde_json::to_vec(value)
            .map_err(|e| Error::InvalidRequest(format!("form field `{name}` could not be serialized: {e}")))?;
        Ok(self.part(name, None, Some("application/json"), &json))
    }

    /// Adds a JSON field if `value` is `Some`.
    pub fn json_opt<T: Serialize>(self, name: &str, value: Option<&T>) -> Result<Self, Error> {
        match value {
            Some(value) => self.json(name, value),
            None => Ok(self),
        }
    }

    /// Adds a file field: the upload's bytes, with its file name (else the field's
    /// name) and content type (else `application/octet-stream`). Its bytes are not copied
    /// into the form: they are sent from where they are.
    pub fn upload(self, name: &str, upload: Upload) -> Self {
        let file_name = upload.file_name.as_deref().unwrap_or(name);
        let content_type = upload.content_type.as_deref().unwrap_or("application/octet-stream");
        let mut form = self.head(name, Some(file_name), Some(content_type));
        let text = Bytes::from(std::mem::take(&mut form.body));
        form.parts.push(Source::Bytes(text));
        form.parts.push(upload.source);
        form.body.extend_from_slice(b"\r\n");
        form
    }

    /// Adds a file field if `upload` is `Some`.
    pub fn upload_opt(self, name: &str, upload: Option<Upload>) -> Self {
        match upload {
            Some(upload) => self.upload(name, upload),
            None => self,
        }
    }

    pub(crate) fn finish(mut self) -> Payload {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self.parts.push(Source::Bytes(self.body.into()));
        Payload(self.parts)
    }
}

/// A file or body to upload: bytes in memory, a file read as it is sent, or a stream of
/// bytes; with a file name and a content type if the API wants them.
///
/// Bytes are shared by the attempts of a call, never copied; a file is read again by each
/// attempt, in chunks; a stream is sent once, so a call uploading one is not retried.
///
/// ```ignore
/// let photo = Upload::file("cat.png").content_type("image/png");
/// let note = Upload::from(b"hello".to_vec()).file_name("note.txt");
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct Upload {
    pub(crate) source: Source,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

impl Upload {
    /// Bytes in memory (a `Vec<u8>` is taken without a copy).
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Upload { source: Source::Bytes(bytes.into()), ..Upload::default() }
    }

    /// The file at `path`, read in chunks as it is sent (again by each attempt), with its
    /// name as the file name. A file that cannot be read fails the call.
    pub fn file(path: impl Into<std::path::PathBuf>) -> Self {
        let path: std::path::PathBuf = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Upload { source: Source::File(path.into()), file_name, content_type: None }
    }

    /// A stream of bytes, sent once (a call that uploads one is not retried). With `len`,
    /// the length is sent (`Content-Length`); without it the body is chunked.
    pub fn stream<S>(stream: S, len: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        let stream: ByteSource = Box::pin(stream);
        Upload { source: Source::Stream(Arc::new(std::sync::Mutex::new(Some(stream))), len), ..Upload::default() }
    }

    /// What `reader` reads (a socket, a pipe, a decompressor...), in chunks of up to 64 KiB,
    /// sent once like [`Upload::stream`].
    pub fn reader<R>(reader: R, len: Option<u64>) -> Self
    where
        R: tokio::io::AsyncRead + Send + Unpin + 'static,
    {
        Upload::stream(chunks(reader), len)
    }

    /// Sets the file name sent with a multipart file field.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the content type (in place of the spec's or `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The length in bytes, when it is known without reading (bytes, or a stream's given length).
    pub fn len(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.len() as u64),
            Source::File(_) => None,
            Source::Stream(_, len) => *len,
        }
    }

    /// Whether it is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::bytes(text)
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Upload");
        match &self.source {
            Source::Bytes(bytes) => d.field("bytes", &bytes.len()),
            Source::File(path) => d.field("file", path),
            Source::Stream(_, len) => d.field("stream", len),
        };
        d.field("file_name", &self.file_name).field("content_type", &self.content_type).finish()
    }
}

/// A stream of bytes to upload.
type ByteSource = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// Where the bytes of (part of) a request body are.
#[derive(Clone)]
pub(crate) enum Source {
    Bytes(Bytes),
    File(Arc<std::path::Path>),
    /// Taken by the first attempt.
    Stream(Arc<std::sync::Mutex<Option<ByteSource>>>, Option<u64>),
}

impl Default for Source {
    fn default() -> Self {
        Source::Bytes(Bytes::new())
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::File(a), Source::File(b)) => a == b,
            (Source::Stream(a, _), Source::Stream(b, _)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A request body: its parts, sent one after the other.
#[derive(Clone)]
pub(crate) struct Payload(pub(crate) Vec<Source>);

impl Payload {
    /// Whether it can be sent only once (it streams).
    pub(crate) fn once(&self) -> bool {
        self.0.iter().any(|part| matches!(part, Source::Stream(..)))
    }

    /// The body of one attempt, and the length to announce when reqwest cannot know it (a
    /// streamed body whose parts' lengths are all known).
    pub(crate) async fn body(&self) -> Result<(reqwest::Body, Option<u64>), Error> {
        if let [Source::Bytes(bytes)] = self.0.as_slice() {
            return Ok((reqwest::Body::from(bytes.clone()), None));
        }
        let mut len = Some(0u64);
        let mut streams: Vec<ByteSource> = Vec::with_capacity(self.0.len());
        for part in &self.0 {
            match part {
                Source::Bytes(bytes) => {
                    len = len.map(|l| l + bytes.len() as u64);
                    streams.push(Box::pin(futures_util::stream::iter([Ok(bytes.clone())])));
                }
                Source::File(path) => {
                    let unreadable = |e: std::io::Error| {
                        Error::InvalidRequest(format!("cannot read the upload `{}`: {e}", path.display()))
                    };
                    let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
                    let size = file.metadata().await.map_err(unreadable)?.len();
                    len = len.map(|l| l + size);
                    streams.push(read_file(file));
                }
                Source::Stream(stream, size) => {
                    let taken = stream.lock().unwrap_or_else(|e| e.into_inner()).take();
                    let taken = taken.ok_or_else(|| {
                        Error::InvalidRequest("a streamed upload is sent once, and it was sent already".into())
                    })?;
                    len = len.zip(*size).map(|(l, size)| l + size);
                    streams.push(taken);
                }
            }
        }
        use futures_util::StreamExt as _;
        Ok((reqwest::Body::wrap_stream(futures_util::stream::iter(streams).flatten()), len))
    }
}

/// A file's bytes, in chunks of up to 64 KiB.
fn read_file(file: tokio::fs::File) -> ByteSource {
    Box::pin(chunks(file))
}

/// What a reader reads, in chunks of up to 64 KiB.
fn chunks<R>(reader: R) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static
where
    R: tokio::io::AsyncRead + Send + Unpin + 'static,
{
    futures_util::stream::try_unfold(reader, |mut reader| async move {
        let mut chunk = bytes::BytesMut::with_capacity(64 * 1024);
        let read = tokio::io::AsyncReadExt::read_buf(&mut reader, &mut chunk).await?;
        Ok((read > 0).then(|| (chunk.freeze(), reader)))
    })
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart").field("boundary", &self.boundary).field("parts", &(self.parts.len() + 1)).finish()
    }
}
