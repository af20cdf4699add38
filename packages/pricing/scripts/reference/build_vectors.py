"""Computes the shared pricing test vectors with genai-prices' reference implementation.

Every expected number comes from `genai_prices.calc_price` of the installed release, never from our own
pricers: the TypeScript pricer (packages/pricing) and the Go collector processor must reproduce each case to
1e-10 USD. Our own rules layered on top of genai-prices are labelled where they apply:
- `unsupported_usage`: the model is priced only by units that token counts cannot feed (e.g. audio hours);
  genai-prices returns 0 for it, we refuse to price it rather than report a silent 0;
- `cache_savings`: calc_price of the same usage without cache reads, minus calc_price of the usage;
- `variant`: the `when` of the price variants that set at least one price (genai-prices' get_prices order).

Usage:
  python build_vectors.py OUT.json            the committed vectors (every model once, plus the hard cases)
  python build_vectors.py --full OUT.json     the differential: every model x usage shapes x dates x contexts
  python build_vectors.py --units OUT.json    usage that is not tokens (audio seconds, characters, web
                                              searches): every model with such a price, and token models fed it.
                                              Only the TypeScript pricer reads these; the collector prices tokens.
"""

from __future__ import annotations

import datetime
import json
import sys
import warnings
from decimal import Decimal
from pathlib import Path

import genai_prices
from genai_prices import Usage, calc_price
from genai_prices.data import providers
from genai_prices.data_units import unit_data

UTC = datetime.UTC

# The genai-prices usage keys that a provider-neutral token usage feeds (data/token-usage-keys.json, which the
# pricers read too), and `requests` (one per call): a model priced by none of these cannot be priced from token
# counts.
TOKEN_KEYS = {*json.loads((Path(__file__).parents[2] / 'data' / 'token-usage-keys.json').read_text())['keys'], 'requests'}
PRICE_KEY_TO_USAGE = {u.get('price_key', k): k for k, u in unit_data.items()}
CACHE_READ_KEYS = {'cache_read_tokens', 'cache_audio_read_tokens'}

SHAPES = {
    'plain': {'input_tokens': 1234, 'output_tokens': 567},
    'cache-read': {'input_tokens': 10_000, 'cache_read_tokens': 4000, 'output_tokens': 2000},
    'cache-write-5m-1h': {
        'input_tokens': 30_500,
        'cache_read_tokens': 20_000,
        'cache_write_tokens': 10_000,
        'cache_write_1h_tokens': 4000,
        'output_tokens': 800,
    },
    'reasoning': {'input_tokens': 3000, 'output_tokens': 9000, 'output_reasoning_tokens': 8000},
    'over-200k': {
        'input_tokens': 250_000,
        'cache_read_tokens': 50_000,
        'output_tokens': 7000,
        'output_reasoning_tokens': 5000,
    },
    'over-300k': {'input_tokens': 300_001, 'output_tokens': 20_000},
    'exactly-200k': {'input_tokens': 200_000, 'output_tokens': 1},
    'million': {'input_tokens': 1_000_000, 'output_tokens': 1_000_000},
    'audio': {
        'input_tokens': 5000,
        'input_audio_tokens': 3000,
        'cache_read_tokens': 1000,
        'cache_audio_read_tokens': 500,
        'output_tokens': 2000,
        'output_audio_tokens': 1500,
    },
    'image': {'input_tokens': 4000, 'input_image_tokens': 2500, 'output_tokens': 5000, 'output_image_tokens': 4000},
    'video': {'input_tokens': 9000, 'input_video_tokens': 6000, 'input_audio_tokens': 1000, 'output_tokens': 300},
    'zero': {'input_tokens': 0, 'output_tokens': 0},
}
TIMES = ['2025-03-01T20:00:00Z', '2026-10-01T12:00:00Z', '2026-11-20T10:00:00Z', '2027-02-01T02:30:00Z']
OFF_PEAK_TIMES = ['2026-11-20T00:45:00Z', '2026-11-20T03:15:00Z', '2026-11-20T16:29:59Z', '2026-11-20T17:00:00Z']


def parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))


def usd(value: Decimal) -> float:
    return round(float(value), 10)


def variant_label(model, when_time: datetime.datetime, context: dict[str, str] | None, own: bool) -> str:
    """Which variants set a price, in genai-prices' get_prices order (first variant to set a key wins)."""
    if not context or not own:
        return ''
    seen: set[str] = set()
    used: list[str] = []
    for variant in model.price_variants or ():
        if variant.constraint is not None and not variant.constraint.active(when_time):
            continue
        if not all(context.get(k) == v for k, v in variant.when.items()):
            continue
        contributed = False
        for key, price in variant.prices.__dict__.items():
            if key.startswith('_') or price is None or key in seen:
                continue
            seen.add(key)
            contributed = True
        if contributed:
            used.append('&'.join(f'{k}={v}' for k, v in sorted(variant.when.items())))
    return ','.join(used)


