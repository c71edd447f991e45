#!/usr/bin/env bash
# Temporal's Java test server (time skipping), as an executable for @temporalio/testing's
# `existing-path`: it is called as `<this> <port> --enable-time-skipping`.
here="$(cd "$(dirname "$0")/../.." && pwd)"
# Client JIT only and the serial collector: a test server lives for one suite, and starting fast is
# what matters (the SDK gives it 5 s to listen).
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$here/.tools/test-server/lib/*" io.temporal.testserver.TestServer "$@"
