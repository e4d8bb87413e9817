//! Streaming a report into an HTTP response while it is written: the JSON and CSV reports of
//! a million-post project are never held in memory, neither by the report nor here.
//!
//! [`channel`] gives a blocking [`std::io::Write`] (what `keel_report::write_report_*` write
//! to) and the response body it feeds. The writer runs in a task of its own:
//!
//! ```ignore
//! let (mut writer, body) = streaming::channel();
//! tokio::spawn(async move {
//!     let result = keel_report::write_report_json(&store, &project, from, to, &mut writer).await;
//!     writer.finish(result, &project.slug).await;
//! });
//! body.respond([(header::CONTENT_TYPE, "application/json")]).await
//! ```

use std::io::Write;

use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, IntoResponseParts, Response};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::WebError;

/// Bytes gathered before a chunk goes to the client.
const CHUNK: usize = 64 * 1024;

type Chunk = Result<Bytes, std::io::Error>;

/// A `Write` that hands 64 KiB chunks to the response body as they are produced.
pub(crate) struct ChannelWriter {
    buffer: Vec<u8>,
    tx: mpsc::Sender<Chunk>,
}

/// The response body a [`ChannelWriter`] feeds, not yet started.
pub(crate) struct PendingBody {
    rx: mpsc::Receiver<Chunk>,
}

/// A connected writer and body.
pub(crate) fn channel() -> (ChannelWriter, PendingBody) {
    let (tx, rx) = mpsc::channel(8);
    (
        ChannelWriter {
            buffer: Vec::with_capacity(CHUNK),
            tx,
        },
        PendingBody { rx },
    )
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        // The report is written from async code through a blocking `Write`: wait for the
        // client in place, which the multi-threaded runtime allows.
        tokio::task::block_in_place(|| self.tx.blocking_send(Ok(chunk)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }

    /// Ends the body: sends what is left, or, when writing failed, logs the cause and
    /// breaks the body off so the client sees an incomplete download rather than a
    /// truncated file that looks whole (before any output, [`PendingBody::respond`]
    /// answers 500 instead).
    pub async fn finish(mut self, result: anyhow::Result<()>, what: &str) {
        let result = result.and_then(|()| self.flush().map_err(Into::into));
        if let Err(e) = result {
            // A client that went away is not a failure of ours.
            if e.downcast_ref::<std::io::Error>().map(std::io::Error::kind) != Some(std::io::ErrorKind::BrokenPipe) {
                tracing::error!(error = ?e, what, "report failed while streaming");
            }
            let _ = self.tx.send(Err(std::io::Error::other("report failed"))).await;
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl PendingBody {
    /// The streaming response with `parts` (headers). Waits for the first chunk, so that
    /// a failure before any output is still a proper 500.
    pub async fn respond(mut self, parts: impl IntoResponseParts) -> Result<Response, WebError> {
        let first = match self.rx.recv().await {
            Some(Ok(chunk)) => chunk,
            _ => return Err(WebError::Internal(anyhow::anyhow!("the report could not be computed"))),
        };
        let rest =
            futures_util::stream::unfold(self.rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
        let stream = futures_util::stream::once(async move { Ok(first) }).chain(rest);
        Ok((parts, Body::from_stream(stream)).into_response())
    }
}
