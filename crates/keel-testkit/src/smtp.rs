//! A real SMTP server on loopback (mailin-embedded) that keeps what it receives: the e-mail
//! channel's tests and the end-to-end delivery tests read what Keel sent from it.

use mailin_embedded::{Handler, Response, Server, SslConfig, response};
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};

/// One message as the server received it.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Clone, Default)]
struct Inbox {
    current: Received,
    delivered: Arc<Mutex<Vec<Received>>>,
}

impl Handler for Inbox {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.current = Received {
            mail_from: from.to_owned(),
            ..Default::default()
        };
        response::OK
    }
    fn rcpt(&mut self, to: &str) -> Response {
        self.current.rcpt_to.push(to.to_owned());
        response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        self.delivered.lock().unwrap().push(std::mem::take(&mut self.current));
        response::OK
    }
}

/// Starts an SMTP server on a free loopback port (it runs until the test process ends).
pub fn start_smtp() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Inbox::default();
    let delivered = inbox.delivered.clone();
    let mut server = Server::new(inbox);
    server
        .with_name("smtp.test")
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_num_threads(2)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (port, delivered)
}
