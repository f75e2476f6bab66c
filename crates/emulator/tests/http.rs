//! The emulator over real HTTP: persistence across restarts, malformed input, scenarios,
//! interrupts, previews, deletion and replay.

mod common;

use common::{last_idle_reason, start, types, Api};
use outrig_api::events::Event;
use outrig_emulator::Config;
use serde_json::{json, Value};
use std::path::PathBuf;

fn scenarios() -> Option<PathBuf> {
    Some(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios"
    )))
}

#[tokio::test]
async fn a_restart_mid_session_keeps_history_and_the_session_continues() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("emulator.sqlite");
    let (running, api) = start(Config {
        db: db.clone(),
        ..Default::default()
    })
    .await;
    let session = api.session(json!({})).await;
    api.say(&session, "call lookup {\"q\":\"a\"}").await;
    let before = api
        .wait_history(&session, |h| last_idle_reason(h) == Some("requires_action"))
        .await;
    running.stop().await.unwrap();

    let (running, api) = start(Config {
        db,
        ..Default::default()
    })
    .await;
    assert_eq!(
        api.history(&session).await,
        before,
        "history survives the restart"
    );
    assert_eq!(
        api.get(&format!("/v1/sessions/{session}")).await["status"],
        "idle"
    );
    let call = before
        .iter()
        .find(|e| e["type"] == "agent.custom_tool_use")
        .unwrap();
    api.answer(&session, call["id"].as_str().unwrap(), "found it")
        .await;
    let after = api
        .wait_history(&session, |h| last_idle_reason(h) == Some("end_turn"))
        .await;
    let report = after
        .iter()
        .rev()
        .find(|e| e["type"] == "agent.message")
        .unwrap();
    assert_eq!(
        report["content"][0]["text"],
        "Tool results:\nlookup: found it"
    );
    running.stop().await.unwrap();
}

/// The event types of a history, with each text and tool name, for comparing two runs.
fn shape(history: &[Value]) -> Vec<String> {
    history
        .iter()
        .map(|e| {
            let detail = e["content"][0]["text"].as_str().or(e["name"].as_str());
            format!(
                "{} {}",
                e["type"].as_str().unwrap(),
                detail.unwrap_or_default()
            )
        })
        .collect()
}

/// Runs the `relay` scenario's turn, answering its call; with `restart`, the emulator is
/// stopped and started again during each of its two delays.
async fn relay_turn(restart: bool) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("emulator.sqlite");
    let config = || Config {
        db: db.clone(),
        scenarios: scenarios(),
        delay_scale: 1.0,
        ..Default::default()
    };
    let (mut running, mut api) = start(config()).await;
    let session = api.session(json!({"scenario": "relay"})).await;
    api.say(&session, "go").await;
    let said =
        |text: &'static str| move |h: &[Value]| h.iter().any(|e| e["content"][0]["text"] == text);
    let before = api.wait_history(&session, said("Part one.")).await;
    if restart {
        assert!(
            !said("Part two.")(&before),
            "stopped during the first delay"
        );
        running.stop().await.unwrap();
        (running, api) = start(config()).await;
    }
    let history = api
        .wait_history(&session, |h| last_idle_reason(h) == Some("requires_action"))
        .await;
    let call = history
        .iter()
        .find(|e| e["type"] == "agent.custom_tool_use")
        .unwrap();
    api.answer(&session, call["id"].as_str().unwrap(), "relayed")
        .await;
    let before = api
        .wait_history(&session, said("Tool results:\nlookup: relayed"))
        .await;
    if restart {
        assert!(!said("Done.")(&before), "stopped during the second delay");
        running.stop().await.unwrap();
        (running, api) = start(config()).await;
    }
    let history = api
        .wait_history(&session, |h| last_idle_reason(h) == Some("end_turn"))
        .await;
    running.stop().await.unwrap();
    history
}

