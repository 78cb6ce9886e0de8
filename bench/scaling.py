#!/usr/bin/env python3
"""Growth exponents of `runcommand-lint check` on adversarial shapes (issue 18).

For each shape, a file is generated at sizes n, 4n and 16n and checked by the release binary
(every finding shown: `--max-findings-per-file 0`, output to /dev/null); the time is the median
of RUNS runs. The exponent is log(t(16n) / t(n)) / log(16): 1 for linear work, 2 for quadratic.
The editor shape instead drives `runcommand-lint lsp` over stdio: a document opened and edited 40
times (one character each, incremental sync), timed to the diagnostics of the last version.
Target: every exponent <= 1.2. Usage: bench/scaling.py [BINARY] (default target/release/...).
"""
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/runcommand-lint"
RUNS = int(os.environ.get("RUNS", "3"))
HEAD = "RegionId: cn-hangzhou\nType: RunShellScript\nInstanceId: [i-bp185dy2o3o6neg1234]\n"


def keys_on_one_line(n):
    return "json", "{" + ", ".join(f'"K{i}": {i}' for i in range(n)) + "}\n"


def findings_on_one_line(n):
    ids = ", ".join(f"x-{i}" for i in range(n))
    return "yaml", f"RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo\nInstanceId: [{ids}]\n"


def deep_nesting(n):
    # n unknown keys, each holding a list nested 100 deep (the cap is 256).
    deep = "[" * 100 + "1" + "]" * 100
    body = "".join(f"X{i}: {deep}\n" for i in range(n))
    return "yaml", HEAD + "CommandContent: echo\n" + body


def placeholders(n):
    script = " ".join(f"{{{{p{i}}}}} PASSWORD=pw{i:06}" for i in range(n))
    return "yaml", HEAD + f"EnableParameter: true\nCommandContent: '{script}'\n"


def documents(n):
    doc = HEAD + "CommandContent: echo hi\nTimeout: 90000\n"
    return "yaml", "---\n".join(doc for _ in range(n))


def parameters(n):
    pairs = "".join(f"  k{i}: v{i}\n" for i in range(n))
    return "yaml", HEAD + "EnableParameter: true\nCommandContent: echo {{k0}}\nParameters:\n" + pairs


def log_lines(n):
    line = '{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo", "InstanceId": ["i-bp185dy2o3o6neg1234"], "ClientToken": "t-%d", "Timout": 3}\n'
    return "jsonl", "".join(line % i for i in range(n))


ROS_HEAD = ("ROSTemplateFormatVersion: '2015-09-01'\nParameters:\n  Dir: {Type: String, Default: /opt}\n"
            "  Wait: {Type: Number, Default: 5}\n  DbPassword: {Type: String}\n"
            "Conditions:\n  C: {'Fn::Equals': [a, a]}\nResources:\n  Srv: {Type: ALIYUN::ECS::Instance}\n")


def ros_resources(n):
    # n resources sharing defaults, each read twice (Fn::If), each with findings.
    res = "".join(
        f"  R{i}:\n    Type: ALIYUN::ECS::RunCommand\n    Properties:\n      Type: RunShellScript\n"
        f"      InstanceIds: [i-bp185dy2o3o6neg1234]\n      Timeout: {{Ref: Wait}}\n"
        f"      CommandContent: {{'Fn::If': [C, {{'Fn::Sub': 'cd ${{Dir}}; echo ${{X{i}}} {{{{p}}}}'}}, echo]}}\n"
        for i in range(n))
    return "yaml", ROS_HEAD + res


def ros_sub_script(n):
    # One Fn::Sub script: references, escapes, unknown names, secrets, unclosed `${`.
    lines = "".join(
        f"          ${{Dir}}/bin/run ${{!HOME}} ${{Nope{i}}} -p${{DbPassword}} PASSWORD=pw{i:06} ${{ \n" for i in range(n))
    return "yaml", (ROS_HEAD + "  R:\n    Type: ALIYUN::ECS::RunCommand\n    Properties:\n      Type: RunShellScript\n"
                    "      InstanceIds: [i-bp185dy2o3o6neg1234]\n      CommandContent:\n        Fn::Sub: |\n" + lines)


def ros_join(n):
    # One Fn::Join of n pieces: literals, Ref, Fn::GetAtt, Fn::If, nested Fn::Sub.
    items = ", ".join(
        f"'echo {{{{q{i}}}}}', {{Ref: Dir}}, {{'Fn::GetAtt': [Srv, Ip]}}, {{'Fn::If': [C, a{i}, b{i}]}}, {{'Fn::Sub': 'x${{Dir}}'}}"
        for i in range(n))
    return "yaml", (ROS_HEAD + "  R:\n    Type: ALIYUN::ECS::RunCommand\n    Properties:\n      Type: RunShellScript\n"
                    f"      InstanceIds: [i-bp185dy2o3o6neg1234]\n      CommandContent: {{'Fn::Join': ['\\n', [{items}]]}}\n")




