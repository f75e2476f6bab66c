//! `--platform bedrock` with `outrig-client`'s Bedrock target: every request (the event
//! stream included) signed with SigV4 is served under `/anthropic`, through a whole turn;
//! a client signing with another secret is refused with the reason.

use outrig_api::events::Event;
use outrig_api::request::Secret;
use outrig_api::routes::{self, Route};
use outrig_api::sigv4::Credentials;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions, StreamOptions};
use outrig_emulator::bedrock::Bedrock;
use serde_json::{json, Value};

const KEY_ID: &str = "AKIDOUTRIGTEST";
const RUNTIME: &str = "arn:aws:bedrock-agentcore:us-west-2:111122223333:runtime/outrig-test";

fn role() -> Value {
    json!({"type": "aws_role", "role_arn": "arn:aws:iam::111122223333:role/outrig-agent"})
}

async fn bedrock_emulator() -> outrig_test_support::Emulated {
    bedrock_emulator_with(Vec::new()).await
}

/// With these AgentCore gateway ARNs standing for these MCP server URLs.
async fn bedrock_emulator_with(gateways: Vec<(String, String)>) -> outrig_test_support::Emulated {
    outrig_test_support::emulator_with(|c| {
        c.bedrock = Some(Bedrock {
            region: "us-west-2".into(),
            keys: vec![(KEY_ID.into(), Secret::new("the-test-secret"))],
            roles: Vec::new(),
            gateways,
        })
    })
    .await
}

const GATEWAY: &str = "arn:aws:bedrock-agentcore:us-west-2:111122223333:gateway/outrig-test";

fn client(base: &str, secret: &str) -> Client {
    client_for(base, KEY_ID, secret)
}

/// A client signing with this key pair, not retrying.
fn client_for(base: &str, key_id: &str, secret: &str) -> Client {
    let mut options = ClientOptions::bedrock(
        "us-west-2",
        Credentials {
            access_key_id: key_id.into(),
            secret_access_key: Secret::new(secret),
            session_token: None,
        },
    );
    options.base_url = format!("{base}/anthropic");
    options.max_retries = 0;
    Client::new(options)
}

#[tokio::test]
async fn a_signed_client_runs_a_turn_and_a_wrong_secret_is_refused() {
    let emulated = bedrock_emulator().await;
    let signed = client(&emulated.base_url(), "the-test-secret");
    let create = |route, body| {
        let signed = signed.clone();
        async move {
            signed
                .call::<serde_json::Value>(route, &[], &Default::default(), Some(&body))
                .await
                .unwrap()
        }
    };
    let agent = create(
        &outrig_api::routes::AGENTS_CREATE,
        json!({"name": "signed", "model": "us.anthropic.claude-opus-4-6", "execution_identity": role()}),
    )
    .await;
    let session = create(
        &outrig_api::routes::SESSIONS_CREATE,
        json!({"agent": agent["id"], "environment_id": RUNTIME}),
    )
    .await;
    assert_eq!(session["working_directory"], "/mnt/workspace");
    let session = session["id"].as_str().unwrap();
    let mut stream = signed.stream_events(session, StreamOptions::default());
    stream.open().await.unwrap();
    signed
        .send_events(session, vec![SendEvent::user_text("hello")])
        .await
        .unwrap();
    let mut seen = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        let ended = matches!(&event, Event::SessionStatusIdle(i) if i.stop_reason.ends_turn());
        seen.push(event);
        if ended {
            break;
        }
    }
    assert!(seen.iter().any(|e| matches!(e, Event::AgentMessage(_))));
    assert_eq!(signed.list_events(session).await.unwrap(), seen);

    let refused = client(&emulated.base_url(), "another-secret")
        .list_events(session)
        .await
        .unwrap_err();
    let shown = refused.to_string();
    assert!(
        shown.contains("403") && shown.contains("does not match"),
        "{shown}"
    );
    assert!(!shown.contains("another-secret"), "{shown}");
}

