//! Bedrock's AWS settings, read as the AWS SDKs and CLI read them: the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`; `AWS_REGION`,
//! `AWS_DEFAULT_REGION`) first, else the profile `AWS_PROFILE` (default `default`) of the
//! shared files: keys from `~/.aws/credentials` (`AWS_SHARED_CREDENTIALS_FILE`) or
//! `~/.aws/config` (`AWS_CONFIG_FILE`, sections `[profile NAME]`), the region from the
//! config file. Profiles that get keys elsewhere (SSO, `credential_process`, assumed
//! roles) are refused, saying so. A key's value never appears in an error.

use crate::Error;
use outrig_api::request::Secret;
use outrig_api::sigv4::Credentials;
use std::collections::HashMap;
use std::path::PathBuf;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The credentials of the environment, else of the profile.
pub fn credentials() -> Result<Credentials, Error> {
    if let (Some(access_key_id), Some(secret)) =
        (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY"))
    {
        return Ok(Credentials {
            access_key_id,
            secret_access_key: Secret::new(secret),
            session_token: var("AWS_SESSION_TOKEN").map(Secret::new),
        });
    }
    let profile = profile_name();
    let (credentials_file, config_file) = (credentials_path(), config_path());
    let found = read_section(&credentials_file, &profile)
        .into_iter()
        .chain(read_section(&config_file, &config_section(&profile)))
        .find(|keys| keys.contains_key("aws_access_key_id"));
    let Some(keys) = found else {
        let elsewhere = read_section(&config_file, &config_section(&profile)).is_some_and(|k| {
            [
                "sso_session",
                "sso_start_url",
                "credential_process",
                "role_arn",
            ]
            .iter()
            .any(|key| k.contains_key(*key))
        });
        return Err(Error::Invalid(if elsewhere {
            format!(
                "the AWS profile `{profile}` gets its keys through SSO, a credential process or an assumed role, which Outrig does not do yet: export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (e.g. `aws configure export-credentials --format env`)"
            )
        } else {
            format!(
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the profile `{profile}` keys in {} or {}",
                credentials_file.display(),
                config_file.display()
            )
        }));
    };
    let Some(secret) = keys.get("aws_secret_access_key") else {
        return Err(Error::Invalid(format!(
            "the AWS profile `{profile}` has `aws_access_key_id` but no `aws_secret_access_key`"
        )));
    };
    Ok(Credentials {
        access_key_id: keys["aws_access_key_id"].clone(),
        secret_access_key: Secret::new(secret.clone()),
        session_token: keys.get("aws_session_token").cloned().map(Secret::new),
    })
}

/// The region of the environment, else of the profile's config section.
pub fn region() -> Option<String> {
    var("AWS_REGION")
        .or_else(|| var("AWS_DEFAULT_REGION"))
        .or_else(|| {
            read_section(&config_path(), &config_section(&profile_name()))?.remove("region")
        })
}

fn profile_name() -> String {
    var("AWS_PROFILE").unwrap_or_else(|| "default".into())
}

/// The config file names every profile but `default` `[profile NAME]`.
fn config_section(profile: &str) -> String {
    if profile == "default" {
        profile.into()
    } else {
        format!("profile {profile}")
    }
}

fn aws_dir() -> PathBuf {
    var("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join(".aws")
}

fn credentials_path() -> PathBuf {
    var("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| aws_dir().join("credentials"))
}

fn config_path() -> PathBuf {
    var("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| aws_dir().join("config"))
}

fn read_section(path: &std::path::Path, name: &str) -> Option<HashMap<String, String>> {
    section(&std::fs::read_to_string(path).ok()?, name)
}

/// The `key = value` pairs of the INI section `[name]` (the last one wins), if present.
fn section(text: &str, name: &str) -> Option<HashMap<String, String>> {
    let mut keys = None;
    let mut inside = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = header.split_whitespace().collect::<Vec<_>>().join(" ") == name;
            if inside {
                keys = Some(HashMap::new());
            }
            continue;
        }
        if let (true, Some((key, value)), Some(keys)) = (inside, line.split_once('='), &mut keys) {
            keys.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::section;

    #[test]
    fn sections_are_read_as_the_aws_cli_reads_them() {
        let text = "# keys\n[default]\naws_access_key_id = AKIDDEFAULT\n\n[profile  work]\n\
                    region=eu-west-1 \n; note\nAWS_SECRET_ACCESS_KEY = s3cret\n[other]\nregion = x\n";
        assert_eq!(
            section(text, "default").unwrap()["aws_access_key_id"],
            "AKIDDEFAULT"
        );
        let work = section(text, "profile work").unwrap();
        assert_eq!(work["region"], "eu-west-1");
        assert_eq!(work["aws_secret_access_key"], "s3cret");
        assert!(!work.contains_key("aws_access_key_id"));
        assert!(section(text, "missing").is_none());
        assert_eq!(section("[empty]\n", "empty").unwrap().len(), 0);
    }
}
