//! A tiny HTTP client for driving a real emulator in tests.
#![allow(dead_code)]

use futures_util::StreamExt;
use outrig_api::{Event, EventDecoder};
use serde_json::{json, Value};
use std::time::Duration;

pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(base: String) -> Self {
        Api {
            base,
            http: reqwest::Client::new(),
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("x-api-key", "test")
            .header("anthropic-beta", "managed-agents-2026-04-01")
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let mut request = self.request(method.parse().unwrap(), path);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let (status, value) = self.call("POST", path, Some(&body.to_string())).await;
        assert!(status < 300, "POST {path} -> {status}: {value}");
        value
    }

    pub async fn get(&self, path: &str) -> Value {
        let (status, value) = self.call("GET", path, None).await;
        assert!(status < 300, "GET {path} -> {status}: {value}");
        value
    }

    /// Agent with one custom tool `lookup` (+ metadata), environment, session.
    pub async fn session(&self, metadata: Value) -> String {
        let agent = self
            .post("/v1/agents", json!({"name":"t","model":"claude-opus-4-6","metadata":metadata,"tools":[
                {"type":"custom","name":"lookup","description":"Looks things up","input_schema":{"type":"object"}},
                {"type":"custom","name":"convert","description":"Converts","input_schema":{"type":"object"}}]}))
            .await;
        let environment = self.post("/v1/environments", json!({"name":"e"})).await;
        let session = self
            .post(
                "/v1/sessions",
                json!({"agent":agent["id"],"environment_id":environment["id"]}),
            )
            .await;
        session["id"].as_str().unwrap().to_string()
    }

    pub async fn say(&self, session: &str, text: &str) {
        self.post(
            &format!("/v1/sessions/{session}/events"),
            json!({"events":[{"type":"user.message","content":[{"type":"text","text":text}]}]}),
        )
        .await;
    }

    pub async fn answer(&self, session: &str, call_id: &str, text: &str) {
        self.post(&format!("/v1/sessions/{session}/events"), json!({"events":[{"type":"user.custom_tool_result","custom_tool_use_id":call_id,"content":[{"type":"text","text":text}]}]})).await;
    }

    pub async fn history(&self, session: &str) -> Vec<Value> {
        self.get(&format!("/v1/sessions/{session}/events?limit=1000"))
            .await["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Polls the history until `done` holds for it (the emulated agent runs asynchronously).
    pub async fn wait_history(&self, session: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        for _ in 0..500 {
            let history = self.history(session).await;
            if done(&history) {
                return history;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!(
            "condition never held; history: {:#?}",
            self.history(session).await
        );
    }

    pub async fn open_stream(&self, path: &str) -> Stream {
        let response = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        Stream {
            body: Box::pin(response.bytes_stream()),
            decoder: EventDecoder::default(),
            ready: Default::default(),
        }
    }
}

pub fn last_idle_reason(history: &[Value]) -> Option<&str> {
    history
        .iter()
        .rev()
        .find(|e| e["type"] == "session.status_idle")
        .and_then(|e| e["stop_reason"]["type"].as_str())
}

pub fn types(history: &[Value]) -> Vec<&str> {
    history
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect()
}

type Bytes =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

pub struct Stream {
    body: Bytes,
    decoder: EventDecoder,
    ready: std::collections::VecDeque<Event>,
}

impl Stream {
    /// The next event, or None when the stream ends.
    pub async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.body.next())
                .await
                .expect("stream stalled")?;
            for result in self.decoder.push(&chunk.unwrap()) {
                self.ready.push_back(result.unwrap());
            }
        }
    }

    /// Events until (and including) the first one `stop` accepts.
    pub async fn until(&mut self, stop: impl Fn(&Event) -> bool) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(event) = self.next().await {
            let done = stop(&event);
            events.push(event);
            if done {
                return events;
            }
        }
        panic!("stream ended early after {events:?}");
    }
}

pub async fn start(config: outrig_emulator::Config) -> (outrig_emulator::Running, Api) {
    let running = outrig_emulator::start(outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        ..config
    })
    .await
    .unwrap();
    let api = Api::new(running.base_url());
    (running, api)
}
