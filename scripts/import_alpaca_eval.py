#!/usr/bin/env python3
"""Builds Probes/alpaca-eval/ from AlpacaEval recorded outputs (tatsu-lab/alpaca_eval, CC BY-NC 4.0).

probes.jsonl: the 805 instructions, ids ae-001..ae-805 in the order of text_davinci_003's file.
panel/: the background models (neither candidate teacher nor labelled student), canonical JSONL.
recordings/: the candidate teachers and labelled students, canonical JSONL, plus pairs.json.
Answers are copied unchanged (empty ones too); probes a file lacks stay missing.
Usage: python3 scripts/import_alpaca_eval.py ../shared/data/alpaca-eval
"""
import json, os, sys

src = sys.argv[1]
out = os.path.join(os.path.dirname(__file__), '..', 'Probes', 'alpaca-eval')
pairs = json.load(open(os.path.join(src, 'pairs.json')))
labelled = set(pairs['candidates']) | {p['student'] for p in pairs['pairs']}
key = lambda s: ' '.join(s.split())

base = json.load(open(os.path.join(src, 'outputs', 'text_davinci_003.json')))
ids = {}
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, 'probes.jsonl'), 'w', encoding='utf-8') as f:
    for i, r in enumerate(base, 1):
        pid = 'ae-%03d' % i
        ids[key(r['instruction'])] = pid
        f.write(json.dumps({'id': pid, 'prompt': r['instruction'], 'category': r['dataset'],
                            'purpose': 'general instruction following (AlpacaEval %s)' % r['dataset']},
                           ensure_ascii=False) + '\n')

for sub in ('panel', 'recordings'):
    os.makedirs(os.path.join(out, sub), exist_ok=True)
for name in sorted(os.listdir(os.path.join(src, 'outputs'))):
    model = name[:-5]
    records = json.load(open(os.path.join(src, 'outputs', name)))
    sub = 'recordings' if model in labelled else 'panel'
    with open(os.path.join(out, sub, model + '.jsonl'), 'w', encoding='utf-8') as f:
        for r in records:
            f.write(json.dumps({'probe': ids[key(r['instruction'])], 'model': model, 'output': r['output']},
                               ensure_ascii=False) + '\n')
with open(os.path.join(out, 'recordings', 'pairs.json'), 'w') as f:
    json.dump(pairs, f, indent=1)
    f.write('\n')
