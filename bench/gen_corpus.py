#!/usr/bin/env python3
"""Deterministic corpus for the batch-audit benchmark (bench/audit.sh).

    python3 bench/gen_corpus.py OUTDIR [--seed N] [--files N] [--lines N]
    python3 bench/gen_corpus.py OUTDIR --trail RECORDS [--trail-files N]   (an audit trail only)
    python3 bench/gen_corpus.py OUTDIR --mix scripts|oos [--files N]       (another mix of files only)

writes
  OUTDIR/files/<team>-<env>/<purpose>-<nnnnn>.{yaml,json}
      10,000 RunCommand requests of about 1 KB, one request per file, over 100 folders; 70 % YAML,
      30 % JSON (both schema tools read YAML data files too, so every tool gets the same files);
  OUTDIR/problems.tsv
      the files with planted problems and the kinds of problem (for reference);
  OUTDIR/requests.jsonl
      1,000,000 lines, one request per line; about a third are audit-trail event records
      ({"eventId", "eventName": "RunCommand", "serviceName": "Ecs", "eventTime", "acsRegion",
      "requestParameters": {...}}), half of those with the request as the RPC wire carries it
      (InstanceId.N, Tag.N.Key, numbers and booleans as strings, Parameters as a JSON string).

About 90 % of the requests are valid; about 10 % carry one to three problems (a bad Frequency,
an unknown parameter, a Timeout out of range, Base64 content that does not decode, a misspelt
Type, a malformed instance ID, Parameters without EnableParameter, an over-long ClientToken).
About half of the requests carry a ClientToken, all distinct. The same seed gives byte-identical
output (one random.Random per output, no hash-ordered iteration, no clock). Python 3 stdlib only.
"""

import argparse
import base64
import io
import json
import os
import random
import re
import shutil
import sys
import time

DEFAULT_SEED = 20260507
DEFAULT_FILES = 10_000
DEFAULT_LINES = 1_000_000

# Region, weight, the region's instance-ID prefix.
REGIONS = [
    ("cn-hangzhou", 30, "bp1"),
    ("cn-shanghai", 20, "uf6"),
    ("cn-beijing", 15, "2ze"),
    ("cn-shenzhen", 10, "wz9"),
    ("cn-zhangjiakou", 5, "8vb"),
    ("ap-southeast-1", 8, "t4n"),
    ("us-west-1", 3, "rj9"),
    ("eu-central-1", 3, "gw8"),
    ("cn-hongkong", 4, "j6c"),
    ("ap-northeast-1", 2, "6we"),
]
TEAMS = ["web", "api", "data", "ml", "payments", "search", "infra", "mobile", "growth", "ops",
         "billing", "auth", "media", "crm", "etl", "cdn", "mail", "chat", "iot", "risk"]
ENVS = ["prod", "staging", "dev", "test", "canary"]
PURPOSES = ["deploy", "restart", "cleanup", "backup", "patch", "health", "rotate-logs", "inventory",
            "collect", "sync", "upgrade", "diagnose"]
SERVICES = ["nginx", "redis", "mysqld", "postgresql", "kafka", "zookeeper", "app-server", "worker",
            "scheduler", "gateway", "prometheus", "node-exporter", "filebeat", "sshd", "crond"]
WIN_SERVICES = ["W3SVC", "WinRM", "MSSQLSERVER", "Spooler", "wuauserv", "AppHostSvc", "IISADMIN"]
APPS = ["shop", "orders", "catalog", "ledger", "search", "ingest", "reports", "portal", "notify",
        "images"]
ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"