/// What a signed request answers: the status and the JSON body.
async fn answer(
    client: &Client,
    route: &Route,
    params: &[&str],
    body: Option<Value>,
) -> (u16, Value) {
    match client
        .call::<Value>(route, params, &Default::default(), body.as_ref())
        .await
    {
        Ok(value) => (200, value),
        Err(outrig_client::Error::Api(api)) => (
            api.status.unwrap_or_default(),
            json!({"message": api.message, "error_code": api.error_code}),
        ),
        Err(other) => panic!("{other}"),
    }
}

#[tokio::test]
async fn bedrock_serves_its_34_operations_with_its_own_rules() {
    let emulated = bedrock_emulator().await;
    let signed = client(&emulated.base_url(), "the-test-secret");
    let code = |body: &Value| body["error_code"].as_str().map(str::to_owned);

    // Not served there: environments, vaults, deployments, session resources… The
    // client refuses them before sending; sent anyway (a client not told it is on
    // Bedrock), the platform answers 404 with the same reason.
    let mut options = signed.options().clone();
    options.bedrock = false;
    let unguarded = Client::new(options);
    for (route, params) in [
        (&routes::ENVIRONMENTS_CREATE, vec![]),
        (&routes::VAULTS_LIST, vec![]),
        (&routes::DEPLOYMENTS_LIST, vec![]),
        (&routes::SESSIONS_RESOURCES_LIST, vec!["sesn_x"]),
    ] {
        let body = (route.method == "POST").then(|| json!({"name": "e"}));
        let reason = outrig_api::bedrock::not_served(route).unwrap();
        match signed
            .call::<Value>(route, &params, &Default::default(), body.as_ref())
            .await
        {
            Err(outrig_client::Error::Invalid(refusal)) => assert_eq!(refusal, reason),
            other => panic!("{}: not refused before sending: {other:?}", route.name),
        }
        let (status, body) = answer(&unguarded, route, &params, body).await;
        assert_eq!(status, 404, "{}: {body}", route.name);
        assert_eq!(body["message"], reason);
    }

    // Agents: an aws_role identity and an inference-profile model, no web tools.
    let agent = |extra: Value| {
        let mut body = json!({"name": "a", "model": "us.anthropic.claude-sonnet-5-5", "execution_identity": role()});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    for (extra, why) in [
        (
            json!({"execution_identity": null}),
            "execution_identity` is required",
        ),
        (
            json!({"execution_identity": {"type": "service_account"}}),
            "aws_role",
        ),
        (json!({"model": "claude-sonnet-5-5"}), "inference profile"),
        (
            json!({"mcp_servers": [{"type": "url", "name": "m", "url": "https://example.com/mcp"}],
                   "tools": [{"type": "mcp_toolset", "mcp_server_name": "m"}]}),
            "aws_agentcore_gateway",
        ),
        (
            json!({"mcp_servers": [{"type": "aws_agentcore_gateway", "name": "m", "gateway_arn": GATEWAY}]}),
            "not referenced by an `mcp_toolset`",
        ),
        (
            json!({"tools": [{"type": "agent_toolset_20260401", "configs": [{"name": "web_search", "enabled": false}]}]}),
            "`web_search` is not available",
        ),
    ] {
        let (status, body) = answer(&signed, &routes::AGENTS_CREATE, &[], Some(agent(extra))).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.to_string().contains(why), "{why}: {body}");
    }
    let (status, created) =
        answer(&signed, &routes::AGENTS_CREATE, &[], Some(agent(json!({})))).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["model"]["id"], "us.anthropic.claude-sonnet-5-5");
    assert_eq!(created["execution_identity"], role());
    let id = created["id"].as_str().unwrap();
    let (status, body) = answer(
        &signed,
        &routes::AGENTS_UPDATE,
        &[id],
        Some(json!({"version": 1, "execution_identity": role()})),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // Sessions: on an AgentCore runtime, one identity, no vaults.
    for (body, why) in [
        (
            json!({"agent": id, "environment_id": "env_123"}),
            "AgentCore runtime ARN",
        ),
        (
            json!({"agent": id, "environment_id": RUNTIME, "execution_identity": role(), "role_arn": "arn:aws:iam::1:role/r"}),
            "not both",
        ),
        (
            json!({"agent": id, "environment_id": RUNTIME, "role_arn": ""}),
            "non-empty",
        ),
        (
            json!({"agent": id, "environment_id": RUNTIME, "vault_ids": ["vlt_1"]}),
            "no vaults",
        ),
    ] {
        let (status, answered) = answer(&signed, &routes::SESSIONS_CREATE, &[], Some(body)).await;
        assert_eq!(status, 400, "{answered}");
        assert!(answered.to_string().contains(why), "{why}: {answered}");
    }
    let (status, session) = answer(
        &signed,
        &routes::SESSIONS_CREATE,
        &[],
        Some(json!({"agent": id, "environment_id": RUNTIME, "role_arn": "arn:aws:iam::111122223333:role/s", "working_directory": "/work"})),
    )
    .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["environment_id"], RUNTIME);
    assert_eq!(session["working_directory"], "/work");
    assert_eq!(
        session["execution_identity"]["role_arn"],
        "arn:aws:iam::111122223333:role/s"
    );
    assert!(session.get("vault_ids").is_none(), "{session}");
    let session_id = session["id"].as_str().unwrap();
    let (_, read) = answer(&signed, &routes::SESSIONS_RETRIEVE, &[session_id], None).await;
    assert_eq!(read["working_directory"], "/work", "kept");

    // Events: no outcomes, no self-hosted results, elicitation answers on their own.
    let ids = [session_id];
    let send = |events: Value| {
        answer(
            &signed,
            &routes::SESSIONS_EVENTS_SEND,
            &ids,
            Some(json!({"events": events})),
        )
    };
    let (status, body) = send(json!([{"type": "user.define_outcome", "description": "d", "rubric": {"type": "text", "content": "r"}}])).await;
    assert_eq!(
        (status, code(&body).as_deref()),
        (400, Some("feature_unsupported_on_platform")),
        "{body}"
    );
    let (status, body) =
        send(json!([{"type": "user.tool_result", "tool_use_id": "sevt_1", "content": []}])).await;
    assert_eq!(status, 400, "{body}");
    let answer_event = json!({"type": "user.mcp_elicitation_response", "mcp_elicitation_id": "sevt_unknown", "response": {"type": "accept"}});
    let (status, body) = send(json!([answer_event, {"type": "user.message", "content": [{"type": "text", "text": "hi"}]}])).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("only elicitation responses"),
        "{body}"
    );
    let (status, body) = send(json!([answer_event])).await;
    assert_eq!(
        (status, code(&body).as_deref()),
        (400, Some("mcp_elicitation_not_found")),
        "{body}"
    );
    let (status, body) =
        send(json!([{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}])).await;
    assert_eq!(status, 200, "{body}");

    // Memory stores are served, with the Managed Agents beta alone.
    let (status, store) = answer(
        &signed,
        &routes::MEMORY_STORES_CREATE,
        &[],
        Some(json!({"name": "notes"})),
    )
    .await;
    assert_eq!(status, 200, "{store}");
    assert!(
        store["id"].as_str().unwrap().starts_with("memstore_"),
        "{store}"
    );
}

