//! The credentials providers, against an injected environment, files in a
//! temporary folder and a scripted HTTP fake: no process environment and no
//! network.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use smithy_lite::credentials::{
    profile_region, CachingProvider, Clock, Credentials, CredentialsError, CredentialsHttp,
    DefaultChain, EcsProvider, Env, EnvironmentProvider, HttpFuture, ImdsProvider, ProfileProvider,
    ProvideCredentials, ProvideFuture, StaticProvider,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

// ---------------------------------------------------------------- fakes

#[derive(Clone, Debug, PartialEq, Eq)]
struct Call {
    method: http::Method,
    uri: String,
    headers: Vec<(String, String)>,
    timeout: Duration,
}

impl Call {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Records each call and answers from a script, in order.
#[derive(Debug, Default)]
struct Scripted {
    calls: Mutex<Vec<Call>>,
    responses: Mutex<VecDeque<Result<(u16, Bytes), String>>>,
}

impl Scripted {
    fn new(responses: Vec<Result<(u16, &str), &str>>) -> Arc<Self> {
        Arc::new(Self {
            calls: Mutex::new(Vec::new()),
            responses: Mutex::new(
                responses
                    .into_iter()
                    .map(|r| {
                        r.map(|(s, b)| (s, Bytes::from(b.to_owned())))
                            .map_err(str::to_owned)
                    })
                    .collect(),
            ),
        })
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

impl CredentialsHttp for Scripted {
    fn call(
        &self,
        method: http::Method,
        uri: &str,
        headers: Vec<(String, String)>,
        timeout: Duration,
    ) -> HttpFuture<'_> {
        self.calls.lock().unwrap().push(Call {
            method,
            uri: uri.to_owned(),
            headers,
            timeout,
        });
        let next = self
            .responses
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Err("unscripted call".to_owned()));
        Box::pin(async move { next })
    }
}

fn creds_json(expiration: &str) -> String {
    format!(
        r#"{{"Code":"Success","LastUpdated":"2030-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"{SECRET}","Token":"{TOKEN}","Expiration":"{expiration}"}}"#
    )
}

fn at(rfc3339: &str) -> SystemTime {
    SystemTime::try_from(
        smithy_lite::types::DateTime::from_str(rfc3339, smithy_lite::types::Format::DateTime)
            .unwrap(),
    )
    .unwrap()
}

/// A folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "smithy-lite-credentials-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn write(&self, relative: &str, text: &str) -> String {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------- credentials

#[tokio::test]
async fn static_provider_and_redacted_debug() {
    let creds = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.into()), None);
    let provider = StaticProvider::new(creds.clone());
    assert_eq!(provider.provide_credentials().await.unwrap(), creds);
    let shown = format!("{provider:?} {:?}", Arc::new(provider.clone()));
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("** redacted **"));
    let cached = CachingProvider::new(provider);
    cached.provide_credentials().await.unwrap();
    let shown = format!("{cached:?}");
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
}

// ---------------------------------------------------------------- environment

#[tokio::test]
async fn environment_provider() {
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]);
    let provider = EnvironmentProvider::with_env(env);
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDEXAMPLE");
    assert_eq!(creds.secret_access_key(), SECRET);
    assert_eq!(creds.session_token(), Some(TOKEN));
    assert_eq!(creds.expiry(), None);
    assert!(!format!("{provider:?}").contains(SECRET));

    let no_token = EnvironmentProvider::with_env(Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
        ("AWS_SESSION_TOKEN", ""),
    ]));
    assert_eq!(no_token.load().unwrap().session_token(), None);

    let none = EnvironmentProvider::with_env(Env::from_vars(Vec::<(String, String)>::new()));
    assert!(none.load().unwrap_err().is_not_loaded());
    let half = EnvironmentProvider::with_env(Env::from_vars([("AWS_ACCESS_KEY_ID", "AKID")]));
    let err = half.load().unwrap_err();
    assert!(err.is_not_loaded());
    assert!(
        err.to_string().contains("AWS_SECRET_ACCESS_KEY is not"),
        "{err}"
    );
}

