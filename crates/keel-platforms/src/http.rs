//! The HTTP client every platform module uses: hyper over rustls with the aws-lc-rs provider and
//! the webpki roots (plain http is accepted for local API servers and tests), a connect timeout,
//! and a whole-exchange timeout on every call. Its errors never hold the URL, which may carry a
//! token.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::CONTENT_TYPE;
use hyper::{Request, StatusCode};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// How long opening a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A request that got no (whole) answer.
#[derive(Debug)]
pub(crate) enum TransportError {
    /// The URL could not make a request.
    BadUrl,
    /// Connection refused, TLS failure, connection closed mid-answer.
    Failed(String),
    /// No whole answer within the timeout.
    TimedOut(Duration),
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::BadUrl => f.write_str("the API URL is not valid"),
            TransportError::Failed(detail) => f.write_str(detail),
            TransportError::TimedOut(timeout) => write!(f, "no answer within {} s", timeout.as_secs()),
        }
    }
}

/// Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub(crate) struct HttpClient {
    inner: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl HttpClient {
    pub(crate) fn new() -> HttpClient {
        let mut http = HttpConnector::new();
        http.set_connect_timeout(Some(CONNECT_TIMEOUT));
        http.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .expect("aws-lc-rs supports the default TLS versions")
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        HttpClient {
            inner: Client::builder(TokioExecutor::new()).build(connector),
        }
    }

    /// POSTs `body` as `content_type` and reads the whole answer, all within `timeout`.
    pub(crate) async fn post(
        &self,
        url: &str,
        content_type: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<(StatusCode, Bytes), TransportError> {
        let request = Request::post(url)
            .header(CONTENT_TYPE, content_type)
            .body(Full::new(Bytes::from(body)))
            .map_err(|_| TransportError::BadUrl)?;
        let exchange = async {
            let response = self
                .inner
                .request(request)
                .await
                .map_err(|e| TransportError::Failed(describe(&e)))?;
            let status = response.status();
            let bytes = response
                .into_body()
                .collect()
                .await
                .map_err(|e| TransportError::Failed(e.to_string()))?
                .to_bytes();
            Ok((status, bytes))
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| TransportError::TimedOut(timeout))?
    }
}

/// A client error with its causes (connection refused, TLS failure), none of which hold the URL.
fn describe(error: &hyper_util::client::legacy::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
