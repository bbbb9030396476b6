// Server-sent events: the `text/event-stream` format, read as the body arrives.

use std::fmt;
use std::pin::Pin;

use futures_util::Stream;
use serde::de::DeserializeOwned;

use super::download::ByteStream;
use super::error::{snippet, Error};
use super::json::from_json;

/// One server-sent event, as the `text/event-stream` format defines it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event {
    /// The `event:` field (`None`: the default type, `message`).
    pub event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
    /// The last `id:` the stream gave.
    pub id: Option<String>,
    /// The `retry:` field, in milliseconds.
    pub retry: Option<u64>,
}

/// The events of a `text/event-stream` response, each event's data decoded as `T`: a
/// [`Stream`] that ends with the response, or at the API's terminator (`data: [DONE]`, as
/// OpenAI sends). An event whose data does not decode is an [`Error::Decode`] item; the
/// stream goes on after it. [`EventStream::raw`] gives the events undecoded.
pub struct EventStream<T> {
    body: ByteStream,
    parser: EventParser,
    done: bool,
    item: std::marker::PhantomData<fn() -> T>,
}

impl<T> EventStream<T> {
    /// The events of `body`.
    pub fn new(body: ByteStream) -> Self {
        EventStream { body, parser: EventParser::default(), done: false, item: std::marker::PhantomData }
    }

    /// The events as they come, with their names and ids, data undecoded.
    pub fn raw(self) -> impl Stream<Item = Result<Event, Error>> + Send {
        futures_util::stream::unfold(self, |mut events| async move {
            let event = std::future::poll_fn(|cx| events.poll_event(cx)).await?;
            Some((event, events))
        })
    }

    /// The next whole event, or the end (at the terminator too).
    fn poll_event(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<Event, Error>>> {
        use std::task::Poll;
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            if let Some(event) = self.parser.next_event() {
                if event.data == "[DONE]" {
                    self.done = true;
                    return Poll::Ready(None);
                }
                return Poll::Ready(Some(Ok(event)));
            }
            match self.body.0.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.parser.push(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                // An event not ended by a blank line is dropped, as the format says.
                Poll::Ready(None) => self.done = true,
            }
        }
    }
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.poll_event(cx).map(|event| {
            event.map(|event| {
                let event = event?;
                from_json(event.data.as_bytes()).map_err(|e| Error::Decode {
                    status: 200,
                    message: format!("event data: {e}"),
                    snippet: snippet(event.data.as_bytes()),
                })
            })
        })
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("done", &self.done).finish_non_exhaustive()
    }
}

/// The `text/event-stream` format, read line by line as bytes arrive.
#[derive(Debug, Default)]
struct EventParser {
    /// Bytes of a line not yet ended.
    line: Vec<u8>,
    /// The last byte seen was a CR: a LF right after it ends nothing.
    after_cr: bool,
    /// The event being read.
    event: Event,
    /// Whether a `data:` field has been read for it.
    has_data: bool,
    /// The last event id, kept from event to event.
    last_id: Option<String>,
    /// Events read, not yet taken.
    ready: std::collections::VecDeque<Event>,
}

impl EventParser {
    fn push(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            match byte {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    let line = std::mem::take(&mut self.line);
                    self.line_ended(&String::from_utf8_lossy(&line));
                }
                _ => {
                    self.after_cr = false;
                    self.line.push(byte);
                }
            }
        }
    }

    fn line_ended(&mut self, line: &str) {
        if line.is_empty() {
            let mut event = std::mem::take(&mut self.event);
            if std::mem::take(&mut self.has_data) {
                if event.data.ends_with('\n') {
                    event.data.pop();
                }
                event.id.clone_from(&self.last_id);
                self.ready.push_back(event);
            }
            return;
        }
        if line.starts_with(':') {
            return; // a comment
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event.event = Some(value.to_owned()),
            "data" => {
                self.event.data.push_str(value);
                self.event.data.push('\n');
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" => self.event.retry = value.parse().ok().or(self.event.retry),
            _ => {}
        }
    }

    fn next_event(&mut self) -> Option<Event> {
        self.ready.pop_front()
    }
}
