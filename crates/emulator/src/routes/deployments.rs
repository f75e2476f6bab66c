//! `/v1/deployments` and `/v1/deployment_runs`. A deployment is a session template; a run
//! (manual, or fired by its cron schedule in its time zone) creates a session from it. A run
//! that cannot start records the reason and pauses the deployment, as the platform does.
//! The next scheduled instant is kept in `_next_fire_at`, which is never served.

use super::{
    list_page, load, mark_archived, new_metadata, optional_str, pairs, patch_object_metadata,
    public_view, refuse_archived, required_str, resources, save, sessions,
};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult};
use crate::store::Kind;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use chrono::{DateTime, Utc};
use outrig_api::objects::CreateSession;
use outrig_api::request::query_value;
use outrig_api::send::SendEvent;
use serde_json::{json, Value};
use std::str::FromStr;

fn load_deployment(state: &AppState, id: &str) -> ApiResult<Value> {
    load(
        state,
        Kind::Deployment,
        "deployment",
        "deployment_not_found",
        id,
    )
}

/// The instant in the format every timestamp of the emulator has.
fn rfc3339(at: DateTime<Utc>) -> String {
    outrig_api::time::rfc3339_from_micros(at.timestamp_micros())
}

/// A checked `{"type":"cron","expression","timezone"}`.
fn parse_schedule(schedule: &Value) -> ApiResult<(croner::Cron, chrono_tz::Tz)> {
    if schedule["type"] != "cron" {
        return Err(ApiFailure::invalid("`schedule.type` must be `cron`"));
    }
    let expression = required_str(schedule, "expression")?;
    if expression.split_whitespace().count() != 5 || expression.contains('@') {
        return Err(ApiFailure::invalid(format!(
            "`schedule.expression` `{expression}` must be a 5-field cron expression (minute hour day-of-month month day-of-week)"
        )));
    }
    let cron = croner::Cron::from_str(expression)
        .map_err(|e| ApiFailure::invalid(format!("`schedule.expression` `{expression}`: {e}")))?;
    let zone = required_str(schedule, "timezone")?;
    let tz = chrono_tz::Tz::from_str(zone).map_err(|_| {
        ApiFailure::invalid(format!(
            "`schedule.timezone` `{zone}` is not an IANA time zone"
        ))
    })?;
    Ok((cron, tz))
}

/// The next `count` instants the schedule matches after `after`, in UTC.
fn upcoming(schedule: &Value, after: DateTime<Utc>, count: usize) -> Vec<DateTime<Utc>> {
    let Ok((cron, tz)) = parse_schedule(schedule) else {
        return Vec::new();
    };
    cron.iter_after(after.with_timezone(&tz))
        .take(count)
        .map(|at| at.with_timezone(&Utc))
        .collect()
}

/// The deployment as served: `upcoming_runs_at` computed now (none while paused).
fn served(deployment: &Value) -> Value {
    let mut served = public_view(deployment);
    if served["schedule"].is_object() {
        let active = deployment["status"] == "active" && deployment["archived_at"].is_null();
        let next: Vec<String> = if active {
            upcoming(&deployment["schedule"], Utc::now(), 5)
                .into_iter()
                .map(rfc3339)
                .collect()
        } else {
            Vec::new()
        };
        served["schedule"]["upcoming_runs_at"] = json!(next);
    }
    served
}

/// Re-arms the schedule from now: the next matching instant, or none.
fn arm(deployment: &mut Value) {
    let next = upcoming(&deployment["schedule"], Utc::now(), 1)
        .first()
        .map(|at| rfc3339(*at));
    deployment["_next_fire_at"] = json!(next);
}

