//! `xray-telemetry`: sends one PutTelemetryRecords with the counts given on
//! the command line, to the endpoint and with the credentials the
//! environment names (`AWS_REGION`, `AWS_ENDPOINT_URL[_XRAY]`, the usual
//! credential sources). Prints the request id on success.

use std::process::ExitCode;
use std::time::SystemTime;

use xray::types::primitives::DateTime;
use xray::types::{BackendConnectionErrors, TelemetryRecord};

const USAGE: &str = "usage: xray-telemetry [--received N] [--sent N] [--spillover N] [--rejected N]
                      [--timeouts N] [--refused N] [--http4xx N] [--http5xx N]
                      [--unknown-host N] [--other N]
                      [--hostname NAME] [--instance-id ID] [--resource-arn ARN]

Sends one X-Ray daemon health record for the current interval. Region, endpoint
and credentials come from the environment (AWS_REGION, AWS_ENDPOINT_URL_XRAY or
AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, ECS, IMDS).";

#[derive(Default)]
struct Args {
    counts: [Option<i32>; 4],
    errors: [Option<i32>; 6],
    hostname: Option<String>,
    instance_id: Option<String>,
    resource_arn: Option<String>,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args::default();
    let mut it = args.peekable();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let count = || {
            value
                .parse::<i32>()
                .map_err(|e| format!("{flag} {value:?}: {e}"))
        };
        match flag.as_str() {
            "--received" => out.counts[0] = Some(count()?),
            "--sent" => out.counts[1] = Some(count()?),
            "--spillover" => out.counts[2] = Some(count()?),
            "--rejected" => out.counts[3] = Some(count()?),
            "--timeouts" => out.errors[0] = Some(count()?),
            "--refused" => out.errors[1] = Some(count()?),
            "--http4xx" => out.errors[2] = Some(count()?),
            "--http5xx" => out.errors[3] = Some(count()?),
            "--unknown-host" => out.errors[4] = Some(count()?),
            "--other" => out.errors[5] = Some(count()?),
            "--hostname" => out.hostname = Some(value),
            "--instance-id" => out.instance_id = Some(value),
            "--resource-arn" => out.resource_arn = Some(value),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(out)
}

fn record(args: &Args) -> TelemetryRecord {
    let [timeouts, refused, c4xx, c5xx, unknown_host, other] = args.errors;
    let errors = args.errors.iter().any(Option::is_some).then(|| {
        BackendConnectionErrors::builder()
            .set_timeout_count(timeouts)
            .set_connection_refused_count(refused)
            .set_http_code4_xx_count(c4xx)
            .set_http_code5_xx_count(c5xx)
            .set_unknown_host_count(unknown_host)
            .set_other_count(other)
            .build()
    });
    let [received, sent, spillover, rejected] = args.counts;
    TelemetryRecord::builder()
        .timestamp(DateTime::from(SystemTime::now()))
        .set_segments_received_count(received)
        .set_segments_sent_count(sent)
        .set_segments_spillover_count(spillover)
        .set_segments_rejected_count(rejected)
        .set_backend_connection_errors(errors)
        .build()
        .expect("the timestamp is set")
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let client = match xray::Client::from_env().await {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let result = client
            .put_telemetry_records()
            .telemetry_records(record(&args))
            .set_hostname(args.hostname)
            .set_ec2_instance_id(args.instance_id)
            .set_resource_arn(args.resource_arn)
            .send()
            .await;
        match result {
            Ok(_) => {
                println!("sent 1 telemetry record");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                if let Some(raw) = e.raw_response() {
                    eprintln!("HTTP {}", raw.status());
                }
                ExitCode::FAILURE
            }
        }
    })
}