// ---------------------------------------------------------------- profiles

const CONFIG: &str = "\
[default]
region = us-west-2

[profile dev]
region = eu-west-1
aws_access_key_id = AKID_DEV_FROM_CONFIG
aws_secret_access_key = dev-secret-from-config

[staging]
aws_access_key_id = NOT_A_PROFILE_IN_CONFIG
aws_secret_access_key = ignored

[profile assume]
role_arn = arn:aws:iam::123456789012:role/x
source_profile = default

[profile half]
aws_access_key_id = AKID_HALF
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKID_DEFAULT
aws_secret_access_key = default-secret

[dev]
aws_access_key_id = AKID_DEV
aws_secret_access_key = dev-secret
aws_session_token = dev-token

[profile staging]
aws_access_key_id = NOT_A_PROFILE_IN_CREDENTIALS
aws_secret_access_key = ignored
";

#[tokio::test]
async fn profile_provider_reads_both_files() {
    let dir = TempDir::new("profiles");
    let config = dir.write("cfg/config", CONFIG);
    let credentials = dir.write("cfg/credentials", CREDENTIALS);
    let env = |profile: Option<&str>| {
        let mut vars = vec![
            ("AWS_CONFIG_FILE".to_owned(), config.clone()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                credentials.clone(),
            ),
        ];
        if let Some(p) = profile {
            vars.push(("AWS_PROFILE".to_owned(), p.to_owned()));
        }
        Env::from_vars(vars)
    };

    let default = ProfileProvider::with_env(env(None))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(default.access_key_id(), "AKID_DEFAULT");
    assert_eq!(default.secret_access_key(), "default-secret");
    assert_eq!(profile_region(&env(None)).as_deref(), Some("us-west-2"));

    // The credentials file wins over the config file.
    let dev = ProfileProvider::with_env(env(Some("dev"))).load().unwrap();
    assert_eq!(dev.access_key_id(), "AKID_DEV");
    assert_eq!(dev.session_token(), Some("dev-token"));
    assert_eq!(
        profile_region(&env(Some("dev"))).as_deref(),
        Some("eu-west-1")
    );

    // `[staging]` in config and `[profile staging]` in credentials are not
    // profiles.
    let err = ProfileProvider::with_env(env(Some("staging")))
        .load()
        .unwrap_err();
    assert!(err.is_not_loaded(), "{err}");
    assert!(
        err.to_string().contains("profile `staging` is in neither"),
        "{err}"
    );
    assert_eq!(profile_region(&env(Some("staging"))), None);

    let err = ProfileProvider::with_env(env(Some("assume")))
        .load()
        .unwrap_err();
    assert!(
        matches!(&err, CredentialsError::InvalidConfiguration { reason, .. } if reason.contains("role_arn")),
        "{err}"
    );
    let err = ProfileProvider::with_env(env(Some("half")))
        .load()
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidConfiguration { .. }),
        "{err}"
    );
    // No error message holds a secret.
    for p in ["dev", "half", "assume", "staging", "nope"] {
        if let Err(e) = ProfileProvider::with_env(env(Some(p))).load() {
            let text = format!("{e} {e:?}");
            for value in ["default-secret", "dev-secret", "dev-token", "ignored"] {
                assert!(!text.contains(value), "{text}");
            }
        }
    }

    // Explicit name and paths win over the environment.
    let explicit = ProfileProvider::with_env(Env::from_vars([("AWS_PROFILE", "nope")]))
        .profile_name("dev")
        .config_file(&config)
        .credentials_file(dir.0.join("missing"));
    let creds = explicit.load().unwrap();
    assert_eq!(creds.access_key_id(), "AKID_DEV_FROM_CONFIG");
    assert_eq!(explicit.region().as_deref(), Some("eu-west-1"));
}