fn agent_reference(state: &AppState, agent: &Value) -> ApiResult<Value> {
    let (id, version) = match agent {
        Value::String(id) => (id.as_str(), None),
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("agent") => (
            o.get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiFailure::invalid("`agent.id` is required"))?,
            o.get("version").and_then(Value::as_i64),
        ),
        _ => {
            return Err(ApiFailure::invalid(
                "`agent` must be an agent id or `{\"type\":\"agent\",\"id\",\"version\"?}`",
            ))
        }
    };
    let agent = match version {
        Some(v) => state
            .store
            .get(Kind::Agent, id, Some(v))?
            .ok_or_else(|| ApiFailure::not_found("agent version", &format!("{id}@{v}")))?,
        None => super::agents::load(state, id)?,
    };
    if !agent["archived_at"].is_null() {
        return Err(ApiFailure::invalid(format!("agent `{id}` is archived")));
    }
    Ok(json!({"type": "agent", "id": id, "version": agent["version"]}))
}

fn initial_events(events: &Value) -> ApiResult<Vec<Value>> {
    let events: Vec<SendEvent> = serde_json::from_value(events.clone())
        .map_err(|e| ApiFailure::invalid(format!("`initial_events`: {e}")))?;
    if events.is_empty() || events.len() > 50 {
        return Err(ApiFailure::invalid(
            "`initial_events` must hold 1 to 50 events",
        ));
    }
    events
        .iter()
        .enumerate()
        .map(|(i, event)| match event {
            SendEvent::UserMessage(_) | SendEvent::UserDefineOutcome(_) | SendEvent::SystemMessage(_) => {
                Ok(serde_json::to_value(event).expect("events serialise"))
            }
            other => Err(ApiFailure::invalid(format!(
                "`initial_events[{i}]`: `{}` cannot start a deployment's session; use user.message, user.define_outcome or system.message",
                other.type_name()
            ))),
        })
        .collect()
}

fn vault_ids(state: &AppState, ids: &Value) -> ApiResult<Vec<String>> {
    let ids: Vec<String> = serde_json::from_value(if ids.is_null() {
        json!([])
    } else {
        ids.clone()
    })
    .map_err(|_| ApiFailure::invalid("`vault_ids` must be an array of strings"))?;
    for id in &ids {
        super::vaults::load_vault(state, id)?;
    }
    Ok(ids)
}

/// `POST /v1/deployments`
pub async fn create(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let environment_id = required_str(&params, "environment_id")?;
    let environment = super::environments::load(&state, environment_id)?;
    refuse_archived(&environment, "environment")?;
    let schedule = match params.get("schedule").filter(|s| !s.is_null()) {
        Some(schedule) => {
            parse_schedule(schedule)?;
            json!({"type": "cron", "expression": schedule["expression"], "timezone": schedule["timezone"], "last_run_at": null})
        }
        None => Value::Null,
    };
    let resource_params: Vec<Value> = serde_json::from_value(
        params
            .get("resources")
            .cloned()
            .filter(|r| !r.is_null())
            .unwrap_or(json!([])),
    )
    .map_err(|_| ApiFailure::invalid("`resources` must be an array"))?;
    let at = now();
    let mut deployment = json!({
        "type": "deployment", "id": new_id("depl"), "name": required_str(&params, "name")?,
        "description": optional_str(&params, "description")?,
        "agent": agent_reference(&state, &params["agent"])?, "environment_id": environment_id,
        "initial_events": initial_events(&params["initial_events"])?,
        "resources": resources::check_configs(&state, &resource_params)?,
        "vault_ids": vault_ids(&state, &params["vault_ids"])?,
        "budget": params.get("budget").cloned().unwrap_or(Value::Null),
        "schedule": schedule, "status": "active", "paused_reason": null,
        "metadata": new_metadata(&params["metadata"])?,
        "created_at": at, "updated_at": at, "archived_at": null,
    });
    arm(&mut deployment);
    save(&state, Kind::Deployment, &deployment)?;
    state
        .emitter
        .resource_webhook("deployment.created", &deployment, None);
    Ok(Json(served(&deployment)))
}

/// `GET /v1/deployments/{id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_deployment(&state, &id).map(|d| Json(served(&d)))
}

