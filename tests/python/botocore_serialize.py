#!/usr/bin/env python3
"""botocore's side of the differential test in tests/botocore_diff.rs.

Reads JSON lines from stdin and writes one JSON line per input line, in order,
to stdout. Nothing is sent anywhere: botocore's own serializer and parser run
in memory, the way a boto3 X-Ray client would use them.

Request line:
    {"id": n, "kind": "request", "operation": "PutTelemetryRecords",
     "params": {...}}
  `params` is the operation input keyed by member name; timestamps are epoch
  seconds numbers, which botocore accepts as they are. Parameters are checked
  with botocore.validate.ParamValidator (what the client does before
  serializing); a rejected input answers
    {"id": n, "error": "..."}
  and an accepted one
    {"id": n, "method": "POST", "url_path": "/TelemetryRecords",
     "query_string": [["name", "value"], ...],
     "headers": {"content-type": "application/json", ...},
     "body": <the body parsed as JSON, or null when it is empty>}

Response line:
    {"id": n, "kind": "response", "operation": "...", "body": {...}}
  The body is parsed with botocore's RestJSONParser against the operation's
  output shape and answered as
    {"id": n, "data": {...}}
  with timestamps as epoch seconds (float, microsecond precision) and without
  botocore's ResponseMetadata.

Any other failure on one line answers {"id": n, "error": "..."} for that line;
the process keeps going.
"""

import calendar
import datetime
import json
import sys

import botocore
import botocore.parsers
import botocore.serialize
import botocore.session
import botocore.validate


def _epoch(value):
    """An aware or naive (UTC) datetime as epoch seconds, exact to the
    microsecond (integer arithmetic first, so the float is rounded once)."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc)
    seconds = calendar.timegm(value.timetuple())
    return (seconds * 10**6 + value.microsecond) / 10**6


def _plain(value):
    """botocore's parsed data as JSON-ready values."""
    if isinstance(value, datetime.datetime):
        return _epoch(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return value


def _query_pairs(query):
    pairs = []
    for name, value in (query or {}).items():
        if isinstance(value, list):
            pairs.extend([name, str(v)] for v in value)
        else:
            pairs.append([name, str(value)])
    return pairs


def _body_json(body):
    if body is None:
        return None
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, (bytes, bytearray)):
        raise TypeError(f"unexpected body type {type(body).__name__}")
    if len(body) == 0:
        return None
    return json.loads(body.decode("utf-8"))


class Botocore:
    def __init__(self):
        session = botocore.session.get_session()
        self.model = session.get_service_model("xray")
        self.validator = botocore.validate.ParamValidator()
        self.serializer = botocore.serialize.create_serializer(
            "rest-json", include_validation=False
        )
        self.parser = botocore.parsers.create_parser("rest-json")
        self.operations = {}

    def operation(self, name):
        op = self.operations.get(name)
        if op is None:
            op = self.model.operation_model(name)
            self.operations[name] = op
        return op

    def request(self, line):
        op = self.operation(line["operation"])
        params = line.get("params") or {}
        if op.input_shape is not None:
            report = self.validator.validate(params, op.input_shape)
            if report.has_errors():
                return {"error": report.generate_report()}
        request = self.serializer.serialize_to_request(params, op)
        headers = {str(k).lower(): str(v) for k, v in request["headers"].items()}
        return {
            "method": request["method"],
            "url_path": request["url_path"],
            "query_string": _query_pairs(request["query_string"]),
            "headers": headers,
            "body": _body_json(request["body"]),
        }

    def response(self, line):
        op = self.operation(line["operation"])
        body = line.get("body")
        raw = b"" if body is None else json.dumps(body).encode("utf-8")
        response = {"status_code": 200, "headers": {}, "body": raw}
        data = self.parser.parse(response, op.output_shape)
        data.pop("ResponseMetadata", None)
        return {"data": _plain(data)}


def main():
    boto = Botocore()
    out = sys.stdout
    for text in sys.stdin:
        if not text.strip():
            continue
        ident = None
        try:
            line = json.loads(text)
            ident = line.get("id")
            kind = line.get("kind")
            if kind == "request":
                answer = boto.request(line)
            elif kind == "response":
                answer = boto.response(line)
            else:
                answer = {"error": f"unknown kind {kind!r}"}
        except Exception as e:  # one bad line must not end the run
            answer = {"error": f"{type(e).__name__}: {e}"}
        answer["id"] = ident
        out.write(json.dumps(answer))
        out.write("\n")
    out.flush()


if __name__ == "__main__":
    sys.stderr.write(f"botocore {botocore.__version__}\n")
    main()