def oos_steps(n):
    # An OOS template of n parameters and n RunCommand steps, each with names OOS cannot resolve.
    params = "".join(f"  p{i}:\n    Type: String\n    Default: x\n" for i in range(n))
    tasks = "".join(
        f"- Name: t{i}\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n"
        f"    commandContent: echo {{{{ q{i} }}}}\n    instanceId: '{{{{ z{i} }}}}'\n" for i in range(n))
    return "yaml", "FormatVersion: OOS-2019-06-01\nParameters:\n" + params + "Tasks:\n" + tasks


def lsp_edits(n):
    # A document of n requests edited 40 times (one character typed each time, incremental sync)
    # in the language server: timed from start to the diagnostics of the last version.
    doc = "---\n".join(HEAD + f"CommandContent: echo {{{{p{i}}}}}\nTimeout: 5\n" for i in range(n))
    return "lsp", doc


def lsp_timed(path):
    text = open(path, encoding="utf-8").read()
    uri = "file://" + path
    edits = 40
    msgs = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"capabilities": {}, "initializationOptions": {"debounceMs": 0, "shellcheck": False}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}}},
    ]
    for v in range(2, edits + 2):
        msgs.append({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                          "end": {"line": 0, "character": 0}}, "text": "#"}]}})
    data = b"".join(
        b"Content-Length: %d\r\n\r\n" % len(b) + b
        for b in (json.dumps(m).encode() for m in msgs))
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        p = subprocess.Popen([BIN, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        p.stdin.write(data)
        p.stdin.flush()
        last = edits + 1
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                c = p.stdout.read(1)
                if not c:
                    raise RuntimeError("the server ended early")
                header += c
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            msg = json.loads(p.stdout.read(length))
            if (msg.get("method") == "textDocument/publishDiagnostics"
                    and msg["params"].get("version") == last):
                break
        times.append(time.perf_counter() - t)
        bye = [{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}]
        p.stdin.write(b"".join(b"Content-Length: %d\r\n\r\n" % len(b) + b
                               for b in (json.dumps(m).encode() for m in bye)))
        p.stdin.close()
        p.wait(timeout=30)
    return statistics.median(times)


def timed(path, fmt):
    if fmt == "lsp":
        return lsp_timed(path)
    # The engine's own growth: ShellCheck (an external program) is measured by bench/shellcheck.sh.
    cmd = [BIN, "check", "--no-config", "--no-progress", "--no-shellcheck", "--max-findings-per-file", "0",
           "--max-file-size", str(1 << 30), "--format", fmt, path]
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


SHAPES = [
    ("many keys on one line (JSON)", keys_on_one_line, 12_500, "concise"),
    ("many keys on one line (human)", keys_on_one_line, 12_500, "human"),
    ("many keys on one line (sarif)", keys_on_one_line, 12_500, "sarif"),
    ("many keys on one line (github)", keys_on_one_line, 12_500, "github"),
    ("many findings on one line", findings_on_one_line, 6_000, "concise"),
    ("deep-but-allowed nesting", deep_nesting, 500, "concise"),
    ("long script, many placeholders", placeholders, 1_200, "concise"),
    ("many documents", documents, 2_000, "concise"),
    ("many Parameters", parameters, 5_000, "concise"),
    ("request log lines", log_lines, 12_500, "json"),
    ("editor: a document edited 40 times", lsp_edits, 100, "lsp"),
    ("OOS: many steps and parameters", oos_steps, 500, "concise"),
    ("ROS: many RunCommand resources", ros_resources, 500, "concise"),
    ("ROS: long Fn::Sub script", ros_sub_script, 1_000, "concise"),
    ("ROS: long Fn::Join", ros_join, 1_000, "concise"),
]


def main():
    worst = 0.0
    print(f"{'shape':34} {'n':>8} {'t(n)':>9} {'t(4n)':>9} {'t(16n)':>9}  exponent")
    with tempfile.TemporaryDirectory() as d:
        for name, gen, n, fmt in SHAPES:
            ts = []
            for k in (1, 4, 16):
                ext, text = gen(n * k)
                path = os.path.join(d, f"f.{ext}")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                ts.append(timed(path, fmt))
            exp = math.log(ts[2] / ts[0]) / math.log(16)
            worst = max(worst, exp)
            print(f"{name:34} {n:>8} {ts[0]*1000:>7.1f}ms {ts[1]*1000:>7.1f}ms {ts[2]*1000:>7.1f}ms  {exp:.2f}")
    print(f"worst exponent: {worst:.2f} (target <= 1.2)")
    return 0 if worst <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