def price_keys(model_price) -> set[str]:
    return {k for k, v in model_price.__dict__.items() if not k.startswith('_') and v is not None}


def units_uncovered(model_price, usage: dict[str, int]) -> bool:
    """Our rule for usage that is not tokens: unpriced (unsupported_usage) when the call reports counts > 0 in
    units none of the model's prices cover (a unit covers its more specific units), unless a price is per request
    or the model has no prices at all. genai-prices prices such a call at 0."""
    keys = price_keys(model_price)
    if not keys or 'requests_kcount' in keys:
        return False
    priced_units = [unit_data[PRICE_KEY_TO_USAGE[k]] for k in keys if k in PRICE_KEY_TO_USAGE]
    for key, count in usage.items():
        if not count:
            continue
        dims = unit_data[key]['dimensions']
        if any(all(dims.get(d) == v for d, v in u['dimensions'].items()) for u in priced_units):
            return False
    return True


def compute(provider_id: str | None, model_ref: str, usage: dict[str, int], time: str, context=None) -> dict:
    when_time = parse_time(time)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            calc = calc_price(
                Usage(**usage),
                model_ref,
                provider_id=provider_id,
                genai_request_timestamp=when_time,
                price_context=context,
            )
        except LookupError:
            return {'priced': False, 'reason': 'unknown_model'}
        except ValueError:
            return {'priced': False, 'reason': 'invalid_usage'}
        keys = price_keys(calc.model_price)
        if not set(usage) - TOKEN_KEYS:
            if keys and not any(PRICE_KEY_TO_USAGE.get(k) in TOKEN_KEYS for k in keys):
                return {'priced': False, 'reason': 'unsupported_usage'}
        elif units_uncovered(calc.model_price, usage):
            return {'priced': False, 'reason': 'unsupported_usage'}
        savings = Decimal(0)
        if any(usage.get(k) for k in CACHE_READ_KEYS):
            uncached = {k: v for k, v in usage.items() if k not in CACHE_READ_KEYS}
            full = calc_price(
                Usage(**uncached),
                model_ref,
                provider_id=provider_id,
                genai_request_timestamp=when_time,
                price_context=context,
            )
            savings = full.total_price - calc.total_price
    own = any(calc.model is m for m in calc.provider.models)
    out = {
        'priced': True,
        'cost': usd(calc.total_price),
        'input_cost': usd(calc.input_price),
        'output_cost': usd(calc.output_price),
        'cache_savings': usd(savings),
        'pricing_provider': calc.provider.id,
        'pricing_model': calc.model.id,
    }
    label = variant_label(calc.model, when_time, context, own)
    if label:
        out['variant'] = label
    return out


def sample_name(model) -> str:
    """A name the model's own match logic accepts: its id when it does, else a literal from its clauses."""
    if model.is_match(model.id):
        return model.id
    stack = [model.match]
    while stack:
        clause = stack.pop(0)
        for attr in ('equals', 'starts_with'):
            value = getattr(clause, attr, None)
            if value and model.is_match(value):
                return value
        stack.extend(getattr(clause, 'or_', None) or [])
        stack.extend(getattr(clause, 'and_', None) or [])
    return model.id


def price_lists(model):
    prices = model.prices
    return [prices] if not isinstance(prices, list) else [c.prices for c in prices]


def features(model) -> set[str]:
    f: set[str] = set()
    if isinstance(model.prices, list):
        f.add('dated')
        if any(c.constraint is not None and hasattr(c.constraint, 'start_time') for c in model.prices):
            f.add('time_of_day')
    for mp in price_lists(model) + [v.prices for v in model.price_variants or ()]:
        keys = price_keys(mp)
        if any(type(getattr(mp, k)).__name__ == 'TieredPrices' for k in keys):
            f.add('tiers')
        if keys & {'input_audio_mtok', 'output_audio_mtok', 'cache_audio_read_mtok'}:
            f.add('audio')
        if keys & {'input_image_mtok', 'output_image_mtok'}:
            f.add('image')
        if 'input_video_mtok' in keys:
            f.add('video')
        if keys & {'cache_write_mtok', 'cache_write_1h_mtok'}:
            f.add('cache_write')
        if 'output_reasoning_mtok' in keys:
            f.add('reasoning')
    if model.price_variants:
        f.add('variants')
    return f