SHELL_LINES = [
    "systemctl restart {svc}",
    "systemctl is-active --quiet {svc} || systemctl start {svc}",
    "journalctl -u {svc} --since '-{n} min' --no-pager | tail -n 50",
    "find /var/log/{app} -name '*.log' -mtime +{n} -delete",
    "find /tmp -maxdepth 1 -name '{app}-*' -mtime +{n} -exec rm -rf {{}} +",
    "df -h /data | awk 'NR>1 {{print $5}}'",
    "free -m | grep Mem",
    "curl -fsS --max-time 5 http://127.0.0.1:{port}/healthz || exit 1",
    "tar -czf /backup/{app}-$(date +%F).tar.gz /etc/{app}",
    "echo \"[$(date -Is)] {app}: step {n} done\" >> /var/log/{app}/ops.log",
    "mkdir -p /opt/{app}/releases/{ver}",
    "ln -sfn /opt/{app}/releases/{ver} /opt/{app}/current",
    "chown -R {app}:{app} /opt/{app}",
    "rsync -a --delete /opt/{app}/current/ /srv/{app}/",
    "yum -y -q update {svc}",
    "apt-get -y -q install --only-upgrade {svc}",
    "sleep {n}",
    "ss -ltnp | grep ':{port}' || echo 'port {port} closed'",
    "logrotate -f /etc/logrotate.d/{app}",
    "ps -eo pid,rss,cmd --sort=-rss | head -n {n}",
    "test -f /etc/{app}/app.conf && sed -i 's/^workers=.*/workers={n}/' /etc/{app}/app.conf",
    "du -sh /var/lib/{svc} 2>/dev/null",
    "if [ \"$(id -u)\" -ne 0 ]; then echo 'must run as root' >&2; exit 2; fi",
    "for f in /etc/{app}/*.conf; do cp \"$f\" \"$f.bak\"; done",
    "uptime",
    "cat /proc/loadavg",
]
PS_LINES = [
    "Restart-Service -Name {wsvc} -Force",
    "Get-Service -Name {wsvc} | Select-Object Name, Status",
    "Get-ChildItem -Path C:\\logs\\{app} -Filter *.log | Where-Object {{ $_.LastWriteTime -lt (Get-Date).AddDays(-{n}) }} | Remove-Item",
    "New-Item -ItemType Directory -Force -Path C:\\apps\\{app}\\{ver} | Out-Null",
    "Write-Output \"{app}: step {n} done at $(Get-Date -Format o)\"",
    "Get-PSDrive -PSProvider FileSystem | Select-Object Name, Used, Free",
    "Test-NetConnection -ComputerName 127.0.0.1 -Port {port} | Select-Object TcpTestSucceeded",
    "Copy-Item -Path C:\\apps\\{app}\\current\\* -Destination C:\\backup\\{app} -Recurse -Force",
    "Get-Process | Sort-Object WS -Descending | Select-Object -First {n}",
    "Start-Sleep -Seconds {n}",
    "Compress-Archive -Path C:\\logs\\{app} -DestinationPath C:\\backup\\{app}-logs.zip -Force",
    "if (-not (Test-Path C:\\apps\\{app})) {{ exit 2 }}",
    "Get-HotFix | Sort-Object InstalledOn -Descending | Select-Object -First 5",
    "Set-ItemProperty -Path HKLM:\\SOFTWARE\\{app} -Name Workers -Value {n}",
    "Get-EventLog -LogName Application -Newest {n} | Format-Table -AutoSize",
    "Stop-Service -Name {wsvc}; Start-Service -Name {wsvc}",
]
BAT_LINES = [
    "net stop {wsvc}",
    "net start {wsvc}",
    "del /q /s C:\\temp\\{app}\\*.tmp",
    "ipconfig /all",
    "echo step {n} done >> C:\\logs\\{app}\\ops.log",
    "xcopy C:\\apps\\{app}\\current C:\\backup\\{app} /e /i /y",
    "sc query {wsvc}",
    "timeout /t {n} /nobreak",
    "if not exist C:\\apps\\{app} mkdir C:\\apps\\{app}",
    "tasklist /fi \"imagename eq {app}.exe\"",
]
# Lines that use custom parameters (the request then sets EnableParameter and Parameters).
PARAM_LINES = {
    "service": ("systemctl restart {{{{service}}}}", "Restart-Service -Name {{{{service}}}}"),
    "version": ("mkdir -p /opt/{app}/releases/{{{{version}}}}",
                "Write-Output \"version {{{{version}}}}\""),
    "port": ("curl -fsS http://127.0.0.1:{{{{port}}}}/healthz",
             "Test-NetConnection -ComputerName 127.0.0.1 -Port {{{{port}}}}"),
    "retention_days": ("find /var/log/{app} -mtime +{{{{retention_days}}}} -delete",
                       "Write-Output \"keep {{{{retention_days}}}} days\""),
    "release": ("echo 'release {{{{release}}}}' >> /var/log/{app}/deploy.log",
                "Add-Content C:\\logs\\{app}\\deploy.log 'release {{{{release}}}}'"),
    "app_dir": ("cd {{{{app_dir}}}} && ls -la", "Set-Location {{{{app_dir}}}}"),
}
GOOD_FREQUENCIES = ["0 */20 * * * ?", "0 30 2 * * ?", "0 0 3 ? * 1", "0 15 4 * * ? Asia/Shanghai",
                    "0 0 */6 * * ?", "0 0 1 1 * ?", "rate(30m)", "rate(1h)", "rate(1d)",
                    "rate(12h)", "at(2031-01-15 10:00:00 Asia/Shanghai)",
                    "0 0 2 ? * 6 GMT+8:00", "0 45 23 * * ?"]
BAD_FREQUENCIES = ["0 */5 * * *", "rate(30s)", "0 0 25 * * ?", "rate(5x)", "at(2026-13-01 10:00:00)",
                   "0 0 0 31 2 ?", "rate(8d)", "0 0 2 ? * 6 Mars/Olympus", "*/5 * * * * * * *"]
UNKNOWN_KEYS = [("TimeOut", 600), ("Region", "cn-hangzhou"), ("Comment", "added by ops"),
                ("Retry", 3), ("commandContent", "echo 1"), ("InstanceIds", None)]
DESCRIPTIONS = ["Nightly maintenance", "Roll out the new release", "Collect diagnostics",
                "Free disk space on the data volume", "Weekly patch run",
                "每日清理应用日志", "Restart after config change", "Audit installed packages"]


_FIELDS = re.compile(r"(?<!\{)\{(svc|wsvc|app|n|port|ver)\}")
_FILLERS = {
    "svc": lambda r: r.choice(SERVICES),
    "wsvc": lambda r: r.choice(WIN_SERVICES),
    "app": lambda r: r.choice(APPS),
    "n": lambda r: r.randint(2, 60),
    "port": lambda r: r.choice([80, 443, 8080, 9090, 3000]),
    "ver": lambda r: "%d.%d.%d" % (r.randint(1, 4), r.randint(0, 20), r.randint(0, 40)),
}