#[tokio::test]
async fn profile_files_default_to_the_home_directory() {
    let home = TempDir::new("home");
    home.write(".aws/credentials", CREDENTIALS);
    let env = Env::from_vars([("HOME", home.path())]);
    let creds = ProfileProvider::with_env(env.clone()).load().unwrap();
    assert_eq!(creds.access_key_id(), "AKID_DEFAULT");
    assert_eq!(profile_region(&env), None);

    let empty = TempDir::new("empty-home");
    let err = ProfileProvider::with_env(Env::from_vars([("HOME", empty.path())]))
        .load()
        .unwrap_err();
    assert!(err.is_not_loaded());
    assert!(err.to_string().contains("no shared config file"), "{err}");
}

// ---------------------------------------------------------------- ECS

#[tokio::test]
async fn ecs_relative_uri() {
    let http = Scripted::new(vec![Ok((200, &creds_json("2030-01-02T03:04:05Z")))]);
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/abc",
    )]);
    let creds = EcsProvider::with_env(env, http.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAEXAMPLE");
    assert_eq!(creds.secret_access_key(), SECRET);
    assert_eq!(creds.session_token(), Some(TOKEN));
    assert_eq!(creds.expiry(), Some(at("2030-01-02T03:04:05Z")));
    let calls = http.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].method, http::Method::GET);
    assert_eq!(calls[0].uri, "http://169.254.170.2/v2/credentials/abc");
    assert_eq!(calls[0].header("authorization"), None);
    assert_eq!(calls[0].timeout, Duration::from_secs(2));
}

#[tokio::test]
async fn ecs_full_uri_with_token_and_token_file() {
    let http = Scripted::new(vec![Ok((200, &creds_json("2030-01-02T03:04:05Z")))]);
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:51679/creds",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc"),
    ]);
    EcsProvider::with_env(env, http.clone())
        .timeout(Duration::from_millis(300))
        .provide_credentials()
        .await
        .unwrap();
    let calls = http.calls();
    assert_eq!(calls[0].uri, "http://127.0.0.1:51679/creds");
    assert_eq!(calls[0].header("authorization"), Some("Basic abc"));
    assert_eq!(calls[0].timeout, Duration::from_millis(300));

    // The token file wins over the token variable.
    let dir = TempDir::new("ecs-token");
    let file = dir.write("token", "eks-pod-identity-token\n");
    let http = Scripted::new(vec![Ok((200, &creds_json("2030-01-02T03:04:05Z")))]);
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://169.254.170.23/v1/credentials",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.as_str()),
    ]);
    EcsProvider::with_env(env, http.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        http.calls()[0].header("authorization"),
        Some("eks-pod-identity-token")
    );

    // The relative URI wins over the full one.
    let http = Scripted::new(vec![Ok((200, &creds_json("2030-01-02T03:04:05Z")))]);
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/x"),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1/creds",
        ),
    ]);
    EcsProvider::with_env(env, http.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(http.calls()[0].uri, "http://169.254.170.2/v2/x");
}

