#!/usr/bin/env bash
# Temporal's Java test server (time skipping), as an executable for @temporalio/testing's
# `existing-path`: it is called as `<this> <port> --enable-time-skipping`.
here="$(cd "$(dirname "$0")/../.." && pwd)"
exec java -cp "$here/.tools/test-server/lib/*" io.temporal.testserver.TestServer "$@"