/// `POST /v1/deployments/{id}`
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let mut deployment = load_deployment(&state, &id)?;
    refuse_archived(&deployment, "deployment")?;
    let given = |field: &str| params.get(field).filter(|v| !v.is_null());
    if given("name").is_some() {
        deployment["name"] = json!(required_str(&params, "name")?);
    }
    if params.get("description").is_some() {
        deployment["description"] = json!(optional_str(&params, "description")?);
    }
    if let Some(agent) = given("agent") {
        deployment["agent"] = agent_reference(&state, agent)?;
    }
    if let Some(environment_id) = given("environment_id") {
        let environment_id = environment_id
            .as_str()
            .ok_or_else(|| ApiFailure::invalid("`environment_id` must be a string"))?;
        refuse_archived(
            &super::environments::load(&state, environment_id)?,
            "environment",
        )?;
        deployment["environment_id"] = json!(environment_id);
    }
    if let Some(events) = given("initial_events") {
        deployment["initial_events"] = json!(initial_events(events)?);
    }
    if let Some(list) = given("resources") {
        let list: Vec<Value> = serde_json::from_value(list.clone())
            .map_err(|_| ApiFailure::invalid("`resources` must be an array"))?;
        deployment["resources"] = json!(resources::check_configs(&state, &list)?);
    }
    if params.get("vault_ids").is_some() {
        deployment["vault_ids"] = json!(vault_ids(&state, &params["vault_ids"])?);
    }
    if params.get("budget").is_some() {
        deployment["budget"] = params["budget"].clone();
    }
    if params.get("schedule").is_some() {
        deployment["schedule"] = match given("schedule") {
            Some(schedule) => {
                parse_schedule(schedule)?;
                json!({"type": "cron", "expression": schedule["expression"], "timezone": schedule["timezone"],
                       "last_run_at": deployment["schedule"]["last_run_at"]})
            }
            None => Value::Null,
        };
        arm(&mut deployment);
    }
    patch_object_metadata(&mut deployment, &params["metadata"])?;
    deployment["updated_at"] = json!(now());
    save(&state, Kind::Deployment, &deployment)?;
    state
        .emitter
        .resource_webhook("deployment.updated", &deployment, None);
    Ok(Json(served(&deployment)))
}

/// `GET /v1/deployments`
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let in_range = crate::validate::created_at_filter(&pairs, "created_at")?;
    let agent_id = query_value(&pairs, "agent_id").map(str::to_owned);
    let status = query_value(&pairs, "status").map(str::to_owned);
    if let Some(bad) = status
        .as_deref()
        .filter(|s| !["active", "paused"].contains(s))
    {
        return Err(ApiFailure::invalid(format!(
            "`status` must be `active` or `paused`, got `{bad}`"
        )));
    }
    let Json(mut page) = list_page(&state, Kind::Deployment, &pairs, |d| {
        in_range(d)
            && agent_id.as_deref().is_none_or(|a| d["agent"]["id"] == a)
            && status.as_deref().is_none_or(|s| d["status"] == s)
    })?;
    if let Some(data) = page["data"].as_array_mut() {
        for deployment in data.iter_mut() {
            *deployment = served(deployment);
        }
    }
    Ok(Json(page))
}

/// `POST /v1/deployments/{id}/archive`
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut deployment = load_deployment(&state, &id)?;
    if mark_archived(&mut deployment) {
        deployment["_next_fire_at"] = Value::Null;
        save(&state, Kind::Deployment, &deployment)?;
        state
            .emitter
            .resource_webhook("deployment.archived", &deployment, None);
    }
    Ok(Json(served(&deployment)))
}

/// `POST /v1/deployments/{id}/pause`
pub async fn pause(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut deployment = load_deployment(&state, &id)?;
    refuse_archived(&deployment, "deployment")?;
    if deployment["status"] == "active" {
        pause_for(&state, &mut deployment, json!({"type": "manual"}))?;
    }
    Ok(Json(served(&deployment)))
}