#[tokio::test]
async fn ecs_errors_are_typed() {
    let provider = |vars: Vec<(&str, &str)>, http: Arc<Scripted>| {
        EcsProvider::with_env(Env::from_vars(vars), http)
    };
    let relative = vec![("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x")];

    let http = Scripted::new(vec![]);
    let err = provider(vec![], http.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_loaded());
    assert!(http.calls().is_empty());

    let http = Scripted::new(vec![]);
    let err = provider(
        vec![(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://198.51.100.7/creds",
        )],
        http.clone(),
    )
    .provide_credentials()
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            CredentialsError::InvalidConfiguration {
                provider: "ecs",
                ..
            }
        ),
        "{err}"
    );
    assert!(http.calls().is_empty(), "no call to a disallowed host");

    let err = provider(relative.clone(), Scripted::new(vec![Ok((500, "oops"))]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            CredentialsError::Service {
                provider: "ecs",
                status: 500,
                ..
            }
        ),
        "{err}"
    );

    let err = provider(
        relative.clone(),
        Scripted::new(vec![Err("connection refused")]),
    )
    .provide_credentials()
    .await
    .unwrap_err();
    assert_eq!(
        err,
        CredentialsError::Transport {
            provider: "ecs",
            reason: "connection refused".into()
        }
    );

    let truncated = format!(r#"{{"AccessKeyId":"ASIA","SecretAccessKey":"{SECRET}","Token":"#);
    let err = provider(relative.clone(), Scripted::new(vec![Ok((200, &truncated))]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidResponse { .. }),
        "{err}"
    );
    assert!(!err.to_string().contains(SECRET) && !format!("{err:?}").contains(SECRET));

    let bad_date = creds_json("next tuesday");
    let err = provider(relative, Scripted::new(vec![Ok((200, &bad_date))]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Expiration"), "{err}");
}

// ---------------------------------------------------------------- IMDS

#[tokio::test]
async fn imds_v2_flow() {
    let http = Scripted::new(vec![
        Ok((200, "AQAEAimds-session-token==")),
        Ok((200, "my-instance-role\n")),
        Ok((200, &creds_json("2030-06-01T00:00:00Z"))),
    ]);
    let creds = ImdsProvider::with_env(Env::from_vars([("X", "y")]), http.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAEXAMPLE");
    assert_eq!(creds.session_token(), Some(TOKEN));
    assert_eq!(creds.expiry(), Some(at("2030-06-01T00:00:00Z")));

    let calls = http.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[0].method, http::Method::PUT);
    assert_eq!(calls[0].uri, "http://169.254.169.254/latest/api/token");
    assert_eq!(
        calls[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(calls[0].header("x-aws-ec2-metadata-token"), None);
    assert_eq!(calls[1].method, http::Method::GET);
    assert_eq!(
        calls[1].uri,
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
    );
    assert_eq!(
        calls[1].header("x-aws-ec2-metadata-token"),
        Some("AQAEAimds-session-token==")
    );
    assert_eq!(
        calls[2].uri,
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/my-instance-role"
    );
    assert_eq!(
        calls[2].header("x-aws-ec2-metadata-token"),
        Some("AQAEAimds-session-token==")
    );
    assert!(calls.iter().all(|c| c.timeout == Duration::from_secs(1)));
}

#[tokio::test]
async fn imds_endpoint_override_and_disable() {
    let http = Scripted::new(vec![
        Ok((200, "t")),
        Ok((200, "role")),
        Ok((200, &creds_json("2030-06-01T00:00:00Z"))),
    ]);
    let env = Env::from_vars([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "http://127.0.0.1:1338/",
    )]);
    ImdsProvider::with_env(env, http.clone())
        .provide_credentials()
        .await
        .unwrap();
    let uris: Vec<String> = http.calls().into_iter().map(|c| c.uri).collect();
    assert_eq!(
        uris,
        [
            "http://127.0.0.1:1338/latest/api/token",
            "http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/",
            "http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/role",
        ]
    );

    let http = Scripted::new(vec![Ok((200, "t"))]);
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]);
    let _ = ImdsProvider::with_env(env, http.clone())
        .provide_credentials()
        .await;
    assert_eq!(
        http.calls()[0].uri,
        "http://[fd00:ec2::254]/latest/api/token"
    );

    let http = Scripted::new(vec![]);
    let env = Env::from_vars([("AWS_EC2_METADATA_DISABLED", "TRUE")]);
    let err = ImdsProvider::with_env(env, http.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_loaded(), "{err}");
    assert!(http.calls().is_empty());
}

async fn run(script: Vec<Result<(u16, &str), &str>>) -> CredentialsError {
    let http = Scripted::new(script);
    ImdsProvider::with_env(Env::from_vars([("X", "y")]), http)
        .provide_credentials()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn imds_errors_are_typed() {
    let err = run(vec![Err("timed out after 1s")]).await;
    assert!(
        matches!(&err, CredentialsError::Transport { provider: "imds", reason } if reason.contains("session token")),
        "{err}"
    );
    let err = run(vec![Ok((403, ""))]).await;
    assert!(
        matches!(err, CredentialsError::Service { status: 403, .. }),
        "{err}"
    );
    let err = run(vec![Ok((200, "t")), Ok((404, ""))]).await;
    assert!(err.is_not_loaded(), "{err}");
    assert!(err.to_string().contains("no IAM role"), "{err}");
    let err = run(vec![Ok((200, "t")), Ok((200, "../../evil"))]).await;
    assert!(
        matches!(err, CredentialsError::InvalidResponse { .. }),
        "{err}"
    );
    let err = run(vec![
        Ok((200, "t")),
        Ok((200, "role")),
        Ok((
            200,
            r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"x"}"#,
        )),
    ])
    .await;
    assert!(
        err.to_string().contains("AssumeRoleUnauthorizedAccess"),
        "{err}"
    );
    let err = run(vec![Ok((200, "t")), Ok((200, "role")), Ok((500, ""))]).await;
    assert!(
        matches!(err, CredentialsError::Service { status: 500, .. }),
        "{err}"
    );
}

// ---------------------------------------------------------------- chain

#[tokio::test]
async fn chain_takes_the_first_provider_that_has_credentials() {
    let http = Scripted::new(vec![]);
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKID_ENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"),
    ]);
    let chain = DefaultChain::with_env(env, http.clone());
    assert_eq!(
        chain.provider_names(),
        ["environment", "profile", "ecs", "imds"]
    );
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKID_ENV");
    assert!(http.calls().is_empty());

    // Nothing in env or files: ECS, then IMDS.
    let empty = TempDir::new("chain-home");
    let http = Scripted::new(vec![
        Ok((200, "t")),
        Ok((200, "role")),
        Ok((200, &creds_json("2030-06-01T00:00:00Z"))),
    ]);
    let creds = DefaultChain::with_env(Env::from_vars([("HOME", empty.path())]), http.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAEXAMPLE");
    assert_eq!(http.calls().len(), 3);
}

