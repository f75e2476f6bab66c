//! SSE decoding: line endings, comments, pings, multi-line data, error events, bounded
//! lines, and the property that any chunking of a transcript yields the same events.

use outrig_api::sse::{SseDecoder, SseError};
use outrig_api::stream::encode_event;
use outrig_api::{ApiError, Event, EventDecoder, StreamError};
use proptest::prelude::*;
use serde_json::Value;

fn corpus() -> Vec<Event> {
    let path = format!(
        "{}/../../tests/fixtures/events.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| Event::from_json(l).unwrap())
        .collect()
}

/// A transcript exercising every framing feature, with the given line ending.
fn transcript(events: &[Event], eol: &str) -> Vec<u8> {
    let mut out = String::from("\u{feff}: keep-alive comment");
    out.push_str(eol);
    out.push_str(eol);
    for (i, event) in events.iter().enumerate() {
        let json = serde_json::to_string(event).unwrap();
        match i % 4 {
            0 => out.push_str(&format!("event: {}{eol}data: {json}{eol}{eol}", event.type_name())),
            1 => {
                // multi-line data: the pretty-printed JSON, one data line per line
                out.push_str(&format!("event:{}{eol}", event.type_name()));
                for line in serde_json::to_string_pretty(event).unwrap().lines() {
                    out.push_str(&format!("data: {line}{eol}"));
                }
                out.push_str(&format!("id: {i}{eol}retry: 10{eol}{eol}"));
            }
            2 => out.push_str(&format!("event: ping{eol}data: {{}}{eol}{eol}:comment{eol}event: {}{eol}data:{json}{eol}{eol}", event.type_name())),
            _ => out.push_str(&format!("data: {{\"no\":\"event line\"}}{eol}{eol}event: {}{eol}data: {json}{eol}{eol}", event.type_name())),
        }
    }
    out.into_bytes()
}

fn decode_all(bytes: &[u8], cuts: &[usize]) -> Vec<Event> {
    let mut decoder = EventDecoder::default();
    let mut events = Vec::new();
    let mut start = 0;
    let mut boundaries: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    boundaries.sort_unstable();
    boundaries.push(bytes.len());
    for end in boundaries {
        if end < start {
            continue;
        }
        for result in decoder.push(&bytes[start..end]) {
            events.push(result.unwrap());
        }
        start = end;
    }
    assert!(!decoder.finish(), "nothing may be left over");
    events
}

#[test]
fn every_line_ending_yields_the_corpus_in_order() {
    let events = corpus();
    for eol in ["\n", "\r\n", "\r"] {
        assert_eq!(
            decode_all(&transcript(&events, eol), &[]),
            events,
            "eol {eol:?}"
        );
    }
}

#[test]
fn one_byte_chunks_yield_the_corpus() {
    let events = corpus();
    for eol in ["\n", "\r\n", "\r"] {
        let bytes = transcript(&events, eol);
        let cuts: Vec<usize> = (0..bytes.len()).collect();
        assert_eq!(decode_all(&bytes, &cuts), events);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_chunking_yields_the_same_events(cuts in prop::collection::vec(any::<usize>(), 0..200), eol in 0usize..3) {
        let events = corpus();
        let bytes = transcript(&events, ["\n", "\r\n", "\r"][eol]);
        prop_assert_eq!(decode_all(&bytes, &cuts), events);
    }
}

#[test]
fn error_event_becomes_a_typed_api_error_after_earlier_events() {
    let body = "event: session.status_running\ndata: {\"type\":\"session.status_running\",\"id\":\"e1\",\"processed_at\":\"t\"}\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_9\"}\n\n";
    let results = EventDecoder::default().push(body.as_bytes());
    assert!(matches!(results[0], Ok(Event::SessionStatusRunning(_))));
    let Err(StreamError::Api(ApiError {
        status,
        kind,
        request_id,
        ..
    })) = &results[1]
    else {
        panic!("{results:?}")
    };
    assert_eq!(
        (*status, kind.as_str(), request_id.as_deref()),
        (None, "overloaded_error", Some("req_9"))
    );
}

#[test]
fn malformed_json_names_its_offset_and_keeps_going() {
    let body = b"event: agent.message\ndata: {not json\n\nevent: session.status_running\ndata: {\"type\":\"session.status_running\",\"id\":\"e1\",\"processed_at\":\"t\"}\n\n";
    let results = EventDecoder::default().push(body);
    let Err(StreamError::Json { offset, event, .. }) = &results[0] else {
        panic!("{results:?}")
    };
    assert_eq!((*offset, event.as_str()), (0, "agent.message"));
    assert!(results[1].is_ok());
}

#[test]
fn unknown_event_types_pass_through_unchanged() {
    let raw = r#"{"type":"agent.teleported","id":"e9","processed_at":"t","where":"mars"}"#;
    let results = EventDecoder::default()
        .push(format!("event: agent.teleported\ndata: {raw}\n\n").as_bytes());
    let Ok(event @ Event::Unknown(_)) = &results[0] else {
        panic!("{results:?}")
    };
    assert_eq!(
        serde_json::to_value(event).unwrap(),
        serde_json::from_str::<Value>(raw).unwrap()
    );
}

#[test]
fn an_overlong_line_is_an_error_not_an_allocation() {
    let mut decoder = SseDecoder::new(64);
    let mut out = Vec::new();
    decoder.push(b"event: a\n", &mut out).unwrap();
    let chunk = vec![b'x'; 40];
    decoder.push(&chunk, &mut out).unwrap();
    let error = decoder.push(&chunk, &mut out).unwrap_err();
    assert_eq!(
        error,
        SseError::LineTooLong {
            offset: 9,
            limit: 64
        }
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_offset() {
    let mut out = Vec::new();
    let error = SseDecoder::default()
        .push(b"event: a\ndata: \xff\xfe\n\n", &mut out)
        .unwrap_err();
    assert_eq!(error, SseError::InvalidUtf8 { offset: 9 });
}

#[test]
fn an_unterminated_final_message_is_dropped_and_reported() {
    let mut decoder = EventDecoder::default();
    assert!(decoder
        .push(b"event: session.status_running\ndata: {}")
        .is_empty());
    assert!(decoder.finish());
}

#[test]
fn encode_event_is_decoded_back() {
    for event in corpus() {
        let results = EventDecoder::default().push(encode_event(&event).as_bytes());
        assert_eq!(results, vec![Ok(event)]);
    }
}