class Gen:
    """Request generator over one random stream."""

    def __init__(self, rng, token_ns, pool_size=0):
        self.rng = rng
        # With pool_size > 0, scripts are drawn from pools of that size per kind (an audit trail
        # repeats its commands), which keeps a million lines quick to generate.
        self.pool_size = pool_size
        self.pools = {}
        self.token_ns = token_ns
        self.token_seq = 0
        self.region_names = [r[0] for r in REGIONS]
        self.region_cum = []
        acc = 0
        for _, w, _ in REGIONS:
            acc += w
            self.region_cum.append(acc)
        # A fleet of instances per region.
        self.fleet = {}
        for name, _, prefix in REGIONS:
            self.fleet[name] = ["i-" + prefix + "".join(rng.choices(ALNUM, k=17))
                                for _ in range(400)]

    def fill(self, tmpl):
        r = self.rng
        values = {}
        for field in _FIELDS.findall(tmpl):  # in order of appearance: deterministic
            if field not in values:
                values[field] = _FILLERS[field](r)
        return tmpl.format(**values)

    def script(self, typ, params=(), shebang=True):
        if self.pool_size:
            pool = self.pools.setdefault((typ, params, shebang), [])
            if len(pool) >= (self.pool_size if not params else self.pool_size // 10):
                return pool[self.rng.randrange(len(pool))]
            pool.append(self.new_script(typ, params, shebang))
            return pool[-1]
        return self.new_script(typ, params, shebang)

    def new_script(self, typ, params, shebang):
        r = self.rng
        n = 10 + int(21 * r.random() ** 2)  # 10 to 30 lines, 17 on average
        if typ == "RunShellScript":
            lines = ["#!/bin/bash", "set -euo pipefail"] if shebang else ["set -eu"]
            pool = SHELL_LINES
        elif typ == "RunPowerShellScript":
            lines = ["$ErrorActionPreference = 'Stop'"]
            pool = PS_LINES
        else:
            lines = ["@echo off"]
            pool = BAT_LINES
        while len(lines) < n:
            lines.append(self.fill(r.choice(pool)))
        # Custom parameters at random places (shell or PowerShell flavour).
        for p in params:
            sh, ps = PARAM_LINES[p]
            line = self.fill(sh if typ == "RunShellScript" else ps)
            lines.insert(r.randint(1, len(lines)), line)
        return "\n".join(lines) + "\n"

    def token(self):
        self.token_seq += 1
        r = self.rng
        return "%08x-%04x-4%03x-%s-%012x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(12),
                                             self.token_ns, self.token_seq)

    def request(self, index, token_rate):
        """One request (an ordered dict) and the list of problems it carries."""
        r = self.rng
        region = self.region_names[_bisect(self.region_cum, r.random() * self.region_cum[-1])]
        x = r.random()
        typ = "RunShellScript" if x < 0.75 else ("RunPowerShellScript" if x < 0.95 else "RunBatScript")
        team, env, purpose = r.choice(TEAMS), r.choice(ENVS), r.choice(PURPOSES)
        container = typ == "RunShellScript" and r.random() < 0.02
        params = ()
        if typ != "RunBatScript" and r.random() < 0.15:
            params = tuple(r.sample(sorted(PARAM_LINES), r.randint(1, 3)))
        scheduled = r.random() < 0.10
        keep = r.random() < 0.03

        req = {"RegionId": region}
        if keep:  # a saved command: its own name (a name saved twice in a region is reported)
            req["Name"] = "%s-%s-%s-%s%06d" % (purpose, team, env, self.token_ns, index)
        elif r.random() < 0.5:
            req["Name"] = "%s-%s-%s" % (purpose, team, env)
        if r.random() < 0.25:
            req["Description"] = r.choice(DESCRIPTIONS)
        req["Type"] = typ
        content = self.script(typ, params, shebang=not container)
        if not params and r.random() < 0.10:
            req["CommandContent"] = base64.b64encode(content.encode()).decode()
            req["ContentEncoding"] = "Base64"
        else:
            req["CommandContent"] = content
            if r.random() < 0.05:
                req["ContentEncoding"] = "PlainText"
        if not container and r.random() < 0.15:
            req["WorkingDir"] = "/opt/" + r.choice(APPS) if typ == "RunShellScript" else "C:\\apps"
        if scheduled:
            req["Timeout"] = r.choice([60, 120, 300, 600])
        elif r.random() < 0.7:
            req["Timeout"] = r.choice([60, 120, 300, 600, 900, 1800, 3600, 7200])
        if params:
            req["EnableParameter"] = True
            values = {}
            for p in params:
                if p == "port":
                    values[p] = r.choice([80, 8080, 9090])
                elif p == "retention_days":
                    values[p] = r.choice([7, 14, 30])
                elif p == "version":
                    values[p] = "%d.%d.%d" % (r.randint(1, 4), r.randint(0, 20), r.randint(0, 40))
                elif p == "app_dir":
                    values[p] = "/opt/" + r.choice(APPS)
                elif p == "service":
                    values[p] = r.choice(SERVICES) if typ == "RunShellScript" else r.choice(WIN_SERVICES)
                else:
                    values[p] = "r%d" % r.randint(1000, 9999)
            req["Parameters"] = values
        if scheduled:
            req["RepeatMode"] = "Period"
            req["Frequency"] = r.choice(GOOD_FREQUENCIES)
        elif r.random() < 0.03:
            req["RepeatMode"] = r.choice(["NextRebootOnly", "EveryReboot", "Once", "DryRun"])
        if keep:
            req["KeepCommand"] = True
        if not container and r.random() < 0.08:
            if typ == "RunShellScript":
                req["Username"] = r.choice(["admin", "deploy", "app"])
            else:
                req["Username"] = r.choice(["System", "deployer"])
                if req["Username"] != "System":
                    req["WindowsPasswordName"] = "axt-%s-%s-password-name" % (team, env)
        if r.random() < 0.9:
            fleet = self.fleet[region]
            req["InstanceId"] = r.sample(fleet, r.choice([1, 1, 1, 2, 2, 3, 4, 6, 8, 12]))
        else:
            req["ResourceTag"] = [{"Key": "team", "Value": team}, {"Key": "env", "Value": env}]
        if r.random() < 0.2:
            req["Tag"] = [{"Key": "owner", "Value": team}, {"Key": "purpose", "Value": purpose}]
        if container:
            if r.random() < 0.5:
                req["ContainerId"] = "".join(r.choices(HEX, k=64))
            else:
                req["ContainerName"] = "%s-%s" % (r.choice(APPS), env)
        if r.random() < token_rate:
            req["ClientToken"] = self.token()
        if r.random() < 0.03:
            req["OssOutputDelivery"] = "oss://ops-output-%s/runcommand/%s/" % (region, team)
        if r.random() < 0.05:
            req["TerminationMode"] = "ProcessTree"

        problems = []
        if r.random() < 0.10:
            for _ in range(r.choice([1, 1, 1, 2, 3])):
                problems.append(self.break_request(req))
        return req, (team, env, purpose), problems

    def break_request(self, req):
        r = self.rng
        kind = r.choice(["frequency", "unknown", "timeout", "base64", "frequency", "unknown",
                         "timeout", "base64", "type", "instance", "disabled", "token"])
        if kind == "frequency":
            req["RepeatMode"] = "Period"
            req["Frequency"] = r.choice(BAD_FREQUENCIES)
        elif kind == "unknown":
            key, value = r.choice(UNKNOWN_KEYS)
            if key == "InstanceIds" and "InstanceId" in req:
                req["InstanceIds"] = req.pop("InstanceId")
            elif key != "InstanceIds":
                req[key] = value
        elif kind == "timeout":
            req["Timeout"] = r.choice([90000, 100000, 172800, 604800])
        elif kind == "base64":
            data = req["CommandContent"]
            if req.get("ContentEncoding") != "Base64":
                data = base64.b64encode(data.encode()).decode()
            req["CommandContent"] = data.rstrip("=")[:-1] if r.random() < 0.5 else data[:40] + " " + data[40:]
            req["ContentEncoding"] = "Base64"
            req.pop("EnableParameter", None)
            req.pop("Parameters", None)
        elif kind == "type":
            req["Type"] = {"RunShellScript": "RunShellscript", "RunPowerShellScript": "RunPowershellScript",
                           "RunBatScript": "RunBATScript"}.get(req["Type"], "RunShellscript")
        elif kind == "instance":
            if "InstanceId" in req:
                req["InstanceId"] = [req["InstanceId"][0].upper()] + req["InstanceId"][1:]
            else:
                req["Timeout"] = 90000
        elif kind == "disabled":
            req["Parameters"] = {"service": "nginx"}
            req.pop("EnableParameter", None)
        else:
            req["ClientToken"] = "retry-" + "-".join(self.token() for _ in range(2))
        return kind


