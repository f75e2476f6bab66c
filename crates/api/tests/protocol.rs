//! Request building, the retry policy, errors and session bookkeeping: pure functions,
//! tested without a network.

use outrig_api::request::{
    beta_header, parse_query, path, query_array, Credentials, PathPart, Query, Secret,
};
use outrig_api::retry::{
    parse_http_date, server_retry_delay, should_retry, stream_gives_up, Attempt, RetryPolicy,
};
use outrig_api::time::{parse_rfc3339_micros, rfc3339_from_micros};
use outrig_api::{ApiError, ErrorClass};
use std::time::Duration;

fn headers<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn headers_are_sent_as_the_sdks_send_them() {
    let credentials = Credentials {
        api_key: Some(Secret::new("sk-test")),
        betas: vec!["files-api-2025-04-14".into()],
        workspace_id: Some("wrkspc_1".into()),
        direct_browser_access: false,
    };
    let sent = credentials.headers(Some("managed-agents-2026-04-01"), 1);
    let get = |name: &str| {
        sent.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("authorization"), Some("Bearer sk-test"));
    assert_eq!(get("anthropic-version"), Some("2026-10-21"));
    assert_eq!(
        get("anthropic-beta"),
        Some("files-api-2025-04-14,managed-agents-2026-04-01")
    );
    assert_eq!(get("anthropic-workspace-id"), Some("wrkspc_1"));
    assert_eq!(get("x-stainless-retry-count"), Some("1"));
    assert_eq!(get("anthropic-dangerous-direct-browser-access"), None);
    assert_eq!(beta_header(&[], None), None);
}

#[test]
fn secrets_never_show_in_debug_output() {
    let credentials = Credentials {
        api_key: Some(Secret::new("sk-very-secret")),
        betas: vec![],
        workspace_id: None,
        direct_browser_access: true,
    };
    let shown = format!("{credentials:?} {}", Secret::new("sk-very-secret"));
    assert!(!shown.contains("sk-very-secret"), "{shown}");
}

#[test]
fn paths_encode_ids_and_reject_empty_ones() {
    use PathPart::{Id, Literal};
    assert_eq!(
        path(&[
            Literal("sessions"),
            Id("session_id", "sesn 1/2"),
            Literal("events")
        ])
        .unwrap(),
        "/v1/sessions/sesn%201%2F2/events"
    );
    let error = path(&[Literal("agents"), Id("agent_id", "")]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "expected a non-empty value for `agent_id`"
    );
}

#[test]
fn queries_use_bracket_arrays_and_both_forms_parse_back() {
    let query = Query::new()
        .array("types", &["agent.message", "session.status_idle"])
        .opt("created_at[gte]", Some("2026-05-01T12:00:00+00:00"))
        .opt("limit", Some(5))
        .opt("page", None::<String>);
    let encoded = query.encode();
    assert_eq!(
        encoded,
        "?types%5B%5D=agent.message&types%5B%5D=session.status_idle&created_at%5Bgte%5D=2026-05-01T12%3A00%3A00%2B00%3A00&limit=5"
    );
    let pairs = parse_query(&encoded[1..]);
    assert_eq!(
        query_array(&pairs, "types"),
        ["agent.message", "session.status_idle"]
    );
    assert_eq!(
        query_array(&parse_query("statuses=idle&statuses=running"), "statuses"),
        ["idle", "running"]
    );
    assert_eq!(
        parse_query("a=%E2%82%AC%2"),
        vec![("a".to_string(), "€%2".to_string())]
    );
}

#[test]
fn a_stream_gives_up_only_on_a_4xx_a_reconnect_cannot_fix() {
    for status in [400, 401, 403, 404, 413, 422] {
        assert!(stream_gives_up(status), "{status}");
    }
    for status in [200, 408, 409, 429, 500, 503, 529] {
        assert!(!stream_gives_up(status), "{status}");
    }
}

#[test]
fn retry_follows_status_rules_and_server_overrides() {
    let none = headers(&[]);
    for status in [408, 409, 429, 500, 502, 529] {
        assert!(should_retry(status, &none), "{status}");
    }
    for status in [400, 401, 403, 404, 413, 422] {
        assert!(!should_retry(status, &none), "{status}");
    }
    assert!(should_retry(400, &headers(&[("x-should-retry", "true")])));
    assert!(!should_retry(503, &headers(&[("x-should-retry", "false")])));
}

