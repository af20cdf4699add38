"""Writes genai-prices' price data as the JSON document its own auto-updater fetches.

Runs inside a Python environment where the genai-prices release is installed (scripts/reference/env.sh
makes one), and reads that release's bundled data (`genai_prices.data.providers`) and unit table
(`genai_prices.data_units.unit_data`). The document is a list of providers in the schema of genai-prices'
published data document, so that the bundled file and a live document are read by one parser.

Before writing, it proves the copy is faithful: the document parsed back by genai-prices' own loader for
fetched documents (`types._providers_from_raw`, what `UpdatePrices.fetch` calls) must equal the bundled data.

Usage: python build_data.py OUT_DIR
  OUT_DIR/genai-prices.json       the document (a JSON list of providers)
  OUT_DIR/genai-prices.meta.json  which release it is, its sha256, provider and model counts
  OUT_DIR/units.json              the release's unit table (usage key -> price key, per, dimensions)
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path

import genai_prices
from genai_prices import types
from genai_prices.data import providers
from genai_prices.data_units import unit_data

RENAMED = {'or_': 'or', 'and_': 'and'}


def to_json(value):
    """A genai-prices data object as plain JSON values (fields that are None are left out)."""
    if isinstance(value, Decimal):
        as_float = float(value)
        if Decimal(repr(as_float)) != value:
            raise ValueError(f'price {value} does not survive as a JSON number')
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else as_float
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, datetime.datetime):
        raise TypeError('unexpected datetime in price data')
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, types.ModelPrice):
        return {k: to_json(v) for k, v in value.__dict__.items() if not k.startswith('_') and v is not None}
    if dataclasses.is_dataclass(value):
        out = {}
        for f in dataclasses.fields(value):
            if f.name.startswith('_') or not f.init:
                continue
            v = getattr(value, f.name)
            if v is None:
                continue
            out[RENAMED.get(f.name, f.name)] = to_json(v)
        return out
    raise TypeError(f'cannot write {type(value).__name__} as JSON')


def main(out_dir: Path) -> None:
    version = genai_prices.__version__
    document = [to_json(p) for p in providers]
    text = json.dumps(document, indent=1, ensure_ascii=False) + '\n'

    parsed = types._providers_from_raw(json.loads(text))  # pyright: ignore[reportPrivateUsage]
    if parsed != providers:
        for a, b in zip(parsed, providers, strict=True):
            if a != b:
                raise SystemExit(f'the written document differs from genai-prices {version} at provider {b.id}')
        raise SystemExit(f'the written document differs from genai-prices {version}')

    models = sum(len(p.models) for p in providers)
    variants = sum(len(m.price_variants or ()) for p in providers for m in p.models)
    meta = {
        'source': f'genai-prices=={version} (PyPI)',
        'version': f'genai-prices@{version}',
        'sha256': hashlib.sha256(text.encode()).hexdigest(),
        'providers': len(providers),
        'models': models,
        'price_variants': variants,
    }
    units = {'source': f'genai-prices=={version} (PyPI)', 'units': unit_data}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / 'genai-prices.json').write_text(text)
    (out_dir / 'genai-prices.meta.json').write_text(json.dumps(meta, indent=1) + '\n')
    (out_dir / 'units.json').write_text(json.dumps(units, indent=1, sort_keys=True) + '\n')
    print(f'genai-prices {version}: {len(providers)} providers, {models} models, {variants} price variants')


if __name__ == '__main__':
    main(Path(sys.argv[1]))