def _bisect(cum, x):
    for i, c in enumerate(cum):
        if x < c:
            return i
    return len(cum) - 1


# --- YAML writing (a careful hand-written style, unambiguous for YAML 1.1 and 1.2 loaders) ---

_PLAIN = re.compile(r"[A-Za-z/][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def y_scalar(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if _PLAIN.fullmatch(v) and v.lower() not in _RESERVED:
        return v
    return json.dumps(v, ensure_ascii=False)


def to_yaml(req, rng, comment):
    out = []
    if comment:
        out.append("# " + comment)
    flow_ids = rng.random() < 0.3
    for k, v in req.items():
        if isinstance(v, str) and "\n" in v:
            out.append("%s: |%s" % (k, "" if v.endswith("\n") else "-"))
            out.extend(("  " + line) if line else "" for line in v.rstrip("\n").split("\n"))
        elif isinstance(v, dict):
            out.append(k + ":")
            out.extend("  %s: %s" % (pk, y_scalar(pv)) for pk, pv in v.items())
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            out.append(k + ":")
            for item in v:
                first = True
                for ik, iv in item.items():
                    out.append("%s%s: %s" % ("  - " if first else "    ", ik, y_scalar(iv)))
                    first = False
        elif isinstance(v, list):
            if flow_ids:
                out.append("%s: [%s]" % (k, ", ".join(y_scalar(i) for i in v)))
            else:
                out.append(k + ":")
                out.extend("  - " + y_scalar(i) for i in v)
        elif v is None:
            out.append(k + ": null")
        else:
            out.append("%s: %s" % (k, y_scalar(v)))
    return "\n".join(out) + "\n"


# --- the RPC wire form (as an audit trail records requestParameters) ---

def wire_form(req):
    out = {}
    for k, v in req.items():
        if isinstance(v, bool):
            out[k] = "true" if v else "false"
        elif isinstance(v, int):
            out[k] = str(v)
        elif isinstance(v, dict):
            out[k] = json.dumps(v, separators=(",", ":"))
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for i, item in enumerate(v, 1):
                for ik, iv in item.items():
                    out["%s.%d.%s" % (k, i, ik)] = iv
        elif isinstance(v, list):
            for i, item in enumerate(v, 1):
                out["%s.%d" % (k, i)] = item
        else:
            out[k] = v
    return out


def write_files(outdir, seed, count):
    rng = random.Random(seed)
    gen = Gen(rng, "a0f1")
    root = os.path.join(outdir, "files")
    dirs = ["%s-%s" % (t, e) for t in TEAMS for e in ENVS]  # 100 folders
    for d in dirs:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    stats = {"yaml": 0, "json": 0, "with_problems": 0, "bytes": 0}
    manifest = []
    for i in range(count):
        req, (team, env, purpose), problems = gen.request(i, token_rate=0.5)
        d = "%s-%s" % (team, env)
        if rng.random() < 0.7:
            comment = None
            if rng.random() < 0.3:
                comment = "%s on %s (%s), ticket OPS-%d" % (purpose, team, env, rng.randint(1000, 99999))
            text = to_yaml(req, rng, comment)
            ext = "yaml" if rng.random() < 0.9 else "yml"
            stats["yaml"] += 1
        else:
            text = json.dumps(req, indent=2, ensure_ascii=False) + "\n"
            ext = "json"
            stats["json"] += 1
        name = "%s/%s-%05d.%s" % (d, purpose, i, ext)
        if problems:
            stats["with_problems"] += 1
            manifest.append("%s\t%s\n" % (name, ",".join(problems)))
        _write(root, name, text, stats)
    # The files with planted problems (relative to files/) and the kinds of problem, for reference.
    with open(os.path.join(outdir, "problems.tsv"), "w", encoding="utf-8") as f:
        f.write("".join(manifest))
    return stats


def write_lines(outdir, seed, count):
    rng = random.Random(seed + 1)
    gen = Gen(rng, "b0f2", pool_size=200)
    path = os.path.join(outdir, "requests.jsonl")
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    stats = {"events": 0, "wire": 0, "with_problems": 0, "bytes": 0}
    t0 = 1772323200  # 2026-03-01T00:00:00Z
    chunk = []
    with open(path, "wb", buffering=1 << 20) as f:
        for i in range(count):
            req, _, problems = gen.request(i, token_rate=0.5)
            if problems:
                stats["with_problems"] += 1
            x = rng.random()
            if x < 1 / 3:
                stats["events"] += 1
                if x < 1 / 6:
                    req = wire_form(req)
                    stats["wire"] += 1
                ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + i * 3))
                line = dumps({
                    "eventId": "%08X-%04X-%04X-%04X-%012X" % (rng.getrandbits(32), rng.getrandbits(16),
                                                              rng.getrandbits(16), rng.getrandbits(16), i),
                    "eventName": "RunCommand",
                    "serviceName": "Ecs",
                    "eventTime": ts,
                    "acsRegion": req["RegionId"],
                    "requestParameters": req,
                })
            else:
                line = dumps(req)
            chunk.append(line)
            if len(chunk) == 10_000:
                data = ("\n".join(chunk) + "\n").encode("utf-8")
                stats["bytes"] += len(data)
                f.write(data)
                chunk = []
        if chunk:
            data = ("\n".join(chunk) + "\n").encode("utf-8")
            stats["bytes"] += len(data)
            f.write(data)
    return stats


