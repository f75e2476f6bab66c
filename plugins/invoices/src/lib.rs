//! Reconciles invoices against a ledger, and looks up an invoice's payment status in the
//! company's invoice API. Reads CSV files from the directory the operator grants at `/data`
//! (read-only is enough) and calls only the API named by `INVOICES_API_URL` (which the
//! operator passes with `grants.env` and allows with `grants.network`).

wit_bindgen::generate!({ path: "../../wit/0.2.0", world: "plugin", generate_all });

mod http;

use exports::outrig::tool::tool::Guest;
use outrig::tool::host::{log, progress, Level};
use outrig::tool::types::{Content, Hints, ToolError, ToolSpec};
use serde_json::{json, Value};
use std::collections::BTreeMap;

struct Invoices;

impl Guest for Invoices {
    fn describe() -> Vec<ToolSpec> {
        let read_only = Hints {
            read_only: true,
            destructive: false,
            idempotent: true,
        };
        vec![
            ToolSpec {
                name: "reconcile_invoices".into(),
                description: "Compares an invoice CSV with a ledger CSV (both under /data, columns \
                              `id,amount`) and lists invoices whose amounts differ or that are missing \
                              on either side."
                    .into(),
                input_schema: json!({
                    "type": "object",
                    "properties": {
                        "invoices": {"type": "string", "description": "invoice CSV file name under /data"},
                        "ledger": {"type": "string", "description": "ledger CSV file name under /data"},
                        "tolerance": {"type": "number", "minimum": 0, "description": "allowed difference"}
                    },
                    "required": ["invoices", "ledger"],
                    "additionalProperties": false
                })
                .to_string(),
                output_schema: Some(json!({"type": "object"}).to_string()),
                hints: read_only,
            },
            ToolSpec {
                name: "invoice_status".into(),
                description: "Looks up an invoice in the invoice API: whether it is paid, and \
                              when. Use it for invoices the reconciliation reports as missing."
                    .into(),
                input_schema: json!({
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$", "description": "invoice id, e.g. INV-4"}
                    },
                    "required": ["id"],
                    "additionalProperties": false
                })
                .to_string(),
                output_schema: Some(json!({"type": "object", "required": ["id", "status"]}).to_string()),
                hints: read_only,
            },
            ToolSpec {
                name: "echo".into(),
                description: "Returns its input unchanged (for testing the tool path).".into(),
                input_schema: json!({"type": "object"}).to_string(),
                output_schema: None,
                hints: read_only,
            },
        ]
    }

    fn call(name: String, input: String) -> Result<Vec<Content>, ToolError> {
        let input: Value = serde_json::from_str(&input)
            .map_err(|e| ToolError::InvalidInput(format!("input is not JSON: {e}")))?;
        match name.as_str() {
            "echo" => Ok(vec![Content::Json(input.to_string())]),
            "reconcile_invoices" => reconcile(&input),
            "invoice_status" => invoice_status(&input),
            other => Err(ToolError::InvalidInput(format!("no tool named `{other}`"))),
        }
    }

    fn origins() -> Vec<String> {
        api_base()
            .ok()
            .and_then(|base| http::origin(&base))
            .into_iter()
            .collect()
    }
}

/// The invoice API's base URL, from the environment the operator grants.
fn api_base() -> Result<String, ToolError> {
    std::env::var("INVOICES_API_URL").map_err(|_| {
        ToolError::Failed(
            "INVOICES_API_URL is not set: the operator must pass it with `grants.env`".into(),
        )
    })
}

fn invoice_status(input: &Value) -> Result<Vec<Content>, ToolError> {
    let id = input["id"]
        .as_str()
        .ok_or_else(|| ToolError::InvalidInput("`id` must be a string".into()))?;
    let url = format!("{}/invoices/{id}", api_base()?.trim_end_matches('/'));
    let response = http::get(&url).map_err(|e| ToolError::Failed(format!("GET {url}: {e}")))?;
    log(Level::Info, &format!("GET {url}: {}", response.status));
    match response.status {
        200 => {}
        404 => return Err(ToolError::InvalidInput(format!("no invoice `{id}`"))),
        status => return Err(ToolError::Failed(format!("GET {url}: HTTP {status}"))),
    }
    let invoice: Value = serde_json::from_slice(&response.body)
        .map_err(|e| ToolError::Failed(format!("GET {url}: the answer is not JSON: {e}")))?;
    let summary = match (invoice["status"].as_str(), invoice["paid_at"].as_str()) {
        (Some("paid"), Some(when)) => format!("{id} was paid on {when}."),
        (Some(status), _) => format!("{id} is {status}."),
        _ => format!("{id}: the API gave no status."),
    };
    Ok(vec![
        Content::Text(summary),
        Content::Json(invoice.to_string()),
    ])
}