/// The stream's events up to the idle that ends the turn or awaits an answer.
async fn until_idle(stream: &mut outrig_client::EventStream) -> Vec<Event> {
    let mut seen = Vec::new();
    // A hang guard, not a timing assertion.
    let limit = std::time::Duration::from_secs(60);
    while let Some(event) = tokio::time::timeout(limit, stream.next())
        .await
        .unwrap_or_else(|_| panic!("no idle: {seen:?}"))
    {
        let event = event.unwrap();
        let idle = matches!(&event, Event::SessionStatusIdle(_));
        seen.push(event);
        if idle {
            return seen;
        }
    }
    panic!("the stream ended: {seen:?}");
}

fn of_type<'a>(events: &'a [Event], kind: &str) -> Vec<&'a Event> {
    events.iter().filter(|e| e.type_name() == kind).collect()
}

#[tokio::test]
async fn an_mcp_elicitation_waits_for_the_person_s_answer() {
    // The gateway stands for a server nobody answers: an accepted elicitation shows the
    // platform calling it.
    let gone = format!("http://127.0.0.1:{}/mcp", {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    });
    let emulated = bedrock_emulator_with(vec![(GATEWAY.into(), gone)]).await;
    let signed = client(&emulated.base_url(), "the-test-secret");
    let (_, agent) = answer(
        &signed,
        &routes::AGENTS_CREATE,
        &[],
        Some(json!({
            "name": "elicits", "model": "us.anthropic.claude-opus-4-6", "execution_identity": role(),
            "mcp_servers": [{"type": "aws_agentcore_gateway", "name": "gateway", "gateway_arn": GATEWAY}],
            "tools": [{"type": "mcp_toolset", "mcp_server_name": "gateway",
                "default_config": {"permission_policy": {"type": "always_allow"}}}],
        })),
    )
    .await;
    let (_, session) = answer(
        &signed,
        &routes::SESSIONS_CREATE,
        &[],
        Some(json!({"agent": agent["id"], "environment_id": RUNTIME})),
    )
    .await;
    let session = session["id"].as_str().unwrap();
    let ids = [session];
    let send = |events: Value| {
        answer(
            &signed,
            &routes::SESSIONS_EVENTS_SEND,
            &ids,
            Some(json!({"events": events})),
        )
    };
    let mut stream = signed.stream_events(session, StreamOptions::default());
    stream.open().await.unwrap();
    let say = json!([{"type": "user.message", "content": [{"type": "text", "text": "elicit gateway/lookup {\"q\": 1}"}]}]);

    // Declined: the call ends with an error result, the turn goes on.
    assert_eq!(send(say.clone()).await.0, 200);
    let seen = until_idle(&mut stream).await;
    let [Event::AgentMcpToolUse(call)] = of_type(&seen, "agent.mcp_tool_use")[..] else {
        panic!("{seen:?}");
    };
    let [Event::Unknown(elicitation)] = of_type(&seen, "agent.mcp_elicitation")[..] else {
        panic!("{seen:?}");
    };
    assert_eq!(elicitation["mcp_tool_use_id"], call.id.as_str());
    assert_eq!(elicitation["mcp_server_name"], "gateway");
    assert_eq!(elicitation["request"]["type"], "url");
    let elicitation_id = elicitation["id"].as_str().unwrap().to_string();
    let Some(Event::SessionStatusIdle(idle)) = seen.last() else {
        panic!("{seen:?}");
    };
    assert_eq!(
        serde_json::to_value(&idle.stop_reason).unwrap(),
        json!({"type": "requires_action", "event_ids": [elicitation_id]})
    );
    let respond = |id: &str, response: &str| json!([{"type": "user.mcp_elicitation_response", "mcp_elicitation_id": id, "response": {"type": response}}]);
    let (status, body) = send(respond("sevt_nobody", "accept")).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("mcp_elicitation_not_found"))
    );
    let (status, echo) = send(respond(&elicitation_id, "decline")).await;
    assert_eq!(status, 200, "{echo}");
    assert_eq!(echo["data"][0]["processed_at"], Value::Null);
    let seen = until_idle(&mut stream).await;
    let results = of_type(&seen, "agent.mcp_tool_result");
    let [Event::AgentMcpToolResult(result)] = results[..] else {
        panic!("{seen:?}");
    };
    assert_eq!(result.mcp_tool_use_id, call.id);
    assert_eq!(result.is_error, Some(Some(true)));
    // A second answer is answered, and not applied.
    assert_eq!(send(respond(&elicitation_id, "accept")).await.0, 200);
    let history = signed.list_events(session).await.unwrap();
    assert_eq!(of_type(&history, "user.mcp_elicitation_response").len(), 1);

    // Accepted: the platform calls the server for the same call (no second tool use).
    assert_eq!(send(say).await.0, 200);
    let seen = until_idle(&mut stream).await;
    let [Event::Unknown(elicitation)] = of_type(&seen, "agent.mcp_elicitation")[..] else {
        panic!("{seen:?}");
    };
    let elicitation_id = elicitation["id"].as_str().unwrap().to_string();
    assert_eq!(send(respond(&elicitation_id, "accept")).await.0, 200);
    let seen = until_idle(&mut stream).await;
    assert!(of_type(&seen, "agent.mcp_tool_use").is_empty(), "{seen:?}");
    let [Event::AgentMcpToolResult(result)] = of_type(&seen, "agent.mcp_tool_result")[..] else {
        panic!("{seen:?}");
    };
    assert_eq!(
        result.mcp_tool_use_id,
        elicitation["mcp_tool_use_id"].as_str().unwrap()
    );
    assert!(
        of_type(&seen, "session.error").len() == 1,
        "the unreachable server was called: {seen:?}"
    );
}

