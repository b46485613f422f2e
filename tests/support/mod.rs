//! A scripted HTTP/1.1 server on loopback (hyper), for client tests: it
//! records every request as received and answers from a script.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Step {
    /// Answer with this status, headers and body.
    Respond(u16, Vec<(&'static str, String)>, String),
    /// Wait this long, then answer 200 `{}`.
    Stall(Duration),
    /// Close the connection without answering.
    Reset,
}

impl Step {
    pub fn json(status: u16, body: &str) -> Step {
        Step::Respond(
            status,
            vec![("content-type", "application/json".into())],
            body.into(),
        )
    }

    pub fn error(status: u16, code: &str) -> Step {
        Step::Respond(
            status,
            vec![
                ("content-type", "application/json".into()),
                ("x-amzn-errortype", code.into()),
                ("x-amzn-requestid", "req-test".into()),
            ],
            format!(r#"{{"message": "scripted {code}"}}"#),
        )
    }
}

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub request: http::Request<Bytes>,
    pub at: Instant,
}

pub struct Server {
    pub addr: SocketAddr,
    script: Arc<Mutex<VecDeque<Step>>>,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Starts a server answering from `script`, then `500` when it runs out.
    pub async fn start(script: Vec<Step>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (script.clone(), received.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (s, r) = (s.clone(), r.clone());
                tokio::spawn(async move {
                    let (close_tx, close_rx) = tokio::sync::oneshot::channel::<()>();
                    let close_tx = Arc::new(Mutex::new(Some(close_tx)));
                    let service = service_fn(move |req: http::Request<hyper::body::Incoming>| {
                        let (s, r, close_tx) = (s.clone(), r.clone(), close_tx.clone());
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            r.lock().unwrap().push(Received {
                                request: http::Request::from_parts(parts, body),
                                at: Instant::now(),
                            });
                            let step = s.lock().unwrap().pop_front();
                            let response = match step {
                                Some(Step::Respond(status, headers, body)) => {
                                    let mut b = http::Response::builder().status(status);
                                    for (k, v) in headers {
                                        b = b.header(k, v);
                                    }
                                    b.body(Full::new(Bytes::from(body))).unwrap()
                                }
                                Some(Step::Stall(d)) => {
                                    tokio::time::sleep(d).await;
                                    http::Response::new(Full::new(Bytes::from_static(b"{}")))
                                }
                                Some(Step::Reset) => {
                                    if let Some(tx) = close_tx.lock().unwrap().take() {
                                        let _ = tx.send(());
                                    }
                                    // Never answered: the connection is dropped first.
                                    tokio::time::sleep(Duration::from_secs(3600)).await;
                                    http::Response::new(Full::new(Bytes::new()))
                                }
                                None => http::Response::builder()
                                    .status(500)
                                    .body(Full::new(Bytes::from_static(
                                        b"{\"message\":\"script exhausted\"}",
                                    )))
                                    .unwrap(),
                            };
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        _ = conn => {}
                        _ = close_rx => {}
                    }
                });
            }
        });
        Server {
            addr,
            script,
            received,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn push(&self, step: Step) {
        self.script.lock().unwrap().push_back(step);
    }
}