#[tokio::test]
async fn a_turn_cut_by_restarts_goes_on_where_it_was() {
    let uninterrupted = relay_turn(false).await;
    let restarted = relay_turn(true).await;
    assert_eq!(
        shape(&restarted),
        shape(&uninterrupted),
        "a turn stopped twice mid-delay ends exactly as one never stopped"
    );
    assert!(!restarted.iter().any(|e| e["type"] == "session.error"));
    assert_eq!(
        restarted
            .iter()
            .filter(|e| e["content"][0]["text"] == "Part two.")
            .count(),
        1,
        "nothing is emitted twice"
    );
}

#[tokio::test]
async fn malformed_requests_get_clear_errors_and_change_nothing() {
    let (_running, api) = start(Config {
        max_body: 4096,
        ..Default::default()
    })
    .await;
    let session = api.session(json!({})).await;
    let agent = api.get("/v1/agents").await["data"][0].clone();
    let agent_id = agent["id"].as_str().unwrap();
    let events_path = format!("/v1/sessions/{session}/events");
    let cases: Vec<(&str, String, String, u16, &str)> = vec![
        ("POST", "/v1/agents".into(), "{not json".into(), 400, "not valid JSON"),
        ("POST", "/v1/agents".into(), "".into(), 400, "empty"),
        ("POST", "/v1/agents".into(), "[1,2]".into(), 400, "JSON object"),
        ("POST", "/v1/agents".into(), r#"{"model":"m"}"#.into(), 400, "missing field `name`"),
        ("POST", "/v1/agents".into(), r#"{"name":5,"model":"m"}"#.into(), 400, "invalid type"),
        ("POST", "/v1/agents".into(), r#"{"name":"","model":"m"}"#.into(), 400, "`name` must not be empty"),
        ("POST", "/v1/agents".into(), r#"{"name":"a","model":""}"#.into(), 400, "`model`"),
        ("POST", "/v1/agents".into(), r#"{"name":"a","model":"m","tools":[{"type":"nope"}]}"#.into(), 400, "unknown tool type"),
        ("POST", "/v1/agents".into(), r#"{"name":"a","model":"m","tools":[{"type":"custom","name":"x","input_schema":{"type":"object"}}]}"#.into(), 400, "description"),
        ("POST", "/v1/agents".into(), r#"{"name":"a","model":"m","tools":[{"type":"custom","name":"x","description":"d","input_schema":{"type":"string"}}]}"#.into(), 400, "input_schema.type"),
        ("POST", "/v1/agents".into(), r#"{"name":"a","model":"m","tools":[{"type":"custom","name":"x","description":"d","input_schema":{"type":"object","required":"x"}}]}"#.into(), 400, "input_schema.required"),
        ("POST", "/v1/agents".into(), r#"{"name":"a","model":"m","tools":[{"type":"custom","name":"x","description":"d","input_schema":{"type":"object"}},{"type":"custom","name":"x","description":"d","input_schema":{"type":"object"}}]}"#.into(), 400, "duplicate tool name"),
        ("POST", "/v1/agents".into(), format!(r#"{{"name":"{}","model":"m"}}"#, "x".repeat(5000)), 413, "larger than"),
        ("POST", format!("/v1/agents/{agent_id}"), r#"{"version":42,"name":"b"}"#.into(), 409, "version 1, not 42"),
        ("POST", format!("/v1/agents/{agent_id}"), r#"{"metadata":{"k":5}}"#.into(), 400, "must be a string or null"),
        ("GET", "/v1/agents?limit=101".into(), "".into(), 400, "`limit`"),
        ("GET", "/v1/agents?page=bogus".into(), "".into(), 400, "`page`"),
        ("GET", "/v1/agents/agent_missing".into(), "".into(), 404, "not found"),
        ("GET", "/v1/sessions?statuses[]=sleeping".into(), "".into(), 400, "unknown status"),
        ("POST", "/v1/sessions".into(), format!(r#"{{"agent":"{agent_id}","environment_id":"env_missing"}}"#), 404, "environment"),
        ("POST", "/v1/environments".into(), r#"{"name":"e","config":{"type":"moon"}}"#.into(), 400, "config.type"),
        ("POST", events_path.clone(), r#"{"events":[]}"#.into(), 400, "at least one event"),
        ("POST", events_path.clone(), r#"{"events":[{"type":"user.shout"}]}"#.into(), 400, "unknown event type"),
        ("POST", events_path.clone(), r#"{"events":[{"type":"user.message"}]}"#.into(), 400, "missing field `content`"),
        ("POST", events_path.clone(), r#"{"events":[{"type":"user.custom_tool_result","custom_tool_use_id":"sevt_x"}]}"#.into(), 400, "sevt_x"),
        ("POST", events_path.clone(), r#"{"events":[{"type":"system.message","content":[{"type":"text","text":"x"}]}]}"#.into(), 400, "system.message must be the last"),
        ("POST", events_path.clone(), r#"{"events":[{"type":"user.tool_result","tool_use_id":"x"}]}"#.into(), 400, "self-hosted"),
        ("GET", "/v1/nowhere".into(), "".into(), 404, "no such endpoint"),
    ];
    for (method, path, body, status, message) in cases {
        let (got, value) = api
            .call(method, &path, (!body.is_empty()).then_some(body.as_str()))
            .await;
        assert_eq!(got, status, "{method} {path} {body:.80} -> {value}");
        assert_eq!(value["type"], "error", "{value}");
        let text = value["error"]["message"].as_str().unwrap();
        assert!(
            text.contains(message),
            "{method} {path}: `{text}` should mention `{message}`"
        );
        assert!(value["request_id"].as_str().unwrap().starts_with("req_"));
    }
    assert_eq!(
        api.get(&format!("/v1/agents/{agent_id}")).await,
        agent,
        "failed updates change nothing"
    );
    assert_eq!(
        api.history(&session).await,
        Vec::<Value>::new(),
        "rejected sends store nothing"
    );
    let (status, missing_beta) = {
        let response = api
            .http
            .get(format!("{}/v1/agents", api.base))
            .header("x-api-key", "k")
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json::<Value>().await.unwrap(),
        )
    };
    assert_eq!(status, 400);
    assert!(missing_beta["error"]["message"]
        .as_str()
        .unwrap()
        .contains("anthropic-beta"));
    api.say(&session, "still works").await;
    api.wait_history(&session, |h| last_idle_reason(h) == Some("end_turn"))
        .await;
}

#[tokio::test]
async fn a_scenario_scripts_parallel_calls_confirmations_errors_and_refusals() {
    let (_running, api) = start(Config {
        scenarios: scenarios(),
        ..Default::default()
    })
    .await;
    let session = api.session(json!({"scenario": "research"})).await;
    let mut stream = api
        .open_stream(&format!("/v1/sessions/{session}/events/stream"))
        .await;
    api.say(&session, "go").await;
    let first = stream
        .until(|e| matches!(e, Event::SessionStatusIdle(_)))
        .await;
    let calls: Vec<_> = first
        .iter()
        .filter_map(|e| match e {
            Event::AgentCustomToolUse(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        calls.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["lookup", "convert"]
    );
    // Answer one: the session re-idles waiting for the other.
    api.answer(&session, &calls[1].id, "11.40 EUR").await;
    let partial = stream
        .until(|e| matches!(e, Event::SessionStatusIdle(_)))
        .await;
    let Some(Event::SessionStatusIdle(idle)) = partial.last() else {
        panic!()
    };
    assert_eq!(
        serde_json::to_value(&idle.stop_reason).unwrap(),
        json!({"type":"requires_action","event_ids":[calls[0].id]})
    );
    api.answer(&session, &calls[0].id, "ledger ok").await;
    let asked = stream
        .until(|e| matches!(e, Event::SessionStatusIdle(_)))
        .await;
    let report = asked
        .iter()
        .find_map(|e| match e {
            Event::AgentMessage(m) => Some(outrig_api::content::joined_text(&m.content)),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        report,
        "Tool results:\nconvert: 11.40 EUR\nlookup: ledger ok"
    );
    let Some(Event::AgentToolUse(ask)) = asked.iter().find(|e| matches!(e, Event::AgentToolUse(_)))
    else {
        panic!("{asked:?}")
    };
    assert_eq!(ask.evaluated_permission.as_deref(), Some("ask"));
    api.post(
        &format!("/v1/sessions/{session}/events"),
        json!({"events":[{"type":"user.tool_confirmation","tool_use_id":ask.id,"result":"allow"}]}),
    )
    .await;
    let allowed = stream
        .until(|e| matches!(e, Event::SessionStatusIdle(i) if i.stop_reason.ends_turn()))
        .await;
    let Some(Event::AgentToolResult(ran)) = allowed
        .iter()
        .find(|e| matches!(e, Event::AgentToolResult(_)))
    else {
        panic!("{allowed:?}")
    };
    assert_eq!(
        ran.tool_use_id, ask.id,
        "the allowed call ran on the platform"
    );

    api.say(&session, "again").await;
    let second = stream
        .until(|e| matches!(e, Event::SessionStatusIdle(_)))
        .await;
    let errors: Vec<_> = second
        .iter()
        .filter(|e| matches!(e, Event::SessionError(_)))
        .collect();
    assert_eq!(errors.len(), 2);
    let statuses: Vec<&str> = second
        .iter()
        .map(Event::type_name)
        .filter(|t| t.starts_with("session.status"))
        .collect();
    assert_eq!(
        statuses,
        [
            "session.status_running",
            "session.status_rescheduled",
            "session.status_running",
            "session.status_idle"
        ],
        "a retried error reschedules, then runs again"
    );
    let Some(Event::SessionStatusIdle(idle)) = second.last() else {
        panic!()
    };
    assert_eq!(idle.stop_reason.type_name(), "retries_exhausted");

    api.say(&session, "and again").await;
    let third = stream
        .until(|e| matches!(e, Event::SessionStatusIdle(_)))
        .await;
    let Some(Event::SessionStatusIdle(idle)) = third.last() else {
        panic!()
    };
    assert_eq!(idle.stop_reason.type_name(), "refusal");
    assert_eq!(idle.stop_details.as_ref().unwrap()["type"], "refusal");
}

#[tokio::test]
async fn an_interrupt_stops_a_running_turn() {
    let (_running, api) = start(Config {
        scenarios: scenarios(),
        delay_scale: 1.0,
        ..Default::default()
    })
    .await;
    let session = api.session(json!({"scenario": "slow"})).await;
    api.say(&session, "start").await;
    api.wait_history(&session, |h| h.iter().any(|e| e["type"] == "agent.message"))
        .await;
    api.post(
        &format!("/v1/sessions/{session}/events"),
        json!({"events":[{"type":"user.interrupt"}]}),
    )
    .await;
    let history = api
        .wait_history(&session, |h| last_idle_reason(h) == Some("end_turn"))
        .await;
    assert!(!history
        .iter()
        .any(|e| e["content"][0]["text"] == "never reached"));
    assert_eq!(
        api.get(&format!("/v1/sessions/{session}")).await["status"],
        "idle"
    );
}

#[tokio::test]
async fn previews_come_before_their_final_message_and_deletion_ends_streams() {
    let (_running, api) = start(Config::default()).await;
    let session = api.session(json!({})).await;
    let mut stream = api
        .open_stream(&format!(
            "/v1/sessions/{session}/events/stream?event_deltas[]=agent.message"
        ))
        .await;
    let mut plain = api
        .open_stream(&format!("/v1/sessions/{session}/events/stream"))
        .await;
    api.say(
        &session,
        "a message long enough to be split into several preview fragments",
    )
    .await;
    let events = stream
        .until(|e| matches!(e, Event::SessionStatusIdle(_)))
        .await;
    let kinds: Vec<&str> = events.iter().map(Event::type_name).collect();
    let start_at = kinds.iter().position(|k| *k == "event_start").unwrap();
    let final_at = kinds.iter().position(|k| *k == "agent.message").unwrap();
    assert!(
        start_at < final_at
            && kinds[start_at + 1..final_at]
                .iter()
                .all(|k| *k == "event_delta"),
        "{kinds:?}"
    );
    let text: String = events[start_at + 1..final_at]
        .iter()
        .map(|e| match e {
            Event::EventDelta(d) => d.delta["content"]["text"].as_str().unwrap().to_string(),
            _ => unreachable!(),
        })
        .collect();
    let Event::AgentMessage(message) = &events[final_at] else {
        panic!()
    };
    assert_eq!(text, outrig_api::content::joined_text(&message.content));
    let plain_events = plain
        .until(|e| matches!(e, Event::SessionStatusIdle(_)))
        .await;
    assert!(
        plain_events.iter().all(|e| !e.is_preview()),
        "previews only when asked"
    );
    assert_eq!(plain_events.len(), events.len() - (final_at - start_at));

    let (status, _) = api
        .call("DELETE", &format!("/v1/sessions/{session}"), None)
        .await;
    assert_eq!(status, 200);
    assert!(matches!(
        stream.next().await,
        Some(Event::SessionDeleted(_))
    ));
    assert!(
        stream.next().await.is_none(),
        "the stream ends after session.deleted"
    );
    let (status, _) = api
        .call("GET", &format!("/v1/sessions/{session}"), None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn calling_a_tool_the_agent_lacks_is_a_session_error() {
    let (_running, api) = start(Config::default()).await;
    let session = api.session(json!({})).await;
    api.say(&session, "call teleport {}").await;
    let history = api
        .wait_history(&session, |h| last_idle_reason(h).is_some())
        .await;
    assert_eq!(last_idle_reason(&history), Some("retries_exhausted"));
    let error = history
        .iter()
        .find(|e| e["type"] == "session.error")
        .unwrap();
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("teleport"));
}

#[tokio::test]
async fn replay_serves_a_recorded_transcript() {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/events.jsonl"
    ));
    let (running, api) = start(Config {
        replay: Some(path.clone()),
        ..Default::default()
    })
    .await;
    let session = running.replay_session.clone().unwrap();
    let recorded: Vec<Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|e: &Value| e.get("id").is_some())
        .collect();
    assert_eq!(api.history(&session).await, recorded);
    let mut stream = api
        .open_stream(&format!("/v1/sessions/{session}/events/stream"))
        .await;
    let streamed = stream
        .until(|e| e.id() == recorded.last().unwrap()["id"].as_str())
        .await;
    assert_eq!(streamed.len(), recorded.len());
}

#[tokio::test]
async fn sessions_list_filters_and_pages_both_ways() {
    let (_running, api) = start(Config::default()).await;
    for _ in 0..3 {
        api.session(json!({})).await;
    }
    let first = api
        .get("/v1/sessions?limit=2&statuses=idle&statuses[]=running")
        .await;
    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    assert!(first["prev_page"].is_null());
    let second = api
        .get(&format!(
            "/v1/sessions?limit=2&page={}",
            first["next_page"].as_str().unwrap()
        ))
        .await;
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert!(second["next_page"].is_null());
    let back = api
        .get(&format!(
            "/v1/sessions?limit=2&page={}",
            second["prev_page"].as_str().unwrap()
        ))
        .await;
    assert_eq!(back["data"], first["data"]);
    assert_eq!(types(&[]), Vec::<&str>::new());
    let api2 = Api::new(api.base.clone());
    assert_eq!(
        api2.get("/v1/sessions?statuses[]=terminated").await["data"],
        json!([])
    );
}