#[tokio::test]
async fn a_bedrock_session_s_resources_follow_its_rules() {
    let emulated = bedrock_emulator().await;
    let signed = client(&emulated.base_url(), "the-test-secret");
    let agent = |tools: Value| json!({"name": "r", "model": "us.anthropic.claude-sonnet-5-5", "execution_identity": role(), "tools": tools});
    let (_, reader) = answer(
        &signed,
        &routes::AGENTS_CREATE,
        &[],
        Some(agent(json!([{"type": "agent_toolset_20260401"}]))),
    )
    .await;
    let (_, blind) = answer(&signed, &routes::AGENTS_CREATE, &[], Some(agent(json!([{"type": "agent_toolset_20260401", "configs": [{"name": "read", "enabled": false}]}])))).await;
    let (_, store) = answer(
        &signed,
        &routes::MEMORY_STORES_CREATE,
        &[],
        Some(json!({"name": "notes"})),
    )
    .await;
    let create = |agent: &Value, resources: Value| {
        answer(
            &signed,
            &routes::SESSIONS_CREATE,
            &[],
            Some(json!({"agent": agent["id"], "environment_id": RUNTIME, "resources": resources})),
        )
    };
    let mount = json!({"type": "s3_mount", "s3_uri": "s3://team-bucket/runs/{session_id}", "region": "us-west-2", "mount_path": "/mnt/data", "mount_as": "read_write", "is_output": true});
    let object = json!({"type": "s3_object", "s3_uri": "s3://team-bucket/inputs/brief.pdf", "region": "us-west-2", "mount_path": "/mnt/workspace/brief.pdf", "instructions": "Read it first."});
    let path =
        json!({"type": "sandbox_path", "path": "/opt/tools", "description": "Prebuilt tools"});
    let memory =
        json!({"type": "memory_store", "memory_store_id": store["id"], "access": "read_only"});
    let (status, session) = create(&reader, json!([mount, object, path, memory])).await;
    assert_eq!(status, 200, "{session}");
    let id = session["id"].as_str().unwrap();
    let resources = session["resources"].as_array().unwrap();
    for resource in resources {
        assert!(
            resource["id"].as_str().unwrap().starts_with("sesrsc_"),
            "{resource}"
        );
        assert!(resource["created_at"].is_string() && resource["updated_at"].is_string());
    }
    assert_eq!(
        resources[0]["s3_uri"],
        format!("s3://team-bucket/runs/{id}/")
    );
    assert_eq!(resources[0]["is_output"], true);
    assert_eq!(resources[0]["description"], Value::Null);
    assert_eq!(resources[1]["mount_path"], "/mnt/workspace/brief.pdf");
    assert_eq!(resources[1]["instructions"], "Read it first.");
    assert_eq!(resources[2]["path"], "/opt/tools");
    assert_eq!(resources[2]["is_output"], false);
    assert_eq!(resources[3]["memory_store_id"], store["id"]);
    assert_eq!(
        (
            resources[3]["name"].as_str(),
            resources[3]["description"].as_str()
        ),
        (Some("notes"), Some(""))
    );
    assert!(resources[3].get("mount_path").is_none(), "{}", resources[3]);
    let (_, read) = answer(&signed, &routes::SESSIONS_RETRIEVE, &[id], None).await;
    assert_eq!(read["resources"], session["resources"]);

    let (status, _) = create(&blind, json!([memory])).await;
    assert_eq!(status, 200, "a memory store needs no read tool");
    for (agent, resource, why) in [
        (&blind, path.clone(), "needs the agent's `read` tool"),
        (
            &reader,
            json!({"type": "s3_mount", "s3_uri": "s3://b/f/", "region": "r", "mount_path": "/mnt/d"}),
            "needs `mount_as`",
        ),
        (
            &reader,
            json!({"type": "s3_mount", "s3_uri": "s3://b/f/", "region": "r", "mount_path": "/mnt/d", "mount_as": "read_only", "is_output": true}),
            "`is_output` needs",
        ),
        (
            &reader,
            json!({"type": "s3_mount", "s3_uri": "s3://b/f/", "region": "r", "mount_path": "/mnt/workspace/d", "mount_as": "read_only"}),
            "may not be `/mnt/workspace`",
        ),
        (
            &reader,
            json!({"type": "s3_mount", "s3_uri": "s3://b/f/", "region": "r", "mount_path": "/mnt/memory/x", "mount_as": "read_only"}),
            "memory stores' place",
        ),
        (
            &reader,
            json!({"type": "s3_mount", "s3_uri": "https://b/f/", "region": "r", "mount_path": "/mnt/d", "mount_as": "read_only"}),
            "must start with `s3://`",
        ),
        (
            &reader,
            json!({"type": "s3_object", "s3_uri": "s3://b/folder/", "region": "r", "mount_path": "/mnt/f"}),
            "names an object",
        ),
        (
            &reader,
            json!({"type": "s3_object", "s3_uri": "s3://b/o", "region": "r", "mount_path": "/mnt/workspace"}),
            "may not be `/mnt/workspace`",
        ),
        (
            &reader,
            json!({"type": "sandbox_path", "path": "/opt/../etc"}),
            "no `..` segment",
        ),
        (
            &reader,
            json!({"type": "sandbox_path", "path": "relative"}),
            "must be absolute",
        ),
        (
            &reader,
            json!({"type": "github_repository", "url": "https://github.com/o/r"}),
            "Amazon Bedrock sessions take",
        ),
    ] {
        let (status, body) = create(agent, json!([resource])).await;
        assert_eq!(status, 400, "{why}: {body}");
        assert!(body.to_string().contains(why), "{why}: {body}");
        assert!(body.to_string().contains("resources[0]"), "{body}");
    }
}

