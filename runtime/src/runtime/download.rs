// A response body read as it arrives.

use std::fmt;
use std::pin::Pin;

use bytes::Bytes;
use futures_util::Stream;

use super::error::Error;

/// A response body read as it arrives: a [`Stream`] of chunks ([`Call::stream`](super::Call::stream)).
pub struct ByteStream(pub(crate) Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>);

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        use futures_util::StreamExt as _;
        // The URL may hold a credential (a query parameter): errors do not carry it.
        ByteStream(Box::pin(response.bytes_stream().map(|chunk| chunk.map_err(|e| Error::Transport(e.without_url())))))
    }

    /// A stream of the given chunks (for tests and adapters).
    pub fn from_chunks(chunks: Vec<Result<Bytes, Error>>) -> Self {
        ByteStream(Box::pin(futures_util::stream::iter(chunks)))
    }

    /// Reads the rest of the body into one buffer.
    pub async fn collect(mut self) -> Result<Vec<u8>, Error> {
        use futures_util::StreamExt as _;
        let mut all = Vec::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}