def contexts_of(model) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for v in model.price_variants or ():
        if v.when not in out:
            out.append(dict(v.when))
    return out


def variant_times(model) -> list[str]:
    """A time before and after each dated variant or price starts, so dated variants are exercised."""
    times = {'2026-11-20T10:00:00Z'}
    for v in model.price_variants or ():
        if v.constraint is not None and hasattr(v.constraint, 'start_date'):
            d = v.constraint.start_date
            times.add(f'{(d - datetime.timedelta(days=1)).isoformat()}T23:00:00Z')
            times.add(f'{d.isoformat()}T00:30:00Z')
    return sorted(times)


class Builder:
    def __init__(self) -> None:
        self.cases: list[dict] = []

    def add(self, name: str, provider_id, model_ref, shape: str, time: str, context=None, usage=None) -> None:
        usage = usage or SHAPES[shape]
        case_input = {'provider': provider_id, 'model': model_ref, 'usage': usage, 'time': time}
        if provider_id is None:
            del case_input['provider']
        if context:
            case_input['context'] = context
        self.cases.append({'name': name, 'input': case_input, 'expected': compute(provider_id, model_ref, usage, time, context)})


def committed(b: Builder) -> None:
    rotation = ['plain', 'cache-read', 'reasoning', 'cache-write-5m-1h']
    i = 0
    for p in providers:
        for m in p.models:
            name = sample_name(m)
            shape = rotation[i % len(rotation)]
            time = TIMES[i % len(TIMES)]
            i += 1
            b.add(f'{p.id}/{name} {shape} @{time}', p.id, name, shape, time)
            f = features(m)
            if 'tiers' in f:
                for shape in ('exactly-200k', 'over-200k', 'over-300k', 'million'):
                    b.add(f'{p.id}/{name} {shape}', p.id, name, shape, '2026-11-20T10:00:00Z')
            if 'dated' in f:
                for time in TIMES:
                    b.add(f'{p.id}/{name} plain @{time}', p.id, name, 'plain', time)
            if 'time_of_day' in f:
                for time in OFF_PEAK_TIMES:
                    b.add(f'{p.id}/{name} cache-read @{time}', p.id, name, 'cache-read', time)
            for modality in ('audio', 'image', 'video'):
                if modality in f:
                    b.add(f'{p.id}/{name} {modality}', p.id, name, modality, '2026-11-20T10:00:00Z')
            if 'cache_write' in f:
                b.add(f'{p.id}/{name} cache-write-5m-1h', p.id, name, 'cache-write-5m-1h', '2026-11-20T10:00:00Z')
            if 'reasoning' in f:
                b.add(f'{p.id}/{name} reasoning', p.id, name, 'reasoning', '2026-11-20T10:00:00Z')
            for context in contexts_of(m):
                label = ','.join(f'{k}={v}' for k, v in sorted(context.items()))
                for time in variant_times(m):
                    for shape in ('plain', 'cache-read'):
                        b.add(f'{p.id}/{name} {label} {shape} @{time}', p.id, name, shape, time, context)
                if 'tiers' in f:
                    b.add(f'{p.id}/{name} {label} over-300k', p.id, name, 'over-300k', '2026-11-20T10:00:00Z', context)
    # Lookups: no provider (found by the model's own name), case, compact dates, litellm prefixes, fallback
    # providers (whose models ignore a price context), unknown names, a context no variant has.
    for ref in ['gpt-4o', 'GPT-4o', 'claude-sonnet-5-5', 'gemini-4-argon', 'mistral-large-4', 'grok-4.7', 'gpt-6.1-sol']:
        b.add(f'no provider: {ref}', None, ref, 'plain', '2026-11-20T10:00:00Z')
    for provider_id, ref in [
        ('openai', 'gpt-4o-20240806'),
        ('openai', 'gpt-5.5-20261012'),
        ('anthropic', 'claude-sonnet-5-5-20261001'),
        ('openai', 'gpt-4o-20241399'),
        ('litellm', 'openai/gpt-4o'),
        ('litellm', 'anthropic/claude-haiku-5-5'),
        ('litellm', 'nosuch/gpt-4o'),
        ('azure', 'gpt-4o'),
        ('azure', 'gpt-6.1-sol'),
        ('openrouter', 'openai/gpt-4o'),
        ('openai', 'no-such-model-9'),
        ('anthropic', 'claude-nonexistent'),
        ('no-such-provider', 'gpt-4o'),
    ]:
        b.add(f'lookup {provider_id}/{ref}', provider_id, ref, 'cache-read', '2026-11-20T10:00:00Z')
        b.add(f'lookup {provider_id}/{ref} priority', provider_id, ref, 'cache-read', '2026-11-20T10:00:00Z', {'service_tier': 'priority'})
    for context in [{'service_tier': 'auto'}, {'service_tier': 'Priority'}, {'processing': 'batch', 'service_tier': 'flex'}, {'service_tier': 'scale'}]:
        b.add(f'openai/gpt-5.5 context {context}', 'openai', 'gpt-5.5', 'plain', '2026-11-20T10:00:00Z', context)
    b.add('invalid: cache reads over input', 'openai', 'gpt-4o', 'plain', '2026-11-20T10:00:00Z',
          usage={'input_tokens': 100, 'cache_read_tokens': 200, 'output_tokens': 1})


