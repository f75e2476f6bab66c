//! The resumable stream against the shared table of transport scripts
//! (`tests/fixtures/stream-scripts.json`, also run by the npm package): drops after N
//! bytes, stalls, 5xx then OK, a fatal 4xx, a malformed event, an `event: error`. The
//! client's real stream runs over a scripted transport, so what is tested is the shell and
//! the core machine together.

#![cfg(not(target_arch = "wasm32"))]

use bytes::Bytes;
use futures_util::StreamExt;
use outrig_api::request::Secret;
use outrig_client::transport::{BoxFuture, HttpRequest, HttpResponse, Transport};
use outrig_client::{Client, ClientOptions, Error, StreamOptions};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Scripted {
    script: Value,
    events: Value,
    connections: Mutex<usize>,
    backfills: Mutex<Vec<Value>>,
}

impl Scripted {
    fn sse(&self, item: &Value) -> String {
        match item {
            Value::String(name) if name == "ping" => "event: ping\ndata: {}\n\n".into(),
            Value::String(name) => {
                let event = &self.events[name];
                format!(
                    "event: {}\ndata: {}\n\n",
                    event["type"].as_str().unwrap(),
                    event
                )
            }
            raw => raw["raw"].as_str().unwrap().to_string(),
        }
    }

    fn stream_response(&self) -> HttpResponse {
        let n = {
            let mut count = self.connections.lock().unwrap();
            *count += 1;
            *count - 1
        };
        let connection = &self.script["connections"][n];
        if connection.is_null() {
            return response(404, vec![], false);
        }
        if let Some(status) = connection["status"].as_u64() {
            let body = br#"{"type":"error","error":{"type":"api_error","message":"scripted"}}"#;
            return response(status as u16, vec![body.to_vec()], false);
        }
        let mut chunks: Vec<Vec<u8>> = connection["send"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| self.sse(item).into_bytes())
            .collect();
        if let Some(cut) = connection["cut_after_bytes"].as_u64() {
            let all = chunks.concat();
            chunks = vec![all[..cut as usize].to_vec()];
        }
        response(200, chunks, connection["then"] == "stall")
    }

    fn list_response(&self, url: &str) -> HttpResponse {
        let since = url
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("created_at%5Bgte%5D="))
            .map(|v| v.replace("%3A", ":"));
        self.backfills
            .lock()
            .unwrap()
            .push(since.clone().map_or(Value::Null, Value::String));
        let data: Vec<&Value> = self.script["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|name| &self.events[name.as_str().unwrap()])
            .filter(|e| {
                since
                    .as_deref()
                    .is_none_or(|s| e["processed_at"].as_str().unwrap() >= s)
            })
            .collect();
        let body = json!({"data": data, "next_page": null}).to_string();
        response(200, vec![body.into_bytes()], false)
    }
}

fn response(status: u16, chunks: Vec<Vec<u8>>, stall: bool) -> HttpResponse {
    let body = futures_util::stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from(c))));
    HttpResponse {
        status,
        headers: vec![("content-type".into(), "text/event-stream".into())],
        body: if stall {
            body.chain(futures_util::stream::pending()).boxed()
        } else {
            body.boxed()
        },
    }
}

impl Transport for Scripted {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let response = if request.url.contains("/events/stream") {
            self.stream_response()
        } else {
            self.list_response(&request.url)
        };
        Box::pin(async move { Ok(response) })
    }
}

#[tokio::test]
async fn every_transport_script_gives_the_expected_events_exactly_once() {
    let table: Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/stream-scripts.json"
    )))
    .unwrap();
    for script in table["scripts"].as_array().unwrap() {
        let name = script["name"].as_str().unwrap();
        let transport = Arc::new(Scripted {
            script: script.clone(),
            events: table["events"].clone(),
            connections: Mutex::new(0),
            backfills: Mutex::new(Vec::new()),
        });
        let client = Client::with_transport(
            ClientOptions {
                base_url: "http://scripted.test".into(),
                api_key: Some(Secret::new("k")),
                max_retries: 0,
                ..Default::default()
            },
            transport.clone(),
        );
        let mut stream = client.stream_events(
            "sesn_1",
            StreamOptions {
                stall_timeout: Duration::from_millis(300),
                initial_backoff: Duration::from_millis(10),
                ..Default::default()
            },
        );
        let (mut ids, mut malformed) = (Vec::new(), 0);
        let opened = stream.open().await;
        let ends = loop {
            if let Err(error) = &opened {
                break format!("gave_up {}", error.status().unwrap());
            }
            match stream.next().await {
                None => break "finished".to_string(),
                Some(Ok(event)) => ids.push(event.id().unwrap().to_string()),
                Some(Err(Error::MalformedEvent { .. })) => malformed += 1,
                Some(Err(error)) => {
                    break match error.status() {
                        Some(status) => format!("gave_up {status}"),
                        None => "gave_up error_event".to_string(),
                    }
                }
            }
        };
        let expect = &script["expect"];
        assert_eq!(json!(ids), expect["ids"], "{name}: ids");
        assert_eq!(json!(malformed), expect["malformed"], "{name}: malformed");
        assert_eq!(
            json!(stream.reconnects()),
            expect["reconnects"],
            "{name}: reconnects"
        );
        assert_eq!(
            json!(*transport.backfills.lock().unwrap()),
            expect["backfills"],
            "{name}: backfills"
        );
        assert_eq!(json!(ends), expect["ends"], "{name}: end");
    }
}
