//! Standard Webhooks signatures: the published test vector, deliveries signed by the
//! reference library (tests/fixtures/webhooks.json, made by
//! tests/conformance/make_webhook_fixtures.py), and every way a delivery is refused.

use outrig_api::webhook::{sign, verify, WebhookError, WebhookEvent, DEFAULT_TOLERANCE_SECS};
use serde_json::Value;

fn headers(id: &str, timestamp: i64, signature: &str) -> impl Fn(&str) -> Option<String> {
    let (id, timestamp, signature) = (id.to_string(), timestamp.to_string(), signature.to_string());
    move |name| match name {
        "webhook-id" => Some(id.clone()),
        "webhook-timestamp" => Some(timestamp.clone()),
        "webhook-signature" => Some(signature.clone()),
        _ => None,
    }
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[test]
fn the_published_test_vector_signs_and_verifies() {
    let (id, ts, body) = (
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        br#"{"test": 2432232314}"#,
    );
    let signature = sign(SECRET, id, ts, body).unwrap();
    assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assert_eq!(
        verify(
            SECRET,
            &headers(id, ts, &signature),
            body,
            ts,
            DEFAULT_TOLERANCE_SECS
        ),
        Ok(())
    );
}

#[test]
fn deliveries_signed_by_the_reference_library_verify_and_sign_identically() {
    let fixtures: Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/webhooks.json")).unwrap();
    let secret = fixtures["secret"].as_str().unwrap();
    for case in fixtures["cases"].as_array().unwrap() {
        let (id, ts) = (
            case["id"].as_str().unwrap(),
            case["timestamp"].as_i64().unwrap(),
        );
        let (body, signature) = (
            case["body"].as_str().unwrap().as_bytes(),
            case["signature"].as_str().unwrap(),
        );
        assert_eq!(
            verify(
                secret,
                &headers(id, ts, signature),
                body,
                ts + 10,
                DEFAULT_TOLERANCE_SECS
            ),
            Ok(()),
            "{id}"
        );
        assert_eq!(sign(secret, id, ts, body).unwrap(), signature, "{id}");
        if let Ok(event) = serde_json::from_slice::<WebhookEvent>(body) {
            assert!(event.data.is_session_event());
            assert_eq!(
                serde_json::to_value(&event).unwrap(),
                serde_json::from_slice::<Value>(body).unwrap(),
                "round trip, extra fields kept"
            );
        }
    }
}

#[test]
fn tampered_stale_unsigned_and_wrongly_keyed_deliveries_are_refused() {
    let (id, ts, body) = ("msg_1", 1_700_000_000, br#"{"type":"event"}"#.as_slice());
    let good = sign(SECRET, id, ts, body).unwrap();
    let check = |h: &dyn Fn(&str) -> Option<String>, body: &[u8], now: i64| {
        verify(SECRET, h, body, now, DEFAULT_TOLERANCE_SECS)
    };
    assert_eq!(
        check(&headers(id, ts, &good), b"{\"type\":\"evil\"}", ts),
        Err(WebhookError::NoMatch)
    );
    assert_eq!(
        check(&headers("msg_2", ts, &good), body, ts),
        Err(WebhookError::NoMatch),
        "the id is signed"
    );
    assert_eq!(
        check(&headers(id, ts, &good), body, ts + 301),
        Err(WebhookError::OutsideTolerance(301))
    );
    assert_eq!(
        check(&headers(id, ts, &good), body, ts - 301),
        Err(WebhookError::OutsideTolerance(-301))
    );
    assert_eq!(
        check(&headers(id, ts, &format!("v1,bm9wZQ== {good}")), body, ts),
        Ok(()),
        "any matching entry"
    );
    assert_eq!(
        check(&headers(id, ts, &good.replace("v1,", "v2,")), body, ts),
        Err(WebhookError::NoMatch)
    );
    let other = sign("whsec_c2VjcmV0", id, ts, body).unwrap();
    assert_eq!(
        check(&headers(id, ts, &other), body, ts),
        Err(WebhookError::NoMatch)
    );
    assert_eq!(
        check(&|_: &str| None, body, ts),
        Err(WebhookError::MissingHeader("webhook-id"))
    );
    assert_eq!(
        verify("whsec_!!!", &headers(id, ts, &good), body, ts, 300),
        Err(WebhookError::BadSecret)
    );
    let error = check(&headers(id, ts, "v1,AAAA"), body, ts)
        .unwrap_err()
        .to_string();
    assert!(
        !error.contains("MfKQ9r8"),
        "errors never show the secret: {error}"
    );
}

#[test]
fn extreme_and_non_numeric_timestamps_are_refused_without_overflow() {
    let body = br#"{"type":"event"}"#.as_slice();
    let now = 1_700_000_000;
    let raw = |timestamp: &str| {
        let timestamp = timestamp.to_string();
        move |name: &str| match name {
            "webhook-id" => Some("msg_1".to_string()),
            "webhook-timestamp" => Some(timestamp.clone()),
            "webhook-signature" => Some("v1,AAAA".to_string()),
            _ => None,
        }
    };
    for (timestamp, now) in [
        (i64::MIN, now),
        (i64::MAX, now),
        (i64::MIN, i64::MAX),
        (i64::MAX, i64::MIN),
        (i64::MIN + 1, 0),
        (0, i64::MAX),
    ] {
        let refused = verify(
            SECRET,
            &raw(&timestamp.to_string()),
            body,
            now,
            DEFAULT_TOLERANCE_SECS,
        );
        assert!(
            matches!(
                refused,
                Err(WebhookError::OutsideTolerance(_)) | Err(WebhookError::BadTimestamp)
            ),
            "{timestamp} at {now}: {refused:?}"
        );
    }
    for text in [
        "",
        "12a",
        "9223372036854775808",
        "-9223372036854775809",
        "1e9",
        "0x10",
        " ",
    ] {
        assert_eq!(
            verify(SECRET, &raw(text), body, now, DEFAULT_TOLERANCE_SECS),
            Err(WebhookError::BadTimestamp),
            "{text:?}"
        );
    }
    // A tolerance of i64::MIN (a misconfiguration) is as wide as i64::MAX, not a panic.
    let good = sign(SECRET, "msg_1", now, body).unwrap();
    assert_eq!(
        verify(SECRET, &headers("msg_1", now, &good), body, now, i64::MIN),
        Ok(())
    );
}
