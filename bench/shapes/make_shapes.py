#!/usr/bin/env python3
"""make_shapes.py SRC.jsonl - the same rows in each export shape, for run.sh.

Writes, in the current folder, 100 copies of SRC's AADNonInteractiveUserSignInLogs
records (30,000 rows from data/) as plain JSON Lines (plain/), the same gzipped
(gz/), a diagnostic-settings export (diag/PT1H.json: the envelope fields on top,
the rest camelCased under properties) and portal-style CSV (csv/, with a
"TimeGenerated [UTC]" header), so loading times of the shapes compare on equal
rows.
"""
import json, csv, gzip, os, sys
src = sys.argv[1]
recs = [json.loads(l) for l in open(src)]
N = 100
for d in ('plain', 'gz', 'diag', 'csv'):
    os.makedirs(d, exist_ok=True)
T = 'AADNonInteractiveUserSignInLogs'
with open(f'plain/{T}.jsonl', 'w') as f:
    for _ in range(N):
        for r in recs: f.write(json.dumps(r) + '\n')
with open(f'plain/{T}.jsonl', 'rb') as i, gzip.open(f'gz/{T}.jsonl.gz', 'wb') as o: o.write(i.read())
top = {'TimeGenerated': 'time', 'OperationName': 'operationName', 'ResultType': 'resultType',
       'DurationMs': 'durationMs', 'Location': 'location', 'Level': 'Level', 'Identity': 'identity',
       'CorrelationId': 'correlationId'}
def val(v):
    if isinstance(v, str) and v[:1] in '[{':
        try: return json.loads(v)
        except ValueError: return v
    return v
with open('diag/PT1H.json', 'w') as f:
    for _ in range(N):
        for r in recs:
            d = {'category': 'NonInteractiveUserSignInLogs', 'properties': {}}
            for k, v in r.items():
                if k in top: d[top[k]] = v
                elif k == 'ConditionalAccessPolicies': d['properties']['appliedConditionalAccessPolicies'] = val(v)
                elif k == 'LocationDetails': d['properties']['location'] = val(v)
                elif k != 'Category': d['properties'][k[0].lower() + k[1:]] = val(v)
            f.write(json.dumps(d) + '\n')
cols = sorted({k for r in recs for k in r})
with open(f'csv/{T}.csv', 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow([c + (' [UTC]' if c == 'TimeGenerated' else '') for c in cols])
    for _ in range(N):
        for r in recs:
            w.writerow(['' if r.get(c) is None else r[c] if isinstance(r[c], str) else json.dumps(r[c]) for c in cols])