#[tokio::test]
async fn chain_reports_why_each_provider_failed() {
    let empty = TempDir::new("chain-none");
    let http = Scripted::new(vec![Err("connect timed out")]);
    let err = DefaultChain::with_env(Env::from_vars([("HOME", empty.path())]), http)
        .provide_credentials()
        .await
        .unwrap_err();
    let CredentialsError::Chain { attempts } = &err else {
        panic!("{err:?}")
    };
    let names: Vec<&str> = attempts.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["environment", "profile", "ecs", "imds"]);
    assert!(attempts[..3].iter().all(|(_, e)| e.is_not_loaded()));
    assert!(matches!(attempts[3].1, CredentialsError::Transport { .. }));
    let text = err.to_string();
    for part in [
        "environment: no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        "; profile: no credentials: no shared config file",
        "; ecs: no credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "; imds: request failed: fetching the IMDSv2 session token: connect timed out",
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
}

#[tokio::test]
async fn chain_stops_at_a_broken_provider() {
    // A failing container endpoint must not fall through to the instance
    // role.
    let empty = TempDir::new("chain-ecs");
    let http = Scripted::new(vec![Ok((500, "")), Ok((200, "imds-token"))]);
    let env = Env::from_vars([
        ("HOME", empty.path()),
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"),
    ]);
    let err = DefaultChain::with_env(env, http.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    let CredentialsError::Chain { attempts } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(attempts.len(), 3);
    assert!(matches!(
        attempts[2],
        ("ecs", CredentialsError::Service { status: 500, .. })
    ));
    assert_eq!(http.calls().len(), 1, "IMDS was not asked");

    // A broken profile stops the chain too.
    let dir = TempDir::new("chain-profile");
    dir.write(".aws/config", CONFIG);
    let http = Scripted::new(vec![]);
    let env = Env::from_vars([("HOME", dir.path()), ("AWS_PROFILE", "assume")]);
    let err = DefaultChain::with_env(env, http.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("profile: invalid configuration"),
        "{err}"
    );
    assert!(http.calls().is_empty());
}

// ---------------------------------------------------------------- cache

/// Counts calls; each returns credentials expiring `lifetime` after the
/// fake clock's time, after an optional delay; fails while `fail` is set.
#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    now: Arc<Mutex<SystemTime>>,
    lifetime: Option<Duration>,
    delay: Duration,
    fail: Mutex<bool>,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            if *self.fail.lock().unwrap() {
                return Err(CredentialsError::Transport {
                    provider: "counting",
                    reason: "down".into(),
                });
            }
            let expiry = self.lifetime.map(|l| *self.now.lock().unwrap() + l);
            Ok(Credentials::new(format!("AKID{n}"), "s", None, expiry))
        })
    }
}