fn pause_for(state: &AppState, deployment: &mut Value, reason: Value) -> ApiResult<()> {
    deployment["status"] = json!("paused");
    deployment["paused_reason"] = reason;
    deployment["_next_fire_at"] = Value::Null;
    deployment["updated_at"] = json!(now());
    save(state, Kind::Deployment, deployment)?;
    state
        .emitter
        .resource_webhook("deployment.paused", deployment, None);
    Ok(())
}

/// `POST /v1/deployments/{id}/unpause`
pub async fn unpause(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut deployment = load_deployment(&state, &id)?;
    refuse_archived(&deployment, "deployment")?;
    if deployment["status"] == "paused" {
        deployment["status"] = json!("active");
        deployment["paused_reason"] = Value::Null;
        deployment["updated_at"] = json!(now());
        arm(&mut deployment);
        save(&state, Kind::Deployment, &deployment)?;
        state
            .emitter
            .resource_webhook("deployment.unpaused", &deployment, None);
    }
    Ok(Json(served(&deployment)))
}

/// `POST /v1/deployments/{id}/run`
pub async fn run(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let deployment = load_deployment(&state, &id)?;
    refuse_archived(&deployment, "deployment")?;
    start_run(&state, deployment, json!({"type": "manual"})).map(Json)
}

/// Why a run of this deployment cannot start now, as a run error `{type, message}`.
fn blocker(state: &AppState, deployment: &Value) -> ApiResult<Option<Value>> {
    let error = |kind: &str, message: String| Ok(Some(json!({"type": kind, "message": message})));
    let agent_id = deployment["agent"]["id"].as_str().unwrap_or_default();
    match state.store.get(Kind::Agent, agent_id, None)? {
        Some(agent) if !agent["archived_at"].is_null() => {
            return error(
                "agent_archived_error",
                format!("agent `{agent_id}` is archived"),
            )
        }
        _ => {}
    }
    let environment_id = deployment["environment_id"].as_str().unwrap_or_default();
    match state.store.get(Kind::Environment, environment_id, None)? {
        None => {
            return error(
                "environment_not_found_error",
                format!("environment `{environment_id}` no longer exists"),
            )
        }
        Some(e) if !e["archived_at"].is_null() => {
            return error(
                "environment_archived_error",
                format!("environment `{environment_id}` is archived"),
            )
        }
        _ => {}
    }
    for vault_id in deployment["vault_ids"].as_array().into_iter().flatten() {
        let vault_id = vault_id.as_str().unwrap_or_default();
        match state.store.get(Kind::Vault, vault_id, None)? {
            None => {
                return error(
                    "vault_not_found_error",
                    format!("vault `{vault_id}` no longer exists"),
                )
            }
            Some(v) if !v["archived_at"].is_null() => {
                return error(
                    "vault_archived_error",
                    format!("vault `{vault_id}` is archived"),
                )
            }
            _ => {}
        }
    }
    for resource in deployment["resources"].as_array().into_iter().flatten() {
        if let Some(file_id) = resource["file_id"].as_str() {
            if state.store.get(Kind::File, file_id, None)?.is_none() {
                return error(
                    "file_not_found_error",
                    format!("file `{file_id}` no longer exists"),
                );
            }
        }
        if let Some(store_id) = resource["memory_store_id"].as_str() {
            match state.store.get(Kind::MemoryStore, store_id, None)? {
                Some(s) if s["archived_at"].is_null() => {}
                _ => {
                    return error(
                        "memory_store_archived_error",
                        format!("memory store `{store_id}` is archived or gone"),
                    )
                }
            }
        }
    }
    Ok(None)
}