#[tokio::test]
async fn each_caller_s_role_is_recorded_and_lists_say_which_items_are_mine() {
    const ADA: &str = "arn:aws:iam::111122223333:role/ada";
    const BOB: &str = "arn:aws:iam::111122223333:role/bob";
    let emulated = outrig_test_support::emulator_with(|c| {
        c.bedrock = Some(Bedrock {
            region: "us-west-2".into(),
            keys: vec![
                (KEY_ID.into(), Secret::new("ada-secret")),
                ("AKIDBOB".into(), Secret::new("bob-secret")),
                ("AKIDNOROLE".into(), Secret::new("no-role-secret")),
            ],
            roles: vec![(KEY_ID.into(), ADA.into()), ("AKIDBOB".into(), BOB.into())],
            gateways: Vec::new(),
        })
    })
    .await;
    let as_key = |id: &str, secret: &str| client_for(&emulated.base_url(), id, secret);
    let (ada, bob, nobody) = (
        as_key(KEY_ID, "ada-secret"),
        as_key("AKIDBOB", "bob-secret"),
        as_key("AKIDNOROLE", "no-role-secret"),
    );
    let (_, agent) = answer(&ada, &routes::AGENTS_CREATE, &[], Some(json!({"name": "a", "model": "us.anthropic.claude-sonnet-5-5", "execution_identity": role()}))).await;
    assert_eq!(agent["created_by"]["type"], "role_actor");
    assert_eq!(agent["created_by"]["arn"], ADA);
    assert!(agent["created_by"]["role_id"]
        .as_str()
        .unwrap()
        .starts_with("AROA"));
    let session_of = |client: &Client| {
        let client = client.clone();
        let agent = agent["id"].clone();
        async move {
            answer(
                &client,
                &routes::SESSIONS_CREATE,
                &[],
                Some(json!({"agent": agent, "environment_id": RUNTIME})),
            )
            .await
            .1
        }
    };
    let (mine, theirs) = (session_of(&ada).await, session_of(&bob).await);
    assert_eq!(mine["created_by"]["arn"], ADA);
    assert_eq!(theirs["created_by"]["arn"], BOB);
    let (_, store) = answer(
        &bob,
        &routes::MEMORY_STORES_CREATE,
        &[],
        Some(json!({"name": "bob's"})),
    )
    .await;
    assert_eq!(store["created_by"]["arn"], BOB);

    let list = |client: &Client, route: &'static Route, only_mine: bool| {
        let client = client.clone();
        async move {
            let query =
                outrig_api::request::Query::new().opt("created_by_me", only_mine.then_some(true));
            let page: Value = client
                .call(route, &[], &query, None::<&Value>)
                .await
                .unwrap();
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| {
                    (
                        item["id"].as_str().unwrap().to_string(),
                        item["created_by_me"] == true,
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let sessions = list(&ada, &routes::SESSIONS_LIST, false).await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    assert!(
        sessions.contains(&(id(&mine), true)) && sessions.contains(&(id(&theirs), false)),
        "{sessions:?}"
    );
    assert_eq!(
        list(&ada, &routes::SESSIONS_LIST, true).await,
        vec![(id(&mine), true)]
    );
    assert_eq!(
        list(&bob, &routes::MEMORY_STORES_LIST, true).await,
        vec![(id(&store), true)]
    );
    assert_eq!(list(&ada, &routes::MEMORY_STORES_LIST, true).await, vec![]);

    // Who sent each user event: the echo and the history say so; a key with no role, null.
    let sent = |client: &Client| {
        let client = client.clone();
        let session = id(&mine);
        async move {
            answer(&client, &routes::SESSIONS_EVENTS_SEND, &[&session], Some(json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]}))).await.1
        }
    };
    assert_eq!(sent(&bob).await["data"][0]["sent_by"]["arn"], BOB);
    assert_eq!(sent(&nobody).await["data"][0]["sent_by"], Value::Null);
    let history: Value = ada
        .call(
            &routes::SESSIONS_EVENTS_LIST,
            &[&id(&mine)],
            &Default::default(),
            None::<&Value>,
        )
        .await
        .unwrap();
    let senders: Vec<&Value> = history["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "user.message")
        .map(|e| &e["sent_by"])
        .collect();
    assert_eq!(senders[0]["arn"], BOB);
    assert_eq!(*senders[1], Value::Null);
}