# Placeholder names of the script-heavy mix (custom parameters of long scripts).
SCRIPT_PARAMS = ["app", "env", "version", "port", "region", "bucket", "user", "group", "service",
                 "release", "retention", "threads", "cache_dir", "log_dir", "config", "cluster",
                 "zone", "shard", "replica", "db_host", "db_port", "queue", "topic", "mode",
                 "timeout_s", "feature", "tier", "owner", "ticket", "window", "limit", "batch",
                 "tag", "image", "registry", "namespace", "pool", "quota", "ratio", "path"]
SCRIPT_VERBS = ["echo \"{a} {{{{{p}}}}}\"", "export {P}=\"{{{{{p}}}}}\"", "mkdir -p /opt/{a}/{{{{{p}}}}}",
                "test -n \"{{{{{p}}}}}\" || exit 3", "grep -q \"{{{{{p}}}}}\" /etc/{a}.conf || true",
                "printf '%s\\n' \"{{{{{p}}}}}\" >> /var/log/{a}/run.log",
                "sed -i \"s/^{p}=.*/{p}={{{{{p}}}}}/\" /etc/{a}/app.env",
                "curl -fsS \"http://127.0.0.1:8080/{a}?{p}={{{{{p}}}}}\" > /dev/null"]


def write_script_files(outdir, seed, count):
    """The script-heavy mix: `count` requests, one per file, half YAML and half JSON, each with a
    1-4 KB shell script holding 20-40 placeholders of 4-10 custom parameters (`{{name}}`,
    EnableParameter true, every value given: within the documented limits); a tenth with Base64
    content; rate and
    cron schedules on a fifth. About a tenth carry a planted problem (a parameter with no value, a
    bad Frequency, an unknown parameter)."""
    rng = random.Random(seed + 3)
    gen = Gen(rng, "d0f4")
    root = os.path.join(outdir, "files")
    shutil.rmtree(root, ignore_errors=True)
    stats = {"yaml": 0, "json": 0, "base64": 0, "bytes": 0, "script_bytes": 0}
    for d in range(100):
        os.makedirs(os.path.join(root, "batch-%02d" % d), exist_ok=True)
    for i in range(count):
        region = rng.choice(gen.region_names)
        app = rng.choice(APPS)
        # Within the documented limits: at most 10 Parameters pairs, so 4-10 distinct names,
        # used 20-40 times; plain lines fill the script to its size.
        names = rng.sample(SCRIPT_PARAMS, rng.randint(4, 10))
        uses = rng.randint(20, 40)
        size = rng.randint(1024, 4096)
        lines = ["#!/bin/bash", "set -euo pipefail"]
        for k in range(uses):
            p = names[k % len(names)]
            lines.append(rng.choice(SCRIPT_VERBS).format(a=app, p=p, P=p.upper()))
        length = sum(len(x) + 1 for x in lines)
        while length < size:
            line = gen.fill(rng.choice(SHELL_LINES))
            lines.insert(rng.randint(2, len(lines)), line)
            length += len(line) + 1
        script = "\n".join(lines) + "\n"
        stats["script_bytes"] += len(script)
        req = {"RegionId": region, "Name": "%s-%05d" % (app, i), "Type": "RunShellScript"}
        if rng.random() < 0.1:
            req["CommandContent"] = base64.b64encode(script.encode()).decode()
            req["ContentEncoding"] = "Base64"
            stats["base64"] += 1
        else:
            req["CommandContent"] = script
        req["Timeout"] = rng.choice([120, 300, 600, 1800])
        req["EnableParameter"] = True
        req["Parameters"] = {n: "%s-%d" % (n, rng.randint(1, 999)) for n in names}
        if rng.random() < 0.2:
            req["RepeatMode"] = "Period"
            req["Frequency"] = rng.choice(["rate(15m)", "rate(1h)", "rate(6h)", "0 0 2 * * ?",
                                           "0 30 */4 * * ? Asia/Shanghai"])
        req["InstanceId"] = rng.sample(gen.fleet[region], rng.choice([1, 2, 4, 8]))
        if rng.random() < 0.1:
            kind = rng.choice(["missing", "frequency", "unknown"])
            if kind == "missing":
                del req["Parameters"][names[0]]
            elif kind == "frequency":
                req["RepeatMode"], req["Frequency"] = "Period", "rate(30s)"
            else:
                req["Timeouts"] = req.pop("Timeout")
        name = "batch-%02d/%s-%05d" % (i % 100, app, i)
        _write_doc(root, name, req, i % 2 == 0, lambda: to_yaml(req, rng, None), stats)
    return stats