fn file_arg(input: &Value, key: &str) -> Result<String, ToolError> {
    let name = input[key]
        .as_str()
        .ok_or_else(|| ToolError::InvalidInput(format!("`{key}` must be a file name")))?;
    if name.is_empty() || name.contains('/') || name.contains("..") {
        return Err(ToolError::InvalidInput(format!(
            "`{key}` must be a plain file name under /data, got `{name}`"
        )));
    }
    Ok(format!("/data/{name}"))
}

/// `id,amount` rows (a header line is skipped) as amounts in cents.
fn read_amounts(path: &str) -> Result<BTreeMap<String, i64>, ToolError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ToolError::Failed(format!("cannot read {path}: {e}")))?;
    let mut rows = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (n == 0 && line.to_ascii_lowercase().starts_with("id,")) {
            continue;
        }
        let (id, amount) = line.split_once(',').ok_or_else(|| {
            ToolError::Failed(format!("{path} line {}: expected `id,amount`", n + 1))
        })?;
        let cents = parse_cents(amount.trim()).ok_or_else(|| {
            ToolError::Failed(format!(
                "{path} line {}: `{}` is not an amount",
                n + 1,
                amount.trim()
            ))
        })?;
        rows.insert(id.trim().to_string(), cents);
    }
    Ok(rows)
}

fn parse_cents(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let fraction = format!("{fraction:0<2}");
    if fraction.len() != 2 {
        return None;
    }
    let sign = if whole.starts_with('-') { -1 } else { 1 };
    Some(whole.parse::<i64>().ok()? * 100 + sign * fraction.parse::<i64>().ok()?)
}

fn money(cents: i64) -> String {
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    )
}

fn reconcile(input: &Value) -> Result<Vec<Content>, ToolError> {
    let tolerance =
        match &input["tolerance"] {
            Value::Null => 0,
            value => (value.as_f64().filter(|t| *t >= 0.0).ok_or_else(|| {
                ToolError::InvalidInput("`tolerance` must be a number ≥ 0".into())
            })? * 100.0)
                .round() as i64,
        };
    let invoices = read_amounts(&file_arg(input, "invoices")?)?;
    progress(1, Some(2), Some("invoices read"));
    let ledger = read_amounts(&file_arg(input, "ledger")?)?;
    progress(2, Some(2), Some("ledger read"));
    let mut matched = 0;
    let mut mismatched = Vec::new();
    let mut missing_in_ledger = Vec::new();
    for (id, amount) in &invoices {
        match ledger.get(id) {
            Some(booked) if (booked - amount).abs() <= tolerance => matched += 1,
            Some(booked) => mismatched
                .push(json!({"id": id, "invoice": money(*amount), "ledger": money(*booked)})),
            None => missing_in_ledger.push(id.clone()),
        }
    }
    let missing_in_invoices: Vec<&String> = ledger
        .keys()
        .filter(|id| !invoices.contains_key(*id))
        .collect();
    log(
        Level::Info,
        &format!(
            "reconciled {} invoices against {} ledger rows",
            invoices.len(),
            ledger.len()
        ),
    );
    let report = json!({
        "matched": matched,
        "mismatched": mismatched,
        "missing_in_ledger": missing_in_ledger,
        "missing_in_invoices": missing_in_invoices,
    });
    let summary = format!(
        "{matched} of {} invoices match; {} differ; {} missing in the ledger; {} ledger rows without invoice.",
        invoices.len(),
        mismatched.len(),
        missing_in_ledger.len(),
        missing_in_invoices.len()
    );
    Ok(vec![
        Content::Text(summary),
        Content::Json(report.to_string()),
    ])
}

export!(Invoices);