fn counting(
    lifetime: Option<Duration>,
    delay: Duration,
) -> (Arc<Counting>, Arc<Mutex<SystemTime>>, Clock) {
    let now = Arc::new(Mutex::new(at("2030-01-01T00:00:00Z")));
    let inner = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        now: now.clone(),
        lifetime,
        delay,
        fail: Mutex::new(false),
    });
    let clock_now = now.clone();
    let clock: Clock = Arc::new(move || *clock_now.lock().unwrap());
    (inner, now, clock)
}

fn advance(now: &Mutex<SystemTime>, by: Duration) {
    *now.lock().unwrap() += by;
}

#[tokio::test]
async fn cache_refreshes_five_minutes_before_expiry() {
    let hour = Duration::from_secs(3600);
    let (inner, now, clock) = counting(Some(hour), Duration::ZERO);
    let cache = CachingProvider::new(inner.clone()).clock(clock);
    let key = |c: Credentials| c.access_key_id().to_owned();

    assert_eq!(key(cache.provide_credentials().await.unwrap()), "AKID1");
    advance(&now, Duration::from_secs(54 * 60));
    assert_eq!(key(cache.provide_credentials().await.unwrap()), "AKID1");
    advance(&now, Duration::from_secs(60 + 1)); // 55:01, inside the 5-minute window
    assert_eq!(key(cache.provide_credentials().await.unwrap()), "AKID2");
    assert_eq!(key(cache.provide_credentials().await.unwrap()), "AKID2");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);

    cache.invalidate();
    assert_eq!(key(cache.provide_credentials().await.unwrap()), "AKID3");
}

#[tokio::test]
async fn cache_keeps_valid_credentials_when_a_refresh_fails() {
    let hour = Duration::from_secs(3600);
    let (inner, now, clock) = counting(Some(hour), Duration::ZERO);
    let cache = CachingProvider::new(inner.clone()).clock(clock);
    cache.provide_credentials().await.unwrap();

    *inner.fail.lock().unwrap() = true;
    advance(&now, Duration::from_secs(57 * 60)); // refresh due, still valid
    let creds = cache.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKID1");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);

    advance(&now, Duration::from_secs(4 * 60)); // expired
    let err = cache.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::Transport { .. }), "{err}");

    *inner.fail.lock().unwrap() = false;
    assert!(cache.provide_credentials().await.is_ok());
}

#[tokio::test]
async fn cache_relooks_credentials_without_expiry_after_the_default_ttl() {
    let (inner, now, clock) = counting(None, Duration::ZERO);
    let cache = CachingProvider::new(inner.clone())
        .clock(clock)
        .default_ttl(Duration::from_secs(600));
    cache.provide_credentials().await.unwrap();
    advance(&now, Duration::from_secs(599));
    cache.provide_credentials().await.unwrap();
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
    advance(&now, Duration::from_secs(2));
    cache.provide_credentials().await.unwrap();
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn cache_runs_one_refresh_at_a_time() {
    let (inner, _now, clock) = counting(Some(Duration::from_secs(3600)), Duration::from_millis(50));
    let cache = Arc::new(CachingProvider::new(inner.clone()).clock(clock));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        let creds = task.await.unwrap().unwrap();
        assert_eq!(creds.access_key_id(), "AKID1");
    }
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_runs_one_refresh_at_a_time_across_threads() {
    let (inner, _now, clock) = counting(Some(Duration::from_secs(3600)), Duration::from_millis(50));
    let cache = Arc::new(CachingProvider::new(inner.clone()).clock(clock));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
}