def write_oos_files(outdir, seed, count):
    """The OOS-template mix: `count` OOS templates (FormatVersion OOS-2019-06-01), 70 % YAML, each
    with 2-6 tasks of which most are ACS::ECS::RunCommand steps taking their values from template
    parameters, built-ins (`{{ ACS::RegionId }}`) and loop items; a tenth with a planted problem
    (an unknown property, a bad commandType, a parameter used and never declared)."""
    rng = random.Random(seed + 4)
    gen = Gen(rng, "e0f5")
    root = os.path.join(outdir, "files")
    shutil.rmtree(root, ignore_errors=True)
    stats = {"yaml": 0, "json": 0, "steps": 0, "bytes": 0}
    for d in range(50):
        os.makedirs(os.path.join(root, "templates-%02d" % d), exist_ok=True)
    for i in range(count):
        params = {"targets": {"Type": "List", "Description": "the instances"},
                  "service": {"Type": "String", "Default": rng.choice(SERVICES)},
                  "timeout": {"Type": "Number", "Default": rng.choice([60, 300, 600])},
                  "workdir": {"Type": "String", "Default": "/opt/" + rng.choice(APPS)}}
        tasks = []
        for k in range(rng.randint(2, 6)):
            if rng.random() < 0.2:
                tasks.append({"Name": "wait%d" % k, "Action": "ACS::Sleep", "Properties": {"Duration": "PT1M"}})
                continue
            stats["steps"] += 1
            script = gen.script("RunShellScript", ("service",) if rng.random() < 0.5 else ())
            script = script.replace("{{service}}", "{{ service }}")
            props = {"regionId": "{{ ACS::RegionId }}", "commandType": "RunShellScript",
                     "commandContent": script.replace("\n", "\ncd {{ workdir }}\n", 1),
                     "instanceId": "{{ ACS::TaskLoopItem }}", "timeout": "{{ timeout }}"}
            if rng.random() < 0.1:
                kind = rng.choice(["unknown", "type", "undeclared"])
                if kind == "unknown":
                    props["timeOut"] = props.pop("timeout")
                elif kind == "type":
                    props["commandType"] = "RunShell"
                else:
                    props["commandContent"] += "echo {{ undeclared_param }}\n"
            tasks.append({"Name": "step%d" % k, "Action": "ACS::ECS::RunCommand",
                          "Loop": {"Items": "{{ targets }}", "Concurrency": rng.choice([1, 5, 10])},
                          "Properties": props,
                          "Outputs": {"out%d" % k: {"Type": "String", "ValueSelector": "invocationOutput"}}})
        tmpl = {"FormatVersion": "OOS-2019-06-01", "Description": "maintenance %d" % i,
                "Parameters": params, "Tasks": tasks}
        name = "templates-%02d/maintenance-%05d" % (i % 50, i)
        _write_doc(root, name, tmpl, rng.random() < 0.7, lambda: _yaml_text(tmpl), stats)
    return stats