def full(b: Builder) -> None:
    shapes = ['plain', 'cache-read', 'cache-write-5m-1h', 'reasoning', 'over-200k', 'million', 'audio', 'image']
    for p in providers:
        for m in p.models:
            name = sample_name(m)
            contexts = [None, *contexts_of(m)]
            times = TIMES if (isinstance(m.prices, list) or m.price_variants) else TIMES[2:3]
            for context in contexts:
                for time in times:
                    for shape in shapes:
                        b.add(f'{p.id}/{name} {shape} {context or ""} @{time}', p.id, name, shape, time, context)


# Usage that is not tokens, as the Node package reports it (toGenaiUsage: audio_seconds is the total of the
# input and output audio seconds).
UNIT_SHAPES = {
    'transcription-60s': {'input_tokens': 0, 'output_tokens': 0, 'audio_seconds': 60, 'input_audio_seconds': 60},
    'transcription-7.5s': {'input_tokens': 0, 'output_tokens': 0, 'audio_seconds': 7.5, 'input_audio_seconds': 7.5},
    'speech-1234-chars': {'input_tokens': 0, 'output_tokens': 0, 'input_characters': 1234},
    'chat-3-web-searches': {'input_tokens': 1234, 'output_tokens': 567, 'web_searches': 3},
    'chat-tokens-only': {'input_tokens': 1234, 'output_tokens': 567},
}
UNIT_PRICE_KEYS = {'audio_hours', 'input_audio_hours', 'output_audio_hours', 'input_mchars', 'web_searches_kcount'}


def units(b: Builder) -> None:
    time = '2026-11-20T10:00:00Z'
    for p in providers:
        for m in p.models:
            keys = set().union(*(price_keys(mp) for mp in price_lists(m) + [v.prices for v in m.price_variants or ()]))
            if not keys & UNIT_PRICE_KEYS:
                continue
            name = sample_name(m)
            for shape in UNIT_SHAPES:
                b.add(f'{p.id}/{name} {shape}', p.id, name, shape, time, usage=UNIT_SHAPES[shape])
                for context in contexts_of(m):
                    if 'processing' in context:
                        b.add(f'{p.id}/{name} {shape} {context}', p.id, name, shape, time, context, UNIT_SHAPES[shape])
    # Token-priced models fed usage they have no price for: the tokens are priced, the rest alone is not.
    for ref in ['gpt-4o', 'gpt-4o-transcribe', 'gpt-4o-mini-tts', 'claude-sonnet-5-5']:
        for shape in UNIT_SHAPES:
            b.add(f'token model {ref} {shape}', None, ref, shape, time, usage=UNIT_SHAPES[shape])


def main(argv: list[str]) -> None:
    mode = argv[0] if argv[0].startswith('--') else ''
    out = argv[-1]
    b = Builder()
    {'--full': full, '--units': units, '': committed}[mode](b)
    doc = {
        'source': f'genai-prices=={genai_prices.__version__} (PyPI) calc_price',
        'version': f'genai-prices@{genai_prices.__version__}',
        'count': len(b.cases),
        'cases': b.cases,
    }
    with open(out, 'w') as f:
        f.write('{\n"source": %s,\n"version": %s,\n"count": %d,\n"cases": [\n' % (
            json.dumps(doc['source']), json.dumps(doc['version']), doc['count']))
        f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in b.cases))
        f.write('\n]\n}\n')
    priced = sum(1 for c in b.cases if c['expected']['priced'])
    print(f'{out}: {len(b.cases)} cases ({priced} priced) from genai-prices {genai_prices.__version__}')


if __name__ == '__main__':
    main(sys.argv[1:])
