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

/// A whole answer with its headers.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Reply {
    /// A header's value as text, if present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
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

    /// GETs `url` and reads the whole answer within `timeout`.
    pub(crate) async fn get(&self, url: &str, timeout: Duration) -> Result<(StatusCode, Bytes), TransportError> {
        let request = Request::get(url)
            .body(Full::new(Bytes::new()))
            .map_err(|_| TransportError::BadUrl)?;
        self.exchange(request, timeout).await
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
        self.exchange(request, timeout).await
    }

    /// Sends `method` to `url` with `headers` and `body`, and reads the whole answer with its
    /// headers within `timeout` (APIs that answer in headers: Yandex Direct's `retryIn`).
    pub(crate) async fn send(
        &self,
        method: hyper::Method,
        url: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Reply, TransportError> {
        let mut builder = Request::builder().method(method).uri(url);
        for (name, value) in headers {
            builder = builder.header(*name, value.as_str());
        }
        let request = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|_| TransportError::BadUrl)?;
        let exchange = async {
            let response = self
                .inner
                .request(request)
                .await
                .map_err(|e| TransportError::Failed(describe(&e)))?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| TransportError::Failed(e.to_string()))?
                .to_bytes();
            Ok(Reply { status, headers, body })
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| TransportError::TimedOut(timeout))?
    }

    async fn exchange(
        &self,
        request: Request<Full<Bytes>>,
        timeout: Duration,
    ) -> Result<(StatusCode, Bytes), TransportError> {
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

/// A `multipart/form-data` body built in memory: text fields and files.
pub(crate) struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Multipart {
    pub(crate) fn new() -> Multipart {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system's random source failed");
        let boundary = format!("keel-{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        Multipart { boundary, body: vec![] }
    }

    pub(crate) fn text(mut self, name: &str, value: &str) -> Multipart {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub(crate) fn file(mut self, name: &str, file_name: &str, content_type: &str, bytes: &[u8]) -> Multipart {
        let file_name: String = file_name
            .chars()
            .map(|c| {
                if c == '"' || c == '\\' || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// The content type (with the boundary) and the body.
    pub(crate) fn finish(mut self) -> (String, Vec<u8>) {
        self.body
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary), self.body)
    }
}

/// `application/x-www-form-urlencoded` text of `pairs`.
pub(crate) fn form_body(pairs: &[(&str, String)]) -> Vec<u8> {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish().into_bytes()
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