def _yaml_text(doc):
    """`doc` in the block YAML of `_yaml_node`."""
    buf = io.StringIO()
    _yaml_node(doc, 0, buf)
    return buf.getvalue()


def _write_doc(root, name, doc, as_yaml, yaml_text, stats):
    """Writes one document of a mix as `name`.yaml (the text `yaml_text()` gives, called only
    then: it may draw from the generator's random numbers) or as `name`.json (indented JSON), and
    counts it."""
    if as_yaml:
        text, name = yaml_text(), name + ".yaml"
        stats["yaml"] += 1
    else:
        text, name = json.dumps(doc, indent=2, ensure_ascii=False) + "\n", name + ".json"
        stats["json"] += 1
    _write(root, name, text, stats)


def _write(root, name, text, stats):
    """Writes one file under `root` and counts its bytes."""
    data = text.encode("utf-8")
    stats["bytes"] += len(data)
    with open(os.path.join(root, name), "wb") as f:
        f.write(data)


def _yaml_node(v, indent, out):
    """A small block-style YAML writer for the OOS mix (mappings, lists, scalars, literal
    blocks)."""
    pad = " " * indent
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.write("%s%s:\n" % (pad, k))
                _yaml_node(x, indent + 2, out)
            elif isinstance(x, str) and "\n" in x:
                out.write("%s%s: |\n" % (pad, k))
                for line in x.rstrip("\n").split("\n"):
                    out.write("%s  %s\n" % (pad, line) if line else "\n")
            else:
                out.write("%s%s: %s\n" % (pad, k, y_scalar(x)))
    else:
        for x in v:
            if isinstance(x, dict):
                out.write("%s-\n" % pad)
                _yaml_node(x, indent + 2, out)
            else:
                out.write("%s- %s\n" % (pad, y_scalar(x)))


OTHER_APIS = [
    ("DescribeInstances", {"RegionId": "{region}", "PageSize": "50", "PageNumber": "1"}),
    ("DescribeInvocations", {"RegionId": "{region}", "InvokeStatus": "Running"}),
    ("StartInstance", {"InstanceId": "{instance}"}),
    ("StopInstance", {"InstanceId": "{instance}", "ForceStop": "false"}),
    ("CreateSnapshot", {"DiskId": "d-{instance}", "SnapshotName": "nightly"}),
    ("DescribeCommands", {"RegionId": "{region}", "Name": "deploy"}),
]