#[test]
fn retry_delays_honour_headers_then_back_off_with_jitter() {
    let policy = RetryPolicy::default();
    assert_eq!(
        server_retry_delay(&headers(&[("retry-after-ms", "250")]), 0.0),
        Some(0.25)
    );
    assert_eq!(
        server_retry_delay(&headers(&[("retry-after", "1.5")]), 0.0),
        Some(1.5)
    );
    assert_eq!(
        server_retry_delay(&headers(&[("retry-after", "-3")]), 0.0),
        None
    );
    assert_eq!(
        server_retry_delay(&headers(&[("retry-after-ms", " 12.5 ")]), 0.0),
        Some(0.0125)
    );
    for not_a_delay in ["1e3", ".5", "1.2.3", "0x10", "inf", "1 2"] {
        assert_eq!(
            server_retry_delay(&headers(&[("retry-after", not_a_delay)]), 0.0),
            None,
            "{not_a_delay}"
        );
    }
    let date = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
    assert_eq!(date, 784_111_777.0);
    assert_eq!(
        parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
        Some(1_835_481_599.0)
    );
    for not_a_fixdate in [
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Now 1994 08:49:37 GMT",
        "Sun, 0x Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sün, 06 Nov 1994 08:49:37 GMT",
    ] {
        assert_eq!(parse_http_date(not_a_fixdate), None, "{not_a_fixdate}");
    }
    assert_eq!(
        server_retry_delay(
            &headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]),
            date - 4.0
        ),
        Some(4.0)
    );
    assert_eq!(policy.backoff(0, 0.0), 0.5);
    assert_eq!(policy.backoff(1, 0.0), 1.0);
    assert_eq!(policy.backoff(10, 0.0), 8.0);
    assert_eq!(policy.backoff(0, 1.0), 0.375);
    let h = headers(&[("retry-after", "2")]);
    let attempt = Attempt::Response {
        status: 429,
        header: &h,
    };
    assert_eq!(
        policy.next_delay(0, attempt, 0.5, 0.0),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        policy.next_delay(2, attempt, 0.5, 0.0),
        None,
        "max retries reached"
    );
    let h = headers(&[]);
    assert_eq!(
        policy.next_delay(
            0,
            Attempt::Response {
                status: 404,
                header: &h
            },
            0.5,
            0.0
        ),
        None
    );
    assert!(
        policy.next_delay(1, Attempt::ConnectionFailed, 0.0, 0.0) == Some(Duration::from_secs(1))
    );
}

#[test]
fn api_errors_are_classified_and_keep_request_ids() {
    let body = br#"{"type":"error","error":{"type":"invalid_request_error","message":"archived","details":{"error_code":"environment_archived"}},"request_id":null}"#;
    let error = ApiError::from_response(Some(400), body, Some("req_h"));
    assert_eq!(error.class(), ErrorClass::BadRequest);
    assert_eq!(error.error_code.as_deref(), Some("environment_archived"));
    assert_eq!(error.request_id.as_deref(), Some("req_h"));
    let garbage = ApiError::from_response(Some(502), b"<html>bad gateway</html>", None);
    assert_eq!(
        (garbage.class(), garbage.kind.as_str()),
        (ErrorClass::InternalServer, "api_error")
    );
    assert!(garbage.to_string().contains("bad gateway"));
    assert_eq!(ErrorClass::from_status(Some(529)), ErrorClass::Overloaded);
}

#[test]
fn timestamps_round_trip() {
    let micros = parse_rfc3339_micros("2026-05-14T09:30:05.25Z").unwrap();
    assert_eq!(rfc3339_from_micros(micros), "2026-05-14T09:30:05.250000Z");
    assert_eq!(
        parse_rfc3339_micros("2026-05-01T12:00:00+02:00"),
        parse_rfc3339_micros("2026-05-01T10:00:00Z")
    );
    assert_eq!(parse_rfc3339_micros("yesterday"), None);
}

#[test]
fn extreme_retry_headers_never_overflow_or_stall() {
    let policy = RetryPolicy::default();
    let now = 1_700_000_000.0;
    for (name, value) in [
        ("retry-after", "999999999999999"),
        ("retry-after", "99999999999999999999999"),
        ("retry-after-ms", "999999999999999"),
        ("retry-after", "-5"),
        ("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ("retry-after", "Mon, 01 Jan 0000 00:00:00 GMT"),
        ("retry-after", "NaN"),
        ("retry-after", "inf"),
    ] {
        let header = move |n: &str| (n == name).then(|| value.to_string());
        let delay = policy
            .next_delay(
                0,
                Attempt::Response {
                    status: 429,
                    header: &header,
                },
                0.5,
                now,
            )
            .unwrap();
        assert!(
            delay <= Duration::from_secs(60),
            "{name}: {value} gave {delay:?}"
        );
    }
}

#[test]
fn rfc3339_offsets_out_of_form_are_refused() {
    for text in [
        "2026-05-01T12:00:00+9999999999999999:00",
        "2026-05-01T12:00:00-99999999999:99999999999",
        "2026-05-01T12:00:00+2:00",
    ] {
        assert_eq!(parse_rfc3339_micros(text), None, "{text}");
    }
}