/// Runs a deployment once: a session from its template, or an error that pauses it.
fn start_run(state: &AppState, mut deployment: Value, trigger: Value) -> ApiResult<Value> {
    let id = deployment["id"].as_str().unwrap_or_default().to_string();
    let mut run = json!({
        "type": "deployment_run", "id": new_id("drun"), "deployment_id": id,
        "agent": deployment["agent"], "trigger_context": trigger, "created_at": now(),
        "session_id": null, "error": null,
    });
    let mut error = blocker(state, &deployment)?;
    if error.is_none() {
        let params = CreateSession {
            agent: deployment["agent"].clone(),
            environment_id: deployment["environment_id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            title: Some(Some(format!(
                "{} run",
                deployment["name"].as_str().unwrap_or_default()
            ))),
            metadata: None,
            resources: serde_json::from_value(deployment["resources"].clone()).ok(),
            vault_ids: serde_json::from_value(deployment["vault_ids"].clone()).ok(),
            budget: Some(Some(deployment["budget"].clone()).filter(|b| !b.is_null())),
            initial_events: serde_json::from_value(deployment["initial_events"].clone()).ok(),
        };
        match sessions::create_session(state, params, Some(&id), None) {
            Ok(session) => run["session_id"] = session["id"].clone(),
            Err(e) => {
                error =
                    Some(json!({"type": "session_creation_rejected_error", "message": e.message}))
            }
        }
    }
    save(state, Kind::DeploymentRun, &run)?;
    state
        .emitter
        .resource_webhook("deployment_run.started", &run, None);
    match error {
        Some(error) => {
            run["error"] = error.clone();
            save(state, Kind::DeploymentRun, &run)?;
            state
                .emitter
                .resource_webhook("deployment_run.failed", &run, None);
            if deployment["status"] == "active" {
                pause_for(
                    state,
                    &mut deployment,
                    json!({"type": "error", "error": error}),
                )?;
            }
        }
        None => state
            .emitter
            .resource_webhook("deployment_run.succeeded", &run, None),
    }
    Ok(run)
}

/// Fires every scheduled run that is due; the emulator calls this every half second.
pub fn fire_due(state: &AppState) -> anyhow::Result<()> {
    let now = rfc3339(Utc::now());
    for mut deployment in state.store.list(Kind::Deployment)? {
        let Some(due) = deployment["_next_fire_at"].as_str().map(str::to_owned) else {
            continue;
        };
        if due > now || deployment["status"] != "active" || !deployment["archived_at"].is_null() {
            continue;
        }
        deployment["schedule"]["last_run_at"] = json!(due);
        arm(&mut deployment);
        save(state, Kind::Deployment, &deployment).map_err(|e| anyhow::anyhow!(e.message))?;
        start_run(
            state,
            deployment,
            json!({"type": "schedule", "scheduled_at": due}),
        )
        .map_err(|e| anyhow::anyhow!(e.message))?;
    }
    Ok(())
}

/// `GET /v1/deployment_runs/{id}`
pub async fn retrieve_run(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load(
        &state,
        Kind::DeploymentRun,
        "deployment run",
        "deployment_run_not_found",
        &id,
    )
    .map(Json)
}

/// `GET /v1/deployment_runs`
pub async fn list_runs(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let in_range = crate::validate::created_at_filter(&pairs, "created_at")?;
    let deployment_id = query_value(&pairs, "deployment_id").map(str::to_owned);
    let has_error = query_value(&pairs, "has_error")
        .map(|v| crate::validate::flag(Some(v), "has_error"))
        .transpose()?;
    let trigger = query_value(&pairs, "trigger_type").map(str::to_owned);
    if let Some(bad) = trigger
        .as_deref()
        .filter(|t| !["schedule", "manual"].contains(t))
    {
        return Err(ApiFailure::invalid(format!(
            "`trigger_type` must be `schedule` or `manual`, got `{bad}`"
        )));
    }
    list_page(&state, Kind::DeploymentRun, &pairs, |r| {
        in_range(r)
            && deployment_id
                .as_deref()
                .is_none_or(|d| r["deployment_id"] == d)
            && has_error.is_none_or(|e| r["error"].is_null() != e)
            && trigger
                .as_deref()
                .is_none_or(|t| r["trigger_context"]["type"] == t)
    })
}