def write_trail(outdir, seed, records, files):
    """An ActionTrail-style audit trail: `records` event records over `files` JSON Lines files
    named in time order (trail/2026/03/DD/actiontrail-NNNNN.jsonl), every line an event record.

    A tenth are other APIs' calls; RunCommand requests carry a ClientToken one time in seven
    and are in wire form half the time. Planted on top of the usual problems: a token reused
    with other parameters (IdempotentParameterMismatch) or replayed unchanged (a retry, no
    finding), in the same file or a later one; a command saved twice under one name in a region
    (Lint.DuplicateSavedCommand), also by a request whose token is rejected (no finding); broken
    and blank lines, an array of two requests on a line, one file with CRLF line ends, one line
    that is not UTF-8."""
    rng = random.Random(seed + 2)
    gen = Gen(rng, "c0f3", pool_size=200)
    root = os.path.join(outdir, "trail")
    shutil.rmtree(root, ignore_errors=True)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    stats = {"other": 0, "runcommand": 0, "reused": 0, "retried": 0, "saved_twice": 0, "bytes": 0}
    t0 = 1772323200  # 2026-03-01T00:00:00Z
    per_file = max(1, records // max(files, 1))
    issued = []  # (token, request) of earlier requests with a token
    saved = []  # (region, name) of earlier saved commands
    counter = 0

    def event(name, params, i):
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + i * 3))
        return {
            "eventId": "%08X-%04X-%04X-%012X" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), i),
            "eventName": name,
            "eventSource": "ecs.aliyuncs.com",
            "serviceName": "Ecs",
            "eventTime": ts,
            "acsRegion": params.get("RegionId", "cn-hangzhou"),
            "userIdentity": {"type": "ram-user", "userName": rng.choice(TEAMS) + "-bot"},
            "requestParameters": params,
        }

    for f in range(files):
        n = per_file if f < files - 1 else records - per_file * (files - 1)
        day = 1 + f * 28 // max(files, 1)
        d = os.path.join(root, "2026", "03", "%02d" % day)
        os.makedirs(d, exist_ok=True)
        lines = []
        for _ in range(n):
            i = counter
            counter += 1
            x = rng.random()
            if x < 0.10:
                stats["other"] += 1
                name, tmpl = rng.choice(OTHER_APIS)
                region = rng.choice(gen.region_names)
                inst = rng.choice(gen.fleet[region])
                params = {k: v.replace("{region}", region).replace("{instance}", inst) for k, v in tmpl.items()}
                lines.append(dumps(event(name, params, i)))
                continue
            stats["runcommand"] += 1
            req, _, _ = gen.request(i, token_rate=1 / 7)
            y = rng.random()
            if y < 0.004 and issued:  # a token reused with other parameters
                req["ClientToken"] = rng.choice(issued)[0]
                stats["reused"] += 1
            elif y < 0.006 and issued:  # a retry: the same request again
                req = dict(rng.choice(issued)[1])
                stats["retried"] += 1
            elif y < 0.009 and saved:  # a name saved again in its region
                region, name = rng.choice(saved)
                req["RegionId"], req["Name"], req["KeepCommand"] = region, name, True
                req.pop("ResourceTag", None)
                req["InstanceId"] = [rng.choice(gen.fleet[region])]
                stats["saved_twice"] += 1
            if "ClientToken" in req and len(issued) < 5000:
                issued.append((req["ClientToken"], dict(req)))
            if req.get("KeepCommand") is True and "Name" in req and len(saved) < 5000:
                saved.append((req["RegionId"], req["Name"]))
            params = wire_form(req) if rng.random() < 0.5 else req
            z = rng.random()
            if z < 0.001:
                lines.append(dumps(event("RunCommand", params, i))[:-20])  # cut short
            elif z < 0.002:
                lines.append("")
            elif z < 0.0025:
                lines.append("[%s,%s]" % (dumps(params), dumps(req)))
            else:
                lines.append(dumps(event("RunCommand", params, i)))
        end = "\r\n" if f == files // 2 else "\n"
        data = (end.join(lines) + end).encode("utf-8")
        if f == files // 3 and lines:
            data = data.replace(b"\"eventSource\"", b"\"event\xffSource\"", 1)
        stats["bytes"] += len(data)
        with open(os.path.join(d, "actiontrail-%05d.jsonl" % f), "wb") as out:
            out.write(data)
    return stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--files", type=int, default=DEFAULT_FILES, help="number of request files")
    ap.add_argument("--lines", type=int, default=DEFAULT_LINES, help="lines of requests.jsonl")
    ap.add_argument("--trail", type=int, metavar="RECORDS",
                    help="write only an audit trail of this many records (trail/), nothing else")
    ap.add_argument("--trail-files", type=int, default=40, help="files of the audit trail")
    ap.add_argument("--mix", choices=["scripts", "oos"],
                    help="write only files/ of another mix: script-heavy requests, or OOS templates")
    args = ap.parse_args()
    if args.mix is not None:
        os.makedirs(args.outdir, exist_ok=True)
        t = time.monotonic()
        write = write_script_files if args.mix == "scripts" else write_oos_files
        st = write(args.outdir, args.seed, args.files)
        print("files/ (%s mix): %d files, %s (%.1f s)"
              % (args.mix, args.files, ", ".join("%s %d" % kv for kv in st.items()), time.monotonic() - t),
              file=sys.stderr)
        return
    if args.trail is not None:
        os.makedirs(args.outdir, exist_ok=True)
        t = time.monotonic()
        st = write_trail(args.outdir, args.seed, args.trail, args.trail_files)
        print("trail/: %d records in %d files (%d RunCommand, %d other APIs; %d tokens reused, %d retries, "
              "%d names saved again), %.0f bytes a record on average (%.1f s)"
              % (args.trail, args.trail_files, st["runcommand"], st["other"], st["reused"], st["retried"],
                 st["saved_twice"], st["bytes"] / max(args.trail, 1), time.monotonic() - t), file=sys.stderr)
        return
    os.makedirs(args.outdir, exist_ok=True)
    shutil.rmtree(os.path.join(args.outdir, "files"), ignore_errors=True)
    t = time.monotonic()
    fs = write_files(args.outdir, args.seed, args.files)
    t_files = time.monotonic() - t
    t = time.monotonic()
    ls = write_lines(args.outdir, args.seed, args.lines)
    t_lines = time.monotonic() - t
    print("files/: %d requests (%d YAML, %d JSON), %d with problems, %.0f bytes on average (%.1f s)"
          % (args.files, fs["yaml"], fs["json"], fs["with_problems"], fs["bytes"] / max(args.files, 1), t_files),
          file=sys.stderr)
    print("requests.jsonl: %d lines (%d event records, %d of them in wire form), %d with problems, "
          "%.0f bytes a line on average (%.1f s)"
          % (args.lines, ls["events"], ls["wire"], ls["with_problems"], ls["bytes"] / max(args.lines, 1), t_lines),
          file=sys.stderr)


if __name__ == "__main__":
    main()
